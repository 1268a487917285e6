#!/usr/bin/env bash
# Remakes docs/screenshots/: the pages of a realistic collection (the
# relevance fixture: 54 podcast episodes with speakers, sponsor reads,
# intros and outros) at a phone's (390 px) and a desktop's (1280 px)
# width, in the light theme, and the pages that matter most in the dark
# one too, in Debian's headless Chromium (cmd/screenshots). Thumbnails
# show their placeholder: the fixture's videos are not on YouTube.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/web" ./cmd/web
go test ./internal/relevance -run TestRelevance -fixture-out "$tmp/fixture.jsonl" >/dev/null
"$tmp/web" import -db "$tmp/site.db" "$tmp/fixture.jsonl" >/dev/null
"$tmp/web" -addr 127.0.0.1:18099 -db "$tmp/site.db" 2>/dev/null &
pid=$!
until "$tmp/web" healthcheck -addr 127.0.0.1:18099 2>/dev/null; do sleep 0.1; done
rm -f docs/screenshots/*.png
shoot() { go run ./cmd/screenshots -base http://127.0.0.1:18099 -out docs/screenshots "$@"; }
# Both themes.
shoot -themes light,dark <<'PAGES'
home /
grouped /search?q=runway
video /videos/F4JD1eQysnf?q=runway
quote /videos/F4JD1eQysnf?t=104-192
PAGES
# Light only.
shoot -themes light <<'PAGES'
search /search?q=runway&group=none
repeated /videos/F4JD1eQysnf#t0
no-results /search?q=xylophone+runwey
not-found /videos/nopenopenop
PAGES
du -ch docs/screenshots/*.png | tail -1
echo "docs/screenshots/ remade"
