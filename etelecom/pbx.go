package etelecom

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Statuses of tenants and hotlines, and states of extensions.
const (
	StatusNew      = "Z"
	StatusEnabled  = "P"
	StatusDisabled = "N"
)

// Mobile networks of a hotline.
const (
	NetworkMobifone  = "mobifone"
	NetworkVinaphone = "vinaphone"
	NetworkViettel   = "viettel"
	NetworkOther     = "other"
)

// Tenant is a cloud PBX tenant (a call center). Raw holds it exactly as
// received.
type Tenant struct {
	ID               partnerkit.ID `json:"id"`
	Name             string        `json:"name"`
	Domain           string        `json:"domain"`
	OwnerID          partnerkit.ID `json:"owner_id"`
	ConnectionID     partnerkit.ID `json:"connection_id"`
	ConnectionMethod string        `json:"connection_method"`
	// Status is StatusNew, StatusEnabled or StatusDisabled.
	Status    string               `json:"status"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a tenant and keeps the raw JSON in Raw.
func (t *Tenant) UnmarshalJSON(data []byte) error {
	type plain Tenant
	if err := json.Unmarshal(data, (*plain)(t)); err != nil {
		return err
	}
	t.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// TenantsService manages cloud PBX tenants.
type TenantsService struct {
	c *Client
}

// TenantListParams filter the partner's tenants. All fields are optional.
type TenantListParams struct {
	Name    string
	OwnerID partnerkit.ID
	Paging  Paging
}

func (p *TenantListParams) body() (any, error) {
	var v validate.Errors
	if p == nil {
		return struct{}{}, nil
	}
	checkOptionalID(&v, "OwnerID", p.OwnerID)
	p.Paging.check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	type filter struct {
		Name    string        `json:"name,omitempty"`
		OwnerID partnerkit.ID `json:"owner_id,omitempty"`
	}
	body := struct {
		Filter *filter `json:"filter,omitempty"`
		Paging *Paging `json:"paging,omitempty"`
	}{Paging: p.Paging.wire()}
	if p.Name != "" || p.OwnerID != "" {
		body.Filter = &filter{Name: p.Name, OwnerID: p.OwnerID}
	}
	return body, nil
}

// List returns one page of the partner's tenants
// (Etelecom/GetPartnerTenantList).
func (s *TenantsService) List(ctx context.Context, p *TenantListParams) (*Page[Tenant], error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return list[Tenant](ctx, s.c, ServiceEtelecom, "GetPartnerTenantList", "tenants", body)
}

// All iterates over every tenant matching p, following the cursors.
func (s *TenantsService) All(ctx context.Context, p *TenantListParams) iter.Seq2[Tenant, error] {
	var params TenantListParams
	if p != nil {
		params = *p
	}
	return all(ctx, &params.Paging, func(ctx context.Context, pg *Paging) (*Page[Tenant], error) {
		q := params
		q.Paging = *pg
		return s.List(ctx, &q)
	})
}

// Create creates the tenant of the client's account (Etelecom/CreateTenant).
// It is not sent again once it may have reached eTelecom.
func (s *TenantsService) Create(ctx context.Context) (*Tenant, error) {
	var out Tenant
	if err := s.c.rpc(ctx, ServiceEtelecom, "CreateTenant", nil, &out, transport.NotIdempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// Get returns the tenant of the client's account (Etelecom/GetTenant).
func (s *TenantsService) Get(ctx context.Context) (*Tenant, error) {
	var out Tenant
	if err := s.c.rpc(ctx, ServiceEtelecom, "GetTenant", nil, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// TenantActivation activates a tenant, which must happen before hotlines or
// extensions are attached to it.
type TenantActivation struct {
	// TenantID is required.
	TenantID partnerkit.ID `json:"tenant_id"`
	// HotlineID is required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// OwnerID is required.
	OwnerID partnerkit.ID `json:"owner_id"`
	// ConnectionID is optional; eTelecom's default is a direct connection.
	ConnectionID partnerkit.ID `json:"connection_id,omitempty"`
}

// Updated is the answer of calls that change a record: Updated is 1 when
// something changed, 0 otherwise.
type Updated struct {
	Updated int `json:"updated"`
}

// UnmarshalJSON decodes updated as a number or a string.
func (u *Updated) UnmarshalJSON(data []byte) error {
	var wire struct {
		Updated partnerkit.Number `json:"updated"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	n, _ := wire.Updated.Int64()
	u.Updated = int(n)
	return nil
}

// Activate activates a tenant (Etelecom/PartnerActivateTenant). Activating
// is harmless to repeat, so the call is retried when that is safe.
func (s *TenantsService) Activate(ctx context.Context, in *TenantActivation) (*Updated, error) {
	var v validate.Errors
	if v.NotNil("activation", in != nil) {
		checkID(&v, "TenantID", in.TenantID)
		checkID(&v, "HotlineID", in.HotlineID)
		checkID(&v, "OwnerID", in.OwnerID)
		checkOptionalID(&v, "ConnectionID", in.ConnectionID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Updated
	if err := s.c.rpc(ctx, ServiceEtelecom, "PartnerActivateTenant", in, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// Hotline is a phone number on eTelecom's PBX. Raw holds it exactly as
// received.
type Hotline struct {
	ID           partnerkit.ID `json:"id"`
	Hotline      string        `json:"hotline"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Network      string        `json:"network"`
	IsFreeCharge bool          `json:"is_free_charge"`
	OwnerID      partnerkit.ID `json:"owner_id"`
	TenantID     partnerkit.ID `json:"tenant_id"`
	// Status is StatusNew, StatusEnabled or StatusDisabled.
	Status           string               `json:"status"`
	ConnectionID     partnerkit.ID        `json:"connection_id"`
	ConnectionMethod string               `json:"connection_method"`
	CreatedAt        partnerkit.Timestamp `json:"created_at"`
	UpdatedAt        partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a hotline and keeps the raw JSON in Raw.
func (h *Hotline) UnmarshalJSON(data []byte) error {
	type plain Hotline
	if err := json.Unmarshal(data, (*plain)(h)); err != nil {
		return err
	}
	h.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// HotlinesService adds and lists hotlines.
type HotlinesService struct {
	c *Client
}

// NewHotline is a hotline to add.
type NewHotline struct {
	// Hotline is the phone number; required.
	Hotline string `json:"hotline"`
	// Name is required.
	Name string `json:"name"`
	// Description is required.
	Description string `json:"description"`
	// IsFreeCharge skips the balance check when calling.
	IsFreeCharge bool `json:"is_free_charge,omitempty"`
	// Network is one of the Network constants, or empty.
	Network string `json:"network,omitempty"`
	// OwnerID is the managing account, or empty.
	OwnerID partnerkit.ID `json:"owner_id,omitempty"`
}

// Add adds a hotline (Etelecom/PartnerAddHotline). It is not sent again
// once it may have reached eTelecom.
func (s *HotlinesService) Add(ctx context.Context, in *NewHotline) (*Hotline, error) {
	var v validate.Errors
	if v.NotNil("hotline", in != nil) {
		v.Phone("Hotline", in.Hotline)
		v.Required("Name", in.Name)
		v.Required("Description", in.Description)
		switch in.Network {
		case "", NetworkMobifone, NetworkVinaphone, NetworkViettel, NetworkOther:
		default:
			v.Check(false, "Network", "must be mobifone, vinaphone, viettel or other")
		}
		checkOptionalID(&v, "OwnerID", in.OwnerID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Hotline
	if err := s.c.rpc(ctx, ServiceEtelecom, "PartnerAddHotline", in, &out, transport.NotIdempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns one page of the partner's hotlines
// (Etelecom/GetPartnerHotlineList).
func (s *HotlinesService) List(ctx context.Context, p *Paging) (*Page[Hotline], error) {
	body, err := pagingBody(p)
	if err != nil {
		return nil, err
	}
	return list[Hotline](ctx, s.c, ServiceEtelecom, "GetPartnerHotlineList", "hotlines", body)
}

// All iterates over every hotline, following the cursors.
func (s *HotlinesService) All(ctx context.Context, p *Paging) iter.Seq2[Hotline, error] {
	return all(ctx, p, s.List)
}

// pagingBody is the body of a list call that takes only paging.
func pagingBody(p *Paging) (any, error) {
	var v validate.Errors
	p.check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return struct {
		Paging *Paging `json:"paging,omitempty"`
	}{p.wire()}, nil
}

// Extension is a PBX extension. ExtensionPassword is a SIP credential:
// debug logs never show it. Raw holds the extension exactly as received.
type Extension struct {
	ID                partnerkit.ID     `json:"id"`
	ExtensionNumber   partnerkit.Number `json:"extension_number"`
	ExtensionPassword string            `json:"extension_password"`
	HotlineID         partnerkit.ID     `json:"hotline_id"`
	TenantID          partnerkit.ID     `json:"tenant_id"`
	TenantDomain      string            `json:"tenant_domain"`
	UserID            partnerkit.ID     `json:"user_id"`
	AccountID         partnerkit.ID     `json:"account_id"`
	// State is StatusNew, StatusEnabled or StatusDisabled.
	State          string               `json:"state"`
	ExpiresAt      partnerkit.Timestamp `json:"expires_at"`
	SubscriptionID partnerkit.ID        `json:"subscription_id"`
	CreatedAt      partnerkit.Timestamp `json:"created_at"`
	UpdatedAt      partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an extension and keeps the raw JSON in Raw.
func (e *Extension) UnmarshalJSON(data []byte) error {
	type plain Extension
	if err := json.Unmarshal(data, (*plain)(e)); err != nil {
		return err
	}
	e.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// ExtensionsService creates and lists extensions and assigns them to users.
type ExtensionsService struct {
	c *Client
}

// NewExtension is an extension to create.
type NewExtension struct {
	// HotlineID is required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// ExtensionNumber is required and positive.
	ExtensionNumber int `json:"extension_number"`
	// UserID is the user to assign, or empty.
	UserID partnerkit.ID `json:"user_id,omitempty"`
}

// Create creates an extension (Etelecom/CreateExtension). The tenant must
// have been activated. It is not sent again once it may have reached
// eTelecom.
func (s *ExtensionsService) Create(ctx context.Context, in *NewExtension) (*Extension, error) {
	var v validate.Errors
	if v.NotNil("extension", in != nil) {
		checkID(&v, "HotlineID", in.HotlineID)
		v.Positive("ExtensionNumber", int64(in.ExtensionNumber))
		checkOptionalID(&v, "UserID", in.UserID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Extension
	if err := s.c.rpc(ctx, ServiceEtelecom, "CreateExtension", in, &out, transport.NotIdempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns one page of extensions (Etelecom/GetExtensions).
func (s *ExtensionsService) List(ctx context.Context, p *Paging) (*Page[Extension], error) {
	body, err := pagingBody(p)
	if err != nil {
		return nil, err
	}
	return list[Extension](ctx, s.c, ServiceEtelecom, "GetExtensions", "extensions", body)
}

// All iterates over every extension, following the cursors.
func (s *ExtensionsService) All(ctx context.Context, p *Paging) iter.Seq2[Extension, error] {
	return all(ctx, p, s.List)
}

// AssignUser assigns the extension to a user (Etelecom/AssignUserToExtension).
// The assignment is absolute, so the call is retried when that is safe.
func (s *ExtensionsService) AssignUser(ctx context.Context, extensionID, userID partnerkit.ID) (*Updated, error) {
	return s.userCall(ctx, "AssignUserToExtension", extensionID, userID)
}

// RemoveUser removes the user of the extension
// (Etelecom/RemoveUserOfExtension). It is retried when that is safe.
func (s *ExtensionsService) RemoveUser(ctx context.Context, extensionID, userID partnerkit.ID) (*Updated, error) {
	return s.userCall(ctx, "RemoveUserOfExtension", extensionID, userID)
}

func (s *ExtensionsService) userCall(ctx context.Context, method string, extensionID, userID partnerkit.ID) (*Updated, error) {
	var v validate.Errors
	checkID(&v, "extensionID", extensionID)
	checkID(&v, "userID", userID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		ExtensionID partnerkit.ID `json:"extension_id"`
		UserID      partnerkit.ID `json:"user_id"`
	}{extensionID, userID}
	var out Updated
	if err := s.c.rpc(ctx, ServiceEtelecom, method, body, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}
