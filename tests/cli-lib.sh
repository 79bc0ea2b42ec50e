# Shared by the CLI tests: counts checks, prints "ok"/"not ok" lines, and
# ends with a summary and the exit status. Source it, then call `finish`.
: "${POLARCERT:?set by make check}" "${PC_CASES:?}"
ntest=0 nfail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { ntest=$((ntest + 1)); echo "ok $ntest - $1"; }
not_ok() { ntest=$((ntest + 1)); nfail=$((nfail + 1)); echo "not ok $ntest - $1"; }
check() { # check DESCRIPTION COMMAND...: passes if the command succeeds
    d=$1; shift
    if "$@"; then ok "$d"; else not_ok "$d"; fi
}
expect_exit() { # expect_exit CODE DESCRIPTION COMMAND...
    code=$1 d=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" -eq "$code" ]; then ok "$d (exit $code)"
    else not_ok "$d: exit $got, expected $code"; cat "$tmp/err"; fi
}
finish() {
    echo "$((ntest - nfail)) passed, $nfail failed"
    [ "$nfail" -eq 0 ]
}
