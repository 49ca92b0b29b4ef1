package directory_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// BenchmarkArgon2id is one password hash at the default cost, the work a
// user create or update with a password does; `gatehouse bench` compares
// its password-create rate with this rate measured on the server's core.
func BenchmarkArgon2id(b *testing.B) {
	h := directory.NewHasher(directory.DefaultArgon2)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash(ctx, "Correct-Horse-Battery-9"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRandomPasswordHash is what a user created without a password
// costs instead: a random 256-bit password needs no key stretching.
func BenchmarkRandomPasswordHash(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		directory.RandomPasswordHash()
	}
}
