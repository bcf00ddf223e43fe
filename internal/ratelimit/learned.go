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

	// The count of the server's window the client is in.
	established bool          // an answer has described it since it began
	low         int           // the lowest remaining reported for it
	lowMark     uint64        // the last request sent when low's answer arrived
	pins        []uint64      // for each pin, the last request sent when it was made
	recent      []countReport // the answers about it, for a count that went up
	reset       time.Time     // the latest reset reported for it; zero without one
	end         time.Time     // when it has ended for sure; zero while unknown
	endByRetry  bool          // a 429's Retry-After set end: later answers do not move it
	byReset     bool          // the last answer reported a reset

	// The start of the window the client is in, when it began because the
	// previous one ended rather than by an answer: requests sent before it
	// (seq <= refillSeq) were in flight across it, and the previous
	// window's reset was floor.
	refillSeq uint64
	floor     time.Time

	// Without resets, where the server's windows begin is not known: the
	// client counts its own requests too, and asks at the clock's
	// boundaries whether the server's window turned with the clock's.
	ended     []time.Time // when requests of the last length ended, oldest first
	endedHead int         // ended[:endedHead] are older than the length
	probe     uint64      // the request asking, in flight; 0 for none
	probeAt   time.Time   // the clock's next boundary, when a request may ask
	unaligned bool        // an answer showed that the windows do not turn with the clock's
}

// countReport is what one answer said of the window's count.
type countReport struct {
	mark      uint64 // the last request sent when it arrived
	remaining int
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

// span is how long the client counts its own requests of a window without
// resets: the window's length, at most MaxHold.
func span(length time.Duration) time.Duration {
	return min(length, MaxHold)
}

// counted returns how many requests ended in the last length, dropping the
// older ones.
func (w *learned) counted(now time.Time, length time.Duration) int {
	for w.endedHead < len(w.ended) && !now.Before(w.ended[w.endedHead].Add(span(length))) {
		w.endedHead++
	}
	return len(w.ended) - w.endedHead
}

// record counts a request that ended at t (windows without resets only).
func (w *learned) record(t time.Time) {
	if w.byReset {
		return
	}
	if w.endedHead > 0 && w.endedHead == len(w.ended) {
		w.ended, w.endedHead = w.ended[:0], 0
	}
	if w.endedHead > 0 && len(w.ended) == cap(w.ended) {
		n := copy(w.ended, w.ended[w.endedHead:])
		w.ended, w.endedHead = w.ended[:n], 0
	}
	w.ended = append(w.ended, t)
}

// forget clears the client's count of its own requests.
func (w *learned) forget() {
	w.ended, w.endedHead = w.ended[:0], 0
}

// room returns how many more requests the window allows now, with inflight
// requests of its scope still out: what the server's count leaves and,
// without resets, what the client's own count of the last length leaves.
func (w *learned) room(now time.Time, length time.Duration, inflight int) int {
	room := w.low - inflight - len(w.pins)
	if !w.byReset && w.limit > 0 {
		room = min(room, w.limit-inflight-w.counted(now, length))
	}
	return room
}

// delay returns how long a request must wait for this window, moving to the
// next window when the current one has ended. mark is the last sequence
// number handed out. A request that may go although the window has no room
// goes to ask whether the server's window turned with the clock's.
func (w *learned) delay(now time.Time, length time.Duration, inflight int, mark uint64) time.Duration {
	w.roll(now, length, inflight, mark)
	if w.room(now, length, inflight) > 0 || w.mayAsk(now) {
		return 0
	}
	free := now
	if w.low-inflight-len(w.pins) <= 0 {
		free = w.end
		if free.IsZero() {
			free = now.Add(length) // every place is in flight: their answers will say
		}
	}
	if !w.byReset && w.limit > 0 {
		if short := inflight + w.counted(now, length) - w.limit; short >= 0 {
			// The oldest request still counted must leave the length.
			t := now.Add(length)
			if i := w.endedHead + short; i < len(w.ended) {
				t = w.ended[i].Add(span(length))
			}
			free = later(free, t)
		}
	}
	if w.asks() {
		free = earlier(free, w.probeAt)
	}
	return free.Sub(now)
}

// asking is how much earlier than the end of a window without resets the
// clock's boundary must come for a request to ask, at that boundary,
// whether the server's window turned. A refusal's Retry-After counts whole
// seconds: a request that asks in vain can hold the client up to a second
// past the window's end.
const asking = time.Second

// asks says whether a request will ask at probeAt whether the server's
// window turned with the clock's: the answers carry no resets, no request
// is asking, no answer has shown that the server's windows do not turn
// with the clock's, and asking can save more than it risks.
func (w *learned) asks() bool {
	return !w.byReset && !w.unaligned && w.probe == 0 && !w.probeAt.IsZero() && w.end.Sub(w.probeAt) > asking
}

// mayAsk says whether a request may go now to ask.
func (w *learned) mayAsk(now time.Time) bool {
	return w.asks() && !now.Before(w.probeAt)
}

// take charges the request seq, sent at now while inflight others of the
// window's scope were out.
func (w *learned) take(seq uint64, now time.Time, length time.Duration, inflight int) {
	if w.byReset || w.probeAt.IsZero() || now.Before(w.probeAt) {
		return
	}
	if w.room(now, length, inflight) <= 0 {
		w.probe = seq
	}
	w.probeAt = boundary(now, length) // a request sent after the boundary asks for it
}

// freeAt returns when the window will next allow a request as things stand.
func (w *learned) freeAt(now time.Time, length time.Duration, inflight int, mark uint64) time.Time {
	return now.Add(w.delay(now, length, inflight, mark))
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
	w.pins, w.recent = w.pins[:0], w.recent[:0]
	w.reset = time.Time{}
	// Until an answer says when the new window ends, assume it began at
	// the old reset (or now, after a pause or a Retry-After that came
	// before it), and lasts the length.
	began := now
	if w.byReset {
		began = earlier(later(w.floor, now.Add(-length)), now)
	}
	w.end = began.Add(span(length))
	w.probeAt = boundary(now, length)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// boundary returns the end of the clock's window of length that holds t:
// the first multiple of length since the Unix epoch after t.
func boundary(t time.Time, length time.Duration) time.Time {
	since := t.UnixNano()
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
	w.record(a.at)
	if a.seq == w.probe {
		w.probe = 0
	}
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
	if hasReset && !w.byReset {
		w.forget()
	}
	w.byReset = hasReset
	if !a.limited {
		w.record(a.at) // a refused request took no place
	}
	if a.seq == w.probe {
		w.probe = 0
		if a.limited {
			w.unaligned = true // refused after the clock's boundary: the window had not turned
		}
	}
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
			w.merge(obs, a)
		}
	case !w.established:
		w.start(obs, a, length)
	case hasReset && !w.reset.IsZero() && obs.Reset.After(w.reset.Add(tol)):
		w.floor = w.reset
		w.rise(obs, a, length) // the server has moved on to a later window
	case hasReset && !w.reset.IsZero() && obs.Reset.Before(w.reset.Add(-tol)):
		return // counted in a window before this one: nothing to learn
	case !a.limited && a.seq > w.lowMark && obs.Remaining >= w.low:
		// Sent after the answer with the lowest count arrived, yet counted
		// with as much left: the server began a new window, no earlier
		// than that answer and no later than this one.
		w.rise(obs, a, length)
	default:
		w.merge(obs, a)
	}
	if a.limited && a.retryAfter > 0 && obs.Remaining == 0 {
		w.end, w.endByRetry = a.at.Add(min(a.retryAfter, MaxHold)), true
	}
}

// start makes obs the first word on the window the client is in. Without
// a reset, the window began by the time the answer arrived, so it ends a
// length after that at the latest.
func (w *learned) start(obs partnerkit.RateWindow, a answer, length time.Duration) {
	w.established, w.endByRetry = true, false
	w.recent = w.recent[:0]
	w.setLow(obs.Remaining, a)
	w.reset = obs.Reset
	if obs.Reset.IsZero() {
		w.end = a.at.Add(span(length))
		w.probeAt = boundary(a.at, length)
	} else {
		w.end = obs.Reset
	}
}

// rise starts a window that an answer showed begun. The answers that
// arrived after its request was sent may have been counted after it, in
// the same window: the lowest of their counts holds. Without resets, the
// client's own count of the previous window is in the server's count now.
func (w *learned) rise(obs partnerkit.RateWindow, a answer, length time.Duration) {
	low := obs.Remaining
	for _, r := range w.recent {
		if r.mark >= a.seq {
			low = min(low, r.remaining)
		}
	}
	if obs.Reset.IsZero() {
		w.forget()
	}
	w.start(obs, a, length)
	w.setLow(low, a)
}

// merge applies an answer about the window the client is in: the lowest
// count and the latest reset hold.
func (w *learned) merge(obs partnerkit.RateWindow, a answer) {
	if obs.Remaining < w.low {
		w.setLow(obs.Remaining, a)
	} else {
		w.recent = append(w.recent, countReport{a.mark, obs.Remaining})
	}
	if obs.Reset.After(w.reset) {
		w.reset = obs.Reset
		if !w.endByRetry {
			w.end = obs.Reset
		}
	}
}

// setLow makes remaining the window's count, as reported by a. Only a
// request sent after a arrived can show the count went up, and only the
// answers that arrive after such a request was sent matter then: those
// kept in recent so far no longer do.
func (w *learned) setLow(remaining int, a answer) {
	w.low, w.lowMark = remaining, a.mark
	w.recent = w.recent[:0]
	// Pins made before a was sent are in its count.
	n := 0
	for n < len(w.pins) && w.pins[n] < a.seq {
		n++
	}
	w.pins = append(w.pins[:0], w.pins[n:]...)
}
