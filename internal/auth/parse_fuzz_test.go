package auth

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

var fuzzKey = []byte("0123456789abcdef0123456789abcdef")

// FuzzVerifyToken: no string panics verify; what it accepts is a token it
// minted itself (the MAC admits nothing else), and accepting it again
// yields the same claims.
func FuzzVerifyToken(f *testing.F) {
	s := newSigner(fuzzKey)
	good := s.mint(claims{account: 7, generation: 3, serial: 9, scope: ScopeReadOnly, expiry: 1_900_000_000})
	f.Add(good)
	f.Add(s.mint(claims{user: true, account: 1, scope: ScopeFullAccess, expiry: 1}))
	f.Add(good[:len(good)-1] + "A")
	f.Add(strings.Repeat("A", tokenLen))
	f.Add(strings.Repeat("=", tokenLen))
	f.Add(base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, rawTokenLen)))
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, ok := s.verify(tok)
		if !ok {
			return
		}
		if again := s.mint(c); again != tok {
			t.Fatalf("verify accepted %q, which mints as %q", tok, again)
		}
	})
}

// FuzzBearer: no Authorization header value panics bearer; a token it
// returns is non-empty and is the tail of the header.
func FuzzBearer(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer   abc", "BEARER x", "Bearer ", "Bearer", "Basic abc", "Bearerabc", "Bear\xffr abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok, ok := bearer(http.Header{"Authorization": {v}})
		if ok && (tok == "" || !strings.HasSuffix(v, tok) || tok[0] == ' ') {
			t.Fatalf("%q gave token %q", v, tok)
		}
	})
}

// FuzzPSAuth: no header panics parsePSAuth; an accepted header names a key
// and a run-as user without surrounding spaces or separators.
func FuzzPSAuth(f *testing.F) {
	for _, s := range []string{
		"PS-Auth key=abc; runas=ann;",
		"PS-Auth key=abc; runas=ann; pwd=[p;w]d];",
		"ps-auth KEY = abc ;RUNAS= ann ; pwd=[]",
		"PS-Auth key=abc; runas=ann; pwd=[x] y",
		"PS-Auth key=abc; runas=ann; pwd=x",
		"PS-Auth key=; runas=ann;",
		"PS-Auth runas=ann; key=abc; other=1",
		"PS-Auth ;;;;",
		"PS-Auth key=a\x00; runas=\xff;",
		"Bearer abc",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		key, runAs, _, ok := parsePSAuth(h)
		if !ok {
			return
		}
		for _, v := range []string{key, runAs} {
			if v == "" || strings.TrimSpace(v) != v || strings.Contains(v, ";") {
				t.Fatalf("%q parsed to key %q runas %q", h, key, runAs)
			}
		}
	})
}
