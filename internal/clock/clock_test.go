package clock

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestAutoFakeSleepMovesTime(t *testing.T) {
	t.Parallel()
	f := NewAutoFake(epoch)
	require.NoError(t, f.Sleep(context.Background(), 3*time.Second))
	require.NoError(t, f.Sleep(context.Background(), 0))
	require.Equal(t, epoch.Add(3*time.Second), f.Now())
	require.Equal(t, []time.Duration{3 * time.Second, 0}, f.Sleeps())
}

func TestFakeSleepWakesOnAdvance(t *testing.T) {
	t.Parallel()
	f := NewFake(epoch)
	done := make(chan error, 1)
	go func() { done <- f.Sleep(context.Background(), 5*time.Second) }()
	f.WaitForSleepers(1)
	f.Advance(4 * time.Second)
	select {
	case <-done:
		t.Fatal("woke before its time")
	default:
	}
	f.Advance(time.Second)
	require.NoError(t, <-done)
}

func TestFakeSleepEndsWithContext(t *testing.T) {
	t.Parallel()
	f := NewFake(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Sleep(ctx, time.Hour) }()
	f.WaitForSleepers(1)
	cancel()
	require.True(t, errors.Is(<-done, context.Canceled))
	require.Equal(t, epoch, f.Now())
}

func TestRealSleepEndsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, Real.Sleep(ctx, time.Hour), context.Canceled)
	require.NoError(t, Real.Sleep(context.Background(), 0))
}

func TestSimAdvancesOnlyWhenEveryoneSleeps(t *testing.T) {
	t.Parallel()
	s := NewSim(epoch)
	woke := make(chan time.Duration, 3)
	release := make(chan struct{})
	for _, d := range []time.Duration{3 * time.Second, time.Second} {
		s.Go(func() {
			require.NoError(t, s.Sleep(context.Background(), d))
			woke <- s.Now().Sub(epoch)
		})
	}
	s.Go(func() {
		<-release // busy: time must stand still
		woke <- s.Now().Sub(epoch)
	})
	close(release)
	s.Wait()
	close(woke)
	var got []time.Duration
	for d := range woke {
		got = append(got, d)
	}
	require.ElementsMatch(t, []time.Duration{0, time.Second, 3 * time.Second}, got)
	require.Equal(t, epoch.Add(3*time.Second), s.Now())
}

func TestSimSleepEndsWithContext(t *testing.T) {
	t.Parallel()
	s := NewSim(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	started := make(chan struct{})
	s.Go(func() {
		close(started)
		<-ctx.Done()
	})
	s.Go(func() { done <- s.Sleep(ctx, time.Hour) })
	<-started
	cancel()
	s.Wait()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestSimWaitsForACancelledSleeperToWake(t *testing.T) {
	t.Parallel()
	for range 50 {
		s := NewSim(epoch)
		ctx, cancel := context.WithCancel(context.Background())
		asleep := make(chan struct{})
		var sawA time.Duration
		// B first: it is busy (waiting for A) while A goes to sleep.
		s.Go(func() {
			<-asleep
			for len(s.sleeping()) == 0 {
				runtime.Gosched()
			}
			cancel() // A must wake now, before B's sleep lets time move
			require.NoError(t, s.Sleep(context.Background(), time.Second))
		})
		s.Go(func() {
			close(asleep)
			require.ErrorIs(t, s.Sleep(ctx, time.Hour), context.Canceled)
			sawA = s.Now().Sub(epoch)
		})
		s.Wait()
		require.Zero(t, sawA, "the cancelled sleeper woke at the time it was cancelled")
		require.Equal(t, epoch.Add(time.Second), s.Now())
	}
}
