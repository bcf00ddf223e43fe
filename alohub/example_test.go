package alohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
)

// fakeClient starts Alohub's fake on loopback and returns a client of it.
// A program talking to Alohub builds its client with alohub.New(apiKey)
// alone.
func fakeClient(fake *alohubtest.Server) (*alohub.Client, func()) {
	srv := httptest.NewServer(fake)
	c, err := alohub.New(alohubtest.APIKey, partnerkit.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

// Construct a client and list the running campaigns of a user.
func Example() {
	srv := httptest.NewServer(alohubtest.New())
	defer srv.Close()

	c, err := alohub.New(alohubtest.APIKey, partnerkit.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.Campaigns.List(context.Background(), &alohub.CampaignListParams{
		UserName: alohubtest.UserName,
		Status:   alohub.CampaignRunning,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, camp := range page.Items {
		fmt.Println(camp.ID, camp.Name, camp.Type)
	}
	fmt.Println("running campaigns:", page.Total)
	// Output:
	// 1042 Chien dich thang 4 CAMPAIGN_CALL_AUTO
	// running campaigns: 1
}

// Read every contact of a list, page after page.
func ExampleContactsService_All() {
	c, stop := fakeClient(alohubtest.New())
	defer stop()

	params := &alohub.ContactListParams{CampaignID: "1042", ListID: "501", Limit: 2}
	for ct, err := range c.Contacts.All(context.Background(), params) {
		if err != nil {
			log.Fatal(err)
		}
		name := "(no name)" // Alohub sent null
		if ct.Name != nil {
			name = *ct.Name
		}
		fmt.Println(ct.ID, ct.PhoneNumber, name, "pending:", ct.ProcessStatus == alohub.ProcessPending)
	}
	// Output:
	// 88001 0901234567 Nguyen Van A pending: true
	// 88002 0901234568 Tran Thi B pending: false
	// 88003 0901234569 (no name) pending: false
}

// Add one contact to a campaign. Without a ListID it goes to the
// campaign's first list.
func ExampleContactsService_Create() {
	c, stop := fakeClient(alohubtest.New())
	defer stop()

	receipt, err := c.Contacts.Create(context.Background(), &alohub.ContactCreateParams{
		CampaignID:  "1042",
		PhoneNumber: "0909000001",
		Name:        "Le Van C",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(receipt.Message)
	fmt.Println("list:", receipt.ListID)
	// Output:
	// Contact added to list 501
	// list: 501
}

// Import contacts in bulk and wait for the job. Rows Alohub cannot import
// do not stop the others: Wait returns the job and an error matching
// ErrImportRowsFailed that says which rows failed and why.
func ExampleImportsService_Wait() {
	c, stop := fakeClient(alohubtest.New(alohubtest.WithImportRate(100_000, 0)))
	defer stop()
	ctx := context.Background()

	receipt, err := c.Imports.Create(ctx, &alohub.ImportCreateParams{
		CampaignID: "1042",
		ListName:   "April leads",
		Contacts: []alohub.ImportContact{
			{PhoneNumber: "0901000001", Name: "KH 1"},
			{PhoneNumber: "+1 415 555 0100", Name: "KH 2"}, // not a Vietnamese number
			{PhoneNumber: "0901000003"},
			{PhoneNumber: "0901000001"}, // a duplicate
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	job, err := c.Imports.Wait(ctx, "1042", receipt.JobID, &alohub.ImportWaitParams{Interval: 100 * time.Millisecond})
	var importErr *alohub.ImportError
	switch {
	case errors.Is(err, alohub.ErrImportRowsFailed) && errors.As(err, &importErr):
		fmt.Printf("%d of %d rows failed: %s\n", importErr.Job.FailedRows, importErr.Job.TotalRows, *importErr.Job.ErrorMessage)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Printf("%s: %d rows, %d duplicates\n", job.Status, job.TotalRows, job.DuplicateRows)
	// Output:
	// 1 of 4 rows failed: 1 row has no valid Vietnamese phone number (row 2)
	// done: 4 rows, 1 duplicates
}

// Tell bad input, refusals by Alohub and missing objects apart.
func Example_errors() {
	c, stop := fakeClient(alohubtest.New())
	defer stop()
	ctx := context.Background()

	// Refused before anything is sent.
	_, err := c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "12"})
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("invalid input:", invalid.Field, errors.Is(err, partnerkit.ErrInvalidInput))
	}

	// Refused by Alohub: only a pending contact can be deleted.
	err = c.Contacts.Delete(ctx, "1042", "88002")
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) && apiErr.Code == alohub.CodeInvalidState {
		fmt.Println("refused:", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}

	// A campaign Alohub does not know.
	_, err = c.ContactLists.List(ctx, &alohub.ContactListListParams{CampaignID: "9999"})
	fmt.Println("not found:", errors.Is(err, partnerkit.ErrNotFound))
	// Output:
	// invalid input: PhoneNumber true
	// refused: 400 INVALID_STATE only a pending contact can be deleted
	// not found: true
}
