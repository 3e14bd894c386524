// Package redacttest seeds a case full of health information for the
// tests, in the API and the web app, that check what each role reads of
// it.
package redacttest

import (
	"context"
	"testing"
	"time"

	"earshot/internal/cases"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// The health information the seeded case carries in each of its texts.
const (
	DOB      = "04/12/1961"
	Claim    = "CLM-88412207"
	Phone    = "512-555-0199"
	MemberID = "XJH123456789"
)

// MaskedMemberID is the member record's identifier as a masked reader
// reads it.
const MaskedMemberID = "••••6789"

// Raw lists the seeded values as written.
func Raw() []string { return []string{DOB, Claim, Phone, MemberID} }

// Labels lists what a masked reader reads in place of the seeded values.
func Labels() []string { return []string{"[date]", "[claim number]", "[phone]", "[member id]"} }

// Text is a sentence that carries every seeded value, after lead.
func Text(lead string) string {
	return lead + " DOB is " + DOB + ", claim number " + Claim + ", call me at " + Phone + ", member id " + MemberID + "."
}

// Case is what SeedCase made.
type Case struct {
	ID, MentionID int64
}

// SeedCase ingests a mention carrying every seeded value and gives its
// case the same values in a private reply (and its override reason), a
// note, a task (for assignee; "" for none), a held reply rejected with
// them as its reason, and the member record MemberID linked; the mention
// is starred for the praise wall.
func SeedCase(t testing.TB, st *store.Store, p *ingest.Pipeline, assignee string) Case {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	res, err := p.Ingest(ctx, []model.Mention{{Platform: model.PlatformX, ExternalID: "phi-1", Kind: model.KindPost,
		Direction: model.DirectionInbound, Text: Text("Hi, my"), CreatedAt: now.Add(-time.Hour),
		Author: model.Author{ID: "998", Handle: "upset_member", Name: "Gil Ortega"}}})
	if err != nil || len(res) != 1 || res[0].Err != nil || res[0].CaseID == 0 {
		t.Fatalf("ingest the seeded mention: %+v, %v", res, err)
	}
	c := Case{ID: res[0].CaseID, MentionID: res[0].ID}
	reply := &model.Reply{CaseID: c.ID, Text: Text("Thanks. We have your"), Visibility: model.VisibilityPrivate,
		OverrideReason: Text("They asked us to confirm the"), Author: "agent@example.org", CreatedAt: now}
	held := &model.Reply{CaseID: c.ID, Text: "Please write to us privately.", Visibility: model.VisibilityPublic,
		State: model.ReplyAwaitingApproval, Author: "agent@example.org", CreatedAt: now}
	steps := []func() error{
		func() error { return st.AddReply(ctx, reply, cases.Response(route.NewLive(nil).Router(), now)) },
		func() error {
			return st.AddNote(ctx, &model.Note{CaseID: c.ID, Text: Text("Checked: the"), Author: "agent@example.org", CreatedAt: now})
		},
		func() error {
			return st.AddTask(ctx, &model.Task{CaseID: c.ID, Title: Text("Call back, the"), Assignee: assignee, CreatedBy: "agent@example.org", CreatedAt: now})
		},
		func() error { return st.AddReply(ctx, held, nil) },
		func() error {
			return st.RejectReply(ctx, c.ID, held.ID, "supervisor@example.org", Text("Not in public: the"), now)
		},
		func() error {
			return st.PutMember(ctx, store.Member{ID: MemberID, Name: "Gil Ortega", Plan: "PPO", CreatedAt: now})
		},
		func() error { return st.LinkMember(ctx, c.ID, MemberID, "agent@example.org", now) },
		func() error { return st.StarMention(ctx, c.MentionID, "agent@example.org", now) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
	return c
}
