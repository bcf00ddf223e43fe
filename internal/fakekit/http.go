package fakekit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// WriteJSON answers status with v as JSON, with its Content-Type and
// Content-Length.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "fakekit: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// NewDeliveryClient returns the client a fake delivers webhooks with when
// the test gives none: a 10-second timeout, and no idle connection left
// behind to outlive the test.
func NewDeliveryClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

// Deliver POSTs body, a JSON event, to target with c, as a provider
// delivers a webhook, and returns the receiver's status and the first 256
// bytes of its answer. The fake that calls it holds no lock: the receiver
// may call the fake.
func Deliver(ctx context.Context, c *http.Client, target, userAgent string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	return resp.StatusCode, string(text), nil
}
