package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// A scenario's requests are declared once, as templates with
// placeholders, and both load generators consume the same declaration:
// the Go generator expands them in runLoad and the wrk generator turns
// them into a Lua script (bench_wrk.go), so the two cannot drift.
//
// Placeholders, each replaced by the same value everywhere it appears in
// one request:
//
//	{id}   a user id drawn uniformly from 1..users
//	{run}  a tag unique to this load run (the bench's random run id and the
//	       run's sequence number), so that repeated runs against a reused
//	       database never make the same username twice
//	{n}    the request's sequence number in this load run, from 1, unique
//	       across connections (Go) and threads (wrk)
//	{w}    the worker: the connection (Go) or the wrk thread, from 0
//	{i}    the request's sequence number on that worker, from 0

// placeholder names one of the values above; phLiteral is plain text.
type placeholder int

const (
	phLiteral placeholder = iota
	phID
	phRun
	phN
	phW
	phI
)

var placeholderNames = []struct {
	text string
	ph   placeholder
}{{"{id}", phID}, {"{run}", phRun}, {"{n}", phN}, {"{w}", phW}, {"{i}", phI}}

// tmplPart is a literal or a placeholder.
type tmplPart struct {
	ph  placeholder
	lit string
}

// tmpl is a compiled template string.
type tmpl []tmplPart

// compileTmpl splits s into literals and placeholders. Braces that do not
// start a placeholder (JSON bodies) are literal.
func compileTmpl(s string) tmpl {
	var t tmpl
	lit := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		for _, p := range placeholderNames {
			if strings.HasPrefix(s[i:], p.text) {
				if lit < i {
					t = append(t, tmplPart{lit: s[lit:i]})
				}
				t = append(t, tmplPart{ph: p.ph})
				i += len(p.text) - 1
				lit = i + 1
				break
			}
		}
	}
	if lit < len(s) {
		t = append(t, tmplPart{lit: s[lit:]})
	}
	return t
}

func (t tmpl) uses(ph placeholder) bool {
	for _, p := range t {
		if p.ph == ph {
			return true
		}
	}
	return false
}

// tmplVars are one request's placeholder values.
type tmplVars struct {
	id   int
	run  string
	n    int64
	w, i int
}

func (t tmpl) expand(buf []byte, v *tmplVars) []byte {
	for _, p := range t {
		switch p.ph {
		case phLiteral:
			buf = append(buf, p.lit...)
		case phID:
			buf = strconv.AppendInt(buf, int64(v.id), 10)
		case phRun:
			buf = append(buf, v.run...)
		case phN:
			buf = strconv.AppendInt(buf, v.n, 10)
		case phW:
			buf = strconv.AppendInt(buf, int64(v.w), 10)
		case phI:
			buf = strconv.AppendInt(buf, int64(v.i), 10)
		}
	}
	return buf
}

// benchTemplate is one kind of request a scenario makes.
type benchTemplate struct {
	method      string
	path        tmpl
	contentType string
	body        tmpl // nil: no body
	// weight is this template's share among the scenario's templates.
	weight int
}

func (t *benchTemplate) uses(ph placeholder) bool { return t.path.uses(ph) || t.body.uses(ph) }

// reqTmpl declares a request; an empty body sends none.
func reqTmpl(method, path, contentType, body string) benchTemplate {
	t := benchTemplate{method: method, path: compileTmpl(path), contentType: contentType, weight: 1}
	if body != "" {
		t.body = compileTmpl(body)
	}
	return t
}

// weighted sets t's share among its scenario's templates.
func (t benchTemplate) weighted(w int) benchTemplate {
	t.weight = w
	return t
}

// benchReq is one request a scenario makes, expanded.
type benchReq struct {
	method, path, contentType string
	body                      []byte
}

// scenario is a named workload.
type scenario struct {
	name string
	// reqs are the requests it makes, each picked at random by weight.
	reqs []benchTemplate
	// users is the range of {id}.
	users int
	// noAuth sends no bearer token (token issuance carries its
	// credentials in the body).
	noAuth bool
	// sustained marks the scenario that --creates runs to a count of
	// requests instead of for a duration.
	sustained bool
}

func (sc *scenario) totalWeight() int {
	total := 0
	for _, t := range sc.reqs {
		total += t.weight
	}
	return total
}

// pick chooses a template by weight: one draw of rng when there are
// several, none when there is one.
func (sc *scenario) pick(rng *rand.Rand) *benchTemplate {
	if len(sc.reqs) == 1 {
		return &sc.reqs[0]
	}
	r := rng.IntN(sc.totalWeight())
	for k := range sc.reqs {
		if r < sc.reqs[k].weight {
			return &sc.reqs[k]
		}
		r -= sc.reqs[k].weight
	}
	return &sc.reqs[len(sc.reqs)-1]
}

// next expands worker w's i-th request; n is the run's request counter.
func (sc *scenario) next(rng *rand.Rand, run string, n func() int64, w, i int) benchReq {
	t := sc.pick(rng)
	v := tmplVars{run: run, w: w, i: i}
	if t.uses(phID) {
		v.id = 1 + rng.IntN(sc.users)
	}
	if t.uses(phN) {
		v.n = n()
	}
	r := benchReq{method: t.method, path: string(t.path.expand(nil, &v)), contentType: t.contentType}
	if t.body != nil {
		r.body = t.body.expand(nil, &v)
	}
	return r
}
