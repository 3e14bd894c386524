package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"earshot/internal/accounts"
	"earshot/internal/store"
)

func runUser(ctx context.Context, env *Env, args []string) error {
	return dispatch(ctx, env, "user", []subcommand{
		{"add", "add a person who signs in to the web app", runUserAdd},
		{"list", "list people, their roles and whether they are active", runUserList},
		{"set-role", "change a person's role", runUserSetRole},
		{"deactivate", "stop a person signing in or taking work; ends their sessions", userActiveCommand(false)},
		{"reactivate", "let a deactivated person sign in again", userActiveCommand(true)},
		{"reset-password", "set a new password and end the person's sessions", runUserResetPassword},
	}, args)
}

// roleWords lists the roles a person may hold, for help texts.
var roleWords = strings.Join(accounts.UserRoles, ", ")

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "user add --email E --role R [--password-file F] [flags]", "Adds a person who signs in to the web app.")
	email := fs.String("email", "", "sign-in email (required)")
	role := fs.String("role", "", roleWords+" (required)")
	name := fs.String("name", "", "display name")
	pwFile := fs.String("password-file", "", "file holding the password (- for standard input); without it one is generated and printed")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if err := noArgs("user add", pos); err != nil {
		return err
	}
	if err := accounts.CheckEmail(accounts.NormalEmail(*email)); err != nil {
		return accountError(err)
	}
	if err := accounts.CheckUserRole(*role); err != nil {
		return accountError(err)
	}
	password := ""
	if *pwFile != "" {
		if password, err = readPasswordFile(env, *pwFile); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	m := &accounts.Manager{Store: st}
	u, generated, err := m.CreateUser(ctx, cliActor(env), accounts.NewUser{Email: *email, Name: *name, Role: *role, Password: password})
	if err != nil {
		return accountError(err)
	}
	fmt.Fprintf(env.Stdout, "user %s (%s) created\n", u.Email, u.Role)
	if generated != "" {
		fmt.Fprintf(env.Stdout, "password: %s\n", generated)
	}
	return nil
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, "user list [flags]", "Lists people: id, email, name, role, whether active, and when added.")
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return err
	}
	if err := noArgs("user list", pos); err != nil {
		return err
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	us, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS\tCREATED")
	for _, u := range us {
		status := "active"
		if !u.Active() {
			status = "deactivated " + cliTime(u.DeactivatedAt)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status, cliTime(&u.CreatedAt))
	}
	return tw.Flush()
}

// userByEmailFlag parses args with an --email flag (and extra flags that
// add sets up), opens the store and finds the person. The caller closes
// the store.
func userByEmailFlag(ctx context.Context, env *Env, name, synopsis, description string, args []string, add func(*flag.FlagSet)) (*accounts.Manager, int64, func(), error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	sf := addStoreFlags(fs)
	usage(fs, synopsis, description)
	email := fs.String("email", "", "the person's sign-in email (required)")
	if add != nil {
		add(fs)
	}
	pos, err := parseFlags(fs, env, args)
	if err != nil {
		return nil, 0, nil, err
	}
	if err := noArgs(name, pos); err != nil {
		return nil, 0, nil, err
	}
	if err := accounts.CheckEmail(accounts.NormalEmail(*email)); err != nil {
		return nil, 0, nil, accountError(err)
	}
	st, err := openStore(ctx, env, sf)
	if err != nil {
		return nil, 0, nil, err
	}
	m := &accounts.Manager{Store: st}
	u, err := m.UserByEmail(ctx, *email)
	if err != nil {
		st.Close()
		return nil, 0, nil, err
	}
	return m, u.ID, func() { st.Close() }, nil
}

func runUserSetRole(ctx context.Context, env *Env, args []string) error {
	var role *string
	m, id, done, err := userByEmailFlag(ctx, env, "user set-role", "user set-role --email E --role R [flags]",
		"Changes a person's role ("+roleWords+"). The last active admin keeps the admin role.", args,
		func(fs *flag.FlagSet) { role = fs.String("role", "", roleWords+" (required)") })
	if err != nil {
		return err
	}
	defer done()
	if err := accounts.CheckUserRole(*role); err != nil {
		return accountError(err)
	}
	u, err := m.ChangeUser(ctx, cliActor(env), id, store.UserChange{Role: role})
	if err != nil {
		return accountError(err)
	}
	fmt.Fprintf(env.Stdout, "user %s is now %s\n", u.Email, u.Role)
	return nil
}

// userActiveCommand returns user deactivate (active false) or user
// reactivate (true).
func userActiveCommand(active bool) func(ctx context.Context, env *Env, args []string) error {
	return func(ctx context.Context, env *Env, args []string) error {
		name, desc, word := "user deactivate", "Deactivates a person: they cannot sign in, their sessions end at once and no case or task can be assigned to them. Their name stays in case history. The last active admin cannot be deactivated.", "deactivated"
		if active {
			name, desc, word = "user reactivate", "Lets a deactivated person sign in and take work again.", "reactivated"
		}
		m, id, done, err := userByEmailFlag(ctx, env, name, name+" --email E [flags]", desc, args, nil)
		if err != nil {
			return err
		}
		defer done()
		u, err := m.ChangeUser(ctx, cliActor(env), id, store.UserChange{Active: &active})
		if err != nil {
			return accountError(err)
		}
		fmt.Fprintf(env.Stdout, "user %s %s\n", u.Email, word)
		return nil
	}
}

func runUserResetPassword(ctx context.Context, env *Env, args []string) error {
	var pwFile *string
	m, id, done, err := userByEmailFlag(ctx, env, "user reset-password", "user reset-password --email E [--password-file F] [flags]",
		"Sets a new password and ends all the person's sessions. Without --password-file a one-time password is generated and printed once.", args,
		func(fs *flag.FlagSet) {
			pwFile = fs.String("password-file", "", "file holding the new password (- for standard input); without it one is generated and printed")
		})
	if err != nil {
		return err
	}
	defer done()
	password := ""
	if *pwFile != "" {
		if password, err = readPasswordFile(env, *pwFile); err != nil {
			return err
		}
	}
	generated, err := m.ResetPassword(ctx, cliActor(env), id, password)
	if err != nil {
		return accountError(err)
	}
	u, err := m.Store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "password of %s reset; their sessions have ended\n", u.Email)
	if generated != "" {
		fmt.Fprintf(env.Stdout, "password: %s\n", generated)
		fmt.Fprintln(env.Stdout, "  (shown only now; give it to them by a safe way)")
	}
	return nil
}
