package httpx

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
)

// Kind is the wire type of a body field.
type Kind uint8

const (
	String         Kind = iota + 1
	NullableString      // null reads as nil
	Int                 // a JSON number without fraction or exponent
	Bool
	Time         // an RFC 3339 date-time in UTC (see ParseUTC)
	NullableTime // null or "" reads as nil
	IntArray     // an array of Int
)

// Field declares one body field. Min and Max bound Int and IntArray values;
// when both are zero the bounds are those of a signed 32-bit integer, which
// is what PRA's "integer" means. A ReadOnly field is accepted and ignored,
// because clients send back whole objects they have read.
type Field struct {
	Name     string
	Kind     Kind
	ReadOnly bool
	Min, Max int64
}

// Messages for type errors, phrased to follow the field name as the
// directory's messages are ("The enabled " + msg).
const (
	MsgString   = "must be a string"
	MsgInteger  = "must be an integer"
	MsgBool     = "must be true or false"
	MsgDateTime = "must be an RFC3339 date-time in UTC, ending in Z or +00:00"
	MsgIntArray = "must be an array of integers"
)

// MsgBetween phrases a bound violated by an integer.
func MsgBetween(min, max int64) string {
	return "must be between " + strconv.FormatInt(min, 10) + " and " + strconv.FormatInt(max, 10)
}

// Schema is a face's table of the fields one kind of body may have. Build it
// once, at start-up.
type Schema struct{ fields map[string]Field }

// NewSchema returns the schema of the given fields.
func NewSchema(fields ...Field) *Schema {
	s := &Schema{fields: make(map[string]Field, len(fields))}
	for _, f := range fields {
		if f.Min == 0 && f.Max == 0 {
			f.Min, f.Max = math.MinInt32, math.MaxInt32
		}
		s.fields[f.Name] = f
	}
	return s
}

// Values is a decoded body: the writable fields it holds, by wire name.
type Values struct {
	vals map[string]any
	// Unknown lists, sorted, the names the schema does not declare.
	Unknown []string
	// Problems holds the type errors, by wire name.
	Problems map[string][]string
}

// Decode checks every member of obj against the schema, collecting every
// type error rather than stopping at the first.
func (s *Schema) Decode(obj map[string]json.RawMessage) *Values {
	v := &Values{vals: make(map[string]any, len(obj)), Problems: map[string][]string{}}
	for name, raw := range obj {
		f, ok := s.fields[name]
		switch {
		case !ok:
			v.Unknown = append(v.Unknown, name)
		case f.ReadOnly:
		default:
			if val, msg := f.decode(raw); msg != "" {
				v.Problems[name] = append(v.Problems[name], msg)
			} else {
				v.vals[name] = val
			}
		}
	}
	slices.Sort(v.Unknown)
	return v
}

func (f Field) decode(raw json.RawMessage) (any, string) {
	isNull := string(raw) == "null"
	switch f.Kind {
	case String, NullableString:
		if isNull && f.Kind == NullableString {
			return (*string)(nil), ""
		}
		var s string
		if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return nil, MsgString
		}
		if f.Kind == NullableString {
			return &s, ""
		}
		return s, ""
	case Int:
		return f.integer(raw)
	case Bool:
		switch string(raw) {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, MsgBool
	case Time, NullableTime:
		var s string
		if f.Kind == NullableTime && isNull {
			return (*time.Time)(nil), ""
		}
		if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return nil, MsgDateTime
		}
		if s == "" && f.Kind == NullableTime {
			return (*time.Time)(nil), ""
		}
		t, ok := ParseUTC(s)
		if !ok {
			return nil, MsgDateTime
		}
		if f.Kind == NullableTime {
			return &t, ""
		}
		return t, ""
	case IntArray:
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return nil, MsgIntArray
		}
		out := make([]int64, len(items))
		for i, item := range items {
			n, msg := f.integer(item)
			if msg == MsgInteger {
				return nil, MsgIntArray
			} else if msg != "" {
				return nil, "must contain only integers between " + strconv.FormatInt(f.Min, 10) + " and " + strconv.FormatInt(f.Max, 10)
			}
			out[i] = n.(int64)
		}
		return out, ""
	}
	panic("httpx: field " + f.Name + " has no kind")
}

// integer accepts only a JSON number without fraction or exponent: "42",
// 42.0 and 4.2e1 are all type errors, as PRA documents.
func (f Field) integer(raw json.RawMessage) (any, string) {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return nil, MsgInteger
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, MsgInteger
		}
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n < f.Min || n > f.Max {
		// Only a range error is possible here: the digits are valid.
		return nil, MsgBetween(f.Min, f.Max)
	}
	return n, ""
}

// Has reports whether the body holds a valid value for the writable field.
func (v *Values) Has(name string) bool { _, ok := v.vals[name]; return ok }

// String returns a String field.
func (v *Values) String(name string) (string, bool) { return get[string](v, name) }

// NullableString returns a NullableString field (nil for null).
func (v *Values) NullableString(name string) (*string, bool) { return get[*string](v, name) }

// Int returns an Int field.
func (v *Values) Int(name string) (int64, bool) { return get[int64](v, name) }

// Bool returns a Bool field.
func (v *Values) Bool(name string) (bool, bool) { return get[bool](v, name) }

// Time returns a Time field.
func (v *Values) Time(name string) (time.Time, bool) { return get[time.Time](v, name) }

// NullableTime returns a NullableTime field (nil for null or "").
func (v *Values) NullableTime(name string) (*time.Time, bool) { return get[*time.Time](v, name) }

// Ints returns an IntArray field.
func (v *Values) Ints(name string) ([]int64, bool) { return get[[]int64](v, name) }

func get[T any](v *Values, name string) (T, bool) {
	x, ok := v.vals[name].(T)
	return x, ok
}
