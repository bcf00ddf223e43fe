package alohub

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// CampaignsService reads the call campaigns of the key's tenant.
type CampaignsService struct {
	t *transport.Client
}

// Campaign statuses, as the Status filter and Campaign.Status use them.
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
	ID     partnerkit.ID     `json:"campaignId"`
	Name   string            `json:"campaignName"`
	Type   string            `json:"type"`
	Status partnerkit.Number `json:"status"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a campaign tolerantly and keeps the raw JSON in Raw.
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
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = Campaign(wire.plain)
	c.ID = first(c.ID, wire.ID, wire.SnakeID)
	c.Name = first(c.Name, wire.Name, wire.SnakeName)
	c.Type = first(c.Type, wire.CampaignType)
	c.Raw = append(json.RawMessage(nil), data...)
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

// CampaignsParams select campaigns. UserName is required.
type CampaignsParams struct {
	// UserName is the Alohub user whose campaigns are listed (required).
	UserName string
	// Status keeps campaigns in one status (CampaignRunning and the other
	// Campaign constants); 0 keeps every status.
	Status int
	// Type keeps campaigns of one type, such as CampaignTypeCallAuto
	// (case-sensitive).
	Type string
	// Page is the page number, from 0.
	Page int
	// Limit is the page size; 0 leaves Alohub's default (20).
	Limit int
}

func (p *CampaignsParams) query() (url.Values, error) {
	var v validate.Errors
	if !v.NotNil("params", p != nil) {
		return nil, v.Err()
	}
	v.Required("UserName", p.UserName)
	v.Check(p.Status >= 0 && p.Status <= CampaignStopped, "Status", "must be 0 (any) or 1 to 4")
	v.Check(p.Page >= 0, "Page", "must not be negative (pages start at 0)")
	v.Check(p.Limit >= 0, "Limit", "must not be negative")
	q := url.Values{"userName": {p.UserName}, "page": {strconv.Itoa(p.Page)}}
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

// List returns one page of campaigns.
func (s *CampaignsService) List(ctx context.Context, p *CampaignsParams) (*Page[Campaign], error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	var env envelope[[]Campaign]
	if err := get(ctx, s.t, "/v1/campaigns", "GET /v1/campaigns", q, &env, env.broken); err != nil {
		return nil, err
	}
	return &Page[Campaign]{Items: env.Data, Total: env.total(), Page: p.Page}, nil
}

// All iterates over every campaign matching p, from p.Page on, until
// totalRecord campaigns have been read.
func (s *CampaignsService) All(ctx context.Context, p *CampaignsParams) iter.Seq2[Campaign, error] {
	var params CampaignsParams
	if p != nil {
		params = *p
	}
	if _, err := p.query(); err != nil {
		return failed[Campaign](err)
	}
	return allPages(ctx, params.Page, func(ctx context.Context, page int) (*Page[Campaign], error) {
		params.Page = page
		return s.List(ctx, &params)
	})
}

// failed is a sequence that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// ContactList is a list of contacts inside a campaign.
type ContactList struct {
	ListID       partnerkit.ID `json:"listId"`
	ListName     string        `json:"listName"`
	ContactCount int           `json:"contactCount"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a contact list and keeps the raw JSON in Raw.
func (l *ContactList) UnmarshalJSON(data []byte) error {
	type plain ContactList
	if err := json.Unmarshal(data, (*plain)(l)); err != nil {
		return err
	}
	l.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// ContactLists returns every contact list of campaign campaignID, in
// Alohub's order (the first is where contacts added without a list go).
func (s *CampaignsService) ContactLists(ctx context.Context, campaignID partnerkit.ID) ([]ContactList, error) {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var env envelope[[]ContactList]
	if err := get(ctx, s.t, campaignPath(campaignID, "/contact-lists"), "GET /v1/campaigns/{id}/contact-lists", nil, &env, env.broken); err != nil {
		return nil, err
	}
	return env.Data, nil
}
