#!/bin/sh
# Memory limits of eval, enclose and certify (issue 12): a run whose
# estimate exceeds the limit is refused before it starts, with exit 2, a
# message naming the estimate, the limit and --max-memory, and no output
# file. Everything runs under ulimit -v 4 GB (so the default limit is 90 %
# of it on any machine): a missing refusal fails here instead of swamping
# the machine. AddressSanitizer needs far more address space than that:
# under it (PC_SANITIZERS) the limit is given as --max-memory 3G instead.
. "$(dirname "$0")/cli-lib.sh"
if [ -n "${PC_SANITIZERS:-}" ]; then
    def="--max-memory 3G"
else
    def=
    ulimit -v 4000000
fi
gen="$(dirname "$0")/gen-problem.sh"
sh "$gen" logistic 2 2048 0.01 >"$tmp/n512.json"    # 12 GiB at once (n = 512 fits in 1 GiB since the fixed-point Jacobian)
sh "$gen" logistic 1 4096 0.01 >"$tmp/n4096.json"   # 879 GB after 6.7 GB before
sh "$gen" logistic 2 4 0.01 >"$tmp/small.json"
refused() { # refused DESCRIPTION COMMAND...: exit 2 and the message
    d=$1; shift
    expect_exit 2 "$d" "$@"
    check "$d: names the estimate, the limit and --max-memory" \
        grep -q "needs about .* above the limit of .*--max-memory" "$tmp/err"
}
refused "enclose n = 2048 (default limit)" "$POLARCERT" enclose $def --summary "$tmp/n512.json"
refused "enclose n = 4096 (default limit)" "$POLARCERT" enclose $def --summary "$tmp/n4096.json"
refused "certify n = 2048" "$POLARCERT" certify $def -o "$tmp/c.json" "$tmp/n512.json"
check "certify n = 2048: no certificate, no temporary file" \
    test -z "$(ls "$tmp" | grep -v '\.json$\|^out$\|^err$')" -a ! -e "$tmp/c.json"
refused "enclose --max-memory 256k" "$POLARCERT" enclose --json "$tmp/e.json" \
    --max-memory 256k "$tmp/small.json"
check "enclose: no --json file" test ! -e "$tmp/e.json"
refused "eval --max-memory 2k" "$POLARCERT" eval --max-memory 2k "$tmp/small.json"
expect_exit 0 "enclose --max-memory 64M runs" "$POLARCERT" enclose --summary \
    --max-memory 64M "$tmp/small.json"
# a limit between the start and the end of the run: stopped as steps are stored
expect_exit 2 "enclose stopped when its steps outgrow the limit" "$POLARCERT" enclose \
    --summary --T 1000 --order 8 --max-memory 1.4M "$tmp/small.json"
check "...with a message naming the limit" grep -q "memory limit.*--max-memory" "$tmp/err"
# a limit above what ulimit -v allows: the allocation fails inside the
# library, which returns a status (no abort, no FLINT message on stdout)
if [ -z "${PC_SANITIZERS:-}" ]; then
    expect_exit 2 "certify n = 2048 --max-memory 2000G under ulimit -v: out of memory" \
        "$POLARCERT" certify --max-memory 2000G -o "$tmp/c2.json" "$tmp/n512.json"
    check "...says so, writes nothing, prints nothing on stdout" sh -c \
        "grep -q 'out of memory' '$tmp/err' && test ! -e '$tmp/c2.json' && test ! -s '$tmp/out'"
fi
# report re-runs a certificate's integration: the same limit
expect_exit 2 "report: a re-run above --max-memory refused" "$POLARCERT" report \
    --max-memory 1M -o "$tmp/r.tex" "$PC_CERTS/logistic-skewed-a-8.cert.json"
check "...with a message naming the limit, and no output" sh -c \
    "grep -q 'needs about .* above the memory limit.*--max-memory' '$tmp/err' && test ! -e '$tmp/r.tex'"
for bad in 0 2X -1G G 1e999; do
    expect_exit 2 "--max-memory $bad refused" "$POLARCERT" enclose --max-memory "$bad" \
        "$tmp/small.json"
done
check "stdout of refusals is empty (no FLINT abort message)" test ! -s "$tmp/out"
finish
