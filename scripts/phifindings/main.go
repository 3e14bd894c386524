// Command phifindings lists every PHI finding that the analyser makes in
// JSON Lines files of posts ({"id","text",...}), one finding a line, so
// that findings on real text can be judged by hand:
//
//	file <TAB> id <TAB> type <TAB> start <TAB> end <TAB> span <TAB> text
//
// Newlines and tabs in the span and the text are shown as spaces.
// --types keeps only the listed finding types (comma-separated). --half
// keeps only the posts of one half, "tune" or "judge", split by a hash of
// the file name and the post's id: rules are tuned on one half and judged
// on the other.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"

	"earshot/internal/analyze"
)

func main() {
	types := flag.String("types", "", "finding types to list, comma-separated (empty: all)")
	half := flag.String("half", "", `posts to list: "tune", "judge" or "" (all)`)
	flag.Parse()
	if *half != "" && *half != "tune" && *half != "judge" {
		fmt.Fprintln(os.Stderr, `phifindings: --half must be "tune" or "judge"`)
		os.Exit(2)
	}
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
		if err := list(w, a, path, keep, *half); err != nil {
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

// list writes the findings of one file, of the posts in half ("" for
// all).
func list(w io.Writer, a *analyze.Analyzer, path string, keep map[string]bool, half string) error {
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
		if half != "" && halfOf(name, p.ID) != half {
			continue
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

// halfOf says which half a post belongs to: "judge" or "tune", by an
// FNV-1a hash of its file's base name and its id.
func halfOf(file, id string) string {
	h := fnv.New32a()
	h.Write([]byte(file + "\x00" + id))
	if h.Sum32()%2 == 0 {
		return "judge"
	}
	return "tune"
}

// flat shows newlines and tabs as spaces, to keep one finding a line.
func flat(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
}
