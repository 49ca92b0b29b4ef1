package httpx

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestSchemaDecode(t *testing.T) {
	s := NewSchema(
		Field{Name: "id", ReadOnly: true},
		Field{Name: "name", Kind: String},
		Field{Name: "note", Kind: NullableString},
		Field{Name: "count", Kind: Int},
		Field{Name: "team_id", Kind: Int, Min: 1, Max: 2147483647},
		Field{Name: "on", Kind: Bool},
		Field{Name: "at", Kind: Time},
		Field{Name: "until", Kind: NullableTime},
		Field{Name: "ids", Kind: IntArray, Min: 1, Max: 10},
	)
	decode := func(body string) *Values {
		t.Helper()
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &obj); err != nil {
			t.Fatal(err)
		}
		return s.Decode(obj)
	}

	v := decode(`{"id":"ignored","name":"x","note":null,"count":-7,"team_id":2147483647,"on":false,
		"at":"2025-10-16T14:46:25.930Z","until":"","ids":[1,10],"zeta":1,"alpha":2}`)
	if len(v.Problems) != 0 || !reflect.DeepEqual(v.Unknown, []string{"alpha", "zeta"}) {
		t.Fatalf("problems %v, unknown %v", v.Problems, v.Unknown)
	}
	if v.Has("id") {
		t.Error("a read-only field was kept")
	}
	if s, ok := v.String("name"); !ok || s != "x" {
		t.Errorf("name = %q, %v", s, ok)
	}
	if p, ok := v.NullableString("note"); !ok || p != nil {
		t.Errorf("note = %v, %v", p, ok)
	}
	if n, ok := v.Int("count"); !ok || n != -7 {
		t.Errorf("count = %d, %v", n, ok)
	}
	if b, ok := v.Bool("on"); !ok || b {
		t.Errorf("on = %v, %v", b, ok)
	}
	if at, ok := v.Time("at"); !ok || !at.Equal(time.Date(2025, 10, 16, 14, 46, 25, 0, time.UTC)) {
		t.Errorf("at = %v, %v", at, ok)
	}
	if u, ok := v.NullableTime("until"); !ok || u != nil {
		t.Errorf("until = %v, %v", u, ok)
	}
	if ids, ok := v.Ints("ids"); !ok || !reflect.DeepEqual(ids, []int64{1, 10}) {
		t.Errorf("ids = %v, %v", ids, ok)
	}
	if _, ok := v.String("missing"); ok {
		t.Error("an absent field reads as present")
	}

	// Every type error is reported, each under its own name.
	v = decode(`{"name":42,"note":false,"count":"42","team_id":0,"on":"true","at":"2025-10-16T14:46:25",
		"until":"2025-10-16T14:46:25+04:00","ids":[1,"2"]}`)
	want := map[string][]string{
		"name": {MsgString}, "note": {MsgString}, "count": {MsgInteger}, "team_id": {MsgBetween(1, 2147483647)},
		"on": {MsgBool}, "at": {MsgDateTime}, "until": {MsgDateTime}, "ids": {MsgIntArray},
	}
	if !reflect.DeepEqual(v.Problems, want) {
		t.Errorf("problems = %v\nwant %v", v.Problems, want)
	}
	for body, msg := range map[string]string{
		`{"count":42.0}`:                 MsgInteger,
		`{"count":4.2e1}`:                MsgInteger,
		`{"count":1e3}`:                  MsgInteger,
		`{"count":null}`:                 MsgInteger,
		`{"count":2147483648}`:           MsgBetween(-2147483648, 2147483647),
		`{"count":-2147483649}`:          MsgBetween(-2147483648, 2147483647),
		`{"count":99999999999999999999}`: MsgBetween(-2147483648, 2147483647),
		`{"name":null}`:                  MsgString,
		`{"on":null}`:                    MsgBool,
		`{"on":1}`:                       MsgBool,
		`{"at":null}`:                    MsgDateTime,
		`{"at":""}`:                      MsgDateTime,
		`{"ids":1}`:                      MsgIntArray,
		`{"ids":[[1]]}`:                  MsgIntArray,
		`{"ids":[1.5]}`:                  MsgIntArray,
		`{"ids":[0]}`:                    "must contain only integers between 1 and 10",
	} {
		if got := decode(body).Problems; len(got) != 1 || len(got[firstKey(got)]) != 1 || got[firstKey(got)][0] != msg {
			t.Errorf("%s: problems %v, want %q", body, got, msg)
		}
	}
}

func firstKey(m map[string][]string) string {
	for k := range m {
		return k
	}
	return ""
}
