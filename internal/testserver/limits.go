package testserver

import "github.com/gatehouse/gatehouse/internal/server"

// WithMaxBody limits request bodies to n bytes, as serve --max-body-bytes
// does.
func WithMaxBody(n int64) Option {
	return func(c *server.Config) { c.MaxBody = n }
}
