#!/bin/sh
# gen-problem.sh LOSS D N [T]: prints a polarcert-problem/1 file with d = D,
# n = N, deterministic small V(0) entries and a(0) = 0 (beta = 1/D, and for
# cross-entropy q = 1/D). For tests of size limits: the sizes matter, not
# the numbers.
loss=${1:?loss} d=${2:?d} n=${3:?n} T=${4:-1}
awk -v loss="$loss" -v d="$d" -v n="$n" -v T="$T" 'BEGIN {
    printf "{\"format\": \"polarcert-problem/1\", \"name\": \"gen-%s-%dx%d\", ", loss, d, n
    printf "\"loss\": \"%s\", \"d\": %d, \"n\": %d, \"V\": [", loss, d, n
    for (i = 0; i < d; i++) {
        printf "%s[", i ? ", " : ""
        for (j = 0; j < n; j++)
            printf "%s\"%d/%d\"", j ? ", " : "", ((i * 7 + j * 13) % 17) - 8, 64
        printf "]"
    }
    printf "], \"a\": ["
    for (j = 0; j < n; j++)
        printf "%s\"0\"", j ? ", " : ""
    printf "], \"%s\": [", loss == "crossent" ? "q" : "beta"
    for (i = 0; i < d; i++)
        printf "%s\"1/%d\"", i ? ", " : "", d
    printf "], \"T\": \"%s\"}\n", T
}'
