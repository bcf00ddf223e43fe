package chekin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

func TestFirstCallLogsInAndSendsTheJWT(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/housings/", 200, `{"count":0,"next":null,"previous":null,"results":[]}`)
	_, err := h.c.Housings.List(ctx, nil)
	require.NoError(t, err)
	h.last(t)
	require.Len(t, h.logins, 1)
	login := h.logins[0]
	require.Equal(t, "/api/v3/token/", login.Path)
	require.Empty(t, login.Header.Get("Authorization"), "the login carries no token")
	require.Equal(t, "application/json", login.Header.Get("Content-Type"))
	require.JSONEq(t, `{"email":"`+email+`","password":"`+password+`"}`, login.Body)

	_, err = h.c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, h.loginCount(), "the token is cached")
}

func TestWrongCredentialsAreUnauthorizedWithCheKinsMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var logins atomic.Int32
	h.mock.RegisterResponder(http.MethodPost, base+"/token/", func(*http.Request) (*http.Response, error) {
		logins.Add(1)
		return mocktest.JSON(400, `{"non_field_errors":["Unable to log in with provided credentials."]}`), nil
	})
	h.on(http.MethodGet, "/housings/", 200, `[]`)
	for i := 1; i <= 2; i++ {
		_, err := h.c.Housings.List(ctx, nil)
		require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, "chekin", apiErr.Provider)
		require.Equal(t, 400, apiErr.StatusCode)
		require.Equal(t, "Unable to log in with provided credentials.", apiErr.Message)
		require.Equal(t, "/token/", apiErr.Path)
		require.EqualValues(t, i, logins.Load(), "one login per call, never a loop")
	}
	require.Empty(t, h.reqs, "no API call without a token")
}

func TestA401FromTheTokenEndpointIsNotReplayed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, base+"/token/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(401, `{"code":4002,"message":"Invalid Authorization header. No credentials provided.","status_code":401,"errors":[]}`), nil
	})
	_, err := h.c.Token(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.ErrorContains(t, err, "Invalid Authorization header")
	require.Equal(t, 1, h.mock.GetTotalCallCount())
}

func TestTokenIsRefreshedAMarginBeforeExpiry(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk)
	h.on(http.MethodGet, "/housings/", 200, `[]`)
	call := func() string {
		_, err := h.c.Housings.List(ctx, nil)
		require.NoError(t, err)
		h.mu.Lock()
		defer h.mu.Unlock()
		return authToken(t, h.reqs[len(h.reqs)-1])
	}
	first := call()
	clk.Advance(54 * time.Minute)
	require.Equal(t, first, call(), "more than the 5-minute margin before expiry")
	require.Equal(t, 1, h.loginCount())

	clk.Advance(2 * time.Minute) // 56 minutes: inside the margin
	second := call()
	require.NotEqual(t, first, second)
	require.Len(t, h.logins, 2)
	refresh := h.logins[1]
	require.Equal(t, "/api/v3/token/refresh/", refresh.Path)
	require.Empty(t, refresh.Header.Get("Authorization"))
	require.JSONEq(t, `{"token":"`+first+`"}`, refresh.Body, "the token alone: no password")
}

// TestAnExpiredTokenIsNotRefreshed: after an idle gap longer than the
// token's life, the client logs in at once instead of asking
// /token/refresh/ for a renewal that simplejwt and djangorestframework-jwt
// refuse.
func TestAnExpiredTokenIsNotRefreshed(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk)
	h.on(http.MethodGet, "/housings/", 200, `[]`)
	_, err := h.c.Housings.List(ctx, nil)
	require.NoError(t, err)
	for _, gap := range []time.Duration{3 * time.Hour, time.Hour, time.Hour - 5*time.Second} {
		clk.Advance(gap)
		_, err = h.c.Housings.List(ctx, nil)
		require.NoError(t, err)
	}
	require.Len(t, h.logins, 4)
	for i, login := range h.logins {
		require.Equal(t, "/api/v3/token/", login.Path, "request %d", i)
		require.JSONEq(t, `{"email":"`+email+`","password":"`+password+`"}`, login.Body)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Equal(t, "JWT "+h.issued[3], h.reqs[3].Header.Get("Authorization"))
}

func TestWithTokenMarginChangesWhenTheTokenIsRenewed(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk, chekin.WithTokenMargin(20*time.Minute))
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(41 * time.Minute)
	_, err = h.c.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, h.loginCount())
}

func TestARefusedRefreshFallsBackToALogin(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk)
	var refreshes atomic.Int32
	h.mock.RegisterResponder(http.MethodPost, base+"/token/refresh/", func(*http.Request) (*http.Response, error) {
		refreshes.Add(1)
		return mocktest.JSON(400, `{"non_field_errors":["Refresh has expired."]}`), nil
	})
	first, err := h.c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(56 * time.Minute)
	second, err := h.c.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, first, second)
	require.EqualValues(t, 1, refreshes.Load())
	require.Equal(t, 2, h.loginCount(), "two logins through /token/")
	require.Equal(t, "/api/v3/token/", h.logins[1].Path)
}

func TestAServerErrorOnRefreshIsReturned(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk, partnerkit.WithMaxRetries(0))
	h.mock.RegisterResponder(http.MethodPost, base+"/token/refresh/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(500, `{"detail":"boom"}`), nil
	})
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(56 * time.Minute)
	_, err = h.c.Token(ctx)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Equal(t, 1, h.loginCount())
}

func TestManyGoroutinesOnAnExpiredTokenCauseOneFetch(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk)
	var calls atomic.Int32
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return mocktest.JSON(200, `[]`), nil
	})
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(2 * time.Hour)

	const goroutines = 1000
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.c.Housings.List(ctx, nil); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failures.Load())
	require.Equal(t, 2, h.loginCount(), "the first login and exactly one renewal")
	require.Equal(t, "/api/v3/token/", h.logins[1].Path, "an expired token is not refreshed")
	require.EqualValues(t, goroutines, calls.Load())
}

func TestManyGoroutinesWithoutATokenLogInOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(200, `[]`), nil
	})
	var wg sync.WaitGroup
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.c.Housings.List(ctx, nil)
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Equal(t, 1, h.loginCount())
}

func TestA401RenewsTheTokenOnceAndReplaysOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var seen []string
	h.mock.RegisterResponder(http.MethodPost, base+"/reservations/", func(r *http.Request) (*http.Response, error) {
		c := mocktest.Capture(r)
		seen = append(seen, authToken(t, c))
		require.JSONEq(t, `{"check_in_date":"2025-06-25","check_out_date":"2025-06-30","housing_id":"8ecaf8888f844a049c60da1d7b0d3f1d"}`, c.Body, "the replay sends the same body")
		if len(seen) == 1 {
			return mocktest.JSON(401, `{"detail":"Signature has expired."}`), nil
		}
		return mocktest.JSON(201, `{"id":"c4f529e7ad5c4c96a6dd6c3d61072705"}`), nil
	})
	r, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: "8ecaf8888f844a049c60da1d7b0d3f1d", CheckIn: date("2025-06-25"), CheckOut: date("2025-06-30"),
	})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("c4f529e7ad5c4c96a6dd6c3d61072705"), r.ID)
	require.Len(t, seen, 2)
	require.Equal(t, h.issued, seen, "the replay carries the renewed token")
	require.Equal(t, 2, h.loginCount())
}

func TestASecond401IsReturnedNotLooped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/housings/", 401, `{"code":4002,"message":"Invalid Authorization header. No credentials provided.","status_code":401,"errors":[]}`)
	_, err := h.c.Housings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "4002", apiErr.Code)
	require.Equal(t, "Invalid Authorization header. No credentials provided.", apiErr.Message)
	require.Len(t, h.reqs, 2, "the call and one replay")
	require.Equal(t, 2, h.loginCount(), "one login and one renewal")
	require.NotEqual(t, authToken(t, h.reqs[0]), authToken(t, h.reqs[1]))
}

func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHarness(t, partnerkit.WithLogger(logger), partnerkit.WithMaxRetries(0))
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(r *http.Request) (*http.Response, error) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "JWT ")
		return mocktest.JSON(500, `{"detail":"failed for `+tok+` with `+password+`"}`), nil
	})
	_, err := h.c.Housings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.NotEmpty(t, h.issued)
	for _, secret := range []string{password, h.issued[0]} {
		require.NotContains(t, err.Error(), secret)
		require.NotContains(t, string(apiErr.Body), secret)
		require.NotContains(t, logs.String(), secret)
	}
	require.Contains(t, err.Error(), "[REDACTED]")
	require.Contains(t, logs.String(), "/token/", "the login was logged")
}

func TestRegisterReturnsAClientWithTheIssuedToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	registered := signedJWT(t, epoch.Add(time.Hour), 99)
	h.mock.RegisterResponder(http.MethodPost, base+"/auth/registration/", func(r *http.Request) (*http.Response, error) {
		c := mocktest.Capture(r)
		h.reqs = append(h.reqs, c)
		return mocktest.JSON(201, `{"token":"`+registered+`"}`), nil
	})
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(r *http.Request) (*http.Response, error) {
		h.reqs = append(h.reqs, mocktest.Capture(r))
		return mocktest.JSON(200, `[]`), nil
	})
	c, err := chekin.Register(ctx, &chekin.RegisterParams{Email: "new.user@happycompany.com", Password: "n3w-Passw0rd", Origin: "happycompany"},
		partnerkit.WithBaseURL(base), partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}), clockOption(h.clock))
	require.NoError(t, err)
	require.Len(t, h.reqs, 1)
	reg := h.reqs[0]
	require.Equal(t, "/api/v3/auth/registration/", reg.Path)
	require.Empty(t, reg.Header.Get("Authorization"))
	require.JSONEq(t, `{"email":"new.user@happycompany.com","password":"n3w-Passw0rd","origin":"happycompany"}`, reg.Body)

	tok, err := c.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, registered, tok)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "JWT "+registered, h.reqs[1].Header.Get("Authorization"))
	require.Zero(t, h.loginCount(), "no login needed")
}

func TestWithTokenStartsFromAStoredToken(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	stored := signedJWT(t, epoch.Add(30*time.Minute), 7)
	h := newHarnessClock(t, clk, chekin.WithToken(stored))
	tok, err := h.c.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, stored, tok)
	require.Zero(t, h.loginCount())
	clk.Advance(26 * time.Minute) // the JWT's exp is read: inside the margin
	tok, err = h.c.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, stored, tok)
	require.Equal(t, "/api/v3/token/refresh/", h.logins[0].Path)
}

func TestChangePasswordUsesTheNewPasswordForLogins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/users/me/", 200, `{"id":"2a0f1613bc614813a69a520c9b48f51c","name":"","surname":"","first_name":"","email":"`+email+`"}`)
	u, err := h.c.Users.ChangePassword(ctx, password, "n3w-s3cret-pass")
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/api/v3/users/me/", r.Path)
	require.JSONEq(t, `{"password":"n3w-s3cret-pass","old_password":"`+password+`"}`, r.Body)
	require.Equal(t, partnerkit.ID("2a0f1613bc614813a69a520c9b48f51c"), u.ID)
	require.Equal(t, email, u.Email)
	require.Contains(t, string(u.Raw), "first_name")

	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(401, `{"detail":"Signature has expired."}`), nil
	})
	_, _ = h.c.Housings.List(ctx, nil)
	var body map[string]string
	require.NoError(t, json.Unmarshal([]byte(h.logins[len(h.logins)-1].Body), &body))
	require.Equal(t, "n3w-s3cret-pass", body["password"])
}

func TestChangePasswordIsNotRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/users/me/", 503, `{"detail":"unavailable"}`)
	_, err := h.c.Users.ChangePassword(ctx, password, "n3w-s3cret-pass")
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.reqs, 1)
}

func TestAWaiterLeavesWithItsContext(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	gate := make(chan struct{})
	h.mock.RegisterResponder(http.MethodPost, base+"/token/", func(*http.Request) (*http.Response, error) {
		<-gate
		return mocktest.JSON(200, `{"token":"`+signedJWT(t, epoch.Add(time.Hour), 1)+`"}`), nil
	})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := h.c.Token(cctx)
	require.ErrorIs(t, err, context.Canceled)
	close(gate)
	tok, err := h.c.Token(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, tok)
}

func TestAThrottledRefreshIsReturnedWithoutALogin(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk, partnerkit.WithMaxRetries(0))
	h.mock.RegisterResponder(http.MethodPost, base+"/token/refresh/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(429, `{"detail":"Request was throttled."}`), nil
	})
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(56 * time.Minute)
	_, err = h.c.Token(ctx)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, 1, h.loginCount())
}

// simplejwtRefusal is what simplejwt answers for an expired access token.
const simplejwtRefusal = `{"detail":"Given token not valid for any token type","code":"token_not_valid",
"messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is expired"}]}`

// TestARefusedTokenIsRenewedWhateverItsStatus: Django REST Framework
// answers 403 instead of 401 to a refused token when session
// authentication comes first. The body says the token was refused, so the
// client renews it once and replays the call once, with the new token.
func TestARefusedTokenIsRenewedWhateverItsStatus(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"simplejwt":                 simplejwtRefusal,
		"djangorestframework-jwt":   `{"detail":"Signature has expired."}`,
		"DRF authentication_failed": `{"detail":"Incorrect authentication credentials.","code":"authentication_failed"}`,
		"CheKin's coded form":       `{"code":4002,"message":"Invalid Authorization header. No credentials provided.","status_code":403,"errors":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			var seen []string
			h.mock.RegisterResponder(http.MethodPost, base+"/housings/", func(r *http.Request) (*http.Response, error) {
				c := mocktest.Capture(r)
				h.mu.Lock()
				defer h.mu.Unlock()
				seen = append(seen, authToken(t, c))
				require.JSONEq(t, `{"name":"Casa"}`, c.Body, "the replay sends the same body")
				if len(seen) == 1 {
					return mocktest.JSON(403, body), nil
				}
				return mocktest.JSON(201, `{"id":"8ecaf8888f844a049c60da1d7b0d3f1d","name":"Casa"}`), nil
			})
			got, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa"})
			require.NoError(t, err)
			require.Equal(t, partnerkit.ID("8ecaf8888f844a049c60da1d7b0d3f1d"), got.ID)
			require.Len(t, seen, 2, "the call and one replay")
			require.Equal(t, h.issued, seen, "the replay carries the renewed token")
			require.Equal(t, 2, h.loginCount())
		})
	}
}

// TestATokenRefusedTwiceIsUnauthorized: the replay is refused too; the
// client returns the refusal, without looping, as ErrUnauthorized with
// simplejwt's reasons in ErrorDetails and no field errors.
func TestATokenRefusedTwiceIsUnauthorized(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/housings/", 403, simplejwtRefusal)
	_, err := h.c.Housings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 403, apiErr.StatusCode)
	require.Equal(t, chekin.CodeTokenNotValid, apiErr.Code)
	require.Equal(t, "Given token not valid for any token type", apiErr.Message)
	require.Nil(t, apiErr.FieldErrors, "simplejwt's messages are not field errors")
	d, ok := partnerkit.DetailsOf[*chekin.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, []chekin.TokenMessage{{TokenClass: "AccessToken", TokenType: "access", Message: "Token is expired"}}, d.TokenMessages)
	require.Len(t, h.reqs, 2, "the call and one replay")
	require.Equal(t, 2, h.loginCount())
}

// TestAForbiddenAnswerIsNotARefusedToken: a 403 that refuses the action,
// not the token, is returned at once.
func TestAForbiddenAnswerIsNotARefusedToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/housings/", 403, `{"detail":"You do not have permission to perform this action.","code":"permission_denied"}`)
	_, err := h.c.Housings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	require.Len(t, h.reqs, 1)
	require.Equal(t, 1, h.loginCount())
	_, ok := partnerkit.DetailsOf[*chekin.ErrorDetails](err)
	require.False(t, ok, "no details")
}

// TestTokensOfAServerWhoseClockIsBehindAreKept: a server whose clock runs
// two hours behind issues tokens whose exp has passed on arrival. The
// client reads their lifetime from exp - iat and keeps each token for its
// hour instead of fetching a new one on every call.
func TestTokensOfAServerWhoseClockIsBehindAreKept(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessClock(t, clk)
	var mu sync.Mutex
	var issued []string
	behind := func(*http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		serverNow := clk.Now().Add(-2 * time.Hour)
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"email": email, "iat": serverNow.Unix(), "exp": serverNow.Add(time.Hour).Unix(), "n": len(issued),
		}).SignedString([]byte("test-signing-key"))
		require.NoError(t, err)
		issued = append(issued, tok)
		return mocktest.JSON(200, `{"token":"`+tok+`"}`), nil
	}
	h.mock.RegisterResponder(http.MethodPost, base+"/token/", behind)
	h.mock.RegisterResponder(http.MethodPost, base+"/token/refresh/", behind)
	h.on(http.MethodGet, "/housings/", 200, `[]`)
	for range 10 {
		_, err := h.c.Housings.List(ctx, nil)
		require.NoError(t, err)
		clk.Advance(5 * time.Minute)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, issued, 1, "one token for the first 50 minutes")
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Len(t, h.reqs, 10)
	for _, r := range h.reqs {
		require.Equal(t, "JWT "+issued[0], r.Header.Get("Authorization"))
	}
}

// recordingStore is a MemoryTokenStore that records the keys it is asked
// about and the tokens it is given.
type recordingStore struct {
	*partnerkit.MemoryTokenStore
	mu     sync.Mutex
	keys   map[string]bool
	stored []string
	fail   atomic.Bool
}

func newRecordingStore() *recordingStore {
	return &recordingStore{MemoryTokenStore: partnerkit.NewMemoryTokenStore(), keys: map[string]bool{}}
}

func (s *recordingStore) seen(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = true
	if s.fail.Load() {
		return errors.New("the store is down")
	}
	return nil
}

func (s *recordingStore) Load(ctx context.Context, key string) (partnerkit.Token, error) {
	if err := s.seen(key); err != nil {
		return partnerkit.Token{}, err
	}
	return s.MemoryTokenStore.Load(ctx, key)
}

func (s *recordingStore) Store(ctx context.Context, key string, tok partnerkit.Token) error {
	if err := s.seen(key); err != nil {
		return err
	}
	s.mu.Lock()
	s.stored = append(s.stored, tok.Value())
	s.mu.Unlock()
	return s.MemoryTokenStore.Store(ctx, key, tok)
}

func (s *recordingStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	if err := s.seen(key); err != nil {
		return nil, false, err
	}
	return s.MemoryTokenStore.Lock(ctx, key, ttl)
}

func (s *recordingStore) keyList() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.keys {
		out = append(out, k)
	}
	return out
}

// replica returns another client of the harness's account, on its mock and
// clock, as a second process of the same service would be.
func (h *harness) replica(t *testing.T, mail string, opts ...partnerkit.Option) *chekin.Client {
	t.Helper()
	all := append([]partnerkit.Option{
		partnerkit.WithBaseURL(base),
		partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
		clockOption(h.clock),
	}, opts...)
	c, err := chekin.New(mail, password, all...)
	require.NoError(t, err)
	return c
}

func TestWithTokenStoreLogsInOnceForEveryClientOfTheAccount(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	store := newRecordingStore()
	h := newHarnessClock(t, clk, chekin.WithTokenStore(store))
	first, err := h.c.Token(ctx)
	require.NoError(t, err)
	for _, mail := range []string{email, strings.ToUpper(email), strings.ToLower(email)} {
		tok, err := h.replica(t, mail, chekin.WithTokenStore(store)).Token(ctx)
		require.NoError(t, err)
		require.Equal(t, first, tok, "%s takes the stored token", mail)
	}
	require.Equal(t, 1, h.loginCount())

	clk.Advance(56 * time.Minute) // inside the margin: one replica refreshes for all
	late := h.replica(t, email, chekin.WithTokenStore(store))
	renewed, err := late.Token(ctx)
	require.NoError(t, err)
	again, err := h.c.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, renewed, again)
	require.Len(t, h.logins, 2)
	require.Equal(t, "/api/v3/token/refresh/", h.logins[1].Path, "the stored token was refreshed")

	keys := store.keyList()
	require.Len(t, keys, 1, "one key for the account, whatever the case of the address")
	require.Regexp(t, `^chekin:[0-9a-f]{32}$`, keys[0])
	store.mu.Lock()
	require.Equal(t, h.issued, store.stored, "only CheKin's tokens are stored")
	store.mu.Unlock()
}

func TestTheStoreKeysOfTwoBaseURLsDiffer(t *testing.T) {
	t.Parallel()
	store := newRecordingStore()
	h := newHarness(t, chekin.WithTokenStore(store))
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	const sandbox = "https://sandbox.chekin.test/api/v3"
	h.mock.RegisterResponder(http.MethodPost, sandbox+"/token/", func(*http.Request) (*http.Response, error) {
		return mocktest.JSON(200, `{"token":"`+signedJWT(t, epoch.Add(time.Hour), 50)+`"}`), nil
	})
	other, err := h.replica(t, email, chekin.WithTokenStore(store), partnerkit.WithBaseURL(sandbox)).Token(ctx)
	require.NoError(t, err)
	require.Equal(t, signedJWT(t, epoch.Add(time.Hour), 50), other, "the sandbox's account logs in on its own")
	require.Len(t, store.keyList(), 2)
}

func TestWithTokenStoreRefusesNil(t *testing.T) {
	t.Parallel()
	_, err := chekin.New(email, password, chekin.WithTokenStore(nil))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "chekin.WithTokenStore")
	require.ErrorContains(t, err, "must not be nil")
}

func TestAFailingTokenStoreNeitherFailsCallsNorGoesUnsaid(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	store := newRecordingStore()
	store.fail.Store(true)
	h := newHarness(t, chekin.WithTokenStore(store), partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	h.on(http.MethodGet, "/housings/", 200, `[]`)
	_, err := h.c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, h.loginCount())
	require.Contains(t, logs.String(), "level=WARN msg=\"partnerkit: the token store failed; renewing tokens without it until it answers again\" error=\"the store is down\"")
}

// TestATokenFromTheStoreIsRedacted: a client that takes its token from the
// store cuts it out of its errors and logs as it does a token it obtained.
func TestATokenFromTheStoreIsRedacted(t *testing.T) {
	t.Parallel()
	store := partnerkit.NewMemoryTokenStore()
	h := newHarness(t, chekin.WithTokenStore(store))
	_, err := h.c.Token(ctx)
	require.NoError(t, err)
	var logs bytes.Buffer
	replica := h.replica(t, email, chekin.WithTokenStore(store), partnerkit.WithMaxRetries(0),
		partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(r *http.Request) (*http.Response, error) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "JWT ")
		return mocktest.JSON(500, `{"detail":"failed for `+tok+`"}`), nil
	})
	_, err = replica.Housings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Equal(t, 1, h.loginCount(), "the replica took the stored token")
	require.NotContains(t, err.Error(), h.issued[0])
	require.Contains(t, err.Error(), "[REDACTED]")
	require.NotContains(t, logs.String(), h.issued[0])
}

// ExampleWithTokenStore gives two clients of one account, standing for two
// replicas of a service, one token store: the second takes the token the
// first logged in for. Across processes, the store is Redis's
// (redisfleet.NewTokenStore).
func ExampleWithTokenStore() {
	fake := chekintest.New()
	api := httptest.NewServer(fake)
	defer api.Close()

	store := partnerkit.NewMemoryTokenStore()
	for range 2 {
		c, err := chekin.New(chekintest.Email, chekintest.Password,
			partnerkit.WithBaseURL(api.URL),
			chekin.WithTokenStore(store))
		if err != nil {
			log.Fatal(err)
		}
		if _, err := c.Housings.List(context.Background(), nil); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("logins:", fake.TokenRequests())
	// Output: logins: 1
}
