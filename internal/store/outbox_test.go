package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

// Migration 00018 leaves the replies an older Earshot queued as queued,
// with nothing recorded of a delivery, so the outbox takes them up.
func TestOutboxMigrationKeepsQueuedReplies(t *testing.T) {
	ctx := context.Background()
	st := openAtVersion(t, 17, []int{10}, `INSERT INTO replies (id, case_id, text, visibility, author, state, created_at)
		VALUES (5, 10, 'Sorry to hear that', 'public', 'ana@example.org', 'queued', '`+testAt+`'),
		       (6, 10, 'Held', 'public', 'ana@example.org', 'awaiting_approval', '`+testAt+`')`)
	if err := store.Migrate(ctx, st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	refs, err := st.QueuedReplies(ctx, "deliver_reply:", 10)
	if err != nil || !slices.Equal(refs, []store.ReplyRef{{CaseID: 10, ReplyID: 5}}) {
		t.Fatalf("queued = %v, %v", refs, err)
	}
	// A job under the reply's key takes it off the list.
	if _, err := st.EnqueueJobs(ctx, time.Now(), store.NewJob{Kind: "deliver_reply", DedupeKey: "deliver_reply:5"}); err != nil {
		t.Fatal(err)
	}
	if refs, err := st.QueuedReplies(ctx, "deliver_reply:", 10); err != nil || len(refs) != 0 {
		t.Fatalf("queued with a job = %v, %v", refs, err)
	}
	c, err := st.GetCase(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Replies) != 2 || c.Replies[0].ReplyDelivery != (model.ReplyDelivery{}) {
		t.Errorf("replies = %+v", c.Replies)
	}
}

func TestReplyDeliveryStates(t *testing.T) {
	ctx := context.Background()
	st := openAtVersion(t, 21, []int{10}, `INSERT INTO replies (id, case_id, text, visibility, author, state, created_at)
		VALUES (5, 10, 'Sorry to hear that', 'public', 'ana@example.org', 'queued', '`+testAt+`'),
		       (6, 10, 'Please DM us', 'private', 'ana@example.org', 'queued', '`+testAt+`')`)
	rp, was, err := st.ClaimReply(ctx, 10, 5, 0)
	if err != nil || was != model.ReplyQueued || rp.State != model.ReplySending || rp.DeliveryAttempts != 1 || rp.Text != "Sorry to hear that" {
		t.Fatalf("claim: %+v %q %v", rp, was, err)
	}
	// Claimed again (a retry after a crash), it is found sending and left.
	if rp, was, err := st.ClaimReply(ctx, 10, 5, 0); err != nil || was != model.ReplySending || rp.DeliveryAttempts != 1 {
		t.Fatalf("claim again: %+v %q %v", rp, was, err)
	}
	if _, _, err := st.ClaimReply(ctx, 11, 5, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim of another case's reply: %v", err)
	}
	sentAt := time.Date(2026, 2, 1, 10, 5, 0, 0, time.UTC)
	if err := st.MarkReplySent(ctx, 5, "555", "https://x.com/acme/status/555", sentAt); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkReplyFailed(ctx, 5, "late"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("settling a sent reply again: %v", err)
	}
	if _, _, err := st.ClaimReply(ctx, 10, 6, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.ReleaseReply(ctx, 6, "HTTP 503"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ClaimReply(ctx, 10, 6, 0); err != nil {
		t.Fatal(err)
	}
	long := "\x00\xff" + strings.Repeat("a", 996) + "é and more" // NUL dropped, bad byte replaced, 1,000 bytes end within the é
	if err := st.MarkReplyNoConnector(ctx, 6, long); err != nil {
		t.Fatal(err)
	}
	c, err := st.GetCase(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Replies[0]
	if got.State != model.ReplySent || got.PlatformID != "555" || got.PlatformURL != "https://x.com/acme/status/555" ||
		got.SentAt == nil || !got.SentAt.Equal(sentAt) || got.DeliveryAttempts != 1 {
		t.Errorf("sent reply = %+v", got)
	}
	got = c.Replies[1]
	if got.State != model.ReplyNoConnector || got.DeliveryAttempts != 2 || got.DeliveryError != "\uFFFD"+strings.Repeat("a", 996) || got.SentAt != nil {
		t.Errorf("reply without connector: state %q, %d attempts, %d bytes of error", got.State, got.DeliveryAttempts, len(got.DeliveryError))
	}
}

func TestConnectorCursors(t *testing.T) {
	ctx := context.Background()
	st := openAtVersion(t, 18, nil)
	if cur, err := st.ConnectorCursor(ctx, "acme-x"); err != nil || cur != "" {
		t.Fatalf("first cursor = %q, %v", cur, err)
	}
	now := time.Now()
	for _, want := range []string{"1790000000000000001", "page:Q2F0"} {
		if err := st.SetConnectorCursor(ctx, "acme-x", want, now); err != nil {
			t.Fatal(err)
		}
		if cur, err := st.ConnectorCursor(ctx, "acme-x"); err != nil || cur != want {
			t.Fatalf("cursor = %q, %v; want %q", cur, err, want)
		}
	}
	if cur, err := st.ConnectorCursor(ctx, "acme-fb"); err != nil || cur != "" {
		t.Fatalf("another channel's cursor = %q, %v", cur, err)
	}
}
