package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"earshot/internal/input"
	"earshot/internal/jsonexact"
)

// The small JSON bodies (replies, notes, assignments, status, tasks) are
// decoded by strictValue below rather than by json.Unmarshal alone,
// which matches keys without regard to case ("Text" fills text) and
// skips unknown keys (a misspelt "txet" vanished, and the request then
// failed, if at all, with "text is required"). strictValue walks the
// JSON along the Go type it fills: a key must be a field's name exactly
// as written in the API's documentation, any other key is an error
// naming it, and a value of the wrong kind is an error naming the field
// and what it should be, in plain words, and a key that appears twice in
// one object is an error naming it (encoding/json keeps the last, so
// {"text":"a","text":"b"} stored "b" without a word). Values that are
// not objects or arrays, and the values of fields of interface type, are
// decoded by encoding/json, so its rules hold for them (strings,
// numbers, null leaving a field as it is).

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// strictValue decodes data, one JSON value that is known to be valid,
// into v, which must be settable. path names v in errors ("" for the
// body itself, "author.name", "items[2]").
func strictValue(data []byte, v reflect.Value, path string) *apiError {
	data = bytes.TrimSpace(data)
	if string(data) == "null" || ownDecoder(v.Type()) {
		return leafValue(data, v, path)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return strictValue(data, v.Elem(), path)
	case reflect.Struct:
		return strictStruct(data, v, path)
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String {
			return strictMap(data, v, path)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 { // []byte is a base64 string
			return strictSlice(data, v, path)
		}
	}
	return leafValue(data, v, path)
}

// ownDecoder reports whether values of t decode themselves from JSON.
func ownDecoder(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshalerType) || pt.Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

// leafValue decodes data into v with encoding/json, saying in plain
// words what is wrong when it does not fit.
func leafValue(data []byte, v reflect.Value, path string) *apiError {
	err := json.Unmarshal(data, v.Addr().Interface())
	if err == nil {
		if v.Kind() == reflect.String {
			// JSON may spell a NUL ("\u0000"), which no text field can
			// hold: PostgreSQL refuses it. encoding/json has already
			// made the string valid UTF-8.
			if err := input.Text(nameOr(path), v.String(), 0); err != nil {
				return &apiError{Code: "bad_field", Field: path, Message: err.Error()}
			}
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := joinPath(path, te.Field)
		return &apiError{Code: "bad_json", Field: field, Message: fmt.Sprintf("%s must be %s, not %s", nameOr(field), typeWords(te.Type), valueWords(te.Value))}
	}
	return &apiError{Code: "bad_json", Field: path, Message: fmt.Sprintf("%s does not hold a value of the expected kind (%s)", nameOr(path), typeWords(v.Type()))}
}

// wrongKind is the error for data that is not the kind of JSON value v
// needs (an object for a struct, an array for a slice).
func wrongKind(data []byte, v reflect.Value, path string) *apiError {
	return &apiError{Code: "bad_json", Field: path, Message: fmt.Sprintf("%s must be %s, not %s", nameOr(path), typeWords(v.Type()), jsonexact.KindWords(data[0]))}
}

// nameOr names the field at path, or the body itself for "".
func nameOr(path string) string {
	if path == "" {
		return "the request body"
	}
	return path
}

// joinPath appends the field name or index path rest (as
// encoding/json's errors write it) to path.
func joinPath(path, rest string) string {
	switch {
	case rest == "":
		return path
	case path == "" || strings.HasPrefix(rest, "["):
		return path + rest
	}
	return path + "." + rest
}

// keyPath appends the object key to path; unlike joinPath, an empty
// key is a step of its own ("in." for the key "" in the object in).
func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// members calls fn with each key and value of the JSON object data, at
// path. A key that appears twice (after unescaping: "t\u0065xt" is
// "text") is an error naming it.
func members(data []byte, path string, fn func(key string, value []byte) *apiError) *apiError {
	var stopped *apiError
	err := jsonexact.Members(data, func(key string, value []byte) error {
		if stopped = fn(key, value); stopped != nil {
			return errMemberRefused
		}
		return nil
	})
	var rk *jsonexact.RepeatedKeyError
	switch {
	case stopped != nil:
		return stopped
	case errors.As(err, &rk):
		field := keyPath(path, rk.Key)
		return &apiError{Code: "bad_json", Field: field, Message: fmt.Sprintf("%q appears twice; send each field once", field)}
	case err != nil:
		return &apiError{Code: "bad_json", Message: "the request body is not valid JSON"}
	}
	return nil
}

// errMemberRefused stops jsonexact.Members when fn refused a member.
var errMemberRefused = errors.New("member refused")

// strictStruct decodes the JSON object data into the struct v, each key
// into the field of exactly that JSON name.
func strictStruct(data []byte, v reflect.Value, path string) *apiError {
	if data[0] != '{' {
		return wrongKind(data, v, path)
	}
	fields := jsonFields(v.Type())
	return members(data, path, func(key string, value []byte) *apiError {
		f, ok := fields.byName[key]
		if !ok {
			return unknownField(keyPath(path, key), key, fields.names)
		}
		fv, ok := fieldFor(v, f)
		if !ok {
			return &apiError{Code: "bad_json", Field: keyPath(path, key), Message: fmt.Sprintf("%s cannot be set", keyPath(path, key))}
		}
		return strictValue(value, fv, keyPath(path, key))
	})
}

// fieldFor returns the field of struct v at index, allocating the
// embedded structs on the way that are nil pointers; ok is false when
// one of them cannot be set (it is unexported).
func fieldFor(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, v.CanSet()
}

// unknownField is the error for a key no field has, at path; names are
// the fields there are.
func unknownField(path, key string, names []string) *apiError {
	msg := fmt.Sprintf("unknown field %q", path)
	var fold string
	for _, n := range names {
		if strings.EqualFold(n, key) {
			fold = n
			break
		}
	}
	switch {
	case fold != "":
		msg += fmt.Sprintf(": field names are case-sensitive; did you mean %q?", fold)
	case len(names) > 0:
		msg += "; the fields are " + strings.Join(names, ", ")
	}
	return &apiError{Code: "bad_json", Field: path, Message: msg}
}

// strictMap decodes the JSON object data into the map v (with string
// keys), each value afresh as encoding/json does.
func strictMap(data []byte, v reflect.Value, path string) *apiError {
	if data[0] != '{' {
		return wrongKind(data, v, path)
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	return members(data, path, func(key string, value []byte) *apiError {
		if err := input.Text(keyPath(path, key), key, 0); err != nil {
			return &apiError{Code: "bad_field", Field: keyPath(path, key), Message: err.Error()}
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		if e := strictValue(value, elem, keyPath(path, key)); e != nil {
			return e
		}
		v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), elem)
		return nil
	})
}

// strictSlice decodes the JSON array data into the slice v.
func strictSlice(data []byte, v reflect.Value, path string) *apiError {
	if data[0] != '[' {
		return wrongKind(data, v, path)
	}
	elems, err := jsonexact.SplitArray(data)
	if err != nil {
		return &apiError{Code: "bad_json", Message: "the request body is not valid JSON"}
	}
	s := reflect.MakeSlice(v.Type(), len(elems), len(elems))
	for i, e := range elems {
		if ae := strictValue(e, s.Index(i), path+"["+strconv.Itoa(i)+"]"); ae != nil {
			return ae
		}
	}
	v.Set(s)
	return nil
}

// fieldSet is the JSON names of a struct's fields.
type fieldSet struct {
	byName map[string][]int // the field's index path, through embedded structs
	names  []string         // in declaration order
}

// jsonFields lists the fields of struct type t that encoding/json
// decodes, by the names it gives them: the json tag's name, else the Go
// name; fields of embedded structs without a tag name count as t's own,
// unless t has a field of the same name.
func jsonFields(t reflect.Type) fieldSet {
	fs := fieldSet{byName: map[string][]int{}}
	var embedded []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			embedded = append(embedded, f)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs.add(name, []int{i})
	}
	for _, f := range embedded {
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		inner := jsonFields(ft)
		for _, n := range inner.names {
			if _, taken := fs.byName[n]; !taken {
				fs.add(n, append([]int{f.Index[0]}, inner.byName[n]...))
			}
		}
	}
	return fs
}

func (fs *fieldSet) add(name string, index []int) {
	fs.byName[name] = index
	fs.names = append(fs.names, name)
}
