package cli

import (
	"context"
	"fmt"
	"time"

	"earshot/internal/auth"
	"earshot/internal/generate"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/store"
)

// Demo pacing: a week of history on first start, then a new mention every
// few seconds.
const (
	demoHistory  = 2000
	demoInterval = 4 * time.Second
)

// runDemo seeds an empty store with a week of generated mentions and a
// demo API token, then streams a generated mention every few seconds
// until ctx ends. baseURL is where the server listens, for the hint it
// prints.
func runDemo(ctx context.Context, env *Env, st *store.Store, p *ingest.Pipeline, baseURL string) error {
	counts, err := st.Count(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if counts.Mentions == 0 {
		g := generate.New(generate.Options{Seed: 1, Start: now.Add(-7 * 24 * time.Hour), Days: 7, Count: demoHistory})
		batch := make([]model.Mention, 0, 500)
		for range demoHistory {
			m := g.Next()
			if m.CreatedAt.After(now) {
				break
			}
			batch = append(batch, m)
			if len(batch) == cap(batch) {
				if _, err := p.Ingest(ctx, batch); err != nil {
					return fmt.Errorf("seed demo data: %w", err)
				}
				batch = batch[:0]
			}
		}
		if _, err := p.Ingest(ctx, batch); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		secret, hash := auth.NewToken()
		if err := st.CreateToken(ctx, &model.Token{Name: "demo", Role: model.RoleAdmin, Hash: hash, CreatedAt: now}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Demo: seeded a week of mentions. Demo API token (admin): %s\n", secret)
		fmt.Fprintf(env.Stdout, "  try: curl -H 'Authorization: Bearer %s' '%s/api/v1/cases?limit=5'\n", secret, baseURL)
	}
	live := generate.New(generate.Options{Seed: now.UnixNano(), Start: now, PerDay: float64(24*time.Hour) / float64(demoInterval)})
	tick := time.NewTicker(demoInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		m := live.Next()
		m.CreatedAt = time.Now().UTC()
		if _, err := p.Ingest(ctx, []model.Mention{m}); err != nil {
			return fmt.Errorf("demo mention: %w", err)
		}
	}
}
