#!/bin/sh
# Boxes per entry (issue 13): "[lo, hi]" entries of V and a and radius
# objects {"V", "a"} in problem files. The checker reads them with its own
# parser: it refuses the bad forms as the loader does (exit 2, naming the
# field), computes the same problem data hash as certify and as a canonical
# text written by hand (FORMAT.md, "radius per-entry"), and --problem tells
# equal boxes written differently from boxes that differ in one entry.
. "$(dirname "$0")/cli-lib.sh"
: "${POLARCERT_VERIFY:?set by make check}" "${PC_BAD:?}"
mkdir "$tmp/w"
cd "$tmp/w" || exit 1
sq() { # sq FILE V-ROW a-VECTOR [RADIUS-JSON]: a square d = 1, n = 2 problem
    printf '{"format": "polarcert-problem/1", "name": "b", "loss": "square", "d": 1, "n": 2,
 "V": [%s], "a": %s, "beta": ["1"], "T": "1"%s}\n' "$2" "$3" "${4:+, \"radius\": $4}" >"$1"
}

# --- one box, written three ways; the hand-written canonical text ----------------
sq box.json '["1", "[-5/4, -3/4]"]' '["0", "0.5"]' '{"a": "1e-6"}'
sq box-r.json '["1", "-1"]' '["0", "1/2"]' '{"V": [["0", "1/4"]], "a": ["1e-6", "0.000001"]}'
sq box-i.json '["1", "-1"]' '["[-1e-6, 1e-6]", "[0.499999, 0.500001]"]' '{"V": [["0", "0.25"]]}'
want=$(printf 'polarcert-problem-data/1\nloss square\nd 1\nn 2\nradius per-entry\nV 1 -1\na 0 1/2\nV_radius 0 1/4\na_radius 1/1000000 1/1000000\nbeta 1\n' \
    | sha256sum | cut -c1-64)
"$POLARCERT" certify --T 1/16 --gaps 0 -o box.cert.json box.json >out.c 2>&1
check "certify prints the per-entry canonical text's SHA-256" grep -q "^data *sha256 $want " out.c
check "the certificate's radius is the per-entry object" \
    grep -q '"radius": {' box.cert.json
expect_exit 0 "the box certificate verifies" "$POLARCERT_VERIFY" box.cert.json
check "polarcert-verify computes the same hash" grep -q "^data *sha256 $want " "$tmp/out"
for f in box-r.json box-i.json; do
    expect_exit 0 "--problem $f: the same box written otherwise" \
        "$POLARCERT_VERIFY" --problem $f box.cert.json
    check "... the same exact data" grep -q "^against .*the same exact data" "$tmp/out"
done
sq box-d.json '["1", "[-5/4, -3/4]"]' '["0", "[0.499999, 0.5000011]"]'
expect_exit 1 "--problem: one entry's radius differs" \
    "$POLARCERT_VERIFY" --problem box-d.json box.cert.json
check "... REJECTED naming it" grep -q "REJECTED: .*a\[1\] differs" "$tmp/out"
# a box with one radius everywhere is written as before: "radius R", one rational
sq one.json '["[63/64, 65/64]", "[-65/64, -63/64]"]' '["[-1/64, 1/64]", "[-1/64, 1/64]"]'
want1=$(printf 'polarcert-problem-data/1\nloss square\nd 1\nn 2\nradius 1/64\nV 1 -1\na 0 0\nbeta 1\n' \
    | sha256sum | cut -c1-64)
"$POLARCERT" certify --T 1/64 --gaps 0 -o one.cert.json one.json >out.1 2>&1
check "intervals of one common radius hash as \"radius R\"" grep -q "^data *sha256 $want1 " out.1
check "... and the certificate holds one rational radius" grep -q '"radius": "1/64"' one.cert.json

# --- hypotheses over a per-entry box of V(0): u_j(0) moves by w_j = sum_i |b_i| r_ij ---
# (the least gap below was computed independently, with Python fractions, from
# the formula of FORMAT.md "hypotheses": order 5 7 1 3 0 4 6 2)
rad=$(awk 'BEGIN { printf "{\"V\": ["; for (i = 0; i < 8; i++) { printf "%s[", i ? ", " : "";
      for (j = 0; j < 8; j++) printf "%s\"%s\"", j ? ", " : "", (i + j) % 3 == 0 ? "1e-6" : "0";
      printf "]" } printf "]}" }')
sed "s|^ *\"T\":|\"radius\": $rad, \"T\":|" "$PC_CASES/logistic-uniform-8.json" >vbox.json
"$POLARCERT" check --theorem margin-polarization --T 1 -o vbox.cert.json vbox.json >out.v 2>&1
check "check: u0_strictly_ordered over a per-entry box of V(0), order 5 7 1 3 0 4 6 2" \
    grep -q "u0_strictly_ordered *TRUE *order 5 7 1 3 0 4 6 2 " out.v
check "... least_gap exactly as computed by hand" grep -q \
    '"least_gap": "97050301159811032765958138923807/50000000000000000000000000000000000"' vbox.cert.json
check "... a0_uniform TRUE (a(0) is a point)" grep -q "a0_uniform *TRUE" out.v
expect_exit 0 "the checker decides the hypotheses the same way" "$POLARCERT_VERIFY" vbox.cert.json

# --- a box on a(0) alone keeps the reduced square-loss system (V(0) is a point) ------
sed 's|^ *"T":|"radius": {"a": "1e-6"}, "T":|' "$PC_CASES/square-rank1-6.json" >sr1-a.json
"$POLARCERT" certify --align --T 1 -o sr1-a.cert.json sr1-a.json >out.s 2>&1
check "certify --align with a box on a(0) alone: the reduced system" grep -q "^method *reduced system" out.s
expect_exit 0 "... and the checker accepts the reduced system for it" "$POLARCERT_VERIFY" sr1-a.cert.json
sed 's|^ *"T":|"radius": {"V": "1e-6"}, "T":|' "$PC_CASES/square-rank1-6.json" >sr1-v.json
"$POLARCERT" certify --T 1/16 --gaps 0 -o sr1-v.cert.json sr1-v.json >out.sv 2>&1
check "with a box of V(0): the full system" grep -q "^method *full system" out.sv

# --- the checker refuses the bad forms of tests/bad as the loader does -------------
for f in "$PC_BAD"/interval-*.json "$PC_BAD"/radius-object-*.json; do
    name=$(basename "$f")
    [ "$name" = interval-in-T.json ] && continue      # (T is not problem data)
    expect_exit 2 "polarcert-verify --problem refuses $name" \
        "$POLARCERT_VERIFY" --problem "$f" box.cert.json
    field=$("$POLARCERT" eval "$f" 2>&1 | sed -n "s|^.*$name: \([^: ]*\).*|\1|p" | head -1)
    check "... naming $field as the loader does" grep -qF "$name: $field" "$tmp/err"
done
finish
