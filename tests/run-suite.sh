#!/bin/sh
# The full test suite: build and `make check` (every Check suite and CLI
# test), the same under AddressSanitizer + UndefinedBehaviorSanitizer, and
# `make distcheck`. Builds go to build/ (out of tree). Ends with the line
# "N passed, N failed" over all the test runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
cd "$top"
[ -x configure ] || autoreconf -fi >/dev/null

count() { # sums a field of the automake summaries under $1
    cat "$1"/test-suite.log | sed -n "s/^# $2: *//p" | head -1
}

run() { # run NAME CONFIGURE-ARGS...
    name=$1; shift
    dir="$top/build/$name"
    mkdir -p "$dir"
    echo "== $name: configure $*"
    (cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs" && make -s -j"$jobs" check) || status=1
    pass=$((pass + $(count "$dir" PASS))); fail=$((fail + $(count "$dir" FAIL) + $(count "$dir" ERROR)))
}

pass=0 fail=0 status=0
run default
# the repeats leave the largest certificates to the default build (certs-verify.sh)
PC_QUICK=1; export PC_QUICK
run sanitizers --enable-sanitizers
echo "== distcheck"
(cd "$top/build/default" && make -s distcheck >distcheck.log 2>&1) \
    && { echo "distcheck passed"; pass=$((pass + 1)); } \
    || { tail -40 "$top/build/default/distcheck.log"; fail=$((fail + 1)); status=1; }
echo "$pass passed, $fail failed"
[ "$status" -eq 0 ] && [ "$fail" -eq 0 ]
