package chekin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// HousingsService manages the account's housings (properties).
type HousingsService struct {
	t *transport.Client
}

// HousingType is the kind of a housing. It is mandatory when a police
// account is connected to the housing. CheKin may answer with types not
// listed here; they are kept as they are.
type HousingType string

// Housing types CheKin documents.
const (
	// HousingVacationRental is a vacation rental (HOU).
	HousingVacationRental HousingType = "HOU"
	// HousingHotel is a hotel, hostel, hostal, campground or B&B (HOT).
	HousingHotel HousingType = "HOT"
)

// LocationCode is a place code (a country, a region, a city) that CheKin
// sends either as text ("ES") or as an object with a code ({"code": "ES",
// "name": "Spain"}); it decodes from both and encodes as text.
type LocationCode string

// UnmarshalJSON accepts a string, a number, null, or an object with a code,
// value or id field.
func (c *LocationCode) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var obj struct {
			Code  *partnerkit.ID `json:"code"`
			ID    *partnerkit.ID `json:"id"`
			Value *partnerkit.ID `json:"value"`
		}
		if err := json.Unmarshal(data, &obj); err != nil {
			return err
		}
		for _, v := range []*partnerkit.ID{obj.Code, obj.Value, obj.ID} {
			if v != nil {
				*c = LocationCode(*v)
				return nil
			}
		}
		*c = ""
		return nil
	}
	var id partnerkit.ID
	if err := id.UnmarshalJSON(data); err != nil {
		return err
	}
	*c = LocationCode(id)
	return nil
}

// Location is where a housing is. Country, Community and Province are ISO
// 3166 codes, such as "ES", "ES-AN" and "ES-AL".
type Location struct {
	Country   LocationCode `json:"country,omitempty"`
	Community LocationCode `json:"community,omitempty"`
	Province  LocationCode `json:"province,omitempty"`
	City      LocationCode `json:"city,omitempty"`
	Address   string       `json:"address,omitempty"`
}

// PoliceAccount is the police registration account connected to a
// housing. Its passwords are sent to CheKin and never logged; CheKin does
// not send them back.
type PoliceAccount struct {
	// ID is CheKin's ID of the account, in answers.
	ID partnerkit.ID `json:"id,omitempty"`
	// Type is the police system, such as "ISP" or "POL".
	Type                string            `json:"type,omitempty"`
	Username            string            `json:"username,omitempty"`
	Password            partnerkit.Secret `json:"password,omitempty"`
	CertificatePassword partnerkit.Secret `json:"certificate_password,omitempty"`
	ExternalName        string            `json:"external_name,omitempty"`
	ExternalID          string            `json:"external_id,omitempty"`
}

// LogValue logs the account for log/slog with the passwords as a
// placeholder.
func (p PoliceAccount) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the account as fmt would, with the passwords as a
// placeholder, for every verb, also where it is met behind a pointer.
func (p PoliceAccount) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// UnmarshalJSON accepts an account object, or the account's ID alone.
func (p *PoliceAccount) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '{' {
		var id partnerkit.ID
		if err := id.UnmarshalJSON(data); err != nil {
			return err
		}
		*p = PoliceAccount{ID: id}
		return nil
	}
	type plain PoliceAccount
	return rawjson.Unmarshal(data, (*plain)(p))
}

// Housing is a property in CheKin. Raw holds it exactly as received.
type Housing struct {
	ID partnerkit.ID `json:"id"`
	// URL is CheKin's address of the housing.
	URL           string         `json:"url"`
	Name          string         `json:"name"`
	Type          HousingType    `json:"type"`
	Location      Location       `json:"location"`
	PoliceAccount *PoliceAccount `json:"police_account"`
	ExternalID    string         `json:"external_id"`

	Raw json.RawMessage `json:"-"`
}

// LogValue logs the housing for log/slog with the police account's
// passwords, if any, as a placeholder.
func (h Housing) LogValue() slog.Value { return secret.LogValue(h) }

// Format prints the housing as fmt would, with the police account's
// passwords as a placeholder, for every verb, also where it is met behind
// a pointer.
func (h Housing) Format(f fmt.State, verb rune) { secret.Format(f, verb, h) }

// UnmarshalJSON decodes a housing, which CheKin may give by its ID alone
// (in a reservation), and keeps the raw JSON in Raw.
func (h *Housing) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil // null leaves the value as it is, as encoding/json does
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		var id partnerkit.ID
		if err := id.UnmarshalJSON(trimmed); err != nil {
			return err
		}
		*h = Housing{ID: id, Raw: bytes.Clone(trimmed)}
		return nil
	}
	type plain Housing
	*h = Housing{}
	return rawjson.Unmarshal(data, (*plain)(h))
}

// HousingCreateParams describe a new housing. Formatting them with fmt or
// log/slog prints no password of the police account.
type HousingCreateParams struct {
	// Name is required.
	Name string `json:"name"`
	// Type is required when PoliceAccount is set.
	Type          HousingType    `json:"type,omitempty"`
	Location      *Location      `json:"location,omitempty"`
	PoliceAccount *PoliceAccount `json:"police_account,omitempty"`
	ExternalID    string         `json:"external_id,omitempty"`
	// Extra holds further fields CheKin accepts, sent as they are. A typed
	// field of the same name wins.
	Extra map[string]any `json:"-"`
}

func (p *HousingCreateParams) check(v *validate.Errors, prefix string) {
	v.Required(prefix+"Name", p.Name)
	if p.PoliceAccount != nil {
		v.Check(p.Type != "", prefix+"Type", "is required when a police account is connected (HousingVacationRental or HousingHotel)")
	}
}

// LogValue logs the params for log/slog with the passwords as a placeholder.
func (p HousingCreateParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the params as fmt would, with the passwords as a
// placeholder, for every verb, also where they are met behind a pointer.
func (p HousingCreateParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// MarshalJSON writes the housing with its Extra fields.
func (p HousingCreateParams) MarshalJSON() ([]byte, error) {
	type plain HousingCreateParams
	return withExtra(plain(p), p.Extra)
}

// HousingUpdateParams change a housing. Only the fields set are sent.
// Formatting them with fmt or log/slog prints no password of the police
// account.
type HousingUpdateParams struct {
	Name          *string        `json:"name,omitempty"`
	Type          *HousingType   `json:"type,omitempty"`
	Location      *Location      `json:"location,omitempty"`
	PoliceAccount *PoliceAccount `json:"police_account,omitempty"`
	ExternalID    *string        `json:"external_id,omitempty"`
	// Extra holds further fields to change, sent as they are.
	Extra map[string]any `json:"-"`
}

// LogValue logs the params for log/slog with the passwords as a placeholder.
func (p HousingUpdateParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (p HousingUpdateParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// MarshalJSON writes the fields set and the Extra fields.
func (p HousingUpdateParams) MarshalJSON() ([]byte, error) {
	type plain HousingUpdateParams
	return withExtra(plain(p), p.Extra)
}

func (p *HousingUpdateParams) empty() bool {
	return p.Name == nil && p.Type == nil && p.Location == nil && p.PoliceAccount == nil && p.ExternalID == nil && len(p.Extra) == 0
}

// secretsOf registers the passwords of a police account as secrets.
func secretsOf(t *transport.Client, p *PoliceAccount) {
	if p != nil {
		t.AddSecret(string(p.Password))
		t.AddSecret(string(p.CertificatePassword))
	}
}

// Create creates a housing and returns it with its ID. It is not retried
// once it may have reached CheKin.
func (s *HousingsService) Create(ctx context.Context, params *HousingCreateParams) (*Housing, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		params.check(&v, "")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	secretsOf(s.t, params.PoliceAccount)
	return transport.Decode[Housing](ctx, s.t, &transport.Request{Method: http.MethodPost, Path: "/housings/", Body: params, Safety: transport.NotIdempotent})
}

// Get returns one housing.
func (s *HousingsService) Get(ctx context.Context, id partnerkit.ID) (*Housing, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Housing](ctx, s.t, &transport.Request{Method: http.MethodGet, Path: "/housings/{id}/", PathParams: []string{string(id)}})
}

// Update changes the fields of params that are set (PATCH) and returns the
// housing.
func (s *HousingsService) Update(ctx context.Context, id partnerkit.ID, params *HousingUpdateParams) (*Housing, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if v.NotNil("params", params != nil) && v.Check(!params.empty(), "params", "must set at least one field") {
		if params.Name != nil {
			v.Required("Name", *params.Name)
		}
		if params.Type != nil {
			v.Required("Type", string(*params.Type))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	secretsOf(s.t, params.PoliceAccount)
	return transport.Decode[Housing](ctx, s.t, &transport.Request{
		Method: http.MethodPatch, Path: "/housings/{id}/", PathParams: []string{string(id)},
		Body: params, Safety: transport.Idempotent,
	})
}

// Delete deletes a housing.
func (s *HousingsService) Delete(ctx context.Context, id partnerkit.ID) error {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.t.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/housings/{id}/", PathParams: []string{string(id)}}, nil)
}

// HousingListParams select a page of housings. All fields are optional; a
// nil *HousingListParams asks for CheKin's first page.
type HousingListParams struct {
	// Page is the page number, from 1; 0 means the first page.
	Page int
	// Limit is the number of housings on a page (DRF's page_size); 0 means
	// CheKin's default. A server that does not let callers choose the page
	// size ignores it.
	Limit int
	// Name limits the list to housings with this name.
	Name string
	// FieldSet asks CheKin for a lighter or richer set of fields.
	FieldSet string
	// Filters are further query parameters passed as they are, for the
	// filters CheKin offers beyond the ones typed here. A typed field of
	// the same name wins.
	Filters url.Values
}

func (p *HousingListParams) query() (url.Values, error) {
	if p == nil {
		return url.Values{}, nil
	}
	q, err := pageQuery(p.Page, p.Limit, p.Filters)
	if err != nil {
		return nil, err
	}
	if p.Name != "" {
		q.Set("name", p.Name)
	}
	if p.FieldSet != "" {
		q.Set("field_set", p.FieldSet)
	}
	return q, nil
}

// List returns one page of housings.
func (s *HousingsService) List(ctx context.Context, params *HousingListParams) (*Page[Housing], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Housing](ctx, s.t, "/housings/", q)
}

// All iterates over every housing matching params, from params.Page (or
// the first page) on, fetching pages as the loop needs them.
func (s *HousingsService) All(ctx context.Context, params *HousingListParams) iter.Seq2[Housing, error] {
	q, err := params.query()
	if err != nil {
		return paging.Fail[Housing](err)
	}
	return all[Housing](ctx, s.t, "/housings/", q)
}
