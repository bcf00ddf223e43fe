package chekin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// decodeError reads CheKin's error bodies, all Django REST Framework style:
// {"detail": "..."}, {"non_field_errors": [...]}, field lists such as
// {"check_in_date": ["..."], "location": {"country": ["..."]}}, a bare list
// of messages, and the coded form {"code", "message", "status_code",
// "errors"}. Field errors are keyed by their path, such as
// "location.country" or "members[1].name". A 402 (no valid subscription)
// matches partnerkit.ErrForbidden.
func decodeError(r *transport.Response) *partnerkit.Error {
	e := &partnerkit.Error{}
	if r.StatusCode == http.StatusPaymentRequired {
		e.Kind = partnerkit.ErrForbidden
	}
	var doc any
	if json.Unmarshal(r.Body, &doc) != nil {
		return e
	}
	switch body := doc.(type) {
	case string:
		e.Message = body
	case []any:
		e.Message = strings.Join(messages(body), " ")
	case map[string]any:
		decodeObject(e, body)
	}
	return e
}

func decodeObject(e *partnerkit.Error, body map[string]any) {
	fields := map[string][]string{}
	for key, value := range body {
		switch key {
		case "code":
			e.Code = scalar(value)
		case "message":
			e.Message = scalar(value)
		case "detail":
			if s, ok := value.(string); ok {
				if e.Message == "" {
					e.Message = s
				}
			} else {
				collect(fields, "", value)
			}
		case "non_field_errors":
			if list, ok := value.([]any); ok {
				e.Message = joinMessage(e.Message, strings.Join(messages(list), " "))
			} else {
				e.Message = joinMessage(e.Message, scalar(value))
			}
		case "status_code":
		case "errors":
			collect(fields, "", value)
		default:
			collect(fields, key, value)
		}
	}
	if msgs, ok := fields[""]; ok {
		delete(fields, "")
		e.Message = joinMessage(e.Message, strings.Join(msgs, " "))
	}
	if len(fields) > 0 {
		e.FieldErrors = fields
		if e.Message == "" {
			e.Message = "request validation failed"
		}
	}
}

// joinMessage keeps the first message and adds a different second one.
func joinMessage(first, second string) string {
	switch {
	case first == "" || first == second:
		return second
	case second == "":
		return first
	default:
		return first + " " + second
	}
}

// collect gathers the messages of a DRF error value under path.
func collect(fields map[string][]string, path string, value any) {
	switch v := value.(type) {
	case nil:
	case string:
		fields[path] = append(fields[path], v)
	case map[string]any:
		if field, ok := v["field"].(string); ok {
			msg := scalar(v["message"])
			if msg == "" {
				msg = scalar(v["detail"])
			}
			fields[join(path, field)] = append(fields[join(path, field)], msg)
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := join(path, k)
			if k == "non_field_errors" {
				sub = path
			}
			collect(fields, sub, v[k])
		}
	case []any:
		for i, item := range v {
			if m, ok := item.(map[string]any); ok {
				if _, named := m["field"].(string); named {
					collect(fields, path, item)
					continue
				}
			}
			switch item.(type) {
			case map[string]any, []any:
				collect(fields, fmt.Sprintf("%s[%d]", path, i), item)
			default:
				fields[path] = append(fields[path], scalar(item))
			}
		}
	default:
		fields[path] = append(fields[path], scalar(v))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// messages returns the texts of a list of messages.
func messages(list []any) []string {
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s := scalar(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// scalar returns a JSON scalar as text ("4002" for the number 4002).
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}
