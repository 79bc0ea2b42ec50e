#!/bin/sh
# Prints the benchmark tables. Usage: bench/run.sh [BUILD-DIR] (default build/default).
# One run each; takes a few minutes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
make -s -C "$build" bench/bench_preview bench/bench_enclose >/dev/null
c="$top/tests/cases"
echo "## float preview, every shared case to its own T"
"$build/bench/bench_preview" "$c"/*.json
echo
echo "## float preview, logistic-uniform-64 to T = 1e5"
"$build/bench/bench_preview" --T 1e5 "$c/logistic-uniform-64.json"
echo
echo "## rigorous integration: the targets of the integrator issue"
"$build/bench/bench_enclose" --T 1e5 "$c/logistic-uniform-8.json"
"$build/bench/bench_enclose" --T 1e3 "$c/logistic-box-8.json"
"$build/bench/bench_enclose" --T 200 "$c/square-full-6.json"
"$build/bench/bench_enclose" --T 1e5 "$c/logistic-uniform-64.json"
echo
echo "## rigorous integration, every other case to its own T"
"$build/bench/bench_enclose" "$c/logistic-skewed-a-8.json" "$c/exponential-uniform-8.json" \
    "$c/square-rank1-6.json" "$c/crossent-5x6.json"
echo
echo "## the wrapping effect: plain interval boxes against QR-Lohner, square-full-6"
for T in 10 20; do
    "$build/bench/bench_enclose" --set interval --T $T "$c/square-full-6.json"
    "$build/bench/bench_enclose" --T $T "$c/square-full-6.json"
done
echo
echo "## certificates of the shared cases: certify and verify"
sh "$top/bench/certs.sh" "$build"
