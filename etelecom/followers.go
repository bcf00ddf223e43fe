package etelecom

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of followers (service Zalo). ListFollowers takes a shop's key on
// the Partner API.
var listFollowers = listing[Follower]{Method{Service: ServiceZalo, Name: "ListFollowers", Key: ShopKey, ReadOnly: true}, "followers"}

// Follow states and genders of followers.
const (
	FollowerFollowing   = "follow"
	FollowerUnfollowing = "unfollow"

	GenderMale   = "male"
	GenderFemale = "female"
	GenderOther  = "other"
)

// Follower is a Zalo user who interacts with one of the shop's Official
// Accounts. ZaloUserID is the recipient of consulting messages (Consults).
// Raw holds it exactly as received.
type Follower struct {
	// ID is the follower's ID at eTelecom.
	ID     partnerkit.ID `json:"id"`
	OAID   partnerkit.ID `json:"oa_id"`
	ShopID partnerkit.ID `json:"shop_id"`
	// ZaloUserID is the user's ID at the Official Account.
	ZaloUserID partnerkit.ID `json:"zl_user_id"`
	// ZaloUserIDByApp is the user's ID at the Zalo app.
	ZaloUserIDByApp partnerkit.ID `json:"zl_user_id_by_app"`
	// AssignedUserID is the staff member in charge of the user.
	AssignedUserID partnerkit.ID `json:"assigned_user_id"`
	FullName       string        `json:"full_name"`
	Phone          string        `json:"phone"`
	Avatar         string        `json:"avatar"`
	// Avatars are the avatar's addresses by size in pixels ("120", "240").
	Avatars map[string]string `json:"avatars"`
	// Gender is GenderMale, GenderFemale, GenderOther or "unknown".
	Gender string `json:"gender"`
	// State is FollowerFollowing or FollowerUnfollowing.
	State           string `json:"state"`
	HasConversation bool   `json:"has_conversation"`
	// SharedInfo is what the user agreed to share (RequestUserInfo).
	SharedInfo       *FollowerSharedInfo `json:"shared_info"`
	TagsAndNotesInfo *FollowerTags       `json:"tags_and_notes_info"`
	// CreatedAt is when the interaction was recorded.
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// FollowerSharedInfo is the information a user agreed to share with the
// Official Account.
type FollowerSharedInfo struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Address  string `json:"address"`
	Ward     string `json:"ward"`
	District string `json:"district"`
	City     string `json:"city"`
}

// FollowerTags are the tags and notes the shop put on a user.
type FollowerTags struct {
	TagNames []string `json:"tag_names"`
	Notes    []string `json:"notes"`
}

// FollowersService lists the users who interact with the shop's Official
// Accounts. Use it on a client from ForShop.
type FollowersService struct {
	c *Client
}

// FollowerListParams filter the followers. All fields are optional.
type FollowerListParams struct {
	OAID           partnerkit.ID
	AssignedUserID partnerkit.ID
	ZaloUserID     partnerkit.ID
	ZaloUserIDs    []partnerkit.ID
	Name           string
	Phone          string
	// Gender is GenderMale, GenderFemale, GenderOther or empty.
	Gender string
	// State is FollowerFollowing, FollowerUnfollowing or empty.
	State string
	// Tags keeps the users with these tags.
	Tags []string
	// HasConversation, when set, keeps the users with (true) or without
	// (false) a conversation with the OA.
	HasConversation *bool
	// DateFrom and DateTo bound the interactions' time (sent as RFC 3339).
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

func (p *FollowerListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OAID", p.OAID)
	checkOptionalID(&v, "AssignedUserID", p.AssignedUserID)
	checkOptionalID(&v, "ZaloUserID", p.ZaloUserID)
	checkIDs(&v, "ZaloUserIDs", p.ZaloUserIDs)
	checkOneOf(&v, "Gender", p.Gender, GenderMale, GenderFemale, GenderOther)
	checkOneOf(&v, "State", p.State, FollowerFollowing, FollowerUnfollowing)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		AssignedUserID  partnerkit.ID   `json:"assigned_user_id,omitempty"`
		DateFrom        string          `json:"date_from,omitempty"`
		DateTo          string          `json:"date_to,omitempty"`
		Gender          string          `json:"gender,omitempty"`
		HasConversation *bool           `json:"has_conversation,omitempty"`
		Name            string          `json:"name,omitempty"`
		OAID            partnerkit.ID   `json:"oa_id,omitempty"`
		Phone           string          `json:"phone,omitempty"`
		State           string          `json:"state,omitempty"`
		Tags            []string        `json:"tags,omitempty"`
		ZaloUserID      partnerkit.ID   `json:"zl_user_id,omitempty"`
		ZaloUserIDs     []partnerkit.ID `json:"zl_user_ids,omitempty"`
	}
	return newListBody(filter{
		AssignedUserID: p.AssignedUserID, DateFrom: rfc3339(p.DateFrom), DateTo: rfc3339(p.DateTo), Gender: p.Gender,
		HasConversation: p.HasConversation, Name: p.Name, OAID: p.OAID, Phone: p.Phone, State: p.State, Tags: p.Tags,
		ZaloUserID: p.ZaloUserID, ZaloUserIDs: p.ZaloUserIDs,
	}, pg), nil
}

// List returns one page of the users who interact with the shop's Official
// Accounts (Zalo/ListFollowers, shop key).
func (s *FollowersService) List(ctx context.Context, params *FollowerListParams) (*Page[Follower], error) {
	return listFollowers.list(ctx, s.c, params)
}

// All iterates over every follower matching params, following the cursors from
// params.After on. The caller's params are not changed.
func (s *FollowersService) All(ctx context.Context, params *FollowerListParams) iter.Seq2[Follower, error] {
	return listFollowers.all(ctx, s.c, params)
}
