/* Shared by the benchmark programs: a monotonic clock and one timed run of
 * the float64 preview. */
#ifndef PC_BENCH_FLOAT_H
#define PC_BENCH_FLOAT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "polarcert.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The float preview of one problem on its full or reduced real-time system
 * to T (NOT RIGOROUS); returns the best wall time of repeat runs. */
static inline double bench_float_run(const pc_problem_t p, int reduced, double T,
                                     int repeat, pc_preview_stats *stats, int *ok)
{
    pc_model_d_t model;
    pc_field_d_ctx c = {model, reduced};
    const slong full = pc_model_full_dim(p->d, p->n), dim = reduced ? 2 * p->n : full;
    double *x = malloc(sizeof(double) * full), *x0 = malloc(sizeof(double) * full);
    double *xT = malloc(sizeof(double) * full), best = 1e300;
    pc_preview_opts opts;
    pc_error_t err;
    pc_preview_opts_default(&opts);
    pc_model_d_init(model, p);
    pc_state_d_from_problem(x, p);
    if (reduced)
        pc_reduced_from_full_d(x0, model, x);
    else
        memcpy(x0, x, sizeof(double) * full);
    *ok = 1;
    for (int r = 0; r < repeat && *ok; r++) {
        double t0 = bench_now();
        *ok = pc_preview_integrate(pc_field_preview_rhs, &c, dim, 0.0, x0, &T, 1, xT, &opts, stats, err) == PC_OK;
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
    }
    if (!*ok)
        fprintf(stderr, "%s: %s\n", p->name, err->msg);
    pc_model_d_clear(model);
    free(x);
    free(x0);
    free(xT);
    return best;
}

#endif
