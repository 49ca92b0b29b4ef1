package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
)

var newKeyLine = regexp.MustCompile(`New signing key ([0-9a-f]{6}) signs from`)

// tokenKeyID is the key id a token carries (bytes 1 to 3, see
// internal/auth/token.go), as `keys list` shows it.
func tokenKeyID(t *testing.T, tok string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) < 4 {
		t.Fatalf("token %q: %v", tok, err)
	}
	return hex.EncodeToString(raw[1:4])
}

// signedBy requests tokens until one is signed by key, within bound.
func signedBy(t *testing.T, base, id, secret, key string, bound time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		tok := token(t, base, id, secret)
		if tokenKeyID(t, tok) == key {
			return tok
		}
		if time.Now().After(deadline) {
			t.Fatalf("tokens still signed by %s %v later, not %s", tokenKeyID(t, tok), bound, key)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storedKeys reads the database's signing keys as the server would.
func storedKeys(t *testing.T, db string) []directory.SigningKey {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys, err := st.SigningKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// noKeyMaterial fails if out shows any of the keys, in any usual encoding.
func noKeyMaterial(t *testing.T, what, out string, keys []directory.SigningKey) {
	t.Helper()
	for _, k := range keys {
		for _, enc := range []string{base64.StdEncoding.EncodeToString(k.Key), base64.RawURLEncoding.EncodeToString(k.Key), hex.EncodeToString(k.Key)} {
			if strings.Contains(out, enc[:16]) {
				t.Fatalf("%s shows key material:\n%s", what, out)
			}
		}
	}
}

func TestKeysCommandsAgainstARunningServer(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)
	id, secret := p.credentials(t)
	before := token(t, p.url, id, secret)
	list := mustRun(t, "", "keys", "list", "--db", db)
	if !strings.Contains(list, tokenKeyID(t, before)+"  ") || !strings.Contains(list, "signing") {
		t.Fatalf("keys list does not show the signing key %s:\n%s", tokenKeyID(t, before), list)
	}
	out := mustRun(t, "", "keys", "rotate", "--db", db, "--after", "1s")
	m := newKeyLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("rotate printed %q", out)
	}
	list = mustRun(t, "", "keys", "list", "--db", db)
	keys := storedKeys(t, db)
	if len(keys) != 2 || !strings.Contains(list, m[1]) || !strings.Contains(list, "verifying until") && !strings.Contains(list, "next: signs from") {
		t.Fatalf("after rotating, %d keys stored, and keys list shows:\n%s", len(keys), list)
	}
	noKeyMaterial(t, "keys list", list, keys)
	noKeyMaterial(t, "keys rotate", out, keys)
	signedBy(t, p.url, id, secret, m[1], 3*time.Second)
	if code, _ := call(t, "GET", p.url+"/api/config/v1/user", before, ""); code != http.StatusOK {
		t.Fatalf("a token signed before the rotation: %d, want 200 until it expires", code)
	}

	// After a leak: the new key signs at once and the others go now.
	out = mustRun(t, "", "keys", "rotate", "--db", db, "--drop-previous")
	if !strings.Contains(out, "every other key is dropped") || len(storedKeys(t, db)) != 1 {
		t.Fatalf("rotate --drop-previous printed %q and left %d keys", out, len(storedKeys(t, db)))
	}
	eventually(t, "a token of a dropped key refused", func() bool {
		code, _ := call(t, "GET", p.url+"/api/config/v1/user", before, "")
		return code == http.StatusUnauthorized
	})
}

func TestServeWithASigningKeyFile(t *testing.T) {
	db := dsnFor(t)
	path := filepath.Join(t.TempDir(), "keys")
	out := mustRun(t, "", "keys", "rotate", "--signing-key-file", path)
	first := newKeyLine.FindStringSubmatch(out)
	if first == nil {
		t.Fatalf("rotate printed %q", out)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v, want mode 0600", fi, err)
	}
	p := start(t, db, "--signing-key-file", path)
	id, secret := p.credentials(t)
	if tok := token(t, p.url, id, secret); tokenKeyID(t, tok) != first[1] {
		t.Fatalf("token signed by %s, not the file's key %s", tokenKeyID(t, tok), first[1])
	}
	out = mustRun(t, "", "keys", "rotate", "--signing-key-file", path, "--after", "0s")
	next := newKeyLine.FindStringSubmatch(out)
	if next == nil {
		t.Fatalf("rotate printed %q", out)
	}
	signedBy(t, p.url, id, secret, next[1], 3*time.Second)
	list := mustRun(t, "", "keys", "list", "--signing-key-file", path)
	if !strings.Contains(list, first[1]) || !strings.Contains(list, next[1]) {
		t.Fatalf("keys list:\n%s", list)
	}
	if keys := storedKeys(t, db); len(keys) != 0 {
		t.Fatalf("the database holds %d signing keys beside a key file", len(keys))
	}
}

// Bad keys stop the server before it touches the database, saying what is
// wrong and never showing the value.
func TestSigningKeyMistakes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "never-created.db")
	bad := filepath.Join(dir, "bad")
	short := base64.StdEncoding.EncodeToString([]byte("too short a key"))
	if err := os.WriteFile(bad, []byte("# keys\n"+short+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	checkMistakes(t, []mistake{
		{args: []string{"serve", "--db", db, "--signing-key-file", filepath.Join(dir, "missing")}, code: 1,
			err: "gatehouse serve: signing key file: open " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{args: []string{"serve", "--db", db, "--signing-key-file", bad}, code: 1,
			err: "gatehouse serve: signing key file " + bad + ": line 2: 15 bytes long, want 32 to 64"},
		{args: []string{"scim-token", "create", "--db", db, "--name", "okta", "--signing-key-file", bad}, code: 1,
			err: "gatehouse scim-token: signing key file " + bad + ": line 2: 15 bytes long, want 32 to 64"},
		{args: []string{"keys", "rotate", "--signing-key-file", bad}, code: 1,
			err: "gatehouse keys: " + bad + ": line 2: 15 bytes long, want 32 to 64"},
		{args: []string{"keys", "rotate", "--db", db, "--after", "-1s"}, code: 2, err: "gatehouse keys: --after must not be negative"},
		{args: []string{"keys", "drop"}, code: 2, err: `gatehouse keys: unknown subcommand "drop": want list, rotate or generate`},
		{args: []string{"keys"}, code: 2, err: "gatehouse keys: want a subcommand: list, rotate or generate"},
	})
	t.Setenv("GATEHOUSE_SIGNING_KEY", "not-a-key")
	checkMistakes(t, []mistake{
		{args: []string{"serve", "--db", db}, code: 2, err: "gatehouse serve: GATEHOUSE_SIGNING_KEY: line 1: not standard base64"},
		{args: []string{"serve", "--db", db, "--signing-key-file", bad}, code: 2,
			err: "gatehouse serve: --signing-key-file and GATEHOUSE_SIGNING_KEY exclude each other"},
		{args: []string{"keys", "rotate", "--db", db}, code: 2,
			err: "gatehouse keys: keys in GATEHOUSE_SIGNING_KEY are rotated by changing it: put a new key (gatehouse keys generate) first, the current one after it"},
	})
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("a start with bad keys created the database: %v", err)
	}
}

// A generated key serves from the environment.
func TestServeWithASigningKeyInTheEnvironment(t *testing.T) {
	key := strings.TrimSpace(mustRun(t, "", "keys", "generate"))
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 32 {
		t.Fatalf("keys generate printed %q", key)
	}
	t.Setenv("GATEHOUSE_SIGNING_KEY", key)
	db := dsnFor(t)
	p := start(t, db)
	id, secret := p.credentials(t)
	if code, _ := call(t, "GET", p.url+"/api/config/v1/user", token(t, p.url, id, secret), ""); code != http.StatusOK {
		t.Fatalf("GET with a token signed by the environment's key: %d", code)
	}
	if keys := storedKeys(t, db); len(keys) != 0 {
		t.Fatalf("the database holds %d signing keys beside GATEHOUSE_SIGNING_KEY", len(keys))
	}
	if !strings.Contains(mustRun(t, "", "keys", "list"), "signing") {
		t.Fatal("keys list does not show the environment's key")
	}
}
