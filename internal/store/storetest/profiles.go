package storetest

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var profileCases = []testCase{
	{"ProfileRoundTrip", testProfileRoundTrip},
	{"ProfileEmptyLists", testProfileEmptyLists},
	{"ProfileUnicode", testProfileUnicode},
}

// fullProfile sets every field of a profile, its lists with more than one
// item and every field of each item.
func fullProfile() directory.Profile {
	return directory.Profile{
		NameFormatted: "Ms. Barbara J Jensen, III", MiddleName: "Jane", HonorificPrefix: "Ms.", HonorificSuffix: "III",
		NickName: "Babs", ProfileURL: "https://login.example.com/bjensen", Title: "Tour Guide", UserType: "Employee",
		PreferredLanguage: "en-US", Timezone: "America/Los_Angeles",
		Emails: []directory.Contact{
			{Value: "bjensen@example.com", Type: "work", Display: "Work", Primary: true},
			{Value: "babs@jensen.org", Type: "home"},
		},
		PhoneNumbers: []directory.Contact{
			{Value: "555-555-5555", Type: "work", Primary: true},
			{Value: "555-555-4444", Type: "mobile", Display: "Mobile"},
		},
		Addresses: []directory.Address{
			{Formatted: "100 Universal City Plaza\nHollywood, CA 91608 USA", StreetAddress: "100 Universal City Plaza",
				Locality: "Hollywood", Region: "CA", PostalCode: "91608", Country: "USA", Type: "work", Primary: true},
			{StreetAddress: "456 Hollywood Blvd", Locality: "Hollywood", Type: "home"},
		},
		Enterprise: directory.Enterprise{EmployeeNumber: "701984", CostCenter: "4130", Organization: "Universal Studios",
			Division: "Theme Park", Department: "Tour Operations", ManagerID: "26118915-6090-4610-87e4-49d8ca9f808d",
			ManagerDisplayName: "John Smith"},
	}
}

// readUser reads a user back by id, in the users list and, when the user
// is a member of g, in g's member users, which must all agree with want.
func readUser(t *testing.T, s directory.Store, what string, want directory.User, g *directory.Group) {
	t.Helper()
	got, err := s.User(ctx, want.ID)
	must(t, err)
	equal(t, what, got, want)
	page, err := s.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserID, want.ID), Limit: 10})
	must(t, err)
	equal(t, what+" in the users list", page.Items, []directory.User{want})
	if g != nil {
		page, err = s.MemberUsers(ctx, g.ID, directory.Query{Filter: directory.Eq(directory.UserID, want.ID), Limit: 10})
		must(t, err)
		equal(t, what+" among the member users", page.Items, []directory.User{want})
	}
}

// testProfileRoundTrip checks that a profile reads back as written, from a
// create and from updates, full, partial and zero.
func testProfileRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	full := user("full")
	full.Profile = fullProfile()
	plain := user("plain") // the zero profile
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateUser(ctx, &full); err != nil {
			return err
		}
		got, err := tx.User(ctx, full.ID)
		if err != nil {
			return err
		}
		equal(t, "full profile read in its transaction", got.Profile, full.Profile)
		return tx.CreateUser(ctx, &plain)
	})
	g := createGroup(t, s, "g")
	addUsers(t, s, g, full, plain)
	readUser(t, s, "user with a full profile", full, &g)
	readUser(t, s, "user with the zero profile", plain, &g)

	// Only the enterprise extension, and only a list: what a SCIM client
	// that sends one of them leaves.
	full.Profile = directory.Profile{Enterprise: directory.Enterprise{Department: "R&D"}}
	plain.Profile = directory.Profile{PhoneNumbers: []directory.Contact{{Value: "+1 555 0100"}}}
	write(t, s, func(tx directory.Tx) error {
		if err := tx.UpdateUser(ctx, &full); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, &plain)
	})
	readUser(t, s, "user with only an enterprise department", full, &g)
	readUser(t, s, "user with only a phone number", plain, &g)

	// An item whose every field is empty is still an item.
	full.Profile = directory.Profile{Emails: []directory.Contact{{}}, Addresses: []directory.Address{{}, {Primary: true}}}
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &full) })
	readUser(t, s, "user with empty items", full, &g)

	// Back to the zero profile.
	full.Profile = directory.Profile{}
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &full) })
	readUser(t, s, "user with a cleared profile", full, &g)
}

// testProfileEmptyLists checks that an empty list in a profile is stored
// as no list and read back as nil, as every list the stores keep as JSON
// (a group's permissions, an account's allowed addresses).
func testProfileEmptyLists(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := user("empty lists")
	u.Profile = directory.Profile{Title: "t", Emails: []directory.Contact{}, PhoneNumbers: []directory.Contact{},
		Addresses: []directory.Address{}}
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &u) })
	u.Profile.Emails, u.Profile.PhoneNumbers, u.Profile.Addresses = nil, nil, nil
	readUser(t, s, "user with empty profile lists", u, nil)

	// Empty lists and nothing else are the zero profile.
	u.Profile = directory.Profile{Emails: []directory.Contact{}}
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &u) })
	u.Profile = directory.Profile{}
	readUser(t, s, "user with only an empty list", u, nil)
}

// testProfileUnicode checks that profile text outside ASCII, and the
// characters JSON escapes, read back byte for byte. (NUL, which
// PostgreSQL's text cannot hold, never gets here: the directory refuses it
// in a profile as in every other field.)
func testProfileUnicode(t *testing.T, open Opener) {
	s := openStore(t, open)
	texts := []string{
		"Zoë Ångström", "日本語のテキスト", "مرحبا بالعالم", "😀👩🏽‍💻🏳️‍🌈", "e\u0301 and \u00e9",
		"line\u2028separator\u2029paragraph", "\ufeffBOM and \U0010FFFF", `quotes " and \ backslash`,
		"<script>&amp;</script>", "tab\tnew\nline\rreturn\u007f", "\u00a0non-breaking\u200bzero-width",
		strings.Repeat("ß", directory.MaxProfileText),
	}
	u := user("unicode")
	u.Profile = directory.Profile{NameFormatted: texts[0], MiddleName: texts[1], NickName: texts[2], Title: texts[3],
		UserType: texts[4], Timezone: texts[5], ProfileURL: texts[6], HonorificPrefix: texts[7],
		HonorificSuffix: texts[8], PreferredLanguage: texts[9],
		Enterprise: directory.Enterprise{Department: texts[10], Organization: texts[11]}}
	for _, text := range texts {
		u.Profile.Emails = append(u.Profile.Emails, directory.Contact{Value: text, Display: text})
		u.Profile.Addresses = append(u.Profile.Addresses, directory.Address{Formatted: text, Country: text})
	}
	if err := (directory.UserChange{Profile: directory.To(u.Profile)}).Validate().Err(); err != nil {
		t.Fatalf("the directory refuses the test's profile: %v", err)
	}
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &u) })
	readUser(t, s, "user with a unicode profile", u, nil)
	u.Profile.Emails, u.Profile.Title = u.Profile.Emails[3:4], texts[1]
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &u) })
	readUser(t, s, "user with an updated unicode profile", u, nil)
}
