package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"earshot/internal/model"
)

// SlotFilter narrows the slots counted; an empty field does not narrow.
// Platform and Channel are the mention's (a case's, for cases); Team,
// Site, Agent (the assignee) and Intent are those of the case.
type SlotFilter struct {
	Platform, Channel, Team, Site, Intent, Agent string
}

// SlotWidth is the width of the slots that series are counted in: a
// quarter hour, so that they fold into the days and weeks of any time
// zone (every zone's offset is a whole number of quarter hours).
const SlotWidth = 15 * time.Minute

// MentionSlot counts the mentions made in one quarter hour.
type MentionSlot struct {
	Start                       time.Time
	Inbound, Outbound           int64
	Positive, Neutral, Negative int64 // inbound only
}

// CaseSlot describes the cases opened in one quarter hour.
type CaseSlot struct {
	Start        time.Time
	Opened       int64
	NeedResponse int64
	Responded    int64
	// FirstResponseMinutes are the first-response times of the
	// responded cases, in no order.
	FirstResponseMinutes []float64
}

// slotExpr is the SQL for the start of the quarter hour of col, as text
// on SQLite (its stored form cut to the minute) and as a timestamptz on
// PostgreSQL.
func (s *Store) slotExpr(col string) string {
	if s.engine == SQLite {
		return `substr(` + col + `, 1, 14) || printf('%02d', (CAST(substr(` + col + `, 15, 2) AS INTEGER) / 15) * 15)`
	}
	return `date_bin('15 minutes', ` + col + `, TIMESTAMPTZ '2000-01-01 00:00:00+00')`
}

// parseSlot reads a slot start as slotExpr writes it.
func parseSlot(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case string:
		return time.Parse("2006-01-02T15:04", t)
	case []byte:
		return time.Parse("2006-01-02T15:04", string(t))
	}
	return time.Time{}, fmt.Errorf("slot of type %T", v)
}

// slotWhere writes the filter's conditions on mention alias m (or none)
// and case alias c, numbering parameters from next.
func (s *Store) slotWhere(f SlotFilter, m, c string, args []any) (string, []any) {
	var b strings.Builder
	add := func(col, v string) {
		if v == "" {
			return
		}
		args = append(args, v)
		fmt.Fprintf(&b, " AND %s = $%d", col, len(args))
	}
	own := c
	if m != "" {
		own = m
	}
	add(own+".platform", f.Platform)
	add(own+".channel", f.Channel)
	add(c+".team", f.Team)
	add(c+".site", f.Site)
	add(c+".assignee", f.Agent)
	if f.Intent != "" {
		args = append(args, f.Intent)
		fmt.Fprintf(&b, " AND EXISTS (SELECT 1 FROM case_intents ci WHERE ci.case_id = %s.id AND ci.intent = $%d)", c, len(args))
	}
	return b.String(), args
}

// MentionSlots counts the mentions of [from, to) per quarter hour, the
// slots with none left out, in time order.
func (s *Store) MentionSlots(ctx context.Context, from, to time.Time, f SlotFilter) ([]MentionSlot, error) {
	join := ""
	if f.Team != "" || f.Site != "" || f.Agent != "" || f.Intent != "" {
		join = " JOIN cases c ON c.id = m.case_id"
	}
	where, args := s.slotWhere(f, "m", "c", []any{s.ts(from), s.ts(to)})
	rows, err := s.read.QueryContext(ctx, `SELECT `+s.slotExpr("m.created_at")+` AS slot, m.direction, m.sentiment, COUNT(*)
		FROM mentions m`+join+` WHERE m.created_at >= $1 AND m.created_at < $2`+where+`
		GROUP BY slot, m.direction, m.sentiment ORDER BY slot`, args...)
	if err != nil {
		return nil, fmt.Errorf("mention slots: %w", err)
	}
	defer rows.Close()
	var out []MentionSlot
	for rows.Next() {
		var slot any
		var direction, sentiment string
		var n int64
		if err := rows.Scan(&slot, &direction, &sentiment, &n); err != nil {
			return nil, fmt.Errorf("mention slots: %w", err)
		}
		start, err := parseSlot(slot)
		if err != nil {
			return nil, fmt.Errorf("mention slots: %w", err)
		}
		if len(out) == 0 || !out[len(out)-1].Start.Equal(start) {
			out = append(out, MentionSlot{Start: start})
		}
		ms := &out[len(out)-1]
		if direction == model.DirectionOutbound {
			ms.Outbound += n
			continue
		}
		ms.Inbound += n
		switch sentiment {
		case model.SentimentPositive:
			ms.Positive += n
		case model.SentimentNegative:
			ms.Negative += n
		default:
			ms.Neutral += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mention slots: %w", err)
	}
	return out, nil
}

// CaseSlots describes the cases opened in [from, to) per quarter hour,
// the slots with none left out, in time order.
func (s *Store) CaseSlots(ctx context.Context, from, to time.Time, f SlotFilter) ([]CaseSlot, error) {
	where, args := s.slotWhere(f, "", "c", []any{s.ts(from), s.ts(to)})
	rows, err := s.read.QueryContext(ctx, `SELECT `+s.slotExpr("c.created_at")+` AS slot, c.created_at, c.first_response_due, c.first_response_at
		FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2`+where+` ORDER BY c.created_at`, args...)
	if err != nil {
		return nil, fmt.Errorf("case slots: %w", err)
	}
	defer rows.Close()
	var out []CaseSlot
	for rows.Next() {
		var slot any
		var created, due, first dbTime
		if err := rows.Scan(&slot, &created, &due, &first); err != nil {
			return nil, fmt.Errorf("case slots: %w", err)
		}
		start, err := parseSlot(slot)
		if err != nil {
			return nil, fmt.Errorf("case slots: %w", err)
		}
		if len(out) == 0 || !out[len(out)-1].Start.Equal(start) {
			out = append(out, CaseSlot{Start: start})
		}
		cs := &out[len(out)-1]
		cs.Opened++
		if !due.Valid {
			continue
		}
		cs.NeedResponse++
		if first.Valid {
			cs.Responded++
			cs.FirstResponseMinutes = append(cs.FirstResponseMinutes, max(0, first.T.Sub(created.T).Minutes()))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("case slots: %w", err)
	}
	return out, nil
}
