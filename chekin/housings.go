package chekin

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

const housingsPath = "/housings/"

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

// Code is a code CheKin sends either as text ("ES") or as an object with a
// code ({"code": "ES", "name": "Spain"}); it decodes from both.
type Code string

// UnmarshalJSON accepts a string, null, or an object with a code, id or
// value field.
func (c *Code) UnmarshalJSON(data []byte) error {
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
				*c = Code(*v)
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
	*c = Code(id)
	return nil
}

// Location is where a housing is. Country, Community and Province are ISO
// 3166 codes, such as "ES", "ES-AN" and "ES-AL".
type Location struct {
	Country   Code   `json:"country,omitempty"`
	Community Code   `json:"community,omitempty"`
	Province  Code   `json:"province,omitempty"`
	City      Code   `json:"city,omitempty"`
	Address   string `json:"address,omitempty"`
}

// PoliceAccount is the police registration account connected to a
// housing. Its passwords are sent to CheKin and never logged.
type PoliceAccount struct {
	// ID is CheKin's ID of the account, in answers.
	ID partnerkit.ID `json:"id,omitempty"`
	// Type is the police system, such as "ISP" or "POL".
	Type                string `json:"type,omitempty"`
	Username            string `json:"username,omitempty"`
	Password            string `json:"password,omitempty"`
	CertificatePassword string `json:"certificate_password,omitempty"`
	ExternalName        string `json:"external_name,omitempty"`
	ExternalID          string `json:"external_id,omitempty"`
}

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
	return json.Unmarshal(data, (*plain)(p))
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

// UnmarshalJSON decodes a housing, which may be given by its ID alone, and
// keeps the raw JSON in Raw.
func (h *Housing) UnmarshalJSON(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		var id partnerkit.ID
		if err := id.UnmarshalJSON(trimmed); err != nil {
			return err
		}
		*h = Housing{ID: id, Raw: keepRaw(data)}
		return nil
	}
	type plain Housing
	if err := json.Unmarshal(data, (*plain)(h)); err != nil {
		return err
	}
	h.Raw = keepRaw(data)
	return nil
}

// HousingCreate is a new housing.
type HousingCreate struct {
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

func (h *HousingCreate) check(v *validate.Errors, prefix string) {
	v.Required(prefix+"Name", h.Name)
	if h.PoliceAccount != nil {
		v.Check(h.Type != "", prefix+"Type", "is required when a police account is connected (HousingVacationRental or HousingHotel)")
	}
}

// MarshalJSON writes the housing with its Extra fields.
func (h HousingCreate) MarshalJSON() ([]byte, error) {
	type plain HousingCreate
	return withExtra(plain(h), h.Extra)
}

// HousingUpdate changes a housing. Only the fields set are sent.
type HousingUpdate struct {
	Name          *string        `json:"name,omitempty"`
	Type          *HousingType   `json:"type,omitempty"`
	Location      *Location      `json:"location,omitempty"`
	PoliceAccount *PoliceAccount `json:"police_account,omitempty"`
	ExternalID    *string        `json:"external_id,omitempty"`
	// Extra holds further fields to change, sent as they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the fields set and the Extra fields.
func (u HousingUpdate) MarshalJSON() ([]byte, error) {
	type plain HousingUpdate
	return withExtra(plain(u), u.Extra)
}

func (u *HousingUpdate) empty() bool {
	return u.Name == nil && u.Type == nil && u.Location == nil && u.PoliceAccount == nil && u.ExternalID == nil && len(u.Extra) == 0
}

// secretsOf registers the passwords of a police account as secrets.
func secretsOf(t *transport.Client, p *PoliceAccount) {
	if p != nil {
		t.AddSecret(p.Password)
		t.AddSecret(p.CertificatePassword)
	}
}

// Create creates a housing and returns it with its ID. It is not retried
// once it may have reached CheKin.
func (s *HousingsService) Create(ctx context.Context, h *HousingCreate) (*Housing, error) {
	var v validate.Errors
	if v.NotNil("housing", h != nil) {
		h.check(&v, "")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	secretsOf(s.t, h.PoliceAccount)
	var out Housing
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: housingsPath, Body: h, Safety: transport.NotIdempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Get returns one housing.
func (s *HousingsService) Get(ctx context.Context, id partnerkit.ID) (*Housing, error) {
	var v validate.Errors
	checkID(&v, "housingID", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Housing
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: itemPath(housingsPath, id), Route: "GET /housings/{id}/"}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Update changes the fields of u that are set (PATCH) and returns the
// housing.
func (s *HousingsService) Update(ctx context.Context, id partnerkit.ID, u *HousingUpdate) (*Housing, error) {
	var v validate.Errors
	checkID(&v, "housingID", id)
	if v.NotNil("update", u != nil) && v.Check(!u.empty(), "update", "must set at least one field") {
		if u.Name != nil {
			v.Required("Name", *u.Name)
		}
		if u.Type != nil {
			v.Required("Type", string(*u.Type))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	secretsOf(s.t, u.PoliceAccount)
	var out Housing
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPatch, Path: itemPath(housingsPath, id), Route: "PATCH /housings/{id}/", Body: u, Safety: transport.Idempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a housing.
func (s *HousingsService) Delete(ctx context.Context, id partnerkit.ID) error {
	var v validate.Errors
	checkID(&v, "housingID", id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.t.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: itemPath(housingsPath, id), Route: "DELETE /housings/{id}/"}, nil)
}

// HousingsParams filter a housings list. All fields are optional.
type HousingsParams struct {
	ListParams
	// Name limits the list to housings with this name.
	Name string
	// FieldSet asks CheKin for a lighter or richer set of fields.
	FieldSet string
}

func (p *HousingsParams) query() (url.Values, error) {
	var v validate.Errors
	if p == nil {
		return url.Values{}, nil
	}
	q := p.ListParams.query(&v)
	if p.Name != "" {
		q.Set("name", p.Name)
	}
	if p.FieldSet != "" {
		q.Set("field_set", p.FieldSet)
	}
	return q, v.Err()
}

// List returns one page of housings.
func (s *HousingsService) List(ctx context.Context, p *HousingsParams) (*Page[Housing], error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return list[Housing](ctx, s.t, housingsPath, q)
}

// All iterates over every housing matching p, from p.Page (or the first
// page) on, fetching pages as the loop needs them.
func (s *HousingsService) All(ctx context.Context, p *HousingsParams) iter.Seq2[Housing, error] {
	q, err := p.query()
	if err != nil {
		return paging.Fail[Housing](err)
	}
	return all[Housing](ctx, s.t, housingsPath, q)
}
