#!/bin/sh
# Prints the benchmark tables. Usage: bench/run.sh [BUILD-DIR] (default build/default).
# One run each; takes a few minutes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
make -s -C "$build" bench/bench_preview bench/bench_enclose >/dev/null
c="$top/tests/cases"
# One case per process, so that the peak RSS column belongs to that case.
hdr=""
enc() {
    "$build/bench/bench_enclose" $hdr "$@"
    hdr="--no-header"
}
encs() {        # enc OPTIONS... FILE...: one process per file
    opts=""
    while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do opts="$opts $1 $2"; shift 2; done
    for f in "$@"; do enc $opts "$f"; done
}
echo "## float preview, every shared case to its own T"
"$build/bench/bench_preview" "$c"/*.json
echo
echo "## float preview, logistic-uniform-64 to T = 1e5"
"$build/bench/bench_preview" --T 1e5 "$c/logistic-uniform-64.json"
echo
echo "## rigorous integration: the targets of the integrator issue"
enc --T 1e5 "$c/logistic-uniform-8.json"
enc --T 1e3 "$c/logistic-box-8.json"
enc --T 200 "$c/square-full-6.json"
enc --T 1e5 "$c/logistic-uniform-64.json"
echo
echo "## rigorous integration, every other case to its own T"
hdr=""
encs "$c/logistic-skewed-a-8.json" "$c/exponential-uniform-8.json" \
    "$c/square-rank1-6.json" "$c/crossent-5x6.json"
echo
echo "## the wrapping effect: plain interval boxes against QR-Lohner, square-full-6"
hdr=""
for T in 10 20; do
    "$build/bench/bench_enclose" --set interval --T $T "$c/square-full-6.json"
    enc --T $T "$c/square-full-6.json"
done
echo
echo "## full-rank square loss, d = n = 10, to t = 200: point and box on a(0)"
sh "$top/bench/square10.sh" "$build"
echo
echo "## certificates of the shared cases: certify and verify"
sh "$top/bench/certs.sh" "$build"
