package etelecomtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveSMS answers the SMS brandname API. Like eTelecom, it answers failures
// with HTTP 200 and a negative status.
func (s *Server) serveSMS(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var in struct {
		Username     string            `json:"username"`
		Password     string            `json:"password"`
		PhoneNumber  string            `json:"phonenumber"`
		RouteRule    json.RawMessage   `json:"routerule"`
		TemplateCode string            `json:"templatecode"`
		ListParam    map[string]string `json:"list_param"`
		ID           string            `json:"idOmniMess"`
	}
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(raw, &in); err != nil {
		writeJSON(w, http.StatusOK, smsFailure("-2", "the body must be a JSON object"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Username != SMSUsername || in.Password != SMSPassword {
		http.Error(w, "Can't access from this IP", http.StatusUnauthorized)
		return
	}
	if r.URL.Path == SMSStatusPath {
		rec, ok := s.sms[in.ID]
		if !ok {
			writeJSON(w, http.StatusOK, smsFailure("-2", "idOmniMess not found"))
			return
		}
		channel := map[string]string{"1": "ZNS", "2": "AUTOCALL", "3": "SMS"}[strings.TrimSpace(rec.channels[0])]
		writeJSON(w, http.StatusOK, map[string]any{"phonenumber": rec.Phone, "status": "SUCCESS", "channel": channel,
			"templatecode": rec.TemplateCode, "errorCode": "0", "mtcount": int64s(1), "createdatetime": rec.created.Format("02/01/2006 15:04:05")})
		return
	}
	rec := SMSRecord{Phone: in.PhoneNumber, TemplateCode: in.TemplateCode, Params: in.ListParam}
	var channels []string
	if json.Unmarshal(in.RouteRule, &rec.RouteRuleText) == nil {
		if rec.RouteRuleText != "" {
			channels = strings.Split(rec.RouteRuleText, ",")
		}
	} else if json.Unmarshal(in.RouteRule, &rec.RouteRule) == nil {
		channels = rec.RouteRule
	}
	switch {
	case !strings.HasPrefix(in.PhoneNumber, "84") || len(in.PhoneNumber) < 10 || len(in.PhoneNumber) > 12 || strings.Trim(in.PhoneNumber, "0123456789") != "":
		writeJSON(w, http.StatusOK, smsFailure("-1", "Sai dinh dang so dien thoai"))
	case len(channels) == 0 || in.TemplateCode == "":
		writeJSON(w, http.StatusOK, smsFailure("-2", "Sai tham so"))
	case !validRoute(channels):
		writeJSON(w, http.StatusOK, smsFailure("-8", "Khong co route"))
	case in.TemplateCode != SMSTemplate:
		writeJSON(w, http.StatusOK, smsFailure("-6", "Khong tim thay template"))
	case s.smsBalance <= 0:
		writeJSON(w, http.StatusOK, smsFailure("-3", "Het tin nhan"))
	default:
		s.smsBalance--
		rec.ID = randomText(8) + "-" + randomText(4)
		id := rec.ID
		s.sms[id] = &smsRecord{SMSRecord: rec, channels: channels, created: s.clock()}
		s.smsOrder = append(s.smsOrder, id)
		writeJSON(w, http.StatusOK, map[string]any{"status": "1", "code": "Success", "idOmniMess": id})
	}
}

func smsFailure(status, message string) map[string]any {
	return map[string]any{"status": status, "code": "Fail", "message": message}
}

// validRoute accepts channels 1, 2 and 3.
func validRoute(channels []string) bool {
	for _, part := range channels {
		switch strings.TrimSpace(part) {
		case "1", "2", "3":
		default:
			return false
		}
	}
	return true
}

type smsRecord struct {
	SMSRecord
	channels []string
	created  time.Time
}

// SMSRecord is an SMS brandname message the fake accepted.
type SMSRecord struct {
	ID    string
	Phone string
	// RouteRule is the route rule sent as a list, RouteRuleText as a
	// string.
	RouteRule     []string
	RouteRuleText string
	TemplateCode  string
	Params        map[string]string
}

// SMSSent returns the SMS messages accepted so far, oldest first.
func (s *Server) SMSSent() []SMSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SMSRecord, 0, len(s.smsOrder))
	for _, id := range s.smsOrder {
		out = append(out, s.sms[id].SMSRecord)
	}
	return out
}
