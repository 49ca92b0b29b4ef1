package directory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// A stored hash is not trusted: every malformed or out-of-bounds PHC string
// is an error, never a panic, and never costs more than the bounds allow.
func TestVerifyRefusesMalformedHashes(t *testing.T) {
	ctx := context.Background()
	h := directory.NewHasher(directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	good, err := h.Hash(ctx, "Correct-Horse-Battery-9")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(ctx, good, "Correct-Horse-Battery-9"); !ok || err != nil {
		t.Fatalf("Verify(own hash) = %v, %v", ok, err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, costs, salt, key
	salt, key := parts[4], parts[5]
	with := func(version, costs, salt, key string) string {
		return "$argon2id$" + version + "$" + costs + "$" + salt + "$" + key
	}
	const salt4, salt65 = "c2FsdA", "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
	for _, c := range []struct{ name, phc string }{
		{"empty", ""},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"too few parts", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"too many parts", good + "$x"},
		{"no leading $", strings.TrimPrefix(good, "$")},
		{"version 16", with("v=16", "m=64,t=1,p=1", salt, key)},
		{"no version", with("", "m=64,t=1,p=1", salt, key)},
		{"p=0", with("v=19", "m=64,t=1,p=0", salt, key)},
		{"t=0", with("v=19", "m=64,t=0,p=1", salt, key)},
		{"m=0", with("v=19", "m=0,t=1,p=1", salt, key)},
		{"m below 8 per lane", with("v=19", "m=16,t=1,p=4", salt, key)},
		{"m of 4 GiB", with("v=19", "m=4194304,t=1,p=1", salt, key)},
		{"m overflowing uint32", with("v=19", "m=4294967296,t=1,p=1", salt, key)},
		{"t of a million passes", with("v=19", "m=64,t=1000000,p=1", salt, key)},
		{"p of 255 lanes", with("v=19", "m=4096,t=1,p=255", salt, key)},
		{"p overflowing uint8", with("v=19", "m=64,t=1,p=257", salt, key)},
		{"negative m", with("v=19", "m=-64,t=1,p=1", salt, key)},
		{"signed m", with("v=19", "m=+64,t=1,p=1", salt, key)},
		{"costs out of order", with("v=19", "t=1,m=64,p=1", salt, key)},
		{"costs with trailing junk", with("v=19", "m=64,t=1,p=1x", salt, key)},
		{"missing cost", with("v=19", "m=64,t=1", salt, key)},
		{"extra cost", with("v=19", "m=64,t=1,p=1,k=2", salt, key)},
		{"empty salt", with("v=19", "m=64,t=1,p=1", "", key)},
		{"4-byte salt", with("v=19", "m=64,t=1,p=1", salt4, key)},
		{"65-byte salt", with("v=19", "m=64,t=1,p=1", salt65, key)},
		{"salt not base64", with("v=19", "m=64,t=1,p=1", "!!!!!!!!!!!!", key)},
		{"padded salt", with("v=19", "m=64,t=1,p=1", salt+"==", key)},
		{"empty key", with("v=19", "m=64,t=1,p=1", salt, "")},
		{"4-byte key", with("v=19", "m=64,t=1,p=1", salt, salt4)},
		{"65-byte key", with("v=19", "m=64,t=1,p=1", salt, salt65)},
		{"key not base64", with("v=19", "m=64,t=1,p=1", salt, "****")},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, c.phc, "Correct-Horse-Battery-9")
			if ok || err == nil {
				t.Errorf("Verify(%q) = %v, %v; want an error", c.phc, ok, err)
			}
		})
	}
}
