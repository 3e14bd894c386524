package web

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/input"
)

func TestParseFilter(t *testing.T) {
	intents := []string{"billing", "claim"}
	for _, tc := range []struct {
		q  string
		ok bool
	}{
		{"", true},
		{"platform=x&status=open&sentiment=negative&intent=billing&assignee=mine&q=card", true},
		{"platform=myspace", false},
		{"status=deleted", false},
		{"intent=astrology", false},
		{"assignee=bob", false},
		{"q=" + url.QueryEscape(string([]byte{0xff})), false},
		{"opened_from=2026-12-01T00:00:00-06:00&opened_to=2026-12-08T00:00:00Z&answered=no&needs_response=1&breached=1&first_sentiment=negative&agent=ana%40example.org&topic=billing", true},
		{"mentioned_from=2026-12-01T00:00:00Z&mentioned_to=2026-12-02T00:00:00Z", true},
		{"opened_from=yesterday", false},
		{"mentioned_to=2026-12-01", false},
		{"answered=maybe", false},
		{"needs_response=yes", false},
		{"breached=true", false},
		{"first_sentiment=angry", false},
		{"agent=" + url.QueryEscape("a\x00b"), false},
	} {
		v, _ := url.ParseQuery(tc.q)
		_, err := parseFilter(v, intents)
		if (err == nil) != tc.ok {
			t.Errorf("parseFilter(%q) err = %v, want ok %v", tc.q, err, tc.ok)
		}
	}
	v, _ := url.ParseQuery("assignee=mine&q=late+card&status=new")
	f, _ := parseFilter(v, intents)
	sf := f.storeFilter("ana@example.org", 50)
	if sf.Assignee != "ana@example.org" || sf.Q != "late card" || sf.Status != "new" || sf.Unassigned {
		t.Fatalf("store filter = %+v", sf)
	}
	v, _ = url.ParseQuery(f.query())
	if g, _ := parseFilter(v, intents); g != f {
		t.Fatalf("query round trip: %+v != %+v", g, f)
	}
	// The report filters reach the store filter, and survive the query.
	v, _ = url.ParseQuery("opened_from=2026-12-01T00:00:00-06:00&opened_to=2026-12-08T00:00:00-06:00&mentioned_from=2026-12-02T00:00:00Z" +
		"&answered=no&needs_response=1&breached=1&first_sentiment=negative&sentiment=positive&agent=ana%40example.org&topic=billing")
	f, err := parseFilter(v, intents)
	if err != nil {
		t.Fatal(err)
	}
	sf = f.storeFilter("me@example.org", 50)
	// 2026-12-01 00:00 at -06:00 is 06:00 UTC.
	if !sf.OpenedFrom.Equal(time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)) || !sf.OpenedTo.Equal(time.Date(2026, 12, 8, 6, 0, 0, 0, time.UTC)) ||
		!sf.MentionFrom.Equal(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)) || !sf.MentionTo.IsZero() ||
		sf.Answered != "no" || !sf.NeedsResponse || !sf.Breached || sf.SentimentFirst != "negative" || sf.Sentiment != "positive" ||
		sf.Assignee != "ana@example.org" || sf.Tag != "billing" {
		t.Fatalf("store filter = %+v", sf)
	}
	v, _ = url.ParseQuery(f.query())
	if g, _ := parseFilter(v, intents); g != f {
		t.Fatalf("query round trip: %+v != %+v", g, f)
	}
}

func FuzzParseFilter(f *testing.F) {
	f.Add("platform=x&status=open&assignee=unassigned&q=a+b")
	f.Add("%zz&&q=%00")
	f.Add("team=a%00b&q=card")
	f.Add("site=%FF")
	f.Add("opened_from=2026-12-01T00:00:00-06:00&answered=no&needs_response=1&topic=a%2Cb&agent=x%40y")
	f.Add("mentioned_to=2026-13-01T00:00:00Z&breached=1")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		ff, err := parseFilter(v, []string{"billing"})
		if err != nil {
			var p *input.Problem
			if !errors.As(err, &p) || !v.Has(p.Field) {
				t.Fatalf("parseFilter(%q) = %v, want a problem naming one of its keys", raw, err)
			}
			return
		}
		// What is accepted can be stored and compared on either engine.
		for _, s := range []string{ff.Platform, ff.Channel, ff.Team, ff.Site, ff.Status, ff.Sentiment, ff.Intent, ff.Assignee, ff.Q,
			ff.OpenedFrom, ff.OpenedTo, ff.MentionedFrom, ff.MentionedTo, ff.FirstSentiment, ff.Answered, ff.NeedsResponse, ff.Breached, ff.Agent, ff.Topic} {
			if input.Text("", s, input.MaxFilterBytes) != nil {
				t.Fatalf("parseFilter(%q) accepted %q", raw, s)
			}
		}
		again, _ := url.ParseQuery(ff.query())
		g, err := parseFilter(again, []string{"billing"})
		ff.Cursor = ""
		if err != nil || g != ff {
			t.Fatalf("round trip of %q: %+v vs %+v (%v)", raw, g, ff, err)
		}
	})
}

func TestDummyHashIsChecked(t *testing.T) {
	// An unknown email must cost a full argon2id check, so the dummy hash
	// has to parse.
	if ok, err := auth.CheckPassword(dummyHash, testPassword); ok || err != nil {
		t.Fatalf("dummy hash: ok %v, err %v", ok, err)
	}
}
