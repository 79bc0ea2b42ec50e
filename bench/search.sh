#!/bin/sh
# Counterexample searches (issue 9), the library side: screen throughput
# (instances per CPU second, one core, generation and the exact hypotheses
# included) and rigorous confirmation time (CPU seconds per confirmed
# candidate, pc_check_run) for d = n = 8 logistic to T = 1e4.
# Usage: bench/search.sh [BUILD-DIR] [N] [K] (default build/default, 2000
# instances screened, 10 candidates confirmed). One run; CPU times are the
# thread's (pc_search_cpu_seconds), steadier than wall time on a shared machine.
# Needs tests/search-tool (make tests/search-tool, or make check).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
N=${2:-1000}
K=${3:-10}
tool=$build/tests/search-tool
[ -x "$tool" ] || make -C "$build" tests/search-tool >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# margin-polarization on d = n = 8, a(0) = 0 (the example campaign has ranges)
sed -e 's/"d": {"min": 2, "max": 8}/"d": 8/' -e 's/"n": {"min": 2, "max": 8}/"n": 8/' \
    -e 's/"name": "margin-polarization"/"name": "margin-polarization-8"/' \
    "$top/examples/campaigns/margin-polarization.json" >"$out/mp8.json"
# every-gap-grows on the same instances: its candidates confirm (or not) rigorously
sed -e 's/"theorem": "margin-polarization"/"theorem": "every-gap-grows"/' \
    -e 's/"name": "margin-polarization-8"/"name": "every-gap-grows-8"/' \
    "$out/mp8.json" >"$out/egg8.json"
printf '%-22s %8s %9s %9s %7s %12s %9s %9s %12s\n' campaign screened filtered candidate failed \
    'screen/s' checked refuted 's/confirm'
for c in "$top/examples/campaigns/logistic-gaussian.json" "$out/mp8.json" "$out/egg8.json"; do
    "$tool" bench "$c" "$N" "$K"
done
# the rigorous check of the whole margin-polarization theorem on instances the
# screen clears (the cost of a confirmation that finds nothing)
sed 's/"name": "margin-polarization-8"/"name": "mp-8-cleared"/' "$out/mp8.json" >"$out/mp8c.json"
"$tool" bench "$out/mp8c.json" "$K" "$K" any
