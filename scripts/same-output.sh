#!/usr/bin/env bash
# Runs every command in every format with a build of BASE (a commit) and
# with a build of the work tree, on the same repositories, and compares
# what they print (stdout, stderr and exit status) byte for byte. For moves
# that must not change behaviour.
#
# usage: scripts/same-output.sh BASE        (S and the demo)
#        BASE_TARGET=/tmp/base-target scripts/same-output.sh BASE
#        SIZES="S M" scripts/same-output.sh BASE
# The repositories: the demo (`subledger demo`), the three seed pages
# imported, and synthetic ones from ../shared/tools/gen-register-repo.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/same-output.sh BASE}
gen=../shared/tools/gen-register-repo
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "building $base and the work tree..." >&2
git worktree add -q --detach "$work/base" "$base"
# BASE_TARGET keeps the base's build between runs (a directory of yours).
target_base=${BASE_TARGET:-$work/target-base}
(cd "$work/base" && CARGO_TARGET_DIR="$target_base" cargo build --release --locked -q)
cargo build --release --locked -q
bins=("$target_base/release/subledger" "$PWD/target/release/subledger")

# Repositories, one copy per binary (each writes its own cache).
mkdir -p "$work/repos"
"${bins[1]}" demo "$work/repos/demo" >/dev/null
for size in ${SIZES:-S}; do
  case $size in
    S) args=(--commits 1000 --vendors 200) ;;
    M) args=(--commits 10000 --vendors 1000) ;;
    *) echo "same-output: unknown size $size" >&2; exit 2 ;;
  esac
  "$gen" "$work/repos/$size" "${args[@]}" -q
done
for side in 0 1; do
  mkdir -p "$work/side-$side"
  cp -a "$work/repos/." "$work/side-$side/"
done

# The commands, as `|`-separated arguments (run in the repository).
demo_runs=(
  "check" "check|--format|json" "check|--strict"
  "list" "list|--format|markdown" "list|--format|json" "list|--format|csv"
  "list|--at|2026-03-15" "list|--rev|subprocessors/2026-03-01|--format|json"
  "list|--section|communications|--location|US" "list|--engagement|optional"
  "timeline" "timeline|--format|markdown" "timeline|--format|json" "timeline|--format|csv"
  "timeline|subprocessors/2025-12-15..subprocessors/2026-07-01" "timeline|--kind|relocated"
  "timeline|--vendor|google-workspace" "timeline|--since|2026-03-01|--until|2026-07-31"
  "diff|subprocessors/2025-12-15|subprocessors/2026-07-01"
  "diff|subprocessors/2025-12-15|subprocessors/2026-07-01|--format|markdown"
  "diff|subprocessors/2025-12-15|subprocessors/2026-07-01|--format|json"
  "diff|subprocessors/2025-12-15|subprocessors/2026-07-01|--format|csv"
  "diff|HEAD" "diff|2026-01-01|2026-08-01|--exit-code"
  "history|google-workspace" "history|gworkspace|--format|json" "history|sendgrid" "history|nope"
  "notice" "notice|--format|text" "notice|--format|html" "notice|--format|json"
  "notice|--all-profiles" "notice|subprocessors/2025-12-15|subprocessors/2026-03-01"
  "notice|--work-tree|--date|2026-10-01" "notice|HEAD|--date|2026-10-01|--format|json"
  "render" "render|--format|html" "render|--format|json"
  "render|--at|subprocessors/2026-03-01" "render|--at|2026-06-01|--format|json"
  "feed" "audit" "audit|--format|html" "audit|--format|json"
  "audit|--since|2026-01-01|--until|2026-06-30"
  "verify"
  "release|--dry-run|--allow-empty|--date|2026-10-01"
  "import|$PWD/tests/fixtures/pages/seed-000.txt|--dry-run"
  "import|$PWD/tests/fixtures/pages/seed-001.txt|--dry-run"
)
gen_runs=(
  "check|--format|json" "list|--format|json" "list|--format|csv"
  "timeline|--format|json" "timeline|--format|csv" "timeline"
  "notice|--format|json" "notice" "render|--format|json" "render|--format|html"
  "feed" "audit|--format|json" "verify" "list|--at|2024-06-01|--format|json"
)

differ=0
compare() {
  local repo=$1; shift
  local n=0
  for run in "$@"; do
    n=$((n + 1))
    IFS='|' read -r -a argv <<<"$run"
    for side in 0 1; do
      (cd "$work/side-$side/$repo" &&
        set +e
        "${bins[$side]}" "${argv[@]}" >"$work/out-$side" 2>&1
        echo "[exit status: $?]" >>"$work/out-$side")
    done
    if ! cmp -s "$work/out-0" "$work/out-1"; then
      differ=$((differ + 1))
      echo "DIFFERS in $repo: subledger ${argv[*]}"
      diff "$work/out-0" "$work/out-1" | head -20
    fi
  done
  echo "$repo: $n runs compared" >&2
}
compare demo "${demo_runs[@]}"
for size in ${SIZES:-S}; do
  compare "$size" "${gen_runs[@]}"
done
if [ "$differ" -gt 0 ]; then
  echo "$differ runs differ" >&2
  exit 1
fi
echo "every run gives the same bytes" >&2
