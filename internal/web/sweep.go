package web

import (
	"context"
	"errors"
	"time"
)

// Run does the web app's background upkeep until ctx ends: it deletes
// expired sessions and old sign-in failures at start and then every
// Config.SweepInterval. Start it beside the HTTP server with the server's
// context.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.SweepInterval)
	defer t.Stop()
	for {
		s.sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweep deletes the sessions that ended by now and the sign-in failures
// past forgetting, keeping at most maxFailureRows of those; failures are
// logged and retried at the next sweep.
func (s *Server) sweep(ctx context.Context) {
	now := s.cfg.Now().UTC()
	n, err := s.cfg.Store.DeleteExpiredSessions(ctx, now, now.Add(-s.cfg.SessionMaxAge))
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		s.cfg.Logger.Error("delete expired sessions", "err", err)
	case n > 0:
		s.cfg.Logger.Info("deleted expired sessions", "count", n)
	}
	n, err = s.cfg.Store.DeleteLoginFailures(ctx, now.Add(-forgetAfter), maxFailureRows)
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		s.cfg.Logger.Error("delete old sign-in failures", "err", err)
	case n > 0:
		s.cfg.Logger.Info("deleted old sign-in failures", "count", n)
	}
}
