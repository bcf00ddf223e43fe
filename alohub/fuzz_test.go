package alohub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/fuzzcheck"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Seeds from Alohub's documents: the envelope of every answer (success as
// the string "1", error_code, error_message, totalRecord), the contacts
// page, the bulk import's answer (fields beside the status) and the import
// status (fields at the top level, without a success flag), the error
// table, plus the shapes gateways produce (success as a number or a
// boolean, fields inside data) and broken variants.
var (
	envelopeSeeds = []string{
		`{"success": "1", "error_code": "SUCCESS", "error_message": "Contact added to list 501"}`,
		`{"success": "1", "totalRecord": 150, "data": []}`,
		`{"success": 1, "totalRecord": "150", "data": null}`,
		`{"success": true, "error_code": "SUCCESS"}`,
		`{"success": "0", "error_code": "INVALID_STATE", "error_message": "Contact is not pending"}`,
		`{"success": false, "error_code": "FAIL"}`,
		`{"error_code": "UNAUTHORIZED", "error_message": "Invalid API key"}`,
		`{"success": null, "totalRecord": 1e400}`,
		`{"success": [1], "totalRecord": -1}`,
		`{"success": "1", "totalRecord": 9223372036854775808}`,
		`[]`,
		``,
	}
	errorSeeds = []string{
		`{"success": "0", "error_code": "UNAUTHORIZED", "error_message": "Missing or invalid API key"}`,
		`{"success": "0", "error_code": "INSUFFICIENT_SCOPE", "error_message": "Key lacks scope campaign"}`,
		`{"success": "0", "error_code": "INVALID_INPUT", "error_message": "phoneNumber is required"}`,
		`{"success": "0", "error_code": "NOT_FOUND", "error_message": "Job not found"}`,
		`{"success": "0", "error_code": "RATE_LIMIT_EXCEEDED", "error_message": "Rate limit exceeded"}`,
		`{"success": "0", "error_code": "FAIL", "error_message": "Internal error"}`,
		`{"message": "API rate limit exceeded"}`,
		`<html>502 Bad Gateway</html>`,
		``,
	}
	campaignsSeeds = []string{
		`{"success": "1", "error_code": "SUCCESS", "totalRecord": 2, "data": [{"campaignId": 1042, "campaignName": "Chien dich thang 4", "type": "CAMPAIGN_CALL_AUTO", "status": 2}]}`,
		`{"success": "1", "totalRecord": "1", "data": [{"id": "1043", "name": "May", "campaignType": "CAMPAIGN_CALL_AUTO", "status": "3", "extra": {"a": [1]}}]}`,
		`{"success": "1", "data": [{"campaign_id": 7, "campaign_name": "x", "status": null}]}`,
		`{"success": "1", "data": [{"status": 2.5}]}`,
	}
	contactListsSeeds = []string{
		`{"success": "1", "totalRecord": 2, "data": [{"listId": 501, "listName": "Danh sach thang 4", "contactCount": 150}, {"listId": 502, "listName": "Default List", "contactCount": 30}]}`,
		`{"success": "1", "totalRecord": "2", "data": [{"listId": "501", "contactCount": "150"}, {"listId": 502, "contactCount": null}]}`,
		`{"success": "1", "data": [{"contactCount": "x"}]}`,
	}
	callLogsSeeds = []string{
		`{"success": "1", "totalRecord": 120, "data": [{"callId": "c-1", "callerNumber": "02873000000", "calledNumber": "0912345678", "customerName": "Nguyen Van A", "callType": 1, "callStatus": "ANSWERED", "callStartTime": "2026-04-14T09:00:00+07:00", "callEndtime": "2026-04-14T09:02:05+07:00", "duration": 125}]}`,
		`{"success": "1", "data": [{"id": 9, "callType": "0", "callStartTime": "2026-04-14 09:00:00", "callEndTime": "2026-04-14", "duration": "12.5"}]}`,
		`{"success": "1", "data": [{"callStartTime": "", "callEndtime": null, "duration": "+5"}]}`,
	}
	contactsSeeds = []string{
		`{"success": "1", "totalRecord": 150, "data": [{"contactId": 88001, "customerId": 55001, "phoneNumber": "0901234567", "name": "Nguyen Van A", "processStatus": 0, "callStatus": null}]}`,
		`{"success": "1", "totalRecord": 2, "data": [{"contactId": "88001", "name": null, "callStatus": "ANSWERED"}, {"contactId": 88002, "processStatus": 2, "callStatus": 1}]}`,
		`{"success": "1", "data": [{"processStatus": "1"}]}`,
		`{"success": "1", "data": {"contactId": 1}}`,
	}
	importSeeds = []string{
		`{"jobId": 5, "status": "done", "totalRows": "100", "processedRows": "100", "failedRows": "2", "duplicateRows": "3", "errorMessage": "2 rows have no valid Vietnamese phone number (rows 4, 5)"}`,
		`{"jobId": 5, "status": "partial", "totalRows": 100, "processedRows": 100, "failedRows": 3}`,
		`{"success": "1", "error_code": "SUCCESS", "error_message": "Bulk import started", "job_id": 5, "total_rows": 2}`,
		`{"success": "1", "data": {"jobId": "5", "totalRows": 2}}`,
		`{"jobId": 5, "status": "processing", "totalRows": 100, "processedRows": 42, "failedRows": 0, "duplicateRows": 1}`,
		`{"jobId": 5, "status": "failed", "totalRows": 100, "processedRows": 100, "failedRows": 58, "duplicateRows": 0, "errorMessage": "Database unavailable"}`,
		`{"success": "1", "data": {"jobId": 5, "status": "done", "totalRows": 100, "processedRows": 100, "errorMessage": null}}`,
		`{"success": "1", "data": null, "jobId": 5, "status": "pending"}`,
		`{"success": "0", "error_code": "NOT_FOUND", "data": "gone"}`,
		`{"status": "queued", "totalRows": "100"}`,
	}
)

func addSeeds(f *testing.F, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// kinds are the sentinels an Alohub failure may match.
var kinds = []error{partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrForbidden,
	partnerkit.ErrNotFound, partnerkit.ErrRateLimited, partnerkit.ErrServer, partnerkit.ErrUnexpected}

// FuzzEnvelope decodes any body as Alohub's envelope, plain and with its
// fields beside the status: what decodes says success or a failure with a
// sentinel, and totalRecord reads as an integer.
func FuzzEnvelope(f *testing.F) {
	addSeeds(f, envelopeSeeds)
	addSeeds(f, importSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var env envelope[json.RawMessage]
		if rawjson.Unmarshal(data, &env) == nil {
			if e := failure(&transport.Response{StatusCode: 200, Body: data}); e != nil {
				if e.Kind == nil {
					t.Fatalf("failure without a sentinel from %q", data)
				}
				if d, ok := e.Details.(*ErrorDetails); ok && !json.Valid(d.Raw) {
					t.Fatalf("details data is not JSON: %q", d.Raw)
				}
				_ = e.Error()
			} else if env.broken() == "" && *env.Success != "1" {
				t.Fatalf("success accepted without success \"1\" from %q", data)
			}
		}
		var flat flatEnvelope[ImportJob]
		if rawjson.Unmarshal(data, &flat) == nil {
			if flat.Data.Raw != nil && !json.Valid(flat.Data.Raw) {
				t.Fatalf("job Raw is not JSON: %q", flat.Data.Raw)
			}
			flat.Data.Finished()
		}
	})
}

// FuzzDecodeError feeds Alohub's error decoder any body under any status:
// it returns an Error or nil, never panics, and the Error prints and
// matches sentinels.
func FuzzDecodeError(f *testing.F) {
	for i, s := range errorSeeds {
		f.Add(400+i*10, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeError(&transport.Response{StatusCode: status, Header: http.Header{}, Body: body})
		if e == nil {
			return
		}
		e.StatusCode = status
		_ = e.Error()
		for _, kind := range kinds {
			_ = errors.Is(e, kind)
		}
		_ = errors.Is(kindForCode(e.Code), partnerkit.ErrUnexpected)
	})
}

// roundTrip checks what every decoded answer promises: its Raw, when set,
// is JSON, and it encodes into JSON that decodes back into a value that
// encodes the same (nothing is lost or changed by a second trip).
func roundTrip[T any](t *testing.T, v T, raw json.RawMessage) {
	t.Helper()
	if raw != nil && !json.Valid(raw) {
		t.Fatalf("Raw is not JSON: %q", raw)
	}
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T does not encode: %v", v, err)
	}
	var again T
	if err := rawjson.Unmarshal(first, &again); err != nil {
		t.Fatalf("%T does not decode its own encoding %s: %v", v, first, err)
	}
	second, err := json.Marshal(again)
	if err != nil || !bytes.Equal(first, second) {
		t.Fatalf("%T changes on a second trip: %s, then %s (%v)", v, first, second, err)
	}
}

// fuzzPage decodes any body as a page of T, as the engine does, and checks
// every item with roundTrip.
func fuzzPage[T any](f *testing.F, seeds []string, raw func(T) json.RawMessage) {
	addSeeds(f, seeds)
	addSeeds(f, envelopeSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var env envelope[[]T]
		if rawjson.Unmarshal(data, &env) != nil {
			return
		}
		for _, item := range env.Data {
			roundTrip(t, item, raw(item))
		}
	})
}

// FuzzCampaignsPage: campaigns decode tolerantly and survive re-encoding.
func FuzzCampaignsPage(f *testing.F) {
	fuzzPage(f, campaignsSeeds, func(c Campaign) json.RawMessage { return c.Raw })
}

// FuzzContactListsPage: contact lists, with counts as numbers or strings,
// survive re-encoding.
func FuzzContactListsPage(f *testing.F) {
	fuzzPage(f, contactListsSeeds, func(l ContactList) json.RawMessage { return l.Raw })
}

// FuzzContactsPage: contacts, with their documented nulls, survive
// re-encoding.
func FuzzContactsPage(f *testing.F) {
	fuzzPage(f, contactsSeeds, func(c Contact) json.RawMessage { return c.Raw })
}

// FuzzCallLogsPage: call logs decode tolerantly and survive re-encoding.
func FuzzCallLogsPage(f *testing.F) {
	fuzzPage(f, callLogsSeeds, func(c CallLog) json.RawMessage { return c.Raw })
}

// FuzzImportAnswers decodes any body as the bulk import's answer and as an
// import job's state, with their fields at the top level or in data: both
// survive re-encoding.
func FuzzImportAnswers(f *testing.F) {
	addSeeds(f, importSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var receipt flatEnvelope[ImportReceipt]
		if rawjson.Unmarshal(data, &receipt) == nil {
			roundTrip(t, receipt.Data, nil)
		}
		var job flatEnvelope[ImportJob]
		if rawjson.Unmarshal(data, &job) == nil {
			roundTrip(t, job.Data, job.Data.Raw)
		}
	})
}

const fuzzKey = "sk_live_fuzz0123456789"

// fuzzClient returns a client whose every request mock answers, with the
// clock given, no retries and Alohub's rate limits on or off.
func fuzzClient(t *testing.T, mock http.RoundTripper, clk clock.Clock, limits bool) *Client {
	opts := []partnerkit.Option{
		partnerkit.WithBaseURL("https://xapi.alohub.test"),
		partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
		partnerkit.WithMaxRetries(0),
		transport.WithClock(clk),
	}
	if !limits {
		opts = append(opts, partnerkit.WithoutRateLimit())
	}
	c, err := New(fuzzKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzErrorAnswer sends one request through the whole engine to a server
// answering any status, Retry-After and body (which may repeat the API
// key): the call returns, never panics, and a failure is a
// *partnerkit.Error with the status, a wait that is not negative, and no
// API key in its text, body, details or field errors.
func FuzzErrorAnswer(f *testing.F) {
	for i, s := range append(append(append([]string{}, errorSeeds...), contactsSeeds...), envelopeSeeds...) {
		f.Add(uint16(i*37), "10", []byte(s))
	}
	f.Add(uint16(229), "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"success": "0", "error_code": "RATE_LIMIT_EXCEEDED", "error_message": "bad key `+fuzzKey+`"}`))
	f.Add(uint16(0), "", []byte(`{"success": "0", "error_code": "`+fuzzKey+`", "error_message": "`+fuzzKey+`", "data": ["`+fuzzKey+`"]}`))
	f.Add(uint16(201), "-3", []byte(`{"success": "0", "error_code": "UNAUTHORIZED", "error_message": "key `+fuzzKey+` unknown"}`))
	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
		status := fuzzcheck.Status(code)
		mock := fuzzcheck.Answer(status, retryAfter, body)
		c := fuzzClient(t, mock, clock.NewAutoFake(time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)), false)
		_, err := c.Contacts.List(context.Background(), &ContactListParams{CampaignID: "1042", ListID: "501"})
		fuzzcheck.CheckError(t, status, err, fuzzKey)
	})
}

// Rate-limit answers: Kong's headers per tenant and per route as Alohub's
// documents describe them (the names lost from the documents restored as
// Kong spells them), the RateLimit-* draft, and the mistakes a gateway may
// make.
var rateLimitSeeds = []string{
	"X-RateLimit-Limit-Tenant: 100\nX-RateLimit-Remaining-Tenant: 99\nX-RateLimit-Limit-Route: 10\nX-RateLimit-Remaining-Route: 9",
	"X-RateLimit-Limit-Tenant: 100\nX-RateLimit-Remaining-Tenant: 0\nX-RateLimit-Limit-Route: 10\nX-RateLimit-Remaining-Route: 0\nRetry-After: 10",
	"RateLimit-Limit: 10\nRateLimit-Remaining: 0\nRateLimit-Reset: 7",
	"RateLimit-Remaining: 1, 100;w=10\nratelimit-reset: 0.734",
	"X-RateLimit-Remaining-Route: 0\nX-RateLimit-Reset-Route: 1743498000\nX-RateLimit-Reset: 1743498000000",
	"X-RateLimit-Remaining-Tenant: -3\nX-RateLimit-Reset: 1e999\nRetry-After: -1",
	"X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 31536000\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT",
	"X-RateLimit-Remaining-Minute: 99999999999999999999",
	"",
}

// FuzzRateLimitHeaders answers a few requests, 200 or 429 in turn as the
// input says, with any X-RateLimit-* / RateLimit-* / Retry-After headers,
// and lets the client learn from them with Alohub's limits on: every call
// returns, no wait the client reports is negative, no sleep is negative or
// longer than the longest wait, and nothing panics.
func FuzzRateLimitHeaders(f *testing.F) {
	for i, s := range rateLimitSeeds {
		f.Add(s, uint8(i*37))
	}
	f.Fuzz(func(t *testing.T, block string, statuses uint8) {
		h := http.Header{}
		for _, line := range strings.Split(block, "\n") {
			name, value, _ := strings.Cut(line, ":")
			h[name] = append(h[name], strings.TrimSpace(value))
		}
		const calls = 4
		n := 0
		mock := httpmock.NewMockTransport()
		mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			status := http.StatusOK
			if statuses>>(n%8)&1 == 1 {
				status = http.StatusTooManyRequests
			}
			n++
			resp := httpmock.NewStringResponse(status, `{"success": "1", "totalRecord": 0, "data": []}`)
			if status != http.StatusOK {
				resp = httpmock.NewStringResponse(status, `{"success": "0", "error_code": "RATE_LIMIT_EXCEEDED"}`)
			}
			for k, v := range h {
				resp.Header[k] = v
			}
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
		clk := clock.NewAutoFake(time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC))
		c := fuzzClient(t, mock, clk, true)
		for range calls {
			_, err := c.Contacts.List(context.Background(), &ContactListParams{CampaignID: "1042", ListID: "501"})
			var apiErr *partnerkit.Error
			if errors.As(err, &apiErr) && apiErr.RetryAfter < 0 {
				t.Fatalf("the client reports the wait %v: %v", apiErr.RetryAfter, err)
			}
		}
		for _, d := range clk.Sleeps() {
			if d < 0 || d > partnerkit.DefaultMaxWait {
				t.Fatalf("the client slept %v (sleeps %v)", d, clk.Sleeps())
			}
		}
	})
}
