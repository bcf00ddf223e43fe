package etelecom_test

import (
	"errors"
	"net/http"
	"strings"
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
		{"extension number not an integer", func() error {
			_, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "1", ExtensionNumber: "ext-101"})
			return err
		}, "ExtensionNumber"},
		{"account users extension number not digits", func() error {
			_, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{ExtensionNumber: "1o1"})
			return err
		}, "ExtensionNumber"},
		{"extension hotline", func() error {
			_, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{ExtensionNumber: "101"})
			return err
		}, "HotlineID"},
		{"assign user", func() error {
			_, err := shop.Extensions.AssignUser(ctx, &etelecom.ExtensionAssignUserParams{ExtensionID: "1", UserID: "0"})
			return err
		}, "UserID"},
		{"assign nil", func() error { _, err := shop.Extensions.AssignUser(ctx, nil); return err }, "params"},
		{"remove user", func() error {
			_, err := shop.Extensions.RemoveUser(ctx, &etelecom.ExtensionRemoveUserParams{ExtensionID: "", UserID: "2"})
			return err
		}, "ExtensionID"},
		{"remove nil", func() error { _, err := shop.Extensions.RemoveUser(ctx, nil); return err }, "params"},
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
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.TemplateID = "0" }))
			return err
		}, "TemplateID"},
		{"zns template not an integer", func() error {
			_, err := shop.ZNS.Send(ctx, z(func(v *etelecom.ZNSSendParams) { v.TemplateID = "tpl-12345" }))
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
		{"webhook delete", func() error { return c.Webhooks.Delete(ctx, "abc") }, "id"},
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

func TestNewMethodsRejectBadInputBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) { return h.record(r, 200, `{}`), nil })
	shop := h.shop(t)
	long := strings.Repeat("á", 101)
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	txn := func(f func(*etelecom.ZNSSendTransactionParams)) *etelecom.ZNSSendTransactionParams {
		p := &etelecom.ZNSSendTransactionParams{OAID: "4321", ZaloUserID: "7001"}
		f(p)
		return p
	}
	button := etelecom.TransactionButton{Title: "Track", Type: etelecom.ButtonOpenURL, Payload: etelecom.TransactionButtonPayload{URL: "https://s.example/t"}}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"extension info params", func() error { _, err := shop.Extensions.GetInfo(ctx, nil); return err }, "params"},
		{"extension info number", func() error {
			_, err := shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "10a"})
			return err
		}, "ExtensionNumber"},
		{"extension info email", func() error {
			_, err := shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101", Email: "a@"})
			return err
		}, "Email"},
		{"update hotline", func() error {
			_, err := shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{ExtensionID: "1"})
			return err
		}, "HotlineID"},
		{"update hotline target", func() error {
			_, err := shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: "1"})
			return err
		}, "ExtensionID"},
		{"account user params", func() error { _, err := shop.AccountUsers.Create(ctx, nil); return err }, "params"},
		{"account user password", func() error {
			_, err := shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "A", Phone: "0901234567"})
			return err
		}, "Password"},
		{"account user phone", func() error {
			_, err := shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "A", Phone: "x", Password: "p"})
			return err
		}, "Phone"},
		{"account user ids", func() error {
			_, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{UserIDs: []partnerkit.ID{"1", "a"}})
			return err
		}, "UserIDs[1]"},
		{"authorize oa secret", func() error {
			_, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppID: "41", RedirectURI: "https://p.example/cb"})
			return err
		}, "AppSecret"},
		{"authorize oa redirect", func() error {
			_, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppID: "41", AppSecret: "s", RedirectURI: "/cb"})
			return err
		}, "RedirectURI"},
		{"authorize oa app", func() error {
			_, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppSecret: "s", RedirectURI: "https://p.example/cb"})
			return err
		}, "AppID"},
		{"refresh token", func() error { _, err := shop.OAs.RefreshToken(ctx, ""); return err }, "oaID"},
		{"followers gender", func() error {
			_, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{Gender: "f"})
			return err
		}, "Gender"},
		{"followers state", func() error {
			_, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{State: "following"})
			return err
		}, "State"},
		{"followers ids", func() error {
			for _, err := range shop.Followers.All(ctx, &etelecom.FollowerListParams{ZaloUserIDs: []partnerkit.ID{"x"}}) {
				return err
			}
			return nil
		}, "ZaloUserIDs[0]"},
		{"followers dates", func() error {
			_, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{DateFrom: from, DateTo: from.Add(-time.Hour)})
			return err
		}, "DateTo"},
		{"user info user", func() error {
			_, err := shop.Consults.RequestUserInfo(ctx, &etelecom.ConsultRequestUserInfoParams{OAID: "4321"})
			return err
		}, "ZaloUserID"},
		{"user info title", func() error {
			_, err := shop.Consults.RequestUserInfo(ctx, &etelecom.ConsultRequestUserInfoParams{OAID: "4321", ZaloUserID: "7001", Title: long})
			return err
		}, "Title"},
		{"image content", func() error {
			_, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{OAID: "4321", ZaloUserID: "7001"})
			return err
		}, "AttachmentID"},
		{"image oa", func() error {
			_, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{ZaloUserID: "7001", AttachmentID: "a"})
			return err
		}, "OAID"},
		{"file token", func() error {
			_, err := shop.Consults.SendFile(ctx, &etelecom.ConsultSendFileParams{OAID: "4321", ZaloUserID: "7001"})
			return err
		}, "Token"},
		{"sticker", func() error {
			_, err := shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: "4321", ZaloUserID: "7001"})
			return err
		}, "AttachmentID"},
		{"sticker params", func() error { _, err := shop.Consults.SendSticker(ctx, nil); return err }, "params"},
		{"txn user", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) { p.ZaloUserID = "" }))
			return err
		}, "ZaloUserID"},
		{"txn buttons", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) {
				p.Buttons = []etelecom.TransactionButton{button, button, button, button, button}
			}))
			return err
		}, "Buttons"},
		{"txn button title", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) {
				b := button
				b.Title = long
				p.Buttons = []etelecom.TransactionButton{button, b}
			}))
			return err
		}, "Buttons[1].Title"},
		{"txn button url", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) {
				b := button
				b.Payload.URL = ""
				p.Buttons = []etelecom.TransactionButton{b}
			}))
			return err
		}, "Buttons[0].Payload.URL"},
		{"txn button payload", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) {
				p.Buttons = []etelecom.TransactionButton{{Title: "Ask", Type: etelecom.ButtonQueryHide,
					Payload: etelecom.TransactionButtonPayload{Content: strings.Repeat("x", 1001)}}}
			}))
			return err
		}, "Buttons[0].Payload.Content"},
		{"txn table key", func() error {
			_, err := shop.ZNS.SendTransaction(ctx, txn(func(p *etelecom.ZNSSendTransactionParams) {
				p.Table = []etelecom.TransactionRow{{Value: "A-1"}}
			}))
			return err
		}, "Table[0].Key"},
		{"journey zns id", func() error {
			_, err := shop.ZNS.SendJourney(ctx, &etelecom.ZNSSendJourneyParams{OAID: "4321", Phone: "84901234567", TemplateID: "1", TemplateData: map[string]any{"a": 1}})
			return err
		}, "JourneyID"},
		{"journey zns retry", func() error {
			_, err := shop.ZNS.SendJourney(ctx, &etelecom.ZNSSendJourneyParams{OAID: "4321", JourneyID: "91", Phone: "84901234567", TemplateID: "1",
				TemplateData: map[string]any{"a": 1}, RetryWithTrackingID: true})
			return err
		}, "TrackingID"},
		{"consent call type", func() error {
			_, err := shop.Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: "4321", Phone: "84901234567", CallType: "phone", ReasonCode: etelecom.ReasonUpdateOrder})
			return err
		}, "CallType"},
		{"consent reason", func() error {
			_, err := shop.Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: "4321", Phone: "84901234567", CallType: etelecom.CallAudio})
			return err
		}, "ReasonCode"},
		{"consent check phone", func() error { _, err := shop.Consents.Check(ctx, "4321", "call me"); return err }, "phone"},
		{"consent list reason", func() error {
			_, err := shop.Consents.List(ctx, &etelecom.ConsentListParams{ReasonCode: "sales"})
			return err
		}, "ReasonCode"},
		{"template create id", func() error {
			_, err := shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: "4321"})
			return err
		}, "TemplateID"},
		{"template create type", func() error {
			_, err := shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: "4321", TemplateID: "1", Type: "promo"})
			return err
		}, "Type"},
		{"template get", func() error { _, err := shop.Templates.Get(ctx, "4321", "0"); return err }, "templateID"},
		{"template list id", func() error {
			_, err := shop.Templates.List(ctx, &etelecom.TemplateListParams{TemplateID: "-1"})
			return err
		}, "TemplateID"},
		{"template create id not an integer", func() error {
			_, err := shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: "4321", TemplateID: "12.5"})
			return err
		}, "TemplateID"},
		{"template get id not an integer", func() error { _, err := shop.Templates.Get(ctx, "4321", "tpl"); return err }, "templateID"},
		{"zns journey template not an integer", func() error {
			_, err := shop.ZNS.SendJourney(ctx, &etelecom.ZNSSendJourneyParams{OAID: "4321", JourneyID: "91", Phone: "84901234567",
				TemplateID: "1e3", TemplateData: map[string]any{"a": 1}})
			return err
		}, "TemplateID"},
		{"messages template not an integer", func() error {
			_, err := shop.Messages.List(ctx, &etelecom.MessageListParams{TemplateID: "abc"})
			return err
		}, "TemplateID"},
		{"journey phone", func() error {
			_, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: "4321", Phone: "abc"})
			return err
		}, "Phone"},
		{"journey token type", func() error {
			_, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: "4321", Phone: "84901234567", TokenType: "token_logistics_14"})
			return err
		}, "TokenType"},
		{"journey get", func() error { _, err := shop.Journeys.Get(ctx, "4321", ""); return err }, "journeyID"},
		{"journey list status", func() error {
			_, err := shop.Journeys.List(ctx, &etelecom.JourneyListParams{Status: "ok"})
			return err
		}, "Status"},
		{"messages time type", func() error {
			_, err := shop.Messages.List(ctx, &etelecom.MessageListParams{TimeType: "sent_time"})
			return err
		}, "TimeType"},
		{"messages paging", func() error {
			for _, err := range shop.Messages.All(ctx, &etelecom.MessageListParams{Limit: -1}) {
				return err
			}
			return nil
		}, "Limit"},
		{"message get", func() error { _, err := shop.Messages.Get(ctx, "4321", ""); return err }, "msgID"},
	}
	for _, tt := range tests {
		err := tt.call()
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, tt.name)
		var ve *partnerkit.ValidationError
		require.True(t, errors.As(err, &ve), tt.name)
		require.Equal(t, tt.field, ve.Field, tt.name)
	}
	require.Empty(t, h.Requests(), "nothing was sent")
}
