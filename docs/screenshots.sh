#!/usr/bin/env bash
# Remakes docs/screenshots/: every page at a phone's and a desktop's width,
# from a server over the shipped sample, in Debian's headless Chromium.
# Thumbnails come from YouTube, so offline they show their placeholder.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/web" ./cmd/web
"$tmp/web" import -db "$tmp/site.db" data/sample.jsonl >/dev/null
"$tmp/web" -addr 127.0.0.1:18099 -db "$tmp/site.db" 2>/dev/null &
pid=$!
until "$tmp/web" healthcheck -addr 127.0.0.1:18099 2>/dev/null; do sleep 0.1; done
shot() { # name url width height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --hide-scrollbars --window-size="$3,$4" \
    --screenshot="docs/screenshots/$1.png" "http://127.0.0.1:18099$2" >/dev/null 2>&1
}
while read -r name url; do
  shot "$name" "$url" 1280 900
  shot "$name-phone" "$url" 390 844
done <<'PAGES'
home /
video /videos/MpdbFLXOOIw?q=augment
search /search?q=augment
grouped /search?q=the
no-results /search?q=contrastiv+lerning
not-found /videos/nopenopenop
PAGES
echo "docs/screenshots/ remade"
