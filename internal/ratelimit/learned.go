package ratelimit

import (
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// learned is a server's rate-limit window as its answers describe it,
// kept by the rules in Local's documentation.
type learned struct {
	name  string
	limit int  // the window's allowance, 0 while unknown
	seen  bool // an answer has described one of its windows

	// The window the client is in.
	established bool      // an answer has described it since it began
	low         int       // the lowest remaining reported for it
	lowMark     uint64    // the last request sent when low's answer arrived
	pins        []uint64  // for each pin, the last request sent when it was made
	reset       time.Time // the latest reset reported for it; zero without one
	end         time.Time // when the client moves to the next window; zero while unknown
	endByRetry  bool      // a 429's Retry-After set end: later answers do not move it

	// What the client knows of the windows' alignment without resets.
	byReset bool          // the last answer reported a reset
	phase   time.Duration // without resets, windows end at phase + k*length

	// The start of the window the client is in, when it began by the clock
	// rather than by an answer: requests sent before it (seq <= refillSeq)
	// were in flight across it, and the previous window's reset was floor.
	refillSeq uint64
	floor     time.Time
}

// answer is what done knows of a finished request.
type answer struct {
	seq        uint64    // the request's sequence number
	at         time.Time // when its answer arrived, or it ended without one
	mark       uint64    // the last sequence number handed out at that time
	limited    bool      // the server refused it for a rate limit
	retryAfter time.Duration
}

// tolerance separates two estimates of one reset from the resets of two
// windows: resets read as seconds from now move with the time the answers
// spent in flight.
func tolerance(length time.Duration) time.Duration {
	return min(length/2, 500*time.Millisecond)
}

// room returns how many more requests the window allows now, with inflight
// requests of its scope still out.
func (w *learned) room(inflight int) int {
	return w.low - inflight - len(w.pins)
}

// delay returns how long to wait before this window allows a request. It
// moves to the next window when the current one has ended. mark is the last
// sequence number handed out.
func (w *learned) delay(now time.Time, length time.Duration, inflight int, mark uint64) time.Duration {
	w.roll(now, length, inflight, mark)
	if w.room(inflight) > 0 {
		return 0
	}
	if w.end.IsZero() {
		return length // every place is in flight: their answers will say
	}
	return w.end.Sub(now)
}

// freeAt returns when the window will next allow a request as things stand,
// without changing it.
func (w *learned) freeAt(now time.Time, inflight int) time.Time {
	switch {
	case w.room(inflight) > 0:
		return now
	case w.end.IsZero():
		return now.Add(MaxHold) // until an answer says
	case !now.Before(w.end) && w.next(inflight) > inflight:
		return now
	}
	return w.end
}

// next returns the allowance assumed for the next window.
func (w *learned) next(inflight int) int {
	if w.limit == 0 {
		return inflight + 1 // unknown allowance: one request learns it
	}
	return w.limit
}

// roll moves the window to the next one when now has reached its end.
func (w *learned) roll(now time.Time, length time.Duration, inflight int, mark uint64) {
	if w.end.IsZero() || now.Before(w.end) {
		return
	}
	w.floor = w.reset
	if w.floor.IsZero() {
		w.floor = w.end
	}
	w.refillSeq = mark
	w.established, w.endByRetry = false, false
	w.low, w.lowMark = w.next(inflight), mark
	w.pins = w.pins[:0]
	w.reset = time.Time{}
	if w.byReset {
		// Until an answer reports the new reset, assume the window began
		// at the old one (or now, after a pause or a Retry-After that came
		// before it) and lasts the length.
		began := later(w.floor, now.Add(-length))
		if began.After(now) {
			began = now
		}
		w.end = began.Add(length)
	} else {
		w.end = w.boundary(now, length)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// boundary returns the end of the clock's window that holds t: the first
// phase + k*length after t.
func (w *learned) boundary(t time.Time, length time.Duration) time.Time {
	since := t.UnixNano() - int64(w.phase)
	if since < 0 {
		return t.Add(length) // before 1970: not a clock anyone counts with
	}
	return t.Add(length - time.Duration(since%int64(length)))
}

// pin keeps counted a request that ended without an answer about this
// window.
func (w *learned) pin(a answer, length time.Duration, inflight int) {
	w.roll(a.at, length, inflight, a.mark)
	w.pins = append(w.pins, a.mark)
}

// observe applies obs, what the answer a reported of this window, while
// inflight other requests of its scope are out.
func (w *learned) observe(obs partnerkit.RateWindow, a answer, length time.Duration, inflight int) {
	w.roll(a.at, length, inflight, a.mark)
	if obs.Limit > 0 {
		w.limit = obs.Limit
	} else if !a.limited && obs.Remaining+1 > w.limit {
		w.limit = obs.Remaining + 1 // it was counted: the allowance is at least this
	}
	if limit := a.at.Add(MaxHold); obs.Reset.After(limit) {
		obs.Reset = limit // an absurd reset holds the window for MaxHold at most
	}
	hasReset := !obs.Reset.IsZero()
	w.byReset = hasReset
	tol := tolerance(length)
	switch {
	case !w.seen:
		w.seen = true
		w.start(obs, a, length)
	case a.seq <= w.refillSeq:
		// In flight when the window began.
		switch {
		case !hasReset:
			w.pins = append(w.pins, a.mark)
			return
		case !obs.Reset.After(w.floor):
			return // counted in the window that ended: its place here is free
		case !obs.Reset.After(w.floor.Add(tol)):
			w.pins = append(w.pins, a.mark) // in either: keep it counted
			return
		case !w.established:
			w.start(obs, a, length)
		default:
			w.merge(obs, a, length)
		}
	case !w.established:
		w.start(obs, a, length)
	case hasReset && !w.reset.IsZero() && obs.Reset.After(w.reset.Add(tol)):
		w.floor = w.reset
		w.start(obs, a, length) // the server has moved on to a later window
	case hasReset && !w.reset.IsZero() && obs.Reset.Before(w.reset.Add(-tol)):
		return // counted in a window before this one: nothing to learn
	case !a.limited && a.seq > w.lowMark && obs.Remaining >= w.low:
		// Sent after the answer with the lowest count arrived, yet counted
		// with as much left: the server began a new window, no earlier
		// than that answer and no later than this one.
		if !hasReset {
			w.phase = time.Duration(a.at.UnixNano() % int64(length))
			w.end = time.Time{}
		}
		w.start(obs, a, length)
	default:
		w.merge(obs, a, length)
	}
	if a.limited && a.retryAfter > 0 && obs.Remaining == 0 {
		w.end, w.endByRetry = a.at.Add(min(a.retryAfter, MaxHold)), true
		if !hasReset {
			// The server's window ends by then: so do the next ones.
			w.phase = time.Duration(w.end.UnixNano() % int64(length))
		}
	}
}

// start makes obs the first word on the window the client is in.
func (w *learned) start(obs partnerkit.RateWindow, a answer, length time.Duration) {
	w.established, w.endByRetry = true, false
	w.setLow(obs.Remaining, a)
	w.reset = obs.Reset
	switch {
	case !obs.Reset.IsZero():
		w.end = obs.Reset
	case w.end.IsZero():
		w.end = w.boundary(a.at, length)
	}
}

// merge applies an answer about the window the client is in.
func (w *learned) merge(obs partnerkit.RateWindow, a answer, length time.Duration) {
	if obs.Remaining < w.low {
		w.setLow(obs.Remaining, a)
	}
	if obs.Reset.After(w.reset) {
		w.reset = obs.Reset
		if !w.endByRetry {
			w.end = obs.Reset
		}
	}
	if w.end.IsZero() {
		w.end = w.boundary(a.at, length)
	}
}

// setLow makes remaining the window's count, as reported by a.
func (w *learned) setLow(remaining int, a answer) {
	w.low, w.lowMark = remaining, a.mark
	// Pins made before a was sent are in its count.
	n := 0
	for n < len(w.pins) && w.pins[n] < a.seq {
		n++
	}
	w.pins = append(w.pins[:0], w.pins[n:]...)
}
