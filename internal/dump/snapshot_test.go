package dump

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// An export taken while writers create and delete users, groups,
// memberships and secrets is the directory of one moment: it imports into
// an empty database (every membership's user and group, every secret's
// owners, resolve), its header's counts are its records', and each unit
// the writers commit in one transaction is in it whole or not at all.
func TestExportUnderWritesIsOneSnapshot(t *testing.T) {
	src := open(t)
	stop := make(chan struct{})
	var units atomic.Int64
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := range 200 { // bounded: PostgreSQL's imports of a bigger directory would slow the test
				select {
				case <-stop:
					return
				default:
				}
				writeUnit(t, src, fmt.Sprintf("w%d-%d", w, i), i%2 == 0)
				units.Add(1)
				if i%2 == 1 && i > 2 {
					deleteUnit(t, src, fmt.Sprintf("w%d-%d", w, i-2))
				}
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	for units.Load() < 30 {
		time.Sleep(10 * time.Millisecond)
	}
	for round := range 3 {
		dumped := export(t, src, everything)
		checkOneMoment(t, dumped)
		dst := open(t)
		res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
		if err != nil {
			t.Fatalf("round %d: importing an export taken under writes: %v", round, err)
		}
		header := headerOf(t, dumped)
		for typ, n := range header.Counts {
			if res.Counts[typ] != n {
				t.Errorf("round %d: header counts %d %s, import read %d", round, n, typ, res.Counts[typ])
			}
		}
		t.Logf("round %d: %d users, %d groups, %d members, %d secrets in one snapshot", round,
			res.Counts[TypeUser], res.Counts[TypeGroup], res.Counts[TypeMember], res.Counts[TypeSecret])
	}
}

// writeUnit creates, in one transaction, a user and a group of the same
// name with the user as its member, and with withSecret a secret it owns.
func writeUnit(t *testing.T, st directory.Store, name string, withSecret bool) {
	err := st.Write(ctx, func(tx directory.Tx) error {
		u := directory.User{Username: name, DisplayName: name, Enabled: true, Source: directory.SourceLocal,
			SecurityProviderID: directory.LocalProviderID, Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		g := directory.Group{Name: name, Source: directory.SourceLocal, SecurityProviderID: directory.LocalProviderID,
			AccessStatus: directory.AccessNotDefined, Access: directory.DefaultAccess(), Active: true}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		m := directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, UserID: u.ID}
		if err := tx.AddMember(ctx, &m); err != nil {
			return err
		}
		if withSecret {
			return tx.CreateSecret(ctx, &directory.Secret{Title: name, OwnerIDs: []int64{u.ID}})
		}
		return nil
	})
	if err != nil {
		t.Errorf("writing %s: %v", name, err)
	}
}

// deleteUnit deletes a unit's user and group (and so its membership) in
// one transaction.
func deleteUnit(t *testing.T, st directory.Store, name string) {
	err := st.Write(ctx, func(tx directory.Tx) error {
		users, err := tx.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserUsername, name), Limit: 1, NoTotal: true})
		if err != nil || len(users.Items) == 0 {
			return err
		}
		groups, err := tx.Groups(ctx, directory.Query{Filter: directory.Eq(directory.GroupName, name), Limit: 1, NoTotal: true})
		if err != nil || len(groups.Items) == 0 {
			return err
		}
		if err := tx.DeleteUser(ctx, users.Items[0].ID); err != nil {
			return err
		}
		return tx.DeleteGroup(ctx, groups.Items[0].ID)
	})
	if err != nil {
		t.Errorf("deleting %s: %v", name, err)
	}
}

// checkOneMoment checks that every writer's unit in the dump is whole: its
// user, its group, and the membership between them.
func checkOneMoment(t *testing.T, dumped []byte) {
	t.Helper()
	users, groups := map[string]float64{}, map[float64]string{}
	members := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(dumped))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		switch rec["type"] {
		case TypeUser:
			if name, _ := rec["username"].(string); strings.HasPrefix(name, "w") {
				users[name], _ = rec["id"].(float64)
			}
		case TypeGroup:
			if name, _ := rec["name"].(string); strings.HasPrefix(name, "w") {
				id, _ := rec["id"].(float64)
				groups[id] = name
			}
		case TypeMember:
			gid, _ := rec["group_id"].(float64)
			uid, _ := rec["user_id"].(float64)
			if name, ok := groups[gid]; ok && users[name] == uid {
				members[name] = true
			}
		}
	}
	if len(users) != len(groups) || len(users) != len(members) {
		t.Fatalf("the dump has %d writers' users, %d groups and %d memberships between them: not one moment",
			len(users), len(groups), len(members))
	}
}

func headerOf(t *testing.T, dumped []byte) header {
	t.Helper()
	var h header
	first, _, _ := bytes.Cut(dumped, []byte("\n"))
	if err := json.Unmarshal(first, &h); err != nil {
		t.Fatal(err)
	}
	return h
}
