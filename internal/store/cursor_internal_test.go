package store

import (
	"errors"
	"testing"
)

func TestDecodeCursor(t *testing.T) {
	for _, c := range []cursor{
		{Rank: beforeFirstRank},
		{Rank: 3, Due: 1_772_355_600_000_000, ID: 42},
		{Rank: 0, Due: -1, ID: 1, Hi: 900, Top: 1001},
		{Rank: beforeFirstRank, Hi: 0, Top: 1},
	} {
		got, err := decodeCursor(c.encode())
		if err != nil || got != c {
			t.Errorf("decodeCursor(%q) = %+v, %v; want %+v", c.encode(), got, err, c)
		}
	}
	for _, s := range []string{"", "zz!!", "a\x00b", "bm90IGEgY3Vyc29y", "MS4y", "MS4yLjMuOS4x", "MS4yLjMuLTEuNQ"} {
		if _, err := decodeCursor(s); !errors.Is(err, ErrBadCursor) {
			t.Errorf("decodeCursor(%q) = %v, want ErrBadCursor", s, err)
		}
	}
}

// FuzzDecodeCursor holds the cursor decoder (every GET /api/v1/cases and
// inbox page with a cursor) to: ErrBadCursor for what it cannot read,
// else a cursor that encodes to one decoding to the same.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(cursor{Rank: 3, Due: 1_772_355_600_000_000, ID: 42}.encode())
	f.Add(cursor{Rank: beforeFirstRank, Hi: 900, Top: 1001}.encode())
	f.Add("MS4yLjMuOS4x")
	f.Add("zz!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("decodeCursor(%q) = %v, want ErrBadCursor", s, err)
			}
			return
		}
		if c.Hi < 0 || c.Top < 0 || c.Hi > c.Top {
			t.Fatalf("decodeCursor(%q) = %+v: a search window out of order", s, c)
		}
		again, err := decodeCursor(c.encode())
		if err != nil || again != c {
			t.Fatalf("decodeCursor(%q) = %+v, which encodes to %q, read back as %+v, %v", s, c, c.encode(), again, err)
		}
	})
}
