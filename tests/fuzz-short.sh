#!/bin/sh
# A short libFuzzer run of the three fuzz targets (the problem loader, the
# checker's certificate reader, the campaign and theorem readers: fuzz/run.sh),
# 20 s each, when clang can build them; skipped (exit 77) otherwise and in the
# sanitizer repeat of tests/run-suite.sh (PC_QUICK) or with PC_NO_FUZZ set. The
# longer run is in fuzz/README.md.
: "${PC_SRCDIR:?set by make check}" "${PC_BUILDDIR:?}"
if [ -n "${PC_QUICK:-}" ] || [ -n "${PC_NO_FUZZ:-}" ]; then
    echo "# skipped (PC_QUICK or PC_NO_FUZZ)"; exit 77
fi
sh "$PC_SRCDIR/fuzz/run.sh" "${PC_FUZZ_SECONDS:-20}" "$PC_BUILDDIR/fuzz-work"
