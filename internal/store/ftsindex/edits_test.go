package ftsindex

import (
	"context"
	"slices"
	"testing"
	"time"
)

// edit gives mention id the text, numbering the edit as the store does,
// and returns the edit's number.
func (s *source) edit(t *testing.T, id int64, text string) int64 {
	t.Helper()
	var seq int64
	if err := s.db.QueryRow(`UPDATE mentions SET text = ?, edit = (SELECT COALESCE(MAX(edit), 0) + 1 FROM mentions) WHERE id = ? RETURNING edit`,
		text, id).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// edits is the EditSource of the index: the mentions edited after after.
func (s *source) edits(ctx context.Context, after int64, limit int) ([]Edit, error) {
	rs, err := s.db.QueryContext(ctx, `SELECT edit, id, text, author FROM mentions WHERE edit > ? ORDER BY edit LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []Edit
	for rs.Next() {
		var e Edit
		if err := rs.Scan(&e.Seq, &e.ID, &e.Text, &e.Author); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rs.Err()
}

// foundEdited waits for the index to hold the mentions up to upto and
// the edits up to seq, and returns the ids it finds for q, newest first.
func foundEdited(t *testing.T, x *Index, upto, seq int64, q string) []int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := x.WaitForEdit(ctx, seq); err != nil {
		t.Fatalf("wait for edit %d: %v", seq, err)
	}
	return found(t, x, upto, q)
}

// TestIndexFollowsEdits edits indexed mentions, one of them twice: search
// finds their new words and not their old ones.
func TestIndexFollowsEdits(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 0)
	x.Add(src.add(t, 20, "denied"))
	found(t, x, src.next, "denied")
	src.edit(t, 5, "approved at last")
	src.edit(t, 7, "approved too")
	seq := src.edit(t, 7, "resolved by phone")
	x.Notify()
	if got := foundEdited(t, x, src.next, seq, "approved"); !slices.Equal(got, []int64{5}) {
		t.Errorf("search for an edit's new word found %v, want [5]", got)
	}
	if got := foundEdited(t, x, src.next, seq, "resolved phone"); !slices.Equal(got, []int64{7}) {
		t.Errorf("search for the second edit's words found %v, want [7]", got)
	}
	got := foundEdited(t, x, src.next, seq, "denied")
	if len(got) != 18 || slices.Contains(got, 5) || slices.Contains(got, 7) {
		t.Errorf("search for the old word found %v, want the 18 mentions not edited", got)
	}
	if got := foundEdited(t, x, src.next, seq, "member Pat"); len(got) != 20 {
		t.Errorf("search for the authors found %d mentions, want all 20", len(got))
	}
}

// TestIndexTakesAnEditBeforeItsMention edits a mention committed but not
// indexed yet, and hands the index its first, older, text: once indexed,
// the mention is found by its edited words only.
func TestIndexTakesAnEditBeforeItsMention(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 0)
	rows := src.add(t, 10, "denied")
	seq := src.edit(t, 10, "approved at last")
	x.Add(rows) // as the writer hands them: 10 with the old text
	if got := foundEdited(t, x, src.next, seq, "approved"); !slices.Equal(got, []int64{10}) {
		t.Errorf("search for the edited words found %v, want [10]", got)
	}
	if got := foundEdited(t, x, src.next, seq, "denied"); len(got) != 9 || slices.Contains(got, 10) {
		t.Errorf("search for the old words found %v, want 9 to 1", got)
	}
}

// TestIndexCatchesUpEditsAfterRestart commits edits while no index runs,
// as after a crash between an edit and its indexing: the next index
// opened takes them, and only them.
func TestIndexCatchesUpEditsAfterRestart(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 0)
	x.Add(src.add(t, 30, "denied"))
	seq := src.edit(t, 3, "approved")
	foundEdited(t, x, src.next, seq, "approved")
	x.Stop()

	src.edit(t, 3, "resolved")
	seq = src.edit(t, 12, "resolved as well")
	x = openIndex(t, dir, src, 0)
	if got := foundEdited(t, x, src.next, seq, "resolved"); !slices.Equal(got, []int64{12, 3}) {
		t.Errorf("after restart search for the edits' words found %v, want [12 3]", got)
	}
	if got := foundEdited(t, x, src.next, seq, "approved"); len(got) != 0 {
		t.Errorf("after restart search for a replaced edit found %v, want nothing", got)
	}
	if got := foundEdited(t, x, src.next, seq, "denied"); len(got) != 28 {
		t.Errorf("after restart search for the old word found %d mentions, want 28", len(got))
	}
	if n := x.Indexed(); n != 0 {
		t.Errorf("after restart %d mentions were indexed anew, want none", n)
	}
}
