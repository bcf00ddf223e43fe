// Package etelecomflow connects a merchant's shop to the partner on
// eTelecom, then acts as that shop: it lists the shop's recent calls and
// sends a Zalo notification (ZNS).
package etelecomflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// LoginTimeout bounds the wait for the merchant to log in at eTelecom and
// come back through the callback.
const LoginTimeout = 90 * time.Second

// CallbackPath is the path of the local callback server eTelecom redirects
// the merchant to.
const CallbackPath = "/etelecom/callback"

// Run connects a shop and acts as it, writing what it does to w.
//
// Environment: ETELECOM_API_KEY and ETELECOM_BASE_URL (such as
// https://api-sandbox.etelecom.vn/v1/partner); none set means the built-in
// fake. Against a real server: ETELECOM_SHOP_ID reconnects a known shop,
// else ETELECOM_SHOP_EMAIL, ETELECOM_SHOP_PHONE and ETELECOM_SHOP_NAME
// describe a new one; ETELECOM_ZNS_TEMPLATE_ID and ETELECOM_ZNS_PHONE enable
// the ZNS (sent in development mode, to the OA's administrators only).
func Run(ctx context.Context, w io.Writer) error {
	target, err := demo.Resolve(w, "eTelecom", "ETELECOM_BASE_URL", []string{"ETELECOM_API_KEY"},
		func() http.Handler { return etelecomtest.New() })
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

	cb := startCallback()
	defer cb.Close()
	redirectURL := cb.URL + CallbackPath

	auth, err := authorize(ctx, c, target.Fake, redirectURL)
	if err != nil {
		return err
	}
	for logins := 0; auth.NeedsLogin(); logins++ {
		if logins == 2 {
			return demo.Check(false, "eTelecom still asks the merchant to log in after %d logins", logins)
		}
		rd, err := merchantLogin(ctx, w, cb, auth, target.Fake)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "callback: the merchant logged in; shop %s\n", rd.ShopID)
		auth, err = c.Shops.Reauthorize(ctx, rd.ShopID, redirectURL)
		if err != nil {
			return fmt.Errorf("getting the shop key: %w", err)
		}
	}
	if err := demo.Check(auth.ShopKey != "", "a shop_key answer without a key"); err != nil {
		return err
	}
	fmt.Fprintln(w, "shop key received (store it with the shop; it does not expire)")

	shop, err := c.ForShop(auth.ShopKey)
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
	return sendZNS(ctx, w, shop, target.Fake)
}

// authorize starts the connection: a known shop (ETELECOM_SHOP_ID) or a new
// one.
func authorize(ctx context.Context, c *etelecom.Client, fake bool, redirectURL string) (*etelecom.Authorization, error) {
	if id := demo.Env("ETELECOM_SHOP_ID"); id != "" && !fake {
		return c.Shops.Reauthorize(ctx, partnerkit.ID(id), redirectURL)
	}
	signup := &etelecom.ShopSignup{Email: "demo-shop@example.com", Phone: "0901234567", Name: "partnerkit demo shop", RedirectURL: redirectURL}
	if !fake {
		signup.Email, signup.Phone, signup.Name = demo.Env("ETELECOM_SHOP_EMAIL"), demo.Env("ETELECOM_SHOP_PHONE"), demo.Env("ETELECOM_SHOP_NAME")
		if signup.Email == "" || signup.Phone == "" || signup.Name == "" {
			return nil, errors.New("eTelecom: set ETELECOM_SHOP_ID, or ETELECOM_SHOP_EMAIL, ETELECOM_SHOP_PHONE and ETELECOM_SHOP_NAME, to say which shop to connect")
		}
	}
	auth, err := c.Shops.Authorize(ctx, signup)
	if err != nil {
		return nil, fmt.Errorf("authorizing the shop: %w", err)
	}
	return auth, nil
}

// merchantLogin sends the merchant to auth_url and waits for the callback.
// With the fake, a plain HTTP client plays the merchant's browser.
func merchantLogin(ctx context.Context, w io.Writer, cb *callback, auth *etelecom.Authorization, fake bool) (*etelecom.Redirect, error) {
	if err := demo.Check(auth.AuthURL != "", "a login request without auth_url"); err != nil {
		return nil, err
	}
	page := auth.AuthURL
	if u, err := url.Parse(page); err == nil && fake {
		// The flow opens the page itself: the address, whose query carries
		// the request's token, is shown whole only to a person who must
		// open it.
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		page = u.String()
	}
	fmt.Fprintf(w, "login request: the merchant must log in at %s (valid %s)\n", page, auth.ExpiresIn)
	ctx, cancel := context.WithTimeout(ctx, LoginTimeout)
	defer cancel()
	if fake {
		fmt.Fprintln(w, "playing the merchant: opening the login page")
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, auth.AuthURL, nil)
		if err != nil {
			return nil, fmt.Errorf("login page: %w", err)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return nil, fmt.Errorf("login page: %w", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, demo.Check(false, "the login page ended with status %d", resp.StatusCode)
		}
	} else {
		fmt.Fprintf(w, "open it in a browser; waiting up to %s for the redirect to %s\n", LoginTimeout, cb.URL+CallbackPath)
	}
	select {
	case res := <-cb.results:
		return res.redirect, res.err
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the merchant to log in: %w", ctx.Err())
	}
}

func listCalls(ctx context.Context, w io.Writer, shop *etelecom.Client) error {
	page, err := shop.CallLogs.List(ctx, &etelecom.CallLogParams{Paging: etelecom.Paging{Limit: 10}})
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
		fmt.Fprintf(w, "  %s %s -> %s, %s, %ss\n", l.StartedAt.Format(time.RFC3339), l.Caller, l.Callee, l.CallState, orZero(string(l.Duration)))
	}
	return nil
}

func sendZNS(ctx context.Context, w io.Writer, shop *etelecom.Client, fake bool) error {
	oas, err := shop.Zalo.ListOA(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing Zalo OAs: %w", err)
	}
	if len(oas.Items) == 0 {
		fmt.Fprintln(w, "no Zalo OA connected to the shop; skipping the ZNS")
		return nil
	}
	oa := oas.Items[0]
	if err := demo.Check(oa.OAID != "", "an OA without oa_id"); err != nil {
		return err
	}
	z := &etelecom.ZNS{
		OAID: oa.OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"customer_name": "Nguyen Van A", "order_code": "DEMO-1"},
		TrackingID:   "partnerkit-demo-" + strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	if !fake {
		tid, _ := strconv.ParseInt(demo.Env("ETELECOM_ZNS_TEMPLATE_ID"), 10, 64)
		phone := demo.Env("ETELECOM_ZNS_PHONE")
		if tid <= 0 || phone == "" {
			fmt.Fprintln(w, "ETELECOM_ZNS_TEMPLATE_ID or ETELECOM_ZNS_PHONE not set; skipping the ZNS")
			return nil
		}
		z.TemplateID, z.Phone, z.Mode = tid, phone, etelecom.ModeDevelopment
	}
	msg, err := shop.Zalo.SendZNS(ctx, z)
	if err != nil {
		return fmt.Errorf("sending the ZNS: %w", err)
	}
	fmt.Fprintf(w, "ZNS sent from OA %q: message %s, tracking %s, delivery %s\n", oa.Name, msg.ID, z.TrackingID, orZero(msg.DeliveryStatus))
	return nil
}

func orZero(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// callback is the local server eTelecom redirects the merchant to.
type callback struct {
	*httptest.Server
	results chan callbackResult
}

type callbackResult struct {
	redirect *etelecom.Redirect
	err      error
}

func startCallback() *callback {
	cb := &callback{results: make(chan callbackResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		rd, err := etelecom.ParseRedirect(r.URL)
		res := callbackResult{redirect: rd, err: err}
		if err != nil {
			res.err = fmt.Errorf("eTelecom's redirect: %w", err)
			http.Error(w, "The redirect from eTelecom is missing token or shop_id.", http.StatusBadRequest)
		} else {
			fmt.Fprintln(w, "Your shop is connected. You can close this window.")
		}
		select {
		case cb.results <- res:
		default: // a result is already waiting
		}
	})
	cb.Server = httptest.NewServer(mux)
	return cb
}
