package etelecom_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// templateJSON is GetTemplate's example answer, its integers as strings.
const templateJSON = `{"apply_template_quota":true,"created_at":"2025-05-21T07:00:00Z",
"preview_url":"https://account.zalo.cloud/znspreview/abc==","price":"300","template_daily_quota":"500","template_id":"12345",
"template_name":"Order confirmation","template_params":[{"accept_null":false,"max_length":"30","min_length":"1","name":"order_code",
"require":true,"type":"STRING"}],"template_quality":"HIGH","template_remaining_quota":"498","template_status":"ENABLE",
"template_tag":"IN_TRANSACTION","timeout":"7200","type":"text","updated_at":"2025-05-21T07:00:00Z"}`

func TestTemplatesCreateAndGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "CreateTemplate", 200, templateJSON)
	h.on("Zalo", "GetTemplate", 200, templateJSON)
	shop := h.shop(t)
	tp, err := shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: "4321", TemplateID: "12345", Type: etelecom.TemplateText})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("12345"), tp.TemplateID)
	tp, err = shop.Templates.Get(ctx, "4321", "12345")
	require.NoError(t, err)
	require.Equal(t, "Order confirmation", tp.TemplateName)
	require.Equal(t, etelecom.TemplateEnabled, tp.TemplateStatus)
	require.Equal(t, etelecom.TagInTransaction, tp.TemplateTag)
	require.Equal(t, etelecom.QualityHigh, tp.TemplateQuality)
	require.Equal(t, partnerkit.Int(300), tp.Price)
	require.Equal(t, partnerkit.Int(498), tp.TemplateRemainingQuota)
	require.Equal(t, partnerkit.Int(7200), tp.Timeout)
	require.True(t, tp.ApplyTemplateQuota)
	require.Equal(t, []etelecom.TemplateParam{{Name: "order_code", Type: "STRING", Require: true, MinLength: 1, MaxLength: 30}}, tp.TemplateParams)
	require.JSONEq(t, templateJSON, string(tp.Raw))

	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/CreateTemplate", reqs[0].Path)
	require.JSONEq(t, `{"oa_id":"4321","template_id":12345,"type":"text"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/GetTemplate", reqs[1].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[1].Header.Get("Authorization"))
	require.JSONEq(t, `{"oa_id":"4321","template_id":12345}`, reqs[1].Body, "the template's ID is a JSON number, as the example sends it")
}

func TestTemplatesListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	item := `{"template_id":12345,"oa_id":"4321","shop_id":"1052570182707778180","is_journey":true,"ref_param":"order_code",
"retail_price":"350","price_exceeded":"0","price":300}`
	first := answer{200, `{"templates":[` + item + `],"paging":{"limit":50,"next":"t1"}}`}
	h.onSeq("Zalo", "ListTemplates", first, first, answer{200, `{"templates":[{"template_id":"12346"}],"paging":{"next":""}}`})
	shop := h.shop(t)
	page, err := shop.Templates.List(ctx, &etelecom.TemplateListParams{OAID: "4321", TemplateID: "12345", TemplateName: "Order", Type: etelecom.TemplateTable, Limit: 50})
	require.NoError(t, err)
	tp := page.Items[0]
	require.True(t, tp.IsJourney)
	require.Equal(t, partnerkit.ID("4321"), tp.OAID)
	require.Equal(t, partnerkit.Int(350), tp.RetailPrice)
	require.Equal(t, "order_code", tp.RefParam)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListTemplates", reqs[0].Path)
	require.JSONEq(t, `{"filter":{"oa_id":"4321","template_id":12345,"template_name":"Order","type":"table"},"paging":{"limit":50}}`, reqs[0].Body)
	var ids []partnerkit.ID
	for tp, err := range shop.Templates.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, tp.TemplateID)
	}
	require.Equal(t, []partnerkit.ID{"12345", "12346"}, ids)
}
