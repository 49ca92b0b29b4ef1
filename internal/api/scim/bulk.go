package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// bulkRef is how an operation names the resource another one creates
// (RFC 7644 §3.7.2).
const bulkRef = "bulkId:"

// bulkOp is one operation of a bulk request.
type bulkOp struct {
	method, bulkID, version, path string
	data                          map[string]any
	kind                          *kind
	id                            string // the path's resource id, perhaps a bulkId reference
	refs                          []string
	invalid                       error // set when the operation itself is malformed
}

// bulkDone is what a finished operation left for the others to refer to.
type bulkDone struct {
	kind *kind
	id   string // "" when the operation failed
}

// bulk is POST /Bulk. Operations run in order, each in its own
// transaction (a failed one does not undo the others), until failOnErrors
// of them have failed. An operation that refers to a resource a later one
// creates runs that one first (see bulkRun); operations that refer to each
// other in a circle, or to a bulkId that no operation defines or whose
// operation failed, fail with 409. The answer lists the operations in the
// order they ran.
func (a *api) bulk(c *call) error {
	body, err := c.readObject(a.maxBody)
	var be *httpx.BodyError
	if errors.As(err, &be) && be.Status == http.StatusRequestEntityTooLarge {
		return &scimError{status: http.StatusRequestEntityTooLarge,
			detail: "The bulk request is larger than maxPayloadSize (" + strconv.FormatInt(a.maxBody, 10) + " bytes)."}
	}
	if err != nil {
		return err
	}
	if err := checkMessage(body, schema.BulkRequestURN); err != nil {
		return err
	}
	failOnErrors := 0
	var rawOps []any
	for k, v := range body {
		switch strings.ToLower(k) {
		case "schemas":
		case "failonerrors":
			if v == nil {
				continue
			}
			num, _ := v.(json.Number)
			n, err := strconv.Atoi(string(num))
			if err != nil || n < 1 {
				return badRequest(typeInvalidValue, "failOnErrors must be an integer of at least 1.")
			}
			failOnErrors = n
		case "operations":
			list, ok := v.([]any)
			if !ok {
				return badRequest(typeInvalidSyntax, "Operations must be an array of operations.")
			}
			rawOps = list
		default:
			return badRequest(typeInvalidSyntax, "A BulkRequest has no member "+quote(k)+".")
		}
	}
	if rawOps == nil {
		return badRequest(typeInvalidSyntax, "A BulkRequest must have Operations.")
	}
	if len(rawOps) > maxOperations {
		return &scimError{status: http.StatusRequestEntityTooLarge,
			detail: "The bulk request has " + strconv.Itoa(len(rawOps)) + " operations; maxOperations is " + strconv.Itoa(maxOperations) + "."}
	}
	ops := make([]*bulkOp, len(rawOps))
	defined := map[string]int{} // bulkId → operation index
	for i, raw := range rawOps {
		ops[i] = a.parseBulkOp(raw)
		if id := ops[i].bulkID; id != "" && ops[i].invalid == nil {
			if _, dup := defined[id]; dup {
				return badRequest(typeInvalidValue, "The bulkId "+quote(id)+" is given to more than one operation.")
			}
			defined[id] = i
		}
	}

	r := &bulkRun{a: a, c: c, ops: ops, defined: defined, failOnErrors: failOnErrors,
		done: map[string]bulkDone{}, state: make([]int, len(ops))}
	for i := range ops {
		if r.stopped() {
			break
		}
		r.run(i)
	}
	results := r.results
	if results == nil {
		results = []any{}
	}
	return c.respond(http.StatusOK, map[string]any{"schemas": []any{schema.BulkResponseURN}, "Operations": results})
}

// parseBulkOp reads one operation; a malformed one is kept, with why, so
// that its answer keeps its place.
func (a *api) parseBulkOp(raw any) *bulkOp {
	op := &bulkOp{}
	m, ok := raw.(map[string]any)
	if !ok {
		op.invalid = badRequest(typeInvalidSyntax, "An operation must be an object.")
		return op
	}
	str := func(k string, v any) string {
		s, ok := v.(string)
		if !ok && v != nil && op.invalid == nil {
			op.invalid = badRequest(typeInvalidSyntax, "The operation's "+k+" must be a string.")
		}
		return s
	}
	var dataSeen bool
	for k, v := range m {
		switch strings.ToLower(k) {
		case "method":
			op.method = strings.ToUpper(str(k, v))
		case "bulkid":
			op.bulkID = str(k, v)
		case "version":
			op.version = str(k, v)
		case "path":
			op.path = str(k, v)
		case "data":
			dataSeen = v != nil
			if v == nil {
				continue
			}
			d, ok := v.(map[string]any)
			if !ok && op.invalid == nil {
				op.invalid = badRequest(typeInvalidSyntax, "The operation's data must be an object.")
			}
			op.data = d
		default:
			if op.invalid == nil {
				op.invalid = badRequest(typeInvalidSyntax, "An operation has no member "+quote(k)+".")
			}
		}
	}
	if op.invalid != nil {
		return op
	}
	badPath := badRequest(typeInvalidPath, "An operation's path must be /Users, /Groups, /Users/{id} or /Groups/{id}.")
	var rest string
	switch {
	case op.path == "/Users" || strings.HasPrefix(op.path, "/Users/"):
		op.kind, rest = a.users, op.path[len("/Users"):]
	case op.path == "/Groups" || strings.HasPrefix(op.path, "/Groups/"):
		op.kind, rest = a.groups, op.path[len("/Groups"):]
	default:
		op.invalid = badPath
		return op
	}
	if rest != "" {
		op.id = rest[1:]
		if op.id == "" || strings.Contains(op.id, "/") {
			op.invalid = badPath
			return op
		}
	}
	switch op.method {
	case http.MethodPost:
		if op.id != "" {
			op.invalid = badRequest(typeInvalidPath, "A POST operation's path is /Users or /Groups.")
		} else if op.bulkID == "" {
			op.invalid = badRequest(typeInvalidSyntax, "A POST operation must have a bulkId.")
		}
	case http.MethodPut, http.MethodPatch, http.MethodDelete:
		if op.id == "" {
			op.invalid = badRequest(typeInvalidPath, "A "+op.method+" operation's path names one resource: /Users/{id} or /Groups/{id}.")
		}
	default:
		op.invalid = badRequest(typeInvalidSyntax, "An operation's method must be POST, PUT, PATCH or DELETE.")
	}
	if op.invalid == nil && op.method != http.MethodDelete && !dataSeen {
		op.invalid = badRequest(typeInvalidSyntax, "A "+op.method+" operation must have data.")
	}
	if op.invalid == nil {
		if strings.HasPrefix(op.id, bulkRef) {
			op.refs = append(op.refs, op.id[len(bulkRef):])
		}
		collectRefs(op.data, &op.refs)
	}
	return op
}

// collectRefs finds the bulkId references in a value: strings that are
// "bulkId:" and an id.
func collectRefs(v any, refs *[]string) {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, bulkRef) {
			*refs = append(*refs, x[len(bulkRef):])
		}
	case map[string]any:
		for _, y := range x {
			collectRefs(y, refs)
		}
	case []any:
		for _, y := range x {
			collectRefs(y, refs)
		}
	}
}

// bulkRun runs a bulk request's operations: in order, except that an
// operation first runs the operations that create what it refers to, so
// that a group can name members that later operations create. An
// operation reached again while its own references are being resolved
// closes a circle, and fails.
type bulkRun struct {
	a            *api
	c            *call
	ops          []*bulkOp
	defined      map[string]int // bulkId → operation index
	done         map[string]bulkDone
	state        []int // 0 not run, 1 resolving its references, 2 run
	failOnErrors int
	failures     int
	results      []any
}

func (r *bulkRun) stopped() bool { return r.failOnErrors > 0 && r.failures >= r.failOnErrors }

func (r *bulkRun) run(i int) {
	if r.state[i] != 0 {
		return
	}
	op := r.ops[i]
	r.state[i] = 1
	err := op.invalid
	if err == nil {
		for _, ref := range op.refs {
			j, ok := r.defined[ref]
			switch {
			case !ok:
				err = &scimError{status: http.StatusConflict, scimType: typeInvalidValue,
					detail: "No operation of the request has the bulkId " + quote(ref) + "."}
			case r.state[j] == 1:
				err = &scimError{status: http.StatusConflict, scimType: typeInvalidValue,
					detail: "The operation refers to bulkId " + quote(ref) + ", whose operation in turn depends on this one (a circular reference)."}
			default:
				r.run(j)
				if r.stopped() {
					r.state[i] = 0 // not run: the request stopped first
					return
				}
				if d := r.done[ref]; d.id == "" {
					err = &scimError{status: http.StatusConflict, scimType: typeInvalidValue,
						detail: "The operation with bulkId " + quote(ref) + " failed, so nothing can refer to it."}
				}
			}
			if err != nil {
				break
			}
		}
	}
	if err == nil {
		err = op.substitute(r.done)
	}
	var res map[string]any
	if err == nil {
		res = r.a.runBulkOp(r.c, op)
	} else {
		res = op.result(r.a.asSCIM(r.c.r, err), "", "", nil)
	}
	r.state[i] = 2
	status, _ := strconv.Atoi(res["status"].(string))
	ok := status < 300
	if !ok {
		r.failures++
	}
	if op.bulkID != "" && op.invalid == nil {
		d := bulkDone{kind: op.kind}
		if ok && op.method == http.MethodPost {
			d.id, _ = res[attrID].(string)
		}
		r.done[op.bulkID] = d
	}
	delete(res, attrID)
	r.results = append(r.results, res)
}

// substitute replaces bulkId references by the ids of the resources they
// name. A path's reference must name a resource of the path's type; one in
// data must name a User, the only resource other resources refer to
// (members, manager).
func (op *bulkOp) substitute(done map[string]bulkDone) error {
	if ref, ok := strings.CutPrefix(op.id, bulkRef); ok {
		d := done[ref]
		if d.kind != op.kind {
			return badRequest(typeInvalidValue, "bulkId:"+ref+" names a "+d.kind.name+", not a "+op.kind.name+".")
		}
		op.id = d.id
	}
	var err error
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			if ref, ok := strings.CutPrefix(x, bulkRef); ok {
				d := done[ref]
				if d.kind.name != "User" && err == nil {
					err = badRequest(typeInvalidValue, "bulkId:"+ref+" names a "+d.kind.name+"; only users can be referred to.")
				}
				return d.id
			}
		case map[string]any:
			for k, y := range x {
				x[k] = walk(y)
			}
		case []any:
			for i, y := range x {
				x[i] = walk(y)
			}
		}
		return v
	}
	if op.data != nil {
		walk(op.data)
	}
	return err
}

// result is an operation's entry in the BulkResponse; a failure carries
// its SCIM Error as the response.
func (op *bulkOp) result(e *scimError, location, version string, created map[string]any) map[string]any {
	res := map[string]any{"method": op.method}
	if op.bulkID != "" {
		res["bulkId"] = op.bulkID
	}
	if location != "" {
		res["location"] = location
	}
	if version != "" {
		res["version"] = version
	}
	if e != nil {
		res["status"] = strconv.Itoa(e.status)
		res["response"] = errorDoc(e)
	}
	if created != nil {
		res[attrID] = created[attrID]
	}
	return res
}

// runBulkOp runs one resolved operation through the same handler as the
// request it stands for, and records its answer.
func (a *api) runBulkOp(c *call, op *bulkOp) map[string]any {
	var h handler
	switch {
	case op.kind == a.users && op.method == http.MethodPost:
		h = a.createUser
	case op.kind == a.users && op.method == http.MethodPut:
		h = a.replaceUser
	case op.kind == a.users && op.method == http.MethodPatch:
		h = a.patchUser
	case op.kind == a.users:
		h = a.deleteUser
	case op.method == http.MethodPost:
		h = a.createGroup
	case op.method == http.MethodPut:
		h = a.replaceGroup
	case op.method == http.MethodPatch:
		h = a.patchGroup
	default:
		h = a.deleteGroup
	}
	var body []byte
	if op.data != nil {
		body, _ = json.Marshal(op.data) // decoded JSON always marshals
	}
	r := c.r.Clone(c.ctx())
	r.Method = op.method
	path := op.kind.endpoint
	if op.id != "" {
		path += "/" + op.id
	}
	r.URL = &url.URL{Path: prefix + path}
	r.RequestURI = prefix + path
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header = http.Header{"Content-Type": {scimJSON}}
	if op.version != "" {
		r.Header.Set("If-Match", op.version)
	}
	if op.id != "" {
		r.SetPathValue("id", op.id)
	}
	rec := &recorder{header: http.Header{}}
	oc := &call{a: a, w: rec, r: r, query: url.Values{}}
	if err := h(oc); err != nil {
		e := a.asSCIM(r, err)
		return op.result(e, "", "", nil)
	}
	location := rec.header.Get("Location")
	if location == "" {
		location = c.base() + path
	}
	res := op.result(nil, location, rec.header.Get("ETag"), nil)
	res["status"] = strconv.Itoa(rec.status)
	if op.method == http.MethodPost {
		var created map[string]any
		if json.Unmarshal(rec.body.Bytes(), &created) == nil {
			res[attrID] = created[attrID]
		}
	}
	return res
}

// recorder captures the answer of one bulk operation.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
