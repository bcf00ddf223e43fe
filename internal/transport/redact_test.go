package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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

func TestCleanRedactsCredentialFields(t *testing.T) {
	t.Parallel()
	var s secrets
	in := `{"email":"a@b.c","password":"p","data":[{"access_token":"t","name":"n"}],"provider_api_key":"k","shop_key":"s","Authorization":"x","id":12345678901234567890}`
	out := string(s.clean([]byte(in)))
	require.JSONEq(t, `{"email":"a@b.c","password":"[REDACTED]","data":[{"access_token":"[REDACTED]","name":"n"}],"provider_api_key":"[REDACTED]","shop_key":"[REDACTED]","Authorization":"[REDACTED]","id":12345678901234567890}`, out)
	require.Contains(t, out, "12345678901234567890", "numbers keep their digits")
	require.Equal(t, "not json", string(s.clean([]byte("not json"))))
	require.Equal(t, `{"a":1} {"b":2}`, string(s.clean([]byte(`{"a":1} {"b":2}`))), "two documents are not one JSON body")
}

func TestCleanCutsCredentialsOutOfAddresses(t *testing.T) {
	t.Parallel()
	var s secrets
	in := `{"auth_url":"https://partner-auth.example/login?token=request:Ut8zhsaQp&lang=vi","target":"http://127.0.0.1:9/hook?a=1&Secret=s3cr3t-value#top",` +
		`"links":["https://x.example/p?api_key=k%3D1"],"page":"https://x.example/items?page=2","text":"why? because a=b","bad":"http://[::1?token=x",` +
		`"gateway":"https://gw-user:gw-pass@gateway.example/api","said":"go to https://x.example/cb?access_token=abc123 now","relative":"/next?page=3&token=rel-tok"}`
	out := string(s.clean([]byte(in)))
	require.JSONEq(t, `{"auth_url":"https://partner-auth.example/login?token=[REDACTED]&lang=vi","target":"http://127.0.0.1:9/hook?a=1&Secret=[REDACTED]#top",`+
		`"links":["https://x.example/p?api_key=[REDACTED]"],"page":"https://x.example/items?page=2","text":"why? because a=b","bad":"http://[::1?token=[REDACTED]",`+
		`"gateway":"https://[REDACTED]@gateway.example/api","said":"go to https://x.example/cb?access_token=[REDACTED] now","relative":"/next?page=3&token=[REDACTED]"}`, out)
	for _, secret := range []string{"Ut8zhsaQp", "s3cr3t-value", "k%3D1", "gw-pass", "abc123", "rel-tok"} {
		require.NotContains(t, out, secret)
	}
	require.Equal(t, "see https://[REDACTED]@gw.example/x?token=[REDACTED] and <https://gw.example/y?Api-Key=[REDACTED]>; rel=next",
		string(s.clean([]byte("see https://u:p@gw.example/x?token=t1 and <https://gw.example/y?Api-Key=k2>; rel=next"))), "a body that is not JSON")
}

func TestRedactHeader(t *testing.T) {
	t.Parallel()
	var s secrets
	s.add("echoed-key-1")
	h := http.Header{
		"Authorization": {"JWT abc"}, "X-Api-Key": {"k"}, "X-Tenant-Id": {"20260310"}, "Cookie": {"c"},
		"Www-Authenticate": {`Bearer error="invalid_token", error_description="key echoed-key-1 is revoked"`},
		"X-Echo":           {"echoed-key-1"},
		"Location":         {"https://u:p@elsewhere.example/cb?token=t&x=1"},
		"Content-Location": {"/login?password=pw"},
	}
	require.Equal(t, []string{
		"Authorization: [REDACTED]",
		"Content-Location: /login?password=[REDACTED]",
		"Cookie: [REDACTED]",
		"Location: https://[REDACTED]@elsewhere.example/cb?token=[REDACTED]&x=1",
		`Www-Authenticate: Bearer error="invalid_token", error_description="key [REDACTED] is revoked"`,
		"X-Api-Key: [REDACTED]",
		"X-Echo: [REDACTED]",
		"X-Tenant-Id: 20260310",
	}, s.redactHeader(h))
}

func TestSecretsKeepEveryCredentialForTheClientsLife(t *testing.T) {
	t.Parallel()
	var s secrets
	s.add("shop-key-0")
	s.add("abc") // an SMS user name of three characters
	for i := range 1000 {
		s.add(fmt.Sprintf("token-%04d", i))
		s.add("shop-key-0") // registered again: kept once
	}
	require.Len(t, s.set.values, 1002)
	require.Equal(t, "[REDACTED] [REDACTED] [REDACTED] [REDACTED]", s.scrub("shop-key-0 token-0000 token-0999 abc"))
	require.Equal(t, "x[REDACTED]y", s.scrub("xabcy"), "a registered credential is cut out wherever it is")
}

func TestSecretsAreCutInEveryForm(t *testing.T) {
	t.Parallel()
	const pw = `p&w<d>"q\ x/+%`
	var s secrets
	s.add(pw)
	html, _ := json.Marshal(pw)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(pw))
	forms := map[string]string{
		"raw":                  pw,
		"JSON":                 strings.Trim(strings.TrimSpace(plain.String()), `"`),
		"JSON with HTML":       strings.Trim(string(html), `"`),
		"query escaped":        url.QueryEscape(pw),
		"path escaped":         url.PathEscape(pw),
		"strictly escaped":     percentEncode(pw),
		"lower-case hex":       strings.ToLower(url.QueryEscape(pw)),
		"every byte but words": strings.ReplaceAll(percentEncode(pw), "%20", "+"),
	}
	for name, f := range forms {
		if name == "every byte but words" {
			continue
		}
		require.Equal(t, "<"+redacted+">", s.scrub("<"+f+">"), name)
	}
	require.NotEqual(t, forms["JSON"], forms["JSON with HTML"])

	var basic secrets
	header := basic.addUserinfo(url.UserPassword("gw-user", "gw:pa ss"))
	require.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("gw-user:gw:pa ss")), header)
	for _, f := range []string{header, strings.TrimPrefix(header, "Basic "), "gw:pa ss", "gw-user:gw:pa ss", "gw%3Apa%20ss"} {
		require.Equal(t, redacted, basic.scrub(f), f)
	}
	require.Equal(t, "gw-user", basic.scrub("gw-user"), "the user name of a user:password pair is not a secret")
}

func TestAHeaderValueIsTakenApart(t *testing.T) {
	t.Parallel()
	s := newSecrets()
	s.add("Bearer tok-123") // registered whole first, as a caller might
	s.addHeader("Bearer tok-123")
	s.addHeader("Basic " + base64.StdEncoding.EncodeToString([]byte("u:pw-9")))
	require.Equal(t, "x=[REDACTED] y=[REDACTED]", s.scrub("x=tok-123 y=pw-9"))
}

func TestOverlappingSecretsAreCutWhole(t *testing.T) {
	t.Parallel()
	var s secrets
	s.add("abcdef")
	s.add("defghi")
	s.add("cd")
	require.Equal(t, "x[REDACTED]y", s.scrub("xabcdefghiy"))
	require.Equal(t, "ab[REDACTED]-[REDACTED]", s.scrub("abcd-cd"))
	require.Equal(t, []byte("no secret"), s.scrubBytes([]byte("no secret")))
	require.Equal(t, "nothing registered", (&secrets{}).scrub("nothing registered"))
}

func TestPrintingASecretsRegisterShowsNoSecret(t *testing.T) {
	t.Parallel()
	s := &secrets{}
	s.add("registered-secret")
	for _, out := range []string{fmt.Sprintf("%v %+v %#v %s", s, s, s, s), fmt.Sprint(s.LogValue())} {
		require.NotContains(t, out, "registered-secret")
	}
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
