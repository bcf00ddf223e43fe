package etelecom_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

const (
	smsUser     = "partner-sms-user-01"
	smsPassword = "S3cret-SMS-pass!"
)

func newSMS(t *testing.T) (*etelecom.SMSClient, *harness) {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), clock: clock.NewAutoFake(epoch), logs: &syncBuffer{}}
	s, err := etelecom.NewSMS(smsUser, smsPassword, options(h, smsBase)...)
	require.NoError(t, err)
	return s, h
}

func (h *harness) onSMS(path string, status int, body string) {
	h.mock.RegisterResponder(http.MethodPost, smsBase+path, func(r *http.Request) (*http.Response, error) {
		return h.record(r, status, body), nil
	})
}

func sms() *etelecom.SMSSendParams {
	return &etelecom.SMSSendParams{
		Phone: "84901234567", RouteRule: []string{etelecom.SMSChannelZNS, etelecom.SMSChannelSMS},
		TemplateCode: "ORDER_OK", Params: map[string]string{"code": "A-1"},
	}
}

func TestSMSSend(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 200, `{"status":"1","code":"Success","idOmniMess":"a1b2c3"}`)
	r, err := s.Send(ctx, sms())
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("a1b2c3"), r.ID)
	require.Equal(t, "1", r.Status)
	require.Equal(t, "Success", r.Code)
	require.JSONEq(t, `{"status":"1","code":"Success","idOmniMess":"a1b2c3"}`, string(r.Raw))
	out, err := json.Marshal(r)
	require.NoError(t, err)
	require.JSONEq(t, string(r.Raw), string(out), "the receipt encodes as eTelecom sent it, without Raw")
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "/api/OmniMessage/SendMessage", reqs[0].Path)
	require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	require.Empty(t, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, fmt.Sprintf(`{"username":%q,"password":%q,"phonenumber":"84901234567","routerule":["1","3"],
"templatecode":"ORDER_OK","list_param":{"code":"A-1"}}`, smsUser, smsPassword), reqs[0].Body)
}

// TestSMSRouteRuleAsText: older pages (the legacy host) send the route
// rule as one string, passed through as given.
func TestSMSRouteRuleAsText(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 200, `{"status":1,"code":"Success","idOmniMess":987654321}`)
	m := sms()
	m.RouteRule, m.RouteRuleText = nil, "1,3"
	r, err := s.Send(ctx, m)
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("987654321"), r.ID, "a numeric id is read as text")
	require.Equal(t, "1", r.Status)
	var body map[string]any
	require.NoError(t, jsonUnmarshal(h.Requests()[0].Body, &body))
	require.Equal(t, "1,3", body["routerule"])
}

func TestSMSHosts(t *testing.T) {
	t.Parallel()
	for host, opts := range map[string][]partnerkit.Option{
		etelecom.DefaultSMSBaseURL: nil,
		etelecom.LegacySMSBaseURL:  {partnerkit.WithBaseURL(etelecom.LegacySMSBaseURL)},
	} {
		mock := httpmock.NewMockTransport()
		var got string
		mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return mocktest.JSON(200, `{"status":"1","idOmniMess":"a"}`), nil
		})
		s, err := etelecom.NewSMS(smsUser, smsPassword, append(opts, partnerkit.WithHTTPClient(&http.Client{Transport: mock}))...)
		require.NoError(t, err)
		_, err = s.Send(ctx, sms())
		require.NoError(t, err)
		require.Equal(t, host+etelecom.SMSSendPath, got)
	}
	require.Equal(t, "https://omni.incom.vn", etelecom.DefaultSMSBaseURL, "the newest page's host is the default")
}

// TestSMSRefusesTheRPCSandbox: etelecom.Sandbox would point the SMS client
// at the RPC API's sandbox.
func TestSMSRefusesTheRPCSandbox(t *testing.T) {
	t.Parallel()
	_, err := etelecom.NewSMS(smsUser, smsPassword, etelecom.Sandbox())
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	var ve *partnerkit.ValidationError
	require.True(t, errors.As(err, &ve))
	require.Equal(t, "etelecom.Sandbox", ve.Field)
}

func TestSMSNegativeStatusesAreErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status string
		body   string
		kind   error
	}{
		{etelecom.CodeSMSBadPhone, `{"status":"-1","code":"Fail","message":"Sai dinh dang so dien thoai"}`, partnerkit.ErrInvalidRequest},
		{etelecom.CodeSMSBadParameter, `{"status":-2,"code":"Fail"}`, partnerkit.ErrInvalidRequest},
		{etelecom.CodeSMSOutOfMessages, `{"status":"-3","code":"Het tin nhan"}`, partnerkit.ErrForbidden},
		{etelecom.CodeSMSTemplateMissing, `{"status":"-6","Message":"Template not found"}`, partnerkit.ErrNotFound},
		{etelecom.CodeSMSNoRoute, `{"status":"-8"}`, partnerkit.ErrInvalidRequest},
		{etelecom.CodeSMSNoChannel, `{"status":"-9","message":"Can't find any information about channel"}`, partnerkit.ErrInvalidRequest},
		{"-42", `{"status":"-42","message":"something new"}`, partnerkit.ErrUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			t.Parallel()
			s, h := newSMS(t)
			h.onSMS(etelecom.SMSSendPath, 200, tt.body)
			_, err := s.Send(ctx, sms())
			require.ErrorIs(t, err, tt.kind)
			var apiErr *partnerkit.Error
			require.True(t, errors.As(err, &apiErr))
			require.Equal(t, tt.status, apiErr.Code)
			require.Equal(t, 200, apiErr.StatusCode)
			require.NotEmpty(t, apiErr.Message)
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestSMSNegativeStatusMessage(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 200, `{"status":"-1","code":"Fail","message":"Sai dinh dang so dien thoai"}`)
	_, err := s.Send(ctx, sms())
	require.EqualError(t, err, "etelecom: POST /api/OmniMessage/SendMessage: 200 OK [-1]: the phone number format is wrong (Sai dinh dang so dien thoai)")
}

func TestSMSAcceptedWithoutAnIDIsUnexpected(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 200, `{"status":"1","code":"Success"}`)
	_, err := s.Send(ctx, sms())
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}

// TestSMSSendIsNeverSentTwice: a message is sent once after a failure that
// may have reached eTelecom (a 503, a timeout), and sent again after a 429
// eTelecom did not act on.
func TestSMSSendIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 503, `Service Unavailable`)
	_, err := s.Send(ctx, sms())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)

	s, h = newSMS(t)
	h.mock.RegisterResponder(http.MethodPost, smsBase+etelecom.SMSSendPath, func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		return nil, mocktest.Timeout()
	})
	_, err = s.Send(ctx, sms())
	require.ErrorIs(t, err, partnerkit.ErrNoResponse)
	require.Len(t, h.Requests(), 1)

	s, h = newSMS(t)
	h.mock.RegisterResponder(http.MethodPost, smsBase+etelecom.SMSSendPath, func(r *http.Request) (*http.Response, error) {
		if len(h.Requests()) == 0 {
			return h.record(r, 429, `Too Many Requests`), nil
		}
		return h.record(r, 200, `{"status":"1","code":"Success","idOmniMess":"a1b2c3"}`), nil
	})
	r, err := s.Send(ctx, sms())
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("a1b2c3"), r.ID)
	require.Len(t, h.Requests(), 2)
}

func TestSMSStatus(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSStatusPath, 200, `{"phonenumber":"84901234567","status":"SUCCESS","channel":"ZNS",
"templatecode":"ORDER_OK","errorCode":0,"createdatetime":"21/05/2021 14:43:22","list_param":"{\"code\":\"A-1\"}",
"mtcount":"1","telcoid":2,"duration":"17"}`)
	st, err := s.Status(ctx, "a1b2c3")
	require.NoError(t, err)
	require.Equal(t, etelecom.SMSStatusSuccess, st.Status)
	require.Equal(t, "84901234567", st.PhoneNumber)
	require.Equal(t, "ZNS", st.Channel)
	require.Equal(t, "0", st.ErrorCode)
	require.Equal(t, "21/05/2021 14:43:22", st.CreatedAt)
	require.Equal(t, `{"code":"A-1"}`, st.ListParam)
	require.Equal(t, partnerkit.Int(1), st.MTCount)
	require.Equal(t, "2", st.TelcoID)
	require.Equal(t, 17*time.Second, st.Duration.Duration())
	require.Contains(t, string(st.Raw), `"channel":"ZNS"`)
	out, err := json.Marshal(st)
	require.NoError(t, err)
	require.JSONEq(t, `{"phonenumber":"84901234567","status":"SUCCESS","channel":"ZNS","templatecode":"ORDER_OK","errorCode":"0",
"createdatetime":"21/05/2021 14:43:22","list_param":"{\"code\":\"A-1\"}","mtcount":1,"telcoid":"2","duration":17}`, string(out),
		"every documented field encodes under eTelecom's name, without Raw")
	var back etelecom.SMSStatus
	require.NoError(t, json.Unmarshal(out, &back))
	back.Raw = st.Raw
	require.Equal(t, *st, back)
	reqs := h.Requests()
	require.Equal(t, "/api/OmniReport/GetStatusOmni", reqs[0].Path)
	require.JSONEq(t, fmt.Sprintf(`{"username":%q,"password":%q,"idOmniMess":"a1b2c3"}`, smsUser, smsPassword), reqs[0].Body)
}

func TestSMSStatusIsRetried(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	n := 0
	h.mock.RegisterResponder(http.MethodPost, smsBase+etelecom.SMSStatusPath, func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return h.record(r, 502, `Bad Gateway`), nil
		}
		return h.record(r, 200, `{"status":"PROCESSING"}`), nil
	})
	st, err := s.Status(ctx, "a1b2c3")
	require.NoError(t, err)
	require.Equal(t, etelecom.SMSStatusProcessing, st.Status)
	require.Len(t, h.Requests(), 2)
}

func TestSMSCredentialsNeverAppearInLogsOrErrors(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.onSMS(etelecom.SMSSendPath, 401, `Can't access from this IP (user `+smsUser+`)`)
	h.onSMS(etelecom.SMSStatusPath, 200, `{"status":"-2","message":"bad parameter for `+smsUser+` / `+smsPassword+`"}`)
	_, sendErr := s.Send(ctx, sms())
	require.ErrorIs(t, sendErr, partnerkit.ErrUnauthorized)
	require.Contains(t, sendErr.Error(), "Can't access from this IP")
	_, statusErr := s.Status(ctx, "a1b2c3")
	require.ErrorIs(t, statusErr, partnerkit.ErrInvalidRequest)

	logs := h.logs.String()
	require.Contains(t, logs, "SendMessage", "debug logging is on")
	require.Len(t, h.Requests(), 2)
	for _, err := range []error{sendErr, statusErr} {
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		for _, secret := range []string{smsUser, smsPassword} {
			require.NotContains(t, err.Error(), secret)
			require.NotContains(t, string(apiErr.Body), secret)
		}
	}
	for _, secret := range []string{smsUser, smsPassword} {
		require.NotContains(t, logs, secret)
	}
}
