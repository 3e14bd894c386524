package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/store"
)

// TestImportRefusesMentionsFromTheFuture imports the review's mention
// dated 9999-12-31 among mentions of the same author: it is refused by
// line and field, and the others, before and in a later import, are
// stored and read.
func TestImportRefusesMentionsFromTheFuture(t *testing.T) {
	env, cfg := storeEnv(t)
	now := time.Now().UTC()
	line := func(id, at string) string {
		return fmt.Sprintf(`{"platform":"x","external_id":%q,"text":"my claim was denied, please help","created_at":%q,"author":{"handle":"mallory"}}`+"\n", id, at)
	}
	input := line("1", now.Add(-time.Hour).Format(time.RFC3339)) + line("2", "9999-12-31T23:59:59Z")
	code, out, stderr := run(t, env, input, "import", "-")
	if code != 1 || !strings.Contains(out, "read 2, new 1, duplicate 0, rejected 1") ||
		!strings.Contains(stderr, "line 2: created_at: 9999-12-31T23:59:59Z is in the future") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	// The author writes again, in a later import.
	if code, out, stderr := run(t, env, line("3", now.Format(time.RFC3339)), "import", "-"); code != 0 || !strings.Contains(out, "read 1, new 1") {
		t.Fatalf("a later mention of the same author: %d %q %q", code, out, stderr)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cases, _, err := st.ListCases(ctx, store.CaseFilter{Q: "denied"})
	if err != nil {
		t.Fatalf("search the author's cases: %v", err)
	}
	mentions := 0
	for _, c := range cases {
		full, err := st.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatalf("read case %d: %v", c.ID, err)
		}
		mentions += len(full.Mentions)
	}
	if mentions != 2 {
		t.Fatalf("the author's cases hold %d mentions, want 2", mentions)
	}
}
