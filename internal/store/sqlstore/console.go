package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// The web console's sessions and TOTP secrets are written outside any
// transaction, each statement on its own, as BeyondInsight's sessions
// are (sessions.go).

var consoleSessionFields = []string{"id_hash", "user_id", "generation", "second_factor", "created_at", "last_seen"}

var (
	stInsertConsoleSession = newStmt(insertSQL("console_sessions", consoleSessionFields))
	stConsoleSession       = newStmt("SELECT " + qualify("s", consoleSessionFields) + " FROM console_sessions s WHERE s.id_hash = ?")
	// As for sessions, a touch never moves last_seen back.
	stTouchConsoleSession = newStmt("UPDATE console_sessions SET last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END" +
		" WHERE id_hash = ?")
	stDeleteConsoleSession  = newStmt("DELETE FROM console_sessions WHERE id_hash = ?")
	stDeleteConsoleSessions = newStmt("DELETE FROM console_sessions WHERE last_seen < ? OR created_at < ?")

	stUserTOTP = newStmt("SELECT user_id, secret, confirmed, last_step FROM user_totp WHERE user_id = ?")
	// A confirmed secret is replaced by nobody: the row is left as it is,
	// and the missing row count reports the conflict.
	stPutUserTOTP = newStmt("INSERT INTO user_totp (user_id, secret, confirmed, last_step) VALUES (?, ?, ?, ?)" +
		" ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, confirmed = excluded.confirmed," +
		" last_step = excluded.last_step WHERE user_totp.confirmed = FALSE")
	stDeleteUserTOTP = newStmt("DELETE FROM user_totp WHERE user_id = ?")
	stAcceptTOTPStep = newStmt("UPDATE user_totp SET last_step = ?, confirmed = TRUE WHERE user_id = ? AND last_step < ?")
)

func scanConsoleSession(sc scanner) (directory.ConsoleSession, error) {
	var (
		s             directory.ConsoleSession
		created, seen int64
	)
	err := sc.Scan(&s.IDHash, &s.UserID, &s.Generation, &s.SecondFactor, &created, &seen)
	s.CreatedAt, s.LastSeen = fromMicros(created), fromMicros(seen)
	return s, err
}

// CreateConsoleSession stores the session, stamped by stampSession.
func (s *Store) CreateConsoleSession(ctx context.Context, sess *directory.ConsoleSession) error {
	stampSession(&sess.CreatedAt, &sess.LastSeen)
	return s.autocommit(ctx, stInsertConsoleSession, sess.IDHash, sess.UserID, sess.Generation, sess.SecondFactor,
		micros(sess.CreatedAt), micros(sess.LastSeen))
}

func (s *Store) ConsoleSession(ctx context.Context, idHash []byte) (directory.ConsoleSession, error) {
	return get(ctx, s.reader, stConsoleSession, "session", scanConsoleSession, idHash)
}

func (s *Store) TouchConsoleSession(ctx context.Context, idHash []byte, at time.Time) error {
	n, err := s.autocommitCount(ctx, stTouchConsoleSession, micros(at), micros(at), idHash)
	if err == nil && n == 0 {
		return directory.NotFound("session")
	}
	return err
}

func (s *Store) DeleteConsoleSession(ctx context.Context, idHash []byte) error {
	return s.autocommit(ctx, stDeleteConsoleSession, idHash)
}

// DeleteConsoleSessions is served by the indexes on last_seen and
// created_at.
func (s *Store) DeleteConsoleSessions(ctx context.Context, idleSince, createdBefore time.Time) error {
	return s.autocommit(ctx, stDeleteConsoleSessions, micros(idleSince), micros(createdBefore))
}

func (s *Store) UserTOTP(ctx context.Context, userID int64) (directory.TOTP, error) {
	return get(ctx, s.reader, stUserTOTP, "TOTP secret", func(sc scanner) (directory.TOTP, error) {
		var t directory.TOTP
		err := sc.Scan(&t.UserID, &t.Secret, &t.Confirmed, &t.LastStep)
		return t, err
	}, userID)
}

func (s *Store) PutUserTOTP(ctx context.Context, t directory.TOTP) error {
	n, err := s.autocommitCount(ctx, stPutUserTOTP, t.UserID, t.Secret, t.Confirmed, t.LastStep)
	if err == nil && n == 0 {
		return directory.Conflict("totp", "The user has a second factor already.")
	}
	return err
}

func (s *Store) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	n, err := s.autocommitCount(ctx, stAcceptTOTPStep, step, userID, step)
	return n == 1, err
}

// autocommitCount is autocommit for a statement whose row count decides.
func (s *Store) autocommitCount(ctx context.Context, st *stmt, args ...any) (int64, error) {
	var n int64
	err := s.retry(ctx, func() error {
		var err error
		n, err = s.db.Autocommit().Exec(ctx, s.sql(st), args...)
		return err
	})
	return n, err
}

func (t *tx) DeleteUserTOTP(ctx context.Context, userID int64) error {
	_, err := t.q.Exec(ctx, t.sql(stDeleteUserTOTP), userID)
	return err
}
