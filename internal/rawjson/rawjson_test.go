package rawjson

import (
	"encoding/json"
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
