package etelecom

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of journey tokens (service Zalo). CreateJourney and ListJourneys
// take a shop's key on the Partner API; which key GetJourney takes is not
// in eTelecom's pages.
var (
	createJourney = Method{Service: ServiceZalo, Name: "CreateJourney", Key: ShopKey}
	getJourney    = Method{Service: ServiceZalo, Name: "GetJourney", Key: AnyKey, ReadOnly: true}
	listJourneys  = listing[Journey]{Method{Service: ServiceZalo, Name: "ListJourneys", Key: ShopKey, ReadOnly: true}, "journeys"}
)

// Kinds of journey tokens: what the journey is, and for how many days
// (7 or 30) it lasts.
const (
	TokenLogistics7  = "token_logistics_7"
	TokenLogistics30 = "token_logistics_30"
	TokenCoachBus7   = "token_coach_bus_7"
	TokenCoachBus30  = "token_coach_bus_30"
)

var tokenTypes = []string{TokenLogistics7, TokenLogistics30, TokenCoachBus7, TokenCoachBus30}

// Journey is a journey token: the right to send one phone number the ZNS
// messages of a journey (a delivery, a bus trip) at the token's price
// (ZNS.SendJourney). JourneyToken is a credential: no formatting of a
// Journey (fmt's verbs, log/slog) prints it, and debug logs never show it;
// encoding/json writes it. Like Authorization, a Journey has no Raw, which
// would hold the token as received: every documented field is a field.
type Journey struct {
	// ID is the journey's ID at eTelecom.
	ID partnerkit.ID `json:"id"`
	// JourneyID is Zalo's ID of the journey, the JourneyID of
	// ZNSSendJourneyParams.
	JourneyID partnerkit.ID `json:"journey_id"`
	// JourneyToken is the journey's token.
	JourneyToken partnerkit.Secret `json:"journey_token"`
	Phone        string            `json:"phone"`
	// Status is StatusNew, StatusEnabled or StatusDisabled.
	Status       string         `json:"status"`
	ErrorCode    partnerkit.Int `json:"error_code"`
	ErrorMessage string         `json:"error_message"`
	IsCharged    bool           `json:"is_charged"`
	// ExpiredAt is when the token expires, as the JSON examples name it
	// ("expired_at"); ExpiresAt is the same time as the tables name it
	// ("expires_at"). Both are read; Expiry returns the one that is set.
	ExpiredAt partnerkit.Timestamp `json:"expired_at"`
	ExpiresAt partnerkit.Timestamp `json:"expires_at"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`
}

// LogValue logs the journey for log/slog with the token as a placeholder.
func (j Journey) LogValue() slog.Value { return secret.LogValue(j) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (j Journey) Format(f fmt.State, verb rune) { secret.Format(f, verb, j) }

// Expiry returns when the token expires: ExpiredAt, or ExpiresAt when
// eTelecom named it so; the zero time when neither was sent.
func (j *Journey) Expiry() time.Time {
	if !j.ExpiredAt.IsZero() {
		return j.ExpiredAt.Time
	}
	return j.ExpiresAt.Time
}

// JourneysService creates and reads journey tokens. The pages' JSON
// examples name a token's expiry "expired_at" where their tables say
// "expires_at": every answer is read with both (Journey.Expiry).
type JourneysService struct {
	c *Client
}

// JourneyCreateParams describe a journey token to create.
type JourneyCreateParams struct {
	// OAID is the Official Account that will send; required.
	OAID partnerkit.ID `json:"oa_id"`
	// Phone is the recipient's phone number, which must have a Zalo
	// account; required.
	Phone string `json:"phone"`
	// TokenType is one of the Token constants, or empty for eTelecom's
	// default, TokenLogistics7.
	TokenType string `json:"token_type,omitempty"`
}

// Create creates a journey token for a phone number (Zalo/CreateJourney,
// shop key). It is not sent again once it may have reached eTelecom.
func (s *JourneysService) Create(ctx context.Context, params *JourneyCreateParams) (*Journey, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		v.Phone("Phone", params.Phone)
		checkOneOf(&v, "TokenType", params.TokenType, tokenTypes...)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Journey](ctx, s.c, createJourney, params)
}

// Get returns a journey token of an Official Account by Zalo's journey ID
// (Zalo/GetJourney; the key it takes is not documented).
func (s *JourneysService) Get(ctx context.Context, oaID, journeyID partnerkit.ID) (*Journey, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	v.Required("journeyID", string(journeyID))
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		JourneyID partnerkit.ID `json:"journey_id"`
		OAID      partnerkit.ID `json:"oa_id"`
	}{journeyID, oaID}
	return call[Journey](ctx, s.c, getJourney, body)
}

// JourneyListParams filter the journey tokens. All fields are optional.
type JourneyListParams struct {
	OAID      partnerkit.ID
	JourneyID partnerkit.ID
	Phone     string
	// Status is StatusNew, StatusEnabled, StatusDisabled or empty.
	Status string
	// IsCharged, when set, keeps the charged (true) or free (false)
	// tokens.
	IsCharged *bool
	// DateFrom and DateTo bound the tokens' time (sent as RFC 3339).
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

func (p *JourneyListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OAID", p.OAID)
	checkOneOf(&v, "Status", p.Status, StatusNew, StatusEnabled, StatusDisabled)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		DateFrom  string        `json:"date_from,omitempty"`
		DateTo    string        `json:"date_to,omitempty"`
		IsCharged *bool         `json:"is_charged,omitempty"`
		JourneyID partnerkit.ID `json:"journey_id,omitempty"`
		OAID      partnerkit.ID `json:"oa_id,omitempty"`
		Phone     string        `json:"phone,omitempty"`
		Status    string        `json:"status,omitempty"`
	}
	return newListBody(filter{rfc3339(p.DateFrom), rfc3339(p.DateTo), p.IsCharged, p.JourneyID, p.OAID, p.Phone, p.Status}, pg), nil
}

// List returns one page of the shop's journey tokens (Zalo/ListJourneys,
// shop key).
func (s *JourneysService) List(ctx context.Context, params *JourneyListParams) (*Page[Journey], error) {
	return listJourneys.list(ctx, s.c, params)
}

// All iterates over every journey token matching params, following the cursors
// from params.After on. The caller's params are not changed.
func (s *JourneysService) All(ctx context.Context, params *JourneyListParams) iter.Seq2[Journey, error] {
	return listJourneys.all(ctx, s.c, params)
}
