package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"earshot/internal/org"
)

// runApply applies an organisation file: validated whole first, then
// written in one transaction.
func runApply(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	file := fs.String("f", "", "organisation file, YAML or JSON (- for standard input)")
	check := fs.Bool("check", false, "only validate the file")
	reach := addEgressFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: earshot apply -f FILE [flags]\n\nApplies an organisation file (teams, sites, people, hours, SLA policies, rules, alerts, templates,\nthe organisation's own contact details, the crisis protocol).\nApplying the same file twice changes nothing.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if *file == "" && len(pos) == 1 {
		*file = pos[0]
	} else if len(pos) > 0 {
		return usageErrorf("apply takes its file as -f FILE, got extra argument %q", pos[0])
	}
	if *file == "" {
		return usageErrorf("apply needs -f FILE")
	}
	var src []byte
	if *file == "-" {
		src, err = io.ReadAll(io.LimitReader(env.Stdin, org.MaxFileBytes+1))
	} else {
		src, err = os.ReadFile(*file)
	}
	if err != nil {
		return fmt.Errorf("read organisation file: %w", err)
	}
	o, err := org.ParseWith(src, org.Options{Egress: *reach})
	if err != nil {
		return fmt.Errorf("%s: %w", *file, problemList(err))
	}
	// A channel whose secrets are not in this environment does nothing
	// here; that is worth saying, not refusing the file for.
	warn := func() {
		for _, w := range o.ChannelWarnings(env.getenv) {
			fmt.Fprintf(env.Stdout, "  warning: %s\n", w)
		}
	}
	if *check {
		fmt.Fprintf(env.Stdout, "%s is valid: %d teams, %d sites, %d SLA policies, %d rules, %d alert targets, %d channels\n",
			*file, len(o.Teams), len(o.Sites), len(o.SLAPolicies), len(o.Rules), len(o.Alerts), len(o.Channels))
		warn()
		return nil
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.ApplyOrg(ctx, src, o, "cli", time.Now().UTC())
	if err != nil {
		return err
	}
	if !res.Changed {
		fmt.Fprintln(env.Stdout, "No changes: the organisation file is already applied.")
		warn()
		return nil
	}
	fmt.Fprintf(env.Stdout, "Applied %s for %s: %d teams, %d sites, %d people, %d SLA policies, %d rules, %d alert targets, %d templates, %d channels\n",
		*file, o.Organization, len(o.Teams), len(o.Sites), len(o.People), len(o.SLAPolicies), len(o.Rules), len(o.Alerts), len(o.Templates), len(o.Channels))
	for _, r := range res.Removed {
		fmt.Fprintf(env.Stdout, "  removed %s\n", r)
	}
	warn()
	return nil
}

// problemList makes an organisation file's problems one error that reads
// one problem a line, each with its line and field, and says that
// nothing was applied.
func problemList(err error) error {
	var oe *org.Error
	if !errors.As(err, &oe) {
		return err
	}
	var b strings.Builder
	if n := len(oe.Problems); n == 1 {
		b.WriteString("1 problem, nothing applied:")
	} else {
		fmt.Fprintf(&b, "%d problems, nothing applied:", n)
	}
	for _, p := range oe.Problems {
		b.WriteString("\n  " + p.Error())
	}
	return &problemsError{msg: b.String(), err: err}
}

// problemsError is an organisation file's problems, listed for people.
type problemsError struct {
	msg string
	err error
}

func (e *problemsError) Error() string { return e.msg }

// Unwrap gives the *org.Error.
func (e *problemsError) Unwrap() error { return e.err }
