package etelecom

import (
	"context"
	"fmt"
	"iter"
	"log/slog"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of extensions (service Etelecom). CreateExtension,
// GetExtensionInfo and the user and hotline changes take a shop's key on
// the Partner API; which key GetExtensions takes is not in eTelecom's
// pages.
var (
	createExtension  = Method{Service: ServiceEtelecom, Name: "CreateExtension", Key: ShopKey}
	listExtensions   = listing[Extension]{Method{Service: ServiceEtelecom, Name: "GetExtensions", Key: AnyKey, ReadOnly: true}, "extensions"}
	getExtensionInfo = Method{Service: ServiceEtelecom, Name: "GetExtensionInfo", Key: ShopKey, ReadOnly: true}
	assignUser       = Method{Service: ServiceEtelecom, Name: "AssignUserToExtension", Key: ShopKey, Idempotent: true}
	removeUser       = Method{Service: ServiceEtelecom, Name: "RemoveUserOfExtension", Key: ShopKey, Idempotent: true}
	updateHotline    = Method{Service: ServiceEtelecom, Name: "UpdateHotlineForExtension", Key: ShopKey, Idempotent: true}
)

// Extension is a PBX extension. ExtensionPassword is a SIP credential: no
// formatting of an Extension (fmt's verbs, log/slog) prints it, and debug
// logs never show it; encoding/json writes it, for the SIP client that
// needs it. Like Authorization, an Extension has no Raw, which would hold
// the password as received: every documented field is a field.
type Extension struct {
	ID partnerkit.ID `json:"id"`
	// ExtensionNumber is the extension's number, such as "101" (eTelecom
	// answers it as a string, though it is created from a number).
	ExtensionNumber partnerkit.ID `json:"extension_number"`
	// ExtensionPassword is the extension's SIP password.
	ExtensionPassword partnerkit.Secret `json:"extension_password"`
	HotlineID         partnerkit.ID     `json:"hotline_id"`
	TenantID          partnerkit.ID     `json:"tenant_id"`
	TenantDomain      string            `json:"tenant_domain"`
	UserID            partnerkit.ID     `json:"user_id"`
	AccountID         partnerkit.ID     `json:"account_id"`
	// State is StatusNew, StatusEnabled (valid) or StatusDisabled (expired).
	State          string               `json:"state"`
	ExpiresAt      partnerkit.Timestamp `json:"expires_at"`
	SubscriptionID partnerkit.ID        `json:"subscription_id"`
	CreatedAt      partnerkit.Timestamp `json:"created_at"`
	UpdatedAt      partnerkit.Timestamp `json:"updated_at"`
}

// LogValue logs the extension for log/slog with the password as a
// placeholder.
func (e Extension) LogValue() slog.Value { return secret.LogValue(e) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (e Extension) Format(f fmt.State, verb rune) { secret.Format(f, verb, e) }

// ExtensionsService creates and lists extensions, assigns them to users
// and hotlines, and reads their SIP logins.
type ExtensionsService struct {
	c *Client
}

// ExtensionCreateParams describe an extension to create.
type ExtensionCreateParams struct {
	// HotlineID is required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// ExtensionNumber is the extension's number, a positive integer such
	// as "101" (sent as a JSON number, as eTelecom asks); required.
	ExtensionNumber partnerkit.ID `json:"extension_number"`
	// UserID is the user to assign, or empty.
	UserID partnerkit.ID `json:"user_id,omitempty"`
}

// Create creates an extension (Etelecom/CreateExtension, shop key). The
// tenant must have been activated. It is not sent again once it may have
// reached eTelecom.
func (s *ExtensionsService) Create(ctx context.Context, params *ExtensionCreateParams) (*Extension, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "HotlineID", params.HotlineID)
		checkID(&v, "ExtensionNumber", params.ExtensionNumber)
		checkOptionalID(&v, "UserID", params.UserID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type plain ExtensionCreateParams
	body := struct {
		*plain
		ExtensionNumber int64 `json:"extension_number"`
	}{(*plain)(params), number(params.ExtensionNumber)}
	return call[Extension](ctx, s.c, createExtension, body)
}

// ExtensionListParams select a page of extensions. eTelecom documents no
// filter: they are the paging fields only.
type ExtensionListParams struct {
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

func (p *ExtensionListParams) body() (listBody, error) { return (*pageParams)(p).body() }

// List returns one page of extensions (Etelecom/GetExtensions; the key it
// takes is not documented).
func (s *ExtensionsService) List(ctx context.Context, params *ExtensionListParams) (*Page[Extension], error) {
	return listExtensions.list(ctx, s.c, params)
}

// All iterates over every extension, following the cursors from
// params.After on. The caller's params are not changed.
func (s *ExtensionsService) All(ctx context.Context, params *ExtensionListParams) iter.Seq2[Extension, error] {
	return listExtensions.all(ctx, s.c, params)
}

// ExtensionAssignUserParams name the extension to give a user and the
// user. Both are required.
type ExtensionAssignUserParams struct {
	// ExtensionID is the extension (Extension.ID).
	ExtensionID partnerkit.ID `json:"extension_id"`
	// UserID is the staff member (User.ID, AccountUser.UserID).
	UserID partnerkit.ID `json:"user_id"`
}

// AssignUser assigns an extension to a user
// (Etelecom/AssignUserToExtension, shop key). The assignment is absolute,
// so the call is retried when that is safe.
func (s *ExtensionsService) AssignUser(ctx context.Context, params *ExtensionAssignUserParams) (*Updated, error) {
	return s.userCall(ctx, assignUser, (*extensionUser)(params))
}

// ExtensionRemoveUserParams name the extension to take a user from and
// the user. Both are required.
type ExtensionRemoveUserParams struct {
	// ExtensionID is the extension (Extension.ID).
	ExtensionID partnerkit.ID `json:"extension_id"`
	// UserID is the staff member (User.ID, AccountUser.UserID).
	UserID partnerkit.ID `json:"user_id"`
}

// RemoveUser removes the user of an extension
// (Etelecom/RemoveUserOfExtension, shop key). It is retried when that is
// safe.
func (s *ExtensionsService) RemoveUser(ctx context.Context, params *ExtensionRemoveUserParams) (*Updated, error) {
	return s.userCall(ctx, removeUser, (*extensionUser)(params))
}

// extensionUser is the body of AssignUser and RemoveUser: their params,
// which have these fields, convert to it.
type extensionUser struct {
	ExtensionID partnerkit.ID `json:"extension_id"`
	UserID      partnerkit.ID `json:"user_id"`
}

// userCall checks the extension and the user and sends m.
func (s *ExtensionsService) userCall(ctx context.Context, m Method, body *extensionUser) (*Updated, error) {
	var v validate.Errors
	if v.NotNil("params", body != nil) {
		checkID(&v, "ExtensionID", body.ExtensionID)
		checkID(&v, "UserID", body.UserID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Updated](ctx, s.c, m, body)
}

// ExtensionInfo is what a SIP client (eTelecom's VoIP SDK) needs to log in
// as an extension. ExtensionPassword is a SIP credential: no formatting of
// an ExtensionInfo (fmt's verbs, log/slog) prints it, and debug logs never
// show it; encoding/json writes it, for the SIP client. Like Authorization,
// it has no Raw, which would hold the password as received.
type ExtensionInfo struct {
	// ExtensionNumber is the extension's number, such as "101".
	ExtensionNumber partnerkit.ID `json:"extension_number"`
	// ExtensionPassword is the extension's SIP password.
	ExtensionPassword partnerkit.Secret `json:"extension_password"`
	// TenantDomain is the PBX's SIP domain, usually the same for every
	// extension of the tenant.
	TenantDomain string `json:"tenant_domain"`
	// ExpiresAt is when the extension expires.
	ExpiresAt partnerkit.Timestamp `json:"expires_at"`
}

// LogValue logs the login for log/slog with the password as a placeholder.
func (e ExtensionInfo) LogValue() slog.Value { return secret.LogValue(e) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (e ExtensionInfo) Format(f fmt.State, verb rune) { secret.Format(f, verb, e) }

// ExtensionGetInfoParams name the extension to read the SIP login of.
type ExtensionGetInfoParams struct {
	// ExtensionNumber is the extension's number, digits only, such as
	// "101"; required.
	ExtensionNumber partnerkit.ID `json:"extension_number"`
	// Email and Phone are the e-mail address and phone number of the
	// extension's user, or empty.
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// GetInfo returns the SIP login of an extension: its number, password and
// the tenant's domain (Etelecom/GetExtensionInfo, shop key). It changes
// nothing, so it is retried when that is safe.
func (s *ExtensionsService) GetInfo(ctx context.Context, params *ExtensionGetInfoParams) (*ExtensionInfo, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		if v.Required("ExtensionNumber", string(params.ExtensionNumber)) {
			checkDigits(&v, "ExtensionNumber", params.ExtensionNumber, "101")
		}
		if params.Email != "" {
			v.Email("Email", params.Email)
		}
		if params.Phone != "" {
			v.Phone("Phone", params.Phone)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[ExtensionInfo](ctx, s.c, getExtensionInfo, params)
}

// ExtensionUpdateHotlineParams move an extension to another hotline. The
// extension is named by ExtensionID, or by UserID (the user's extension).
type ExtensionUpdateHotlineParams struct {
	// HotlineID is the extension's new hotline; required.
	HotlineID partnerkit.ID `json:"hotline_id"`
	// ExtensionID is the extension to change. Required unless UserID is
	// set (eTelecom's table marks only HotlineID required, but a change
	// must name its extension).
	ExtensionID partnerkit.ID `json:"extension_id,omitempty"`
	// UserID is the user whose extension changes, or empty.
	UserID partnerkit.ID `json:"user_id,omitempty"`
}

// UpdateHotline sets the hotline an extension calls through
// (Etelecom/UpdateHotlineForExtension, shop key). Updated is 1 when the
// hotline changed. The hotline is set, not added, so the call is retried
// when that is safe.
func (s *ExtensionsService) UpdateHotline(ctx context.Context, params *ExtensionUpdateHotlineParams) (*Updated, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "HotlineID", params.HotlineID)
		if params.ExtensionID == "" && params.UserID == "" {
			v.Check(false, "ExtensionID", "is required unless UserID names the user whose extension changes")
		}
		checkOptionalID(&v, "ExtensionID", params.ExtensionID)
		checkOptionalID(&v, "UserID", params.UserID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Updated](ctx, s.c, updateHotline, params)
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
