package jsonexact

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzSplitArray holds SplitArray to encoding/json's reading of an array
// into raw elements.
func FuzzSplitArray(f *testing.F) {
	f.Add([]byte(`[]`))
	f.Add([]byte(` [ {"a":1} , [2,3], "x\"y", -1.5e3, true, null ] `))
	f.Add([]byte(`[1,]`))
	f.Add([]byte(`[1] 2`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := SplitArray(data)
		var want []json.RawMessage
		stdErr := json.Unmarshal(data, &want)
		if (err == nil) != (stdErr == nil) {
			t.Fatalf("SplitArray(%q) error %v, encoding/json %v", data, err, stdErr)
		}
		if err != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("SplitArray(%q) found %d elements, encoding/json %d", data, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("SplitArray(%q)[%d] = %q, encoding/json %q", data, i, got[i], want[i])
			}
		}
	})
}

func TestScanValue(t *testing.T) {
	for _, tc := range []struct {
		in      string
		end     int    // when err is ""
		errAt   int    // offset of the syntax error
		errPart string // part of its message
	}{
		{in: `{"a":1}`, end: 7},
		{in: " \n{\"a\":[1,2]}\n{\"b\":2}\n", end: 13},
		{in: `"x" tail`, end: 3},
		{in: `{"a":1,}`, errAt: 7, errPart: "expected a string key"},
		{in: "{\n  \"a\": 1\n  \"b\": 2\n}", errAt: 13, errPart: "expected , or } in object"},
		{in: `hello`, errAt: 0, errPart: `unexpected 'h' where a value belongs`},
		{in: "\x1f\x8b\x08", errAt: 0, errPart: "unexpected byte 0x1f"},
		{in: "  ", errAt: 2, errPart: "unexpected end of input"},
	} {
		end, err := ScanValue([]byte(tc.in))
		if tc.errPart == "" {
			if err != nil || end != tc.end {
				t.Errorf("ScanValue(%q) = %d, %v; want %d", tc.in, end, err, tc.end)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != tc.errAt || !strings.Contains(se.Msg, tc.errPart) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ScanValue(%q) error = %#v, want %q at byte %d", tc.in, err, tc.errPart, tc.errAt)
		}
	}
}

// FuzzScanValue holds ScanValue to encoding/json's idea of one valid
// value.
func FuzzScanValue(f *testing.F) {
	f.Add([]byte(`{"a":[1,2,{"b":null}]}`))
	f.Add([]byte("{\"a\":1}\n{\"b\":2}"))
	f.Add([]byte(`{"a":1,}`))
	f.Add([]byte(` "x\u00e9" `))
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := ScanValue(data)
		if json.Valid(data) && (err != nil || len(bytes.TrimSpace(data[end:])) != 0) {
			t.Fatalf("ScanValue(%q) = %d, %v; encoding/json says it is one valid value", data, end, err)
		}
		if err == nil && !json.Valid(data[:end]) {
			t.Fatalf("ScanValue(%q) read %q as a value; encoding/json disagrees", data, data[:end])
		}
		var se *SyntaxError
		if err != nil && (!errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data)) {
			t.Fatalf("ScanValue(%q) error %v, want a SyntaxError within the input", data, err)
		}
	})
}
