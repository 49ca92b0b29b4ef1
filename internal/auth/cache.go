package auth

import (
	"context"
	"maps"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// accountCache is the in-memory copy of every API account that verification
// reads instead of the database. Readers take no lock: the index is an
// immutable map replaced whole (only when an account is first seen, which is
// rare), and each account's state is an immutable value behind an atomic
// pointer, replaced whenever a newer Version of the row arrives (token
// issuance, lock-outs, revocations, the poller).
type accountCache struct {
	store directory.Store
	idx   atomic.Pointer[cacheIndex]
	mu    sync.Mutex // serialises index replacement, never held across I/O
}

type cacheIndex struct {
	byID     map[int64]*cacheEntry
	byClient map[string]*cacheEntry
}

type cacheEntry struct {
	state atomic.Pointer[accountState]
	// reload serialises reloads of this one account, so that a burst of
	// requests bearing a token the cache has not caught up with costs one
	// read, not one each. Only the slow path takes it.
	reload sync.Mutex
}

// accountState is one account as verification needs it. It is never
// modified after it is published.
type accountState struct {
	// acct keeps SecretHash: a token request is checked against it
	// before any database work (IssueToken).
	acct    directory.APIAccount
	allow   []netip.Prefix // acct.IPAllow parsed once, not per request
	missing bool           // the store had no such account: Version 0, so any real row wins
}

func newAccountCache(store directory.Store) *accountCache {
	c := &accountCache{store: store}
	c.idx.Store(&cacheIndex{byID: map[int64]*cacheEntry{}, byClient: map[string]*cacheEntry{}})
	return c
}

func newAccountState(a directory.APIAccount) *accountState {
	return &accountState{acct: a, allow: parseAllow(a.IPAllow)}
}

// byID returns the account's state, loading it from the store on a miss
// (an account created by another instance since the last poll). A missing
// account is remembered, so a token for a deleted account costs one read.
func (c *accountCache) byID(ctx context.Context, id int64) (*accountState, error) {
	if e := c.idx.Load().byID[id]; e != nil {
		return e.state.Load(), nil
	}
	a, err := c.store.APIAccount(ctx, id)
	if directory.IsKind(err, directory.KindNotFound) {
		c.put(&accountState{acct: directory.APIAccount{ID: id}, missing: true})
		return c.idx.Load().byID[id].state.Load(), nil
	}
	if err != nil {
		return nil, err
	}
	c.apply(a)
	return c.idx.Load().byID[id].state.Load(), nil
}

// reload reads the account from the store unless current already says the
// cached state is new enough, and returns the resulting state.
func (c *accountCache) reload(ctx context.Context, id int64, current func(*accountState) bool) (*accountState, error) {
	e := c.idx.Load().byID[id]
	if e == nil {
		return c.byID(ctx, id)
	}
	e.reload.Lock()
	defer e.reload.Unlock()
	if st := e.state.Load(); current(st) {
		return st, nil // another request reloaded it meanwhile
	}
	a, err := c.store.APIAccount(ctx, id)
	if directory.IsKind(err, directory.KindNotFound) {
		return e.state.Load(), nil
	}
	if err != nil {
		return nil, err
	}
	c.apply(a)
	return e.state.Load(), nil
}

// cached returns the state of the account with this client id, or nil
// when the cache has none; it reads only memory. Unknown client ids are
// not remembered: anyone can send any number of them, and remembering
// would let them fill memory.
func (c *accountCache) cached(clientID string) *accountState {
	if e := c.idx.Load().byClient[clientID]; e != nil {
		return e.state.Load()
	}
	return nil
}

// apply records a, unless the cache already holds that Version or a newer
// one: rows arrive out of order from the poller's overlapping reads and
// from concurrent local writes.
func (c *accountCache) apply(a directory.APIAccount) {
	c.put(newAccountState(a))
}

func (c *accountCache) put(st *accountState) {
	idx := c.idx.Load()
	if e := idx.byID[st.acct.ID]; e != nil && (st.missing || idx.byClient[st.acct.ClientID] == e) {
		e.update(st)
		return
	}
	// A new account, or one whose client id the index does not map to it
	// yet: the index itself must change. (The domain never changes a client
	// id; re-mapping is defensive, and follows whatever state is current.)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.idx.Load()
	e := old.byID[st.acct.ID]
	if e == nil {
		e = &cacheEntry{}
		e.state.Store(st)
	} else if !e.update(st) {
		return
	}
	cur := e.state.Load()
	idx = &cacheIndex{byID: maps.Clone(old.byID), byClient: maps.Clone(old.byClient)}
	idx.byID[cur.acct.ID] = e
	maps.DeleteFunc(idx.byClient, func(_ string, v *cacheEntry) bool { return v == e })
	if !cur.missing && cur.acct.ClientID != "" {
		idx.byClient[cur.acct.ClientID] = e
	}
	c.idx.Store(idx)
}

// update installs st if it is newer than the current state.
func (e *cacheEntry) update(st *accountState) bool {
	for {
		cur := e.state.Load()
		if !cur.missing && cur.acct.Version >= st.acct.Version {
			return false
		}
		if e.state.CompareAndSwap(cur, st) {
			return true
		}
	}
}

// parseAllow turns an account's allow list into prefixes. The directory
// validated every entry on write; one that still fails to parse is dropped
// here and so allows nothing.
func parseAllow(list []string) []netip.Prefix {
	if len(list) == 0 {
		return nil
	}
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, unmapPrefix(p).Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	if len(out) == 0 {
		// Every entry was unusable: allow nothing rather than everything.
		out = append(out, netip.Prefix{})
	}
	return out
}

// unmapPrefix turns ::ffff:a.b.c.d/n (n >= 96) into a.b.c.d/(n-96), so that
// an IPv4 client matches however the allow list spelled its network.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p
}

// allowed reports whether addr is in an account's allow list. An empty
// list allows every source; an invalid address is in no list.
func allowed(list []netip.Prefix, addr netip.Addr) bool {
	if len(list) == 0 {
		return true
	}
	addr = addr.Unmap()
	for _, p := range list {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
