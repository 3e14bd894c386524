package cases_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
	"earshot/internal/store"
)

const protocolReply = "We're concerned and want to help. Please call or text 988 now, or send us a direct message."

const crisisOrg = slaOrg + `contact:
  phones: ["+1 512-555-0100"]
crisis:
  call: [{name: Nurse line supervisor, phone: "+1 512-555-0142"}]
  steps: [Reply privately with the 988 line.]
  public_reply: "` + protocolReply + `"
`

// criticalCase ingests, from the fixture's member, a post of a person at
// risk now, and returns its case, which must be critical.
func criticalCase(t *testing.T, f *fixture) int64 {
	t.Helper()
	p := ingest.New(f.st, analyze.New(), ingest.Options{Routes: f.live, Now: func() time.Time { return *f.now }})
	res, err := p.Ingest(context.Background(), []model.Mention{{Platform: "x", Channel: "acme", ExternalID: "2",
		Text: "I have the pills in my hand and I want to die tonight", CreatedAt: *f.now, Author: model.Author{ID: "9", Handle: "gil"}}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %v %v", err, res[0].Err)
	}
	c, err := f.st.GetCase(context.Background(), res[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Urgency != model.UrgencyCritical {
		t.Fatalf("the analyzer reads a person at risk now as %s urgency", c.Urgency)
	}
	return c.ID
}

func TestCrisisPhrasesMarkWhatDiscussesACrisis(t *testing.T) {
	for _, tc := range []struct {
		name, text, own string
		want            []string
	}{
		{"suicide named", "We hear you. Suicide is never the answer, please DM us.", "", []string{"Suicide"}},
		{"a word it starts", "If you feel suicidal, we're here.", "", []string{"suicidal"}},
		{"a phrase", "Please don't hurt yourself, message us.", "", []string{"hurt yourself"}},
		{"two phrases", "Sorry about the overdose and the chest pain.", "", []string{"overdose", "chest pain"}},
		{"an apostrophe inside", "If he can't breathe, call now.", "", []string{"can't breathe"}},
		{"spanish with accents", "Lamentamos la sobredosis; ¿estás a salvo?", "", []string{"sobredosis", "estás a salvo"}},
		{"hidden by an invisible character", "Sorry about the over\u200bdose.", "", []string{"over\u200bdose"}},
		{"nothing of it", "Thank you for reaching out. Please send us a direct message so we can help.", "", nil},
		{"a word that only starts the same", "We respect your threadbare patience.", "", nil},
		{"the protocol's own words", "Hi Dana. " + protocolReply, protocolReply, nil},
		{"the protocol's words are not a pass for the rest", protocolReply + " Sorry about the overdose.", protocolReply, []string{"overdose"}},
		{"crisis words without the protocol", "Crisis? Call or text 988 now.", protocolReply, []string{"Crisis"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range cases.CrisisPhrases(tc.text, tc.own) {
				if tc.text[p.Start:p.End] != p.Phrase {
					t.Errorf("%q at [%d,%d) is not %q", p.Phrase, p.Start, p.End, tc.text[p.Start:p.End])
				}
				got = append(got, p.Phrase)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("CrisisPhrases(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestCheckCrisisReplyOnlyRefusesPublicRepliesOnCriticalCases(t *testing.T) {
	p := &org.Crisis{PublicReply: protocolReply}
	critical, high := &model.Case{Urgency: model.UrgencyCritical}, &model.Case{Urgency: model.UrgencyHigh}
	text := "So sorry you feel suicidal. Please DM us."
	ref := cases.CheckCrisisReply(critical, text, model.VisibilityPublic, p)
	if ref == nil || ref.Code != cases.RefusedCrisis || ref.Field != "text" || ref.Suggestion != protocolReply ||
		len(ref.Crisis) != 1 || ref.Crisis[0].Phrase != "suicidal" || ref.Error() != cases.CrisisMessage {
		t.Fatalf("public reply on a critical case: %+v", ref)
	}
	if ref := cases.CheckCrisisReply(critical, text, model.VisibilityPrivate, p); ref != nil {
		t.Errorf("private reply refused: %+v", ref)
	}
	if ref := cases.CheckCrisisReply(high, text, model.VisibilityPublic, p); ref != nil {
		t.Errorf("reply on a case that is not critical refused: %+v", ref)
	}
	if ref := cases.CheckCrisisReply(critical, protocolReply, model.VisibilityPublic, p); ref != nil {
		t.Errorf("the protocol's reply refused: %+v", ref)
	}
	if ref := cases.CheckCrisisReply(critical, text, model.VisibilityPublic, nil); ref == nil || ref.Suggestion != "" {
		t.Errorf("without a protocol: %+v", ref)
	}
}

// TestReplyOnACriticalCaseFollowsTheCrisisRule: the reply policy (the
// one the composer and the API call) refuses a public reply that
// discusses the crisis, and lets the protocol's reply, one that says
// nothing of it, and a private one go; approval judges a held reply
// again once its case is critical.
func TestReplyOnACriticalCaseFollowsTheCrisisRule(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, crisisOrg)
	f.id = criticalCase(t, f)
	reply := func(text string, v model.Visibility) error {
		_, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: text, Visibility: v})
		return err
	}
	err := reply("We're so sorry about the overdose. Please DM us.", model.VisibilityPublic)
	var ref *cases.Refusal
	if !errors.As(err, &ref) || ref.Code != cases.RefusedCrisis || ref.Suggestion != protocolReply || len(ref.Crisis) != 1 || ref.Crisis[0].Phrase != "overdose" {
		t.Fatalf("public reply discussing the crisis: %v (%+v)", err, ref)
	}
	for _, ok := range []struct {
		text string
		v    model.Visibility
	}{
		{protocolReply, model.VisibilityPublic},
		{"Thank you for telling us. Please send us a direct message now.", model.VisibilityPublic},
		{"We're so sorry about the overdose. A nurse will call you now.", model.VisibilityPrivate},
	} {
		if err := reply(ok.text, ok.v); err != nil {
			t.Errorf("%s reply %q: %v", ok.v, ok.text, err)
		}
	}
	if c := f.read(t); len(c.Replies) != 3 {
		t.Errorf("replies stored: %d, want 3", len(c.Replies))
	}
}

func TestApprovalJudgesTheCrisisRuleAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, crisisOrg)
	if err := f.st.PutSetting(ctx, store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	// Held before the case turned critical (an override reason holds it).
	rp, err := f.svc.Reply(ctx, cases.Draft{CaseID: f.id, Author: "ana@example.org", Text: "Sorry about your visit. Are you safe? Please DM us.",
		Visibility: model.VisibilityPublic, OverrideReason: "they said it first"})
	if err != nil || rp.State != model.ReplyAwaitingApproval {
		t.Fatalf("held reply: %+v, %v", rp, err)
	}
	if id := criticalCase(t, f); id != f.id {
		t.Fatalf("the member's second post opened case %d, not %d", id, f.id)
	}
	if ref := cases.AsRefusal(f.svc.Approve(ctx, f.id, rp.ID, "sam@example.org")); ref == nil || ref.Code != cases.RefusedCrisis {
		t.Fatalf("approving a reply that discusses the crisis: %+v", ref)
	}
}

func TestContactsFollowTheFileInForce(t *testing.T) {
	live := route.NewLive(nil)
	contacts := cases.Contacts(live)
	if got := contacts(); len(got.Phones)+len(got.Emails)+len(got.Links) != 0 {
		t.Errorf("no file: %+v", got)
	}
	o, err := org.Parse([]byte(crisisOrg + "  # applied later\n"))
	if err != nil {
		t.Fatal(err)
	}
	o.Contact.Emails, o.Contact.Web = org.List{"care@test.example"}, org.List{"test.example/flu"}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live.Set(r, time.Now())
	got := contacts()
	if !slices.Equal(got.Phones, []string{"+1 512-555-0100"}) || !slices.Equal(got.Emails, []string{"care@test.example"}) || !slices.Equal(got.Links, []string{"test.example/flu"}) {
		t.Errorf("after applying a file: %+v", got)
	}
	if p := cases.CrisisProtocol(live); p == nil || p.PublicReply != protocolReply {
		t.Errorf("protocol: %+v", p)
	}
	if cases.CrisisProtocol(nil) != nil || len(cases.Contacts(nil)().Phones) != 0 {
		t.Error("no routes: want no protocol and no contacts")
	}
}

// BenchmarkCrisisPhrases is the crisis rule's cost on a reply of
// ordinary length, which every public reply on a critical case (and the
// composer's live check there) pays.
func BenchmarkCrisisPhrases(b *testing.B) {
	text := "Hi Dana, we're so sorry to hear this and we want to help right away. " + protocolReply + " You can also call us at +1 512-555-0100."
	for b.Loop() {
		if len(cases.CrisisPhrases(text, protocolReply)) != 0 {
			b.Fatal("found crisis words")
		}
	}
}

// FuzzCrisisPhrases: whatever a reply holds, the words found are spans
// of it, in order and apart, and the protocol's reply alone has none
// left.
func FuzzCrisisPhrases(f *testing.F) {
	for _, s := range []string{"Sorry about the overdose.", "¿estás a salvo?", "over\u200bdose &#115;uicide", protocolReply, "", "\xff\xfe suicid"} {
		f.Add(s, protocolReply)
	}
	f.Fuzz(func(t *testing.T, text, own string) {
		end := 0
		for _, p := range cases.CrisisPhrases(text, own) {
			if p.Start < end || p.Start >= p.End || p.End > len(text) || text[p.Start:p.End] != p.Phrase {
				t.Fatalf("bad span %+v of %q", p, text)
			}
			end = p.End
		}
		if got := cases.CrisisPhrases(own, own); len(got) != 0 {
			t.Fatalf("the protocol's own reply %q has crisis words %+v", own, got)
		}
	})
}
