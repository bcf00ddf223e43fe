// Command tour runs a realistic task against every provider, one stage
// each. A provider whose credentials are not set in the environment is
// served by its built-in fake on loopback, so the tour runs anywhere:
//
//	go run ./examples/tour
//
// The tour stops at the first stage that fails and exits with status 1.
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/partnerkit/partnerkit-go/examples/internal/alohubflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/chekinflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/cohostflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/colivingflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
	"github.com/partnerkit/partnerkit-go/examples/internal/etelecomflow"
)

// stages run in order; each is the flow of one provider's example.
var stages = []struct {
	name string
	run  demo.Flow
}{
	{"Cohost", cohostflow.Run},
	{"CheKin", chekinflow.Run},
	{"eTelecom", etelecomflow.Run},
	{"Alohub", alohubflow.Run},
	{"Coliving", colivingflow.Run},
}

func main() {
	demo.Main("tour", func(ctx context.Context, w io.Writer) error {
		fmt.Fprintln(w, "tour: every provider without credentials in the environment runs against its built-in fake on loopback")
		for i, s := range stages {
			fmt.Fprintf(w, "\n== %d/%d %s ==\n", i+1, len(stages), s.name)
			if err := s.run(ctx, w); err != nil {
				return fmt.Errorf("%s stage: %w", s.name, err)
			}
		}
		fmt.Fprintf(w, "\ntour complete: all %d stages passed\n", len(stages))
		return nil
	})
}
