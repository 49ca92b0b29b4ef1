package pra_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestClientGoneIsNoError: a client that hangs up while its write waits on
// the store is recorded as 499, not logged as the server's error.
func TestClientGoneIsNoError(t *testing.T) {
	logs := &testserver.Logs{}
	e := newEnv(t, testserver.WithLogs(logs))
	uid := id(e.createUser("waiter"))
	n, _ := strconv.ParseInt(uid, 10, 64)
	release := e.LockUser(t, n)
	e.Abandon(t, 300*time.Millisecond, "PATCH", base+"/user/"+uid, e.tok, `{"public_display_name":"late"}`,
		"Content-Type", "application/json")
	testserver.ClientGoneLogged(t, logs, release, "PATCH", base+"/user/"+uid)
}
