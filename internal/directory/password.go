package directory

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params is the argon2id cost. The default is OWASP's first
// recommendation (19 MiB, 2 passes, 1 lane).
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 is the cost used unless configured otherwise.
var DefaultArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes user passwords with argon2id. It admits at most one hash
// per CPU at a time: more would not finish sooner, and each one holds
// MemoryKiB, so the semaphore is also what bounds memory under a burst.
type Hasher struct {
	params Argon2Params
	slots  chan struct{}
}

// NewHasher returns a Hasher with the given cost.
func NewHasher(p Argon2Params) *Hasher {
	return &Hasher{params: p, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Hash returns a PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-h.slots }()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := h.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether password matches the stored hash, in constant time
// with respect to the stored hash.
func (h *Hasher) Verify(ctx context.Context, phc, password string) (bool, error) {
	if rest, ok := strings.CutPrefix(phc, randomPrefix); ok {
		sum := sha256.Sum256([]byte(password))
		return subtle.ConstantTimeCompare([]byte(base64.RawStdEncoding.EncodeToString(sum[:])), []byte(rest)) == 1, nil
	}
	p, salt, want, err := parseArgon2id(phc)
	if err != nil {
		return false, err
	}
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-h.slots }()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Bounds on a stored hash's parameters. A hash comes from the database or
// an import, so it is not trusted to be sane: p=0 would panic in argon2,
// and a huge m or t would let one sign-in take the server's memory or CPU.
// The ranges hold every cost Gatehouse writes and RFC 9106's and OWASP's
// recommendations, with room to spare.
const (
	minArgon2Memory = 8       // KiB; argon2 needs at least 8 per lane
	maxArgon2Memory = 1 << 18 // KiB: 256 MiB
	maxArgon2Time   = 16      // passes
	maxArgon2Lanes  = 16      // p
	minArgon2Salt   = 8       // bytes, RFC 9106's minimum
	maxArgon2Salt   = 64      // bytes
	minArgon2Key    = 16      // bytes
	maxArgon2Key    = 64      // bytes
)

var errBadHash = errors.New("malformed password hash")

// parseArgon2id reads $argon2id$v=19$m=M,t=T,p=P$salt$key, refusing any
// parameter outside the bounds above.
func parseArgon2id(phc string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("unsupported password hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: version %q", errBadHash, parts[2])
	}
	m, t, lanes, err := argon2Costs(parts[3])
	if err != nil {
		return p, nil, nil, err
	}
	enc := base64.RawStdEncoding.Strict()
	if salt, err = enc.DecodeString(parts[4]); err != nil || len(salt) < minArgon2Salt || len(salt) > maxArgon2Salt {
		return p, nil, nil, fmt.Errorf("%w: salt must be %d to %d bytes of unpadded base64", errBadHash, minArgon2Salt, maxArgon2Salt)
	}
	if key, err = enc.DecodeString(parts[5]); err != nil || len(key) < minArgon2Key || len(key) > maxArgon2Key {
		return p, nil, nil, fmt.Errorf("%w: key must be %d to %d bytes of unpadded base64", errBadHash, minArgon2Key, maxArgon2Key)
	}
	return Argon2Params{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(lanes)}, salt, key, nil
}

// argon2Costs reads "m=M,t=T,p=P" in that order, each a plain decimal
// within its bounds.
func argon2Costs(s string) (m, t, p uint64, err error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return 0, 0, 0, fmt.Errorf("%w: want m=,t=,p=", errBadHash)
	}
	out := [3]*uint64{&m, &t, &p}
	for i, f := range []struct {
		name     string
		min, max uint64
	}{{"m", minArgon2Memory, maxArgon2Memory}, {"t", 1, maxArgon2Time}, {"p", 1, maxArgon2Lanes}} {
		v, ok := strings.CutPrefix(fields[i], f.name+"=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if !ok || perr != nil || n < f.min || n > f.max {
			return 0, 0, 0, fmt.Errorf("%w: %s must be between %d and %d", errBadHash, f.name, f.min, f.max)
		}
		*out[i] = n
	}
	if m < 8*p {
		return 0, 0, 0, fmt.Errorf("%w: m must be at least 8 KiB per lane", errBadHash)
	}
	return m, t, p, nil
}

// randomPrefix marks the hash of a server-generated random password.
const randomPrefix = "$sha256$"

// RandomPasswordHash gives a user created without a password a random one,
// as PRA does; nobody is told it, so an administrator must reset it before
// the user can log in. Like API client secrets, 32 random bytes need no slow
// hash, which keeps password-less creates (what provisioning sends) cheap.
func RandomPasswordHash() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	sum := sha256.Sum256([]byte(base64.RawURLEncoding.EncodeToString(b)))
	return randomPrefix + base64.RawStdEncoding.EncodeToString(sum[:])
}
