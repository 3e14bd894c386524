// Package cli implements the earshot command line: one file per
// subcommand, shared flag handling that reads EARSHOT_<NAME> environment
// variables, and graceful shutdown.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
)

// Env is what a subcommand may touch of the outside world. Tests build
// one with buffers; main builds one from the process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable; nil means none are set.
	Getenv func(string) string
	Logger *slog.Logger
}

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// errUsage marks an error caused by bad command-line use; it exits 2.
var errUsage = errors.New("usage")

func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"run the web app and API", runServe},
		"import":   {"read JSON Lines mentions through the pipeline", runImport},
		"generate": {"write synthetic healthcare mentions as JSON Lines", runGenerate},
		"analyze":  {"add an analysis to each JSON Lines row on stdin", runAnalyze},
		"eval":     {"measure analysis against labelled JSON Lines", runEval},
		"train":    {"fit a sentiment model on labelled JSON Lines", runTrain},
		"user":     {"manage users (user add)", runUser},
		"token":    {"manage API tokens (token create)", runToken},
		"migrate":  {"apply database migrations", runMigrate},
		"apply":    {"apply an organisation file (apply -f org.yaml)", runApply},
	}
}

// Run executes the command line args (without the program name) and
// returns the process exit code.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Logger == nil {
		env.Logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "earshot: unknown command %q\n\n", args[0])
		printUsage(env.Stderr, cmds)
		return 2
	}
	if err := c.run(ctx, env, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "earshot %s: %v\n", args[0], err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func printUsage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: earshot <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'earshot <command> -h' for a command's flags.")
}

// parseFlags parses args with fs, allowing flags before and after
// positional arguments, then fills every flag not given on the command
// line from the environment variable EARSHOT_<NAME> (dashes become
// underscores). It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, env *Env, args []string) ([]string, error) {
	fs.SetOutput(env.Stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || envErr != nil {
			return
		}
		name := "EARSHOT_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := env.getenv(name); v != "" {
			if err := f.Value.Set(v); err != nil {
				envErr = fmt.Errorf("%w: environment %s=%q: %v", errUsage, name, v, err)
			}
		}
	})
	return pos, envErr
}

// OSEnv returns an Env bound to the running process.
func OSEnv() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}
