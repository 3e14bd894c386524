package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"earshot/internal/model"
)

// AuthorRow is an author to create or refresh on a platform.
type AuthorRow struct {
	Platform string
	Author   model.Author
}

// UpsertAuthors creates or refreshes authors, many a statement, and
// returns their ids in the order of rows. Rows must differ by platform
// and key (one statement may not change a row twice).
func (b *Batch) UpsertAuthors(ctx context.Context, rows []AuthorRow, now time.Time) ([]int64, error) {
	ids := make([]int64, len(rows))
	at := make(map[[2]string]int, len(rows))
	for i, r := range rows {
		k := [2]string{r.Platform, r.Author.Key()}
		if _, dup := at[k]; dup {
			return nil, fmt.Errorf("upsert authors: %s/%s given twice", r.Platform, k[1])
		}
		at[k] = i
	}
	updated := b.s.ts(now)
	if b.Locking() {
		// In one order in every batch, so that two writing the same
		// authors wait for each other rather than deadlock.
		rows = slices.SortedFunc(slices.Values(rows), func(x, y AuthorRow) int {
			return cmp.Or(strings.Compare(x.Platform, y.Platform), strings.Compare(x.Author.Key(), y.Author.Key()))
		})
	}
	for chunk := range slices.Chunk(rows, authorChunk) {
		args := make([]any, 0, 11*len(chunk))
		for _, r := range chunk {
			a := r.Author
			args = append(args, r.Platform, a.Key(), a.ID, a.Handle, a.Name, a.Followers, a.Following, a.Posts, a.Verified, a.Location, updated)
		}
		// RETURNING gives rows in no set order: match them by key.
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"upsert authors", uint64(n)}, func() string {
			return `INSERT INTO authors (platform, key, ext_id, handle, name, followers, following, posts, verified, location, updated_at)
			VALUES ` + b.s.valuesList(n, 11) + `
			ON CONFLICT (platform, key) DO UPDATE SET
				ext_id = excluded.ext_id, handle = excluded.handle, name = excluded.name,
				followers = excluded.followers, following = excluded.following, posts = excluded.posts,
				verified = excluded.verified, location = excluded.location, updated_at = excluded.updated_at
			RETURNING platform, key, id`
		})
		if err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		rs, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		got := 0
		for rs.Next() {
			var k [2]string
			var id int64
			if err := rs.Scan(&k[0], &k[1], &id); err != nil {
				rs.Close()
				return nil, fmt.Errorf("upsert authors: %w", err)
			}
			i, ok := at[k]
			if !ok {
				rs.Close()
				return nil, fmt.Errorf("upsert authors: the store returned %s/%s, which was not asked for", k[0], k[1])
			}
			ids[i] = id
			got++
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("upsert authors: %w", err)
		}
		if got != len(chunk) {
			return nil, fmt.Errorf("upsert authors: %d of %d written", got, len(chunk))
		}
	}
	return ids, nil
}

// authorChunk is how many authors one upsert statement writes.
const authorChunk = 200

// AuthorID returns the id of the author stored on platform under key
// (model.Author.Key), and whether there is one. The threader asks it for
// the person one of our direct messages is addressed to.
func (b *Batch) AuthorID(ctx context.Context, platform, key string) (int64, bool, error) {
	return b.idOf(ctx, "read author", `SELECT id FROM authors WHERE platform = $1 AND key = $2`, platform, key)
}
