package directory

import "time"

// SigningKey is a token signing key kept in the database, for deployments
// that give the server no key file or key in the environment. Instances
// sign with the newest key whose SignsFrom has come, and verify with it
// and its predecessors until internal/auth drops them.
type SigningKey struct {
	// ID is carried in every token the key signs, so that verification
	// picks the key; internal/auth derives it from the key.
	ID  uint32
	Key []byte
	// CreatedAt is when the key was made.
	CreatedAt time.Time
	// SignsFrom is when instances start signing with it: late enough that
	// every instance has read it by then, so none refuses its tokens.
	SignsFrom time.Time
}

// SigningKeyChange decides, on the stored keys (newest first), which key
// to add (nil: none) and which ids to delete.
type SigningKeyChange func(stored []SigningKey) (add *SigningKey, drop []uint32, err error)
