package ftsindex

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"earshot/internal/input"
)

// ftsTable opens an in-memory index of the schema Open sets up.
func ftsTable(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	tb.Cleanup(func() { db.Close() })
	if err := setUpSchema(context.Background(), db); err != nil {
		tb.Fatal(err)
	}
	return db
}

// ftsFinds stores text as mention id and reports whether the search q
// finds it, or the error of the query.
func ftsFinds(db *sql.DB, id int64, text, q string) (bool, error) {
	if _, err := db.Exec(`INSERT INTO mentions_fts (rowid, text, author) VALUES (?, ?, '')`, id, text); err != nil {
		return false, err
	}
	var n int
	err := db.QueryRow(`SELECT COUNT(*) FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid = ?`, Query(q), id).Scan(&n)
	return n == 1, err
}

func TestFTSQuery(t *testing.T) {
	db := ftsTable(t)
	for i, tc := range []struct {
		text, q string
		found   bool
	}{
		{"Where is my ID card?", "id card", true},
		{"Where is my ID card?", `"ID" card*`, true},
		{"Where is my ID card?", "card OR", false}, // OR is a word here, not FTS5's operator
		{"cafe hours", "café", true},
		{"near the desk", "NEAR(desk", true},
		{"claim denied", "claim - denied", true},
		{"claim denied", "claim -- denied !", true},
		{"card", "🙂 card", true},
		{"a-b c", "a-b", true},
		{"claim denied", "claim -denied", true},
		{"claim denied", "^claim denied:", true},
	} {
		found, err := ftsFinds(db, int64(i+1), tc.text, tc.q)
		if err != nil || found != tc.found {
			t.Errorf("search %q in %q: found %v, %v; want %v", tc.q, tc.text, found, err, tc.found)
		}
	}
}

// FuzzFTSQuery holds Query to: whatever the
// doors let through as a search (input.Text), FTS5 reads the query, and a
// mention whose text is the search is found by it.
func FuzzFTSQuery(f *testing.F) {
	db := ftsTable(f)
	var id int64
	for _, q := range []string{"id card", `"ID" card*`, "NEAR(a b) OR -x AND ^y:", `a""b`, "café ü", "(((", "*", "'", "claim - denied", "🙂"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if input.Text("q", q, input.MaxFilterBytes) != nil || strings.TrimSpace(q) == "" {
			return // refused at the door, or no search
		}
		match := Query(q)
		if match == "" {
			if strings.ContainsFunc(q, tokenRune) {
				t.Fatalf("search %q has words, but no FTS5 query", q)
			}
			return // nothing to look for: the index is not asked
		}
		id++
		found, err := ftsFinds(db, id, q, q)
		if err != nil {
			t.Fatalf("search %q (FTS5 query %q): %v", q, match, err)
		}
		if !found {
			t.Fatalf("search %q (FTS5 query %q) does not find a mention of that very text", q, match)
		}
	})
}
