package etelecom

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of tenants (service Etelecom). Which key GetPartnerTenantList
// takes is not in eTelecom's pages.
var (
	listTenants    = listing[Tenant]{Method{Service: ServiceEtelecom, Name: "GetPartnerTenantList", Key: AnyKey, ReadOnly: true}, "tenants"}
	createTenant   = Method{Service: ServiceEtelecom, Name: "CreateTenant", Key: ShopKey}
	currentTenant  = Method{Service: ServiceEtelecom, Name: "GetTenant", Key: ShopKey, ReadOnly: true}
	activateTenant = Method{Service: ServiceEtelecom, Name: "PartnerActivateTenant", Key: PartnerKey, Idempotent: true}
)

// Statuses of tenants and hotlines, and states of extensions.
const (
	StatusNew      = "Z"
	StatusEnabled  = "P"
	StatusDisabled = "N"
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

// Updated is the answer of calls that change a record: Updated is 1 when
// something changed, 0 otherwise.
type Updated struct {
	Updated partnerkit.Int `json:"updated"`
}

// TenantsService manages cloud PBX tenants.
type TenantsService struct {
	c *Client
}

// TenantListParams filter the partner's tenants. All fields are optional.
type TenantListParams struct {
	// Name matches the tenant's name.
	Name string
	// OwnerID is the account that owns the tenant.
	OwnerID partnerkit.ID

	// After is the cursor to continue after (a page's Next).
	After string
	// Before is the cursor to continue before (a page's Prev), to page
	// backwards; All ignores it.
	Before string
	// Limit is the page size; 0 means eTelecom's default.
	Limit int
	// Sort is the order, as eTelecom names it.
	Sort string
}

func (p *TenantListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OwnerID", p.OwnerID)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		Name    string        `json:"name,omitempty"`
		OwnerID partnerkit.ID `json:"owner_id,omitempty"`
	}
	body := listBody{Paging: pg.wire()}
	if f := (filter{p.Name, p.OwnerID}); f != (filter{}) {
		body.Filter = f
	}
	return body, nil
}

// List returns one page of the partner's tenants
// (Etelecom/GetPartnerTenantList; the key it takes is not documented).
func (s *TenantsService) List(ctx context.Context, params *TenantListParams) (*Page[Tenant], error) {
	return listTenants.list(ctx, s.c, params)
}

// All iterates over every tenant matching params, following the cursors from
// params.After on. The caller's params are not changed.
func (s *TenantsService) All(ctx context.Context, params *TenantListParams) iter.Seq2[Tenant, error] {
	return listTenants.all(ctx, s.c, params)
}

// Create creates the tenant of the shop (Etelecom/CreateTenant, shop key).
// It takes no parameters. It is not sent again once it may have reached
// eTelecom.
func (s *TenantsService) Create(ctx context.Context) (*Tenant, error) {
	return call[Tenant](ctx, s.c, createTenant, nil)
}

// Current returns the tenant of the shop whose key the client uses
// (Etelecom/GetTenant, shop key), as Shops.Current returns the shop.
func (s *TenantsService) Current(ctx context.Context) (*Tenant, error) {
	return call[Tenant](ctx, s.c, currentTenant, nil)
}

// TenantActivateParams activate a tenant, which must happen before
// hotlines or extensions are attached to it.
type TenantActivateParams struct {
	// TenantID is required.
	TenantID partnerkit.ID `json:"tenant_id"`
	// HotlineID is required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// OwnerID is the tenant's owner; required.
	OwnerID partnerkit.ID `json:"owner_id"`
	// ConnectionID is optional; eTelecom's default is a direct connection.
	ConnectionID partnerkit.ID `json:"connection_id,omitempty"`
}

// Activate activates a tenant (Etelecom/PartnerActivateTenant, partner
// key). Activating is harmless to repeat, so the call is retried when that
// is safe.
func (s *TenantsService) Activate(ctx context.Context, params *TenantActivateParams) (*Updated, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "TenantID", params.TenantID)
		checkID(&v, "HotlineID", params.HotlineID)
		checkID(&v, "OwnerID", params.OwnerID)
		checkOptionalID(&v, "ConnectionID", params.ConnectionID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Updated](ctx, s.c, activateTenant, params)
}
