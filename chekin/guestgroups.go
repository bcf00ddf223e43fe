package chekin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// GuestGroupsService reads guest groups.
type GuestGroupsService struct {
	t *transport.Client
}

// GuestGroup is the group of guests of a reservation. Raw holds it exactly
// as received.
type GuestGroup struct {
	ID  partnerkit.ID `json:"id"`
	URL string        `json:"url"`
	// NumberOfGuests is the number of guests expected; CheKin may send it
	// as a string.
	NumberOfGuests partnerkit.Int `json:"number_of_guests"`
	Members        []Guest        `json:"members"`
	// LeaderID is the main guest, in countries that have one (Italy).
	LeaderID partnerkit.ID `json:"leader_id"`
	// Type is the group's type, such as "G".
	Type string `json:"type"`

	Raw json.RawMessage `json:"-"`
}

// Leader returns the group's main guest: the member LeaderID names, else
// the first member, else nil.
func (g *GuestGroup) Leader() *Guest {
	if g == nil || len(g.Members) == 0 {
		return nil
	}
	for i := range g.Members {
		if SameID(g.Members[i].ID, g.LeaderID) {
			return &g.Members[i]
		}
	}
	return &g.Members[0]
}

// Get returns one guest group with its members.
func (s *GuestGroupsService) Get(ctx context.Context, id partnerkit.ID) (*GuestGroup, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[GuestGroup](ctx, s.t, &transport.Request{Method: http.MethodGet, Path: "/guest-groups/{id}/", PathParams: []string{string(id)}})
}
