#!/bin/sh
# polarcert check with the presets on the shared margin-loss cases, and
# polarcert-verify on each certificate: a Markdown table of the verdict, the
# check and verify times (wall and user CPU seconds, peak RSS in MB, from
# /usr/bin/time) and the number of claims. Usage: bench/check.sh [BUILD-DIR]
# [CASE...] (default build/default; cases logistic-uniform-8 and
# logistic-uniform-64). One run each, under a 3 GB address-space limit; the
# n = 64 rows take minutes. Needs /usr/bin/time.
#
# ordered-gaps-grow on n = 64 decides 2016 gaps: every piece of the run is
# evaluated once for all of them (lib/pc_conclude.c, signs_compute).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
[ $# -gt 0 ] && shift
cases=${*:-logistic-uniform-8 logistic-uniform-64}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
timed() {
    o=$1
    shift
    /usr/bin/time -f '%e %U %M' -o "$o" "$@"
}
fmt() { tail -n 1 "$1" | awk '{ printf "%.2f / %.2f s, %.0f MB", $1, $2, $3 / 1024 }'; }
echo "| case | theorem | verdict | check (wall / user, RSS) | verify (wall / user, RSS) | claims |"
echo "|---|---|---|---|---|---|"
for name in $cases; do
    for th in margin-polarization ordered-gaps-grow every-gap-grows; do
        ( ulimit -v 3000000
          timed "$out/c.time" "$build/src/polarcert" check --theorem "$th" -o "$out/c.json" \
              "$top/tests/cases/$name.json" >"$out/c.txt" 2>/dev/null ) || true
        ( ulimit -v 3000000
          timed "$out/v.time" "$build/verify/polarcert-verify" --quiet "$out/c.json" \
              >/dev/null 2>&1 ) && v=VERIFIED || v=REJECTED
        verdict=$(sed -n 's/^verdict *//p' "$out/c.txt")
        claims=$(sed -n 's/^cert .*(\([0-9]*\) claims.*/\1/p' "$out/c.txt")
        printf '| %s | %s | %s | %s | %s (%s) | %s |\n' "$name" "$th" "${verdict:-failed}" \
            "$(fmt "$out/c.time")" "$(fmt "$out/v.time")" "$v" "${claims:-0}"
        rm -f "$out/c.json"
    done
done
