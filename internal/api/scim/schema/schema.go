package schema

// Schema is a SCIM schema (RFC 7643 §7): a URN and its attributes.
type Schema struct {
	ID, Name, Description string
	Attributes            []*Attribute
}

// Attribute returns the top-level attribute named name, matched without
// regard to case, or nil.
func (s *Schema) Attribute(name string) *Attribute {
	return find(s.Attributes, name)
}
