#!/bin/sh
# polarcert eval: every shared case evaluates; values are balls; -o is atomic.
. "$(dirname "$0")/cli-lib.sh"

for f in "$PC_CASES"/*.json; do
    expect_exit 0 "eval $(basename "$f")" "$POLARCERT" eval --prec 96 "$f"
done
"$POLARCERT" eval --prec 256 "$PC_CASES/logistic-skewed-a-8.json" >"$tmp/e.txt"
check "eval prints loss, H, dH/dt as balls" \
    sh -c "grep -q '^loss *\[' '$tmp/e.txt' && grep -q '^H *\[' '$tmp/e.txt' && grep -q '^dH/dt *\[' '$tmp/e.txt'"
check "eval at 256 bits: dH/dt(0) ball narrower than 1e-60" \
    sh -c "grep '^dH/dt' '$tmp/e.txt' | sed 's/.*+\/- //; s/\]//' | awk '{ exit !(\$1 < 1e-60) }'"
check "eval: skewed a(0) has dH/dt(0) > 0 (the whole ball)" \
    sh -c "grep '^dH/dt' '$tmp/e.txt' | sed 's/^dH\/dt *\[//; s/ +\/-.*//' | awk '{ exit !(\$1 > 1e-3) }'"
check "eval: a(0) = 0 gives dH/dt(0) containing 0 and H = log 8" \
    sh -c "'$POLARCERT' eval '$PC_CASES/logistic-uniform-8.json' | grep -E '^(dH/dt +0|H +\[2\.07944154167983592825)'  | wc -l | grep -qx 2"
check "eval of a box: wider balls than of its centre" \
    sh -c "'$POLARCERT' eval '$PC_CASES/logistic-box-8.json' | grep -q 'box of initial data'"
"$POLARCERT" eval --format json -o "$tmp/e.json" "$PC_CASES/crossent-5x6.json"
check "eval --format json -o writes rigorous JSON" grep -q '"rigorous": true' "$tmp/e.json"
expect_exit 2 "--prec 8 is refused" "$POLARCERT" eval --prec 8 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--format csv is refused by eval" "$POLARCERT" eval --format csv "$PC_CASES/crossent-5x6.json"
expect_exit 2 "an unknown command is refused" "$POLARCERT" frobnicate
expect_exit 0 "--version" "$POLARCERT" --version
expect_exit 0 "--help" "$POLARCERT" --help
finish
