package transport

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// TestNoSecretReachesALogOrAnError turns debug logging on, runs calls that
// carry an API key, a password and tokens in headers, bodies, answers and
// error messages, and searches every log line and error string for them.
func TestNoSecretReachesALogOrAnError(t *testing.T) {
	t.Parallel()
	const password = "correct-horse-battery"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := clock.NewAutoFake(epoch)
	mock := httpmock.NewMockTransport()

	issued := signedJWT(t, epoch.Add(time.Hour), 1)
	login := func(ctx context.Context, c *Client) (Token, error) {
		var out struct {
			Token string `json:"token"`
		}
		err := c.Do(ctx, &Request{Method: http.MethodPost, Path: "/token/", Auth: NoAuth,
			Body: map[string]string{"email": "a@example.com", "password": password}}, &out)
		return Token{Value: out.Token}, err
	}
	var client *Client
	tokens := NewTokenAuth(func(ctx context.Context, _ Token) (Token, error) { return login(ctx, client) },
		TokenOptions{Scheme: "JWT", Clock: clk, OnToken: func(s string) { client.AddSecret(s) }})
	client, err := New(Spec{
		Provider: "test", BaseURL: testBase, Auth: tokens, DecodeError: testDecode,
		Secrets: []string{password, testKey},
	}, mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), partnerkit.WithLogger(logger),
		WithClock(clk), partnerkit.WithMaxRetries(1)))
	require.NoError(t, err)

	mock.RegisterResponder(http.MethodPost, testBase+"/token/", jsonResponder(200, `{"token":"`+issued+`"}`))
	mock.RegisterResponder(http.MethodPost, testBase+"/users/me/", jsonResponder(400,
		`{"code":"bad","message":"old_password `+password+` is wrong for token `+issued+`"}`))
	mock.RegisterResponder(http.MethodGet, testBase+"/echo", jsonResponder(500,
		`{"message":"key `+testKey+` rejected","nested":{"api_key":"`+testKey+`","list":[{"secret":"s3cr3t-value"}]}}`))
	mock.RegisterResponder(http.MethodGet, testBase+"/down", httpmock.NewErrorResponder(errors.New("proxy said: bad key "+testKey)))

	var errs []error
	errs = append(errs, client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/users/me/",
		Body: map[string]string{"password": "new-" + password, "old_password": password}}, nil))
	errs = append(errs, client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/echo"}, nil))
	errs = append(errs, client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/down"}, nil))

	shop := client.WithAuth(NewHeaderAuth("X-Api-Key", testKey))
	errs = append(errs, shop.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/echo"}, nil))

	require.NotZero(t, logs.Len())
	require.Contains(t, logs.String(), `"level":"DEBUG"`)
	require.Contains(t, logs.String(), redacted)
	for _, secret := range []string{password, "new-" + password, testKey, issued, "s3cr3t-value"} {
		require.NotContains(t, logs.String(), secret)
		for _, err := range errs {
			require.Error(t, err)
			require.NotContains(t, err.Error(), secret)
			var apiErr *partnerkit.Error
			if errors.As(err, &apiErr) {
				require.NotContains(t, string(apiErr.Body), secret)
				require.NotContains(t, apiErr.Message, secret)
			}
		}
	}
}

func TestLoggingIsSilentByDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	require.Nil(t, f.client.log)
	require.False(t, f.client.logging(context.Background()))
}

func TestRedactJSON(t *testing.T) {
	t.Parallel()
	in := `{"email":"a@b.c","password":"p","data":[{"access_token":"t","name":"n"}],"provider_api_key":"k","shop_key":"s","Authorization":"x"}`
	out := string(redactJSON([]byte(in)))
	require.JSONEq(t, `{"email":"a@b.c","password":"[REDACTED]","data":[{"access_token":"[REDACTED]","name":"n"}],"provider_api_key":"[REDACTED]","shop_key":"[REDACTED]","Authorization":"[REDACTED]"}`, out)
	require.Equal(t, "not json", string(redactJSON([]byte("not json"))))
}

func TestRedactJSONCutsCredentialsOutOfAddresses(t *testing.T) {
	t.Parallel()
	in := `{"auth_url":"https://partner-auth.example/login?token=request:Ut8zhsaQp&lang=vi","target":"http://127.0.0.1:9/hook?a=1&Secret=s3cr3t-value#top",` +
		`"links":["https://x.example/p?api_key=k%3D1"],"page":"https://x.example/items?page=2","text":"why? because a=b","bad":"http://[::1?token=x"}`
	out := string(redactJSON([]byte(in)))
	require.JSONEq(t, `{"auth_url":"https://partner-auth.example/login?token=[REDACTED]&lang=vi","target":"http://127.0.0.1:9/hook?a=1&Secret=[REDACTED]#top",`+
		`"links":["https://x.example/p?api_key=[REDACTED]"],"page":"https://x.example/items?page=2","text":"why? because a=b","bad":"http://[::1?token=x"}`, out)
	for _, secret := range []string{"Ut8zhsaQp", "s3cr3t-value", "k%3D1"} {
		require.NotContains(t, out, secret)
	}
}

func TestRedactHeader(t *testing.T) {
	t.Parallel()
	h := http.Header{"Authorization": {"JWT abc"}, "X-Api-Key": {"k"}, "X-Tenant-Id": {"20260310"}, "Cookie": {"c"}}
	require.Equal(t, []string{"Authorization: [REDACTED]", "Cookie: [REDACTED]", "X-Api-Key: [REDACTED]", "X-Tenant-Id: 20260310"}, redactHeader(h))
}

func TestSecretsKeepTheMostRecentTokens(t *testing.T) {
	t.Parallel()
	var s secrets
	s.addFixed("fixed-secret")
	s.addFixed("short")
	for i := range maxRecentSecrets + 1 {
		s.addToken("token-" + strings.Repeat("x", i+1))
	}
	require.Equal(t, "[REDACTED] short", s.scrub("fixed-secret short"))
	require.Len(t, s.recent, maxRecentSecrets)
	require.Equal(t, "token-"+strings.Repeat("x", maxRecentSecrets+1), s.recent[maxRecentSecrets-1])
}

func TestSecretsAreScrubbedFromFieldErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{DecodeError: func(r *Response) *partnerkit.Error {
		return &partnerkit.Error{Message: "invalid", FieldErrors: map[string][]string{"api_key": {"key " + testKey + " is not valid"}}}
	}})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(400, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, map[string][]string{"api_key": {"key " + redacted + " is not valid"}}, apiErr.FieldErrors)
	require.NotContains(t, err.Error(), testKey)
}
