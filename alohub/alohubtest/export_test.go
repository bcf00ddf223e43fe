package alohubtest

// Routes are the routes the fake serves, for the checks of the shared
// knobs.
var Routes = func() []string {
	names := make([]string, len(routes))
	for i, r := range routes {
		names[i] = r.pattern
	}
	return names
}()
