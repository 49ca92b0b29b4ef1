package auth

import (
	"crypto/rand"
	"encoding/base64"
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func TestDecodeB64URLMatchesStdlib(t *testing.T) {
	for range 200 {
		raw := make([]byte, rawTokenLen)
		rand.Read(raw)
		enc := base64.RawURLEncoding.EncodeToString(raw)
		got := make([]byte, rawTokenLen)
		if !decodeB64URL(got, enc) || string(got) != string(raw) {
			t.Fatalf("decode %q", enc)
		}
	}
	dst := make([]byte, 3)
	for _, bad := range []string{"AB=C", "AB+C", "AB/C", "AB C", "ABC\x00", "ABC\xff"} {
		if decodeB64URL(dst, bad) {
			t.Errorf("accepted %q", bad)
		}
	}
	if decodeB64URL(dst, "ABC") || decodeB64URL(make([]byte, 2), "ABCD") {
		t.Error("accepted a wrong length")
	}
}

func TestTokenRoundTripAndTamper(t *testing.T) {
	s := newSigner([]byte("0123456789abcdef0123456789abcdef"))
	c := claims{account: 7, generation: 3, serial: 1 << 40, scope: ScopeReadOnly, expiry: 1_900_000_000}
	tok := s.mint(c)
	if len(tok) != tokenLen {
		t.Fatalf("length %d", len(tok))
	}
	got, ok := s.verify(tok)
	if !ok || got != c {
		t.Fatalf("verify: %+v %v", got, ok)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	for i := range raw {
		for _, bit := range []byte{1, 0x80} {
			bad := append([]byte(nil), raw...)
			bad[i] ^= bit
			if _, ok := s.verify(base64.RawURLEncoding.EncodeToString(bad)); ok {
				t.Fatalf("accepted a token with byte %d changed", i)
			}
		}
	}
	other := newSigner([]byte("another key, as another database has"))
	if _, ok := other.verify(tok); ok {
		t.Fatal("accepted a token signed under another key")
	}
}

func TestParseScope(t *testing.T) {
	for in, want := range map[string]Scope{"": ScopeFullAccess, "  ": ScopeFullAccess, "read_only": ScopeReadOnly,
		"full_access": ScopeFullAccess, "read_only full_access": ScopeFullAccess, "read_only read_only": ScopeReadOnly} {
		if got, ok := parseScope(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"admin", "read_only admin", "READ_ONLY"} {
		if _, ok := parseScope(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestCacheKeepsNewestVersion(t *testing.T) {
	c := newAccountCache(nil)
	c.apply(directory.APIAccount{ID: 1, ClientID: "a", Version: 2, TokenSerial: 20})
	c.apply(directory.APIAccount{ID: 1, ClientID: "a", Version: 1, TokenSerial: 10})
	st := c.idx.Load().byID[1].state.Load()
	if st.acct.Version != 2 || st.acct.TokenSerial != 20 {
		t.Fatalf("stale version won: %+v", st.acct)
	}
	c.put(&accountState{acct: directory.APIAccount{ID: 1}, missing: true})
	if c.idx.Load().byID[1].state.Load().missing {
		t.Fatal("a tombstone replaced a real account")
	}
	c.put(&accountState{acct: directory.APIAccount{ID: 2}, missing: true})
	c.apply(directory.APIAccount{ID: 2, ClientID: "b", Version: 1})
	if e := c.idx.Load().byClient["b"]; e == nil || e.state.Load().acct.ID != 2 {
		t.Fatal("an account replacing a tombstone is not indexed by client id")
	}
	c.apply(directory.APIAccount{ID: 2, ClientID: "b2", Version: 2})
	if idx := c.idx.Load(); idx.byClient["b"] != nil || idx.byClient["b2"] == nil {
		t.Fatal("a changed client id is not re-indexed")
	}
	if c.idx.Load().byClient["a"].state.Load().acct.ID != 1 {
		t.Fatal("re-indexing lost another account")
	}
}

func TestWindowLimiter(t *testing.T) {
	l := newLimiter(2, 3)
	t0 := time.Date(2026, 1, 1, 10, 59, 59, 500_000_000, time.UTC)
	for i := range 2 {
		if st, ok := l.take(1, t0); !ok || st.Remaining != 3-(i+1) || st.Limit != 3 {
			t.Fatalf("take %d: %+v %v", i, st, ok)
		}
	}
	st, ok := l.take(1, t0)
	if ok || st.RetryAfter != 500*time.Millisecond {
		t.Fatalf("3rd in a second: %+v %v", st, ok)
	}
	// A new second and, here, a new hour: both windows restart.
	if _, ok := l.take(1, t0.Add(500*time.Millisecond)); !ok {
		t.Fatal("new window refused")
	}
	if _, ok := newLimiter(0, 5).(noLimit); !ok {
		t.Fatal("RatePerSecond 0 does not disable limiting")
	}
	perSecondOnly := newLimiter(2, 0)
	if st, _ := perSecondOnly.take(1, t0); st.Limit != 2 || st.Remaining != 1 {
		t.Fatalf("per-second figures: %+v", st)
	}
}

func TestAllowList(t *testing.T) {
	list := parseAllow([]string{"::ffff:10.0.0.0/104", "192.0.2.7", "garbage"})
	for addr, want := range map[string]bool{"10.1.1.1": true, "192.0.2.7": true, "192.0.2.8": false, "::1": false} {
		if got := allowed(list, mustAddr(addr)); got != want {
			t.Errorf("%s: %v", addr, got)
		}
	}
	if allowed(parseAllow([]string{"garbage"}), mustAddr("10.0.0.1")) {
		t.Error("an unusable list allows everything")
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
