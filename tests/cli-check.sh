#!/bin/sh
# polarcert check: the presets on the shared cases (hypotheses, verdicts,
# witnesses, exit statuses), the certificates they write (re-checked by
# polarcert-verify), a theorem file, and refusal of bad input.
. "$(dirname "$0")/cli-lib.sh"
: "${POLARCERT_VERIFY:?set by make check}"
row() { grep "^  $1" "$2" | head -1; }     # the table row of an item

uni="$PC_CASES/logistic-uniform-8.json"
skew="$PC_CASES/logistic-skewed-a-8.json"

# margin-polarization on logistic-uniform-8: hypotheses hold, the winner, the
# gaps of the winner and polarization proven to infinity
"$POLARCERT" check --theorem margin-polarization -o "$tmp/mp.json" "$uni" >"$tmp/mp.txt" 2>"$tmp/err"
st=$?
check "margin-polarization: a0_uniform TRUE" sh -c "grep -q '^  a0_uniform  *TRUE' '$tmp/mp.txt'"
check "margin-polarization: u0 strictly ordered, top token 5" \
    sh -c "grep -q '^  u0_strictly_ordered  *TRUE  *order 5 7 1 3 0 4 6 2' '$tmp/mp.txt'"
check "margin-polarization: winner(5) PROVEN on (0, inf)" \
    sh -c "grep -q '^  winner(5) on (0, inf)  *PROVEN' '$tmp/mp.txt'"
check "margin-polarization: the 7 gaps a_5 - a_j grow on [0, inf)" \
    sh -c "grep -q '^  gap_increasing(5,\*) on \[0, inf)  *PROVEN  *7 gaps grow on \[0, inf)' '$tmp/mp.txt'"
check "margin-polarization: H < 1/2 from a computed t_b on, for ever" \
    sh -c "grep -q '^  entropy_below(0.5) on \[t_b, inf)  *PROVEN  *H < 0.5 on \[[0-9.]*, inf)' '$tmp/mp.txt'"
# entropy_decreasing on (0, inf): PROVEN by the open start at t = 0
# (proofs/open-start.md) and margin-tail, so the theorem is confirmed
check "entropy_decreasing PROVEN on (0, inf) by the open start" \
    sh -c "grep -q '^  entropy_decreasing on (0, inf)  *PROVEN  *dH/dt < 0 on (0, inf) (open start' '$tmp/mp.txt'"
check "margin-polarization confirmed: exit 0" test "$st" -eq 0
expect_exit 0 "polarcert-verify accepts the margin-polarization certificate" \
    "$POLARCERT_VERIFY" "$tmp/mp.json"
check "the checker re-decides the hypotheses" grep -q "hypothesis u0_strictly_ordered  *TRUE" "$tmp/out"
check "the checker confirms the winner" grep -q "conclusion winner  *PROVEN" "$tmp/out"

# logistic-skewed-a-8: a0_uniform fails (not applicable, exit 4), and the
# entropy_decreasing conclusion is refuted by a certified increase
expect_exit 4 "skewed a(0): margin-polarization not applicable" \
    "$POLARCERT" check --theorem margin-polarization -o "$tmp/skew.json" "$skew"
check "skewed a(0): a0_uniform FALSE" grep -q "^  a0_uniform  *FALSE  *a_2(0) != a_0(0)" "$tmp/out"
check "skewed a(0): entropy_decreasing REFUTED by entropy_increasing on [0, 1.0...]" \
    grep -q "^  entropy_decreasing on (0, inf)  *REFUTED  *witness: entropy_increasing on \[0, 1.0" "$tmp/out"
expect_exit 0 "polarcert-verify accepts the skewed certificate" "$POLARCERT_VERIFY" "$tmp/skew.json"
check "the checker confirms the refutation" grep -q "conclusion entropy_decreasing  *REFUTED" "$tmp/out"

# ordered-gaps-grow and every-gap-grows: refuted on logistic-uniform-8 (exit 1)
expect_exit 1 "ordered-gaps-grow refuted on logistic-uniform-8" \
    "$POLARCERT" check --theorem ordered-gaps-grow -o "$tmp/og.json" "$uni"
check "ordered-gaps-grow: a shrinking ordered gap as witness" \
    grep -q "^  ordered_gaps_increasing on (0, inf)  *REFUTED  *witness: logit_gap_decreasing(7,1)" "$tmp/out"
expect_exit 0 "polarcert-verify accepts the ordered-gaps-grow certificate" "$POLARCERT_VERIFY" "$tmp/og.json"
expect_exit 1 "every-gap-grows refuted on logistic-uniform-8" \
    "$POLARCERT" check --theorem every-gap-grows -o "$tmp/eg.json" "$uni"
check "every-gap-grows: a_i > a_j and a shrinking gap as witness" \
    grep -q "^  all_gaps_increasing on (0, inf)  *REFUTED  *witness: a_6 > a_2 and a_6 - a_2 shrinks" "$tmp/out"
expect_exit 0 "polarcert-verify accepts the every-gap-grows certificate" "$POLARCERT_VERIFY" "$tmp/eg.json"

# square-aligned on square-rank1-6 --align: the lower bound of H on [0, inf)
"$POLARCERT" check --theorem square-aligned --align -o "$tmp/sq.json" \
    "$PC_CASES/square-rank1-6.json" >"$tmp/sq.txt" 2>"$tmp/err"
st=$?
check "square-aligned: v0_aligned TRUE" grep -q "^  v0_aligned  *TRUE" "$tmp/sq.txt"
check "square-aligned: H bounded below on [0, inf)" \
    grep -q "^  entropy_above(some b > 0) on \[0, inf)  *PROVEN  *H >= 1.7" "$tmp/sq.txt"
check "square-aligned: entropy_decreasing PROVEN on (0, inf)" \
    sh -c "grep -q '^  entropy_decreasing on (0, inf)  *PROVEN' '$tmp/sq.txt'"
check "square-aligned confirmed: exit 0" test "$st" -eq 0
expect_exit 0 "polarcert-verify accepts the square-aligned certificate" "$POLARCERT_VERIFY" "$tmp/sq.json"
expect_exit 4 "square-aligned on square-full-6 (not aligned): not applicable" \
    "$POLARCERT" check --theorem square-aligned --T 1 "$PC_CASES/square-full-6.json"
check "square-full-6: v0_aligned FALSE" grep -q "^  v0_aligned  *FALSE" "$tmp/out"
expect_exit 4 "margin-polarization on a square loss: loss not covered" \
    "$POLARCERT" check --theorem margin-polarization --T 1 "$PC_CASES/square-full-6.json"
check "the loss row says why" grep -q "^  loss  *FALSE  *the theorem is not about the square loss" "$tmp/out"

# a theorem file (the preset's, in proofs/theorems/) and the preset's text
: "${PC_PROOFS:?set by make check}"
expect_exit 1 "a theorem file gives the preset's verdict" \
    "$POLARCERT" check --theorem "$PC_PROOFS/theorems/ordered-gaps-grow.json" --T 1000 "$uni"
check "the file's theorem is named" grep -q "^theorem   ordered-gaps-grow" "$tmp/out"
expect_exit 0 "--print-theorem prints a preset" "$POLARCERT" check --theorem every-gap-grows --print-theorem
check "--print-theorem: the preset's text" grep -q '"all_gaps_increasing"' "$tmp/out"

# order_preserved, loss_below and all_gaps_increasing from a theorem file, on
# logistic-uniform-8: the order of u(0) from the data alone on (0, inf), the
# loss below 1/2 from t = 100 on for ever, a witness of L >= 7/10 at the start,
# every gap with a_i > a_j growing on (0, 20] (--depth 10), all VERIFIED
printf '{"format": "polarcert-theorem/1", "name": "ol", "losses": ["logistic"], "hypotheses": ["a0_uniform", "u0_strictly_ordered"], "conclusions": [{"kind": "order_preserved", "from": "0", "open_from": true, "to": "inf"}, {"kind": "order_preserved", "from": "10", "to": "30"}, {"kind": "loss_below", "bound": "1/2", "from": "100", "to": "inf"}, {"kind": "loss_below", "bound": "7/10", "from": "0", "to": "1"}, {"kind": "all_gaps_increasing", "from": "0", "open_from": true, "to": "20"}]}' >"$tmp/ol.json"
expect_exit 1 "order/loss/all-gaps theorem: refuted by the loss witness" \
    "$POLARCERT" check --theorem "$tmp/ol.json" --depth 10 --T 200 -o "$tmp/ol-cert.json" "$uni"
check "order_preserved PROVEN on (0, inf)" \
    grep -q "^  order_preserved on (0, inf)  *PROVEN" "$tmp/out"
check "order_preserved PROVEN on [10, 30]" \
    grep -q "^  order_preserved on \[10, 30\]  *PROVEN" "$tmp/out"
check "loss_below(1/2) PROVEN on [100, inf) (the loss never increases)" \
    grep -q "^  loss_below(0.5) on \[100, inf)  *PROVEN  *L < 0.5 on \[100, inf)" "$tmp/out"
check "loss_below(7/10) REFUTED by a loss_above witness from 0" \
    grep -q "^  loss_below(0.7) on \[0, 1\]  *REFUTED  *witness: loss_above(0.7[0-9]*) on \[0, " "$tmp/out"
check "all_gaps_increasing PROVEN on (0, 20]" \
    grep -q "^  all_gaps_increasing on (0, 20\]  *PROVEN" "$tmp/out"
expect_exit 0 "polarcert-verify accepts the order/loss certificate" "$POLARCERT_VERIFY" "$tmp/ol-cert.json"
check "the checker confirms order_preserved" grep -q "conclusion order_preserved  *PROVEN" "$tmp/out"
check "the checker confirms the loss refutation" grep -q "conclusion loss_below  *REFUTED" "$tmp/out"
check "the checker confirms all_gaps_increasing" grep -q "conclusion all_gaps_increasing  *PROVEN" "$tmp/out"
# skewed a(0): the a do not follow the order of u(0) (a_2 > a_6 while u_6(0) > u_2(0))
printf '{"format": "polarcert-theorem/1", "name": "o2", "losses": ["logistic"], "hypotheses": ["u0_strictly_ordered"], "conclusions": [{"kind": "order_preserved", "from": "0", "to": "inf"}]}' >"$tmp/o2.json"
expect_exit 1 "skewed a(0): order_preserved refuted" \
    "$POLARCERT" check --theorem "$tmp/o2.json" --T 100 -o "$tmp/o2-cert.json" "$skew"
check "skewed a(0): witness logit_above(2,6)" \
    grep -q "^  order_preserved on \[0, inf)  *REFUTED  *witness: logit_above(2,6)" "$tmp/out"
expect_exit 0 "polarcert-verify accepts the skewed order certificate" "$POLARCERT_VERIFY" "$tmp/o2-cert.json"
# a square loss: order_preserved is about margin losses only
printf '{"format": "polarcert-theorem/1", "name": "o3", "losses": ["square"], "hypotheses": ["u0_strictly_ordered"], "conclusions": [{"kind": "order_preserved", "from": "0", "to": "1"}]}' >"$tmp/o3.json"
"$POLARCERT" check --theorem "$tmp/o3.json" --T 1 "$PC_CASES/square-full-6.json" >"$tmp/out" 2>"$tmp/err"
check "square loss: order_preserved UNDECIDED, margin losses only" \
    sh -c "grep -q '^  order_preserved on \[0, 1\]  *UNDECIDED' '$tmp/out' && grep -q 'margin losses' '$tmp/out'"

# bad input: exit 2, nothing written
expect_exit 2 "no --theorem" "$POLARCERT" check "$uni"
expect_exit 2 "unknown preset / missing file" "$POLARCERT" check --theorem no-such-thing "$uni"
printf '{"format": "polarcert-theorem/1", "name": "x", "losses": ["logistic"], "hypotheses": ["a0_uniformm"], "conclusions": [{"kind": "winner", "token": "top", "from": "0", "to": "inf"}]}' >"$tmp/bad1.json"
expect_exit 2 "unknown hypothesis" "$POLARCERT" check --theorem "$tmp/bad1.json" "$uni"
check "the message names file and field" grep -q "bad1.json: hypotheses: unknown hypothesis" "$tmp/err"
printf '{"format": "polarcert-theorem/1", "name": "x", "losses": ["logistic"], "hypotheses": [], "conclusions": [{"kind": "winner", "token": "top", "from": "1", "open_from": true, "to": "inf"}]}' >"$tmp/bad2.json"
expect_exit 2 "open_from away from 0" "$POLARCERT" check --theorem "$tmp/bad2.json" "$uni"
printf '{"format": "polarcert-theorem/1", "name": "x", "losses": ["logistic"], "hypotheses": [], "conclusions": [{"kind": "entropy_below", "bound": 0.5, "from": "0", "to": "inf"}]}' >"$tmp/bad3.json"
expect_exit 2 "a number that is not a string" "$POLARCERT" check --theorem "$tmp/bad3.json" "$uni"
printf '{"format": "polarcert-theorem/1", "name": "x", "losses": ["logistic"], "hypotheses": [], "conclusions": [{"kind": "gap_increasing", "i": 1, "j": 1, "from": "0", "to": "inf"}]}' >"$tmp/bad4.json"
expect_exit 2 "gap with i == j" "$POLARCERT" check --theorem "$tmp/bad4.json" "$uni"
printf '{"format": "polarcert-theorem/1", "name": "x", "losses": ["logistic"], "hypotheses": [], "conclusions": [{"kind": "winner", "token": 8, "from": "0", "to": "1"}]}' >"$tmp/bad5.json"
expect_exit 2 "a token the problem does not have" "$POLARCERT" check --theorem "$tmp/bad5.json" "$uni"
check "the message names the conclusion" grep -q "conclusions\[0\]: token 8 does not exist (n = 8)" "$tmp/err"
expect_exit 2 "-o into a missing directory" \
    "$POLARCERT" check --theorem margin-polarization -o "$tmp/no/such/dir.json" "$uni"
check "no half-written certificate" sh -c "! ls '$tmp'/no 2>/dev/null"
expect_exit 2 "--max-memory below the run's estimate: refused before the run" \
    "$POLARCERT" check --theorem margin-polarization --max-memory 1M -o "$tmp/mm.json" "$uni"
check "the refusal names the estimate and the option" grep -q "above the limit of 1 MiB (--max-memory)" "$tmp/err"
check "nothing written after the refusal" test ! -e "$tmp/mm.json"
finish
