package etelecom

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of ZNS templates (service Zalo). GetTemplate and ListTemplates
// take a shop's key on the Partner API; which key CreateTemplate takes is
// not in eTelecom's pages.
var (
	createTemplate = Method{Service: ServiceZalo, Name: "CreateTemplate", Key: AnyKey}
	getTemplate    = Method{Service: ServiceZalo, Name: "GetTemplate", Key: ShopKey, ReadOnly: true}
	listTemplates  = listing[Template]{Method{Service: ServiceZalo, Name: "ListTemplates", Key: ShopKey, ReadOnly: true}, "templates"}
)

// Kinds, statuses, tags and qualities of ZNS templates.
const (
	TemplateText   = "text"
	TemplateOTP    = "otp"
	TemplateTable  = "table"
	TemplateRating = "rating"

	TemplatePendingReview = "PENDING_REVIEW"
	TemplateDisabled      = "DISABLE"
	TemplateEnabled       = "ENABLE"
	TemplateRejected      = "REJECT"

	// Zalo's tags 0 to 5: what a template's messages are about.
	TagOTP             = "OTP"
	TagInTransaction   = "IN_TRANSACTION"
	TagPostTransaction = "POST_TRANSACTION"
	TagAccountUpdate   = "ACCOUNT_UPDATE"
	TagGeneralUpdate   = "GENERAL_UPDATE"
	TagFollowUp        = "FOLLOW_UP"

	// Qualities of templates and OAs over the last 48 hours (UNDEFINED
	// when nothing was sent).
	QualityHigh      = "HIGH"
	QualityMedium    = "MEDIUM"
	QualityLow       = "LOW"
	QualityUndefined = "UNDEFINED"
)

var templateTypes = []string{TemplateText, TemplateOTP, TemplateTable, TemplateRating}

// Template is a ZNS template of an Official Account, approved at Zalo and
// registered with eTelecom. Raw holds it exactly as received.
type Template struct {
	// TemplateID is Zalo's ID of the template (a number), the TemplateID
	// of ZNSSendParams.
	TemplateID   partnerkit.ID `json:"template_id"`
	TemplateName string        `json:"template_name"`
	// Type is one of the Template kinds (TemplateText, ...).
	Type string `json:"type"`
	// TemplateStatus is TemplateEnabled, TemplatePendingReview,
	// TemplateDisabled or TemplateRejected.
	TemplateStatus string `json:"template_status"`
	// TemplateTag is one of the Tag constants.
	TemplateTag string `json:"template_tag"`
	// TemplateQuality is one of the Quality constants.
	TemplateQuality string `json:"template_quality"`
	// TemplateParams are the parameters a message fills (TemplateData).
	TemplateParams []TemplateParam `json:"template_params"`
	PreviewURL     string          `json:"preview_url"`
	// Price is the price of one message.
	Price partnerkit.Int `json:"price"`
	// Timeout is the template's timeout, as Zalo sets it.
	Timeout partnerkit.Int `json:"timeout"`
	// ApplyTemplateQuota says whether the template has its own daily
	// quota (TemplateDailyQuota, TemplateRemainingQuota).
	ApplyTemplateQuota     bool           `json:"apply_template_quota"`
	TemplateDailyQuota     partnerkit.Int `json:"template_daily_quota"`
	TemplateRemainingQuota partnerkit.Int `json:"template_remaining_quota"`
	// OAID, ShopID, IsJourney, RefParam, RetailPrice and PriceExceeded are
	// in ListTemplates' answers.
	OAID          partnerkit.ID        `json:"oa_id"`
	ShopID        partnerkit.ID        `json:"shop_id"`
	IsJourney     bool                 `json:"is_journey"`
	RefParam      string               `json:"ref_param"`
	RetailPrice   partnerkit.Int       `json:"retail_price"`
	PriceExceeded partnerkit.Int       `json:"price_exceeded"`
	CreatedAt     partnerkit.Timestamp `json:"created_at"`
	UpdatedAt     partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// TemplateParam is a parameter of a ZNS template.
type TemplateParam struct {
	Name string `json:"name"`
	// Type is Zalo's type of the value, as sent.
	Type       string         `json:"type"`
	Require    bool           `json:"require"`
	AcceptNull bool           `json:"accept_null"`
	MinLength  partnerkit.Int `json:"min_length"`
	MaxLength  partnerkit.Int `json:"max_length"`
}

// TemplatesService registers the Official Accounts' ZNS templates with
// eTelecom and reads them.
type TemplatesService struct {
	c *Client
}

// TemplateCreateParams name a ZNS template, approved at Zalo, to register.
type TemplateCreateParams struct {
	// OAID is the template's Official Account; required.
	OAID partnerkit.ID `json:"oa_id"`
	// TemplateID is Zalo's ID of the template, a positive integer (sent as
	// a JSON number); required.
	TemplateID partnerkit.ID `json:"template_id"`
	// Type is TemplateText, TemplateOTP, TemplateTable, TemplateRating or
	// empty.
	Type string `json:"type,omitempty"`
}

// Create registers a template the Official Account has at Zalo with
// eTelecom (Zalo/CreateTemplate; the key it takes is not documented). It
// is not sent again once it may have reached eTelecom.
func (s *TemplatesService) Create(ctx context.Context, params *TemplateCreateParams) (*Template, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		checkID(&v, "TemplateID", params.TemplateID)
		checkOneOf(&v, "Type", params.Type, templateTypes...)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type plain TemplateCreateParams
	body := struct {
		*plain
		TemplateID int64 `json:"template_id"`
	}{(*plain)(params), number(params.TemplateID)}
	return call[Template](ctx, s.c, createTemplate, body)
}

// Get returns a template of an Official Account (Zalo/GetTemplate, shop
// key). templateID is Zalo's ID of the template (Template.TemplateID), a
// positive integer; it is sent as a JSON number, as eTelecom's example
// does.
func (s *TemplatesService) Get(ctx context.Context, oaID, templateID partnerkit.ID) (*Template, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	checkID(&v, "templateID", templateID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		OAID       partnerkit.ID `json:"oa_id"`
		TemplateID int64         `json:"template_id"`
	}{oaID, number(templateID)}
	return call[Template](ctx, s.c, getTemplate, body)
}

// TemplateListParams filter the templates. All fields are optional.
type TemplateListParams struct {
	OAID partnerkit.ID
	// TemplateID is Zalo's ID of the template, a positive integer (sent as
	// a JSON number), or empty.
	TemplateID   partnerkit.ID
	TemplateName string
	// Type is TemplateText, TemplateOTP, TemplateTable, TemplateRating or
	// empty.
	Type string
	// DateFrom and DateTo bound the templates' time (sent as RFC 3339).
	DateFrom time.Time
	DateTo   time.Time

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

func (p *TemplateListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OAID", p.OAID)
	checkOptionalID(&v, "TemplateID", p.TemplateID)
	checkOneOf(&v, "Type", p.Type, templateTypes...)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		DateFrom     string        `json:"date_from,omitempty"`
		DateTo       string        `json:"date_to,omitempty"`
		OAID         partnerkit.ID `json:"oa_id,omitempty"`
		TemplateID   int64         `json:"template_id,omitempty"`
		TemplateName string        `json:"template_name,omitempty"`
		Type         string        `json:"type,omitempty"`
	}
	return newListBody(filter{rfc3339(p.DateFrom), rfc3339(p.DateTo), p.OAID, number(p.TemplateID), p.TemplateName, p.Type}, pg), nil
}

// List returns one page of the shop's templates (Zalo/ListTemplates, shop
// key).
func (s *TemplatesService) List(ctx context.Context, params *TemplateListParams) (*Page[Template], error) {
	return listTemplates.list(ctx, s.c, params)
}

// All iterates over every template matching params, following the cursors from
// params.After on. The caller's params are not changed.
func (s *TemplatesService) All(ctx context.Context, params *TemplateListParams) iter.Seq2[Template, error] {
	return listTemplates.all(ctx, s.c, params)
}
