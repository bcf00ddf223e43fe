package partnerkit

import (
	"encoding/json"
	"testing"
)

// FuzzJSONString: jsonString reads every JSON text as encoding/json does,
// its fast path included.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{`"2025-03-01T10:30:00Z"`, `"a\"b"`, `"\u00e9"`, `" x "`, `""`, `"tab	in"`, `"\xff"`, `5`, `null`, `"é"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := jsonString(data)
		var want string
		wantErr := json.Unmarshal(data, &want)
		if (err == nil) != (wantErr == nil) || got != want {
			t.Fatalf("%q: jsonString = %q, %v; encoding/json = %q, %v", data, got, err, want, wantErr)
		}
	})
}
