package chekin_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/chekin"
)

// Answers in the documented forms, from CheKin's integration guide and its
// public documents: check-in and check-out as date-times with a time of
// day, counts sent as strings, the documented nulls.
const (
	documentedHousing = `{"id":"8ecaf8888f844a049c60da1d7b0d3f1d","url":"https://a.chekin.io/api/v3/housings/8ecaf888-8f84-4a04-9c60-da1d7b0d3f1d/",
"type":"HOU","name":"Amazing Housing","location":{"country":"ES","community":"ES-AN","province":"ES-AL","address":"housing address"},
"police_account":{"id":"5f0c2b0e5ad84a6c9b1d3a1e1f0e9c8d","type":"POL","username":"hotel-user","external_name":"Hotel","external_id":"H-7"},"external_id":"pms-42"}`

	documentedGuest = `{"id":"3cdcede6af45448ebaf28315d09ceec2","phone":"","full_name":"MARTIN PEREZ","name":"MARTIN","surname":"PEREZ",
"second_surname":"","gender":"M","birth_date":"1984-08-11","language":"eng","nationality":{"code":"AR","alpha_3":"ARG","name":"Argentina"},
"names":{"name":"MARTIN","surname":"PEREZ","second_surname":""},
"document":{"id":"629a8c349cd146199ff32d4d550f9e71","type":"P","number":"AAA875441","issue_date":"2012-05-17","type_str":"Passport","issue_place":"Roma"},
"status":"COMPLETE","status_display":"All the necessary data are filled in",
"statuses":{"police":{"in":{"code":"COMPLETE","label":"Sent","details":{"sent_at":"2025-06-25"}},"out":{"code":"NOT_USED","label":"Not used","details":null}},
"statistics":{"in":{"code":"ERROR","label":"Error","details":"bad document"},"out":{"code":"NEW","label":"New","details":null}}},
"residence_city":"ROMA","tax_exemption":null}`

	documentedGroup = `{"id":"4707a97810504e8084b8b16f6f22f298","url":"https://a.chekin.io/api/v3/guest-groups/4707a978-1050-4e80-84b8-b16f6f22f298/",
"number_of_guests":"2","members":[` + documentedGuest + `],"leader_id":"3cdcede6af45448ebaf28315d09ceec2","type":"G"}`

	documentedReservation = `{"id":"c4f529e7ad5c4c96a6dd6c3d61072705","url":"https://a.chekin.io/api/v3/reservations/c4f529e7-ad5c-4c96-a6dd-6c3d61072705/",
"housing_id":"8ecaf8888f844a049c60da1d7b0d3f1d","housing":` + documentedHousing + `,
"check_in_date":"2019-10-31T15:00:00+01:00","check_out_date":"2019-11-02T11:30:00Z","nights_of_stay":"2",
"default_leader_full_name":"Name Surname","default_invite_email":"some.email@example.org","default_phone_number":"+34600000000",
"default_email_language":"es","booking_reference":"BK-1","external_id":"pms-r-1","source_name":"Partner","price":"120.50","deposit":null,
"signup_form_link":"http://a.chekin.io/L/AbCd","guest_group":` + documentedGroup + `}`

	documentedPage = `{"count":5,"next":null,"previous":null,"results":[` + documentedReservation + `]}`

	documentedLinkedPage = `{"count":25,"next":"https://a.chekin.io/api/v3/housings/?page=3","previous":"https://a.chekin.io/api/v3/housings/","results":[` + documentedHousing + `]}`

	documentedWebhook = `{"id":"5adecfc46a6c4b72a15c98fe0e96b048","event":"Guest.created","target":"https://your.domain.con/target-endpoint/"}`

	documentedEvent = `{"hook":{"id":"fab8af5dd0074d04a42395d00890c310","event":"Guest.created","target":"http://example.org/target-url/"},
"data":{"reservation_id":"620186f602de439faffb6caa71b5014e","guest_id":"3cdcede6af45448ebaf28315d09ceec2","guest_origin":"CH_ONLINE"}}`

	documentedUser = `{"id":"2a0f1613bc614813a69a520c9b48f51c","name":"","surname":"","first_name":"","email":"username@email.host"}`
)

// TestDocumentedFieldsSurviveDecodeAndReencode decodes each documented
// answer into its type and encodes it again: every field of the answer is
// there with the same value (a count sent as "2" may come back as 2), nulls
// stay null, and the check-in and check-out keep their time of day and
// zone.
func TestDocumentedFieldsSurviveDecodeAndReencode(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body string
		into any
	}{
		"housing":       {documentedHousing, new(chekin.Housing)},
		"guest":         {documentedGuest, new(chekin.Guest)},
		"guest group":   {documentedGroup, new(chekin.GuestGroup)},
		"reservation":   {documentedReservation, new(chekin.Reservation)},
		"page":          {documentedPage, new(chekin.Page[chekin.Reservation])},
		"page of links": {documentedLinkedPage, new(chekin.Page[chekin.Housing])},
		"webhook":       {documentedWebhook, new(chekin.Webhook)},
		"user":          {documentedUser, new(chekin.User)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, json.Unmarshal([]byte(tc.body), tc.into))
			again, err := json.Marshal(tc.into)
			require.NoError(t, err)
			requireSameLeaves(t, tc.body, string(again))
		})
	}
	e, err := chekin.ParseEvent([]byte(documentedEvent))
	require.NoError(t, err)
	again, err := json.Marshal(e)
	require.NoError(t, err)
	requireSameLeaves(t, documentedEvent, string(again))
}

// requireSameLeaves fails unless every leaf (scalar or null) of want is in
// got at the same path with the same value; numbers and numbers written as
// strings compare by value.
func requireSameLeaves(t *testing.T, want, got string) {
	t.Helper()
	wantLeaves, gotLeaves := leaves(t, want), leaves(t, got)
	paths := make([]string, 0, len(wantLeaves))
	for p := range wantLeaves {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		g, ok := gotLeaves[p]
		require.True(t, ok, "%s is lost; encoded again: %s", p, got)
		require.True(t, sameScalar(wantLeaves[p], g), "%s: sent %#v, encoded again as %#v", p, wantLeaves[p], g)
	}
}

func leaves(t *testing.T, doc string) map[string]any {
	t.Helper()
	var v any
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	require.NoError(t, d.Decode(&v))
	out := map[string]any{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, inner := range t {
				walk(path+"."+k, inner)
			}
		case []any:
			for i, inner := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), inner)
			}
		default:
			out[path] = v
		}
	}
	walk("", v)
	return out
}

func sameScalar(want, got any) bool {
	if want == got {
		return true
	}
	wf, wok := number(want)
	gf, gok := number(got)
	return wok && gok && wf == gf
}

// number reads a JSON number, or a string holding one.
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}
