package alohub_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
)

// reencode decodes doc into a T, encodes it, and checks that every key of
// keys is in the encoding and that the encoding decodes into the same T.
func reencode[T any](t *testing.T, doc string, keys ...string) {
	t.Helper()
	var v T
	require.NoError(t, rawjson.Unmarshal([]byte(doc), &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	var members map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &members))
	for _, k := range keys {
		require.Contains(t, members, k, "%T drops %s: %s", v, k, out)
	}
	var again T
	require.NoError(t, rawjson.Unmarshal(out, &again))
	require.Equal(t, withoutRaw(v), withoutRaw(again), "%s", out)
}

// withoutRaw returns v with its Raw field, if any, emptied.
func withoutRaw[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	if f := rv.FieldByName("Raw"); f.IsValid() {
		f.SetZero()
	}
	return v
}

// TestEveryDocumentedFieldSurvivesReencoding decodes the documents'
// examples (with the nulls and string counts Alohub may send), encodes
// them and decodes them again: nothing is lost and a null stays a null.
func TestEveryDocumentedFieldSurvivesReencoding(t *testing.T) {
	t.Parallel()
	reencode[alohub.ContactList](t, `{"listId":501,"listName":"Danh sach thang 4","contactCount":150}`, "listId", "listName", "contactCount")
	reencode[alohub.ContactList](t, `{"listId":"501","listName":"","contactCount":"150"}`, "listId", "listName", "contactCount")
	contactKeys := []string{"contactId", "customerId", "phoneNumber", "name", "processStatus", "callStatus"}
	reencode[alohub.Contact](t, `{"contactId":88001,"customerId":55001,"phoneNumber":"0901234567","name":"Nguyen Van A","processStatus":0,"callStatus":null}`, contactKeys...)
	reencode[alohub.Contact](t, `{"contactId":88002,"customerId":55002,"phoneNumber":"0901234568","name":null,"processStatus":"2","callStatus":"ANSWERED"}`, contactKeys...)
	reencode[alohub.Contact](t, `{"contactId":88003,"customerId":55003,"phoneNumber":"0901234569","name":"","processStatus":1,"callStatus":""}`, contactKeys...)
	jobKeys := []string{"jobId", "status", "totalRows", "processedRows", "failedRows", "duplicateRows", "errorMessage"}
	reencode[alohub.ImportJob](t, `{"jobId":5,"status":"processing","totalRows":100,"processedRows":42,"failedRows":0,"duplicateRows":1}`, jobKeys...)
	reencode[alohub.ImportJob](t, `{"jobId":5,"status":"failed","totalRows":"100","processedRows":"42","failedRows":"58","duplicateRows":"1","errorMessage":"Database unavailable"}`, jobKeys...)
	reencode[alohub.ImportJob](t, `{"jobId":5,"status":"done","totalRows":100,"processedRows":100,"failedRows":0,"duplicateRows":0,"errorMessage":null}`, jobKeys...)
	reencode[alohub.ImportReceipt](t, `{"success":"1","error_code":"SUCCESS","error_message":"Bulk import started","job_id":5,"total_rows":2}`, "job_id", "total_rows", "error_message")
	reencode[alohub.ImportReceipt](t, `{"jobId":"6","totalRows":"2"}`, "job_id", "total_rows")
	reencode[alohub.Campaign](t, `{"campaignId":1042,"campaignName":"Chien dich thang 4","type":"CAMPAIGN_CALL_AUTO","status":2}`, "campaignId", "campaignName", "type", "status")
	reencode[alohub.CallLog](t, `{"callId":"c-1","callerNumber":"02873000000","calledNumber":"0912345678","customerName":"Nguyen Van A","callType":1,
"callStatus":"ANSWERED","callStartTime":"2026-04-14T09:00:00+07:00","callEndtime":"2026-04-14T09:02:05+07:00","duration":125}`,
		"callId", "callerNumber", "calledNumber", "customerName", "callType", "callStatus", "callStartTime", "callEndtime", "duration")

	var nullJob, emptyJob alohub.ImportJob
	require.NoError(t, json.Unmarshal([]byte(`{"status":"failed","errorMessage":null}`), &nullJob))
	require.NoError(t, json.Unmarshal([]byte(`{"status":"failed","errorMessage":""}`), &emptyJob))
	require.Nil(t, nullJob.ErrorMessage)
	require.NotNil(t, emptyJob.ErrorMessage, "an empty message is not a null one")
}
