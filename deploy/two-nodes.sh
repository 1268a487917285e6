#!/usr/bin/env bash
# Two web nodes behind nginx on loopback: the nodes on 127.0.0.1:8081 and
# :8082 serving the same catalog file, nginx on 127.0.0.1:8080 in front.
# Ctrl-C stops all three.
#
#   deploy/two-nodes.sh [DB_PATH]
#
# DB_PATH must exist; without it, data/transcripts.db, built from the
# sample when missing. Needs nginx (Debian: apt-get install nginx-light).
# Moving a new database file into place at DB_PATH is picked up by both
# nodes within a second; killing one node leaves the site up.
set -euo pipefail
if [ $# -gt 0 ]; then
  [ -f "$1" ] || { echo "no database at $1" >&2; exit 1; }
  db=$(realpath "$1")
fi
cd "$(dirname "$0")/.."
db="${db:-$PWD/data/transcripts.db}"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

go build -o "$dir/web" ./cmd/web
if [ ! -e "$db" ]; then
  "$dir/web" import -db "$db" data/sample.jsonl
fi
pids=()
for port in 8081 8082; do
  ADDR=127.0.0.1:$port DB_PATH="$db" TRUST_PROXY=1 "$dir/web" &
  pids+=($!)
done
sed -e "s|@DIR@|$dir|g" -e "s|@LISTEN@|127.0.0.1:8080|" \
    -e "s|@NODE1@|127.0.0.1:8081|" -e "s|@NODE2@|127.0.0.1:8082|" deploy/nginx.conf >"$dir/nginx.conf"
"$nginx" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -g "daemon off;" &
pids+=($!)
for addr in 127.0.0.1:8081 127.0.0.1:8082 127.0.0.1:8080; do
  up=
  for _ in $(seq 100); do
    if ADDR=$addr "$dir/web" healthcheck 2>/dev/null; then up=1; break; fi
    sleep 0.1
  done
  [ -n "$up" ] || { echo "$addr does not answer" >&2; exit 1; }
done
# An answer from another program on a port taken before is no answer.
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a node or nginx exited (a port taken?)" >&2; exit 1; }
done
echo "http://127.0.0.1:8080/ (nodes on :8081 and :8082; Ctrl-C stops them)"
wait
