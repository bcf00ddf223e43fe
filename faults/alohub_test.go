package faults

import (
	"context"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
)

// alohubSubject: the read lists the contacts of the seeded campaign's first
// list; the create adds one contact to the campaign (POST
// /v1/campaigns/{id}/contacts, not idempotent). Alohub's answer names no
// contact ID, so a contact is known by its phone number: the create returns
// the number it added, and the fake holds as created the contacts it was
// not seeded with.
func alohubSubject() Subject {
	fake := alohubtest.New()
	seeded := map[string]bool{}
	for _, c := range fake.Contacts(alohubtest.CampaignID) {
		seeded[c.ID] = true
	}
	const campaign, list partnerkit.ID = alohubtest.CampaignID, alohubtest.ListID
	return Subject{
		Handler: fake,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			c, err := alohub.New(alohubtest.APIKey, append(opts, partnerkit.WithBaseURL(baseURL))...)
			if err != nil {
				return Calls{}, err
			}
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: campaign, ListID: list})
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					const phone = "0909000001"
					if _, err := c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: campaign, PhoneNumber: phone, Name: "Le Van C"}); err != nil {
						return "", err
					}
					return phone, nil
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("POST /v1/campaigns/{id}/contacts") },
		Created: func() []string {
			var phones []string
			for _, c := range fake.Contacts(alohubtest.CampaignID) {
				if !seeded[c.ID] {
					phones = append(phones, c.PhoneNumber)
				}
			}
			return phones
		},
	}
}
