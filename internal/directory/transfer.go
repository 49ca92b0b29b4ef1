package directory

import "context"

// Transfer is what moving a whole directory between stores (gatehouse
// export and import) needs beyond Store. It is apart from Store and Tx
// because nothing else may choose a row's id, times or version: a store
// offers it when it can load a directory with its ids, and the command
// asks for it with a type assertion.
type Transfer interface {
	// IDMarks returns the highest id each kind of row has been given,
	// deleted rows included, so that an import can keep ids from being
	// handed out again, as the source store would not.
	IDMarks(ctx context.Context) (IDMarks, error)
	// Import runs fn in one transaction as Write does (retrying it on
	// transient conflicts, so fn must only read what it was given).
	Import(ctx context.Context, fn func(ImportTx) error) error
}

// IDMarks holds, per kind of row, the highest id its id generator has
// handed out or been moved past (0 when none).
type IDMarks struct {
	SecurityProvider, User, Group, Member, Team, APIAccount, Event int64
	APIRegistration, Secret                                        int64
}

// ImportTx is a transaction that stores rows exactly as given, many to a
// statement: the ids, times and versions they carry are kept, and nothing
// is generated. A row that refers to a missing one (a member's user, a
// user's security provider) fails with the database's foreign-key error,
// and a value already taken with its unique-index error; neither is a
// domain error, since a correct dump never causes one, and neither says
// which row of the slice failed.
type ImportTx interface {
	Tx

	ImportSecurityProviders(ctx context.Context, ps []SecurityProvider) error
	ImportUsers(ctx context.Context, us []User) error
	ImportGroups(ctx context.Context, gs []Group) error
	ImportMembers(ctx context.Context, ms []Member) error
	ImportTeams(ctx context.Context, ts []Team) error
	ImportTeamUsers(ctx context.Context, tus []TeamUser) error
	// ImportAPIAccounts stores each SecretHash as given: an importer that
	// has no secret supplies a random one.
	ImportAPIAccounts(ctx context.Context, as []APIAccount) error
	// ImportAPIRegistrations stores each KeyHash as given, as
	// ImportAPIAccounts does.
	ImportAPIRegistrations(ctx context.Context, rs []APIRegistration) error
	// ImportSecrets stores the secrets and their owners, who must have been
	// imported before.
	ImportSecrets(ctx context.Context, ss []Secret) error
	ImportEvents(ctx context.Context, es []Event) error

	// SetIDMarks sets each id generator to the higher of its mark and the
	// highest id in its table, so that the next create neither collides
	// with an imported row nor reuses the id of a row deleted before the
	// export. On PostgreSQL the change outlasts a rollback (sequences are
	// not transactional).
	SetIDMarks(ctx context.Context, m IDMarks) error
	// Clear deletes every row an import writes (all but the built-in local
	// provider), and every sign-in session, and resets the id generators to
	// match, returning a directory that was empty before an import to that
	// state.
	Clear(ctx context.Context) error
}
