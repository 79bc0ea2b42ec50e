/* The float estimate of a box's true spread (NOT RIGOROUS): integrates the
 * float64 preview (DOP853, rtol 1e-13) from points of the problem's box of
 * initial data — the two corners where every boxed entry is at its upper
 * (lower) end, random corners and random interior points — and prints, at
 * each output time, the largest half-spread max_i (max − min)/2 of a
 * component of the full state (V, a) over those runs. The rigorous
 * enclosure's radius (bench_enclose's max_radius) can be no smaller than
 * this, up to the float error; their ratio is the enclosure's overestimation.
 * Usage: bench_spread [--T T] [--samples N] [--at T1,T2,...] PROBLEM.json */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include "bench_float.h"

static unsigned long long lcg = 88172645463325252ULL;

static double unif(void)            /* in [0, 1) (xorshift64) */
{
    lcg ^= lcg << 13;
    lcg ^= lcg >> 7;
    lcg ^= lcg << 17;
    return (double) (lcg >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    double Tover = 0, at[64];
    int nat = 0, samples = 40, first = 1;
    for (; first + 1 < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (strcmp(argv[first], "--T") == 0) Tover = atof(argv[first + 1]);
        else if (strcmp(argv[first], "--samples") == 0) samples = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--at") == 0) {
            char *s = argv[first + 1];
            while (*s && nat < 63) {
                at[nat++] = strtod(s, &s);
                if (*s == ',') s++;
            }
        }
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_spread [--T T] [--samples N] [--at T1,...] PROBLEM.json\n");
        return 2;
    }
    pc_problem_t p;
    pc_error_t err;
    pc_problem_init(p);
    if (pc_problem_load_file(p, argv[first], err) != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return 2;
    }
    double T = Tover > 0 ? Tover : fmpq_get_d(p->T);
    at[nat++] = T;
    const slong dim = pc_model_full_dim(p->d, p->n);
    double *c = malloc(sizeof(double) * dim), *r = malloc(sizeof(double) * dim);
    double *x0 = malloc(sizeof(double) * dim), *xo = malloc(sizeof(double) * dim * nat);
    double *lo = malloc(sizeof(double) * dim * nat), *hi = malloc(sizeof(double) * dim * nat);
    fmpq_t q;
    fmpq_init(q);
    pc_state_d_from_problem(c, p);
    for (slong k = 0; k < dim; k++) {
        pc_problem_entry_radius(q, p, k);
        r[k] = fmpq_get_d(q);
    }
    pc_model_d_t model;
    pc_field_d_ctx ctx = {model, 0};
    pc_preview_opts opts;
    pc_preview_opts_default(&opts);
    opts.rtol = 1e-13;
    opts.atol = 1e-15;
    pc_model_d_init(model, p);
    int ok = 0;
    for (int s = 0; s < samples; s++) {
        for (slong k = 0; k < dim; k++) {       /* corners +, −, random corners, points */
            double u = s == 0 ? 1 : s == 1 ? -1 : s < samples / 2 ? (unif() < 0.5 ? -1 : 1)
                                                                  : 2 * unif() - 1;
            x0[k] = c[k] + u * r[k];
        }
        if (pc_preview_integrate(pc_field_preview_rhs, &ctx, dim, 0, x0, at, nat, xo,
                                 &opts, NULL, err) != PC_OK) {
            fprintf(stderr, "sample %d: %s\n", s, err->msg);
            continue;
        }
        for (slong k = 0; k < dim * nat; k++) {
            lo[k] = ok ? fmin(lo[k], xo[k]) : xo[k];
            hi[k] = ok ? fmax(hi[k], xo[k]) : xo[k];
        }
        ok++;
    }
    printf("float spread of %s (%d runs from the box, DOP853 rtol 1e-13; NOT RIGOROUS)\n",
           p->name, ok);
    printf("%12s %14s %8s\n", "t", "half_spread", "argmax");
    for (int j = 0; j < nat; j++) {
        double m = 0;
        slong arg = 0;
        for (slong k = 0; k < dim; k++) {
            double w = 0.5 * (hi[j * dim + k] - lo[j * dim + k]);
            if (w > m) m = w, arg = k;
        }
        printf("%12g %14.4e %8ld\n", at[j], m, (long) arg);
    }
    pc_model_d_clear(model);
    fmpq_clear(q);
    free(c); free(r); free(x0); free(xo); free(lo); free(hi);
    pc_problem_clear(p);
    flint_cleanup();
    return ok > 0 ? 0 : 1;
}
