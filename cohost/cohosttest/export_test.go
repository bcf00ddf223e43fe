package cohosttest

import (
	"maps"
	"slices"
)

// Routes are the routes the fake serves, for the checks of the shared
// knobs.
var Routes = slices.Sorted(maps.Keys(routes))
