package cli

import (
	"context"
	"flag"

	"earshot/internal/analyze"
	"earshot/internal/app"
	"earshot/internal/store"
)

// storeFlags are the flags of every command that touches the store.
type storeFlags struct {
	data        string
	databaseURL string
}

func addStoreFlags(fs *flag.FlagSet) *storeFlags {
	sf := &storeFlags{}
	fs.StringVar(&sf.data, "data", "./earshot-data", "directory of the embedded SQLite store (env EARSHOT_DATA)")
	fs.StringVar(&sf.databaseURL, "database-url", "", "postgres://... to use PostgreSQL instead of SQLite (env EARSHOT_DATABASE_URL)")
	return sf
}

// openStore opens and migrates the store the flags name.
func openStore(ctx context.Context, env *Env, sf *storeFlags) (*store.Store, error) {
	st, err := store.Open(ctx, store.Config{DataDir: sf.data, DatabaseURL: sf.databaseURL, Logger: env.Logger})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// sentimentModelName is the analyzer model an organisation trains.
const sentimentModelName = app.SentimentModel

// loadAnalyzer returns the analyzer with the organisation's trained
// sentiment model when one is stored, else the built-in one.
func loadAnalyzer(ctx context.Context, st *store.Store) (*analyze.Analyzer, error) {
	an, _, err := app.LoadAnalyzer(ctx, st)
	return an, err
}
