// Package etelecom is a client for eTelecom: shop connection and staff,
// cloud PBX (tenants, hotlines, extensions, call logs), Zalo Cloud
// (Official Accounts and their followers, consulting messages,
// notifications (ZNS) with templates and journey tokens, calling
// permissions), webhooks and their receiver, and, through a separate
// client, SMS brandname.
//
// eTelecom's API is Twirp-style RPC: every call is a POST of a JSON body to
// base + "." + Service + "/" + Method. A partner calls it with its api_key
// (New), connects its merchants' shops, then acts as each shop with the
// shop's key (ForShop):
//
//	c, err := etelecom.New(os.Getenv("ETELECOM_API_KEY"))
//	state := rand.Text() // bound to this login; checked in the callback
//	auth, err := c.Shops.Authorize(ctx, &etelecom.ShopAuthorizeParams{
//		Email: "shop@example.com", Phone: "0901234567", Name: "Example Shop",
//		RedirectURL: "https://partner.example.com/etelecom/callback?state=" + state,
//	})
//	// Send the merchant to auth.AuthURL. In the callback (a GET):
//	rd, err := etelecom.ParseRedirect(r.URL)
//	if err != nil || !rd.HasState(state) {
//		// not the redirect of this login: refuse it and keep waiting
//	}
//	auth, err = c.Shops.Reauthorize(ctx, rd.ShopID, callbackURL)
//	shop, err := c.ForShop(auth.ShopKey()) // store the key with the shop
//	for l, err := range shop.CallLogs.All(ctx, &etelecom.CallLogListParams{CallState: etelecom.CallAnswered}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(l.Caller, l.Callee, l.Duration.Duration())
//	}
//
// # Services and methods
//
//	Client         CurrentAccount(ctx) (*Account, error)
//	               ForShop(shopKey) (*Client, error)
//	               Call(ctx, Method, in, out) error
//	Shops          Authorize(ctx, *ShopAuthorizeParams) (*Authorization, error)
//	               Reauthorize(ctx, shopID, redirectURL) (*Authorization, error)
//	               Current(ctx) (*Shop, error)
//	AccountUsers   Create(ctx, *AccountUserCreateParams) (*User, error)
//	               List(ctx, *AccountUserListParams) (*Page[AccountUser], error)
//	               All(ctx, *AccountUserListParams) iter.Seq2[AccountUser, error]
//	Tenants        Create(ctx) (*Tenant, error)
//	               Current(ctx) (*Tenant, error)
//	               Activate(ctx, *TenantActivateParams) (*Updated, error)
//	               List(ctx, *TenantListParams) (*Page[Tenant], error)
//	               All(ctx, *TenantListParams) iter.Seq2[Tenant, error]
//	Hotlines       Create(ctx, *HotlineCreateParams) (*Hotline, error)
//	               List(ctx, *HotlineListParams) (*Page[Hotline], error)
//	               All(ctx, *HotlineListParams) iter.Seq2[Hotline, error]
//	Extensions     Create(ctx, *ExtensionCreateParams) (*Extension, error)
//	               List(ctx, *ExtensionListParams) (*Page[Extension], error)
//	               All(ctx, *ExtensionListParams) iter.Seq2[Extension, error]
//	               GetInfo(ctx, *ExtensionGetInfoParams) (*ExtensionInfo, error)
//	               AssignUser(ctx, *ExtensionAssignUserParams) (*Updated, error)
//	               RemoveUser(ctx, *ExtensionRemoveUserParams) (*Updated, error)
//	               UpdateHotline(ctx, *ExtensionUpdateHotlineParams) (*Updated, error)
//	CallLogs       List(ctx, *CallLogListParams) (*Page[CallLog], error)
//	               All(ctx, *CallLogListParams) iter.Seq2[CallLog, error]
//	OAs            List(ctx, *OAListParams) (*Page[OA], error)
//	               All(ctx, *OAListParams) iter.Seq2[OA, error]
//	               Authorize(ctx, *OAAuthorizeParams) (*OAAuthorization, error)
//	               Connect(ctx, *OAConnectParams) (*OA, error)
//	               RefreshToken(ctx, oaID) (*OAAuthorization, error)
//	               Update(ctx, oaID, *OAUpdateParams) (*OA, error)
//	Followers      List(ctx, *FollowerListParams) (*Page[Follower], error)
//	               All(ctx, *FollowerListParams) iter.Seq2[Follower, error]
//	Consults       RequestUserInfo(ctx, *ConsultRequestUserInfoParams) (*Updated, error)
//	               SendImage(ctx, *ConsultSendImageParams) (*Conversation, error)
//	               SendFile(ctx, *ConsultSendFileParams) (*Conversation, error)
//	               SendSticker(ctx, *ConsultSendStickerParams) (*Conversation, error)
//	ZNS            Send(ctx, *ZNSSendParams) (*ZNSMessage, error)
//	               SendJourney(ctx, *ZNSSendJourneyParams) (*ZNSMessage, error)
//	               SendTransaction(ctx, *ZNSSendTransactionParams) (*TransactionMessage, error)
//	Messages       List(ctx, *MessageListParams) (*Page[ZNSMessage], error)
//	               All(ctx, *MessageListParams) iter.Seq2[ZNSMessage, error]
//	               Get(ctx, oaID, msgID) (*ZNSMessage, error)
//	Templates      Create(ctx, *TemplateCreateParams) (*Template, error)
//	               Get(ctx, oaID, templateID) (*Template, error)
//	               List(ctx, *TemplateListParams) (*Page[Template], error)
//	               All(ctx, *TemplateListParams) iter.Seq2[Template, error]
//	Journeys       Create(ctx, *JourneyCreateParams) (*Journey, error)
//	               Get(ctx, oaID, journeyID) (*Journey, error)
//	               List(ctx, *JourneyListParams) (*Page[Journey], error)
//	               All(ctx, *JourneyListParams) iter.Seq2[Journey, error]
//	Consents       Request(ctx, *ConsentRequestParams) (*Consent, error)
//	               Check(ctx, oaID, phone) (*ConsentStatus, error)
//	               List(ctx, *ConsentListParams) (*Page[Consent], error)
//	               All(ctx, *ConsentListParams) iter.Seq2[Consent, error]
//	Webhooks       Create(ctx, *WebhookCreateParams) (*Webhook, error)
//	               List(ctx, *WebhookListParams) (*Page[Webhook], error)
//	               All(ctx, *WebhookListParams) iter.Seq2[Webhook, error]
//	               Delete(ctx, id) ([]Webhook, error)
//	SMSClient      Send(ctx, *SMSSendParams) (*SMSReceipt, error)
//	               Status(ctx, id) (*SMSStatus, error)
//
// Every ID is a partnerkit.ID. In an answer, ID is eTelecom's ID of the
// record; the IDs Zalo issues keep Zalo's names (OA.OAID,
// Template.TemplateID, ZNSMessage.MsgID, Journey.JourneyID,
// Follower.ZaloUserID), the names the params that take them use.
//
// # Keys and retries
//
// Every method this package wraps, with the key it takes: the partner's
// api_key (a client from New), a shop's key (a client from ForShop), or
// either (the client does not check; "not documented" where eTelecom's page
// does not say). A call with the wrong key is refused before anything is
// sent. Read-only methods are retried after failures that may have reached
// eTelecom; creates and sends are not.
//
//	Client.CurrentAccount     Misc/CurrentAccount                 either key     read-only
//	Shops.Authorize           Shop/AuthorizeShop                  partner key    creates a login request
//	Shops.Reauthorize         Shop/AuthorizeShop (shop_id)        partner key    idempotent
//	Shops.Current             Shop/CurrentShop                    shop key       read-only
//	AccountUsers.Create       Shop/CreateAccountUser              shop key       creates
//	AccountUsers.List, All    Shop/GetAccountUsers                not documented read-only
//	Tenants.List, All         Etelecom/GetPartnerTenantList       not documented read-only
//	Tenants.Create            Etelecom/CreateTenant               shop key       creates
//	Tenants.Current           Etelecom/GetTenant                  shop key       read-only
//	Tenants.Activate          Etelecom/PartnerActivateTenant      partner key    idempotent
//	Hotlines.Create           Etelecom/PartnerAddHotline          partner key    creates
//	Hotlines.List, All        Etelecom/GetPartnerHotlineList      partner key    read-only
//	Extensions.Create         Etelecom/CreateExtension            shop key       creates
//	Extensions.List, All      Etelecom/GetExtensions              not documented read-only
//	Extensions.GetInfo        Etelecom/GetExtensionInfo           shop key       read-only
//	Extensions.AssignUser     Etelecom/AssignUserToExtension      shop key       idempotent
//	Extensions.RemoveUser     Etelecom/RemoveUserOfExtension      shop key       idempotent
//	Extensions.UpdateHotline  Etelecom/UpdateHotlineForExtension  shop key       idempotent
//	CallLogs.List, All        Etelecom/ListCallLogs               shop key       read-only
//	OAs.List, All             Zalo/ListOA                         shop key       read-only
//	OAs.Authorize             Zalo/AuthorizeOA                    shop key       creates an authorization link
//	OAs.Connect               Zalo/ConnectOA                      shop key       creates
//	OAs.RefreshToken          Zalo/RefreshToken                   shop key       creates an authorization link
//	OAs.Update                Zalo/UpdateShopOA                   not documented idempotent
//	Followers.List, All       Zalo/ListFollowers                  shop key       read-only
//	Consults.RequestUserInfo  Zalo/RequestUserInfo                shop key       sends
//	Consults.SendImage        Zalo/OASendImage                    shop key       sends
//	Consults.SendFile         Zalo/OASendFile                     shop key       sends
//	Consults.SendSticker      Zalo/OASendSticker                  shop key       sends
//	ZNS.Send                  Zalo/SendZNS                        shop key       sends (retried only with RetryWithTrackingID)
//	ZNS.SendJourney           Zalo/SendZNSJourney                 not documented sends (retried only with RetryWithTrackingID)
//	ZNS.SendTransaction       Zalo/SendZNSTxn                     shop key       sends
//	Messages.List, All        Zalo/ListMessages                   shop key       read-only
//	Messages.Get              Zalo/GetMessage                     shop key       read-only
//	Templates.Create          Zalo/CreateTemplate                 not documented creates
//	Templates.Get             Zalo/GetTemplate                    shop key       read-only
//	Templates.List, All       Zalo/ListTemplates                  shop key       read-only
//	Journeys.Create           Zalo/CreateJourney                  shop key       creates
//	Journeys.Get              Zalo/GetJourney                     not documented read-only
//	Journeys.List, All        Zalo/ListJourneys                   shop key       read-only
//	Consents.Request          Zalo/RequestConsent                 shop key       sends
//	Consents.Check            Zalo/CheckConsent                   shop key       read-only
//	Consents.List, All        Zalo/ListRequestConsent             shop key       read-only
//	Webhooks.Create           Webhook/CreateWebhook               partner key    creates
//	Webhooks.List, All        Webhook/GetWebhooks                 partner key    read-only
//	Webhooks.Delete           Webhook/DeleteWebhook               partner key    idempotent
//
// Methods this package does not wrap are reached with Client.Call, which
// takes a Method: the service and name, the key rule, and whether the
// method is ReadOnly or Idempotent (nothing is guessed from a name).
// eTelecom's public pages list these without a method name or a request,
// so they are not wrapped:
//
//   - PBX: Partner Add Hotline To Tenant, Partner Removed Hotline From
//     Tenant, Partner Remove Hotline, Get Driver Config, and a shop's Get
//     hotline list.
//   - Zalo: Get OA information, Send Text Consulting (see ConsultsService)
//     and Upload file (which makes the attachments of Consults).
//   - Shop/CreateShopAccount and Shop/GetShops, named on the partner usage
//     page without their requests.
//
// The SMS page Get sample details is not in the public pages either; it
// belongs to the SMS host, which Call does not reach.
//
// # Errors
//
// Every unsuccessful answer is a *partnerkit.Error whose Code is eTelecom's
// Twirp code (CodeInvalidArgument and the other Code constants) and whose
// Details, when the body has a meta object, is an *ErrorDetails. A
// bad_route (a wrong base URL or method name) matches ErrInvalidRequest,
// not ErrNotFound. A redirect is never followed: it ends the call with an
// error saying so.
//
// # Webhooks
//
// Webhooks.Create registers an address that carries a secret (WebhookURL);
// a WebhookHandler served there hands each event to a function, typed as a
// CallLog or a ZNSMessage. eTelecom's pages do not show the deliveries'
// format, so the receiver reads them tolerantly and keeps them raw (see
// Event).
//
// # SMS brandname
//
// The SMS brandname API lives on another host and takes the account's
// credentials in the body; NewSMS returns its client. Its failures come back
// with HTTP 200 and a negative status, which the client returns as a
// *partnerkit.Error whose Code is that status (CodeSMSBadPhone and the
// other CodeSMS constants):
//
//	sms, err := etelecom.NewSMS(username, password)
//	r, err := sms.Send(ctx, &etelecom.SMSSendParams{
//		Phone: "84901234567", RouteRule: []string{etelecom.SMSChannelZNS, etelecom.SMSChannelSMS}, TemplateCode: "OTP",
//	})
//	if errors.Is(err, partnerkit.ErrForbidden) {
//		// CodeSMSOutOfMessages: top the account up
//	}
//
// # Examples
//
// Runnable examples, which go test runs against etelecomtest: Example
// (construction and a read), ExampleCallLogsService_All,
// ExampleZNSService_Send, ExampleConsultsService_SendImage, Example_errors
// and ExampleWebhookHandler.
package etelecom
