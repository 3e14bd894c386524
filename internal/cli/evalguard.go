package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"earshot/internal/analyze"
	"earshot/internal/guard"
)

// evalGuard measures the privacy guard on a labelled JSON Lines file of
// replies ({"text","expect":"pass|refuse","category"}): a reply counts as
// refused when Vet refuses it as a public reply without an override
// reason.
func evalGuard(env *Env, a *analyze.Analyzer, r io.Reader, name string, asJSON bool) error {
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
	rep := guard.Evaluate(rows, guard.Vetted(guard.New(a)))
	if asJSON {
		return json.NewEncoder(env.Stdout).Encode(rep)
	}
	rep.Write(env.Stdout)
	return nil
}
