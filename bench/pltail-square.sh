#!/bin/sh
# Issue 11's time target for square-full-6: certify to the problem's T (200) with
# the tail lemma against the same run without it, in one run. Prints a Markdown
# table: the binary and precision, which tail lemma holds and the T it needed,
# the decrease claim, certify and verify (user CPU seconds and peak RSS from
# /usr/bin/time), and certify's user time over that of the run without the lemma.
#
# Usage: bench/pltail-square.sh BEFORE-BUILD-DIR [BUILD-DIR]
#   BUILD-DIR (default build/default): this tree's build; its certify uses
#     pl-tail-weighted/1 at 128 bits by itself.
#   BEFORE-BUILD-DIR: a build of the tree before pl-tail-weighted/1 (e.g. main
#     at 85a82fc): at 128 bits it has no lemma for square-full-6 (it extends the
#     run to 287.5 looking for pl-tail/1's cone, fails, and claims to T: the
#     baseline "without the lemma"); at --prec 192 it gets pl-tail/1 at t = 337.5
#     (the setting `make certs` used before).
# One run each, a minute or two. Needs /usr/bin/time. Measure user CPU, not wall:
# the machine may be shared.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: bench/pltail-square.sh BEFORE-BUILD-DIR [BUILD-DIR]}
build=${2:-$top/build/default}
case_file="$top/tests/cases/square-full-6.json"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# row LABEL BUILD PREC: one certify + verify, one table row; prints the user time to $out/user
row() {
    label=$1 b=$2 prec=$3
    /usr/bin/time -f '%U %M' -o "$out/c.time" "$b/src/polarcert" certify --prec "$prec" \
        -o "$out/cert.json" "$case_file" >"$out/c.txt" 2>/dev/null || true
    /usr/bin/time -f '%U %M' -o "$out/v.time" "$b/verify/polarcert-verify" --quiet \
        "$out/cert.json" >/dev/null 2>&1 && v=VERIFIED || v=REJECTED
    tail=$(grep '^tail' "$out/c.txt" | sed 's/^tail *//; s/:.*//' || true)
    grep -q "^tail .*not proven" "$out/c.txt" && tail="none ($tail)"
    ext=$(grep '^note .*extended from' "$out/c.txt" | sed 's/.*extended from [^ ]* to \([^ ]*\).*/\1/' || true)
    dec=$(grep '^  entropy_decreasing' "$out/c.txt" | sed 's/.* on //; s/  (tail.*//' || true)
    lim=$(grep '^H(inf)' "$out/c.txt" | sed 's/^H(inf) *//; s/ (the flow.*//' || true)
    cu=$(awk '{ print $1 }' "$out/c.time")
    [ -z "${base:-}" ] && base=$cu
    printf '| %s | %s | %s | %s | %s | %s | %s s, %s MB | %s s, %s MB (%s) | %s |\n' \
        "$label" "$prec" "${tail:-—}" "${ext:-200}" "${dec:-not proven}" "${lim:-—}" \
        "$cu" "$(awk '{ printf "%.0f", $2 / 1024 }' "$out/c.time")" \
        "$(awk '{ print $1 }' "$out/v.time")" "$(awk '{ printf "%.0f", $2 / 1024 }' "$out/v.time")" \
        "$v" "$(echo "$cu $base" | awk '{ printf "%.2f", $1 / $2 }')"
}
echo "| binary | bits | tail lemma | T the lemma needed | decrease proven on | lim H | certify (user, RSS) | verify (user, RSS) | certify / without lemma |"
echo "|---|---|---|---|---|---|---|---|---|"
base=
row "before (no lemma at 128 bits)" "$before" 128
row "this tree" "$build" 128
row "before, --prec 192" "$before" 192
row "this tree, --prec 160" "$build" 160
