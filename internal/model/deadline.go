package model

import "time"

// Running reports whether the case's deadlines run: not while it waits
// on the member (paused) nor once it is resolved or closed.
func (c *Case) Running() bool {
	return c.SLAPausedAt == nil && c.Status != StatusResolved && c.Status != StatusClosed
}

// DeadlineDue returns the due time of one of the case's deadlines
// (DeadlineFirstResponse, DeadlineNextResponse, DeadlineResolution) while
// it waits to be met, whether or not it runs now: the first response
// until one is made, the next response and the resolution while set.
// It returns nil when there is no such deadline to meet.
func (c *Case) DeadlineDue(kind string) *time.Time {
	switch kind {
	case DeadlineFirstResponse:
		if c.FirstResponseAt == nil {
			return c.FirstResponseDue
		}
	case DeadlineNextResponse:
		return c.NextResponseDue
	case DeadlineResolution:
		return c.ResolutionDue
	}
	return nil
}

// DeadlineKinds returns a case's deadline kinds in the order the
// workspace shows them, which is also the order of deadlines due at the
// same instant.
func DeadlineKinds() [3]string {
	return [3]string{DeadlineFirstResponse, DeadlineNextResponse, DeadlineResolution}
}

// NextDeadline returns which of the case's running deadlines falls due
// first, and when; ok is false when none runs (see Running and
// DeadlineDue). The inbox is ordered by it.
func (c *Case) NextDeadline() (kind string, due time.Time, ok bool) {
	if !c.Running() {
		return "", time.Time{}, false
	}
	for _, k := range DeadlineKinds() {
		if d := c.DeadlineDue(k); d != nil && (!ok || d.Before(due)) {
			kind, due, ok = k, *d, true
		}
	}
	return kind, due, ok
}
