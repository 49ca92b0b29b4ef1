#!/usr/bin/env bash
# Stops the peers start.sh started (by the pids it wrote).
set -euo pipefail
dir="${GATEHOUSE_PEERS_DIR:-/tmp/gatehouse-peers}"
for name in oidc prism; do
  pidfile="$dir/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    echo "== stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
