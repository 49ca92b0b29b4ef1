package server_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// tokenKey is the id of the key that signed tok (bytes 1 to 3 of the
// token's layout, see internal/auth/token.go).
func tokenKey(t *testing.T, tok string) uint32 {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) < 4 {
		t.Fatalf("token %q: %v", tok, err)
	}
	return uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3])
}

// tokenSignedBy issues tokens on the instance until one is signed by key,
// failing after bound.
func (i *instance) tokenSignedBy(t *testing.T, clientID, secret string, key uint32, bound time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		tok := i.token(t, clientID, secret)
		if tokenKey(t, tok) == key {
			return tok
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s still signs with key %06x %v later, not %06x", i.name, tokenKey(t, tok), bound, key)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A rotation is one store write: every instance verifies with the new key
// before any signs with it, tokens signed before keep working until they
// expire, and a token whose key has been dropped is refused.
func TestKeyRotationReachesEveryInstance(t *testing.T) {
	var skew atomic.Int64 // how far the instances' clock runs ahead
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	a, b := startInstances(t, auth.Config{Now: now})
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	before := a.token(t, testserver.AdminClientID, testserver.AdminSecret)
	// A minted SCIM token outlives its key's retirement: the one kind of
	// token a dropped key can still have signed.
	scim, _ := a.account(t, "scim")
	minted, err := auth.Mint(ctx, auth.DatabaseKeys(a.store), a.srv.Directory(), scim.ID, 365*24*time.Hour, now())
	if err != nil {
		t.Fatal(err)
	}
	b.wantStatus(t, minted, http.StatusOK)

	k, err := auth.RotateDatabaseKey(ctx, a.store, now(), time.Second, auth.DefaultTokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == tokenKey(t, before) {
		t.Fatal("the rotation kept the key")
	}
	caller, secret := a.account(t, "caller")
	fromA := a.tokenSignedBy(t, caller.ClientID, secret, k.ID, 3*time.Second)
	b.wantStatus(t, fromA, http.StatusOK) // B held the key before A signed with it
	fromB := b.tokenSignedBy(t, caller.ClientID, secret, k.ID, time.Second)
	a.wantStatus(t, fromB, http.StatusOK)
	for _, inst := range []*instance{a, b} {
		inst.wantStatus(t, before, http.StatusOK)
		inst.wantStatus(t, minted, http.StatusOK)
	}

	// A token lifetime after the new key began signing, the old key is
	// dropped everywhere: what it signed is refused, even unexpired.
	skew.Store(int64(auth.DefaultTokenTTL + time.Minute))
	since := time.Now()
	a.revokedWithin(t, minted, since, time.Second)
	b.revokedWithin(t, minted, since, time.Second)
	b.wantStatus(t, a.token(t, caller.ClientID, secret), http.StatusOK)
	keys, err := b.store.SigningKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("stored keys %d, %v: the old key stays stored until the next rotation", len(keys), err)
	}
	if _, err := auth.RotateDatabaseKey(ctx, a.store, now(), time.Second, auth.DefaultTokenTTL); err != nil {
		t.Fatal(err)
	}
	if keys, err = b.store.SigningKeys(ctx); err != nil || len(keys) != 2 || keys[1].ID != k.ID {
		t.Fatalf("after another rotation: %d keys, %v; want the new and the current, the dropped one deleted", len(keys), err)
	}

	// After a leak, a rotation that keeps no key for any token lifetime
	// (keys rotate --drop-previous) ends every token of the others at once.
	current := a.token(t, caller.ClientID, secret)
	b.wantStatus(t, current, http.StatusOK)
	if _, err := auth.RotateDatabaseKey(ctx, a.store, now(), 0, 0); err != nil {
		t.Fatal(err)
	}
	since = time.Now()
	a.revokedWithin(t, current, since, time.Second)
	b.revokedWithin(t, current, since, time.Second)
	b.wantStatus(t, a.token(t, caller.ClientID, secret), http.StatusOK)
}

// With a key file, the keys stay out of the database: nothing key-related
// is written there, and rotating the file reaches a running instance.
func TestKeysFromAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing-keys")
	first, err := auth.RotateKeyFile(path, time.Now(), 0, auth.DefaultTokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	dsn := testserver.DSN(t)
	a := startInstance(t, dsn, auth.Config{Keys: auth.KeyFile(path)}, "A")
	if a == nil {
		t.FailNow()
	}
	if _, _, err := a.srv.Directory().Bootstrap(context.Background(), testserver.AdminClientID, testserver.AdminSecret); err != nil {
		t.Fatal(err)
	}
	before := a.token(t, testserver.AdminClientID, testserver.AdminSecret)
	if tokenKey(t, before) != first.ID {
		t.Fatalf("token signed by %06x, not the file's key %06x", tokenKey(t, before), first.ID)
	}
	a.wantStatus(t, before, http.StatusOK)

	next, err := auth.RotateKeyFile(path, time.Now(), 0, auth.DefaultTokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	caller, secret := a.account(t, "caller")
	a.wantStatus(t, a.tokenSignedBy(t, caller.ClientID, secret, next.ID, 3*time.Second), http.StatusOK)
	a.wantStatus(t, before, http.StatusOK)
	if n := storedKeyRows(t, dsn); n != 0 {
		t.Fatalf("the database holds %d signing keys; with a key file it must hold none", n)
	}
}

// storedKeyRows counts the signing_keys rows by SQL, below the store.
func storedKeyRows(t *testing.T, dsn string) int {
	t.Helper()
	ctx := context.Background()
	const q = "SELECT count(*) FROM signing_keys"
	var n int
	if store.IsPostgres(dsn) {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
