#!/bin/sh
# The planted-mistake self-tests of the machine checks in proofs/: each program's
# --selftest exits 0 only if its true identities hold and every planted mistake is
# detected (proofs/README.md). A check program that stops detecting one fails here.
. "$(dirname "$0")/cli-lib.sh"
for p in check-margin-tail check-square-tau-horizon check-pl-tail check-pl-tail-crossent \
         check-pl-tail-weighted \
         check-open-start; do
    check "$p --selftest detects every planted mistake" "proofs/$p" --selftest
done
finish
