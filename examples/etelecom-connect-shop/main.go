// Command etelecom-connect-shop connects a merchant's shop to the partner
// on eTelecom, lists the shop's latest calls with the shop's key, and
// receives call_log events on a webhook. It reads ETELECOM_API_KEY and
// ETELECOM_BASE_URL (default production); without a key it runs against the
// eTelecom fake on loopback and plays the merchant. With one, it prints the
// login page to send the merchant to (ETELECOM_SHOP_EMAIL, _PHONE and _NAME
// describe the shop); eTelecom reaches the webhook only through a tunnel.
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
	signup := etelecom.ShopAuthorizeParams{Email: os.Getenv("ETELECOM_SHOP_EMAIL"), Phone: os.Getenv("ETELECOM_SHOP_PHONE"), Name: os.Getenv("ETELECOM_SHOP_NAME")}
	var fake *etelecomtest.Server
	if key == "" {
		fake = etelecomtest.New()
		srv := httptest.NewServer(fake)
		defer srv.Close()
		key, base = etelecomtest.APIKey, srv.URL+etelecomtest.BasePath
		signup = etelecom.ShopAuthorizeParams{Email: "owner@shop.example", Phone: "0901234567", Name: "Example Shop"}
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
		rd, err := etelecom.ParseRedirect(r.URL)
		if err != nil || !rd.HasState(state) {
			http.Error(w, "This is not the redirect of a login in progress.", http.StatusBadRequest)
			return
		}
		select {
		case redirects <- rd:
			fmt.Fprintln(w, "Your shop is connected. You can close this window.")
		default:
			http.Error(w, "This login is already done.", http.StatusConflict)
		}
	})
	mux.Handle("POST /etelecom/events", hooks)
	local := httptest.NewServer(mux)
	defer local.Close()

	signup.RedirectURL = local.URL + "/etelecom/callback?state=" + state
	auth, err := c.Shops.Authorize(ctx, &signup)
	if err != nil {
		return fmt.Errorf("authorizing the shop: %w", err)
	}
	if fake == nil {
		fmt.Println("send the merchant to", auth.AuthURL)
	} else if resp, err := http.Get(auth.AuthURL); err != nil { // the fake logs the merchant in, redirects to the callback
		return err
	} else {
		resp.Body.Close()
	}
	var rd *etelecom.Redirect
	select {
	case rd = <-redirects:
	case <-ctx.Done():
		return fmt.Errorf("waiting for the merchant to log in: %w", ctx.Err())
	}
	if auth, err = c.Shops.Reauthorize(ctx, rd.ShopID, signup.RedirectURL); err != nil {
		return fmt.Errorf("getting the shop's key: %w", err)
	} else if auth.NeedsLogin() {
		return fmt.Errorf("eTelecom asks for the merchant's login again: %s", auth)
	}
	shop, err := c.ForShop(auth.ShopKey()) // store auth.ShopKey() with the shop: it does not expire
	if err != nil {
		return err
	}
	calls, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Limit: 5})
	if err != nil {
		return fmt.Errorf("listing the shop's calls: %w", err)
	}
	fmt.Printf("shop %s connected; %d recent calls (more: %t)\n", rd.ShopID, len(calls.Items), calls.HasMore())
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
		fake.EndCall(string(rd.ShopID), etelecomtest.Call{Caller: "0987654321", Duration: 95 * time.Second})
	}
	select {
	case e := <-events:
		fmt.Printf("webhook %s: %s event, call from %s, %s\n", hook.ID, e.Entity, e.CallLog.Caller, e.CallLog.Duration.Duration())
	case <-time.After(time.Minute):
		fmt.Printf("webhook %s: no call ended within a minute\n", hook.ID)
	}
	_, err = c.Webhooks.Delete(ctx, hook.ID)
	return err
}
