package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// Several instances on one database behave as one server. These tests start
// two, each with its own store connection, server and listener, as two
// processes behind a load balancer would be, and hold them to that through
// HTTP alone. Under GATEHOUSE_TEST_STORE=postgres they share a PostgreSQL
// database; otherwise one SQLite file, which two processes may share too.

const usersPath = "/api/config/v1/user"

// instance is one server process.
type instance struct {
	name  string
	store directory.Store
	srv   *server.Server
	http  *httptest.Server
}

// startInstances starts two instances on one fresh database, with the
// production poll interval, and bootstraps the admin account through A.
func startInstances(t *testing.T, authCfg auth.Config) (a, b *instance) {
	t.Helper()
	ctx := context.Background()
	dsn := testserver.DSN(t)
	if !store.IsPostgres(dsn) {
		// One process owns a SQLite file in production, so it counts rate
		// limits in memory unless told that others share the file.
		// PostgreSQL needs no telling, which these tests check.
		authCfg.SharedRateLimits = true
	}
	a, b = startInstance(t, dsn, authCfg, "A"), startInstance(t, dsn, authCfg, "B")
	if a == nil || b == nil {
		t.FailNow()
	}
	if _, _, err := a.srv.Directory().Bootstrap(ctx, testserver.AdminClientID, testserver.AdminSecret); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	return a, b
}

// startInstance starts one instance on dsn, as one more process would. It
// may run on any goroutine: it reports failures with t.Errorf and nil.
func startInstance(t *testing.T, dsn string, authCfg auth.Config, name string) *instance {
	ctx := context.Background()
	cfg := server.Config{
		Auth:   authCfg,
		Argon2: directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}, // speed, not strength
		Logger: slog.New(slog.DiscardHandler),
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Errorf("instance %s: open store: %v", name, err)
		return nil
	}
	t.Cleanup(func() { st.Close() })
	srv, err := server.New(ctx, st, cfg)
	if err != nil {
		t.Errorf("instance %s: %v", name, err)
		return nil
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &instance{name: name, store: st, srv: srv, http: hs}
}

// send makes one request; unlike do, it may run on any goroutine.
func (i *instance) send(method, path, token, contentType, body string) (*testserver.Response, error) {
	req, err := http.NewRequest(method, i.http.URL+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := i.http.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return &testserver.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

// do sends a request, with a JSON body if any.
func (i *instance) do(t *testing.T, method, path, token, body string) *testserver.Response {
	t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	r, err := i.send(method, path, token, ct, body)
	if err != nil {
		t.Fatalf("instance %s: %s %s: %v", i.name, method, path, err)
	}
	return r
}

// token issues a bearer token on this instance.
func (i *instance) token(t *testing.T, clientID, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	r, err := i.send(http.MethodPost, "/oauth2/token", "", "application/x-www-form-urlencoded", form.Encode())
	if err != nil || r.Status != http.StatusOK {
		t.Fatalf("instance %s: token for %s: %v %+v", i.name, clientID, err, r)
	}
	tok, _ := r.Object(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("instance %s: no access_token in %s", i.name, r.Body)
	}
	return tok
}

// account creates an API account with every permission through the
// instance's directory, as the CLI would.
func (i *instance) account(t *testing.T, name string) (directory.APIAccount, string) {
	t.Helper()
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	a, secret, err := i.srv.Directory().CreateAPIAccount(ctx, directory.NewAPIAccount{Name: name, Perms: directory.FullPermissions()})
	if err != nil {
		t.Fatalf("instance %s: create API account: %v", i.name, err)
	}
	return a, secret
}

// wantStatus checks that the instance answers GET /user with tok by status.
func (i *instance) wantStatus(t *testing.T, tok string, status int) {
	t.Helper()
	if r := i.do(t, http.MethodGet, usersPath, tok, ""); r.Status != status {
		t.Fatalf("instance %s: GET %s: %d %s, want %d", i.name, usersPath, r.Status, r.Body, status)
	}
}

// revokedWithin polls the instance with tok until it answers 401. It fails
// the test if a request sent more than bound after since is still accepted:
// the bound the issue sets for revocations to reach every instance.
func (i *instance) revokedWithin(t *testing.T, tok string, since time.Time, bound time.Duration) {
	t.Helper()
	for {
		sent := time.Now()
		r := i.do(t, http.MethodGet, usersPath, tok, "")
		switch {
		case r.Status == http.StatusUnauthorized:
			t.Logf("instance %s refused the revoked token after %v", i.name, time.Since(since).Round(time.Millisecond))
			return
		case r.Status != http.StatusOK:
			t.Fatalf("instance %s: %d %s while waiting for 401", i.name, r.Status, r.Body)
		case sent.Sub(since) > bound:
			t.Fatalf("instance %s still accepts the token %v after it was revoked", i.name, sent.Sub(since).Round(time.Millisecond))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestInstancesShareTokens(t *testing.T) {
	a, b := startInstances(t, auth.Config{})
	fromA := a.token(t, testserver.AdminClientID, testserver.AdminSecret)
	b.wantStatus(t, fromA, http.StatusOK)
	fromB := b.token(t, testserver.AdminClientID, testserver.AdminSecret)
	a.wantStatus(t, fromB, http.StatusOK)
	a.wantStatus(t, fromA, http.StatusOK)
}

func TestInstancesSeeRevocationWithinASecond(t *testing.T) {
	a, b := startInstances(t, auth.Config{})
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

	t.Run("rotated secret", func(t *testing.T) {
		acct, secret := a.account(t, "rotated")
		tok := a.token(t, acct.ClientID, secret)
		b.wantStatus(t, tok, http.StatusOK)
		if _, _, err := a.srv.Directory().RotateSecret(ctx, acct.ID); err != nil {
			t.Fatal(err)
		}
		// The rotation went to the directory, not through A's auth, so A
		// learns of it as B does: by polling, within the same bound.
		revoked := time.Now()
		b.revokedWithin(t, tok, revoked, time.Second)
		a.revokedWithin(t, tok, revoked, time.Second)
	})

	t.Run("disabled account", func(t *testing.T) {
		acct, secret := a.account(t, "disabled")
		tok := a.token(t, acct.ClientID, secret)
		b.wantStatus(t, tok, http.StatusOK)
		if _, err := a.srv.Directory().SetAPIAccountEnabled(ctx, acct.ID, false); err != nil {
			t.Fatal(err)
		}
		b.revokedWithin(t, tok, time.Now(), time.Second)
	})

	t.Run("31st token", func(t *testing.T) {
		acct, secret := a.account(t, "many tokens")
		tokens := []string{a.token(t, acct.ClientID, secret)}
		b.wantStatus(t, tokens[0], http.StatusOK)
		for len(tokens) < directory.MaxTokens {
			tokens = append(tokens, a.token(t, acct.ClientID, secret))
		}
		b.wantStatus(t, tokens[0], http.StatusOK) // 30 tokens: all valid
		tokens = append(tokens, a.token(t, acct.ClientID, secret))
		b.revokedWithin(t, tokens[0], time.Now(), time.Second)
		b.wantStatus(t, tokens[1], http.StatusOK)
		b.wantStatus(t, tokens[len(tokens)-1], http.StatusOK)
	})
}

// TestInstancesCreateOneUsernameOnce fires the same username at both
// instances at once, round after round: the database decides, so one wins
// and the other gets PRA's 422, and there are never two users.
func TestInstancesCreateOneUsernameOnce(t *testing.T) {
	a, b := startInstances(t, auth.Config{})
	tok := a.token(t, testserver.AdminClientID, testserver.AdminSecret)
	const rounds = 20
	taken := `{"message":"The given data was invalid.","errors":{"username":["The username has already been taken."]}}`
	for round := range rounds {
		name := fmt.Sprintf("race-%02d", round)
		// B spells it in capitals: usernames are unique ignoring case.
		names := []string{name, strings.ToUpper(name)}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			resps [2]*testserver.Response
			errs  [2]error
		)
		for k, inst := range []*instance{a, b} {
			wg.Go(func() {
				<-start
				body := `{"username":"` + names[k] + `","public_display_name":"` + names[k] + `"}`
				resps[k], errs[k] = inst.send(http.MethodPost, usersPath, tok, "application/json", body)
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		statuses := []int{resps[0].Status, resps[1].Status}
		won, lost := 0, 1
		if statuses[1] == http.StatusCreated {
			won, lost = 1, 0
		}
		if resps[won].Status != http.StatusCreated || resps[lost].Status != http.StatusUnprocessableEntity {
			t.Fatalf("round %d: statuses %v (%s / %s), want one 201 and one 422", round, statuses, resps[0].Body, resps[1].Body)
		}
		if got := resps[won].Object(t)["username"]; got != names[won] {
			t.Fatalf("round %d: created %v, want %s", round, got, names[won])
		}
		var got, want any
		json.Unmarshal(resps[lost].Body, &got)
		json.Unmarshal([]byte(taken), &want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: 422 body %s, want %s", round, resps[lost].Body, taken)
		}
	}

	list := b.do(t, http.MethodGet, usersPath+"?per_page=100", tok, "")
	if list.Status != http.StatusOK {
		t.Fatalf("list users: %d %s", list.Status, list.Body)
	}
	seen := map[string]int{}
	for _, u := range list.Array(t) {
		seen[strings.ToLower(u["username"].(string))]++
	}
	for round := range rounds {
		if name := fmt.Sprintf("race-%02d", round); seen[name] != 1 {
			t.Errorf("%d users named %s", seen[name], name)
		}
	}
	if len(seen) != rounds {
		t.Errorf("%d users listed, want %d: %v", len(seen), rounds, seen)
	}
}

// TestInstancesShareRateLimits checks that the limits are per API account
// across instances, not per instance. Instances sync their counts every
// 100 ms, so each may admit, before it hears of the others' requests, what
// it alone would (the slack documented on auth's sharedLimiter): in one
// window at most limit + (instances − 1) × what one instance admits in two
// sync intervals, never more than instances × limit.
func TestInstancesShareRateLimits(t *testing.T) {
	t.Run("per second", func(t *testing.T) {
		// A burst alternating between the instances faster than they sync
		// is the worst case: each may admit up to the limit on its own.
		const limit, instances = 10, 2
		const slack = (instances - 1) * limit
		a, b := startInstances(t, auth.Config{RatePerSecond: limit, RatePerHour: 15000})
		acct, secret := a.account(t, "burst")
		tok := a.token(t, acct.ClientID, secret)
		for attempt := 1; ; attempt++ {
			// Start just after a second begins, so that the burst fits in
			// one window; a burst that straddles two is tried again.
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 20*time.Millisecond)))
			sec := time.Now().Unix()
			var resps [2][]*testserver.Response
			for i := range 4 * limit {
				resps[i%2] = append(resps[i%2], []*instance{a, b}[i%2].do(t, http.MethodGet, usersPath, tok, ""))
			}
			if time.Now().Unix() != sec {
				if attempt == 5 {
					t.Fatal("no burst fitted in one second")
				}
				continue
			}
			admitted := 0
			for k, list := range resps {
				refused := false
				for _, r := range list {
					switch r.Status {
					case http.StatusOK:
						if refused {
							t.Fatalf("instance %s admitted a request after refusing one in the same second", []string{"A", "B"}[k])
						}
						admitted++
					case http.StatusTooManyRequests:
						refused = true
						if ra := r.Header.Get("Retry-After"); ra != "1" {
							t.Fatalf("429 with Retry-After %q, want 1", ra)
						}
					default:
						t.Fatalf("status %d %s", r.Status, r.Body)
					}
				}
			}
			t.Logf("admitted %d of %d requests in one second (limit %d, slack %d)", admitted, 4*limit, limit, slack)
			if admitted < limit || admitted > limit+slack {
				t.Fatalf("admitted %d requests in one second, want %d to %d", admitted, limit, limit+slack)
			}
			return
		}
	})

	t.Run("per hour", func(t *testing.T) {
		// The hourly budget one instance used up holds on the other: B,
		// which has not seen the account, may admit until its first sync,
		// but must refuse long before it has granted a budget of its own.
		// Requests to B are paced 10 ms apart, so "long before" is within
		// the second the issue allows revocations too.
		const perHour = 100
		a, b := startInstances(t, auth.Config{RatePerSecond: 1000, RatePerHour: perHour})
		for attempt := 1; ; attempt++ {
			hour := time.Now().Unix() / 3600
			acct, secret := a.account(t, "hourly "+strconv.Itoa(attempt))
			tok := a.token(t, acct.ClientID, secret)
			onA := admitUntilRefused(t, a, tok, perHour+1, 0)
			onB := admitUntilRefused(t, b, tok, perHour+1, 10*time.Millisecond)
			if time.Now().Unix()/3600 != hour {
				if attempt == 3 {
					t.Fatal("the hour kept ending during the test")
				}
				continue // a new hour's budget: try again
			}
			t.Logf("A admitted %d, then B admitted %d before refusing (hourly limit %d)", onA, onB, perHour)
			if onA != perHour {
				t.Fatalf("A alone admitted %d requests, want %d", onA, perHour)
			}
			if onB < 1 || onB >= perHour {
				t.Fatalf("B admitted %d requests after A used the hour's %d: the limit is per instance, not per account", onB, perHour)
			}
			a.wantStatus(t, tok, http.StatusTooManyRequests)
			return
		}
	})
}

// admitUntilRefused sends requests with tok, pause apart, until one gets
// 429, and returns how many were admitted before it. It fails the test if
// none is refused within most, or the 429 is not for the rest of the hour.
func admitUntilRefused(t *testing.T, i *instance, tok string, most int, pause time.Duration) int {
	t.Helper()
	for n := range most {
		r := i.do(t, http.MethodGet, usersPath, tok, "")
		switch r.Status {
		case http.StatusOK:
			time.Sleep(pause)
		case http.StatusTooManyRequests:
			ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
			if ra < 1 || r.Header.Get("X-RateLimit-Remaining") != "0" {
				t.Fatalf("instance %s: 429 with Retry-After %q, X-RateLimit-Remaining %q", i.name,
					r.Header.Get("Retry-After"), r.Header.Get("X-RateLimit-Remaining"))
			}
			return n
		default:
			t.Fatalf("instance %s: status %d %s", i.name, r.Status, r.Body)
		}
	}
	t.Fatalf("instance %s admitted %d requests without refusing one", i.name, most)
	return 0
}
