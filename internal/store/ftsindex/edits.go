package ftsindex

import (
	"context"
	"fmt"
	"slices"
)

// Edit is a mention whose text or author was edited: Seq is the edit's
// sequence number, Row the mention as it is now.
type Edit struct {
	Seq int64
	Row
}

// EditSource reads the edits numbered above after, in sequence order, at
// most limit of them: the newest edit of each mention, with its text as
// it is now.
type EditSource func(ctx context.Context, after int64, limit int) ([]Edit, error)

// editPass replaces, in one transaction, the words of up to passRows
// mentions edited since the edit mark and returns how many edits it
// read. It stops at an edit of a mention not indexed yet (above the
// mention mark): that mention's first indexing reads its text as edited,
// and the next pass, after it, takes the edit and those that follow.
func (x *Index) editPass(ctx context.Context) (int, error) {
	if x.edits == nil {
		return 0, nil
	}
	tx, err := x.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("index edits: %w", err)
	}
	defer tx.Rollback()
	var upto, edited int64
	if err := tx.QueryRowContext(ctx, `SELECT upto, edited FROM search_state`).Scan(&upto, &edited); err != nil {
		return 0, fmt.Errorf("index edits: read marks: %w", err)
	}
	edits, err := x.edits(ctx, edited, passRows)
	if err != nil {
		return 0, fmt.Errorf("index edits: read: %w", err)
	}
	n := 0
	for n < len(edits) && edits[n].ID <= upto {
		n++
	}
	if n > 0 {
		del, err := tx.PrepareContext(ctx, `DELETE FROM mentions_fts WHERE rowid = ?`)
		if err != nil {
			return 0, fmt.Errorf("index edits: %w", err)
		}
		defer del.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO mentions_fts (rowid, text, author) VALUES (?, ?, ?)`)
		if err != nil {
			return 0, fmt.Errorf("index edits: %w", err)
		}
		defer ins.Close()
		for chunk := range slices.Chunk(edits[:n], turnRows) {
			done := x.turn()
			for _, e := range chunk {
				if _, err = del.ExecContext(ctx, e.ID); err != nil {
					break
				}
				if _, err = ins.ExecContext(ctx, e.ID, e.Text, e.Author); err != nil {
					break
				}
			}
			done()
			if err != nil {
				return 0, fmt.Errorf("index edits: %w", err)
			}
		}
		edited = edits[n-1].Seq
		if _, err := tx.ExecContext(ctx, `UPDATE search_state SET edited = ?`, edited); err != nil {
			return 0, fmt.Errorf("index edits: move mark: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("index edits: %w", err)
		}
	}
	x.advanceEdits(edited)
	if n < len(edits) {
		return n, nil // an edit waits for its mention's first indexing
	}
	return len(edits), nil
}

// advanceEdits records that the index holds the edits up to seq.
func (x *Index) advanceEdits(seq int64) { x.raise(&x.edited, seq) }

// WaitForEdit returns once the index holds the edits numbered up to seq,
// or with ctx's error.
func (x *Index) WaitForEdit(ctx context.Context, seq int64) error {
	return x.wait(ctx, func() bool { return x.edited >= seq })
}
