package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// module is the import path of the Earshot module.
const module = "earshot"

// layers lists every package of the module from the bottom up. A package
// may import only packages of layers below its own: not one beside it,
// not one above. An entry ending in "/..." takes a folder and everything
// under it. A new package needs a line here (and one in the README's
// Layout table).
func layers() [][]string {
	return [][]string{
		{"internal/model", "internal/input", "internal/input/inputtest", "internal/egress", "internal/events", "internal/httpmetrics", "internal/secretbox", "internal/store/internal/rawdb", "internal/wordvec", "internal/notify/smtptest", "internal/chart"},
		{"internal/analyze", "internal/auth", "internal/generate", "internal/org", "internal/jsonexact", "internal/connector"},
		{"internal/route", "internal/guard", "internal/redact", "internal/store/ftsindex",
			"internal/connector/oauth", "internal/connector/x", "internal/connector/meta", "internal/connector/google", "internal/connector/yelp", "internal/connector/feed",
			"internal/demoplatform"},
		{"internal/store"},
		{"internal/cases", "internal/report"},
		{"internal/ingest", "internal/jobs", "internal/accounts", "internal/store/storetest"},
		{"internal/notify", "internal/outbox", "internal/channels", "internal/redact/redacttest"},
		{"internal/api", "internal/web"},
		{"internal/app"},
		{"internal/cli"},
		{"cmd/...", "scripts/..."},
	}
}

// listedPackage is what go list says of one package.
type listedPackage struct {
	ImportPath string
	Imports    []string
}

// TestNoPackageImportsUpward reads the module's imports with go list and
// checks them against layers. Test files are left out: they may use
// packages above them, as web's tests use the API.
func TestNoPackageImportsUpward(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v\n%s", err, exit.Stderr)
	}
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs, err := decodePackages(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range layerProblems(layers(), pkgs) {
		t.Error(p)
	}
}

// decodePackages reads go list -json's stream of objects.
func decodePackages(out []byte) ([]listedPackage, error) {
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("read go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// layerProblems says which packages are in no layer, which exact entries
// name no package, and which imports do not go down.
func layerProblems(layers [][]string, pkgs []listedPackage) []string {
	var problems []string
	used := map[string]bool{}
	layerOf := func(path string) (int, bool) {
		rel, ok := strings.CutPrefix(path, module+"/")
		if !ok {
			return 0, false
		}
		for i, l := range layers {
			for _, e := range l {
				if takes(e, rel) {
					used[e] = true
					return i, true
				}
			}
		}
		return 0, false
	}
	for _, p := range pkgs {
		li, ok := layerOf(p.ImportPath)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is in no layer: add it to layers() in internal/app/layers_test.go and to the README's Layout table", p.ImportPath))
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			ii, ok := layerOf(imp)
			if ok && ii >= li {
				problems = append(problems, fmt.Sprintf("%s (layer %d) imports %s (layer %d): a package may import only layers below its own",
					p.ImportPath, li, imp, ii))
			}
		}
	}
	for _, l := range layers {
		for _, e := range l {
			if !strings.HasSuffix(e, "/...") && !used[e] {
				problems = append(problems, fmt.Sprintf("layers() lists %s, which is no package of the module", e))
			}
		}
	}
	return problems
}

// takes says whether the layers() entry e takes the package at path rel.
func takes(e, rel string) bool {
	if dir, ok := strings.CutSuffix(e, "/..."); ok {
		return rel == dir || strings.HasPrefix(rel, dir+"/")
	}
	return rel == e
}

// TestLayerProblemsFindsEveryKind checks the checker on a made-up module.
func TestLayerProblemsFindsEveryKind(t *testing.T) {
	layers := [][]string{{"internal/model"}, {"internal/store", "internal/jobs"}, {"internal/gone"}, {"cmd/..."}}
	pkgs := []listedPackage{
		{ImportPath: "earshot/internal/model", Imports: []string{"time"}},
		{ImportPath: "earshot/internal/store", Imports: []string{"earshot/internal/model"}},
		{ImportPath: "earshot/internal/jobs", Imports: []string{"earshot/internal/store", "earshot/cmd/earshot"}},
		{ImportPath: "earshot/internal/new", Imports: nil},
		{ImportPath: "earshot/cmd/earshot", Imports: []string{"earshot/internal/jobs"}},
	}
	want := []string{
		"earshot/internal/jobs (layer 1) imports earshot/internal/store (layer 1): a package may import only layers below its own",
		"earshot/internal/jobs (layer 1) imports earshot/cmd/earshot (layer 3): a package may import only layers below its own",
		"earshot/internal/new is in no layer: add it to layers() in internal/app/layers_test.go and to the README's Layout table",
		"layers() lists internal/gone, which is no package of the module",
	}
	got := layerProblems(layers, pkgs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
