#!/bin/sh
# Prints the benchmark tables. Usage: bench/run.sh [BUILD-DIR] (default build/default).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
make -s -C "$build" bench/bench_preview >/dev/null
cases="$top/tests/cases"
echo "## float preview, every shared case to its own T"
"$build/bench/bench_preview" "$cases"/*.json
echo
echo "## float preview, logistic-uniform-64 to T = 1e5"
"$build/bench/bench_preview" --T 1e5 "$cases/logistic-uniform-64.json"
