package filter

import (
	"encoding/json"
	"fmt"
	"strings"
)

type kind int

const (
	tEOF    kind = iota
	tWord        // an attribute path, operator, keyword or literal: eq, and, true, urn:…:User:name.givenName
	tString      // a JSON string; val holds it decoded
	tNumber      // a JSON number; val holds it as json.Number
	tLParen
	tRParen
	tLBrack
	tRBrack
	tDot // a dot that starts a token: the one after "]" in a PATCH path
)

type token struct {
	kind kind
	text string
	val  any
	pos  int // byte offset in the input
}

// SyntaxError is a malformed filter or path. Callers turn it into a SCIM
// error of the scimType their context calls for.
type SyntaxError struct {
	Pos int // byte offset of the problem
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s at position %d", e.Msg, e.Pos+1) }

func syntaxErr(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// lex splits s into tokens. RFC 7644 separates tokens by single spaces;
// this accepts any run of ASCII white space, and none where a bracket,
// parenthesis or string already separates, as clients' hand-written
// filters vary so.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']' || c == '.':
			toks = append(toks, token{kind: punct[c], text: s[i : i+1], pos: i})
			i++
		case c == '"':
			t, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
		case c == '-' || isDigit(c):
			j := i + 1
			for j < len(s) && strings.IndexByte("0123456789.eE+-", s[j]) >= 0 {
				j++
			}
			text := s[i:j]
			if !json.Valid([]byte(text)) {
				return nil, syntaxErr(i, "malformed number %q", text)
			}
			toks = append(toks, token{kind: tNumber, text: text, val: json.Number(text), pos: i})
			i = j
		case isWordStart(c):
			j := i + 1
			for j < len(s) && isWordChar(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tWord, text: s[i:j], pos: i})
			i = j
		default:
			return nil, syntaxErr(i, "unexpected character %q", rune(s[i]))
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

var punct = map[byte]kind{'(': tLParen, ')': tRParen, '[': tLBrack, ']': tRBrack, '.': tDot}

// lexString reads the JSON string that starts at s[i] and decodes it with
// JSON's own rules (RFC 7644 §3.4.2.2 takes compValue from JSON).
func lexString(s string, i int) (token, error) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			text := s[i : j+1]
			var v string
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				return token{}, syntaxErr(i, "malformed string %s", text)
			}
			return token{kind: tString, text: text, val: v, pos: i}, nil
		}
	}
	return token{}, syntaxErr(i, "unterminated string")
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// A word starts like an attribute name (ALPHA, or "$" for "$ref") and goes
// on with name characters, plus ":" and "." which join a schema URN, an
// attribute and a sub-attribute into one path.
func isWordStart(c byte) bool { return isAlpha(c) || c == '$' }

func isWordChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '_' || c == '$' || c == ':' || c == '.'
}
