package alohub

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// CampaignsService lists the call campaigns of the key's tenant.
type CampaignsService struct {
	t *transport.Client
}

// Campaign statuses, as CampaignListParams.Status and Campaign.Status use
// them.
const (
	CampaignInProcess = 1
	CampaignRunning   = 2
	CampaignPaused    = 3
	CampaignStopped   = 4
)

// CampaignTypeCallAuto is the type of automatic call campaigns.
const CampaignTypeCallAuto = "CAMPAIGN_CALL_AUTO"

// Campaign is a call campaign. Alohub does not document every field of a
// campaign: the ones below are read when present (under camelCase or
// snake_case names), and Raw holds the campaign exactly as received.
type Campaign struct {
	ID   partnerkit.ID `json:"campaignId"`
	Name string        `json:"campaignName"`
	// Type is such as CampaignTypeCallAuto.
	Type string `json:"type"`
	// Status is CampaignRunning or another Campaign constant.
	Status partnerkit.Int `json:"status"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a campaign tolerantly: the ID, name and type are
// also read under the other names Alohub's answers use.
func (c *Campaign) UnmarshalJSON(data []byte) error {
	type plain Campaign
	var wire struct {
		plain
		ID           partnerkit.ID `json:"id"`
		SnakeID      partnerkit.ID `json:"campaign_id"`
		Name         string        `json:"name"`
		SnakeName    string        `json:"campaign_name"`
		CampaignType string        `json:"campaignType"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = Campaign(wire.plain)
	c.ID = first(c.ID, wire.ID, wire.SnakeID)
	c.Name = first(c.Name, wire.Name, wire.SnakeName)
	c.Type = first(c.Type, wire.CampaignType)
	return nil
}

// first returns the first non-empty value.
func first[T ~string](values ...T) T {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// CampaignListParams select campaigns. UserName is required.
type CampaignListParams struct {
	// UserName is the Alohub user whose campaigns are listed (required).
	UserName string
	// Status keeps campaigns in one status (CampaignRunning and the other
	// Campaign constants); 0 keeps every status.
	Status int
	// Type keeps campaigns of one type, such as CampaignTypeCallAuto
	// (case-sensitive).
	Type string
	// Page is the page number, from 1; 0 means 1.
	Page int
	// Limit is the page size; 0 leaves Alohub's default (20).
	Limit int
}

func (p *CampaignListParams) query() (url.Values, error) {
	var v validate.Errors
	if !v.NotNil("params", p != nil) {
		return nil, v.Err()
	}
	v.Required("UserName", p.UserName)
	v.Check(p.Status >= 0 && p.Status <= CampaignStopped, "Status", "must be 0 (any) or 1 to 4")
	v.Page(p.Page, p.Limit)
	q := url.Values{"userName": {p.UserName}, "page": {strconv.Itoa(max(p.Page, 1) - 1)}}
	if p.Status > 0 {
		q.Set("status", strconv.Itoa(p.Status))
	}
	if p.Type != "" {
		q.Set("type", p.Type)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q, v.Err()
}

// List returns one page of the campaigns params select.
func (s *CampaignsService) List(ctx context.Context, params *CampaignListParams) (*Page[Campaign], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Campaign](ctx, s.t, &transport.Request{Method: http.MethodGet, Path: "/v1/campaigns", Query: q},
		max(params.Page, 1), cmp.Or(params.Limit, defaultLimit))
}

// All iterates over every campaign params select, from params.Page on, until
// totalRecord campaigns have been read. It does not change params.
func (s *CampaignsService) All(ctx context.Context, params *CampaignListParams) iter.Seq2[Campaign, error] {
	if _, err := params.query(); err != nil {
		return paging.Fail[Campaign](err)
	}
	q := *params
	return all(ctx, q.Page, func(ctx context.Context, page int) (*Page[Campaign], error) {
		q.Page = page
		return s.List(ctx, &q)
	})
}
