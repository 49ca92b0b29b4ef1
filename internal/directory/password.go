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
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unsupported password hash")
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("malformed password hash: %w", err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("malformed password hash: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("malformed password hash: %w", err)
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
