#!/bin/sh
# The search run loop and its workers: d = n = 8 logistic loss, Gaussian a(0),
# T = 10^4 (examples/campaigns/logistic-gaussian.json with N instances and the
# best K candidates confirmed), run with one process, -j 2, and mpirun (rank 0
# writes, the other ranks work: -n 2 is one worker, -n 3 two). One run each.
# Then the single writer's capacity (bench_store): commits per second.
# Usage: bench/search-run.sh [BUILD-DIR] [N] [K]   (default build/default 2000 6)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
N=${2:-2000}
K=${3:-6}
make -s -C "$build" src/polarcert verify/polarcert-verify bench/bench_store >/dev/null
POLARCERT_VERIFY=$build/verify/polarcert-verify
export POLARCERT_VERIFY
P=$build/src/polarcert
prog=$P     # mpirun starts the program itself, not libtool's wrapper script
if [ -x "$build/src/.libs/polarcert" ]; then
    prog=$build/src/.libs/polarcert
    LD_LIBRARY_PATH="$build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s/\"instances\": [0-9]*/\"instances\": $N/" -e "s/\"k\": [0-9]*/\"k\": $K/" \
    "$top/examples/campaigns/logistic-gaussian.json" >"$tmp/c.json"

echo "## search run: logistic d = n = 8, Gaussian a(0), T = 1e4; $N instances screened, best $K confirmed"
echo "(rates are wall-clock on this machine; CPU columns are per instance, from the store)"
echo
echo "| run | workers | screen inst/s | screen inst/s per worker | screen CPU ms/inst (inst/s per core) | confirm wall s/inst | confirm CPU s/inst | checker wall s/inst | wall s | user+sys CPU s | store bytes/inst |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
# the rate of a phase: the last progress line of that phase ("..., 123/s, ETA ...")
rate() { grep "^polarcert: $1" "$tmp/err" | tail -1 | sed 's/.*, \([0-9.e+]*\)\/s,.*/\1/'; }
row() { # row LABEL WORKERS JOBS COMMAND...
    label=$1 w=$2 j=$3
    shift 3
    rm -f "$tmp/s.db"
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" search run --store "$tmp/s.db" \
        --campaign "$tmp/c.json" $j >"$tmp/out" 2>"$tmp/err" || { echo "| $label | failed |"; cat "$tmp/err"; return; }
    sr=$(rate screen)
    cr=$(rate confirm)
    "$P" search report --store "$tmp/s.db" --format json >"$tmp/r.json"
    python3 - "$tmp/r.json" "$tmp/time" "$tmp/s.db" "$label" "$w" "$sr" "$cr" <<'EOF'
import json, os, sys
r = json.load(open(sys.argv[1])); e, u, s = map(float, open(sys.argv[2]).read().split()[-3:])
rows = r["rows"]; conf = [x["confirmation"] for x in rows if "confirmation" in x]
sc = sum(x["screen_seconds"] for x in rows) / max(1, len(rows))
cc = sum(x["seconds"] for x in conf) / max(1, len(conf))
vc = sum(x["checker_seconds"] for x in conf) / max(1, len(conf))
w = int(sys.argv[5]); sr = float(sys.argv[6] or 0); cr = float(sys.argv[7] or 0)
size = os.path.getsize(sys.argv[3])
print("| %s | %d | %.0f | %.0f | %.2f (%.0f) | %.2f | %.3f | %.2f | %.1f | %.1f | %.0f |" % (
    sys.argv[4], w, sr, sr / w, 1e3 * sc, 1 / sc if sc else float("nan"), 1 / cr if cr else float("nan"), cc, vc, e, u + s,
    size / len(rows)))
EOF
}
row "one process" 1 "" "$P"
row "-j 2" 2 "-j 2" "$P"
if [ -x "$(command -v mpirun || true)" ] && grep -q 'define PC_HAVE_MPI 1' "$build/config.h"; then
    row "mpirun -n 2" 1 "" mpirun --allow-run-as-root --oversubscribe -n 2 "$prog"
    row "mpirun -n 3" 2 "" mpirun --allow-run-as-root --oversubscribe -n 3 "$prog"
else
    echo "| mpirun | (built without MPI) |"
fi
echo
echo "## the single writer: commits per second (WAL, synchronous = NORMAL, one transaction each)"
echo
echo "| result | count | per second | wall us each | CPU us each | bytes each in the file |"
echo "|---|---|---|---|---|---|"
sed -e "s/\"instances\": [0-9]*/\"instances\": 1000000/" \
    "$top/examples/campaigns/logistic-gaussian.json" >"$tmp/big.json"
"$build/bench/bench_store" "$tmp/big.json" "$tmp" 20000 200 100000
