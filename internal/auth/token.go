package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"sync"
)

// A token is base64url (no padding) of a fixed 69-byte layout:
//
//	[0]      format version: 3 for an API account's token, 4 for a
//	         BeyondInsight application user's (account id is then the
//	         user id, generation its secret generation, serial 0);
//	         1 and 2 were the same without a key id, and are refused
//	[1:4]    key id                big-endian 24 bits: the signing key
//	[4:12]   account id            big-endian int64
//	[12:20]  token generation      big-endian int64
//	[20:28]  token serial          big-endian int64
//	[28]     scope (1 full_access, 2 read_only)
//	[29:37]  expiry, Unix seconds  big-endian int64
//	[37:69]  HMAC-SHA256 of [0:37]
//
// Fixed width keeps parsing to a length check and a table decode, with no
// allocation; 69 bytes is a multiple of 3, so the encoding has exactly one
// form (no padding bits that could vary).
const (
	tokenVersion     = 3
	tokenVersionUser = 4
	payloadLen       = 37
	rawTokenLen      = payloadLen + sha256.Size
	tokenLen         = rawTokenLen / 3 * 4
	// headLen is how many characters encode the version and key id.
	headLen = 8
)

const (
	scopeByteFull     = 1
	scopeByteReadOnly = 2
)

// claims is what a token says; it is believed only after the MAC checks.
type claims struct {
	user                        bool // an application user's token (version 4)
	account, generation, serial int64
	scope                       Scope
	expiry                      int64 // Unix seconds
}

// signer mints and verifies tokens under one key. Verification reuses
// pooled HMAC states (whose keyed prefix is precomputed on Reset) and
// buffers, so the hot path does not allocate.
type signer struct {
	id   uint32 // the key id, 24 bits
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

// tokenKeyLabel separates token MACs from any other use of a signing key:
// the MAC key is derived, never the key itself.
const tokenKeyLabel = "gatehouse oauth2 access token v1"

func newSigner(signingKey []byte) *signer {
	d := hmac.New(sha256.New, signingKey)
	d.Write([]byte(tokenKeyLabel))
	key := d.Sum(nil)
	s := &signer{id: keyID(signingKey)}
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
	p[1], p[2], p[3] = byte(s.id>>16), byte(s.id>>8), byte(s.id)
	binary.BigEndian.PutUint64(p[4:], uint64(c.account))
	binary.BigEndian.PutUint64(p[12:], uint64(c.generation))
	binary.BigEndian.PutUint64(p[20:], uint64(c.serial))
	p[28] = scopeByteFull
	if c.scope == ScopeReadOnly {
		p[28] = scopeByteReadOnly
	}
	binary.BigEndian.PutUint64(p[29:], uint64(c.expiry))
	m.h.Reset()
	m.h.Write(p)
	m.h.Sum(m.raw[:payloadLen])
	return base64.RawURLEncoding.EncodeToString(m.raw[:])
}

// tokenKeyID returns the key id a token names, without checking anything
// else about it.
func tokenKeyID(tok string) (uint32, bool) {
	var head [headLen / 4 * 3]byte
	if len(tok) != tokenLen || !decodeB64URL(head[:], tok[:headLen]) {
		return 0, false
	}
	return uint32(head[1])<<16 | uint32(head[2])<<8 | uint32(head[3]), true
}

// verify returns the claims of tok when it is well formed and its MAC is
// right under this key; expiry and revocation are the caller's to check.
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
		account:    int64(binary.BigEndian.Uint64(p[4:])),
		generation: int64(binary.BigEndian.Uint64(p[12:])),
		serial:     int64(binary.BigEndian.Uint64(p[20:])),
		expiry:     int64(binary.BigEndian.Uint64(p[29:])),
	}
	switch p[28] {
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
