package coliving_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
)

// BenchmarkRanges turns a year of 50 room types into ranges.
func BenchmarkRanges(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	cals := make([]coliving.RoomCalendar, 50)
	for i := range cals {
		days := make([]int, 365)
		v := 6
		for d := range days {
			if r.IntN(15) == 0 {
				v = r.IntN(7)
			}
			days[d] = v
		}
		cals[i] = coliving.RoomCalendar{ListingID: "5325", RoomTypeID: partnerkit.ID(fmt.Sprint(38753 + i)), Start: date("2026-01-01"), Days: days}
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		ranges, err := coliving.Ranges(cals)
		if err != nil {
			b.Fatal(err)
		}
		n = len(ranges)
	}
	b.ReportMetric(float64(n), "ranges")
}
