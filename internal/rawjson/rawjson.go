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
		fill(bytes.TrimSpace(data), rv.Elem(), p, true)
	}
	return nil
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
	key   string
	index []int
	plan  *plan
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
			p.fields = append(p.fields, field{key: name, index: index, plan: fp})
		}
	}
}

// fill sets the Raw fields of v, which data decoded into. top says whether
// data belongs to the caller and must be copied before it is kept.
func fill(data []byte, v reflect.Value, p *plan, top bool) {
	if !p.walk || len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return
	}
	switch p.kind {
	case reflect.Pointer:
		if !v.IsNil() {
			fill(data, v.Elem(), p.elem, top)
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return
		}
		for i := 0; i < len(items) && i < v.Len(); i++ {
			fill(items[i], v.Index(i), p.elem, false)
		}
	case reflect.Map:
		var members map[string]json.RawMessage
		if v.IsNil() || json.Unmarshal(data, &members) != nil {
			return
		}
		for k, raw := range members {
			key := reflect.ValueOf(k).Convert(v.Type().Key())
			elem := v.MapIndex(key)
			if !elem.IsValid() {
				continue
			}
			copied := reflect.New(elem.Type()).Elem()
			copied.Set(elem)
			fill(raw, copied, p.elem, false)
			v.SetMapIndex(key, copied)
		}
	case reflect.Struct:
		if p.raw != nil {
			raw := data
			if top {
				raw = bytes.Clone(data)
			}
			v.FieldByIndex(p.raw).Set(reflect.ValueOf(json.RawMessage(raw)))
		}
		if len(p.fields) == 0 {
			return
		}
		var members map[string]json.RawMessage
		if json.Unmarshal(data, &members) != nil {
			return
		}
		for _, f := range p.fields {
			raw, ok := members[f.key]
			if !ok {
				raw, ok = foldKey(members, f.key)
			}
			if ok {
				fv, err := v.FieldByIndexErr(f.index)
				if err == nil {
					fill(raw, fv, f.plan, false)
				}
			}
		}
	}
}

// foldKey finds key in members as encoding/json does when no member has
// the exact key: ignoring case.
func foldKey(members map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	for k, raw := range members {
		if strings.EqualFold(k, key) {
			return raw, true
		}
	}
	return nil, false
}
