package schema

import "strings"

// Type is an attribute's data type (RFC 7643 §2.3).
type Type string

const (
	String    Type = "string"
	Boolean   Type = "boolean"
	Decimal   Type = "decimal"
	Integer   Type = "integer"
	DateTime  Type = "dateTime"
	Binary    Type = "binary"
	Reference Type = "reference"
	Complex   Type = "complex"
)

// Attribute characteristics (RFC 7643 §2.2), spelled as on the wire.
const (
	ReadOnly  = "readOnly"
	ReadWrite = "readWrite"
	Immutable = "immutable"
	WriteOnly = "writeOnly"

	Always  = "always"
	Never   = "never"
	Default = "default"
	Request = "request"

	None   = "none"
	Server = "server"
	Global = "global"
)

// Attribute describes one attribute or sub-attribute (RFC 7643 §7).
type Attribute struct {
	Name        string
	Type        Type
	MultiValued bool
	Required    bool
	CaseExact   bool
	Mutability  string // ReadOnly, ReadWrite, Immutable or WriteOnly
	Returned    string // Always, Never, Default or Request
	Uniqueness  string // None, Server or Global
	Description string
	// CanonicalValues suggest values ("work", "home"); like RFC 7643 §2.3.1
	// they are not enforced.
	CanonicalValues []string
	ReferenceTypes  []string
	SubAttributes   []*Attribute
}

// SubAttribute returns the sub-attribute named name, matched without
// regard to case (RFC 7643 §2.1), or nil.
func (a *Attribute) SubAttribute(name string) *Attribute {
	return find(a.SubAttributes, name)
}

// ValueSub returns the "value" sub-attribute of a complex attribute, or
// nil. Filters and PATCH let "emails" stand for "emails.value" (RFC 7644
// §3.4.2.2), and Entra ID sends a manager as the bare value.
func (a *Attribute) ValueSub() *Attribute {
	if a.Type != Complex {
		return nil
	}
	return a.SubAttribute("value")
}

func find(attrs []*Attribute, name string) *Attribute {
	for _, a := range attrs {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}
