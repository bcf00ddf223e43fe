// Package secret holds credentials (API keys, passwords, tokens) so that no
// formatting of the value that holds them can reveal them: fmt's verbs,
// slog's handlers and encoding/json all print a placeholder.
//
//	type Client struct{ password secret.String }
//	c := Client{password: secret.New(pw)}
//	fmt.Printf("%+v", c)         // {password:[REDACTED]} or an address, never pw
//	req.Password = c.password.Reveal()
//
// The value sits behind a pointer: fmt prints a pointer held in an
// unexported field as an address without calling its methods, so even a
// struct that holds a String in an unexported field prints no credential.
package secret

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/partnerkit/partnerkit-go"
)

// Placeholder is what every formatting of a String prints.
const Placeholder = "[REDACTED]"

// String is a credential. The zero String is empty.
type String struct {
	v *string
}

// New returns a String holding v.
func New(v string) String {
	return String{v: &v}
}

// Reveal returns the credential, for the one request that needs it.
func (s String) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the String is empty.
func (s String) IsZero() bool {
	return s.v == nil || *s.v == ""
}

// String returns the placeholder.
func (s String) String() string { return Placeholder }

// GoString returns the placeholder, for %#v.
func (s String) GoString() string { return Placeholder }

// Format prints the placeholder for every verb.
func (s String) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Placeholder)) }

// LogValue returns the placeholder, for log/slog.
func (s String) LogValue() slog.Value { return slog.StringValue(Placeholder) }

// MarshalJSON writes the placeholder as a JSON string.
func (s String) MarshalJSON() ([]byte, error) { return []byte(`"` + Placeholder + `"`), nil }

// MarshalText writes the placeholder.
func (s String) MarshalText() ([]byte, error) { return []byte(Placeholder), nil }

// Format prints v, a struct, as fmt would print it without v's own
// methods, for the verb and flags of f: the Format method of a type that
// holds a partnerkit.Secret and may be held behind a pointer.
//
//	func (p PoliceAccount) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }
//
// fmt prints a pointer met inside a value with %s, %q or another verb
// that does not suit a pointer as an error, and prints what it points to
// without calling any method, the Secret's Format included: a Format
// method on the type pointed to is called first, and keeps the Secret's
// own. v is printed as a value of a struct type with v's fields and no
// methods, so the fields' own methods (the Secret's Format) apply; for %#v
// the printed type name is v's. v's fields must all be exported and none
// embedded (reflect.StructOf builds that type).
func Format(f fmt.State, verb rune, v any) {
	rv := reflect.ValueOf(v)
	plain := rv.Convert(plainOf(rv.Type())).Interface()
	out := fmt.Sprintf(fmt.FormatString(f, verb), plain)
	if verb == 'v' && f.Flag('#') {
		out = strings.Replace(out, reflect.TypeOf(plain).String(), rv.Type().String(), 1)
	}
	_, _ = io.WriteString(f, out)
}

// plains holds the plain type of each struct type Format printed.
var plains sync.Map // reflect.Type → reflect.Type

// plainOf returns a struct type with the fields of t, a struct type, and
// none of its methods.
func plainOf(t reflect.Type) reflect.Type {
	if p, ok := plains.Load(t); ok {
		return p.(reflect.Type)
	}
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		fields[i] = t.Field(i)
	}
	p, _ := plains.LoadOrStore(t, reflect.StructOf(fields))
	return p.(reflect.Type)
}

// maxDepth bounds how deep LogValue walks a value, so that a value that
// holds itself (through a pointer, an interface or a slice) ends.
const maxDepth = 32

// secretType is partnerkit.Secret, the credential of an input.
var secretType = reflect.TypeFor[partnerkit.Secret]()

// LogValue returns a value for log/slog with every partnerkit.Secret it
// holds, at any depth, as the placeholder: the LogValue of a type that
// holds a Secret, so that slog's JSON handler, which would otherwise encode
// the value as JSON (the Secret's wire form), prints no credential either:
//
//	func (p CustomerRegisterParams) LogValue() slog.Value { return secret.LogValue(p) }
//
// A struct (or a pointer to one) becomes a group of its exported fields.
// A field, element or map value that holds a Secret, through structs,
// pointers, interfaces, slices, arrays or maps, is walked the same way:
// a struct as a group, a slice or an array as a group keyed "0", "1"…, a
// map as a group keyed by its keys as fmt prints them; a Secret itself is
// the placeholder (or "" when empty). Everything that holds no Secret is
// left to slog as it is (its own LogValue, MarshalJSON or String apply).
// LogValue never calls the LogValue method of a value that holds a Secret,
// its own included, so it cannot loop; a value that holds itself is cut at
// a depth of 32.
func LogValue(v any) slog.Value {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return slog.AnyValue(nil)
		}
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct {
		return group(rv, 0)
	}
	return walk(rv, 0)
}

// walk returns the log value of v, which was reached at depth.
func walk(v reflect.Value, depth int) slog.Value {
	switch {
	case !v.IsValid(), v.Kind() == reflect.Pointer && v.IsNil():
		// nil, rather than a nil pointer whose value-receiver LogValue
		// slog would call and see panic
		return slog.AnyValue(nil)
	case v.Type() == secretType:
		return slog.StringValue(partnerkit.Secret(v.String()).String())
	case depth > maxDepth:
		return slog.StringValue(Placeholder)
	case !holds(v, depth):
		return slog.AnyValue(v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return walk(v.Elem(), depth+1)
	case reflect.Struct:
		return group(v, depth)
	case reflect.Slice, reflect.Array:
		attrs := make([]slog.Attr, v.Len())
		for i := range attrs {
			attrs[i] = slog.Attr{Key: strconv.Itoa(i), Value: walk(v.Index(i), depth+1)}
		}
		return slog.GroupValue(attrs...)
	case reflect.Map:
		attrs := make([]slog.Attr, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			attrs = append(attrs, slog.Attr{Key: fmt.Sprint(it.Key().Interface()), Value: walk(it.Value(), depth+1)})
		}
		sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
		return slog.GroupValue(attrs...)
	}
	return slog.AnyValue(v.Interface())
}

// group returns the struct v as a group of its exported fields.
func group(v reflect.Value, depth int) slog.Value {
	t := v.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			attrs = append(attrs, slog.Attr{Key: f.Name, Value: walk(v.Field(i), depth+1)})
		}
	}
	return slog.GroupValue(attrs...)
}

// holds reports whether the value v holds a Secret that slog would print:
// in itself, an exported field, an element, a map key or value, behind a
// pointer or an interface. Past maxDepth it says yes, so that walk cuts
// the value there.
func holds(v reflect.Value, depth int) bool {
	switch {
	case !v.IsValid():
		return false
	case v.Type() == secretType || depth > maxDepth:
		return true
	case !mayHold(v.Type()):
		return false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && holds(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && holds(v.Field(i), depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holds(v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holds(it.Key(), depth+1) || holds(it.Value(), depth+1) {
				return true
			}
		}
	}
	return false
}

// mayHoldCache keeps mayHold's answer for the types LogValue met.
var mayHoldCache sync.Map // reflect.Type → bool

// mayHold reports whether a value of type t can hold a Secret: t is
// Secret, or reaches it through exported fields, pointers, slices,
// arrays or maps, or through an interface, which may hold anything.
func mayHold(t reflect.Type) bool {
	if known, ok := mayHoldCache.Load(t); ok {
		return known.(bool)
	}
	// Answers found while another type was being looked at may rest on
	// that type's being assumed not to hold one: only this one is kept.
	ok := typeHolds(t, map[reflect.Type]bool{})
	mayHoldCache.Store(t, ok)
	return ok
}

func typeHolds(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == secretType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return typeHolds(t.Elem(), seen)
	case reflect.Map:
		return typeHolds(t.Key(), seen) || typeHolds(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && typeHolds(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
