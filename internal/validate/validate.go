// Package validate checks a call's arguments before anything is sent, and
// reports every problem as a partnerkit.ValidationError naming the field and
// the rule.
//
//	var v validate.Errors
//	v.Positive("ListingID", p.ListingID)
//	v.DateOrder("CheckIn", p.CheckIn, "CheckOut", p.CheckOut)
//	if err := v.Err(); err != nil {
//		return nil, err // matches partnerkit.ErrInvalidInput
//	}
package validate

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

// Errors collects validation problems. The zero value is ready to use.
type Errors struct {
	list []error
}

// Check records rule for field when ok is false, and returns ok.
func (e *Errors) Check(ok bool, field, rule string) bool {
	if !ok {
		e.list = append(e.list, &partnerkit.ValidationError{Field: field, Rule: rule})
	}
	return ok
}

// Err returns nil when nothing was recorded, the one ValidationError, or all
// of them joined.
func (e *Errors) Err() error {
	switch len(e.list) {
	case 0:
		return nil
	case 1:
		return e.list[0]
	default:
		return errors.Join(e.list...)
	}
}

// Required checks that value is not blank.
func (e *Errors) Required(field, value string) bool {
	return e.Check(strings.TrimSpace(value) != "", field, "is required")
}

// Credential checks a required credential or any value that goes into a
// header (an API key, a tenant ID, a token): not blank, and no control
// characters such as CR, LF or NUL, which net/http would refuse at every
// send. The rule never quotes the value.
func (e *Errors) Credential(field, value string) bool {
	if !e.Required(field, value) {
		return false
	}
	return e.Check(config.ValidHeaderValue(value) && strings.TrimSpace(value) == value, field,
		"must not contain control characters such as CR, LF or NUL, nor surrounding spaces")
}

// Page checks the page number and page size of a list's params: pages are
// numbered from 1 (0 means the first), and a size of 0 means the
// provider's default.
func (e *Errors) Page(page, limit int) {
	e.Check(page >= 0, "Page", "must not be negative (pages start at 1)")
	e.Check(limit >= 0, "Limit", "must not be negative")
}

// NotNil checks that a required argument was given.
func (e *Errors) NotNil(field string, given bool) bool {
	return e.Check(given, field, "is required")
}

// Positive checks that an ID or count is at least 1.
func (e *Errors) Positive(field string, v int64) bool {
	return e.Check(v >= 1, field, "must be a positive number")
}

// PathID checks a required ID that goes into a URL path: a positive integer
// or an opaque token that cannot change the path (no / ? # % \ or spaces,
// and not . or ..).
func (e *Errors) PathID(field string, id partnerkit.ID) bool {
	if !e.Required(field, string(id)) {
		return false
	}
	if n, ok := id.Int64(); ok {
		return e.Check(n >= 1, field, "must be a positive number")
	}
	return e.Check(!strings.ContainsAny(string(id), "/?#% \\") && id != "." && id != "..", field, "must be a positive number or an opaque ID without / ? # % \\ or spaces")
}

// Date checks that d is set and exists.
func (e *Errors) Date(field string, d partnerkit.Date) bool {
	if !e.Check(!d.IsZero(), field, "is required (YYYY-MM-DD)") {
		return false
	}
	return e.Check(d.Valid(), field, "must be a real calendar date (YYYY-MM-DD), got "+dateText(d))
}

// DateOrder checks both dates and that end is strictly after start (a stay
// needs at least one night).
func (e *Errors) DateOrder(startField string, start partnerkit.Date, endField string, end partnerkit.Date) bool {
	if !e.Date(startField, start) || !e.Date(endField, end) {
		return false
	}
	return e.Check(end.After(start), endField, "must be after "+startField)
}

// DateRange checks both dates and that end is not before start (an
// inclusive range of days).
func (e *Errors) DateRange(startField string, start partnerkit.Date, endField string, end partnerkit.Date) bool {
	if !e.Date(startField, start) || !e.Date(endField, end) {
		return false
	}
	return e.Check(!end.Before(start), endField, "must not be before "+startField)
}

// Email checks a required e-mail address.
func (e *Errors) Email(field, v string) bool {
	if !e.Required(field, v) {
		return false
	}
	addr, err := mail.ParseAddress(v)
	return e.Check(err == nil && addr.Address == v, field, "must be an e-mail address like name@example.com")
}

// Phone checks a required phone number: an optional leading +, then 8 to 15
// digits, spaces, dots and dashes allowed between them.
func (e *Errors) Phone(field, v string) bool {
	if !e.Required(field, v) {
		return false
	}
	return e.Check(ValidPhone(v), field, "must be a phone number of 8 to 15 digits, optionally starting with +")
}

// ValidPhone reports whether v is a phone number as Phone accepts it.
func ValidPhone(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case (r == ' ' || r == '-' || r == '.') && digits > 0:
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// URL checks a required absolute http or https URL.
func (e *Errors) URL(field, v string) bool {
	if !e.Required(field, v) {
		return false
	}
	u, err := url.Parse(v)
	return e.Check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", field, "must be an absolute http or https URL")
}

func dateText(d partnerkit.Date) string {
	return fmt.Sprintf("%d-%d-%d", d.Year, int(d.Month), d.Day)
}
