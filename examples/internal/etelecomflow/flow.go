// Package etelecomflow connects a merchant's shop to the partner on
// eTelecom, then acts as that shop: it lists the shop's recent calls,
// receives eTelecom's webhook events and sends a Zalo notification (ZNS).
package etelecomflow

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// LoginTimeout bounds the wait for the merchant to log in at eTelecom and
// come back through the callback.
const LoginTimeout = 90 * time.Second

// WebhookWait bounds the wait for an event from a real eTelecom, unless
// ETELECOM_WEBHOOK_WAIT (a duration such as 5m) says otherwise.
const WebhookWait = 30 * time.Second

// cleanupTimeout bounds the removal of what the flow registered.
const cleanupTimeout = 15 * time.Second

// Paths of the local server: the callback eTelecom redirects the merchant
// to, and the webhook receiver.
const (
	CallbackPath = "/etelecom/callback"
	EventsPath   = "/etelecom/events"
)

// Run connects a shop and acts as it, writing what it does to w.
//
// Environment: ETELECOM_API_KEY and ETELECOM_BASE_URL (such as
// https://api-sandbox.etelecom.vn/v1/partner); none set means the built-in
// fake. Against a real server: ETELECOM_SHOP_ID reconnects a known shop,
// else ETELECOM_SHOP_EMAIL, ETELECOM_SHOP_PHONE and ETELECOM_SHOP_NAME
// describe a new one; ETELECOM_ZNS_TEMPLATE_ID and ETELECOM_ZNS_PHONE enable
// the ZNS (sent in development mode, to the OA's administrators only);
// ETELECOM_WEBHOOK_WAIT bounds the wait for an event.
func Run(ctx context.Context, w io.Writer) (err error) {
	var fake *etelecomtest.Server
	target, err := demo.Resolve(w, "eTelecom", "ETELECOM_BASE_URL", []string{"ETELECOM_API_KEY"}, func() http.Handler {
		fake = etelecomtest.New()
		return fake
	})
	if err != nil {
		return err
	}
	defer target.Close()

	key, base := demo.Env("ETELECOM_API_KEY"), target.BaseURL
	if target.Fake {
		key, base = etelecomtest.APIKey, target.BaseURL+etelecomtest.BasePath
	}
	opts := demo.Options(ctx)
	if base != "" {
		opts = append(opts, partnerkit.WithBaseURL(base))
	}
	c, err := etelecom.New(key, opts...)
	if err != nil {
		return err
	}
	wait := WebhookWait
	if v := demo.Env("ETELECOM_WEBHOOK_WAIT"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 {
			return fmt.Errorf("ETELECOM_WEBHOOK_WAIT must be a duration such as 5m, got %q", v)
		}
	}

	// Whatever happens next, remove what this run registered.
	var cleanups []func(context.Context) error
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		for i := len(cleanups) - 1; i >= 0; i-- {
			if cerr := cleanups[i](cctx); cerr != nil {
				fmt.Fprintf(w, "cleanup: %v\n", cerr)
				err = errors.Join(err, cerr)
			}
		}
	}()

	loc, err := startLocal()
	if err != nil {
		return err
	}
	defer loc.Close()

	shopID, auth, err := connect(ctx, w, c, loc, target.Fake)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "shop key received (store it with the shop; it does not expire)")
	shop, err := c.ForShop(auth.ShopKey())
	if err != nil {
		return err
	}
	cur, err := shop.Shops.Current(ctx)
	if err != nil {
		return fmt.Errorf("checking the shop key: %w", err)
	}
	fmt.Fprintf(w, "acting as shop %q (%s)\n", cur.Name, cur.ID)

	if err := listCalls(ctx, w, shop); err != nil {
		return err
	}

	hookURL, err := etelecom.WebhookURL(loc.URL+EventsPath, loc.secret)
	if err != nil {
		return err
	}
	hook, err := c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: hookURL, Entities: []string{etelecom.EntityCallLog, etelecom.EntityZaloMessage}})
	if err != nil {
		return fmt.Errorf("registering the webhook: %w", err)
	}
	if err := demo.Check(hook.ID != "", "the new webhook has no id"); err != nil {
		return err
	}
	cleanups = append(cleanups, func(ctx context.Context) error { return c.Webhooks.Delete(ctx, hook.ID) })
	fmt.Fprintf(w, "webhook %s registered for %v at %s (state %s)\n", hook.ID, hook.Entities, loc.URL+EventsPath, hook.States.State)

	if fake != nil {
		if _, ok := fake.EndCall(string(shopID), etelecomtest.Call{Caller: "0987654321", Duration: 95 * time.Second}); !ok {
			return demo.Check(false, "the fake does not know shop %s", shopID)
		}
		fmt.Fprintln(w, "the fake ended a call, as if the merchant had taken one")
		if err := printEvent(ctx, w, loc, etelecom.EntityCallLog, time.Second); err != nil {
			return err
		}
	}

	msgID, err := sendZNS(ctx, w, shop, fake != nil)
	if err != nil {
		return err
	}
	if fake == nil {
		fmt.Fprintf(w, "waiting up to %s for an event (a hosted eTelecom reaches this receiver only if %s is reachable from it)\n", wait, loc.URL)
		return printEvent(ctx, w, loc, "", wait)
	}
	if msgID != "" {
		fake.DeliverZNS(string(msgID), etelecom.DeliveryReceived)
		fmt.Fprintln(w, "the fake delivered the ZNS to the recipient's phone")
		return printEvent(ctx, w, loc, etelecom.EntityZaloMessage, time.Second)
	}
	return nil
}

// connect runs the shop connection: a known shop (ETELECOM_SHOP_ID) or a
// new one, then as many logins as eTelecom asks for (at most two).
func connect(ctx context.Context, w io.Writer, c *etelecom.Client, loc *local, fake bool) (partnerkit.ID, *etelecom.Authorization, error) {
	state := loc.expect()
	redirectURL := loc.URL + CallbackPath + "?" + url.Values{etelecom.StateParam: {state}}.Encode()
	var auth *etelecom.Authorization
	var err error
	shopID := partnerkit.ID(demo.Env("ETELECOM_SHOP_ID"))
	if shopID != "" && !fake {
		auth, err = c.Shops.Reauthorize(ctx, shopID, redirectURL)
	} else {
		p := &etelecom.ShopAuthorizeParams{Email: "demo-shop@example.com", Phone: "0901234567", Name: "partnerkit demo shop", RedirectURL: redirectURL}
		if !fake {
			p.Email = cmp.Or(demo.Env("ETELECOM_SHOP_EMAIL"), p.Email)
			p.Phone = cmp.Or(demo.Env("ETELECOM_SHOP_PHONE"), p.Phone)
			p.Name = cmp.Or(demo.Env("ETELECOM_SHOP_NAME"), p.Name)
		}
		auth, err = c.Shops.Authorize(ctx, p)
	}
	if err != nil {
		return "", nil, fmt.Errorf("authorizing the shop: %w", err)
	}
	for logins := 0; auth.NeedsLogin(); logins++ {
		if logins == 2 {
			return "", nil, demo.Check(false, "eTelecom still asks the merchant to log in after %d logins", logins)
		}
		rd, err := merchantLogin(ctx, w, loc, auth, fake)
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(w, "callback: the merchant logged in; shop %s\n", rd.ShopID)
		shopID = rd.ShopID
		state = loc.expect()
		redirectURL = loc.URL + CallbackPath + "?" + url.Values{etelecom.StateParam: {state}}.Encode()
		if auth, err = c.Shops.Reauthorize(ctx, shopID, redirectURL); err != nil {
			return "", nil, fmt.Errorf("getting the shop key: %w", err)
		}
	}
	loc.done()
	return shopID, auth, demo.Check(auth.ShopKey() != "", "a shop_key answer without a key")
}

// merchantLogin sends the merchant to auth_url and waits for the callback.
// A plain HTTP client opens the page first, playing the merchant's browser:
// the fake, and a sandbox that approves at once, redirect straight back to
// the callback; otherwise a person opens the page printed, within
// LoginTimeout (ETELECOM_LOGIN_WAIT).
func merchantLogin(ctx context.Context, w io.Writer, loc *local, auth *etelecom.Authorization, fake bool) (*etelecom.Redirect, error) {
	page := auth.AuthURL
	if u, err := url.Parse(page); err == nil && fake {
		// The flow opens the page itself: the address, whose query carries
		// the request's token, is shown whole only to a person who must
		// open it.
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		page = u.String()
	}
	fmt.Fprintf(w, "login request: the merchant must log in at %s (valid %s)\n", page, auth.ExpiresIn)
	wait := LoginTimeout
	if d, err := time.ParseDuration(demo.Env("ETELECOM_LOGIN_WAIT")); err == nil && d > 0 {
		wait = d
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	fmt.Fprintln(w, "playing the merchant: opening the login page")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, auth.AuthURL, nil)
	if err != nil {
		return nil, fmt.Errorf("login page: %w", err)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	switch {
	case err == nil:
		resp.Body.Close()
		if fake && resp.StatusCode != http.StatusOK {
			return nil, demo.Check(false, "the login page ended with status %d", resp.StatusCode)
		}
	case fake:
		return nil, fmt.Errorf("login page: %w", err)
	}
	if !fake {
		fmt.Fprintf(w, "if it did not redirect back, open it in a browser; waiting up to %s for the redirect to %s\n", wait, loc.URL+CallbackPath)
	}
	select {
	case rd := <-loc.redirects:
		return rd, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the merchant to log in (ETELECOM_LOGIN_WAIT): %w", ctx.Err())
	}
}

func listCalls(ctx context.Context, w io.Writer, shop *etelecom.Client) error {
	page, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Limit: 10})
	if err != nil {
		return fmt.Errorf("listing call logs: %w", err)
	}
	more := ""
	if page.HasMore() {
		more = " (more pages follow)"
	}
	fmt.Fprintf(w, "call logs: %d on the first page%s\n", len(page.Items), more)
	for i, l := range page.Items {
		if i == 3 {
			fmt.Fprintf(w, "  … and %d more\n", len(page.Items)-i)
			break
		}
		fmt.Fprintf(w, "  %s %s -> %s, %s, %s\n", l.StartedAt.Format(time.RFC3339), l.Caller, l.Callee, orNone(l.CallState), l.Duration.Duration())
	}
	return nil
}

// sendZNS sends a notification from the shop's first OA and returns its
// ID, or "" when there is nothing to send.
func sendZNS(ctx context.Context, w io.Writer, shop *etelecom.Client, fake bool) (partnerkit.ID, error) {
	oas, err := shop.OAs.List(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("listing Zalo OAs: %w", err)
	}
	if len(oas.Items) == 0 {
		fmt.Fprintln(w, "no Zalo OA connected to the shop; skipping the ZNS")
		return "", nil
	}
	oa := oas.Items[0]
	if err := demo.Check(oa.OAID != "", "an OA without oa_id"); err != nil {
		return "", err
	}
	p := &etelecom.ZNSSendParams{
		OAID: oa.OAID, Phone: "84901234567",
		TemplateData: map[string]any{"customer_name": "Nguyen Van A", "order_code": "DEMO-1"},
		TrackingID:   "partnerkit-demo-" + strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	if fake {
		templates, err := shop.Templates.List(ctx, &etelecom.TemplateListParams{OAID: oa.OAID})
		if err != nil {
			return "", fmt.Errorf("listing ZNS templates: %w", err)
		}
		if err := demo.Check(len(templates.Items) > 0, "the OA %s has no ZNS template", oa.OAID); err != nil {
			return "", err
		}
		p.TemplateID = templates.Items[0].TemplateID
	} else {
		tid, phone := demo.Env("ETELECOM_ZNS_TEMPLATE_ID"), demo.Env("ETELECOM_ZNS_PHONE")
		if tid == "" || phone == "" {
			fmt.Fprintln(w, "ETELECOM_ZNS_TEMPLATE_ID or ETELECOM_ZNS_PHONE not set; skipping the ZNS")
			return "", nil
		}
		p.TemplateID, p.Phone, p.Mode = partnerkit.ID(tid), phone, etelecom.ModeDevelopment
	}
	msg, err := shop.ZNS.Send(ctx, p)
	if err != nil {
		return "", fmt.Errorf("sending the ZNS: %w", err)
	}
	fmt.Fprintf(w, "ZNS sent from OA %q: message %s, tracking %s, status %s\n", oa.Name, msg.ID, p.TrackingID, orNone(msg.Status))
	return msg.ID, nil
}

// printEvent waits up to wait for an event of entity ("" for any) and
// prints it. With no event in time it says so: everything up to the
// registration worked, and a real eTelecom sends events only when calls
// end or messages change.
func printEvent(ctx context.Context, w io.Writer, loc *local, entity string, wait time.Duration) error {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case e := <-loc.events:
			if entity != "" && e.Entity != entity {
				continue
			}
			switch {
			case e.CallLog != nil:
				fmt.Fprintf(w, "event %s: call %s from %s, %s, %s\n", e.Entity, e.CallLog.ID, e.CallLog.Caller, orNone(e.CallLog.CallState), e.CallLog.Duration.Duration())
			case e.Message != nil:
				fmt.Fprintf(w, "event %s: message %s (tracking %s) %s\n", e.Entity, e.Message.ID, e.Message.TrackingID, orNone(e.Message.DeliveryStatus))
			default:
				fmt.Fprintf(w, "event %s: %d bytes\n", e.Entity, len(e.Raw))
			}
			return nil
		case <-timer.C:
			if entity != "" {
				return demo.Check(false, "no %s event within %s", entity, wait)
			}
			fmt.Fprintf(w, "no event arrived within %s; set ETELECOM_WEBHOOK_WAIT to wait longer\n", wait)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// local is the partner's own server: the callback eTelecom redirects the
// merchant to, and the webhook receiver.
type local struct {
	*httptest.Server
	secret    string
	redirects chan *etelecom.Redirect
	events    chan *etelecom.Event

	mu    sync.Mutex
	state string // the state of the login in progress, or ""
}

func startLocal() (*local, error) {
	loc := &local{secret: etelecom.NewWebhookSecret(), redirects: make(chan *etelecom.Redirect, 1), events: make(chan *etelecom.Event, 8)}
	hooks, err := etelecom.NewWebhookHandler(loc.secret, func(_ context.Context, e *etelecom.Event) error {
		select {
		case loc.events <- e:
		default: // the flow reads one event of each kind; more are dropped
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, loc.callback)
	mux.Handle(EventsPath, hooks)
	loc.Server = httptest.NewServer(mux)
	return loc, nil
}

// expect starts a login: it returns a new random state, to put in the
// redirect URL, that the callback will accept once.
func (l *local) expect() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state = rand.Text()
	return l.state
}

// done ends the login in progress: no redirect is accepted any more.
func (l *local) done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state = ""
}

// callback accepts only the GET of eTelecom's redirect that carries the
// state of the login in progress, once. Anything else is refused and
// ignored: a forged or stray request neither ends the login nor makes the
// flow act as another shop.
func (l *local) callback(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	rd, err := etelecom.ParseRedirect(r.URL)
	l.mu.Lock()
	ok := err == nil && rd.HasState(l.state)
	if ok {
		l.state = ""
	}
	l.mu.Unlock()
	if !ok {
		http.Error(w, "This is not the redirect of a login in progress.", http.StatusBadRequest)
		return
	}
	l.redirects <- rd // one state, one redirect: the buffer has room
	fmt.Fprintln(w, "Your shop is connected. You can close this window.")
}
