package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// StatusClientClosed is nginx's 499, "client closed request": the status
// the access log records for a request whose client went away before its
// answer. No client ever reads it.
const StatusClientClosed = 499

// Unexpected logs an error that none of a face's rules classified and
// returns the status to answer it with. When the request's context was
// canceled the client went away (whatever the error then says: the store's
// driver words a canceled query its own way), so it is no fault of the
// server: 499, logged at debug level. Anything else is a fault: 500,
// logged as an error with the request's id. face prefixes the message.
func Unexpected(log *slog.Logger, r *http.Request, face string, err error) int {
	attrs := []slog.Attr{
		slog.String("request_id", RequestIDFrom(r.Context())),
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()),
	}
	if errors.Is(r.Context().Err(), context.Canceled) {
		log.LogAttrs(r.Context(), slog.LevelDebug, face+": client went away", attrs...)
		return StatusClientClosed
	}
	log.LogAttrs(r.Context(), slog.LevelError, face+": request failed", attrs...)
	return http.StatusInternalServerError
}
