package fakekit_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

var epoch = time.Date(2025, 6, 1, 9, 0, 30, 0, time.UTC)

// clockAt returns a clock the test moves by changing *now.
func clockAt(now *time.Time) func() time.Time {
	return func() time.Time { return *now }
}

func TestTheClockIsMovedByAdvance(t *testing.T) {
	t.Parallel()
	k := fakekit.New("faketest", fakekit.Sliding)
	before := time.Now()
	k.Advance(time.Hour)
	got := k.Now()
	assert.False(t, got.Before(before.Add(time.Hour)), "the system clock, an hour on")
	assert.True(t, got.Before(time.Now().Add(time.Hour+time.Minute)))

	now := epoch
	k.SetClock(clockAt(&now))
	assert.Equal(t, epoch.Add(time.Hour), k.Now(), "Advance adds to the clock it was given")
	now = now.Add(time.Minute)
	k.Advance(time.Second)
	assert.Equal(t, epoch.Add(time.Hour+time.Minute+time.Second), k.Now())
	k.SetClock(nil)
	assert.False(t, k.Now().Before(time.Now().Add(time.Hour)), "nil is the system clock")
}

func TestFailuresQueueAndFireOnTheNextRequests(t *testing.T) {
	t.Parallel()
	k := fakekit.New("faketest", fakekit.Sliding, "GET /a")
	k.FailNext(1, fakekit.Failure{Status: 503})
	k.FailNext(2, fakekit.Failure{Status: 200, Code: "RATE_LIMIT_EXCEEDED"})
	k.FailNext(0, fakekit.Failure{Status: 500})
	k.FailNext(-1, fakekit.Failure{Status: 500})
	var got []fakekit.Failure
	for range 4 {
		f, ok := k.Receive("GET /a")
		if ok {
			got = append(got, f)
		}
	}
	assert.Equal(t, []fakekit.Failure{{Status: 503}, {Status: 200, Code: "RATE_LIMIT_EXCEEDED"}, {Status: 200, Code: "RATE_LIMIT_EXCEEDED"}}, got)
	k.FailNext(1, fakekit.Failure{Status: 500})
	f, ok := k.Receive("")
	assert.True(t, ok, "a request on no route fails too")
	assert.Equal(t, 500, f.Status)
}

func TestRequestsCountsByRouteAndPanicsOnAnUnknownRoute(t *testing.T) {
	t.Parallel()
	k := fakekit.New("faketest", fakekit.Sliding, "GET /a", "POST /a/{id}")
	k.Receive("GET /a")
	k.Receive("GET /a")
	k.Receive("")
	k.Receive("GET /elsewhere") // a fake that names a route it does not serve counts it among all only
	assert.Equal(t, 2, k.Requests("GET /a"))
	assert.Equal(t, 0, k.Requests("POST /a/{id}"))
	assert.Equal(t, 4, k.Requests(""))
	assert.Equal(t, []string{"GET /a", "POST /a/{id}"}, k.Routes())
	want := `faketest: Requests("GET /b"): the fake serves no such route; its routes are "GET /a", "POST /a/{id}", and "" stands for every request`
	assert.PanicsWithValue(t, want, func() { k.Requests("GET /b") })
	assert.PanicsWithValue(t, strings.Replace(want, `Requests("GET /b")`, `SetRateLimit("GET /b")`, 1), func() { k.SetRateLimit("GET /b", 1, time.Second) })
	assert.Panics(t, func() { fakekit.New("faketest", fakekit.Sliding, "GET /a", "GET /a") }, "a route given twice")
	assert.Panics(t, func() { fakekit.New("faketest", fakekit.Sliding, "") })
}

func TestSlidingCountsTheLastPeriod(t *testing.T) {
	t.Parallel()
	now := epoch
	k := fakekit.New("faketest", fakekit.Sliding, "GET /a")
	k.SetClock(clockAt(&now))
	k.SetRateLimit("GET /a", 2, time.Minute)
	v := k.Admit("key", "", "GET /a")
	require.True(t, v.Admitted())
	assert.Equal(t, []fakekit.State{{Route: "GET /a", Limit: 2, Remaining: 1, Reset: epoch.Add(time.Minute)}}, v.Quotas,
		"no quota on \"\": only the route's")
	now = epoch.Add(20 * time.Second)
	require.True(t, k.Admit("key", "", "GET /a").Admitted())
	now = epoch.Add(50 * time.Second)
	v = k.Admit("key", "", "GET /a")
	require.False(t, v.Admitted())
	assert.Equal(t, 10*time.Second, v.Wait, "until the first request leaves the minute")
	assert.Equal(t, 10, v.RetryAfter())
	assert.Equal(t, fakekit.State{Route: "GET /a", Limit: 2, Remaining: 0, Reset: epoch.Add(time.Minute)}, v.Quotas[0])
	assert.True(t, k.Admit("other", "GET /a").Admitted(), "each caller is counted apart")
	now = epoch.Add(time.Minute)
	v = k.Admit("key", "GET /a")
	require.True(t, v.Admitted(), "the first request left the period")
	assert.Equal(t, fakekit.State{Route: "GET /a", Limit: 2, Remaining: 0, Reset: epoch.Add(80 * time.Second)}, v.Quotas[0])
	assert.Equal(t, 1, k.RateLimited())
}

func TestAlignedWindowsFollowTheClock(t *testing.T) {
	t.Parallel()
	now := epoch // 9:00:30
	k := fakekit.New("faketest", fakekit.Aligned, "GET /a")
	k.SetClock(clockAt(&now))
	k.SetRateLimit("", 2, time.Minute)
	v := k.Admit("key", "", "GET /a")
	assert.Equal(t, []fakekit.State{{Route: "", Limit: 2, Remaining: 1, Reset: epoch.Add(30 * time.Second)}}, v.Quotas)
	k.Admit("key", "", "GET /a")
	now = epoch.Add(20 * time.Second)
	v = k.Admit("key", "", "GET /a")
	require.False(t, v.Admitted())
	assert.Equal(t, 10*time.Second, v.Wait, "until 9:01:00")
	now = epoch.Add(30 * time.Second)
	v = k.Admit("key", "", "GET /a")
	require.True(t, v.Admitted(), "a new window at 9:01:00")
	assert.Equal(t, 1, v.Quotas[0].Remaining)
	assert.Equal(t, epoch.Add(90*time.Second), v.Quotas[0].Reset)
}

func TestFromFirstWindowsOpenWithARequest(t *testing.T) {
	t.Parallel()
	now := epoch
	k := fakekit.New("faketest", fakekit.FromFirst, "GET /a")
	k.SetClock(clockAt(&now))
	k.SetRateLimit("", 1, 10*time.Second)
	require.True(t, k.Admit("", "").Admitted())
	now = epoch.Add(9 * time.Second)
	v := k.Admit("", "")
	require.False(t, v.Admitted())
	assert.Equal(t, time.Second, v.Wait)
	now = epoch.Add(25 * time.Second)
	v = k.Admit("", "")
	require.True(t, v.Admitted(), "the window ended; this request opens the next one")
	assert.Equal(t, epoch.Add(35*time.Second), v.Quotas[0].Reset)
}

func TestARefusedRequestIsCountedAgainstNoQuota(t *testing.T) {
	t.Parallel()
	now := epoch
	k := fakekit.New("faketest", fakekit.Sliding, "GET /a", "GET /b")
	k.SetClock(clockAt(&now))
	k.SetRateLimit("", 3, time.Minute)
	k.SetRateLimit("GET /a", 1, time.Minute)
	require.True(t, k.Admit("", "", "GET /a").Admitted())
	v := k.Admit("", "", "GET /a")
	require.False(t, v.Admitted())
	assert.Equal(t, []fakekit.State{
		{Route: "", Limit: 3, Remaining: 2, Reset: epoch.Add(time.Minute)},
		{Route: "GET /a", Limit: 1, Remaining: 0, Reset: epoch.Add(time.Minute)},
	}, v.Quotas)
	tightest, ok := v.Tightest()
	require.True(t, ok)
	assert.Equal(t, "GET /a", tightest.Route)
	v = k.Admit("", "", "GET /b")
	require.True(t, v.Admitted())
	assert.Equal(t, 1, v.Quotas[0].Remaining, "the refused request did not spend the quota of every request")
	_, ok = fakekit.Verdict{}.Tightest()
	assert.False(t, ok)
}

func TestTightestPrefersTheQuotaThatWaitsLongest(t *testing.T) {
	t.Parallel()
	v := fakekit.Verdict{Wait: time.Hour, Quotas: []fakekit.State{
		{Route: "", Remaining: 0, Reset: epoch.Add(time.Minute)},
		{Route: "GET /a", Remaining: 0, Reset: epoch.Add(time.Hour)},
		{Route: "GET /b", Remaining: 3, Reset: epoch.Add(2 * time.Hour)},
	}}
	got, _ := v.Tightest()
	assert.Equal(t, "GET /a", got.Route)
	assert.Equal(t, 1, fakekit.Verdict{Wait: time.Millisecond}.RetryAfter(), "at least a second")
	assert.Equal(t, 2, fakekit.Verdict{Wait: 1001 * time.Millisecond}.RetryAfter(), "rounded up")
	assert.Equal(t, 1, fakekit.RetryAfter(0))
	assert.Equal(t, 45, fakekit.RetryAfter(45*time.Second))
}

func TestRemovingAndSettingAQuotaAgain(t *testing.T) {
	t.Parallel()
	now := epoch
	k := fakekit.New("faketest", fakekit.FromFirst, "GET /a", "GET /b")
	k.SetClock(clockAt(&now))
	k.SetEachRoute(1, time.Minute)
	k.SetRateLimit("GET /a", 2, time.Minute)
	assert.True(t, k.Admit("", "GET /b").Admitted())
	assert.False(t, k.Admit("", "GET /b").Admitted(), "the quota of every route")
	assert.True(t, k.Admit("", "GET /a").Admitted())
	assert.True(t, k.Admit("", "GET /a").Admitted(), "a route's own quota")
	assert.False(t, k.Admit("", "GET /a").Admitted())

	k.SetRateLimit("GET /a", 2, time.Minute)
	assert.True(t, k.Admit("", "GET /a").Admitted(), "set again: counted afresh")
	k.SetEachRoute(1, time.Minute)
	assert.True(t, k.Admit("", "GET /b").Admitted(), "set again: counted afresh")
	assert.True(t, k.Admit("", "GET /a").Admitted())
	assert.False(t, k.Admit("", "GET /a").Admitted(), "a route's own quota is not counted afresh by SetEachRoute")

	for _, q := range []struct {
		limit int
		per   time.Duration
	}{{0, time.Minute}, {-1, time.Minute}, {1, 0}, {1, -time.Second}} {
		k.SetRateLimit("GET /a", 1, time.Hour)
		k.Admit("", "GET /a")
		k.SetRateLimit("GET /a", q.limit, q.per)
		v := k.Admit("", "GET /a")
		assert.True(t, v.Admitted(), "%+v removes the route's quota, and the route has not the one of every route", q)
		assert.Empty(t, v.Quotas)
	}
	k.SetEachRoute(0, time.Minute)
	assert.True(t, k.Admit("", "GET /b").Admitted())
	assert.True(t, k.Admit("", "GET /b").Admitted(), "no quota of every route")
	assert.Equal(t, 3, k.RateLimited())
}

func TestTheKitIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	k := fakekit.New("faketest", fakekit.Sliding, "GET /a")
	k.SetRateLimit("GET /a", 1000, time.Hour)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				k.FailNext(1, fakekit.Failure{Status: 503})
				k.Receive("GET /a")
				k.Admit("", "GET /a")
				k.Advance(time.Millisecond)
				_ = k.Requests("GET /a") + k.RateLimited()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 400, k.Requests("GET /a"))
	assert.Zero(t, k.RateLimited())
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	fakekit.WriteJSON(w, http.StatusCreated, map[string]any{"id": 1, "name": "<b>"})
	assert.Equal(t, http.StatusCreated, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, `{"id":1,"name":"\u003cb\u003e"}`, w.Body.String())
	assert.Equal(t, strconv.Itoa(w.Body.Len()), w.Header().Get("Content-Length"))

	w = httptest.NewRecorder()
	fakekit.WriteJSON(w, http.StatusOK, func() {})
	assert.Equal(t, http.StatusInternalServerError, w.Code, "a value JSON cannot hold")
}

func TestSignerSignsAndVerifies(t *testing.T) {
	t.Parallel()
	type claims struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	s := fakekit.NewSigner()
	token := s.Sign(claims{Sub: "42", Exp: 1700000000})
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	assert.Equal(t, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", parts[0], `{"alg":"HS256","typ":"JWT"}`)
	var got claims
	require.True(t, s.Verify(token, &got))
	assert.Equal(t, claims{Sub: "42", Exp: 1700000000}, got)

	assert.False(t, fakekit.NewSigner().Verify(token, &got), "another signer's key")
	assert.False(t, s.Verify(parts[0]+"."+parts[1]+".c2lnbmF0dXJl", &got), "a forged signature")
	assert.False(t, s.Verify(parts[0]+"."+parts[1], &got))
	assert.False(t, s.Verify("", &got))
	forged := s.Sign("not an object")
	assert.False(t, s.Verify(forged, &got), "claims that do not decode")
}

func TestDeliverPostsJSON(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, strings.Repeat("x", 300))
	}))
	defer receiver.Close()
	c := fakekit.NewDeliveryClient()
	status, text, err := fakekit.Deliver(context.Background(), c, receiver.URL+"/hook?s=1", "faketest", []byte(`{"a":1}`))
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, status)
	assert.Len(t, text, 256, "the start of the answer")
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/hook?s=1", got.URL.String())
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "faketest", got.Header.Get("User-Agent"))
	assert.Equal(t, `{"a":1}`, body)

	_, _, err = fakekit.Deliver(context.Background(), c, "http://127.0.0.1:1/", "faketest", nil)
	assert.Error(t, err, "nobody listens")
	_, _, err = fakekit.Deliver(context.Background(), c, "::not a url", "faketest", nil)
	assert.Error(t, err)
}

// refFake is the smallest fake built on a Kit: one route, GET /a, behind
// a key; the checks every fake runs pass on it. A mutant breaks one rule
// of the shared knobs, as the fakes did before they shared a Kit.
type refFake struct {
	kit    *fakekit.Kit
	mutant string

	failN, failStatus int   // the failures of the mutant "replace"
	late              []int // the failures of the mutant "late"
}

func (f *refFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := ""
	if r.Method == http.MethodGet && r.URL.Path == "/a" {
		route = "GET /a"
	}
	if fail, ok := f.kit.Receive(route); ok {
		w.WriteHeader(fail.Status)
		return
	}
	if f.mutant == "replace" && f.failN > 0 {
		f.failN--
		w.WriteHeader(f.failStatus)
		return
	}
	if r.Header.Get("Key") != "k" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if v := f.kit.Admit("k", "", route); !v.Admitted() {
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if len(f.late) > 0 {
		w.WriteHeader(f.late[0])
		f.late = f.late[1:]
		return
	}
	if route == "" {
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *refFake) FailNext(n, status int) {
	switch f.mutant {
	case "replace":
		f.failN, f.failStatus = n, status
	case "late":
		for range n {
			f.late = append(f.late, status)
		}
	default:
		f.kit.FailNext(n, fakekit.Failure{Status: status})
	}
}

func (f *refFake) SetRateLimit(route string, limit int, per time.Duration) {
	if f.mutant == "window" && per <= 0 {
		per = 10 * time.Second
	}
	f.kit.SetRateLimit(route, limit, per)
}

func (f *refFake) Requests(route string) (n int) {
	if f.mutant == "zero" {
		defer func() {
			if recover() != nil {
				n = 0
			}
		}()
	}
	return f.kit.Requests(route)
}

func (f *refFake) Advance(d time.Duration) { f.kit.Advance(d) }
func (f *refFake) RateLimited() int        { return f.kit.RateLimited() }

func refSubject(w fakekit.Window, mutant string) fakekittest.Subject {
	return fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			k := fakekit.New("reftest", w, "GET /a", "POST /a")
			k.SetClock(now)
			return &refFake{kit: k, mutant: mutant}
		},
		Route:  "GET /a",
		Routes: []string{"GET /a", "POST /a"},
		Request: func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/a", nil)
			r.Header.Set("Key", "k")
			return r
		},
		Refused: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/a", nil) },
	}
}

func TestTheChecksPassOnAReferenceFake(t *testing.T) {
	t.Parallel()
	for _, w := range []fakekit.Window{fakekit.Sliding, fakekit.Aligned, fakekit.FromFirst} {
		fakekittest.Run(t, refSubject(w, ""))
	}
}

// recorder is a fakekittest.T that records the first failure and ends the
// check.
type recorder struct {
	failed string
}

type endCheck struct{}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(endCheck{})
}

// failing returns the names of the checks that fail on s.
func failing(s fakekittest.Subject) []string {
	var names []string
	for _, c := range fakekittest.Checks {
		r := &recorder{}
		func() {
			defer func() {
				if v := recover(); v != nil && v != (endCheck{}) {
					r.failed = fmt.Sprint(v)
				}
			}()
			c.Check(r, s)
		}()
		if r.failed != "" {
			names = append(names, c.Name)
		}
	}
	return names
}

// TestTheChecksCatchTheOldDifferences: each way the fakes' knobs differed
// before they shared a Kit fails a check.
func TestTheChecksCatchTheOldDifferences(t *testing.T) {
	t.Parallel()
	assert.Empty(t, failing(refSubject(fakekit.Sliding, "")))
	assert.Equal(t, []string{"FailNext queues: a second call adds to the failures pending"},
		failing(refSubject(fakekit.Sliding, "replace")))
	assert.Equal(t, []string{
		"FailNext fires before any check: the credential",
		"FailNext fires before any check: the quota, which a failure does not spend",
	}, failing(refSubject(fakekit.Sliding, "late")))
	assert.Equal(t, []string{"a limit or a period of zero or less removes the quota"},
		failing(refSubject(fakekit.FromFirst, "window")))
	assert.Equal(t, []string{"Requests panics on a route the fake does not serve, listing those it serves"},
		failing(refSubject(fakekit.Sliding, "zero")))
}

func TestCheckIDPanicsOnAnIDThatIsNotANumber(t *testing.T) {
	t.Parallel()
	k := fakekit.New("faketest", fakekit.Sliding)
	assert.NotPanics(t, func() { k.CheckID("AddThing", "1042") })
	assert.PanicsWithValue(t, `faketest: AddThing: ID "villa" is not a number`, func() { k.CheckID("AddThing", "villa") })
	assert.Panics(t, func() { k.CheckID("AddThing", "") })
}
