/* Float64 preview integrator: Dormand–Prince 8(5,3) (DOP853) with step-size
 * control and 7th-order dense output. NOT RIGOROUS: for previews, plots and
 * screening only; nothing it computes may reach a certificate. It is also the
 * speed baseline the rigorous integrator is measured against. */
#ifndef PC_PREVIEW_H
#define PC_PREVIEW_H

#include "pc_status.h"

/* dx = f(t, x); ctx is passed through. Dimension fixed per integration. */
typedef void (*pc_preview_rhs)(double *dx, double t, const double *x, void *ctx);

typedef struct {
    double rtol;        /* relative tolerance (default 1e-10) */
    double atol;        /* absolute tolerance (default 1e-12) */
    double h0;          /* initial step, 0 = automatic */
    double hmax;        /* largest step, 0 = unbounded */
    long max_steps;     /* limit on accepted + rejected steps (default 10^7) */
} pc_preview_opts;

typedef struct {
    long accepted, rejected, fevals;
} pc_preview_stats;

/* Fills opts with the defaults above. */
void pc_preview_opts_default(pc_preview_opts *opts);

/* Integrates x' = f(t, x) from t0 with x(t0) = x0 (dim entries) and writes
 * x(t_out[k]) into x_out + k*dim for k < n_out, by dense output. t_out must
 * be non-decreasing and >= t0. Returns PC_OK, PC_ERR_NUMERIC (non-finite
 * values or step-size underflow) or PC_ERR_LIMIT (max_steps), filling err.
 * stats may be NULL. The library does not print. */
int pc_preview_integrate(pc_preview_rhs f, void *ctx, long dim,
                         double t0, const double *x0,
                         const double *t_out, long n_out, double *x_out,
                         const pc_preview_opts *opts, pc_preview_stats *stats,
                         pc_error_t err);

#endif
