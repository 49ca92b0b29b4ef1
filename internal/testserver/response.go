package testserver

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Response is a finished response with its whole body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body, failing the test if it is not JSON. Numbers decode
// as float64, as encoding/json does into any.
func (r *Response) JSON(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("response %d is not JSON: %v: %q", r.Status, err, r.Body)
	}
	return v
}

// Object decodes the body as a JSON object.
func (r *Response) Object(t testing.TB) map[string]any {
	t.Helper()
	m, ok := r.JSON(t).(map[string]any)
	if !ok {
		t.Fatalf("response %d is not a JSON object: %q", r.Status, r.Body)
	}
	return m
}

// Array decodes the body as a JSON array of objects.
func (r *Response) Array(t testing.TB) []map[string]any {
	t.Helper()
	list, ok := r.JSON(t).([]any)
	if !ok {
		t.Fatalf("response %d is not a JSON array: %q", r.Status, r.Body)
	}
	out := make([]map[string]any, len(list))
	for i, v := range list {
		if out[i], ok = v.(map[string]any); !ok {
			t.Fatalf("item %d of response is not an object: %q", i, r.Body)
		}
	}
	return out
}
