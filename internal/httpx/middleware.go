package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// requestInfo travels on the request context so that inner handlers can
// tell the access log who the principal was without the log reading bodies
// or headers.
type requestInfo struct {
	id        string
	principal string
	client    netip.Addr // see ClientAddress
	resolved  bool       // client was set by ClientAddress
	route     string     // see SetRoute
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// RequestIDFrom returns the request's id, or "" outside RequestID.
func RequestIDFrom(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// SetPrincipal records who the request was authenticated as, for the access
// log. It does nothing outside RequestID or AccessLog.
func SetPrincipal(ctx context.Context, name string) {
	if info := infoFrom(ctx); info != nil {
		info.principal = name
	}
}

// RequestID gives every request an id, echoed in X-Request-ID: the caller's
// own when it is sane (so a client or proxy can correlate), else a fresh
// random one.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !saneID(id) {
			id = newID()
		}
		w.Header().Set("X-Request-ID", id)
		ctx := context.WithValue(r.Context(), infoKey{}, &requestInfo{id: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// saneID accepts up to 128 characters that cannot forge a log line or a
// header: letters, digits and - _ . : /
func saneID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:/", c) >= 0) {
			return false
		}
	}
	return true
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b[:])
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// track returns w as a statusWriter, wrapping it only when an outer
// middleware has not already done so.
func track(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
}

// AccessLog logs one line per request: method, path, the names (never the
// values, which may be personal data) of its query parameters, status,
// bytes, duration, request id, client address (ClientAddr) and principal.
// Headers and bodies are never logged, so neither tokens nor passwords can
// reach the log.
func AccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := infoFrom(r.Context())
		if info == nil {
			info = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		}
		sw := track(w)
		next.ServeHTTP(sw, r)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", info.id),
			slog.String("client", ClientAddr(r).String()),
		}
		if r.URL.RawQuery != "" {
			attrs = append(attrs, slog.String("query", queryNames(r)))
		}
		if info.principal != "" {
			attrs = append(attrs, slog.String("principal", info.principal))
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

func queryNames(r *http.Request) string {
	q := r.URL.Query()
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

// Recover turns a panic in next into a logged error (with the request id and
// stack) and, unless the response had already begun, the face's 500 written
// by internalError. Nothing about the panic reaches the client.
func Recover(log *slog.Logger, internalError http.Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := track(w)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { // net/http's deliberate abort: let it through
				panic(v)
			}
			log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
				slog.String("request_id", RequestIDFrom(r.Context())),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			if sw.status == 0 {
				// Headers set before the panic (Location, Link) describe a
				// response that never happened.
				h := sw.Header()
				id := h.Get("X-Request-ID")
				clear(h)
				if id != "" {
					h.Set("X-Request-ID", id)
				}
				internalError.ServeHTTP(sw, r)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}
