/* t-vf-idot.c — randomised containment test of vf_idot (interval dot products).
 *
 * In the style of Arb's tests: thousands of random interval vectors (random signs,
 * intervals straddling zero, with zero endpoints, points, widths from 0 to huge,
 * lengths 1..64, precisions 53..256 for each factor (the result at 53..256 bits or
 * wider than the exact products), random integer
 * weights, an optional addend, both signs of the sum).  For each the result must
 *   1. contain c + sgn sum w_i x_i y_i, computed exactly in mpq, for random points
 *      x_i in [a_i], y_i in [b_i] (endpoints included), and for the two extremal
 *      choices of corners (the exact minimum and maximum of the sum over the box);
 *   2. be exactly those extremal sums rounded outward once at the result's precision
 *      (no term dropped, no sum rounded the wrong way, no endpoint case mixed up);
 *   3. be contained in the op-by-op MPFI result at the same precision.
 * Inputs with infinite or NaN endpoints must give the op-by-op MPFI result exactly (the
 * fallback), and so must products beyond the exponent range.  Also in-place use
 * (res = c, res = a_i).  Exit 0 = pass.
 * Build: gcc -std=c11 -O2 -o t-vf-idot verify/t-vf-idot.c verify/vf_idot.c
 *        -lmpfi -lmpfr -lgmp   (vf.h includes jansson.h for its other parts) */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

#define NMAX 64
#define ITERS 6000

static gmp_randstate_t rs;
static long failures, checks;

static unsigned long rnd(unsigned long m) { return gmp_urandomm_ui(rs, m); }

/* a random finite number at precision p: random mantissa, exponent in [-emax, emax] */
static void rand_fr(mpfr_t x, long emax)
{
    mpfr_urandomb(x, rs);                        /* [0, 1) */
    if (rnd(8) == 0)                             /* a short mantissa now and then */
        mpfr_prec_round(x, 1 + (mpfr_prec_t)rnd(8), MPFR_RNDN);
    mpfr_mul_2si(x, x, (long)rnd(2 * (unsigned long)emax + 1) - emax, MPFR_RNDN);
    if (rnd(2))
        mpfr_neg(x, x, MPFR_RNDN);
}

/* a random interval at its own precision: sign, zero endpoints, straddling, width */
static void rand_iv(mpfi_t x)
{
    mpfr_prec_t p = mpfi_get_prec(x);
    mpfr_t m, r;
    mpfr_inits2(p, m, r, (mpfr_ptr)0);
    switch (rnd(10)) {
    case 0:                                      /* [0, 0] */
        mpfi_set_ui(x, 0);
        break;
    case 1:                                      /* [0, r] or [-r, 0] */
        rand_fr(r, 8);
        mpfr_abs(r, r, MPFR_RNDN);
        if (rnd(2))
            mpfi_interv_si(x, 0, 0), mpfi_put_fr(x, r);
        else
            mpfr_neg(r, r, MPFR_RNDN), mpfi_interv_si(x, 0, 0), mpfi_put_fr(x, r);
        break;
    case 2:                                      /* a point */
        rand_fr(m, 10);
        mpfi_set_fr(x, m);
        break;
    case 3: case 4:                              /* straddling zero */
        rand_fr(m, 4);
        rand_fr(r, 6);
        mpfr_abs(m, m, MPFR_RNDN);
        mpfr_abs(r, r, MPFR_RNDN);
        mpfr_neg(m, m, MPFR_RNDN);
        mpfi_interv_fr(x, m, r);
        if (mpfr_zero_p(m) && mpfr_zero_p(r))
            mpfi_set_ui(x, 0);
        break;
    default: {                                   /* mid +- width, any scale */
        rand_fr(m, 12);
        rand_fr(r, 4);
        mpfr_abs(r, r, MPFR_RNDN);
        long sh = -(long)rnd(3 * (unsigned long)p);  /* relative width down to 2^-3p */
        if (!mpfr_zero_p(m))
            sh += mpfr_get_exp(m);
        mpfr_mul_2si(r, r, sh, MPFR_RNDN);
        mpfr_t lo, hi;
        mpfr_inits2(p, lo, hi, (mpfr_ptr)0);
        mpfr_sub(lo, m, r, MPFR_RNDD);
        mpfr_add(hi, m, r, MPFR_RNDU);
        mpfi_interv_fr(x, lo, hi);
        mpfr_clears(lo, hi, (mpfr_ptr)0);
        break;
    }
    }
    mpfr_clears(m, r, (mpfr_ptr)0);
}

static void fi_to_q(mpq_t l, mpq_t h, mpfi_srcptr x)
{
    mpfr_get_q(l, &x->left);
    mpfr_get_q(h, &x->right);
}

/* a random point of [l, h]: an endpoint or l + u (h - l), u = k / 2^20 */
static void rand_point(mpq_t x, const mpq_t l, const mpq_t h)
{
    unsigned long c = rnd(4);
    if (c == 0)
        mpq_set(x, l);
    else if (c == 1)
        mpq_set(x, h);
    else {
        mpq_t u;
        mpq_init(u);
        mpq_set_ui(u, rnd(1UL << 20), 1UL << 20);
        mpq_canonicalize(u);
        mpq_sub(x, h, l);
        mpq_mul(x, x, u);
        mpq_add(x, x, l);
        mpq_clear(u);
    }
}

static void fail(const char *what, int it, size_t n)
{
    if (failures < 20)
        fprintf(stderr, "FAIL iteration %d (n = %zu): %s\n", it, n, what);
    failures++;
}

/* op-by-op MPFI: acc = c; acc +-= w_i a_i b_i, at the precision of acc */
static void opbyop(mpfi_ptr acc, mpfi_srcptr c, int neg, mpfi_t *a, mpfi_t *b,
                   const unsigned long *wt, size_t n)
{
    mpfi_t t;
    mpfi_init2(t, mpfi_get_prec(acc));
    if (c)
        mpfi_set(acc, c);
    else
        mpfi_set_ui(acc, 0);
    for (size_t i = 0; i < n; i++) {
        mpfi_mul(t, a[i], b[i]);
        if (wt)
            mpfi_mul_ui(t, t, wt[i]);
        if (neg)
            mpfi_sub(acc, acc, t);
        else
            mpfi_add(acc, acc, t);
    }
    mpfi_clear(t);
}

static int fi_contains_q(mpfi_srcptr x, const mpq_t q)
{
    return mpfr_cmp_q(&x->left, q) <= 0 && mpfr_cmp_q(&x->right, q) >= 0;
}

static void one_test(int it, vf_idot_ws *ws)
{
    size_t n = 1 + rnd(NMAX);
    mpfr_prec_t pa = 53 + (mpfr_prec_t)rnd(204), pb = 53 + (mpfr_prec_t)rnd(204);
    int mixed = rnd(3) == 0;            /* every factor at its own precision */
    /* the result at 53..256 bits, or wide enough that the sum is nearly exact (then a
     * product rounded instead of exact shows in the endpoints) */
    mpfr_prec_t pr = rnd(2) ? 53 + (mpfr_prec_t)rnd(204) : pa + pb + (mixed ? 256 : 0) +
                     (mpfr_prec_t)rnd(64);
    int neg = (int)rnd(2), use_c = rnd(3) == 0, use_w = rnd(3) == 0;
    mpfi_t a[NMAX], b[NMAX], c, r, o;
    mpfi_srcptr pa_[NMAX], pb_[NMAX];
    unsigned long wt[NMAX];
    for (size_t i = 0; i < n; i++) {
        mpfi_init2(a[i], mixed ? 53 + (mpfr_prec_t)rnd(204) : pa);
        mpfi_init2(b[i], mixed ? 53 + (mpfr_prec_t)rnd(204) : pb);
        rand_iv(a[i]);
        rand_iv(b[i]);
        pa_[i] = a[i];
        pb_[i] = b[i];
        wt[i] = rnd(4) == 0 ? rnd(1000) : 1 + rnd(40);
    }
    mpfi_init2(c, 53 + (mpfr_prec_t)rnd(204));
    rand_iv(c);
    mpfi_init2(r, pr);
    mpfi_init2(o, pr);
    vf_idot(r, use_c ? c : NULL, neg, pa_, pb_, use_w ? wt : NULL, n, ws);
    opbyop(o, use_c ? c : NULL, neg, a, b, use_w ? wt : NULL, n);

    /* exact extremal sums: per term the min and max of the four corner products */
    mpq_t lo, hi, s, t, al, ah, bl, bh, cand[4], x, y;
    mpq_inits(lo, hi, s, t, al, ah, bl, bh, cand[0], cand[1], cand[2], cand[3], x, y, NULL);
    if (use_c)
        fi_to_q(lo, hi, c);
    for (size_t i = 0; i < n; i++) {
        fi_to_q(al, ah, a[i]);
        fi_to_q(bl, bh, b[i]);
        mpq_mul(cand[0], al, bl);
        mpq_mul(cand[1], al, bh);
        mpq_mul(cand[2], ah, bl);
        mpq_mul(cand[3], ah, bh);
        int imin = 0, imax = 0;
        for (int k = 1; k < 4; k++) {
            if (mpq_cmp(cand[k], cand[imin]) < 0) imin = k;
            if (mpq_cmp(cand[k], cand[imax]) > 0) imax = k;
        }
        mpq_set(s, cand[neg ? imax : imin]);
        mpq_set(t, cand[neg ? imin : imax]);
        if (use_w) {
            mpq_set_ui(x, wt[i], 1);
            mpq_mul(s, s, x);
            mpq_mul(t, t, x);
        }
        if (neg) {
            mpq_sub(lo, lo, s);
            mpq_sub(hi, hi, t);
        } else {
            mpq_add(lo, lo, s);
            mpq_add(hi, hi, t);
        }
    }
    checks++;
    if (!fi_contains_q(r, lo) || !fi_contains_q(r, hi))
        fail("the exact extremal sums are not contained", it, n);
    /* optimal: exactly the extremal sums rounded outward once */
    mpfr_t e;
    mpfr_init2(e, pr);
    mpfr_set_q(e, lo, MPFR_RNDD);
    if (!mpfr_equal_p(e, &r->left))
        fail("the left endpoint is not the exact lower sum rounded down", it, n);
    mpfr_set_q(e, hi, MPFR_RNDU);
    if (!mpfr_equal_p(e, &r->right))
        fail("the right endpoint is not the exact upper sum rounded up", it, n);
    mpfr_clear(e);
    /* never looser than op by op */
    if (mpfr_cmp(&o->left, &r->left) > 0 || mpfr_cmp(&r->right, &o->right) > 0)
        fail("looser than the op-by-op MPFI result", it, n);
    /* random points */
    for (int rep = 0; rep < 8; rep++) {
        if (use_c) {
            fi_to_q(al, ah, c);
            rand_point(s, al, ah);
        } else
            mpq_set_ui(s, 0, 1);
        for (size_t i = 0; i < n; i++) {
            fi_to_q(al, ah, a[i]);
            fi_to_q(bl, bh, b[i]);
            rand_point(x, al, ah);
            rand_point(y, bl, bh);
            mpq_mul(t, x, y);
            if (use_w) {
                mpq_set_ui(x, wt[i], 1);
                mpq_mul(t, t, x);
            }
            if (neg)
                mpq_sub(s, s, t);
            else
                mpq_add(s, s, t);
        }
        checks++;
        if (!fi_contains_q(r, s))
            fail("a sum at random points is not contained", it, n);
    }
    /* in place: res = c, res = a_0 */
    if (use_c && mpfi_get_prec(c) == pr) {
        mpfi_t c2;
        mpfi_init2(c2, pr);
        mpfi_set(c2, c);
        vf_idot(c2, c2, neg, pa_, pb_, use_w ? wt : NULL, n, ws);
        checks++;
        if (!mpfr_equal_p(&c2->left, &r->left) || !mpfr_equal_p(&c2->right, &r->right))
            fail("res = c in place differs", it, n);
        mpfi_clear(c2);
    }
    if (mpfi_get_prec(a[0]) == pr) {
        mpfi_t a0;
        mpfi_init2(a0, pr);
        mpfi_set(a0, a[0]);
        vf_idot(a[0], use_c ? c : NULL, neg, pa_, pb_, use_w ? wt : NULL, n, ws);
        checks++;
        if (!mpfr_equal_p(&a[0]->left, &r->left) || !mpfr_equal_p(&a[0]->right, &r->right))
            fail("res = a_0 in place differs", it, n);
        mpfi_clear(a0);
    }
    mpq_clears(lo, hi, s, t, al, ah, bl, bh, cand[0], cand[1], cand[2], cand[3], x, y, NULL);
    for (size_t i = 0; i < n; i++) {
        mpfi_clear(a[i]);
        mpfi_clear(b[i]);
    }
    mpfi_clear(c);
    mpfi_clear(r);
    mpfi_clear(o);
}

/* Infinite or NaN endpoints: the op-by-op MPFI result exactly. */
static void test_nonfinite(int it, vf_idot_ws *ws)
{
    size_t n = 1 + rnd(8);
    mpfi_t a[8], b[8], r, o;
    mpfi_srcptr pa_[8], pb_[8];
    for (size_t i = 0; i < n; i++) {
        mpfi_init2(a[i], 128);
        mpfi_init2(b[i], 128);
        rand_iv(a[i]);
        rand_iv(b[i]);
        pa_[i] = a[i];
        pb_[i] = b[i];
    }
    size_t k = rnd(n);
    switch (rnd(4)) {
    case 0: mpfr_set_inf(&a[k]->right, 1); break;
    case 1: mpfr_set_inf(&b[k]->left, -1); break;
    case 2: mpfr_set_nan(&a[k]->left); break;
    default: mpfr_set_inf(&a[k]->left, -1); mpfr_set_inf(&a[k]->right, 1); break;
    }
    int neg = (int)rnd(2);
    mpfi_init2(r, 100);
    mpfi_init2(o, 100);
    vf_idot(r, NULL, neg, pa_, pb_, NULL, n, ws);
    opbyop(o, NULL, neg, a, b, NULL, n);
    checks++;
    int same = (mpfr_nan_p(&r->left) && mpfr_nan_p(&o->left)) ||
               mpfr_equal_p(&r->left, &o->left);
    same &= (mpfr_nan_p(&r->right) && mpfr_nan_p(&o->right)) ||
            mpfr_equal_p(&r->right, &o->right);
    if (!same)
        fail("a non-finite input does not give the op-by-op result", it, n);
    for (size_t i = 0; i < n; i++) {
        mpfi_clear(a[i]);
        mpfi_clear(b[i]);
    }
    mpfi_clear(r);
    mpfi_clear(o);
}

/* Fixed cases: an empty sum, a cancellation to exactly 0, one tiny term after huge
 * ones (a dropped or absorbed term would show). */
static void test_fixed(vf_idot_ws *ws)
{
    mpfi_t a[3], b[3], r;
    mpfi_srcptr pa_[3], pb_[3];
    for (int i = 0; i < 3; i++) {
        mpfi_init2(a[i], 64);
        mpfi_init2(b[i], 64);
        pa_[i] = a[i];
        pb_[i] = b[i];
    }
    mpfi_init2(r, 64);
    vf_idot(r, NULL, 0, pa_, pb_, NULL, 0, ws);
    checks++;
    if (!mpfi_is_zero(r))
        fail("the empty sum is not [0, 0]", -1, 0);
    mpfi_set_si(a[0], 3); mpfi_set_si(b[0], 5);
    mpfi_set_si(a[1], -5); mpfi_set_si(b[1], 3);
    vf_idot(r, NULL, 0, pa_, pb_, NULL, 2, ws);
    checks++;
    if (!mpfi_is_zero(r) || mpfr_signbit(&r->left) || !mpfr_signbit(&r->right))
        fail("3*5 - 5*3 is not [+0, -0]", -1, 2);
    mpfi_set_ui(a[0], 1); mpfi_mul_2si(a[0], a[0], 100); mpfi_set_ui(b[0], 1);
    mpfi_set_si(a[1], -1); mpfi_mul_2si(a[1], a[1], 100); mpfi_set_ui(b[1], 1);
    mpfi_set_ui(a[2], 1); mpfi_mul_2si(a[2], a[2], -100); mpfi_set_ui(b[2], 3);
    vf_idot(r, NULL, 0, pa_, pb_, NULL, 3, ws);
    checks++;
    mpfi_set_ui(a[0], 3);
    mpfi_mul_2si(a[0], a[0], -100);
    if (!mpfr_equal_p(&r->left, &a[0]->left) || !mpfr_equal_p(&r->right, &a[0]->right))
        fail("2^100 - 2^100 + 3 2^-100 is not exact", -1, 3);
    /* products beyond the exponent range (overflow, underflow): the op-by-op result */
    for (int t = 0; t < 4; t++) {
        mpfr_exp_t e = t < 2 ? mpfr_get_emax() - 3 : mpfr_get_emin() + 3;
        mpfi_t o;
        mpfi_init2(o, 64);
        mpfi_set_ui(a[0], 1);
        mpfi_mul_2si(a[0], a[0], (long)e);
        mpfi_set(b[0], a[0]);
        if (t & 1)
            mpfi_neg(b[0], b[0]);
        mpfi_set_si(a[1], -3); mpfi_set_ui(b[1], 7);
        vf_idot(r, NULL, 0, pa_, pb_, NULL, 2, ws);
        opbyop(o, NULL, 0, a, b, NULL, 2);
        checks++;
        if (!mpfr_equal_p(&r->left, &o->left) || !mpfr_equal_p(&r->right, &o->right))
            fail("a product out of the exponent range does not give the op-by-op result",
                 -1, 2);
        mpfi_clear(o);
    }
    for (int i = 0; i < 3; i++) {
        mpfi_clear(a[i]);
        mpfi_clear(b[i]);
    }
    mpfi_clear(r);
}

int main(int argc, char **argv)
{
    unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 10) : 20240611UL;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, seed);
    vf_idot_ws ws;
    vf_idot_init(&ws, 4);               /* small: the growth path is exercised too */
    test_fixed(&ws);
    for (int it = 0; it < ITERS; it++)
        one_test(it, &ws);
    for (int it = 0; it < 500; it++)
        test_nonfinite(it, &ws);
    vf_idot_clear(&ws);
    gmp_randclear(rs);
    if (failures) {
        fprintf(stderr, "t-vf-idot: %ld of %ld checks FAILED (seed %lu)\n", failures,
                checks, seed);
        return 1;
    }
    printf("t-vf-idot: %ld checks passed (seed %lu)\n", checks, seed);
    return 0;
}
