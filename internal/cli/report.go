package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/mail"
	"os"
	"strings"
	"time"

	"earshot/internal/notify"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/store"
)

func runReport(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "report", []subcommand{
		{"weekly", "preview the weekly report email (--out FILE) or send it now", runReportWeekly},
	}, args)
}

// runReportWeekly builds the weekly report email of a week and writes it
// to a file or sends it through the organisation file's mail server.
func runReportWeekly(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("report weekly", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "report weekly [--to ADDR] [--week YYYY-MM-DD] [--out FILE] [flags]",
		"Builds the weekly report email: headline figures against the week before, a chart of the\n"+
			"week's inbound volume by day, and the week's praise (health information masked).\n"+
			"The week runs from reports.weekly's day and time (default Monday 08:00, in the\n"+
			"organisation's time zone) for seven days; without --week it is the last that ended.\n"+
			"With --out it writes the email to FILE without sending: FILE.html is the HTML part with\n"+
			"the chart inline, any other name the whole message (.eml). Without --out it sends it now\n"+
			"through the organisation file's smtp server, to --to or to reports.weekly.to.")
	to := fs.String("to", "", "addresses to send to (or to put in the .eml), comma-separated; default reports.weekly.to")
	week := fs.String("week", "", "the week that begins on this date (YYYY-MM-DD), at the send time; default the last week that ended")
	out := fs.String("out", "", "write the email to this file instead of sending it (.html: the HTML part; else .eml)")
	publicURL := fs.String("public-url", "", "where Earshot is reached, for the link to the reports page when the organisation file has no base_url (env EARSHOT_PUBLIC_URL)")
	reach := addEgressFlag(fs)
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if err := noArgs("report weekly", pos); err != nil {
		return err
	}
	var addresses []string
	if *to != "" {
		for a := range strings.SplitSeq(*to, ",") {
			a = strings.TrimSpace(a)
			if p, err := mail.ParseAddress(a); err != nil || p.Address != a || p.Name != "" {
				return usageErrorf("--to: %q is not an email address such as comms@example.org", a)
			}
			addresses = append(addresses, a)
		}
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := st.LoadOrg(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no organisation file is applied: earshot apply -f org.yaml first (the report needs its time zone)")
	}
	if err != nil {
		return err
	}
	o := f.Org
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return fmt.Errorf("organisation time zone: %w", err)
	}
	w := &org.WeeklyReport{}
	if o.Reports != nil && o.Reports.Weekly != nil {
		w = o.Reports.Weekly
	}
	if addresses == nil {
		addresses = w.To
	}
	var from, until time.Time
	if *week != "" {
		day, err := time.ParseInLocation(time.DateOnly, *week, loc)
		if err != nil {
			return usageErrorf("--week %q: want a date such as 2026-03-02", *week)
		}
		from, until = notify.WeekFrom(w, loc, day)
	} else {
		from, until = notify.LastWeek(w, loc, time.Now())
	}
	reports := report.New(st, report.Options{Location: func() *time.Location { return loc }})
	if *out != "" {
		return writeWeekly(ctx, env, reports, o, from, until, addresses, *out, *publicURL)
	}
	if len(addresses) == 0 {
		return usageErrorf("no one to send to: give --to, or reports.weekly.to in the organisation file")
	}
	n := notify.New(notify.Options{Getenv: env.getenv, Logger: env.Logger, Egress: *reach, PublicURL: *publicURL})
	if err := n.SendWeekly(ctx, o, reports, from, until, addresses); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Sent the weekly report of %s to %s to %s\n", from.In(loc).Format(time.RFC3339), until.In(loc).Format(time.RFC3339), strings.Join(addresses, ", "))
	return nil
}

// writeWeekly writes the weekly email of [from, to) to path: the HTML
// part with the chart inline for .html or .htm, else the whole message.
func writeWeekly(ctx context.Context, env *Env, reports *report.Reports, o *org.Org, from, to time.Time, addresses []string, path, publicURL string) error {
	w, err := notify.BuildWeekly(ctx, reports, o, from, to, publicURL)
	if err != nil {
		return err
	}
	var data []byte
	switch lower := strings.ToLower(path); {
	case strings.HasSuffix(lower, ".html"), strings.HasSuffix(lower, ".htm"):
		page, err := w.HTMLPreview()
		if err != nil {
			return err
		}
		data = []byte(page)
	default:
		sender := "earshot@localhost"
		if o.SMTP != nil && o.SMTP.From != "" {
			sender = o.SMTP.From
		}
		m, err := w.Message(sender, addresses)
		if err != nil {
			return err
		}
		var b strings.Builder
		if _, err := m.WriteTo(&b); err != nil {
			return fmt.Errorf("write weekly report message: %w", err)
		}
		data = []byte(b.String())
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write weekly report: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Wrote the weekly report of %s to %s to %s\n", from.Format(time.RFC3339), to.Format(time.RFC3339), path)
	return nil
}
