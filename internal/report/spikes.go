package report

import "context"

// spikes finds the hours of q's window whose volume or negative share
// stood well above the usual for that hour and weekday.
//
// Interim: none yet; the spikes work fills it.
func (r *Reports) spikes(ctx context.Context, q Query) ([]Spike, error) {
	return []Spike{}, nil
}
