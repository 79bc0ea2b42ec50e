#!/bin/sh
# Certify and verify every shared case; prints a Markdown table of T*, the
# interval of the decrease claim, how sharp T* is, the certify and verify
# wall times and the certificate size. Usage: bench/certs.sh [BUILD-DIR]
# (default build/default). One run each; takes a few minutes.
#
# "T* bracket": where T* can be off. With a proven increase ending at r, the
# last zero of dH/dt lies in (r, T*) and the column gives (T* - r)/T*;
# without one, T* - x over T*, x the lower end of the last piece on which
# dH/dt < 0 is not proven ("0 (open)" for the open start of a uniform a(0),
# "[0, T*]" where that piece starts at 0). For an older build without the
# "bracket" line, from the printed claims (8 digits).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
c="$top/tests/cases"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
# "  kind ... on [a, b]" -> a (field 1) or b (field 2) from certify's output
claim_end() { grep "^  $1 " "$2" | head -1 | sed 's/.* on [[(]//; s/[])].*//' | tr -d ' ' | cut -d, -f"$3"; }
echo "| case | T* | decrease proven on | T* bracket (relative) | certify (s) | verify (s) | certificate (kB) |"
echo "|---|---|---|---|---|---|---|"
for f in "$c"/*.json; do
    name=$(basename "$f" .json)
    extra=""
    [ "$name" = square-rank1-6 ] && extra="--align"
    t0=$(now)
    "$build/src/polarcert" certify $extra -o "$out/$name.json" "$f" >"$out/$name.txt" 2>/dev/null || true
    t1=$(now)
    "$build/verify/polarcert-verify" --quiet "$out/$name.json" >/dev/null 2>&1 && v=VERIFIED || v=REJECTED
    t2=$(now)
    dec=$(grep '^  entropy_decreasing' "$out/$name.txt" | sed 's/.* on //; s/  (tail.*//' || true)
    tstar=$(echo "$dec" | sed 's/^[[(]//; s/,.*//')
    br=$(grep '^bracket' "$out/$name.txt" | sed 's/.*relative width //' || true)
    if echo "$dec" | grep -q '^('; then
        br="0 (open)"
    elif [ -z "$br" ] && [ -n "$dec" ]; then        # an older build: from the claims
        ts=$(claim_end entropy_decreasing "$out/$name.txt" 1)
        r=$(claim_end entropy_increasing "$out/$name.txt" 2)
        if [ -n "$r" ] && awk -v r="$r" -v t="$ts" 'BEGIN { exit !(r < t) }'; then
            br=$(awk -v r="$r" -v t="$ts" 'BEGIN { printf "%.2e", (t - r) / t }')
        else
            br="[0, T*]"
        fi
    elif [ -z "$br" ]; then
        br="—"
    fi
    grep -q '^bracket.*is \[0, ' "$out/$name.txt" && br="[0, T*]"
    kb=$(( $(wc -c <"$out/$name.json") / 1024 ))
    printf '| %s%s | %s | %s | %s | %.2f | %.2f (%s) | %s |\n' "$name" "${extra:+ (--align)}" \
        "${tstar:-—}" "${dec:-not proven}" "$br" "$(awk "BEGIN { print $t1 - $t0 }")" \
        "$(awk "BEGIN { print $t2 - $t1 }")" "$v" "$kb"
done
