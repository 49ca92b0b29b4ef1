package schema

// User is the core User schema (RFC 7643 §4.1) as this server supports
// it: only attributes the directory stores. ims, photos, entitlements,
// roles and x509Certificates are left out rather than accepted and lost.
var User = &Schema{
	ID:          UserURN,
	Name:        "User",
	Description: "User Account",
	Attributes: []*Attribute{
		idAttr(),
		externalIDAttr(),
		str("userName", "The unique identifier the user signs in with.", required, uniqueServer),
		complexAttr("name", "The components of the user's name.", []*Attribute{
			str("formatted", "The full name, formatted for display."),
			str("familyName", "The family name (last name in most Western languages)."),
			str("givenName", "The given name (first name in most Western languages)."),
			str("middleName", "The middle name."),
			str("honorificPrefix", "The honorific prefix or title, such as Ms."),
			str("honorificSuffix", "The honorific suffix, such as III."),
		}),
		str("displayName", "The name of the user, suitable for display to end users."),
		str("nickName", "The casual way to address the user."),
		str("profileUrl", "A URI of the user's online profile.", ref("external")),
		str("title", "The user's title, such as Vice President."),
		str("userType", "The relationship between the organization and the user, such as Employee."),
		str("preferredLanguage", "The user's preferred written or spoken language, as in an HTTP Accept-Language header."),
		str("locale", "The user's default location for localization, such as en-US."),
		str("timezone", "The user's time zone in IANA format, such as America/Los_Angeles."),
		attr("active", Boolean, "Whether the user may sign in."),
		str("password", "Accepted on create and replace and then dropped: users provisioned over SCIM sign in through their identity provider, so this server keeps no SCIM password (changePassword is false), and a PATCH of it is refused.", writeOnly, never),
		complexAttr("emails", "E-mail addresses of the user.", []*Attribute{
			str("value", "The e-mail address."),
			str("type", "The kind of address.", canonical("work", "home", "other")),
			str("display", "A label for display."),
			attr("primary", Boolean, "Whether this is the user's primary address; at most one is."),
		}, multi),
		complexAttr("phoneNumbers", "Phone numbers of the user.", []*Attribute{
			str("value", "The phone number."),
			str("type", "The kind of number.", canonical("work", "home", "mobile", "fax", "pager", "other")),
			str("display", "A label for display."),
			attr("primary", Boolean, "Whether this is the user's primary number; at most one is."),
		}, multi),
		complexAttr("addresses", "Physical mailing addresses of the user.", []*Attribute{
			str("formatted", "The full address, formatted for display or mailing labels."),
			str("streetAddress", "The street address: house number, street name, P.O. box."),
			str("locality", "The city or locality."),
			str("region", "The state or region."),
			str("postalCode", "The zip or postal code."),
			str("country", "The country, as an ISO 3166-1 alpha-2 code."),
			str("type", "The kind of address.", canonical("work", "home", "other")),
			attr("primary", Boolean, "Whether this is the user's primary address; at most one is."),
		}, multi),
		complexAttr("groups", "The groups the user is a direct member of; change them through the groups.", []*Attribute{
			str("value", "The id of the group.", readOnly),
			str("$ref", "The URI of the group.", readOnly, ref("Group")),
			str("display", "The name of the group.", readOnly),
			str("type", "How the user belongs to the group: directly.", readOnly, canonical("direct")),
		}, multi, readOnly),
		metaAttr(),
	},
}

// EnterpriseUser is the enterprise User extension (RFC 7643 §4.3).
var EnterpriseUser = &Schema{
	ID:          EnterpriseURN,
	Name:        "EnterpriseUser",
	Description: "Enterprise User",
	Attributes: []*Attribute{
		str("employeeNumber", "A number that identifies the user in the organization."),
		str("costCenter", "The name of a cost center."),
		str("organization", "The name of an organization."),
		str("division", "The name of a division."),
		str("department", "The name of a department."),
		// The directory keeps the manager's display name as the client
		// sent it, so it is readWrite here, not readOnly as in the RFC.
		complexAttr("manager", "The user's manager.", []*Attribute{
			str("value", "The id of the manager's User resource."),
			str("$ref", "The URI of the manager's User resource.", ref("User")),
			str("displayName", "The manager's display name."),
		}),
	},
}
