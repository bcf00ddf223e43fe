package transport

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// limiterOf returns the limiter of a client and the quotas it is told: the
// caller's Limiter or an in-process one, and the provider's documented
// quotas, the caller's single quota, or none.
func limiterOf(spec Spec, cfg *config.Config) (partnerkit.Limiter, []partnerkit.Quota) {
	var quotas []partnerkit.Quota
	switch {
	case cfg.RateLimitOff:
	case cfg.RateLimit > 0:
		quotas = []partnerkit.Quota{{Limit: cfg.RateLimit, Per: cfg.RatePer}}
	default:
		quotas = spec.Quotas
	}
	if l, ok := config.Lookup[partnerkit.Limiter](cfg); ok {
		return l, quotas
	}
	return ratelimit.New(cfg.Clock), quotas
}

// limitRequest describes to the limiter the attempts of one call on route
// carrying auth's credentials.
func (c *Client) limitRequest(route string, auth Auth) *partnerkit.LimitRequest {
	return &partnerkit.LimitRequest{
		Provider:   c.spec.Provider,
		Credential: auth.Identity(),
		Route:      route,
		Quotas:     c.quotas,
		Window:     c.spec.WindowLength,
		Gate:       c.spec.Gate,
		MaxWait:    c.policy.MaxWait,
		Learn:      c.learn,
	}
}

// feedback tells the limiter what an answer said about rate limits.
func (c *Client) feedback(resp Response, o Outcome) partnerkit.LimitFeedback {
	fb := partnerkit.LimitFeedback{Time: o.Now, StatusCode: resp.StatusCode}
	if resp.Header == nil {
		return fb
	}
	fb.Windows = ratelimit.ParseHeaders(resp.Header, o.Now)
	if o.rateLimited() {
		fb.RateLimited = true
		fb.RetryAfter, _ = serverWait(o)
	}
	return fb
}

// Identity returns the digest that names a credential to a limiter: the
// first 128 bits of SHA-256 over the parts, in hex. The credential cannot be
// recovered from it.
func Identity(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
