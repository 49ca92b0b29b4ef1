package patch

import (
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/filter"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Members splits a Group PATCH into its changes to members and the other
// operations (rest, for Apply), so that a face can change a large group's
// members without loading them. It understands path "members" (add: the
// values' "value"s; remove without a value: all; remove with a value,
// as Entra ID sends: those; replace: the set), members[value eq "x"]
// (remove those; or joined by or), and add or replace without a path
// whose object has a "members" key.
//
// The operations fold, in order, into one change of the member set:
//   - removeAll: remove every member, then add add (remove is empty);
//   - replaced: make the members exactly replace (add and remove are
//     empty; replace is non-nil and not empty);
//   - neither: remove remove, then add add (the two are disjoint).
//
// A replace with no members is removeAll. Ids are the strings the client
// sent, duplicates dropped; they are not checked to be users.
func Members(ops []Operation) (add, remove []string, replace []string, replaced, removeAll bool, rest []Operation, err error) {
	var f fold
	for i, op := range ops {
		r, err := f.op(op)
		if err != nil {
			return nil, nil, nil, false, false, nil, numbered(i, len(ops), err)
		}
		if r != nil {
			rest = append(rest, *r)
		}
	}
	switch {
	case f.mode == modeReplace && len(f.set) == 0:
		return nil, nil, nil, false, true, rest, nil
	case f.mode == modeReplace:
		return nil, nil, f.set, true, false, rest, nil
	}
	return f.add, f.remove, nil, false, f.mode == modeRemoveAll, rest, nil
}

const (
	modeChange = iota
	modeReplace
	modeRemoveAll
)

// fold accumulates member changes so that applying its result equals
// applying the operations in order.
type fold struct {
	mode             int
	set, add, remove []string
}

func (f *fold) added(ids []string) {
	for _, id := range ids {
		if f.mode == modeReplace {
			f.set = with(f.set, id)
			continue
		}
		f.add, f.remove = with(f.add, id), minus(f.remove, id)
	}
}

func (f *fold) removed(ids []string) {
	for _, id := range ids {
		switch f.mode {
		case modeReplace:
			f.set = minus(f.set, id)
		case modeRemoveAll:
			f.add = minus(f.add, id)
		default:
			f.add, f.remove = minus(f.add, id), with(f.remove, id)
		}
	}
}

func (f *fold) replaced(ids []string) {
	*f = fold{mode: modeReplace}
	f.added(ids)
}

func (f *fold) removedAll() { *f = fold{mode: modeRemoveAll} }

func with(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func minus(xs []string, x string) []string {
	return slices.DeleteFunc(xs, func(y string) bool { return y == x })
}

// op folds one operation's member changes and returns what remains of it
// for Apply, or nil.
func (f *fold) op(op Operation) (*Operation, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	if op.Path == "" {
		return f.object(op)
	}
	pp, err := filter.ParsePath(op.Path)
	if err != nil {
		return nil, badPath("malformed path %q: %v", op.Path, err)
	}
	p, err := schema.GroupResource.Lookup(pp.Attr.URI, pp.Attr.Name, pp.Attr.Sub)
	if err != nil || p.Attr != membersAttr() {
		return &op, nil // Apply resolves it, or reports it
	}
	switch {
	case p.Sub != nil || pp.Sub != "":
		return nil, mutability("a member's sub-attributes cannot change: add or remove members by value")
	case pp.Filter != nil:
		return nil, f.selected(op, pp.Filter)
	}
	switch {
	case op.Op == Remove && op.Value == nil, op.Op == Replace && clears(op.Value):
		f.removedAll()
		return nil, nil
	}
	ids, err := memberIDs(op.Value)
	if err != nil {
		return nil, err
	}
	switch op.Op {
	case Add:
		f.added(ids)
	case Remove:
		f.removed(ids)
	default:
		f.replaced(ids)
	}
	return nil, nil
}

// selected folds members[filter]: the filter must name members by value.
func (f *fold) selected(op Operation, e filter.Expr) error {
	ids, ok := filterIDs(e)
	if !ok {
		return badPath(`members are selected only by value, as in members[value eq "5"]: %s is not supported`, "members["+filter.Format(e)+"]")
	}
	if op.Op != Remove && !clears(op.Value) {
		return mutability(`a member cannot change: add or remove members by value`)
	}
	f.removed(ids)
	return nil
}

// filterIDs reads value eq "x" terms joined by or.
func filterIDs(e filter.Expr) ([]string, bool) {
	switch x := e.(type) {
	case filter.Test:
		id, ok := x.Value.(string)
		return []string{id}, ok && x.Op == filter.Eq && x.Path.URI == "" && x.Path.Sub == "" && strings.EqualFold(x.Path.Name, "value")
	case filter.Or:
		var ids []string
		for _, y := range x {
			more, ok := filterIDs(y)
			if !ok {
				return nil, false
			}
			ids = append(ids, more...)
		}
		return ids, true
	}
	return nil, false
}

// object folds the members key of a no-path add or replace and returns
// the operation with the other keys, or nil when none remain.
func (f *fold) object(op Operation) (*Operation, error) {
	obj := op.Value.(map[string]any)
	rest := map[string]any{}
	found := false
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		if !isMembersKey(k) {
			rest[k] = v
			continue
		}
		found = true
		if op.Op == Replace && clears(v) {
			f.removedAll()
			continue
		}
		ids, err := memberIDs(v)
		if err != nil {
			return nil, err
		}
		if op.Op == Add {
			f.added(ids)
		} else {
			f.replaced(ids)
		}
	}
	switch {
	case !found:
		return &op, nil
	case len(rest) == 0:
		return nil, nil
	}
	op.Value = rest
	return &op, nil
}

func isMembersKey(k string) bool {
	return strings.EqualFold(k, "members") || strings.EqualFold(k, schema.GroupURN+":members")
}

func membersAttr() *schema.Attribute { return schema.Group.Attribute("members") }

// memberIDs reads members' values: [{"value": "5"}, …], one such object,
// or bare ids, each checked as a member value (display, $ref: null and
// type "User" are accepted; this server has no groups in groups).
func memberIDs(v any) ([]string, error) {
	a := membersAttr()
	var ids []string
	for _, x := range list(v) {
		if x == nil {
			continue
		}
		m, _, err := element(a, "members", x, false)
		if err != nil {
			return nil, err
		}
		id, _ := get(m, "value").(string)
		if id == "" {
			return nil, badValue(`each member needs a value, its id, as in {"value": "5"}`)
		}
		if t, ok := get(m, "type").(string); ok && !strings.EqualFold(t, "User") {
			return nil, badValue("members of type %q are not supported: members are users", t)
		}
		ids = with(ids, id)
	}
	return ids, nil
}
