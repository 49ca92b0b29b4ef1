package directory

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"time"
)

// Access is an API account's level on one API.
type Access string

const (
	AccessNone       Access = "deny"
	AccessReadOnly   Access = "read_only"
	AccessFullAccess Access = "full_access"
)

// Valid reports whether a is one of the three levels.
func (a Access) Valid() bool { return a == AccessNone || a == AccessReadOnly || a == AccessFullAccess }

// CanRead and CanWrite answer the two questions every route asks.
func (a Access) CanRead() bool  { return a == AccessReadOnly || a == AccessFullAccess }
func (a Access) CanWrite() bool { return a == AccessFullAccess }

// Permissions are what an API account may do, one entry per API.
type Permissions struct {
	Configuration  Access `json:"configuration"`   // PRA /api/config/v1
	UserManagement Access `json:"user_management"` // public v3 /api/public/v3
	SCIM           bool   `json:"scim"`            // /scim/v2
	Quarantine     bool   `json:"quarantine"`      // BeyondInsight quarantine
}

// FullPermissions is what the bootstrap account gets.
func FullPermissions() Permissions {
	return Permissions{Configuration: AccessFullAccess, UserManagement: AccessFullAccess, SCIM: true, Quarantine: true}
}

// APIAccount is an OAuth2 client. Its secret is server-generated and high
// entropy, so SecretHash is a SHA-256, not a password hash.
type APIAccount struct {
	ID         int64
	Name       string
	Comments   string
	Enabled    bool
	IPAllow    []string // CIDRs or addresses; empty allows any source
	ClientID   string
	SecretHash []byte `json:"-"`
	Perms      Permissions
	// FailedLogins counts consecutive failed token requests; LockedUntil is
	// set when they reach the configured limit.
	FailedLogins int
	LockedUntil  *time.Time
	// TokenGeneration invalidates every token issued before it changed
	// (secret rotation, disabling). TokenSerial numbers issued tokens so that
	// only the newest MaxTokens stay valid.
	TokenGeneration int64
	TokenSerial     int64
	// LastTokenAt is when the account was last given a token, nil if
	// never: its last use, since tokens are verified without a write.
	LastTokenAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// MaxTokens is how many tokens an account may hold; issuing one more
// invalidates the oldest.
const MaxTokens = 30

// TokenValid reports whether a token of the given generation and serial is
// still among the account's valid tokens.
func (a *APIAccount) TokenValid(generation, serial int64) bool {
	return a.Enabled && generation == a.TokenGeneration && serial > a.TokenSerial-MaxTokens && serial <= a.TokenSerial
}

// NewClientSecret returns a fresh client secret (shown to the caller once)
// and the hash to store.
func NewClientSecret() (secret string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the stored form of a client secret. A fast hash is right
// here: the secret has 256 bits of entropy, so there is nothing to stretch.
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// NewClientID returns a random client id of 32 hex characters.
func NewClientID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// MaxClientID is PRA's limit on client ids.
const MaxClientID = 40

// NewAPIAccount is what creating an API account takes. ClientID and Secret
// are normally empty and generated; the CLI's bootstrap may fix them.
type NewAPIAccount struct {
	Name     string
	Comments string
	Perms    Permissions
	IPAllow  []string
	ClientID string
	Secret   string
}

// Validate checks the fields before anything is stored; fixtures run it on
// a whole file before the first write.
func (n NewAPIAccount) Validate() Problems {
	p := Problems{}
	checkLen(p, FieldName, n.Name, 1, MaxName)
	checkText(p, FieldName, n.Name)
	checkLen(p, FieldComments, n.Comments, 0, MaxComments)
	if n.ClientID != "" {
		checkLen(p, "client_id", n.ClientID, 1, MaxClientID)
		for _, r := range n.ClientID {
			if r <= 0x20 || r >= 0x7f || r == ':' {
				p.Add("client_id", "may only contain printable ASCII characters other than space and colon")
				break
			}
		}
	}
	if n.Secret != "" {
		checkSecret(p, FieldClientSecret, n.Secret)
	}
	for _, a := range []Access{n.Perms.Configuration, n.Perms.UserManagement} {
		if !a.Valid() {
			p.Add("permissions", "must be deny, read_only or full_access")
			break
		}
	}
	checkAddresses(p, "ip_addresses", n.IPAllow)
	return p
}

// checkAddresses accepts IP addresses and CIDR prefixes.
func checkAddresses(p Problems, field string, list []string) {
	for _, s := range list {
		if _, err := netip.ParsePrefix(s); err != nil {
			if _, err := netip.ParseAddr(s); err != nil {
				p.Add(field, "must be IP addresses or CIDR prefixes")
				return
			}
		}
	}
}
