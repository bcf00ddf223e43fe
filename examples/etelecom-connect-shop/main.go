// Command etelecom-connect-shop connects a merchant's shop to the partner
// on eTelecom, lists the shop's latest calls with the shop's key, and
// receives call_log events on a webhook. It reads ETELECOM_API_KEY and
// ETELECOM_BASE_URL (default production); without a key it runs against the
// eTelecom fake on loopback. ETELECOM_SHOP_ID reconnects a known shop;
// otherwise ETELECOM_SHOP_EMAIL, _PHONE and _NAME describe a new one, whose
// login page the program opens itself (a sandbox that approves at once
// redirects straight back) and prints, waiting ETELECOM_LOGIN_WAIT (90s) for
// the merchant. eTelecom reaches the local webhook only through a tunnel.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "etelecom-connect-shop:", strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	key, base := os.Getenv("ETELECOM_API_KEY"), cmp.Or(os.Getenv("ETELECOM_BASE_URL"), etelecom.DefaultBaseURL)
	loginWait, hookWait := 90*time.Second, 20*time.Second
	if d, err := time.ParseDuration(os.Getenv("ETELECOM_LOGIN_WAIT")); err == nil {
		loginWait = d
	}
	var fake *etelecomtest.Server
	if key == "" {
		fake = etelecomtest.New()
		srv := httptest.NewServer(fake)
		defer srv.Close()
		key, base, hookWait = etelecomtest.APIKey, srv.URL+etelecomtest.BasePath, time.Minute
		fmt.Println("ETELECOM_API_KEY not set: using the eTelecom fake at", srv.URL)
	}
	c, err := etelecom.New(key, partnerkit.WithBaseURL(base))
	if err != nil {
		return err
	}

	// The callback takes the GET of eTelecom's redirect carrying this
	// login's state, once; anything else is refused and the login goes on.
	state, secret := rand.Text(), etelecom.NewWebhookSecret()
	redirects, events := make(chan *etelecom.Redirect, 1), make(chan *etelecom.Event, 8)
	hooks, err := etelecom.NewWebhookHandler(secret, func(_ context.Context, e *etelecom.Event) error {
		select {
		case events <- e:
		default: // the program waits for one event; it drops the others
		}
		return nil
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /etelecom/callback", func(w http.ResponseWriter, r *http.Request) {
		if rd, err := etelecom.ParseRedirect(r.URL); err == nil && rd.HasState(state) {
			select {
			case redirects <- rd:
				fmt.Fprintln(w, "Your shop is connected. You can close this window.")
				return
			default:
			}
		}
		http.Error(w, "This is not the redirect of a login in progress.", http.StatusBadRequest)
	})
	mux.Handle("POST /etelecom/events", hooks)
	local := httptest.NewServer(mux)
	defer local.Close()

	callback := local.URL + "/etelecom/callback?state=" + state
	shopID := partnerkit.ID(os.Getenv("ETELECOM_SHOP_ID"))
	var auth *etelecom.Authorization
	if shopID != "" { // a shop connected before gets its key back at once
		auth, err = c.Shops.Reauthorize(ctx, shopID, callback)
	} else {
		auth, err = c.Shops.Authorize(ctx, &etelecom.ShopAuthorizeParams{RedirectURL: callback,
			Email: cmp.Or(os.Getenv("ETELECOM_SHOP_EMAIL"), "owner@shop.example"),
			Phone: cmp.Or(os.Getenv("ETELECOM_SHOP_PHONE"), "0901234567"),
			Name:  cmp.Or(os.Getenv("ETELECOM_SHOP_NAME"), "Example Shop")})
	}
	for logins := 0; err == nil && auth.NeedsLogin(); logins++ {
		if logins == 2 {
			return fmt.Errorf("eTelecom still asks for the merchant's login: %s", auth)
		}
		fmt.Println("the merchant logs in:", auth) // printed without the request's token
		if resp, err := http.Get(auth.AuthURL); err == nil {
			resp.Body.Close()
		}
		select {
		case rd := <-redirects:
			shopID = rd.ShopID
			auth, err = c.Shops.Reauthorize(ctx, shopID, callback)
		case <-time.After(loginWait):
			return fmt.Errorf("the merchant did not log in within %s (ETELECOM_LOGIN_WAIT)", loginWait)
		}
	}
	if err != nil {
		return fmt.Errorf("connecting the shop: %w", err)
	}
	shop, err := c.ForShop(auth.ShopKey()) // store auth.ShopKey() with the shop: it does not expire
	if err != nil {
		return err
	}
	calls, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Limit: 5})
	if err != nil {
		return fmt.Errorf("listing the shop's calls: %w", err)
	}
	fmt.Printf("shop %s connected; %d recent calls (more: %t)\n", shopID, len(calls.Items), calls.HasMore())
	for _, l := range calls.Items {
		fmt.Printf("  %s -> %s, %s, %s\n", l.Caller, l.Callee, l.CallState, l.Duration.Duration())
	}

	hookURL, err := etelecom.WebhookURL(local.URL+"/etelecom/events", secret)
	if err != nil {
		return err
	}
	hook, err := c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: hookURL, Entities: []string{etelecom.EntityCallLog}})
	if err != nil {
		return fmt.Errorf("registering the webhook: %w", err)
	}
	if fake != nil {
		fake.EndCall(string(shopID), etelecomtest.Call{Caller: "0987654321", Duration: 95 * time.Second})
	}
	select {
	case e := <-events:
		fmt.Printf("webhook %s: %s event, call from %s, %s\n", hook.ID, e.Entity, e.CallLog.Caller, e.CallLog.Duration.Duration())
	case <-time.After(hookWait):
		fmt.Printf("webhook %s: no call ended within %s\n", hook.ID, hookWait)
	}
	return c.Webhooks.Delete(ctx, hook.ID)
}
