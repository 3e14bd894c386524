package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"earshot/internal/accounts"
	"earshot/internal/store"
)

// subcommand is one verb of a command with several (token, user).
type subcommand struct {
	name, summary string
	run           func(ctx context.Context, env *Env, args []string) error
}

// dispatch runs the subcommand args[0] of cmd, or prints the list of
// subcommands for -h, --help or help.
func dispatch(ctx context.Context, env *Env, cmd string, subs []subcommand, args []string) error {
	names := make([]string, len(subs))
	for i, sc := range subs {
		names[i] = sc.name
	}
	if len(args) == 0 {
		return usageErrorf("earshot %s needs a subcommand: %s (earshot %s -h for more)", cmd, strings.Join(names, ", "), cmd)
	}
	if a := args[0]; a == "-h" || a == "--help" || a == "help" {
		fmt.Fprintf(env.Stderr, "usage: earshot %s <subcommand> [flags]\n\nsubcommands:\n", cmd)
		for _, sc := range subs {
			fmt.Fprintf(env.Stderr, "  %-15s %s\n", sc.name, sc.summary)
		}
		fmt.Fprintf(env.Stderr, "\nRun 'earshot %s <subcommand> -h' for its flags.\n", cmd)
		return flag.ErrHelp
	}
	for _, sc := range subs {
		if sc.name == args[0] {
			return sc.run(ctx, env, args[1:])
		}
	}
	return usageErrorf("unknown subcommand %q of %s; want one of %s", args[0], cmd, strings.Join(names, ", "))
}

// noArgs refuses positional arguments to a subcommand that takes none.
func noArgs(name string, pos []string) error {
	if len(pos) > 0 {
		return usageErrorf("%s takes no arguments, got %q", name, pos[0])
	}
	return nil
}

// accountError makes a refused account change a usage error (exit 2)
// when the input was wrong, and names the flag; others exit 1.
func accountError(err error) error {
	var ie *accounts.InputError
	if errors.As(err, &ie) {
		return usageErrorf("--%s: %s", ie.Field, ie.Msg)
	}
	if errors.Is(err, store.ErrLastAdmin) {
		return fmt.Errorf("%w; make another person an admin first", err)
	}
	return err
}

// cliActor names whoever ran the command in the account trail.
func cliActor(env *Env) string {
	if u := env.getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// readPasswordFile reads a password from path ("-" for standard input),
// without its final line break.
func readPasswordFile(env *Env, path string) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(env.Stdin, 4096))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("read password file: %w", err)
	}
	password := strings.TrimRight(string(b), "\r\n")
	if password == "" {
		return "", usageErrorf("--password-file: %s is empty", path)
	}
	return password, nil
}
