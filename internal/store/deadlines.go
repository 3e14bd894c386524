package store

import (
	"context"
	"fmt"
	"time"

	"earshot/internal/model"
)

// CaseDeadlines is what the deadline report reads of one case: who
// handles it, where it came from, and its deadlines as they stand (the
// first response's due and answer columns, and the timers, with the
// records of how each deadline ended).
type CaseDeadlines struct {
	ID                                      int64
	Status                                  model.Status
	Platform, Channel, Team, Site, Assignee string
	Policy                                  string
	FirstResponseDue, FirstResponseAt       *time.Time
	Paused                                  bool
	Timers                                  []model.SLATimer
	// Intents are the case's intents, read only when asked for.
	Intents []string
}

// CaseDeadlinesOpened returns the cases opened in [from, to) that carry
// a deadline (an SLA policy or a first response due), narrowed by f, in
// opening order; with intents, each with its intents.
func (s *Store) CaseDeadlinesOpened(ctx context.Context, from, to time.Time, f SlotFilter, intents bool) ([]CaseDeadlines, error) {
	where, args := s.slotWhere(f, "", "c", []any{s.ts(from), s.ts(to)})
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.status, c.platform, c.channel, c.team, c.site, c.assignee, c.sla_policy,
		c.first_response_due, c.first_response_at, c.sla_paused_at, c.sla_timers
		FROM `+s.indexedBy("cases", "c", "cases_created")+` WHERE c.created_at >= $1 AND c.created_at < $2 AND (c.sla_policy <> '' OR c.first_response_due IS NOT NULL)`+where+`
		ORDER BY c.created_at, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("case deadlines: %w", err)
	}
	defer rows.Close()
	var out []CaseDeadlines
	for rows.Next() {
		var c CaseDeadlines
		var due, first, paused dbTime
		var timers string
		if err := rows.Scan(&c.ID, &c.Status, &c.Platform, &c.Channel, &c.Team, &c.Site, &c.Assignee, &c.Policy,
			&due, &first, &paused, &timers); err != nil {
			return nil, fmt.Errorf("case deadlines: %w", err)
		}
		c.FirstResponseDue, c.FirstResponseAt, c.Paused = due.ptr(), first.ptr(), paused.Valid
		if c.Timers, err = decodeTimers(timers); err != nil {
			return nil, fmt.Errorf("case deadlines: SLA timers of case %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("case deadlines: %w", err)
	}
	if !intents || len(out) == 0 {
		return out, nil
	}
	byID := make(map[int64]int, len(out))
	for i, c := range out {
		byID[c.ID] = i
	}
	rows, err = s.read.QueryContext(ctx, `SELECT ci.case_id, ci.intent FROM case_intents ci JOIN cases c ON c.id = ci.case_id
		WHERE c.created_at >= $1 AND c.created_at < $2 ORDER BY ci.case_id, ci.intent`, s.ts(from), s.ts(to))
	if err != nil {
		return nil, fmt.Errorf("case deadlines: intents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var intent string
		if err := rows.Scan(&id, &intent); err != nil {
			return nil, fmt.Errorf("case deadlines: intents: %w", err)
		}
		if i, ok := byID[id]; ok {
			out[i].Intents = append(out[i].Intents, intent)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("case deadlines: intents: %w", err)
	}
	return out, nil
}
