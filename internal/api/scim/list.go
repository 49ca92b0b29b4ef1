package scim

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/filter"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// kind is one resource type as lists and searches see it.
type kind struct {
	name     string // User, Group
	endpoint string // /Users, /Groups
	res      *schema.Resource
	targets  filter.Targets
	// page reads one page of the list as representations shaped by proj.
	page func(c *call, q directory.Query, proj *projection) (directory.Page[map[string]any], error)
}

func (a *api) userKind() *kind {
	return &kind{name: "User", endpoint: "/Users", res: schema.UserResource, targets: filter.UserTargets, page: a.userPage}
}

func (a *api) groupKind() *kind {
	return &kind{name: "Group", endpoint: "/Groups", res: schema.GroupResource, targets: filter.GroupTargets, page: a.groupPage}
}

func (a *api) userPage(c *call, q directory.Query, proj *projection) (directory.Page[map[string]any], error) {
	page, err := a.dir.Users(c.ctx(), q)
	if err != nil {
		return directory.Page[map[string]any]{}, err
	}
	out := directory.Page[map[string]any]{Total: page.Total, Items: make([]map[string]any, 0, len(page.Items))}
	var groups map[int64][]directory.Group
	if proj.wants("groups") {
		if groups, err = a.groupsOfUsers(c, page.Items); err != nil {
			return out, err
		}
	}
	base := c.base()
	for i := range page.Items {
		u := &page.Items[i]
		out.Items = append(out.Items, proj.apply(userDoc(base, u, groups[u.ID]), a.users.res))
	}
	return out, nil
}

// groupsOfUsers reads the groups of a page of users in two queries, not
// one per user: their memberships, then the groups those name.
func (a *api) groupsOfUsers(c *call, users []directory.User) (map[int64][]directory.Group, error) {
	ids := make([]int64, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	memberships, err := a.dir.UserGroupIDs(c.ctx(), ids)
	if err != nil {
		return nil, err
	}
	var or directory.Or
	seen := map[int64]bool{}
	for _, gids := range memberships {
		for _, g := range gids {
			if !seen[g] {
				seen[g] = true
				or = append(or, directory.Eq(directory.GroupID, g))
			}
		}
	}
	byID := make(map[int64]*directory.Group, len(or))
	for start := 0; start < len(or); start += directory.MaxPageSize {
		page, err := a.dir.Groups(c.ctx(), directory.Query{Filter: or[start:min(start+directory.MaxPageSize, len(or))],
			Limit: directory.MaxPageSize, NoTotal: true})
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			byID[page.Items[i].ID] = &page.Items[i]
		}
	}
	out := make(map[int64][]directory.Group, len(users))
	for uid, gids := range memberships {
		for _, g := range gids {
			if grp := byID[g]; grp != nil {
				out[uid] = append(out[uid], *grp)
			}
		}
	}
	return out, nil
}

func (a *api) groupPage(c *call, q directory.Query, proj *projection) (directory.Page[map[string]any], error) {
	page, err := a.dir.Groups(c.ctx(), q)
	if err != nil {
		return directory.Page[map[string]any]{}, err
	}
	out := directory.Page[map[string]any]{Total: page.Total, Items: make([]map[string]any, 0, len(page.Items))}
	base := c.base()
	for i := range page.Items {
		g := &page.Items[i]
		var members []any
		if proj.wants("members") {
			if members, err = a.memberList(c, g.ID); err != nil {
				return out, err
			}
		}
		out.Items = append(out.Items, proj.apply(groupDoc(base, g, members), a.groups.res))
	}
	return out, nil
}

// search is a list request: from a query string (GET) or a SearchRequest
// (POST .search).
type search struct {
	filter, sortBy, sortOrder string
	startIndex                int64 // 1-based, at least 1
	count                     int   // 0..maxResults
	attributes, excluded      []string
}

// searchFromQuery reads a GET list's parameters. startIndex below 1 counts
// as 1 and a negative count as 0 (RFC 7644 §3.4.2.4); a count above
// maxResults gets maxResults; a value that is not an integer is refused.
func (c *call) searchFromQuery() (search, error) {
	s := search{startIndex: 1, count: defaultCount}
	get := func(name string) string {
		v, _, _ := c.param(name)
		return v
	}
	if _, err := c.params(); err != nil {
		return s, err
	}
	s.filter, s.sortBy, s.sortOrder = get("filter"), get("sortBy"), get("sortOrder")
	s.attributes, s.excluded = splitList(get("attributes")), splitList(get("excludedAttributes"))
	if v, ok, _ := c.param("startIndex"); ok {
		n, err := queryInt(v)
		if err != nil {
			return s, badRequest(typeInvalidValue, "The startIndex parameter must be an integer.")
		}
		s.startIndex = max(1, n)
	}
	if v, ok, _ := c.param("count"); ok {
		n, err := queryInt(v)
		if err != nil {
			return s, badRequest(typeInvalidValue, "The count parameter must be an integer.")
		}
		s.count = int(min(max(0, n), maxResults))
	}
	return s, nil
}

// queryInt parses an integer parameter; one beyond int64 saturates.
func queryInt(v string) (int64, error) {
	v = strings.TrimSpace(v)
	n, err := strconv.ParseInt(v, 10, 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		if strings.HasPrefix(v, "-") {
			return math.MinInt64, nil
		}
		return math.MaxInt64, nil
	}
	return n, err
}

// searchFromBody reads a SearchRequest (RFC 7644 §3.4.3).
func (c *call) searchFromBody() (search, error) {
	s := search{startIndex: 1, count: defaultCount}
	body, err := c.body()
	if err != nil {
		return s, err
	}
	if err := checkMessage(body, schema.SearchURN); err != nil {
		return s, err
	}
	for k, v := range body {
		switch strings.ToLower(k) {
		case "schemas":
		case "filter", "sortby", "sortorder":
			str, ok := v.(string)
			if !ok && v != nil {
				return s, badRequest(typeInvalidValue, "The "+k+" member must be a string.")
			}
			switch strings.ToLower(k) {
			case "filter":
				s.filter = str
			case "sortby":
				s.sortBy = str
			default:
				s.sortOrder = str
			}
		case "attributes", "excludedattributes":
			list, err := stringList(k, v)
			if err != nil {
				return s, err
			}
			if strings.ToLower(k) == "attributes" {
				s.attributes = list
			} else {
				s.excluded = list
			}
		case "startindex", "count":
			if v == nil {
				continue
			}
			num, ok := v.(json.Number)
			n, err := queryInt(string(num))
			if !ok || err != nil {
				return s, badRequest(typeInvalidValue, "The "+k+" member must be an integer.")
			}
			if strings.ToLower(k) == "startindex" {
				s.startIndex = max(1, n)
			} else {
				s.count = int(min(max(0, n), maxResults))
			}
		default:
			return s, badRequest(typeInvalidSyntax, "A SearchRequest has no member "+quote(k)+".")
		}
	}
	return s, nil
}

// stringList reads a list of attribute names: an array of strings, or one
// comma-separated string.
func stringList(name string, v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return splitList(x), nil
	case []any:
		var out []string
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, badRequest(typeInvalidValue, "The "+name+" member must be an array of attribute names.")
			}
			out = append(out, splitList(s)...)
		}
		return out, nil
	}
	return nil, badRequest(typeInvalidValue, "The "+name+" member must be an array of attribute names.")
}

// checkMessage checks a protocol message's schemas: exactly its URN.
func checkMessage(body map[string]any, urn string) error {
	list, ok := body["schemas"].([]any)
	if !ok || len(list) != 1 {
		return badRequest(typeInvalidSyntax, `The request body must have "schemas": ["`+urn+`"].`)
	}
	if s, _ := list[0].(string); !strings.EqualFold(s, urn) {
		return badRequest(typeInvalidSyntax, `The request body must have "schemas": ["`+urn+`"].`)
	}
	return nil
}

// query compiles a search into a directory query for one resource type.
func (s search) query(k *kind) (directory.Query, error) {
	q := directory.Query{Limit: s.count, Offset: int(min(s.startIndex-1, math.MaxInt32))}
	if strings.TrimSpace(s.filter) != "" {
		f, err := filter.Compile(s.filter, k.res, k.targets)
		if err != nil {
			return q, err
		}
		q.Filter = f
	}
	desc := false
	switch strings.ToLower(s.sortOrder) {
	case "", "ascending":
	case "descending":
		desc = true
	default:
		return q, badRequest(typeInvalidValue, `The sortOrder must be "ascending" or "descending".`)
	}
	if s.sortBy != "" {
		attr, err := filter.Sort(s.sortBy, k.res, k.targets)
		if err != nil {
			return q, err
		}
		// The store breaks ties by id, so that pages never overlap.
		q.Sort = []directory.SortKey{{Attr: attr, Desc: desc}}
	}
	return q, nil
}

// listResponse writes a ListResponse.
func (c *call) listResponse(s search, total int, items []map[string]any) error {
	resources := make([]any, len(items))
	for i, it := range items {
		resources[i] = it
	}
	return c.respond(200, map[string]any{
		"schemas":      []any{schema.ListURN},
		"totalResults": total,
		"startIndex":   s.startIndex,
		"itemsPerPage": len(items),
		"Resources":    resources,
	})
}

// list answers a search of one resource type.
func (a *api) list(c *call, k *kind, s search) error {
	q, err := s.query(k)
	if err != nil {
		return err
	}
	proj := parseProjection(k.res, s.attributes, s.excluded)
	page, err := k.page(c, q, proj)
	if err != nil {
		return err
	}
	return c.listResponse(s, page.Total, page.Items)
}

func (a *api) listUsers(c *call) error {
	s, err := c.searchFromQuery()
	if err != nil {
		return err
	}
	return a.list(c, a.users, s)
}

func (a *api) listGroups(c *call) error {
	s, err := c.searchFromQuery()
	if err != nil {
		return err
	}
	return a.list(c, a.groups, s)
}

func (a *api) searchUsers(c *call) error {
	s, err := c.searchFromBody()
	if err != nil {
		return err
	}
	return a.list(c, a.users, s)
}

func (a *api) searchGroups(c *call) error {
	s, err := c.searchFromBody()
	if err != nil {
		return err
	}
	return a.list(c, a.groups, s)
}

// searchAll is POST /.search across every resource type: the Users that
// match, then the Groups, each in its own order, paged as one list. A
// filter that names an attribute only one type has finds only that type's
// resources; one that neither has is refused.
func (a *api) searchAll(c *call) error {
	s, err := c.searchFromBody()
	if err != nil {
		return err
	}
	var (
		total    int
		items    []map[string]any
		firstErr error
		compiled int
	)
	offset, limit := int64(s.startIndex-1), int64(s.count)
	for _, k := range []*kind{a.users, a.groups} {
		q, err := s.query(k)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		compiled++
		q.Offset = int(min(max(0, offset-int64(total)), math.MaxInt32))
		q.Limit = int(max(0, limit-int64(len(items))))
		page, err := k.page(c, q, parseProjection(k.res, s.attributes, s.excluded))
		if err != nil {
			return err
		}
		total += page.Total
		items = append(items, page.Items...)
	}
	if compiled == 0 {
		return firstErr
	}
	return c.listResponse(s, total, items)
}
