/* Tests of the float64 DOP853 preview integrator (lib/pc_preview.c):
 * accuracy against closed forms, dense output, the order of the method,
 * the cost model, and the error paths. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pc_preview.h"

#define PI 3.14159265358979323846

/* ---- right-hand sides ---------------------------------------------------- */

static void rhs_linear(double *dx, double t, const double *x, void *ctx)
{
    (void)t;
    dx[0] = *(const double *)ctx * x[0];
}

static void rhs_rotation(double *dx, double t, const double *x, void *ctx)
{
    (void)t;
    (void)ctx;
    dx[0] = x[1];
    dx[1] = -x[0];
}

static void rhs_logistic(double *dx, double t, const double *x, void *ctx)
{
    (void)t;
    (void)ctx;
    dx[0] = x[0] * (1.0 - x[0]);
}

static void rhs_matrix3(double *dx, double t, const double *x, void *ctx)
{
    const double *M = ctx;
    int i;
    (void)t;
    for (i = 0; i < 3; i++)
        dx[i] = M[3 * i] * x[0] + M[3 * i + 1] * x[1] + M[3 * i + 2] * x[2];
}

/* x' = -x cos t, x(0) = 1: x = exp(-sin t). Non-autonomous on purpose, so
 * the stage times C[i] take part in the order test. */
static void rhs_cos(double *dx, double t, const double *x, void *ctx)
{
    (void)ctx;
    dx[0] = -x[0] * cos(t);
}

/* x' = -x^3: x = 1 / sqrt(2 t + 1 / x0^2). Explodes for large trial steps. */
static void rhs_cubic(double *dx, double t, const double *x, void *ctx)
{
    (void)t;
    (void)ctx;
    dx[0] = -x[0] * x[0] * x[0];
}

/* NaN from t = *ctx on. */
static void rhs_nan_after(double *dx, double t, const double *x, void *ctx)
{
    dx[0] = t >= *(const double *)ctx ? NAN : -x[0];
}

static double relerr(double got, double want)
{
    return fabs(got - want) / fabs(want);
}

/* The cost model documented in pc_preview.c, without dense stages. */
static long base_fevals(const pc_preview_stats *st, int auto_h0)
{
    return 1 + (auto_h0 ? 1 : 0) + 12 * st->accepted + 11 * st->rejected;
}

/* ---- accuracy on closed forms ------------------------------------------- */

static const double lambdas[] = { -1.0, 0.7, -3.0, 2.0 };

/* x' = lambda x on [0, 10] at rtol 1e-12: 50 interior points by dense
 * output plus the end point, all within 1e-10 relative. */
START_TEST(test_exponential)
{
    double lambda = lambdas[_i], x0 = 1.0, t[51], x[51], worst = 0.0;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int k, rc;

    pc_preview_opts_default(&o);
    o.rtol = 1e-12;
    o.atol = 1e-30;             /* relative accuracy even where x is tiny */
    for (k = 0; k < 50; k++)
        t[k] = 10.0 * (k + 0.37) / 50.0;
    t[50] = 10.0;
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, t, 51, x,
                              &o, &st, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    for (k = 0; k < 51; k++)
        worst = fmax(worst, relerr(x[k], exp(lambda * t[k])));
    ck_assert_msg(worst < 1e-10, "lambda %g: relative error %g", lambda, worst);
    ck_assert_msg(relerr(x[50], exp(10.0 * lambda)) < 1e-10,
                  "end point error %g", relerr(x[50], exp(10.0 * lambda)));
    /* some points fell inside steps and really were interpolated */
    ck_assert_int_gt(st.fevals, base_fevals(&st, 1));
}
END_TEST

/* Fixed steps h with output times k/10 on (0, 5]: returns the worst error
 * at points strictly inside steps; the points at step ends must be no less
 * accurate than a plain step end. Every step has interior points, so each
 * pays for the 3 dense-output stages. */
static double dense_error(double h)
{
    double x0 = 1.0, t[50], x[50], in = 0.0;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int k, rc;

    pc_preview_opts_default(&o);
    o.rtol = o.atol = 1e6;
    o.h0 = o.hmax = h;
    for (k = 0; k < 50; k++)
        t[k] = (k + 1) / 10.0;
    rc = pc_preview_integrate(rhs_cos, NULL, 1, 0.0, &x0, t, 50, x, &o, &st,
                              err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    ck_assert_int_eq(st.accepted, (long)(5.0 / h + 0.5));
    ck_assert_int_eq(st.rejected, 0);
    ck_assert_int_eq(st.fevals, base_fevals(&st, 0) + 3 * st.accepted);
    for (k = 0; k < 50; k++) {
        double e = fabs(x[k] - exp(-sin(t[k])));
        if (fmod(t[k], h) != 0.0)
            in = fmax(in, e);
    }
    return in;
}

/* The interpolant has order 7, so its error inside a step is O(h^8) like
 * the step's own local error: halving h divides it by ~2^8. A wrong dense
 * coefficient drops this to 2^4..2^7 or worse. */
START_TEST(test_dense_order)
{
    double e1 = dense_error(0.5), e2 = dense_error(0.25);
    ck_assert_msg(e2 > 1e-13, "dense errors %g %g too small", e1, e2);
    ck_assert_msg(e1 / e2 > 128.0, "dense error ratio %g (errors %g %g)",
                  e1 / e2, e1, e2);
    ck_assert_msg(e2 < 1e-9, "dense error %g at h = 0.25", e2);
}
END_TEST

/* The harmonic oscillator over 100 periods against cos/sin. */
START_TEST(test_rotation)
{
    double x0[2] = { 1.0, 0.0 }, t[100], x[200], worst = 0.0, drift = 0.0;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int k, rc;

    pc_preview_opts_default(&o);
    o.rtol = 1e-12;
    o.atol = 1e-12;
    for (k = 0; k < 100; k++)
        t[k] = 2.0 * PI * (k + 1);
    rc = pc_preview_integrate(rhs_rotation, NULL, 2, 0.0, x0, t, 100, x,
                              &o, &st, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    for (k = 0; k < 100; k++) {
        double c = cos(t[k]), s = sin(t[k]);
        double e = hypot(x[2 * k] - c, x[2 * k + 1] + s);
        double en = x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1] - 1.0;
        worst = fmax(worst, e);
        drift = fmax(drift, fabs(en));
    }
    ck_assert_msg(worst < 1e-9, "error over 100 periods %g", worst);
    ck_assert_msg(drift < 1e-10, "energy drift %g", drift);
}
END_TEST

/* x' = x (1 - x), x(0) = 0.1: x = 1 / (1 + 9 exp(-t)). */
START_TEST(test_logistic)
{
    double x0 = 0.1, t[40], x[40], worst = 0.0;
    pc_preview_opts o;
    pc_error_t err;
    int k, rc;

    pc_preview_opts_default(&o);
    o.rtol = 1e-12;
    o.atol = 1e-14;
    for (k = 0; k < 40; k++)
        t[k] = 0.5 * (k + 1);
    rc = pc_preview_integrate(rhs_logistic, NULL, 1, 0.0, &x0, t, 40, x,
                              &o, NULL, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    for (k = 0; k < 40; k++)
        worst = fmax(worst, relerr(x[k], 1.0 / (1.0 + 9.0 * exp(-t[k]))));
    ck_assert_msg(worst < 1e-10, "relative error %g", worst);
}
END_TEST

/* x' = M x with M = P diag(-1, -2, 1/2) P^-1, P = [1 1 0; 0 1 1; 1 0 1],
 * P^-1 = [1 -1 1; 1 1 -1; -1 1 1] / 2, so x(t) = P e^{Lt} P^-1 x0. */
START_TEST(test_matrix3)
{
    static const double P[9] = { 1, 1, 0, 0, 1, 1, 1, 0, 1 };
    static const double Pi[9] = { .5, -.5, .5, .5, .5, -.5, -.5, .5, .5 };
    static const double L[3] = { -1.0, -2.0, 0.5 };
    double M[9], x0[3] = { 1.0, -2.0, 3.0 }, t[5], x[15], worst = 0.0;
    pc_preview_opts o;
    pc_error_t err;
    int i, j, k, rc;

    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            M[3 * i + j] = P[3 * i] * L[0] * Pi[j] + P[3 * i + 1] * L[1]
                           * Pi[3 + j] + P[3 * i + 2] * L[2] * Pi[6 + j];
    pc_preview_opts_default(&o);
    o.rtol = 1e-12;
    o.atol = 1e-14;
    for (k = 0; k < 5; k++)
        t[k] = 1.3 * (k + 1);
    rc = pc_preview_integrate(rhs_matrix3, M, 3, 0.0, x0, t, 5, x, &o, NULL,
                              err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    for (k = 0; k < 5; k++) {
        double c[3], norm = 0.0, diff = 0.0;
        for (j = 0; j < 3; j++)     /* c = e^{Lt} P^-1 x0 */
            c[j] = exp(L[j] * t[k]) * (Pi[3 * j] * x0[0]
                   + Pi[3 * j + 1] * x0[1] + Pi[3 * j + 2] * x0[2]);
        for (i = 0; i < 3; i++) {
            double want = P[3 * i] * c[0] + P[3 * i + 1] * c[1]
                          + P[3 * i + 2] * c[2];
            diff = fmax(diff, fabs(x[3 * k + i] - want));
            norm = fmax(norm, fabs(want));
        }
        worst = fmax(worst, diff / norm);
    }
    ck_assert_msg(worst < 1e-10, "relative error %g", worst);
}
END_TEST

/* ---- the order of the method -------------------------------------------- */

/* Global error at t = 8 with fixed step h: h0 = hmax = h and tolerances so
 * loose that every step is accepted (checked). */
static double fixed_step_error(double h)
{
    double x0 = 1.0, tend = 8.0, x;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    pc_preview_opts_default(&o);
    o.rtol = o.atol = 1e6;
    o.h0 = o.hmax = h;
    rc = pc_preview_integrate(rhs_cos, NULL, 1, 0.0, &x0, &tend, 1, &x, &o,
                              &st, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    ck_assert_int_eq(st.accepted, (long)(tend / h + 0.5));
    ck_assert_int_eq(st.rejected, 0);
    ck_assert_int_eq(st.fevals, base_fevals(&st, 0));
    return fabs(x - exp(-sin(tend)));
}

START_TEST(test_order)
{
    double e1 = fixed_step_error(1.0), e2 = fixed_step_error(0.5);
    double e3 = fixed_step_error(0.25);
    double r1 = e1 / e2, r2 = e2 / e3;
    /* e3 must stay well above rounding for the ratio to mean anything */
    ck_assert_msg(e3 > 1e-14, "errors %g %g %g too small", e1, e2, e3);
    /* ~256 asymptotically; this problem measures about 285 and 348 */
    ck_assert_msg(r1 > 128.0 && r2 > 128.0,
                  "error ratios %g %g (order 8 expects ~256)", r1, r2);
}
END_TEST

/* ---- cost model and options --------------------------------------------- */

START_TEST(test_stats_relation)
{
    double lambda = -1.0, x0 = 1.0, tend = 10.0, x, t[50], xs[50];
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    long dense;
    int k, rc;

    pc_preview_opts_default(&o);
    /* one output at the end: no dense stages, the relation is exact */
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, &tend, 1, &x,
                              &o, &st, err);
    ck_assert_int_eq(rc, PC_OK);
    ck_assert_int_gt(st.accepted, 5);
    ck_assert_int_eq(st.fevals, base_fevals(&st, 1));
    /* many outputs: 3 extra per step with an interior point, at most one
     * such step per output point */
    for (k = 0; k < 50; k++)
        t[k] = 0.2 * k + 0.1;
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, t, 50, xs,
                              &o, &st, err);
    ck_assert_int_eq(rc, PC_OK);
    dense = st.fevals - base_fevals(&st, 1);
    ck_assert_int_eq(dense % 3, 0);
    ck_assert_int_gt(dense, 0);
    ck_assert_int_le(dense / 3, st.accepted);
}
END_TEST

/* Outputs at t0 are x0 bit for bit, without a single evaluation when they
 * are all there is; later outputs still get integrated. */
START_TEST(test_output_at_t0)
{
    double lambda = -1.0, x0 = 0.3, t[3] = { 2.0, 2.0, 3.0 }, x[3];
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 2.0, &x0, t, 2, x,
                              NULL, &st, err);
    ck_assert_int_eq(rc, PC_OK);
    ck_assert(x[0] == x0 && x[1] == x0);
    ck_assert_int_eq(st.fevals, 0);
    ck_assert_int_eq(st.accepted, 0);
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 2.0, &x0, t, 3, x,
                              NULL, &st, err);
    ck_assert_int_eq(rc, PC_OK);
    ck_assert(x[0] == x0 && x[1] == x0);
    ck_assert_msg(relerr(x[2], 0.3 * exp(-1.0)) < 1e-9, "x(3) = %.17g", x[2]);
    /* no outputs at all is not an error either */
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 2.0, &x0, t, 0, x,
                              NULL, &st, err);
    ck_assert_int_eq(rc, PC_OK);
}
END_TEST

START_TEST(test_hmax)
{
    double lambda = -1.0, x0 = 1.0, tend = 10.0, x;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    pc_preview_opts_default(&o);
    o.rtol = o.atol = 1.0;      /* left alone, it would take a few steps */
    o.hmax = 0.1;
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, &tend, 1, &x,
                              &o, &st, err);
    ck_assert_int_eq(rc, PC_OK);
    ck_assert_int_ge(st.accepted, 100);
    ck_assert_int_le(st.accepted, 105);
}
END_TEST

/* x' = -x over [0, 1e5]: stability, not accuracy, limits h once x is below
 * atol; the number of steps must stay far below the length. */
START_TEST(test_long_interval)
{
    double lambda = -1.0, x0 = 1.0, tend = 1e5, x;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    pc_preview_opts_default(&o);
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, &tend, 1, &x,
                              &o, &st, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    ck_assert_msg(st.accepted + st.rejected < 100000, "%ld + %ld steps",
                  st.accepted, st.rejected);
    ck_assert_msg(fabs(x) < 1e-10, "x(1e5) = %g", x);
}
END_TEST

/* An overlong forced first step overflows in its stages; the integrator
 * must cut h and go on, not give up or return garbage. */
START_TEST(test_overflow_recovery)
{
    double x0 = 10.0, tend = 10.0, x;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    pc_preview_opts_default(&o);
    o.rtol = 1e-12;
    o.h0 = o.hmax = 10.0;
    rc = pc_preview_integrate(rhs_cubic, NULL, 1, 0.0, &x0, &tend, 1, &x, &o,
                              &st, err);
    ck_assert_msg(rc == PC_OK, "status %d: %s", rc, err->msg);
    ck_assert_int_gt(st.rejected, 0);
    ck_assert_msg(relerr(x, 1.0 / sqrt(20.0 + 0.01)) < 1e-10, "x = %.17g", x);
}
END_TEST

/* ---- error paths --------------------------------------------------------- */

START_TEST(test_nan_rhs)
{
    double t_nan = 1.0, x0 = 1.0, tend = 5.0, x;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    err->msg[0] = '\0';
    rc = pc_preview_integrate(rhs_nan_after, &t_nan, 1, 0.0, &x0, &tend, 1,
                              &x, NULL, &st, err);
    ck_assert_int_eq(rc, PC_ERR_NUMERIC);
    /* the steps creep up to t = 1 until they are too small to progress */
    ck_assert_msg(strstr(err->msg, "preview: step size underflow") != NULL,
                  "%s", err->msg);
    ck_assert_int_gt(st.accepted, 0);
    /* NaN everywhere after t0: 10 ever shorter attempts, then give up */
    t_nan = 1e-300;
    rc = pc_preview_integrate(rhs_nan_after, &t_nan, 1, 0.0, &x0, &tend, 1,
                              &x, NULL, &st, err);
    ck_assert_int_eq(rc, PC_ERR_NUMERIC);
    ck_assert_msg(strstr(err->msg, "not finite") != NULL, "%s", err->msg);
    ck_assert_int_eq(st.accepted, 0);
    ck_assert_int_eq(st.rejected, 10);
    ck_assert_int_eq(st.fevals, base_fevals(&st, 1));
    /* NaN already at t0 fails at once */
    t_nan = 0.0;
    rc = pc_preview_integrate(rhs_nan_after, &t_nan, 1, 0.0, &x0, &tend, 1,
                              &x, NULL, &st, err);
    ck_assert_int_eq(rc, PC_ERR_NUMERIC);
    ck_assert_int_eq(st.fevals, 1);
}
END_TEST

START_TEST(test_max_steps)
{
    double lambda = -1.0, x0 = 1.0, tend = 1e5, x;
    pc_preview_opts o;
    pc_preview_stats st;
    pc_error_t err;
    int rc;

    pc_preview_opts_default(&o);
    o.max_steps = 5;
    err->msg[0] = '\0';
    rc = pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0, &tend, 1, &x,
                              &o, &st, err);
    ck_assert_int_eq(rc, PC_ERR_LIMIT);
    ck_assert_int_eq(st.accepted + st.rejected, 5);
    ck_assert_int_eq(st.fevals, base_fevals(&st, 1));
    ck_assert_msg(strstr(err->msg, "max_steps") != NULL, "%s", err->msg);
}
END_TEST

START_TEST(test_bad_input)
{
    double lambda = -1.0, x0 = 1.0, t[2] = { 2.0, 1.0 }, x[2];
    pc_preview_opts o;
    pc_error_t err;

    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0,
                                          t, 2, x, NULL, NULL, err),
                     PC_ERR_INPUT);
    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 1, 3.0, &x0,
                                          t, 1, x, NULL, NULL, err),
                     PC_ERR_INPUT);
    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 0, 0.0, &x0,
                                          t, 1, x, NULL, NULL, err),
                     PC_ERR_INPUT);
    pc_preview_opts_default(&o);
    o.atol = 0.0;
    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0,
                                          t, 1, x, &o, NULL, err),
                     PC_ERR_INPUT);
    pc_preview_opts_default(&o);
    o.rtol = NAN;
    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0,
                                          t, 1, x, &o, NULL, err),
                     PC_ERR_INPUT);
    /* a NULL err is allowed */
    ck_assert_int_eq(pc_preview_integrate(rhs_linear, &lambda, 1, 0.0, &x0,
                                          t, 2, x, NULL, NULL, NULL),
                     PC_ERR_INPUT);
}
END_TEST

static Suite *preview_suite(void)
{
    Suite *s = suite_create("preview");
    TCase *acc = tcase_create("accuracy");
    TCase *ctl = tcase_create("control");
    TCase *bad = tcase_create("errors");

    tcase_add_loop_test(acc, test_exponential, 0,
                        (int)(sizeof lambdas / sizeof lambdas[0]));
    tcase_add_test(acc, test_dense_order);
    tcase_add_test(acc, test_rotation);
    tcase_add_test(acc, test_logistic);
    tcase_add_test(acc, test_matrix3);
    tcase_add_test(acc, test_order);
    tcase_add_test(ctl, test_stats_relation);
    tcase_add_test(ctl, test_output_at_t0);
    tcase_add_test(ctl, test_hmax);
    tcase_add_test(ctl, test_long_interval);
    tcase_add_test(ctl, test_overflow_recovery);
    tcase_add_test(bad, test_nan_rhs);
    tcase_add_test(bad, test_max_steps);
    tcase_add_test(bad, test_bad_input);
    tcase_set_timeout(acc, 60);
    tcase_set_timeout(ctl, 60);
    suite_add_tcase(s, acc);
    suite_add_tcase(s, ctl);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(preview_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
