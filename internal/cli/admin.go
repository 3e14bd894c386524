package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
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

func runToken(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "token create --name N --role R [flags]", "Creates an API token and prints it once. Roles: "+strings.Join(model.Roles, ", ")+" (integration may only ingest).")
	if len(args) == 0 || args[0] != "create" {
		if askedHelp(fs, env, args) {
			return flag.ErrHelp
		}
		return usageErrorf("earshot token create --name N --role R")
	}
	name := fs.String("name", "", "what the token is for (required)")
	role := fs.String("role", "", "one of "+strings.Join(model.Roles, ", ")+" (required)")
	pos, err := parseFlags(fs, env, args[1:])
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageErrorf("token create takes no arguments, got %q", pos[0])
	case strings.TrimSpace(*name) == "":
		return usageErrorf("--name is required")
	case !model.ValidRole(*role):
		return usageErrorf("--role must be one of %s, got %q", strings.Join(model.Roles, ", "), *role)
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	secret, hash := auth.NewToken()
	t := &model.Token{Name: strings.TrimSpace(*name), Role: *role, Hash: hash, CreatedAt: time.Now().UTC()}
	if err := st.CreateToken(ctx, t); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, secret)
	fmt.Fprintf(env.Stderr, "token %q (%s) created; it is shown only this once\n", t.Name, t.Role)
	return nil
}

func runUser(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "user add --email E --role R [--password-file F] [flags]", "Adds a person who signs in to the web app.")
	if len(args) == 0 || args[0] != "add" {
		if askedHelp(fs, env, args) {
			return flag.ErrHelp
		}
		return usageErrorf("earshot user add --email E --role R [--password-file F]")
	}
	email := fs.String("email", "", "sign-in email (required)")
	role := fs.String("role", "", "admin, supervisor, agent or viewer (required)")
	name := fs.String("name", "", "display name")
	pwFile := fs.String("password-file", "", "file holding the password (- for standard input); without it one is generated and printed")
	pos, err := parseFlags(fs, env, args[1:])
	if err != nil {
		return err
	}
	e := strings.ToLower(strings.TrimSpace(*email))
	switch {
	case len(pos) > 0:
		return usageErrorf("user add takes no arguments, got %q", pos[0])
	case !validEmail(e):
		return usageErrorf("--email must be an email address such as name@example.org, got %q", *email)
	case !model.ValidRole(*role) || *role == model.RoleIntegration:
		return usageErrorf("--role must be admin, supervisor, agent or viewer, got %q", *role)
	}
	password, generated := "", false
	if *pwFile != "" {
		var b []byte
		var err error
		if *pwFile == "-" {
			b, err = io.ReadAll(io.LimitReader(env.Stdin, 4096))
		} else {
			b, err = os.ReadFile(*pwFile)
		}
		if err != nil {
			return fmt.Errorf("read password file: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	} else {
		password, generated = auth.NewPassword(), true
	}
	hash, err := auth.HashPassword(password, e)
	if err != nil {
		return usageErrorf("%v", err)
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	u := &model.User{Email: e, Name: *name, Role: *role, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := st.CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s (%s) created\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(env.Stdout, "password: %s\n", password)
	}
	return nil
}

// validEmail reports whether e is a plain address (local@domain, no
// display name, no spaces) of at most 254 bytes.
func validEmail(e string) bool {
	if len(e) > 254 || strings.ContainsAny(e, " \t<>") {
		return false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && domain != "" && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// askedHelp prints fs's usage and reports true when a command with
// subcommands (token, user) is called with -h, --help or help instead.
func askedHelp(fs *flag.FlagSet, env *Env, args []string) bool {
	if len(args) == 0 || (args[0] != "-h" && args[0] != "--help" && args[0] != "help") {
		return false
	}
	fs.SetOutput(env.Stderr)
	fs.Usage()
	return true
}
