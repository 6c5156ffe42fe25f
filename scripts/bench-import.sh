#!/usr/bin/env bash
# Benchmark: `subledger import` of a 5,000-row page in each format it reads
# (Markdown, CSV, text copied from a browser, HTML, JSON, YAML), into a new
# directory each run. Target: under a second each. Pages are generated here
# (invented vendors), medians of ROUNDS runs, wall time in seconds.
#
# usage: scripts/bench-import.sh [ROUNDS] [ROWS]     (default 5 rounds, 5000 rows)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
rows=${2:-5000}
cargo build --release --locked -q
bin=$PWD/target/release/subledger
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$rows" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
countries = ["Germany", "France", "United States", "Ireland", "Netherlands", "Sweden"]
rows = [(f"Vendor {i} GmbH", f"Processing task {i}", f"Category {i % 7}; Category {i % 11}", countries[i % len(countries)]) for i in range(n)]
with open(f"{out}/page.md", "w") as f:
    f.write("# Acme sub-processors\n\nLast updated: 2026-05-01\n\n## Sub-processors\n\n| Sub-processor | Purpose | Data | Location |\n|---|---|---|---|\n")
    for r in rows:
        f.write("| " + " | ".join(r) + " |\n")
with open(f"{out}/page.csv", "w") as f:
    f.write("Name,Purpose,Data,Location\n")
    for r in rows:
        f.write(",".join('"' + c + '"' for c in r) + "\n")
with open(f"{out}/page.txt", "w") as f:
    f.write("Acme sub-processors\n\nSub-processor\tPurpose\tData\tLocation\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
with open(f"{out}/page.html", "w") as f:
    f.write("<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav><h1>Acme sub-processors</h1><table><tr><th>Sub-processor</th><th>Purpose</th><th>Data</th><th>Location</th></tr>")
    for r in rows:
        f.write("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>")
    f.write("</table></body></html>\n")
objs = [{"name": r[0], "purpose": r[1], "data_categories": r[2].split("; "), "location": r[3]} for r in rows]
with open(f"{out}/page.json", "w") as f:
    json.dump({"updated": "2026-05-01", "vendors": objs}, f)
with open(f"{out}/page.yaml", "w") as f:
    f.write("updated: 2026-05-01\nvendors:\n")
    for o in objs:
        f.write(f"  - name: {o['name']}\n    purpose: {o['purpose']}\n    location: {o['location']}\n    data_categories:\n")
        for c in o["data_categories"]:
            f.write(f"      - {c}\n")
PY

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for ext in md csv txt html json yaml; do
  : >"$dir/times"
  for r in $(seq "$rounds"); do
    target=$dir/reg-$ext-$r
    mkdir -p "$target"
    start=$(date +%s%N)
    (cd "$target" && "$bin" --quiet import "$dir/page.$ext" >/dev/null) || true
    end=$(date +%s%N)
    echo "($end - $start) / 1000000000" | bc -l >>"$dir/times"
    count=$(ls "$target/register" | wc -l)
  done
  printf '%-4s %5d rows: import %.3f s (median of %d; %d vendor files written; target < 1 s)\n' \
    "$ext" "$rows" "$(median <"$dir/times")" "$rounds" "$count"
done
