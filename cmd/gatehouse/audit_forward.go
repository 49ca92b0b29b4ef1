package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/gatehouse/gatehouse/internal/auditlog"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// forwardAudit starts serve's --audit-forward, when given, and returns
// what stops it: after the server's last request, so that its event goes
// out too.
func forwardAudit(ctx context.Context, target string, svc *directory.Service, stdout io.Writer, logger *slog.Logger) (func(), error) {
	if target == "" {
		return func() {}, nil
	}
	sink, err := auditlog.OpenSink(target, stdout)
	if errors.Is(err, auditlog.ErrTarget) {
		return nil, usagef("--audit-forward %q: %v", target, err)
	}
	if err != nil {
		return nil, fmt.Errorf("--audit-forward %q: %w", target, err)
	}
	fwd, err := auditlog.Start(ctx, svc, sink, logger, auditlog.DefaultInterval)
	if err != nil {
		sink.Close()
		return nil, err
	}
	logger.Info("forwarding audit events", "to", target)
	return fwd.Stop, nil
}
