package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"earshot/internal/jobs"
	"earshot/internal/route"
	"earshot/internal/store"
)

// LoadOrg puts the stored organisation file in force in live when it is
// newer than the one live holds. It returns whether it changed anything.
func LoadOrg(ctx context.Context, st *store.Store, live *route.Live) (bool, error) {
	v, err := st.OrgVersion(ctx)
	if err != nil {
		return false, err
	}
	if v.IsZero() || v.Equal(live.Version()) {
		return false, nil
	}
	f, err := st.LoadOrg(ctx)
	if err != nil {
		return false, err
	}
	r, err := route.Compile(f.Org)
	if err != nil {
		return false, fmt.Errorf("organisation file applied at %s: %w", f.AppliedAt, err)
	}
	live.Set(r, f.AppliedAt)
	return true, nil
}

// orgReload returns a sweep that reloads the organisation file when
// `earshot apply` (in any process) changed it.
func orgReload(st *store.Store, live *route.Live, logger *slog.Logger) jobs.Sweep {
	return func(ctx context.Context, _ time.Time) error {
		changed, err := LoadOrg(ctx, st, live)
		if changed {
			logger.Info("organisation file reloaded", "organization", live.Router().Org().Organization, "applied_at", live.Version())
		}
		return err
	}
}
