package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"earshot/internal/analyze"
	"earshot/internal/guard"
	"earshot/internal/org"
)

// evalGuard measures the privacy guard on a labelled JSON Lines file of
// replies ({"text","expect":"pass|refuse","category"}): a reply counts as
// refused when Vet refuses it as a public reply without an override
// reason. With orgFile, the guard knows that organisation file's own
// contact details, as serve's guard knows those of the file in force.
func evalGuard(env *Env, a *analyze.Analyzer, r io.Reader, name, orgFile string, asJSON bool) error {
	contacts := guard.Contacts{}
	if orgFile != "" {
		data, err := os.ReadFile(orgFile)
		if err != nil {
			return fmt.Errorf("reading the organisation file: %w", err)
		}
		o, err := org.Parse(data)
		if err != nil {
			return fmt.Errorf("%s: %w", orgFile, err)
		}
		if c := o.Contact; c != nil {
			contacts = guard.Contacts{Phones: c.Phones, Emails: c.Emails, Links: c.Web}
		}
	}
	var rows []guard.Example
	if err := readJSONLines(r, func(line int, b []byte) error {
		var ex guard.Example
		if err := decodeRow(b, &ex); err != nil {
			return err
		}
		if ex.Expect != guard.ExpectPass && ex.Expect != guard.ExpectRefuse {
			return fmt.Errorf("expect %q is not pass or refuse", ex.Expect)
		}
		rows = append(rows, ex)
		return nil
	}); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no rows", name)
	}
	rep := guard.Evaluate(rows, guard.Vetted(guard.New(a, guard.WithContacts(func() guard.Contacts { return contacts }))))
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	rep.Write(env.Stdout)
	return nil
}
