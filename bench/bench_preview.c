/* Benchmark of the float64 preview integrator (NOT RIGOROUS; the baseline
 * that the rigorous integrator is measured against). For each problem file
 * given, integrates to its T (or to --T) on the full and, where it applies,
 * the reduced system, and prints a table of steps, field evaluations and wall
 * time (best of --repeat runs). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "polarcert.h"
#include "bench_float.h"

int main(int argc, char **argv)
{
    double Tover = 0;
    int repeat = 3, first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (first + 1 >= argc) break;
        if (strcmp(argv[first], "--T") == 0) Tover = atof(argv[first + 1]);
        else if (strcmp(argv[first], "--repeat") == 0) repeat = atoi(argv[first + 1]);
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_preview [--T T] [--repeat N] PROBLEM.json...\n");
        return 2;
    }
    printf("float64 preview (DOP853, rtol 1e-10, atol 1e-12; NOT RIGOROUS), best of %d\n", repeat);
    printf("%-24s %-8s %6s %10s %8s %9s %10s\n", "case", "system", "dim", "T", "steps", "fevals", "wall_s");
    for (int k = first; k < argc; k++) {
        pc_problem_t p;
        pc_error_t err;
        pc_problem_init(p);
        if (pc_problem_load_file(p, argv[k], err) != PC_OK) {
            fprintf(stderr, "%s\n", err->msg);
            return 2;
        }
        double T = Tover > 0 ? Tover : fmpq_get_d(p->T);
        for (int reduced = 0; reduced <= 1; reduced++) {
            pc_preview_stats st;
            int ok;
            if (reduced && pc_reduced_detect(p, NULL) == PC_REDUCED_NONE)
                continue;
            double w = bench_float_run(p, reduced, T, repeat, &st, &ok);
            printf("%-24s %-8s %6ld %10g %8ld %9ld %10.4f%s\n", p->name, reduced ? "reduced" : "full",
                   (long) (reduced ? 2 * p->n : pc_model_full_dim(p->d, p->n)), T, st.accepted,
                   st.fevals, w, ok ? "" : "  FAILED");
        }
        pc_problem_clear(p);
    }
    flint_cleanup();
    return 0;
}
