package filter

import "github.com/gatehouse/gatehouse/internal/directory"

// UserTargets and GroupTargets are what the SCIM face's User and Group
// attributes compile to: the directory's columns, and the attributes whose
// value is the same for every resource. One table each, for the face and
// for this package's tests.
var (
	UserTargets = Targets{
		"id":                {Attr: directory.UserID, ID: true},
		"externalid":        {Attr: directory.UserExternalID},
		"username":          {Attr: directory.UserUsername},
		"displayname":       {Attr: directory.UserDisplayName},
		"name.givenname":    {Attr: directory.UserFirstName},
		"name.familyname":   {Attr: directory.UserLastName},
		"emails.value":      {Attr: directory.UserEmail},
		"emails.type":       {Const: "work"},
		"emails.primary":    {Const: true},
		"active":            {Attr: directory.UserEnabled},
		"locale":            {Attr: directory.UserLocale},
		"groups.value":      {Attr: directory.UserGroup, ID: true},
		"meta.created":      {Attr: directory.UserCreatedAt},
		"meta.lastmodified": {Attr: directory.UserUpdatedAt},
		"meta.resourcetype": {Const: "User"},
	}
	GroupTargets = Targets{
		"id":                {Attr: directory.GroupID, ID: true},
		"externalid":        {Attr: directory.GroupExternalID},
		"displayname":       {Attr: directory.GroupName},
		"members.value":     {Attr: directory.GroupMember, ID: true},
		"members.type":      {Const: "User"},
		"meta.created":      {Attr: directory.GroupCreatedAt},
		"meta.lastmodified": {Attr: directory.GroupUpdatedAt},
		"meta.resourcetype": {Const: "Group"},
	}
)
