package etelecom

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of extensions (service Etelecom). CreateExtension takes a shop's
// key on the Partner API; which key GetExtensions takes is not in
// eTelecom's pages.
var (
	createExtension = Method{Service: ServiceEtelecom, Name: "CreateExtension", Key: ShopKey}
	listExtensions  = listing[Extension]{Method{Service: ServiceEtelecom, Name: "GetExtensions", Key: AnyKey, ReadOnly: true}, "extensions"}
	assignUser      = Method{Service: ServiceEtelecom, Name: "AssignUserToExtension", Key: ShopKey, Idempotent: true}
	removeUser      = Method{Service: ServiceEtelecom, Name: "RemoveUserOfExtension", Key: ShopKey, Idempotent: true}
)

// Extension is a PBX extension. ExtensionPassword is a SIP credential:
// debug logs never show it. Raw holds the extension exactly as received.
type Extension struct {
	ID partnerkit.ID `json:"id"`
	// ExtensionNumber is the extension's number, such as "101" (eTelecom
	// answers it as a string, though it is created from a number).
	ExtensionNumber   partnerkit.ID `json:"extension_number"`
	ExtensionPassword string        `json:"extension_password"`
	HotlineID         partnerkit.ID `json:"hotline_id"`
	TenantID          partnerkit.ID `json:"tenant_id"`
	TenantDomain      string        `json:"tenant_domain"`
	UserID            partnerkit.ID `json:"user_id"`
	AccountID         partnerkit.ID `json:"account_id"`
	// State is StatusNew, StatusEnabled (valid) or StatusDisabled (expired).
	State          string               `json:"state"`
	ExpiresAt      partnerkit.Timestamp `json:"expires_at"`
	SubscriptionID partnerkit.ID        `json:"subscription_id"`
	CreatedAt      partnerkit.Timestamp `json:"created_at"`
	UpdatedAt      partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// ExtensionsService creates and lists extensions and assigns them to users.
type ExtensionsService struct {
	c *Client
}

// ExtensionCreateParams describe an extension to create.
type ExtensionCreateParams struct {
	// HotlineID is required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// ExtensionNumber is required and positive.
	ExtensionNumber int `json:"extension_number"`
	// UserID is the user to assign, or empty.
	UserID partnerkit.ID `json:"user_id,omitempty"`
}

// Create creates an extension (Etelecom/CreateExtension, shop key). The
// tenant must have been activated. It is not sent again once it may have
// reached eTelecom.
func (s *ExtensionsService) Create(ctx context.Context, p *ExtensionCreateParams) (*Extension, error) {
	var v validate.Errors
	if v.NotNil("params", p != nil) {
		checkID(&v, "HotlineID", p.HotlineID)
		v.Positive("ExtensionNumber", int64(p.ExtensionNumber))
		checkOptionalID(&v, "UserID", p.UserID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Extension](ctx, s.c, createExtension, p)
}

// ExtensionListParams select a page of extensions. eTelecom documents no
// filter.
type ExtensionListParams = PageParams

// List returns one page of extensions (Etelecom/GetExtensions; the key it
// takes is not documented).
func (s *ExtensionsService) List(ctx context.Context, p *ExtensionListParams) (*Page[Extension], error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return listExtensions.page(ctx, s.c, body)
}

// All iterates over every extension, following the cursors from p.After
// on.
func (s *ExtensionsService) All(ctx context.Context, p *ExtensionListParams) iter.Seq2[Extension, error] {
	return listAll(ctx, p, s.List)
}

// AssignUser assigns the extension to a user
// (Etelecom/AssignUserToExtension, shop key). The assignment is absolute,
// so the call is retried when that is safe.
func (s *ExtensionsService) AssignUser(ctx context.Context, extensionID, userID partnerkit.ID) (*Updated, error) {
	return s.userCall(ctx, assignUser, extensionID, userID)
}

// RemoveUser removes the user of the extension
// (Etelecom/RemoveUserOfExtension, shop key). It is retried when that is
// safe.
func (s *ExtensionsService) RemoveUser(ctx context.Context, extensionID, userID partnerkit.ID) (*Updated, error) {
	return s.userCall(ctx, removeUser, extensionID, userID)
}

func (s *ExtensionsService) userCall(ctx context.Context, m Method, extensionID, userID partnerkit.ID) (*Updated, error) {
	var v validate.Errors
	checkID(&v, "extensionID", extensionID)
	checkID(&v, "userID", userID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		ExtensionID partnerkit.ID `json:"extension_id"`
		UserID      partnerkit.ID `json:"user_id"`
	}{extensionID, userID}
	return call[Updated](ctx, s.c, m, body)
}
