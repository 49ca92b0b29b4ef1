package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// Checkpoints run on a connection of their own, in the background.
//
// SQLite's default is an automatic checkpoint inside the commit that takes
// the WAL past 1,000 pages: that commit copies the pages into the database
// file and waits for two fsyncs, while every write queued behind it waits
// too. The writer connection has wal_autocheckpoint(0) instead, and this
// goroutine runs a PASSIVE checkpoint every checkpointEvery, which takes no
// lock that writers or readers wait for: commits go on while it copies.
//
// Under a steady stream of writes a PASSIVE checkpoint never catches up
// with the last commit, and the writer only starts the WAL over from its
// beginning when one has; meanwhile the WAL grows without end and every
// page read searches a longer WAL index. So once the WAL holds more than
// restartFrames, a RESTART checkpoint holds writers back for the moment
// it takes to copy what the PASSIVE ones have not (little, they ran just
// before) and lets the next commit start the WAL over. journal_size_limit
// then cuts the file back to 64 MiB.
const (
	checkpointEvery  = 200 * time.Millisecond
	checkpointParams = common + "&_pragma=journal_size_limit(67108864)"
)

// restartFrames is 32 MiB of 4 KiB pages; a variable only so that a test
// can see a restart without writing 32 MiB.
var restartFrames int64 = 8192

// checkpoint is one tick of the background checkpoints. An error (the
// database busy with another process's checkpoint, say) leaves the work to
// the next tick.
func checkpoint(db *sql.DB) func(ctx context.Context) {
	return func(ctx context.Context) {
		var busy, frames, copied int64
		err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		if err == nil && frames > restartFrames {
			_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
		}
	}
}
