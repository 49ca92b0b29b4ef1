package httpx

import (
	"encoding/json"
	"net/http"
	"strings"
)

// WriteMessage writes BeyondTrust's error shape, which the PRA and public
// v3 faces share: {"message"}, plus "errors" when fields is not nil, each
// field message rendered as "The <field> <msg>.".
func WriteMessage(w http.ResponseWriter, status int, msg string, fields map[string][]string) {
	body := struct {
		Message string `json:"message"`
		// An interface, so that omitempty drops only a nil one: a 422
		// always has "errors", even when it is {}.
		Errors any `json:"errors,omitempty"`
	}{Message: msg}
	if fields != nil {
		bag := make(map[string][]string, len(fields))
		for name, msgs := range fields {
			for _, m := range msgs {
				bag[name] = append(bag[name], "The "+name+" "+strings.TrimSuffix(m, ".")+".")
			}
		}
		body.Errors = bag
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // strings and maps of strings always marshal
	}
	WriteJSON(w, status, b)
}

// WriteJSON writes a JSON body with its status, never to be cached.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Sentence makes a directory message ("user not found") read as a
// sentence: capitalised, with a full stop.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
