#!/bin/sh
# The full-rank square-loss problem d = n = 10 of issue 13 (bench/gen-square.sh
# 10 10: 110 components on the full system) to t = 200 at 128 bits: the point
# problem (enclose, and certify + verify: the sign of dH/dt at t = 200), and
# the same problem with a box of radius 1e-6 on a(0) only (enclose), its final
# radius next to the float estimate of the true spread (bench_spread: runs
# from the box's corners and random points; NOT RIGOROUS), with the default
# (C¹) QR-Lohner step and with the second-order step (--set c2).
# Usage: bench/square10.sh [BUILD-DIR] (default build/default). Needs
# /usr/bin/time. One run each; a few minutes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
make -s -C "$build" bench/bench_enclose bench/bench_spread >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sh "$top/bench/gen-square.sh" 10 10 2026 200 >"$out/square10.json"
sh "$top/bench/gen-square.sh" 10 10 2026 200 1e-6 >"$out/square10-abox.json"
echo "### enclose the point problem to t = 200"
"$build/bench/bench_enclose" --T 200 "$out/square10.json"
echo
echo "### the box of radius 1e-6 on a(0): default (C1) step and second-order step (--set c2): max radius at t = 20, 50, 100, 200"
"$build/bench/bench_enclose" --no-header --T 200 --at 20,50,100,200 "$out/square10-abox.json"
"$build/bench/bench_enclose" --no-header --T 200 --set c2 --at 20,50,100,200 "$out/square10-abox.json"
echo
echo "### the box's true spread, estimated in float (NOT RIGOROUS)"
"$build/bench/bench_spread" --at 20,50,100 "$out/square10-abox.json"
echo
echo "### certify and verify the point problem to t = 200"
/usr/bin/time -f '%e %U %M' -o "$out/c.time" "$build/src/polarcert" certify \
    -o "$out/c.json" "$out/square10.json" >"$out/c.txt" 2>&1 || true
# (under the checker's default limits: its work estimate is 9.5e9 units of 1e10)
v=0
/usr/bin/time -f '%e %U %M' -o "$out/v.time" "$build/verify/polarcert-verify" --quiet \
    "$out/c.json" >"$out/v.txt" 2>&1 || v=$?
case $v in 0) v=VERIFIED ;; 1) v=REJECTED ;; *) v="not checked: $(tail -n 1 "$out/v.txt")" ;; esac
fmt() { tail -n 1 "$1" | awk '{ printf "%.2f s wall, %.2f s user, %.0f MB", $1, $2, $3 / 1024 }'; }
grep -E '^(method|  entropy_(de|in)creasing|tail|note)' "$out/c.txt" || true
echo "certify: $(fmt "$out/c.time")"
echo "verify:  $(fmt "$out/v.time") ($v)"
