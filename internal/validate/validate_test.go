package validate

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestChecks(t *testing.T) {
	t.Parallel()
	d := partnerkit.NewDate
	tests := []struct {
		name  string
		check func(*Errors)
		field string // "" when the check must pass
		rule  string
	}{
		{"required ok", func(v *Errors) { v.Required("Name", "x") }, "", ""},
		{"required blank", func(v *Errors) { v.Required("Name", "  ") }, "Name", "is required"},
		{"positive", func(v *Errors) { v.Positive("ListingID", 0) }, "ListingID", "must be a positive number"},
		{"positive ok", func(v *Errors) { v.Positive("ListingID", 1) }, "", ""},
		{"path id number", func(v *Errors) { v.PathID("ListingID", "5325") }, "", ""},
		{"path id token", func(v *Errors) { v.PathID("ListingID", "3f2a-b9") }, "", ""},
		{"path id missing", func(v *Errors) { v.PathID("ListingID", "") }, "ListingID", "is required"},
		{"path id zero", func(v *Errors) { v.PathID("ListingID", "0") }, "ListingID", "must be a positive number"},
		{"path id slash", func(v *Errors) { v.PathID("ListingID", "1/../2") }, "ListingID", `must be a positive number or an opaque ID without / ? # % \ or spaces`},
		{"path id dot dot", func(v *Errors) { v.PathID("ListingID", "..") }, "ListingID", `must be a positive number or an opaque ID without / ? # % \ or spaces`},
		{"date missing", func(v *Errors) { v.Date("CheckIn", partnerkit.Date{}) }, "CheckIn", "is required (YYYY-MM-DD)"},
		{"date unreal", func(v *Errors) { v.Date("CheckIn", d(2025, 2, 30)) }, "CheckIn", "must be a real calendar date (YYYY-MM-DD), got 2025-2-30"},
		{"order equal", func(v *Errors) { v.DateOrder("CheckIn", d(2025, 3, 1), "CheckOut", d(2025, 3, 1)) }, "CheckOut", "must be after CheckIn"},
		{"order ok", func(v *Errors) { v.DateOrder("CheckIn", d(2025, 3, 1), "CheckOut", d(2025, 3, 2)) }, "", ""},
		{"range equal ok", func(v *Errors) { v.DateRange("Start", d(2025, 3, 1), "End", d(2025, 3, 1)) }, "", ""},
		{"range reversed", func(v *Errors) { v.DateRange("Start", d(2025, 3, 2), "End", d(2025, 3, 1)) }, "End", "must not be before Start"},
		{"email ok", func(v *Errors) { v.Email("Email", "guest@example.com") }, "", ""},
		{"email display name", func(v *Errors) { v.Email("Email", "Guest <guest@example.com>") }, "Email", "must be an e-mail address like name@example.com"},
		{"email bad", func(v *Errors) { v.Email("Email", "guest") }, "Email", "must be an e-mail address like name@example.com"},
		{"phone ok", func(v *Errors) { v.Phone("Phone", "+84 901-234-567") }, "", ""},
		{"phone letters", func(v *Errors) { v.Phone("Phone", "+84abc") }, "Phone", "must be a phone number of 8 to 15 digits, optionally starting with +"},
		{"phone short", func(v *Errors) { v.Phone("Phone", "1234567") }, "Phone", "must be a phone number of 8 to 15 digits, optionally starting with +"},
		{"phone plus inside", func(v *Errors) { v.Phone("Phone", "84+901234567") }, "Phone", "must be a phone number of 8 to 15 digits, optionally starting with +"},
		{"url ok", func(v *Errors) { v.URL("Target", "https://example.com/hook") }, "", ""},
		{"url relative", func(v *Errors) { v.URL("Target", "/hook") }, "Target", "must be an absolute http or https URL"},
		{"not nil", func(v *Errors) { v.NotNil("Params", false) }, "Params", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v Errors
			tt.check(&v)
			err := v.Err()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			var ve *partnerkit.ValidationError
			require.True(t, errors.As(err, &ve))
			require.Equal(t, tt.field, ve.Field)
			require.Equal(t, tt.rule, ve.Rule)
			require.Contains(t, err.Error(), tt.field)
		})
	}
}

func TestErrJoinsEveryProblem(t *testing.T) {
	t.Parallel()
	var v Errors
	v.Required("Name", "")
	v.Positive("ID", -1)
	v.Date("Day", partnerkit.NewDate(2025, time.January, 1))
	err := v.Err()
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.Contains(t, err.Error(), "Name is required")
	require.Contains(t, err.Error(), "ID must be a positive number")
	require.NotContains(t, err.Error(), "Day")
}

func TestCredentialRefusesWhatNoHeaderCanCarry(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "  ", "key\r\nX-Evil: 1", "key\x00", " key", "key\n"} {
		var v Errors
		require.False(t, v.Credential("apiKey", bad), "%q", bad)
		var ve *partnerkit.ValidationError
		require.ErrorAs(t, v.Err(), &ve)
		require.Equal(t, "apiKey", ve.Field)
		require.NotContains(t, ve.Rule, "key\r", "the rule never quotes the value")
	}
	var v Errors
	require.True(t, v.Credential("apiKey", "ck_live_abc\tdef"))
	require.NoError(t, v.Err())
}

func TestPage(t *testing.T) {
	t.Parallel()
	var v Errors
	v.Page(0, 0)
	v.Page(3, 50)
	require.NoError(t, v.Err())
	v.Page(-1, -2)
	require.ErrorContains(t, v.Err(), "Page must not be negative (pages start at 1)")
	require.ErrorContains(t, v.Err(), "Limit must not be negative")
}
