package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// user returns a local user as the Service would create it.
func user(name string) directory.User {
	return directory.User{
		Username:           name,
		DisplayName:        name,
		Enabled:            true,
		Source:             directory.SourceLocal,
		SecurityProviderID: directory.LocalProviderID,
		PasswordHash:       "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA",
		Locale:             directory.DefaultLocale,
		Access:             directory.DefaultAccess(),
	}
}

func group(name string) directory.Group {
	return directory.Group{
		Name:               name,
		Source:             directory.SourceLocal,
		SecurityProviderID: directory.LocalProviderID,
		AccessStatus:       directory.AccessNotDefined,
		Access:             directory.DefaultAccess(),
		Active:             true,
	}
}

// appUser returns an application user as the Service would create it.
func appUser(name, clientID string) directory.User {
	u := user(name)
	u.Source, u.PasswordHash = directory.SourceApplication, ""
	u.ClientID, u.SecretHash, u.SecretGeneration = clientID, directory.HashSecret("secret of "+name), 1
	return u
}

func registration(name string) directory.APIRegistration {
	_, hash := directory.NewRegistrationKey()
	return directory.APIRegistration{Name: name, KeyHash: hash}
}

func account(name, clientID string) directory.APIAccount {
	return directory.APIAccount{
		Name:            name,
		Enabled:         true,
		ClientID:        clientID,
		SecretHash:      directory.HashSecret("secret of " + name),
		Perms:           directory.FullPermissions(),
		TokenGeneration: 1,
	}
}

// createUsers creates users with the given names, in order, in one
// transaction, and returns them as stored.
func createUsers(t *testing.T, s directory.Store, names ...string) []directory.User {
	t.Helper()
	users := make([]directory.User, len(names))
	write(t, s, func(tx directory.Tx) error {
		for i, n := range names {
			users[i] = user(n)
			if err := tx.CreateUser(ctx, &users[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return users
}

func createGroup(t *testing.T, s directory.Store, name string) directory.Group {
	t.Helper()
	g := group(name)
	write(t, s, func(tx directory.Tx) error { return tx.CreateGroup(ctx, &g) })
	return g
}

// addUsers makes users direct members of g.
func addUsers(t *testing.T, s directory.Store, g directory.Group, users ...directory.User) {
	t.Helper()
	write(t, s, func(tx directory.Tx) error {
		for _, u := range users {
			m := directory.Member{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID}
			if err := tx.AddMember(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
}

// ids returns the IDs of users, groups or anything else with an ID.
func ids[T any](items []T) []int64 {
	out := make([]int64, len(items))
	for i, v := range items {
		out[i] = reflect.ValueOf(v).FieldByName("ID").Int()
	}
	return out
}

// equal fails t unless got and want are deeply equal.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// at is a time as stores keep it: UTC, microsecond precision.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
