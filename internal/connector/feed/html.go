package feed

import (
	"html"
	"strings"
)

// blockTags break a line where they open or close, so that paragraphs
// and list items do not run together.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true,
	"th": true, "table": true, "blockquote": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "hr": true, "section": true, "article": true, "pre": true, "dd": true, "dt": true,
}

// rawTags hold text that is no text of the page (scripts, styles): it is
// dropped up to the closing tag.
var rawTags = map[string]bool{"script": true, "style": true, "template": true, "noscript": true, "iframe": true, "object": true}

// plainText turns untrusted HTML into plain text: tags, comments and
// the content of scripts and styles are dropped, character references
// decoded, whitespace collapsed (a block element is a line break, an
// inline one nothing, as a browser shows it). The
// result is text for the mention, never markup: it is escaped wherever
// it is shown.
func plainText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			b.WriteString(html.UnescapeString(s[i:]))
			break
		}
		b.WriteString(html.UnescapeString(s[i : i+lt]))
		i += lt
		if !startsMarkup(s[i:]) {
			b.WriteByte('<')
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		name, closing, n := tag(s[i:])
		i += n
		switch {
		case rawTags[name] && !closing:
			end := indexFold(s[i:], "</"+name)
			if end < 0 {
				i = len(s)
				continue
			}
			i += end
		case blockTags[name]:
			b.WriteByte('\n')
		}
	}
	return tidy(b.String())
}

// startsMarkup reports whether s, which starts with '<', opens a tag, a
// closing tag, a comment or a declaration, as an HTML parser would read
// it; "a < b" is text.
func startsMarkup(s string) bool {
	if len(s) < 2 {
		return false
	}
	c := s[1]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// tag reads the tag at the start of s: its lower-case name, whether it
// closes, and its length up to and including '>' (quoted attribute
// values may hold '>'). A tag never closed runs to the end of s.
func tag(s string) (name string, closing bool, n int) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (isAlnum(s[i]) || s[i] == '-' || s[i] == ':') {
		i++
	}
	name = strings.ToLower(s[start:i])
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, i + 1
		}
	}
	return name, closing, len(s)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// tidy collapses the spaces of each line, drops empty lines and trims.
func tidy(s string) string {
	var lines []string
	for line := range strings.SplitSeq(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	return strings.Join(lines, "\n")
}
