package chekin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// UsersService manages the account's own user.
type UsersService struct {
	t       *transport.Client
	account *account
}

// User is a CheKin user. Raw holds it exactly as received.
type User struct {
	ID        partnerkit.ID `json:"id"`
	Email     string        `json:"email"`
	Name      string        `json:"name"`
	Surname   string        `json:"surname"`
	FirstName string        `json:"first_name"`

	Raw json.RawMessage `json:"-"`
}

// ChangePassword changes the account's password (POST /users/me/) and
// returns the user. The client logs in with the new password from then on.
// It is not retried once it may have reached CheKin.
func (s *UsersService) ChangePassword(ctx context.Context, oldPassword, newPassword string) (*User, error) {
	var v validate.Errors
	v.Required("oldPassword", oldPassword)
	if v.Credential("newPassword", newPassword) {
		v.Check(newPassword != oldPassword, "newPassword", "must differ from oldPassword")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(oldPassword)
	s.t.AddSecret(newPassword)
	var out User
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: "/users/me/", Safety: transport.NotIdempotent,
		Body: map[string]string{"password": newPassword, "old_password": oldPassword},
	}, &out)
	if err != nil {
		return nil, err
	}
	s.account.setPassword(newPassword)
	return &out, nil
}
