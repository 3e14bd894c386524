package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

// An import file whose reply of ours comes before the mention it
// answers (or an earlier import holding only the reply) ends with the
// reply in that mention's case, its first response set; importing the
// file again changes nothing.
func TestImportReplyBeforeParent(t *testing.T) {
	const reply = `{"platform":"x","external_id":"r1","direction":"outbound","in_reply_to":"m1","thread_id":"m1","text":"Sorry! Please DM us.","created_at":"2026-01-01T00:20:00Z","author":{"handle":"lonestar"}}` + "\n"
	const parent = `{"platform":"x","external_id":"m1","text":"My claim was denied twice and nobody calls back","created_at":"2026-01-01T00:00:00Z","author":{"handle":"ann"}}` + "\n"
	for _, tc := range []struct {
		name string
		// first, when set, is imported on its own before the file.
		first string
		want  string
	}{
		{name: "one file, reply line first", want: "new 2, duplicate 0"},
		{name: "reply imported earlier", first: reply, want: "new 1, duplicate 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, cfg := storeEnv(t)
			if tc.first != "" {
				if code, out, stderr := run(t, env, tc.first, "import", "-"); code != 0 || !strings.Contains(out, "new 1,") {
					t.Fatalf("import the reply: %d %q %q", code, out, stderr)
				}
			}
			file := filepath.Join(t.TempDir(), "mentions.jsonl")
			if err := os.WriteFile(file, []byte(reply+parent), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := run(t, env, "", "import", file)
			if code != 0 || !strings.Contains(out, tc.want) {
				t.Fatalf("import: %d %q %q, want %q", code, out, stderr, tc.want)
			}
			before := importedCase(t, cfg)
			if code, out, _ := run(t, env, "", "import", file, "--quiet"); code != 0 || !strings.Contains(out, "new 0, duplicate 2") {
				t.Fatalf("re-import: %d %q", code, out)
			}
			after := importedCase(t, cfg)
			if after.MentionCount != before.MentionCount || !after.UpdatedAt.Equal(before.UpdatedAt) || len(after.Events) != len(before.Events) {
				t.Errorf("re-import changed the case: %+v, was %+v", after, before)
			}
		})
	}
}

// importedCase reads the one case of the store cfg names and checks that
// it holds the parent, then our reply, answered at the reply's time.
func importedCase(t *testing.T, cfg store.Config) *model.Case {
	t.Helper()
	ctx := context.Background()
	cfg.SkipMigrate = true
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, _, err := st.ListCases(ctx, store.CaseFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d cases, want 1", len(cs))
	}
	c, err := st.GetCase(ctx, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range c.Mentions {
		got = append(got, m.ExternalID)
	}
	if want := time.Date(2026, 1, 1, 0, 20, 0, 0, time.UTC); c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(want) ||
		!slices.Equal(got, []string{"m1", "r1"}) || c.MentionCount != 2 || c.Status != model.StatusOpen {
		t.Errorf("case: mentions %q count %d status %s first response %v, want m1 and r1, open, answered at %v",
			got, c.MentionCount, c.Status, c.FirstResponseAt, want)
	}
	return c
}
