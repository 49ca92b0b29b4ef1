package sqlite

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// dialect describes SQLite to sqlstore. A transaction is worth retrying
// when another process held the database locked beyond the busy timeout.
var dialect = sqlstore.Dialect{
	IDs:         idGenerators{},
	RowCounts:   true,
	GroupCommit: true,
	Transient: func(err error) bool {
		var se *sqlite.Error
		if !errors.As(err, &se) {
			return false
		}
		code := se.Code() & 0xff // the primary code of an extended one
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	},
}
