package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var userCases = []testCase{
	{"UserRoundTrip", testUserRoundTrip},
	{"UserUpdate", testUserUpdate},
	{"UsernameUnique", testUsernameUnique},
	{"UserClientIDUnique", testUserClientIDUnique},
	{"UserOptionalFieldsRoundTrip", testUserOptionalFieldsRoundTrip},
	{"UserDeleteCascades", testUserDeleteCascades},
	{"UserNotFound", testUserNotFound},
}

// fullUser sets every field to a non-zero value.
func fullUser() directory.User {
	u := user("Full.User")
	u.FirstName, u.LastName, u.DisplayName = "Full", "User", "Full User"
	u.Email = "full@example.com"
	u.Enabled, u.Quarantined, u.Admin = false, true, true
	u.PublicKey = "ssh-ed25519 AAAA"
	u.Locale = "fr-ca"
	u.TwoFactorRequired, u.PasswordResetNextLogin = true, true
	u.FailedLogins = 3
	u.PasswordExpiration = ptr(at("2031-02-03T04:05:06.123456Z"))
	u.LastLogin = directory.LastLogin{At: ptr(at("2024-01-02T03:04:05.000001Z")), AuthType: "saml",
		ConfigName: "Okta", SAMLIdPURL: "https://idp.example.com/saml", SSOURL: "https://sso.example.com"}
	u.ExternalID = "00u1abcd"
	u.DomainName, u.DistinguishedName = "corp.example.com", "CN=Full User,OU=People,DC=corp,DC=example,DC=com"
	u.ClientID, u.SecretHash, u.SecretGeneration = "0b5c6f3e-9d1a-4c4e-8f2b-7a6d5e4c3b2a", directory.HashSecret("s"), 4
	u.AccessPolicyID = 12
	u.Access = directory.DefaultAccess()
	u.Access.AccessAllowed, u.Access.SessionIdleTimeout, u.Access.PrivateJumpItemRoleID = true, 3600, 7
	u.Profile = fullProfile()
	return u
}

func testUserRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := fullUser()
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		// A transaction reads its own writes.
		got, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		equal(t, "user read in its transaction", got, u)
		return nil
	})
	if u.ID <= 0 || u.Version != 1 || !u.CreatedAt.Equal(now) || !u.UpdatedAt.Equal(now) {
		t.Fatalf("created user has ID %d, version %d, times %v %v; transaction time %v",
			u.ID, u.Version, u.CreatedAt, u.UpdatedAt, now)
	}
	got, err := s.User(ctx, u.ID)
	must(t, err)
	equal(t, "user", got, u)
	page, err := s.Users(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "users", page, directory.Page[directory.User]{Items: []directory.User{u}, Total: 1})

	// Nullable fields read back as nil.
	v := user("minimal")
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &v) })
	got, err = s.User(ctx, v.ID)
	must(t, err)
	equal(t, "minimal user", got, v)
}

func testUserUpdate(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "someone")[0]
	created := u.CreatedAt
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		full := fullUser()
		full.ID, full.Version, full.CreatedAt = u.ID, u.Version, u.CreatedAt
		u = full
		return tx.UpdateUser(ctx, &u)
	})
	if u.Version != 2 || !u.UpdatedAt.Equal(now) || !u.CreatedAt.Equal(created) {
		t.Fatalf("updated user has version %d, times %v %v; want 2, %v %v", u.Version, u.CreatedAt, u.UpdatedAt, created, now)
	}
	got, err := s.User(ctx, u.ID)
	must(t, err)
	equal(t, "updated user", got, u)

	// Clearing nullable fields stores NULL again.
	u.PasswordExpiration, u.LastLogin.At = nil, nil
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &u) })
	got, err = s.User(ctx, u.ID)
	must(t, err)
	equal(t, "user with cleared times", got, u)
	if got.Version != 3 {
		t.Fatalf("version %d after two updates, want 3", got.Version)
	}
}

func testUsernameUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "Alice", "bob")
	for _, name := range []string{"Alice", "ALICE", "alice"} {
		dup := user(name)
		err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateUser(ctx, &dup) })
		wantConflict(t, err, directory.FieldUsername)
	}
	bob := users[1]
	bob.Username = "aLiCe"
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &bob) })
	wantConflict(t, err, directory.FieldUsername)

	// A user may change the case of its own name.
	alice := users[0]
	alice.Username = "ALICE"
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &alice) })

	// A conflict leaves the transaction usable, on every store.
	write(t, s, func(tx directory.Tx) error {
		dup, other := user("alice"), user("carol")
		wantConflict(t, tx.CreateUser(ctx, &dup), directory.FieldUsername)
		b := bob
		wantConflict(t, tx.UpdateUser(ctx, &b), directory.FieldUsername)
		return tx.CreateUser(ctx, &other)
	})
	page, err := s.Users(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "usernames", usernames(page.Items), []string{"ALICE", "bob", "carol"})
}

func testUserDeleteCascades(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "gone", "stays")
	g := createGroup(t, s, "g")
	addUsers(t, s, g, users...)
	var team directory.Team
	write(t, s, func(tx directory.Tx) error {
		team = directory.Team{Name: "t"}
		if err := tx.CreateTeam(ctx, &team); err != nil {
			return err
		}
		for _, u := range users {
			if err := tx.PutTeamUser(ctx, directory.TeamUser{TeamID: team.ID, UserID: u.ID, Role: directory.RoleMember}); err != nil {
				return err
			}
		}
		return tx.DeleteUser(ctx, users[0].ID)
	})
	_, err := s.User(ctx, users[0].ID)
	wantKind(t, err, directory.KindNotFound)
	members, err := s.Members(ctx, g.ID, directory.Query{Limit: 10})
	must(t, err)
	if members.Total != 1 || members.Items[0].UserID != users[1].ID {
		t.Fatalf("members after deleting a user: %+v", members)
	}
	ug, err := s.UserGroupIDs(ctx, []int64{users[0].ID, users[1].ID})
	must(t, err)
	equal(t, "group ids", ug, map[int64][]int64{users[1].ID: {g.ID}})
	tus, err := s.TeamUsers(ctx, team.ID, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "team users", tus.Items, []directory.TeamUser{{TeamID: team.ID, UserID: users[1].ID, Role: directory.RoleMember}})
}

func testUserNotFound(t *testing.T, open Opener) {
	s := openStore(t, open)
	_, err := s.User(ctx, 12345)
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error {
		u := user("ghost")
		u.ID, u.Version = 12345, 1
		return tx.UpdateUser(ctx, &u)
	})
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.DeleteUser(ctx, 12345) })
	wantKind(t, err, directory.KindNotFound)
	// A name that is taken does not hide that the row is gone.
	createUsers(t, s, "taken")
	err = s.Write(ctx, func(tx directory.Tx) error {
		u := user("taken")
		u.ID = 12345
		return tx.UpdateUser(ctx, &u)
	})
	wantKind(t, err, directory.KindNotFound)
}

// testUserClientIDUnique checks that application users' client ids are
// unique, exactly (another case is another id), and that the users without
// one do not clash.
func testUserClientIDUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	a, b := appUser("app-a", "client-a"), appUser("app-b", "client-b")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateUser(ctx, &a); err != nil {
			return err
		}
		return tx.CreateUser(ctx, &b)
	})
	createUsers(t, s, "plain-1", "plain-2") // neither has a client id
	for _, c := range []struct {
		user  directory.User
		field string
	}{
		{appUser("app-new", "client-a"), "client_id"},
		{appUser("APP-A", "client-new"), directory.FieldUsername},
		{appUser("app-a", "client-a"), "client_id"},
	} {
		err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateUser(ctx, &c.user) })
		wantConflict(t, err, c.field)
	}
	moved := b
	moved.ClientID = "client-a"
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &moved) })
	wantConflict(t, err, "client_id")
	renamed := b
	renamed.Username = "App-A"
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &renamed) })
	wantConflict(t, err, directory.FieldUsername)
	// A user keeps its own client id through an update; another case is
	// another id; and a cleared one is free again.
	b.SecretGeneration++
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &b) })
	c := appUser("app-c", "CLIENT-A")
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &c) })
	a.ClientID = ""
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &a) })
	d := appUser("app-d", "client-a")
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &d) })
	got, err := s.User(ctx, d.ID)
	must(t, err)
	equal(t, "user with a freed client id", got, d)
}

// testUserOptionalFieldsRoundTrip checks that the BeyondInsight fields read
// back as written: an empty secret hash as nil, a directory user's domain
// and DN, an application user's credentials.
func testUserOptionalFieldsRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	app := appUser("app", "4f1c2d3e-0000-4000-8000-000000000001")
	app.AccessPolicyID = 3
	ad := user("jdoe")
	ad.Source, ad.PasswordHash = directory.SourceActiveDirectory, ""
	ad.DomainName, ad.DistinguishedName = "corp.example.com", "CN=John Doe,CN=Users,DC=corp,DC=example,DC=com"
	empty := user("empty-hash")
	empty.SecretHash = []byte{} // stored as no bytes, read back as nil
	write(t, s, func(tx directory.Tx) error {
		for _, u := range []*directory.User{&app, &ad, &empty} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	empty.SecretHash = nil
	for _, want := range []directory.User{app, ad, empty} {
		got, err := s.User(ctx, want.ID)
		must(t, err)
		equal(t, want.Username, got, want)
	}
	// Recycling the secret and clearing the policy.
	app.SecretHash, app.SecretGeneration, app.AccessPolicyID = directory.HashSecret("recycled"), 2, 0
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &app) })
	got, err := s.User(ctx, app.ID)
	must(t, err)
	equal(t, "recycled application user", got, app)
	app.SecretHash = nil
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &app) })
	got, err = s.User(ctx, app.ID)
	must(t, err)
	equal(t, "application user without a secret", got, app)
}

func usernames(users []directory.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Username
	}
	return out
}
