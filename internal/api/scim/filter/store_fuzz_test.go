package filter

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

// FuzzStoreFilter: every filter that compiles also runs, as SQL, on a real
// SQLite store without an error, sorted by any sortBy that compiles; a
// sortBy that does not is a 400. Its seeds are seedFilters.
func FuzzStoreFilter(f *testing.F) {
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	st, err := sqlite.Open(ctx, filepath.Join(f.TempDir(), "gatehouse.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc := directory.NewService(st, directory.NewHasher(directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}))
	var ids []int64
	for _, name := range []string{"bjensen", "O'Malley", "50%_off"} {
		u, err := svc.CreateUser(ctx, directory.NewUser{Source: directory.SourceLocal,
			UserChange: directory.UserChange{Username: directory.To(name), Email: directory.To(name + "@example.com")}})
		if err != nil {
			f.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if _, err := svc.CreateGroupWithMembers(ctx, directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("ops")}}, ids); err != nil {
		f.Fatal(err)
	}
	for _, s := range seedFilters {
		f.Add(s, "userName")
	}
	f.Add(`displayName co "o"`, "meta.lastModified")
	f.Add(`members[value eq "1"] or id pr`, "nosuch")
	f.Fuzz(func(t *testing.T, expr, sortBy string) {
		for _, c := range []struct {
			r   *schema.Resource
			run func(directory.Query) error
		}{
			{schema.UserResource, func(q directory.Query) error { _, err := st.Users(ctx, q); return err }},
			{schema.GroupResource, func(q directory.Query) error { _, err := st.Groups(ctx, q); return err }},
		} {
			e, err := Compile(expr, c.r, userOrGroup(c.r))
			if err != nil {
				continue
			}
			q := directory.Query{Filter: e, Limit: 10}
			if attr, err := Sort(sortBy, c.r, userOrGroup(c.r)); err == nil {
				q.Sort = []directory.SortKey{{Attr: attr}}
			} else {
				var se *schema.Error
				if !errors.As(err, &se) || se.Status != 400 {
					t.Fatalf("sortBy %q: %v", sortBy, err)
				}
			}
			if err := c.run(q); err != nil {
				t.Fatalf("%q sorted by %q compiled to %#v, which the store refused: %v", expr, sortBy, e, err)
			}
		}
	})
}
