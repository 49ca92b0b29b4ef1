package scim

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// A SCIM document is built as map[string]any (which PATCH and projection
// work on) and written with its members in a fixed, readable order: the
// order of RFC 7643's examples, then any other member by name.
var keyOrder = func() map[string]int {
	keys := []string{
		// messages
		"schemas", "status", "scimType", "detail", "totalResults", "startIndex", "itemsPerPage", "Resources", "Operations",
		// common attributes, then User, Group and their sub-attributes
		"id", "externalId", "userName", "name", "formatted", "familyName", "givenName", "middleName",
		"honorificPrefix", "honorificSuffix", "displayName", "nickName", "profileUrl", "title", "userType",
		"preferredLanguage", "locale", "timezone", "active", "emails", "phoneNumbers", "addresses",
		"streetAddress", "locality", "region", "postalCode", "country", "groups", "members",
		"value", "display", "$ref", "type", "primary",
		"employeeNumber", "costCenter", "organization", "division", "department", "manager",
		// discovery
		"documentationUri", "patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes",
		"supported", "maxOperations", "maxPayloadSize", "maxResults", "specUri", "description", "endpoint",
		"schema", "schemaExtensions", "required", "attributes",
		// meta's sub-attributes, bulk operations, and meta itself last
		"resourceType", "created", "lastModified", "method", "bulkId", "location", "version", "path", "response",
		"meta",
	}
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}()

// encode appends v as JSON. Documents hold maps, slices of any or of
// maps, strings, booleans, integers and json.Number.
func encode(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareKeys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = encode(b, x[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, y := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = encode(b, y)
		}
		return append(b, ']')
	case []map[string]any:
		b = append(b, '[')
		for i, y := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = encode(b, y)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, y := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, y)
		}
		return append(b, ']')
	case string:
		return appendString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err == nil {
			return append(b, x...)
		}
		return appendString(b, string(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	default:
		// Not reached by the face's own documents; encoding/json keeps
		// any other value valid JSON.
		out, err := json.Marshal(x)
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, out...)
	}
}

func compareKeys(x, y string) int {
	rx, okx := keyOrder[x]
	ry, oky := keyOrder[y]
	switch {
	case okx && oky:
		return rx - ry
	case okx:
		if strings.HasPrefix(y, "urn:") && x == "meta" {
			return 1 // extensions come before meta
		}
		return -1
	case oky:
		if strings.HasPrefix(x, "urn:") && y == "meta" {
			return -1
		}
		return 1
	}
	return strings.Compare(x, y)
}

func appendString(b []byte, s string) []byte {
	var j httpx.JSON
	j.StringValue(s)
	return append(b, j.Bytes()...)
}

// mediaType is what a response is sent as: application/scim+json, or
// application/json for a client whose Accept names only that.
func mediaType(r *http.Request) string {
	if r != nil && !httpx.Accepts(r.Header, scimJSON) && httpx.Accepts(r.Header, plainJSON) {
		return plainJSON
	}
	return scimJSON
}

const (
	scimJSON  = "application/scim+json"
	plainJSON = "application/json"
)

// writeJSON writes a JSON body with its status.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", mediaType(r))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
