package clock

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Sim is a discrete-event Clock for concurrency tests. Goroutines started
// with Go run on it; its time stands still while any of them works and, when
// all of them sleep, jumps to the earliest wake-up. Work between two sleeps
// (a request to a loopback server, say) therefore takes no time at all, and
// a run is reproducible in time whatever the machine's load.
type Sim struct {
	mu     sync.Mutex
	cond   *sync.Cond
	now    time.Time
	active int
	asleep []*sleeper
	wg     sync.WaitGroup
}

// sleeper is a goroutine blocked in Sleep.
type sleeper struct {
	wake time.Time
	ctx  context.Context
}

// NewSim returns a Sim set to now.
func NewSim(now time.Time) *Sim {
	s := &Sim{now: now}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// Now returns the simulated time.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// Go runs f in a new goroutine that the simulation waits for.
func (s *Sim) Go(f func()) {
	s.mu.Lock()
	s.active++
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			s.active--
			s.advance()
			s.mu.Unlock()
		}()
		f()
	}()
}

// Wait blocks until every goroutine started with Go has returned.
func (s *Sim) Wait() {
	s.wg.Wait()
}

// Sleep blocks until the simulated time reaches now+d or ctx ends. Call it
// only from goroutines started with Go.
func (s *Sim) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cond.Broadcast()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	me := &sleeper{wake: s.now.Add(d), ctx: ctx}
	s.asleep = append(s.asleep, me)
	s.advance()
	for s.now.Before(me.wake) && ctx.Err() == nil {
		s.cond.Wait()
	}
	i := slices.Index(s.asleep, me)
	s.asleep = slices.Delete(s.asleep, i, i+1)
	return ctx.Err()
}

// sleeping returns the wake-up times of the goroutines blocked in Sleep.
func (s *Sim) sleeping() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for _, sl := range s.asleep {
		out = append(out, sl.wake)
	}
	return out
}

// advance moves time to the earliest wake-up once everyone sleeps. A
// sleeper whose context has ended is about to wake, not asleep: time waits
// for it. s.mu is held.
func (s *Sim) advance() {
	if len(s.asleep) == 0 || len(s.asleep) < s.active {
		return
	}
	next := s.asleep[0].wake
	for _, sl := range s.asleep {
		if sl.ctx.Err() != nil {
			s.cond.Broadcast()
			return
		}
		if sl.wake.Before(next) {
			next = sl.wake
		}
	}
	if next.After(s.now) {
		s.now = next
	}
	s.cond.Broadcast()
}
