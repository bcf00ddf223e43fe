package etelecomtest

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
)

// Entities of webhook events.
const (
	EntityCallLog     = "call_log"
	EntityZaloMessage = "zl_oa_message"
)

// webhook is a registered webhook and the outcome of its deliveries.
type webhook struct {
	ID        string   `json:"id"`
	Entities  []string `json:"entities"`
	Fields    []string `json:"fields"`
	URL       string   `json:"url"`
	Metadata  string   `json:"metadata"`
	CreatedAt string   `json:"created_at"`
	States    states   `json:"states"`
}

type states struct {
	State      string     `json:"state"`
	LastSentAt *string    `json:"last_sent_at"`
	LastError  *lastError `json:"last_error"`
}

// lastError is a failed delivery; its counts, int64s, written as strings.
type lastError struct {
	Error      string `json:"error"`
	RespBody   string `json:"resp_body"`
	RespStatus string `json:"resp_status"`
	Retried    string `json:"retried"`
	SentAt     string `json:"sent_at"`
}

func (s *Server) createWebhook(_ *http.Request, _ caller, in args) (any, *rpcError) {
	raw := in.str("url")
	if u, err := url.Parse(raw); raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("url", "must be an absolute http or https URL")
	}
	entities := in.strs("entities")
	if len(entities) == 0 {
		return nil, invalid("entities", "is required")
	}
	for _, e := range entities {
		if e != EntityCallLog && e != EntityZaloMessage {
			return nil, invalid("entities", "must be call_log or zl_oa_message")
		}
	}
	w := &webhook{ID: s.id(), Entities: entities, Fields: []string{}, URL: raw, CreatedAt: s.stamp(), States: states{State: "ok"}}
	s.webhooks = append(s.webhooks, w)
	return w, nil
}

func (s *Server) listWebhooks(*http.Request, caller, args) (any, *rpcError) {
	return map[string]any{"webhooks": orEmpty(s.webhooks)}, nil
}

func (s *Server) deleteWebhook(_ *http.Request, _ caller, in args) (any, *rpcError) {
	if err := in.require("id"); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(s.webhooks, func(w *webhook) bool { return w.ID == in.str("id") })
	if i < 0 {
		return nil, notFound("webhook not found")
	}
	s.webhooks = slices.Delete(s.webhooks, i, i+1)
	return map[string]any{"webhooks": orEmpty(s.webhooks)}, nil
}

// Call is a call that ended, for EndCall. Zero fields take defaults: an
// answered inbound call of 42 seconds from 0901234567 to 02873001234.
type Call struct {
	Caller, Callee string
	// Direction is in, out, ext, ext_in or ext_out.
	Direction string
	// CallState is answered or not_answered.
	CallState   string
	Duration    time.Duration
	ExtensionID string
	HotlineID   string
	UserID      string
}

func (s *Server) newCallLog(c Call, start time.Time) *callLog {
	end := start.Add(c.Duration)
	return &callLog{ID: s.id(), Caller: c.Caller, Callee: c.Callee, Direction: c.Direction, CallState: c.CallState,
		CallStatus: "P", Duration: int64s(int64(c.Duration / time.Second)),
		StartedAt: start.Format(time.RFC3339), EndedAt: end.Format(time.RFC3339), RecordingURLs: []string{},
		ExtensionID: c.ExtensionID, HotlineID: c.HotlineID, UserID: c.UserID,
		CreatedAt: end.Format(time.RFC3339), UpdatedAt: end.Format(time.RFC3339), started: start}
}

// EndCall records a call of the shop that ends now, first in its history,
// and POSTs a call_log event to every webhook that takes them, before it
// returns. It returns the call log's ID, or false when the shop does not
// exist.
func (s *Server) EndCall(shopID string, c Call) (string, bool) {
	c.Caller = cmp.Or(c.Caller, "0901234567")
	c.Callee = cmp.Or(c.Callee, "02873001234")
	c.Direction = cmp.Or(c.Direction, "in")
	c.CallState = cmp.Or(c.CallState, "answered")
	if c.Duration == 0 && c.CallState == "answered" {
		c.Duration = 42 * time.Second
	}
	s.mu.Lock()
	sh, ok := s.shops[shopID]
	if !ok {
		s.mu.Unlock()
		return "", false
	}
	l := s.newCallLog(c, s.clock().Add(-c.Duration).Truncate(time.Second))
	sh.callLogs = append([]*callLog{l}, sh.callLogs...)
	d := s.delivery(EntityCallLog, "create", l)
	s.mu.Unlock()
	s.deliver(d)
	return l.ID, true
}

// DeliverZNS records that a sent notification reached its recipient
// (status "received" or "seen") and POSTs a zl_oa_message event to every
// webhook that takes them, before it returns. It reports whether the
// message exists.
func (s *Server) DeliverZNS(messageID, status string) bool {
	s.mu.Lock()
	i := slices.IndexFunc(s.znsSent, func(m *znsMessage) bool { return m.ID == messageID })
	if i < 0 {
		s.mu.Unlock()
		return false
	}
	m := s.znsSent[i]
	m.DeliveryStatus, m.DeliveryTime, m.UpdatedAt = status, s.stamp(), s.stamp()
	d := s.delivery(EntityZaloMessage, "update", m)
	s.mu.Unlock()
	s.deliver(d)
	return true
}

// pending is one delivery to send: its body and the webhooks it goes to.
type pending struct {
	body    []byte
	targets []*webhook
}

// delivery builds the delivery of one event, with the lock held.
func (s *Server) delivery(entity, change string, object any) pending {
	body, _ := json.Marshal(map[string]any{"changes": []any{map[string]any{
		"entity": entity, "change_type": change, "time": s.stamp(), "latest": map[string]any{entity: object},
	}}})
	var targets []*webhook
	for _, w := range s.webhooks {
		if slices.Contains(w.Entities, entity) {
			targets = append(targets, w)
		}
	}
	return pending{body: body, targets: targets}
}

// deliver POSTs d to its webhooks, without the lock (a receiver may call
// the fake), and records each outcome in the webhook's states.
func (s *Server) deliver(d pending) {
	for _, w := range d.targets {
		s.mu.Lock()
		target := w.URL
		s.mu.Unlock()
		status, text, err := s.post(target, d.body)
		s.mu.Lock()
		now := s.stamp()
		w.States.LastSentAt = &now
		switch {
		case err == nil && status >= 200 && status < 300:
			w.States.State = "ok"
		default:
			w.States.State = "retry"
			e := &lastError{RespStatus: int64s(int64(status)), RespBody: text, Retried: int64s(0), SentAt: now}
			if err != nil {
				e.Error = err.Error()
			} else {
				e.Error = http.StatusText(status)
			}
			w.States.LastError = e
		}
		s.mu.Unlock()
	}
}

// post sends one delivery and returns the receiver's status and the start
// of its body.
func (s *Server) post(target string, body []byte) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return fakekit.Deliver(ctx, s.hc, target, "etelecomtest", body)
}
