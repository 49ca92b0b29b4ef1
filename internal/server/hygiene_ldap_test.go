package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/ldaptest"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// newHygiene starts a server whose every log line, at debug level, is
// kept for the search.
func newHygiene(t *testing.T) (*hygiene, *syncBuffer) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := testserver.New(t, testserver.WithLogger(logger))
	return &hygiene{t: t, s: s, secrets: map[string]string{}}, logs
}

// finish adds the audit events and the whole log to what was seen, and
// searches it all.
func (h *hygiene) finish(logs *syncBuffer) {
	t := h.t
	t.Helper()
	events, err := h.s.Store().Events(context.Background(), directory.Query{Limit: directory.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(events.Items) == 0 {
		t.Fatal("no audit events were written")
	}
	for _, e := range events.Items {
		b, _ := json.Marshal(e)
		h.seen = append(h.seen, exposure{where: fmt.Sprintf("audit event %d %s", e.ID, e.Action), data: b})
	}
	h.s.Restart(t) // flushes anything logged on the way out
	h.seen = append(h.seen, exposure{where: "server log", data: logs.Bytes()})
	if !bytes.Contains(logs.Bytes(), []byte(`"msg":"request"`)) {
		t.Fatalf("the log captured no access log line: %.500s", logs.Bytes())
	}
	h.check()
}

// Directory credentials leak nowhere either: a provider's stored bind
// password, one a request brings for its own look-up, a wrong one, and a
// directory user's password at a PS-Auth sign-in.
func TestNoDirectorySecretLeaks(t *testing.T) {
	ldap := ldaptest.Start(t)
	userPwd := "Ldap-passw0rd-birch-signal-6620"
	ldap.AddPerson(t, ldaptest.Person{UID: "jdoe", GivenName: "John", Surname: "Doe", Mail: "jdoe@example.com",
		Password: userPwd, SAMAccountName: "jdoe"})
	h, logs := newHygiene(t)
	h.secret("directory user's password", userPwd)
	h.secret("LDAP administrator's password", ldaptest.AdminPassword)
	h.secret("bootstrap client secret", testserver.AdminSecret)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	svc := h.s.Service()
	admin := "Bearer " + h.s.AdminToken(t)
	const bi = "/BeyondTrust/api/public/v3"

	stored, err := svc.CreateDirectoryProvider(ctx, "Stored AD", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
		Domain: "stored.example", Host: "127.0.0.1", Port: ldap.Port, BaseDN: ldap.BaseDN, AccountAttribute: "sAMAccountName",
		BindUser: ldap.AdminDN, BindPassword: ldaptest.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateDirectoryProvider(ctx, "Corp AD", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
		Domain: "corp.example", Host: "127.0.0.1", Port: ldap.Port, BaseDN: ldap.BaseDN, AccountAttribute: "sAMAccountName"}); err != nil {
		t.Fatal(err)
	}
	wrong := h.secret("a wrong bind password", "Wrong-bind-passw0rd-tundra-3318")
	h.do(http.MethodPost, bi+"/Users", admin, `{"UserType":"ActiveDirectory","UserName":"jdoe","DomainName":"corp.example",`+
		`"ForestName":"corp.example","BindUser":"`+ldap.AdminDN+`","BindPassword":"`+wrong+`"}`, nil)
	h.must(http.StatusOK, http.MethodPost, bi+"/Users", admin, `{"UserType":"ActiveDirectory","UserName":"jdoe","DomainName":"corp.example",`+
		`"ForestName":"corp.example","BindUser":"`+ldap.AdminDN+`","BindPassword":"`+ldaptest.AdminPassword+`"}`)
	r := h.must(http.StatusOK, http.MethodPost, bi+"/Users", admin, `{"UserType":"ActiveDirectory","UserName":"jdoe","DomainName":"stored.example"}`)
	userID := strconv.FormatInt(int64(r.Object(t)["UserID"].(float64)), 10)
	h.must(http.StatusOK, http.MethodGet, "/api/config/v1/security-provider", admin, "")
	h.must(http.StatusOK, http.MethodGet, "/api/config/v1/security-provider/"+strconv.FormatInt(stored.ID, 10), admin, "")

	reg, key, err := svc.CreateAPIRegistration(ctx, directory.NewAPIRegistration{Name: "scripts", UserPasswordRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	h.secret("API registration key", key)
	r = h.must(http.StatusCreated, http.MethodPost, bi+"/UserGroups", admin, `{"groupType":"BeyondInsight","groupName":"dir",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":1}],"ApplicationRegistrationIDs":[`+strconv.FormatInt(reg.ID, 10)+`]}`)
	groupID := strconv.FormatInt(int64(r.Object(t)["GroupID"].(float64)), 10)
	h.must(http.StatusCreated, http.MethodPost, bi+"/Users/"+userID+"/UserGroups/"+groupID, admin, "")
	r = h.must(http.StatusOK, http.MethodPost, bi+"/Auth/SignAppIn", "PS-Auth key="+key+`; runas=stored.example\jdoe; pwd=[`+userPwd+"];", "")
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		h.allow(h.secret("session cookie", c.Value))
	}
	h.do(http.MethodPost, bi+"/Auth/SignAppIn", "PS-Auth key="+key+`; runas=stored.example\jdoe; pwd=[`+wrong+"];", "", nil)
	h.finish(logs)
}
