package transport

import (
	"reflect"

	"github.com/partnerkit/partnerkit-go"
)

// scrubError removes known secrets from everything a provider's answer put
// in e: a server may echo a credential in any field.
func (c *Client) scrubError(e *partnerkit.Error) {
	e.Code = c.secrets.scrub(e.Code)
	e.Message = c.secrets.scrub(e.Message)
	e.RequestID = c.secrets.scrub(e.RequestID)
	e.Path = c.secrets.scrub(e.Path)
	if len(e.FieldErrors) > 0 {
		fields := make(map[string][]string, len(e.FieldErrors))
		for field, msgs := range e.FieldErrors {
			clean := make([]string, len(msgs))
			for i, m := range msgs {
				clean[i] = c.secrets.scrub(m)
			}
			field = c.secrets.scrub(field)
			fields[field] = append(fields[field], clean...)
		}
		e.FieldErrors = fields
	}
	e.Details = c.scrubValue(e.Details)
}

// scrubValue returns v with known secrets removed from every string in it,
// at any depth of maps and slices of the shapes JSON decodes into.
func (c *Client) scrubValue(v any) any {
	switch t := v.(type) {
	case string:
		return c.secrets.scrub(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, inner := range t {
			out[c.secrets.scrub(k)] = c.scrubValue(inner)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, inner := range t {
			out[i] = c.scrubValue(inner)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, inner := range t {
			out[c.secrets.scrub(k)] = c.secrets.scrub(inner)
		}
		return out
	case []string:
		out := make([]string, len(t))
		for i, inner := range t {
			out[i] = c.secrets.scrub(inner)
		}
		return out
	case nil:
		return nil
	default:
		// A provider's own details type (a struct, a pointer to one, ...).
		return c.scrubReflect(reflect.ValueOf(v), 0).Interface()
	}
}

// maxScrubDepth bounds scrubReflect on values that refer to themselves.
const maxScrubDepth = 32

// scrubReflect returns a copy of v with known secrets removed from every
// string and byte slice (such as a json.RawMessage) it holds in exported
// fields, elements, map keys and values, at any depth. Unexported fields are
// copied as they are.
func (c *Client) scrubReflect(v reflect.Value, depth int) reflect.Value {
	if depth > maxScrubDepth {
		return v
	}
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(c.secrets.scrub(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(c.scrubReflect(v.Elem(), depth+1))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(c.scrubReflect(v.Elem(), depth+1))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if f := out.Field(i); f.CanSet() {
				f.Set(c.scrubReflect(v.Field(i), depth+1))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := c.secrets.scrubBytes(v.Bytes())
			out := reflect.MakeSlice(v.Type(), len(b), len(b))
			reflect.Copy(out, reflect.ValueOf(b))
			return out
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(c.scrubReflect(v.Index(i), depth+1))
		}
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			out.Index(i).Set(c.scrubReflect(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(c.scrubReflect(it.Key(), depth+1), c.scrubReflect(it.Value(), depth+1))
		}
		return out
	default:
		return v
	}
}
