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
	"log/slog"
	"reflect"

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

// LogValue returns a struct for log/slog as a group of its exported
// fields, each partnerkit.Secret among them as the placeholder: the
// LogValue of an input type that holds a Secret, so that slog's JSON
// handler, which would otherwise encode the struct as JSON (the Secret's
// wire form), prints no credential either:
//
//	func (p CustomerRegisterParams) LogValue() slog.Value { return secret.LogValue(p) }
func LogValue(v any) slog.Value {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return slog.AnyValue(nil)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return slog.AnyValue(v)
	}
	t := rv.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := rv.Field(i)
		if s, ok := fv.Interface().(partnerkit.Secret); ok {
			attrs = append(attrs, slog.String(f.Name, s.String()))
			continue
		}
		attrs = append(attrs, slog.Any(f.Name, fv.Interface()))
	}
	return slog.GroupValue(attrs...)
}
