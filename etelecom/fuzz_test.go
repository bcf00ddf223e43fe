package etelecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/fuzzcheck"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Seeds from eTelecom's documents: the partner API's Twirp errors, the
// AuthorizeShop answers (login request, shop key), CurrentShop, the call
// logs page with its cursors, and the SMS brandname answers (accepted,
// negative statuses, delivery report, the IP allow-list refusal), plus
// broken variants of each.
var (
	twirpSeeds = []string{
		`{"code": "invalid_argument", "msg": "..."}`,
		`{"code": "unauthenticated", "msg": "..."}`,
		`{"code": "permission_denied", "msg": "...", "meta": {"reason": "shop_id"}}`,
		`{"code": "bad_route", "msg": "unexpected Content-Type: \"\""}`,
		`{"code": "invalid_argument", "msg": "phone is invalid", "meta": {"argument": "phone"}}`,
		`{"code": "resource_exhausted", "msg": "slow down", "meta": {"argument": 3}}`,
		`{"code": 5, "msg": null, "meta": []}`,
		`{"meta": {"argument": ""}}`,
		`<html>502 Bad Gateway</html>`,
		``,
	}
	authorizeSeeds = []string{
		`{"code": "ok", "msg": "", "type": "shop_request", "auth_token": "request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks", "expires_in": 900, "auth_url": "https://partner-auth.etelecom.vn/login?token=request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks"}`,
		`{"code": "ok", "msg": "", "type": "shop_request", "auth_token": "request:ffb7b290deeaed5a0803717276eb4c68", "expires_in": 900, "auth_url": "http://127.0.0.1:8080/partner-auth/login?token=request%3Affb7b290deeaed5a0803717276eb4c68"}`,
		`{"code": "ok", "msg": "", "type": "shop_key", "auth_token": "shop1052570182707778180:KgGTCsQHSzfKBt8la63c7E6NRqqnD5RVRMrb0aJwa8jZCEbGCmJ7Q01aVwyZeGeR", "expires_in": -1}`,
		`{"code": "permission_denied", "msg": "...", "meta": {"reason": "unknown shop"}}`,
		`{"type": "shop_key"}`,
		`{"type": "shop_request", "auth_token": "request:x", "expires_in": 9223372036854775807, "auth_url": "https://a/?token=request:x"}`,
		`{"type": "mystery", "expires_in": "900"}`,
	}
	callLogsSeeds = []string{
		`{"call_logs": [{"id": "1052570182707778002", "caller": "0901000000", "callee": "02873001234", "direction": "in", "call_state": "answered", "call_status": "P", "duration": 30, "started_at": "2023-06-15T08:20:00.000Z", "ended_at": "2023-06-15T08:20:30.000Z", "recording_urls": [], "call_targets": [{"target_number": "101", "status": "answered", "fail_code": "0", "ring_duration": 3, "add_time": "2023-06-15T08:20:00Z"}], "extension_id": "1052570182707778010", "user_id": 7}], "paging": {"after": "", "before": "", "limit": 100, "next": "1052570182707778002", "prev": "", "sort": "-created_at"}}`,
		`{"call_logs": [], "paging": {"limit": "100", "next": ""}}`,
		`{"call_logs": null}`,
		`{"paging": {"limit": 1e30, "next": 5}}`,
		`{"call_logs": [{"duration": "12.5", "started_at": 1700000060, "created_at": "2025-01-10 08:00:00"}, null]}`,
		`[]`,
	}
	smsSeeds = []string{
		`{"status": "1", "code": "Success", "idOmniMess": "a8c1f7b2-5d3e-4c1a-9e0f-1b2c3d4e5f60"}`,
		`{"status": "-1", "code": "Fail", "message": "phone number format is wrong"}`,
		`{"status": "-2", "code": "Fail"}`,
		`{"status": -3, "Message": "out of messages"}`,
		`{"status": "-6"}`,
		`{"status": "-8", "code": "NoRoute"}`,
		`{"status": "-99", "code": 7}`,
		`{"status": " -0 "}`,
		`{"status": "1"}`,
		`{"phonenumber": "84901234567", "status": "SUCCESS", "channel": "ZNS", "templatecode": "PARTNERKIT_TEST", "errorCode": "0", "createdatetime": "21/05/2021 14:43:22"}`,
		`{"phonenumber": 84901234567, "status": "FAIL", "errorCode": 17}`,
		`Can't access from this IP`,
		`{"status": "-9223372036854775809"}`,
	}
)

func addSeeds(f *testing.F, seeds ...[]string) {
	for _, list := range seeds {
		for _, s := range list {
			f.Add([]byte(s))
		}
	}
}

// kinds are the sentinels an Error is matched against.
var kinds = []error{partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrForbidden, partnerkit.ErrNotFound,
	partnerkit.ErrConflict, partnerkit.ErrRateLimited, partnerkit.ErrServer, partnerkit.ErrUnexpected}

// FuzzDecodeError feeds the Twirp error decoder any body under any status:
// it returns an Error or nil (not JSON), never panics; the Error prints,
// matches sentinels, and names a field only from meta.argument.
func FuzzDecodeError(f *testing.F) {
	for i, s := range twirpSeeds {
		f.Add(400+i*11, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		r := &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}
		e := decodeError(r)
		if e == nil {
			return
		}
		if e.Kind != kindForCode(e.Code) {
			t.Fatalf("code %q has kind %v", e.Code, e.Kind)
		}
		d, _ := e.Details.(*ErrorDetails)
		if e.Details != nil && (d == nil || len(d.Meta) == 0) {
			t.Fatalf("details %#v", e.Details)
		}
		for field := range e.FieldErrors {
			if field == "" || d == nil || d.Meta["argument"] != field {
				t.Fatalf("field %q not from meta.argument in %q", field, body)
			}
		}
		if (e.Code == CodeBadRoute) != strings.HasSuffix(e.Message, routeHint) {
			t.Fatalf("code %q with message %q", e.Code, e.Message)
		}
		e.StatusCode = status
		_ = e.Error()
		for _, kind := range kinds {
			_ = errors.Is(e, kind)
		}
		if e.Code == CodeBadRoute && errors.Is(e, partnerkit.ErrNotFound) {
			t.Fatal("a bad_route matches ErrNotFound")
		}
	})
}

// FuzzSMSAnswer feeds the SMS API's answers to the send and status
// decoders and to the SMS error decoder: a negative status is an Error whose
// Code is that status (documented ones with their sentinel), any other
// status is a success (a send only with idOmniMess), and an error body
// always gives a short, valid UTF-8 Error.
func FuzzSMSAnswer(f *testing.F) {
	addSeeds(f, smsSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		e := decodeSMSError(&transport.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{}, Body: data})
		if e == nil {
			t.Fatalf("no Error for %q", data)
		}
		if !utf8.ValidString(e.Message) {
			t.Fatalf("message %q is not UTF-8", e.Message)
		}
		if !json.Valid(data) && len(e.Message) > 200 {
			t.Fatalf("a %d-byte message from a text body", len(e.Message))
		}
		_ = e.Error()

		var send smsAnswer
		if json.Unmarshal(data, &send) == nil {
			e := send.failure()
			if e == nil && send.broken() != "" {
				e = &partnerkit.Error{Kind: partnerkit.ErrUnexpected, Message: send.broken()}
			}
			checkSMSStatus(t, data, &send, e, true)
		}
		var status statusAnswer
		if rawjson.Unmarshal(data, &status) == nil {
			checkSMSStatus(t, data, &status.smsAnswer, status.failure(), false)
			if r := status.report(); r.Status != string(status.Status) || !json.Valid(r.Raw) {
				t.Fatalf("report %+v from %q", r, data)
			}
		}
	})
}

// checkSMSStatus checks the error a decoded SMS answer reports.
func checkSMSStatus(t *testing.T, data []byte, a *smsAnswer, e *partnerkit.Error, send bool) {
	t.Helper()
	n, err := strconv.Atoi(string(a.Status))
	negative := err == nil && n < 0
	switch {
	case negative && e == nil:
		t.Fatalf("status %q gave no error", a.Status)
	case negative && e.Code != strconv.Itoa(n):
		t.Fatalf("status %q reported as code %q", a.Status, e.Code)
	case negative && e.Kind == nil:
		t.Fatalf("status %q matches no sentinel", a.Status)
	case negative:
		if known, ok := smsStatuses[e.Code]; ok && !errors.Is(e, known.kind) {
			t.Fatalf("status %q does not match %v", a.Status, known.kind)
		}
	case !send && e != nil:
		t.Fatalf("status %q gave %v", a.Status, e)
	case send && (e == nil) != (a.ID != ""):
		t.Fatalf("send answer %q: id %q, error %v", data, a.ID, e)
	}
	if e != nil {
		_ = e.Error()
	}
}

// FuzzAuthorizeAnswer: an AuthorizeShop answer is a login request with a
// login page, a shop key, or an Error; an Authorization never prints its
// key or token.
func FuzzAuthorizeAnswer(f *testing.F) {
	addSeeds(f, authorizeSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a authorizeAnswer
		if json.Unmarshal(data, &a) != nil {
			return
		}
		e := failure(&transport.Response{StatusCode: 200, Body: data})
		if e == nil && a.broken() != "" {
			e = &partnerkit.Error{Kind: partnerkit.ErrUnexpected, Message: a.broken()}
		}
		if e != nil {
			if e.Kind == nil {
				t.Fatalf("error %v matches no sentinel", e)
			}
			_ = e.Error()
			return
		}
		r := a.result()
		switch {
		case r.NeedsLogin() && (r.AuthURL == "" || r.ShopKey() != "" || r.RequestToken() != a.AuthToken):
			t.Fatalf("login request %v from %q", r, data)
		case !r.NeedsLogin() && (r.ShopKey() == "" || r.ShopKey() != a.AuthToken || r.ExpiresIn != 0):
			t.Fatalf("shop key %v from %q", r, data)
		case r.ExpiresIn < 0:
			t.Fatalf("negative ExpiresIn %v", r.ExpiresIn)
		}
		// A token the description may hold by coincidence (part of the
		// login page's address, the validity or the fixed words) is not
		// checked.
		fixed := "etelecom login request (log in at " + loginPage(r.AuthURL) + " within " + r.ExpiresIn.String() + ") etelecom shop key"
		if len(a.AuthToken) >= 6 && !strings.Contains(fixed, a.AuthToken) {
			for _, s := range []string{r.String(), fmt.Sprintf("%v %+v %#v %s", r, r, r, *r)} {
				if strings.Contains(s, a.AuthToken) {
					t.Fatalf("the authorization prints its token: %s", s)
				}
			}
		}
	})
}

// FuzzCallLogsPage: a call logs page decodes with each log's raw JSON and
// its cursors, or is refused.
func FuzzCallLogsPage(f *testing.F) {
	addSeeds(f, callLogsSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		a := listAnswer[CallLog]{items: "call_logs"}
		if json.Unmarshal(data, &a) != nil {
			return
		}
		if a.page.HasMore() != (a.page.Next != "") {
			t.Fatalf("HasMore %t with next %q", a.page.HasMore(), a.page.Next)
		}
		for _, l := range a.page.Items {
			if l.Raw != nil && !json.Valid(l.Raw) {
				t.Fatalf("call log Raw is not JSON: %q", l.Raw)
			}
			if d := l.Duration.Duration(); (d < 0) != (l.Duration < 0) {
				t.Fatalf("duration %d became %v", l.Duration, d)
			}
		}
	})
}

// FuzzCallLogsAll pages through call logs whose pages (the input split at
// newlines) come from the server in turn, the last one repeated: All ends,
// having asked for each page at most once and sent each cursor at most
// once, with the items or an error.
func FuzzCallLogsAll(f *testing.F) {
	f.Add([]byte(callLogsSeeds[0] + "\n" + callLogsSeeds[1]))
	f.Add([]byte(`{"call_logs": [{"id": "1"}], "paging": {"next": "a"}}` + "\n" + `{"call_logs": [{"id": "2"}], "paging": {"next": "a"}}`))
	f.Add([]byte(`{"call_logs": [{"id": "1"}], "paging": {"next": "a"}}` + "\n" + `{"call_logs": [], "paging": {"next": "b"}}`))
	f.Add([]byte(`{"call_logs": [{}], "paging": {"next": "x"}}`))
	f.Add([]byte(`{"call_logs": [{}], "paging": {"next": "x"}}` + "\n" + `{"code": "internal", "msg": "boom"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pages := bytes.Split(data, []byte("\n"))
		if len(pages) > 50 {
			return
		}
		var mu sync.Mutex
		calls, cursors := 0, map[string]int{}
		mock := httpmock.NewMockTransport()
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			var in struct {
				Paging *pageRequest `json:"paging"`
			}
			_ = json.NewDecoder(r.Body).Decode(&in)
			mu.Lock()
			defer mu.Unlock()
			if in.Paging != nil && in.Paging.After != "" {
				cursors[in.Paging.After]++
			}
			body := pages[min(calls, len(pages)-1)]
			calls++
			resp := httpmock.NewBytesResponse(http.StatusOK, body)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		})
		c := fuzzShop(t, mock)
		// A paging that never ends stops the fuzzing run with its input.
		hang := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("All did not end on %q", data)) })
		defer hang.Stop()
		n := 0
		for _, err := range c.CallLogs.All(context.Background(), nil) {
			if err != nil {
				var apiErr *partnerkit.Error
				if !errors.As(err, &apiErr) && !errors.Is(err, partnerkit.ErrUnexpected) {
					t.Fatalf("%T is not a *partnerkit.Error: %v", err, err)
				}
				break
			}
			n++
		}
		if calls > len(pages)+1 {
			t.Fatalf("%d calls for %d pages", calls, len(pages))
		}
		for cursor, times := range cursors {
			if times > 1 {
				t.Fatalf("cursor %q sent %d times", cursor, times)
			}
		}
	})
}

// Credentials of the fuzzed clients.
const (
	fuzzKey     = "etk_partner_fuzz_0123456789"
	fuzzShopKey = "shop1052570182707778180:FuzzShopKey0123456789"
	fuzzSMSUser = "fuzz-sms-user-01"
	fuzzSMSPass = "fuzz-sms-Passw0rd"
	fuzzBaseURL = "https://etelecom.test/v1/partner"
	fuzzSMSBase = "https://sms.etelecom.test"
)

func fuzzOptions(mock http.RoundTripper) []partnerkit.Option {
	return []partnerkit.Option{
		partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
		partnerkit.WithMaxRetries(0),
		partnerkit.WithoutRateLimit(),
		transport.WithClock(clock.NewAutoFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))),
	}
}

func fuzzClient(t *testing.T, mock http.RoundTripper) *Client {
	c, err := New(fuzzKey, append(fuzzOptions(mock), partnerkit.WithBaseURL(fuzzBaseURL))...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fuzzShop(t *testing.T, mock http.RoundTripper) *Client {
	shop, err := fuzzClient(t, mock).ForShop(fuzzShopKey)
	if err != nil {
		t.Fatal(err)
	}
	return shop
}

// FuzzErrorAnswer sends calls through the whole engine (a shop's call logs
// with the partner's and the shop's keys, an SMS with its username and
// password in the body) to a server answering any status, Retry-After and
// body, which may repeat those credentials: each call returns, never
// panics, and a failure is a *partnerkit.Error with a wait that is not
// negative and no key, username or password in its text, body, field
// errors or details.
func FuzzErrorAnswer(f *testing.F) {
	for i, s := range append(append(append([]string{}, twirpSeeds...), callLogsSeeds...), smsSeeds...) {
		f.Add(uint16(i*37), "30", []byte(s))
	}
	all := fuzzKey + " " + fuzzShopKey + " " + fuzzSMSUser + " " + fuzzSMSPass
	f.Add(uint16(201), "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"code": "unauthenticated", "msg": "bad key `+all+`"}`))
	f.Add(uint16(0), "", []byte(`{"code": "`+fuzzShopKey+`", "msg": "`+fuzzKey+`", "meta": {"argument": "`+fuzzSMSPass+`", "k": ["`+fuzzSMSUser+`"]}}`))
	f.Add(uint16(0), "", []byte(`{"status": "-2", "code": "`+fuzzSMSUser+`", "message": "`+fuzzSMSPass+`"}`))
	f.Add(uint16(201), "", []byte(`Can't access from this IP `+all))
	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
		status := fuzzcheck.Status(code)
		mock := fuzzcheck.Answer(status, retryAfter, body)
		shop := fuzzShop(t, mock)
		_, err := shop.CallLogs.List(context.Background(), nil)
		fuzzcheck.CheckError(t, status, err, fuzzKey, fuzzShopKey)

		sms, err := NewSMS(fuzzSMSUser, fuzzSMSPass, append(fuzzOptions(mock), partnerkit.WithBaseURL(fuzzSMSBase))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sms.Send(context.Background(), &SMSSendParams{Phone: "84901234567", RouteRule: []string{SMSChannelSMS}, TemplateCode: "PARTNERKIT_TEST"})
		fuzzcheck.CheckError(t, status, err, fuzzSMSUser, fuzzSMSPass)
	})
}

// eventSeeds are deliveries in the forms the receiver reads, and broken
// ones.
var eventSeeds = []string{
	`{"changes": [{"entity": "call_log", "change_type": "create", "time": "2025-05-20T09:00:42Z", "latest": {"call_log": {"id": "9001", "caller": "0901234567", "duration": "42", "call_targets": [{"ring_duration": "3"}]}}}]}`,
	`{"changes": [{"entity": "zl_oa_message", "latest": {"zl_oa_message": {"id": "6601", "template_id": "12345", "fee_main": "300", "delivery_status": "seen"}}}, {"entity": "zl_journey", "data": {"id": 5}}]}`,
	`{"entity": "call_log", "data": {"id": 1, "duration": 42}}`,
	`{"type": "zl_oa_message", "payload": {"id": "1", "error_code": "-124"}}`,
	`{"call_log": {"id": "1"}}`,
	`{"entity": "call_log", "id": "1", "duration": "1e3"}`,
	`{"entity": "call_log", "data": {"duration": "forever"}}`,
	`{"changes": []}`,
	`{"changes": [null]}`,
	`{"data": {}}`,
	`[]`,
	``,
}

// FuzzWebhookEvents feeds any delivery body to ParseEvents and to a
// WebhookHandler: ParseEvents returns events or an error matching
// ErrBadEvent, never panics; each event names an entity, keeps its raw
// JSON, and a known entity carries its typed object; the handler answers
// 200 exactly when ParseEvents reads the body, and calls its function once
// per event only then.
func FuzzWebhookEvents(f *testing.F) {
	addSeeds(f, eventSeeds)
	const secret = "fuzz-webhook-secret-0123456789"
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := ParseEvents(body)
		if err != nil {
			if !errors.Is(err, ErrBadEvent) {
				t.Fatalf("%v does not match ErrBadEvent", err)
			}
		}
		for _, e := range events {
			switch {
			case e.Entity == "":
				t.Fatalf("an event without entity from %q", body)
			case !json.Valid(e.Raw) || !json.Valid(e.Object):
				t.Fatalf("raw %q or object %q is not JSON", e.Raw, e.Object)
			case (e.Entity == EntityCallLog) != (e.CallLog != nil):
				t.Fatalf("entity %q with call log %v", e.Entity, e.CallLog)
			case (e.Entity == EntityZaloMessage) != (e.Message != nil):
				t.Fatalf("entity %q with message %v", e.Entity, e.Message)
			case e.CallLog != nil && !json.Valid(e.CallLog.Raw):
				t.Fatalf("call log raw %q", e.CallLog.Raw)
			}
		}
		calls := 0
		h, herr := NewWebhookHandler(secret, func(context.Context, *Event) error {
			calls++
			return nil
		})
		if herr != nil {
			t.Fatal(herr)
		}
		req := httptest.NewRequest(http.MethodPost, "/hooks?"+SecretParam+"="+secret, bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch {
		case err == nil && (w.Code != http.StatusOK || calls != len(events)):
			t.Fatalf("a readable delivery got %d after %d calls", w.Code, calls)
		case err != nil && (w.Code != http.StatusBadRequest || calls != 0):
			t.Fatalf("an unreadable delivery got %d after %d calls", w.Code, calls)
		}
	})
}

// int64Shapes are one answer of each shape with every int64 eTelecom
// documents replaced by @N@.
var int64Shapes = map[string]struct {
	json  string
	check func(v any, n int64) bool
	into  func() any
}{
	"tenant": {`{"id": @N@, "owner_id": @N@, "connection_id": @N@}`, func(v any, n int64) bool {
		x := v.(*Tenant)
		return sameID(x.ID, n) && sameID(x.OwnerID, n) && sameID(x.ConnectionID, n)
	}, func() any { return new(Tenant) }},
	"hotline": {`{"id": @N@, "hotline": @N@, "owner_id": @N@, "tenant_id": @N@, "connection_id": @N@}`, func(v any, n int64) bool {
		x := v.(*Hotline)
		return sameID(x.ID, n) && sameID(x.Hotline, n) && sameID(x.OwnerID, n) && sameID(x.TenantID, n) && sameID(x.ConnectionID, n)
	}, func() any { return new(Hotline) }},
	"extension": {`{"id": @N@, "extension_number": @N@, "hotline_id": @N@, "subscription_id": @N@}`, func(v any, n int64) bool {
		x := v.(*Extension)
		return sameID(x.ID, n) && sameID(x.ExtensionNumber, n) && sameID(x.HotlineID, n) && sameID(x.SubscriptionID, n)
	}, func() any { return new(Extension) }},
	"call log": {`{"id": @N@, "duration": @N@, "extension_id": @N@, "call_targets": [{"fail_code": @N@, "ring_duration": @N@}]}`, func(v any, n int64) bool {
		x := v.(*CallLog)
		return sameID(x.ID, n) && int64(x.Duration) == n && int64(x.CallTargets[0].FailCode) == n && int64(x.CallTargets[0].RingDuration) == n
	}, func() any { return new(CallLog) }},
	"oa": {`{"oa_id": @N@, "app_id": @N@, "daily_quota": @N@, "remaining_quota": @N@, "monthly_promotion_quota": @N@}`, func(v any, n int64) bool {
		x := v.(*OA)
		return sameID(x.OAID, n) && sameID(x.AppID, n) && int64(x.DailyQuota) == n && int64(x.RemainingQuota) == n && int64(x.MonthlyPromotionQuota) == n
	}, func() any { return new(OA) }},
	"zns message": {`{"id": @N@, "template_id": @N@, "error_code": @N@, "fee_main": @N@, "timeout": @N@, "journey_id": @N@, "price": @N@}`, func(v any, n int64) bool {
		x := v.(*ZNSMessage)
		return sameID(x.ID, n) && sameID(x.TemplateID, n) && int64(x.ErrorCode) == n && int64(x.FeeMain) == n && int64(x.Timeout) == n &&
			sameID(x.JourneyID, n) && int64(x.Price) == n
	}, func() any { return new(ZNSMessage) }},
	"extension info": {`{"extension_number": @N@}`, func(v any, n int64) bool {
		return sameID(v.(*ExtensionInfo).ExtensionNumber, n)
	}, func() any { return new(ExtensionInfo) }},
	"account user": {`{"user_id": @N@, "account_id": @N@, "department_id": @N@}`, func(v any, n int64) bool {
		x := v.(*AccountUser)
		return sameID(x.UserID, n) && sameID(x.AccountID, n) && sameID(x.DepartmentID, n)
	}, func() any { return new(AccountUser) }},
	"user": {`{"id": @N@, "total_shop": @N@}`, func(v any, n int64) bool {
		x := v.(*User)
		return sameID(x.ID, n) && int64(x.TotalShop) == n
	}, func() any { return new(User) }},
	"follower": {`{"id": @N@, "oa_id": @N@, "shop_id": @N@, "zl_user_id": @N@, "zl_user_id_by_app": @N@, "assigned_user_id": @N@}`, func(v any, n int64) bool {
		x := v.(*Follower)
		return sameID(x.ID, n) && sameID(x.OAID, n) && sameID(x.ShopID, n) && sameID(x.ZaloUserID, n) && sameID(x.ZaloUserIDByApp, n) && sameID(x.AssignedUserID, n)
	}, func() any { return new(Follower) }},
	"conversation": {`{"oa_id": @N@, "sender_id": @N@, "recipient_id": @N@, "zl_user_id": @N@, "quota": {"remain": @N@, "total": @N@, "owner_id": @N@}}`, func(v any, n int64) bool {
		x := v.(*Conversation)
		return sameID(x.OAID, n) && sameID(x.SenderID, n) && sameID(x.RecipientID, n) && sameID(x.ZaloUserID, n) &&
			int64(x.Quota.Remain) == n && int64(x.Quota.Total) == n && sameID(x.Quota.OwnerID, n)
	}, func() any { return new(Conversation) }},
	"consent": {`{"id": @N@, "oa_id": @N@, "user_id": @N@, "error_code": @N@}`, func(v any, n int64) bool {
		x := v.(*Consent)
		return sameID(x.ID, n) && sameID(x.OAID, n) && sameID(x.UserID, n) && int64(x.ErrorCode) == n
	}, func() any { return new(Consent) }},
	"consent status": {`{"error": @N@, "error_code": @N@}`, func(v any, n int64) bool {
		x := v.(*ConsentStatus)
		return int64(x.Error) == n && int64(x.ErrorCode) == n && x.Code() == n && x.Granted() == (n == 0)
	}, func() any { return new(ConsentStatus) }},
	"template": {`{"template_id": @N@, "oa_id": @N@, "price": @N@, "timeout": @N@, "template_daily_quota": @N@, "template_remaining_quota": @N@, "retail_price": @N@, "price_exceeded": @N@, "template_params": [{"min_length": @N@, "max_length": @N@}]}`, func(v any, n int64) bool {
		x := v.(*Template)
		return sameID(x.TemplateID, n) && sameID(x.OAID, n) && int64(x.Price) == n && int64(x.Timeout) == n && int64(x.TemplateDailyQuota) == n &&
			int64(x.TemplateRemainingQuota) == n && int64(x.RetailPrice) == n && int64(x.PriceExceeded) == n &&
			int64(x.TemplateParams[0].MinLength) == n && int64(x.TemplateParams[0].MaxLength) == n
	}, func() any { return new(Template) }},
	"journey": {`{"id": @N@, "journey_id": @N@, "error_code": @N@}`, func(v any, n int64) bool {
		x := v.(*Journey)
		return sameID(x.ID, n) && sameID(x.JourneyID, n) && int64(x.ErrorCode) == n
	}, func() any { return new(Journey) }},
	"webhook": {`{"id": @N@, "states": {"last_error": {"resp_status": @N@, "retried": @N@}}}`, func(v any, n int64) bool {
		x := v.(*Webhook)
		return sameID(x.ID, n) && int64(x.States.LastError.RespStatus) == n && int64(x.States.LastError.Retried) == n
	}, func() any { return new(Webhook) }},
	"authorization": {`{"type": "shop_request", "auth_token": "request:x", "auth_url": "https://a/login", "expires_in": @N@}`, func(v any, n int64) bool {
		return int64(v.(*authorizeAnswer).ExpiresIn) == n
	}, func() any { return new(authorizeAnswer) }},
	"updated": {`{"updated": @N@}`, func(v any, n int64) bool {
		return int64(v.(*Updated).Updated) == n
	}, func() any { return new(Updated) }},
	"page": {`{"paging": {"limit": @N@, "next": "x"}}`, func(v any, n int64) bool {
		return int64(v.(*listAnswer[CallLog]).page.Limit) == n
	}, func() any { return &listAnswer[CallLog]{items: "call_logs"} }},
	"sms status": {`{"status": "SUCCESS", "mtcount": @N@, "duration": @N@, "errorCode": @N@}`, func(v any, n int64) bool {
		x := v.(*statusAnswer).report()
		return int64(x.MTCount) == n && int64(x.Duration) == n && x.ErrorCode == strconv.FormatInt(n, 10)
	}, func() any { return new(statusAnswer) }},
}

func sameID(id partnerkit.ID, n int64) bool {
	got, ok := id.Int64()
	return ok && got == n
}

// FuzzInt64Shapes decodes every answer shape with its int64s written as a
// JSON number and as a JSON string, as protobuf's JSON writes them: both
// decode, to the same values.
func FuzzInt64Shapes(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 42, 900, math.MaxInt64, math.MinInt64, 1052570182707778180} {
		f.Add(n, true)
		f.Add(n, false)
	}
	f.Fuzz(func(t *testing.T, n int64, quoted bool) {
		text := strconv.FormatInt(n, 10)
		if quoted {
			text = `"` + text + `"`
		}
		for name, shape := range int64Shapes {
			v := shape.into()
			data := strings.ReplaceAll(shape.json, "@N@", text)
			if err := rawjson.Unmarshal([]byte(data), v); err != nil {
				t.Fatalf("%s: %s does not decode: %v", name, data, err)
			}
			if !shape.check(v, n) {
				t.Fatalf("%s: %s decoded as %+v", name, data, v)
			}
		}
	})
}

// zaloSeeds are answers of the Zalo and staff methods, from eTelecom's
// examples, and broken variants.
var zaloSeeds = []string{
	`{"followers": [{"id": "8800000000000000001", "zl_user_id": "7001000000000000001", "avatars": {"120": "a", "240": "b"}, "shared_info": {"city": "HCM"}, "tags_and_notes_info": {"notes": ["VIP"], "tag_names": []}}], "paging": {"limit": 1, "next": "f1"}}`,
	`{"consents": [{"id": "9900000000000000001", "error_code": 0, "expires_at": "2025-05-28T07:00:00Z", "reply_status": "S"}], "paging": {}}`,
	`{"templates": [{"template_id": 12345, "price": "300", "template_params": [{"max_length": "30", "min_length": 1, "require": true}]}], "paging": {"next": ""}}`,
	`{"journeys": [{"id": "9200000000000000001", "journey_id": "91", "expired_at": "2025-05-28T07:00:00Z", "expires_at": null}]}`,
	`{"messages": [{"id": 6601, "msg_type": "journey", "price": "250", "sms": {"unicode": true}}], "paging": {"next": "m1"}}`,
	`{"account_users": [{"user_id": "1150000000000000101", "roles": ["staff"], "deleted": false}]}`,
	`{"direction": "out", "quota": {"remain": "7", "total": "8", "owner_id": "4321"}, "type": "photo"}`,
	`{"error": -201, "error_code": "0", "expired_time": "", "message": "not granted"}`,
	`{"url": "https://oauth.zaloapp.com/v4/oa/permission?app_id=1&state=2"}`,
	`{"message_id": "c2a8e5b1"}`,
	`{"followers": [null, {"quota": 1}], "paging": null}`,
	`{"templates": [{"template_params": [{"max_length": "1.5"}]}]}`,
	`{"error": "x"}`,
	`[]`,
}

// FuzzZaloAnswers decodes any body as each answer of the Zalo and staff
// methods, pages and single objects: each decodes or is refused, never
// panics; a page's HasMore follows its next cursor; every Raw an item
// holds is its JSON; a consent status is granted exactly when its code is
// 0; a journey's expiry is one of its two times.
func FuzzZaloAnswers(f *testing.F) {
	addSeeds(f, zaloSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPage(t, data, &listAnswer[Follower]{items: "followers"}, func(x Follower) json.RawMessage { return x.Raw })
		checkPage(t, data, &listAnswer[Consent]{items: "consents"}, func(x Consent) json.RawMessage { return x.Raw })
		checkPage(t, data, &listAnswer[Template]{items: "templates"}, func(x Template) json.RawMessage { return x.Raw })
		checkPage(t, data, &listAnswer[Journey]{items: "journeys"}, func(Journey) json.RawMessage { return nil })
		checkPage(t, data, &listAnswer[ZNSMessage]{items: "messages"}, func(x ZNSMessage) json.RawMessage { return x.Raw })
		checkPage(t, data, &listAnswer[AccountUser]{items: "account_users"}, func(x AccountUser) json.RawMessage { return x.Raw })
		for _, v := range []any{new(Conversation), new(OAAuthorization), new(TransactionMessage), new(ExtensionInfo), new(User)} {
			_ = rawjson.Unmarshal(data, v)
		}
		var st ConsentStatus
		if rawjson.Unmarshal(data, &st) == nil && st.Granted() != (st.Code() == 0) {
			t.Fatalf("granted %t with code %d", st.Granted(), st.Code())
		}
		var j Journey
		if rawjson.Unmarshal(data, &j) == nil {
			if e := j.Expiry(); !e.Equal(j.ExpiredAt.Time) && !e.Equal(j.ExpiresAt.Time) {
				t.Fatalf("expiry %v is neither %v nor %v", e, j.ExpiredAt, j.ExpiresAt)
			}
		}
	})
}

// checkPage decodes data as a page of T and checks its cursor and the raw
// JSON of its items.
func checkPage[T any](t *testing.T, data []byte, a *listAnswer[T], raw func(T) json.RawMessage) {
	t.Helper()
	if json.Unmarshal(data, a) != nil {
		return
	}
	if a.page.HasMore() != (a.page.Next != "") {
		t.Fatalf("HasMore %t with next %q", a.page.HasMore(), a.page.Next)
	}
	for _, item := range a.page.Items {
		if r := raw(item); r != nil && !json.Valid(r) {
			t.Fatalf("%s item Raw is not JSON: %q", a.items, r)
		}
	}
}
