package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// A BeyondInsight session answers only where its credentials would: a
// cookie opened by an API account, or with an API registration's key,
// limited to one address is refused from another (another loopback
// address here), as the bearer token or the key is, and keeps working
// from its own.
func TestSessionKeepsTheSourceLimit(t *testing.T) {
	s := testserver.New(t)
	cli := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	const bi = "/BeyondTrust/api/public/v3"
	a, secret, err := s.Service().CreateAPIAccount(cli, directory.NewAPIAccount{Name: "pinned",
		Perms: directory.FullPermissions(), IPAllow: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	tok := s.Token(t, a.ClientID, secret)
	reg, key, err := s.Service().CreateAPIRegistration(cli, directory.NewAPIRegistration{Name: "pinned", IPAllow: []string{"127.0.0.0/31"}})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, http.MethodPost, bi+"/UserGroups", tok, `{"groupType":"BeyondInsight","groupName":"readers",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":1}],"ApplicationRegistrationIDs":[`+strconv.FormatInt(reg.ID, 10)+`]}`,
		"Content-Type", "application/json")
	if r.Status != http.StatusCreated {
		t.Fatalf("create group: %d %s", r.Status, r.Body)
	}
	group := strconv.FormatInt(int64(r.Object(t)["GroupID"].(float64)), 10)
	if r := s.Do(t, http.MethodPost, bi+"/UserGroups/"+group+"/Users", tok,
		`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`,
		"Content-Type", "application/json"); r.Status != http.StatusCreated {
		t.Fatalf("create user: %d %s", r.Status, r.Body)
	}

	for _, c := range []struct{ name, authorization, allowed, refused string }{
		{"API account", "Bearer " + tok, "127.0.0.1", "127.0.0.2"},
		{"API registration", "PS-Auth key=" + key + "; runas=ann;", "127.0.0.1", "127.0.0.3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			signIn := from(t, c.allowed, s.URL, http.MethodPost, bi+"/Auth/SignAppIn", "Authorization", c.authorization)
			var cookie string
			for _, ck := range signIn.Cookies() {
				cookie = ck.Value
			}
			if signIn.StatusCode != http.StatusOK || cookie == "" {
				t.Fatalf("SignAppIn from %s: %d", c.allowed, signIn.StatusCode)
			}
			if r := from(t, c.refused, s.URL, http.MethodGet, bi+"/Users", "Authorization", c.authorization); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("the credentials from %s: %d, want 401", c.refused, r.StatusCode)
			}
			if r := from(t, c.refused, s.URL, http.MethodGet, bi+"/Users", "Cookie", "ASP.NET_SessionId="+cookie); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("the session cookie from %s: %d, want 401", c.refused, r.StatusCode)
			}
			if r := from(t, c.allowed, s.URL, http.MethodGet, bi+"/Users", "Cookie", "ASP.NET_SessionId="+cookie); r.StatusCode != http.StatusOK {
				t.Errorf("the session cookie from %s afterwards: %d, want 200", c.allowed, r.StatusCode)
			}
		})
	}
}

// from sends a request from the given loopback address.
func from(t *testing.T, addr, base, method, path, header, value string) *http.Response {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}}).DialContext}}
	defer client.CloseIdleConnections()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(header, value)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp
}
