package schema

// The helpers below keep the schema definitions short: an attribute is
// readWrite, returned by default, not unique, not caseExact, single-valued
// and optional unless an option says otherwise, which are RFC 7643 §2.2's
// defaults.

type option func(*Attribute)

func attr(name string, t Type, desc string, opts ...option) *Attribute {
	a := &Attribute{Name: name, Type: t, Description: desc,
		Mutability: ReadWrite, Returned: Default, Uniqueness: None}
	for _, o := range opts {
		o(a)
	}
	return a
}

func str(name, desc string, opts ...option) *Attribute { return attr(name, String, desc, opts...) }

func complexAttr(name, desc string, subs []*Attribute, opts ...option) *Attribute {
	return attr(name, Complex, desc, append(opts, func(a *Attribute) { a.SubAttributes = subs })...)
}

func multi(a *Attribute)     { a.MultiValued = true }
func required(a *Attribute)  { a.Required = true }
func caseExact(a *Attribute) { a.CaseExact = true }
func readOnly(a *Attribute)  { a.Mutability = ReadOnly }
func immutable(a *Attribute) { a.Mutability = Immutable }
func writeOnly(a *Attribute) { a.Mutability = WriteOnly }
func always(a *Attribute)    { a.Returned = Always }
func never(a *Attribute)     { a.Returned = Never }
func uniqueServer(a *Attribute) {
	a.Uniqueness = Server
}

func canonical(values ...string) option {
	return func(a *Attribute) { a.CanonicalValues = values }
}

// ref makes a reference attribute to the given resource types ("User",
// "external", "uri"); references compare exactly (RFC 7643 §2.3.7).
func ref(types ...string) option {
	return func(a *Attribute) { a.Type = Reference; a.ReferenceTypes = types; a.CaseExact = true }
}

// Common attributes (RFC 7643 §3.1). The RFC keeps them out of the
// schemas; this server lists them in each core schema, as §3.1 allows,
// so that one lookup resolves every path a client may send.
func idAttr() *Attribute {
	return str("id", "The resource's unique identifier, issued by the service provider: a decimal number.",
		readOnly, always, caseExact, uniqueServer)
}

func externalIDAttr() *Attribute {
	return str("externalId", "The resource's identifier in the provisioning client.", caseExact)
}

func metaAttr() *Attribute {
	return complexAttr("meta", "Resource metadata.", []*Attribute{
		str("resourceType", "The name of the resource type.", readOnly, caseExact),
		attr("created", DateTime, "When the resource was added.", readOnly),
		attr("lastModified", DateTime, "When the resource was last changed.", readOnly),
		str("location", "The URI of the resource.", readOnly, ref("uri")),
		str("version", "The resource's version, the value of its ETag.", readOnly, caseExact),
	}, readOnly)
}
