#!/usr/bin/env bash
# A screenshot of the public page, for people to look at: renders the demo
# repository's latest release as HTML and photographs it with headless
# Chromium at a desktop and a phone width.
#
# usage: scripts/screenshot.sh [OUTDIR]     (default: reports/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-reports/screenshots}
command -v chromium >/dev/null || { echo "screenshot: chromium is needed (apt-get install chromium)" >&2; exit 2; }
cargo build --release --locked -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/subledger demo "$work/demo" >/dev/null
release=$(git -C "$work/demo" for-each-ref --count=1 --sort=-taggerdate --format='%(refname:short)' 'refs/tags/subprocessors/*')
./target/release/subledger --repo "$work/demo" render --at "$release" --format html --out "$work/page.html"
mkdir -p "$out"
for size in 1280,2600:desktop 390,4200:phone; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="${size%%:*}" --screenshot="$out/page-${size##*:}.png" "file://$work/page.html" 2>/dev/null
  echo "wrote $out/page-${size##*:}.png"
done
