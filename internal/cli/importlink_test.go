package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// TestImportLinksWaitingReplies: a reply of ours left without its case
// by a writer that could not see its parent (another import storing the
// parent at the same moment) is linked by the next import to finish,
// without a running serve.
func TestImportLinksWaitingReplies(t *testing.T) {
	ctx := context.Background()
	env, cfg := storeEnv(t)
	file := filepath.Join(t.TempDir(), "parent.jsonl")
	parent := `{"platform":"x","external_id":"p1","author":{"id":"u1","handle":"jane"},"text":"My claim was denied and nobody calls back","created_at":"2026-11-30T10:00:00Z"}`
	if err := os.WriteFile(file, []byte(parent+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, env, "", "import", file); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}

	// The state a racing writer leaves: the reply stored, no case.
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 30, 10, 7, 0, 0, time.UTC)
	reply := model.Mention{Platform: "x", ExternalID: "r1", Direction: model.DirectionOutbound, InReplyTo: "p1",
		Author: model.Author{ID: "us", Handle: "lonestarhealth"}, Text: "Sorry about this; please DM us.", CreatedAt: at, ReceivedAt: at}
	storetest.StoreUnthreaded(t, st, reply, []byte(`{}`))

	code, stdout, stderr := run(t, env, "", "import", file)
	if code != 0 || !strings.Contains(stdout, "duplicate 1") || !strings.Contains(stdout, "linked 1 replies") {
		t.Fatalf("second import: exit %d, stdout %q, stderr %q: want the parent a duplicate and the reply linked", code, stdout, stderr)
	}
	cases, _, err := st.ListCases(ctx, store.CaseFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 {
		t.Fatalf("%d cases, want 1", len(cases))
	}
	c, err := st.GetCase(ctx, cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.MentionCount != 2 || len(c.Mentions) != 2 || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(at) {
		t.Fatalf("case: %d mentions (%d listed), first response %v; want the reply in it, answering at %v", c.MentionCount, len(c.Mentions), c.FirstResponseAt, at)
	}
	// A third run finds nothing waiting and says nothing of it.
	if code, stdout, _ := run(t, env, "", "import", file); code != 0 || strings.Contains(stdout, "linked") {
		t.Fatalf("third import: exit %d, stdout %q", code, stdout)
	}
}
