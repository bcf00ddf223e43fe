package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
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
)

// teeHandler sends every record to slog's text and JSON handlers, so that
// a test sees what both would print.
type teeHandler struct{ text, json slog.Handler }

func newTee(w *bytes.Buffer) slog.Handler {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return teeHandler{slog.NewTextHandler(w, opts), slog.NewJSONHandler(w, opts)}
}

func (h teeHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	return errors.Join(h.text.Handle(ctx, r.Clone()), h.json.Handle(ctx, r.Clone()))
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{h.text.WithAttrs(as), h.json.WithAttrs(as)}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{h.text.WithGroup(name), h.json.WithGroup(name)}
}

// everyForm returns v as text may hold it: as is, escaped in a JSON string
// (with and without HTML escaping), escaped in an address, in base64.
func everyForm(v string) []string {
	html, _ := json.Marshal(v)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return []string{
		v,
		strings.Trim(string(html), `"`),
		strings.Trim(strings.TrimSpace(plain.String()), `"`),
		url.QueryEscape(v),
		url.PathEscape(v),
	}
}

// requireNoForm fails when text holds any form of a secret.
func requireNoForm(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range everyForm(s) {
			require.NotContains(t, text, f, "a form of %q", s)
		}
	}
}

// errorText is everything an error shows: its text, every verb, and every
// field of a *partnerkit.Error.
func errorText(err error) string {
	text := fmt.Sprintf("%v | %+v | %#v | %s", err, err, err, err)
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) {
		text += fmt.Sprintf(" | %s | %s | %s | %s | %s | %#v | %#v", apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.Path, apiErr.Body, apiErr.FieldErrors, apiErr.Details)
	}
	return text
}

func TestPrintingAClientShowsNoCredential(t *testing.T) {
	t.Parallel()
	const (
		key      = "print-key-0123456789"
		gateway  = "gateway-credential-xyz"
		password = "gw-pass-42"
	)
	token := signedJWT(t, epoch.Add(time.Hour), 7)
	tokens := NewTokenAuth(func(context.Context, Token) (Token, error) { return Token{Value: token}, nil },
		TokenOptions{Scheme: "Bearer", Identity: "account-1"})
	tok, err := tokens.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, token, tok.Value, "the token auth holds a token")

	c, err := New(Spec{Provider: "test", BaseURL: "https://gw-user:" + password + "@api.example.test/v1", Auth: NewHeaderAuth("X-API-Key", key)},
		mustConfig(t, partnerkit.WithHeader("X-Gateway-Token", gateway), partnerkit.WithHeader("X-Trace", "trace-1")))
	require.NoError(t, err)
	derived := c.WithAuth(tokens)

	values := map[string]any{
		"client": c, "client value": *c, "derived": derived, "spec": c.spec, "header auth": c.auth,
		"header auth value": *c.auth.(*HeaderAuth), "token auth": tokens, "token": tok, "secrets": c.secrets,
		"resty client": c.rc, "basic": c.basic,
	}
	var logs bytes.Buffer
	logger := slog.New(newTee(&logs))
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t"} {
			out := fmt.Sprintf(verb, v)
			requireNoForm(t, out, key, token, password, gateway)
			for _, s := range []string{key, token, password, gateway} {
				require.NotContains(t, strings.ToLower(out), hex.EncodeToString([]byte(s)), "%s of %s", verb, name)
			}
		}
		logger.Info("value", slog.Any(name, v))
	}
	require.Contains(t, logs.String(), `"msg":"value"`)
	requireNoForm(t, logs.String(), key, token, password, gateway)
	require.Equal(t, "https://api.example.test/v1", c.BaseURL(), "the base URL keeps no user information")
}

// echoClient returns a client whose logs go to a text and a JSON handler
// writing into logs.
func echoClient(t *testing.T, spec Spec, logs *bytes.Buffer, opts ...partnerkit.Option) *fixture {
	t.Helper()
	return newFixture(t, spec, append([]partnerkit.Option{slogOption(logs), partnerkit.WithMaxRetries(0)}, opts...)...)
}

func slogOption(logs *bytes.Buffer) partnerkit.Option {
	return partnerkit.WithLogger(slog.New(newTee(logs)))
}

func TestCredentialsEchoedInAnswerHeadersAreNotLogged(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	f := echoClient(t, Spec{}, &logs)
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusUnauthorized, `{}`)
		resp.Header.Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="key `+testKey+` revoked"`)
		resp.Header.Set("X-Echo", testKey)
		resp.Header.Set("Location", "https://u:"+testKey+"@elsewhere.test/login?token=loc-token-1&next=/")
		resp.Header.Set("Link", `<https://elsewhere.test/p?api_key=link-key-1>; rel="next"`)
		return resp, nil
	})
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Contains(t, logs.String(), "Www-Authenticate: Bearer error=")
	require.Contains(t, logs.String(), "Location: https://[REDACTED]@elsewhere.test/login?token=[REDACTED]&next=/")
	requireNoForm(t, logs.String(), testKey, "loc-token-1", "link-key-1")
}

func TestAPasswordWithHTMLCharactersEchoedInJSONIsCut(t *testing.T) {
	t.Parallel()
	const password = `p&ss<w>"rd\1`
	var logs bytes.Buffer
	f := echoClient(t, Spec{Secrets: []string{password}}, &logs)
	echoed, err := json.Marshal(map[string]any{"message": "password " + password + " is wrong", "detail": []string{password}})
	require.NoError(t, err)
	require.Contains(t, string(echoed), `\u0026`, "the echo is HTML-escaped, as encoding/json writes it")
	f.mock.RegisterResponder(http.MethodPost, testBase+"/login", jsonResponder(400, string(echoed)))
	err = f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/login",
		Body: map[string]string{"email": "a@example.com", "pass": password}}, nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	requireNoForm(t, logs.String(), password)
	requireNoForm(t, errorText(err), password)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Contains(t, string(apiErr.Body), `"password [REDACTED] is wrong"`)
}

func TestTheUserinfoOfABaseURLIsSentButNeverShown(t *testing.T) {
	t.Parallel()
	const password = "gw-pa:ss/1"
	var logs bytes.Buffer
	base := "https://gw-user:" + url.PathEscape(password) + "@api.example.test/v1"
	f := echoClient(t, Spec{BaseURL: base}, &logs)
	basic := base64.StdEncoding.EncodeToString([]byte("gw-user:" + password))
	var sent string
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", func(r *http.Request) (*http.Response, error) {
		sent = r.Header.Get("Authorization")
		return jsonResponder(400, `{"message":"gateway saw `+basic+` for `+password+`"}`, "X-Request-Id", password)(r)
	})
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.Equal(t, "Basic "+basic, sent, "the user information is sent as net/http would")
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.Contains(t, logs.String(), "url="+testBase+"/r")
	requireNoForm(t, logs.String(), password, basic)
	requireNoForm(t, errorText(err), password, basic)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, redacted, apiErr.RequestID)

	// A link of the provider carrying user information is treated alike.
	f.mock.RegisterResponder(http.MethodGet, "https://other.example.test/x", func(r *http.Request) (*http.Response, error) {
		sent = r.Header.Get("Authorization")
		return jsonResponder(200, `{}`)(r)
	})
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, URL: "https://link-user:link-pw-9@other.example.test/x"}, nil))
	require.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("link-user:link-pw-9")), sent)
	requireNoForm(t, logs.String(), "link-pw-9")
}

func TestShortCredentialsAreCut(t *testing.T) {
	t.Parallel()
	const user, pin = "acme1", "42"
	var logs bytes.Buffer
	f := echoClient(t, Spec{Secrets: []string{user, pin}}, &logs)
	f.mock.RegisterResponder(http.MethodPost, testBase+"/sms", jsonResponder(400,
		`{"code":"USER_acme1","message":"user acme1 with pin 42 is locked"}`, "X-Request-Id", user))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/sms",
		Body: map[string]string{"username": user, "pin": pin}}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "USER_[REDACTED]", apiErr.Code)
	require.Equal(t, "user [REDACTED] with pin [REDACTED] is locked", apiErr.Message)
	require.Equal(t, redacted, apiErr.RequestID, "the request ID is scrubbed after it is read from the answer")
	require.NotContains(t, logs.String(), user)
	require.NotContains(t, logs.String(), `"pin":"42"`)
}

func TestCredentialsAreCutForTheClientsWholeLife(t *testing.T) {
	t.Parallel()
	const shopKey = "shop-key-registered-first"
	var logs bytes.Buffer
	f := echoClient(t, Spec{}, &logs)
	f.client.AddSecret(shopKey)
	shop := f.client.WithAuth(NewHeaderAuth("Authorization", "Bearer shop-key-applied-only"))
	for i := range 100 {
		f.client.AddSecret(fmt.Sprintf("customer-token-%03d", i))
	}
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(400,
		`{"message":"keys shop-key-registered-first, shop-key-applied-only, customer-token-000"}`))
	// The first call carries the shop's key; the engine registers it.
	_ = shop.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	for i := range 100 {
		f.client.AddSecret(fmt.Sprintf("other-token-%03d", i))
	}
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "keys [REDACTED], [REDACTED], [REDACTED]", apiErr.Message)
	requireNoForm(t, logs.String(), shopKey, "shop-key-applied-only", "customer-token-000")
}

func TestEveryFormOfACredentialIsCutFromEveryField(t *testing.T) {
	t.Parallel()
	const password = `pw&<"\> /+x`
	forms := everyForm(password)
	echo := strings.Join(forms, " ")
	nested := map[string]any{"deep": []any{map[string]any{"x": echo}}}
	decode := func(*Response) *partnerkit.Error {
		return &partnerkit.Error{
			Code: "C_" + forms[3], Message: "said " + echo,
			FieldErrors: map[string][]string{forms[4]: {echo}},
			Details:     nested,
		}
	}
	var logs bytes.Buffer
	f := echoClient(t, Spec{Secrets: []string{password}, DecodeError: decode}, &logs)
	body, err := json.Marshal(map[string]any{"echo": echo, "raw": forms})
	require.NoError(t, err)
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(400, string(body), "X-Request-Id", forms[1]))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/plain", func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(500, "not json: "+echo), nil
	})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/down", httpmock.NewErrorResponder(errors.New("proxy refused "+echo)))

	for _, path := range []string{"/r", "/plain", "/down"} {
		err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: path}, nil)
		require.Error(t, err)
		requireNoForm(t, errorText(err), password)
	}
	requireNoForm(t, logs.String(), password)
	require.Contains(t, fmt.Sprint(nested), password, "the decoder's details are copied, not changed")
}

func TestACredentialWithAControlCharacterIsNeverSent(t *testing.T) {
	t.Parallel()
	for name, auth := range map[string]Auth{
		"a header key": &customAuth{header: "X-Api-Key", value: "key\r\nX-Evil: 1"},
		"a NUL":        &customAuth{header: "X-Api-Key", value: "key\x00"},
		"a token": NewTokenAuth(func(context.Context, Token) (Token, error) { return Token{Value: "tok\nen"}, nil },
			TokenOptions{Scheme: "Bearer"}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Spec{Auth: auth})
			f.mock.RegisterResponder(http.MethodPost, testBase+"/bookings", jsonResponder(201, `{}`))
			err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/bookings", Safety: NotIdempotent, Body: map[string]string{"a": "b"}}, nil)
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			require.NotErrorIs(t, err, partnerkit.ErrNoResponse, "nothing was sent, so the caller need not wonder")
			var v *partnerkit.ValidationError
			require.ErrorAs(t, err, &v)
			require.Contains(t, v.Field, "credential")
			require.Contains(t, v.Rule, "control characters")
			require.NotContains(t, err.Error(), "key")
			require.NotContains(t, err.Error(), "tok")
			require.Zero(t, f.mock.GetTotalCallCount())
		})
	}
	f := newFixture(t, Spec{})
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r", Header: http.Header{"X-Tenant": {"t\r\n1"}}}, nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.Zero(t, f.mock.GetTotalCallCount())
}

func TestPlainHTTPEdgeCases(t *testing.T) {
	t.Parallel()
	for _, base := range []string{
		"http://[::1]:8080/api", "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/", "http://[::1%25lo]:9/",
		"http://localhost./x", "http://LOCALHOST/x", "HTTP://127.0.0.1/x", "http://api.localhost/x", "http://127.0.0.2/",
		"http://user:pw@localhost/x", "HTTPS://api.example.test",
	} {
		_, err := New(Spec{Provider: "test", BaseURL: base}, mustConfig(t))
		require.NoError(t, err, base)
	}
	for _, base := range []string{
		"HTTP://api.example.test", "Http://api.example.test", "http://localhost.evil.example/", "http://127.0.0.1.evil.example/",
		"http://localhost@evil.example/", "http://user:hunter2-pw@api.example.test/", "http://[::2]/", "http://0.0.0.0/",
	} {
		_, err := New(Spec{Provider: "test", BaseURL: base}, mustConfig(t))
		var v *partnerkit.ValidationError
		require.ErrorAs(t, err, &v, base)
		require.Contains(t, v.Rule, "WithInsecureHTTP", base)
		require.NotContains(t, err.Error(), "hunter2-pw")
		_, err = New(Spec{Provider: "test", BaseURL: base}, mustConfig(t, partnerkit.WithInsecureHTTP()))
		require.NoError(t, err, base)
	}
	for _, base := range []string{"ftp://u:hunter2-pw@x", "http://u:hunter2-pw@", "//u:hunter2-pw@host/x"} {
		_, err := New(Spec{Provider: "test", BaseURL: base}, mustConfig(t))
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, base)
		require.NotContains(t, err.Error(), "hunter2-pw", base)
	}
}

// TestTheRequestIDIsScrubbedAfterItIsFilled: complete reads the request ID
// from the answer's headers after the decoder ran, and scrubs the error
// last (deferred), so that an ID echoing a credential is cut too.
func TestTheRequestIDIsScrubbedAfterItIsFilled(t *testing.T) {
	t.Parallel()
	for _, id := range []string{testKey, "req-" + testKey + "-1", "k9&", url.QueryEscape(`p&ss w`)} {
		f := newFixture(t, Spec{Secrets: []string{"k9&", `p&ss w`}}, partnerkit.WithMaxRetries(0))
		f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(400, `{}`, "X-Request-Id", id))
		err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Contains(t, apiErr.RequestID, redacted, id)
		requireNoForm(t, apiErr.RequestID, testKey, "k9&", `p&ss w`)
	}
}
