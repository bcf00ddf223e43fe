// Package etelecom is a client for eTelecom: shop connection, cloud PBX
// (tenants, hotlines, extensions, call logs), Zalo notifications (ZNS) and,
// through a separate client, SMS brandname.
//
// eTelecom's API is Twirp-style RPC: every call is a POST of a JSON body to
// base + "." + Service + "/" + Method. A partner calls it with its API key,
// connects its merchants' shops, then acts as each shop with the shop's key:
//
//	c, err := etelecom.New(os.Getenv("ETELECOM_API_KEY"))
//	if err != nil {
//		return err
//	}
//	auth, err := c.Shops.Authorize(ctx, &etelecom.ShopSignup{
//		Email: "shop@example.com", Phone: "0901234567", Name: "Example Shop",
//		RedirectURL: "https://partner.example.com/etelecom/callback",
//	})
//	// Send the merchant to auth.AuthURL. In the callback handler:
//	rd, err := etelecom.ParseRedirect(r.URL)
//	auth, err = c.Shops.Reauthorize(ctx, rd.ShopID, callbackURL)
//	if auth.NeedsLogin() {
//		// the merchant unlinked the partner: send them to auth.AuthURL again
//	}
//	shop, err := c.ForShop(auth.ShopKey) // store auth.ShopKey with the shop
//	for l, err := range shop.CallLogs.All(ctx, &etelecom.CallLogParams{CallState: etelecom.CallAnswered}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(l.Caller, l.Callee, l.Duration)
//	}
//	msg, err := shop.Zalo.SendZNS(ctx, &etelecom.ZNS{
//		OAID: "4321", Phone: "84901234567", TemplateID: 12345,
//		TemplateData: map[string]any{"order_code": "A-1"}, TrackingID: "order-A-1",
//	})
//
// Methods this package does not wrap yet are reached with Client.Call.
// Read methods are retried when that is safe; creating and sending methods
// are not sent again once they may have reached eTelecom (SendZNS only
// when the caller opts in with a TrackingID).
//
// Every unsuccessful answer is a *partnerkit.Error whose Code is eTelecom's
// Twirp code (CodeInvalidArgument and the other Code constants), matched to
// the partnerkit sentinels by KindForCode.
//
// The SMS brandname API lives on another host and takes the account's
// credentials in the body; NewSMS returns its client. Its failures come back
// with HTTP 200 and a negative status, which the client returns as a
// *partnerkit.Error whose Code is that status (SMSBadPhone and the other
// constants):
//
//	sms, err := etelecom.NewSMS(username, password)
//	r, err := sms.Send(ctx, &etelecom.SMS{Phone: "84901234567", RouteRule: "1,3", TemplateCode: "OTP"})
//	if errors.Is(err, partnerkit.ErrForbidden) {
//		// SMSOutOfMessages: top the account up
//	}
package etelecom
