package auth

import "strings"

// parsePSAuth reads BeyondInsight's header,
//
//	PS-Auth key=<api key>; runas=<user name>; pwd=[<password>];
//
// where the pwd part is optional and the password, between the brackets,
// may itself hold any character, semicolons and brackets included: it runs
// to the last "]". pwd is nil when the header has no pwd part. Names are
// case-insensitive and spaces around parts are ignored, as BeyondInsight
// does.
func parsePSAuth(h string) (key, runAs string, pwd *string, ok bool) {
	const scheme = "ps-auth "
	if len(h) <= len(scheme) || !asciiEqualFold(h[:len(scheme)], scheme) {
		return "", "", nil, false
	}
	rest := h[len(scheme):]
	for {
		rest = strings.TrimLeft(rest, " ;")
		if rest == "" {
			break
		}
		name, value, found := strings.Cut(rest, "=")
		if !found {
			return "", "", nil, false
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "pwd":
			v := strings.TrimLeft(value, " ")
			end := strings.LastIndexByte(v, ']')
			if !strings.HasPrefix(v, "[") || end < 0 || strings.Trim(v[end+1:], " ;") != "" {
				return "", "", nil, false
			}
			p := v[1:end]
			pwd, rest = &p, ""
			continue
		case "key":
			value, rest, _ = strings.Cut(value, ";")
			key = strings.TrimSpace(value)
		case "runas":
			value, rest, _ = strings.Cut(value, ";")
			runAs = strings.TrimSpace(value)
		default:
			return "", "", nil, false
		}
	}
	return key, runAs, pwd, key != "" && runAs != ""
}
