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
func (s *HotlinesService) Create(ctx context.Context, p *HotlineCreateParams) (*Hotline, error) {
	var v validate.Errors
	if v.NotNil("params", p != nil) {
		v.Phone("Hotline", p.Hotline)
		v.Required("Name", p.Name)
		v.Required("Description", p.Description)
		switch p.Network {
		case "", NetworkMobifone, NetworkVinaphone, NetworkViettel, NetworkOther:
		default:
			v.Check(false, "Network", "must be mobifone, vinaphone, viettel or other")
		}
		checkOptionalID(&v, "OwnerID", p.OwnerID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Hotline](ctx, s.c, createHotline, p)
}

// HotlineListParams select a page of the partner's hotlines. eTelecom
// documents no filter.
type HotlineListParams = PageParams

// List returns one page of the partner's hotlines
// (Etelecom/GetPartnerHotlineList, partner key).
func (s *HotlinesService) List(ctx context.Context, p *HotlineListParams) (*Page[Hotline], error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return listHotlines.page(ctx, s.c, body)
}

// All iterates over every hotline, following the cursors from p.After on.
func (s *HotlinesService) All(ctx context.Context, p *HotlineListParams) iter.Seq2[Hotline, error] {
	return listAll(ctx, p, s.List)
}
