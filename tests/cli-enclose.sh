#!/bin/sh
# polarcert enclose: rigorous runs on the shared cases, their agreement with
# the float preview, JSON output, --at, and refusal of bad options.
. "$(dirname "$0")/cli-lib.sh"
enc() { "$POLARCERT" enclose "$@"; }
ball_mid() { sed 's/^ *[^ ]* *\[//; s/ +\/-.*//'; }        # "[m +/- r]" -> m
# the sign of the ball on a "label [m +/- r]" line: prints 1, -1 or 0 (undecided)
ball_sign() { sed 's/^ *[^ ]* *\[//; s/\]//; s/+\/-//' | awk '{ print ($1 - $2 > 0) ? 1 : (($1 + $2 < 0) ? -1 : 0) }'; }
block() { sed -n "/^t = $1/,/^t = /p" "$2"; }

enc --T 50 --summary --at 0.5,10 "$PC_CASES/logistic-skewed-a-8.json" >"$tmp/skew.txt"
check "enclose: the sum of a is conserved in every step" grep -q "conserved in every step's enclosure: yes" "$tmp/skew.txt"
check "enclose: final state radius below 1e-25 at 128 bits" \
    sh -c "grep 'max radius' '$tmp/skew.txt' | head -1 | sed 's/.*: //' | awk '{ exit !(\$1 < 1e-25) }'"
check "enclose --at: blocks for t = 0.5 and t = 10" \
    sh -c "grep -q '^t = 0.5' '$tmp/skew.txt' && grep -q '^t = 10' '$tmp/skew.txt'"
s05=$(block 0.5 "$tmp/skew.txt" | grep 'dH/dt' | ball_sign)
s50=$(block 50 "$tmp/skew.txt" | grep 'dH/dt' | ball_sign)
check "skewed a(0): dH/dt(0.5) > 0 proven (the whole ball is positive)" test "$s05" = 1
check "skewed a(0): dH/dt(50) < 0 proven (the whole ball is negative)" test "$s50" = -1

# The proven runs of the sign of dH/dt: rising on [0, r], falling on [f, 50],
# with r < f and both near the float preview's peak (dH/dt changes sign
# between t = 1.025 and 1.030); the pieces next to the sign change are
# refined until r and f are within 2^-20 relative.
rise=$(sed -n 's/^entropy *dH\/dt > 0 proven for all t in \[0, \(.*\)\]$/\1/p' "$tmp/skew.txt")
fall=$(sed -n 's/^entropy *dH\/dt < 0 proven for all t in \[\(.*\), 50\]$/\1/p' "$tmp/skew.txt")
check "skewed a(0): dH/dt > 0 proven on [0, $rise], < 0 proven on [$fall, 50]" \
    awk -v r="$rise" -v f="$fall" 'BEGIN { exit !(r > 1.02 && r < f && f < 1.035 && (f - r) / f <= 1e-6) }'
enc --T 20 --summary "$PC_CASES/logistic-uniform-8.json" >"$tmp/uni.txt"
check "a(0) = 0: dH/dt(0) = 0, and dH/dt < 0 is proven on (0, 20] (open start)" \
    grep -q "^entropy *dH/dt < 0 proven for all t in (0, 20\] (open at 0" "$tmp/uni.txt"

# The float preview at T = 50 must agree with the rigorous H to float accuracy.
hf=$("$POLARCERT" simulate --format csv --points 1 --tmin 50 --T 50 "$PC_CASES/logistic-skewed-a-8.json" | tail -1 | cut -d, -f3)
hr=$(block 50 "$tmp/skew.txt" | grep '^  H ' | ball_mid)
check "float preview H(50) = $hf agrees with the enclosure's H = $hr within 1e-8" \
    awk -v a="$hf" -v b="$hr" 'BEGIN { d = a - b; exit !(d < 1e-8 && d > -1e-8) }'

# The τ-system (default for margin point problems) and real time must agree:
# both H(100) balls contain the truth, so their midpoints differ by at most
# the sum of the radii.
enc --T 100 --summary --system tau "$PC_CASES/logistic-uniform-8.json" >"$tmp/tau.txt"
enc --T 100 --summary --system reduced "$PC_CASES/logistic-uniform-8.json" >"$tmp/red.txt"
check "tau system reports tau and t(tau)" grep -q "^tau .*where t(tau) = " "$tmp/tau.txt"
check "tau system and real time give overlapping H(100)" sh -c "
    a=\$(grep '^  H ' '$tmp/tau.txt' | sed 's/.*\[//; s/\]//; s/+\/-//')
    b=\$(grep '^  H ' '$tmp/red.txt' | sed 's/.*\[//; s/\]//; s/+\/-//')
    echo \$a \$b | awk '{ d = \$1 - \$3; if (d < 0) d = -d; exit !(d <= \$2 + \$4 && \$2 < 1e-15) }'"
valid=$(dirname "$PC_BAD")/valid
expect_exit 2 "--system tau is refused where rho(0) < 0 (t(tau) would decrease)" "$POLARCERT" enclose --system tau "$valid/square-overshoot.json"
expect_exit 0 "the same problem in real time is fine" "$POLARCERT" enclose --summary --system reduced "$valid/square-overshoot.json"
expect_exit 2 "--system tau on cross-entropy is refused" "$POLARCERT" enclose --system tau "$PC_CASES/crossent-5x6.json"

enc --T 5 --prec 96 --json "$tmp/sq.json" "$PC_CASES/square-full-6.json" >"$tmp/sq.txt"
check "enclose --json writes a rigorous record with the final state" \
    sh -c "grep -q '\"rigorous\": true' '$tmp/sq.json' && grep -q '\"final\"' '$tmp/sq.json' && grep -q '\"V\"' '$tmp/sq.json'"
check "square loss, full-rank V(0): full system with 42 components" grep -q "full, dimension 42" "$tmp/sq.txt"
check "enclose prints every component unless --summary" sh -c "grep -c '^  V\[' '$tmp/sq.txt' | grep -qx 36"

enc --T 20 --summary "$PC_CASES/logistic-box-8.json" >"$tmp/box.txt"
check "box of initial data: radius stays between 1e-7 and 1e-3" \
    sh -c "grep 'max radius' '$tmp/box.txt' | sed 's/.*: //' | awk '{ exit !(\$1 > 1e-7 && \$1 < 1e-3) }'"

expect_exit 2 "--prec 8 is refused" "$POLARCERT" enclose --prec 8 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--system reduced on cross-entropy is refused" "$POLARCERT" enclose --system reduced "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--at beyond T is refused" "$POLARCERT" enclose --T 1 --at 2 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--at with a non-number is refused" "$POLARCERT" enclose --T 1 --at 0.5,x "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--set foo is refused" "$POLARCERT" enclose --set foo "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--T 0 is refused" "$POLARCERT" enclose --T 0 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--json into a missing directory is refused" "$POLARCERT" enclose --T 0.1 --json "$tmp/no/x.json" "$PC_CASES/crossent-5x6.json"
expect_exit 0 "--help" "$POLARCERT" enclose --help
finish
