#!/usr/bin/env bash
# Starts the peers `gatehouse bench` compares with, both pinned to CPU 0
# (the server's core) with taskset:
#   oidc-provider on 127.0.0.1:3000 (our oidc.mjs: one client_credentials client)
#   Prism mocking the PRA OpenAPI document on 127.0.0.1:4010
# Usage: scripts/bench-peers/start.sh PATH/TO/pra-configuration-api.openapi.yaml
# The npm packages are installed into ${GATEHOUSE_PEERS_DIR:-/tmp/gatehouse-peers}
# when absent, never into the repository. stop.sh stops both.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${GATEHOUSE_PEERS_DIR:-/tmp/gatehouse-peers}"
# The newest releases that run on Node 20: oidc-provider 9 wants Node 22
# LTS or later, Prism 5.15 Node 24.
oidc_version=8.8.1
prism_version=5.14.2
oidc_port=3000
prism_port=4010
client_id=gatehouse-bench
client_secret=gatehouse-bench-secret

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
  echo "usage: $0 PATH/TO/pra-configuration-api.openapi.yaml" >&2
  exit 2
fi
spec="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"

pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin=(taskset -c 0)
else
  echo "== not pinning the peers (needs taskset and 2 CPUs)"
fi

mkdir -p "$dir"
installed() { node -p "require('$dir/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed oidc-provider)" != "$oidc_version" ] || [ "$(installed @stoplight/prism-cli)" != "$prism_version" ]; then
  echo "== npm install oidc-provider@$oidc_version @stoplight/prism-cli@$prism_version into $dir"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error \
    "oidc-provider@$oidc_version" "@stoplight/prism-cli@$prism_version")
fi
cp "$here/oidc.mjs" "$dir/oidc.mjs"

running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

# wait_for NAME URL [curl args...]: until URL answers, or the peer exits.
wait_for() {
  local name=$1 url=$2
  shift 2
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; then return 0; fi
    if ! running "$name"; then
      echo "$name exited; its log ($dir/$name.log):" >&2
      tail -20 "$dir/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$name did not answer $url within 60 s; see $dir/$name.log" >&2
  return 1
}

if running oidc; then
  echo "== oidc-provider already running (pid $(cat "$dir/oidc.pid"))"
else
  echo "== starting oidc-provider $oidc_version on 127.0.0.1:$oidc_port"
  (cd "$dir"
    OIDC_PORT=$oidc_port OIDC_CLIENT_ID=$client_id OIDC_CLIENT_SECRET=$client_secret \
    nohup "${pin[@]}" node oidc.mjs >oidc.log 2>&1 &
    echo $! >oidc.pid)
fi
if running prism; then
  echo "== Prism already running (pid $(cat "$dir/prism.pid"))"
else
  # Prism logs every request at its default level "info"; under load that
  # logging would be most of what it measures. PRISM_LOG_LEVEL=info keeps it.
  echo "== starting Prism $prism_version on 127.0.0.1:$prism_port mocking $spec"
  (cd "$dir"
    nohup "${pin[@]}" node_modules/.bin/prism mock -h 127.0.0.1 -p $prism_port \
    -v "${PRISM_LOG_LEVEL:-warn}" "$spec" >prism.log 2>&1 &
    echo $! >prism.pid)
fi

wait_for oidc "http://127.0.0.1:$oidc_port/.well-known/openid-configuration"
# Prism serves the document's paths at its root: it ignores the
# servers' base path (/api/config/v1), so GET /user/{id} is /user/1 here.
wait_for prism "http://127.0.0.1:$prism_port/user/1"

cat <<END
== peers ready (logs and pids in $dir; stop them with $here/stop.sh)
gatehouse bench flags:
  --peer-token http://127.0.0.1:$oidc_port/token --peer-token-client $client_id:$client_secret --peer-get 'http://127.0.0.1:$prism_port/user/{id}'
END
