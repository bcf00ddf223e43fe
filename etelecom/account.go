package etelecom

import (
	"context"
	"encoding/json"

	"github.com/partnerkit/partnerkit-go"
)

// Methods of the Misc service.
var currentAccount = Method{Service: ServiceMisc, Name: "CurrentAccount", Key: AnyKey, ReadOnly: true}

// Account is the account that owns the key in use: the partner, or a shop.
// Raw holds it exactly as received.
type Account struct {
	ID       partnerkit.ID `json:"id"`
	Name     string        `json:"name"`
	Type     string        `json:"type"`
	Email    string        `json:"email"`
	Phone    string        `json:"phone"`
	ImageURL string        `json:"image_url"`
	Website  string        `json:"website"`

	Raw json.RawMessage `json:"-"`
}

// CurrentAccount returns the account that owns the client's key
// (Misc/CurrentAccount, either key): the partner on a client from New, the
// shop on one from ForShop.
func (c *Client) CurrentAccount(ctx context.Context) (*Account, error) {
	return call[Account](ctx, c, currentAccount, nil)
}
