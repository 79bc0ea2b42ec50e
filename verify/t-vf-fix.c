/* t-vf-fix.c — containment tests of the checker's fixed-point kernels: the Jacobian of
 * the Taylor polynomial (vf_jac.c) and the coefficients over a box (vf_fxtay.c, and
 * vf_mrtay.c, which must also be about as tight as the MPFI pass it replaces), the
 * exact matrix products of the set (vf_fixmat.c) and the exact scaling vf_fr_scaled.
 *
 * Random tapes (every operation of the fields: + - * sqr / exp neg sum, constants) and
 * random boxes (point, 2^-60, 2^-20, 2^-8 wide) around random centres.  The fixed-point
 * result over the box must CONTAIN the MPFI result (vf_taylor.c at 4 times the
 * precision) at points of the box: its centre, its corners and random points, and for
 * the Jacobian at points h' of the interval h.  A too small radius, a wrong recurrence
 * or a lost rounding error shows up as a point outside.  A loose tightness check
 * (width below 2^-30 (|x| + 1) for point boxes) catches a radius that
 * explodes.  Exit 0 = pass. */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

static int failures, checks;
static unsigned long long rng = 88172645463325252ULL;

static unsigned long rnd(unsigned long m)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned long)(rng % m);
}

/* a random expression node over nv variables, depth d; values stay moderate: exp
 * takes a scaled argument, a quotient's denominator is 2 + something squared */
static int expr(vf_tape *tp, int nv, int d)
{
    if (d == 0 || rnd(5) == 0) {
        if (rnd(4) == 0) {
            mpq_t q;
            mpq_init(q);
            mpq_set_si(q, (long)rnd(13) - 6, rnd(7) + 1);
            mpq_canonicalize(q);
            int c = vf_tape_const_q(tp, q);
            mpq_clear(q);
            return c;
        }
        return (int)rnd((unsigned long)nv);
    }
    int a = expr(tp, nv, d - 1), b, args[3];
    mpq_t q;
    switch (rnd(9)) {
    case 0: return vf_tape_op(tp, OP_ADD, a, expr(tp, nv, d - 1));
    case 1: return vf_tape_op(tp, OP_SUB, a, expr(tp, nv, d - 1));
    case 2: return vf_tape_op(tp, OP_MUL, a, expr(tp, nv, d - 1));
    case 3: return vf_tape_op(tp, OP_SQR, a, -1);
    case 4: return vf_tape_op(tp, OP_NEG, a, -1);
    case 5:
        mpq_init(q);
        mpq_set_si(q, 1, 3);
        b = vf_tape_op(tp, OP_MUL, vf_tape_const_q(tp, q), a);
        mpq_clear(q);
        return vf_tape_op(tp, OP_EXP, b, -1);
    case 6:
        b = vf_tape_op(tp, OP_ADD, vf_tape_const_si(tp, 2),
                       vf_tape_op(tp, OP_SQR, expr(tp, nv, d - 1), -1));
        return vf_tape_op(tp, OP_DIV, a, b);
    case 7:
        args[0] = a;
        args[1] = expr(tp, nv, d - 1);
        args[2] = (int)rnd((unsigned long)nv);
        return vf_tape_sum(tp, args, 3);
    default:                            /* a product with a constant */
        mpq_init(q);
        mpq_set_si(q, (long)rnd(9) - 4, 5);
        mpq_canonicalize(q);
        b = vf_tape_op(tp, OP_MUL, a, vf_tape_const_q(tp, q));
        mpq_clear(q);
        return b;
    }
}

static vf_tape *random_tape(int nv)
{
    vf_tape *tp = vf_tape_new(nv);
    int *out = malloc(sizeof(int) * (size_t)nv);
    for (int i = 0; i < nv; i++)
        out[i] = expr(tp, nv, 1 + (int)rnd(4));
    vf_tape_set_outputs(tp, out, nv);
    free(out);
    return tp;
}

/* x = [m - r, m + r], m = a random dyadic in [-1, 1], r = 2^-e (0: a point) */
static void random_box(mpfi_t *x, int nv, int e)
{
    for (int i = 0; i < nv; i++) {
        mpfi_set_si(x[i], (long)rnd(2049) - 1024);
        mpfi_div_2ui(x[i], x[i], 10);
        if (e > 0) {
            mpfi_t r;
            mpfi_init2(r, mpfi_get_prec(x[i]));
            mpfi_interv_si(r, -1, 1);
            mpfi_mul_2si(r, r, -e);
            mpfi_add(x[i], x[i], r);
            mpfi_clear(r);
        }
    }
}

/* p = a point of the box x: a corner, the centre or a random point */
static void point_of(mpfi_t *p, mpfi_t *x, int nv, int which)
{
    mpfr_t t;
    mpfr_init2(t, mpfi_get_prec(p[0]));
    for (int i = 0; i < nv; i++) {
        if (which == 0)
            mpfi_mid(t, x[i]);
        else if (which == 1)
            mpfr_set(t, (rnd(2) ? &x[i]->left : &x[i]->right), MPFR_RNDN);
        else {
            mpfr_sub(t, &x[i]->right, &x[i]->left, MPFR_RNDN);
            mpfr_mul_ui(t, t, rnd(1001), MPFR_RNDN);
            mpfr_div_ui(t, t, 1000, MPFR_RNDN);
            mpfr_add(t, t, &x[i]->left, MPFR_RNDN);
            if (mpfr_cmp(t, &x[i]->right) > 0)
                mpfr_set(t, &x[i]->right, MPFR_RNDN);
        }
        mpfi_set_fr(p[i], t);
    }
    mpfr_clear(t);
}

static void must_contain(const char *what, int trial, mpfi_srcptr big, mpfi_srcptr small)
{
    checks++;
    if (!mpfi_is_inside(small, big)) {
        if (failures < 10)
            mpfr_fprintf(stderr, "FAIL %s (trial %d): [%.20Re, %.20Re] not in [%.20Re, %.20Re]\n",
                         what, trial, &small->left, &small->right, &big->left, &big->right);
        failures++;
    }
}

/* width <= 2^-30 (|x| + 1): for point data only rounding (and cancellation) widens */
static void must_be_tight(const char *what, int trial, mpfi_srcptr x)
{
    mpfr_t w, m;
    mpfr_inits2(64, w, m, (mpfr_ptr)0);
    mpfi_diam_abs(w, x);
    mpfi_mag(m, x);
    mpfr_add_ui(m, m, 1, MPFR_RNDU);
    mpfr_mul_2si(m, m, -30, MPFR_RNDU);
    checks++;
    if (!(mpfr_cmp(w, m) <= 0)) {
        if (failures < 10)
            mpfr_fprintf(stderr, "FAIL %s (trial %d): width %.3Re too large\n", what, trial, w);
        failures++;
    }
    mpfr_clears(w, m, (mpfr_ptr)0);
}

#define P 128
#define HP 512

static void test_jac(int trial)
{
    int nv = 1 + (int)rnd(4), J = 1 + (int)rnd(5), K = J + (int)rnd(4);
    int widths[4] = { 0, 60, 20, 8 }, e = widths[rnd(4)];
    vf_tape *tp = random_tape(nv);
    vf_taylor ws, hi;
    vf_taylor_init(&ws, tp, K, -1, P, 64);
    vf_taylor_init(&hi, tp, K, J, HP, HP);
    vf_jac *jw = vf_jac_new(&ws, J);
    mpfi_t *x = malloc(sizeof(mpfi_t) * (size_t)nv), *p = malloc(sizeof(mpfi_t) * (size_t)nv);
    mpfi_t *A = malloc(sizeof(mpfi_t) * (size_t)nv * nv);
    for (int i = 0; i < nv; i++) {
        mpfi_init2(x[i], P);
        mpfi_init2(p[i], HP);
    }
    for (int i = 0; i < nv * nv; i++)
        mpfi_init2(A[i], 64);
    random_box(x, nv, e);
    mpfi_t h, hp, a, t;
    mpfi_init2(h, P);
    mpfi_init2(hp, HP);
    mpfi_init2(a, HP);
    mpfi_init2(t, HP);
    /* h = 1/8 (a point) or [0, 1/8] */
    int hint = rnd(2);
    mpfi_set_ui(h, 1);
    mpfi_div_2ui(h, h, 3);
    if (hint)
        mpfi_put_ui(h, 0);
    vf_taylor_run(&ws, x, K, -1);
    if (vf_jac_matrix(jw, J, h, A)) {
        /* the random values stay far inside the representation: no fallback expected */
        fprintf(stderr, "FAIL jac (trial %d): fixed point refused\n", trial);
        failures++;
    } else {
        for (int q = 0; q < 4; q++) {
            point_of(p, x, nv, q == 0 ? 0 : q == 1 ? 1 : 2);
            vf_taylor_run(&hi, p, J, J);
            /* h' = h or a point of [0, h] */
            mpfi_set_ui(hp, 1);
            mpfi_div_2ui(hp, hp, 3);
            if (hint)
                mpfi_mul_ui(hp, hp, rnd(17)), mpfi_div_ui(hp, hp, 16);
            for (int i = 0; i < nv; i++)
                for (int j = 0; j < nv; j++) {
                    mpfi_set_ui(a, 0);
                    for (int k = J; k >= 0; k--) {
                        mpfi_mul(a, a, hp);
                        mpfi_ptr d = vf_taylor_jac(&hi, i, k, j);
                        if (d)
                            mpfi_add(a, a, d);
                    }
                    must_contain("jac", trial, A[(size_t)i * nv + j], a);
                }
        }
        if (e == 0 && !hint)
            for (int i = 0; i < nv * nv; i++)
                must_be_tight("jac tight", trial, A[i]);
    }
    mpfi_clear(h);
    mpfi_clear(hp);
    mpfi_clear(a);
    mpfi_clear(t);
    for (int i = 0; i < nv; i++) {
        mpfi_clear(x[i]);
        mpfi_clear(p[i]);
    }
    for (int i = 0; i < nv * nv; i++)
        mpfi_clear(A[i]);
    free(x);
    free(p);
    free(A);
    vf_jac_free(jw);
    vf_taylor_clear(&ws);
    vf_taylor_clear(&hi);
    vf_tape_free(tp);
}

static void test_fxtay(int trial)
{
    int nv = 1 + (int)rnd(4), K = 2 + (int)rnd(20);
    int widths[4] = { 0, 60, 20, 8 }, e = widths[rnd(4)];
    vf_tape *tp = random_tape(nv);
    vf_taylor hi;
    vf_taylor_init(&hi, tp, K, -1, HP, HP);
    vf_fxtay *fw = vf_fxtay_new(tp, K);
    mpfi_t *x = malloc(sizeof(mpfi_t) * (size_t)nv), *p = malloc(sizeof(mpfi_t) * (size_t)nv);
    mpfi_t *out = malloc(sizeof(mpfi_t) * (size_t)nv);
    for (int i = 0; i < nv; i++) {
        mpfi_init2(x[i], P);
        mpfi_init2(p[i], HP);
        mpfi_init2(out[i], P);
    }
    random_box(x, nv, e);
    int order = 1 + (int)rnd((unsigned long)K + 1);
    if (vf_fxtay_run(fw, x, order, out)) {
        fprintf(stderr, "FAIL fxtay (trial %d): fixed point refused\n", trial);
        failures++;
    } else {
        for (int q = 0; q < 4; q++) {
            point_of(p, x, nv, q == 0 ? 0 : q == 1 ? 1 : 2);
            vf_taylor_run(&hi, p, order, -1);
            for (int i = 0; i < nv; i++)
                must_contain("fxtay", trial, out[i], vf_taylor_coef(&hi, i, order));
        }
        if (e == 0 && order <= 6)
            for (int i = 0; i < nv; i++)
                must_be_tight("fxtay tight", trial, out[i]);
    }
    for (int i = 0; i < nv; i++) {
        mpfi_clear(x[i]);
        mpfi_clear(p[i]);
        mpfi_clear(out[i]);
    }
    free(x);
    free(p);
    free(out);
    vf_fxtay_free(fw);
    vf_taylor_clear(&hi);
    vf_tape_free(tp);
}

/* width(x) <= f width(ref) + 2^-(prec - 24) (|ref| + 1): the midpoint-radius pass is
 * as tight as the MPFI pass up to second-order terms and a few roundings */
static void must_be_near(const char *what, int trial, mpfi_srcptr x, mpfi_srcptr ref,
                         long prec, int f)
{
    mpfr_t w, m, b;
    mpfr_inits2(64, w, m, b, (mpfr_ptr)0);
    mpfi_diam_abs(w, x);
    mpfi_diam_abs(b, ref);
    mpfr_mul_ui(b, b, (unsigned long)f, MPFR_RNDU);
    mpfi_mag(m, ref);
    mpfr_add_ui(m, m, 1, MPFR_RNDU);
    mpfr_mul_2si(m, m, -(prec - 24), MPFR_RNDU);
    mpfr_add(b, b, m, MPFR_RNDU);
    checks++;
    if (!(mpfr_cmp(w, b) <= 0)) {
        if (failures < 10)
            mpfr_fprintf(stderr, "FAIL %s (trial %d): width %.6Re, bound %.6Re (MPFI %.6Re)\n", what,
                         trial, w, b, &ref->right);
        failures++;
    }
    mpfr_clears(w, m, b, (mpfr_ptr)0);
}

/* vf_mrtay: every coefficient it writes must contain the 512-bit MPFI coefficients at
 * points of the box, and be about as tight as the MPFI pass at the same precision */
static void test_mrtay(int trial)
{
    int nv = 1 + (int)rnd(4), K = 2 + (int)rnd(40);
    int widths[5] = { 0, 100, 60, 20, 8 }, e = widths[rnd(5)];
    long precs[3] = { 128, 192, 256 }, prec = precs[rnd(3)];
    vf_tape *tp = random_tape(nv);
    vf_taylor hi, ws, ref;
    vf_taylor_init(&hi, tp, K, -1, HP, HP);
    vf_taylor_init(&ws, tp, K, -1, prec, 64);
    vf_taylor_init(&ref, tp, K, -1, prec, 64);
    vf_mrtay *mw = vf_mrtay_new(tp, K, prec);
    mpfi_t *x = malloc(sizeof(mpfi_t) * (size_t)nv), *p = malloc(sizeof(mpfi_t) * (size_t)nv);
    for (int i = 0; i < nv; i++) {
        mpfi_init2(x[i], prec);
        mpfi_init2(p[i], HP);
    }
    random_box(x, nv, e);
    int order = 1 + (int)rnd((unsigned long)K + 1), kn = (int)rnd((unsigned long)order);
    if (!mw || vf_mrtay_run(mw, x, order, &ws, kn)) {
        fprintf(stderr, "FAIL mrtay (trial %d): refused\n", trial);
        failures++;
    } else {
        vf_taylor_run(&ref, x, order, -1);
        for (int q = 0; q < 4; q++) {
            point_of(p, x, nv, q == 0 ? 0 : q == 1 ? 1 : 2);
            vf_taylor_run(&hi, p, order, -1);
            for (int v = 0; v < tp->nnodes; v++)
                for (int k = 0; k <= (v < nv ? order : kn); k++)
                    must_contain("mrtay", trial, vf_taylor_coef(&ws, v, k),
                                 vf_taylor_coef(&hi, v, k));
        }
        for (int v = 0; v < tp->nnodes; v++)
            for (int k = 0; k <= (v < nv ? order : kn); k++)
                must_be_near("mrtay tight", trial, vf_taylor_coef(&ws, v, k),
                             vf_taylor_coef(&ref, v, k), prec, e == 0 || e >= 60 ? 3 : 4);
    }
    for (int i = 0; i < nv; i++) {
        mpfi_clear(x[i]);
        mpfi_clear(p[i]);
    }
    free(x);
    free(p);
    vf_mrtay_free(mw);
    vf_taylor_clear(&hi);
    vf_taylor_clear(&ws);
    vf_taylor_clear(&ref);
    vf_tape_free(tp);
}

/* vf_fr_scaled against MPFR: x 2^G is exact (a power of 2), then MPFR's own floor or
 * ceiling to an integer; random signs, precisions, exponents and trailing bits */
static void test_scaled(int trial)
{
    long precs[4] = { 53, 64, 128, 192 };
    mpfr_t x, y;
    mpfr_init2(x, precs[rnd(4)]);
    mpfr_init2(y, mpfr_get_prec(x));
    mpfr_set_ui(x, 0, MPFR_RNDN);
    for (int i = 0; i < 4; i++) {       /* random bits, sometimes only the top ones */
        mpfr_mul_2ui(x, x, 64, MPFR_RNDN);
        mpfr_add_ui(x, x, rnd(4) ? rng : rnd(8), MPFR_RNDN);
    }
    if (rnd(2))
        mpfr_neg(x, x, MPFR_RNDN);
    if (rnd(16) == 0)
        mpfr_set_zero(x, rnd(2) ? 1 : -1);
    long ex = 62 - (long)rnd(70);       /* |x| 2^G < 2^ex <= 2^62 */
    long G = mpfr_zero_p(x) ? 0 : ex - (long)mpfr_get_exp(x);
    for (int up = 0; up < 2; up++) {
        mpfr_mul_2si(y, x, G, MPFR_RNDN);
        mpfr_rint(y, y, up ? MPFR_RNDU : MPFR_RNDD);
        long want = mpfr_get_si(y, MPFR_RNDN);
        long got = (long)vf_fr_scaled(x, G, up);
        checks++;
        if (got != want) {
            if (failures < 10)
                mpfr_fprintf(stderr, "FAIL scaled (trial %d): %.30Re 2^%ld %s: %ld, not %ld\n",
                             trial, x, G, up ? "up" : "down", got, want);
            failures++;
        }
    }
    mpfr_clear(x);
    mpfr_clear(y);
}

/* vf_fixmat: A P and P^T A (P integers 2^-52, A an interval matrix enclosed by
 * vf_fix_enclose) must contain the exact products (1024-bit MPFI, exact for these
 * sizes) at points of A; and the orthogonality defect of a rotation-like P must bound
 * the exact ||I - P^T P||_inf from above */
static void test_fixmat(int trial)
{
    int n = 1 + (int)rnd(6);
    size_t nn = (size_t)n * n;
    int widths[4] = { 0, 60, 20, 8 }, e = widths[rnd(4)];
    long sc = (long)rnd(81) - 40;       /* overall scale 2^sc */
    mpfi_t *A = malloc(sizeof(mpfi_t) * nn), *out = malloc(sizeof(mpfi_t) * nn);
    mpfi_t *pt = malloc(sizeof(mpfi_t) * nn);
    int64_t *Pm = malloc(sizeof(int64_t) * nn), *lo = malloc(sizeof(int64_t) * nn);
    int64_t *hi = malloc(sizeof(int64_t) * nn);
    __int128 *acc = malloc(sizeof(__int128) * 2 * (size_t)n);
    mpfi_t s, t;
    mpfi_init2(s, 1024);
    mpfi_init2(t, 1024);
    for (size_t i = 0; i < nn; i++) {
        mpfi_init2(A[i], 128);
        mpfi_init2(out[i], 128);        /* the products exactly: a lost unit shows */
        mpfi_init2(pt[i], 1024);
        Pm[i] = (int64_t)rnd((1UL << 53) + 1) - ((int64_t)1 << 52);
        if (rnd(8) == 0)
            Pm[i] = 0;
    }
    random_box(A, (int)nn, e);
    for (size_t i = 0; i < nn; i++) {
        mpfi_mul_2si(A[i], A[i], sc - (long)rnd(30));   /* entries over 30 binades */
        if (rnd(10) == 0)
            mpfi_set_ui(A[i], 0);
    }
    long F = vf_fix_enclose(A, nn, n, lo, hi);
    mpfr_t eps;
    mpfr_init2(eps, 64);
    mpfr_set_ui(eps, 0, MPFR_RNDN);
    if (rnd(2))
        mpfr_set_ui_2exp(eps, 1, -40, MPFR_RNDN);
    for (int which = 0; which < 2 && F != LONG_MIN; which++) {
        if (which == 0)
            vf_fix_mul_ip(n, lo, hi, F, Pm, out, acc);
        else
            vf_fix_mul_tp(n, Pm, lo, hi, F, eps, out, acc);
        for (int q = 0; q < 3; q++) {
            point_of(pt, A, (int)nn, q);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    mpfi_set_ui(s, 0);
                    for (int k = 0; k < n; k++) {
                        /* ip: (A P)_ij = sum_k A_ik P_kj; tp: (P^T A)_ij = sum_k P_ki A_kj */
                        int64_t p = which == 0 ? Pm[(size_t)k * n + j] : Pm[(size_t)k * n + i];
                        mpfi_srcptr a = which == 0 ? pt[(size_t)i * n + k] : pt[(size_t)k * n + j];
                        mpfi_mul_si(t, a, (long)p);
                        mpfi_mul_2si(t, t, -52);
                        mpfi_add(s, s, t);
                    }
                    must_contain(which == 0 ? "fixmat ip" : "fixmat tp", trial,
                                 out[(size_t)i * n + j], s);
                }
        }
    }
    if (F == LONG_MIN) {
        fprintf(stderr, "FAIL fixmat (trial %d): enclosure refused\n", trial);
        failures++;
    }
    /* the defect: ||I - P^T P||_inf exactly (P 2^-52 exact dyadics) */
    mpfr_t d, qn, ex, row;
    mpfr_inits2(64, d, qn, (mpfr_ptr)0);
    mpfr_inits2(1024, ex, row, (mpfr_ptr)0);
    vf_fix_orth_defect(n, Pm, d, qn, acc);
    mpfr_set_ui(ex, 0, MPFR_RNDN);
    for (int i = 0; i < n; i++) {
        mpfr_set_ui(row, 0, MPFR_RNDN);
        for (int j = 0; j < n; j++) {
            mpfi_set_si(s, i == j ? 1 : 0);
            for (int k = 0; k < n; k++) {
                mpfi_set_si(t, (long)Pm[(size_t)k * n + i]);
                mpfi_mul_si(t, t, (long)Pm[(size_t)k * n + j]);
                mpfi_mul_2si(t, t, -104);
                mpfi_sub(s, s, t);
            }
            mpfi_abs(s, s);
            mpfr_add(row, row, &s->right, MPFR_RNDU);
        }
        if (mpfr_cmp(row, ex) > 0)
            mpfr_set(ex, row, MPFR_RNDN);
    }
    checks++;
    if (mpfr_cmp(d, ex) < 0) {
        if (failures < 10)
            mpfr_fprintf(stderr, "FAIL fixmat defect (trial %d): %.10Re < %.10Re\n", trial, d, ex);
        failures++;
    }
    mpfr_clears(d, qn, ex, row, eps, (mpfr_ptr)0);
    for (size_t i = 0; i < nn; i++) {
        mpfi_clear(A[i]);
        mpfi_clear(out[i]);
        mpfi_clear(pt[i]);
    }
    mpfi_clear(s);
    mpfi_clear(t);
    free(A); free(out); free(pt); free(Pm); free(lo); free(hi); free(acc);
}

int main(void)
{
    for (int t = 0; t < 1500; t++)
        test_jac(t);
    for (int t = 0; t < 1500; t++)
        test_fxtay(t);
    for (int t = 0; t < 1500; t++)
        test_mrtay(t);
    for (int t = 0; t < 20000; t++)
        test_scaled(t);
    for (int t = 0; t < 1500; t++)
        test_fixmat(t);
    if (failures) {
        fprintf(stderr, "t-vf-fix: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("t-vf-fix: all %d checks passed\n", checks);
    return 0;
}
