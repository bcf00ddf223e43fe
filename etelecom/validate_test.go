package etelecom_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.c
	shop := h.shop(t)
	s, sh := newSMS(t)
	edit := func(f func(*etelecom.ShopAuthorizeParams)) *etelecom.ShopAuthorizeParams {
		v := authorizeParams()
		f(v)
		return v
	}
	z := func(f func(*etelecom.ZNSSendParams)) *etelecom.ZNSSendParams {
		v := zns()
		f(v)
		return v
	}
	m := func(f func(*etelecom.SMSSendParams)) *etelecom.SMSSendParams {
		v := sms()
		f(v)
		return v
	}
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"call service", func() error { return c.Call(ctx, etelecom.Method{Name: "GetTenant"}, nil, nil) }, "Service"},
		{"call method with a slash", func() error {
			return c.Call(ctx, etelecom.Method{Service: "Etelecom", Name: "Get/../Tenant"}, nil, nil)
		}, "Name"},
		{"call method with a dot", func() error { return c.Call(ctx, etelecom.Method{Service: "Etelecom", Name: "x.y"}, nil, nil) }, "Name"},
		{"call method with a leading digit", func() error { return c.Call(ctx, etelecom.Method{Service: "Etelecom", Name: "1x"}, nil, nil) }, "Name"},
		{"nil authorize", func() error { _, err := c.Shops.Authorize(ctx, nil); return err }, "params"},
		{"signup email", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopAuthorizeParams) { v.Email = "shop@" }))
			return err
		}, "Email"},
		{"signup phone", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopAuthorizeParams) { v.Phone = "call me" }))
			return err
		}, "Phone"},
		{"signup name", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopAuthorizeParams) { v.Name = " " }))
			return err
		}, "Name"},
		{"signup redirect", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopAuthorizeParams) { v.RedirectURL = "/cb" }))
			return err
		}, "RedirectURL"},
		{"reauthorize shop", func() error { _, err := c.Shops.Reauthorize(ctx, "", "https://p.example/cb"); return err }, "shopID"},
		{"reauthorize shop with a slash", func() error { _, err := c.Shops.Reauthorize(ctx, "12/a", "https://p.example/cb"); return err }, "shopID"},
		{"reauthorize shop with a space", func() error { _, err := c.Shops.Reauthorize(ctx, "12 a", "https://p.example/cb"); return err }, "shopID"},
		{"reauthorize redirect", func() error { _, err := c.Shops.Reauthorize(ctx, "12414", "ftp://x"); return err }, "redirectURL"},
		{"shop key", func() error { _, err := c.ForShop("a key\n"); return err }, "shopKey"},
		{"tenant owner", func() error {
			_, err := c.Tenants.List(ctx, &etelecom.TenantListParams{OwnerID: "-1"})
			return err
		}, "OwnerID"},
		{"paging limit", func() error {
			_, err := c.Tenants.List(ctx, &etelecom.TenantListParams{Limit: -1})
			return err
		}, "Limit"},
		{"paging both ways", func() error {
			_, err := c.Hotlines.List(ctx, &etelecom.HotlineListParams{After: "a", Before: "b"})
			return err
		}, "Before"},
		{"extensions limit", func() error {
			_, err := c.Extensions.List(ctx, &etelecom.ExtensionListParams{Limit: -5})
			return err
		}, "Limit"},
		{"all hotlines", func() error {
			for _, err := range c.Hotlines.All(ctx, &etelecom.HotlineListParams{Limit: -1}) {
				return err
			}
			return nil
		}, "Limit"},
		{"activation", func() error { _, err := c.Tenants.Activate(ctx, nil); return err }, "params"},
		{"activation tenant", func() error {
			_, err := c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{HotlineID: "1", OwnerID: "2"})
			return err
		}, "TenantID"},
		{"hotline number", func() error {
			_, err := c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "12", Name: "n", Description: "d"})
			return err
		}, "Hotline"},
		{"hotline description", func() error {
			_, err := c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "n"})
			return err
		}, "Description"},
		{"hotline network", func() error {
			_, err := c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "n", Description: "d", Network: "tmobile"})
			return err
		}, "Network"},
		{"extension number", func() error {
			_, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "1"})
			return err
		}, "ExtensionNumber"},
		{"extension hotline", func() error {
			_, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{ExtensionNumber: 101})
			return err
		}, "HotlineID"},
		{"assign user", func() error { _, err := shop.Extensions.AssignUser(ctx, "1", "0"); return err }, "userID"},
		{"remove user", func() error { _, err := shop.Extensions.RemoveUser(ctx, "", "2"); return err }, "extensionID"},
		{"call state", func() error {
			_, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{CallState: "missed"})
			return err
		}, "CallState"},
		{"direction", func() error {
			_, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Direction: "inbound"})
			return err
		}, "Direction"},
		{"date order", func() error {
			_, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{DateFrom: from, DateTo: from.Add(-time.Hour)})
			return err
		}, "DateTo"},
		{"duration comparison", func() error {
			_, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Duration: &etelecom.DurationFilter{Value: 3}})
			return err
		}, "Duration.Comparison"},
		{"extension ids", func() error {
			_, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{ExtensionIDs: []partnerkit.ID{"1", "x"}})
			return err
		}, "ExtensionIDs[1]"},
		{"all call logs", func() error {
			for _, err := range shop.CallLogs.All(ctx, &etelecom.CallLogListParams{HotlineIDs: []partnerkit.ID{"0"}}) {
				return err
			}
			return nil
		}, "HotlineIDs[0]"},
		{"nil zns", func() error { _, err := shop.ZNS.Send(ctx, nil); return err }, "params"},
		{"zns phone", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.Phone = "abc" }))
			return err
		}, "Phone"},
		{"zns template", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.TemplateID = 0 }))
			return err
		}, "TemplateID"},
		{"zns data", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.TemplateData = nil }))
			return err
		}, "TemplateData"},
		{"zns oa", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.OAID = "" }))
			return err
		}, "OAID"},
		{"zns retry without tracking", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.TrackingID = ""; v.RetryWithTrackingID = true }))
			return err
		}, "TrackingID"},
		{"zns mode", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.Mode = "prod" }))
			return err
		}, "Mode"},
		{"zns sending mode", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.SendingMode = "fast" }))
			return err
		}, "SendingMode"},
		{"oa list", func() error { _, err := shop.OAs.List(ctx, &etelecom.OAListParams{OAID: "x"}); return err }, "OAID"},
		{"oa list dates", func() error {
			_, err := shop.OAs.List(ctx, &etelecom.OAListParams{DateFrom: from, DateTo: from.Add(-time.Second)})
			return err
		}, "DateTo"},
		{"connect code", func() error {
			_, err := shop.OAs.Connect(ctx, &etelecom.OAConnectParams{OAID: "1"})
			return err
		}, "Code"},
		{"oa webhook url", func() error {
			_, err := shop.OAs.Update(ctx, "1", &etelecom.OAUpdateParams{WebhookURL: "not a url"})
			return err
		}, "WebhookURL"},
		{"oa update params", func() error { _, err := shop.OAs.Update(ctx, "1", nil); return err }, "params"},
		{"oa update id", func() error {
			_, err := shop.OAs.Update(ctx, "", &etelecom.OAUpdateParams{WebhookURL: "https://p.example/z"})
			return err
		}, "oaID"},
		{"webhook params", func() error { _, err := c.Webhooks.Create(ctx, nil); return err }, "params"},
		{"webhook url", func() error {
			_, err := c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "/hooks", Entities: []string{etelecom.EntityCallLog}})
			return err
		}, "URL"},
		{"webhook entities", func() error {
			_, err := c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "https://p.example/h"})
			return err
		}, "Entities"},
		{"webhook entity", func() error {
			_, err := c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "https://p.example/h", Entities: []string{"order"}})
			return err
		}, "Entities"},
		{"webhook delete", func() error { _, err := c.Webhooks.Delete(ctx, "abc"); return err }, "id"},
		{"sms nil", func() error { _, err := s.Send(ctx, nil); return err }, "params"},
		{"sms phone with +", func() error {
			_, err := s.Send(ctx, m(func(v *etelecom.SMSSendParams) { v.Phone = "+84901234567" }))
			return err
		}, "Phone"},
		{"sms route", func() error {
			_, err := s.Send(ctx, m(func(v *etelecom.SMSSendParams) { v.RouteRule = nil }))
			return err
		}, "RouteRule"},
		{"sms route channel", func() error {
			_, err := s.Send(ctx, m(func(v *etelecom.SMSSendParams) { v.RouteRule = []string{"1", "4"} }))
			return err
		}, "RouteRule[1]"},
		{"sms route both forms", func() error {
			_, err := s.Send(ctx, m(func(v *etelecom.SMSSendParams) { v.RouteRuleText = "1,3" }))
			return err
		}, "RouteRuleText"},
		{"sms template", func() error {
			_, err := s.Send(ctx, m(func(v *etelecom.SMSSendParams) { v.TemplateCode = "" }))
			return err
		}, "TemplateCode"},
		{"sms status id", func() error { _, err := s.Status(ctx, " "); return err }, "id"},
	}
	for _, tt := range tests {
		err := tt.call()
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, tt.name)
		var ve *partnerkit.ValidationError
		require.True(t, errors.As(err, &ve), tt.name)
		require.Equal(t, tt.field, ve.Field, tt.name)
	}
	require.Zero(t, h.mock.GetTotalCallCount(), "nothing was sent")
	require.Zero(t, sh.mock.GetTotalCallCount(), "nothing was sent")
}
