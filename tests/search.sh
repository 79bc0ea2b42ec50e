#!/bin/sh
# Counterexample searches, end to end through the library (tests/search-tool):
#  - instances re-derived independently (tests/search-gen.py, from the
#    algorithm of certs/CAMPAIGN.md) and compared exactly, for every family;
#  - an instance's problem file certifies with `polarcert certify`;
#  - logistic-gaussian MUST find counterexamples: a confirmed refutation of
#    entropy_decreasing whose certificate polarcert-verify accepts (and a
#    tampered copy it rejects);
#  - order_preserved and loss_below are screened, and their refutations
#    confirmed and verified;
#  - margin-polarization (its hypotheses hold on every instance): screened
#    and confirmed on a few instances, whatever the verdict.
. "$PC_SRCDIR/tests/cli-lib.sh"
tool=$PC_BUILDDIR/tests/search-tool
ex=$PC_SRCDIR/examples/campaigns
tc=$PC_SRCDIR/tests/campaigns

# ---- instances against the independent generator --------------------------------
for c in "$ex"/logistic-gaussian.json "$ex"/margin-polarization.json "$tc"/logistic-ranges.json \
         "$tc"/square-aligned.json "$tc"/crossent-random.json "$tc"/quadratic.json \
         "$tc"/theorem-file.json; do
    for i in 0 1 4; do
        name=$(basename "$c" .json)-$i
        if "$tool" instance "$c" $i >"$tmp/$name.json" 2>"$tmp/err" &&
           python3 "$PC_SRCDIR/tests/search-gen.py" "$c" $i "$tmp/$name.json"; then
            ok "$name: the same exact rationals as the independent generator"
        else
            not_ok "$name: differs from the independent generator"; cat "$tmp/err"
        fi
    done
done
expect_exit 0 "instance 0 of logistic-gaussian certifies" \
    "$POLARCERT" certify -o "$tmp/c0.json" "$tmp/logistic-gaussian-0.json"
expect_exit 2 "instance out of range refused" "$tool" instance "$ex/logistic-gaussian.json" 1000

# ---- logistic-gaussian must find counterexamples -----------------------------------
"$tool" screen "$ex/logistic-gaussian.json" 0 10 >"$tmp/screen" 2>&1
ncand=$(grep -c ' candidate ' "$tmp/screen")
check "logistic-gaussian: candidates among 10 instances ($ncand)" test "$ncand" -ge 1
first=$(awk '$2 == "candidate" { print $1; exit }' "$tmp/screen")
"$tool" confirm "$ex/logistic-gaussian.json" "${first:-0}" "$tmp/cex.json" >"$tmp/confirm" 2>&1
head -1 "$tmp/confirm"
check "instance $first: confirmed, REFUTED" \
    sh -c "head -1 '$tmp/confirm' | grep -q '^1 REFUTED '"
sha=$(head -1 "$tmp/confirm" | awk '{ print $4 }')
check "the certificate's SHA-256 is the one reported" \
    sh -c "test \"\$(sha256sum '$tmp/cex.json' | cut -c1-64)\" = '$sha'"
expect_exit 0 "polarcert-verify accepts the counterexample's certificate" \
    "$POLARCERT_VERIFY" "$tmp/cex.json"
check "the verifier re-checks the refutation" grep -q "entropy_increasing" "$tmp/out"
# the witness said to be a decrease: the checker must reject it
sed 's/"entropy_increasing"/"entropy_decreasing"/' "$tmp/cex.json" >"$tmp/tampered.json"
if cmp -s "$tmp/cex.json" "$tmp/tampered.json"; then not_ok "tampering changed nothing"
else expect_exit 1 "a tampered counterexample is REJECTED" "$POLARCERT_VERIFY" "$tmp/tampered.json"
fi

# ---- ordered-gaps-grow from a theorem file, exponential loss: instance 0's gaps
# shrink late (the reading that every ordered gap grows fails there)
"$tool" confirm "$tc/theorem-file.json" 0 "$tmp/og.json" >"$tmp/ogc" 2>&1
check "theorem file: ordered_gaps_increasing refuted on instance 0" \
    grep -q '^conclusion ordered_gaps_increasing REFUTED witness: logit_gap_decreasing' "$tmp/ogc"
expect_exit 0 "its certificate verifies" "$POLARCERT_VERIFY" "$tmp/og.json"

# ---- order_preserved, Gaussian a(0): the screen must flag the instances whose a(0)
# breaks the order of u(0), and the witness (logit_above) must confirm and verify
"$tool" screen "$tc/order-gaussian.json" 0 4 >"$tmp/ord" 2>&1
check "order-gaussian: the screen flags order_preserved" \
    sh -c "grep -q ' candidate .* order_preserved(' '$tmp/ord'"
first=$(awk '$2 == "candidate" { print $1; exit }' "$tmp/ord")
"$tool" confirm "$tc/order-gaussian.json" "${first:-0}" "$tmp/ordc.json" >"$tmp/ordc" 2>&1
check "order-gaussian $first: order_preserved REFUTED by a certified logit_above" \
    grep -q '^conclusion order_preserved REFUTED witness: logit_above' "$tmp/ordc"
expect_exit 0 "its certificate verifies" "$POLARCERT_VERIFY" "$tmp/ordc.json"

# ---- loss_below(1/2) from 0 with L(0) near log 2: flagged at t = 0, refuted by a
# certified loss_above witness that verifies
"$tool" screen "$tc/loss-gaussian.json" 0 2 >"$tmp/loss" 2>&1
check "loss-gaussian: the screen flags loss_below" \
    sh -c "test \$(grep -c ' candidate .* loss_below ' '$tmp/loss') -eq 2"
"$tool" confirm "$tc/loss-gaussian.json" 0 "$tmp/lossc.json" >"$tmp/lossc" 2>&1
check "loss-gaussian 0: loss_below REFUTED by a certified loss_above" \
    grep -q '^conclusion loss_below REFUTED witness: loss_above' "$tmp/lossc"
expect_exit 0 "its certificate verifies" "$POLARCERT_VERIFY" "$tmp/lossc.json"

# ---- margin-polarization: hypotheses hold, a few confirmed whatever they say ----------
"$tool" screen "$ex/margin-polarization.json" 0 4 >"$tmp/mp" 2>&1
check "margin-polarization: no instance filtered (a(0) = 0, u(0) ordered)" \
    sh -c "! grep -q ' filtered ' '$tmp/mp'"
for i in 0 1; do
    "$tool" confirm "$ex/margin-polarization.json" $i "$tmp/mp$i.json" >"$tmp/mpc" 2>&1
    head -1 "$tmp/mpc"
    check "margin-polarization $i: hypotheses TRUE in the rigorous check" \
        sh -c "grep -q '^hypothesis a0_uniform TRUE' '$tmp/mpc' &&
               grep -q '^hypothesis u0_strictly_ordered TRUE' '$tmp/mpc' &&
               test \$(grep -c '^conclusion ' '$tmp/mpc') -eq 4"
    expect_exit 0 "margin-polarization $i: its certificate verifies" \
        "$POLARCERT_VERIFY" "$tmp/mp$i.json"
done
finish
