package main

import "strings"

// benchPeer is a peer server that a scenario is also run against, with
// the same generator, connections and duration (scripts/bench-peers
// starts oidc-provider and Prism as such peers).
type benchPeer struct {
	base, token string
	sc          scenario
}

// benchPeers maps the scenarios that have a peer (--peer-token,
// --peer-get) to it.
func benchPeers(f benchFlags, users int) map[string]benchPeer {
	peers := map[string]benchPeer{}
	if f.peerToken != "" {
		base, path := splitPeerURL(f.peerToken)
		id, secret, _ := strings.Cut(f.peerClient, ":")
		peers["token issuance"] = benchPeer{base: base, sc: scenario{name: "token issuance (peer)", noAuth: true,
			users: users, reqs: []benchTemplate{tokenTmpl(path, id, secret)}}}
	}
	if f.peerGet != "" {
		// A peer that mocks the API (Prism) checks that a bearer token is
		// there, not what it is.
		base, path := splitPeerURL(f.peerGet)
		peers["PRA GET user/{id}"] = benchPeer{base: base, token: randomHex(16), sc: scenario{name: "PRA GET user/{id} (peer)",
			users: users, reqs: []benchTemplate{reqTmpl("GET", path, "", "")}}}
	}
	return peers
}

// splitPeerURL splits a URL into scheme://host and the rest (a path and
// query that may hold placeholders, which url.Parse would escape).
func splitPeerURL(u string) (base, path string) {
	i := strings.Index(u, "://")
	if i < 0 {
		return u, "/"
	}
	j := strings.IndexAny(u[i+3:], "/?")
	if j < 0 {
		return u, "/"
	}
	base, path = u[:i+3+j], u[i+3+j:]
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return base, path
}
