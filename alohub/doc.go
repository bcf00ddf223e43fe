// Package alohub is a client for the Alohub partner API (xapi.alohub.vn):
// call campaigns, their contact lists and contacts, bulk contact imports
// that run in the background, and the call report.
//
// A partner authenticates with its API key; the client learns the Kong
// gateway's 10-second quotas (one per tenant, one per route) from the
// answers' rate-limit headers and waits for the next window instead of
// spending a 429:
//
//	c, err := alohub.New(os.Getenv("ALOHUB_API_KEY"))
//	if err != nil {
//		return err
//	}
//	receipt, err := c.Imports.Create(ctx, &alohub.ImportCreateParams{
//		CampaignID: "1042",
//		ListName:   "April leads",
//		Contacts:   []alohub.ImportContact{{PhoneNumber: "0901000001", Name: "KH 1"}, {PhoneNumber: "0901000002"}},
//	})
//	if err != nil {
//		return err
//	}
//	job, err := c.Imports.Wait(ctx, "1042", receipt.JobID, nil)
//	switch {
//	case errors.Is(err, alohub.ErrImportRowsFailed):
//		fmt.Println(job.FailedRows, "rows failed:", err) // the others are imported
//	case err != nil:
//		return err
//	}
//
// # Services and methods
//
//	Campaigns     List(ctx, *CampaignListParams) (*Page[Campaign], error)
//	              All(ctx, *CampaignListParams) iter.Seq2[Campaign, error]
//	ContactLists  List(ctx, *ContactListListParams) (*Page[ContactList], error)
//	              All(ctx, *ContactListListParams) iter.Seq2[ContactList, error]
//	Contacts      List(ctx, *ContactListParams) (*Page[Contact], error)
//	              All(ctx, *ContactListParams) iter.Seq2[Contact, error]
//	              Create(ctx, *ContactCreateParams) (*ContactResult, error)
//	              Delete(ctx, campaignID, contactID) error
//	Imports       Create(ctx, *ImportCreateParams) (*ImportReceipt, error)
//	              Get(ctx, campaignID, jobID) (*ImportJob, error)
//	              Wait(ctx, campaignID, jobID, *ImportWaitParams) (*ImportJob, error)
//	CallLogs      List(ctx, *CallLogListParams) (*Page[CallLog], error)
//	              All(ctx, *CallLogListParams) iter.Seq2[CallLog, error]
//
// Contacts.Create answers a ContactResult: the contact is added. Imports
// answers an ImportReceipt: the job was accepted and runs on; Get and Wait
// follow it. Sandbox sends the calls to Alohub's development gateway.
//
// Lists return a Page with Items, Total (the answer's totalRecord), Page
// (numbered from 1 in every list: the client converts to Alohub's
// numbering, from 0 for campaigns and contacts) and Limit; All iterates
// over every page.
//
// # Errors
//
// Alohub answers with an envelope {success, error_code, error_message,
// totalRecord, data}; a success other than "1" is an error even under HTTP
// 200. Every unsuccessful answer is a *partnerkit.Error whose Code is
// Alohub's (CodeInvalidState and the other Code constants) and which
// matches the partnerkit sentinel of its kind. A RATE_LIMIT_EXCEEDED
// envelope is waited out and retried like a 429, creates included, since
// Alohub did not act on it. Bad arguments are refused before anything is
// sent with a *partnerkit.ValidationError. Imports.Wait reports a job that
// did not import every row with an *ImportError.
//
// # Examples
//
// Runnable examples, which go test runs against alohubtest: Example
// (construction and List), ExampleContactsService_All,
// ExampleContactsService_Create, ExampleImportsService_Wait and
// Example_errors.
package alohub
