package chekin

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// GuestsService reads and corrects guests.
type GuestsService struct {
	t *transport.Client
}

// ComplianceCode is the state of a guest's data or of one of its
// registrations with the authorities. CheKin may send codes not listed
// here; they are kept as they are.
type ComplianceCode string

// Compliance codes CheKin documents.
const (
	StatusNew      ComplianceCode = "NEW"
	StatusProgress ComplianceCode = "PROGRESS"
	StatusComplete ComplianceCode = "COMPLETE"
	StatusError    ComplianceCode = "ERROR"
	StatusNotUsed  ComplianceCode = "NOT_USED"
)

// Country is a guest's nationality.
type Country struct {
	// Code is the ISO 3166 alpha-2 code, such as "AR".
	Code string `json:"code"`
	// Alpha3 is the ISO 3166 alpha-3 code, such as "ARG".
	Alpha3 string `json:"alpha_3"`
	Name   string `json:"name"`
}

// UnmarshalJSON accepts a country object, or its code alone.
func (c *Country) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '{' {
		var code partnerkit.ID
		if err := code.UnmarshalJSON(data); err != nil {
			return err
		}
		*c = Country{Code: string(code)}
		return nil
	}
	type plain Country
	return rawjson.Unmarshal(data, (*plain)(c))
}

// Names are a guest's names as written on the document.
type Names struct {
	Name          string `json:"name"`
	Surname       string `json:"surname"`
	SecondSurname string `json:"second_surname"`
}

// Document is a guest's identity document. CheKin adds fields for some
// countries (Italy and others): they are in Extras, and Raw holds the
// document exactly as received.
type Document struct {
	ID partnerkit.ID `json:"id"`
	// Type is CheKin's document type code, such as "P" (passport).
	Type string `json:"type"`
	// TypeStr names the type, such as "Passport".
	TypeStr        string          `json:"type_str"`
	Number         string          `json:"number"`
	IssueDate      partnerkit.Date `json:"issue_date"`
	ExpirationDate partnerkit.Date `json:"expiration_date"`

	// Extras holds the fields not typed above, by name, as received.
	Extras map[string]json.RawMessage `json:"-"`
	Raw    json.RawMessage            `json:"-"`
}

// documentFields are the JSON names typed in Document.
var documentFields = map[string]bool{
	"id": true, "type": true, "type_str": true, "number": true, "issue_date": true, "expiration_date": true,
}

// UnmarshalJSON decodes a document, gathers the untyped fields in Extras
// and keeps the raw JSON in Raw.
func (d *Document) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil // null leaves the value as it is, as encoding/json does
	}
	type plain Document
	*d = Document{}
	if err := rawjson.Unmarshal(data, (*plain)(d)); err != nil {
		return err
	}
	extra, err := extras(data, documentFields)
	d.Extras = extra
	return err
}

// MarshalJSON writes the document with its Extras.
func (d Document) MarshalJSON() ([]byte, error) {
	type plain Document
	return withExtra(plain(d), d.Extras)
}

// ComplianceStatus is the state of one registration (police check-in,
// statistics check-out…).
type ComplianceStatus struct {
	Code  ComplianceCode `json:"code"`
	Label string         `json:"label"`
	// Details is what CheKin says about the state, as received.
	Details json.RawMessage `json:"details"`
}

// UnmarshalJSON accepts a status object, or its code alone.
func (s *ComplianceStatus) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '{' {
		var code partnerkit.ID
		if err := code.UnmarshalJSON(data); err != nil {
			return err
		}
		*s = ComplianceStatus{Code: ComplianceCode(code)}
		return nil
	}
	type plain ComplianceStatus
	return rawjson.Unmarshal(data, (*plain)(s))
}

// InOut is the state of a registration at check-in and at check-out.
type InOut struct {
	In  *ComplianceStatus `json:"in"`
	Out *ComplianceStatus `json:"out"`
}

// Statuses are a guest's registrations with the authorities.
type Statuses struct {
	Police     InOut `json:"police"`
	Statistics InOut `json:"statistics"`
}

// Guest is a guest of a reservation. CheKin adds fields for some
// countries (Italy and others): they are in Extras, and Raw holds the guest
// exactly as received.
type Guest struct {
	ID            partnerkit.ID   `json:"id"`
	FullName      string          `json:"full_name"`
	Name          string          `json:"name"`
	Surname       string          `json:"surname"`
	SecondSurname string          `json:"second_surname"`
	Email         string          `json:"email"`
	Phone         string          `json:"phone"`
	Gender        string          `json:"gender"`
	BirthDate     partnerkit.Date `json:"birth_date"`
	Language      string          `json:"language"`
	Nationality   *Country        `json:"nationality"`
	Names         *Names          `json:"names"`
	Document      *Document       `json:"document"`
	// Status says whether the guest's data are complete; it is used with a
	// police connection.
	Status        ComplianceCode `json:"status"`
	StatusDisplay string         `json:"status_display"`
	Statuses      *Statuses      `json:"statuses"`

	// Extras holds the fields not typed above, by name, as received.
	Extras map[string]json.RawMessage `json:"-"`
	Raw    json.RawMessage            `json:"-"`
}

// guestFields are the JSON names typed in Guest.
var guestFields = map[string]bool{
	"id": true, "full_name": true, "name": true, "surname": true, "second_surname": true, "email": true,
	"phone": true, "gender": true, "birth_date": true, "language": true, "nationality": true, "names": true,
	"document": true, "status": true, "status_display": true, "statuses": true,
}

// UnmarshalJSON decodes a guest, gathers the untyped fields in Extras and
// keeps the raw JSON in Raw.
func (g *Guest) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil // null leaves the value as it is, as encoding/json does
	}
	type plain Guest
	*g = Guest{}
	if err := rawjson.Unmarshal(data, (*plain)(g)); err != nil {
		return err
	}
	extra, err := extras(data, guestFields)
	g.Extras = extra
	return err
}

// MarshalJSON writes the guest with its Extras, so that a guest encoded
// again keeps every field CheKin sent.
func (g Guest) MarshalJSON() ([]byte, error) {
	type plain Guest
	return withExtra(plain(g), g.Extras)
}

// DocumentChanges change a guest's document. Only the fields set are sent.
type DocumentChanges struct {
	Type           *string          `json:"type,omitempty"`
	Number         *string          `json:"number,omitempty"`
	IssueDate      *partnerkit.Date `json:"issue_date,omitempty"`
	ExpirationDate *partnerkit.Date `json:"expiration_date,omitempty"`
}

// GuestUpdateParams correct a guest, for example before resending a
// reservation to the police. Only the fields set are sent.
type GuestUpdateParams struct {
	FullName      *string          `json:"full_name,omitempty"`
	Name          *string          `json:"name,omitempty"`
	Surname       *string          `json:"surname,omitempty"`
	SecondSurname *string          `json:"second_surname,omitempty"`
	Email         *string          `json:"email,omitempty"`
	Phone         *string          `json:"phone,omitempty"`
	Gender        *string          `json:"gender,omitempty"`
	BirthDate     *partnerkit.Date `json:"birth_date,omitempty"`
	Language      *string          `json:"language,omitempty"`
	// Nationality is an ISO 3166 alpha-2 code, such as "ES".
	Nationality *string          `json:"nationality,omitempty"`
	Document    *DocumentChanges `json:"document,omitempty"`
	// Extra holds further fields to change (country-specific ones), sent
	// as they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the fields set and the Extra fields.
func (u GuestUpdateParams) MarshalJSON() ([]byte, error) {
	type plain GuestUpdateParams
	return withExtra(plain(u), u.Extra)
}

func (u *GuestUpdateParams) check(v *validate.Errors) {
	if !v.Check(u.FullName != nil || u.Name != nil || u.Surname != nil || u.SecondSurname != nil || u.Email != nil ||
		u.Phone != nil || u.Gender != nil || u.BirthDate != nil || u.Language != nil || u.Nationality != nil ||
		u.Document != nil || len(u.Extra) > 0, "params", "must set at least one field") {
		return
	}
	if u.Email != nil {
		v.Email("Email", *u.Email)
	}
	if u.BirthDate != nil {
		v.Date("BirthDate", *u.BirthDate)
	}
	if u.Nationality != nil {
		n := *u.Nationality
		v.Check(len(n) == 2 && isUpperAlpha(n), "Nationality", "must be an ISO 3166 alpha-2 code such as ES")
	}
	if d := u.Document; d != nil {
		v.Check(d.Type != nil || d.Number != nil || d.IssueDate != nil || d.ExpirationDate != nil, "Document", "must set at least one field")
		if d.IssueDate != nil {
			v.Date("Document.IssueDate", *d.IssueDate)
		}
		if d.ExpirationDate != nil {
			v.Date("Document.ExpirationDate", *d.ExpirationDate)
		}
	}
}

func isUpperAlpha(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Get returns one guest. The ID may be written as 32 hex digits (as in
// webhooks) or as a dashed UUID.
func (s *GuestsService) Get(ctx context.Context, id partnerkit.ID) (*Guest, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Guest](ctx, s.t, &transport.Request{Method: http.MethodGet, Path: "/guests/{id}/", PathParams: []string{string(id)}})
}

// Update changes the fields of params that are set (PATCH) and returns
// the guest.
func (s *GuestsService) Update(ctx context.Context, id partnerkit.ID, params *GuestUpdateParams) (*Guest, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if v.NotNil("params", params != nil) {
		params.check(&v)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Guest](ctx, s.t, &transport.Request{
		Method: http.MethodPatch, Path: "/guests/{id}/", PathParams: []string{string(id)},
		Body: params, Safety: transport.Idempotent,
	})
}
