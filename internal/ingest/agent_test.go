package ingest

import (
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/route"
	"earshot/internal/store"
)

// agentAt is an agent acting on st at `at`, through the cases service,
// with the deadlines of live (nil: no organisation file).
func agentAt(st *store.Store, live *route.Live, at time.Time) *cases.Service {
	return cases.NewService(st, live, guard.New(analyze.New()), func() time.Time { return at })
}
