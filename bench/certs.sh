#!/bin/sh
# Certify and verify every shared case (and tests/valid/crossent-pl-4x4 and
# -6x4, the cross-entropy cases with d = n and d > n); prints a Markdown table of T*, the
# interval of the decrease claim, how sharp T* is, the certify and verify
# times (wall and user CPU seconds, peak RSS in MB, from /usr/bin/time) and
# the certificate size, and the ratio of the user CPU times verify / certify
# (issue 13: the checker should be no slower than the certifier).
# Usage: bench/certs.sh [BUILD-DIR] (default build/default). With
# VERIFY_BEFORE=path/to/an-older/polarcert-verify in the environment, that
# checker is timed on the same certificates too (before/after in one run).
# One run each; takes a few minutes. Needs /usr/bin/time.
#
# "T* bracket": where T* can be off. With a proven increase ending at r, the
# last zero of dH/dt lies in (r, T*) and the column gives (T* - r)/T*;
# without one, T* - x over T*, x the lower end of the last piece on which
# dH/dt < 0 is not proven ("0 (open)" for the open start of a uniform a(0),
# "[0, T*]" where that piece starts at 0).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
c="$top/tests/cases"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# timed OUT CMD...: runs CMD, writes "wall user maxrss_kB" to OUT; returns CMD's status
timed() {
    o=$1
    shift
    /usr/bin/time -f '%e %U %M' -o "$o" "$@"
}
# fmt FILE: "wall / user s, RSS MB" from a timed() record
fmt() { tail -n 1 "$1" | awk '{ printf "%.2f / %.2f s, %.0f MB", $1, $2, $3 / 1024 }'; }
# ratio A B: user time of record A over that of record B
ratio() { printf '%s %s\n' "$(tail -n 1 "$1" | awk '{ print $2 }')" "$(tail -n 1 "$2" | awk '{ print $2 }')" |
    awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "—" }'; }
before=${VERIFY_BEFORE:-}
if [ -n "$before" ]; then
    echo "| case | T* | decrease proven on | T* bracket (relative) | certify (wall / user, RSS) | verify (wall / user, RSS) | verify / certify (user) | verify before (wall / user, RSS) | before / certify | certificate (kB) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
else
    echo "| case | T* | decrease proven on | T* bracket (relative) | certify (wall / user, RSS) | verify (wall / user, RSS) | verify / certify (user) | certificate (kB) |"
    echo "|---|---|---|---|---|---|---|---|"
fi
# the shared cases, and the cross-entropy cases with d = n and d > n (pl-tail-crossent/1)
for f in "$c"/*.json "$top/tests/valid/crossent-pl-4x4.json" "$top/tests/valid/crossent-pl-6x4.json"; do
    name=$(basename "$f" .json)
    extra=""
    [ "$name" = square-rank1-6 ] && extra="--align"
    [ "$name" = square-full-6 ] && extra="--prec 192"   # pl-tail/1 needs it (make certs)
    timed "$out/c.time" "$build/src/polarcert" certify $extra -o "$out/$name.json" "$f" \
        >"$out/$name.txt" 2>/dev/null || true
    timed "$out/v.time" "$build/verify/polarcert-verify" --quiet "$out/$name.json" \
        >/dev/null 2>&1 && v=VERIFIED || v=REJECTED
    dec=$(grep '^  entropy_decreasing' "$out/$name.txt" | sed 's/.* on //; s/  (tail.*//' || true)
    tstar=$(echo "$dec" | sed 's/^[[(]//; s/,.*//')
    br=$(grep '^bracket' "$out/$name.txt" | sed 's/.*relative width //' || true)
    if echo "$dec" | grep -q '^('; then
        br="0 (open)"
    elif [ -z "$br" ]; then
        br="—"
    fi
    grep -q '^bracket.*is \[0, ' "$out/$name.txt" && br="[0, T*]"
    kb=$(( $(wc -c <"$out/$name.json") / 1024 ))
    bcol=""
    if [ -n "$before" ]; then
        timed "$out/b.time" "$before" --quiet "$out/$name.json" >/dev/null 2>&1 && b=VERIFIED || b=REJECTED
        bcol="$(fmt "$out/b.time") ($b) | $(ratio "$out/b.time" "$out/c.time") | "
    fi
    printf '| %s%s | %s | %s | %s | %s | %s (%s) | %s | %s%s |\n' "$name" "${extra:+ ($extra)}" \
        "${tstar:-—}" "${dec:-not proven}" "$br" "$(fmt "$out/c.time")" "$(fmt "$out/v.time")" "$v" \
        "$(ratio "$out/v.time" "$out/c.time")" "$bcol" "$kb"
done
