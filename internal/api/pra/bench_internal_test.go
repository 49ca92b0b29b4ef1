package pra

import (
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// BenchmarkWriteUserPage is the JSON of a page of 100 users alone, without
// the store or HTTP: the face's share of a list page's per-row cost.
func BenchmarkWriteUserPage(b *testing.B) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	users := make([]directory.User, 100)
	for i := range users {
		n := strconv.Itoa(i)
		users[i] = directory.User{ID: int64(i + 1), Username: "user" + n, DisplayName: "User " + n,
			Email: "user" + n + "@example.com", Locale: "en-us", Enabled: true, Source: directory.SourceLocal,
			SecurityProviderID: directory.LocalProviderID, CreatedAt: at, LastLogin: directory.LastLogin{At: &at}}
	}
	b.ReportAllocs()
	for b.Loop() {
		j := httpx.NewJSON()
		j.Array()
		for i := range users {
			writeUser(j, &users[i])
		}
		j.EndArray()
		b.SetBytes(int64(len(j.Bytes())))
		j.Release()
	}
}
