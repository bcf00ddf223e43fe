package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of the shop's staff (service Shop). CreateAccountUser takes a
// shop's key on the Partner API; which key GetAccountUsers takes is not in
// eTelecom's reference table.
var (
	createAccountUser = Method{Service: ServiceShop, Name: "CreateAccountUser", Key: ShopKey}
	listAccountUsers  = listing[AccountUser]{Method{Service: ServiceShop, Name: "GetAccountUsers", Key: AnyKey, ReadOnly: true}, "account_users"}
)

// AccountUsersService adds staff members (users) to the shop and lists
// them. A user needs an extension to make calls (Extensions.AssignUser).
type AccountUsersService struct {
	c *Client
}

// AccountUser is a staff member of the shop, as GetAccountUsers lists it:
// the user's membership of the shop's account (its department, roles and
// permissions). The user account itself is a User, which Create answers
// with; UserID is that User's ID. Raw holds it exactly as received.
type AccountUser struct {
	// UserID is the staff member's user account (User.ID).
	UserID partnerkit.ID `json:"user_id"`
	// AccountID is the shop's account.
	AccountID    partnerkit.ID `json:"account_id"`
	DepartmentID partnerkit.ID `json:"department_id"`
	FullName     string        `json:"full_name"`
	ShortName    string        `json:"short_name"`
	Email        string        `json:"email"`
	Phone        string        `json:"phone"`
	Position     string        `json:"position"`
	Roles        []string      `json:"roles"`
	Permissions  []string      `json:"permissions"`
	Deleted      bool          `json:"deleted"`

	Raw json.RawMessage `json:"-"`
}

// User is a user account, as CreateAccountUser answers it: the person's
// login, verifications and blocks. Its membership of the shop (roles,
// department) is the AccountUser that AccountUsers.List lists, whose
// UserID is this ID. Raw holds it exactly as received.
type User struct {
	ID                      partnerkit.ID        `json:"id"`
	FullName                string               `json:"full_name"`
	ShortName               string               `json:"short_name"`
	Email                   string               `json:"email"`
	Phone                   string               `json:"phone"`
	IsBlocked               bool                 `json:"is_blocked"`
	BlockReason             string               `json:"block_reason"`
	BlockedAt               partnerkit.Timestamp `json:"blocked_at"`
	EmailVerifiedAt         partnerkit.Timestamp `json:"email_verified_at"`
	EmailVerificationSentAt partnerkit.Timestamp `json:"email_verification_sent_at"`
	PhoneVerifiedAt         partnerkit.Timestamp `json:"phone_verified_at"`
	PhoneVerificationSentAt partnerkit.Timestamp `json:"phone_verification_sent_at"`
	RefAff                  string               `json:"ref_aff"`
	RefSale                 string               `json:"ref_sale"`
	// Source is how the account was made, such as "unknown".
	Source string `json:"source"`
	// TotalShop is the number of shops the user belongs to.
	TotalShop partnerkit.Int       `json:"total_shop"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// AccountUserCreateParams describe a staff member to add. Every field is
// required. No formatting of the params (fmt's verbs, log/slog) prints
// Password, and the client keeps it out of its logs and errors.
type AccountUserCreateParams struct {
	// FullName is the staff member's name.
	FullName string `json:"full_name"`
	// Phone is the staff member's phone number, the login.
	Phone string `json:"phone"`
	// Password is the staff member's login password.
	Password partnerkit.Secret `json:"password"`
}

// LogValue logs the params for log/slog with the password as a placeholder.
func (p AccountUserCreateParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (p AccountUserCreateParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// Create adds a staff member to the shop (Shop/CreateAccountUser, shop
// key) and returns the user account eTelecom made. It returns a User, not
// the AccountUser that List lists, because eTelecom answers
// CreateAccountUser with the user account (login, verifications) and lists
// GetAccountUsers as memberships of the shop (department, roles,
// permissions): the two documented objects share only the user's ID,
// names, e-mail and phone. eTelecom's page mentions roles, but its request
// example has none, so none are sent. It is not sent again once it may
// have reached eTelecom.
func (s *AccountUsersService) Create(ctx context.Context, params *AccountUserCreateParams) (*User, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Required("FullName", params.FullName)
		v.Phone("Phone", params.Phone)
		v.Required("Password", string(params.Password))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(string(params.Password))
	return call[User](ctx, s.c, createAccountUser, params)
}

// AccountUserListParams filter the shop's staff. All fields are optional.
type AccountUserListParams struct {
	// ExtensionNumber matches the number of the user's extension, digits
	// only, such as "101".
	ExtensionNumber partnerkit.ID
	// HasExtension, when set, keeps the users with (true) or without
	// (false) an extension.
	HasExtension *bool
	Name         string
	Phone        string
	UserIDs      []partnerkit.ID

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

func (p *AccountUserListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	if p.ExtensionNumber != "" {
		checkDigits(&v, "ExtensionNumber", p.ExtensionNumber, "101")
	}
	checkIDs(&v, "UserIDs", p.UserIDs)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		ExtensionNumber partnerkit.ID   `json:"extension_number,omitempty"`
		HasExtension    *bool           `json:"has_extension,omitempty"`
		Name            string          `json:"name,omitempty"`
		Phone           string          `json:"phone,omitempty"`
		UserIDs         []partnerkit.ID `json:"user_ids,omitempty"`
	}
	return newListBody(filter{p.ExtensionNumber, p.HasExtension, p.Name, p.Phone, p.UserIDs}, pg), nil
}

// List returns one page of the shop's staff (Shop/GetAccountUsers; the
// reference does not say which key it takes).
func (s *AccountUsersService) List(ctx context.Context, params *AccountUserListParams) (*Page[AccountUser], error) {
	return listAccountUsers.list(ctx, s.c, params)
}

// All iterates over every staff member matching params, following the cursors
// from params.After on. The caller's params are not changed.
func (s *AccountUsersService) All(ctx context.Context, params *AccountUserListParams) iter.Seq2[AccountUser, error] {
	return listAccountUsers.all(ctx, s.c, params)
}
