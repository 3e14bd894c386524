// Package inputtest holds the hostile values that tests of every door
// (API, web app) send through their parameters and forms.
package inputtest

import "strings"

// Hostile returns, by name, values that have broken handlers: a NUL
// character (PostgreSQL refuses it in text), invalid UTF-8 (so does
// PostgreSQL), a value far longer than any name, full-text search syntax
// (SQLite's FTS5 has its own), SQL and control characters, a number past
// any integer.
func Hostile() map[string]string {
	return map[string]string{
		"nul":      "a\x00b",
		"only nul": "\x00",
		"utf8":     "a\xffb",
		"long":     strings.Repeat("a", 100_000),
		"fts":      `"NEAR(a b) * OR -x AND ^y:`,
		"sql":      `' OR 1=1; -- \ % _`,
		"control":  "\x01\x1b[31m\r\n",
		"number":   "99999999999999999999999",
	}
}
