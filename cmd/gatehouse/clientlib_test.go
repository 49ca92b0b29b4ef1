package main

// BeyondTrust's own Go client library, unmodified, signs in to a real
// `gatehouse serve --tls-self-signed` over HTTPS: the OAuth flow of an
// application user and the API-key (PS-Auth) flow of a run-as user, each
// with one call through the library's session and a sign-out.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BeyondTrust/go-client-library-passwordsafe/api/authentication"
	"github.com/BeyondTrust/go-client-library-passwordsafe/api/utils"
	backoff "github.com/cenkalti/backoff/v4"
)

// libEnv is what the library flows need.
type libEnv struct {
	BaseURL, ClientID, ClientSecret, APIKey, RunAs string
	CAPEM                                          []byte
}

func TestBeyondTrustGoClientLibrary(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db, "--tls-self-signed")
	id, secret := p.credentials(t)
	e := libEnv{BaseURL: p.url + "/BeyondTrust/api/public/v3", RunAs: "alice", CAPEM: serverCertificate(t, p.url)}

	admin := insightToken(t, e.BaseURL, id, secret)
	regID, key := createRegistration(t, db)
	e.APIKey = key
	group := insightCall(t, admin, http.MethodPost, e.BaseURL+"/UserGroups", `{"groupType":"BeyondInsight","groupName":"library",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":3}],"ApplicationRegistrationIDs":[`+regID+`]}`, http.StatusCreated)
	groupID := strconv.FormatFloat(group["GroupID"].(float64), 'f', 0, 64)
	app := insightCall(t, admin, http.MethodPost, e.BaseURL+"/Users", `{"UserType":"Application","UserName":"library-app","AccessPolicyID":1}`, http.StatusOK)
	e.ClientID, e.ClientSecret = app["ClientID"].(string), app["ClientSecret"].(string)
	appID := strconv.FormatFloat(app["UserID"].(float64), 'f', 0, 64)
	insightCall(t, admin, http.MethodPost, e.BaseURL+"/Users/"+appID+"/UserGroups/"+groupID, "", http.StatusCreated)
	insightCall(t, admin, http.MethodPost, e.BaseURL+"/UserGroups/"+groupID+"/Users",
		`{"UserName":"alice","FirstName":"Alice","EmailAddress":"alice@example.com","Password":"alice's password"}`, http.StatusCreated)

	t.Run("oauth", func(t *testing.T) { runOAuthFlow(t, e) })
	t.Run("api key", func(t *testing.T) { runAPIKeyFlow(t, e) })
}

// serverCertificate fetches the server's self-signed certificate, which a
// client then pins (as clients of an appliance do).
func serverCertificate(t *testing.T, base string) []byte {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.Dial("tcp", u.Host, &tls.Config{InsecureSkipVerify: true}) // reading the certificate to pin it
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: conn.ConnectionState().PeerCertificates[0].Raw})
}

// insightToken asks the face's token endpoint for a bearer token.
func insightToken(t *testing.T, base, id, secret string) string {
	t.Helper()
	resp, err := client().PostForm(base+"/Auth/connect/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// insightCall sends one request as an administrator and decodes the object
// it answers.
func insightCall(t *testing.T, tok, method, u, body string, status int) map[string]any {
	t.Helper()
	code, b := call(t, method, u, tok, body)
	if code != status {
		t.Fatalf("%s %s: %d %s, want %d", method, u, code, b, status)
	}
	var obj map[string]any
	_ = json.Unmarshal(b, &obj)
	return obj
}

var (
	registrationKey = regexp.MustCompile(`\b[0-9a-f]{128}\b`)
	registrationID  = regexp.MustCompile(`(?i)\bid:?\s+(\d+)`)
)

// createRegistration runs `gatehouse api-registration create` against the
// running server's database, as an operator would.
func createRegistration(t *testing.T, db string) (id, key string) {
	t.Helper()
	out, err := exec.Command(binary, "api-registration", "create", "--db", db, "--name", "library").CombinedOutput()
	if err != nil {
		t.Fatalf("api-registration create: %v\n%s", err, out)
	}
	k, m := registrationKey.Find(out), registrationID.FindSubmatch(out)
	if k == nil || m == nil {
		t.Fatalf("api-registration create printed no id and key:\n%s", out)
	}
	return string(m[1]), string(k)
}

// tLogger adapts testing.T to the library's logging.Logger interface
// (Info/Error/Debug/Warn(string)).
type tLogger struct{ t *testing.T }

func (l tLogger) Info(m string)  { l.t.Helper(); l.t.Log("lib INFO: " + m) }
func (l tLogger) Error(m string) { l.t.Helper(); l.t.Log("lib ERROR: " + m) }
func (l tLogger) Debug(m string) { l.t.Helper(); l.t.Log("lib DEBUG: " + m) }
func (l tLogger) Warn(m string)  { l.t.Helper(); l.t.Log("lib WARN: " + m) }

// shortBackoff keeps the library's retry loops (5xx / 408 / transport errors)
// from stalling a failing test. MaxElapsedTime must be non-zero: 0 means
// "retry forever" in cenkalti/backoff.
func shortBackoff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = 50 * time.Millisecond
	b.MaxInterval = 200 * time.Millisecond
	b.MaxElapsedTime = 500 * time.Millisecond
	return b
}

// newHTTPClient returns the library's own HTTP client object (cookie jar,
// TLS 1.2 only) with verifyCa=true, then makes it trust caPEM. The library
// itself only offers verifyCa=false (InsecureSkipVerify) for self-signed
// servers; adding RootCAs to its exported *http.Client is configuration,
// not a modification of the library.
func newHTTPClient(t *testing.T, e libEnv) *utils.HttpClientObj {
	t.Helper()
	hc, err := utils.GetHttpClient(10, true, "", "", tLogger{t})
	if err != nil {
		t.Fatalf("GetHttpClient: %v", err)
	}
	if len(e.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(e.CAPEM) {
			t.Fatal("caPEM: no certificates found")
		}
		hc.HttpClient.Transport.(*http.Transport).TLSClientConfig.RootCAs = pool
	}
	return hc
}

// validate runs the library's own pre-flight input validation, as real
// consumers (TestClient.go, terraform-provider-passwordsafe) do before
// signing in. It fails if the server's URL or credentials have a shape the
// library rejects (client id 36 chars, secret 36-64, api key 128-263, ...).
func validate(t *testing.T, e libEnv, clientID, clientSecret, apiKey string) {
	t.Helper()
	url := e.BaseURL
	retryMin := 1
	err := utils.ValidateInputs(utils.ValidationParams{
		ApiKey:                     apiKey,
		ClientID:                   clientID,
		ClientSecret:               clientSecret,
		ApiUrl:                     &url, // must be non-nil
		ApiVersion:                 "",
		ClientTimeOutInSeconds:     10,
		VerifyCa:                   true,
		Logger:                     tLogger{t},
		RetryMaxElapsedTimeMinutes: &retryMin, // must be non-nil
	})
	if err != nil {
		t.Fatalf("library ValidateInputs rejected the server settings: %v", err)
	}
}

// getUsers makes one authenticated call through the library's own session:
// HttpClientObj.GetGeneralList sends GET <url> with no Authorization header,
// so it is authenticated only by the session cookie SignAppIn put in the jar.
// apiVersion "" keeps the library from appending "?version=...".
func getUsers(a *authentication.AuthenticationObj) ([]map[string]any, error) {
	u := a.ApiUrl.JoinPath("Users").String()
	body, err := a.HttpClient.GetGeneralList(u, "", "GetUsers", a.ExponentialBackOff)
	if err != nil {
		return nil, err
	}
	var users []map[string]any
	if err := json.Unmarshal(body, &users); err != nil {
		return nil, err
	}
	return users, nil
}

// signedInFlow: one authenticated call, sign out, then check the session is dead.
func signedInFlow(t *testing.T, a *authentication.AuthenticationObj) {
	t.Helper()
	users, err := getUsers(a)
	if err != nil {
		t.Fatalf("GET Users through the library session: %v", err)
	}
	if len(users) == 0 {
		t.Errorf("GET Users: empty list")
	}

	// SignOut returns an error only on a 4xx; it returns nil after 5xx and
	// transport errors. Check the session is really gone afterwards.
	if err := a.SignOut(); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	_, err = getUsers(a)
	if err == nil || !strings.Contains(err.Error(), "status code: 401") {
		t.Errorf("GET Users after SignOut: want a 401 error, got %v", err)
	}
}

func runOAuthFlow(t *testing.T, e libEnv) {
	validate(t, e, e.ClientID, e.ClientSecret, "")
	a, err := authentication.Authenticate(authentication.AuthenticationParametersObj{
		HTTPClient:        *newHTTPClient(t, e),
		BackoffDefinition: shortBackoff(), // must be non-nil
		EndpointURL:       e.BaseURL,
		APIVersion:        "",
		ClientID:          e.ClientID,
		ClientSecret:      e.ClientSecret,
		Logger:            tLogger{t},
	})
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}

	// POST Auth/connect/token (client_credentials) then POST Auth/SignAppIn
	// with "Authorization: Bearer <access_token>".
	me, err := a.GetPasswordSafeAuthentication()
	if err != nil {
		t.Fatalf("GetPasswordSafeAuthentication (OAuth): %v", err)
	}
	if me.UserId == 0 || me.UserName == "" {
		t.Errorf("SignAppIn response: want UserId and UserName, got %+v", me)
	}
	signedInFlow(t, a)

	// Wrong secret: the token endpoint must answer 4xx (a 5xx would be retried).
	bad, _ := authentication.Authenticate(authentication.AuthenticationParametersObj{
		HTTPClient:        *newHTTPClient(t, e),
		BackoffDefinition: shortBackoff(),
		EndpointURL:       e.BaseURL,
		ClientID:          e.ClientID,
		ClientSecret:      strings.Repeat("x", 40),
		Logger:            tLogger{t},
	})
	if _, err := bad.GetPasswordSafeAuthentication(); err == nil {
		t.Errorf("sign-in with a wrong client secret succeeded")
	}
}

func runAPIKeyFlow(t *testing.T, e libEnv) {
	validate(t, e, "", "", e.APIKey)
	// The library has no run-as field: like terraform-provider-passwordsafe,
	// append it to the key. Header sent: "PS-Auth key=<key>;runas=<user>;"
	a, err := authentication.AuthenticateUsingApiKey(authentication.AuthenticationParametersObj{
		HTTPClient:        *newHTTPClient(t, e),
		BackoffDefinition: shortBackoff(),
		EndpointURL:       e.BaseURL,
		APIVersion:        "",
		ApiKey:            e.APIKey + ";runas=" + e.RunAs + ";",
		Logger:            tLogger{t},
	})
	if err != nil {
		t.Fatalf("AuthenticateUsingApiKey: %v", err)
	}

	// POST Auth/SignAppIn with the PS-Auth header (no token request).
	me, err := a.GetPasswordSafeAuthentication()
	if err != nil {
		t.Fatalf("GetPasswordSafeAuthentication (API key): %v", err)
	}
	if !strings.EqualFold(me.UserName, e.RunAs) {
		t.Errorf("SignAppIn UserName = %q, want run-as user %q", me.UserName, e.RunAs)
	}
	signedInFlow(t, a)
}
