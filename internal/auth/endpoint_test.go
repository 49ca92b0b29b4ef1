package auth_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

func basic(id, secret string) http.Header {
	raw := url.QueryEscape(id) + ":" + url.QueryEscape(secret)
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(raw))}}
}

func TestTokenEndpoint(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	const form = "application/x-www-form-urlencoded"
	grant := "grant_type=client_credentials"
	creds := "&client_id=" + url.QueryEscape(a.ClientID) + "&client_secret=" + url.QueryEscape(secret)

	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		hdr         http.Header
		status      int
		code        string // "" on success
	}{
		{"missing grant_type", "POST", form, creds[1:], nil, 400, "invalid_request"},
		{"empty grant_type", "POST", form, "grant_type=" + creds, nil, 400, "invalid_request"},
		{"wrong grant_type", "POST", form, "grant_type=password" + creds, nil, 400, "unsupported_grant_type"},
		{"no credentials", "POST", form, grant, nil, 401, "invalid_client"},
		{"wrong secret", "POST", form, grant + "&client_id=" + a.ClientID + "&client_secret=nope", nil, 401, "invalid_client"},
		{"wrong secret basic", "POST", form, grant, basic(a.ClientID, "nope"), 401, "invalid_client"},
		{"unknown client", "POST", form, grant + "&client_id=nobody&client_secret=" + secret, nil, 401, "invalid_client"},
		{"malformed basic header", "POST", form, grant, http.Header{"Authorization": {"Basic !!!not-base64"}}, 400, "invalid_request"},
		{"basic without colon", "POST", form, grant, http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("abc"))}}, 400, "invalid_request"},
		{"other auth scheme", "POST", form, grant, http.Header{"Authorization": {"Bearer xyz"}}, 401, "invalid_client"},
		{"basic and form credentials", "POST", form, grant + creds, basic(a.ClientID, secret), 400, "invalid_request"},
		{"duplicated parameter", "POST", form, grant + "&" + grant + creds, nil, 400, "invalid_request"},
		{"malformed form", "POST", form, grant + "&%zz" + creds, nil, 400, "invalid_request"},
		{"unsupported content type", "POST", "text/plain", grant + creds, nil, 400, "invalid_request"},
		{"non-utf8 charset", "POST", form + "; charset=iso-8859-2", grant + creds, nil, 400, "invalid_request"},
		{"malformed JSON", "POST", "application/json", `{"grant_type":`, nil, 400, "invalid_request"},
		{"JSON non-string", "POST", "application/json", `{"grant_type":1}`, nil, 400, "invalid_request"},
		{"JSON duplicate key", "POST", "application/json", `{"grant_type":"client_credentials","grant_type":"client_credentials"}`, nil, 400, "invalid_request"},
		{"JSON trailing data", "POST", "application/json", `{"grant_type":"client_credentials"} {}`, nil, 400, "invalid_request"},
		{"GET", "GET", "", "", nil, 405, "invalid_request"},
		{"PUT", "PUT", form, grant + creds, nil, 405, "invalid_request"},
		{"oversized body", "POST", form, grant + creds + "&pad=" + strings.Repeat("x", 65<<10), nil, 413, "invalid_request"},
		{"invalid scope", "POST", form, grant + creds + "&scope=admin", nil, 400, "invalid_scope"},
		{"invalid scope among valid", "POST", form, grant + creds + "&scope=read_only+admin", nil, 400, "invalid_scope"},

		{"form", "POST", form, grant + creds, nil, 200, ""},
		{"form with charset", "POST", form + "; charset=UTF-8", grant + creds, nil, 200, ""},
		{"no content type", "POST", "", grant + creds, nil, 200, ""},
		{"basic", "POST", form, grant, basic(a.ClientID, secret), 200, ""},
		{"basic, lower-case scheme", "POST", form, grant, http.Header{"Authorization": {"basic " + base64.StdEncoding.EncodeToString([]byte(a.ClientID+":"+secret))}}, 200, ""},
		{"basic with matching client_id", "POST", form, grant + "&client_id=" + a.ClientID, basic(a.ClientID, secret), 200, ""},
		{"JSON", "POST", "application/json", `{"grant_type":"client_credentials","client_id":"` + a.ClientID + `","client_secret":"` + secret + `","extra":[1]}`, nil, 200, ""},
		{"JSON with basic", "POST", "application/json; charset=utf-8", `{"grant_type":"client_credentials"}`, basic(a.ClientID, secret), 200, ""},
		{"scope read_only", "POST", form, grant + creds + "&scope=read_only", nil, 200, ""},
		{"scope list", "POST", form, grant + creds + "&scope=read_only+full_access", nil, 200, ""},
		{"unknown parameter ignored", "POST", form, grant + creds + "&audience=x", nil, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := e.post(t, tc.method, tc.contentType, tc.body, tc.hdr)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d (%v)", res.status, tc.status, res.body)
			}
			if got := res.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			if got := res.header.Get("Pragma"); got != "no-cache" {
				t.Errorf("Pragma %q", got)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.code == "" {
				checkTokenBody(t, e.instance, res)
				return
			}
			if res.errCode() != tc.code {
				t.Errorf("error %q, want %q", res.errCode(), tc.code)
			}
			if msg, _ := res.body["message"].(string); msg == "" || res.body["error_description"] != msg {
				t.Errorf("no message, or an error_description that differs from it, in %v", res.body)
			}
			if _, ok := res.body["access_token"]; ok {
				t.Errorf("error response carries a token")
			}
			if tc.status == 401 && res.header.Get("WWW-Authenticate") != `Basic realm="gatehouse"` {
				t.Errorf("WWW-Authenticate %q", res.header.Get("WWW-Authenticate"))
			}
			if tc.status == 405 && res.header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", res.header.Get("Allow"))
			}
		})
	}
	// The failures above must not have locked the account out: the
	// successes among them restarted the count.
	if res := e.requestToken(t, a.ClientID, secret, ""); res.status != http.StatusOK {
		t.Errorf("right secret after the cases: %d %v", res.status, res.body)
	}
}

// checkTokenBody verifies a 200 response's shape and that the token works.
func checkTokenBody(t *testing.T, i *instance, res tokenResult) {
	t.Helper()
	if res.body["token_type"] != "Bearer" {
		t.Errorf("token_type %v", res.body["token_type"])
	}
	if res.body["expires_in"] != float64(3600) {
		t.Errorf("expires_in %v", res.body["expires_in"])
	}
	if len(res.body) != 3 {
		t.Errorf("unexpected fields in %v", res.body)
	}
	if s := i.status(t, res.token()); s != http.StatusOK {
		t.Errorf("issued token refused: %d", s)
	}
}

// Unknown, wrong-secret and disabled all look the same to the client.
func TestInvalidClientIsUniform(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	d, dsecret := e.account(t, directory.NewAPIAccount{})
	if _, err := e.dir.SetAPIAccountEnabled(context.Background(), d.ID, false); err != nil {
		t.Fatal(err)
	}
	r, rsecret := e.account(t, directory.NewAPIAccount{IPAllow: []string{"192.0.2.0/24"}})
	var bodies []map[string]any
	for _, c := range [][2]string{{"nobody", secret}, {a.ClientID, "wrong"}, {d.ClientID, dsecret}, {r.ClientID, rsecret}} {
		res := e.requestToken(t, c[0], c[1], "")
		if res.status != 401 {
			t.Fatalf("%s: status %d", c[0], res.status)
		}
		bodies = append(bodies, res.body)
	}
	for _, b := range bodies[1:] {
		if b["error"] != bodies[0]["error"] || b["message"] != bodies[0]["message"] {
			t.Errorf("responses differ: %v vs %v", b, bodies[0])
		}
	}
}

func TestOAuth2Client(t *testing.T) {
	e := newEnv(t, auth.Config{})
	// A client id and secret with characters that RFC 6749 §2.3.1's
	// form-encoding changes, as the CLI's fixed bootstrap credentials may.
	a, secret := e.account(t, directory.NewAPIAccount{ClientID: "ci+bot/1", Secret: "s3cret with spaces & symbols: +%/=========="})
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cfg := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: secret, TokenURL: e.srv.URL + "/oauth2/token", AuthStyle: style}
		tok, err := cfg.Token(context.Background())
		if err != nil {
			t.Fatalf("style %d: %v", style, err)
		}
		if tok.TokenType != "Bearer" || tok.Expiry.IsZero() {
			t.Errorf("style %d: token %+v", style, tok)
		}
		resp, err := cfg.Client(context.Background()).Get(e.srv.URL + "/whoami")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("style %d: whoami %d", style, resp.StatusCode)
		}
	}
	bad := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: "wrong", TokenURL: e.srv.URL + "/oauth2/token", AuthStyle: oauth2.AuthStyleInHeader}
	_, err := bad.Token(context.Background())
	var re *oauth2.RetrieveError
	if !errorsAs(err, &re) || re.ErrorCode != "invalid_client" || re.Response.StatusCode != 401 {
		t.Errorf("wrong secret: %v", err)
	}
}
