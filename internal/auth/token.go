package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"sync"
)

// A token is base64url (no padding) of a fixed 66-byte layout:
//
//	[0]      format version: 1 for an API account's token, 2 for a
//	         BeyondInsight application user's (account id is then the
//	         user id, generation its secret generation, serial 0)
//	[1:9]    account id            big-endian int64
//	[9:17]   token generation      big-endian int64
//	[17:25]  token serial          big-endian int64
//	[25]     scope (1 full_access, 2 read_only)
//	[26:34]  expiry, Unix seconds  big-endian int64
//	[34:66]  HMAC-SHA256 of [0:34]
//
// Fixed width keeps parsing to a length check and a table decode, with no
// allocation; 66 bytes is a multiple of 3, so the encoding has exactly one
// form (no padding bits that could vary).
const (
	tokenVersion     = 1
	tokenVersionUser = 2
	payloadLen       = 34
	rawTokenLen      = payloadLen + sha256.Size
	tokenLen         = rawTokenLen / 3 * 4
)

const (
	scopeByteFull     = 1
	scopeByteReadOnly = 2
)

// claims is what a token says; it is believed only after the MAC checks.
type claims struct {
	user                        bool // an application user's token (version 2)
	account, generation, serial int64
	scope                       Scope
	expiry                      int64 // Unix seconds
}

// signer mints and verifies tokens under one key. Verification reuses
// pooled HMAC states (whose keyed prefix is precomputed on Reset) and
// buffers, so the hot path does not allocate.
type signer struct {
	pool sync.Pool
}

// macState is one pooled HMAC with the buffers a verification needs; the
// buffers live here, not on the stack, because hash.Hash is an interface
// and anything passed to it escapes.
type macState struct {
	h   hash.Hash
	raw [rawTokenLen]byte
	sum [sha256.Size]byte
}

// tokenKeyLabel separates token MACs from any other use of the server key
// (sign-in sessions, say): the MAC key is derived, never the key itself.
const tokenKeyLabel = "gatehouse oauth2 access token v1"

func newSigner(serverKey []byte) *signer {
	d := hmac.New(sha256.New, serverKey)
	d.Write([]byte(tokenKeyLabel))
	key := d.Sum(nil)
	s := &signer{}
	s.pool.New = func() any {
		return &macState{h: hmac.New(sha256.New, key)}
	}
	return s
}

// mint returns the token for c.
func (s *signer) mint(c claims) string {
	m := s.pool.Get().(*macState)
	defer s.pool.Put(m)
	p := m.raw[:payloadLen]
	p[0] = tokenVersion
	if c.user {
		p[0] = tokenVersionUser
	}
	binary.BigEndian.PutUint64(p[1:], uint64(c.account))
	binary.BigEndian.PutUint64(p[9:], uint64(c.generation))
	binary.BigEndian.PutUint64(p[17:], uint64(c.serial))
	p[25] = scopeByteFull
	if c.scope == ScopeReadOnly {
		p[25] = scopeByteReadOnly
	}
	binary.BigEndian.PutUint64(p[26:], uint64(c.expiry))
	m.h.Reset()
	m.h.Write(p)
	m.h.Sum(m.raw[:payloadLen])
	return base64.RawURLEncoding.EncodeToString(m.raw[:])
}

// verify returns the claims of tok when it is well formed and its MAC is
// right; expiry and revocation are the caller's to check.
func (s *signer) verify(tok string) (claims, bool) {
	if len(tok) != tokenLen {
		return claims{}, false
	}
	m := s.pool.Get().(*macState)
	defer s.pool.Put(m)
	if !decodeB64URL(m.raw[:], tok) || (m.raw[0] != tokenVersion && m.raw[0] != tokenVersionUser) {
		return claims{}, false
	}
	p := m.raw[:payloadLen]
	m.h.Reset()
	m.h.Write(p)
	if !hmac.Equal(m.h.Sum(m.sum[:0]), m.raw[payloadLen:]) {
		return claims{}, false
	}
	c := claims{
		user:       p[0] == tokenVersionUser,
		account:    int64(binary.BigEndian.Uint64(p[1:])),
		generation: int64(binary.BigEndian.Uint64(p[9:])),
		serial:     int64(binary.BigEndian.Uint64(p[17:])),
		expiry:     int64(binary.BigEndian.Uint64(p[26:])),
	}
	switch p[25] {
	case scopeByteFull:
		c.scope = ScopeFullAccess
	case scopeByteReadOnly:
		c.scope = ScopeReadOnly
	default:
		return claims{}, false
	}
	return c, true
}

// b64Index maps a base64url character to its value, 0xff for others.
var b64Index = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeB64URL decodes src, whose length is a multiple of 4, into dst of
// exactly len(src)/4*3 bytes. It exists because encoding/base64 decodes
// only from []byte, and converting the header string would allocate.
func decodeB64URL(dst []byte, src string) bool {
	if len(src)%4 != 0 || len(dst) != len(src)/4*3 {
		return false
	}
	var bad byte
	for i, j := 0, 0; i < len(src); i, j = i+4, j+3 {
		a, b, c, d := b64Index[src[i]], b64Index[src[i+1]], b64Index[src[i+2]], b64Index[src[i+3]]
		bad |= a | b | c | d
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst[j], dst[j+1], dst[j+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	// Every valid value is below 64, so any 0xff leaves the top bits set.
	return bad&0xc0 == 0
}
