package alohub_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

const contactListsBody = `{"success":"1","totalRecord":2,"data":[
{"listId":501,"listName":"Danh sach thang 4","contactCount":150},
{"listId":502,"listName":"Default List","contactCount":30}]}`

// listsOf is the params of the contact lists of campaign id.
func listsOf(id partnerkit.ID) *alohub.ContactListListParams {
	return &alohub.ContactListListParams{CampaignID: id}
}

func TestNewValidatesTheKeyAndTheOptions(t *testing.T) {
	t.Parallel()
	for key, rule := range map[string]string{
		"  ":                   "apiKey is required",
		"sk_live_1\r\nX-A: b":  "apiKey must not contain control characters",
		" sk_live_0123456789 ": "apiKey must not contain control characters",
	} {
		_, err := alohub.New(key)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
		require.ErrorContains(t, err, rule)
		require.NotContains(t, err.Error(), "sk_live", "the rule never quotes the key")
	}
	_, err := alohub.New(apiKey, alohub.WithTenantID(""))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "alohub.WithTenantID")
	_, err = alohub.New(apiKey, alohub.WithTenantID("2026\n0310"))
	require.ErrorContains(t, err, "alohub.WithTenantID")
	var ve *partnerkit.ValidationError
	_, err = alohub.New(apiKey, alohub.WithTenantID(" 20260310"))
	require.ErrorAs(t, err, &ve, "a tenant ID with surrounding spaces is refused, as a key is")
	require.Equal(t, "alohub.WithTenantID", ve.Field)
	require.Equal(t, "must not contain control characters such as CR, LF or NUL, nor surrounding spaces", ve.Rule)
	_, err = alohub.New(apiKey, alohub.Sandbox(), partnerkit.WithBaseURL(base))
	require.ErrorAs(t, err, &ve, "the development gateway is another host: WithBaseURL would replace it")
	require.Equal(t, "alohub.Sandbox", ve.Field)
	_, err = alohub.New(apiKey, alohub.WithWindowLength(0))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "alohub.WithWindowLength")
}

func TestCredentialHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	_, err := h.c.ContactLists.List(ctx, listsOf("1042"))
	require.NoError(t, err)
	r := h.last(t)
	require.Empty(t, r.Header.Get("X-Tenant-ID"), "no tenant unless asked")

	h = newHarness(t, alohub.WithTenantID("20260310"), alohub.WithAuthorizationHeader())
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	_, err = h.c.ContactLists.List(ctx, listsOf("1042"))
	require.NoError(t, err)
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, apiKey, reqs[0].Header.Get("Authorization"), "the key as is, without a scheme")
	require.Empty(t, reqs[0].Header.Get("X-Api-Key"))
	require.Equal(t, "20260310", reqs[0].Header.Get("X-Tenant-ID"))
}

// TestSandboxCallsTheDevelopmentGateway: Sandbox sends to
// SandboxBaseURL, without it the client calls production.
func TestSandboxCallsTheDevelopmentGateway(t *testing.T) {
	t.Parallel()
	for want, opts := range map[string][]partnerkit.Option{
		"https://xapi-dev.alohub.vn/v1/campaigns/1042/contact-lists": {alohub.Sandbox()},
		"https://xapi.alohub.vn/v1/campaigns/1042/contact-lists":     nil,
	} {
		mock := httpmock.NewMockTransport()
		var got []string
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			got = append(got, r.URL.String())
			return mocktest.JSON(200, contactListsBody), nil
		})
		c, err := alohub.New(apiKey, append(opts, partnerkit.WithHTTPClient(&http.Client{Transport: mock}))...)
		require.NoError(t, err)
		_, err = c.ContactLists.List(ctx, listsOf("1042"))
		require.NoError(t, err)
		require.Equal(t, []string{want}, got)
	}
	require.Equal(t, "https://xapi-dev.alohub.vn", alohub.SandboxBaseURL)
}

// TestPrintingAClientShowsNoKey prints a client, its value and its services
// with every verb and through slog's handlers: the key appears nowhere.
func TestPrintingAClientShowsNoKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, alohub.WithTenantID("20260310"))
	c := h.c
	var out bytes.Buffer
	for _, v := range []any{c, *c, c.Campaigns, c.ContactLists, c.Contacts, c.Imports, c.CallLogs} {
		fmt.Fprintf(&out, "%v %+v %#v %s\n", v, v, v, v)
	}
	text := slog.New(slog.NewTextHandler(&out, nil))
	text.Info("client", "client", c, "value", *c)
	jsonLog := slog.New(slog.NewJSONHandler(&out, nil))
	jsonLog.Info("client", "client", c, "value", *c)
	require.NotEmpty(t, out.String())
	require.NotContains(t, out.String(), apiKey)
	require.NotContains(t, out.String(), apiKey[len(apiKey)/2:], "not even in part")
}

func TestAFailureEnvelopeUnderStatus200IsAnError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body string
		code string
		kind error
	}{
		{"not found", `{"success":"0","error_code":"NOT_FOUND","error_message":"Campaign not found"}`, alohub.CodeNotFound, partnerkit.ErrNotFound},
		{"bad input", `{"success":"0","error_code":"INVALID_INPUT","error_message":"userName is required"}`, alohub.CodeInvalidInput, partnerkit.ErrInvalidRequest},
		{"bad state", `{"success":"0","error_code":"INVALID_STATE","error_message":"Contact is not pending"}`, alohub.CodeInvalidState, partnerkit.ErrInvalidRequest},
		{"key", `{"success":"0","error_code":"UNAUTHORIZED","error_message":"bad key"}`, alohub.CodeUnauthorized, partnerkit.ErrUnauthorized},
		{"scope", `{"success":"0","error_code":"INSUFFICIENT_SCOPE","error_message":"missing scope campaign"}`, alohub.CodeInsufficientScope, partnerkit.ErrForbidden},
		{"server", `{"success":0,"error_code":"FAIL","error_message":"internal error"}`, alohub.CodeFail, partnerkit.ErrServer},
		{"false", `{"success":false,"error_code":"FAIL"}`, alohub.CodeFail, partnerkit.ErrServer},
		{"unknown code", `{"success":"2","error_code":"SOMETHING_NEW","error_message":"?"}`, "SOMETHING_NEW", partnerkit.ErrUnexpected},
		{"no flag", `{"totalRecord":1,"data":[]}`, "", partnerkit.ErrUnexpected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, tc.body)
			page, err := h.c.ContactLists.List(ctx, listsOf("1042"))
			require.Nil(t, page)
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tc.code, apiErr.Code)
			require.Equal(t, 200, apiErr.StatusCode)
			require.Equal(t, "alohub", apiErr.Provider)
			require.Equal(t, "/v1/campaigns/1042/contact-lists", apiErr.Path)
			require.ErrorIs(t, err, tc.kind)
			require.Nil(t, apiErr.Details)
			require.Len(t, h.Requests(), 1, "a failure envelope is final")
		})
	}
}

func TestErrorStatuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status        int
		body          string
		code, message string
		kind          error
	}{
		{400, `{"success":"0","error_code":"INVALID_STATE","error_message":"no"}`, alohub.CodeInvalidState, "no", partnerkit.ErrInvalidRequest},
		{401, `{"success":"0","error_code":"UNAUTHORIZED","error_message":"no"}`, alohub.CodeUnauthorized, "no", partnerkit.ErrUnauthorized},
		{403, `{"success":"0","error_code":"INSUFFICIENT_SCOPE","error_message":"no"}`, alohub.CodeInsufficientScope, "no", partnerkit.ErrForbidden},
		{404, `{"success":"0","error_code":"NOT_FOUND","error_message":"no"}`, alohub.CodeNotFound, "no", partnerkit.ErrNotFound},
		{500, `{"success":"0","error_code":"FAIL","error_message":"no"}`, alohub.CodeFail, "no", partnerkit.ErrServer},
		// Kong's own answers, before the request reaches Alohub.
		{401, `{"message":"No API key found in request"}`, "", "No API key found in request", partnerkit.ErrUnauthorized},
		{403, `{"message":"You cannot consume this service"}`, "", "You cannot consume this service", partnerkit.ErrForbidden},
		// A gateway's HTML page.
		{502, `<html><body>502 Bad Gateway</body></html>`, "", "", partnerkit.ErrServer},
	}
	for _, tc := range cases {
		h := newHarness(t, partnerkit.WithMaxRetries(0))
		h.on(http.MethodGet, "/v1/campaigns/7/contact-lists", tc.status, tc.body)
		_, err := h.c.ContactLists.List(ctx, listsOf("7"))
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, tc.status, apiErr.StatusCode)
		require.Equal(t, tc.code, apiErr.Code)
		require.Equal(t, tc.message, apiErr.Message)
		require.ErrorIs(t, err, tc.kind)
		require.Len(t, h.Requests(), 1)
	}
}

func TestErrorDetailsHoldTheEnvelopesData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 400,
		`{"success":"0","error_code":"INVALID_INPUT","error_message":"phoneNumber is invalid","data":{"phoneNumber":"0901"}}`)
	_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
	d, ok := partnerkit.DetailsOf[*alohub.ErrorDetails](err)
	require.True(t, ok)
	require.JSONEq(t, `{"phoneNumber":"0901"}`, string(d.Raw))

	h = newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 200, `{"success":"0","error_code":"INVALID_INPUT","data":null}`)
	_, err = h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	_, ok = partnerkit.DetailsOf[*alohub.ErrorDetails](err)
	require.False(t, ok, "no data, no details")
}

func TestA429IsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	calls := 0
	h.mock.RegisterResponder(http.MethodGet, base+"/v1/campaigns/7/contact-lists", func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		calls++
		if calls == 1 {
			return mocktest.JSON(429, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"slow down"}`, "Retry-After", "4"), nil
		}
		return mocktest.JSON(200, contactListsBody), nil
	})
	page, err := h.c.ContactLists.List(ctx, listsOf("7"))
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, 2, calls)
	require.Equal(t, []time.Duration{4 * time.Second}, h.clock.Sleeps())
}

// rateLimitedOnce answers method and path first with answer (status, body
// and headers), then with ok, and returns the number of calls.
func (h *harness) rateLimitedOnce(method, path string, first func() *http.Response, ok string) *int {
	calls := 0
	h.mock.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		calls++
		if calls == 1 {
			return first(), nil
		}
		return mocktest.JSON(200, ok), nil
	})
	return &calls
}

const rateLimitEnvelope = `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"Rate limit exceeded"}`

// TestARateLimitEnvelopeIsWaitedOutLikeA429 answers HTTP 200 with Alohub's
// RATE_LIMIT_EXCEEDED envelope: the client waits what Retry-After asks (or
// backs off without one) and sends the request again, a create too, since
// Alohub did not act on it.
func TestARateLimitEnvelopeIsWaitedOutLikeA429(t *testing.T) {
	t.Parallel()
	t.Run("read with Retry-After", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		calls := h.rateLimitedOnce(http.MethodGet, "/v1/campaigns/7/contact-lists", func() *http.Response {
			return mocktest.JSON(200, rateLimitEnvelope, "Retry-After", "3")
		}, contactListsBody)
		page, err := h.c.ContactLists.List(ctx, listsOf("7"))
		require.NoError(t, err)
		require.Len(t, page.Items, 2)
		require.Equal(t, 2, *calls)
		require.Equal(t, []time.Duration{3 * time.Second}, h.clock.Sleeps())
	})
	t.Run("create with Retry-After", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		calls := h.rateLimitedOnce(http.MethodPost, "/v1/campaigns/1042/contacts", func() *http.Response {
			return mocktest.JSON(200, rateLimitEnvelope, "Retry-After", "2")
		}, `{"success":"1","error_code":"SUCCESS","error_message":"Contact added to list 501"}`)
		receipt, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
		require.NoError(t, err)
		require.Equal(t, partnerkit.ID("501"), receipt.ListID)
		require.Equal(t, 2, *calls, "sent again: Alohub did not act on the refused one")
		reqs := h.Requests()
		require.Equal(t, reqs[0].Body, reqs[1].Body)
		require.Equal(t, []time.Duration{2 * time.Second}, h.clock.Sleeps())
	})
	t.Run("bulk import without Retry-After", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		calls := h.rateLimitedOnce(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", func() *http.Response {
			return mocktest.JSON(200, rateLimitEnvelope)
		}, `{"success":"1","error_code":"SUCCESS","error_message":"Bulk import started","job_id":5,"total_rows":1}`)
		receipt, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1042", Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}})
		require.NoError(t, err)
		require.Equal(t, partnerkit.ID("5"), receipt.JobID)
		require.Equal(t, 2, *calls)
		sleeps := h.clock.Sleeps()
		require.Len(t, sleeps, 1)
		require.Equal(t, partnerkit.DefaultRetryBaseWait/2, sleeps[0], "the backoff, with random 0.5")
	})
	t.Run("no retries left", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, partnerkit.WithMaxRetries(2))
		h.on(http.MethodGet, "/v1/campaigns/7/contact-lists", 200, rateLimitEnvelope, "Retry-After", "1")
		_, err := h.c.ContactLists.List(ctx, listsOf("7"))
		require.ErrorIs(t, err, partnerkit.ErrRateLimited)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, alohub.CodeRateLimitExceeded, apiErr.Code)
		require.Equal(t, time.Second, apiErr.RetryAfter)
		require.Len(t, h.Requests(), 3)
	})
	t.Run("closes the gate for every route", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, partnerkit.WithMaxRetries(0))
		h.on(http.MethodGet, listsPath, 200, rateLimitEnvelope, "Retry-After", "7")
		h.on(http.MethodGet, contactsPath, 200, `{"success":"1","totalRecord":0,"data":[]}`)
		_, err := h.c.ContactLists.List(ctx, listsOf("1"))
		require.ErrorIs(t, err, partnerkit.ErrRateLimited)
		contacts(t, h)
		require.Equal(t, []time.Duration{7 * time.Second}, h.clock.Sleeps(), "another route waited for the Retry-After, as after a 429")
	})
}

// TestBehindAnNginxLimitReqGateway answers as nginx's limit_req does: a 429
// (limit_req_status 429) or a 503 (its default) with an HTML page and no
// rate-limit headers.
func TestBehindAnNginxLimitReqGateway(t *testing.T) {
	t.Parallel()
	const page = `<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>`
	nginx := func(status int) func() *http.Response {
		return func() *http.Response {
			r := mocktest.JSON(status, page)
			r.Header.Set("Content-Type", "text/html")
			r.Header.Set("Server", "nginx")
			return r
		}
	}
	h := newHarness(t)
	calls := h.rateLimitedOnce(http.MethodPost, "/v1/campaigns/1042/contacts", nginx(429),
		`{"success":"1","error_code":"SUCCESS","error_message":"Contact added to list 501"}`)
	_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
	require.NoError(t, err)
	require.Equal(t, 2, *calls, "a 429 refused the create before it reached Alohub")
	require.Equal(t, []time.Duration{partnerkit.DefaultRetryBaseWait / 2}, h.clock.Sleeps(), "backed off: no Retry-After")

	h = newHarness(t)
	calls = h.rateLimitedOnce(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", nginx(503), `{"success":"1","totalRecord":0,"data":[]}`)
	_, err = h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2"})
	require.NoError(t, err)
	require.Equal(t, 2, *calls, "a read is retried after a 503")

	h = newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, base+"/v1/campaigns/1042/contacts", func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		return nginx(503)(), nil
	})
	_, err = h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1, "a 503 may come from Alohub after it acted: a create is not sent twice")
}

func TestTheKeyNeverReachesAnErrorOrALog(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := newHarness(t, partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	h.on(http.MethodGet, "/v1/campaigns/7/contact-lists", 401, `{"success":"0","error_code":"UNAUTHORIZED","error_message":"bad key `+apiKey+`","data":{"key":"`+apiKey+`"}}`)
	_, err := h.c.ContactLists.List(ctx, listsOf("7"))
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.NotContains(t, err.Error(), apiKey)
	require.NotContains(t, string(apiErr.Body), apiKey)
	d, ok := partnerkit.DetailsOf[*alohub.ErrorDetails](err)
	require.True(t, ok)
	require.NotContains(t, string(d.Raw), apiKey)
	require.NotEmpty(t, logs.String())
	require.NotContains(t, logs.String(), apiKey)
}

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tooMany := make([]alohub.ImportContact, 30)
	one := []alohub.ImportContact{{PhoneNumber: "0901000001"}}
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"campaigns without params", func() error { _, err := h.c.Campaigns.List(ctx, nil); return err }, "params"},
		{"campaigns without user", func() error { _, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{}); return err }, "UserName"},
		{"campaigns bad status", func() error {
			_, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: "a", Status: 9})
			return err
		}, "Status"},
		{"campaigns negative page", func() error {
			_, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: "a", Page: -1})
			return err
		}, "Page must not be negative (pages start at 1)"},
		{"campaigns negative limit", func() error {
			_, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: "a", Limit: -1})
			return err
		}, "Limit"},
		{"lists without params", func() error { _, err := h.c.ContactLists.List(ctx, nil); return err }, "params"},
		{"lists without campaign", func() error { _, err := h.c.ContactLists.List(ctx, listsOf("")); return err }, "CampaignID"},
		{"lists zero campaign", func() error { _, err := h.c.ContactLists.List(ctx, listsOf("0")); return err }, "CampaignID"},
		{"lists campaign with a slash", func() error { _, err := h.c.ContactLists.List(ctx, listsOf("1/2")); return err }, "CampaignID"},
		{"contacts without params", func() error { _, err := h.c.Contacts.List(ctx, nil); return err }, "params"},
		{"contacts without list", func() error {
			_, err := h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1"})
			return err
		}, "ListID"},
		{"contacts negative limit", func() error {
			_, err := h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2", Limit: -1})
			return err
		}, "Limit"},
		{"create nil", func() error { _, err := h.c.Contacts.Create(ctx, nil); return err }, "params"},
		{"create without campaign", func() error {
			_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{PhoneNumber: "0901234567"})
			return err
		}, "CampaignID"},
		{"create without phone", func() error {
			_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1", Name: "A"})
			return err
		}, "PhoneNumber"},
		{"create bad phone", func() error {
			_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1", PhoneNumber: "09-abc"})
			return err
		}, "PhoneNumber"},
		{"create bad list", func() error {
			_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1", PhoneNumber: "0901234567", ListID: "-4"})
			return err
		}, "ListID"},
		{"delete without contact", func() error { return h.c.Contacts.Delete(ctx, "1", "") }, "contactID"},
		{"delete without campaign", func() error { return h.c.Contacts.Delete(ctx, "", "5") }, "campaignID"},
		{"import nil", func() error { _, err := h.c.Imports.Create(ctx, nil); return err }, "params"},
		{"import without campaign", func() error {
			_, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{Contacts: one})
			return err
		}, "CampaignID"},
		{"import empty", func() error {
			_, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1", ListName: "x"})
			return err
		}, "Contacts"},
		{"import blank phone", func() error {
			_, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1", Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}, {Name: "no phone"}}})
			return err
		}, "Contacts[1].PhoneNumber"},
		{"import malformed phone", func() error {
			_, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1", Contacts: []alohub.ImportContact{{PhoneNumber: "12345"}}})
			return err
		}, "Contacts[0].PhoneNumber"},
		{"import many bad rows", func() error {
			_, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1", Contacts: tooMany})
			return err
		}, "has 30 rows"},
		{"get without job", func() error { _, err := h.c.Imports.Get(ctx, "1", ""); return err }, "jobID"},
		{"wait without campaign", func() error { _, err := h.c.Imports.Wait(ctx, "", "5", nil); return err }, "campaignID"},
		{"wait negative interval", func() error {
			_, err := h.c.Imports.Wait(ctx, "1", "5", &alohub.ImportWaitParams{Interval: -time.Second})
			return err
		}, "Interval"},
		{"logs bad phone", func() error {
			_, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{PhoneNumber: "x"})
			return err
		}, "PhoneNumber"},
		{"logs end before start", func() error {
			_, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{DateFrom: epoch, DateTo: epoch.Add(-time.Hour)})
			return err
		}, "DateTo"},
		{"logs bad type", func() error {
			_, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{CallType: ptr(3)})
			return err
		}, "CallType"},
		{"logs limit too big", func() error {
			_, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{Limit: 101})
			return err
		}, "Limit must be at most 100"},
		{"logs negative page", func() error {
			_, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{Page: -2})
			return err
		}, "Page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			require.ErrorContains(t, err, tc.field)
			var ve *partnerkit.ValidationError
			require.True(t, errors.As(err, &ve))
		})
	}
	for name, seq := range map[string]func(func(alohub.Campaign, error) bool){
		"campaigns": h.c.Campaigns.All(ctx, &alohub.CampaignListParams{}),
	} {
		n := 0
		for _, err := range seq {
			n++
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput, name)
		}
		require.Equal(t, 1, n)
	}
	for _, err := range h.c.ContactLists.All(ctx, nil) {
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	for _, err := range h.c.Contacts.All(ctx, &alohub.ContactListParams{CampaignID: "1"}) {
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	for _, err := range h.c.CallLogs.All(ctx, &alohub.CallLogListParams{Limit: 500}) {
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	require.Empty(t, h.Requests(), "nothing was sent")
}
