package report

import (
	"context"
	"fmt"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

// PraiseItem is one mention of a window's praise.
type PraiseItem struct {
	// Text is masked of health information, as a viewer reads it:
	// praise is shared with staff beyond those who work cases.
	store.Praise
	// Starred is true for a mention starred onto the praise wall, false
	// for one suggested as among the most positive of the window.
	Starred bool
}

// Praise returns the praise of [from, to), at most limit: the mentions
// starred onto the praise wall in the window, newest star first; then,
// when fewer than limit were starred, the most positive inbound mentions
// made in the window (sentiment positive, highest score first) that are
// not on the wall and have words, as suggestions. Texts are masked of health
// information.
func (r *Reports) Praise(ctx context.Context, from, to time.Time, limit int) ([]PraiseItem, error) {
	if limit <= 0 {
		return []PraiseItem{}, nil
	}
	starred, err := r.st.PraiseStarredIn(ctx, from, to, limit)
	if err != nil {
		return nil, fmt.Errorf("praise: %w", err)
	}
	out := make([]PraiseItem, 0, limit)
	for _, p := range starred {
		out = append(out, PraiseItem{Praise: p, Starred: true})
	}
	if len(out) < limit {
		more, err := r.st.PositiveMentions(ctx, from, to, limit-len(out))
		if err != nil {
			return nil, fmt.Errorf("praise: %w", err)
		}
		for _, p := range more {
			out = append(out, PraiseItem{Praise: p})
		}
	}
	masked := r.redact().For(model.RoleViewer)
	for i := range out {
		out[i].Text, _ = masked.Text(out[i].Text, nil)
	}
	return out, nil
}
