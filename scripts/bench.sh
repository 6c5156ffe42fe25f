#!/usr/bin/env bash
# Benchmark: `subledger timeline --format json` against
# `git log --first-parent --raw --no-renames --format=%H -- register/` on
# synthetic repositories from ../shared/tools/gen-register-repo, measured in
# the same run and interleaved (wall time and peak memory, /usr/bin/time -v).
#
# usage: scripts/bench.sh [ROUNDS]      (default 3 rounds)
# BENCH_DIR=DIR keeps the generated repositories there and reuses them
# (default: a new temporary directory, deleted afterwards). SIZES="M L" picks sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
gen=../shared/tools/gen-register-repo
[ -x "$gen" ] || { echo "bench: $gen not found" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is needed" >&2; exit 2; }
cargo build --release --locked -q
bin=$PWD/target/release/subledger
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir"

# measure CMD...: prints "seconds peak-KiB" of one run (wall time taken
# around the run in nanoseconds; peak memory from /usr/bin/time -v)
measure() {
  local start end kib
  start=$(date +%s%N)
  /usr/bin/time -v "$@" 2>"$dir/time.txt" >/dev/null
  end=$(date +%s%N)
  kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  echo "$(echo "($end - $start) / 1000000000" | bc -l) $kib"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for size in ${SIZES:-M L}; do
  case $size in
    M) args=(--commits 10000 --vendors 1000) ;;
    L) args=(--commits 100000 --vendors 2000) ;;
    *) echo "bench: unknown size $size" >&2; exit 2 ;;
  esac
  repo=$dir/reg-$size
  # A kept repository is reused only if it was made with these arguments
  # (recorded beside it): one of another size would give other figures.
  made=$dir/reg-$size.args
  if [ -d "$repo" ] && [ "$(cat "$made" 2>/dev/null)" != "${args[*]}" ]; then
    echo "bench: $repo was not made with ${args[*]}: generating it again" >&2
    rm -rf "$repo"
  fi
  if [ ! -d "$repo" ]; then
    echo "generating $size (${args[*]})..." >&2
    "$gen" "$repo" "${args[@]}" -q
    echo "${args[*]}" >"$made"
  fi
  cd "$repo"
  : >"$dir/ours" ; : >"$dir/git" ; : >"$dir/ours-mem" ; : >"$dir/git-mem" ; : >"$dir/warm"
  for _ in $(seq "$rounds"); do
    # A cold run: without the timeline cache under .git/subledger.
    rm -rf "$(git rev-parse --git-common-dir)/subledger"
    read -r t m < <(measure "$bin" timeline --format json)
    echo "$t" >>"$dir/ours"; echo "$m" >>"$dir/ours-mem"
    read -r t m < <(measure git log --first-parent --raw --no-renames --format=%H -- register/)
    echo "$t" >>"$dir/git"; echo "$m" >>"$dir/git-mem"
    # A second run on the unchanged repository: answered from the cache.
    read -r t m < <(measure "$bin" timeline --format json)
    echo "$t" >>"$dir/warm"
  done
  warm=$(median <"$dir/warm")
  ours=$(median <"$dir/ours"); floor=$(median <"$dir/git")
  ours_mem=$(sort -g "$dir/ours-mem" | tail -1); git_mem=$(sort -g "$dir/git-mem" | tail -1)
  # (for-each-ref --count, not `| head`: pipefail would trip on SIGPIPE)
  first=$(git for-each-ref --count=1 --sort=taggerdate --format='%(refname:short)' 'refs/tags/register-*')
  last=$(git for-each-ref --count=1 --sort=-taggerdate --format='%(refname:short)' 'refs/tags/register-*')
  : >"$dir/diff"
  for _ in $(seq "$rounds"); do
    read -r t m < <(measure "$bin" diff "$first" "$last")
    echo "$t" >>"$dir/diff"
  done
  diff_time=$(median <"$dir/diff")
  printf '%s: timeline %.3f s, git log %.3f s, ratio %.2f (target <= 0.60); peak memory %d MiB (git log %d MiB); second run %.3f s; diff %s..%s %.0f ms (target < 100 ms) (medians of %d)\n' \
    "$size" "$ours" "$floor" "$(echo "$ours / $floor" | bc -l)" "$((ours_mem / 1024))" "$((git_mem / 1024))" "$warm" "$first" "$last" "$(echo "$diff_time * 1000" | bc -l)" "$rounds"
  # What is published from every release (warm: the timeline cache is
  # there, as it is on any second command).
  : >"$dir/feed" ; : >"$dir/audit" ; : >"$dir/site"
  for _ in $(seq "$rounds"); do
    read -r t m < <(measure "$bin" feed)
    echo "$t" >>"$dir/feed"
    read -r t m < <(measure "$bin" audit --format json)
    echo "$t" >>"$dir/audit"
    read -r t m < <(measure "$bin" site --out "$dir/site-$size" --force)
    echo "$t" >>"$dir/site"
  done
  feed=$(median <"$dir/feed"); audit=$(median <"$dir/audit"); site=$(median <"$dir/site")
  printf '%s: feed %.3f s (ratio %.3f), audit %.3f s (ratio %.3f), site %.3f s (ratio %.3f) against git log %.3f s (target <= 0.10) (medians of %d)\n' \
    "$size" "$feed" "$(echo "$feed / $floor" | bc -l)" "$audit" "$(echo "$audit / $floor" | bc -l)" "$site" "$(echo "$site / $floor" | bc -l)" "$floor" "$rounds"
  cd - >/dev/null
done
