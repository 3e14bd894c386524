package web

import (
	"context"
	"errors"
	"time"
)

// Run does the web app's background upkeep until ctx ends: it deletes
// expired sessions at start and then every Config.SweepInterval. Start it
// beside the HTTP server with the server's context.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.SweepInterval)
	defer t.Stop()
	for {
		s.sweepSessions(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepSessions deletes the sessions that expired by now; failures are
// logged and retried at the next sweep.
func (s *Server) sweepSessions(ctx context.Context) {
	n, err := s.cfg.Store.DeleteExpiredSessions(ctx, s.cfg.Now().UTC())
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		s.cfg.Logger.Error("delete expired sessions", "err", err)
	case n > 0:
		s.cfg.Logger.Info("deleted expired sessions", "count", n)
	}
}
