package console

import "strings"

// navLink is one entry of the navigation every signed-in page shows.
type navLink struct {
	Label, Path string
	Current     bool
}

// nav lists the console's areas in the order the navigation shows them.
// An area's pages live under its Path (the Overview is the console's root
// alone). Add an area here when adding its pages.
var nav = []navLink{
	{Label: "Overview", Path: Prefix + "/"},
	{Label: "Users", Path: Prefix + "/users"},
	{Label: "Group policies", Path: Prefix + "/groups"},
	{Label: "Teams", Path: Prefix + "/teams"},
	{Label: "API accounts", Path: Prefix + "/accounts"},
	{Label: "API registrations", Path: Prefix + "/registrations"},
	{Label: "Audit log", Path: Prefix + "/audit"},
}

// navFor returns the navigation with the area of path marked current.
func navFor(path string) []navLink {
	out := make([]navLink, len(nav))
	for i, l := range nav {
		l.Current = path == l.Path || l.Path != Prefix+"/" && strings.HasPrefix(path, l.Path+"/")
		out[i] = l
	}
	return out
}
