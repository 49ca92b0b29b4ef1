package auth

import (
	"context"
	"errors"
	"net/netip"
	"runtime"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Token requests for one account are committed in groups. Each request is
// one read-modify-write of its account's row (the token serial), and writes to one row queue behind each other: one
// transaction per request made 50 concurrent clients of one account wait
// for 49 commits. Instead, requests that arrive while a transaction for
// their account is in flight wait for it to finish and then go together in
// one transaction, which applies them to the row one by one in arrival
// order, exactly as separate transactions in that order would: each success
// advances the serial by one (so a group of k mints k consecutive serials,
// and "only the newest MaxTokens are valid" holds exactly). Instances
// sharing a database still serialise on the row through the store, group
// by group.
//
// A group is at most maxGroup requests; the first request waiting leads
// the next group as soon as the previous one has committed, so no request
// waits for more than the group in flight and its own (or, beyond
// maxGroup waiting, a few more).
const maxGroup = directory.MaxTokens

// issueGroups holds, per account, the requests waiting for the transaction
// in flight.
type issueGroups struct {
	mu sync.Mutex
	m  map[int64]*accountGroups
}

type accountGroups struct {
	waiting []*issueReq
}

// issueReq is one token request in a group: its inputs, and once done is
// closed, the outcome as the transaction decided it.
type issueReq struct {
	hash   []byte
	remote netip.Addr
	now    time.Time

	done chan struct{}
	lead bool // set before done is closed when this request is to lead the next group

	reason string // "" for success
	acct   directory.APIAccount
	serial int64 // the serial of the token to mint, on success
	err    error
}

// decide applies a request for account id to the row, with every other
// request for it waiting at the same time, and returns the outcome.
func (s *Service) decide(ctx context.Context, id int64, r *issueReq) {
	g := &s.groups
	g.mu.Lock()
	if g.m == nil {
		g.m = map[int64]*accountGroups{}
	}
	ag, busy := g.m[id]
	if !busy {
		// Nothing in flight: this request leads the next group.
		g.m[id] = &accountGroups{}
		g.mu.Unlock()
		s.lead(ctx, id, r)
		return
	}
	r.done = make(chan struct{}) // only a request that waits needs one
	ag.waiting = append(ag.waiting, r)
	g.mu.Unlock()
	<-r.done
	if r.lead {
		s.lead(ctx, id, r)
	}
}

// lead gathers a group behind r and commits it. Before gathering, it lets
// the other runnable goroutines run up to where they block: requests for
// the same account already being parsed and hashed join this group rather
// than wait for the next one. On an idle server that costs nothing; on a
// busy one it is what makes groups large.
func (s *Service) lead(ctx context.Context, id int64, r *issueReq) {
	runtime.Gosched()
	g := &s.groups
	g.mu.Lock()
	ag := g.m[id]
	n := min(len(ag.waiting), maxGroup-1)
	group := append(make([]*issueReq, 0, n+1), r)
	group = append(group, ag.waiting[:n]...)
	ag.waiting = ag.waiting[n:]
	g.mu.Unlock()
	s.runGroup(ctx, id, group)
}

// runGroup commits one group, publishes its outcomes and hands the lead
// to the first request waiting (if any). The caller is group[0]; its own
// outcome is ready when runGroup returns.
func (s *Service) runGroup(ctx context.Context, id int64, group []*issueReq) {
	// Whatever happens to the transaction (even a panic), the group's
	// requests get an outcome and the next request the lead.
	for _, r := range group {
		r.err = errGroupAborted
	}
	defer s.handOff(id, group)
	// The group's other requests must not fail because this one's client
	// went away.
	s.commitGroup(context.WithoutCancel(ctx), id, group)
}

var errGroupAborted = errors.New("auth: token request group aborted")

// handOff publishes a committed group's outcomes and wakes the next
// leader.
func (s *Service) handOff(id int64, group []*issueReq) {
	g := &s.groups
	g.mu.Lock()
	ag := g.m[id]
	var next *issueReq
	if len(ag.waiting) == 0 {
		delete(g.m, id)
	} else {
		next = ag.waiting[0]
		ag.waiting = ag.waiting[1:]
	}
	g.mu.Unlock()

	for _, r := range group[1:] {
		close(r.done)
	}
	if next != nil {
		next.lead = true
		close(next.done)
	}
}

// commitGroup runs the group's transaction. The store may run fn more than
// once (a retried transaction); each run decides every request afresh.
// Refusals write nothing: a request the row refuses (its secret rotated,
// its account disabled since the cache saw it) is counted by the caller
// in memory, as every refusal is (see refusal).
func (s *Service) commitGroup(ctx context.Context, id int64, group []*issueReq) {
	a, err := s.dir.UpdateAPIAccountState(ctx, id, func(a *directory.APIAccount) error {
		admitted := false
		for _, r := range group {
			r.reason = s.check(a, parseAllow(a.IPAllow), r.hash, r.remote)
			if r.reason == "" {
				a.TokenSerial++
				r.serial = a.TokenSerial
				a.LastTokenAt = &r.now
				admitted = true
			}
		}
		if !admitted {
			return errRefused
		}
		return nil
	})
	switch {
	case errors.Is(err, errRefused):
		// a is the row as the transaction read it (nothing was changed):
		// caching it lets the next request be refused from the cache.
		s.cache.apply(a)
		err = nil
	case directory.IsKind(err, directory.KindNotFound):
		for _, r := range group {
			r.reason = reasonUnknownClient // deleted since it was cached
		}
		err = nil
	case err == nil:
		s.cache.apply(a)
	}
	for _, r := range group {
		r.acct, r.err = a, err
	}
}
