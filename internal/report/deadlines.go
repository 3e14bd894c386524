package report

import "context"

// deadlines computes deadline performance for q: in all, and per group
// of q.GroupBy keyed as Summary's groups are.
//
// Interim: no figures yet; the deadlines work fills it.
func (r *Reports) deadlines(ctx context.Context, q Query) (Deadlines, map[string]Deadlines, error) {
	return Deadlines{ByKind: map[string]DeadlineCounts{}, ByTeam: map[string]DeadlineCounts{}, ByPolicy: map[string]DeadlineCounts{}}, nil, nil
}
