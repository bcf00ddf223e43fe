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
	s, sh := newSMS(t)
	edit := func(f func(*etelecom.ShopSignup)) *etelecom.ShopSignup {
		v := signup()
		f(v)
		return v
	}
	z := func(f func(*etelecom.ZNS)) *etelecom.ZNS {
		v := zns()
		f(v)
		return v
	}
	m := func(f func(*etelecom.SMS)) *etelecom.SMS {
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
		{"call service", func() error { return c.Call(ctx, "", "GetTenant", nil, nil) }, "service"},
		{"call method with a slash", func() error { return c.Call(ctx, "Etelecom", "Get/../Tenant", nil, nil) }, "method"},
		{"call method with a dot", func() error { return c.Call(ctx, "Etelecom", "x.y", nil, nil) }, "method"},
		{"nil signup", func() error { _, err := c.Shops.Authorize(ctx, nil); return err }, "signup"},
		{"signup email", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopSignup) { v.Email = "shop@" }))
			return err
		}, "Email"},
		{"signup phone", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopSignup) { v.Phone = "call me" }))
			return err
		}, "Phone"},
		{"signup name", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopSignup) { v.Name = " " }))
			return err
		}, "Name"},
		{"signup redirect", func() error {
			_, err := c.Shops.Authorize(ctx, edit(func(v *etelecom.ShopSignup) { v.RedirectURL = "/cb" }))
			return err
		}, "RedirectURL"},
		{"reauthorize shop", func() error { _, err := c.Shops.Reauthorize(ctx, "", "https://p.example/cb"); return err }, "shopID"},
		{"reauthorize shop not a number", func() error { _, err := c.Shops.Reauthorize(ctx, "12a", "https://p.example/cb"); return err }, "shopID"},
		{"reauthorize redirect", func() error { _, err := c.Shops.Reauthorize(ctx, "12414", "ftp://x"); return err }, "redirectURL"},
		{"shop key", func() error { _, err := c.ForShop("a key"); return err }, "shopKey"},
		{"tenant owner", func() error {
			_, err := c.Tenants.List(ctx, &etelecom.TenantListParams{OwnerID: "-1"})
			return err
		}, "OwnerID"},
		{"paging limit", func() error {
			_, err := c.Tenants.List(ctx, &etelecom.TenantListParams{Paging: etelecom.Paging{Limit: -1}})
			return err
		}, "Paging.Limit"},
		{"paging both ways", func() error {
			_, err := c.Hotlines.List(ctx, &etelecom.Paging{After: "a", Before: "b"})
			return err
		}, "Paging.Before"},
		{"activation", func() error { _, err := c.Tenants.Activate(ctx, nil); return err }, "activation"},
		{"activation tenant", func() error {
			_, err := c.Tenants.Activate(ctx, &etelecom.TenantActivation{HotlineID: "1", OwnerID: "2"})
			return err
		}, "TenantID"},
		{"hotline number", func() error {
			_, err := c.Hotlines.Add(ctx, &etelecom.NewHotline{Hotline: "12", Name: "n", Description: "d"})
			return err
		}, "Hotline"},
		{"hotline description", func() error {
			_, err := c.Hotlines.Add(ctx, &etelecom.NewHotline{Hotline: "02873001234", Name: "n"})
			return err
		}, "Description"},
		{"hotline network", func() error {
			_, err := c.Hotlines.Add(ctx, &etelecom.NewHotline{Hotline: "02873001234", Name: "n", Description: "d", Network: "tmobile"})
			return err
		}, "Network"},
		{"extension number", func() error {
			_, err := c.Extensions.Create(ctx, &etelecom.NewExtension{HotlineID: "1"})
			return err
		}, "ExtensionNumber"},
		{"extension hotline", func() error {
			_, err := c.Extensions.Create(ctx, &etelecom.NewExtension{ExtensionNumber: 101})
			return err
		}, "HotlineID"},
		{"assign user", func() error { _, err := c.Extensions.AssignUser(ctx, "1", "0"); return err }, "userID"},
		{"remove user", func() error { _, err := c.Extensions.RemoveUser(ctx, "", "2"); return err }, "extensionID"},
		{"call state", func() error {
			_, err := c.CallLogs.List(ctx, &etelecom.CallLogParams{CallState: "missed"})
			return err
		}, "CallState"},
		{"direction", func() error {
			_, err := c.CallLogs.List(ctx, &etelecom.CallLogParams{Direction: "inbound"})
			return err
		}, "Direction"},
		{"date order", func() error {
			_, err := c.CallLogs.List(ctx, &etelecom.CallLogParams{DateFrom: from, DateTo: from.Add(-time.Hour)})
			return err
		}, "DateTo"},
		{"duration comparison", func() error {
			_, err := c.CallLogs.List(ctx, &etelecom.CallLogParams{Duration: &etelecom.DurationFilter{Value: 3}})
			return err
		}, "Duration.Comparison"},
		{"extension ids", func() error {
			_, err := c.CallLogs.List(ctx, &etelecom.CallLogParams{ExtensionIDs: []partnerkit.ID{"1", "x"}})
			return err
		}, "ExtensionIDs[1]"},
		{"all call logs", func() error {
			for _, err := range c.CallLogs.All(ctx, &etelecom.CallLogParams{HotlineIDs: []partnerkit.ID{"0"}}) {
				return err
			}
			return nil
		}, "HotlineIDs[0]"},
		{"nil zns", func() error { _, err := c.Zalo.SendZNS(ctx, nil); return err }, "zns"},
		{"zns phone", func() error { _, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.Phone = "abc" })); return err }, "Phone"},
		{"zns template", func() error { _, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.TemplateID = 0 })); return err }, "TemplateID"},
		{"zns data", func() error {
			_, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.TemplateData = nil }))
			return err
		}, "TemplateData"},
		{"zns oa", func() error { _, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.OAID = "" })); return err }, "OAID"},
		{"zns retry without tracking", func() error {
			_, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.TrackingID = ""; v.RetryWithTrackingID = true }))
			return err
		}, "TrackingID"},
		{"zns mode", func() error { _, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.Mode = "prod" })); return err }, "Mode"},
		{"zns sending mode", func() error {
			_, err := c.Zalo.SendZNS(ctx, z(func(v *etelecom.ZNS) { v.SendingMode = "fast" }))
			return err
		}, "SendingMode"},
		{"oa list", func() error { _, err := c.Zalo.ListOA(ctx, &etelecom.OAListParams{OAID: "x"}); return err }, "OAID"},
		{"connect code", func() error {
			_, err := c.Zalo.ConnectOA(ctx, &etelecom.OAConnection{OAID: "1"})
			return err
		}, "Code"},
		{"webhook url", func() error { _, err := c.Zalo.UpdateOAWebhook(ctx, "1", "not a url"); return err }, "webhookURL"},
		{"sms nil", func() error { _, err := s.Send(ctx, nil); return err }, "sms"},
		{"sms phone with +", func() error { _, err := s.Send(ctx, m(func(v *etelecom.SMS) { v.Phone = "+84901234567" })); return err }, "Phone"},
		{"sms route", func() error { _, err := s.Send(ctx, m(func(v *etelecom.SMS) { v.RouteRule = "" })); return err }, "RouteRule"},
		{"sms template", func() error { _, err := s.Send(ctx, m(func(v *etelecom.SMS) { v.TemplateCode = "" })); return err }, "TemplateCode"},
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
