package faults

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
)

// etelecomSubject: a shop connected to the partner beforehand; the read
// lists its call logs (Etelecom/ListCallLogs), the create sends a Zalo
// notification from its Official Account (Zalo/SendZNS, not idempotent).
// The fake's record of accepted notifications (ZNSSent) is what exists,
// and its count of Zalo/SendZNS requests what reached it.
func etelecomSubject() Subject {
	fake := etelecomtest.New()
	return Subject{
		Handler: fake,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Faults Shop")
			oaID, templateID, err := etelecomOA(fake, shopKey)
			if err != nil {
				return Calls{}, err
			}
			partner, err := etelecom.New(etelecomtest.APIKey, append(opts, partnerkit.WithBaseURL(baseURL))...)
			if err != nil {
				return Calls{}, err
			}
			shop, err := partner.ForShop(shopKey)
			if err != nil {
				return Calls{}, err
			}
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := shop.CallLogs.List(ctx, nil)
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					m, err := shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{
						OAID: oaID, Phone: "0909123456", TemplateID: templateID,
						TemplateData: map[string]any{"customer_name": "Nguyen Van A", "order_code": "F-1001"},
						TrackingID:   "faults-1",
					})
					if err != nil {
						return "", err
					}
					return string(m.ID), nil
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("Zalo/SendZNS") },
		Created: func() []string {
			var ids []string
			for _, m := range fake.ZNSSent() {
				ids = append(ids, m.MessageID)
			}
			return ids
		},
	}
}

// etelecomZaloSubject: a shop connected to the partner beforehand; the read
// lists the followers of its Official Account (Zalo/ListFollowers), the
// create sends one of them an image (Zalo/OASendImage, a consulting
// message, not idempotent). The fake's record of accepted consulting
// messages (ConsultsSent) is what exists, and its count of Zalo/OASendImage
// requests what reached it.
func etelecomZaloSubject() Subject {
	fake := etelecomtest.New()
	return Subject{
		Handler: fake,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			_, shopKey := fake.ConnectShop("owner@shop.example", "0901234567", "Faults Shop")
			oaID, _, err := etelecomOA(fake, shopKey)
			if err != nil {
				return Calls{}, err
			}
			partner, err := etelecom.New(etelecomtest.APIKey, append(opts, partnerkit.WithBaseURL(baseURL))...)
			if err != nil {
				return Calls{}, err
			}
			shop, err := partner.ForShop(shopKey)
			if err != nil {
				return Calls{}, err
			}
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{OAID: oaID})
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					m, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{
						OAID: oaID, ZaloUserID: etelecomtest.FollowerZaloUserID,
						ImageURL: "https://shop.example/orders/F-1001.png",
					})
					if err != nil {
						return "", err
					}
					return string(m.MsgID), nil
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("Zalo/OASendImage") },
		Created: func() []string {
			var ids []string
			for _, m := range fake.ConsultsSent() {
				ids = append(ids, m.MessageID)
			}
			return ids
		},
	}
}

// TestFaultMatrixEtelecomZalo runs every fault of the matrix against
// eTelecom's Zalo calls too (etelecomZaloSubject): a read of the followers
// and a consulting message, beside the matrix's own eTelecom read and
// create. Its cells run under TestFaultMatrixEtelecomZalo/etelecom, so
// -run 'TestFaultMatrix/etelecom' selects them with the matrix's, and
// their rows join the results table as eTelecom's.
func TestFaultMatrixEtelecomZalo(t *testing.T) {
	t.Run("etelecom", func(t *testing.T) {
		t.Parallel()
		for _, f := range faults {
			t.Run(f.name, func(t *testing.T) {
				t.Run("read", func(t *testing.T) { runCell(t, "etelecom", etelecomZaloSubject(), f, "read") })
				t.Run("create", func(t *testing.T) { runCell(t, "etelecom", etelecomZaloSubject(), f, "create") })
			})
		}
	})
}

// etelecomOA asks the fake in-process for the shop's Official Account and
// the first ZNS template it has.
func etelecomOA(fake *etelecomtest.Server, shopKey string) (oaID, templateID partnerkit.ID, err error) {
	partner, err := etelecom.New(etelecomtest.APIKey,
		partnerkit.WithBaseURL("http://etelecom.fake"), partnerkit.WithInsecureHTTP(), partnerkit.WithHTTPClient(setupClient(fake)))
	if err != nil {
		return "", "", err
	}
	shop, err := partner.ForShop(shopKey)
	if err != nil {
		return "", "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	page, err := shop.OAs.List(ctx, nil)
	if err != nil {
		return "", "", err
	}
	if len(page.Items) == 0 {
		return "", "", errors.New("the fake's shop has no Official Account")
	}
	oaID = page.Items[0].OAID
	templates, err := shop.Templates.List(ctx, &etelecom.TemplateListParams{OAID: oaID})
	if err != nil {
		return "", "", err
	}
	if len(templates.Items) == 0 {
		return "", "", errors.New("the fake's Official Account has no ZNS template")
	}
	return oaID, templates.Items[0].TemplateID, nil
}
