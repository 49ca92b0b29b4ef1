package httpx

import (
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// JSON appends JSON to a buffer without reflection, field by field in the
// order a face writes them, so that a response has the documented field
// order and costs no per-request type inspection. Separators are inferred
// from the last byte written.
type JSON struct {
	b []byte
	// prev is the last byte written before the buffer was last drained,
	// so that separators still follow from what came before.
	prev byte
}

var jsonPool = sync.Pool{New: func() any { return &JSON{b: make([]byte, 0, 4096)} }}

// NewJSON returns an empty JSON whose buffer comes from a pool, so that a
// response costs no buffer growth; Release gives it back.
func NewJSON() *JSON { return jsonPool.Get().(*JSON) }

// maxPooledJSON is the largest buffer Release keeps. A list page of 100
// PRA users is about 170 KB: pooling buffers that size saves regrowing one
// from 4 KB (a dozen copies) on every page.
const maxPooledJSON = 1 << 20

// Release returns j to the pool; j and its Bytes must not be used after.
// Buffers grown by an unusually large response are left to the collector.
func (j *JSON) Release() {
	if cap(j.b) > maxPooledJSON {
		return
	}
	j.b, j.prev = j.b[:0], 0
	jsonPool.Put(j)
}

// Drain writes what has been written so far to w and empties the buffer,
// so that a long list can be sent a page at a time.
func (j *JSON) Drain(w io.Writer) error {
	if len(j.b) == 0 {
		return nil
	}
	_, err := w.Write(j.b)
	j.prev, j.b = j.b[len(j.b)-1], j.b[:0]
	return err
}

// Bytes returns what has been written.
func (j *JSON) Bytes() []byte { return j.b }

// sep writes a comma unless the next item is the first of its container or
// follows a key.
func (j *JSON) sep() {
	c := j.prev
	if n := len(j.b); n > 0 {
		c = j.b[n-1]
	}
	if c != 0 && c != '{' && c != '[' && c != ':' {
		j.b = append(j.b, ',')
	}
}

func (j *JSON) key(k string) {
	j.sep()
	j.b = appendString(j.b, k)
	j.b = append(j.b, ':')
}

// Object opens an object, as an array element or, with a key, as a member.
func (j *JSON) Object(key ...string) {
	j.open('{', key)
}

// Array opens an array, as an array element or, with a key, as a member.
func (j *JSON) Array(key ...string) {
	j.open('[', key)
}

func (j *JSON) open(c byte, key []string) {
	if len(key) > 0 {
		j.key(key[0])
	} else {
		j.sep()
	}
	j.b = append(j.b, c)
}

// EndObject and EndArray close what Object and Array opened.
func (j *JSON) EndObject() { j.b = append(j.b, '}') }
func (j *JSON) EndArray()  { j.b = append(j.b, ']') }

// String writes a string member.
func (j *JSON) String(k, v string) { j.key(k); j.b = appendString(j.b, v) }

// Strings writes an array of strings member.
func (j *JSON) Strings(k string, v []string) {
	j.key(k)
	j.b = append(j.b, '[')
	for i, s := range v {
		if i > 0 {
			j.b = append(j.b, ',')
		}
		j.b = appendString(j.b, s)
	}
	j.b = append(j.b, ']')
}

// Ints writes an array of integers member.
func (j *JSON) Ints(k string, v []int64) {
	j.key(k)
	j.b = append(j.b, '[')
	for i, n := range v {
		if i > 0 {
			j.b = append(j.b, ',')
		}
		j.b = strconv.AppendInt(j.b, n, 10)
	}
	j.b = append(j.b, ']')
}

// StringValue writes a bare string: the whole document, or an array element.
func (j *JSON) StringValue(v string) { j.sep(); j.b = appendString(j.b, v) }

// Int writes an integer member.
func (j *JSON) Int(k string, v int64) { j.key(k); j.b = strconv.AppendInt(j.b, v, 10) }

// Bool writes a boolean member.
func (j *JSON) Bool(k string, v bool) { j.key(k); j.b = strconv.AppendBool(j.b, v) }

// Null writes a null member.
func (j *JSON) Null(k string) { j.key(k); j.b = append(j.b, "null"...) }

// Members writes object members encoded once beforehand (see
// EncodeMembers), so that a face's constant fields cost one copy per
// object.
func (j *JSON) Members(m string) {
	if m == "" {
		return
	}
	j.sep()
	j.b = append(j.b, m...)
}

// EncodeMembers returns the members fn writes into an object, without the
// braces, for Members.
func EncodeMembers(fn func(*JSON)) string {
	j := &JSON{}
	j.Object()
	fn(j)
	j.EndObject()
	return string(j.b[1 : len(j.b)-1])
}

// NullableString writes a string member, or null for nil.
func (j *JSON) NullableString(k string, v *string) {
	if v == nil {
		j.Null(k)
		return
	}
	j.String(k, *v)
}

// Time writes a date-time member as AppendUTC does, or null for nil.
func (j *JSON) Time(k string, t *time.Time) {
	if t == nil {
		j.Null(k)
		return
	}
	j.key(k)
	j.b = append(j.b, '"')
	j.b = AppendUTC(j.b, *t)
	j.b = append(j.b, '"')
}

const hexDigits = "0123456789abcdef"

// plain marks the bytes appendString copies as they are: printable ASCII
// other than the quote, the backslash and the HTML specials.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t['<'], t['>'], t['&'] = false, false, false, false, false
	return t
}()

// appendString appends s as a JSON string, escaping what JSON requires plus
// <, > and & (so a response is safe to embed in HTML, as encoding/json does)
// and U+2028/U+2029; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
