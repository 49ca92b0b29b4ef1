package insight_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/ldaptest"
)

// jsonBody renders v as a request body.
func jsonBody(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// TestDirectoryUsers creates Active Directory and LDAP users against one
// real slapd, shared by the subtests.
func TestDirectoryUsers(t *testing.T) {
	began := time.Now()
	s := ldaptest.Start(t)
	t.Logf("slapd started in %v", time.Since(began))
	jdoeDN := s.AddPerson(t, ldaptest.Person{UID: "jdoe", GivenName: "John", Surname: "Doe", Mail: "john.doe@example.com",
		Password: "jdoe password", SAMAccountName: "jdoe", UPN: "jdoe@corp.example"})
	s.AddPerson(t, ldaptest.Person{UID: "asmith", GivenName: "Alice", Surname: "Smith", Mail: "alice@example.com",
		Password: "asmith password", SAMAccountName: "asmith"})
	plainDN := s.AddPerson(t, ldaptest.Person{UID: "plain", GivenName: "Pat", Surname: "Plain", Mail: "pat@example.com",
		Password: "plain password"})
	down := closedPort(t)

	// corp.example is configured without stored credentials: a caller must
	// bring its own, which bind against the configured host.
	corpDirectory := func(e *env) directory.SecurityProvider {
		p, err := e.Service().CreateDirectoryProvider(cli, "Corp AD", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
			Domain: "corp.example", Host: "127.0.0.1", Port: s.Port, BaseDN: s.BaseDN, AccountAttribute: "sAMAccountName"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// stored.example is configured with stored credentials.
	storedDirectory := func(e *env, password string) directory.SecurityProvider {
		p, err := e.Service().CreateDirectoryProvider(cli, "Stored AD", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
			Domain: "stored.example", Host: "127.0.0.1", Port: s.Port, BaseDN: s.BaseDN, AccountAttribute: "sAMAccountName",
			BindUser: s.AdminDN, BindPassword: password})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	adUser := func(name, domain string, extra map[string]any) map[string]any {
		m := map[string]any{"UserType": "ActiveDirectory", "UserName": name, "DomainName": domain}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	withBind := map[string]any{"ForestName": "corp.example", "BindUser": s.AdminDN, "BindPassword": s.AdminPassword}

	t.Run("ActiveDirectory with bind user", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		p := corpDirectory(e)
		got := want(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("jdoe", "corp.example", withBind))), http.StatusOK).Object(t)
		wantKeys(t, got, userKeys)
		wantFields(t, got, map[string]any{"UserType": "ActiveDirectory", "UserName": `corp.example\jdoe`, "DomainName": "corp.example",
			"DistinguishedName": jdoeDN, "FirstName": "John", "LastName": "Doe", "EmailAddress": "john.doe@example.com",
			"IsQuarantined": false, "LastLoginDate": nil})
		id := idOf(t, got, "UserID")
		u := e.stored(id)
		if u.SecurityProviderID != p.ID || u.Source != directory.SourceActiveDirectory || u.PasswordHash != "" {
			t.Errorf("stored as %+v, want a user of provider %d", u, p.ID)
		}
		// The given credentials were used for the look-up, not stored.
		if sp, err := e.Service().SecurityProvider(cli, p.ID); err != nil || sp.Directory.BindUser != "" {
			t.Errorf("provider after create: %+v %v", sp.Directory, err)
		}
		// A directory user's password is the directory's.
		if ok, err := e.Service().CheckPassword(cli, u, "jdoe password"); err != nil || !ok {
			t.Errorf("CheckPassword with the directory password: %v %v", ok, err)
		}

		got = want(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK).Object(t)
		wantFields(t, got, map[string]any{"UserName": `corp.example\jdoe`, "DistinguishedName": jdoeDN})

		// The PRA face shows the same user, of the directory's provider.
		pra := want(t, e.Do(t, http.MethodGet, "/api/config/v1/user/"+itoa(id), e.AdminToken(t), ""), http.StatusOK).Object(t)
		wantFields(t, pra, map[string]any{"id": float64(id), "username": `corp.example\jdoe`, "security_provider_id": float64(p.ID),
			"email_address": "john.doe@example.com"})
		providers := want(t, e.Do(t, http.MethodGet, "/api/config/v1/security-provider", e.AdminToken(t), ""), http.StatusOK).Array(t)
		found := false
		for _, sp := range providers {
			if sp["id"] == float64(p.ID) {
				found = true
				wantFields(t, sp, map[string]any{"type": "ldap", "name": "Corp AD", "enabled": true})
			}
		}
		if !found {
			t.Errorf("provider %d not listed: %v", p.ID, providers)
		}

		// Directory users are managed in their directory.
		wantError(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"x","FirstName":"X","EmailAddress":"x@example.com"}`),
			http.StatusBadRequest, "Cannot update ActiveDirectory or LDAP users.")
		if e.stored(id).Username != `corp.example\jdoe` {
			t.Error("a refused PUT changed the user")
		}

		// The same account again is a conflict.
		wantError(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("JDOE", "corp.example", withBind))), http.StatusConflict,
			"UserName has already been taken")

		// Other failures, each a 400 naming what to fix.
		for _, c := range []struct {
			name string
			body map[string]any
			msg  string
		}{
			{"wrong bind password", adUser("jdoe", "corp.example", map[string]any{"ForestName": "corp.example", "BindUser": s.AdminDN,
				"BindPassword": "wrong"}), "BindUser and bind password were refused by the directory"},
			{"unknown bind user", adUser("jdoe", "corp.example", map[string]any{"ForestName": "corp.example",
				"BindUser": "cn=nobody," + s.BaseDN, "BindPassword": "x"}), "BindUser and bind password were refused by the directory"},
			{"account not in the directory", adUser("nobody", "corp.example", withBind), "UserName was not found in the directory"},
			{"bind user without password", adUser("jdoe", "corp.example", map[string]any{"ForestName": "corp.example", "BindUser": s.AdminDN}),
				"BindPassword is required when a bind user is given"},
			{"bind user without forest", adUser("jdoe", "corp.example", map[string]any{"BindUser": s.AdminDN, "BindPassword": s.AdminPassword}),
				"ForestName is required when a bind user is given"},
			{"no credentials, none stored", adUser("jdoe", "corp.example", nil),
				"BindUser is required: no directory with stored credentials is configured for corp.example"},
			{"no directory configured", adUser("jdoe", "other.example", nil),
				"BindUser is required: no directory with stored credentials is configured for other.example"},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantError(t, e.do(http.MethodPost, "/Users", jsonBody(t, c.body)), http.StatusBadRequest, c.msg)
			})
		}
	})

	t.Run("ActiveDirectory with stored credentials", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		p := storedDirectory(e, s.AdminPassword)
		got := want(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("asmith", "STORED.example", nil))), http.StatusOK).Object(t)
		wantFields(t, got, map[string]any{"UserType": "ActiveDirectory", "UserName": `stored.example\asmith`, "DomainName": "stored.example",
			"FirstName": "Alice", "LastName": "Smith", "EmailAddress": "alice@example.com"})
		if e.stored(idOf(t, got, "UserID")).SecurityProviderID != p.ID {
			t.Error("not a user of the configured directory")
		}
		wantError(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("plain", "stored.example", nil))), http.StatusBadRequest,
			"UserName was not found in the directory")

		// Stored credentials the directory refuses are the administrator's
		// to fix.
		e2 := newEnv(t)
		storedDirectory(e2, "stale password")
		wantError(t, e2.do(http.MethodPost, "/Users", jsonBody(t, adUser("asmith", "stored.example", nil))), http.StatusBadRequest,
			"DomainName names a directory whose stored credentials were refused; an administrator must update them")
		// A configured directory that is down.
		if _, err := e2.Service().CreateDirectoryProvider(cli, "Down", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
			Domain: "down.example", Host: "127.0.0.1", Port: down, BindUser: "cn=x", BindPassword: "x"}); err != nil {
			t.Fatal(err)
		}
		wantError(t, e2.do(http.MethodPost, "/Users", jsonBody(t, adUser("asmith", "down.example", nil))), http.StatusBadRequest,
			"DomainName names a directory that could not be reached")
		if list := want(t, e2.do(http.MethodGet, "/Users", ""), http.StatusOK).Array(t); len(list) != 0 {
			t.Errorf("failed creates left users %v", list)
		}
	})

	t.Run("LdapDirectory", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		body := map[string]any{"UserType": "LdapDirectory", "HostName": "127.0.0.1", "Port": s.Port, "DistinguishedName": plainDN,
			"AccountNameAttribute": "uid", "BindUser": s.AdminDN, "BindPassword": s.AdminPassword, "UseSSL": false}
		got := want(t, e.do(http.MethodPost, "/Users", jsonBody(t, body)), http.StatusOK).Object(t)
		wantKeys(t, got, userKeys)
		wantFields(t, got, map[string]any{"UserType": "LdapDirectory", "UserName": `example.com\plain`, "DomainName": "example.com",
			"DistinguishedName": plainDN, "FirstName": "Pat", "LastName": "Plain", "EmailAddress": "pat@example.com"})
		id := idOf(t, got, "UserID")
		u := e.stored(id)
		if u.Source != directory.SourceLDAP || u.SecurityProviderID == directory.LocalProviderID {
			t.Fatalf("stored as %+v", u)
		}
		// The directory got an ldap security provider of its own, without
		// the credentials given, that the PRA face lists and names.
		sp, err := e.Service().SecurityProvider(cli, u.SecurityProviderID)
		if err != nil || sp.Type != directory.ProviderLDAP || sp.Directory == nil || sp.Directory.BindUser != "" ||
			sp.Directory.Host != "127.0.0.1" || sp.Directory.Port != s.Port {
			t.Errorf("provider %+v %+v %v", sp, sp.Directory, err)
		}
		pra := want(t, e.Do(t, http.MethodGet, "/api/config/v1/user/"+itoa(id), e.AdminToken(t), ""), http.StatusOK).Object(t)
		wantFields(t, pra, map[string]any{"username": `example.com\plain`, "security_provider_id": float64(u.SecurityProviderID)})
		listed := want(t, e.Do(t, http.MethodGet, "/api/config/v1/security-provider/"+itoa(u.SecurityProviderID), e.AdminToken(t), ""),
			http.StatusOK).Object(t)
		wantFields(t, listed, map[string]any{"type": "ldap", "name": "example.com"})
		providers := want(t, e.Do(t, http.MethodGet, "/api/config/v1/security-provider", e.AdminToken(t), ""), http.StatusOK).Array(t)
		if len(providers) != 2 || providers[1]["id"] != float64(u.SecurityProviderID) {
			t.Errorf("providers %v", providers)
		}

		// Both the user and the provider made for it are audited as the
		// caller's.
		accounts, err := e.Service().APIAccounts(cli, directory.Query{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		admin := directory.Actor{Kind: directory.ActorAPIAccount, ID: accounts.Items[0].ID, Name: accounts.Items[0].Name}.String()
		e.wantEvent("user.create", id, admin)
		e.wantEvent("security_provider.create", u.SecurityProviderID, admin)

		// A second user of the same host shares the provider.
		body["DistinguishedName"] = jdoeDN
		second := want(t, e.do(http.MethodPost, "/Users", jsonBody(t, body)), http.StatusOK).Object(t)
		if e.stored(idOf(t, second, "UserID")).SecurityProviderID != u.SecurityProviderID {
			t.Error("a second user of the directory got another provider")
		}
		wantError(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"x","FirstName":"X","EmailAddress":"x@example.com"}`),
			http.StatusBadRequest, "Cannot update ActiveDirectory or LDAP users.")

		ldap := func(change map[string]any) string {
			m := map[string]any{"UserType": "LdapDirectory", "HostName": "127.0.0.1", "Port": s.Port, "DistinguishedName": plainDN,
				"AccountNameAttribute": "uid", "BindUser": s.AdminDN, "BindPassword": s.AdminPassword}
			for k, v := range change {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return jsonBody(t, m)
		}
		for _, c := range []struct {
			name   string
			body   string
			status int
			msg    string
		}{
			{"again", ldap(nil), http.StatusConflict, "UserName has already been taken"},
			{"wrong bind password", ldap(map[string]any{"BindPassword": "wrong"}), http.StatusBadRequest,
				"BindUser and bind password were refused by the directory"},
			{"no such entry", ldap(map[string]any{"DistinguishedName": "uid=nobody,ou=people," + s.BaseDN}), http.StatusBadRequest,
				"DistinguishedName was not found in the directory"},
			{"entry without the attribute", ldap(map[string]any{"AccountNameAttribute": "sAMAccountName"}), http.StatusBadRequest,
				"AccountNameAttribute names an attribute the directory entry does not have"},
			{"unreachable port", ldap(map[string]any{"Port": down}), http.StatusBadRequest,
				"HostName names a directory that could not be reached"},
			{"bind user without password", ldap(map[string]any{"BindPassword": nil}), http.StatusBadRequest,
				"BindPassword is required when a bind user is given"},
			{"no credentials", ldap(map[string]any{"BindUser": nil, "BindPassword": nil}), http.StatusBadRequest,
				"BindUser is required: no directory with stored credentials is configured for 127.0.0.1"},
			{"bad attribute name", ldap(map[string]any{"AccountNameAttribute": "(uid)"}), http.StatusBadRequest,
				"AccountNameAttribute must be an LDAP attribute name"},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantError(t, e.do(http.MethodPost, "/Users", c.body), c.status, c.msg)
			})
		}
	})

	// GET Users?username= in its three forms.
	t.Run("by name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		corpDirectory(e)
		// A local user named as the directory user's principal name,
		// created first.
		upnLocal := idOf(t, e.createLocal(`{"UserName":"jdoe@corp.example","FirstName":"J","EmailAddress":"j@example.com","Password":"correct horse"}`), "UserID")
		ad := idOf(t, want(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("jdoe", "corp.example", withBind))), http.StatusOK).Object(t), "UserID")
		local := idOf(t, e.createLocal(`{"UserName":"jdoe","FirstName":"J","EmailAddress":"jdoe@example.com","Password":"correct horse"}`), "UserID")
		mailLocal := idOf(t, e.createLocal(`{"UserName":"kim@example.org","FirstName":"K","EmailAddress":"kim@example.org","Password":"correct horse"}`), "UserID")

		for _, c := range []struct {
			name string
			id   int64
		}{
			{"jdoe", local},                // a plain name finds only non-directory users
			{`corp.example\jdoe`, ad},      // domain\name finds the directory user
			{`CORP.EXAMPLE\JDOE`, ad},      // in any case
			{"jdoe@corp.example", ad},      // a principal name finds the directory user first
			{"JDoe@Corp.Example", ad},      //
			{"kim@example.org", mailLocal}, // or else a user named by that address
			{"JDOE", local},
		} {
			got := want(t, e.do(http.MethodGet, "/Users?username="+url.QueryEscape(c.name), ""), http.StatusOK).Object(t)
			if got["UserID"] != float64(c.id) {
				t.Errorf("?username=%s found %v (%v), want user %d", c.name, got["UserID"], got["UserName"], c.id)
			}
		}
		for _, name := range []string{`corp.example\nobody`, "nobody@corp.example", `other.example\jdoe`, "asmith"} {
			wantError(t, e.do(http.MethodGet, "/Users?username="+url.QueryEscape(name), ""), http.StatusNotFound, msgUserNotFound)
		}
		// Without the directory user, the principal name finds the local
		// user of that name.
		want(t, e.do(http.MethodDelete, "/Users/"+itoa(ad), ""), http.StatusOK)
		got := want(t, e.do(http.MethodGet, "/Users?username=jdoe@corp.example", ""), http.StatusOK).Object(t)
		if got["UserID"] != float64(upnLocal) {
			t.Errorf("?username=jdoe@corp.example found %v, want %d", got, upnLocal)
		}
		// The list shows every type.
		list := want(t, e.do(http.MethodGet, "/Users", ""), http.StatusOK).Array(t)
		if len(list) != 3 {
			t.Errorf("users %v", list)
		}
	})

	// A directory user signs in with a PS-Auth key and its directory
	// password, found by its domain\name.
	t.Run("directory user signs in", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		corpDirectory(e)
		regID, key := e.registration("scripts", true)
		gid := e.group("readers", 1, 0, regID)
		id := idOf(t, want(t, e.do(http.MethodPost, "/Users", jsonBody(t, adUser("jdoe", "corp.example", withBind))), http.StatusOK).Object(t), "UserID")
		e.join(id, gid)
		want(t, e.as(psAuthPwd(key, `corp.example\jdoe`, "jdoe password"), http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK)
		want(t, e.as(psAuthPwd(key, "jdoe@corp.example", "jdoe password"), http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK)
		wantError(t, e.as(psAuthPwd(key, `corp.example\jdoe`, "wrong"), http.MethodGet, "/Users", ""), http.StatusUnauthorized,
			"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
		g := want(t, e.do(http.MethodGet, "/Users/"+itoa(id)+"/UserGroups", ""), http.StatusOK).Array(t)
		if len(g) != 1 || g[0]["GroupID"] != float64(gid) {
			t.Errorf("groups %v", g)
		}
		wantError(t, e.do(http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""), http.StatusForbidden,
			"Only application users have a client secret.")
	})
}
