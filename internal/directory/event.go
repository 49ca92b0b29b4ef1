package directory

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Event is one audit record, written in the same transaction as the change
// it describes. Before and After are JSON of the audit record types
// (audit.go), which hold no secret of any kind.
type Event struct {
	ID         int64
	At         time.Time
	Actor      string // "api_account:3 (ci)", "cli", "system"
	Action     string // "user.create", "group.member.add", ...
	TargetType string
	TargetID   int64
	Before     json.RawMessage
	After      json.RawMessage
}

// ActorKind says what kind of principal acts. It decides what the actor
// may do (only ActorCLI may change administrators), so it is a closed set.
type ActorKind string

const (
	ActorAPIAccount ActorKind = "api_account" // an API account, through any face
	ActorUser       ActorKind = "user"        // a directory user signed in to BeyondInsight
	ActorCLI        ActorKind = "cli"         // the gatehouse command line, run on the server
	ActorSystem     ActorKind = "system"      // the server itself: bootstrap, start-up
)

// Actor names who is acting. Faces put it on the request context after
// authentication; the CLI and start-up use their own.
type Actor struct {
	Kind ActorKind
	ID   int64
	Name string
}

func (a Actor) String() string {
	if a.ID == 0 {
		return string(a.Kind)
	}
	return string(a.Kind) + ":" + strconv.FormatInt(a.ID, 10) + " (" + a.Name + ")"
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor on ctx, or "system" when there is none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorSystem}
}
