package etelecom_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

type codeCase struct {
	code   string
	status int
	kind   error
}

// twirpV8 is every Twirp v8 error code with the status Twirp v8's
// ServerHTTPStatusFromErrorCode writes it under.
var twirpV8 = []codeCase{
	{etelecom.CodeCanceled, 408, partnerkit.ErrUnexpected},
	{etelecom.CodeUnknown, 500, partnerkit.ErrServer},
	{etelecom.CodeInvalidArgument, 400, partnerkit.ErrInvalidRequest},
	{etelecom.CodeMalformed, 400, partnerkit.ErrInvalidRequest},
	{etelecom.CodeDeadlineExceeded, 408, partnerkit.ErrServer},
	{etelecom.CodeNotFound, 404, partnerkit.ErrNotFound},
	{etelecom.CodeBadRoute, 404, partnerkit.ErrInvalidRequest},
	{etelecom.CodeAlreadyExists, 409, partnerkit.ErrConflict},
	{etelecom.CodePermissionDenied, 403, partnerkit.ErrForbidden},
	{etelecom.CodeUnauthenticated, 401, partnerkit.ErrUnauthorized},
	{etelecom.CodeResourceExhausted, 429, partnerkit.ErrRateLimited},
	{etelecom.CodeFailedPrecondition, 412, partnerkit.ErrInvalidRequest},
	{etelecom.CodeAborted, 409, partnerkit.ErrConflict},
	{etelecom.CodeOutOfRange, 400, partnerkit.ErrInvalidRequest},
	{etelecom.CodeUnimplemented, 501, partnerkit.ErrServer},
	{etelecom.CodeInternal, 500, partnerkit.ErrServer},
	{etelecom.CodeUnavailable, 503, partnerkit.ErrServer},
	{etelecom.CodeDataLoss, 500, partnerkit.ErrServer},
}

func TestCodesAreTwirpV8s(t *testing.T) {
	t.Parallel()
	want := []string{"canceled", "unknown", "invalid_argument", "malformed", "deadline_exceeded", "not_found", "bad_route",
		"already_exists", "permission_denied", "unauthenticated", "resource_exhausted", "failed_precondition", "aborted",
		"out_of_range", "unimplemented", "internal", "unavailable", "data_loss"}
	var got []string
	for _, c := range twirpV8 {
		got = append(got, c.code)
	}
	require.Equal(t, want, got)
}

func TestEveryTwirpCodeIsMapped(t *testing.T) {
	t.Parallel()
	cases := append([]codeCase{
		{"something_new", 418, partnerkit.ErrUnexpected},
		{"something_new", 400, partnerkit.ErrInvalidRequest},
	}, twirpV8...)
	for _, tt := range cases {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.code), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			// Twirp v8 writes meta values as strings; eTelecom's documents
			// show other JSON too.
			h.on("Shop", "CurrentShop", tt.status, fmt.Sprintf(`{"code":%q,"msg":"what happened","meta":{"reason":"r","n":3}}`, tt.code))
			_, err := h.shop(t).Shops.Current(ctx)
			require.ErrorIs(t, err, tt.kind)
			var apiErr *partnerkit.Error
			require.True(t, errors.As(err, &apiErr))
			require.Equal(t, "etelecom", apiErr.Provider)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.code, apiErr.Code)
			require.Contains(t, apiErr.Message, "what happened")
			d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
			require.True(t, ok)
			require.Equal(t, map[string]string{"reason": "r", "n": "3"}, d.Meta)
			require.JSONEq(t, `{"reason":"r","n":3}`, string(d.Raw), "the meta object as received")
			require.Equal(t, "/v1/partner.Shop/CurrentShop", apiErr.Path)
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestErrorMetaArgumentBecomesAFieldError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 400, `{"code":"invalid_argument","msg":"email is invalid","meta":{"argument":"email"}}`)
	_, err := h.c.Shops.Authorize(ctx, authorizeParams())
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, map[string][]string{"email": {"email is invalid"}}, apiErr.FieldErrors)
	require.Contains(t, err.Error(), "[invalid_argument]")
	d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, "email", d.Meta["argument"])
}

func TestAnErrorWithoutMetaHasNoDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Misc", "CurrentAccount", 401, `{"code":"unauthenticated","msg":"bad key"}`)
	_, err := h.c.CurrentAccount(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	_, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
	require.False(t, ok)
}

// TestBadRouteIsARoutingProblem: a bad_route says the call went to the
// wrong place (a wrong base URL, a method eTelecom does not have, a
// missing Content-Type), not that a record is missing.
func TestBadRouteIsARoutingProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Misc", "CurrentAccount", 404, `{"code":"bad_route","msg":"no handler for path \"/v1/partner.Misc/CurrentAccount\"","meta":{"twirp_invalid_route":"POST /v1/partner.Misc/CurrentAccount"}}`)
	_, err := h.c.CurrentAccount(ctx)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.NotErrorIs(t, err, partnerkit.ErrNotFound)
	require.Contains(t, err.Error(), "could not route the call: check the base URL")
	require.Contains(t, err.Error(), "no handler for path")
	d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, "POST /v1/partner.Misc/CurrentAccount", d.Meta["twirp_invalid_route"])
	require.Len(t, h.Requests(), 1)
}

// TestTransientCodesAreRetriedOnReadsWhateverTheStatus: unavailable and
// deadline_exceeded are transient under any status (Twirp v8 writes
// deadline_exceeded as 408); a read is retried, a create is not.
func TestTransientCodesAreRetriedOnReadsWhateverTheStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		code   string
	}{
		{408, etelecom.CodeDeadlineExceeded},
		{503, etelecom.CodeUnavailable},
		{500, etelecom.CodeUnavailable},
		{504, etelecom.CodeDeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.code), func(t *testing.T) {
			t.Parallel()
			fail := answer{tt.status, fmt.Sprintf(`{"code":%q,"msg":"later"}`, tt.code)}

			h := newHarness(t)
			h.onSeq("Etelecom", "ListCallLogs", fail, answer{200, `{"call_logs":[]}`})
			_, err := h.shop(t).CallLogs.List(ctx, nil)
			require.NoError(t, err)
			require.Len(t, h.Requests(), 2, "a read is retried")

			h = newHarness(t)
			h.onSeq("Zalo", "SendZNS", fail, answer{200, znsJSON})
			_, err = h.shop(t).ZNS.Send(ctx, zns())
			require.ErrorIs(t, err, partnerkit.ErrServer)
			require.Len(t, h.Requests(), 1, "a send is not")
		})
	}
}

func TestInternalIsNotRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Etelecom", "ListCallLogs", answer{500, `{"code":"internal","msg":"boom"}`}, answer{200, `{}`})
	_, err := h.shop(t).CallLogs.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

// TestASpentQuotaIsNotRetried: resource_exhausted without a Retry-After is
// a spent quota, which asking again does not bring back; with one it is a
// rate limit, waited out and retried even for a send.
func TestASpentQuotaIsNotRetried(t *testing.T) {
	t.Parallel()
	exhausted := `{"code":"resource_exhausted","msg":"the OA's daily quota is used up"}`

	h := newHarness(t)
	h.onSeq("Zalo", "SendZNS", answer{429, exhausted}, answer{200, znsJSON})
	_, err := h.shop(t).ZNS.Send(ctx, zns())
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Len(t, h.Requests(), 1)
	require.Empty(t, h.clock.Sleeps())

	h = newHarness(t)
	h.onSeq("Etelecom", "ListCallLogs", answer{429, exhausted}, answer{200, `{}`})
	_, err = h.shop(t).CallLogs.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Len(t, h.Requests(), 1, "a read does not get it back either")

	h = newHarness(t)
	n := 0
	h.mock.RegisterResponder(http.MethodPost, base+".Zalo/SendZNS", func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			resp := h.record(r, 429, `{"code":"resource_exhausted","msg":"slow down"}`)
			resp.Header.Set("Retry-After", "2")
			return resp, nil
		}
		return h.record(r, 200, znsJSON), nil
	})
	_, err = h.shop(t).ZNS.Send(ctx, zns())
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2, "eTelecom did not act on a refusal that says when to come back")
	require.Contains(t, h.clock.Sleeps(), 2*time.Second)
}

func TestANonJSONErrorKeepsTheStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "CurrentShop", 502, `<html>bad gateway</html>`)
	_, err := h.shop(t).Shops.Current(ctx)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 4, "a read is retried on 502 (3 retries)")
}

func TestAFailureCodeUnderOKIsAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, `{"code":"permission_denied","msg":"no","meta":{"reason":"unknown shop"}}`)
	_, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, 200, apiErr.StatusCode)
	require.Equal(t, etelecom.CodePermissionDenied, apiErr.Code)
}

func TestAnUnreadableAnswerIsUnexpected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Misc", "CurrentAccount", 200, `{"id":`)
	_, err := h.c.CurrentAccount(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}
