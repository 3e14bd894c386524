package jsonexact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// members lists what Members gave as "key=value" pairs.
func members(data string) ([]string, error) {
	var got []string
	err := Members([]byte(data), func(k string, v []byte) error {
		got = append(got, k+"="+string(v))
		return nil
	})
	return got, err
}

func TestMembers(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		repeated string // the key refused as repeated
		syntax   bool   // a syntax error is wanted, at byte at
		at       int
	}{
		{name: "empty", in: ` {} `},
		{name: "values as written", in: `{"a": [1, 2] ,"b":{"c":null}, "d":"x\ny"}`,
			want: []string{`a=[1, 2]`, `b={"c":null}`, `d="x\ny"`}},
		{name: "keys unescaped", in: `{"t\u0065xt":1}`, want: []string{"text=1"}},
		{name: "keys match exactly", in: `{"text":1,"Text":2}`, want: []string{"text=1", "Text=2"}},
		{name: "repeated key", in: `{"text":"a","text":"b"}`, repeated: "text"},
		{name: "repeated after unescaping", in: `{"text":"a","t\u0065xt":"b"}`, repeated: "text"},
		{name: "repeated inner keys are the value's", in: `{"a":{"x":1,"x":2}}`, want: []string{`a={"x":1,"x":2}`}},
		{name: "trailing data", in: `{"a":1} {}`, syntax: true, at: 8},
		{name: "not an object", in: `[1]`, syntax: true, at: 0},
		{name: "broken value", in: `{"a":tru}`, syntax: true, at: 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := members(tc.in)
			var rk *RepeatedKeyError
			var se *SyntaxError
			switch {
			case tc.repeated != "":
				if !errors.As(err, &rk) || rk.Key != tc.repeated {
					t.Fatalf("Members(%q) error %v, want %q repeated", tc.in, err, tc.repeated)
				}
			case tc.syntax:
				if !errors.As(err, &se) || se.Offset != tc.at {
					t.Fatalf("Members(%q) error %v, want a syntax error at byte %d", tc.in, err, tc.at)
				}
			case err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want):
				t.Fatalf("Members(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestMembersStopsAtTheCallersError(t *testing.T) {
	stop := errors.New("stop")
	var seen []string
	err := Members([]byte(`{"a":1,"b":2,"c":3}`), func(k string, _ []byte) error {
		seen = append(seen, k)
		if k == "b" {
			return stop
		}
		return nil
	})
	if err != stop || fmt.Sprint(seen) != "[a b]" {
		t.Fatalf("Members = %v after %q; want the caller's error after a, b", err, seen)
	}
}

func TestPosition(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n}")
	for _, tc := range []struct {
		off  int
		want string
	}{
		{0, "line 1, column 1 (byte 0)"},
		{1, "line 1, column 2 (byte 1)"},
		{2, "line 2, column 1 (byte 2)"},
		{12, "line 3, column 1 (byte 12)"},
		{-3, "line 1, column 1 (byte 0)"},
		{99, "line 3, column 2 (byte 13)"},
	} {
		if got := Position(data, tc.off); got != tc.want {
			t.Errorf("Position(%d) = %q, want %q", tc.off, got, tc.want)
		}
	}
}

func TestTrimBOM(t *testing.T) {
	for in, want := range map[string]string{
		"\xef\xbb\xbf{}":  "{}",
		"{}":              "{}",
		" \xef\xbb\xbf{}": " \xef\xbb\xbf{}",
		"\xef\xbb":        "\xef\xbb",
	} {
		if got := TrimBOM([]byte(in)); string(got) != want {
			t.Errorf("TrimBOM(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMembers holds Members to encoding/json's reading of an object:
// the same members in the same order, and an error only for a repeated
// key or what encoding/json refuses.
func FuzzMembers(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[true,null],"c":{"d":"e"}}`))
	f.Add([]byte(`{"text":"a","t\u0065xt":"b"}`))
	f.Add([]byte(`{"a":1} x`))
	f.Add([]byte(`{"\ud83d\ude00":"\xff"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var keys []string
		var values [][]byte
		err := Members(data, func(k string, v []byte) error {
			keys = append(keys, k)
			values = append(values, v)
			return nil
		})
		var rk *RepeatedKeyError
		if errors.As(err, &rk) {
			return
		}
		trimmed := bytes.TrimSpace(data)
		isObject := json.Valid(data) && len(trimmed) > 0 && trimmed[0] == '{'
		if (err == nil) != isObject {
			t.Fatalf("Members(%q) error %v; encoding/json reads an object: %v", data, err, isObject)
		}
		if err != nil {
			return
		}
		var wantKeys []string
		var wantValues [][]byte
		dec := json.NewDecoder(bytes.NewReader(data))
		if _, err := dec.Token(); err != nil { // {
			t.Fatalf("encoding/json cannot open %q: %v", data, err)
		}
		for dec.More() {
			tok, err := dec.Token()
			var v json.RawMessage
			if err == nil {
				err = dec.Decode(&v)
			}
			if err != nil {
				t.Fatalf("encoding/json cannot read a member of %q: %v", data, err)
			}
			wantKeys, wantValues = append(wantKeys, tok.(string)), append(wantValues, v)
		}
		if fmt.Sprintf("%q %q", keys, values) != fmt.Sprintf("%q %q", wantKeys, wantValues) {
			t.Fatalf("Members(%q) = %q %q; encoding/json %q %q", data, keys, values, wantKeys, wantValues)
		}
	})
}
