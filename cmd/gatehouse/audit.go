package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/auditlog"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// auditFlagNames are the flags that set each field of an AuditFilter, to
// report the domain's problems by the names the user typed.
var auditFlagNames = map[string]string{
	directory.AuditSince: "--since", directory.AuditUntil: "--until", directory.AuditActor: "--actor",
	directory.AuditTargetType: "--entity", directory.AuditTargetID: "--id", directory.AuditAction: "--action",
	directory.AuditBefore: "--before", directory.AuditLimit: "--limit",
}

// runAudit prints the audit log: the newest page of the events that match,
// oldest first, and with --follow every matching event as it commits.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		db             string
		f              directory.AuditFilter
		since, until   string
		asJSON, follow bool
		interval       time.Duration
	)
	dbFlag(fs, &db)
	fs.StringVar(&since, "since", "", `events at or after this time: RFC 3339 ("2026-11-30T21:00:00Z") or a duration ago ("24h")`)
	fs.StringVar(&until, "until", "", "events before this time, as --since")
	fs.StringVar(&f.Actor, "actor", "", `who acted: a kind (api_account, user, cli, system) or a kind and id ("api_account:3", "user:7")`)
	fs.StringVar(&f.TargetType, "entity", "", "the kind of resource changed: user, group, team, api_account, ...")
	fs.Int64Var(&f.TargetID, "id", 0, "the id of the resource changed (with --entity)")
	fs.StringVar(&f.Action, "action", "", `the action ("user.create"), or a prefix ending in a dot ("user.")`)
	fs.Int64Var(&f.BeforeID, "before", 0, "only events older than this event id: the next page back")
	fs.IntVar(&f.Limit, "limit", 50, "how many events to print, at most "+fmt.Sprint(directory.MaxPageSize)+" (the newest that match)")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object per line: id, at, actor, action, target_type, target_id, before, after")
	fs.BoolVar(&follow, "follow", false, "keep printing matching events as they are written, until interrupted")
	fs.DurationVar(&interval, "interval", time.Second, "how often --follow asks for new events")
	if err := parse(fs, args); err != nil {
		return err
	}
	now := time.Now()
	for _, b := range []struct {
		flag, value string
		dst         *time.Time
	}{{"--since", since, &f.Since}, {"--until", until, &f.Until}} {
		if b.value == "" {
			continue
		}
		t, ok := directory.ParseAuditTime(b.value, now)
		if !ok {
			return usagef("%s %q %s", b.flag, b.value, directory.MsgAuditTime)
		}
		*b.dst = t
	}
	if follow && f.BeforeID != 0 {
		return usagef("--follow prints what comes after the newest events; it cannot start --before one")
	}
	if interval <= 0 {
		return usagef("--interval must be more than 0")
	}
	if _, err := f.Query(); err != nil {
		return auditUsage(err)
	}
	print := humanEvent
	if asJSON {
		print = jsonEvent
	}
	return withService(ctx, db, func(svc *directory.Service) error {
		page, err := svc.Audit(ctx, f)
		if err != nil {
			return err
		}
		slices.Reverse(page.Items) // oldest first, as a log reads
		for _, e := range page.Items {
			if err := print(stdout, e); err != nil {
				return err
			}
		}
		if !follow {
			return nil
		}
		var last int64
		if len(page.Items) > 0 {
			last = page.Items[len(page.Items)-1].ID
		} else if last, err = auditlog.Newest(ctx, svc); err != nil {
			return err
		}
		return auditlog.NewTail(svc, f, last).Follow(ctx, interval, func(e directory.Event) error { return print(stdout, e) })
	})
}

// auditUsage reports the domain's objections to a filter by flag name.
func auditUsage(err error) error {
	de, ok := directory.AsError(err)
	if !ok {
		return err
	}
	var msgs []string
	for field, problems := range de.Fields {
		for _, p := range problems {
			msgs = append(msgs, auditFlagNames[field]+" "+p)
		}
	}
	slices.Sort(msgs)
	return usagef("%s", strings.Join(msgs, "; "))
}

// humanEvent prints one aligned line: id, time, actor, action, target.
func humanEvent(w io.Writer, e directory.Event) error {
	_, err := fmt.Fprintf(w, "%8d  %s  %-24s  %-28s  %s:%d\n", e.ID, e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.TargetType, e.TargetID)
	return err
}

func jsonEvent(w io.Writer, e directory.Event) error {
	line, err := auditlog.Line(e)
	if err == nil {
		_, err = w.Write(line)
	}
	return err
}
