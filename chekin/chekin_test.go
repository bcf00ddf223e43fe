package chekin_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

const housingJSON = `{"id":"8ecaf8888f844a049c60da1d7b0d3f1d",
"url":"https://a.chekin.io/api/v3/housings/8ecaf888-8f84-4a04-9c60-da1d7b0d3f1d/","type":"HOU","name":"Amazing Housing",
"location":{"country":"ES","community":"ES-AN","province":{"code":"ES-AL","name":"Almería"},"address":"housing address"},
"police_account":"5f0c2b0e5ad84a6c9b1d3a1e1f0e9c8d","is_deactivated":false}`

func TestHousingsCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/housings/", 201, housingJSON)
	got, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name: "Amazing Housing", Type: chekin.HousingVacationRental,
		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "housing address"},
		Extra:    map[string]any{"time_zone": "Europe/Madrid", "name": "ignored"},
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/api/v3/housings/", r.Path)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.JSONEq(t, `{"name":"Amazing Housing","type":"HOU","location":{"country":"ES","community":"ES-AN",
"province":"ES-AL","address":"housing address"},"time_zone":"Europe/Madrid"}`, r.Body)
	require.Equal(t, partnerkit.ID("8ecaf8888f844a049c60da1d7b0d3f1d"), got.ID)
	require.Equal(t, chekin.HousingVacationRental, got.Type)
	require.Equal(t, "Amazing Housing", got.Name)
	require.Equal(t, chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "housing address"}, got.Location)
	require.Equal(t, &chekin.PoliceAccount{ID: "5f0c2b0e5ad84a6c9b1d3a1e1f0e9c8d"}, got.PoliceAccount)
	require.Contains(t, string(got.Raw), `"is_deactivated":false`)
}

func TestHousingsCreateWithAPoliceAccountKeepsItsPasswordsSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxRetries(0))
	h.on(http.MethodPost, "/housings/", 400, `{"police_account":{"password":["Wrong password pol-pass-123"]}}`)
	_, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name: "Hotel", Type: chekin.HousingHotel,
		PoliceAccount: &chekin.PoliceAccount{Type: "POL", Username: "user", Password: "pol-pass-123", CertificatePassword: "cert-pass-456"},
	})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, map[string][]string{"police_account.password": {"Wrong password [REDACTED]"}}, apiErr.FieldErrors)
	require.JSONEq(t, `{"name":"Hotel","type":"HOT","police_account":{"type":"POL","username":"user","password":"pol-pass-123","certificate_password":"cert-pass-456"}}`, h.reqs[0].Body)
	require.NotContains(t, err.Error(), "pol-pass-123")
}

func TestHousingsCreateIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		h := newHarness(t)
		h.on(http.MethodPost, "/housings/", status, `{"detail":"upstream error"}`)
		_, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "A"})
		require.ErrorIs(t, err, partnerkit.ErrServer)
		require.Len(t, h.reqs, 1, "status %d", status)
	}
}

func TestHousingsGetUpdateDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const id = "8ecaf8888f844a049c60da1d7b0d3f1d"
	h.on(http.MethodGet, "/housings/"+id+"/", 200, housingJSON)
	got, err := h.c.Housings.Get(ctx, id)
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, http.MethodGet, r.Method)
	require.Equal(t, "/api/v3/housings/"+id+"/", r.Path)
	require.Empty(t, r.Body)
	require.Equal(t, partnerkit.ID(id), got.ID)

	h = newHarness(t)
	h.on(http.MethodPatch, "/housings/"+id+"/", 200, `{"id":"`+id+`","name":"Super-Amazing housing","type":"HOU"}`)
	got, err = h.c.Housings.Update(ctx, id, &chekin.HousingUpdateParams{Name: ptr("Super-Amazing housing")})
	require.NoError(t, err)
	r = h.last(t)
	require.Equal(t, http.MethodPatch, r.Method)
	require.JSONEq(t, `{"name":"Super-Amazing housing"}`, r.Body, "only the fields set")
	require.Equal(t, "Super-Amazing housing", got.Name)

	h = newHarness(t)
	h.on(http.MethodDelete, "/housings/"+id+"/", 204, ``)
	require.NoError(t, h.c.Housings.Delete(ctx, id))
	r = h.last(t)
	require.Equal(t, http.MethodDelete, r.Method)
	require.Equal(t, "/api/v3/housings/"+id+"/", r.Path)
}

func TestHousingsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/housings/", 200, `{"count":3,"next":"http://internal.chekin/api/v3/housings/?field_set=ids&name=Amazing+Housing&page=3","previous":null,"results":[`+housingJSON+`]}`)
	page, err := h.c.Housings.List(ctx, &chekin.HousingListParams{
		Page: 2, Limit: 25, Filters: url.Values{"is_deactivated": {"false"}, "name": {"overridden"}},
		Name: "Amazing Housing", FieldSet: "ids",
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, map[string][]string{"page": {"2"}, "page_size": {"25"}, "name": {"Amazing Housing"}, "field_set": {"ids"}, "is_deactivated": {"false"}}, r.Query)
	require.Equal(t, 3, page.Total)
	require.True(t, page.HasMore())
	require.Empty(t, page.Prev)
	require.Len(t, page.Items, 1)
	require.Equal(t, "Amazing Housing", page.Items[0].Name)
}

func TestHousingsAllFollowsNextLinksOnTheClientsOwnHost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var hosts, pages []string
	h.mock.RegisterResponder(http.MethodGet, base+"/housings/", func(r *http.Request) (*http.Response, error) {
		hosts = append(hosts, r.URL.Host)
		require.Equal(t, "Villa", r.URL.Query().Get("name"), "filters are kept")
		page := r.URL.Query().Get("page")
		pages = append(pages, page)
		body := map[string]string{
			"":  `{"count":5,"next":"http://api-ng.chekintest.xyz/api/v3/housings/?name=Villa&page=2","previous":null,"results":[{"id":"a1"},{"id":"a2"}]}`,
			"2": `{"count":5,"next":"http://api-ng.chekintest.xyz/api/v3/housings/?name=Villa&page=3","previous":"http://x/?name=Villa","results":[{"id":"a3"},{"id":"a4"}]}`,
			"3": `{"count":5,"next":null,"previous":"http://x/?name=Villa&page=2","results":[{"id":"a5"}]}`,
		}[page]
		return mocktest.JSON(200, body), nil
	})
	params := &chekin.HousingListParams{Name: "Villa"}
	var ids []partnerkit.ID
	for got, err := range h.c.Housings.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, got.ID)
	}
	require.Equal(t, []partnerkit.ID{"a1", "a2", "a3", "a4", "a5"}, ids)
	require.Equal(t, []string{"", "2", "3"}, pages)
	require.Equal(t, []string{"chekin.test", "chekin.test", "chekin.test"}, hosts, "the token never goes to the host of a link")
	require.Zero(t, params.Page, "the caller's params are not changed")
}

func TestAllStopsOnANextLinkThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/reservations/", 200, `{"count":9,"next":"https://chekin.test/api/v3/reservations/?page=2","results":[{"id":"r1"}]}`)
	var n int
	var last error
	for _, err := range h.c.Reservations.All(ctx, &chekin.ReservationListParams{Page: 2}) {
		n++
		last = err
	}
	require.ErrorIs(t, last, partnerkit.ErrUnexpected)
	require.Equal(t, 2, n)
	require.Len(t, h.reqs, 1)
}

func TestAllStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/reservations/", 404, `{"detail":"Invalid page."}`)
	n := 0
	for _, err := range h.c.Reservations.All(ctx, nil) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrNotFound)
	}
	require.Equal(t, 1, n)
}

const reservationJSON = `{"id":"c4f529e7ad5c4c96a6dd6c3d61072705","check_in_date":"2019-10-31T00:00:00Z",
"check_out_date":"2019-11-02T00:00:00+01:00","nights_of_stay":2,"default_leader_full_name":"Name Surname",
"default_invite_email":"some.email@example.org","signup_form_link":"http://a.chekin.io/L/AbCd",
"price":"120.50","housing":{"id":"8ecaf8888f844a049c60da1d7b0d3f1d","name":"Amazing Housing","type":"HOU"},
"guest_group":{"id":"4707a97810504e8084b8b16f6f22f298","number_of_guests":2,"members":[` + guestJSON + `,
{"id":"2f3d24418d084476ae28bbc484ca1224","full_name":"CARLOS GONZALEZ FERNANDEZ","birth_date":"1967-11-24"}],
"leader_id":"ff23cc1796764f52bbf727afe81a82be","type":"G"},"source":"partner"}`

func TestReservationsCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/reservations/", 201, reservationJSON)
	got, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		CheckIn: date("2019-06-25"), CheckOut: date("2019-06-30"), HousingID: "8ecaf8888f844a049c60da1d7b0d3f1d",
		DefaultLeaderFullName: "Name Surname", DefaultInviteEmail: "some.email@example.org",
		Price: "120.50", GuestGroup: &chekin.ExpectedGuests{NumberOfGuests: 2},
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "/api/v3/reservations/", r.Path)
	require.JSONEq(t, `{"check_in_date":"2019-06-25","check_out_date":"2019-06-30","housing_id":"8ecaf8888f844a049c60da1d7b0d3f1d",
"default_leader_full_name":"Name Surname","default_invite_email":"some.email@example.org","price":120.50,
"guest_group":{"number_of_guests":2}}`, r.Body)

	require.Equal(t, partnerkit.ID("c4f529e7ad5c4c96a6dd6c3d61072705"), got.ID)
	require.True(t, time.Date(2019, 10, 31, 0, 0, 0, 0, time.UTC).Equal(got.CheckIn.Time), "check-in as sent: %v", got.CheckIn)
	require.True(t, time.Date(2019, 11, 1, 23, 0, 0, 0, time.UTC).Equal(got.CheckOut.Time), "check-out with its zone: %v", got.CheckOut)
	require.Equal(t, date("2019-11-02"), partnerkit.DateOf(got.CheckOut.Time), "the date written")
	require.EqualValues(t, 2, got.NightsOfStay)
	require.Equal(t, "http://a.chekin.io/L/AbCd", got.SignupFormLink)
	require.Equal(t, 120.5, got.Price.Float64())
	require.Equal(t, partnerkit.ID("8ecaf8888f844a049c60da1d7b0d3f1d"), got.HousingID, "taken from the nested housing")
	require.Equal(t, "Amazing Housing", got.Housing.Name)
	require.NotNil(t, got.GuestGroup)
	require.Len(t, got.GuestGroup.Members, 2)
	require.Equal(t, "MARTIN PEREZ", got.GuestGroup.Leader().FullName)
	require.Contains(t, string(got.Raw), `"source":"partner"`)
}

func TestReservationsCreateWithAnInlineHousing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/reservations/", 201, `{"id":"r1","housing":"h1"}`)
	got, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26"),
		Housing: &chekin.HousingCreateParams{Name: "New", Type: chekin.HousingHotel, Location: &chekin.Location{Country: "ES"}},
	})
	require.NoError(t, err)
	require.JSONEq(t, `{"check_in_date":"2025-06-25","check_out_date":"2025-06-26","housing":{"name":"New","type":"HOT","location":{"country":"ES"}}}`, h.last(t).Body)
	require.Equal(t, partnerkit.ID("h1"), got.HousingID, "a housing given by its ID")
}

func TestReservationsCreateIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/reservations/", 503, `{"detail":"Service unavailable"}`)
	_, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26"), HousingID: "h1"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.reqs, 1)
}

func TestReservationsCreateRetriesA429(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	n := 0
	h.mock.RegisterResponder(http.MethodPost, base+"/reservations/", func(*http.Request) (*http.Response, error) {
		if n++; n == 1 {
			resp := mocktest.JSON(429, `{"detail":"Request was throttled. Expected available in 7 seconds."}`)
			resp.Header.Set("Retry-After", "7")
			return resp, nil
		}
		return mocktest.JSON(201, `{"id":"r1"}`), nil
	})
	_, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26"), HousingID: "h1"})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, []time.Duration{7 * time.Second}, h.clock.Sleeps())
}

func TestReservationsGetUpdateDeleteList(t *testing.T) {
	t.Parallel()
	const id = "c4f529e7ad5c4c96a6dd6c3d61072705"
	h := newHarness(t)
	h.on(http.MethodGet, "/reservations/"+id+"/", 200, reservationJSON)
	got, err := h.c.Reservations.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "/api/v3/reservations/"+id+"/", h.last(t).Path)
	require.Equal(t, partnerkit.ID("4707a97810504e8084b8b16f6f22f298"), got.GuestGroup.ID)

	h = newHarness(t)
	h.on(http.MethodPatch, "/reservations/"+id+"/", 200, `{"id":"`+id+`","check_out_date":"2019-11-01"}`)
	got, err = h.c.Reservations.Update(ctx, id, &chekin.ReservationUpdateParams{CheckOut: ptr(date("2019-11-01"))})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, http.MethodPatch, r.Method)
	require.JSONEq(t, `{"check_out_date":"2019-11-01"}`, r.Body)
	require.Equal(t, date("2019-11-01"), partnerkit.DateOf(got.CheckOut.Time))

	h = newHarness(t)
	h.on(http.MethodDelete, "/reservations/"+id+"/", 204, ``)
	require.NoError(t, h.c.Reservations.Delete(ctx, id))
	require.Equal(t, http.MethodDelete, h.last(t).Method)

	h = newHarness(t)
	h.on(http.MethodGet, "/reservations/", 200, `{"count":5,"next":null,"previous":null,"results":[`+reservationJSON+`]}`)
	page, err := h.c.Reservations.List(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, h.last(t).Query)
	require.Equal(t, 5, page.Total)
	require.False(t, page.HasMore())
	require.Equal(t, "MARTIN PEREZ", page.Items[0].GuestGroup.Members[0].FullName)
}

func TestReservationsResend(t *testing.T) {
	t.Parallel()
	const id = "c4f529e7ad5c4c96a6dd6c3d61072705"
	for _, tt := range []struct {
		path string
		call func(*chekin.Client) error
	}{
		{"resend-reservation-to-police/", func(c *chekin.Client) error { return c.Reservations.ResendToPolice(ctx, id) }},
		{"resend-reservation-to-stat/", func(c *chekin.Client) error { return c.Reservations.ResendToStatistics(ctx, id) }},
	} {
		h := newHarness(t)
		h.on(http.MethodPost, "/reservations/"+id+"/"+tt.path, 200, `{"status":"ok"}`)
		require.NoError(t, tt.call(h.c))
		r := h.last(t)
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, "/api/v3/reservations/"+id+"/"+tt.path, r.Path)
		require.JSONEq(t, `{}`, r.Body)

		h = newHarness(t)
		h.on(http.MethodPost, "/reservations/"+id+"/"+tt.path, 200, `{"status":"error"}`)
		err := tt.call(h.c)
		require.ErrorIs(t, err, partnerkit.ErrUnexpected)
		require.ErrorContains(t, err, "status error")

		h = newHarness(t)
		h.on(http.MethodPost, "/reservations/"+id+"/"+tt.path, 502, `{}`)
		require.ErrorIs(t, tt.call(h.c), partnerkit.ErrServer)
		require.Len(t, h.reqs, 1, "not sent twice")
	}
}

const guestJSON = `{"id":"ff23cc1796764f52bbf727afe81a82be","phone":"","full_name":"MARTIN PEREZ","name":"MARTIN",
"surname":"PEREZ","second_surname":"","gender":"M","birth_date":"1984-08-11","language":"eng",
"nationality":{"code":"AR","alpha_3":"ARG","name":"Argentina"},"names":{"name":"MARTIN","surname":"PEREZ"},
"document":{"id":"629a8c349cd146199ff32d4d550f9e71","type":"P","number":"AAA875441","issue_date":"2012-05-17","type_str":"Passport","issue_place":"Roma"},
"status":"COMPLETE","status_display":"All the necessary data are filled in",
"statuses":{"police":{"in":{"code":"COMPLETE","label":"Sent","details":{"sent_at":"2025-06-25"}},"out":"NOT_USED"},
"statistics":{"in":{"code":"SOMETHING_NEW","label":"?"}}},"residence_city":"ROMA","tax_exemption":null}`

func TestGuestsGetAcceptsBothIDForms(t *testing.T) {
	t.Parallel()
	for _, id := range []partnerkit.ID{"3cdcede6af45448ebaf28315d09ceec2", "3cdcede6-af45-448e-baf2-8315d09ceec2"} {
		h := newHarness(t)
		h.on(http.MethodGet, "/guests/"+string(id)+"/", 200, guestJSON)
		g, err := h.c.Guests.Get(ctx, id)
		require.NoError(t, err)
		r := h.last(t)
		require.Equal(t, "/api/v3/guests/"+string(id)+"/", r.Path)
		require.Equal(t, "MARTIN PEREZ", g.FullName)
		require.Equal(t, date("1984-08-11"), g.BirthDate)
		require.Equal(t, &chekin.Country{Code: "AR", Alpha3: "ARG", Name: "Argentina"}, g.Nationality)
		require.Equal(t, &chekin.Names{Name: "MARTIN", Surname: "PEREZ"}, g.Names)
		require.Equal(t, "P", g.Document.Type)
		require.Equal(t, "Passport", g.Document.TypeStr)
		require.Equal(t, date("2012-05-17"), g.Document.IssueDate)
		require.Contains(t, string(g.Document.Raw), "issue_place")
		require.Equal(t, chekin.StatusComplete, g.Status)
		require.Equal(t, chekin.StatusComplete, g.Statuses.Police.In.Code)
		require.JSONEq(t, `{"sent_at":"2025-06-25"}`, string(g.Statuses.Police.In.Details))
		require.Equal(t, chekin.StatusNotUsed, g.Statuses.Police.Out.Code)
		require.Equal(t, chekin.ComplianceCode("SOMETHING_NEW"), g.Statuses.Statistics.In.Code, "unknown codes are kept")
		require.Len(t, g.Extras, 2)
		require.JSONEq(t, `"ROMA"`, string(g.Extras["residence_city"]))
		require.JSONEq(t, guestJSON, string(g.Raw))
	}
	require.True(t, chekin.SameID("3cdcede6af45448ebaf28315d09ceec2", "3CDCEDE6-AF45-448E-BAF2-8315D09CEEC2"))
	require.False(t, chekin.SameID("", ""))
}

func TestGuestsUpdate(t *testing.T) {
	t.Parallel()
	const id = "ff23cc1796764f52bbf727afe81a82be"
	h := newHarness(t)
	h.on(http.MethodPatch, "/guests/"+id+"/", 200, guestJSON)
	g, err := h.c.Guests.Update(ctx, id, &chekin.GuestUpdateParams{
		Surname: ptr("PEREZ"), BirthDate: ptr(date("1984-08-11")), Nationality: ptr("AR"),
		Document: &chekin.DocumentChanges{Number: ptr("AAA875441")},
		Extra:    map[string]any{"residence_city": "ROMA"},
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, http.MethodPatch, r.Method)
	require.JSONEq(t, `{"surname":"PEREZ","birth_date":"1984-08-11","nationality":"AR","document":{"number":"AAA875441"},"residence_city":"ROMA"}`, r.Body)
	require.Equal(t, partnerkit.ID(id), g.ID)
}

func TestGuestGroupsGet(t *testing.T) {
	t.Parallel()
	const id = "4707a97810504e8084b8b16f6f22f298"
	h := newHarness(t)
	h.on(http.MethodGet, "/guest-groups/"+id+"/", 200, `{"id":"`+id+`","url":"https://a.chekin.io/api/v3/guest-groups/4707a978-1050-4e80-84b8-b16f6f22f298/",
"number_of_guests":2,"members":[{"id":"2f3d24418d084476ae28bbc484ca1224","full_name":"CARLOS GONZALEZ FERNANDEZ"},`+guestJSON+`],
"leader_id":"ff23cc17-9676-4f52-bbf7-27afe81a82be","type":"G"}`)
	g, err := h.c.GuestGroups.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, "/api/v3/guest-groups/"+id+"/", h.last(t).Path)
	require.EqualValues(t, 2, g.NumberOfGuests)
	require.Equal(t, "G", g.Type)
	require.Equal(t, "MARTIN PEREZ", g.Leader().FullName, "the leader matched across ID forms")
	require.Nil(t, (&chekin.GuestGroup{}).Leader())
}

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		body    string
		kind    error
		code    string
		message string
		fields  map[string][]string
		details *chekin.ErrorDetails
	}{
		{"coded", 401, `{"code":4002,"message":"Invalid Authorization header. No credentials provided.","status_code":401,"errors":[]}`,
			partnerkit.ErrUnauthorized, "4002", "Invalid Authorization header. No credentials provided.", nil,
			&chekin.ErrorDetails{Raw: json.RawMessage(`{"status_code":401}`)}},
		{"coded with errors", 400, `{"code":"invalid","message":"Invalid input.","status_code":400,"errors":[{"field":"check_in_date","message":"Date has wrong format."}]}`,
			partnerkit.ErrInvalidRequest, "invalid", "Invalid input.", map[string][]string{"check_in_date": {"Date has wrong format."}},
			&chekin.ErrorDetails{Raw: json.RawMessage(`{"status_code":400}`)}},
		{"detail", 404, `{"detail":"Not found."}`, partnerkit.ErrNotFound, "", "Not found.", nil, nil},
		{"detail with code", 403, `{"detail":"You do not have permission to perform this action.","code":"permission_denied"}`,
			partnerkit.ErrForbidden, "permission_denied", "You do not have permission to perform this action.", nil, nil},
		{"non field errors", 400, `{"non_field_errors":["Check-out must be after check-in."]}`,
			partnerkit.ErrInvalidRequest, "", "Check-out must be after check-in.", nil, nil},
		{"field lists", 400, `{"check_in_date":["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
"housing_id":["This field is required."],"location":{"country":["\"XX\" is not a valid choice."]},
"guest_group":{"members":[{},{"name":["This field may not be blank."]}]}}`,
			partnerkit.ErrInvalidRequest, "", "request validation failed", map[string][]string{
				"check_in_date":               {"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."},
				"housing_id":                  {"This field is required."},
				"location.country":            {`"XX" is not a valid choice.`},
				"guest_group.members[1].name": {"This field may not be blank."},
			}, nil},
		{"simplejwt", 401, `{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid or expired"}]}`,
			partnerkit.ErrUnauthorized, "token_not_valid", "Given token not valid for any token type", nil,
			&chekin.ErrorDetails{
				TokenMessages: []chekin.TokenMessage{{TokenClass: "AccessToken", TokenType: "access", Message: "Token is invalid or expired"}},
				Raw:           json.RawMessage(`{"messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid or expired"}]}`),
			}},
		{"a field named messages", 400, `{"messages":["This field is required."]}`,
			partnerkit.ErrInvalidRequest, "", "request validation failed", map[string][]string{"messages": {"This field is required."}}, nil},
		{"bare list", 400, `["Reservation is locked."]`, partnerkit.ErrInvalidRequest, "", "Reservation is locked.", nil, nil},
		{"no subscription", 402, `{"detail":"No valid subscription."}`, partnerkit.ErrForbidden, "", "No valid subscription.", nil, nil},
		{"throttled", 429, `{"detail":"Too Many Requests"}`, partnerkit.ErrRateLimited, "", "Too Many Requests", nil, nil},
		{"not json", 502, `<html>Bad Gateway</html>`, partnerkit.ErrServer, "", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			h.on(http.MethodPost, "/reservations/", tt.status, tt.body)
			_, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26"), HousingID: "h1"})
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.ErrorIs(t, err, tt.kind)
			require.Equal(t, "chekin", apiErr.Provider)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.code, apiErr.Code)
			require.Equal(t, tt.message, apiErr.Message)
			require.Equal(t, tt.fields, apiErr.FieldErrors)
			require.Equal(t, "/reservations/", apiErr.Path)
			require.Equal(t, http.MethodPost, apiErr.Method)
			if tt.details == nil {
				require.Nil(t, apiErr.Details, "nothing beyond a message, a code and field errors: Details is nil")
			} else {
				d, ok := partnerkit.DetailsOf[*chekin.ErrorDetails](err)
				require.True(t, ok, "Details is *chekin.ErrorDetails, got %T", apiErr.Details)
				require.Equal(t, tt.details.TokenMessages, d.TokenMessages)
				require.JSONEq(t, string(tt.details.Raw), string(d.Raw))
			}
		})
	}
}

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := func(edit func(*chekin.ReservationCreateParams)) *chekin.ReservationCreateParams {
		r := &chekin.ReservationCreateParams{CheckIn: date("2025-06-25"), CheckOut: date("2025-06-30"), HousingID: "8ecaf8888f844a049c60da1d7b0d3f1d"}
		edit(r)
		return r
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"nil housing", func() error { _, err := h.c.Housings.Create(ctx, nil); return err }, "params"},
		{"housing name", func() error { _, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: " "}); return err }, "Name"},
		{"housing type with police", func() error {
			_, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "A", PoliceAccount: &chekin.PoliceAccount{Type: "POL"}})
			return err
		}, "Type"},
		{"housing id with a slash", func() error { _, err := h.c.Housings.Get(ctx, "a/../b"); return err }, "id"},
		{"housing id missing", func() error { return h.c.Housings.Delete(ctx, "") }, "id"},
		{"empty housing update", func() error { _, err := h.c.Housings.Update(ctx, "h1", &chekin.HousingUpdateParams{}); return err }, "params"},
		{"blank housing name update", func() error {
			_, err := h.c.Housings.Update(ctx, "h1", &chekin.HousingUpdateParams{Name: ptr("")})
			return err
		}, "Name"},
		{"negative page", func() error {
			_, err := h.c.Housings.List(ctx, &chekin.HousingListParams{Page: -1})
			return err
		}, "Page"},
		{"negative limit", func() error {
			_, err := h.c.Webhooks.List(ctx, &chekin.WebhookListParams{Limit: -1})
			return err
		}, "Limit"},
		{"nil webhook", func() error { _, err := h.c.Webhooks.Create(ctx, nil); return err }, "params"},
		{"nil reservation", func() error { _, err := h.c.Reservations.Create(ctx, nil); return err }, "params"},
		{"check-in missing", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.CheckIn = partnerkit.Date{} }))
			return err
		}, "CheckIn"},
		{"impossible date", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.CheckOut = partnerkit.NewDate(2025, 2, 30) }))
			return err
		}, "CheckOut"},
		{"check-out not after check-in", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.CheckOut = r.CheckIn }))
			return err
		}, "CheckOut"},
		{"housing missing", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.HousingID = "" }))
			return err
		}, "HousingID"},
		{"both housings", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.Housing = &chekin.HousingCreateParams{Name: "A"} }))
			return err
		}, "Housing"},
		{"inline housing name", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) {
				r.HousingID, r.Housing = "", &chekin.HousingCreateParams{}
			}))
			return err
		}, "Housing.Name"},
		{"invite email", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.DefaultInviteEmail = "guest@" }))
			return err
		}, "DefaultInviteEmail"},
		{"phone", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.DefaultPhoneNumber = "call me" }))
			return err
		}, "DefaultPhoneNumber"},
		{"guests", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.GuestGroup = &chekin.ExpectedGuests{} }))
			return err
		}, "GuestGroup.NumberOfGuests"},
		{"price", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.Price = "-1" }))
			return err
		}, "Price"},
		{"price not a number", func() error {
			_, err := h.c.Reservations.Create(ctx, res(func(r *chekin.ReservationCreateParams) { r.Price = "12,50" }))
			return err
		}, "Price"},
		{"update deposit", func() error {
			_, err := h.c.Reservations.Update(ctx, "r1", &chekin.ReservationUpdateParams{Deposit: ptr(partnerkit.Number("-5"))})
			return err
		}, "Deposit"},
		{"empty reservation update", func() error {
			_, err := h.c.Reservations.Update(ctx, "r1", &chekin.ReservationUpdateParams{})
			return err
		}, "params"},
		{"update dates order", func() error {
			_, err := h.c.Reservations.Update(ctx, "r1", &chekin.ReservationUpdateParams{CheckIn: ptr(date("2025-06-25")), CheckOut: ptr(date("2025-06-24"))})
			return err
		}, "CheckOut"},
		{"reservation id", func() error { _, err := h.c.Reservations.Get(ctx, "r 1"); return err }, "id"},
		{"resend id", func() error { return h.c.Reservations.ResendToPolice(ctx, "") }, "id"},
		{"guest id", func() error { _, err := h.c.Guests.Get(ctx, "?x"); return err }, "id"},
		{"empty guest update", func() error { _, err := h.c.Guests.Update(ctx, "g1", &chekin.GuestUpdateParams{}); return err }, "params"},
		{"guest nationality", func() error {
			_, err := h.c.Guests.Update(ctx, "g1", &chekin.GuestUpdateParams{Nationality: ptr("Spain")})
			return err
		}, "Nationality"},
		{"guest document", func() error {
			_, err := h.c.Guests.Update(ctx, "g1", &chekin.GuestUpdateParams{Document: &chekin.DocumentChanges{IssueDate: ptr(partnerkit.NewDate(2020, 13, 1))}})
			return err
		}, "Document.IssueDate"},
		{"guest group id", func() error { _, err := h.c.GuestGroups.Get(ctx, ""); return err }, "id"},
		{"webhook url", func() error {
			_, err := h.c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: "not-a-url", Event: chekin.EventGuestCreated})
			return err
		}, "URL"},
		{"webhook event", func() error {
			_, err := h.c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: "https://pms.example.com/hook", Event: ""})
			return err
		}, "Event"},
		{"webhook id", func() error { return h.c.Webhooks.Delete(ctx, "") }, "id"},
		{"old password", func() error { _, err := h.c.Users.ChangePassword(ctx, "", "new-password"); return err }, "oldPassword"},
		{"same password", func() error { _, err := h.c.Users.ChangePassword(ctx, password, password); return err }, "newPassword"},
	}
	for _, tt := range tests {
		err := tt.call()
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, tt.name)
		var ve *partnerkit.ValidationError
		require.True(t, errors.As(err, &ve), tt.name)
		require.Equal(t, tt.field, ve.Field, tt.name)
	}
	n := 0
	for _, err := range h.c.Reservations.All(ctx, &chekin.ReservationListParams{Page: -2}) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	require.Equal(t, 1, n)
	require.Zero(t, h.mock.GetTotalCallCount(), "nothing was sent, not even a login")
}

func TestNewRejectsBadArguments(t *testing.T) {
	t.Parallel()
	_, err := chekin.New("", password)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.New("not-an-email", password)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.New(email, "")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.New(email, password, partnerkit.WithBaseURL("not a url"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.New(email, password, chekin.WithTokenMargin(-time.Second))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.Register(ctx, &chekin.RegisterParams{Email: email, Password: password})
	var ve *partnerkit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "Origin", ve.Field)
}
