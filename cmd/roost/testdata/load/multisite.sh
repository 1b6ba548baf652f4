#!/usr/bin/env bash
# Load run of a provider: SITES sites (default 1,000) on one throwaway
# PostgreSQL, NOTES notes each (default 100) posted through Micropub, then
# GET /notes/{id} and the Mastodon home timeline of random sites, and the
# same reads on one SQLite site with NOTES notes, measured the same way.
# Prints the time of "roost sites add", the rates and the process's RSS.
# Each measured read follows a warm-up read of the same kind (WARMUP
# seconds, default 60, printed as "warm-up"): a provider's process runs for
# days, and its first minute, when PostgreSQL plans every site's statements
# on the connections serving it, is not what its visitors see.
# Needs Debian's postgresql and root (PostgreSQL runs as the postgres user).
# PROFILE=DIR writes CPU profiles of the provider during each read (roost's
# --pprof) and its heap after them to DIR.
# Usage: cmd/roost/testdata/load/multisite.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
sites=${SITES:-1000} notes=${NOTES:-100} seconds=${SECONDS_EACH:-10} conns=${CONNS:-32} warmup=${WARMUP:-60}
tmp=$(mktemp -d); chmod 755 "$tmp"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
stop() {
  kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true
  su postgres -c "$pgbin/pg_ctl -D $tmp/pg/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
(cd "$root" && go build -o "$tmp/roost" ./cmd/roost && go build -o "$tmp/multisite" ./cmd/roost/testdata/load/multisite)
mkdir -p "$tmp/pg"; chown postgres "$tmp/pg"
su postgres -c "$pgbin/initdb -D $tmp/pg/data -A trust -U roost" >/dev/null
su postgres -c "$pgbin/pg_ctl -D $tmp/pg/data -o '-h 127.0.0.1 -p 5441 -k $tmp/pg -c max_connections=200' -l $tmp/pg/log -w start" >/dev/null
db="postgres://roost@127.0.0.1:5441/postgres?sslmode=disable"
rss() { awk '/VmRSS|VmHWM/{printf "%s %d MiB  ", $1, $2/1024}' /proc/$1/status; echo; }
profile=${PROFILE:-}
measure() { # name addr sites-file notes-file
  for kind in note home; do
    echo -n "warm-up: "
    "$tmp/multisite" -addr "$2" -sites "$3" -notes "$4" -c "$conns" read -path $kind -seconds "$warmup"
    watchers=()
    if [ -n "$profile" ]; then
      mkdir -p "$profile"
      curl -fsS -o "$profile/$1-$kind.pprof" "http://127.0.0.1:6060/debug/pprof/profile?seconds=$((seconds - 2))" &
      watchers+=($!)
      (sleep 2; top -b -d $((seconds - 4)) -n 2 | awk '/^top -/{n++} n==2' | head -20 >"$profile/$1-$kind.top") &
      watchers+=($!)
    fi
    "$tmp/multisite" -addr "$2" -sites "$3" -notes "$4" -c "$conns" read -path $kind -seconds "$seconds"
    [ ${#watchers[@]} = 0 ] || wait "${watchers[@]}"
  done
}

echo "== $sites sites on PostgreSQL"
for i in $(seq 1 "$sites"); do echo "s$i.test http://s$i.test"; done >"$tmp/list"
start=$(date +%s.%N)
"$tmp/roost" sites add --from "$tmp/list" --database "$db" --data "$tmp/data" >"$tmp/add.log"
echo "roost sites add --from (${sites} sites): $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
seq 1 "$sites" | xargs -P8 -I{} sh -c "printf 's{}.test %s\n' \$('$tmp/roost' token create --database '$db' --data '$tmp/data' --site s{}.test | tail -1)" >"$tmp/sites"
echo "tokens: $(echo "$(date +%s.%N) - $start" | bc) s"
"$tmp/roost" serve --database "$db" --data "$tmp/data" --listen 127.0.0.1:8098 --api-rate-limit 0 --inbox-budget 0 --pprof 127.0.0.1:6060 >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -fsS -o /dev/null -H "Host: s1.test" http://127.0.0.1:8098/healthz 2>/dev/null; do sleep 0.2; done
echo -n "RSS, one site visited: "; rss $pid
"$tmp/multisite" -addr 127.0.0.1:8098 -sites "$tmp/sites" -c 8 fill -notes "$notes" -out "$tmp/notes"
echo -n "RSS after filling: "; rss $pid
measure provider 127.0.0.1:8098 "$tmp/sites" "$tmp/notes"
echo -n "RSS after reading: "; rss $pid
[ -z "$profile" ] || curl -fsS -o "$profile/provider-heap.pprof" http://127.0.0.1:6060/debug/pprof/heap
kill $pid; wait $pid 2>/dev/null || true

echo "== one site on SQLite"
"$tmp/roost" serve --data "$tmp/single" --url http://single.test --listen 127.0.0.1:8099 --api-rate-limit 0 --inbox-budget 0 --pprof 127.0.0.1:6060 >"$tmp/single.log" 2>&1 &
pid=$!
until curl -fsS -o /dev/null -H "Host: single.test" http://127.0.0.1:8099/healthz 2>/dev/null; do sleep 0.2; done
echo "single.test $("$tmp/roost" token create --data "$tmp/single" | tail -1)" >"$tmp/single-site"
"$tmp/multisite" -addr 127.0.0.1:8099 -sites "$tmp/single-site" -c 8 fill -notes "$notes" -out "$tmp/single-notes"
measure single 127.0.0.1:8099 "$tmp/single-site" "$tmp/single-notes"
echo -n "RSS after reading: "; rss $pid
