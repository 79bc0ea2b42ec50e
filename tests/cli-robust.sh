#!/bin/sh
# Hostile and careless input (issue 12, items 5 and 6): files refused at
# their size before parsing, directories, escape sequences in a problem's
# name, over-long numbers, values that overflow (never printed as nan), the
# automatic system's fallback, the tau label of the progress line, the
# checker's rule for q, and the problem data hash (certify, the checker and
# a hand-written canonical text agree; --problem).
. "$(dirname "$0")/cli-lib.sh"
: "${POLARCERT_VERIFY:?set by make check}"
mkdir "$tmp/w"
cd "$tmp/w" || exit 1
problem() { # problem FILE NAME-JSON V-ROW a-VECTOR: a logistic d = 1, n = 2 problem
    printf '{"format": "polarcert-problem/1", "name": %s, "loss": "logistic", "d": 1, "n": 2,
 "V": [%s], "a": %s, "beta": ["1"], "T": "1"}\n' "$2" "$3" "$4" >"$1"
}
no_esc() { ! grep -q "$(printf '\033')" "$1"; }

# --- sizes, directories ------------------------------------------------------
truncate -s 65M big-problem.json
expect_exit 2 "a 65 MiB problem file is refused" "$POLARCERT" eval big-problem.json
check "... at its size, before parsing" grep -q "larger than the limit of 64 MiB" "$tmp/err"
expect_exit 2 "a problem read from a pipe stops at the limit" \
    sh -c "yes ' ' | head -c 70000000 | '$POLARCERT' eval /dev/stdin"
check "... and says so" grep -q "larger than the limit of 64 MiB" "$tmp/err"
truncate -s 129M big-cert.json
expect_exit 2 "a 129 MiB certificate is refused" "$POLARCERT_VERIFY" big-cert.json
check "... at its size, before parsing" grep -q "larger than the limit of 128 MiB" "$tmp/err"
mkdir dir
expect_exit 2 "polarcert eval DIR" "$POLARCERT" eval dir
check "... says it is a directory" grep -q "dir: is a directory" "$tmp/err"
expect_exit 2 "polarcert-verify DIR" "$POLARCERT_VERIFY" dir
check "... says it is a directory" grep -q "dir: (file): is a directory" "$tmp/err"

# --- escape sequences in the name ---------------------------------------------
problem esc.json '"x\u001b[31mRED\u001b]0;title\u0007\u009b2J"' '["1", "-1"]' '["1", "0"]'
for cmd in eval enclose certify simulate; do
    "$POLARCERT" $cmd esc.json >out.$cmd 2>&1
    check "$cmd: no escape character reaches the terminal" no_esc out.$cmd
    check "$cmd: the name is shown escaped" grep -q 'x\\x1b\[31mRED' out.$cmd
done
cert=$(ls ./*.cert.json | head -1)
"$POLARCERT_VERIFY" "$cert" >out.verify 2>&1
check "polarcert-verify: no escape character in its output" no_esc out.verify
check "polarcert-verify: the name is shown escaped" grep -q 'x\\x1b\[31mRED\\x1b\]0;title\\x07\\u009b2J' out.verify
sed 's/"system": "[a-z]*"/"system": "x\\u001b[2Jy"/' "$cert" >esc-system.json
"$POLARCERT_VERIFY" esc-system.json >out.system 2>&1
check "an unknown method.system is quoted escaped" grep -q 'unknown system "x\\x1b\[2Jy"' out.system
check "... with no escape character" no_esc out.system

# --- numbers --------------------------------------------------------------------
long=$(head -c 20001 /dev/zero | tr '\0' 7)
sed "s|\"radius\": \"[^\"]*\"|\"radius\": \"$long\"|" "$cert" >long.json
expect_exit 2 "a 20001-digit number in a certificate" "$POLARCERT_VERIFY" long.json
check "... is reported as too long" grep -q "has more than 20000 digits" "$tmp/err"
problem half.json '"h"' '["1/2", "-1"]' '["0", "1"]'
"$POLARCERT" certify --T 0.01 -o half.cert.json half.json >/dev/null 2>&1
sed 's|"1/2"|"2/4"|' half.cert.json >notlowest.json
expect_exit 2 "a rational not in lowest terms" "$POLARCERT_VERIFY" notlowest.json
check "... is reported as such" grep -q '"2/4" is not in lowest terms' "$tmp/err"

# --- overflow: never nan; the automatic system falls back ------------------------
problem huge.json '"huge"' '["1", "-1"]' '["1e4096", "0"]'
"$POLARCERT" eval huge.json >out.eval 2>&1
check "eval with a(0) = 1e4096: no nan printed" sh -c '! grep -qi nan out.eval'
check "eval with a(0) = 1e4096: the loss is 'not finite'" grep -q "^loss *not finite" out.eval
"$POLARCERT" eval --format json huge.json >out.json 2>&1
check "eval --format json: no nan printed" sh -c '! grep -qi nan out.json'
for cmd in certify enclose; do
    "$POLARCERT" $cmd -o huge.cert.json huge.json >out.$cmd 2>&1
    check "$cmd with a(0) = 1e4096: no '--system tau' message without --system" \
        sh -c "! grep -q -- '--system' out.$cmd"
    check "$cmd with a(0) = 1e4096: no nan printed" sh -c "! grep -qi nan out.$cmd"
done
# (the tau-system does not apply; the run on the fallback may then fail for
# want of precision, as the a priori enclosures get a floor relative to the
# largest component: either way the system was chosen without complaint)
check "certify: the automatic choice fell back to the reduced system" \
    grep -qE "^method *reduced system|no step could be validated" out.certify

# --- the progress line of a tau-system run (needs a terminal: script(1)) ----------
if command -v script >/dev/null 2>&1; then
    script -qec "'$POLARCERT' certify -o skew.cert.json '$PC_CASES/logistic-skewed-a-8.json'" \
        /dev/null >out.tty 2>&1
    check "the progress line of a tau-system run says tau =" grep -q "polarcert: tau = " out.tty
    check "... and never t =" sh -c '! grep -q "polarcert: t = " out.tty'
fi

# --- the checker's rule for q (as the loader's) ------------------------------------
"$POLARCERT" certify --T 0.01 -o ce.cert.json "$PC_VALID/crossent-2x3.json" >/dev/null 2>&1
expect_exit 0 "the crossent-2x3 certificate verifies" "$POLARCERT_VERIFY" ce.cert.json
tr '\n' '\r' <ce.cert.json | sed 's|"q": \[\r *"1/3",\r *"2/3"|"q": [\r"-1/3",\r"4/3"|' | tr '\r' '\n' >ce-neg.json
expect_exit 2 "the checker refuses a negative q" "$POLARCERT_VERIFY" ce-neg.json
check "... naming it" grep -q "problem.q\[0\]: is negative" "$tmp/err"
tr '\n' '\r' <ce.cert.json | sed 's|"q": \[\r *"1/3",\r *"2/3"|"q": [\r"1/3",\r"1/3"|' | tr '\r' '\n' >ce-sum.json
expect_exit 2 "the checker refuses a q that does not sum to 1" "$POLARCERT_VERIFY" ce-sum.json
check "... saying so" grep -q "problem.q: entries do not sum to 1" "$tmp/err"

# --- the problem data hash ---------------------------------------------------------
# the canonical text of FORMAT.md written by hand, hashed by sha256sum
problem ex.json '"ex"' '["0.5", "-1"]' '["0", "0"]'
want=$(printf 'polarcert-problem-data/1\nloss logistic\nd 1\nn 2\nradius 0\nV 1/2 -1\na 0 0\nbeta 1\n' \
    | sha256sum | cut -c1-64)
"$POLARCERT" certify -o ex.cert.json ex.json >out.ex 2>&1
check "certify prints the canonical text's SHA-256" grep -q "^data *sha256 $want " out.ex
want_q=$(printf 'polarcert-problem-data/1\nloss quadratic\nd 2\nn 3\nm 3\nradius 1/1000\nV 1/10 1/5 3/10 -1/10 -1/5 -3/10\na 0 0 0\nX 1 0 0 1 1/2 -1/2\nb 1 -2 150\n' \
    | sha256sum | cut -c1-64)
"$POLARCERT" certify --T 0.01 -o q.cert.json "$PC_VALID/quadratic-3x2x3.json" >out.q 2>&1
check "certify (quadratic, box): the canonical text's SHA-256" grep -q "^data *sha256 $want_q " out.q
# the checker's header (--problem with another problem: REJECTED right after it)
"$POLARCERT_VERIFY" --problem ex.json q.cert.json >out.vq 2>&1
check "polarcert-verify computes the same value" grep -q "^data *sha256 $want_q " out.vq
for c in logistic-skewed-a-8 crossent-5x6 square-full-6; do
    a=$("$POLARCERT" certify --T 0.001 --gaps 0 -o h.json "$PC_CASES/$c.json" 2>/dev/null | sed -n 's/^data *sha256 \([0-9a-f]*\).*/\1/p')
    b=$("$POLARCERT_VERIFY" --problem ex.json "$PC_CERTS/$c.cert.json" 2>/dev/null | sed -n 's/^data *sha256 \([0-9a-f]*\).*/\1/p')
    check "$c: certify and polarcert-verify print the same data hash ($a)" test -n "$a" -a "$a" = "$b"
done
# --problem
expect_exit 0 "--problem with the certificate's own problem file" \
    "$POLARCERT_VERIFY" --problem "$PC_VALID/crossent-2x3.json" ce.cert.json
check "... says the data are the same" grep -q "^against .*the same exact data$" "$tmp/out"
sed 's|"1/7"|"2/14"|; s|"3e-1"|"0.3"|; s|"name": "crossent-2x3"|"name": "other"|' \
    "$PC_VALID/crossent-2x3.json" >ce-same.json
expect_exit 0 "--problem: the same data written otherwise, under another name" \
    "$POLARCERT_VERIFY" --problem ce-same.json ce.cert.json
check "... is accepted and the name noted" grep -q "same exact data (under another name)" "$tmp/out"
sed 's|"3e-1"|"0.30000000000000001"|' "$PC_VALID/crossent-2x3.json" >ce-other.json
expect_exit 1 "--problem: V[1][2] differs by 1e-17" "$POLARCERT_VERIFY" --problem ce-other.json ce.cert.json
check "... REJECTED naming V[1][2]" grep -q "^REJECTED: --problem ce-other.json: .*V\[1\]\[2\] differs" "$tmp/out"
sed 's|"radius": "0"|"radius": "1e-30"|' "$PC_VALID/crossent-2x3.json" >ce-rad.json
expect_exit 1 "--problem: the radius differs" "$POLARCERT_VERIFY" --problem ce-rad.json ce.cert.json
check "... REJECTED naming the radius" grep -q "radius differs" "$tmp/out"
expect_exit 1 "--problem: another loss" "$POLARCERT_VERIFY" --problem "$PC_VALID/logistic-2x3.json" ce.cert.json
check "... REJECTED naming the loss" grep -q "loss differs" "$tmp/out"
expect_exit 2 "--problem: an invalid problem file" "$POLARCERT_VERIFY" --problem "$PC_BAD/hex.json" ce.cert.json
finish
