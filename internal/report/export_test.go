package report

import "context"

// DeadlinesForTest exposes deadlines to the package's outside tests.
func DeadlinesForTest(ctx context.Context, r *Reports, q Query) (Deadlines, map[string]Deadlines, error) {
	return r.deadlines(ctx, q)
}

// SpikesForTest exposes spikes to the package's outside tests.
func SpikesForTest(ctx context.Context, r *Reports, q Query) ([]Spike, error) {
	return r.spikes(ctx, q)
}
