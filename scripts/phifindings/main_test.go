package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/internal/analyze"
)

func TestListWritesOneLineAFinding(t *testing.T) {
	in := filepath.Join(t.TempDir(), "posts.jsonl")
	rows := `{"id":"a","text":"call me at 914-329-0185\nplease"}` + "\n" + `{"text":"no findings here"}` + "\n"
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := list(&b, analyze.New(), in, map[string]bool{"phone": true}, ""); err != nil {
		t.Fatal(err)
	}
	want := "posts.jsonl\ta\tphone\t11\t23\t914-329-0185\tcall me at 914-329-0185 please\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestListNamesTheLineOfBadJSON(t *testing.T) {
	in := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(in, []byte("{\"text\":\"ok\"}\n{oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := list(&bytes.Buffer{}, analyze.New(), in, nil, "")
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v, want one naming line 2", err)
	}
}

func TestHalvesSplitPostsAndKeepOnlyOne(t *testing.T) {
	in := filepath.Join(t.TempDir(), "posts.jsonl")
	var rows strings.Builder
	for i := 0; i < 40; i++ {
		rows.WriteString(`{"text":"ring 914-329-0185 today"}` + "\n")
	}
	if err := os.WriteFile(in, []byte(rows.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, half := range []string{"", "tune", "judge"} {
		var b bytes.Buffer
		if err := list(&b, analyze.New(), in, nil, half); err != nil {
			t.Fatal(err)
		}
		count[half] = strings.Count(b.String(), "\n")
	}
	if count["tune"]+count["judge"] != count[""] || count[""] != 40 || count["tune"] == 0 || count["judge"] == 0 {
		t.Errorf("halves %v: want tune and judge non-empty, adding up to all 40", count)
	}
}
