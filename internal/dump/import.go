package dump

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Result is what an import did that its caller must tell the operator.
type Result struct {
	Counts     Counts
	ExportedAt time.Time
	// RandomPasswords counts local users the dump had no password hash
	// for: they got a random password nobody knows.
	RandomPasswords int
	// Accounts are the imported API accounts, each with a random secret
	// nobody knows until it is rotated.
	Accounts []directory.APIAccount
	// RandomClientSecrets counts application users the dump had no secret
	// hash for: they got a random secret nobody knows until it is recycled.
	RandomClientSecrets int
	// Registrations are the API registrations the dump had no key hash for,
	// each with a random key nobody knows until it is rotated.
	Registrations []directory.APIRegistration
	// NoBindPasswords are the directory providers that have a bind user
	// but came without its password.
	NoBindPasswords []directory.SecurityProvider
}

// Import loads a dump into st, which must hold an empty directory (as a
// new database does) that nothing else writes to meanwhile, keeping every
// id, time and version. It writes a batch of records per transaction, and
// if anything fails it deletes what it wrote, so that the target is empty
// again. (A process killed half-way cannot, and leaves a target that the
// next import refuses as not empty: recreate it.)
func Import(ctx context.Context, st directory.Store, r io.Reader, p Progress) (Result, error) {
	tr, ok := st.(directory.Transfer)
	if !ok {
		return Result{}, errors.New("this store cannot import")
	}
	if p == nil {
		p = noProgress{}
	}
	in := newLines(r)
	h, err := readHeader(in)
	if err != nil {
		return Result{}, err
	}
	if err := checkEmpty(ctx, st); err != nil {
		return Result{}, err
	}
	// A directory with no users can still have sign-in sessions left from
	// users deleted before, which would name the ids of imported users.
	if err := st.DeleteSessionsIdleSince(ctx, endOfTime); err != nil {
		return Result{}, err
	}
	im := &importer{st: st, tr: tr, in: in, p: p, h: h, res: Result{Counts: Counts{}, ExportedAt: h.ExportedAt}}
	if err = im.load(ctx); err == nil {
		err = im.finish(ctx)
	}
	if err == nil {
		return im.res, nil
	}
	// The target was empty, so emptying it undoes the import. It must run
	// even when ctx was cancelled (an interrupt is what stopped the import).
	undo := context.WithoutCancel(ctx)
	if cerr := tr.Import(undo, func(tx directory.ImportTx) error { return tx.Clear(undo) }); cerr != nil {
		return Result{}, fmt.Errorf("%w\nRemoving the records already imported failed too, so the target holds "+
			"part of the dump; recreate it before importing again: %v", err, cerr)
	}
	return Result{}, fmt.Errorf("%w\nThe import was undone: the target is empty", err)
}

// endOfTime is after every session's last request.
var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

type importer struct {
	st  directory.Store
	tr  directory.Transfer
	in  *lines
	p   Progress
	h   header
	res Result
	// batch holds records of type typ not yet written, of the pending
	// ones read since the last flush (a matched record is not written).
	typ     string
	batch   []row
	pending int
}

// row is a record of a batch, with the line it came from.
type row struct {
	line int
	rec  record
}

// load reads every record up to the end record, importing them in
// batches. A batch holds one type only, so that the rows a record refers
// to are committed before it: a failed insert can then be explained by
// looking for them, and a batch is one call to the store.
func (im *importer) load(ctx context.Context) error {
	defer func() {
		if im.typ != "" {
			im.p.End()
		}
	}()
	for {
		line, data, err := im.in.next()
		if err == io.EOF {
			return fmt.Errorf("line %d: the dump ends without its %q record: it was cut short", line, TypeEnd)
		}
		if err != nil {
			return err
		}
		typ, err := recordType(data)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if typ != im.typ || im.pending == pageSize {
			if err := im.flush(ctx); err != nil {
				return err
			}
		}
		if typ == TypeEnd {
			return im.end(line, data)
		}
		if typ != im.typ {
			if im.typ != "" {
				im.p.End()
			}
			im.typ = typ
			im.p.Begin(typ, expected(im.h.Counts, typ))
		}
		rec, err := im.decode(ctx, typ, data)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if rec != nil {
			im.batch = append(im.batch, row{line, rec})
		}
		im.pending++
		im.res.Counts[typ]++
	}
}

// decode reads one record and prepares it for the store; it returns nil
// for a record that is there already.
func (im *importer) decode(ctx context.Context, typ string, data []byte) (record, error) {
	rec := newRecord(typ)
	if rec == nil {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	if err := strictJSON(data, rec); err != nil {
		return nil, fmt.Errorf("%s record: %w", typ, err)
	}
	if err := rec.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", rec.what(), err)
	}
	switch r := rec.(type) {
	case *providerRecord:
		// The built-in local provider comes with every store's schema: it
		// is matched, not added again.
		if r.ID == directory.LocalProviderID {
			have, err := im.st.SecurityProvider(ctx, r.ID)
			if err == nil && !reflect.DeepEqual(have, r.provider()) {
				err = fmt.Errorf("differs from the target's built-in local provider %+v", have)
			}
			return nil, prefix(r.what(), err)
		}
		if d := r.Directory; d != nil && d.BindUser != "" && d.BindPassword == "" {
			im.res.NoBindPasswords = append(im.res.NoBindPasswords, r.provider())
		}
	case *userRecord:
		if r.PasswordHash == "" && r.Source == directory.SourceLocal {
			r.PasswordHash = directory.RandomPasswordHash()
			im.res.RandomPasswords++
		}
		if len(r.SecretHash) == 0 && r.Source == directory.SourceApplication {
			_, r.SecretHash = directory.NewClientSecret() // the secret is thrown away
			im.res.RandomClientSecrets++
		}
	case *registrationRecord:
		if len(r.KeyHash) == 0 {
			reg := r.registration()
			im.res.Registrations = append(im.res.Registrations, reg)
			_, r.KeyHash = directory.NewRegistrationKey() // the key is thrown away
		}
	case *accountRecord:
		_, r.secretHash = directory.NewClientSecret() // the secret is thrown away
		a := r.account()
		a.SecretHash = nil // not even a random hash leaves the store
		im.res.Accounts = append(im.res.Accounts, a)
	}
	return rec, nil
}

// flush writes the batch in one transaction.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) > 0 {
		err := im.tr.Import(ctx, func(tx directory.ImportTx) error { return insert(ctx, tx, im.typ, im.batch) })
		if err != nil {
			return explain(ctx, im.st, im.typ, im.batch, err)
		}
	}
	im.p.Add(im.pending)
	im.batch, im.pending = im.batch[:0], 0
	return nil
}

// insert writes a batch of records of one type.
func insert(ctx context.Context, tx directory.ImportTx, typ string, batch []row) error {
	switch typ {
	case TypeSecurityProvider:
		return tx.ImportSecurityProviders(ctx, convert(batch, (*providerRecord).provider))
	case TypeUser:
		return tx.ImportUsers(ctx, convert(batch, (*userRecord).user))
	case TypeGroup:
		return tx.ImportGroups(ctx, convert(batch, (*groupRecord).group))
	case TypeMember:
		return tx.ImportMembers(ctx, convert(batch, (*memberRecord).member))
	case TypeTeam:
		return tx.ImportTeams(ctx, convert(batch, (*teamRecord).team))
	case TypeTeamUser:
		return tx.ImportTeamUsers(ctx, convert(batch, (*teamUserRecord).teamUser))
	case TypeAPIAccount:
		return tx.ImportAPIAccounts(ctx, convert(batch, (*accountRecord).account))
	case TypeAPIRegistration:
		return tx.ImportAPIRegistrations(ctx, convert(batch, (*registrationRecord).registration))
	case TypeSecret:
		return tx.ImportSecrets(ctx, convert(batch, (*secretRecord).secret))
	case TypeEvent:
		return tx.ImportEvents(ctx, convert(batch, (*eventRecord).event))
	}
	return fmt.Errorf("unknown record type %q", typ)
}

// convert turns a batch of records, all of type R, into domain values.
func convert[R record, T any](batch []row, conv func(R) T) []T {
	out := make([]T, len(batch))
	for i, r := range batch {
		out[i] = conv(r.rec.(R))
	}
	return out
}

// prefix puts what in front of a non-nil error.
func prefix(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// end checks the end record against what was read, and that nothing
// follows it.
func (im *importer) end(line int, data []byte) error {
	var e end
	if err := strictJSON(data, &e); err != nil {
		return fmt.Errorf("line %d: %s record: %w", line, TypeEnd, err)
	}
	for typ := range e.Counts {
		if newRecord(typ) == nil {
			return fmt.Errorf("line %d: the end record counts records of unknown type %q", line, typ)
		}
		if _, ok := im.res.Counts[typ]; !ok {
			im.res.Counts[typ] = 0 // a type the export wrote none of, for the summary
		}
	}
	for typ, n := range im.res.Counts {
		if e.Counts[typ] != n {
			return fmt.Errorf("line %d: the end record counts %d %s records, but the dump has %d",
				line, e.Counts[typ], typ, n)
		}
	}
	if extra, _, err := im.in.next(); err != io.EOF {
		if err != nil {
			return err
		}
		return fmt.Errorf("line %d: nothing may follow the %q record", extra, TypeEnd)
	}
	return nil
}

// finish moves the id generators past the imported ids and the source's
// marks, and records the import in the audit log.
func (im *importer) finish(ctx context.Context) error {
	after, err := json.Marshal(map[string]any{"exported_at": im.res.ExportedAt, "counts": im.res.Counts})
	if err != nil {
		return err
	}
	return im.tr.Import(ctx, func(tx directory.ImportTx) error {
		if err := tx.SetIDMarks(ctx, marksFromJSON(im.h.IDMarks)); err != nil {
			return err
		}
		return tx.AppendEvent(ctx, &directory.Event{Actor: directory.ActorFrom(ctx).String(),
			Action: "directory.import", TargetType: "directory", After: after})
	})
}

// expected is the header's count for a type, or -1 when it has none.
func expected(c Counts, typ string) int {
	if n, ok := c[typ]; ok {
		return n
	}
	return -1
}

// readHeader reads and checks the first line.
func readHeader(in *lines) (header, error) {
	var h header
	line, data, err := in.next()
	if err == io.EOF {
		return h, errors.New("the input is empty, not a gatehouse export")
	}
	if err != nil {
		return h, err
	}
	typ, err := recordType(data)
	if err == nil && typ != Format {
		err = fmt.Errorf("the first line must be the %q header, not a %q record", Format, typ)
	}
	if err == nil {
		err = strictJSON(data, &h)
	}
	if err == nil && (h.Version < MinVersion || h.Version > Version) {
		err = fmt.Errorf("export format version %d is not supported (this gatehouse reads versions %d to %d)",
			h.Version, MinVersion, Version)
	}
	if err != nil {
		return h, fmt.Errorf("line %d: not a gatehouse export: %w", line, err)
	}
	return h, nil
}
