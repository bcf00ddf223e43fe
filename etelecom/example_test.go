package etelecom_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
)

// Construct a client with the partner's api_key and read the account it
// belongs to. The examples run against the fake; with a real account, give
// the key alone (production) or add etelecom.Sandbox().
func Example() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()

	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	a, err := c.CurrentAccount(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s) %s\n", a.Name, a.Type, a.ID)
	// Output: Test Partner (partner) 1000001
}

// Every call of a shop, all pages, with a shop's key.
func ExampleCallLogsService_All() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Example Shop")

	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	shop, err := c.ForShop(shopKey)
	if err != nil {
		log.Fatal(err)
	}
	for l, err := range shop.CallLogs.All(context.Background(), &etelecom.CallLogListParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(l.Caller, "->", l.Callee, l.Direction, l.CallState, l.Duration.Duration())
	}
	// Output:
	// 0901000000 -> 02873001234 in answered 30s
	// 0901000001 -> 02873001234 in answered 37s
	// 0901000002 -> 02873001234 out not_answered 0s
}

// Send a Zalo notification from the shop's Official Account. A send is
// never sent twice by the client; TrackingID is the partner's key to
// reconcile it.
func ExampleZNSService_Send() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Example Shop")

	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	shop, err := c.ForShop(shopKey)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	oas, err := shop.OAs.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	m, err := shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{
		OAID:         oas.Items[0].OAID,
		Phone:        "84901234567",
		TemplateID:   etelecomtest.TemplateID, // the fake's approved template
		TemplateData: map[string]any{"customer_name": "Nguyen Van A", "order_code": "A-1001"},
		TrackingID:   "order-A-1001",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: status %s, template %s, fee %d\n", m.TrackingID, m.Status, m.TemplateID, m.FeeMain)
	// Output: order-A-1001: status P, template 100001, fee 300
}

// Send an image to a user who follows the shop's Official Account. A
// consulting message is never sent twice by the client; its answer says
// how much of the reply quota is left.
func ExampleConsultsService_SendImage() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Example Shop")

	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	shop, err := c.ForShop(shopKey)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	oas, err := shop.OAs.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	followers, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{OAID: oas.Items[0].OAID, Name: "Nguyen"})
	if err != nil {
		log.Fatal(err)
	}
	to := followers.Items[0]
	m, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{
		OAID:       to.OAID,
		ZaloUserID: to.ZaloUserID,
		ImageURL:   "https://shop.example/orders/A-1001.png",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s to %s: %s, %d of %d replies left\n", m.Type, to.FullName, m.Direction, m.Quota.Remain, m.Quota.Total)
	// Output: photo to Nguyen Van A: out, 7 of 8 replies left
}

// Receive eTelecom's events: register a URL that carries a secret, serve a
// WebhookHandler there, and get each event typed. Here the fake records a
// call, and POSTs it.
func ExampleWebhookHandler() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	shopID, _ := fake.ConnectShop("owner@shop.example", "0901234567", "Example Shop")

	secret := etelecom.NewWebhookSecret() // store it; the handler needs it after a restart
	events := make(chan *etelecom.Event, 1)
	h, err := etelecom.NewWebhookHandler(secret, func(_ context.Context, e *etelecom.Event) error {
		events <- e // quick: the handler answers eTelecom after this returns
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewServer(h)
	defer receiver.Close()

	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	hookURL, err := etelecom.WebhookURL(receiver.URL+"/etelecom/events", secret)
	if err != nil {
		log.Fatal(err)
	}
	w, err := c.Webhooks.Create(context.Background(), &etelecom.WebhookCreateParams{
		URL: hookURL, Entities: []string{etelecom.EntityCallLog},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("webhook", w.States.State, w.Entities)

	fake.EndCall(shopID, etelecomtest.Call{Caller: "0987654321", Duration: 95 * time.Second})
	e := <-events
	fmt.Println(e.Entity, e.CallLog.Caller, e.CallLog.CallState, e.CallLog.Duration.Duration())
	// Output:
	// webhook ok [call_log]
	// call_log 0987654321 answered 1m35s
}

// Branch on failures with errors.Is (the kind, the same for every
// provider) and errors.As (eTelecom's Twirp code and details).
func Example_errors() {
	fake := etelecomtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Example Shop")
	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Refused before sending: CurrentShop takes a shop's key.
	_, err = c.Shops.Current(ctx)
	fmt.Println(errors.Is(err, partnerkit.ErrInvalidInput), err)

	// eTelecom's answer: a Twirp code and its meta.
	_, err = c.Shops.Reauthorize(ctx, "42", "https://partner.example.com/etelecom/callback")
	var apiErr *partnerkit.Error
	if errors.Is(err, partnerkit.ErrForbidden) && errors.As(err, &apiErr) {
		d, _ := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
		fmt.Println(apiErr.StatusCode, apiErr.Code, d.Meta["reason"])
	}

	// A method eTelecom does not have is a routing problem, not a missing
	// record.
	shop, err := c.ForShop(shopKey)
	if err != nil {
		log.Fatal(err)
	}
	err = shop.Call(ctx, etelecom.Method{Service: etelecom.ServiceEtelecom, Name: "GetDriverConfig", ReadOnly: true}, nil, nil)
	fmt.Println(errors.Is(err, partnerkit.ErrInvalidRequest), errors.Is(err, partnerkit.ErrNotFound))
	// Output:
	// true partnerkit: invalid input: Shop/CurrentShop takes a shop's key: call it on a client from ForShop
	// 403 permission_denied unknown shop_id
	// true false
}
