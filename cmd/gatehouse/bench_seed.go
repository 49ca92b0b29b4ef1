package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/dump"
)

// benchPasswordHash is the stored hash every seeded user gets: an honest
// value of the format `gatehouse export` writes, so that the import does
// not have to make up (and hash) a random password per user.
const benchPasswordHash = "$sha256$vxXoTXR9ca2f0zPtz3UM637Bl6RNL4J07D1APVLqS0U"

// benchUsername and benchEmail name seeded user i (ids are 1..n).
func benchUsername(i int) string { return "user" + strconv.Itoa(i) }
func benchEmail(i int) string    { return "user" + strconv.Itoa(i) + "@bench.example" }

// writeBenchDump writes a dump in the `gatehouse export` format holding
// the local security provider and n users with ids 1..n.
func writeBenchDump(w io.Writer, n int, now time.Time) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	zero := map[string]int{"api_account": 0, "api_registration": 0, "event": 0, "group": 0, "member": 0,
		"secret": 0, "security_provider": 1, "team": 0, "team_user": 0, "user": n}
	hdr, err := json.Marshal(map[string]any{"type": "gatehouse-export", "version": 3,
		"exported_at": now.UTC().Format(time.RFC3339Nano), "password_hashes": true, "events": false,
		"counts": zero, "id_marks": zero})
	if err != nil {
		return err
	}
	bw.Write(hdr)
	bw.WriteString("\n")
	bw.WriteString(`{"type":"security_provider","id":1,"provider_type":"local","name":"Local","enabled":true,` +
		`"user_authentication":true,"group_lookup":false,"priority":0,"default_policy_id":0,"directory":null}` + "\n")
	ts := now.UTC().Format(time.RFC3339Nano)
	// Everything after the email is the same for every user.
	tail := `","enabled":true,"quarantined":false,"admin":false,"source":"local","security_provider_id":1,` +
		`"password_hash":"` + benchPasswordHash + `","public_key":"","locale":"en-us","two_factor_required":false,` +
		`"failed_logins":0,"password_expiration":null,"password_reset_next_login":false,` +
		`"last_login":{"at":null,"auth_type":"","config_name":"","saml_idp_url":"","sso_url":""},"external_id":"",` +
		`"access":{"access_allowed":false,"share_other_team":false,"invite_external_user":false,` +
		`"session_idle_timeout":-1,"extended_availability_mode":false,"edit_external_key":false,"collaborate":false,` +
		`"collaborate_control":false,"jump_client":false,"local_jump":false,"remote_jump":false,"remote_vnc":false,` +
		`"remote_rdp":false,"shell_jump":false,"web_jump":false,"protocol_tunnel":false,` +
		`"static_port_for_external_tools":false,"default_jump_item_role_id":1,"private_jump_item_role_id":1,` +
		`"inferior_jump_item_role_id":1,"unassigned_jump_item_role_id":1},` +
		`"created_at":"` + ts + `","updated_at":"` + ts + `","version":1,"domain_name":"","distinguished_name":"",` +
		`"client_id":"","secret_generation":0,"access_policy_id":0,"profile":{}}` + "\n"
	var num []byte
	for i := 1; i <= n; i++ {
		num = strconv.AppendInt(num[:0], int64(i), 10)
		bw.WriteString(`{"type":"user","id":`)
		bw.Write(num)
		bw.WriteString(`,"username":"user`)
		bw.Write(num)
		bw.WriteString(`","first_name":"Bench","last_name":"User`)
		bw.Write(num)
		bw.WriteString(`","display_name":"Bench User `)
		bw.Write(num)
		bw.WriteString(`","email":"user`)
		bw.Write(num)
		bw.WriteString(`@bench.example`)
		if _, err := bw.WriteString(tail); err != nil {
			return err
		}
	}
	end, err := json.Marshal(map[string]any{"type": "end", "counts": zero})
	if err != nil {
		return err
	}
	bw.Write(end)
	bw.WriteString("\n")
	return bw.Flush()
}

// benchSeed makes sure db holds a seeded directory and returns how many
// users it holds. An empty database gets n users through the import path
// (the fastest honest bulk load); one that already has users is reused.
func benchSeed(ctx context.Context, db string, n int, log io.Writer) (int, error) {
	total := 0
	err := withStore(ctx, db, func(st directory.Store) error {
		p, err := st.Users(ctx, directory.Query{Limit: 0})
		if err != nil {
			return err
		}
		if p.Total > 0 {
			total = p.Total
			fmt.Fprintf(log, "bench: reusing %s with %d users\n", redactDSN(db), total)
			return nil
		}
		start := time.Now()
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(writeBenchDump(pw, n, start)) }()
		ictx := directory.WithActor(ctx, cliActor)
		res, err := dump.Import(ictx, st, pr, nil)
		pr.CloseWithError(errors.New("import stopped"))
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		total = res.Counts["user"]
		fmt.Fprintf(log, "bench: seeded %d users into %s in %s\n", total, redactDSN(db),
			time.Since(start).Round(10*time.Millisecond))
		return nil
	})
	return total, err
}
