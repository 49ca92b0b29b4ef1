package directory

import (
	"context"
	"time"
)

// Store is the persistence interface. Reads on the Store itself run outside
// any transaction (each is one consistent statement); Write runs fn in one
// transaction and commits it only if fn returns nil, retrying fn on the
// store's transient conflicts (SQLITE_BUSY, PostgreSQL 40001), so fn must
// not have effects outside the Tx.
//
// Methods return *Error of KindNotFound for a missing row and KindConflict
// (with the domain field name) for a unique value already taken; anything
// else is an internal failure.
type Store interface {
	Reader
	Write(ctx context.Context, fn func(Tx) error) error
	// Snapshot runs fn with a Reader on one read-only view of the
	// directory as it was committed when Snapshot began: every read fn
	// makes sees that same moment, whatever commits meanwhile, so that a
	// reader of many pages (an export) finds every reference resolved. The
	// Reader is valid only during fn. Writers are not blocked, but a long
	// snapshot keeps old row versions alive (SQLite cannot truncate its
	// WAL past it), so it is for operations, not requests.
	Snapshot(ctx context.Context, fn func(Reader) error) error
	// AccountsChangedSince returns the API accounts whose UpdatedAt is at or
	// after since. internal/auth polls it with an overlap, keeping the newest
	// Version of each, so that every instance sees a revocation within a
	// second even when transactions commit out of order.
	AccountsChangedSince(ctx context.Context, since time.Time) ([]APIAccount, error)
	// SigningKeys returns the token signing keys kept in the database,
	// newest first (see SigningKey).
	SigningKeys(ctx context.Context) ([]SigningKey, error)
	// ChangeSigningKeys runs change on the stored keys in one transaction
	// (again on a transient conflict, so change must have no other
	// effect), stores the key it adds, deletes the ids it drops, and
	// returns the keys as they then are, newest first. Adding a key whose
	// ID is stored already is a KindConflict error.
	ChangeSigningKeys(ctx context.Context, change SigningKeyChange) ([]SigningKey, error)
	Close() error

	// --- Rate-limit counters shared by instances (internal/auth) ---
	//
	// Instances on one database count each API account's requests in the
	// store so that rate limits hold across them (see RateCount).

	// SharedByInstances reports whether several server instances are meant
	// to run on this store at once (PostgreSQL), so that internal/auth must
	// keep rate-limit counts in it. The embedded SQLite store, which one
	// server process owns, reports false.
	SharedByInstances() bool
	// AddRateCounts adds each delta's Count to the stored count of its
	// window (a window not stored yet starts at 0) and returns the totals
	// after the addition: one RateCount per delta, in the same order.
	// Deltas naming one window twice are added together. It runs outside
	// any transaction the caller may have, adds all deltas or, on error,
	// none, and never loses a concurrent caller's addition.
	AddRateCounts(ctx context.Context, deltas []RateCount) ([]RateCount, error)
	// --- BeyondInsight sign-in sessions (internal/auth) ---
	//
	// Sessions are written outside any transaction and are not audited:
	// they are sign-ins, not directory changes.

	CreateSession(ctx context.Context, s *Session) error
	// Session returns the session whose cookie hashes to idHash.
	Session(ctx context.Context, idHash []byte) (Session, error)
	// TouchSession records a request on the session at the given time.
	TouchSession(ctx context.Context, idHash []byte, at time.Time) error
	// DeleteSession ends one session; it is not an error if there is none.
	DeleteSession(ctx context.Context, idHash []byte) error
	// DeleteSessionsIdleSince ends every session last seen before cutoff.
	DeleteSessionsIdleSince(ctx context.Context, cutoff time.Time) error

	// --- Web console sessions and second factors (internal/console) ---
	//
	// Written outside any transaction and not audited, as sessions are.

	CreateConsoleSession(ctx context.Context, s *ConsoleSession) error
	// ConsoleSession returns the session whose cookie hashes to idHash.
	ConsoleSession(ctx context.Context, idHash []byte) (ConsoleSession, error)
	// TouchConsoleSession records a request on the session at the given
	// time; NotFound when the session has ended.
	TouchConsoleSession(ctx context.Context, idHash []byte, at time.Time) error
	// DeleteConsoleSession ends one session; it is not an error if there
	// is none.
	DeleteConsoleSession(ctx context.Context, idHash []byte) error
	// DeleteConsoleSessions ends every session last seen before idleSince
	// or created before createdBefore.
	DeleteConsoleSessions(ctx context.Context, idleSince, createdBefore time.Time) error
	// UserTOTP returns the user's TOTP secret; NotFound when it has none.
	UserTOTP(ctx context.Context, userID int64) (TOTP, error)
	// PutUserTOTP stores a new secret for the user, replacing any other,
	// unless the stored one is Confirmed: then it reports KindConflict.
	PutUserTOTP(ctx context.Context, t TOTP) error
	// AcceptTOTPStep records that a code of the given time step was
	// accepted, and confirms the secret, only if no code of that or a
	// later step was accepted before: it reports whether it did, so that
	// of two requests with one code only one succeeds.
	AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error)

	// DeleteRateCounts deletes the stored windows of that kind whose Start
	// is before before (Unix seconds).
	DeleteRateCounts(ctx context.Context, window RateWindow, before int64) error

	// --- Lock-outs per account and source (internal/auth) ---
	//
	// Written outside any transaction: setting one is not a directory
	// change. Tx.ClearLoginLocks lifts them inside one.

	// PutLoginLocks stores each lock, replacing any of the same account and
	// source; all or none.
	PutLoginLocks(ctx context.Context, locks []LoginLock) error
	// LoginLocks returns every lock whose Until is after at.
	LoginLocks(ctx context.Context, at time.Time) ([]LoginLock, error)
	// DeleteLoginLocks deletes the locks that ended at or before at.
	DeleteLoginLocks(ctx context.Context, at time.Time) error
}

// IDMarker reads the id marks (see Transfer) of a Snapshot's moment; the
// Reader a Snapshot gives is one where the store can export.
type IDMarker interface {
	IDMarks(ctx context.Context) (IDMarks, error)
}

// Reader is every query, inside or outside a transaction.
type Reader interface {
	User(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context, q Query) (Page[User], error)

	Group(ctx context.Context, id int64) (Group, error)
	Groups(ctx context.Context, q Query) (Page[Group], error)
	// UserGroups lists the groups the user is a direct member of, in
	// priority (ID) order.
	UserGroups(ctx context.Context, userID int64, q Query) (Page[Group], error)

	// UserGroupIDs returns, for each of the given users, the IDs of the
	// groups it is a direct member of, in priority (ID) order.
	UserGroupIDs(ctx context.Context, userIDs []int64) (map[int64][]int64, error)

	Member(ctx context.Context, groupID, memberID int64) (Member, error)
	Members(ctx context.Context, groupID int64, q Query) (Page[Member], error)
	// MemberUsers lists the users that are direct members of the group.
	MemberUsers(ctx context.Context, groupID int64, q Query) (Page[User], error)

	Team(ctx context.Context, id int64) (Team, error)
	Teams(ctx context.Context, q Query) (Page[Team], error)
	TeamUser(ctx context.Context, teamID, userID int64) (TeamUser, error)
	TeamUsers(ctx context.Context, teamID int64, q Query) (Page[TeamUser], error)

	SecurityProvider(ctx context.Context, id int64) (SecurityProvider, error)
	SecurityProviders(ctx context.Context, q Query) (Page[SecurityProvider], error)

	APIAccount(ctx context.Context, id int64) (APIAccount, error)
	APIAccountByClientID(ctx context.Context, clientID string) (APIAccount, error)
	APIAccounts(ctx context.Context, q Query) (Page[APIAccount], error)

	APIRegistration(ctx context.Context, id int64) (APIRegistration, error)
	APIRegistrationByKeyHash(ctx context.Context, hash []byte) (APIRegistration, error)
	APIRegistrations(ctx context.Context, q Query) (Page[APIRegistration], error)

	Secret(ctx context.Context, id int64) (Secret, error)
	Secrets(ctx context.Context, q Query) (Page[Secret], error)
	// SoleOwnedSecrets counts the secrets whose only owner is the user.
	SoleOwnedSecrets(ctx context.Context, userID int64) (int, error)

	Events(ctx context.Context, q Query) (Page[Event], error)
}

// Tx is a write transaction. Create methods set the new row's ID, CreatedAt,
// UpdatedAt and Version on the value they are given; Update methods bump
// Version and UpdatedAt.
type Tx interface {
	Reader
	// Now is the transaction's clock, so every row and event it writes
	// carries the same time.
	Now() time.Time

	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, id int64) error

	CreateGroup(ctx context.Context, g *Group) error
	UpdateGroup(ctx context.Context, g *Group) error
	DeleteGroup(ctx context.Context, id int64) error

	// AddMember returns KindConflict (field user_id) when the same user, DN
	// or group name is already a member.
	AddMember(ctx context.Context, m *Member) error
	RemoveMember(ctx context.Context, groupID, memberID int64) error
	// RemoveUserMember removes the user's direct membership of the group;
	// it is not an error if there is none.
	RemoveUserMember(ctx context.Context, groupID, userID int64) error

	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, t *Team) error
	DeleteTeam(ctx context.Context, id int64) error
	// PutTeamUser adds the user to the team or changes its role.
	PutTeamUser(ctx context.Context, tu TeamUser) error
	RemoveTeamUser(ctx context.Context, teamID, userID int64) error

	CreateSecurityProvider(ctx context.Context, p *SecurityProvider) error

	CreateAPIRegistration(ctx context.Context, r *APIRegistration) error
	UpdateAPIRegistration(ctx context.Context, r *APIRegistration) error
	DeleteAPIRegistration(ctx context.Context, id int64) error

	// CreateSecret stores the secret and its owners.
	CreateSecret(ctx context.Context, s *Secret) error

	CreateAPIAccount(ctx context.Context, a *APIAccount) error
	UpdateAPIAccount(ctx context.Context, a *APIAccount) error
	// DeleteUserTOTP removes the user's TOTP secret (see TOTP); it is not
	// an error if there is none.
	DeleteUserTOTP(ctx context.Context, userID int64) error
	// ClearLoginLocks lifts every lock-out of the account.
	ClearLoginLocks(ctx context.Context, accountID int64) error

	AppendEvent(ctx context.Context, e *Event) error
}
