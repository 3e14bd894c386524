package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"earshot/internal/accounts"
	"earshot/internal/model"
)

func runToken(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "token", []subcommand{
		{"create", "create an API token and print it once", runTokenCreate},
		{"list", "list API tokens (never their secrets)", runTokenList},
		{"revoke", "revoke an API token by id: refused at once", runTokenRevoke},
	}, args)
}

func runTokenCreate(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "token create --name N --role R [flags]", "Creates an API token and prints it once. Roles: "+strings.Join(model.Roles, ", ")+" (integration may only ingest).")
	name := fs.String("name", "", "what the token is for (required)")
	role := fs.String("role", "", "one of "+strings.Join(model.Roles, ", ")+" (required)")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if err := noArgs("token create", pos); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usageErrorf("--name is required")
	}
	if err := accounts.CheckTokenRole(*role); err != nil {
		return accountError(err)
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	m := &accounts.Manager{Store: st}
	t, secret, err := m.CreateToken(ctx, cliActor(env), *name, *role)
	if err != nil {
		return accountError(err)
	}
	fmt.Fprintln(env.Stdout, secret)
	fmt.Fprintf(env.Stderr, "token %d %q (%s) created; it is shown only this once\n", t.ID, t.Name, t.Role)
	return nil
}

func runTokenList(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "token list [flags]", "Lists API tokens: id, name, role, when created, last used (to the minute) and revoked. Secrets are never shown: only their hashes are kept.")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if err := noArgs("token list", pos); err != nil {
		return err
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.ListTokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED\tLAST USED\tREVOKED")
	for _, t := range ts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, cliTime(&t.CreatedAt), cliTime(t.LastUsedAt), cliTime(t.RevokedAt))
	}
	return tw.Flush()
}

// cliTime writes a time for a listing, "-" for none.
func cliTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

func runTokenRevoke(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "token revoke ID [flags]", "Revokes the API token ID (see earshot token list). Every replica refuses it from its next request on.")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("token revoke takes one token id (see earshot token list), got %d arguments", len(pos))
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageErrorf("token id must be a whole number such as 3 (see earshot token list), got %q", pos[0])
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	m := &accounts.Manager{Store: st}
	if err := m.RevokeToken(ctx, cliActor(env), id); err != nil {
		return accountError(err)
	}
	fmt.Fprintf(env.Stdout, "token %d revoked\n", id)
	return nil
}
