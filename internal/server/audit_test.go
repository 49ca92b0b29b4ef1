package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// forbiddenAuditNames are names a secret would go by in an audit record.
var forbiddenAuditNames = []string{"password", "password_hash", "secret", "secret_hash", "client_secret", "key", "key_hash",
	"bind_password", "signing_key", "session", "session_id", "id_hash"}

var auditName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// auditNames checks every object key in v, at any depth: snake_case, as
// the record types name them, and never a secret's name.
func auditNames(t *testing.T, where string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if !auditName.MatchString(k) || slices.Contains(forbiddenAuditNames, k) {
				t.Errorf("%s: field %q", where, k)
			}
			auditNames(t, where, x)
		}
	case []any:
		for _, x := range v {
			auditNames(t, where, x)
		}
	}
}

// Every kind of resource, created and changed with its secrets set, leaves
// audit events that hold none of them, nor any hash or key, and whose
// records are the audit types (snake_case names), not the domain structs.
func TestAuditEventsHoldNoSecrets(t *testing.T) {
	h, logs := newHygiene(t)
	s := h.s
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	svc := s.Service()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	h.secret("bootstrap client secret", "test-admin-secret-0123456789abcdef-0123456789")

	// Users with passwords: created, re-passworded, quarantined, moved
	// between groups, deleted.
	pwd := h.secret("user password", "Audit-passw0rd-juniper-signal-6021")
	u, err := svc.CreateUser(ctx, directory.NewUser{Source: directory.SourceLocal, UserChange: directory.UserChange{
		Username: directory.To("audited"), DisplayName: directory.To("Audited"), Password: directory.To(pwd)}})
	must(err)
	pwd2 := h.secret("user's new password", "Audit-passw0rd-juniper-signal-6022")
	_, err = svc.UpdateUser(ctx, u.ID, directory.UserChange{Password: directory.To(pwd2)}, 0)
	must(err)
	g, err := svc.CreateGroup(ctx, directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("auditors"),
		Permissions: directory.To([]directory.GroupPermission{{PermissionID: directory.PermUserAccounts, Level: directory.LevelReadWrite}})}})
	must(err)
	_, err = svc.UpdateUserAndGroups(ctx, u.ID, directory.UserChange{}, directory.To([]int64{g.ID}), 0)
	must(err)
	must(svc.ChangeUserGroups(ctx, u.ID, nil, []int64{g.ID}))
	_, err = svc.UpdateGroupAndMembers(ctx, g.ID, directory.GroupChange{Description: directory.To("who audits")},
		directory.MembersChange{Remove: []int64{u.ID}}, 0)
	must(err)
	_, err = svc.AddMember(ctx, g.ID, directory.MemberInput{SecurityProviderID: directory.LocalProviderID, UserID: u.ID})
	must(err)
	_, err = svc.QuarantineUser(ctx, u.ID)
	must(err)
	stored, err := s.Store().User(ctx, u.ID)
	must(err)
	h.secret("password hash", stored.PasswordHash)

	// An application user, its client secret recycled.
	app, appSecret, err := svc.CreateApplicationUser(ctx, directory.UserChange{Username: directory.To("audit-app"), AccessPolicyID: directory.To(int64(1))})
	must(err)
	h.secret("application client secret", appSecret)
	_, recycled, err := svc.RecycleClientSecret(ctx, app.ID)
	must(err)
	h.secret("recycled client secret", recycled)
	storedApp, err := s.Store().User(ctx, app.ID)
	must(err)
	h.secret("application secret hash", string(storedApp.SecretHash))

	// API accounts: created, rotated, disabled, ensured with a fixed secret.
	acct, acctSecret, err := svc.CreateAPIAccount(ctx, directory.NewAPIAccount{Name: "audit-acct", Perms: directory.FullPermissions()})
	must(err)
	h.secret("API account secret", acctSecret)
	_, rotated, err := svc.RotateSecret(ctx, acct.ID)
	must(err)
	h.secret("rotated API account secret", rotated)
	_, err = svc.SetAPIAccountEnabled(ctx, acct.ID, false)
	must(err)
	fixed := h.secret("fixed API account secret", "Audit-fixed-secret-0123456789abcdef-42")
	_, err = svc.EnsureAPIAccount(ctx, directory.NewAPIAccount{Name: "audit-ci", ClientID: "audit-ci", Secret: fixed, Perms: directory.FullPermissions()})
	must(err)
	storedAcct, err := s.Store().APIAccount(ctx, acct.ID)
	must(err)
	h.secret("API account secret hash", string(storedAcct.SecretHash))

	// API registrations: created, key rotated, deleted.
	reg, key, err := svc.CreateAPIRegistration(ctx, directory.NewAPIRegistration{Name: "audit-reg"})
	must(err)
	h.secret("API registration key", key)
	storedReg, err := svc.APIRegistration(ctx, reg.ID)
	must(err)
	h.secret("API registration key hash", string(storedReg.KeyHash))
	_, key2, err := svc.RotateRegistrationKey(ctx, reg.ID)
	must(err)
	h.secret("rotated API registration key", key2)
	must(svc.DeleteAPIRegistration(ctx, reg.ID))

	// An LDAP directory with a bind password.
	bind := h.secret("bind password", "Audit-bind-passw0rd-glacier-8842")
	_, err = svc.CreateDirectoryProvider(ctx, "Audit LDAP", directory.DirectorySettings{Kind: directory.SourceLDAP,
		Host: "ldap.audit.example", BaseDN: "dc=audit,dc=example", BindUser: "cn=admin,dc=audit,dc=example", BindPassword: bind})
	must(err)

	// Teams, team users and a secret, so every record type is written.
	team, err := svc.CreateTeam(ctx, directory.TeamChange{Name: directory.To("audit team"), CodeName: directory.To("audit_team")})
	must(err)
	_, err = svc.AddTeamUser(ctx, directory.TeamUser{TeamID: team.ID, UserID: app.ID, Role: directory.RoleMember})
	must(err)
	_, err = svc.CreateSecret(ctx, "audit secret", []int64{app.ID})
	must(err)

	// A session, signed in with the application user's token.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {storedApp.ClientID}, "client_secret": {recycled}}
	r := h.must(http.StatusOK, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/connect/token", "", form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	appTok := h.secret("application token", r.Object(t)["access_token"].(string))
	h.allow(appTok)
	r = h.must(http.StatusOK, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/SignAppIn", "Bearer "+appTok, "")
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		h.allow(h.secret("session cookie", c.Value))
	}

	// Signing keys, rotated in the database.
	_, err = auth.RotateDatabaseKey(ctx, s.Store(), time.Now(), 0, auth.DefaultTokenTTL)
	must(err)
	keys, err := s.Store().SigningKeys(ctx)
	must(err)
	for i, k := range keys {
		h.secret("signing key "+strconv.Itoa(i), string(k.Key))
	}

	events, err := s.Store().Events(ctx, directory.Query{Limit: directory.MaxPageSize})
	must(err)
	actions := map[string]bool{}
	for _, e := range events.Items {
		actions[e.Action] = true
		for _, side := range []json.RawMessage{e.Before, e.After} {
			if side == nil {
				continue
			}
			var v any
			if err := json.Unmarshal(side, &v); err != nil {
				t.Fatalf("event %d %s: %v", e.ID, e.Action, err)
			}
			auditNames(t, "event "+e.Action, v)
		}
	}
	for _, a := range []string{"user.create", "user.update", "user.quarantine", "user.group_policies.change", "user.recycle_client_secret",
		"group.create", "group.update_members", "group.member.add", "api_account.create", "api_account.rotate_secret",
		"api_account.disable", "api_registration.create", "api_registration.rotate_key", "api_registration.delete",
		"security_provider.create", "team.create", "team.user.add", "secret.create"} {
		if !actions[a] {
			t.Errorf("no %s event was written", a)
		}
	}
	h.finish(logs)
}
