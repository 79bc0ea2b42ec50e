/* t-vf-taylor.c — unit tests of the checker's Taylor engine against closed forms.
 *
 * Each test integrates a scalar/planar ODE with a known solution, and checks that every
 * Taylor coefficient (and its derivative w.r.t. the initial value) encloses the exact
 * value and is tight: a wrong recurrence would miss the value or blow up the width.
 * Build: gcc -std=c11 -O2 -o t-vf-taylor verify/t-vf-taylor.c verify/vf_[a-z]*.c \
 *        -lmpfi -lmpfr -lgmp -ljansson -lnettle -lm   (exit 0 = pass) */
#include <stdlib.h>
#include <math.h>
#include "vf.h"

static int failures;
#define PREC 128
#define KMAX 20

/* exact value given as mpfr at high precision: x must contain it and be tight */
static void expect(const char *what, int k, mpfi_srcptr x, mpfr_srcptr exact)
{
    mpfr_t w, m;
    mpfr_inits2(PREC, w, m, (mpfr_ptr)0);
    mpfi_diam_abs(w, x);
    mpfr_abs(m, exact, MPFR_RNDU);
    mpfr_add_ui(m, m, 1, MPFR_RNDU);
    mpfr_mul_2si(m, m, -90, MPFR_RNDU);
    if (!mpfi_is_inside_fr(exact, x) || mpfr_cmp(w, m) > 0) {
        mpfr_fprintf(stderr, "FAIL %s k=%d: exact %.25Rg not in/tight [%.25Rg, %.25Rg]\n",
                     what, k, exact, &x->left, &x->right);
        failures++;
    }
    mpfr_clears(w, m, (mpfr_ptr)0);
}

static void run1(vf_tape *tp, vf_taylor *ws, double x0, int jac)
{
    mpfi_t x;
    mpfi_init2(x, PREC);
    mpfi_set_d(x, x0);
    vf_taylor_init(ws, tp, KMAX, jac, PREC, PREC);
    vf_taylor_run(ws, &x, KMAX + 1, jac);
    mpfi_clear(x);
}

/* x' = x^2 (MUL and SQR forms): x_k = x0^{k+1}, d x_k/d x0 = (k+1) x0^k */
static void test_square(int use_sqr)
{
    vf_tape *tp = vf_tape_new(1);
    int f = vf_tape_op(tp, use_sqr ? OP_SQR : OP_MUL, 0, 0);
    vf_tape_set_outputs(tp, &f, 1);
    vf_taylor ws;
    run1(tp, &ws, 0.75, KMAX);
    mpfr_t e;
    mpfr_init2(e, 300);
    for (int k = 0; k <= KMAX + 1; k++) {
        mpfr_set_d(e, 0.75, MPFR_RNDN);
        mpfr_pow_ui(e, e, (unsigned long)k + 1, MPFR_RNDN);
        expect(use_sqr ? "sqr coef" : "mul coef", k, vf_taylor_coef(&ws, 0, k), e);
        if (k <= KMAX) {
            mpfr_set_d(e, 0.75, MPFR_RNDN);
            mpfr_pow_ui(e, e, (unsigned long)k, MPFR_RNDN);
            mpfr_mul_ui(e, e, (unsigned long)k + 1, MPFR_RNDN);
            expect(use_sqr ? "sqr jac" : "mul jac", k, vf_taylor_jac(&ws, 0, k, 0), e);
        }
    }
    mpfr_clear(e);
    vf_taylor_clear(&ws);
    vf_tape_free(tp);
}

/* x' = exp(-x): x = log(t + c), c = e^{x0}; x_k = (-1)^{k+1}/(k c^k),
 * d x_k / d x0 = (-1)^k c^{-k} (k >= 1) */
static void test_exp(void)
{
    vf_tape *tp = vf_tape_new(1);
    int f = vf_tape_op(tp, OP_EXP, vf_tape_op(tp, OP_NEG, 0, -1), -1);
    vf_tape_set_outputs(tp, &f, 1);
    vf_taylor ws;
    double x0 = 0.3;
    run1(tp, &ws, x0, KMAX);
    mpfr_t c, e;
    mpfr_inits2(300, c, e, (mpfr_ptr)0);
    mpfr_set_d(c, x0, MPFR_RNDN);
    mpfr_exp(c, c, MPFR_RNDN);
    for (int k = 1; k <= KMAX + 1; k++) {
        mpfr_pow_si(e, c, -k, MPFR_RNDN);
        mpfr_div_si(e, e, (k % 2) ? k : -k, MPFR_RNDN);
        expect("exp coef", k, vf_taylor_coef(&ws, 0, k), e);
        if (k <= KMAX) {
            mpfr_pow_si(e, c, -k, MPFR_RNDN);
            if (k % 2)
                mpfr_neg(e, e, MPFR_RNDN);
            expect("exp jac", k, vf_taylor_jac(&ws, 0, k, 0), e);
        }
    }
    mpfr_clears(c, e, (mpfr_ptr)0);
    vf_taylor_clear(&ws);
    vf_tape_free(tp);
}

/* x' = 1/(1+x) from x0 = 0: x = sqrt(1 + 2t) - 1, x_k = binom(1/2, k) 2^k */
static void test_div(void)
{
    vf_tape *tp = vf_tape_new(1);
    int one = vf_tape_const_si(tp, 1);
    int f = vf_tape_op(tp, OP_DIV, one, vf_tape_op(tp, OP_ADD, one, 0));
    vf_tape_set_outputs(tp, &f, 1);
    vf_taylor ws;
    run1(tp, &ws, 0.0, KMAX);
    mpq_t bq;
    mpq_init(bq);
    mpq_set_ui(bq, 1, 1);
    mpfr_t e;
    mpfr_init2(e, 300);
    for (int k = 1; k <= KMAX + 1; k++) {
        mpq_t f1;                        /* binom(1/2,k) = binom(1/2,k-1) (1/2-k+1)/k */
        mpq_init(f1);
        mpq_set_si(f1, 3 - 2 * k, (unsigned long)(2 * k));
        mpq_mul(bq, bq, f1);
        mpq_clear(f1);
        mpfr_set_q(e, bq, MPFR_RNDN);
        mpfr_mul_2ui(e, e, (unsigned long)k, MPFR_RNDN);
        expect("div coef", k, vf_taylor_coef(&ws, 0, k), e);
    }
    /* d x_1 / d x0 = -1/(1+x0)^2 = -1 */
    mpfr_set_si(e, -1, MPFR_RNDN);
    expect("div jac", 1, vf_taylor_jac(&ws, 0, 1, 0), e);
    mpq_clear(bq);
    mpfr_clear(e);
    vf_taylor_clear(&ws);
    vf_tape_free(tp);
}

/* x' = -y, y' = x (NEG, SUM, SUB, constant MUL): from (1, 0): cos, sin.
 * Written as x' = 0 - y·(3/2)·(2/3) and y' = sum(x, 0) to exercise more node types. */
static void test_rot(void)
{
    vf_tape *tp = vf_tape_new(2);
    mpq_t q;
    mpq_init(q);
    mpq_set_ui(q, 3, 2);
    int c32 = vf_tape_const_q(tp, q);
    mpq_set_ui(q, 2, 3);
    int c23 = vf_tape_const_q(tp, q);
    mpq_clear(q);
    int zero = vf_tape_const_si(tp, 0);
    int y1 = vf_tape_op(tp, OP_MUL, vf_tape_op(tp, OP_MUL, 1, c32), c23);
    int out[2];
    out[0] = vf_tape_op(tp, OP_SUB, zero, y1);
    int args[2] = { 0, zero };
    out[1] = vf_tape_sum(tp, args, 2);
    vf_tape_set_outputs(tp, out, 2);
    vf_taylor ws;
    mpfi_t x[2];
    mpfi_init2(x[0], PREC);
    mpfi_init2(x[1], PREC);
    mpfi_set_ui(x[0], 1);
    mpfi_set_ui(x[1], 0);
    vf_taylor_init(&ws, tp, KMAX, 4, PREC, PREC);
    vf_taylor_run(&ws, x, KMAX + 1, 4);
    mpfr_t e, f;
    mpfr_inits2(300, e, f, (mpfr_ptr)0);
    for (int k = 0; k <= KMAX + 1; k++) {
        mpfr_fac_ui(f, (unsigned long)k, MPFR_RNDN);
        mpfr_ui_div(f, 1, f, MPFR_RNDN);
        int sg = (k / 2) % 2 ? -1 : 1;
        mpfr_mul_si(e, f, k % 2 ? 0 : sg, MPFR_RNDN);
        expect("rot x", k, vf_taylor_coef(&ws, 0, k), e);
        mpfr_mul_si(e, f, k % 2 ? sg : 0, MPFR_RNDN);
        expect("rot y", k, vf_taylor_coef(&ws, 1, k), e);
    }
    /* Jacobian of the flow = rotation: d x_k / d y0 = -(sin coefficient) */
    for (int k = 0; k <= 4; k++) {
        mpfr_fac_ui(f, (unsigned long)k, MPFR_RNDN);
        mpfr_ui_div(f, 1, f, MPFR_RNDN);
        int sg = (k / 2) % 2 ? -1 : 1;
        mpfr_mul_si(e, f, k % 2 ? -sg : 0, MPFR_RNDN);
        mpfi_ptr j = vf_taylor_jac(&ws, 0, k, 1);
        mpfi_t z;
        mpfi_init2(z, PREC);
        mpfi_set_ui(z, 0);
        expect("rot jac", k, j ? j : z, e);
        mpfi_clear(z);
    }
    mpfr_clears(e, f, (mpfr_ptr)0);
    mpfi_clear(x[0]);
    mpfi_clear(x[1]);
    vf_taylor_clear(&ws);
    vf_tape_free(tp);
}

int main(void)
{
    test_square(0);
    test_square(1);
    test_exp();
    test_div();
    test_rot();
    if (failures) {
        fprintf(stderr, "t-vf-taylor: %d failures\n", failures);
        return 1;
    }
    printf("t-vf-taylor: all tests passed\n");
    return 0;
}
