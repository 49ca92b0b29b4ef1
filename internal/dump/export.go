package dump

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// ExportOptions say what an export leaves out and whom it tells how far
// it has got.
type ExportOptions struct {
	// PasswordHashes keeps the credentials: users' password hashes, so
	// that they can still log in after the move, and likewise application
	// users' secret hashes, API registrations' key hashes and directory
	// providers' bind passwords. Without them an import gives each of the
	// hashes a random value nobody knows, and the providers no bind
	// password.
	PasswordHashes bool
	// Events keeps the audit log.
	Events   bool
	Progress Progress
}

// Export writes the directory in st to w, page by page, and returns how
// many records of each type it wrote. It reads everything in one Snapshot,
// so the dump is the directory of one moment however long it takes and
// whoever writes meanwhile: every reference in it resolves, and its id
// marks cover its rows.
func Export(ctx context.Context, st directory.Store, w io.Writer, opt ExportOptions) (Counts, error) {
	var counts Counts
	err := st.Snapshot(ctx, func(r directory.Reader) error {
		var err error
		counts, err = exportFrom(ctx, r, w, opt)
		return err
	})
	return counts, err
}

func exportFrom(ctx context.Context, r directory.Reader, w io.Writer, opt ExportOptions) (Counts, error) {
	marker, ok := r.(directory.IDMarker)
	if !ok {
		return nil, errors.New("this store cannot export")
	}
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	marks, err := marker.IDMarks(ctx)
	if err != nil {
		return nil, err
	}
	x := &exporter{ctx: ctx, st: r, opt: opt, counts: Counts{}}
	h := header{Type: Format, Version: Version, ExportedAt: time.Now().UTC(), PasswordHashes: opt.PasswordHashes,
		Events: opt.Events, IDMarks: marksToJSON(marks)}
	if h.Counts, err = x.totals(); err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	x.enc = json.NewEncoder(bw)
	x.enc.SetEscapeHTML(false) // read by programs and people, never embedded in HTML
	if err := x.enc.Encode(h); err != nil {
		return nil, err
	}
	for _, typ := range Types {
		if _, ok := h.Counts[typ]; !ok {
			continue // left out
		}
		opt.Progress.Begin(typ, h.Counts[typ])
		x.counts[typ] = 0 // the end record counts every type written, even with none
		err := x.write(typ)
		opt.Progress.End()
		if err != nil {
			return nil, err
		}
	}
	if err := x.enc.Encode(end{Type: TypeEnd, Counts: x.counts}); err != nil {
		return nil, err
	}
	return x.counts, bw.Flush()
}

type exporter struct {
	ctx    context.Context
	st     directory.Reader
	opt    ExportOptions
	enc    *json.Encoder
	counts Counts
}

// write writes every record of one type.
func (x *exporter) write(typ string) error {
	ctx, st := x.ctx, x.st
	emit := func(v any) error {
		x.counts[typ]++
		x.opt.Progress.Add(1)
		return x.enc.Encode(v)
	}
	switch typ {
	case TypeSecurityProvider:
		return scan(ctx, st.SecurityProviders, "", nil, func(p directory.SecurityProvider) error {
			return emit(fromProvider(p, x.opt.PasswordHashes))
		})
	case TypeUser:
		return scan(ctx, st.Users, directory.UserID, userID, func(u directory.User) error {
			return emit(fromUser(u, x.opt.PasswordHashes))
		})
	case TypeGroup:
		return scan(ctx, st.Groups, directory.GroupID, groupID, func(g directory.Group) error { return emit(fromGroup(g)) })
	case TypeMember:
		return x.eachGroup(func(gid int64) error {
			return scan(ctx, scoped(st.Members, gid), directory.MemberID, memberID,
				func(m directory.Member) error { return emit(fromMember(m)) })
		})
	case TypeTeam:
		return scan(ctx, st.Teams, "", nil, func(t directory.Team) error { return emit(fromTeam(t)) })
	case TypeTeamUser:
		// A team's users page by user id.
		return x.eachTeam(func(tid int64) error {
			return scan(ctx, scoped(st.TeamUsers, tid), directory.UserID, teamUserID,
				func(tu directory.TeamUser) error { return emit(fromTeamUser(tu)) })
		})
	case TypeAPIAccount:
		return scan(ctx, st.APIAccounts, "", nil, func(a directory.APIAccount) error { return emit(fromAccount(a)) })
	case TypeAPIRegistration:
		return scan(ctx, st.APIRegistrations, "", nil, func(r directory.APIRegistration) error {
			return emit(fromRegistration(r, x.opt.PasswordHashes))
		})
	case TypeSecret:
		return scan(ctx, st.Secrets, directory.SecretID, secretID, func(s directory.Secret) error { return emit(fromSecret(s)) })
	case TypeEvent:
		return scan(ctx, st.Events, directory.EventID, eventID, func(e directory.Event) error { return emit(fromEvent(e)) })
	}
	return errors.New("unknown record type " + typ)
}

// totals counts the rows of every type the export writes: what its
// progress shows, and what the header tells an import to expect.
func (x *exporter) totals() (Counts, error) {
	ctx, st := x.ctx, x.st
	c := Counts{}
	var errs []error
	// into(typ)(total(...)) adds a count, or its error.
	into := func(typ string) func(int, error) {
		return func(n int, err error) {
			c[typ] += n
			errs = append(errs, err)
		}
	}
	into(TypeSecurityProvider)(total(ctx, st.SecurityProviders))
	into(TypeUser)(total(ctx, st.Users))
	into(TypeGroup)(total(ctx, st.Groups))
	into(TypeTeam)(total(ctx, st.Teams))
	into(TypeAPIAccount)(total(ctx, st.APIAccounts))
	into(TypeAPIRegistration)(total(ctx, st.APIRegistrations))
	into(TypeSecret)(total(ctx, st.Secrets))
	if x.opt.Events {
		into(TypeEvent)(total(ctx, st.Events))
	}
	// Memberships have no list of their own: they count group by group
	// and team by team.
	into(TypeMember)(0, x.eachGroup(func(gid int64) error {
		n, err := total(ctx, scoped(st.Members, gid))
		c[TypeMember] += n
		return err
	}))
	into(TypeTeamUser)(0, x.eachTeam(func(tid int64) error {
		n, err := total(ctx, scoped(st.TeamUsers, tid))
		c[TypeTeamUser] += n
		return err
	}))
	return c, errors.Join(errs...)
}

func (x *exporter) eachGroup(fn func(id int64) error) error {
	return scan(x.ctx, x.st.Groups, directory.GroupID, groupID, func(g directory.Group) error { return fn(g.ID) })
}

func (x *exporter) eachTeam(fn func(id int64) error) error {
	return scan(x.ctx, x.st.Teams, "", nil, func(t directory.Team) error { return fn(t.ID) })
}

// list is a store's list method.
type list[T any] func(context.Context, directory.Query) (directory.Page[T], error)

// total counts a list's rows.
func total[T any](ctx context.Context, l list[T]) (int, error) {
	page, err := l(ctx, directory.Query{Limit: 0})
	return page.Total, err
}

// scan pages through a list without totals, calling emit for each item.
// With a key attribute it pages by id (keyset), which costs the same on
// every page; the lists without one are short and page by offset.
func scan[T any](ctx context.Context, l list[T], key directory.Attr, id func(T) int64, emit func(T) error) error {
	var after int64
	for offset := 0; ; offset += pageSize {
		q := directory.Query{Offset: offset, Limit: pageSize, NoTotal: true}
		if key != "" {
			q.Offset, q.Filter = 0, directory.Compare{Attr: key, Op: directory.OpGt, Value: after}
		}
		page, err := l(ctx, q)
		if err != nil {
			return err
		}
		for _, v := range page.Items {
			if err := emit(v); err != nil {
				return err
			}
		}
		if len(page.Items) < pageSize {
			return nil
		}
		if key != "" {
			after = id(page.Items[len(page.Items)-1])
		}
	}
}

// scoped binds a list of one group's or team's rows to that group or team.
func scoped[T any](l func(context.Context, int64, directory.Query) (directory.Page[T], error), scope int64) list[T] {
	return func(ctx context.Context, q directory.Query) (directory.Page[T], error) { return l(ctx, scope, q) }
}

func userID(u directory.User) int64          { return u.ID }
func groupID(g directory.Group) int64        { return g.ID }
func memberID(m directory.Member) int64      { return m.ID }
func teamUserID(tu directory.TeamUser) int64 { return tu.UserID }
func eventID(e directory.Event) int64        { return e.ID }
func secretID(s directory.Secret) int64      { return s.ID }
