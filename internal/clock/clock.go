// Package clock abstracts time so that waits in the SDK (backoff, rate
// limits, token expiry, polling) can be tested exactly and instantly.
//
//	c := clock.Real
//	if err := c.Sleep(ctx, time.Second); err != nil {
//		return err // ctx ended first
//	}
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done, whichever comes first. It
	// returns ctx.Err() when ctx ended the wait.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the system clock.
var Real Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fake is a Clock for tests. Its time moves only when told to: by Advance,
// or, in auto-advance mode, by every Sleep, which then returns at once with
// the clock moved to the sleeper's wake-up time. It records every Sleep.
type Fake struct {
	mu       sync.Mutex
	cond     *sync.Cond
	now      time.Time
	auto     bool
	sleeps   []time.Duration
	sleepers int
}

// NewFake returns a Fake set to now in which sleepers block until Advance
// wakes them or their context ends.
func NewFake(now time.Time) *Fake {
	f := &Fake{now: now}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// NewAutoFake returns a Fake set to now in which Sleep returns at once,
// moving the clock to the sleeper's wake-up time if it is later than now.
func NewAutoFake(now time.Time) *Fake {
	f := NewFake(now)
	f.auto = true
	return f
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d and wakes the sleepers whose time
// has come.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
	f.cond.Broadcast()
}

// Sleep records d and waits for the fake time to pass now+d (auto-advance
// mode: moves it there) or for ctx to end.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	wake := f.now.Add(d)
	if f.auto {
		if wake.After(f.now) {
			f.now = wake
		}
		return nil
	}
	stop := context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.cond.Broadcast()
	})
	defer stop()
	f.sleepers++
	f.cond.Broadcast()
	defer func() { f.sleepers-- }()
	for f.now.Before(wake) {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.cond.Wait()
	}
	return nil
}

// Sleeps returns the durations passed to Sleep, in order.
func (f *Fake) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// WaitForSleepers blocks until at least n goroutines are blocked in Sleep.
func (f *Fake) WaitForSleepers(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.sleepers < n {
		f.cond.Wait()
	}
}
