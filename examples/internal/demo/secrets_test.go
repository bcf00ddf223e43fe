package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/alohubflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/chekinflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/cohostflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/colivingflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
	"github.com/partnerkit/partnerkit-go/examples/internal/etelecomflow"
)

// flows are the example flows checked for leaked credentials: one entry per
// provider.
var flows = []struct {
	name string
	run  demo.Flow
	// env lists the variables cleared so that the flow runs against its
	// built-in fake.
	env []string
	// secrets are credentials the flow is known to send; each must be seen
	// on the wire and nowhere in the logs or the output.
	secrets []string
}{
	{"cohost", cohostflow.Run, []string{"COHOST_API_KEY", "COHOST_BASE_URL"}, []string{cohosttest.APIKey, "Example-Passw0rd"}},
	// CheKin's issued tokens are collected from the token answers on the
	// wire.
	{"chekin", chekinflow.Run, []string{"CHEKIN_EMAIL", "CHEKIN_PASSWORD", "CHEKIN_BASE_URL", "CHEKIN_WEBHOOK_WAIT"}, []string{chekintest.Password}},
	// eTelecom's shop keys (auth_token of AuthorizeShop) are collected from
	// the answers on the wire.
	{"etelecom", etelecomflow.Run, []string{"ETELECOM_API_KEY", "ETELECOM_BASE_URL", "ETELECOM_SHOP_ID", "ETELECOM_SHOP_EMAIL",
		"ETELECOM_SHOP_PHONE", "ETELECOM_SHOP_NAME", "ETELECOM_ZNS_TEMPLATE_ID", "ETELECOM_ZNS_PHONE"}, []string{etelecomtest.APIKey}},
	{"alohub", alohubFewContacts, []string{"ALOHUB_API_KEY", "ALOHUB_BASE_URL", "ALOHUB_TENANT_ID", "ALOHUB_USER_NAME", "ALOHUB_CAMPAIGN_ID"}, []string{alohubtest.APIKey}},
	{"coliving", colivingflow.Run, []string{"COLIVING_API_KEY", "COLIVING_PROVIDER", "COLIVING_BASE_URL", "COLIVING_LISTING_ID", "COLIVING_PRODUCTION"}, []string{colivingtest.APIKey}},
}

// alohubFewContacts runs the Alohub flow on 200 contacts instead of 5,000:
// the requests and the credentials they carry are the same, the fake ends
// the import before the first poll's pause is over, so the flow polls the
// same number of times in every run (each run of this test must make the
// same requests) and a run takes about a second instead of three.
func alohubFewContacts(ctx context.Context, w io.Writer) error {
	defer func(n int) { alohubflow.Contacts = n }(alohubflow.Contacts)
	alohubflow.Contacts = 200
	return alohubflow.Run(ctx, w)
}

// Gateway credentials every flow's clients send in headers of their own
// (partnerkit.WithHeader): a password holding the characters JSON escapes
// for HTML and the escapes of JSON itself, and a credential of three
// characters. The SDK treats the values of credential-named headers as
// credentials, so neither may reach a log, an output or an error, in any
// form, however short.
const (
	gatewayPassword = `gw&pa<ss>"w\0rd`
	gatewayPIN      = `~Z^`
)

// jwtLike matches a JSON Web Token, whatever its origin.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.`)

// TestFlowsKeepSecretsOutOfLogs runs every example flow against its fake
// with debug logging into a buffer. Every credential that crossed the wire
// (credential headers and query parameters, credential-named JSON fields of
// requests and answers, such as passwords and issued tokens) must appear
// neither in the log nor in the flow's output.
//
// Credentials are looked for as they are and as escaped in an address.
//
// Then it runs each flow again twice per request the flow makes, answering
// that request with an error that repeats every credential seen so far, in
// every form a server may write it in (as is, JSON-escaped with and without
// HTML escaping, query- and path-escaped), in its body and in its headers
// (WWW-Authenticate, a header of its own, a Location holding credentials in
// its user information and its query): once as a 400, once as a 307 to
// another host, which the SDK refuses to follow. The flow must fail with an
// error that, like the log, holds none of them.
//
// Every flow's clients also carry gateway credentials of the test's own
// (gatewayPassword, gatewayPIN), so that a password with characters that
// need escaping and a very short credential cross every flow.
func TestFlowsKeepSecretsOutOfLogs(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			for _, v := range f.env {
				t.Setenv(v, "")
			}
			requests := 0
			for run := 0; run == 0 || run <= 2*requests; run++ {
				failAt, echo := (run+1)/2, echo400
				if run > 0 && run%2 == 0 {
					echo = echo307
				}
				var logs, out bytes.Buffer
				log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				tap := &wiretap{next: http.DefaultTransport.(*http.Transport).Clone(), seen: map[string]bool{}, failAt: failAt, echo: echo}
				ctx := demo.WithOptions(context.Background(),
					partnerkit.WithLogger(log),
					partnerkit.WithHTTPClient(&http.Client{Transport: tap}),
					partnerkit.WithHeader("X-Gateway-Token", gatewayPassword),
					partnerkit.WithHeader("X-Gateway-Key", gatewayPIN))

				err := f.run(ctx, &out)
				tap.next.(*http.Transport).CloseIdleConnections()

				secrets := tap.secrets()
				if failAt == 0 {
					require.NoError(t, err)
					requests = tap.requests
					require.Contains(t, logs.String(), "partnerkit: request", "the flow's clients log at debug level")
					require.Contains(t, logs.String(), "[REDACTED]", "credentials were logged redacted")
					for _, s := range append([]string{gatewayPassword, gatewayPIN}, f.secrets...) {
						require.Contains(t, secrets, s, "the flow's credential crossed the wire through the tapped client")
					}
					t.Logf("%d requests, %d log lines, %d distinct credentials on the wire, none leaked", requests, strings.Count(logs.String(), "\n"), len(secrets))
				} else {
					require.Error(t, err, "the flow ignored a failed request %d", failAt)
					if echo == echo307 {
						require.ErrorContains(t, err, "redirect to elsewhere.example refused")
					}
					for _, s := range written(secrets) {
						assert.NotContains(t, err.Error(), s, "a credential is in the flow's error (failing request %d, %s)", failAt, echo)
						assert.NotContains(t, fmt.Sprintf("%+v", err), s, "a credential is in the flow's error (failing request %d, %s)", failAt, echo)
					}
				}
				for _, s := range written(secrets) {
					assert.NotContains(t, logs.String(), s, "a credential is in the debug log (failing request %d, %s)", failAt, echo)
					assert.NotContains(t, out.String(), s, "a credential is in the flow's output (failing request %d, %s)", failAt, echo)
				}
				assert.Empty(t, jwtLike.FindAllString(logs.String(), -1), "a token is in the debug log (failing request %d, %s)", failAt, echo)
				assert.Empty(t, jwtLike.FindAllString(out.String(), -1), "a token is in the flow's output (failing request %d, %s)", failAt, echo)
			}
		})
	}
}

// written returns each credential as text may hold it: as is, escaped in
// a JSON string (with and without HTML escaping, as slog's text handler
// quotes too) and escaped in an address (query and path escaping).
func written(secrets []string) []string {
	var out []string
	for _, s := range secrets {
		for _, f := range forms(s) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// forms returns s as is, JSON-escaped without and with HTML escaping, and
// query- and path-escaped.
func forms(s string) []string {
	return []string{s, jsonEscaped(s, false), jsonEscaped(s, true), url.QueryEscape(s), url.PathEscape(s)}
}

// jsonEscaped returns s as written inside a JSON string.
func jsonEscaped(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// echoKind is how the wiretap fails the request it fails.
type echoKind string

const (
	echo400 echoKind = "a 400 echoing every credential"
	echo307 echoKind = "a 307 to another host echoing every credential"
)

// wiretap is a RoundTripper that collects every credential it sees going
// out or coming back. When failAt is n > 0, it answers the nth request
// itself, with a 400 whose body repeats every credential seen so far.
type wiretap struct {
	next     http.RoundTripper
	failAt   int
	echo     echoKind
	mu       sync.Mutex
	seen     map[string]bool
	requests int
}

func (w *wiretap) RoundTrip(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.requests++
	n := w.requests
	w.mu.Unlock()
	for name, values := range r.Header {
		if credentialName(name) {
			for _, v := range values {
				w.add(v)
				if _, rest, ok := strings.Cut(v, " "); ok {
					w.add(rest) // "Bearer <token>"
				}
			}
		}
	}
	for name, values := range r.URL.Query() {
		if credentialName(name) {
			for _, v := range values {
				w.add(v)
			}
		}
	}
	out := r.Clone(r.Context())
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		w.addJSON(body)
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	if n == w.failAt {
		return w.answer(r), nil
	}
	resp, err := w.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	w.addJSON(body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// answer fails r as w.echo says: a 400 or a 307 to another host, whose
// body (code, message, detail, details) and headers (WWW-Authenticate,
// X-Echo, Location) repeat every credential seen so far, in every form.
func (w *wiretap) answer(r *http.Request) *http.Response {
	secrets := w.secrets()
	var all []string
	for _, s := range secrets {
		all = append(all, forms(s)...)
	}
	echoed := strings.Join(all, " ")
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	html, _ := json.Marshal(echoed) // encoding/json's own escaping: \u0026, \u003c
	_ = enc.Encode(map[string]any{
		"code": "ECHO " + echoed, "message": "rejected: " + echoed, "detail": echoed, "error": echoed,
		"details": map[string]any{"seen": echoed, "html": json.RawMessage(html), "list": secrets},
	})
	joined := strings.Join(secrets, " ")
	header := http.Header{
		"Content-Type":     {"application/json"},
		"Www-Authenticate": {`Bearer realm="echo", error="invalid_token", error_description="` + echoed + `"`},
		"X-Echo":           {echoed},
		"X-Request-Id":     {joined},
		"Location": {"https://" + url.UserPassword("echo", joined).String() + "@elsewhere.example/callback?token=" +
			url.QueryEscape(joined) + "&api_key=" + url.QueryEscape(joined) + "&next=%2F"},
	}
	status := http.StatusBadRequest
	if w.echo == echo307 {
		status = http.StatusTemporaryRedirect
	}
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(body.Bytes())),
		ContentLength: int64(body.Len()),
		Request:       r,
	}
}

// add records a credential, whatever its length: the SDK must cut out
// every credential it was given or issued.
func (w *wiretap) add(v string) {
	if v == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen[v] = true
}

// addJSON records the string values of credential-named fields at any
// depth of a JSON body.
func (w *wiretap) addJSON(body []byte) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, inner := range t {
				if s, ok := inner.(string); ok && credentialName(k) {
					w.add(s)
				}
				walk(inner)
			}
		case []any:
			for _, inner := range t {
				walk(inner)
			}
		}
	}
	walk(doc)
}

func (w *wiretap) secrets() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.seen))
	for s := range w.seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// credentialName reports whether a header, parameter or field name is a
// credential's: an independent statement of the rule, so that the test does
// not trust the SDK's own.
func credentialName(name string) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, "type") {
		return false // token_type: "Bearer"
	}
	if strings.HasSuffix(n, "_at") {
		return false // api_key_verified_at: a time, not a key
	}
	for _, word := range []string{"password", "secret", "token", "authorization", "credential", "cookie", "signature", "api_key", "apikey", "api-key"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return strings.HasSuffix(n, "key")
}
