package etelecom_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// The calls of the methods added to the PBX, staff and Zalo services, each
// with valid params, on a shop's client.
var (
	newReads = map[string]func(shop *etelecom.Client) error{
		"Etelecom/GetExtensionInfo": func(shop *etelecom.Client) error {
			_, err := shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101"})
			return err
		},
		"Shop/GetAccountUsers": func(shop *etelecom.Client) error { _, err := shop.AccountUsers.List(ctx, nil); return err },
		"Zalo/ListFollowers":   func(shop *etelecom.Client) error { _, err := shop.Followers.List(ctx, nil); return err },
		"Zalo/CheckConsent": func(shop *etelecom.Client) error {
			_, err := shop.Consents.Check(ctx, "4321", "84901234567")
			return err
		},
		"Zalo/ListRequestConsent": func(shop *etelecom.Client) error { _, err := shop.Consents.List(ctx, nil); return err },
		"Zalo/GetTemplate":        func(shop *etelecom.Client) error { _, err := shop.Templates.Get(ctx, "4321", "12345"); return err },
		"Zalo/ListTemplates":      func(shop *etelecom.Client) error { _, err := shop.Templates.List(ctx, nil); return err },
		"Zalo/GetJourney":         func(shop *etelecom.Client) error { _, err := shop.Journeys.Get(ctx, "4321", "91"); return err },
		"Zalo/ListJourneys":       func(shop *etelecom.Client) error { _, err := shop.Journeys.List(ctx, nil); return err },
		"Zalo/ListMessages":       func(shop *etelecom.Client) error { _, err := shop.Messages.List(ctx, nil); return err },
		"Zalo/GetMessage":         func(shop *etelecom.Client) error { _, err := shop.Messages.Get(ctx, "4321", "zmsg-1"); return err },
		"Etelecom/UpdateHotlineForExtension": func(shop *etelecom.Client) error {
			_, err := shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: "3302", ExtensionID: "5501"})
			return err
		},
	}
	// newSends are the creates and sends that take a shop's key; with
	// partnerSends, every create and send of the RPC client.
	newSends = map[string]func(shop *etelecom.Client) error{
		"Etelecom/CreateTenant": func(shop *etelecom.Client) error { _, err := shop.Tenants.Create(ctx); return err },
		"Etelecom/CreateExtension": func(shop *etelecom.Client) error {
			_, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "3301", ExtensionNumber: "101"})
			return err
		},
		"Zalo/ConnectOA": func(shop *etelecom.Client) error {
			_, err := shop.OAs.Connect(ctx, &etelecom.OAConnectParams{Code: "c", OAID: "4321"})
			return err
		},
		"Zalo/SendZNS": func(shop *etelecom.Client) error {
			_, err := shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: "4321", Phone: "84901234567", TemplateID: "12345",
				TemplateData: map[string]any{"a": 1}, TrackingID: "t-1"})
			return err
		},
		"Shop/CreateAccountUser": func(shop *etelecom.Client) error {
			_, err := shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "A", Phone: "0901234567", Password: "pw-123456"})
			return err
		},
		"Zalo/AuthorizeOA": func(shop *etelecom.Client) error {
			_, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppID: "41", AppSecret: "s", RedirectURI: "https://p.example/cb"})
			return err
		},
		"Zalo/RefreshToken": func(shop *etelecom.Client) error { _, err := shop.OAs.RefreshToken(ctx, "4321"); return err },
		"Zalo/RequestUserInfo": func(shop *etelecom.Client) error {
			_, err := shop.Consults.RequestUserInfo(ctx, &etelecom.ConsultRequestUserInfoParams{OAID: "4321", ZaloUserID: "7001"})
			return err
		},
		"Zalo/OASendImage": func(shop *etelecom.Client) error {
			_, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{OAID: "4321", ZaloUserID: "7001", AttachmentID: "a"})
			return err
		},
		"Zalo/OASendFile": func(shop *etelecom.Client) error {
			_, err := shop.Consults.SendFile(ctx, &etelecom.ConsultSendFileParams{OAID: "4321", ZaloUserID: "7001", Token: "t"})
			return err
		},
		"Zalo/OASendSticker": func(shop *etelecom.Client) error {
			_, err := shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: "4321", ZaloUserID: "7001", AttachmentID: "s"})
			return err
		},
		"Zalo/SendZNSTxn": func(shop *etelecom.Client) error {
			_, err := shop.ZNS.SendTransaction(ctx, &etelecom.ZNSSendTransactionParams{OAID: "4321", ZaloUserID: "7001"})
			return err
		},
		"Zalo/SendZNSJourney": func(shop *etelecom.Client) error {
			_, err := shop.ZNS.SendJourney(ctx, &etelecom.ZNSSendJourneyParams{OAID: "4321", JourneyID: "91", Phone: "84901234567",
				TemplateID: "12345", TemplateData: map[string]any{"a": 1}, TrackingID: "t-1"})
			return err
		},
		"Zalo/RequestConsent": func(shop *etelecom.Client) error {
			_, err := shop.Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: "4321", Phone: "84901234567",
				CallType: etelecom.CallAudio, ReasonCode: etelecom.ReasonUpdateOrder})
			return err
		},
		"Zalo/CreateTemplate": func(shop *etelecom.Client) error {
			_, err := shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: "4321", TemplateID: "12345"})
			return err
		},
		"Zalo/CreateJourney": func(shop *etelecom.Client) error {
			_, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: "4321", Phone: "84901234567"})
			return err
		},
	}
)

// partnerSends are the creates and sends that take the partner's key.
var partnerSends = map[string]func(partner *etelecom.Client) error{
	"Shop/AuthorizeShop": func(partner *etelecom.Client) error {
		_, err := partner.Shops.Authorize(ctx, authorizeParams())
		return err
	},
	"Etelecom/PartnerAddHotline": func(partner *etelecom.Client) error {
		_, err := partner.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "Sales", Description: "d"})
		return err
	},
	"Webhook/CreateWebhook": func(partner *etelecom.Client) error {
		_, err := partner.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "https://partner.example.com/hooks?secret=0123456789abcdef0123",
			Entities: []string{etelecom.EntityCallLog}})
		return err
	},
}

// answerFor is a success answer each new method accepts.
func answerFor(route string) string {
	switch route {
	case "Zalo/AuthorizeOA", "Zalo/RefreshToken":
		return authLinkJSON
	case "Shop/AuthorizeShop":
		return shopRequest
	}
	return `{}`
}

func TestNewReadsAndAbsoluteWritesAreRetried(t *testing.T) {
	t.Parallel()
	for route, call := range newReads {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			service, method := splitRoute(route)
			h := newHarness(t)
			h.onSeq(service, method, answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, answerFor(route)})
			require.NoError(t, call(h.shop(t)))
			require.Len(t, h.Requests(), 2)
		})
	}
}

// TestSendsAreNeverSentTwice: every create and send is sent once after a
// failure that may have reached eTelecom (a 503, a timeout), and sent again
// after a 429 eTelecom did not act on.
func TestSendsAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	sends := map[string]func(h *harness) error{}
	for route, call := range newSends {
		sends[route] = func(h *harness) error { return call(h.shop(t)) }
	}
	for route, call := range partnerSends {
		sends[route] = func(h *harness) error { return call(h.c) }
	}
	require.Len(t, sends, 19, "every create and send of the RPC client")
	for route, call := range sends {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			service, method := splitRoute(route)
			h := newHarness(t)
			h.onSeq(service, method, answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, answerFor(route)})
			require.ErrorIs(t, call(h), partnerkit.ErrServer)
			require.Len(t, h.Requests(), 1, "a 503 may come after eTelecom acted")

			h = newHarness(t)
			h.mock.RegisterResponder("POST", base+"."+route, func(r *http.Request) (*http.Response, error) {
				if len(h.Requests()) == 0 {
					h.Record(r)
					return nil, mocktest.Timeout()
				}
				return h.record(r, 200, answerFor(route)), nil
			})
			require.ErrorIs(t, call(h), partnerkit.ErrNoResponse)
			require.Len(t, h.Requests(), 1, "a timeout may come after eTelecom acted")

			// A refusal eTelecom did not act on is waited out and sent again.
			h = newHarness(t)
			h.mock.RegisterResponder("POST", base+"."+route, func(r *http.Request) (*http.Response, error) {
				if len(h.Requests()) == 0 {
					resp := h.record(r, 429, `{"code":"resource_exhausted","msg":"slow down"}`)
					resp.Header.Set("Retry-After", "1")
					return resp, nil
				}
				return h.record(r, 200, answerFor(route)), nil
			})
			require.NoError(t, call(h))
			require.Len(t, h.Requests(), 2, "a 429 came before eTelecom acted")
			require.Equal(t, []time.Duration{time.Second}, h.clock.Sleeps(), "after the Retry-After")
		})
	}
}

// TestNewShopKeyMethodsRefuseThePartnersKey: a method documented with a
// shop's key is refused before sending on the partner's client.
func TestNewShopKeyMethodsRefuseThePartnersKey(t *testing.T) {
	t.Parallel()
	anyKey := map[string]bool{"Shop/GetAccountUsers": true, "Zalo/GetJourney": true, "Zalo/SendZNSJourney": true, "Zalo/CreateTemplate": true}
	h := newHarness(t)
	h.mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) { return h.record(r, 200, `{}`), nil })
	for _, calls := range []map[string]func(*etelecom.Client) error{newReads, newSends} {
		for route, call := range calls {
			err := call(h.c)
			if anyKey[route] {
				require.NotErrorIs(t, err, partnerkit.ErrInvalidInput, route)
				continue
			}
			var ve *partnerkit.ValidationError
			require.ErrorAs(t, err, &ve, route)
			require.Equal(t, route, ve.Field)
			require.Contains(t, ve.Rule, "takes a shop's key", route)
		}
	}
	require.Len(t, h.Requests(), len(anyKey), "only the methods that take either key were sent")
}

func splitRoute(route string) (service, method string) {
	service, method, _ = strings.Cut(route, "/")
	return service, method
}
