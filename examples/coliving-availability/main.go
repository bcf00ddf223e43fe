// Command coliving-availability is what a channel manager does with
// Coliving.com: verify a host's API key, list the room types of a listing
// and push 90 days of availability, turned into the fewest date ranges and
// sent in as few requests as possible. It prints how many requests it took.
//
// Environment: COLIVING_API_KEY (the host's key) and COLIVING_PROVIDER (the
// integrator id, such as mangobeds); COLIVING_BASE_URL (the API root or the
// versioned base, used as given; default https://api.coliving.com, where the
// example stays in the sandbox unless COLIVING_PRODUCTION=1);
// COLIVING_LISTING_ID (default 5325, the sandbox's test listing). With
// no key and no provider set, it runs against the built-in fake and says so
// on its first line.
package main

import (
	"github.com/partnerkit/partnerkit-go/examples/internal/colivingflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

func main() { demo.Main("coliving-availability", colivingflow.Run) }
