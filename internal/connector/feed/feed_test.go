package feed

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/model"
)

const rssSample = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Dallas Health News</title>
  <atom:link href="https://news.example.org/feed.xml" rel="self" type="application/rss+xml"/>
  <link>https://news.example.org/</link>
  <managingEditor>desk@news.example.org (News Desk)</managingEditor>
  <item>
    <title>Lone Star Health &amp; the ER wait</title>
    <link>https://news.example.org/2026/12/er-wait</link>
    <description><![CDATA[<p>Patients waited <b>six hours</b>&nbsp;at Mission.</p><script>alert(1)</script><p>More soon.</p>]]></description>
    <pubDate>Sun, 06 Dec 2026 14:30:00 EST</pubDate>
    <guid isPermaLink="false">4711</guid>
    <dc:creator>Ana Ruiz</dc:creator>
  </item>
  <item>
    <title>Clinic opens in Round Rock</title>
    <link>/2026/12/clinic</link>
    <description>A new clinic &lt;i&gt;opens&lt;/i&gt; Monday.</description>
    <pubDate>Fri, 4 Dec 2026 09:00:00 +0000</pubDate>
    <guid>https://news.example.org/2026/12/clinic</guid>
  </item>
  <item>
    <title>Undated item</title>
    <guid isPermaLink="false">no-link</guid>
  </item>
</channel>
</rss>`

const atomSample = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
  <id>tag:google.com,2005:reader/user/00000/state/com.google/alerts/111</id>
  <title>Google Alert - Lone Star Health</title>
  <link href="https://www.google.com/alerts/feeds/1/2" rel="self"/>
  <updated>2026-12-07T09:00:00Z</updated>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:9876</id>
    <title type="html">&lt;b&gt;Lone Star Health&lt;/b&gt; denies claims, members say</title>
    <link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://www.blog.example.com/post/1&amp;ct=ga&amp;usg=X"/>
    <published>2026-12-07T08:00:00Z</published>
    <updated>2026-12-07T08:00:00Z</updated>
    <content type="html">Members of &lt;b&gt;Lone Star Health&lt;/b&gt; report denied claims ...</content>
    <author><name/></author>
  </entry>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Plain &lt;text&gt; title</title>
    <link rel="self" href="https://elsewhere.example/self"/>
    <link rel="alternate" href="https://blog.example.net/2"/>
    <updated>2026-12-05T08:00:00-06:00</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Great <em>care</em>.</p></div></summary>
    <author><name>Jo Blogger</name></author>
  </entry>
</feed>`

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// fakeFeed serves one document with an ETag and Last-Modified, and 304
// to a request that names them.
type fakeFeed struct {
	t        *testing.T
	mu       sync.Mutex
	body     string
	ctype    string
	etag     string
	modified string
	requests []http.Header
	answer   func(w http.ResponseWriter) bool
}

func (f *fakeFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Header.Clone())
	if r.URL.Path != "/feed.xml" {
		f.t.Errorf("path = %q", r.URL.Path)
	}
	if got := r.Header.Get("User-Agent"); got != "earshot-test/1" {
		f.t.Errorf("User-Agent = %q", got)
	}
	if f.answer != nil && f.answer(w) {
		return
	}
	if r.Header.Get("If-None-Match") == f.etag && r.Header.Get("If-Modified-Since") == f.modified {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", f.etag)
	w.Header().Set("Last-Modified", f.modified)
	w.Header().Set("Content-Type", f.ctype)
	io.WriteString(w, f.body)
}

func newTest(t *testing.T, body string) (*fakeFeed, connector.Channel) {
	t.Helper()
	f := &fakeFeed{t: t, body: body, ctype: "application/rss+xml", etag: `"v1"`, modified: "Mon, 07 Dec 2026 10:00:00 GMT"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	ch, err := New(connector.Config{
		ID: "alerts", Platform: "rss", URL: srv.URL + "/feed.xml", Client: srv.Client(),
		UserAgent: "earshot-test/1", Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, ch
}

func checkContract(t *testing.T, ms []model.Mention) {
	t.Helper()
	for _, m := range ms {
		if err := ingest.Normalize(&m, now); err != nil {
			t.Errorf("mention %s breaks the contract: %v", m.ExternalID, err)
		}
	}
}

func TestPollRSSMapsItemsAndStripsTheirHTML(t *testing.T) {
	f, ch := newTest(t, rssSample)
	ms, _, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	checkContract(t, ms)
	if ch.Sender != nil {
		t.Error("a feed channel has a Sender")
	}
	if len(ms) != 3 {
		t.Fatalf("got %d mentions, want 3", len(ms))
	}
	// Oldest first: the clinic (4 Dec), the ER item (6 Dec), the undated one (heard now).
	clinic, er, undated := ms[0], ms[1], ms[2]
	if er.Platform != "rss" || er.Channel != "alerts" || er.Kind != "post" || er.Direction != "inbound" {
		t.Errorf("er = %+v", er)
	}
	if want := "Lone Star Health & the ER wait\n\nPatients waited six hours at Mission.\nMore soon."; er.Text != want {
		t.Errorf("er text = %q, want %q", er.Text, want)
	}
	if er.URL != "https://news.example.org/2026/12/er-wait" || er.ExternalID != er.URL || er.ThreadID != er.ExternalID {
		t.Errorf("er ids = %q %q %q", er.URL, er.ExternalID, er.ThreadID)
	}
	if want := time.Date(2026, 12, 6, 19, 30, 0, 0, time.UTC); !er.CreatedAt.Equal(want) {
		t.Errorf("er created = %v, want %v (EST is UTC-5)", er.CreatedAt.UTC(), want)
	}
	if er.Author.Handle != "news.example.org" || er.Author.Name != "Ana Ruiz" {
		t.Errorf("er author = %+v", er.Author)
	}
	if clinic.URL != "https://news.example.org/2026/12/clinic" || clinic.Text != "Clinic opens in Round Rock\n\nA new clinic opens Monday." ||
		clinic.Author.Name != "News Desk" {
		t.Errorf("clinic = %+v", clinic)
	}
	if !undated.CreatedAt.Equal(now) || undated.URL != "" || !strings.HasSuffix(undated.ExternalID, "/feed.xml#no-link") {
		t.Errorf("undated = %+v", undated)
	}
	if len(f.requests) != 1 || f.requests[0].Get("If-None-Match") != "" {
		t.Errorf("first request headers = %v", f.requests)
	}
}

func TestPollAtomReadsGoogleAlerts(t *testing.T) {
	_, ch := newTest(t, atomSample)
	ms, _, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	checkContract(t, ms)
	if len(ms) != 2 {
		t.Fatalf("got %d mentions, want 2", len(ms))
	}
	blog, alert := ms[0], ms[1]
	if alert.URL != "https://www.blog.example.com/post/1" || alert.Author.Handle != "www.blog.example.com" ||
		alert.ExternalID != "tag:google.com,2013:googlealerts/feed:9876" {
		t.Errorf("alert = %+v", alert)
	}
	if want := "Lone Star Health denies claims, members say\n\nMembers of Lone Star Health report denied claims ..."; alert.Text != want {
		t.Errorf("alert text = %q, want %q", alert.Text, want)
	}
	if alert.Author.Name != "Google Alert - Lone Star Health" {
		t.Errorf("alert author = %+v", alert.Author)
	}
	if blog.URL != "https://blog.example.net/2" || blog.Text != "Plain <text> title\n\nGreat care." ||
		blog.Author.Name != "Jo Blogger" || !blog.CreatedAt.Equal(time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("blog = %+v", blog)
	}
}

func TestPollIsConditionalAndHearsOnlyNewItems(t *testing.T) {
	f, ch := newTest(t, rssSample)
	_, cursor, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	ms, again, err := ch.Poller.Poll(context.Background(), cursor)
	if err != nil || len(ms) != 0 || again != cursor {
		t.Fatalf("unchanged feed: %d mentions, cursor changed %v, %v", len(ms), again != cursor, err)
	}
	h := f.requests[1]
	if h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != "Mon, 07 Dec 2026 10:00:00 GMT" {
		t.Errorf("second request validators = %q %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
	f.etag = `"v2"`
	f.body = strings.Replace(rssSample, "<item>", `<item><title>Flu shots at Austin</title><link>https://news.example.org/flu</link><pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate></item><item>`, 1)
	ms, next, err := ch.Poller.Poll(context.Background(), cursor)
	if err != nil || len(ms) != 1 || ms[0].URL != "https://news.example.org/flu" {
		t.Fatalf("changed feed = %v, %v; want only the flu item", ms, err)
	}
	if !strings.Contains(next, `"etag":"\"v2\""`) {
		t.Errorf("cursor = %s", next)
	}
}

func TestPollFailuresAreClearAndKeepTheCursor(t *testing.T) {
	const cursor = `{"etag":"\"v0\""}`
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter)
		check  func(t *testing.T, err error)
	}{
		{"404", func(w http.ResponseWriter) { w.WriteHeader(404) }, func(t *testing.T, err error) {
			var p *connector.Permanent
			if !errors.As(err, &p) || !strings.Contains(p.Reason, "Not Found") {
				t.Errorf("err = %v, want Permanent", err)
			}
		}},
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, func(t *testing.T, err error) {
			var tmp *connector.Temporary
			if !errors.As(err, &tmp) {
				t.Errorf("err = %v, want Temporary", err)
			}
		}},
		{"429", func(w http.ResponseWriter) { w.Header().Set("Retry-After", "120"); w.WriteHeader(429) }, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute {
				t.Errorf("err = %v, want RateLimited 2m", err)
			}
		}},
		{"broken XML", func(w http.ResponseWriter) { io.WriteString(w, `<rss><channel><item><title>x</channel></rss>`) }, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not well-formed") {
				t.Errorf("err = %v", err)
			}
		}},
		{"HTML page", func(w http.ResponseWriter) { io.WriteString(w, `<html><body>Moved</body></html>`) }, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not an RSS or Atom feed") {
				t.Errorf("err = %v", err)
			}
		}},
		{"too large", func(w http.ResponseWriter) {
			io.WriteString(w, "<rss><channel>"+strings.Repeat("<item><title>x</title></item>", MaxBody/29+1)+"</channel></rss>")
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "larger than 5 MiB") {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ch := newTest(t, rssSample)
			f.answer = func(w http.ResponseWriter) bool { c.answer(w); return true }
			ms, got, err := ch.Poller.Poll(context.Background(), cursor)
			if len(ms) != 0 || got != cursor {
				t.Errorf("failed poll gave %d mentions and cursor %q", len(ms), got)
			}
			c.check(t, err)
		})
	}
}

func TestParseFeedReadsOtherCharsetsAndNoExternalEntities(t *testing.T) {
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Cl\xednica abierta</title><link>https://x.example/1</link></item></channel></rss>"
	p, err := parseFeed([]byte(latin1), nil)
	if err != nil || len(p.Items) != 1 || p.Items[0].Title != "Clínica abierta" {
		t.Errorf("latin-1 feed = %+v, %v", p, err)
	}
	xxe := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&xxe;</title></item></channel></rss>`
	p, err = parseFeed([]byte(xxe), nil)
	if err == nil && len(p.Items) == 1 && strings.Contains(p.Items[0].Title, "root") {
		t.Errorf("an external entity was read: %q", p.Items[0].Title)
	}
}

func TestParseDate(t *testing.T) {
	cases := map[string]time.Time{
		"Sun, 06 Dec 2026 14:30:00 EST":         time.Date(2026, 12, 6, 19, 30, 0, 0, time.UTC),
		"Sun, 6 Dec 2026 14:30:00 PDT":          time.Date(2026, 12, 6, 21, 30, 0, 0, time.UTC),
		"Tue, 10 Jun 2003 04:00:00 GMT":         time.Date(2003, 6, 10, 4, 0, 0, 0, time.UTC),
		"10 Jun 03 04:00 +0200":                 time.Date(2003, 6, 10, 2, 0, 0, 0, time.UTC),
		"Wednesday, 02 Oct 2002 13:00 UT":       time.Date(2002, 10, 2, 13, 0, 0, 0, time.UTC),
		"2026-12-05T08:00:00-06:00":             time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC),
		"2026-12-05T08:00:00.250Z":              time.Date(2026, 12, 5, 8, 0, 0, 250e6, time.UTC),
		"2026-12-05":                            time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		"  Mon,  07 Dec 2026  10:00:00  +0000 ": time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC),
		"yesterday":                             {},
		"":                                      {},
	}
	for in, want := range cases {
		if got := parseDate(in); !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, want %v", in, got.UTC(), want)
		}
	}
}

func TestPlainText(t *testing.T) {
	cases := map[string]string{
		`<p>Hello <b>world</b></p><p>Again</p>`:            "Hello world\nAgain",
		`a < b and c > d`:                                  "a < b and c > d",
		`<a href="x>y" title='>'>link</a> text`:            "link text",
		`<script>document.write("<p>x</p>")</script>after`: "after",
		`<STYLE>p{}</style >kept`:                          "kept",
		`<!-- hidden <b>x</b> -->shown`:                    "shown",
		`Tom &amp; Jerry&nbsp;&lt;3 &#39;hi&#39;`:          "Tom & Jerry <3 'hi'",
		`line<br/>break<br>`:                               "line\nbreak",
		`<unclosed tag`:                                    "",
		`&lt;script&gt;alert(1)&lt;/script&gt;`:            "<script>alert(1)</script>",
	}
	for in, want := range cases {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(rssSample))
	f.Add([]byte(atomSample))
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><title>t</title></item></rdf:RDF>`))
	f.Add([]byte(`<feed><entry><content type="xhtml"><div><p>x</p></div></content></entry></feed>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseFeed(body, nil)
		if err != nil {
			return
		}
		c := &client{channel: "c", url: mustURL("https://feed.example/f")}
		for _, it := range p.Items {
			m, ok := c.mention(p, it, now)
			if !ok {
				continue
			}
			if err := ingest.Normalize(&m, now); err != nil {
				t.Fatalf("item %+v gives a mention the pipeline refuses: %v", it, err)
			}
		}
	})
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{`<p>Hi <b>there</b></p>`, `a < b`, `<script>x</script>y`, `<!-- c -->d`, `<a title=">">x</a>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := plainText(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("plainText(%q) = %q is not UTF-8", in, out)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("plainText(%q) = %q is not trimmed", in, out)
		}
		if !strings.ContainsAny(in, "<&") && out != tidy(in) {
			t.Fatalf("plainText(%q) = %q changed text that has no markup", in, out)
		}
		if !strings.ContainsAny(out, "<&") && plainText(out) != out {
			t.Fatalf("plainText is not stable on its own text %q", out)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	f.Add("Sun, 06 Dec 2026 14:30:00 EST")
	f.Add("2026-12-05T08:00:00Z")
	f.Fuzz(func(t *testing.T, s string) { parseDate(s) })
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
