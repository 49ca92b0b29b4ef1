package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.buf.Bytes())
}

// exposure is one place that a client or an operator can read: a
// response's headers or body, the log, an audit event. allowed are the
// secrets it exists to hand out (the response that issues a token holds
// that token).
type exposure struct {
	where   string
	data    []byte
	allowed []string
}

// hygiene drives a server and keeps everything it exposes.
type hygiene struct {
	t       *testing.T
	s       *testserver.Server
	seen    []exposure
	secrets map[string]string // value -> what it is
}

func (h *hygiene) secret(what, v string) string {
	h.secrets[v] = what
	return v
}

// do sends a request and keeps its response; allowed secrets may appear in
// it.
func (h *hygiene) do(method, path, authorization, body string, allowed []string, header ...string) *testserver.Response {
	h.t.Helper()
	if authorization != "" {
		header = append(header, "Authorization", authorization)
	}
	if body != "" && !slices.Contains(header, "Content-Type") {
		header = append(header, "Content-Type", "application/json")
	}
	r := h.s.Do(h.t, method, path, "", body, header...)
	where := method + " " + path + " (" + strconv.Itoa(r.Status) + ")"
	var hdr bytes.Buffer
	_ = r.Header.Write(&hdr)
	h.seen = append(h.seen, exposure{where + " headers", hdr.Bytes(), allowed}, exposure{where + " body", r.Body, allowed})
	return r
}

// allow lets the last response hold the secrets it hands out.
func (h *hygiene) allow(secrets ...string) {
	for i := len(h.seen) - 2; i < len(h.seen); i++ {
		h.seen[i].allowed = secrets
	}
}

// must is do that fails the test unless the status is want.
func (h *hygiene) must(want int, method, path, authorization, body string, header ...string) *testserver.Response {
	h.t.Helper()
	r := h.do(method, path, authorization, body, nil, header...)
	if r.Status != want {
		h.t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	return r
}

// encodings are the forms a secret could leak in: itself, base64 and hex
// of it, URL and JSON escaped, and its stored SHA-256 hash.
func encodings(v string) map[string]string {
	sum := directory.HashSecret(v)
	js, _ := json.Marshal(v)
	return map[string]string{
		"raw":                 v,
		"base64":              base64.StdEncoding.EncodeToString([]byte(v)),
		"base64url":           base64.RawURLEncoding.EncodeToString([]byte(v)),
		"hex":                 hex.EncodeToString([]byte(v)),
		"url-escaped":         url.QueryEscape(v),
		"json-escaped":        string(js[1 : len(js)-1]),
		"sha256 hex":          hex.EncodeToString(sum),
		"sha256 base64":       base64.StdEncoding.EncodeToString(sum),
		"sha256 base64url":    base64.RawURLEncoding.EncodeToString(sum),
		"sha256 HEX":          strings.ToUpper(hex.EncodeToString(sum)),
		"base64 (no padding)": base64.RawStdEncoding.EncodeToString([]byte(v)),
	}
}

// A realistic session on every face (API accounts and their tokens, users
// with passwords, application users and their client secrets, API
// registrations and PS-Auth sign-ins, a SCIM token as `gatehouse
// scim-token` makes it, refused credentials) leaves no secret, password,
// key or token in any log line, response or audit event, in any obvious
// encoding, except in the one response that hands it out.
func TestNoSecretLeaksAnywhere(t *testing.T) {
	h, logs := newHygiene(t)
	s := h.s
	h.secret("bootstrap client secret", testserver.AdminSecret)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	svc := s.Service()

	token := func(path, clientID, secret, scope string) string {
		t.Helper()
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
		if scope != "" {
			form.Set("scope", scope)
		}
		r := h.do(http.MethodPost, path, "", form.Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
		if r.Status != http.StatusOK {
			t.Fatalf("token from %s: %d %s", path, r.Status, r.Body)
		}
		tok := h.secret("token of "+clientID, r.Object(t)["access_token"].(string))
		h.allow(tok)
		return tok
	}
	admin := "Bearer " + token("/oauth2/token", testserver.AdminClientID, testserver.AdminSecret, "")

	// API accounts: created, used, refused with a wrong secret, rotated.
	acct, secret, err := svc.CreateAPIAccount(ctx, directory.NewAPIAccount{Name: "automation", Perms: directory.FullPermissions()})
	if err != nil {
		t.Fatal(err)
	}
	h.secret("API account secret", secret)
	full := "Bearer " + token("/oauth2/token", acct.ClientID, secret, "")
	token("/oauth2/token", acct.ClientID, secret, "read_only")
	wrong := h.secret("a wrong client secret", "Wr0ng-but-plausible-secret-8f3a9c2e71d4")
	h.do(http.MethodPost, "/oauth2/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {acct.ClientID},
		"client_secret": {wrong}}.Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
	h.do(http.MethodPost, "/oauth2/token?client_secret="+url.QueryEscape(wrong), "", "", nil)
	h.do(http.MethodGet, "/api/config/v1/user", "Bearer "+wrong, "", nil)
	_, rotated, err := svc.RotateSecret(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.secret("rotated API account secret", rotated)
	full = "Bearer " + token("/oauth2/token", acct.ClientID, rotated, "")
	h.must(http.StatusOK, http.MethodGet, "/api/config/v1/api-account", full, "")

	// PRA and public v3 users with passwords, read back and refused.
	praPwd := h.secret("PRA user password", "Pra-passw0rd-violet-anchor-1942")
	r := h.must(http.StatusCreated, http.MethodPost, "/api/config/v1/user", full,
		`{"username":"hyg-pra","public_display_name":"P","password":"`+praPwd+`"}`)
	praID := strconv.FormatInt(int64(r.Object(t)["id"].(float64)), 10)
	h.must(http.StatusOK, http.MethodGet, "/api/config/v1/user/"+praID, full, "")
	h.must(http.StatusOK, http.MethodPatch, "/api/config/v1/user/"+praID, full, `{"password":"`+praPwd+`-2"}`)
	h.secret("PRA user's new password", praPwd+"-2")
	h.do(http.MethodPost, "/api/config/v1/user", full, `{"username":"","password":"`+praPwd+`","bogus":"`+praPwd+`"}`, nil)
	h.must(http.StatusOK, http.MethodGet, "/api/config/v1/user?username=hyg-pra", full, "")

	pubPwd := h.secret("public v3 user password", "Pub-passw0rd-copper-meadow-5511")
	r = h.must(http.StatusCreated, http.MethodPost, "/api/public/v3/users", full,
		`{"username":"hyg-pub","account_type":"local","password":"`+pubPwd+`"}`)
	pubID := strconv.FormatInt(int64(r.Object(t)["id"].(float64)), 10)
	h.must(http.StatusOK, http.MethodGet, "/api/public/v3/users/"+pubID, full, "")
	h.must(http.StatusOK, http.MethodGet, "/api/public/v3/users", full, "")
	h.do(http.MethodPost, "/api/public/v3/users", full, `{"username":"hyg-pub","account_type":"local","password":"`+pubPwd+`"}`, nil)
	h.do(http.MethodPost, "/api/public/v3/users", full, `{"username":"x","account_type":"nope","password":"`+pubPwd+`","passwrd":"`+pubPwd+`"}`, nil)

	// SCIM: a token as `gatehouse scim-token create` mints it.
	scimAcct, _, err := svc.CreateAPIAccount(ctx, directory.NewAPIAccount{Name: "scim: okta", Perms: directory.Permissions{SCIM: true}})
	if err != nil {
		t.Fatal(err)
	}
	minted, err := auth.Mint(ctx, auth.DatabaseKeys(s.Store()), svc, scimAcct.ID, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scim := "Bearer " + h.secret("minted SCIM token", minted)
	scimPwd := h.secret("SCIM user password", "Scim-passw0rd-harbor-lantern-7730")
	const userURN = "urn:ietf:params:scim:schemas:core:2.0:User"
	r = h.do(http.MethodPost, "/scim/v2/Users", scim, `{"schemas":["`+userURN+`"],"userName":"hyg-scim","password":"`+scimPwd+`"}`,
		nil, "Content-Type", "application/scim+json")
	if r.Status != http.StatusCreated {
		t.Fatalf("SCIM create: %d %s", r.Status, r.Body)
	}
	scimID := r.Object(t)["id"].(string)
	h.must(http.StatusOK, http.MethodGet, "/scim/v2/Users/"+scimID, scim, "")
	h.must(http.StatusOK, http.MethodGet, "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "hyg-scim"`), scim, "")
	h.do(http.MethodPatch, "/scim/v2/Users/"+scimID, scim, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],`+
		`"Operations":[{"op":"replace","path":"password","value":"`+scimPwd+`"}]}`, nil, "Content-Type", "application/scim+json")

	// BeyondInsight: a registration, a user who signs in with PS-Auth and
	// its password, an application user with client credentials.
	const bi = "/BeyondTrust/api/public/v3"
	reg, key, err := svc.CreateAPIRegistration(ctx, directory.NewAPIRegistration{Name: "scripts", UserPasswordRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	h.secret("API registration key", key)
	_, key2, err := svc.RotateRegistrationKey(ctx, reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	key = h.secret("rotated API registration key", key2)
	r = h.must(http.StatusCreated, http.MethodPost, bi+"/UserGroups", admin, `{"groupType":"BeyondInsight","groupName":"hyg",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":3},{"PermissionID":2,"AccessLevelID":3}],"ApplicationRegistrationIDs":[`+
		strconv.FormatInt(reg.ID, 10)+`]}`)
	groupID := strconv.FormatInt(int64(r.Object(t)["GroupID"].(float64)), 10)
	biPwd := h.secret("BeyondInsight user password", "Bi-passw0rd-quartz-ember-3307;]x")
	h.must(http.StatusCreated, http.MethodPost, bi+"/UserGroups/"+groupID+"/Users", admin,
		`{"UserName":"hyg-bi","FirstName":"B","EmailAddress":"hyg-bi@example.com","Password":`+jsonString(biPwd)+`}`)
	signIn := func(authorization string) string {
		t.Helper()
		r := h.must(http.StatusOK, http.MethodPost, bi+"/Auth/SignAppIn", authorization, "")
		for _, c := range (&http.Response{Header: r.Header}).Cookies() {
			if c.Name == "ASP.NET_SessionId" {
				h.allow(c.Value)
				return h.secret("session cookie", c.Value)
			}
		}
		t.Fatalf("SignAppIn set no cookie")
		return ""
	}
	cookie := signIn("PS-Auth key=" + key + "; runas=hyg-bi; pwd=[" + biPwd + "];")
	h.must(http.StatusOK, http.MethodGet, bi+"/Users", "", "", "Cookie", "ASP.NET_SessionId="+cookie)
	badPwd := h.secret("a wrong BeyondInsight password", "Wrong-passw0rd-saffron-orbit-4420")
	h.do(http.MethodPost, bi+"/Auth/SignAppIn", "PS-Auth key="+key+"; runas=hyg-bi; pwd=["+badPwd+"];", "", nil)
	h.do(http.MethodPost, bi+"/Auth/SignAppIn", "PS-Auth key="+wrong+"; runas=hyg-bi; pwd=["+biPwd+"];", "", nil)

	r = h.must(http.StatusOK, http.MethodPost, bi+"/Users", admin, `{"UserType":"Application","UserName":"hyg-app","AccessPolicyID":1}`)
	app := r.Object(t)
	appSecret := h.secret("application client secret", app["ClientSecret"].(string))
	h.allow(appSecret)
	appID := strconv.FormatInt(int64(app["UserID"].(float64)), 10)
	h.must(http.StatusCreated, http.MethodPost, bi+"/Users/"+appID+"/UserGroups/"+groupID, admin, "")
	appTok := token(bi+"/Auth/connect/token", app["ClientID"].(string), appSecret, "")
	appCookie := signIn("Bearer " + appTok)
	r = h.must(http.StatusOK, http.MethodPost, bi+"/Users/"+appID+"/RecycleClientSecret", "", "", "Cookie", "ASP.NET_SessionId="+appCookie)
	recycled, _ := r.JSON(t).(string)
	h.allow(h.secret("recycled client secret", recycled))
	h.do(http.MethodPost, bi+"/Auth/connect/token", "", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app["ClientID"].(string)}, "client_secret": {appSecret}}.Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
	h.must(http.StatusOK, http.MethodGet, bi+"/Users/"+appID, admin, "")
	h.must(http.StatusOK, http.MethodGet, bi+"/Users?username=hyg-bi", admin, "")
	h.must(http.StatusOK, http.MethodPost, bi+"/Auth/Signout", "", "", "Cookie", "ASP.NET_SessionId="+cookie)
	h.finish(logs)
}

// check fails the test for every secret found where it does not belong,
// and for any password hash anywhere.
func (h *hygiene) check() {
	for v, what := range h.secrets {
		forms := encodings(v)
		for _, e := range h.seen {
			if slices.Contains(e.allowed, v) {
				continue
			}
			for enc, form := range forms {
				if i := bytes.Index(e.data, []byte(form)); i >= 0 {
					h.t.Errorf("%s (%s) found in %s: …%s…", what, enc, e.where, e.data[max(0, i-80):min(len(e.data), i+len(form)+40)])
					break
				}
			}
		}
	}
	for _, e := range h.seen {
		if bytes.Contains(e.data, []byte("$argon2")) {
			h.t.Errorf("a password hash in %s", e.where)
		}
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }
