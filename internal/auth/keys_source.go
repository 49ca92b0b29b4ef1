package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Key lengths: HMAC-SHA256 wants at least its output size in key, and a
// key longer than its block size is hashed first, so more adds nothing.
const (
	MinKeyBytes = 32
	MaxKeyBytes = 64
)

// KeySource is where an instance's signing keys come from: a key file, the
// environment, or the database. SigningKeys returns them newest first.
type KeySource interface {
	SigningKeys(ctx context.Context) ([]directory.SigningKey, error)
}

// DatabaseKeys keeps the keys in the store, creating the first on first
// use (exactly one, when instances start together).
func DatabaseKeys(store directory.Store) KeySource { return databaseKeys{store} }

type databaseKeys struct{ store directory.Store }

func (d databaseKeys) SigningKeys(ctx context.Context) ([]directory.SigningKey, error) {
	keys, err := d.store.SigningKeys(ctx)
	if err != nil || len(keys) > 0 {
		return keys, err
	}
	return d.store.ChangeSigningKeys(ctx, func(stored []directory.SigningKey) (*directory.SigningKey, []uint32, error) {
		if len(stored) > 0 {
			return nil, nil, nil
		}
		k, err := NewSigningKey(time.Now(), 0)
		return &k, nil, err
	})
}

// NewSigningKey makes a random key created at now that signs after the
// given delay.
func NewSigningKey(now time.Time, after time.Duration) (directory.SigningKey, error) {
	key := make([]byte, MinKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return directory.SigningKey{}, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	return directory.SigningKey{ID: keyID(key), Key: key, CreatedAt: now, SignsFrom: now.Add(after)}, nil
}

// KeyFile reads the keys from a file on every call, so that a rewritten
// file takes effect within a poll without a restart. See ParseSigningKeys
// for its format.
type KeyFile string

func (f KeyFile) SigningKeys(context.Context) ([]directory.SigningKey, error) {
	b, err := os.ReadFile(string(f))
	if err != nil {
		return nil, fmt.Errorf("signing key file: %w", err)
	}
	keys, err := ParseSigningKeys(string(b))
	if err != nil {
		return nil, fmt.Errorf("signing key file %s: %w", f, err)
	}
	return keys, nil
}

// StaticKeys are keys given once, as GATEHOUSE_SIGNING_KEY gives them.
type StaticKeys []directory.SigningKey

func (s StaticKeys) SigningKeys(context.Context) ([]directory.SigningKey, error) { return s, nil }

// fromField marks when a key starts signing, on its line.
const fromField = "from="

// ParseSigningKeys reads keys, newest first, one per line (commas count
// as line ends, for an environment variable); blank lines and lines starting
// with # are ignored. A key is 32 to 64 bytes in standard base64, padded or
// not (`openssl rand -base64 32` makes one), optionally followed by
// from=<RFC 3339 time>: when it starts signing. The first key whose time
// has come signs; every key verifies until its successor has been signing
// for the token lifetime, or, when the successor has no from=, until the
// key is removed. Errors name the line, never the key.
func ParseSigningKeys(text string) ([]directory.SigningKey, error) {
	var keys []directory.SigningKey
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for entry := range strings.SplitSeq(line, ",") {
			if strings.TrimSpace(entry) == "" {
				continue
			}
			k, err := parseKeyLine(entry)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			keys = append(keys, k)
		}
	}
	if err := checkKeys(keys); err != nil {
		return nil, err
	}
	return keys, nil
}

func parseKeyLine(line string) (directory.SigningKey, error) {
	fields := strings.Fields(line)
	if strings.Trim(fields[0], "0123456789abcdefABCDEF") == "" {
		// Hex decodes as base64 too, into other bytes: refuse it rather
		// than have the operator believe the key is what they typed.
		return directory.SigningKey{}, errors.New("hexadecimal, want base64 (openssl rand -base64 32 makes a key)")
	}
	key, err := base64.StdEncoding.DecodeString(fields[0])
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(fields[0])
	}
	switch {
	case err != nil:
		return directory.SigningKey{}, errors.New("not standard base64")
	case len(key) < MinKeyBytes || len(key) > MaxKeyBytes:
		return directory.SigningKey{}, fmt.Errorf("%d bytes long, want %d to %d", len(key), MinKeyBytes, MaxKeyBytes)
	}
	k := directory.SigningKey{ID: keyID(key), Key: key}
	for _, f := range fields[1:] {
		v, ok := strings.CutPrefix(f, fromField)
		if !ok || !k.SignsFrom.IsZero() {
			return directory.SigningKey{}, errors.New("want a key and at most one from=<time> on its line")
		}
		if k.SignsFrom, err = time.Parse(time.RFC3339, v); err != nil {
			return directory.SigningKey{}, errors.New("from= wants an RFC 3339 time, such as 2026-12-01T09:00:00Z")
		}
		k.SignsFrom = k.SignsFrom.UTC()
	}
	return k, nil
}

// formatKeyLine is the inverse of parseKeyLine.
func formatKeyLine(k directory.SigningKey) string {
	line := base64.StdEncoding.EncodeToString(k.Key)
	if !k.SignsFrom.IsZero() {
		line += " " + fromField + k.SignsFrom.UTC().Format(time.RFC3339)
	}
	return line
}

// NewSigningKeyLine is a new random key as a key file or
// GATEHOUSE_SIGNING_KEY holds it.
func NewSigningKeyLine() (string, error) {
	k, err := NewSigningKey(time.Now(), 0)
	return base64.StdEncoding.EncodeToString(k.Key), err
}
