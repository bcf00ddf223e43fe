package chekin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/fuzzcheck"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Seeds from CheKin's documents: the integration guide's answers (token,
// housing, reservation, guest group, reservations page, webhook call) and
// the Django REST Framework error shapes (field lists, non_field_errors,
// detail, the coded 401), plus broken variants of each.
var (
	errorSeeds = []string{
		`{"non_field_errors": ["Unable to log in with provided credentials."]}`,
		`{"code": 4002, "message": "Invalid Authorization header. No credentials provided.", "status_code": 401, "errors": []}`,
		`{"detail": "Not found."}`,
		`{"detail": "You do not have a valid subscription."}`,
		`{"check_in_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."], "location": {"country": ["This field is required."]}}`,
		`{"guest_group": {"members": [{}, {"name": ["This field may not be blank."]}]}}`,
		`{"errors": [{"field": "housing_id", "message": "Invalid pk"}, {"field": "price", "detail": "A valid number is required."}]}`,
		`["Reservation already exists."]`,
		`"Request was throttled."`,
		`{"detail": {"a": [1, null, true, {"b": []}]}, "non_field_errors": "x"}`,
		`{"non_field_errors": [null, 1.5e308, {"x": 1}]}`,
		`{"detail": "Given token not valid for any token type", "code": "token_not_valid", "messages": [{"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid or expired"}]}`,
		`{"detail": "Token is invalid or expired", "code": "token_not_valid"}`,
		`{"messages": ["This field is required."], "code": "authentication_failed"}`,
		`{"messages": [{"message": 1}, "x"], "detail": "Signature has expired."}`,
		`<html>502 Bad Gateway</html>`,
		``,
	}
	reservationSeeds = []string{
		`{"id": "c4f529e7ad5c4c96a6dd6c3d61072705", "check_in_date": "2019-10-31T15:00:00+01:00", "check_out_date": "2019-11-02 11:30:00", "nights_of_stay": "2", "guest_group": {"number_of_guests": "2"}, "deposit": null}`,
		`{"id": "c4f529e7ad5c4c96a6dd6c3d61072705", "check_in_date": "2019-06-25", "check_out_date": "2019-06-30", "housing_id": "8ecaf8888f844a049c60da1d7b0d3f1d", "default_leader_full_name": "Name Surname", "default_invite_email": "some.email@example.org", "signup_form_link": "http://a.chekin.io/L/abc"}`,
		`{"id": "c4f529e7ad5c4c96a6dd6c3d61072705", "check_in_date": "2019-10-31T00:00:00Z", "check_out_date": "2019-11-01T00:00:00Z", "nights_of_stay": 1, "housing": {"id": "8ecaf8888f844a049c60da1d7b0d3f1d", "name": "Amazing Housing", "type": "HOU"}, "price": "120.50", "deposit": null}`,
		`{"id": "r1", "housing": "8ecaf8888f844a049c60da1d7b0d3f1d", "guest_group": {"number_of_guests": 2, "members": [{"id": "ff23cc1796764f52bbf727afe81a82be", "full_name": "MARTIN PEREZ"}]}}`,
		`{"check_in_date": "2019-02-30", "housing": 12, "price": "1,5"}`,
		`{"housing": [], "guest_group": {"members": [null]}}`,
	}
	guestSeeds = []string{
		`{"id": "3cdcede6af45448ebaf28315d09ceec2", "phone": "", "full_name": "MARTIN PEREZ", "name": "MARTIN", "surname": "PEREZ", "second_surname": "", "gender": "M", "birth_date": "1984-08-11", "language": "eng", "nationality": {"code": "AR", "alpha_3": "ARG", "name": "Argentina"}, "names": {"name": "MARTIN", "surname": "PEREZ"}, "document": {"id": "629a8c349cd146199ff32d4d550f9e71", "type": "P", "number": "AAA875441", "issue_date": "2012-05-17", "type_str": "Passport"}, "status": "COMPLETE", "status_display": "All the necessary data are filled in"}`,
		`{"id": "3cdcede6-af45-448e-baf2-8315d09ceec2", "nationality": "ES", "statuses": {"police": {"in": {"code": "ERROR", "label": "Error", "details": "bad document"}, "out": "NOT_USED"}, "statistics": {"in": "NEW"}}, "fiscal_code": "RSSMRA80A01H501U"}`,
		`{"nationality": 3, "document": null, "statuses": {"police": {"in": 1}}, "birth_date": "1984-13-01"}`,
	}
	groupSeeds = []string{
		`{"id": "4707a97810504e8084b8b16f6f22f298", "url": "https://a.chekin.io/api/v3/guest-groups/4707a978-1050-4e80-84b8-b16f6f22f298/", "number_of_guests": 2, "members": [{"id": "ff23cc1796764f52bbf727afe81a82be", "full_name": "MARTIN PEREZ"}, {"id": "2f3d24418d084476ae28bbc484ca1224", "full_name": "CARLOS GONZALEZ FERNANDEZ"}], "leader_id": "ff23cc1796764f52bbf727afe81a82be", "type": "G"}`,
		`{"number_of_guests": "3", "members": [], "leader_id": null}`,
		`{"number_of_guests": "2.0", "members": [{"document": {"issue_place": "Roma", "ISSUE_DATE": "2012-05-17"}}]}`,
		`{"number_of_guests": "two"}`,
	}
	housingSeeds = []string{
		`{"id": "8ecaf8888f844a049c60da1d7b0d3f1d", "url": "https://a.chekin.io/api/v3/housings/8ecaf888-8f84-4a04-9c60-da1d7b0d3f1d/", "type": "HOU", "name": "Amazing Housing", "location": {"country": "ES", "community": "ES-AN", "province": "ES-AL", "address": "housing address"}}`,
		`{"id": 12, "type": "HOT", "location": {"country": {"code": "IT"}, "province": {"id": 5}}, "police_account": {"type": "ISP", "username": "u", "external_id": 7}}`,
		`{"location": {"country": [1]}, "police_account": "4d0e"}`,
	}
	pageSeeds = []string{
		`{"count": 5, "next": null, "previous": null, "results": [{"id": "7a2b3fe5c5d34463aa2583f09de5ab75", "guest_group": {"id": "06adcc1c9a194f858335ee22bbb1d3e3", "number_of_guests": 2, "members": [{"id": "74567767b20f47f5a14b4333b55a26b0", "full_name": "Alejandro Perez"}], "leader_id": "74567767b20f47f5a14b4333b55a26b0", "type": "G"}}]}`,
		`{"count": 25, "next": "https://a.chekin.io/api/v3/reservations/?page=2", "previous": null, "results": []}`,
		`[{"id": "8ecaf8888f844a049c60da1d7b0d3f1d", "name": "Amazing Housing"}]`,
		`{"count": -1, "next": 3, "results": null}`,
		`{"results": [null, 1, "x"]}`,
	}
	eventSeeds = []string{
		`{"hook": {"id": "fab8af5dd0074d04a42395d00890c310", "event": "Guest.created", "target": "http://example.org/target-url/"}, "data": {"reservation_id": "620186f602de439faffb6caa71b5014e", "guest_id": "3cdcede6af45448ebaf28315d09ceec2", "guest_origin": "CH_ONLINE"}}`,
		`{"hook": {"id": 1, "event": "Reservation.updated"}, "data": {"reservation_id": 42, "extra": [1, 2]}}`,
		`{"hook": {"event": ""}, "data": {}}`,
		`{"hook": null, "data": null}`,
		`{"data": []}`,
		`[]`,
	}
)

func addSeeds(f *testing.F, seeds ...[]string) {
	for _, list := range seeds {
		for _, s := range list {
			f.Add([]byte(s))
		}
	}
}

// FuzzDecodeError feeds CheKin's error decoder any body under any status:
// it always returns an Error that prints and matches sentinels, with field
// errors only when it has a message, details only of type *ErrorDetails
// with the members it kept as a JSON object in Raw, and never simplejwt's
// messages as field errors; a refused token matches ErrUnauthorized.
func FuzzDecodeError(f *testing.F) {
	for i, s := range errorSeeds {
		f.Add(400+i*7, []byte(s))
	}
	f.Add(403, []byte(errorSeeds[len(errorSeeds)-6]))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeError(&transport.Response{StatusCode: status, Header: http.Header{}, Body: body})
		if e == nil {
			t.Fatalf("no Error for status %d and %q", status, body)
		}
		if len(e.FieldErrors) > 0 && e.Message == "" {
			t.Fatalf("field errors without a message from %q", body)
		}
		if e.Details != nil {
			d, ok := e.Details.(*ErrorDetails)
			var members map[string]json.RawMessage
			if !ok || d == nil || json.Unmarshal(d.Raw, &members) != nil || len(members) == 0 {
				t.Fatalf("details %#v from %q", e.Details, body)
			}
			if _, kept := members["messages"]; kept != (len(d.TokenMessages) > 0) {
				t.Fatalf("token messages %v and Raw %s disagree, from %q", d.TokenMessages, d.Raw, body)
			}
			for field := range e.FieldErrors {
				if strings.HasPrefix(field, "messages") {
					t.Fatalf("simplejwt's messages became the field error %q from %q", field, body)
				}
			}
		}
		if refusedToken(e) && !errors.Is(e, partnerkit.ErrUnauthorized) {
			t.Fatalf("a refused token (status %d, code %q) is not ErrUnauthorized", status, e.Code)
		}
		e.StatusCode = status
		_ = e.Error()
		for _, kind := range []error{partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrForbidden, partnerkit.ErrNotFound, partnerkit.ErrRateLimited, partnerkit.ErrServer} {
			_ = errors.Is(e, kind)
		}
	})
}

// checkDates fails when a decoded date is set but not a real date.
func checkDates(t *testing.T, data []byte, dates ...partnerkit.Date) {
	t.Helper()
	for _, d := range dates {
		if !d.IsZero() && !d.Valid() {
			t.Fatalf("invalid date %v decoded from %q", d, data)
		}
	}
}

// checkRaw fails when a Raw field is set but does not hold JSON (it is
// empty for a value that was null).
func checkRaw(t *testing.T, what string, raw json.RawMessage) {
	t.Helper()
	if len(raw) > 0 && !json.Valid(raw) {
		t.Fatalf("%s Raw is not JSON: %q", what, raw)
	}
}

// checkReservation checks a decoded reservation and what it nests.
func checkReservation(t *testing.T, data []byte, r *Reservation) {
	t.Helper()
	checkRaw(t, "reservation", r.Raw)
	if r.Housing != nil {
		checkRaw(t, "nested housing", r.Housing.Raw)
		if r.HousingID == "" && r.Housing.ID != "" {
			t.Fatalf("housing_id not taken from the nested housing in %q", data)
		}
	}
	if r.GuestGroup != nil {
		r.GuestGroup.Leader()
		for i := range r.GuestGroup.Members {
			checkGuest(t, data, &r.GuestGroup.Members[i])
		}
	}
	r.Price.Float64()
	r.Deposit.Float64()
}

// checkGuest checks a decoded guest.
func checkGuest(t *testing.T, data []byte, g *Guest) {
	t.Helper()
	checkRaw(t, "guest", g.Raw)
	checkDates(t, data, g.BirthDate)
	for k, v := range g.Extras {
		if guestFields[k] || !json.Valid(v) {
			t.Fatalf("extra %q = %q from %q", k, v, data)
		}
	}
}

// checkReencode fails unless v, decoded from data, encodes, decodes again
// and encodes the same: what an answer's type keeps survives a round trip.
func checkReencode[T any](t *testing.T, data []byte, v *T) {
	t.Helper()
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("cannot encode what %q decoded to: %v", data, err)
	}
	var again T
	if err := json.Unmarshal(first, &again); err != nil {
		t.Fatalf("cannot decode %s, encoded from %q: %v", first, data, err)
	}
	second, err := json.Marshal(&again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("a round trip changed %q:\n%s\n%s", data, first, second)
	}
}

// FuzzReservation: a reservation, with dates or date-times, counts as
// numbers or strings, a nested housing (object or ID) and guest group,
// decodes, keeps its raw JSON and survives a round trip, or is refused.
func FuzzReservation(f *testing.F) {
	addSeeds(f, reservationSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Reservation
		if json.Unmarshal(data, &r) != nil {
			return
		}
		checkReservation(t, data, &r)
		checkReencode(t, data, &r)
	})
}

// FuzzGuest: a guest decodes with its untyped fields in Extras and its raw
// JSON kept, and survives a round trip, or is refused.
func FuzzGuest(f *testing.F) {
	addSeeds(f, guestSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var g Guest
		if json.Unmarshal(data, &g) != nil {
			return
		}
		checkGuest(t, data, &g)
		checkReencode(t, data, &g)
	})
}

// FuzzGuestGroup: a guest group, its count a number or a string, decodes
// with valid members and survives a round trip, or is refused.
func FuzzGuestGroup(f *testing.F) {
	addSeeds(f, groupSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var g GuestGroup
		if json.Unmarshal(data, &g) != nil {
			return
		}
		checkRaw(t, "guest group", g.Raw)
		g.Leader()
		for i := range g.Members {
			checkGuest(t, data, &g.Members[i])
		}
		checkReencode(t, data, &g)
	})
}

// FuzzHousing: a housing, as an object or its ID alone, decodes, keeps its
// raw JSON and survives a round trip, or is refused.
func FuzzHousing(f *testing.F) {
	addSeeds(f, housingSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var h Housing
		if json.Unmarshal(data, &h) != nil {
			return
		}
		checkRaw(t, "housing", h.Raw)
		checkReencode(t, data, &h)
	})
}

// FuzzReservationsPage: a count/next/previous page, or a bare array, of
// reservations decodes with valid items and survives a round trip, or is
// refused.
func FuzzReservationsPage(f *testing.F) {
	addSeeds(f, pageSeeds, reservationSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Page[Reservation]
		if json.Unmarshal(data, &p) != nil {
			return
		}
		if p.HasMore() != (p.Next != nil && *p.Next != "") {
			t.Fatalf("HasMore %t with next %v", p.HasMore(), p.Next)
		}
		for i := range p.Items {
			checkReservation(t, data, &p.Items[i])
		}
		checkReencode(t, data, &p)
	})
}

// FuzzParseEvent: a webhook body is an event with a name and its raw JSON,
// or an error matching ErrBadEvent.
func FuzzParseEvent(f *testing.F) {
	addSeeds(f, eventSeeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseEvent(body)
		if err != nil {
			if e != nil || !errors.Is(err, ErrBadEvent) {
				t.Fatalf("ParseEvent(%q) = %v, %v", body, e, err)
			}
			return
		}
		if e.Name == "" || e.Name != e.Hook.Event {
			t.Fatalf("event name %q, hook event %q from %q", e.Name, e.Hook.Event, body)
		}
		checkRaw(t, "event", e.Raw)
		if len(e.Data.Raw) > 0 {
			checkRaw(t, "event data", e.Data.Raw)
		}
	})
}

// fuzzSecret is the receiver's secret in FuzzWebhookHandler.
const fuzzSecret = "0123456789abcdef0123456789abcdef"

// FuzzWebhookHandler sends the receiver any method, secret and body, with
// the event function failing or not: the answer is 200 exactly when a POST
// with the right secret carries an event the function accepts, and is
// otherwise a refusal (4xx that closes the connection, or 500 when the
// function failed), never a panic.
func FuzzWebhookHandler(f *testing.F) {
	for i, s := range eventSeeds {
		f.Add(http.MethodPost, fuzzSecret, []byte(s), i%3 == 2)
	}
	f.Add(http.MethodGet, fuzzSecret, []byte(eventSeeds[0]), false)
	f.Add(http.MethodPost, "", []byte(eventSeeds[0]), false)
	f.Add(http.MethodPost, fuzzSecret[:16], []byte(eventSeeds[0]), false)
	f.Add("P OST", fuzzSecret+"&secret=x", []byte(strings.Repeat(" ", MaxEventBytes+1)), false)
	f.Fuzz(func(t *testing.T, method, secret string, body []byte, fail bool) {
		calls := 0
		h, err := NewWebhookHandler(fuzzSecret, func(ctx context.Context, e *Event) error {
			calls++
			if e == nil || e.Name == "" {
				t.Fatalf("handler called with %v", e)
			}
			if fail {
				return errors.New("queue full")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r := &http.Request{
			Method: method,
			URL:    &url.URL{Path: "/chekin/webhook", RawQuery: SecretParam + "=" + url.QueryEscape(secret)},
			Header: http.Header{"Content-Type": {"application/json"}},
			Body:   io.NopCloser(bytes.NewReader(body)),
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(context.Background()))

		_, parseErr := ParseEvent(body)
		valid := method == http.MethodPost && secret == fuzzSecret && len(body) <= MaxEventBytes && parseErr == nil
		switch {
		case w.Code < 200 || w.Code > 599:
			t.Fatalf("status %d", w.Code)
		case valid && calls != 1:
			t.Fatalf("a valid event was handled %d times", calls)
		case !valid && calls != 0:
			t.Fatalf("an invalid call (method %q, secret %q, body %q) reached the event function", method, secret, body)
		case valid && !fail && w.Code != http.StatusOK:
			t.Fatalf("a valid event was answered %d", w.Code)
		case valid && fail && w.Code != http.StatusInternalServerError:
			t.Fatalf("a failed event was answered %d", w.Code)
		case !valid && (w.Code < 400 || w.Code >= 500):
			t.Fatalf("an invalid call (method %q, secret %q) was answered %d", method, secret, w.Code)
		case !valid && w.Header().Get("Connection") != "close":
			t.Fatalf("a refusal (%d) keeps the connection open", w.Code)
		}
		if strings.Contains(w.Body.String(), fuzzSecret) {
			t.Fatalf("the answer repeats the secret: %q", w.Body.String())
		}
	})
}

// Credentials of FuzzErrorAnswer's client.
const (
	fuzzPassword = "fuzz-Passw0rd-0123"
	fuzzToken    = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiZnV6eiJ9.c2lnbmF0dXJlMDEyMw"
)

// FuzzErrorAnswer sends one call through the whole engine, with a token
// given up front, to a server answering every request (the call and any
// login the client then makes) with any status, Retry-After and body, which
// may repeat the password and the token: the call returns, never panics,
// and a failure is a *partnerkit.Error with a wait that is not negative
// and no password or token in its text, body, field errors or details.
func FuzzErrorAnswer(f *testing.F) {
	for i, s := range append(append(append([]string{}, errorSeeds...), pageSeeds...), `{"token": "`+fuzzToken+`"}`) {
		f.Add(uint16(i*37), "30", []byte(s))
	}
	f.Add(uint16(201), "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"detail": "bad token `+fuzzToken+` for password `+fuzzPassword+`"}`))
	f.Add(uint16(200), "", []byte(`{"code": "`+fuzzToken+`", "message": "`+fuzzPassword+`", "errors": [{"field": "`+fuzzPassword+`", "message": "`+fuzzToken+`"}], "password": ["`+fuzzPassword+`"]}`))
	f.Add(uint16(1), "", []byte(`{"non_field_errors": ["JWT `+fuzzToken+`"], "token": ["`+fuzzToken+`"]}`))
	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
		status := fuzzcheck.Status(code)
		mock := fuzzcheck.Answer(status, retryAfter, body)
		c, err := New("partner@example.com", fuzzPassword,
			WithToken(fuzzToken),
			partnerkit.WithBaseURL("https://chekin.test/api/v3"),
			partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
			partnerkit.WithMaxRetries(0),
			partnerkit.WithoutRateLimit(),
			transport.WithClock(clock.NewAutoFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Reservations.List(context.Background(), nil)
		fuzzcheck.CheckError(t, status, err, fuzzPassword, fuzzToken)
	})
}
