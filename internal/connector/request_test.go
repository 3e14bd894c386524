package connector

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

type failingToken struct{ err error }

func (f failingToken) Token(context.Context) (string, error) { return "", f.err }

func TestAuthorize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ts     TokenSource
		header string
		check  func(error) bool
	}{
		{"no source", nil, "", func(err error) bool { return err == nil }},
		{"token", StaticToken("abc"), "Bearer abc", func(err error) bool { return err == nil }},
		{"unset", StaticToken(""), "", func(err error) bool { var p *Permanent; return errors.As(err, &p) }},
		{"refresh failed", failingToken{errors.New("endpoint down")}, "", func(err error) bool { var p *Temporary; return errors.As(err, &p) }},
	} {
		req, _ := http.NewRequest("GET", "https://api.example.org/", nil)
		err := Authorize(context.Background(), req, tc.ts, "access token for Example")
		if !tc.check(err) || req.Header.Get("Authorization") != tc.header {
			t.Errorf("%s: err %v, Authorization %q", tc.name, err, req.Header.Get("Authorization"))
		}
		if err != nil && !strings.Contains(err.Error(), "access token for Example") {
			t.Errorf("%s: %v does not say what was missing", tc.name, err)
		}
	}
}

type brokenBody struct{}

func (brokenBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestReadBody(t *testing.T) {
	resp := func(r io.Reader) *http.Response { return &http.Response{StatusCode: 200, Body: io.NopCloser(r)} }
	if b, err := ReadBody(resp(strings.NewReader("12345")), 5, "the answer"); err != nil || string(b) != "12345" {
		t.Errorf("at the limit: %q, %v", b, err)
	}
	if _, err := ReadBody(resp(strings.NewReader("123456")), 5, "the answer"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := ReadBody(resp(strings.NewReader(strings.Repeat("x", 2<<20+1))), 2<<20, "the feed"); err == nil || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Errorf("over 2 MiB: %v", err)
	}
	var tmp *Temporary
	if _, err := ReadBody(resp(brokenBody{}), 5, "the answer"); !errors.As(err, &tmp) {
		t.Errorf("cut off: %v, want *Temporary", err)
	}
}
