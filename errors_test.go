package partnerkit_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestErrorIsMatchesExactlyOneSentinel(t *testing.T) {
	t.Parallel()
	sentinels := []error{
		partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrForbidden,
		partnerkit.ErrNotFound, partnerkit.ErrConflict, partnerkit.ErrRateLimited,
		partnerkit.ErrServer, partnerkit.ErrUnexpected, partnerkit.ErrInvalidInput,
	}
	tests := []struct {
		err  *partnerkit.Error
		want error
	}{
		{&partnerkit.Error{StatusCode: 400}, partnerkit.ErrInvalidRequest},
		{&partnerkit.Error{StatusCode: 422}, partnerkit.ErrInvalidRequest},
		{&partnerkit.Error{StatusCode: 401}, partnerkit.ErrUnauthorized},
		{&partnerkit.Error{StatusCode: 403}, partnerkit.ErrForbidden},
		{&partnerkit.Error{StatusCode: 404}, partnerkit.ErrNotFound},
		{&partnerkit.Error{StatusCode: 410}, partnerkit.ErrNotFound},
		{&partnerkit.Error{StatusCode: 409}, partnerkit.ErrConflict},
		{&partnerkit.Error{StatusCode: 429}, partnerkit.ErrRateLimited},
		{&partnerkit.Error{StatusCode: 500}, partnerkit.ErrServer},
		{&partnerkit.Error{StatusCode: 503}, partnerkit.ErrServer},
		{&partnerkit.Error{StatusCode: 402}, partnerkit.ErrUnexpected},
		{&partnerkit.Error{StatusCode: 200, Kind: partnerkit.ErrInvalidRequest}, partnerkit.ErrInvalidRequest},
		{&partnerkit.Error{Kind: partnerkit.ErrRateLimited}, partnerkit.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%v", tt.err.StatusCode, tt.want), func(t *testing.T) {
			t.Parallel()
			wrapped := fmt.Errorf("booking: %w", tt.err)
			for _, s := range sentinels {
				require.Equal(t, s == tt.want, errors.Is(wrapped, s), "errors.Is(_, %v)", s)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	err := &partnerkit.Error{
		Provider: "cohost", Method: "POST", Path: "/bookings", StatusCode: 422,
		Code: "VALIDATION_ERROR", Message: "invalid booking",
		FieldErrors: map[string][]string{"body.guest_number": {"must be ≥ 1"}, "body.check_in_date": {"field required"}},
		RetryAfter:  0,
	}
	require.Equal(t, "cohost: POST /bookings: 422 Unprocessable Entity [VALIDATION_ERROR]: invalid booking (body.check_in_date: field required; body.guest_number: must be ≥ 1)", err.Error())

	limited := &partnerkit.Error{Provider: "alohub", Kind: partnerkit.ErrRateLimited, Message: "client-side rate limit", RetryAfter: 3 * time.Second}
	require.Equal(t, "alohub: rate limited: client-side rate limit (retry after 3s)", limited.Error())
}

func TestValidationError(t *testing.T) {
	t.Parallel()
	err := error(&partnerkit.ValidationError{Field: "CheckOut", Rule: "must be after CheckIn"})
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.NotErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.Equal(t, "partnerkit: invalid input: CheckOut must be after CheckIn", err.Error())
}

type testDetails struct{ IDs []string }

func TestDetailsOfReadsTheProvidersDetails(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("pushing: %w", &partnerkit.Error{StatusCode: 403, Details: &testDetails{IDs: []string{"999"}}})
	d, ok := partnerkit.DetailsOf[*testDetails](err)
	require.True(t, ok)
	require.Equal(t, []string{"999"}, d.IDs)
	_, ok = partnerkit.DetailsOf[map[string]any](err)
	require.False(t, ok, "details of another type")
	_, ok = partnerkit.DetailsOf[*testDetails](errors.New("plain"))
	require.False(t, ok)
}
