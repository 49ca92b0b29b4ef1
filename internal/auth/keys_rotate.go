package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// DefaultKeyDelay is how long a rotated-in key waits before it signs:
// instances read the database every PollInterval (250ms), so after two
// seconds all of them hold the key and none refuses its tokens.
const DefaultKeyDelay = 2 * time.Second

// keyAttempts bounds how often a rotation draws a key whose 24-bit id
// another key already has (one chance in millions each time).
const keyAttempts = 8

// rotated returns keys with a new key first, signing from now+after, and
// the ids of keys that are no longer needed then, as instances with token
// lifetime ttl would drop them.
func rotated(keys []directory.SigningKey, now time.Time, after, ttl time.Duration) (directory.SigningKey, []directory.SigningKey, error) {
	for range keyAttempts {
		k, err := NewSigningKey(now, after)
		if err != nil {
			return k, nil, err
		}
		if !slices.ContainsFunc(keys, func(o directory.SigningKey) bool { return o.ID == k.ID }) {
			return k, kept(append([]directory.SigningKey{k}, keys...), now, ttl), nil
		}
	}
	return directory.SigningKey{}, nil, errors.New("auth: could not draw a key with an unused id")
}

// kept is keys without those planKeys no longer verifies with.
func kept(keys []directory.SigningKey, now time.Time, ttl time.Duration) []directory.SigningKey {
	plan := planKeys(keys, now, ttl)
	return slices.DeleteFunc(keys, func(k directory.SigningKey) bool { return !slices.Contains(plan.verifying, k.ID) })
}

// RotateDatabaseKey stores a new key that every instance starts signing
// with after the given delay (they read it within a poll), and deletes the
// keys that no token still valid under lifetime ttl can name: with ttl and
// after 0, every other key, as after a leak.
func RotateDatabaseKey(ctx context.Context, store directory.Store, now time.Time, after, ttl time.Duration) (directory.SigningKey, error) {
	var added directory.SigningKey
	_, err := store.ChangeSigningKeys(ctx, func(stored []directory.SigningKey) (*directory.SigningKey, []uint32, error) {
		k, keep, err := rotated(stored, now, after, ttl)
		if err != nil {
			return nil, nil, err
		}
		var drop []uint32
		for _, s := range stored {
			if !slices.ContainsFunc(keep, func(o directory.SigningKey) bool { return o.ID == s.ID }) {
				drop = append(drop, s.ID)
			}
		}
		added = k
		return &k, drop, nil
	})
	return added, err
}

// RotateKeyFile writes a new key at the top of the key file, signing from
// now+after (rounded up to the second the file can say), keeps the keys
// still needed, and drops the rest; a missing file is created with one key
// that signs at once. The file is replaced whole, readable by its owner
// only; comments in it are not kept.
func RotateKeyFile(path string, now time.Time, after, ttl time.Duration) (directory.SigningKey, error) {
	var keys []directory.SigningKey
	switch b, err := os.ReadFile(path); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return directory.SigningKey{}, err
	default:
		if keys, err = ParseSigningKeys(string(b)); err != nil {
			return directory.SigningKey{}, fmt.Errorf("%s: %w", path, err)
		}
	}
	k, keep, err := rotated(keys, now, after, ttl)
	if err != nil {
		return k, err
	}
	if len(keys) == 0 {
		keep[0].SignsFrom = time.Time{} // the only key: it signs whenever the file is read
	} else if whole := keep[0].SignsFrom.Truncate(time.Second); !whole.Equal(keep[0].SignsFrom) {
		keep[0].SignsFrom = whole.Add(time.Second)
	}
	k = keep[0]
	var b strings.Builder
	b.WriteString("# Gatehouse token signing keys, newest first (gatehouse keys rotate rewrites this file).\n")
	for _, key := range keep {
		b.WriteString(formatKeyLine(key) + "\n")
	}
	return k, writePrivate(path, []byte(b.String()))
}

// writePrivate replaces path with data atomically, mode 0600, so that a
// reader never sees half a file.
func writePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".signing-keys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// KeyState describes one key for `gatehouse keys list`: never its bytes.
type KeyState struct {
	ID string
	// Since is when the key was made or, for a key file, when it started
	// signing; zero when the file does not say.
	Since time.Time
	State string
}

// DescribeKeys says what each key does at now, for token lifetime ttl.
func DescribeKeys(keys []directory.SigningKey, now time.Time, ttl time.Duration) []KeyState {
	plan := planKeys(keys, now, ttl)
	out := make([]KeyState, len(keys))
	for i, k := range keys {
		st := KeyState{ID: KeyIDString(k.ID), Since: k.CreatedAt}
		if st.Since.IsZero() {
			st.Since = k.SignsFrom
		}
		var retires time.Time
		if i > 0 && !keys[i-1].SignsFrom.IsZero() {
			retires = keys[i-1].SignsFrom.Add(ttl)
		}
		switch {
		case k.ID == plan.signing:
			st.State = "signing"
		case k.SignsFrom.After(now):
			st.State = "next: signs from " + k.SignsFrom.UTC().Format(time.RFC3339)
		case !slices.Contains(plan.verifying, k.ID):
			st.State = "dropped at " + retires.UTC().Format(time.RFC3339)
		case retires.IsZero():
			st.State = "verifying until removed"
		default:
			st.State = "verifying until " + retires.UTC().Format(time.RFC3339)
		}
		out[i] = st
	}
	return out
}
