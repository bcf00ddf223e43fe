package redisfleet_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/redistest"
	"github.com/partnerkit/partnerkit-go/redisfleet"
)

// The fleet of BenchmarkFleetSessions.
const (
	fleetReplicas = 32
	fleetLifetime = 10 * time.Second // the fake's token lifetime
	fleetMargin   = 2 * time.Second  // renewal this long before expiry
	fleetSlack    = time.Second      // calls go on this long after the last renewal is due
	fleetPace     = 100 * time.Millisecond
)

// Environment of a replica process.
const (
	envReplica = "PARTNERKIT_FLEET_REPLICA" // "1" in a replica
	envBaseURL = "PARTNERKIT_FLEET_BASE_URL"
	envRedis   = "PARTNERKIT_FLEET_REDIS" // Redis's address, or "" for no store
)

// BenchmarkFleetSessions runs 32 replicas of a service, each a process of
// its own (this test binary, run again as TestFleetSessionsReplica), on
// one CheKin account: CheKin's fake on loopback in this process issues
// tokens that live 10 s, and each replica renews 2 s before expiry. Every
// replica makes one call and says it is ready; then all call every 100 ms
// until every token obtained at the start has been renewed once. It
// reports the token requests (logins and refreshes) CheKin received for
// the first tokens (cold-logins) and for one token lifetime after
// (logins/lifetime), with the Redis token store (redis) and without one
// (alone), and the calls that failed.
func BenchmarkFleetSessions(b *testing.B) {
	for _, mode := range []string{"redis", "alone"} {
		b.Run(mode, func(b *testing.B) {
			var cold, renewal, failed, calls int
			for range b.N {
				r := runFleet(b, mode == "redis")
				cold += r.cold
				renewal += r.renewal
				failed += r.failed
				calls += r.calls
			}
			b.ReportMetric(float64(cold)/float64(b.N), "cold-logins")
			b.ReportMetric(float64(renewal)/float64(b.N), "logins/lifetime")
			b.ReportMetric(float64(failed)/float64(b.N), "failed-calls")
			b.ReportMetric(float64(calls)/float64(b.N), "calls")
		})
	}
}

// fleetRun is what one run of the fleet counted.
type fleetRun struct {
	cold, renewal, failed, calls int
}

// replicaProcess is a running replica.
type replicaProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func runFleet(b *testing.B, shared bool) fleetRun {
	b.Helper()
	fake := chekintest.New()
	fake.SetTokenLifetime(fleetLifetime)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := append(os.Environ(), envReplica+"=1", envBaseURL+"="+srv.URL, envRedis+"=")
	if shared {
		env[len(env)-1] = envRedis + "=" + redistest.Start(b).Addr()
	}

	start := time.Now()
	procs := make([]*replicaProcess, fleetReplicas)
	for i := range procs {
		procs[i] = startReplica(b, env)
	}
	for i, p := range procs {
		if line := p.next(b, 2*time.Minute); line != "fleet: ready" {
			b.Fatalf("replica %d: %q instead of ready", i, line)
		}
	}
	ready := time.Now()
	if ready.Sub(start) >= fleetLifetime-fleetMargin-fleetSlack {
		b.Fatalf("the replicas took %s to start: a replica's first token would be renewed twice", ready.Sub(start))
	}
	run := fleetRun{cold: fake.TokenRequests()}
	stop := ready.Add(fleetLifetime - fleetMargin + fleetSlack)
	for _, p := range procs {
		if _, err := fmt.Fprintf(p.stdin, "go %d\n", stop.UnixNano()); err != nil {
			b.Fatal(err)
		}
	}
	for i, p := range procs {
		line := p.next(b, time.Until(stop)+2*time.Minute)
		var n, failed int
		if _, err := fmt.Sscanf(line, "fleet: done calls=%d failed=%d", &n, &failed); err != nil {
			b.Fatalf("replica %d: %q", i, line)
		}
		run.calls += n
		run.failed += failed
		if err := p.cmd.Wait(); err != nil {
			b.Fatalf("replica %d: %v", i, err)
		}
	}
	run.renewal = fake.TokenRequests() - run.cold
	return run
}

// startReplica runs this test binary as a replica.
func startReplica(b *testing.B, env []string) *replicaProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFleetSessionsReplica$", "-test.count=1")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	p := &replicaProcess{cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "fleet: ") {
				p.lines <- line
			}
		}
	}()
	return p
}

// next returns the replica's next line, failing b after wait.
func (p *replicaProcess) next(b *testing.B, wait time.Duration) string {
	b.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok {
			b.Fatalf("replica %d exited", p.cmd.Process.Pid)
		}
		return line
	case <-time.After(wait):
		b.Fatalf("replica %d said nothing for %s", p.cmd.Process.Pid, wait)
		return ""
	}
}

// TestFleetSessionsReplica is one replica of BenchmarkFleetSessions; it
// runs only in a process that the benchmark started. It makes a first call,
// says "fleet: ready", reads "go <stop>" (Unix nanoseconds), calls every
// fleetPace until stop and says how many calls it made and how many failed.
func TestFleetSessionsReplica(t *testing.T) {
	if os.Getenv(envReplica) != "1" {
		t.Skip("a replica of BenchmarkFleetSessions")
	}
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	opts := []partnerkit.Option{
		partnerkit.WithBaseURL(os.Getenv(envBaseURL)),
		partnerkit.WithHTTPClient(hc),
		chekin.WithTokenMargin(fleetMargin),
	}
	if addr := os.Getenv(envRedis); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		store, err := redisfleet.NewTokenStore(rdb)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, chekin.WithTokenStore(store))
	}
	c, err := chekin.New(chekintest.Email, chekintest.Password, opts...)
	if err != nil {
		t.Fatal(err)
	}
	call := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := c.Housings.List(ctx, nil)
		return err
	}
	if err := call(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("fleet: ready")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "go ")), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	stop := time.Unix(0, ns)
	calls, failed := 0, 0
	for time.Now().Before(stop) {
		calls++
		if err := call(); err != nil {
			failed++
			fmt.Fprintln(os.Stderr, "replica:", err)
		}
		time.Sleep(fleetPace)
	}
	fmt.Printf("fleet: done calls=%d failed=%d\n", calls, failed)
}
