package scim_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentPatches: PATCHes without If-Match that race each other
// lose no update: each one either lands or is refused with 409; member
// changes never race.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	uid := id(t, e.createUser("contended"))
	gid := id(t, e.createGroup("Contended"))
	var members []string
	for i := range 20 {
		members = append(members, id(t, e.createUser(fmt.Sprintf("m%d", i))))
	}
	attrs := []string{"title", "nickName", "userType", "timezone", "preferredLanguage", "profileUrl"}
	var wg sync.WaitGroup
	statuses := make([]int, len(attrs))
	for i, a := range attrs {
		wg.Go(func() {
			statuses[i] = e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"`+a+`","value":"v-`+a+`"}`)).Status
		})
	}
	groupStatuses := make([]int, len(members))
	for i, m := range members {
		wg.Go(func() {
			groupStatuses[i] = e.do("PATCH", "/Groups/"+gid, patchBody(`{"op":"add","path":"members","value":[{"value":"`+m+`"}]}`)).Status
		})
	}
	wg.Wait()
	u := e.obj(http.StatusOK, "GET", "/Users/"+uid, "")
	for i, a := range attrs {
		switch statuses[i] {
		case http.StatusOK:
			if u[a] != "v-"+a {
				t.Errorf("the PATCH of %s answered 200 but was lost: %v", a, u[a])
			}
		case http.StatusConflict:
		default:
			t.Errorf("PATCH of %s: %d", a, statuses[i])
		}
	}
	for i, s := range groupStatuses {
		if s != http.StatusNoContent {
			t.Errorf("member add %d: %d", i, s)
		}
	}
	if got := memberValues(e.obj(http.StatusOK, "GET", "/Groups/"+gid, "")); len(got) != len(members) {
		t.Errorf("%d members after %d concurrent adds", len(got), len(members))
	}
}
