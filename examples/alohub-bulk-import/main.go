// Command alohub-bulk-import imports 5,000 contacts into an Alohub call
// campaign, shows the import job's progress while it runs, and prints the
// final counts (processed, failed, duplicates).
//
// It reads ALOHUB_API_KEY, ALOHUB_TENANT_ID (optional), ALOHUB_BASE_URL
// (optional; the production address when empty), and ALOHUB_CAMPAIGN_ID or
// ALOHUB_USER_NAME (the first running campaign of that user); with neither,
// it imports into campaign 1042, the documents' campaign. Without
// ALOHUB_API_KEY it runs against the built-in fake.
package main

import (
	"github.com/partnerkit/partnerkit-go/examples/internal/alohubflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

func main() { demo.Main("alohub-bulk-import", alohubflow.Run) }
