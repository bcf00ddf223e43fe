// Package alohub is a client for the Alohub partner API (xapi.alohub.vn):
// call campaigns, their contact lists and contacts, bulk contact imports
// that run in the background, and call-log reports.
//
// A partner authenticates with its API key; the client learns the gateway's
// 10-second quotas (one per tenant, one per route) from the answers'
// rate-limit headers and waits for the next window instead of spending a
// 429:
//
//	c, err := alohub.New(os.Getenv("ALOHUB_API_KEY"))
//	if err != nil {
//		return err
//	}
//	started, err := c.Contacts.Import(ctx, "1042", &alohub.BulkImport{
//		ListName: "April leads",
//		Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001", Name: "KH 1"}, {PhoneNumber: "0901000002"}},
//	})
//	if err != nil {
//		return err
//	}
//	job, err := c.Contacts.WaitImport(ctx, "1042", started.JobID, &alohub.WaitOptions{
//		OnProgress: func(j *alohub.ImportJob) { fmt.Println(j.ProcessedRows, "of", j.TotalRows) },
//	})
//	switch {
//	case errors.Is(err, alohub.ErrImportLost):
//		// Alohub restarted and lost the job: import again, duplicates are skipped
//	case err != nil:
//		return err
//	}
//	fmt.Println(job.ProcessedRows, job.FailedRows, job.DuplicateRows)
//
// Alohub answers with an envelope {success, error_code, error_message,
// totalRecord, data}; a success other than "1" is an error even under HTTP
// 200. Every unsuccessful answer is a *partnerkit.Error whose Code is
// Alohub's (CodeInvalidState and the other Code constants) and which
// matches the partnerkit sentinel of its kind.
package alohub
