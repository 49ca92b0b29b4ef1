package httpx

import (
	"bufio"
	"bytes"
	"strings"
)

// OpenAPIOperations lists the operations an OpenAPI document (YAML, paths
// indented by two spaces and methods by four, as Gatehouse's documents are
// written) describes, as "get /path". Each face's tests compare it with the
// face's route table, so that the document cannot drift from the code.
func OpenAPIOperations(doc []byte) []string {
	var ops []string
	sc := bufio.NewScanner(bytes.NewReader(doc))
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
				ops = append(ops, m+" "+path)
			}
		}
	}
	return ops
}
