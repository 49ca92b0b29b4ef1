package httpx

import "net/http"

// SetHeader sets a response header under exactly the name given, where
// http.Header.Set would canonicalise it: BeyondTrust documents
// X-BT-Pagination-* and X-RateLimit-*, and clients that compare header names
// byte for byte (some provisioning connectors do) miss Go's X-Bt-… and
// X-Ratelimit-…. net/http writes map keys as they are. The canonical
// spelling is removed, so that the header is never sent twice.
func SetHeader(h http.Header, name, value string) {
	if c := http.CanonicalHeaderKey(name); c != name {
		delete(h, c)
	}
	h[name] = []string{value}
}
