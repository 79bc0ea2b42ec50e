#!/bin/sh
# polarcert search under MPI: 'mpirun -n 3 polarcert search run' (rank 0 the
# only writer, ranks 1 and 2 workers) gives the same instances and verdicts
# as one process and as -j 3; a killed MPI run resumes (with one process) to
# the same results; a second MPI run on a finished store changes nothing.
# Skipped (exit 77) when polarcert was built without MPI (configure
# --without-mpi, or OpenMPI missing: apt-get install libopenmpi-dev openmpi-bin).
. "$(dirname "$0")/cli-lib.sh"
: "${PC_SRCDIR:?}" "${POLARCERT_VERIFY:?}"
export POLARCERT_VERIFY
if [ "${PC_MPI:-no}" != yes ] || [ -z "${MPIRUN:-}" ]; then
    echo "SKIP: polarcert built without MPI"
    exit 77
fi
# OpenMPI keeps memory until exit that LeakSanitizer would report (its own)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
# as root (containers, CI) mpirun wants to be told; more ranks than cores is fine
mpi() { n=$1; shift; "$MPIRUN" --allow-run-as-root --oversubscribe -n "$n" "$@"; }
camp=$PC_SRCDIR/tests/store
report_nt() { "$POLARCERT" search report --store "$1" --format csv | sed 's/,[^,]*,[^,]*,[^,]*$//'; }
# the libtool wrapper in the build tree is a script: mpirun starts the real program
prog=$POLARCERT
if [ -x "$(dirname "$POLARCERT")/.libs/polarcert" ] && head -c2 "$POLARCERT" | grep -q '#!'; then
    prog="$(dirname "$POLARCERT")/.libs/polarcert"
    LD_LIBRARY_PATH="$PC_BUILDDIR/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi

check "one process" "$POLARCERT" search run --store "$tmp/one.db" --campaign "$camp/small.json"
report_nt "$tmp/one.db" >"$tmp/one.csv"
expect_exit 0 "mpirun -n 3" mpi 3 "$prog" search run --store "$tmp/m3.db" --campaign "$camp/small.json"
check "rank 0 printed the summary once" test "$(grep -c '^result ' "$tmp/out")" -eq 1
report_nt "$tmp/m3.db" >"$tmp/m3.csv"
check "mpirun -n 3 gives the same instances and verdicts as one process" cmp "$tmp/one.csv" "$tmp/m3.csv"
check "-j 3" "$POLARCERT" search run --store "$tmp/j3.db" --campaign "$camp/small.json" -j 3
report_nt "$tmp/j3.db" >"$tmp/j3.csv"
check "and as -j 3" cmp "$tmp/one.csv" "$tmp/j3.csv"
expect_exit 0 "mpirun -n 2 on the finished store" mpi 2 "$prog" search run --store "$tmp/m3.db"
report_nt "$tmp/m3.db" >"$tmp/m3b.csv"
check "changes nothing" cmp "$tmp/one.csv" "$tmp/m3b.csv"
expect_exit 2 "mpirun with -j is refused" mpi 2 "$prog" search run --store "$tmp/m3.db" -j 2
expect_exit 2 "mpirun on a file that is not a store: refused, every rank ends" \
    mpi 3 "$prog" search run --store "$PC_CASES/logistic-uniform-8.json"

# a killed MPI run, finished by one process
mpi 3 "$prog" search run --store "$tmp/k.db" --campaign "$camp/kill.json" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
# the ranks notice that mpirun is gone and end, rank 0 releasing the writer's lock
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    "$POLARCERT" search run --store "$tmp/k.db" --campaign "$camp/kill.json" >"$tmp/out" 2>"$tmp/err"
    st=$?
    grep -q 'another polarcert search run' "$tmp/err" || break
    sleep 0.5
done
check "the killed MPI run's store resumes with one process" test "$st" -eq 0
check "reference for the kill campaign" \
    "$POLARCERT" search run --store "$tmp/kref.db" --campaign "$camp/kill.json"
report_nt "$tmp/k.db" >"$tmp/k.csv"
report_nt "$tmp/kref.db" >"$tmp/kref.csv"
check "to the same results" cmp "$tmp/k.csv" "$tmp/kref.csv"
finish
