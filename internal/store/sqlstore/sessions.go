package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Sessions are written outside any transaction, each statement on its own
// (as the rate counters are): a sign-in is not a directory change, and a
// request that touches its session must not queue behind, or conflict
// with, directory writes.

var sessionFields = []string{"id_hash", "user_id", "account_id", "registration_id", "generation", "created_at", "last_seen"}

var (
	stInsertSession = newStmt(insertSQL("sessions", sessionFields))
	stSession       = newStmt("SELECT " + qualify("s", sessionFields) + " FROM sessions s WHERE s.id_hash = ?")
	// A touch never moves last_seen back, so that requests finishing out
	// of order cannot make a session look idler than it is.
	stTouchSession = newStmt("UPDATE sessions SET last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END" +
		" WHERE id_hash = ?")
	stDeleteSession           = newStmt("DELETE FROM sessions WHERE id_hash = ?")
	stDeleteSessionsIdleSince = newStmt("DELETE FROM sessions WHERE last_seen < ?")
)

func scanSession(sc scanner) (directory.Session, error) {
	var (
		s             directory.Session
		created, seen int64
	)
	err := sc.Scan(&s.IDHash, &s.UserID, &s.AccountID, &s.RegistrationID, &s.Generation, &created, &seen)
	s.CreatedAt, s.LastSeen = fromMicros(created), fromMicros(seen)
	return s, err
}

// stampSession fills a new session's zero times, CreatedAt with now and
// LastSeen with CreatedAt, and keeps both to the microsecond, as they read
// back. Console sessions are stamped the same way.
func stampSession(created, seen *time.Time) {
	if created.IsZero() {
		*created = time.Now()
	}
	if seen.IsZero() {
		*seen = *created
	}
	*created = created.UTC().Truncate(time.Microsecond)
	*seen = seen.UTC().Truncate(time.Microsecond)
}

// CreateSession stores the session, stamped by stampSession.
func (s *Store) CreateSession(ctx context.Context, sess *directory.Session) error {
	stampSession(&sess.CreatedAt, &sess.LastSeen)
	return s.autocommit(ctx, stInsertSession, sess.IDHash, sess.UserID, sess.AccountID, sess.RegistrationID,
		sess.Generation, micros(sess.CreatedAt), micros(sess.LastSeen))
}

func (s *Store) Session(ctx context.Context, idHash []byte) (directory.Session, error) {
	return get(ctx, s.reader, stSession, "session", scanSession, idHash)
}

// TouchSession reports NotFound when the session has ended.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at time.Time) error {
	n, err := s.autocommitCount(ctx, stTouchSession, micros(at), micros(at), idHash)
	if err == nil && n == 0 {
		return directory.NotFound("session")
	}
	return err
}

func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	return s.autocommit(ctx, stDeleteSession, idHash)
}

// DeleteSessionsIdleSince is served by the index on last_seen.
func (s *Store) DeleteSessionsIdleSince(ctx context.Context, cutoff time.Time) error {
	return s.autocommit(ctx, stDeleteSessionsIdleSince, micros(cutoff))
}

// autocommit runs one statement on the writer outside any transaction,
// retrying it on transient errors.
func (s *Store) autocommit(ctx context.Context, st *stmt, args ...any) error {
	return s.retry(ctx, func() error {
		_, err := s.db.Autocommit().Exec(ctx, s.sql(st), args...)
		return err
	})
}
