package cohost

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/fuzzcheck"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Seeds from Cohost's documents: the quick start's answers and the error
// shapes of the External API (business errors, the 429 body, FastAPI
// validation errors, plain detail), plus broken variants of each.
var (
	errorSeeds = []string{
		`{"code": "LISTING_NOT_FOUND", "message": "Listing not found", "details": {}}`,
		`{"code": "EXTERNAL_INVALID_REQUEST", "message": "team_ids must be a JSON array", "details": {"team_ids": "[1,2"}}`,
		`{"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded. Try again in 30 seconds.", "details": {"retry_after_seconds": 30}}`,
		`{"detail": [{"loc": ["body", "check_in_date"], "msg": "field required", "type": "value_error.missing"}]}`,
		`{"detail": "Not Found"}`,
		`{"details": {"retry_after_seconds": 1e300}}`,
		`{"details": {"retry_after_seconds": -4}}`,
		`{"detail": [{"loc": null}, null, {"loc": [1, {"a": 2}, null]}]}`,
		`{"detail": {"a": 1}}`,
		`<html>502 Bad Gateway</html>`,
		``,
	}
	listingsSeeds = []string{
		`{"items": [], "total": 0, "page": 1, "limit": 20}`,
		`{"items": [{"id": 101, "team_id": 1, "name": "Da Lat Pine Villa", "listing_type": "ENTIRE_PLACE", "property_type": "VILLA", "country_code": "VN", "latitude": "11.94", "capacity": 6, "state": "ACTIVE", "full_rate": "1500000.00", "currency": "VND", "created_at": "2025-01-10T08:00:00Z"}], "total": 100, "page": 1, "limit": 20, "total_pages": 5}`,
		`{"items": [{"id": "uuid", "full_rate": null, "updated_at": "2025-01-10 08:00:00"}], "total": 1, "page": 1, "limit": 0}`,
		`{"items": null, "total": 9223372036854775807, "page": 1, "limit": 9223372036854775807}`,
		`{"items": [{"id": 7, "bedrooms": "2", "capacity": "4", "beds": "3", "review_count": "12"}], "total": "21", "page": "1", "limit": "20", "total_pages": "2"}`,
		`{"items": [], "total": 9223372036854775807, "page": 1, "limit": 2}`,
		`{"items": [{"bedrooms": "two"}], "total": "x"}`,
	}
	bookingSeeds = []string{
		`{"id": 1001, "listing_id": 123, "team_id": 1, "user_id": null, "check_in_date": "2025-03-01", "check_out_date": "2025-03-05", "guest_number": 2, "guest_info": {"full_name": "Nguyen Van A", "phone": "+84901234567", "email": "guest@example.com"}, "state": "CONFIRMED", "total_price": 6000000, "currency": "VND", "created_at": "2025-02-20T09:00:00Z"}`,
		`{"id": "b-1", "total_price": "6000000.00", "check_in_date": "2025-03-01T00:00:00Z"}`,
		`{"check_in_date": "2025-02-30"}`,
		`{"id": 1002, "user_id": "200", "guest_number": "2"}`,
	}
	availabilitySeeds = []string{
		`{"listing_id": 123, "start_date": "2025-03-01", "end_date": "2025-03-07", "available": true, "days": [{"date": "2025-03-01", "available": true, "price": "1500000"}]}`,
		`{"is_available": false, "dates": [{"date": "2025-03-01", "available": false}]}`,
		`{"calendar": [{"date": "2025-03-02", "available": true, "price": 950000}]}`,
		`{"availability": [{"date": "2025-03-03", "available": true}]}`,
		`{"availability": {"2025-03-03": true}}`,
		`{"availability": [1, 2]}`,
	}
	customerSeeds = []string{
		`{"items": [{"id": 200, "email": "customer@example.com", "full_name": "Nguyen Van A", "phone": "+84901234567", "teams": [1, 2], "email_verified": true, "status": "ACTIVE"}], "total": 1, "page": 1, "limit": 20}`,
		`[{"user_id": 200, "email": "customer@example.com", "teams": [{"id": 1}, {"id": "2"}]}]`,
		`[{"teams": ["x"]}]`,
		`[]`,
	}
)

func addSeeds(f *testing.F, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// FuzzDecodeError feeds Cohost's error decoder any body under any status:
// it returns an Error or nil, never panics, and the Error it returns has
// nil or *ErrorDetails details, a wait that is not negative, prints and
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
		if _, ok := e.Details.(*ErrorDetails); e.Details != nil && !ok {
			t.Fatalf("Details is %T, want nil or *ErrorDetails", e.Details)
		}
		if e.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %s", e.RetryAfter)
		}
		e.StatusCode = status
		_ = e.Error()
		for _, kind := range []error{partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrNotFound, partnerkit.ErrRateLimited, partnerkit.ErrServer} {
			_ = errors.Is(e, kind)
		}
	})
}

// FuzzErrorAnswer sends one request through the whole engine to a server
// answering any status, Retry-After and body (which may repeat the API
// key): the call returns, never panics, and a failure is a
// *partnerkit.Error with the status, a wait that is not negative, and no
// API key in its text or body.
func FuzzErrorAnswer(f *testing.F) {
	for i, s := range append(append([]string{}, errorSeeds...), listingsSeeds...) {
		f.Add(uint16(i*37), "30", []byte(s))
	}
	f.Add(uint16(229), "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"message": "bad key `+fuzzKey+`"}`))
	f.Add(uint16(200), "", []byte(`{"code": "`+fuzzKey+`", "details": {"k": ["`+fuzzKey+`"]}, "detail": [{"loc": ["body", "`+fuzzKey+`"], "msg": "`+fuzzKey+`"}]}`))
	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
		status := fuzzcheck.Status(code)
		mock := fuzzcheck.Answer(status, retryAfter, body)
		c, err := New(fuzzKey,
			partnerkit.WithBaseURL("https://cohost.test/api/v1/external"),
			partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
			partnerkit.WithMaxRetries(0),
			partnerkit.WithoutRateLimit(),
			transport.WithClock(clock.NewAutoFake(time.Date(2025, 2, 20, 9, 0, 0, 0, time.UTC))))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Listings.List(context.Background(), nil)
		fuzzcheck.CheckError(t, status, err, fuzzKey)
	})
}

const fuzzKey = "ck_live_fuzz0123456789"

// FuzzListingsPage: a listings page that decodes keeps each listing's raw
// JSON and can say whether more pages follow.
func FuzzListingsPage(f *testing.F) {
	addSeeds(f, listingsSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Page[Listing]
		if rawjson.Unmarshal(data, &p) != nil {
			return
		}
		if p.HasMore() && p.Page >= p.TotalPages && p.TotalPages > 0 {
			t.Fatalf("HasMore on page %d of %d", p.Page, p.TotalPages)
		}
		for _, l := range p.Items {
			if !json.Valid(l.Raw) {
				t.Fatalf("listing Raw is not JSON: %q", l.Raw)
			}
		}
	})
}

// FuzzBooking: a booking that decodes keeps its raw JSON and valid dates.
func FuzzBooking(f *testing.F) {
	addSeeds(f, bookingSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Booking
		if rawjson.Unmarshal(data, &b) != nil {
			return
		}
		if !json.Valid(b.Raw) {
			t.Fatalf("booking Raw is not JSON: %q", b.Raw)
		}
		for _, d := range []partnerkit.Date{b.CheckIn, b.CheckOut} {
			if !d.IsZero() && !d.Valid() {
				t.Fatalf("invalid date %v decoded from %q", d, data)
			}
		}
		b.TotalPrice.Float64()
	})
}

// FuzzAvailability: any of the tolerated availability shapes decodes or is
// refused, never panics, and keeps the raw JSON.
func FuzzAvailability(f *testing.F) {
	addSeeds(f, availabilitySeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Availability
		if rawjson.Unmarshal(data, &a) != nil {
			return
		}
		if !json.Valid(a.Raw) {
			t.Fatalf("availability Raw is not JSON: %q", a.Raw)
		}
		for _, d := range a.Days {
			if !d.Date.IsZero() && !d.Date.Valid() {
				t.Fatalf("invalid day %v decoded from %q", d.Date, data)
			}
		}
	})
}

// FuzzCustomersPage: a customers list, as a page or a bare array, decodes
// with each customer's raw JSON, or is refused.
func FuzzCustomersPage(f *testing.F) {
	addSeeds(f, customerSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var page Page[Customer]
		if rawjson.Unmarshal(data, &page) != nil {
			return
		}
		page.HasMore()
		for _, c := range page.Items {
			if !json.Valid(c.Raw) {
				t.Fatalf("customer Raw is not JSON: %q", c.Raw)
			}
		}
	})
}

// FuzzLoginAnswer: a login answer, whatever its expires_in, decodes or is
// refused, and gives an expiry that is either unknown (zero) or not before
// the login: a huge expires_in never wraps into an expired session.
func FuzzLoginAnswer(f *testing.F) {
	for _, s := range []string{
		`{"access_token": "eyJhbGciOiJSUzI1NiIs...", "token_type": "Bearer", "expires_in": 86400, "user_id": 200, "email": "customer@example.com", "full_name": "Nguyen Van A", "teams": [1, 2, 3]}`,
		`{"access_token": "t", "expires_in": 9223372036854775807}`,
		`{"access_token": "t", "expires_in": 1e30}`,
		`{"access_token": "t", "expires_in": "86400"}`,
		`{"access_token": "t", "expires_in": -5, "teams": [{"id": "4"}]}`,
		`{"access_token": "t", "expires_in": 0.000000001}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2025, 2, 20, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var out loginAnswer
		if rawjson.Unmarshal(data, &out) != nil {
			return
		}
		exp := tokenExpiry(now, out.ExpiresIn)
		if !exp.IsZero() && exp.Before(now) {
			t.Fatalf("expires_in %q gave an expiry %s before the login at %s", out.ExpiresIn, exp, now)
		}
		if out.ExpiresIn.Float64() >= 1 && !exp.IsZero() && !exp.After(now) {
			t.Fatalf("expires_in %q gave an expiry %s not after the login", out.ExpiresIn, exp)
		}
	})
}
