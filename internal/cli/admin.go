package cli

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "migrate [flags]", "Brings the store's schema up to date (serve and the other commands also do on start).")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("migrate takes no arguments, got %q", pos[0])
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(env.Stdout, "%s store is up to date\n", st.Engine())
	return nil
}
