// Package cli implements the earshot command line: one file per
// subcommand and shared flag handling that reads EARSHOT_<NAME>
// environment variables. serve checks its settings, makes the first-start
// admin and the demo, and leaves the running server to package app.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
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

// errShown marks an error already written to stderr (the flag package
// prints its own), so that Run does not print it again.
var errShown = errors.New("shown")

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
		"user":     {"manage people (user add|list|set-role|deactivate|reactivate|reset-password)", runUser},
		"token":    {"manage API tokens (token create|list|revoke)", runToken},
		"migrate":  {"apply database migrations", runMigrate},
		"apply":    {"apply an organisation file (apply -f org.yaml)", runApply},
		"report":   {"the weekly report email: preview it or send it now (report weekly)", runReport},
	}
}

// Run executes the command line args (without the program name) and
// returns the process exit code.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Logger == nil {
		env.Logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	cmds := commands()
	switch {
	case len(args) == 0:
		printUsage(env.Stderr, cmds)
		return 2
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		if len(args) > 1 && args[0] == "help" {
			if _, ok := cmds[args[1]]; ok {
				// earshot help import is earshot import -h, on stdout.
				return Run(ctx, &Env{Stdin: env.Stdin, Stdout: env.Stdout, Stderr: env.Stdout, Getenv: env.Getenv, Logger: env.Logger}, []string{args[1], "-h"})
			}
			fmt.Fprintf(env.Stderr, "earshot: unknown command %q\n\n", args[1])
			printUsage(env.Stderr, cmds)
			return 2
		}
		printUsage(env.Stdout, cmds)
		return 0
	case args[0] == "version" || args[0] == "--version":
		fmt.Fprintln(env.Stdout, "earshot", version())
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
		if !errors.Is(err, errShown) {
			fmt.Fprintf(env.Stderr, "earshot %s: %v\n", args[0], err)
		}
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
	fmt.Fprintf(w, "  %-9s %s\n", "version", "print the version")
	fmt.Fprintln(w, "\nRun 'earshot help <command>' for a command's flags.")
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
			// The flag package has printed the error and the usage.
			return nil, fmt.Errorf("%w: %w: %v", errUsage, errShown, err)
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

// version is the module version and, for a build from a checkout, its
// commit and whether it had changes.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + dirty
	}
	return v + " " + bi.GoVersion
}

// usage sets fs's help text: a synopsis line and a description, then the
// flags.
func usage(fs *flag.FlagSet, synopsis, description string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: earshot %s\n\n%s\n\nflags:\n", synopsis, description)
		fs.PrintDefaults()
	}
}
