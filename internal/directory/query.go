package directory

import (
	"errors"
	"fmt"
	"time"
)

// Expr is a filter: the small AST every face compiles its filters into
// (PRA query parameters, SCIM filter expressions, BeyondInsight ?username=)
// and every Store compiles into SQL with bound parameters.
type Expr interface{ expr() }

// And matches when every operand matches; an empty And matches everything.
type And []Expr

// Or matches when any operand matches.
type Or []Expr

// Not inverts its operand.
type Not struct{ X Expr }

// Compare tests an attribute against a value. Value's Go type must match
// the attribute's type (string, int64, bool or time.Time).
type Compare struct {
	Attr  Attr
	Op    Op
	Value any
}

// Present matches when the attribute has a non-empty value.
type Present struct{ Attr Attr }

func (And) expr()     {}
func (Or) expr()      {}
func (Not) expr()     {}
func (Compare) expr() {}
func (Present) expr() {}

// Op is a comparison operator, named as in SCIM (RFC 7644 §3.4.2.2).
type Op string

const (
	OpEq Op = "eq"
	OpNe Op = "ne"
	OpCo Op = "co"
	OpSw Op = "sw"
	OpEw Op = "ew"
	OpGt Op = "gt"
	OpGe Op = "ge"
	OpLt Op = "lt"
	OpLe Op = "le"
)

// Attr names a filterable, sortable attribute of an entity.
type Attr string

// AttrType is the value type of an attribute.
type AttrType int

const (
	TypeString AttrType = iota + 1
	TypeInt
	TypeBool
	TypeTime
)

// AttrInfo describes an attribute: its type and, for strings, whether it
// compares case-sensitively. Strings compare case-insensitively unless
// CaseExact, as PRA ("matched case-insensitively") and SCIM (caseExact
// false for names) both require.
type AttrInfo struct {
	Type      AttrType
	CaseExact bool
	// Membership attributes are not columns but a relation: "the group has
	// the user as a direct member" (GroupMember), its converse (UserGroup),
	// and "the team has the user" (TeamMember). They take eq and ne, and pr
	// (any member at all).
	Membership bool
}

// User attributes.
const (
	UserID                 Attr = "user.id"
	UserUsername           Attr = "user.username"
	UserDisplayName        Attr = "user.display_name"
	UserFirstName          Attr = "user.first_name"
	UserLastName           Attr = "user.last_name"
	UserEmail              Attr = "user.email"
	UserEnabled            Attr = "user.enabled"
	UserQuarantined        Attr = "user.quarantined"
	UserSource             Attr = "user.source"
	UserSecurityProviderID Attr = "user.security_provider_id"
	UserExternalID         Attr = "user.external_id"
	UserLocale             Attr = "user.locale"
	UserCreatedAt          Attr = "user.created_at"
	UserUpdatedAt          Attr = "user.updated_at"
	UserClientID           Attr = "user.client_id"
	UserDomainName         Attr = "user.domain_name"
	// UserGroup eq G: the user is a direct member of group G.
	UserGroup Attr = "user.group"
)

// Group attributes.
const (
	GroupID         Attr = "group.id"
	GroupName       Attr = "group.name"
	GroupExternalID Attr = "group.external_id"
	GroupSource     Attr = "group.source"
	GroupCreatedAt  Attr = "group.created_at"
	GroupUpdatedAt  Attr = "group.updated_at"
	// GroupMember eq U: user U is a direct member of the group.
	GroupMember Attr = "group.member"
)

// Team, API account and event attributes.
const (
	TeamName     Attr = "team.name"
	TeamCodeName Attr = "team.code_name"
	// TeamMember eq U: user U is on the team, in any role.
	TeamMember       Attr = "team.member"
	APIAccountName   Attr = "api_account.name"
	RegistrationName Attr = "api_registration.name"
	EventTargetType  Attr = "event.target_type"
	EventTargetID    Attr = "event.target_id"
	EventAction      Attr = "event.action"
	EventAt          Attr = "event.at"
	// EventActorKind and EventActorID are the actor's kind and id (0 for
	// cli and system), which AuditFilter.Actor tests.
	EventActorKind Attr = "event.actor_kind"
	EventActorID   Attr = "event.actor_id"
)

// Id attributes of the lists that can grow large (a group's members, the
// audit log), so that a scan of a whole list can page by id (keyset)
// rather than by an offset, which costs more on every page. A team's user
// list pages by UserID.
const (
	MemberID Attr = "member.id"
	EventID  Attr = "event.id"
	SecretID Attr = "secret.id"
)

// Attrs lists every attribute; a Store must compile each of them.
var Attrs = map[Attr]AttrInfo{
	UserID:                 {Type: TypeInt},
	UserUsername:           {Type: TypeString},
	UserDisplayName:        {Type: TypeString},
	UserFirstName:          {Type: TypeString},
	UserLastName:           {Type: TypeString},
	UserEmail:              {Type: TypeString},
	UserEnabled:            {Type: TypeBool},
	UserQuarantined:        {Type: TypeBool},
	UserSource:             {Type: TypeString, CaseExact: true},
	UserSecurityProviderID: {Type: TypeInt},
	UserExternalID:         {Type: TypeString, CaseExact: true},
	UserLocale:             {Type: TypeString},
	UserCreatedAt:          {Type: TypeTime},
	UserUpdatedAt:          {Type: TypeTime},
	UserClientID:           {Type: TypeString, CaseExact: true},
	UserDomainName:         {Type: TypeString},
	UserGroup:              {Type: TypeInt, Membership: true},
	GroupMember:            {Type: TypeInt, Membership: true},
	GroupID:                {Type: TypeInt},
	GroupName:              {Type: TypeString},
	GroupExternalID:        {Type: TypeString, CaseExact: true},
	GroupSource:            {Type: TypeString, CaseExact: true},
	GroupCreatedAt:         {Type: TypeTime},
	GroupUpdatedAt:         {Type: TypeTime},
	TeamName:               {Type: TypeString},
	TeamCodeName:           {Type: TypeString},
	TeamMember:             {Type: TypeInt, Membership: true},
	APIAccountName:         {Type: TypeString},
	EventTargetType:        {Type: TypeString, CaseExact: true},
	EventTargetID:          {Type: TypeInt},
	EventAction:            {Type: TypeString, CaseExact: true},
	EventAt:                {Type: TypeTime},
	EventActorKind:         {Type: TypeString, CaseExact: true},
	EventActorID:           {Type: TypeInt},
	MemberID:               {Type: TypeInt},
	EventID:                {Type: TypeInt},
	SecretID:               {Type: TypeInt},
	RegistrationName:       {Type: TypeString},
}

// Eq is shorthand for the commonest filter.
func Eq(a Attr, v any) Expr { return Compare{Attr: a, Op: OpEq, Value: v} }

// SortKey orders a list by one attribute.
type SortKey struct {
	Attr Attr
	Desc bool
}

// Query asks a Store for one page of a list. Without Sort, lists are in ID
// order, which is creation order (and group policy priority order).
type Query struct {
	Filter Expr // nil matches everything
	Sort   []SortKey
	Offset int
	Limit  int // rows per page; 0 returns no rows, only the total
	// NoTotal leaves Page.Total at 0 instead of counting the matches. A
	// scan that pages through a whole list by id needs no total, and
	// counting the rest of the list on every page would make it quadratic.
	NoTotal bool
}

// Page is one page of a list and the total number of matches.
type Page[T any] struct {
	Items []T
	Total int
}

// MaxPageSize is the largest page any face may ask a Store for. A Store
// refuses a larger Limit (see CheckPage) rather than clamp it, because a
// caller given a clamped page could take it for the whole list.
const MaxPageSize = 1000

// CheckPage refuses a Query a Store must not run: a negative Offset or
// Limit, or a Limit above MaxPageSize. The faces cap their clients' page
// sizes, so this is a caller's bug, not a client's error.
func CheckPage(q Query) error {
	if q.Limit < 0 || q.Offset < 0 {
		return errors.New("directory: negative limit or offset")
	}
	if q.Limit > MaxPageSize {
		return fmt.Errorf("directory: limit %d above the maximum page of %d", q.Limit, MaxPageSize)
	}
	return nil
}

// MaxFilterBytes bounds the text of any filter or filtering query
// parameter a client sends, checked before it is parsed: room for
// MaxFilterTests short comparisons, and far less than a parser, a log line
// or an error message should ever handle.
const MaxFilterBytes = 32 << 10

// MsgFilterBytes phrases MaxFilterBytes, to follow the parameter's name.
var MsgFilterBytes = "may be at most " + itoa(MaxFilterBytes) + " bytes long"

// Limits on a filter's size, which a client controls. Membership tests
// compile to subqueries that PostgreSQL plans as joins: the planning time
// grows steeply with their number (50 take 0.4 s, 300 over a minute), so
// they are few; the whole filter is bounded too.
const (
	MaxMembershipTests = 20
	MaxFilterTests     = 1000
)

// CheckFilterSize refuses a filter with more tests than the limits allow,
// as a KindInvalid error on the field "filter", so that a face can tell
// its client.
func CheckFilterSize(e Expr) error {
	tests, memberships := countTests(e)
	switch {
	case memberships > MaxMembershipTests:
		return Problems{"filter": {"may test group membership at most " + itoa(MaxMembershipTests) + " times"}}.Err()
	case tests > MaxFilterTests:
		return Problems{"filter": {"may hold at most " + itoa(MaxFilterTests) + " comparisons"}}.Err()
	}
	return nil
}

func countTests(e Expr) (tests, memberships int) {
	var list []Expr
	switch x := e.(type) {
	case And:
		list = x
	case Or:
		list = x
	case Not:
		return countTests(x.X)
	case Compare:
		if Attrs[x.Attr].Membership {
			return 1, 1
		}
		return 1, 0
	case Present:
		if Attrs[x.Attr].Membership {
			return 1, 1
		}
		return 1, 0
	}
	for _, y := range list {
		t, m := countTests(y)
		tests, memberships = tests+t, memberships+m
	}
	return tests, memberships
}

// CheckExpr verifies that every attribute in e exists and that each value
// has the attribute's type, and that e is within the size limits. Stores
// call it before compiling, so that a face's mistake is an error, never a
// wrong query.
func CheckExpr(e Expr) error {
	if err := CheckFilterSize(e); err != nil {
		return err
	}
	return checkExpr(e)
}

func checkExpr(e Expr) error {
	switch x := e.(type) {
	case nil:
		return nil
	case And:
		for _, y := range x {
			if err := checkExpr(y); err != nil {
				return err
			}
		}
	case Or:
		for _, y := range x {
			if err := checkExpr(y); err != nil {
				return err
			}
		}
	case Not:
		return checkExpr(x.X)
	case Present:
		if _, ok := Attrs[x.Attr]; !ok {
			return fmt.Errorf("unknown attribute %q", x.Attr)
		}
	case Compare:
		info, ok := Attrs[x.Attr]
		if !ok {
			return fmt.Errorf("unknown attribute %q", x.Attr)
		}
		var typeOK bool
		switch x.Value.(type) {
		case string:
			typeOK = info.Type == TypeString
		case int64:
			typeOK = info.Type == TypeInt
		case bool:
			typeOK = info.Type == TypeBool
		case time.Time:
			typeOK = info.Type == TypeTime
		}
		if !typeOK {
			return fmt.Errorf("attribute %q does not take a %T", x.Attr, x.Value)
		}
		if info.Membership && x.Op != OpEq && x.Op != OpNe {
			return fmt.Errorf("attribute %q takes only eq and ne", x.Attr)
		}
		switch x.Op {
		case OpEq, OpNe, OpGt, OpGe, OpLt, OpLe:
		case OpCo, OpSw, OpEw:
			if info.Type != TypeString {
				return fmt.Errorf("operator %s applies only to strings", x.Op)
			}
		default:
			return fmt.Errorf("unknown operator %q", x.Op)
		}
	default:
		return fmt.Errorf("unknown expression %T", e)
	}
	return nil
}
