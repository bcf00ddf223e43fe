package rawjson

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

type guest struct {
	ID   string          `json:"id"`
	Raw  json.RawMessage `json:"-"`
	Note string          `json:"note"`
}

type group struct {
	ID      int              `json:"id"`
	Leader  *guest           `json:"leader"`
	Members []guest          `json:"members"`
	ByRole  map[string]guest `json:"by_role"`
	Pair    [2]guest         `json:"pair"`
	Raw     json.RawMessage  `json:"-"`
}

func TestRawFieldsAreFilledAtEveryDepth(t *testing.T) {
	t.Parallel()
	body := []byte(` {"id":1,"leader":{"id":"a","x":1},"members":[{"id":"b","y":[2]},{"id":"c"}],
		"by_role":{"host":{"id":"d","z":true}},"pair":[{"id":"e"},{"id":"f","w":null}],"extra":"kept"} `)
	var g group
	require.NoError(t, Unmarshal(body, &g))
	require.JSONEq(t, string(body), string(g.Raw))
	require.JSONEq(t, `{"id":"a","x":1}`, string(g.Leader.Raw))
	require.JSONEq(t, `{"id":"b","y":[2]}`, string(g.Members[0].Raw))
	require.JSONEq(t, `{"id":"c"}`, string(g.Members[1].Raw))
	require.JSONEq(t, `{"id":"d","z":true}`, string(g.ByRole["host"].Raw))
	require.JSONEq(t, `{"id":"f","w":null}`, string(g.Pair[1].Raw))
	require.Equal(t, "f", g.Pair[1].ID)

	body[3] = 'X'
	require.JSONEq(t, `{"id":"a","x":1}`, string(g.Leader.Raw), "Raw does not share the caller's buffer")
	require.NotEqual(t, body[3], g.Raw[2])
}

func TestTopLevelSlicesAndMissingValues(t *testing.T) {
	t.Parallel()
	var list []guest
	require.NoError(t, Unmarshal([]byte(`[{"id":"a"},{"id":"b","n":2}]`), &list))
	require.JSONEq(t, `{"id":"b","n":2}`, string(list[1].Raw))

	var g group
	require.NoError(t, Unmarshal([]byte(`{"id":2,"leader":null}`), &g))
	require.Nil(t, g.Leader)
	require.Empty(t, g.Members)
}

type page struct {
	inner
	Total int `json:"total"`
}

type inner struct {
	Items []guest `json:"items"`
}

func TestEmbeddedStructsShareTheirParentsObject(t *testing.T) {
	t.Parallel()
	var p page
	require.NoError(t, Unmarshal([]byte(`{"items":[{"id":"a","k":1}],"total":1}`), &p))
	require.JSONEq(t, `{"id":"a","k":1}`, string(p.Items[0].Raw))
}

type tolerant struct {
	ID  string          `json:"id"`
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON reads the ID from "id" or "user_id", as a tolerant type does,
// and keeps its raw JSON by decoding its plain form with Unmarshal.
func (t *tolerant) UnmarshalJSON(data []byte) error {
	type plain tolerant
	var wire struct {
		plain
		UserID string `json:"user_id"`
	}
	if err := Unmarshal(data, &wire); err != nil {
		return err
	}
	*t = tolerant(wire.plain)
	if t.ID == "" {
		t.ID = wire.UserID
	}
	return nil
}

func TestATypeThatDecodesItselfKeepsItsOwnRaw(t *testing.T) {
	t.Parallel()
	var list []tolerant
	require.NoError(t, Unmarshal([]byte(`[{"user_id":"u1"}]`), &list))
	require.Equal(t, "u1", list[0].ID)
	require.JSONEq(t, `{"user_id":"u1"}`, string(list[0].Raw))
}

type node struct {
	Name     string          `json:"name"`
	Children []node          `json:"children"`
	Raw      json.RawMessage `json:"-"`
}

func TestATypeThatRefersToItselfEnds(t *testing.T) {
	t.Parallel()
	var n node
	require.NoError(t, Unmarshal([]byte(`{"name":"a","children":[{"name":"b"}]}`), &n))
	require.Equal(t, "b", n.Children[0].Name)
	require.JSONEq(t, `{"name":"a","children":[{"name":"b"}]}`, string(n.Raw))
}

func TestErrorsAreEncodingJSONs(t *testing.T) {
	t.Parallel()
	var g group
	err := Unmarshal([]byte(`{"id":"x"}`), &g)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr)
}

func BenchmarkPage(b *testing.B) {
	body := []byte(`{"items":[` + repeat(`{"id":"a","note":"n","x":{"y":[1,2,3]}}`, 20) + `],"total":20}`)
	b.ReportAllocs()
	for b.Loop() {
		var p page
		if err := Unmarshal(body, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func repeat(s string, n int) string {
	out := s
	for range n - 1 {
		out += "," + s
	}
	return out
}

func TestMembersAreFoundAsEncodingJSONFindsThem(t *testing.T) {
	t.Parallel()
	var g group
	body := `{"LEADER":{"id":"folded"},"leader":{"id":"exact"},"Members":[{"id":"m"}],` +
		`"by_role":{"h\u006fst":{"id":"escaped key"}},"pair":[ {"id":"e", "s":"a \"quoted\" ]}"} , {"id":"f"} ],"members":[1]}`
	require.Error(t, Unmarshal([]byte(body), &g), "members [1] is not a list of guests")
	body = `{"LEADER":{"id":"folded"},"leader":{"id":"exact"},"Members":[{"id":"m","n":-1.5e3}],` +
		`"by_role":{"h\u006fst":{"id":"escaped key"}},"pair":[ {"id":"e", "s":"a \"quoted\" ]}"} , {"id":"f"} ]}`
	require.NoError(t, Unmarshal([]byte(body), &g))
	require.Equal(t, "exact", g.Leader.ID)
	require.JSONEq(t, `{"id":"exact"}`, string(g.Leader.Raw))
	require.JSONEq(t, `{"id":"m","n":-1.5e3}`, string(g.Members[0].Raw), "a folded key when no exact one")
	require.JSONEq(t, `{"id":"escaped key"}`, string(g.ByRole["host"].Raw))
	require.JSONEq(t, `{"id":"e", "s":"a \"quoted\" ]}"}`, string(g.Pair[0].Raw))
	require.JSONEq(t, `{"id":"f"}`, string(g.Pair[1].Raw))

	var h group
	require.NoError(t, Unmarshal([]byte(`{"leader":{"id":"exact"},"LEADER":{"id":"folded"}}`), &h))
	require.Equal(t, "folded", h.Leader.ID, "encoding/json: the last member wins")
	require.JSONEq(t, `{"id":"folded"}`, string(h.Leader.Raw), "Raw is the member that was decoded")

	g.Pair[0].Raw = append(g.Pair[0].Raw, "garbage"...)
	require.JSONEq(t, `{"id":"f"}`, string(g.Pair[1].Raw), "each Raw is its own copy")
}

// FuzzUnmarshal checks the Raw fields Unmarshal fills against the values
// encoding/json finds decoding the same body into maps and lists.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"leader":{"id":"a","x":1},"members":[{"id":"b","y":[2]},{"id":"c"}],"by_role":{"host":{"id":"d","z":true}},"pair":[{"id":"e"},{"id":"f","w":null}]}`,
		` { "leader" : { "id" : "a" } , "members" : [ { "id" : "\"]}" } , null ] } `,
		`{"Leader":{"id":"a"},"MEMBERS":[{}],"by_role":{"a\"b":{"id":"q"}}}`,
		`{"leader":null,"members":null,"pair":[null,{"id":"x"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var g group
		if Unmarshal(data, &g) != nil {
			return
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(data, &top) != nil {
			return // the body is null
		}
		require.JSONEq(t, string(data), string(g.Raw))
		// member returns the one member matching key; with several (which
		// wins depends on their order, lost in a map), it reports false.
		member := func(key string) (json.RawMessage, bool) {
			var found json.RawMessage
			n := 0
			for k, raw := range top {
				if strings.EqualFold(k, key) {
					found, n = raw, n+1
				}
			}
			return found, n == 1
		}
		same := func(raw json.RawMessage, got json.RawMessage) {
			if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
				return
			}
			require.Equal(t, string(bytes.TrimSpace(raw)), string(got))
		}
		if raw, ok := member("leader"); ok && g.Leader != nil {
			same(raw, g.Leader.Raw)
		}
		if g.Leader != nil && g.Leader.Raw != nil {
			var again guest
			require.NoError(t, json.Unmarshal(g.Leader.Raw, &again))
			require.Equal(t, g.Leader.ID, again.ID, "Raw is the member the field was decoded from")
		}
		if raw, ok := member("members"); ok {
			var items []json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &items))
			for i := range min(len(items), len(g.Members)) {
				same(items[i], g.Members[i].Raw)
			}
		}
		if raw, ok := member("pair"); ok {
			var items []json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &items))
			for i := range min(len(items), len(g.Pair)) {
				same(items[i], g.Pair[i].Raw)
			}
		}
		if raw, ok := member("by_role"); ok && len(g.ByRole) > 0 {
			var byRole map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &byRole))
			for k, v := range g.ByRole {
				same(byRole[k], v.Raw)
			}
		}
	})
}

func TestArrayDecodesABareArrayOnly(t *testing.T) {
	t.Parallel()
	items, ok, err := Array[guest]([]byte(" \n[{\"id\":\"a\",\"n\":1}]"))
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, items, 1)
	require.Equal(t, "a", items[0].ID)
	require.JSONEq(t, `{"id":"a","n":1}`, string(items[0].Raw))

	items, ok, err = Array[guest]([]byte(`{"items":[]}`))
	require.NoError(t, err)
	require.False(t, ok)
	require.Nil(t, items)

	_, ok, err = Array[guest]([]byte(`[{"id":7}]`))
	require.True(t, ok)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr)
}

func TestKeysAreMatchedAsEncodingJSONDecodesThem(t *testing.T) {
	t.Parallel()
	// encoding/json turns an invalid UTF-8 byte of a key into U+FFFD and
	// decodes escapes: the map entry it made is the one whose Raw is set.
	var g group
	require.NoError(t, Unmarshal([]byte("{\"by_role\":{\"\xa4\":{\"id\":\"a\"},\"h\\u00f4te\":{\"id\":\"b\"}}}"), &g))
	require.JSONEq(t, `{"id":"a"}`, string(g.ByRole["\ufffd"].Raw))
	require.JSONEq(t, `{"id":"b"}`, string(g.ByRole["hôte"].Raw))
}
