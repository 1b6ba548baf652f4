#!/usr/bin/env bash
# Load run for the README's performance notes: a fresh site on loopback,
# filled through Micropub and the Mastodon API, then measured with wrk.
# Needs wrk (Debian package "wrk"). Usage: cmd/roost/testdata/load/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
addr=127.0.0.1:8097
base=http://$addr
(cd "$root" && go build -o "$tmp/roost" ./cmd/roost)
"$tmp/roost" serve --data "$tmp/data" --url "$base" --api-rate-limit 0 >"$tmp/serve.log" 2>&1 &
until curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; do sleep 0.1; done
printf 'load password 123\n' | "$tmp/roost" passwd --data "$tmp/data" >/dev/null
export ROOST_TOKEN=$("$tmp/roost" token create --data "$tmp/data" | tail -1)

echo "== filling: notes and articles through Micropub"
wrk -t2 -c8 -d"${NOTES_SECONDS:-15}"s -s "$here/micropub-note.lua" "$base" | grep -E 'Requests/sec'
wrk -t2 -c4 -d"${ARTICLES_SECONDS:-2}"s -s "$here/micropub-article.lua" "$base" | grep -E 'Requests/sec'

app=$(curl -fsS -X POST "$base/api/v1/apps" -d client_name=load -d redirect_uris=urn:ietf:wg:oauth:2.0:oob -d 'scopes=read write')
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_id"])' "$app")
secret=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_secret"])' "$app")
export ROOST_API_TOKEN=$(curl -fsS -X POST "$base/oauth/token" -d grant_type=password -d username=127.0.0.1 \
  -d 'password=load password 123' -d client_id="$id" -d client_secret="$secret" -d 'scope=read write' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

note=$(curl -fsS "$base/notes/" | grep -o 'notes/[0-9]\{6,\}' | head -1)
measure() { printf '%-40s ' "$1"; shift; wrk --latency "$@" | awk '/Requests\/sec/{r=$2} /99%/{p=$2} END{print r " req/s, p99 " p}'; }
echo "== reading (2 threads, 32 connections, 10 s each)"
measure "GET /$note" -t2 -c32 -d10s "$base/$note"
measure "GET /blog/" -t2 -c32 -d10s "$base/blog/"
measure "GET /" -t2 -c32 -d10s "$base/"
measure "GET /api/v1/timelines/home?limit=20" -t2 -c32 -d10s -H "Authorization: Bearer $ROOST_API_TOKEN" "$base/api/v1/timelines/home?limit=20"
ROOST_API_PATH="/api/v1/timelines/home?limit=20" measure "  the same, every page rendered" -t2 -c32 -d10s -s "$here/api-uncached.lua" "$base"
ROOST_API_PATH="/api/v1/accounts/1/statuses?limit=20" measure "GET /api/v1/accounts/1/statuses, rendered" -t2 -c32 -d10s -s "$here/api-uncached.lua" "$base"
ROOST_API_PATH="/api/v1/notifications?limit=20" measure "GET /api/v1/notifications, rendered" -t2 -c32 -d10s -s "$here/api-uncached.lua" "$base"
echo "== writing"
measure "POST /api/v1/statuses" -t2 -c8 -d10s -s "$here/api-status.lua" "$base"
