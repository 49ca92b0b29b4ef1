package pra

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"testing"
)

// The served OpenAPI document describes exactly the operations the face
// routes: a route without documentation, or documentation of a route that
// does not exist, fails here.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var routed []string
	for _, rt := range (&api{}).routes() {
		for method := range rt.ops {
			routed = append(routed, strings.ToLower(method)+" "+rt.path)
		}
	}
	var documented []string
	sc := bufio.NewScanner(bytes.NewReader(openAPIDoc))
	inPaths, path := false, ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && len(line) > 0 && line[0] != ' ' && line[0] != '#':
			inPaths = false
		case inPaths && strings.HasPrefix(line, "  /") && strings.HasSuffix(line, ":"):
			path = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case inPaths && path != "" && len(line) > 4 && line[:4] == "    " && line[4] != ' ':
			switch m := strings.TrimSuffix(strings.TrimSpace(line), ":"); m {
			case "get", "post", "patch", "put", "delete":
				documented = append(documented, m+" "+path)
			}
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes and openapi.yaml differ:\nrouted:     %q\ndocumented: %q", routed, documented)
	}
}
