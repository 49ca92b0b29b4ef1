package httpx

import (
	"context"
	"net/http"
)

// strictKey marks a request's context as served in appliance-strict mode.
type strictKey struct{}

// Strict serves next in appliance-strict mode (gatehouse serve --strict):
// every face then refuses what the real appliance refuses and Gatehouse
// otherwise forgives, so that a client tested against Gatehouse does not
// break on the appliance. The rules that consult it live here and in the
// token endpoint, by name (IsStrict), never copied into a face.
func Strict(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), strictKey{}, true)))
	})
}

// IsStrict reports whether r is served in appliance-strict mode.
func IsStrict(r *http.Request) bool {
	strict, _ := r.Context().Value(strictKey{}).(bool)
	return strict
}
