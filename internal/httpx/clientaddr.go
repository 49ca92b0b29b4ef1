package httpx

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddress resolves, once per request, the address of the client that
// sent it, for everything that judges a source address (allow lists, rate
// limits, lock-out, the access log) to read through ClientAddr. The socket
// peer is the client unless it is one of the trusted proxies: then
// X-Forwarded-For is read from the right, each trusted hop skipped, and the
// first untrusted address is the client. Anyone can send the header, so it
// counts only when a trusted proxy appended to it; a malformed header
// counts not at all, and the peer stays the client.
func ClientAddress(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		if info == nil {
			info = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		}
		info.client, info.resolved = clientAddr(r, trusted), true
		next.ServeHTTP(w, r)
	})
}

// ClientAddr is the request's client address as ClientAddress resolved it,
// or, outside that middleware, the socket peer's. It is the zero Addr,
// which no allow list contains, when the peer is not an ip:port.
func ClientAddr(r *http.Request) netip.Addr {
	if info := infoFrom(r.Context()); info != nil && info.resolved {
		return info.client
	}
	return peerAddr(r)
}

func peerAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := peerAddr(r)
	if !trustedAddr(trusted, peer) {
		return peer
	}
	// Several header lines are one list, in order (RFC 9110 §5.3).
	lines := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(lines) - 1; i >= 0; i-- {
		hops := strings.Split(lines[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := parseHop(hops[j])
			if !ok {
				return peer
			}
			client = a
			if !trustedAddr(trusted, a) {
				return a
			}
		}
	}
	// Every hop was a trusted proxy: the leftmost is as near the client as
	// the chain tells.
	return client
}

// parseHop reads one X-Forwarded-For entry: an address, or an address and
// port as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func trustedAddr(trusted []netip.Prefix, a netip.Addr) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of CIDR prefixes or
// single addresses, as --trusted-proxies takes it. An IPv4 network written
// as IPv4-mapped IPv6 is taken as IPv4, as the addresses it is matched
// against are.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is not a CIDR prefix or an IP address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if a := p.Addr(); a.Is4In6() {
			if p.Bits() < 96 {
				return nil, fmt.Errorf("%q mixes IPv4-mapped and IPv6 addresses", f)
			}
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
