package scim_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// benchServer is a server with a group of n members, made through the
// directory directly.
func benchServer(b *testing.B, n int) (*testserver.Server, string, string) {
	s := testserver.New(b)
	ids := make([]int64, n)
	for i := range n {
		u, err := s.Service().CreateUser(cli, directory.NewUser{Source: directory.SourceSCIM,
			UserChange: directory.UserChange{Username: directory.To(fmt.Sprintf("u%05d", i))}})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = u.ID
	}
	g, err := s.Service().CreateGroupWithMembers(cli, directory.NewGroup{Source: directory.SourceSCIM,
		GroupChange: directory.GroupChange{Name: directory.To("big")}}, ids)
	if err != nil {
		b.Fatal(err)
	}
	return s, s.AdminToken(b), fmt.Sprint(g.ID)
}

func benchDo(b *testing.B, s *testserver.Server, method, url, tok, body string, status int) {
	client := &http.Client{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, s.URL+url, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/scim+json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkGetUser is GET /Users/{id}, groups included.
func BenchmarkGetUser(b *testing.B) {
	s, tok, _ := benchServer(b, 1)
	benchDo(b, s, "GET", base+"/Users/1", tok, "", 200)
}

// BenchmarkListUsers is a page of 100 users, each with its groups.
func BenchmarkListUsers(b *testing.B) {
	s, tok, _ := benchServer(b, 200)
	benchDo(b, s, "GET", base+"/Users?count=100", tok, "", 200)
}

// BenchmarkFilterUser is Okta's and Entra ID's lookup by userName.
func BenchmarkFilterUser(b *testing.B) {
	s, tok, _ := benchServer(b, 2000)
	benchDo(b, s, "GET", base+"/Users?filter=userName%20eq%20%22u01234%22", tok, "", 200)
}

// BenchmarkPatchBigGroup adds and removes a member of a group of 5000:
// the member list is not read.
func BenchmarkPatchBigGroup(b *testing.B) {
	s, tok, gid := benchServer(b, 5000)
	benchDo(b, s, "PATCH", base+"/Groups/"+gid, tok,
		patchBody(`{"op":"remove","path":"members[value eq \"7\"]"}`, `{"op":"add","path":"members","value":[{"value":"7"}]}`), 204)
}

// BenchmarkGetBigGroup reads a group of 5000 members, and without them.
func BenchmarkGetBigGroup(b *testing.B) {
	s, tok, gid := benchServer(b, 5000)
	b.Run("members", func(b *testing.B) { benchDo(b, s, "GET", base+"/Groups/"+gid, tok, "", 200) })
	b.Run("excluded", func(b *testing.B) {
		benchDo(b, s, "GET", base+"/Groups/"+gid+"?excludedAttributes=members", tok, "", 200)
	})
}

// BenchmarkListUsersWithoutGroups is BenchmarkListUsers without the
// groups, which cost a query per user.
func BenchmarkListUsersWithoutGroups(b *testing.B) {
	s, tok, _ := benchServer(b, 200)
	benchDo(b, s, "GET", base+"/Users?count=100&excludedAttributes=groups", tok, "", 200)
}
