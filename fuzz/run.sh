#!/bin/sh
# Builds the fuzz targets with clang's libFuzzer (+ AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 60) on a seed
# corpus made from the test files. Usage:
#   sh fuzz/run.sh [SECONDS] [WORK-DIR]        (WORK-DIR default: build/fuzz)
# Exit 0 if nothing was found; 1 with the crashing inputs under
# WORK-DIR/artifacts; 77 if clang cannot build a fuzzer here.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
work=${2:-$top/build/fuzz}
CC_FUZZ=${CC_FUZZ:-clang}
FLINT_ARB_LIBS=${FLINT_ARB_LIBS:--lflint-arb -lflint}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
mkdir -p "$work/artifacts" "$work/corpus-problem" "$work/corpus-cert" "$work/corpus-campaign"
work=$(cd "$work" && pwd)       # absolute: the campaign target runs elsewhere

if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
    echo "fuzz: $CC_FUZZ not found (apt-get install clang libclang-rt-14-dev)"; exit 77
fi
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$work/probe.c"
if ! $CC_FUZZ $flags -o "$work/probe" "$work/probe.c" >/dev/null 2>&1; then
    echo "fuzz: $CC_FUZZ cannot build a libFuzzer target (apt-get install libclang-rt-14-dev)"
    exit 77
fi
echo "== building the fuzz targets with $CC_FUZZ in $work"
$CC_FUZZ $flags -I"$top/lib" -o "$work/fuzz-problem" "$top/fuzz/fuzz-problem.c" \
    "$top/lib/pc_problem.c" "$top/lib/pc_problem_hash.c" "$top/lib/pc_status.c" \
    $FLINT_ARB_LIBS -ljansson -lnettle -lgmp -lm || { echo "fuzz: build failed"; exit 1; }
$CC_FUZZ $flags -I"$top/verify" -o "$work/fuzz-cert" "$top/fuzz/fuzz-cert.c" \
    "$top"/verify/vf_*.c \
    -lmpfi -lmpfr -lgmp -ljansson -lnettle -lm || { echo "fuzz: build failed"; exit 1; }
# the campaign and theorem readers need the library up to the rigorous check
# (pc_theorem.c), not the store, the workers, the reports or numpy import
lib_campaign=$(ls "$top"/lib/pc_*.c | grep -v -E \
    '/pc_(npy|import|report|report_out|report_plot|store|search_run|search_pool|search_report|search_wire)\.c$')
$CC_FUZZ $flags -I"$top/lib" -o "$work/fuzz-campaign" "$top/fuzz/fuzz-campaign.c" \
    $lib_campaign $FLINT_ARB_LIBS -ljansson -lnettle -lmpfr -lgmp -lm \
    || { echo "fuzz: build failed"; exit 1; }

# seeds: every problem file, certificate, campaign and theorem file of the tests
# and examples (small certificates whole)
cp "$top"/tests/valid/*.json "$top"/tests/bad/*.json "$top"/tests/cases/*.json \
    "$work/corpus-problem/" 2>/dev/null
cp "$top"/fuzz/seeds/*.json "$work/corpus-cert/" 2>/dev/null
for f in "$top"/tests/bad-certs/*.json "$top"/certs/*.cert.json; do
    [ -f "$f" ] && [ "$(wc -c <"$f")" -le 131072 ] && cp "$f" "$work/corpus-cert/"
done
cp "$top"/examples/campaigns/*.json "$top"/tests/campaigns/*.json \
    "$top"/tests/bad-campaigns/*.json "$top"/proofs/theorems/*.json "$work/corpus-campaign/" \
    2>/dev/null

status=0
for t in problem cert campaign; do
    # the checker prints its verdicts: close_fd_mask=3 silences the target (libFuzzer
    # and the sanitizers keep a copy of stderr for their reports)
    leaks=1; [ $t = cert ] && leaks=0
    echo "== fuzz-$t for $secs s"
    # the corpus directory grows with what libFuzzer finds; -max_len covers the seeds.
    # In tests/campaigns, where the theorem file that theorem-file.json names exists.
    (cd "$top/tests/campaigns" &&
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=$leaks" \
    "$work/fuzz-$t" -max_total_time="$secs" -max_len=131072 -rss_limit_mb=2048 \
        -timeout=20 -detect_leaks=$leaks -close_fd_mask=3 \
        -dict="$top/fuzz/polarcert.dict" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t-" "$work/corpus-$t" \
        >"$work/fuzz-$t.log" 2>&1) || status=1
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|^(==[0-9]+==ERROR|SUMMARY)" \
        "$work/fuzz-$t.log"
done
[ $status -eq 0 ] && echo "fuzz: nothing found" || echo "fuzz: FOUND something: see $work/artifacts and $work/fuzz-*.log"
exit $status
