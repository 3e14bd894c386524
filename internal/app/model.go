package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/jobs"
	"earshot/internal/store"
)

// SentimentModel names the stored sentiment model that earshot train
// writes and serve, import and analyze read.
const SentimentModel = "sentiment"

// LoadAnalyzer returns the analyzer with the organisation's stored
// sentiment model, or the built-in one when none is stored, and the
// stored model's stamp ("" for the built-in one).
func LoadAnalyzer(ctx context.Context, st *store.Store) (*analyze.Analyzer, string, error) {
	stamp, err := st.ModelStamp(ctx, SentimentModel)
	if errors.Is(err, store.ErrNotFound) {
		return analyze.New(), "", nil
	}
	if err != nil {
		return nil, "", err
	}
	blob, err := st.GetModel(ctx, SentimentModel)
	if errors.Is(err, store.ErrNotFound) {
		return analyze.New(), "", nil
	}
	if err != nil {
		return nil, "", err
	}
	m, err := analyze.DecodeModel(blob)
	if err != nil {
		return nil, "", fmt.Errorf("stored %s model: %w", SentimentModel, err)
	}
	return analyze.NewWithModel(m), stamp, nil
}

// modelReload returns a sweep that puts a newly stored sentiment model
// (earshot train, in any process) in force through set. stamp is that of
// the model in force when the sweep starts. A model that fails to load
// leaves the one in force and is retried on the next tick.
func modelReload(st *store.Store, stamp string, set func(*analyze.Analyzer), logger *slog.Logger) jobs.Sweep {
	return func(ctx context.Context, _ time.Time) error {
		now, err := st.ModelStamp(ctx, SentimentModel)
		if errors.Is(err, store.ErrNotFound) {
			now, err = "", nil
		}
		if err != nil || now == stamp {
			return err
		}
		an, loaded, err := LoadAnalyzer(ctx, st)
		if err != nil {
			return err
		}
		set(an)
		stamp = loaded
		if loaded == "" {
			logger.Info("sentiment model removed; analysing with the built-in model")
		} else {
			logger.Info("sentiment model reloaded", "stored_at", loaded)
		}
		return nil
	}
}
