// Package rawjson decodes a provider's answers and keeps, in every typed
// value that asks for it, the JSON the value was decoded from: a struct with
// a field
//
//	Raw json.RawMessage `json:"-"`
//
// gets its own JSON object there, at any depth (in slices, arrays, maps,
// pointers and embedded structs), so that a caller can read what the typed
// model does not cover. It is the one place that fills Raw fields:
//
//	var page struct {
//		Items []Listing `json:"items"`
//	}
//	err := rawjson.Unmarshal(body, &page) // each page.Items[i].Raw is that item's JSON
//
// A type with its own UnmarshalJSON (for tolerant decoding) is not entered:
// it decodes its plain form with Unmarshal, which fills the Raw fields of
// that form.
package rawjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Unmarshal decodes data into v with encoding/json, then fills the Raw
// fields of the values v holds.
func Unmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	p := planOf(rv.Type().Elem())
	if p.walk {
		fill(bytes.TrimSpace(data), rv.Elem(), p)
	}
	return nil
}

// Array decodes data with Unmarshal when it is a JSON array, for a list a
// provider may answer with a bare array instead of its page object, and
// reports whether it was one. Any other value is left to the caller.
func Array[T any](data []byte) (items []T, ok bool, err error) {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return nil, false, nil
	}
	if err := Unmarshal(data, &items); err != nil {
		return nil, true, err
	}
	return items, true, nil
}

// rawType is the type of a Raw field.
var rawType = reflect.TypeFor[json.RawMessage]()

// unmarshalerType is the interface of types that decode themselves.
var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// plan says how to fill the Raw fields of one type.
type plan struct {
	// walk says whether the type holds a Raw field at all.
	walk bool
	kind reflect.Kind
	// raw is the index path of the struct's Raw field, or nil.
	raw []int
	// fields are the struct fields that hold Raw fields, by JSON key.
	fields []field
	// elem is the plan of a pointer's, slice's, array's or map's element.
	elem *plan
}

type field struct {
	key      string
	keyBytes []byte
	index    []int
	plan     *plan
}

var plans sync.Map // reflect.Type → *plan

// planOf returns the plan of t, computing it once.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := build(t, map[reflect.Type]*plan{})
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

// build computes the plan of t. seen holds the plans being built, so that a
// type that refers to itself ends (its Raw fields below the first level are
// then left empty).
func build(t reflect.Type, seen map[reflect.Type]*plan) *plan {
	if p, ok := seen[t]; ok {
		return p
	}
	p := &plan{kind: t.Kind()}
	seen[t] = p
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return p // it decodes itself, Raw included
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		p.elem = build(t.Elem(), seen)
		p.walk = p.elem.walk
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			p.elem = build(t.Elem(), seen)
			p.walk = p.elem.walk
		}
	case reflect.Struct:
		collect(t, nil, p, seen)
		p.walk = p.raw != nil || len(p.fields) > 0
	}
	return p
}

// collect adds the Raw field and the fields to walk of struct t, reached
// through the index path prefix, to p. Embedded structs without a JSON name
// share their parent's object, as in encoding/json.
func collect(t reflect.Type, prefix []int, p *plan, seen map[reflect.Type]*plan) {
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			collect(f.Type, index, p, seen)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if f.Name == "Raw" && f.Type == rawType && tag == "-" {
			if p.raw == nil {
				p.raw = index
			}
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if fp := build(f.Type, seen); fp.walk {
			p.fields = append(p.fields, field{key: name, keyBytes: []byte(name), index: index, plan: fp})
		}
	}
}

// fill sets the Raw fields of v, which data decoded into. data is valid
// JSON (encoding/json accepted it) and may belong to the caller: each Raw
// gets its own copy. It finds members and elements with a scan of data
// rather than decoding it again.
func fill(data []byte, v reflect.Value, p *plan) {
	if !p.walk || len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return
	}
	switch p.kind {
	case reflect.Pointer:
		if !v.IsNil() {
			fill(data, v.Elem(), p.elem)
		}
	case reflect.Slice, reflect.Array:
		if data[0] != '[' {
			return
		}
		i, n := 1, v.Len()
		for index := 0; index < n; index++ {
			start := skipSpace(data, i)
			if start >= len(data) || data[start] == ']' {
				return
			}
			end := valueEnd(data, start)
			fill(data[start:end], v.Index(index), p.elem)
			i = skipSpace(data, end) + 1 // past the comma
		}
	case reflect.Map:
		if v.IsNil() || data[0] != '{' {
			return
		}
		eachMember(data, func(rawKey, value []byte) {
			k, ok := unquote(rawKey)
			if !ok {
				return
			}
			key := reflect.ValueOf(k).Convert(v.Type().Key())
			elem := v.MapIndex(key)
			if !elem.IsValid() {
				return
			}
			copied := reflect.New(elem.Type()).Elem()
			copied.Set(elem)
			fill(value, copied, p.elem)
			v.SetMapIndex(key, copied)
		})
	case reflect.Struct:
		if data[0] != '{' {
			return
		}
		if p.raw != nil {
			v.FieldByIndex(p.raw).SetBytes(bytes.Clone(data)) // SetBytes, not Set: no interface to allocate
		}
		if len(p.fields) == 0 {
			return
		}
		// As encoding/json does, a member sets the field whose name is its
		// key, else one whose name matches it ignoring case; the last member
		// that sets a field wins.
		values := make([][]byte, len(p.fields))
		eachMember(data, func(rawKey, value []byte) {
			key := rawKey
			if !plainString(rawKey) {
				k, ok := unquote(rawKey)
				if !ok {
					return
				}
				key = []byte(k)
			}
			match := -1
			for i, f := range p.fields {
				if string(key) == f.key {
					match = i
					break
				}
				if match < 0 && bytes.EqualFold(key, f.keyBytes) {
					match = i
				}
			}
			if match >= 0 {
				values[match] = value
			}
		})
		for i, f := range p.fields {
			value := values[i]
			if value == nil {
				continue
			}
			if fv, err := v.FieldByIndexErr(f.index); err == nil {
				fill(value, fv, f.plan)
			}
		}
	}
}

// eachMember calls f with the raw key (without its quotes, escapes kept)
// and the value of each member of the JSON object data, in order.
func eachMember(data []byte, f func(rawKey, value []byte)) {
	i := 1
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return
		}
		keyEnd := stringEnd(data, i)
		rawKey := data[i+1 : keyEnd-1]
		i = skipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return
		}
		start := skipSpace(data, i+1)
		if start >= len(data) {
			return
		}
		end := valueEnd(data, start)
		f(rawKey, data[start:end])
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ',' {
			return
		}
		i++
	}
}

// plainString reports whether the raw contents of a JSON string are its
// text: no escape, and valid UTF-8 (encoding/json turns each invalid byte
// into U+FFFD).
func plainString(raw []byte) bool {
	return bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw)
}

// unquote returns the text of a JSON string's raw contents (without the
// quotes), as encoding/json decodes it.
func unquote(raw []byte) (string, bool) {
	if plainString(raw) {
		return string(raw), true
	}
	var s string
	err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s)
	return s, err == nil
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index just past the JSON string that starts at
// data[i].
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// valueEnd returns the index just past the JSON value that starts at
// data[i].
func valueEnd(data []byte, i int) int {
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = stringEnd(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	default: // a number, true, false or null
		j := i
		for j < len(data) {
			switch data[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return j
			}
			j++
		}
		return j
	}
}
