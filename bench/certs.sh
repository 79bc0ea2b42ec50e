#!/bin/sh
# Certify and verify every shared case; prints a Markdown table of T*, the
# horizon of the decrease claim, the certify and verify wall times and the
# certificate size. Usage: bench/certs.sh [BUILD-DIR] (default build/default).
# One run each; takes about two minutes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
c="$top/tests/cases"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
echo "| case | T* | decrease proven on | certify (s) | verify (s) | certificate (kB) |"
echo "|---|---|---|---|---|---|"
for f in "$c"/*.json; do
    name=$(basename "$f" .json)
    extra=""
    [ "$name" = square-rank1-6 ] && extra="--align"
    # pl-tail/1 needs p = C V^T r in its cone: certify integrates past T (to
    # about 340), where r ~ 1e-33, which 128 bits no longer resolve
    [ "$name" = square-full-6 ] && extra="--prec 192"
    t0=$(now)
    "$build/src/polarcert" certify $extra -o "$out/$name.json" "$f" >"$out/$name.txt" 2>/dev/null || true
    t1=$(now)
    "$build/verify/polarcert-verify" --quiet "$out/$name.json" >/dev/null 2>&1 && v=VERIFIED || v=REJECTED
    t2=$(now)
    dec=$(grep '^  entropy_decreasing' "$out/$name.txt" | sed 's/.* on //; s/  (tail.*//' || true)
    tstar=$(echo "$dec" | sed 's/^\[//; s/,.*//')
    kb=$(( $(wc -c <"$out/$name.json") / 1024 ))
    printf '| %s%s | %s | %s | %.2f | %.2f (%s) | %s |\n' "$name" "${extra:+ ($extra)}" \
        "${tstar:-—}" "${dec:-not proven}" "$(awk "BEGIN { print $t1 - $t0 }")" "$(awk "BEGIN { print $t2 - $t1 }")" "$v" "$kb"
done
