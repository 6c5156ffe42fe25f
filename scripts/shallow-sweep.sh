#!/usr/bin/env bash
# The shallow-clone test at every depth from 1 to 150 (cargo test runs a
# sample): each of notice, render, audit and feed gives the full clone's
# answer or refuses naming the cut, and the timeline from the cut equals
# the full clone's after it.
set -euo pipefail
cd "$(dirname "$0")/.."
SUBLEDGER_SHALLOW_SWEEP=all exec cargo test --locked --test cli shallow::every_depth
