// Package demo holds what the example programs share: choosing between a
// provider's real address and its built-in fake, and ending cleanly.
//
// Each example's flow lives in a package of its own under examples/internal
// so that the example program and the tour run the same code:
//
//	func main() { demo.Main("cohost-booking", cohostflow.Run) }
//
// Flows build their clients with the options Options returns, so that a
// caller can add its own through the context (WithOptions): Main adds a
// debug logger on stderr when PARTNERKIT_DEBUG is set, and tests add a
// logger writing into a buffer.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// Timeout bounds a whole example run, the tour's five stages included.
// Each call is bounded on its own (per-attempt timeouts, bounded retries and
// waits); this is the last resort against a server that keeps answering
// slowly.
const Timeout = 10 * time.Minute

// Flow is one example's work. It writes what it does to w and returns an
// error when the provider (real or fake) did not behave as documented.
type Flow func(ctx context.Context, w io.Writer) error

// DebugVar is the environment variable that, when not empty, makes Main
// log every request, answer and retry decision at debug level to stderr
// (credentials redacted).
const DebugVar = "PARTNERKIT_DEBUG"

// Main runs flow under a context that ends on Ctrl-C or after Timeout,
// prints its output to stdout and, on failure, a one-line message to stderr
// and exits with status 1.
func Main(name string, flow Flow) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	if Env(DebugVar) != "" {
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		ctx = WithOptions(ctx, partnerkit.WithLogger(log))
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	err := flow(ctx, os.Stdout)
	cancel()
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

type optionsKey struct{}

// WithOptions returns a context carrying client options, added to those
// already carried, that every flow run under it passes to its clients'
// constructors (see Options).
func WithOptions(ctx context.Context, opts ...partnerkit.Option) context.Context {
	all := append(Options(ctx), opts...)
	return context.WithValue(ctx, optionsKey{}, all)
}

// Options returns the client options carried by ctx (see WithOptions). A
// flow passes them first to each client constructor and adds its own after
// them.
func Options(ctx context.Context) []partnerkit.Option {
	opts, _ := ctx.Value(optionsKey{}).([]partnerkit.Option)
	return append([]partnerkit.Option(nil), opts...)
}

// Target is where an example sends one provider's requests.
type Target struct {
	// BaseURL is the address to use; empty means the provider's production
	// address.
	BaseURL string
	// Fake reports whether BaseURL is the built-in fake started on loopback.
	Fake bool

	srv *httptest.Server
}

// Close stops the fake, if one was started.
func (t *Target) Close() {
	if t.srv != nil {
		t.srv.Close()
	}
}

// Env returns the environment variable's value with surrounding spaces
// removed.
func Env(name string) string {
	return strings.TrimSpace(os.Getenv(name))
}

// Resolve decides where requests go. When every credential variable in
// credVars is set, the target is urlVar's value (empty: production).
// When none is set, it starts fake on a loopback server and writes a line
// saying so to w. When only some are set, it returns an error naming the
// missing ones rather than guessing.
func Resolve(w io.Writer, provider, urlVar string, credVars []string, fake func() http.Handler) (*Target, error) {
	var set, missing []string
	for _, v := range credVars {
		if Env(v) != "" {
			set = append(set, v)
		} else {
			missing = append(missing, v)
		}
	}
	switch {
	case len(missing) == 0:
		return &Target{BaseURL: Env(urlVar)}, nil
	case len(set) > 0:
		return nil, fmt.Errorf("%s: %s set but %s missing", provider, strings.Join(set, ", "), strings.Join(missing, ", "))
	}
	srv := httptest.NewServer(fake())
	fmt.Fprintf(w, "%s: %s not set; using the built-in %s fake at %s\n", provider, strings.Join(credVars, ", "), provider, srv.URL)
	return &Target{BaseURL: srv.URL, Fake: true, srv: srv}, nil
}

// Check returns an error saying what was expected when ok is false. Flows use
// it to fail cleanly on answers that break the provider's documents.
func Check(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return errors.New("unexpected answer: " + fmt.Sprintf(format, args...))
}
