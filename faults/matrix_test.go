package faults

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
	"go.uber.org/goleak"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Timing of every cell. The per-attempt timeout is shorter than the fault
// window, so a fault that outlasts one attempt is seen by the retry rule;
// the call's deadline leaves room for the retries a read needs to recover.
const (
	attemptTimeout = 500 * time.Millisecond
	faultWindow    = 700 * time.Millisecond
	callDeadline   = 3 * time.Second
	// slack is what a call may take past its deadline: the return path on
	// two shared cores with the race detector.
	slack      = 300 * time.Millisecond
	maxRetries = 6
)

// clientOptions are the options every provider's client gets in a cell:
// short timeouts and backoff, and a fixed jitter so the retry timeline is
// the same on every run (waits of 49, 99, 198, 198… ms).
func clientOptions(hc *http.Client) []partnerkit.Option {
	return []partnerkit.Option{
		partnerkit.WithHTTPClient(hc),
		partnerkit.WithInsecureHTTP(), // the fakes' names resolve to the proxy on loopback
		partnerkit.WithTimeout(attemptTimeout),
		partnerkit.WithMaxRetries(maxRetries),
		partnerkit.WithRetryBackoff(50*time.Millisecond, 200*time.Millisecond),
		transport.WithRandom(func() float64 { return 0.99 }),
	}
}

// Subject is one provider's fake and the two calls the matrix makes on it.
type Subject struct {
	// Handler is the provider's fake.
	Handler http.Handler
	// Connect builds a client of the fake at baseURL with opts and returns
	// the two calls.
	Connect func(baseURL string, opts ...partnerkit.Option) (Calls, error)
	// CreateRequests returns how many create requests reached the fake,
	// from its own records.
	CreateRequests func() int
	// Created returns the IDs of the objects the fake holds as created.
	// For an idempotent write it returns the state the fake holds, in the
	// form Create returns it, or nothing while the fake holds none.
	Created func() []string
	// IdempotentWrite says that Create is an absolute write, which sets a
	// state instead of adding an object, so the client may deliver it any
	// number of times. The matrix then expects of it what it expects of a
	// read, that it recovers when the fault is transient, and, instead of
	// at most one delivery, that the fake holds exactly what was written
	// when the call succeeded, and that or nothing when it failed.
	IdempotentWrite bool
}

// Calls are the matrix's two operations on a provider.
type Calls struct {
	// Read is an idempotent read, which the client may retry.
	Read func(ctx context.Context) error
	// Create creates one object and returns its ID; the client must never
	// send it twice once it may have reached the server. For an idempotent
	// write (Subject.IdempotentWrite) it returns the state it writes, in
	// the form Subject.Created reports it, whether or not it succeeds.
	Create func(ctx context.Context) (string, error)
}

// providers lists the providers under test: one entry each.
var providers = []struct {
	name string
	new  func() Subject
}{
	{"cohost", cohostSubject},
	{"chekin", chekinSubject},
	{"etelecom", etelecomSubject},
	{"alohub", alohubSubject},
	{"coliving", colivingSubject},
}

// A fault is applied when a call starts and cleared faultWindow later, or,
// when it is permanent, after the call.
type fault struct {
	name      string
	permanent bool
	// what says in words what the fault does, for the results table.
	what  string
	apply func(*toxiproxy.Proxy) error
	clear func(*toxiproxy.Proxy) error
}

// toxic returns a fault that adds one toxic and removes it.
func toxic(name, what, stream, kind, attrs string) fault {
	return fault{
		name: name,
		what: what,
		apply: func(p *toxiproxy.Proxy) error {
			_, err := p.Toxics.AddToxicJson(strings.NewReader(fmt.Sprintf(
				`{"name":%q,"type":%q,"stream":%q,"toxicity":1,"attributes":%s}`, name, kind, stream, attrs)))
			return err
		},
		clear: func(p *toxiproxy.Proxy) error {
			return p.Toxics.RemoveToxic(context.Background(), name)
		},
	}
}

var faults = []fault{
	toxic("latency_within", "answers 150 ms late (within the 500 ms attempt timeout)", "downstream", "latency", `{"latency":150}`),
	toxic("latency_beyond", "answers 900 ms late (beyond the attempt timeout) for 700 ms", "downstream", "latency", `{"latency":900}`),
	toxic("timeout", "answers never arrive, then the connection closes, for 700 ms", "downstream", "timeout", `{"timeout":0}`),
	toxic("reset_peer", "connections reset (RST) as the answer starts, for 700 ms", "downstream", "reset_peer", `{"timeout":0}`),
	toxic("slicer", "answers cut into 16-byte pieces 2 ms apart", "downstream", "slicer", `{"average_size":16,"size_variation":8,"delay":2000}`),
	toxic("bandwidth", "answers at 1 KB/s for 700 ms", "downstream", "bandwidth", `{"rate":1}`),
	toxic("limit_data", "connections closed after 64 bytes of answer, for 700 ms", "downstream", "limit_data", `{"bytes":64}`),
	toxic("timeout_upstream", "requests never arrive, then the connection closes, for 700 ms", "upstream", "timeout", `{"timeout":0}`),
	toxic("limit_data_upstream", "connections closed after 100 bytes of request, for 700 ms", "upstream", "limit_data", `{"bytes":100}`),
	stall,
	{
		name:  "down_up",
		what:  "the server is unreachable (connection refused) for 700 ms",
		apply: func(p *toxiproxy.Proxy) error { p.Stop(); return nil },
		clear: func(p *toxiproxy.Proxy) error { return p.Start() },
	},
}

// stall never clears while the call runs: the call must end by its deadline.
var stall = func() fault {
	f := toxic("stall", "answers never arrive, for the whole call", "downstream", "timeout", `{"timeout":0}`)
	f.name, f.permanent = "stall", true
	return f
}()

// observation is what one cell saw.
type observation struct {
	provider, fault, op string
	attempts            int
	took                time.Duration
	outcome             string
	reached, created    int
}

var (
	resultsMu sync.Mutex
	results   []observation
)

// TestMain silences toxiproxy's logs, lets every provider run at once,
// prints the results table after the tests and fails the run when any
// goroutine (the SDK's, the fakes' or the proxy's) outlives them.
func TestMain(m *testing.M) {
	zerolog.SetGlobalLevel(zerolog.Disabled)
	flag.Parse()
	// A cell spends its time waiting on timers and the network, not on the
	// processor, so providers need not queue for cores: unless -parallel
	// says otherwise, all of them run at once, not GOMAXPROCS at a time.
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		if err := flag.Set("test.parallel", strconv.Itoa(len(providers))); err != nil {
			fmt.Fprintln(os.Stderr, "setting -parallel:", err)
			os.Exit(2)
		}
	}
	code := m.Run()
	if len(results) > 0 {
		fmt.Print(table(results))
	}
	if code == 0 {
		// A toxic's goroutine can stay blocked in toxiproxy after its
		// connection is gone (bandwidth's Pipe sending to a closed link):
		// toxiproxy's own leak, not the SDK's.
		if err := goleak.Find(goleak.IgnoreAnyFunction("github.com/Shopify/toxiproxy/v2/toxics.(*ToxicStub).Run")); err != nil {
			fmt.Fprintln(os.Stderr, "leaked goroutines:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// TestFaultMatrix runs every fault against every provider. Providers run in
// parallel (each cell has its own fake, proxy and client), their cells one
// after another.
func TestFaultMatrix(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			for _, f := range faults {
				t.Run(f.name, func(t *testing.T) {
					t.Run("read", func(t *testing.T) { runCell(t, p.name, p.new(), f, "read") })
					t.Run("create", func(t *testing.T) { runCell(t, p.name, p.new(), f, "create") })
				})
			}
		})
	}
}

// runCell starts the fake behind a proxy, applies the fault, makes one
// call, clears the fault after the window and checks the call and the
// fake's records.
func runCell(t *testing.T, provider string, s Subject, f fault, op string) {
	srv := httptest.NewServer(s.Handler)
	proxy := toxiproxy.NewProxy(toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()), provider, "127.0.0.1:0", srv.Listener.Addr().String())
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	base := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 8}
	rt := &counter{next: base}
	calls, err := s.Connect("http://"+proxy.Listen, clientOptions(&http.Client{Transport: rt})...)
	if err != nil {
		t.Fatal(err)
	}

	if err := f.apply(proxy); err != nil {
		t.Fatal(err)
	}
	cleared := make(chan error, 1)
	window := faultWindow
	if f.permanent {
		window = time.Hour
	}
	timer := time.AfterFunc(window, func() { cleared <- f.clear(proxy) })

	ctx, cancel := context.WithTimeout(context.Background(), callDeadline)
	start := time.Now()
	var id string
	if op == "read" {
		err = calls.Read(ctx)
	} else {
		id, err = calls.Create(ctx)
	}
	took := time.Since(start)
	cancel()

	if timer.Stop() {
		cleared <- f.clear(proxy)
	}
	if err := <-cleared; err != nil {
		t.Errorf("clearing the fault: %v", err)
	}
	// Stop the proxy, then the server: Close waits for the handlers still
	// running, so the fake's records are final.
	proxy.Stop()
	base.CloseIdleConnections()
	srv.Close()

	label := op
	if op == "create" && s.IdempotentWrite {
		label = "write"
	}
	held := s.Created()
	obs := observation{provider: provider, fault: f.name, op: label, attempts: int(rt.n.Load()), took: took,
		outcome: outcome(err), reached: s.CreateRequests(), created: len(held)}
	resultsMu.Lock()
	results = append(results, obs)
	resultsMu.Unlock()
	t.Logf("cell: %s %s under %s (%s): %s after %s, %d attempts; the fake saw %d create requests and holds %d created",
		provider, op, f.name, f.what, obs.outcome, took.Round(time.Millisecond), obs.attempts, obs.reached, obs.created)

	if took > callDeadline+slack {
		t.Errorf("the call took %s, past its %s deadline", took, callDeadline)
	}
	if err != nil && !typed(err) {
		t.Errorf("untyped error %T: %v", err, err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), provider+": ") {
		t.Errorf("the error does not name the provider: %v", err)
	}
	switch label {
	case "read", "write":
		if f.permanent && !errors.Is(err, partnerkit.ErrNoResponse) {
			t.Errorf("a %s under a lasting fault ended with %v, want ErrNoResponse", label, err)
		}
		if !f.permanent && err != nil {
			t.Errorf("the %s did not recover from a transient fault: %v", label, err)
		}
	}
	switch label {
	case "read":
		if obs.reached != 0 || obs.created != 0 {
			t.Errorf("a read created something: %d create requests, %d created", obs.reached, obs.created)
		}
	case "write":
		// Delivered any number of times, an absolute write leaves one state:
		// what was written, or, when the call failed, possibly nothing.
		if obs.created > 1 || (obs.created == 1 && held[0] != id) {
			t.Errorf("the fake holds %q, not what was written (%q)", held, id)
		}
		if err == nil && obs.created != 1 {
			t.Errorf("the write succeeded but the fake holds %q, not %q", held, id)
		}
	case "create":
		if obs.reached > 1 || obs.created > 1 {
			t.Errorf("the create reached the server %d times and %d objects exist: at most one allowed", obs.reached, obs.created)
		}
		if err == nil && (obs.created != 1 || held[0] != id) {
			t.Errorf("the create succeeded with id %q but the fake holds %v", id, held)
		}
	}
}

// direct serves a client's requests with a handler in-process. A subject
// uses it for the calls that prepare a cell (a login, finding an ID), which
// must go neither through the proxy nor into the cell's attempts.
type direct struct {
	h http.Handler
}

func (d direct) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		defer r.Body.Close()
	}
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, r.Clone(r.Context()))
	return rec.Result(), nil
}

// setupClient returns an HTTP client whose requests h serves in-process.
func setupClient(h http.Handler) *http.Client {
	return &http.Client{Transport: direct{h}}
}

// counter counts the attempts a client sends.
type counter struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// typed reports whether err is one of the SDK's: a provider's answer
// (*partnerkit.Error) or a call that got no answer (ErrNoResponse).
func typed(err error) bool {
	var apiErr *partnerkit.Error
	return errors.As(err, &apiErr) || errors.Is(err, partnerkit.ErrNoResponse)
}

// outcome names a call's result for the table.
func outcome(err error) string {
	var apiErr *partnerkit.Error
	var netErr net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &apiErr):
		return fmt.Sprintf("error %d %s", apiErr.StatusCode, apiErr.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "error: timeout"
	case errors.Is(err, syscall.ECONNRESET):
		return "error: connection reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "error: connection refused"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "error: connection closed mid-answer"
	case errors.Is(err, partnerkit.ErrNoResponse):
		return "error: connection broken mid-answer"
	default:
		return "error: " + err.Error()
	}
}

// table formats the observations as a Markdown table, provider by
// provider in the order of the providers table.
func table(obs []observation) string {
	rank := map[string]int{}
	for i, p := range providers {
		rank[p.name] = i
	}
	sort.SliceStable(obs, func(i, j int) bool { return rank[obs[i].provider] < rank[obs[j].provider] })
	var b strings.Builder
	b.WriteString("\n| provider | fault | call | outcome | attempts | took | create requests seen by the fake | created |\n|---|---|---|---|---|---|---|---|\n")
	for _, o := range obs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s | %d | %d |\n",
			o.provider, o.fault, o.op, o.outcome, o.attempts, o.took.Round(10*time.Millisecond), o.reached, o.created)
	}
	fmt.Fprintf(&b, "\nEach call: %s attempt timeout, %d retries at most, %s deadline.", attemptTimeout, maxRetries, callDeadline)
	for _, o := range obs {
		if o.op == "write" {
			b.WriteString(" A write is an absolute, idempotent update: its created column is 1 when the fake holds exactly what was written.")
			break
		}
	}
	b.WriteString(" Faults:\n")
	for _, f := range faults {
		fmt.Fprintf(&b, "- %s: %s\n", f.name, f.what)
	}
	return b.String()
}
