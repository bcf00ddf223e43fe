package chekintest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ---- housings ----

func (s *Server) createHousing(c *call) {
	h := &housing{Owner: c.user.Email}
	if !s.applyHousing(c, h, true) {
		return
	}
	h.ID = s.newID("housing")
	s.housings[h.ID] = h
	writeJSON(c.w, http.StatusCreated, s.renderHousing(c, h))
}

// applyHousing copies the housing fields of body into h, answering 400 and
// returning false when they are not valid.
func (s *Server) applyHousing(c *call, h *housing, create bool) bool {
	return s.applyHousingFields(c.w, c.body, h, create, "")
}

func (s *Server) applyHousingFields(w http.ResponseWriter, body map[string]any, h *housing, create bool, prefix string) bool {
	errs := map[string]any{}
	if v, ok := body["name"]; ok || create {
		if name, _ := v.(string); strings.TrimSpace(name) != "" {
			h.Name = name
		} else {
			errs["name"] = []string{"This field is required."}
		}
	}
	if v, ok := body["type"]; ok {
		t, _ := v.(string)
		if t != "HOU" && t != "HOT" {
			errs["type"] = []string{fmt.Sprintf("%q is not a valid choice.", t)}
		}
		h.Type = t
	}
	if v, ok := body["location"].(map[string]any); ok {
		if country, ok := v["country"].(string); ok && (len(country) != 2 || strings.ToUpper(country) != country) {
			errs["location"] = map[string]any{"country": []string{fmt.Sprintf("%q is not a valid choice.", country)}}
		}
		h.Location = v
	}
	if v, ok := body["police_account"].(map[string]any); ok {
		h.PoliceAccount = v
		if h.Type == "" {
			errs["type"] = []string{"The housing type is required to connect a police account."}
		}
	}
	if v, ok := body["external_id"].(string); ok {
		h.ExternalID = v
	}
	if len(errs) > 0 {
		if prefix != "" {
			errs = map[string]any{prefix: errs}
		}
		fieldErrors(w, errs)
		return false
	}
	return true
}

func (s *Server) renderHousing(c *call, h *housing) map[string]any {
	var police any
	if h.PoliceAccount != nil {
		p := map[string]any{"id": "p" + h.ID[1:]}
		for k, v := range h.PoliceAccount {
			if k != "password" && k != "certificate_password" {
				p[k] = v
			}
		}
		police = p
	}
	loc := h.Location
	if loc == nil {
		loc = map[string]any{}
	}
	return map[string]any{
		"id": h.ID, "url": c.base + "/housings/" + dashed(h.ID) + "/", "name": h.Name, "type": h.Type,
		"location": loc, "police_account": police, "external_id": h.ExternalID,
	}
}

func (s *Server) updateHousing(c *call, h *housing) {
	updated := *h
	if !s.applyHousing(c, &updated, false) {
		return
	}
	*h = updated
	writeJSON(c.w, http.StatusOK, s.renderHousing(c, h))
}

func (s *Server) deleteHousing(h *housing) {
	delete(s.housings, h.ID)
	for id, r := range s.reservations {
		if r.HousingID == h.ID {
			s.deleteReservation(s.reservations[id])
		}
	}
}

// ---- reservations ----

// reservationFields are the fields kept as sent and returned as they are.
var reservationFields = []string{
	"default_leader_full_name", "default_invite_email", "default_phone_number", "default_email_language",
	"booking_reference", "external_id", "source_name", "price", "deposit",
}

func parseDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func (s *Server) createReservation(c *call) {
	r := &reservation{Owner: c.user.Email, Fields: map[string]any{}}
	errs := map[string]any{}
	for _, k := range []string{"check_in_date", "check_out_date"} {
		if _, ok := c.body[k]; !ok {
			errs[k] = []string{"This field is required."}
		}
	}
	_, hasID := c.body["housing_id"]
	inline, hasInline := c.body["housing"].(map[string]any)
	if !hasID && !hasInline {
		errs["housing_id"] = []string{"This field is required."}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return
	}
	if !s.applyReservation(c, r) {
		return
	}
	if hasInline {
		h := &housing{Owner: c.user.Email}
		if !s.applyHousingFields(c.w, inline, h, true, "housing") {
			return
		}
		h.ID = s.newID("housing")
		s.housings[h.ID] = h
		r.HousingID = h.ID
	}
	r.ID = s.newID("reservation")
	g := &group{ID: s.newID("group"), ReservationID: r.ID, Number: 1}
	if gg, ok := c.body["guest_group"].(map[string]any); ok {
		if n, ok := gg["number_of_guests"].(float64); ok && n >= 1 {
			g.Number = int(n)
		}
	}
	r.GroupID = g.ID
	r.Link = c.base + "/L/" + r.ID[:10]
	s.groups[g.ID] = g
	s.reservations[r.ID] = r
	writeJSON(c.w, http.StatusCreated, s.renderReservation(c, r))
}

// applyReservation copies the reservation fields of the body into r.
func (s *Server) applyReservation(c *call, r *reservation) bool {
	errs := map[string]any{}
	in, out := r.CheckIn, r.CheckOut
	if v, ok := c.body["check_in_date"]; ok {
		if t, ok := parseDate(v); ok {
			in = t
		} else {
			errs["check_in_date"] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
		}
	}
	if v, ok := c.body["check_out_date"]; ok {
		if t, ok := parseDate(v); ok {
			out = t
		} else {
			errs["check_out_date"] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
		}
	}
	if v, ok := c.body["housing_id"]; ok {
		id, _ := v.(string)
		h := s.housings[normalID(id)]
		if h == nil || h.Owner != c.user.Email {
			errs["housing_id"] = []string{fmt.Sprintf("Invalid pk %q - object does not exist.", id)}
		} else {
			r.HousingID = h.ID
		}
	}
	if email, ok := c.body["default_invite_email"].(string); ok && email != "" && !strings.Contains(email, "@") {
		errs["default_invite_email"] = []string{"Enter a valid email address."}
	}
	if len(errs) == 0 && !out.After(in) {
		errs["non_field_errors"] = []string{"Check-out date must be after check-in date."}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return false
	}
	r.CheckIn, r.CheckOut = in, out
	for _, k := range reservationFields {
		if v, ok := c.body[k]; ok {
			r.Fields[k] = v
		}
	}
	return true
}

func (s *Server) renderReservation(c *call, r *reservation) map[string]any {
	out := map[string]any{
		"id": r.ID, "url": c.base + "/reservations/" + dashed(r.ID) + "/",
		"check_in_date":    r.CheckIn.Format(time.RFC3339),
		"check_out_date":   r.CheckOut.Format(time.RFC3339),
		"nights_of_stay":   int(r.CheckOut.Sub(r.CheckIn).Hours() / 24),
		"signup_form_link": r.Link,
		"guest_group":      s.renderGroup(c, s.groups[r.GroupID]),
	}
	for _, k := range reservationFields {
		out[k] = r.Fields[k]
		if out[k] == nil && k != "price" && k != "deposit" {
			out[k] = ""
		}
	}
	if h := s.housings[r.HousingID]; h != nil {
		out["housing"] = map[string]any{"id": h.ID, "name": h.Name, "type": h.Type}
	}
	return out
}

func (s *Server) updateReservation(c *call, r *reservation) {
	updated := *r
	updated.Fields = map[string]any{}
	for k, v := range r.Fields {
		updated.Fields[k] = v
	}
	if !s.applyReservation(c, &updated) {
		return
	}
	*r = updated
	writeJSON(c.w, http.StatusOK, s.renderReservation(c, r))
}

func (s *Server) deleteReservation(r *reservation) {
	if g := s.groups[r.GroupID]; g != nil {
		for _, id := range g.Members {
			delete(s.guests, id)
		}
		delete(s.groups, g.ID)
	}
	delete(s.reservations, r.ID)
}

// ---- guests ----

var countries = map[string][2]string{
	"AR": {"ARG", "Argentina"}, "DE": {"DEU", "Germany"}, "ES": {"ESP", "Spain"}, "FR": {"FRA", "France"},
	"GB": {"GBR", "United Kingdom"}, "IT": {"ITA", "Italy"}, "PT": {"PRT", "Portugal"}, "US": {"USA", "United States"},
}

var documentTypes = map[string]string{"P": "Passport", "I": "Identity card", "C": "Driving licence"}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func (s *Server) newGuest(r *reservation, g Guest) *guest {
	grp := s.groups[r.GroupID]
	gu := &guest{
		ID: s.newID("guest"), GroupID: grp.ID, ReservationID: r.ID, Origin: or(g.Origin, "CH_ONLINE"),
		DocumentID: s.newID("document"),
		Fields: map[string]any{
			"name": strings.ToUpper(or(g.Name, "MARTIN")), "surname": strings.ToUpper(or(g.Surname, "PEREZ")),
			"second_surname": strings.ToUpper(g.SecondSurname), "gender": or(g.Gender, "M"),
			"birth_date": or(g.BirthDate, "1984-08-11"), "nationality": or(g.Nationality, "ES"),
			"email": g.Email, "phone": g.Phone, "language": "eng",
		},
		Document: map[string]any{
			"type": or(g.DocumentType, "P"), "number": or(g.DocumentNumber, "AAA875441"), "issue_date": "2018-05-17",
		},
	}
	s.guests[gu.ID] = gu
	grp.Members = append(grp.Members, gu.ID)
	if len(grp.Members) > grp.Number {
		grp.Number = len(grp.Members)
	}
	return gu
}

func (s *Server) renderGuest(c *call, g *guest) map[string]any {
	f := g.Fields
	name, surname, second := fmt.Sprint(f["name"]), fmt.Sprint(f["surname"]), fmt.Sprint(f["second_surname"])
	full := strings.TrimSpace(strings.Join([]string{name, surname, second}, " "))
	code := fmt.Sprint(f["nationality"])
	country := countries[code]
	doc := map[string]any{"id": g.DocumentID, "type_str": documentTypes[fmt.Sprint(g.Document["type"])]}
	for k, v := range g.Document {
		doc[k] = v
	}
	notUsed := map[string]any{"code": "NOT_USED", "label": "Not used", "details": nil}
	return map[string]any{
		"id": g.ID, "url": c.base + "/guests/" + dashed(g.ID) + "/",
		"full_name": full, "name": name, "surname": surname, "second_surname": second,
		"gender": f["gender"], "birth_date": f["birth_date"], "language": f["language"],
		"email": f["email"], "phone": f["phone"],
		"nationality": map[string]any{"code": code, "alpha_3": country[0], "name": country[1]},
		"names":       map[string]any{"name": name, "surname": surname},
		"document":    doc,
		"status":      "COMPLETE", "status_display": "All the necessary data are filled in",
		"statuses": map[string]any{
			"police":     map[string]any{"in": notUsed, "out": notUsed},
			"statistics": map[string]any{"in": notUsed, "out": notUsed},
		},
		"origin":         g.Origin,
		"reservation_id": g.ReservationID,
	}
}

func (s *Server) updateGuest(c *call, g *guest) {
	errs := map[string]any{}
	fields := map[string]any{}
	for _, k := range []string{"name", "surname", "second_surname", "gender", "email", "phone", "language", "nationality", "birth_date"} {
		v, ok := c.body[k]
		if !ok {
			continue
		}
		text, _ := v.(string)
		switch k {
		case "birth_date":
			if _, ok := parseDate(text); !ok {
				errs[k] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
			}
		case "nationality":
			if len(text) != 2 {
				errs[k] = []string{fmt.Sprintf("%q is not a valid choice.", text)}
			}
		case "name", "surname", "second_surname":
			text = strings.ToUpper(text)
		}
		fields[k] = text
	}
	if full, ok := c.body["full_name"].(string); ok {
		if parts := strings.Fields(strings.ToUpper(full)); len(parts) > 0 {
			fields["name"] = parts[0]
			fields["surname"] = strings.Join(parts[1:], " ")
			fields["second_surname"] = ""
		}
	}
	doc, _ := c.body["document"].(map[string]any)
	if d, ok := doc["issue_date"]; ok {
		if _, ok := parseDate(d); !ok {
			errs["document"] = map[string]any{"issue_date": []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}
		}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return
	}
	for k, v := range fields {
		g.Fields[k] = v
	}
	for k, v := range doc {
		g.Document[k] = v
	}
	writeJSON(c.w, http.StatusOK, s.renderGuest(c, g))
}

func (s *Server) renderGroup(c *call, g *group) map[string]any {
	members := make([]any, 0, len(g.Members))
	for _, id := range g.Members {
		if gu := s.guests[id]; gu != nil {
			members = append(members, s.renderGuest(c, gu))
		}
	}
	var leader any
	if len(g.Members) > 0 {
		leader = g.Members[0]
	}
	return map[string]any{
		"id": g.ID, "url": c.base + "/guest-groups/" + dashed(g.ID) + "/",
		"number_of_guests": g.Number, "members": members, "leader_id": leader, "type": "G",
	}
}

// ---- webhooks ----

func (s *Server) createWebhook(c *call) {
	if !required(c, "target", "event") {
		return
	}
	target := str(c.body, "target")
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fieldErrors(c.w, map[string]any{"target": []string{"Enter a valid URL."}})
		return
	}
	h := &webhook{ID: s.newID("webhook"), Owner: c.user.Email, Event: str(c.body, "event"), Target: target}
	s.webhooks[h.ID] = h
	writeJSON(c.w, http.StatusCreated, renderWebhook(h))
}

func renderWebhook(h *webhook) map[string]any {
	return map[string]any{"id": h.ID, "event": h.Event, "target": h.Target}
}
