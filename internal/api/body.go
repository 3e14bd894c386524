package api

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"earshot/internal/jsonexact"
)

// maxSmallBody bounds the body of the API's small JSON requests (replies,
// notes, assignments, status, tasks).
const maxSmallBody = 1 << 20

// readBody reads r's body, at most limit bytes once decoded. A body sent
// with Content-Encoding gzip (or x-gzip) is decompressed; any other
// content coding but identity is refused with 415 and an
// Accept-Encoding header saying what is accepted. On failure it has
// answered the request and returns false.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	gz, ok := bodyGzipped(w, r)
	if !ok {
		return nil, false
	}
	in := io.Reader(http.MaxBytesReader(w, r.Body, limit))
	if gz {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, bodyReadError(w, err, limit, true)
		}
		defer zr.Close()
		// One byte over the limit tells a body that is too large.
		in = io.LimitReader(zr, limit+1)
	}
	body, err := io.ReadAll(in)
	if err != nil {
		return nil, bodyReadError(w, err, limit, gz)
	}
	if int64(len(body)) > limit {
		return nil, bodyReadError(w, &http.MaxBytesError{Limit: limit}, limit, gz)
	}
	return body, true
}

// bodyGzipped reports whether r's body is gzip-compressed, from its
// Content-Encoding. It answers 415 and returns ok false for a coding it
// cannot undo.
func bodyGzipped(w http.ResponseWriter, r *http.Request) (gz, ok bool) {
	var codings []string
	for _, v := range r.Header.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return false, true
	case len(codings) == 1 && (codings[0] == "gzip" || codings[0] == "x-gzip"):
		return true, true
	}
	w.Header().Set("Accept-Encoding", "gzip")
	writeError(w, http.StatusUnsupportedMediaType, "unsupported_encoding",
		fmt.Sprintf("Content-Encoding %q is not supported; send the body uncompressed or with Content-Encoding: gzip", strings.Join(codings, ", ")))
	return false, false
}

// bodyReadError answers a failure to read the body and returns false.
func bodyReadError(w http.ResponseWriter, err error, limit int64, gz bool) bool {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		msg := fmt.Sprintf("request body over %d bytes", limit)
		if gz {
			msg = fmt.Sprintf("request body over %d bytes once decompressed", limit)
		}
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", msg)
	case gz:
		writeError(w, http.StatusBadRequest, "bad_body", "the body is not valid gzip data (Content-Encoding: gzip): "+err.Error())
	default:
		writeError(w, http.StatusBadRequest, "bad_body", "could not read the request body")
	}
	return false
}

// decodeBody reads a small JSON object into v. Every handler that takes
// a JSON object body decodes it here, so that a body that is not JSON,
// not one object, has a key that is not exactly one of v's fields, or a
// field of the wrong type is refused with 400 and a message in plain
// words (see decodeObject). On failure it has answered and returns
// false.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	body, ok := readBody(w, r, maxSmallBody)
	if !ok {
		return false
	}
	if e := decodeObject(body, v); e != nil {
		writeJSON(w, http.StatusBadRequest, map[string]*apiError{"error": e})
		return false
	}
	return true
}

// decodeObject decodes the JSON object body (after a byte-order mark, if
// any) into v, a pointer, or says what is wrong in plain words, without
// Go's type names: where the JSON is broken, that the body is not one
// object, a key that is not one of v's fields exactly as written (keys
// are case-sensitive), or which field should hold what kind of value.
func decodeObject(body []byte, v any) *apiError {
	bad := func(field, msg string) *apiError { return &apiError{Code: "bad_json", Field: field, Message: msg} }
	sent := body
	body = jsonexact.TrimBOM(body)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return bad("", "the request body is empty; send a JSON object")
	}
	// at describes an offset into body as a position in the body as sent.
	at := func(off int) string { return jsonexact.Position(sent, off+len(sent)-len(body)) }
	end, err := jsonexact.ScanValue(body)
	var se *jsonexact.SyntaxError
	if errors.As(err, &se) {
		// Worded as the mentions endpoint words it: where, then what.
		return bad("", fmt.Sprintf("the request body is not valid JSON at %s: %s", at(se.Offset), se.Msg))
	}
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 && trimmed[0] == '{' {
		return bad("", fmt.Sprintf("the request body has more after the JSON object, at %s; send one JSON object", at(len(body)-len(rest))))
	}
	if trimmed[0] != '{' {
		return bad("", "the request body must be a JSON object, not "+jsonexact.KindWords(trimmed[0]))
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("api: decodeObject needs a non-nil pointer")
	}
	return strictValue(body[:end], rv.Elem(), "")
}

// valueWords names the JSON value encoding/json describes as v
// ("number", "number 1.5", "bool", ...).
func valueWords(v string) string {
	switch kind, literal, _ := strings.Cut(v, " "); kind {
	case "string":
		return "a string"
	case "number":
		if literal != "" {
			return literal
		}
		return "a number"
	case "bool":
		return "true or false"
	case "array":
		return "an array"
	case "object":
		return "an object"
	}
	return "another kind of value"
}

// typeWords says in plain words what kind of JSON value fits t.
func typeWords(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeWords(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "another type"
}

// decodeEmptyBody reads the body of an endpoint that takes no fields: it
// may be empty or {}; any key is refused as decodeBody refuses unknown
// ones. On failure it has answered and returns false.
func decodeEmptyBody(w http.ResponseWriter, r *http.Request) bool {
	body, ok := readBody(w, r, maxSmallBody)
	if !ok {
		return false
	}
	if len(bytes.TrimSpace(jsonexact.TrimBOM(body))) == 0 {
		return true
	}
	var none struct{}
	if e := decodeObject(body, &none); e != nil {
		writeJSON(w, http.StatusBadRequest, map[string]*apiError{"error": e})
		return false
	}
	return true
}
