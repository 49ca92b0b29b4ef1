package schema

// Group is the core Group schema (RFC 7643 §4.2) as this server supports
// it. Members are users only: the directory has no nested groups, so
// "Group" is neither a member type nor a member reference type here.
var Group = &Schema{
	ID:          GroupURN,
	Name:        "Group",
	Description: "Group",
	Attributes: []*Attribute{
		idAttr(),
		externalIDAttr(),
		str("displayName", "The name of the group.", required),
		complexAttr("members", "The users that are direct members of the group.", []*Attribute{
			str("value", "The id of the member's User resource.", immutable),
			str("$ref", "The URI of the member's User resource.", immutable, ref("User")),
			// The server shows the member's own displayName; a value a
			// client sends is ignored.
			str("display", "The member's display name.", readOnly),
			str("type", "The kind of member.", immutable, canonical("User")),
		}, multi),
		metaAttr(),
	},
}
