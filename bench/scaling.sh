#!/bin/sh
# Scaling of the rigorous integrator in the number of tokens n: logistic
# loss, d = 8, uniform a(0) (bench/gen-logistic.sh), τ-system, 128 bits, to
# T (default 1e4), one process per n. Prints a table (wall and user CPU
# seconds, peak RSS) and the exponents p of user time ~ n^p and RSS ~ n^p,
# least-squares fits of the logarithms over the n that finished (and over
# n >= 64 alone, the asymptotic regime).
# Usage: bench/scaling.sh [BUILD-DIR] [T] [N...]. Each run is limited to
# 3 GB of address space and PC_SCALING_TIMEOUT seconds (default 600).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/default}
T=${2:-1e4}
[ $# -ge 2 ] && shift 2 || shift $#
ns=${*:-8 16 32 64 128 256}
limit=${PC_SCALING_TIMEOUT:-600}
make -s -C "$build" bench/bench_enclose >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| n | dim | steps | wall (s) | user (s) | peak RSS (MB) | max radius |"
echo "|---|---|---|---|---|---|---|"
for n in $ns; do
    sh "$top/bench/gen-logistic.sh" "$n" 12345 "$T" >"$out/p$n.json"
    if (ulimit -v 3000000; timeout "$limit" "$build/bench/bench_enclose" --no-header --T "$T" \
            "$out/p$n.json") >"$out/r$n.txt" 2>&1 && ! grep -q FAILED "$out/r$n.txt"; then
        # case system dim T steps wall user rss radius float ratio
        # (table rows only: bench_enclose also prints a "reached t = ..." line)
        awk -v n="$n" 'NF >= 9 { printf "| %d | %s | %s | %.2f | %.2f | %.0f | %s |\n", n, $3, $5, $6, $7, $8, $9
                         print n, $7, $8 > "/dev/stderr" }' "$out/r$n.txt" 2>>"$out/fit"
    else
        echo "| $n | | | did not finish (limit ${limit} s, 3 GB) | | | |"
    fi
done
fit() {     # fit MIN-N COLUMN: slope of log(column) on log(n) over n >= MIN-N
    awk -v m="$1" -v c="$2" '$1 >= m && $c > 0 { x = log($1); y = log($c); k++; sx += x; sy += y;
        sxx += x * x; sxy += x * y }
        END { if (k >= 2) printf "%.2f (%d points)", (k * sxy - sx * sy) / (k * sxx - sx * sx), k;
              else printf "-" }' "$out/fit"
}
echo
echo "exponent of user time in n: $(fit 0 2) all, $(fit 64 2) n >= 64"
echo "exponent of peak RSS in n:  $(fit 0 3) all, $(fit 64 3) n >= 64"
