package analyze

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseListReadsSectionsCommentsAndQuotes(t *testing.T) {
	src := `# a header
#
[first]
  one  
two words

# a comment between items
"# not a comment"
"cc "
[second]
"[bracketed]"
three
`
	got, err := parseList("x.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []section{
		{name: "first", items: []string{"one", "two words", "# not a comment", "cc "}},
		{name: "second", items: []string{"[bracketed]", "three"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	got, err = parseList("plain.txt", []byte("# plain\nalpha\nbeta\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []section{{items: []string{"alpha", "beta"}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("plain: got %+v, want %+v", got, want)
	}
}

func TestParseListRejectsMalformedFiles(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty file", "# only a header\n", "no items"},
		{"empty last section", "[a]\nx\n[b]\n", "no items"},
		{"empty middle section", "[a]\n[b]\nx\n", `line 2: section "a" is empty`},
		{"unclosed header", "[a\nx\n", `line 1: bad section header "[a"`},
		{"empty header", "[]\nx\n", "line 1: bad section header"},
		{"header with a space", "[a b]\nx\n", "line 1: bad section header"},
		{"section named twice", "[a]\nx\n[a]\ny\n", `line 3: section "a" named twice`},
		{"items before the first section", "x\n[a]\ny\n", `line 2: section "a" after items outside any section`},
		{"unterminated quote", "[a]\n\"x\n", "line 2: bad quoted item"},
		{"empty quoted item", "[a]\n\"\"\n", "line 2: bad item"},
		{"tab in an item", "[a]\nx\ty\n", "line 2: bad item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseList("bad.txt", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "bad.txt") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name the file and say %q", err, tt.want)
			}
		})
	}
}

// TestEveryWordListHasAHeaderAndLoads checks each embedded list opens
// with comment lines saying what it is, and that the tables build.
func TestEveryWordListHasAHeaderAndLoads(t *testing.T) {
	fsys := wordLists()
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil || len(names) < 10 {
		t.Fatalf("word lists %v: %v", names, err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(b), "\n", 3)
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "# ") || !strings.HasPrefix(lines[1], "#") {
			t.Errorf("%s does not start with a header comment", n)
		}
	}
	if _, err := loadLexicons(fsys); err != nil {
		t.Fatal(err)
	}
}

// TestEveryWordListIsReadAndChecked breaks each list in turn: building
// the tables must fail naming that file, so no list is left unread and
// none is read without its checks.
func TestEveryWordListIsReadAndChecked(t *testing.T) {
	orig := wordLists()
	names, err := fs.Glob(orig, "*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, broken := range names {
		if broken == "intents.txt" {
			continue // the taxonomy has its own format and tests (intents_test.go)
		}
		t.Run(broken, func(t *testing.T) {
			m := fstest.MapFS{}
			for _, n := range names {
				b, err := fs.ReadFile(orig, n)
				if err != nil {
					t.Fatal(err)
				}
				m[n] = &fstest.MapFile{Data: b}
			}
			m[broken] = &fstest.MapFile{Data: []byte("# broken\n[unclosed\n")}
			_, err := loadLexicons(m)
			if err == nil || !strings.Contains(err.Error(), broken) {
				t.Errorf("a broken %s gave error %v", broken, err)
			}
		})
	}
}

// TestWordListsCheckWhatTheRulesNeed holds the checks beyond syntax: a
// list must have the sections, scores and single words its rules use.
func TestWordListsCheckWhatTheRulesNeed(t *testing.T) {
	tests := []struct {
		file, src, want string
	}{
		{"lexicon_care.txt", "[-4]\nawful\n", "not a score"},
		{"lexicon_care.txt", "[2]\nvery good\n", "not one word"},
		{"health.txt", "[condition]\nasthma\n[medication]\ninsulin\n", "2 sections, want 3"},
		{"word_classes.txt", "[negator]\nnot\n[no_such_class]\nx\n", "no word class [no_such_class]"},
		{"cues_sentiment.txt", "[wait]\nstill waiting\n", "no group [hold]"},
		{"cues_high.txt", "[self_harm]\nend it all\n", "in another urgency list"},
		{"cues_critical.txt", "[self_harm]\nend it | all\n", "cues_critical.txt [self_harm]"},
		{"id_keywords.txt", "[ssn]\nssn\n", "not an identifier type"},
		{"id_keywords.txt", "[member_id]\nMember\n", "not lower case"},
		{"language_words.txt", "[es]\nel\n", "1 sections, want 8"},
		{"emoticons.txt", "[negative]\n:(\n[positive]\n:)\n", "section 1 is [negative], want [positive]"},
		{"number_context.txt", "[not_year]\nroom\n", "1 sections, want 8"},
		{"given_names.txt", "[names]\nanna\n", "has sections"},
		{"emoji.txt", "[positive]\n🙂🙂\n[negative]\n😞\n", "not one character"},
		{"emoticons.txt", "[positive]\n:)\n[negative]\n:(\n[other]\n:|\n", "3 sections, want 2"},
	}
	orig := wordLists()
	names, err := fs.Glob(orig, "*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.want, func(t *testing.T) {
			m := fstest.MapFS{}
			for _, n := range names {
				b, err := fs.ReadFile(orig, n)
				if err != nil {
					t.Fatal(err)
				}
				m[n] = &fstest.MapFile{Data: b}
			}
			m[tt.file] = &fstest.MapFile{Data: []byte(tt.src)}
			_, err := loadLexicons(m)
			if err == nil || !strings.Contains(err.Error(), tt.file) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %s and saying %q", err, tt.file, tt.want)
			}
		})
	}
}
