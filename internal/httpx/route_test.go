package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRoute(t *testing.T) {
	mux := http.NewServeMux()
	text := func(s string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Handler", s)
			_, _ = io.WriteString(w, s)
		})
	}
	notAllowed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, "nope")
	})
	Route(mux, "/things", Methods{http.MethodPost: text("post"), http.MethodGet: text("get")}, notAllowed)
	Route(mux, "/things/{id}", Methods{http.MethodDelete: text("delete"), http.MethodPatch: text("patch"), http.MethodGet: text("one")}, notAllowed)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tc := range []struct {
		method, path string
		status       int
		allow, body  string
		handler      string
	}{
		{"GET", "/things", 200, "", "get", "get"},
		{"HEAD", "/things", 200, "", "", "get"},
		{"POST", "/things", 200, "", "post", "post"},
		{"OPTIONS", "/things", 200, "GET,HEAD,POST", "", ""},
		{"PUT", "/things", 405, "GET,HEAD,POST", "nope", ""},
		{"DELETE", "/things", 405, "GET,HEAD,POST", "nope", ""},
		{"OPTIONS", "/things/1", 200, "GET,HEAD,PATCH,DELETE", "", ""},
		{"POST", "/things/1", 405, "GET,HEAD,PATCH,DELETE", "nope", ""},
		{"BREW", "/things/1", 405, "GET,HEAD,PATCH,DELETE", "nope", ""},
		{"DELETE", "/things/1", 200, "", "delete", "delete"},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Allow") != tc.allow || string(body) != tc.body ||
			resp.Header.Get("X-Handler") != tc.handler {
			t.Errorf("%s %s = %d Allow %q X-Handler %q body %q; want %d %q %q %q", tc.method, tc.path,
				resp.StatusCode, resp.Header.Get("Allow"), resp.Header.Get("X-Handler"), body, tc.status, tc.allow, tc.handler, tc.body)
		}
	}
}

func TestRouteRefusesUnknownMethod(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Route accepted a CONNECT handler")
		}
	}()
	Route(http.NewServeMux(), "/x", Methods{http.MethodConnect: http.NotFoundHandler()}, http.NotFoundHandler())
}
