package sqlstore

import (
	"database/sql"
	"encoding/json"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Times are stored as BIGINT microseconds since the Unix epoch, UTC: the
// same type, precision and order in every database.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros stores a nil time as NULL.
func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// nullInt stores 0 (no reference) as NULL, so that a foreign key only
// applies when there is something to refer to.
func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// nullText stores a nil JSON document or string as NULL.
func nullText(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func nullString(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func fromNullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// jsonText encodes a value stored as a JSON text column. The values are
// plain structs and string slices, which cannot fail to encode.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// jsonList encodes a list stored as a JSON text column, an empty or nil one
// as [], which the scanners read back as nil.
func jsonList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	return jsonText(v)
}

// profileText encodes a user's profile for its JSON text column. Every
// field of directory.Profile is omitted when empty, so the zero profile is
// {} (the column's default, which rows from before profiles have), and an
// empty list is stored as no list at all: decodeProfile reads it back as
// nil, as the scanners read every empty JSON list.
func profileText(p *directory.Profile) string { return jsonText(p) }

// decodeProfile reads a profile column; {}, by far the commonest value, is
// the zero profile without decoding.
func decodeProfile(s string) (directory.Profile, error) {
	var p directory.Profile
	if s == "{}" {
		return p, nil
	}
	err := json.Unmarshal([]byte(s), &p)
	return p, err
}

// accessCache keeps decoded access settings by their JSON text. Users share
// a handful of distinct settings blocks (their policies'), and decoding one
// costs more than the rest of a point read.
var accessCache = struct {
	sync.RWMutex
	m map[string]directory.AccessSettings
}{m: map[string]directory.AccessSettings{}}

// maxCachedAccess bounds the cache; when full it starts over, which only
// costs decoding again.
const maxCachedAccess = 256

func decodeAccess(s string) (directory.AccessSettings, error) {
	accessCache.RLock()
	a, ok := accessCache.m[s]
	accessCache.RUnlock()
	if ok {
		return a, nil
	}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return a, err
	}
	accessCache.Lock()
	if len(accessCache.m) >= maxCachedAccess {
		clear(accessCache.m)
	}
	accessCache.m[s] = a
	accessCache.Unlock()
	return a, nil
}
