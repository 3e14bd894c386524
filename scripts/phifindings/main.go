// Command phifindings lists every PHI finding that the analyser makes in
// JSON Lines files of posts ({"id","text",...}), one finding a line, so
// that findings on real text can be judged by hand:
//
//	file <TAB> id <TAB> type <TAB> start <TAB> end <TAB> span <TAB> text
//
// Newlines and tabs in the span and the text are shown as spaces.
// --types keeps only the listed finding types (comma-separated).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"earshot/internal/analyze"
)

func main() {
	types := flag.String("types", "", "finding types to list, comma-separated (empty: all)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: phifindings [--types name,phone] FILE.jsonl...")
		os.Exit(2)
	}
	keep := map[string]bool{}
	for _, t := range strings.Split(*types, ",") {
		if t != "" {
			keep[t] = true
		}
	}
	a := analyze.New()
	w := bufio.NewWriter(os.Stdout)
	for _, path := range flag.Args() {
		if err := list(w, a, path, keep); err != nil {
			fmt.Fprintln(os.Stderr, "phifindings:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "phifindings:", err)
		os.Exit(1)
	}
}

// post is the part of a row that the listing reads.
type post struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// list writes the findings of one file.
func list(w io.Writer, a *analyze.Analyzer, path string, keep map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open posts: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	name := filepath.Base(path)
	for line := 1; sc.Scan(); line++ {
		var p post
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return fmt.Errorf("%s line %d: %w", path, line, err)
		}
		if p.ID == "" {
			p.ID = fmt.Sprint(line)
		}
		for _, fd := range a.FindPHI(p.Text) {
			if len(keep) > 0 && !keep[fd.Type] {
				continue
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", name, p.ID, fd.Type, fd.Start, fd.End, flat(p.Text[fd.Start:fd.End]), flat(p.Text))
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// flat shows newlines and tabs as spaces, to keep one finding a line.
func flat(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
}
