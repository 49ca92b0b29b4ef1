package dump

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// checkEmpty refuses a target that holds anything but what a new database
// has (the built-in local provider): imported ids would collide with its
// rows, and undoing a failed import empties the target. Members and team
// users need groups and teams, and secrets' owners need users, so counting
// those covers them. Sign-in sessions are not directory rows: an import
// ends them instead.
func checkEmpty(ctx context.Context, r directory.Reader) error {
	var found []string
	var errs []error
	// count(what, allowed)(total(...)) notes rows beyond those allowed.
	count := func(what string, allowed int) func(int, error) {
		return func(n int, err error) {
			errs = append(errs, err)
			if n > allowed {
				found = append(found, fmt.Sprintf("%d %s", n-allowed, what))
			}
		}
	}
	count("users", 0)(total(ctx, r.Users))
	count("groups", 0)(total(ctx, r.Groups))
	count("teams", 0)(total(ctx, r.Teams))
	count("API accounts", 0)(total(ctx, r.APIAccounts))
	count("API registrations", 0)(total(ctx, r.APIRegistrations))
	count("secrets", 0)(total(ctx, r.Secrets))
	count("audit events", 0)(total(ctx, r.Events))
	count("security providers besides the built-in one", 1)(total(ctx, r.SecurityProviders))
	if err := firstErr(errs...); err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("the target directory is not empty (it has %s): import only into a new database, "+
			"before any `gatehouse serve` runs on it (its first start creates an API account and an administrator)", strings.Join(found, ", "))
	}
	return nil
}

// ref is a row a record refers to.
type ref struct {
	typ string
	id  int64
}

// exists looks for the row outside any transaction.
func (rf ref) exists(ctx context.Context, r directory.Reader) (bool, error) {
	var err error
	switch rf.typ {
	case TypeSecurityProvider:
		_, err = r.SecurityProvider(ctx, rf.id)
	case TypeUser:
		_, err = r.User(ctx, rf.id)
	case TypeGroup:
		_, err = r.Group(ctx, rf.id)
	case TypeTeam:
		_, err = r.Team(ctx, rf.id)
	default:
		return false, fmt.Errorf("no lookup for %s", rf.typ)
	}
	if directory.IsKind(err, directory.KindNotFound) {
		return false, nil
	}
	return err == nil, err
}

// explain turns the store's error for a failed batch into a message that
// names the first record referring to a row the target lacks, when that is
// what failed: stores report a broken foreign key without saying which row
// broke it. Batches hold one type only, so every row a record may refer to
// was committed before its batch began.
func explain(ctx context.Context, r directory.Reader, typ string, batch []row, err error) error {
	where := fmt.Errorf("lines %d to %d (%s records): %w", batch[0].line, batch[len(batch)-1].line, typ, err)
	if ctx.Err() != nil {
		return where
	}
	known := map[ref]bool{}
	for _, b := range batch {
		for _, rf := range b.rec.refs() {
			ok, seen := known[rf]
			if !seen {
				var lookupErr error
				if ok, lookupErr = rf.exists(ctx, r); lookupErr != nil {
					return where
				}
				known[rf] = ok
			}
			if !ok {
				return fmt.Errorf("line %d: %s: it refers to %s %d, which no earlier line of the dump holds",
					b.line, b.rec.what(), strings.ReplaceAll(rf.typ, "_", " "), rf.id)
			}
		}
	}
	return where
}
