// Package dump is the directory dump that `gatehouse export` writes and
// `gatehouse import` reads, to move a directory between stores (SQLite and
// PostgreSQL) with its ids, so that clients' stored ids keep working.
//
// A dump is JSON lines: a header, one object per row with a "type"
// discriminator, and an end record whose counts let an import tell a
// complete dump from a cut-off one. Records come in Types order, so each
// refers only to rows of earlier lines. API accounts carry no secret hash;
// the other credentials (users' password hashes, application users' secret
// hashes, API registrations' key hashes and directory providers' bind
// passwords) are there unless the export leaves them out. Sign-in sessions
// are never exported.
package dump

import (
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Format and Version identify the header; an import reads the versions
// from MinVersion to Version and refuses others. Version 2 added the
// BeyondInsight data: the new fields of users, groups and providers, API
// registrations and secrets; a version 1 dump has none of them, and its
// groups are active. Version 3 added users' profiles; the users of an
// earlier dump have none (the zero profile). An older gatehouse refuses a
// newer dump by its version rather than drop what it cannot keep.
const (
	Format     = "gatehouse-export"
	Version    = 3
	MinVersion = 1
)

// Record types, in the order an export writes them.
const (
	TypeSecurityProvider = "security_provider"
	TypeUser             = "user"
	TypeGroup            = "group"
	TypeMember           = "member"
	TypeTeam             = "team"
	TypeTeamUser         = "team_user"
	TypeAPIAccount       = "api_account"
	TypeAPIRegistration  = "api_registration"
	TypeSecret           = "secret"
	TypeEvent            = "event"
	TypeEnd              = "end"
)

// Types lists the row types in export order. API registrations come before
// the groups that name them, and secrets after the users who own them.
var Types = []string{TypeSecurityProvider, TypeUser, TypeAPIRegistration, TypeGroup, TypeMember, TypeTeam,
	TypeTeamUser, TypeAPIAccount, TypeSecret, TypeEvent}

// Counts are numbers of records by type.
type Counts map[string]int

// header is the first line.
type header struct {
	Type       string    `json:"type"`
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exported_at"`
	// PasswordHashes and Events say what the export left out;
	// PasswordHashes covers every credential (see ExportOptions).
	PasswordHashes bool `json:"password_hashes"`
	Events         bool `json:"events"`
	// Counts are what the directory held when the export began; an import
	// shows its progress against them. The end record has the exact ones.
	Counts Counts `json:"counts"`
	// IDMarks are the highest ids handed out per type, deleted rows
	// included, which the import gives the target's id generators.
	IDMarks map[string]int64 `json:"id_marks"`
}

// end is the last line.
type end struct {
	Type   string `json:"type"`
	Counts Counts `json:"counts"`
}

// markFields pairs the record types that have generated ids with their
// field in directory.IDMarks.
var markFields = []struct {
	typ   string
	field func(*directory.IDMarks) *int64
}{
	{TypeSecurityProvider, func(m *directory.IDMarks) *int64 { return &m.SecurityProvider }},
	{TypeUser, func(m *directory.IDMarks) *int64 { return &m.User }},
	{TypeGroup, func(m *directory.IDMarks) *int64 { return &m.Group }},
	{TypeMember, func(m *directory.IDMarks) *int64 { return &m.Member }},
	{TypeTeam, func(m *directory.IDMarks) *int64 { return &m.Team }},
	{TypeAPIAccount, func(m *directory.IDMarks) *int64 { return &m.APIAccount }},
	{TypeAPIRegistration, func(m *directory.IDMarks) *int64 { return &m.APIRegistration }},
	{TypeSecret, func(m *directory.IDMarks) *int64 { return &m.Secret }},
	{TypeEvent, func(m *directory.IDMarks) *int64 { return &m.Event }},
}

func marksToJSON(m directory.IDMarks) map[string]int64 {
	out := make(map[string]int64, len(markFields))
	for _, f := range markFields {
		out[f.typ] = *f.field(&m)
	}
	return out
}

func marksFromJSON(in map[string]int64) directory.IDMarks {
	var m directory.IDMarks
	for _, f := range markFields {
		*f.field(&m) = in[f.typ]
	}
	return m
}

// Progress hears how far an export or import has got, one record type at
// a time.
type Progress interface {
	// Begin starts a type; total is how many records to expect, or -1.
	Begin(typ string, total int)
	// Add counts records done.
	Add(n int)
	// End finishes the type begun last.
	End()
}

type noProgress struct{}

func (noProgress) Begin(string, int) {}
func (noProgress) Add(int)           {}
func (noProgress) End()              {}

// pageSize is how many rows an export reads, and an import writes, at a
// time: memory stays flat however large the directory.
const pageSize = directory.MaxPageSize
