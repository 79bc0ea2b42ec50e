#!/bin/sh
# The full test suite: build and `make check` (every Check suite and CLI
# test), the same under AddressSanitizer + UndefinedBehaviorSanitizer, and
# `make distcheck`. Builds go to build/ (out of tree). Ends with the line
# "N passed, N failed" over all the test runs; a stage that cannot run
# (autoreconf, configure, make) is reported as "stage X failed" and counted
# as a failure.
#
# A checkout that is also configured in place (the README's first command,
# `./configure && make` at the top) cannot be configured out of tree
# ("source directory already configured"): the suite then builds from a
# clean copy of the checkout's tracked files (as they are in the working
# tree) in build/src, and leaves the in-place build alone.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
pass=0 fail=0 status=0

stage_failed() { # stage_failed STAGE: reported and counted
    echo "stage $1 failed"
    fail=$((fail + 1)); status=1
}

count() { # count DIR FIELD: a field of the automake summary in DIR (0 if none)
    v=$(sed -n "s/^# $2: *//p" "$1/test-suite.log" 2>/dev/null | head -1)
    echo "${v:-0}"
}

src=$top
if [ -f "$top/config.status" ]; then
    src=$top/build/src
    echo "== the checkout is configured in place: building from a clean copy in build/src"
    rm -rf "$src" && mkdir -p "$src" || { stage_failed copy; exit 1; }
    if ! (cd "$top" && git ls-files -z -c | tar --null --ignore-failed-read -T - -cf - \
              | tar -xf - -C "$src"); then
        echo "(a clean copy needs a git checkout; or run 'make distclean' at the top first)"
        stage_failed copy
        echo "$pass passed, $fail failed"
        exit 1
    fi
fi
if [ ! -x "$src/configure" ]; then
    echo "== autoreconf"
    (cd "$src" && autoreconf -fi >/dev/null) || { stage_failed autoreconf; echo "$pass passed, $fail failed"; exit 1; }
fi

run() { # run NAME CONFIGURE-ARGS...: 0 if the build (not necessarily the tests) worked
    name=$1; shift
    dir="$top/build/$name"
    # a build directory configured from another source tree is started afresh
    if [ -f "$dir/.pc-srcdir" ] && [ "$(cat "$dir/.pc-srcdir")" != "$src" ]; then
        rm -rf "$dir"
    fi
    mkdir -p "$dir" && echo "$src" >"$dir/.pc-srcdir"
    echo "== $name: configure $*"
    (cd "$dir" && "$src/configure" -q "$@") || { stage_failed "$name: configure"; return 1; }
    (cd "$dir" && make -s -j"$jobs") || { stage_failed "$name: make"; return 1; }
    (cd "$dir" && make -s -j"$jobs" check) || status=1
    pass=$((pass + $(count "$dir" PASS)))
    fail=$((fail + $(count "$dir" FAIL) + $(count "$dir" ERROR)))
    return 0
}

run default && default_built=1 || default_built=0
# the repeats leave the largest certificates to the default build (certs-verify.sh)
PC_QUICK=1; export PC_QUICK
run sanitizers --enable-sanitizers
echo "== distcheck"
if [ "$default_built" -eq 1 ]; then
    # the fuzz run (tests/fuzz-short.sh) was part of the default build's check
    if (cd "$top/build/default" && PC_NO_FUZZ=1 make -s distcheck >distcheck.log 2>&1); then
        echo "distcheck passed"; pass=$((pass + 1))
    else
        tail -40 "$top/build/default/distcheck.log"; stage_failed distcheck
    fi
else
    stage_failed "distcheck (no default build)"
fi
echo "$pass passed, $fail failed"
[ "$status" -eq 0 ] && [ "$fail" -eq 0 ]
