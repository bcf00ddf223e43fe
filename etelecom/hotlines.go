package etelecom

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of hotlines (service Etelecom).
var (
	createHotline = Method{Service: ServiceEtelecom, Name: "PartnerAddHotline", Key: PartnerKey}
	listHotlines  = listing[Hotline]{Method{Service: ServiceEtelecom, Name: "GetPartnerHotlineList", Key: PartnerKey, ReadOnly: true}, "hotlines"}
)

// Mobile networks of a hotline.
const (
	NetworkMobifone  = "mobifone"
	NetworkVinaphone = "vinaphone"
	NetworkViettel   = "viettel"
	NetworkOther     = "other"
)

// Hotline is a phone number on eTelecom's PBX. Raw holds it exactly as
// received.
type Hotline struct {
	ID partnerkit.ID `json:"id"`
	// Hotline is the phone number, as text (eTelecom types it as an int64).
	Hotline     partnerkit.ID `json:"hotline"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	// Network is one of the Network constants, or another value as sent.
	Network string `json:"network"`
	// IsFreeCharge means calls skip the balance check.
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

// HotlinesService adds and lists hotlines.
type HotlinesService struct {
	c *Client
}

// HotlineCreateParams describe a hotline to add.
type HotlineCreateParams struct {
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

// Create adds a hotline (Etelecom/PartnerAddHotline, partner key). It is
// not sent again once it may have reached eTelecom.
func (s *HotlinesService) Create(ctx context.Context, params *HotlineCreateParams) (*Hotline, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Phone("Hotline", params.Hotline)
		v.Required("Name", params.Name)
		v.Required("Description", params.Description)
		switch params.Network {
		case "", NetworkMobifone, NetworkVinaphone, NetworkViettel, NetworkOther:
		default:
			v.Check(false, "Network", "must be mobifone, vinaphone, viettel or other")
		}
		checkOptionalID(&v, "OwnerID", params.OwnerID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Hotline](ctx, s.c, createHotline, params)
}

// HotlineListParams select a page of the partner's hotlines. eTelecom
// documents no filter: they are the paging fields only.
type HotlineListParams struct {
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

func (p *HotlineListParams) body() (listBody, error) { return (*pageParams)(p).body() }

// List returns one page of the partner's hotlines
// (Etelecom/GetPartnerHotlineList, partner key).
func (s *HotlinesService) List(ctx context.Context, params *HotlineListParams) (*Page[Hotline], error) {
	return listHotlines.list(ctx, s.c, params)
}

// All iterates over every hotline, following the cursors from
// params.After on. The caller's params are not changed.
func (s *HotlinesService) All(ctx context.Context, params *HotlineListParams) iter.Seq2[Hotline, error] {
	return listHotlines.all(ctx, s.c, params)
}
