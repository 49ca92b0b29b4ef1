package dump

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one record. The largest real ones are audit events of
// users with long public keys, far below it.
const maxLine = 16 << 20

// lines reads a dump line by line, counting lines for messages.
type lines struct {
	sc *bufio.Scanner
	n  int
}

func newLines(r io.Reader) *lines {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &lines{sc: sc}
}

// next returns the next line and its number, or io.EOF with the number of
// the line after the last. The bytes are valid until the next call.
func (l *lines) next() (int, []byte, error) {
	if !l.sc.Scan() {
		err := l.sc.Err()
		if errors.Is(err, bufio.ErrTooLong) {
			return l.n + 1, nil, fmt.Errorf("line %d: longer than %d MiB", l.n+1, maxLine>>20)
		}
		if err == nil {
			err = io.EOF
		}
		return l.n + 1, nil, err
	}
	l.n++
	return l.n, l.sc.Bytes(), nil
}

// typePrefix is how every record an export writes begins, which lets
// recordType skip decoding the line twice.
var typePrefix = []byte(`{"type":"`)

// recordType reads a record's "type".
func recordType(data []byte) (string, error) {
	if rest, ok := bytes.CutPrefix(data, typePrefix); ok {
		if i := bytes.IndexByte(rest, '"'); i > 0 && !bytes.ContainsAny(rest[:i], `\`) {
			return string(rest[:i]), nil
		}
	}
	var t struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return "", fmt.Errorf("not a JSON object: %w", err)
	}
	if t.Type == nil {
		return "", errors.New(`the record has no "type"`)
	}
	return *t.Type, nil
}

// strictJSON decodes one JSON object into v, refusing fields v does not
// have and anything after the object.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}
