package alohub

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ContactListsService lists the contact lists of a campaign.
type ContactListsService struct {
	t *transport.Client
}

// ContactList is a list of contacts inside a campaign.
type ContactList struct {
	// ID identifies the list (ContactListParams.ListID,
	// ContactCreateParams.ListID).
	ID       partnerkit.ID `json:"listId"`
	ListName string        `json:"listName"`
	// ContactCount is the number of contacts in the list.
	ContactCount partnerkit.Int `json:"contactCount"`

	Raw json.RawMessage `json:"-"`
}

// ContactListListParams select the contact lists of a campaign.
type ContactListListParams struct {
	// CampaignID is the campaign whose lists are listed (required).
	CampaignID partnerkit.ID
}

func (p *ContactListListParams) check() error {
	var v validate.Errors
	if v.NotNil("params", p != nil) {
		v.PathID("CampaignID", p.CampaignID)
	}
	return v.Err()
}

// List returns the contact lists of campaign params.CampaignID, in Alohub's
// order (the first is where contacts added without a list go). Alohub does
// not page them: the page holds every list, its Total is the answer's
// totalRecord, and HasMore is false.
func (s *ContactListsService) List(ctx context.Context, params *ContactListListParams) (*Page[ContactList], error) {
	if err := params.check(); err != nil {
		return nil, err
	}
	return list[ContactList](ctx, s.t, &transport.Request{
		Method: http.MethodGet, Path: "/v1/campaigns/{id}/contact-lists", PathParams: []string{string(params.CampaignID)},
	}, 1, 0)
}

// All iterates over every contact list of campaign params.CampaignID.
func (s *ContactListsService) All(ctx context.Context, params *ContactListListParams) iter.Seq2[ContactList, error] {
	if err := params.check(); err != nil {
		return paging.Fail[ContactList](err)
	}
	q := *params
	return all(ctx, 1, func(ctx context.Context, _ int) (*Page[ContactList], error) {
		return s.List(ctx, &q)
	})
}
