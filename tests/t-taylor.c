/* Tests of the tape (pc_tape.h) and of the Taylor coefficients of solutions
 * (pc_taylor.h), each result checked for CONTAINMENT:
 *  - scalar fields with closed-form solutions: x' = x, x' = c x (e^{ct}),
 *    x' = −x² (x0/(1 + x0 t)), x' = 1 + x² (tan), x' = exp(x)
 *    (−log(e^{−x0} − t)), x' = 1/x (√(x0² + 2t)), x' = x/(1 + x)
 *    (Lambert W), the logistic x' = x(1 − x); coefficients and their
 *    derivatives ∂x_k/∂x0 at exact rational points (exact fmpq where the
 *    closed form is rational, else at 4x the precision) and over small
 *    input balls (the value at an exact inner point must be inside);
 *  - a 2D rotation and a random rational linear system x' = A x, exactly
 *    in fmpq (x_k = A^k x0 / k!);
 *  - random tapes using every operation, against an independent series
 *    solver (Picard iteration on arb_poly power series, with the
 *    variational equation for the derivatives);
 *  - pc_taylor_poly_eval / pc_taylor_poly_jac against the closed forms;
 *  - pc_tape_eval_arb on the gradient-flow systems of pc_system_tape (every
 *    loss family, every reference token, full, reduced and τ systems)
 *    against pc_field_full_arb / pc_field_reduced_arb / pc_field_tau_arb;
 *    the Taylor coefficients of those tapes (x_1 = f, x_2 = ½ Df f, the
 *    symmetric Jacobian of a gradient field, ball ⊇ inner point);
 *  - deliberately wrong tapes (a flipped sign, SUB turned into ADD) must
 *    FAIL these comparisons, so that the comparisons are known to bite. */
#include "testutil.h"
#include <flint/fmpq_mat.h>
#include "pc_tape.h"
#include "pc_taylor.h"
#include "pc_jac.h"
#include "pc_system.h"

#if defined(__has_include)
# if __has_include(<flint/arb_poly.h>)
#  include <flint/arb_poly.h>
# else
#  include <arb_poly.h>
# endif
#else
# include <arb_poly.h>
#endif

#define FILE_NAME "t-taylor"

/* ---- scalar fields with closed-form solutions -------------------------------------- */

enum {
    F_ID = 0,       /* x' = x                 x = x0 e^t                         */
    F_LIN,          /* x' = c x               x = x0 e^{ct}                      */
    F_QUAD,         /* x' = −x²               x = x0 / (1 + x0 t)                */
    F_TAN,          /* x' = 1 + x²            x = tan(t + atan x0)               */
    F_EXP,          /* x' = exp(x)            x = −log(e^{−x0} − t)              */
    F_RECIP,        /* x' = 1/x               x = sign(x0) √(x0² + 2t)           */
    F_LAMBERT,      /* x' = x/(1 + x)         x = W(x0 e^{x0} e^t)               */
    F_LOGISTIC,     /* x' = x(1 − x)          x = x0 e^t / (1 − x0 + x0 e^t)     */
    F_COUNT
};

static const char *fam_name[F_COUNT] = {
    "x'=x", "x'=cx", "x'=-x^2", "x'=1+x^2", "x'=exp(x)", "x'=1/x", "x'=x/(1+x)", "x'=x(1-x)"
};

/* The field of family fam as a tape (c: the constant of F_LIN). */
static void scalar_tape(pc_tape_t t, int fam, const fmpq_t c)
{
    pc_tape_init(t, 1);
    slong one;
    switch (fam) {
    case F_ID:
        pc_tape_set_output(t, 0, 0);        /* the output is the variable itself */
        break;
    case F_LIN:
        pc_tape_set_output(t, 0, pc_tape_mul(t, pc_tape_const_fmpq(t, c), 0));
        break;
    case F_QUAD:
        pc_tape_set_output(t, 0, pc_tape_neg(t, pc_tape_mul(t, 0, 0)));
        break;
    case F_TAN:
        one = pc_tape_const_si(t, 1);
        pc_tape_set_output(t, 0, pc_tape_add(t, one, pc_tape_mul(t, 0, 0)));
        break;
    case F_EXP:
        pc_tape_set_output(t, 0, pc_tape_exp(t, 0));
        break;
    case F_RECIP:
        pc_tape_set_output(t, 0, pc_tape_div(t, pc_tape_const_si(t, 1), 0));
        break;
    case F_LAMBERT:
        one = pc_tape_const_si(t, 1);
        pc_tape_set_output(t, 0, pc_tape_div(t, 0, pc_tape_add(t, one, 0)));
        break;
    default:
        one = pc_tape_const_si(t, 1);
        pc_tape_set_output(t, 0, pc_tape_mul(t, 0, pc_tape_sub(t, one, 0)));
        break;
    }
    ck_assert_int_eq(pc_tape_check(t), PC_OK);
}

/* A random initial point in the domain where the closed form holds. */
static void scalar_rand_point(fmpq_t q, flint_rand_t st, int fam)
{
    switch (fam) {
    case F_RECIP:           /* |x0| in [1/4, 4] */
        fmpq_set_si(q, 4 + (slong) n_randint(st, 61), 16);
        if (n_randint(st, 2))
            fmpq_neg(q, q);
        break;
    case F_LAMBERT:         /* x0 in [1/8, 4] */
        fmpq_set_si(q, 2 + (slong) n_randint(st, 63), 16);
        break;
    case F_EXP:
        tu_randq(q, st, 2, 12);
        break;
    default:
        tu_randq(q, st, 3, 12);
        break;
    }
}

/* A random ball radius small enough to stay in the domain. */
static void scalar_rand_radius(arb_t x, flint_rand_t st, slong prec)
{
    switch (n_randint(st, 4)) {
    case 0:
        mag_zero(arb_radref(x));
        break;
    case 1:
        mag_set_ui_2exp_si(arb_radref(x), 1, -prec / 2);
        break;
    case 2:
        mag_set_ui_2exp_si(arb_radref(x), 1 + n_randint(st, 255), -(slong) (16 + n_randint(st, 30)));
        break;
    default:
        mag_set_ui_2exp_si(arb_radref(x), 1 + n_randint(st, 3), -(slong) (8 + n_randint(st, 6)));
        break;
    }
}

/* Reference coefficients x_k and derivatives ∂x_k/∂x0, k <= K, of the closed
 * form at the point (or small ball) x0, at precision hp. cc: F_LIN's c. */
static void scalar_ref(arb_ptr c, arb_ptr dc, int fam, const arb_t x0, const arb_t cc,
                       slong K, slong hp)
{
    arb_t u, v;
    arb_poly_t h, g, e, w;
    arb_init(u);
    arb_init(v);
    arb_poly_init(h);
    arb_poly_init(g);
    arb_poly_init(e);
    arb_poly_init(w);
    switch (fam) {
    case F_ID:
    case F_LIN:                         /* x_k = x0 c^k/k!, ∂ = c^k/k! */
        arb_one(v);
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                if (fam == F_LIN)
                    arb_mul(v, v, cc, hp);
                arb_div_ui(v, v, k, hp);
            }
            arb_set(dc + k, v);
            arb_mul(c + k, v, x0, hp);
        }
        break;
    case F_QUAD:                        /* x_k = (−x0)^k x0, ∂ = (k+1)(−x0)^k */
        arb_one(v);
        for (slong k = 0; k <= K; k++) {
            if (k > 0)
                arb_mul(v, v, x0, hp), arb_neg(v, v);
            arb_mul(c + k, v, x0, hp);
            arb_mul_ui(dc + k, v, k + 1, hp);
        }
        break;
    case F_TAN:                         /* tan(atan x0 + t); ∂ = (1 + x²)/(1 + x0²) */
        arb_atan(u, x0, hp);
        arb_poly_set_coeff_arb(h, 0, u);
        arb_poly_set_coeff_si(h, 1, 1);
        arb_poly_tan_series(g, h, K + 1, hp);
        arb_poly_mullow(e, g, g, K + 1, hp);
        arb_poly_add_si(e, e, 1, hp);
        arb_sqr(u, x0, hp);
        arb_add_ui(u, u, 1, hp);
        for (slong k = 0; k <= K; k++) {
            arb_poly_get_coeff_arb(c + k, g, k);
            arb_poly_get_coeff_arb(v, e, k);
            arb_div(dc + k, v, u, hp);
        }
        break;
    case F_EXP:                         /* x_k = e^{k x0}/k, ∂ = e^{k x0} */
        arb_set(c, x0);
        arb_one(dc);
        for (slong k = 1; k <= K; k++) {
            arb_mul_ui(u, x0, k, hp);
            arb_exp(dc + k, u, hp);
            arb_div_ui(c + k, dc + k, k, hp);
        }
        break;
    case F_RECIP:                       /* x_k = binom(1/2, k) 2^k x0^{1−2k} */
        arb_one(v);                     /* v = binom(1/2, k) 2^k */
        arb_inv(u, x0, hp);
        arb_sqr(u, u, hp);              /* u = x0^{-2} */
        arb_set(c, x0);
        arb_one(dc);
        {
            arb_t p;
            arb_init(p);
            arb_set(p, x0);             /* p = x0^{1−2k} */
            for (slong k = 1; k <= K; k++) {
                /* binom(1/2, k) = binom(1/2, k−1) (3/2 − k)/k */
                arb_mul_si(v, v, 3 - 2 * k, hp);
                arb_div_ui(v, v, k, hp);        /* the factor 2 of 2^k cancels the /2 */
                arb_mul(p, p, u, hp);
                arb_mul(c + k, v, p, hp);
                arb_mul_si(dc + k, c + k, 1 - 2 * k, hp);
                arb_div(dc + k, dc + k, x0, hp);
            }
            arb_clear(p);
        }
        break;
    case F_LAMBERT:                     /* W(x0 e^{x0 + t}); ∂ = (1 + x0) x / (x0 (1 + x)) */
        arb_poly_set_coeff_arb(h, 0, x0);
        arb_poly_set_coeff_si(h, 1, 1);
        arb_poly_exp_series(e, h, K + 1, hp);
        arb_poly_scalar_mul(e, e, x0, hp);
        arb_poly_lambertw_series(g, e, 0, K + 1, hp);
        arb_poly_add_si(w, g, 1, hp);
        arb_poly_div_series(e, g, w, K + 1, hp);
        arb_add_ui(u, x0, 1, hp);
        arb_div(u, u, x0, hp);
        for (slong k = 0; k <= K; k++) {
            arb_poly_get_coeff_arb(c + k, g, k);
            arb_poly_get_coeff_arb(v, e, k);
            arb_mul(dc + k, v, u, hp);
        }
        break;
    default:                            /* x0 e^t / D, D = 1 − x0 + x0 e^t; ∂ = e^t / D² */
        arb_poly_set_coeff_si(h, 1, 1);
        arb_poly_exp_series(e, h, K + 1, hp);
        arb_poly_scalar_mul(w, e, x0, hp);              /* x0 e^t */
        arb_sub_ui(u, x0, 1, hp);
        arb_neg(u, u);
        arb_poly_set_arb(h, u);
        arb_poly_add(h, h, w, hp);                       /* D */
        arb_poly_div_series(g, w, h, K + 1, hp);
        arb_poly_mullow(w, h, h, K + 1, hp);
        arb_poly_div_series(e, e, w, K + 1, hp);
        for (slong k = 0; k <= K; k++) {
            arb_poly_get_coeff_arb(c + k, g, k);
            arb_poly_get_coeff_arb(dc + k, e, k);
        }
        break;
    }
    /* x_0 = x0 and ∂x_0/∂x0 = 1 by definition: set them exactly (the
     * closed forms above carry rounding, which at an end point of the input
     * ball would stick out of the exact enclosure x_0 = x0) */
    arb_set(c, x0);
    arb_one(dc);
    arb_clear(u);
    arb_clear(v);
    arb_poly_clear(h);
    arb_poly_clear(g);
    arb_poly_clear(e);
    arb_poly_clear(w);
}

/* Exact rational coefficients where the closed form is rational at a
 * rational point: returns 0 for the other families. */
static int scalar_ref_fmpq(fmpq *c, fmpq *dc, int fam, const fmpq_t x0, const fmpq_t cc, slong K)
{
    fmpq_t v, u;
    fmpq_init(v);
    fmpq_init(u);
    int ok = 1;
    switch (fam) {
    case F_ID:
    case F_LIN:
        fmpq_one(v);
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                if (fam == F_LIN)
                    fmpq_mul(v, v, cc);
                fmpq_set_si(u, 1, k);
                fmpq_mul(v, v, u);
            }
            fmpq_set(dc + k, v);
            fmpq_mul(c + k, v, x0);
        }
        break;
    case F_QUAD:
        fmpq_one(v);
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                fmpq_mul(v, v, x0);
                fmpq_neg(v, v);
            }
            fmpq_mul(c + k, v, x0);
            fmpq_set_si(u, k + 1, 1);
            fmpq_mul(dc + k, v, u);
        }
        break;
    case F_RECIP:
        fmpq_one(v);
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                fmpq_set_si(u, 3 - 2 * k, k);
                fmpq_mul(v, v, u);
            }
            fmpq_pow_si(u, x0, 1 - 2 * k);
            fmpq_mul(c + k, v, u);
            fmpq_pow_si(u, x0, -2 * k);
            fmpq_mul(dc + k, v, u);
            fmpq_set_si(u, 1 - 2 * k, 1);
            fmpq_mul(dc + k, dc + k, u);
        }
        break;
    default:
        ok = 0;
        break;
    }
    fmpq_clear(v);
    fmpq_clear(u);
    return ok;
}

START_TEST(test_taylor_scalar_points)
{
    flint_rand_t st;
    tu_rand_init(st, 401);
    fmpq_t x0q, cq;
    fmpq_init(x0q);
    fmpq_init(cq);
    const slong KMAX = 30;
    fmpq *cex = _fmpq_vec_init(KMAX + 1), *dex = _fmpq_vec_init(KMAX + 1);
    arb_ptr ref = _arb_vec_init(KMAX + 1), dref = _arb_vec_init(KMAX + 1);
    for (int fam = 0; fam < F_COUNT; fam++) {
        for (int iter = 0; iter < 300; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            slong K = 1 + (slong) n_randint(st, KMAX);
            slong order = n_randint(st, 4) ? K : (slong) n_randint(st, K + 1);
            int with_jac = n_randint(st, 2);
            pc_tape_t t;
            pc_taylor_t w;
            arb_t x0, x0h, ch;
            arb_init(x0);
            arb_init(x0h);
            arb_init(ch);
            scalar_rand_point(x0q, st, fam);
            tu_randq(cq, st, 3, 8);
            scalar_tape(t, fam, cq);
            arb_set_fmpq(x0, x0q, prec);
            arb_set_fmpq(x0h, x0q, hp);
            arb_set_fmpq(ch, cq, hp);
            pc_taylor_init(w, t, K, with_jac, prec);
            /* the workspace is reused: garbage from another point first */
            arb_set_si(x0h, 1);
            arb_add_error_2exp_si(x0h, -3);
            pc_taylor_compute(w, x0h, K);
            arb_set_fmpq(x0h, x0q, hp);
            pc_taylor_compute(w, x0, order);
            scalar_ref(ref, dref, fam, x0h, ch, order, hp);
            int exact = scalar_ref_fmpq(cex, dex, fam, x0q, cq, order);
            for (slong k = 0; k <= order; k++) {
                arb_srcptr got = pc_taylor_coeff(w, 0, k);
                TU_CONTAINS(got, ref + k, "%s: x_%ld at x0 (prec %ld, iter %d)",
                            fam_name[fam], (long) k, (long) prec, iter);
                if (exact)
                    TU_CONTAINS_FMPQ(got, cex + k, "%s: x_%ld exact (iter %d)",
                                     fam_name[fam], (long) k, iter);
                TU_ACCURATE(got, prec / 2, "%s: x_%ld inaccurate (prec %ld)",
                            fam_name[fam], (long) k, (long) prec);
                if (with_jac) {
                    arb_srcptr dg = pc_taylor_jac(w, 0, k);
                    TU_CONTAINS(dg, dref + k, "%s: dx_%ld/dx0 (prec %ld, iter %d)",
                                fam_name[fam], (long) k, (long) prec, iter);
                    if (exact)
                        TU_CONTAINS_FMPQ(dg, dex + k, "%s: dx_%ld/dx0 exact (iter %d)",
                                         fam_name[fam], (long) k, iter);
                    TU_ACCURATE(dg, prec / 2, "%s: dx_%ld/dx0 inaccurate", fam_name[fam], (long) k);
                }
            }
            pc_taylor_clear(w);
            pc_tape_clear(t);
            arb_clear(x0);
            arb_clear(x0h);
            arb_clear(ch);
        }
    }
    _fmpq_vec_clear(cex, KMAX + 1);
    _fmpq_vec_clear(dex, KMAX + 1);
    _arb_vec_clear(ref, KMAX + 1);
    _arb_vec_clear(dref, KMAX + 1);
    fmpq_clear(x0q);
    fmpq_clear(cq);
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_scalar_points");
}
END_TEST

START_TEST(test_taylor_scalar_balls)
{
    flint_rand_t st;
    tu_rand_init(st, 402);
    fmpq_t x0q, cq;
    fmpq_init(x0q);
    fmpq_init(cq);
    const slong KMAX = 25;
    arb_ptr ref = _arb_vec_init(KMAX + 1), dref = _arb_vec_init(KMAX + 1);
    arb_ptr pv = _arb_vec_init(1), pvh = _arb_vec_init(1);
    for (int fam = 0; fam < F_COUNT; fam++) {
        for (int iter = 0; iter < 300; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            slong K = 1 + (slong) n_randint(st, KMAX);
            pc_tape_t t;
            pc_taylor_t w;
            arb_t x0, xs, ch, h, hs, hk, s;
            arb_mat_t J;
            arb_init(x0);
            arb_init(xs);
            arb_init(ch);
            arb_init(h);
            arb_init(hs);
            arb_init(hk);
            arb_init(s);
            arb_mat_init(J, 1, 1);
            scalar_rand_point(x0q, st, fam);
            tu_randq(cq, st, 3, 8);
            scalar_tape(t, fam, cq);
            arb_set_fmpq(x0, x0q, prec);
            arb_get_mid_arb(x0, x0);
            scalar_rand_radius(x0, st, prec);
            tu_rand_point_in(xs, x0, st);
            arb_set_fmpq(ch, cq, hp);
            pc_taylor_init(w, t, K, 1, prec);
            pc_taylor_compute(w, x0, K);
            scalar_ref(ref, dref, fam, xs, ch, K, hp);
            for (slong k = 0; k <= K; k++) {
                TU_CONTAINS(pc_taylor_coeff(w, 0, k), ref + k,
                            "%s: x_%ld over a ball vs an inner point (prec %ld, iter %d)",
                            fam_name[fam], (long) k, (long) prec, iter);
                TU_CONTAINS(pc_taylor_jac(w, 0, k), dref + k,
                            "%s: dx_%ld/dx0 over a ball vs an inner point (prec %ld, iter %d)",
                            fam_name[fam], (long) k, (long) prec, iter);
            }

            /* the Taylor polynomial and its derivative, at a ball of h (an
             * interval [0, H] or a small ball) against the reference
             * polynomial at an inner exact h */
            arb_set_ui(h, 1 + n_randint(st, 64));
            arb_mul_2exp_si(h, h, -(slong) (6 + n_randint(st, 4)));
            if (n_randint(st, 2)) {
                arb_mul_2exp_si(h, h, -1);
                arb_add_error(h, h);            /* [0, H] */
            } else if (n_randint(st, 2))
                arb_neg(h, h);                  /* negative times: just a polynomial */
            tu_rand_point_in(hs, h, st);
            slong order = (slong) n_randint(st, K + 1);
            pc_taylor_poly_eval(pv, w, order, h, prec);
            pc_taylor_poly_jac(J, w, order, h, prec);
            arb_zero(pvh);
            arb_zero(s);
            arb_one(hk);
            for (slong k = 0; k <= order; k++) {
                arb_addmul(pvh, ref + k, hk, hp);
                arb_addmul(s, dref + k, hk, hp);
                arb_mul(hk, hk, hs, hp);
            }
            TU_CONTAINS(pv, pvh, "%s: poly_eval of order %ld (iter %d)",
                        fam_name[fam], (long) order, iter);
            TU_CONTAINS(arb_mat_entry(J, 0, 0), s, "%s: poly_jac of order %ld (iter %d)",
                        fam_name[fam], (long) order, iter);

            arb_mat_clear(J);
            pc_taylor_clear(w);
            pc_tape_clear(t);
            arb_clear(x0);
            arb_clear(xs);
            arb_clear(ch);
            arb_clear(h);
            arb_clear(hs);
            arb_clear(hk);
            arb_clear(s);
        }
    }
    _arb_vec_clear(ref, KMAX + 1);
    _arb_vec_clear(dref, KMAX + 1);
    _arb_vec_clear(pv, 1);
    _arb_vec_clear(pvh, 1);
    fmpq_clear(x0q);
    fmpq_clear(cq);
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_scalar_balls");
}
END_TEST

/* ---- exact multidimensional cases: rotation and linear systems ---------------------- */

START_TEST(test_taylor_linear_exact)
{
    flint_rand_t st;
    tu_rand_init(st, 403);
    const slong KMAX = 24;
    for (int iter = 0; iter < 600; iter++) {
        int rot = iter % 3 == 0;
        slong n = rot ? 2 : 2 + (slong) n_randint(st, 3);
        slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
        slong K = 1 + (slong) n_randint(st, KMAX);
        fmpq_mat_t A, P, Pk;
        fmpq *x0q = _fmpq_vec_init(n), *xk = _fmpq_vec_init(n);
        fmpq_t f;
        arb_ptr x0 = _arb_vec_init(n), xs = _arb_vec_init(n), ref = _arb_vec_init(n);
        pc_tape_t t;
        pc_taylor_t w;
        fmpq_init(f);
        fmpq_mat_init(A, n, n);
        fmpq_mat_init(P, n, n);
        fmpq_mat_init(Pk, n, n);
        if (rot) {
            fmpq_set_si(fmpq_mat_entry(A, 0, 1), -1, 1);
            fmpq_set_si(fmpq_mat_entry(A, 1, 0), 1, 1);
            tu_rotation_tape(t);
        } else {
            for (slong i = 0; i < n; i++)
                for (slong j = 0; j < n; j++)
                    tu_randq(fmpq_mat_entry(A, i, j), st, 2, 9);
            tu_linear_tape(t, A);
        }
        tu_randq_vec(x0q, n, st, 3, 12);
        tu_arb_vec_set_fmpq(x0, x0q, n, prec);
        pc_taylor_init(w, t, K, 1, prec);
        pc_taylor_compute(w, x0, K);
        fmpq_mat_one(Pk);                       /* Pk = A^k / k! */
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                fmpq_mat_mul(P, Pk, A);
                fmpq_set_si(f, 1, k);
                fmpq_mat_scalar_mul_fmpq(Pk, P, f);
            }
            for (slong i = 0; i < n; i++) {
                fmpq_zero(xk + i);
                for (slong j = 0; j < n; j++)
                    fmpq_addmul(xk + i, fmpq_mat_entry(Pk, i, j), x0q + j);
                TU_CONTAINS_FMPQ(pc_taylor_coeff(w, i, k), xk + i,
                                 "%s: x_%ld,%ld = (A^k x0/k!)_i (iter %d)",
                                 rot ? "rotation" : "linear", (long) i, (long) k, iter);
                TU_ACCURATE(pc_taylor_coeff(w, i, k), prec / 2, "linear: x_k inaccurate");
                for (slong j = 0; j < n; j++)
                    TU_CONTAINS_FMPQ(pc_taylor_jac(w, i, k) + j, fmpq_mat_entry(Pk, i, j),
                                     "%s: dx_%ld,%ld/dx0_%ld = (A^k/k!)_ij (iter %d)",
                                     rot ? "rotation" : "linear", (long) i, (long) k, (long) j, iter);
            }
        }
        /* a ball of initial data: contains the coefficients at an inner point */
        for (slong i = 0; i < n; i++) {
            arb_get_mid_arb(x0 + i, x0 + i);
            scalar_rand_radius(x0 + i, st, prec);
        }
        tu_rand_point_in_vec(xs, x0, n, st);
        pc_taylor_compute(w, x0, K);
        fmpq_mat_one(Pk);
        for (slong k = 0; k <= K; k++) {
            if (k > 0) {
                fmpq_mat_mul(P, Pk, A);
                fmpq_set_si(f, 1, k);
                fmpq_mat_scalar_mul_fmpq(Pk, P, f);
            }
            for (slong i = 0; i < n; i++) {
                arb_zero(ref + i);
                for (slong j = 0; j < n; j++) {
                    arb_t c;
                    arb_init(c);
                    arb_set_fmpq(c, fmpq_mat_entry(Pk, i, j), hp);
                    arb_addmul(ref + i, c, xs + j, hp);
                    arb_clear(c);
                }
                TU_CONTAINS(pc_taylor_coeff(w, i, k), ref + i,
                            "linear: x_%ld,%ld over a ball (iter %d)", (long) i, (long) k, iter);
            }
        }
        pc_taylor_clear(w);
        pc_tape_clear(t);
        fmpq_mat_clear(A);
        fmpq_mat_clear(P);
        fmpq_mat_clear(Pk);
        fmpq_clear(f);
        _fmpq_vec_clear(x0q, n);
        _fmpq_vec_clear(xk, n);
        _arb_vec_clear(x0, n);
        _arb_vec_clear(xs, n);
        _arb_vec_clear(ref, n);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_linear_exact");
}
END_TEST

/* ---- random tapes against an independent series solver ------------------------------- */

static slong rand_const(pc_tape_t t, flint_rand_t st, ulong bound)
{
    fmpq_t c;
    fmpq_init(c);
    tu_randq(c, st, bound, 8);
    slong r = pc_tape_const_fmpq(t, c);
    fmpq_clear(c);
    return r;
}

/* A random tape with every operation; divisions only by positive
 * denominators (c + b² or c + e^b, c > 0), exp of scaled-down arguments. */
static void random_tape(pc_tape_t t, flint_rand_t st, slong nvars)
{
    pc_tape_init(t, nvars);
    slong nops = 2 + (slong) n_randint(st, 10);
    for (slong k = 0; k < nops || t->len == nvars; k++) {   /* a sum of one node adds none */
        slong a = (slong) n_randint(st, t->len), b = (slong) n_randint(st, t->len);
        fmpq_t c;
        switch (n_randint(st, 10)) {
        case 9: {                           /* a DOT node: 2 to 4 products, maybe a constant */
            slong pa[4], pb[4], len = 2 + (slong) n_randint(st, 3);
            for (slong l = 0; l < len; l++) {
                pa[l] = n_randint(st, 4) == 0 ? rand_const(t, st, 3)
                                              : (slong) n_randint(st, t->len);
                pb[l] = (slong) n_randint(st, t->len);
            }
            pc_tape_dot(t, pa, pb, len);
            break;
        }
        case 0: pc_tape_add(t, a, b); break;
        case 1: pc_tape_sub(t, a, b); break;
        case 2: pc_tape_mul(t, a, b); break;
        case 3: pc_tape_neg(t, a); break;
        case 4: rand_const(t, st, 3); break;
        case 5:
            fmpq_init(c);
            fmpq_set_si(c, 1, 1 + n_randint(st, 3));
            pc_tape_exp(t, pc_tape_mul(t, pc_tape_const_fmpq(t, c), a));
            fmpq_clear(c);
            break;
        case 6:
            fmpq_init(c);
            fmpq_set_si(c, 1 + n_randint(st, 8), 4);
            pc_tape_div(t, a, pc_tape_add(t, pc_tape_const_fmpq(t, c), pc_tape_mul(t, b, b)));
            fmpq_clear(c);
            break;
        case 7:
            fmpq_init(c);
            fmpq_set_si(c, 1 + n_randint(st, 8), 8);
            pc_tape_div(t, a, pc_tape_add(t, pc_tape_const_fmpq(t, c), pc_tape_exp(t, pc_tape_neg(t, b))));
            fmpq_clear(c);
            break;
        default: {
            slong nodes[3] = { a, b, (slong) n_randint(st, t->len) };
            pc_tape_sum(t, nodes, 1 + (slong) n_randint(st, 3));
            break;
        }
        }
    }
    for (slong i = 0; i < nvars; i++) {
        slong o = n_randint(st, 5) == 0 ? (slong) n_randint(st, t->len)
                                        : t->len - 1 - (slong) n_randint(st, t->len - nvars);
        pc_tape_set_output(t, i, o);
    }
    ck_assert_int_eq(pc_tape_check(t), PC_OK);
}

/* The series of every node of the tape at the series X (with derivative
 * series dX, N directions), truncated to length L. */
static void series_eval(arb_poly_struct *val, arb_poly_struct *der, const pc_tape_t t,
                        const arb_poly_struct *X, const arb_poly_struct *dX, slong N,
                        slong L, slong prec)
{
    arb_poly_t u;
    arb_t c;
    arb_poly_init(u);
    arb_init(c);
    for (slong v = 0; v < t->len; v++) {
        const pc_tape_node *nd = t->node + v;
        arb_poly_struct *V = val + v, *D = der + v * N;
        const int dot = nd->op == PC_TAPE_DOT;  /* a, b: the operand list, not nodes */
        const arb_poly_struct *A = nd->a >= 0 && !dot ? val + nd->a : NULL;
        const arb_poly_struct *B = nd->b >= 0 && !dot ? val + nd->b : NULL;
        const arb_poly_struct *DA = nd->a >= 0 && !dot ? der + nd->a * N : NULL;
        const arb_poly_struct *DB = nd->b >= 0 && !dot ? der + nd->b * N : NULL;
        switch (nd->op) {
        case PC_TAPE_VAR:
            arb_poly_set(V, X + nd->a);
            for (slong j = 0; j < N; j++)
                arb_poly_set(D + j, dX + nd->a * N + j);
            break;
        case PC_TAPE_CONST:
            arb_set_fmpq(c, t->cval + nd->a, prec);
            arb_poly_set_arb(V, c);
            for (slong j = 0; j < N; j++)
                arb_poly_zero(D + j);
            break;
        case PC_TAPE_ADD:
            arb_poly_add(V, A, B, prec);
            for (slong j = 0; j < N; j++)
                arb_poly_add(D + j, DA + j, DB + j, prec);
            break;
        case PC_TAPE_SUB:
            arb_poly_sub(V, A, B, prec);
            for (slong j = 0; j < N; j++)
                arb_poly_sub(D + j, DA + j, DB + j, prec);
            break;
        case PC_TAPE_NEG:
            arb_poly_neg(V, A);
            for (slong j = 0; j < N; j++)
                arb_poly_neg(D + j, DA + j);
            break;
        case PC_TAPE_MUL:
            arb_poly_mullow(V, A, B, L, prec);
            for (slong j = 0; j < N; j++) {
                arb_poly_mullow(D + j, DA + j, B, L, prec);
                arb_poly_mullow(u, A, DB + j, L, prec);
                arb_poly_add(D + j, D + j, u, prec);
            }
            break;
        case PC_TAPE_DIV:                   /* (a/b)' = (a' − (a/b) b') / b */
            arb_poly_div_series(V, A, B, L, prec);
            for (slong j = 0; j < N; j++) {
                arb_poly_mullow(u, V, DB + j, L, prec);
                arb_poly_sub(u, DA + j, u, prec);
                arb_poly_div_series(D + j, u, B, L, prec);
            }
            break;
        case PC_TAPE_EXP:
            arb_poly_exp_series(V, A, L, prec);
            for (slong j = 0; j < N; j++)
                arb_poly_mullow(D + j, V, DA + j, L, prec);
            break;
        case PC_TAPE_DOT:                   /* Σ_l a_l b_l, product by product */
            arb_poly_zero(V);
            for (slong j = 0; j < N; j++)
                arb_poly_zero(D + j);
            for (slong l = 0; l < nd->b; l++) {
                const slong la = t->arg[nd->a + 2 * l], lb = t->arg[nd->a + 2 * l + 1];
                arb_poly_mullow(u, val + la, val + lb, L, prec);
                arb_poly_add(V, V, u, prec);
                for (slong j = 0; j < N; j++) {
                    arb_poly_mullow(u, der + la * N + j, val + lb, L, prec);
                    arb_poly_add(D + j, D + j, u, prec);
                    arb_poly_mullow(u, val + la, der + lb * N + j, L, prec);
                    arb_poly_add(D + j, D + j, u, prec);
                }
            }
            break;
        }
    }
    arb_poly_clear(u);
    arb_clear(c);
}

/* Coefficients 0..K of the solution of x' = f(x), x(0) = x0, and of its
 * derivatives with respect to x0, by Picard iteration on power series:
 * X ← x0 + ∫ f(X), dX ← I + ∫ Df(X) dX; iteration m makes order m exact. */
static void picard_series(arb_poly_struct *X, arb_poly_struct *dX, const pc_tape_t t,
                          arb_srcptr x0, slong K, slong prec)
{
    const slong n = t->nvars, L = K + 1;
    arb_poly_struct *val = flint_malloc(sizeof(arb_poly_struct) * t->len);
    arb_poly_struct *der = flint_malloc(sizeof(arb_poly_struct) * t->len * n);
    for (slong v = 0; v < t->len; v++)
        arb_poly_init(val + v);
    for (slong v = 0; v < t->len * n; v++)
        arb_poly_init(der + v);
    for (slong i = 0; i < n; i++) {
        arb_poly_set_arb(X + i, x0 + i);
        for (slong j = 0; j < n; j++)
            arb_poly_set_si(dX + i * n + j, i == j);
    }
    for (slong it = 0; it <= K; it++) {
        series_eval(val, der, t, X, dX, n, L, prec);
        for (slong i = 0; i < n; i++) {
            arb_poly_integral(X + i, val + t->out[i], prec);
            arb_poly_truncate(X + i, L);
            arb_poly_set_coeff_arb(X + i, 0, x0 + i);
            for (slong j = 0; j < n; j++) {
                arb_poly_integral(dX + i * n + j, der + t->out[i] * n + j, prec);
                arb_poly_truncate(dX + i * n + j, L);
                arb_poly_set_coeff_si(dX + i * n + j, 0, i == j);
            }
        }
    }
    for (slong v = 0; v < t->len; v++)
        arb_poly_clear(val + v);
    for (slong v = 0; v < t->len * n; v++)
        arb_poly_clear(der + v);
    flint_free(val);
    flint_free(der);
}

START_TEST(test_taylor_random_tapes)
{
    flint_rand_t st;
    tu_rand_init(st, 404);
    arb_t r;
    arb_init(r);
    for (int iter = 0; iter < 1500; iter++) {
        slong n = 1 + (slong) n_randint(st, 3);
        slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
        slong K = (slong) n_randint(st, 16);
        int ball = n_randint(st, 2);
        pc_tape_t t;
        pc_taylor_t w, w0;
        arb_ptr x0 = _arb_vec_init(n), xs = _arb_vec_init(n), f = _arb_vec_init(n);
        arb_ptr fs = _arb_vec_init(n);
        arb_poly_struct *X = flint_malloc(sizeof(arb_poly_struct) * n);
        arb_poly_struct *dX = flint_malloc(sizeof(arb_poly_struct) * n * n);
        for (slong i = 0; i < n; i++)
            arb_poly_init(X + i);
        for (slong i = 0; i < n * n; i++)
            arb_poly_init(dX + i);
        random_tape(t, st, n);
        for (slong i = 0; i < n; i++) {
            fmpq_t q;
            fmpq_init(q);
            tu_randq(q, st, 1, 16);
            arb_set_fmpq(x0 + i, q, prec);
            if (ball) {
                arb_get_mid_arb(x0 + i, x0 + i);
                scalar_rand_radius(x0 + i, st, prec);
                tu_rand_point_in(xs + i, x0 + i, st);
            } else
                arb_set_fmpq(xs + i, q, hp);    /* the exact rational, at hp */
            fmpq_clear(q);
        }

        /* the tape at a ball contains the tape at an inner point */
        pc_tape_eval_arb(f, t, x0, prec);
        pc_tape_eval_arb(fs, t, xs, hp);
        for (slong i = 0; i < n; i++)
            TU_CONTAINS(f + i, fs + i, "random tape: eval at a ball vs inner point (iter %d)", iter);

        pc_taylor_init(w, t, K, 1, prec);
        pc_taylor_init(w0, t, K, 0, prec);
        pc_taylor_compute(w, x0, K);
        pc_taylor_compute(w0, x0, K);
        picard_series(X, dX, t, xs, K, hp);
        for (slong i = 0; i < n; i++) {
            if (K >= 1)         /* x_1 = f(x0) */
                TU_OVERLAPS(pc_taylor_coeff(w, i, 1), f + i, "random tape: x_1 != f (iter %d)", iter);
            for (slong k = 0; k <= K; k++) {
                arb_poly_get_coeff_arb(r, X + i, k);
                TU_CONTAINS(pc_taylor_coeff(w, i, k), r,
                            "random tape: x_%ld,%ld vs Picard series (n %ld, ball %d, iter %d)",
                            (long) i, (long) k, (long) n, ball, iter);
                TU_CONTAINS(pc_taylor_coeff(w0, i, k), r,
                            "random tape, no jac: x_%ld,%ld vs Picard series (iter %d)",
                            (long) i, (long) k, iter);
                TU_OVERLAPS(pc_taylor_coeff(w, i, k), pc_taylor_coeff(w0, i, k),
                            "random tape: with and without jac differ (iter %d)", iter);
                if (!ball && arb_is_finite(r) && arb_rel_accuracy_bits(r) > prec)
                    TU_ACCURATE(pc_taylor_coeff(w, i, k), prec / 4,
                                "random tape: x_%ld,%ld inaccurate (iter %d)", (long) i, (long) k, iter);
                for (slong j = 0; j < n; j++) {
                    arb_poly_get_coeff_arb(r, dX + i * n + j, k);
                    TU_CONTAINS(pc_taylor_jac(w, i, k) + j, r,
                                "random tape: dx_%ld,%ld/dx0_%ld vs variational series (iter %d)",
                                (long) i, (long) k, (long) j, iter);
                }
            }
        }
        pc_taylor_clear(w);
        pc_taylor_clear(w0);
        pc_tape_clear(t);
        for (slong i = 0; i < n; i++)
            arb_poly_clear(X + i);
        for (slong i = 0; i < n * n; i++)
            arb_poly_clear(dX + i);
        flint_free(X);
        flint_free(dX);
        _arb_vec_clear(x0, n);
        _arb_vec_clear(xs, n);
        _arb_vec_clear(f, n);
        _arb_vec_clear(fs, n);
    }
    arb_clear(r);
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_random_tapes");
}
END_TEST

/* A wrong field must fail the closed-form comparison: x' = 1 − x² in place
 * of 1 + x² (ADD turned into SUB) against tan's coefficients, x' = x² in
 * place of −x². */
START_TEST(test_taylor_wrong_tape_fails)
{
    flint_rand_t st;
    tu_rand_init(st, 405);
    fmpq_t x0q, cq;
    fmpq_init(x0q);
    fmpq_init(cq);
    arb_ptr ref = _arb_vec_init(9), dref = _arb_vec_init(9);
    long caught = 0, total = 0;
    for (int iter = 0; iter < 200; iter++) {
        slong prec = tu_rand_prec(st), hp = 4 * prec;
        int fam = iter % 2 ? F_TAN : F_QUAD;
        pc_tape_t t;
        pc_taylor_t w;
        arb_t x0, x0h;
        arb_init(x0);
        arb_init(x0h);
        do
            scalar_rand_point(x0q, st, fam);
        while (fmpq_is_zero(x0q));
        scalar_tape(t, fam, cq);
        /* mutate the last node: ADD -> SUB (tan), NEG -> identity (quad) */
        pc_tape_node *last = t->node + t->len - 1;
        if (fam == F_TAN) {
            ck_assert_int_eq(last->op, PC_TAPE_ADD);
            last->op = PC_TAPE_SUB;
        } else {
            ck_assert_int_eq(last->op, PC_TAPE_NEG);
            pc_tape_set_output(t, 0, last->a);
        }
        arb_set_fmpq(x0, x0q, prec);
        arb_set_fmpq(x0h, x0q, hp);
        pc_taylor_init(w, t, 8, 1, prec);
        pc_taylor_compute(w, x0, 8);
        scalar_ref(ref, dref, fam, x0h, x0h, 8, hp);
        int wrong = 0;
        for (slong k = 1; k <= 8; k++)
            wrong |= !arb_overlaps(pc_taylor_coeff(w, 0, k), ref + k);
        caught += wrong;
        total++;
        TU_ASSERT(wrong, "%s with a flipped sign at x0 != 0 not refuted (iter %d)", fam_name[fam], iter);
        pc_taylor_clear(w);
        pc_tape_clear(t);
        arb_clear(x0);
        arb_clear(x0h);
    }
    printf("%s: wrong_tape_fails: %ld of %ld mutated scalar tapes refuted\n", FILE_NAME, caught, total);
    _arb_vec_clear(ref, 9);
    _arb_vec_clear(dref, 9);
    fmpq_clear(x0q);
    fmpq_clear(cq);
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_wrong_tape_fails");
}
END_TEST

/* ---- tape builders and pc_tape_check ------------------------------------------------ */

START_TEST(test_tape_basics)
{
    pc_tape_t t;
    arb_ptr x = _arb_vec_init(3), f = _arb_vec_init(3);
    fmpq_t q;
    fmpq_init(q);
    pc_tape_init(t, 3);
    TU_ASSERT(pc_tape_check(t) == PC_ERR_INPUT, "a tape without outputs must fail the check");
    fmpq_set_si(q, -7, 3);
    slong c = pc_tape_const_fmpq(t, q);
    slong nodes[3] = { 0, 1, 2 };
    slong s = pc_tape_sum(t, nodes, 3);                         /* x0 + x1 + x2 */
    slong d = pc_tape_dot(t, nodes, nodes, 3);                  /* Σ x_i² */
    pc_tape_set_output(t, 0, pc_tape_mul(t, c, s));
    TU_ASSERT(pc_tape_check(t) == PC_ERR_INPUT, "two outputs missing must fail the check");
    pc_tape_set_output(t, 1, pc_tape_div(t, d, pc_tape_exp(t, pc_tape_neg(t, 0))));
    pc_tape_set_output(t, 2, pc_tape_sub(t, 2, pc_tape_const_si(t, 5)));
    TU_ASSERT(pc_tape_check(t) == PC_OK, "a complete tape must pass the check");
    TU_ASSERT(pc_tape_sum(t, nodes + 1, 1) == 1, "a sum of one node is that node");
    /* x = (1/2, −3, 5/4): f = (−7/3 · (−5/4), (1/4 + 9 + 25/16) e^{1/2}, 5/4 − 5) */
    arb_set_d(x + 0, 0.5);
    arb_set_si(x + 1, -3);
    arb_set_d(x + 2, 1.25);
    pc_tape_eval_arb(f, t, x, 128);
    fmpq_set_si(q, 35, 12);
    TU_CONTAINS_FMPQ(f + 0, q, "tape basics: c * sum");
    fmpq_set_si(q, -15, 4);
    TU_CONTAINS_FMPQ(f + 2, q, "tape basics: x2 - 5");
    {
        arb_t r;
        arb_init(r);
        arb_set_d(r, 0.5);
        arb_exp(r, r, 512);
        arb_mul_ui(r, r, 173, 512);
        arb_div_ui(r, r, 16, 512);
        TU_CONTAINS(f + 1, r, "tape basics: dot / exp(-x0)");
        TU_ACCURATE(f + 1, 120, "tape basics: inaccurate");
        arb_clear(r);
    }
    pc_tape_clear(t);
    fmpq_clear(q);
    _arb_vec_clear(x, 3);
    _arb_vec_clear(f, 3);
    tu_done(FILE_NAME, "tape_basics");
}
END_TEST

/* ---- the gradient-flow system tapes --------------------------------------------------- */

static const pc_loss_kind all_losses[PC_LOSS_COUNT] = {
    PC_LOSS_LOGISTIC, PC_LOSS_EXPONENTIAL, PC_LOSS_SQUARE, PC_LOSS_CROSS_ENTROPY, PC_LOSS_QUADRATIC
};

/* V = β w0ᵀ (the square loss's reduced system needs it). */
static void make_aligned(pc_problem_t p, flint_rand_t st)
{
    fmpq_t w;
    fmpq_init(w);
    for (slong j = 0; j < p->n; j++) {
        tu_randq(w, st, 2, 12);
        for (slong i = 0; i < p->d; i++)
            fmpq_mul(p->V + i * p->n + j, p->beta + i, w);
    }
    fmpq_clear(w);
}

/* The field of system `kind` by the model code (pc_model.h, pc_reduced.h);
 * for the τ system the last component is 1/ρ(uᵀ s). */
static void model_field(arb_ptr f, pc_system_kind kind, const pc_model_arb_t m, arb_srcptr x,
                        slong prec)
{
    const slong n = m->n;
    if (kind == PC_SYSTEM_FULL) {
        pc_field_full_arb(f, m, x, prec);
    } else if (kind == PC_SYSTEM_REDUCED) {
        pc_field_reduced_arb(f, m, x, prec);
    } else {
        arb_ptr s = _arb_vec_init(n);
        arb_t z;
        arb_init(z);
        pc_field_tau_arb(f, m, x, prec);
        pc_softmax_arb(s, x + n, n, prec);
        arb_dot(z, NULL, 0, x, 1, s, 1, n, prec);
        pc_reduced_rho_arb(f + 2 * n, m, z, prec);
        arb_inv(f + 2 * n, f + 2 * n, prec);
        arb_clear(z);
        _arb_vec_clear(s, n);
    }
}

/* A random state of system `kind`: balls (or, if point, exact rationals). */
static void random_state(arb_ptr x, arb_ptr xs, pc_system_kind kind, const pc_problem_t p,
                         flint_rand_t st, int point, slong prec, slong hp)
{
    const slong dim = pc_system_dim(kind, p), ao = pc_system_a_offset(kind, p);
    fmpq_t q;
    fmpq_init(q);
    for (slong k = 0; k < dim; k++) {
        ulong bound = k >= ao && k < ao + p->n ? 4 : (kind == PC_SYSTEM_FULL ? 2 : 3);
        if (kind == PC_SYSTEM_TAU && k == dim - 1)
            bound = 5;                  /* the time variable: unused by the field */
        tu_randq(q, st, bound, 12);
        arb_set_fmpq(x + k, q, prec);
        if (point)
            arb_set_fmpq(xs + k, q, hp);        /* the exact rational, at hp */
        else {
            arb_get_mid_arb(x + k, x + k);
            scalar_rand_radius(x + k, st, prec);
            tu_rand_point_in(xs + k, x + k, st);
        }
    }
    fmpq_clear(q);
}

START_TEST(test_tape_systems_vs_model)
{
    flint_rand_t st;
    tu_rand_init(st, 406);
    long unsupported = 0;
    for (int fi = 0; fi < PC_LOSS_COUNT; fi++) {
        pc_loss_kind loss = all_losses[fi];
        for (int iter = 0; iter < 60; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t mlo, mhi;
            tu_problem_random_size(p, st, loss, 1, 4, 1, 5);
            if (loss == PC_LOSS_SQUARE && n_randint(st, 2))
                make_aligned(p, st);
            const int reducible = pc_reduced_detect(p, NULL) != PC_REDUCED_NONE;
            tu_model_arb(mlo, p, prec);
            tu_model_arb(mhi, p, hp);
            for (int kind = PC_SYSTEM_FULL; kind <= PC_SYSTEM_TAU; kind++) {
                const slong dim = pc_system_dim(kind, p);
                const char *ks = pc_system_name(kind);
                const char *ls = tu_loss_str(loss);
                pc_tape_t t;
                TU_ASSERT(dim == (kind == PC_SYSTEM_FULL ? p->d * p->n + p->n
                                  : kind == PC_SYSTEM_REDUCED ? 2 * p->n : 2 * p->n + 1),
                          "%s: wrong dimension", ks);
                TU_ASSERT(pc_system_a_offset(kind, p) == (kind == PC_SYSTEM_FULL ? p->d * p->n : p->n),
                          "%s: wrong a offset", ks);
                TU_ASSERT(pc_system_tape(t, kind, p, -1) != PC_OK, "%s: ref -1 accepted", ks);
                TU_ASSERT(pc_system_tape(t, kind, p, p->n) != PC_OK, "%s: ref n accepted", ks);
                if (kind != PC_SYSTEM_FULL && !reducible) {
                    TU_ASSERT(pc_system_tape(t, kind, p, 0) == PC_ERR_UNSUPPORTED,
                              "%s: %s system accepted for a non-reducible problem", ls, ks);
                    pc_system_t S;
                    TU_ASSERT(pc_system_init(S, kind, p) == PC_ERR_UNSUPPORTED,
                              "%s: pc_system_init accepted a %s system", ls, ks);
                    unsupported++;
                    continue;
                }
                arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim);
                arb_ptr f = _arb_vec_init(dim), g = _arb_vec_init(dim), fs = _arb_vec_init(dim);
                arb_ptr gs = _arb_vec_init(dim);
                for (slong ref = 0; ref < p->n; ref++) {
                    TU_ASSERT(pc_system_tape(t, kind, p, ref) == PC_OK, "%s %s: tape failed", ls, ks);
                    TU_ASSERT(t->nvars == dim, "%s %s: tape dimension", ls, ks);
                    for (int rep = 0; rep < 3; rep++) {
                        random_state(x, xs, kind, p, st, rep == 0, prec, hp);
                        pc_tape_eval_arb(f, t, x, prec);
                        model_field(g, kind, mlo, x, prec);
                        pc_tape_eval_arb(fs, t, xs, hp);
                        model_field(gs, kind, mhi, xs, hp);
                        for (slong k = 0; k < dim; k++) {
                            TU_OVERLAPS(f + k, g + k, "%s %s ref %ld: tape != model field, "
                                        "component %ld (iter %d)", ls, ks, (long) ref, (long) k, iter);
                            TU_CONTAINS(f + k, fs + k, "%s %s ref %ld: tape at a ball vs tape at an "
                                        "inner point, component %ld (iter %d)", ls, ks, (long) ref,
                                        (long) k, iter);
                            TU_CONTAINS(f + k, gs + k, "%s %s ref %ld: tape at a ball vs model at an "
                                        "inner point, component %ld (iter %d)", ls, ks, (long) ref,
                                        (long) k, iter);
                            if (rep == 0)
                                TU_ACCURATE(f + k, prec / 2, "%s %s: tape at a point inaccurate", ls, ks);
                        }
                    }
                    pc_tape_clear(t);
                }
                /* the form chosen by pc_system_tape_for: ref = argmax mid(a) */
                {
                    pc_system_t S;
                    TU_ASSERT(pc_system_init(S, kind, p) == PC_OK, "%s %s: system init", ls, ks);
                    TU_ASSERT(S->dim == dim, "%s %s: system dim", ls, ks);
                    random_state(x, xs, kind, p, st, 0, prec, hp);
                    const pc_tape_struct *tf = pc_system_tape_for(S, x);
                    arb_srcptr a = x + pc_system_a_offset(kind, p);
                    slong wmax = 0;
                    for (slong j = 1; j < p->n; j++)
                        if (arf_cmp(arb_midref(a + j), arb_midref(a + wmax)) > 0)
                            wmax = j;
                    TU_ASSERT(tf == S->tape + wmax, "%s %s: tape_for did not pick the largest logit", ls, ks);
                    TU_ASSERT(pc_system_tape_for(S, x) == tf, "%s %s: tape_for not cached", ls, ks);
                    pc_tape_eval_arb(f, tf, x, prec);
                    model_field(gs, kind, mhi, xs, hp);
                    for (slong k = 0; k < dim; k++)
                        TU_CONTAINS(f + k, gs + k, "%s %s: tape_for's form vs model at an inner "
                                    "point (iter %d)", ls, ks, iter);
                    pc_system_clear(S);
                }
                _arb_vec_clear(x, dim);
                _arb_vec_clear(xs, dim);
                _arb_vec_clear(f, dim);
                _arb_vec_clear(g, dim);
                _arb_vec_clear(fs, dim);
                _arb_vec_clear(gs, dim);
            }
            pc_model_arb_clear(mlo);
            pc_model_arb_clear(mhi);
            tu_problem_clear(p);
        }
    }
    TU_ASSERT(unsupported > 0, "no non-reducible case was drawn");
    flint_randclear(st);
    tu_done(FILE_NAME, "tape_systems_vs_model");
}
END_TEST

/* Taylor coefficients of the system tapes: x_1 = f, x_2 = ½ Df f (Df from
 * the derivatives of x_1), the full field's Jacobian symmetric (it is
 * −Hess L), and every coefficient over a ball containing its value at an
 * inner point. */
START_TEST(test_taylor_systems)
{
    flint_rand_t st;
    tu_rand_init(st, 407);
    for (int fi = 0; fi < PC_LOSS_COUNT; fi++) {
        pc_loss_kind loss = all_losses[fi];
        for (int iter = 0; iter < 16; iter++) {
            slong prec = 64 + (slong) n_randint(st, 128), hp = 4 * prec;
            pc_problem_t p;
            pc_model_arb_t m;
            tu_problem_random_size(p, st, loss, 1, 3, 1, 4);
            if (loss == PC_LOSS_SQUARE)
                make_aligned(p, st);
            tu_model_arb(m, p, hp);
            const int reducible = pc_reduced_detect(p, NULL) != PC_REDUCED_NONE;
            for (int kind = PC_SYSTEM_FULL; kind <= (reducible ? PC_SYSTEM_TAU : PC_SYSTEM_FULL); kind++) {
                const slong dim = pc_system_dim(kind, p), K = 1 + (slong) n_randint(st, 8);
                const slong ref = (slong) n_randint(st, p->n);
                const char *ks = pc_system_name(kind), *ls = tu_loss_str(loss);
                pc_tape_t t;
                pc_taylor_t w, ws;
                arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim), g = _arb_vec_init(dim);
                arb_t x2;
                arb_init(x2);
                TU_ASSERT(pc_system_tape(t, kind, p, ref) == PC_OK, "%s %s: tape", ls, ks);
                random_state(x, xs, kind, p, st, 0, prec, hp);
                pc_taylor_init(w, t, K, 1, prec);
                pc_taylor_init(ws, t, K, 1, hp);
                pc_taylor_compute(w, x, K);
                pc_taylor_compute(ws, xs, K);
                model_field(g, kind, m, xs, hp);
                for (slong i = 0; i < dim; i++) {
                    TU_CONTAINS(pc_taylor_coeff(w, i, 1), g + i,
                                "%s %s: x_1 over a ball vs model field at an inner point (iter %d)",
                                ls, ks, iter);
                    /* x_2 = ½ Σ_j ∂f_i/∂x_j f_j at the inner point */
                    if (K >= 2) {
                        arb_dot(x2, NULL, 0, pc_taylor_jac(ws, i, 1), 1, g, 1, dim, hp);
                        arb_mul_2exp_si(x2, x2, -1);
                        TU_OVERLAPS(pc_taylor_coeff(ws, i, 2), x2,
                                    "%s %s: x_2 != Df f / 2 (component %ld, iter %d)", ls, ks, (long) i, iter);
                        TU_CONTAINS(pc_taylor_coeff(w, i, 2), x2,
                                    "%s %s: x_2 over a ball vs Df f / 2 at an inner point (iter %d)",
                                    ls, ks, iter);
                    }
                    for (slong k = 0; k <= K; k++) {
                        TU_CONTAINS(pc_taylor_coeff(w, i, k), pc_taylor_coeff(ws, i, k),
                                    "%s %s: x_%ld,%ld over a ball vs inner point (iter %d)",
                                    ls, ks, (long) i, (long) k, iter);
                        for (slong j = 0; j < dim; j++)
                            TU_CONTAINS(pc_taylor_jac(w, i, k) + j, pc_taylor_jac(ws, i, k) + j,
                                        "%s %s: dx_%ld,%ld/dx0_%ld over a ball vs inner point (iter %d)",
                                        ls, ks, (long) i, (long) k, (long) j, iter);
                    }
                    if (kind == PC_SYSTEM_FULL)
                        for (slong j = 0; j < dim; j++)
                            TU_OVERLAPS(pc_taylor_jac(ws, i, 1) + j, pc_taylor_jac(ws, j, 1) + i,
                                        "%s full: Df not symmetric at (%ld, %ld) (iter %d)",
                                        ls, (long) i, (long) j, iter);
                }
                pc_taylor_clear(w);
                pc_taylor_clear(ws);
                pc_tape_clear(t);
                arb_clear(x2);
                _arb_vec_clear(x, dim);
                _arb_vec_clear(xs, dim);
                _arb_vec_clear(g, dim);
            }
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "taylor_systems");
}
END_TEST

/* pc_jac_poly (fixed-point tangents over the coefficients of a workspace
 * without derivatives) against pc_taylor's own derivatives at 4x the
 * precision at inner points: DT(ξ) at every ξ in X, and every h in the ball
 * h, must lie in the fast enclosure over X. Random tapes (every operation)
 * and the tapes of every system and loss; random orders, chunk sizes and
 * step sizes (exact, or the ball [0, h]). */
static int jac_fast_vs_ref(const pc_tape_t t, arb_srcptr x, arb_srcptr xs, slong K,
                           flint_rand_t st, slong prec, slong hp, const char *what, int iter)
{
    const slong n = t->nvars, J = (slong) n_randint(st, K + 1);
    const slong chunk = n_randint(st, 3) == 0 ? 0 : 1 + (slong) n_randint(st, n);
    pc_taylor_t w, ws;
    arb_mat_t A, R;
    arb_t h, hs;
    arb_init(h);
    arb_init(hs);
    arb_mat_init(A, n, n);
    arb_mat_init(R, n, n);
    arb_set_ui(h, 1 + n_randint(st, 64));
    arb_mul_2exp_si(h, h, -(slong) (6 + n_randint(st, 4)));
    if (n_randint(st, 4) == 0) {                    /* [0, h] */
        arb_mul_2exp_si(h, h, -1);
        arb_add_error(h, h);
        tu_rand_point_in(hs, h, st);
    } else
        arb_set(hs, h);
    pc_taylor_init(w, t, K, 0, prec);
    pc_taylor_init(ws, t, K, 1, hp);
    pc_taylor_compute(w, x, K);
    pc_taylor_compute(ws, xs, K);
    pc_taylor_poly_jac(R, ws, J, hs, hp);
    if (n_randint(st, 2)) {                         /* directions S: DT S */
        arb_mat_t S, RS;
        arb_mat_init(S, n, n);
        arb_mat_init(RS, n, n);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++) {
                arb_set_d(arb_mat_entry(S, i, j), tu_rand_dyadic(st, 1, 60));
                arb_mul_2exp_si(arb_mat_entry(S, i, j), arb_mat_entry(S, i, j),
                                -(slong) n_randint(st, 20));
            }
        pc_jac_poly(A, w, J, h, S, chunk, 64);
        arb_mat_mul(RS, R, S, 4 * hp);
        arb_mat_swap(R, RS);
        arb_mat_clear(S);
        arb_mat_clear(RS);
    } else
        pc_jac_poly(A, w, J, h, NULL, chunk, 64);
    int finite = 0;
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            finite += arb_is_finite(arb_mat_entry(A, i, j));
            TU_CONTAINS(arb_mat_entry(A, i, j), arb_mat_entry(R, i, j),
                        "%s: fast DT(X)_%ld,%ld (J %ld, chunk %ld) misses DT at an inner point "
                        "(iter %d)", what, (long) i, (long) j, (long) J, (long) chunk, iter);
        }
    pc_taylor_clear(w);
    pc_taylor_clear(ws);
    arb_mat_clear(A);
    arb_mat_clear(R);
    arb_clear(h);
    arb_clear(hs);
    return finite == n * n;
}

START_TEST(test_jac_fast_random_tapes)
{
    flint_rand_t st;
    tu_rand_init(st, 408);
    int finite = 0;
    for (int iter = 0; iter < 400; iter++) {
        const slong n = 1 + (slong) n_randint(st, 4), prec = 64 + (slong) n_randint(st, 128);
        const slong hp = 4 * prec, K = (slong) n_randint(st, 7);
        pc_tape_t t;
        arb_ptr x0 = _arb_vec_init(n), xs = _arb_vec_init(n);
        random_tape(t, st, n);
        for (slong i = 0; i < n; i++) {
            fmpq_t q;
            fmpq_init(q);
            tu_randq(q, st, 1, 16);
            arb_set_fmpq(x0 + i, q, prec);
            if (n_randint(st, 2)) {
                arb_get_mid_arb(x0 + i, x0 + i);
                scalar_rand_radius(x0 + i, st, prec);
                tu_rand_point_in(xs + i, x0 + i, st);
            } else
                arb_set_fmpq(xs + i, q, hp);
            fmpq_clear(q);
        }
        for (int p = 0; p < 2; p++) {
            if (p == 1)                             /* another inner point */
                for (slong i = 0; i < n; i++)
                    tu_rand_point_in(xs + i, x0 + i, st);
            finite += jac_fast_vs_ref(t, x0, xs, K, st, prec, hp, "random tape", iter);
        }
        pc_tape_clear(t);
        _arb_vec_clear(x0, n);
        _arb_vec_clear(xs, n);
    }
    TU_ASSERT(finite >= 600, "too few finite cases (%d of 800)", finite);
    flint_randclear(st);
    tu_done(FILE_NAME, "jac_fast_random_tapes");
}
END_TEST

START_TEST(test_jac_fast_systems)
{
    flint_rand_t st;
    tu_rand_init(st, 409);
    for (int fi = 0; fi < PC_LOSS_COUNT; fi++) {
        pc_loss_kind loss = all_losses[fi];
        for (int iter = 0; iter < 10; iter++) {
            slong prec = 64 + (slong) n_randint(st, 128), hp = 4 * prec;
            pc_problem_t p;
            tu_problem_random_size(p, st, loss, 1, 3, 1, 4);
            if (loss == PC_LOSS_SQUARE)
                make_aligned(p, st);
            const int reducible = pc_reduced_detect(p, NULL) != PC_REDUCED_NONE;
            for (int kind = PC_SYSTEM_FULL; kind <= (reducible ? PC_SYSTEM_TAU : PC_SYSTEM_FULL); kind++) {
                const slong dim = pc_system_dim(kind, p), K = 1 + (slong) n_randint(st, 8);
                pc_tape_t t;
                arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim);
                TU_ASSERT(pc_system_tape(t, kind, p, (slong) n_randint(st, p->n)) == PC_OK, "tape");
                random_state(x, xs, kind, p, st, 0, prec, hp);
                jac_fast_vs_ref(t, x, xs, K, st, prec, hp, pc_system_name(kind), iter);
                pc_tape_clear(t);
                _arb_vec_clear(x, dim);
                _arb_vec_clear(xs, dim);
            }
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "jac_fast_systems");
}
END_TEST

/* Deliberately wrong system tapes must fail the comparison with the model:
 * (a) one output with its sign flipped, at an exact point where that
 * component is clearly nonzero: a non-overlap is REQUIRED every time;
 * (b) one SUB node turned into ADD: refuted in almost every random case. */
START_TEST(test_tape_systems_wrong_fails)
{
    flint_rand_t st;
    tu_rand_init(st, 408);
    long flipped = 0, flip_caught = 0, mutated = 0, mut_caught = 0;
    for (int fi = 0; fi < PC_LOSS_COUNT; fi++) {
        pc_loss_kind loss = all_losses[fi];
        for (int iter = 0; iter < 40; iter++) {
            const slong prec = 128;
            pc_problem_t p;
            pc_model_arb_t m;
            tu_problem_random_size(p, st, loss, 2, 4, 2, 5);
            if (loss == PC_LOSS_SQUARE)
                make_aligned(p, st);
            tu_model_arb(m, p, prec);
            const int reducible = pc_reduced_detect(p, NULL) != PC_REDUCED_NONE;
            pc_system_kind kind = reducible && n_randint(st, 2) ? PC_SYSTEM_REDUCED : PC_SYSTEM_FULL;
            const slong dim = pc_system_dim(kind, p), ref = (slong) n_randint(st, p->n);
            const char *ls = tu_loss_str(loss), *ks = pc_system_name(kind);
            arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim);
            arb_ptr f = _arb_vec_init(dim), g = _arb_vec_init(dim);
            pc_tape_t t;
            random_state(x, xs, kind, p, st, 1, prec, 4 * prec);
            model_field(g, kind, m, x, prec);

            /* (a) flip the sign of the largest component */
            TU_ASSERT(pc_system_tape(t, kind, p, ref) == PC_OK, "%s %s: tape", ls, ks);
            slong big = 0;
            for (slong k = 1; k < dim; k++)
                if (arf_cmpabs(arb_midref(g + k), arb_midref(g + big)) > 0)
                    big = k;
            if (arf_cmpabs_2exp_si(arb_midref(g + big), -20) > 0) {
                pc_tape_set_output(t, big, pc_tape_neg(t, t->out[big]));
                pc_tape_eval_arb(f, t, x, prec);
                int caught = !arb_overlaps(f + big, g + big);
                flipped++;
                flip_caught += caught;
                TU_ASSERT(caught, "%s %s ref %ld: a tape with output %ld negated still overlaps the "
                          "model field (iter %d)", ls, ks, (long) ref, (long) big, iter);
            }
            pc_tape_clear(t);

            /* (b) one random SUB -> ADD */
            TU_ASSERT(pc_system_tape(t, kind, p, ref) == PC_OK, "%s %s: tape", ls, ks);
            slong nsub = 0;
            for (slong v = 0; v < t->len; v++)
                nsub += t->node[v].op == PC_TAPE_SUB;
            if (nsub > 0) {
                slong pick = (slong) n_randint(st, nsub);
                for (slong v = 0; v < t->len; v++)
                    if (t->node[v].op == PC_TAPE_SUB && pick-- == 0)
                        t->node[v].op = PC_TAPE_ADD;
                pc_tape_eval_arb(f, t, x, prec);
                int caught = 0;
                for (slong k = 0; k < dim; k++)
                    caught |= !arb_overlaps(f + k, g + k);
                mutated++;
                mut_caught += caught;
            }
            pc_tape_clear(t);

            _arb_vec_clear(x, dim);
            _arb_vec_clear(xs, dim);
            _arb_vec_clear(f, dim);
            _arb_vec_clear(g, dim);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    printf("%s: systems_wrong_fails: sign flips refuted %ld of %ld, SUB->ADD mutants refuted %ld of %ld\n",
           FILE_NAME, flip_caught, flipped, mut_caught, mutated);
    TU_ASSERT(flipped >= 150, "too few sign-flip cases (%ld)", flipped);
    TU_ASSERT(mut_caught >= mutated - mutated / 10,
              "SUB->ADD mutants refuted in only %ld of %ld cases", mut_caught, mutated);
    flint_randclear(st);
    tu_done(FILE_NAME, "tape_systems_wrong_fails");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("taylor");
    TCase *tc;
    tc = tu_tcase(s, "tape");
    tcase_add_test(tc, test_tape_basics);
    tcase_add_test(tc, test_tape_systems_vs_model);
    tcase_add_test(tc, test_tape_systems_wrong_fails);
    tc = tu_tcase(s, "closed_forms");
    tcase_add_test(tc, test_taylor_scalar_points);
    tcase_add_test(tc, test_taylor_scalar_balls);
    tcase_add_test(tc, test_taylor_linear_exact);
    tcase_add_test(tc, test_taylor_wrong_tape_fails);
    tc = tu_tcase(s, "series");
    tcase_add_test(tc, test_taylor_random_tapes);
    tcase_add_test(tc, test_taylor_systems);
    tc = tu_tcase(s, "jac_fast");
    tcase_add_test(tc, test_jac_fast_random_tapes);
    tcase_add_test(tc, test_jac_fast_systems);
    return tu_run_suite(s);
}
