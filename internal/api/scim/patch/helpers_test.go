package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// body wraps operations (a JSON array) into a PatchOp request.
func body(ops string) []byte {
	return []byte(`{"schemas":["` + schema.PatchOpURN + `"],"Operations":` + ops + `}`)
}

// doc decodes a JSON document as the face would hold it.
func doc(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("doc %s: %v", s, err)
	}
	return m
}

// canonical is a document's JSON with sorted keys, for comparison.
func canonical(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// wantSCIM fails unless err is a 400 *schema.Error of scimType whose
// detail contains detail.
func wantSCIM(t *testing.T, what string, err error, scimType, detail string) {
	t.Helper()
	var se *schema.Error
	if !errors.As(err, &se) || se.Status != 400 || se.ScimType != scimType || !strings.Contains(se.Detail, detail) {
		t.Errorf("%s:\n got  %v\n want 400 %s containing %q", what, err, scimType, detail)
	}
}
