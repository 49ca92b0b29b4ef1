package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// crashRounds is how many times TestKillNineKeepsEveryAcknowledgedWrite
// kills the server: GATEHOUSE_CRASH_ROUNDS, or 5.
func crashRounds(t *testing.T) int {
	v := os.Getenv("GATEHOUSE_CRASH_ROUNDS")
	if v == "" {
		return 5
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("GATEHOUSE_CRASH_ROUNDS=%q: want a positive number", v)
	}
	return n
}

// The real binary, under concurrent creates, updates and deletes of users
// and creates of groups with members in one request (SCIM), is killed with
// SIGKILL at a random moment, round after round. After each restart every
// write answered 2xx is there (and a write that got no answer is there
// whole or not at all), every group has all the members it was created
// with or does not exist, and SQLite's integrity_check is ok.
func TestKillNineKeepsEveryAcknowledgedWrite(t *testing.T) {
	db := dsnFor(t)
	const boot = "--bootstrap-client-id=crash"
	const secret = "crash-secret-0123456789abcdef0123456789abcdef"
	workers := make([]*crashWorker, 4)
	for i := range workers {
		workers[i] = &crashWorker{id: i, rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i)))}
	}
	rounds := crashRounds(t)
	for round := range rounds {
		p := start(t, db, boot, "--bootstrap-client-secret="+secret)
		tok := token(t, p.url, "crash", secret)
		if round > 0 {
			for _, w := range workers {
				w.verify(t, p.url, tok)
			}
		}
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Go(func() { w.run(t, p.url, tok, round) })
		}
		time.Sleep(time.Duration(200+rand.IntN(800)) * time.Millisecond)
		p.stop(t, syscall.SIGKILL)
		wg.Wait()
		checkIntegrity(t, db)
	}
	p := start(t, db, boot, "--bootstrap-client-secret="+secret)
	tok := token(t, p.url, "crash", secret)
	acked := 0
	for _, w := range workers {
		w.verify(t, p.url, tok)
		acked += w.acked
	}
	if acked == 0 {
		t.Fatal("no write was acknowledged before the kills")
	}
	t.Logf("%d acknowledged writes survived %d kill -9 rounds", acked, rounds)
}

// checkIntegrity runs SQLite's integrity_check on a killed server's
// database (PostgreSQL, which was not killed, needs none).
func checkIntegrity(t *testing.T, db string) {
	t.Helper()
	if !store.IsPostgres(db) {
		integrityOK(t, db)
	}
}

// crashWorker writes its own users and groups, and remembers what the
// server answered, so that it can tell what must be there after a crash.
// Only it touches its rows, so each row's history is sequential.
type crashWorker struct {
	id     int
	rnd    *rand.Rand
	users  []*crashUser
	groups []*crashGroup
	acked  int
	seq    int
}

type crashUser struct {
	id int64
	// name is the display name last acknowledged; pending one sent
	// after it that got no answer (the kill), which may or may not be
	// there.
	name, pending string
	// deleted: a delete was acknowledged; maybeDeleted: one got no answer.
	deleted, maybeDeleted bool
	// pinned users are group members, which the worker never deletes, so
	// that a group's members stay what it was created with.
	pinned bool
}

type crashGroup struct {
	name    string
	id      string // "" when its create got no answer
	members []string
}

// run writes until the server is gone.
func (w *crashWorker) run(t *testing.T, base, tok string, round int) {
	for {
		w.seq++
		live := w.live()
		var ok bool
		switch r := w.rnd.IntN(100); {
		case len(live) < 3 || r < 40:
			ok = w.createUser(t, base, tok, fmt.Sprintf("c%d-w%d-%d", round, w.id, w.seq))
		case r < 65:
			ok = w.updateUser(t, base, tok, live[w.rnd.IntN(len(live))])
		case r < 80:
			ok = w.deleteUser(t, base, tok, live)
		default:
			ok = w.createGroup(t, base, tok, fmt.Sprintf("g%d-w%d-%d", round, w.id, w.seq), live)
		}
		if !ok {
			return
		}
	}
}

func (w *crashWorker) live() []*crashUser {
	var out []*crashUser
	for _, u := range w.users {
		if !u.deleted && !u.maybeDeleted {
			out = append(out, u)
		}
	}
	return out
}

// answered reports whether the server answered, failing t on an answer
// other than want: a write fails only with the server gone.
func (w *crashWorker) answered(t *testing.T, what string, code, want int, body []byte) bool {
	if code == 0 {
		return false
	}
	if code != want {
		t.Errorf("%s: %d %s, want %d", what, code, body, want)
		return false
	}
	w.acked++
	return true
}

func (w *crashWorker) createUser(t *testing.T, base, tok, name string) bool {
	code, body := call(t, "POST", base+"/api/config/v1/user", tok,
		`{"username":"`+name+`","public_display_name":"v0"}`)
	if !w.answered(t, "create user "+name, code, http.StatusCreated, body) {
		return false // a create with no answer may be there; nobody looks
	}
	var u struct{ ID int64 }
	if err := json.Unmarshal(body, &u); err != nil || u.ID == 0 {
		t.Errorf("create user: %s", body)
		return false
	}
	w.users = append(w.users, &crashUser{id: u.ID, name: "v0"})
	return true
}

func (w *crashWorker) updateUser(t *testing.T, base, tok string, u *crashUser) bool {
	u.pending = "v" + strconv.Itoa(w.seq)
	code, body := call(t, "PATCH", base+"/api/config/v1/user/"+strconv.FormatInt(u.id, 10), tok,
		`{"public_display_name":"`+u.pending+`"}`)
	if !w.answered(t, "update user", code, http.StatusOK, body) {
		return false
	}
	u.name, u.pending = u.pending, ""
	return true
}

func (w *crashWorker) deleteUser(t *testing.T, base, tok string, live []*crashUser) bool {
	var free []*crashUser
	for _, u := range live {
		if !u.pinned {
			free = append(free, u)
		}
	}
	if len(free) == 0 {
		return true
	}
	u := free[w.rnd.IntN(len(free))]
	u.maybeDeleted = true
	code, body := call(t, "DELETE", base+"/api/config/v1/user/"+strconv.FormatInt(u.id, 10), tok, "")
	if !w.answered(t, "delete user", code, http.StatusNoContent, body) {
		return false
	}
	u.deleted, u.maybeDeleted = true, false
	return true
}

// createGroup creates a group with two of the worker's users as members,
// in one SCIM request.
func (w *crashWorker) createGroup(t *testing.T, base, tok, name string, live []*crashUser) bool {
	g := &crashGroup{name: name}
	for _, i := range w.rnd.Perm(len(live))[:2] {
		live[i].pinned = true
		g.members = append(g.members, strconv.FormatInt(live[i].id, 10))
	}
	slices.Sort(g.members)
	w.groups = append(w.groups, g)
	code, body := call(t, "POST", base+"/scim/v2/Groups", tok,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"`+name+
			`","members":[{"value":"`+g.members[0]+`"},{"value":"`+g.members[1]+`"}]}`)
	if !w.answered(t, "create group "+name, code, http.StatusCreated, body) {
		return false
	}
	var doc struct{ ID string }
	if err := json.Unmarshal(body, &doc); err != nil || doc.ID == "" {
		t.Errorf("create group: %s", body)
		return false
	}
	g.id = doc.ID
	return true
}

// verify checks the restarted server against what the worker was told,
// and settles the writes that got no answer by what it finds.
func (w *crashWorker) verify(t *testing.T, base, tok string) {
	t.Helper()
	for _, u := range w.users {
		code, body := call(t, "GET", base+"/api/config/v1/user/"+strconv.FormatInt(u.id, 10), tok, "")
		switch {
		case u.deleted && code != http.StatusNotFound:
			t.Fatalf("user %d, deleted with a 204, is back after kill -9: %d %s", u.id, code, body)
		case u.deleted:
		case u.maybeDeleted && code == http.StatusNotFound:
			u.deleted, u.maybeDeleted = true, false
		case code != http.StatusOK:
			t.Fatalf("acknowledged user %d missing after kill -9: %d %s", u.id, code, body)
		default:
			u.maybeDeleted = false
			var got struct {
				Name string `json:"public_display_name"`
			}
			json.Unmarshal(body, &got)
			if got.Name != u.name && (u.pending == "" || got.Name != u.pending) {
				t.Fatalf("user %d has display name %q after kill -9, want the acknowledged %q (or the unanswered %q)",
					u.id, got.Name, u.name, u.pending)
			}
			u.name, u.pending = got.Name, ""
		}
	}
	kept := w.groups[:0]
	for _, g := range w.groups {
		if g.id == "" {
			g.id = groupByName(t, base, tok, g.name)
			if g.id == "" {
				continue // its create never committed
			}
		}
		code, body := call(t, "GET", base+"/scim/v2/Groups/"+g.id, tok, "")
		if code != http.StatusOK {
			t.Fatalf("acknowledged group %s missing after kill -9: %d %s", g.name, code, body)
		}
		var doc struct{ Members []struct{ Value string } }
		json.Unmarshal(body, &doc)
		var got []string
		for _, m := range doc.Members {
			got = append(got, m.Value)
		}
		slices.Sort(got)
		if !slices.Equal(got, g.members) {
			t.Fatalf("group %s has members %v after kill -9, want all of %v", g.name, got, g.members)
		}
		kept = append(kept, g)
	}
	w.groups = kept
}

// groupByName returns the id of the group named name, or "" if none.
func groupByName(t *testing.T, base, tok, name string) string {
	t.Helper()
	code, body := call(t, "GET", base+"/scim/v2/Groups?filter="+url.QueryEscape(`displayName eq "`+name+`"`), tok, "")
	if code != http.StatusOK {
		t.Fatalf("finding group %s: %d %s", name, code, body)
	}
	var list struct{ Resources []struct{ ID string } }
	json.Unmarshal(body, &list)
	if len(list.Resources) > 1 {
		t.Fatalf("%d groups named %s", len(list.Resources), name)
	}
	if len(list.Resources) == 0 {
		return ""
	}
	return list.Resources[0].ID
}
