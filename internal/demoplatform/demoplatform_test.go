package demoplatform

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/connector/google"
	"earshot/internal/connector/x"
	"earshot/internal/model"
)

func start(t *testing.T) *Simulator {
	t.Helper()
	s, err := Start(Options{XAccountID: "42", GoogleLocation: "accounts/7/locations/9", Token: "sim-token"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func cfg(s *Simulator, id, account, token string) connector.Config {
	return connector.Config{ID: id, AccountID: account, BaseURL: s.URL(), Auth: connector.StaticToken(token),
		Client: &http.Client{Timeout: 5 * time.Second}, UserAgent: "Earshot-test"}
}

// TestXConnectorHearsAndAnswers drives the real X connector against the
// simulator: the timeline's posts come once (since_id), a new post comes
// next, and a reply is taken with a numeric id.
func TestXConnectorHearsAndAnswers(t *testing.T) {
	ctx := context.Background()
	s := start(t)
	ch, err := x.New(cfg(s, "sim-x", "42", "sim-token"))
	if err != nil {
		t.Fatal(err)
	}
	ms, cursor, err := ch.Poller.Poll(ctx, "")
	if err != nil || len(ms) != 1 || cursor == "" {
		t.Fatalf("first poll: %d mentions, cursor %q, %v", len(ms), cursor, err)
	}
	if ms[0].Author.Handle != "sim_maria" || !strings.Contains(ms[0].Text, "@lonestarhealth") {
		t.Errorf("heard %+v", ms[0])
	}
	if again, _, err := ch.Poller.Poll(ctx, cursor); err != nil || len(again) != 0 {
		t.Fatalf("second poll: %d mentions, %v; want none", len(again), err)
	}
	s.Post()
	next, cursor2, err := ch.Poller.Poll(ctx, cursor)
	if err != nil || len(next) != 1 || next[0].ExternalID == ms[0].ExternalID || cursor2 == cursor {
		t.Fatalf("poll after a new post: %d mentions, cursor %q, %v", len(next), cursor2, err)
	}
	sent, err := ch.Sender.Send(ctx, connector.Outgoing{Channel: "sim-x", Visibility: model.VisibilityPublic, Text: "We're on it",
		InReplyTo: ms[0].ExternalID, ThreadID: ms[0].ThreadID})
	if err != nil || sent.ID == "" {
		t.Fatalf("send: %+v, %v", sent, err)
	}
	got := s.Replies()
	if len(got) != 1 || got[0].ID != sent.ID || got[0].InReplyTo != ms[0].ExternalID || got[0].Text != "We're on it" {
		t.Errorf("the simulator took %+v, want the reply %s to %s", got, sent.ID, ms[0].ExternalID)
	}
}

// TestGoogleConnectorHearsAndAnswers drives the real Google connector:
// the location's review comes with its rating, and the owner's reply is
// taken on it.
func TestGoogleConnectorHearsAndAnswers(t *testing.T) {
	ctx := context.Background()
	s := start(t)
	ch, err := google.New(cfg(s, "sim-google", "accounts/7/locations/9", "sim-token"))
	if err != nil {
		t.Fatal(err)
	}
	ms, cursor, err := ch.Poller.Poll(ctx, "")
	if err != nil || len(ms) != 1 || cursor == "" {
		t.Fatalf("first poll: %d mentions, cursor %q, %v", len(ms), cursor, err)
	}
	if ms[0].Rating == nil || *ms[0].Rating != 2 {
		t.Errorf("the review's rating is %v, want 2", ms[0].Rating)
	}
	sent, err := ch.Sender.Send(ctx, connector.Outgoing{Channel: "sim-google", Visibility: model.VisibilityPublic, Text: "Please call us",
		InReplyTo: ms[0].ExternalID, ThreadID: ms[0].ThreadID})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := s.Replies(); len(got) != 1 || got[0].Platform != "google" || got[0].ID != sent.ID {
		t.Errorf("the simulator took %+v, want the reply %s", got, sent.ID)
	}
}

// TestRefusesWithoutToken: a request without the channel's token is
// 401, so a channel that lost its token shows failing.
func TestRefusesWithoutToken(t *testing.T) {
	s := start(t)
	ch, err := x.New(cfg(s, "sim-x", "42", "wrong"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ch.Poller.Poll(context.Background(), ""); err == nil {
		t.Fatal("a poll with a wrong token succeeded")
	}
}

func TestLinkIsSimulated(t *testing.T) {
	if l := Link("x", "19"); l != "https://simulated.invalid/x/19" {
		t.Errorf("Link = %q", l)
	}
}
