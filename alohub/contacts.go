package alohub

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ContactsService manages the contacts of a campaign: it lists them, adds
// one and deletes one. Imports adds many at once.
type ContactsService struct {
	t *transport.Client
}

// Contact processing statuses, as Contact.ProcessStatus reports them.
const (
	ProcessPending   = 0
	ProcessInCall    = 1
	ProcessProcessed = 2
)

// Contact is a phone number queued in a campaign.
type Contact struct {
	// ID identifies the contact (Contacts.Delete).
	ID         partnerkit.ID `json:"contactId"`
	CustomerID partnerkit.ID `json:"customerId"`
	// PhoneNumber is the number Alohub calls.
	PhoneNumber string `json:"phoneNumber"`
	// Name is the customer's name; nil when Alohub has none (null), which
	// is told apart from an empty name.
	Name *string `json:"name"`
	// ProcessStatus is ProcessPending, ProcessInCall or ProcessProcessed.
	// Only a pending contact can be deleted.
	ProcessStatus partnerkit.Int `json:"processStatus"`
	// CallStatus is the outcome of the last call; nil before any (null).
	CallStatus *partnerkit.ID `json:"callStatus"`

	Raw json.RawMessage `json:"-"`
}

// ContactListParams select a page of a contact list. CampaignID and ListID
// are required.
type ContactListParams struct {
	// CampaignID is the campaign the list belongs to.
	CampaignID partnerkit.ID
	// ListID is the list whose contacts are listed (ContactList.ID).
	ListID partnerkit.ID
	// Page is the page number, from 1; 0 means 1.
	Page int
	// Limit is the page size; 0 leaves Alohub's default (20).
	Limit int
}

func (p *ContactListParams) query() (url.Values, error) {
	var v validate.Errors
	if !v.NotNil("params", p != nil) {
		return nil, v.Err()
	}
	v.PathID("CampaignID", p.CampaignID)
	v.PathID("ListID", p.ListID)
	v.Page(p.Page, p.Limit)
	q := url.Values{"page": {strconv.Itoa(max(p.Page, 1) - 1)}}
	if p.Limit > 0 {
		q.Set("size", strconv.Itoa(p.Limit))
	}
	return q, v.Err()
}

// List returns one page of the contacts of list params.ListID in campaign
// params.CampaignID.
func (s *ContactsService) List(ctx context.Context, params *ContactListParams) (*Page[Contact], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Contact](ctx, s.t, &transport.Request{
		Method: http.MethodGet, Path: "/v1/campaigns/{id}/contact-lists/{list_id}/contacts",
		PathParams: []string{string(params.CampaignID), string(params.ListID)}, Query: q,
	}, max(params.Page, 1), cmp.Or(params.Limit, defaultLimit))
}

// All iterates over every contact of list params.ListID, from params.Page on,
// until totalRecord contacts have been read. It does not change params.
func (s *ContactsService) All(ctx context.Context, params *ContactListParams) iter.Seq2[Contact, error] {
	if _, err := params.query(); err != nil {
		return paging.Fail[Contact](err)
	}
	q := *params
	return all(ctx, q.Page, func(ctx context.Context, page int) (*Page[Contact], error) {
		q.Page = page
		return s.List(ctx, &q)
	})
}

// ContactCreateParams is a contact to add to a campaign. CampaignID and
// PhoneNumber are required.
type ContactCreateParams struct {
	// CampaignID is the campaign the contact joins.
	CampaignID partnerkit.ID
	// PhoneNumber is the number to call.
	PhoneNumber string
	// Name is the customer's name (optional).
	Name string
	// ListID is the list to add to. Empty: the campaign's first list, or a
	// new list named "Default List" when the campaign has none.
	ListID partnerkit.ID
}

// contactBody is the body of a contact creation. listId is a number when
// the ID is one, as in Alohub's examples.
type contactBody struct {
	PhoneNumber string `json:"phoneNumber"`
	Name        string `json:"name,omitempty"`
	ListID      any    `json:"listId,omitempty"`
}

func (p *ContactCreateParams) body() (*contactBody, error) {
	var v validate.Errors
	if !v.NotNil("params", p != nil) {
		return nil, v.Err()
	}
	v.PathID("CampaignID", p.CampaignID)
	v.Phone("PhoneNumber", p.PhoneNumber)
	if p.ListID != "" {
		v.PathID("ListID", p.ListID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	b := &contactBody{PhoneNumber: p.PhoneNumber, Name: p.Name}
	if n, ok := p.ListID.Int64(); ok {
		b.ListID = n
	} else if p.ListID != "" {
		b.ListID = string(p.ListID)
	}
	return b, nil
}

// ContactResult is Alohub's answer to an added contact: the contact is in
// the campaign (a Result is done; a Receipt, such as ImportReceipt, means
// the work goes on). Alohub does not return the contact itself: list the
// contacts to learn its ID.
type ContactResult struct {
	// Message is Alohub's message (the envelope's error_message), such as
	// "Contact added to list 501".
	Message string `json:"error_message"`
	// ListID is the list the contact went to, read from Message; empty
	// when the message does not name it.
	ListID partnerkit.ID `json:"-"`
}

// Create adds one contact to campaign params.CampaignID. It is sent once: if
// the answer is lost, Create returns the error without sending the contact
// again (a refusal for a rate limit, which Alohub did not act on, is waited
// out and sent again).
func (s *ContactsService) Create(ctx context.Context, params *ContactCreateParams) (*ContactResult, error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	var env envelope[json.RawMessage]
	err = s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: "/v1/campaigns/{id}/contacts", PathParams: []string{string(params.CampaignID)},
		Body: body, Safety: transport.NotIdempotent, Expect: env.broken,
	}, &env)
	if err != nil {
		return nil, err
	}
	out := &ContactResult{Message: env.ErrorMessage}
	if i := strings.LastIndexByte(env.ErrorMessage, ' '); i >= 0 {
		if n, err := strconv.ParseInt(env.ErrorMessage[i+1:], 10, 64); err == nil && n > 0 {
			out.ListID = partnerkit.ID(strconv.FormatInt(n, 10))
		}
	}
	return out, nil
}

// Delete removes contact contactID from campaign campaignID. Only a pending
// contact (ProcessPending) can be deleted; for another, Alohub answers 400
// with Code CodeInvalidState (partnerkit.ErrInvalidRequest).
func (s *ContactsService) Delete(ctx context.Context, campaignID, contactID partnerkit.ID) error {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	v.PathID("contactID", contactID)
	if err := v.Err(); err != nil {
		return err
	}
	var env envelope[json.RawMessage]
	return s.t.Do(ctx, &transport.Request{
		Method: http.MethodDelete, Path: "/v1/campaigns/{id}/contacts/{contact_id}",
		PathParams: []string{string(campaignID), string(contactID)}, Expect: env.broken,
	}, &env)
}
