#!/bin/sh
# polarcert simulate: the float preview shows the behaviours the shared cases
# are chosen for, is labelled as not rigorous, and refuses bad options.
. "$(dirname "$0")/cli-lib.sh"
sim() { "$POLARCERT" simulate --format csv "$@"; }

# CSV columns: t,loss,H,dH_dt,max_s (after two '#' lines and the header)
rows() { grep -v '^#' | tail -n +2; }

sim "$PC_CASES/logistic-skewed-a-8.json" >"$tmp/skew.csv"
check "simulate output is labelled NOT RIGOROUS" grep -q "NOT RIGOROUS" "$tmp/skew.csv"
check "skewed a(0): entropy rises first (dH/dt > 0 on the first rows)" \
    sh -c "rows() { grep -v '^#' | tail -n +2; }; rows <'$tmp/skew.csv' | head -3 | awk -F, '\$4 <= 0 { exit 1 }'"
check "skewed a(0): then falls (dH/dt < 0 on the last 20 rows, H(T) < H(0))" \
    sh -c "grep -v '^#' '$tmp/skew.csv' | tail -n +2 | awk -F, 'NR == 1 { h0 = \$3 } { r[NR] = \$4; h = \$3 } END { for (i = NR - 19; i <= NR; i++) if (r[i] >= 0) exit 1; exit !(h < h0) }'"

sim "$PC_CASES/logistic-uniform-8.json" | rows >"$tmp/uni.csv"
check "a(0) = 0: dH/dt(0) = 0 and H strictly decreasing after" \
    awk -F, 'NR == 1 { if ($4 != 0) exit 1; h = $3; next } { if (!($3 < h) || !($4 < 0)) exit 1; h = $3 }' "$tmp/uni.csv"

sim "$PC_CASES/square-full-6.json" | rows >"$tmp/sqf.csv"
check "square, full-rank V(0): loss reaches 0 (< 1e-15) while H stays high (> 0.9 log 6)" \
    sh -c "tail -1 '$tmp/sqf.csv' | awk -F, '{ exit !(\$2 < 1e-15 && \$3 > 0.9 * log(6)) }'"
check "square, full-rank V(0): late |dH/dt| below float64 resolution of H (< 1e-12)" \
    sh -c "tail -1 '$tmp/sqf.csv' | awk -F, '{ d = \$4 < 0 ? -\$4 : \$4; exit !(d < 1e-12) }'"

"$POLARCERT" simulate --format csv --align "$PC_CASES/square-rank1-6.json" 2>"$tmp/align.err" >"$tmp/r1red.csv"
check "square rank one: --align reports its change and uses the reduced system" \
    sh -c "grep -q 'largest change' '$tmp/align.err' && grep -q 'reduced (u, a)' '$tmp/r1red.csv'"
sim --system full "$PC_CASES/square-rank1-6.json" >"$tmp/r1full.csv"
check "square rank one: reduced and full systems agree (H within 1e-8)" \
    sh -c "paste -d, '$tmp/r1red.csv' '$tmp/r1full.csv' | grep -v '^#' | tail -n +2 | awk -F, '{ d = \$3 - \$8; if (d > 1e-8 || d < -1e-8) exit 1 }'"

sim --system full "$PC_CASES/logistic-uniform-8.json" | rows >"$tmp/unifull.csv"
check "margin loss: full and reduced systems agree (H and loss within 1e-8)" \
    sh -c "paste -d, '$tmp/uni.csv' '$tmp/unifull.csv' | awk -F, '{ for (k = 2; k <= 3; k++) { d = \$k - \$(k + 5); if (d > 1e-8 || d < -1e-8) exit 1 } }'"

check "box problem: only its centre is simulated, and says so" \
    sh -c "'$POLARCERT' simulate '$PC_CASES/logistic-box-8.json' | grep -q 'centre of the box'"
check "json format: rigorous is false" \
    sh -c "'$POLARCERT' simulate --format json --points 3 '$PC_CASES/crossent-5x6.json' | grep -q '\"rigorous\": false'"
check "--points 5 gives t = 0 plus 5 rows" \
    sh -c "'$POLARCERT' simulate --format csv --points 5 '$PC_CASES/exponential-uniform-8.json' | grep -v '^#' | tail -n +2 | wc -l | grep -qx 6"

check "-o writes the file and leaves no temporary behind" \
    sh -c "'$POLARCERT' simulate --points 3 -o '$tmp/o.txt' '$PC_CASES/crossent-5x6.json' && test -s '$tmp/o.txt' && test -z \"\$(ls '$tmp' | grep tmp)\""
expect_exit 2 "--points 0 is refused" "$POLARCERT" simulate --points 0 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--T -1 is refused" "$POLARCERT" simulate --T -1 "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--system reduced on cross-entropy is refused" "$POLARCERT" simulate --system reduced "$PC_CASES/crossent-5x6.json"
expect_exit 2 "--align on a full-rank V(0) is refused" "$POLARCERT" simulate --align "$PC_CASES/square-full-6.json"
expect_exit 2 "a missing problem file is refused" "$POLARCERT" simulate "$tmp/none.json"
expect_exit 2 "no problem file is a usage error" "$POLARCERT" simulate
expect_exit 2 "-o into a missing directory is refused" "$POLARCERT" simulate -o "$tmp/no/such/f" "$PC_CASES/crossent-5x6.json"
expect_exit 0 "--help" "$POLARCERT" simulate --help
finish
