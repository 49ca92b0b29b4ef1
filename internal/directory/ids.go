package directory

import "strconv"

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// invalidIfMissing turns a NotFound for a referenced row into a field
// problem: a missing reference in a body is bad input, not a missing URL.
func invalidIfMissing(err error, field, msg string) error {
	if IsKind(err, KindNotFound) {
		return Problems{field: {msg}}.Err()
	}
	return err
}
