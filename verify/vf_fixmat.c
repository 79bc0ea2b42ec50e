/* vf_fixmat.c — exact fixed-point matrix products for the set representation.
 *
 * The three cubic products of a Lohner step (A B', B'^T B', B'^T (A B')) involve the
 * checker's own coordinate matrix B', which it chooses on the grid 2^-52 Z.  An interval
 * matrix is enclosed outward on a grid 2^-F Z (entries < 2^61), and then every product
 * is an exact sum of 64x64-bit integer products in 128-bit integers: no rounding at all,
 * the only widening is the outward grid rounding.  This is rigorous, and an order of
 * magnitude cheaper than the same products in MPFI.  Results return to MPFI rounded
 * outward.  Valid for n <= 4096 (|sum| < 2^61 2^53 2^12 = 2^126). */
#include <stdlib.h>
#include <limits.h>
#include <math.h>
#include "vf.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define VF_FIX_MAXN 4096
_Static_assert(GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0, "vf_fixmat: 64-bit limbs");

/* r = v * 2^-sh exactly (r needs 128 bits): the normalised magnitude is the
 * significand of a 128-bit MPFR number on the stack (custom interface), copied into r */
static void i128_to_fr(mpfr_t r, i128 v, long sh)
{
    u128 u = v < 0 ? -(u128)v : (u128)v;
    if (u == 0) {
        mpfr_set_zero(r, 1);
        return;
    }
    int z = (u >> 64) ? __builtin_clzll((unsigned long long)(u >> 64))
                      : 64 + __builtin_clzll((unsigned long long)u);
    u <<= z;                            /* top bit set: |v| = 0.u 2^(128 - z) */
    mp_limb_t limbs[2] = { (mp_limb_t)u, (mp_limb_t)(u >> 64) };
    mpfr_t t;
    mpfr_custom_init_set(t, (v < 0 ? -1 : 1) * MPFR_REGULAR_KIND,
                         (mpfr_exp_t)(128 - z) - (mpfr_exp_t)sh, 128, limbs);
    mpfr_set(r, t, MPFR_RNDN);
}

/* dst = [L, H] * 2^-sh, rounded outward to dst's precision */
static void set_fix(mpfi_ptr dst, i128 L, i128 H, long sh, mpfr_t a, mpfr_t b)
{
    i128_to_fr(a, L, sh);
    i128_to_fr(b, H, sh);
    mpfi_interv_fr(dst, a, b);
}

long vf_fix_enclose(mpfi_t *X, size_t cnt, int n, int64_t *lo, int64_t *hi)
{
    if (n > VF_FIX_MAXN)
        return LONG_MIN;
    mpfr_t m, t;
    mpfr_inits2(mpfi_get_prec(X[0]) + 8, m, t, (mpfr_ptr)0);
    mpfr_set_ui(m, 0, MPFR_RNDN);
    long F = LONG_MIN;
    for (size_t i = 0; i < cnt; i++) {
        if (!vf_fi_is_finite(X[i]))
            goto out;
        mpfi_mag(t, X[i]);
        if (mpfr_cmp(t, m) > 0)
            mpfr_set(m, t, MPFR_RNDN);
    }
    F = mpfr_zero_p(m) ? 61 : 61 - (long)mpfr_get_exp(m);    /* |x| 2^F < 2^61 */
    if (F > 4000)
        F = 4000;
    for (size_t i = 0; i < cnt; i++) {           /* exact floor and ceiling */
        lo[i] = vf_fr_scaled(&X[i]->left, F, 0);
        hi[i] = vf_fr_scaled(&X[i]->right, F, 1);
    }
out:
    mpfr_clears(m, t, (mpfr_ptr)0);
    return F;
}

void vf_fix_round(int n, const double *Q, int64_t *Pq, double *Qexact)
{
    for (size_t i = 0; i < (size_t)n * n; i++) {
        Pq[i] = (int64_t)llround(ldexp(Q[i], 52));
        Qexact[i] = ldexp((double)Pq[i], -52);     /* exact: |Pq| < 2^53 */
    }
}

/* out = X P, X interval (scale F), P exact (scale 52) */
void vf_fix_mul_ip(int n, const int64_t *lo, const int64_t *hi, long F, const int64_t *P,
                   mpfi_t *out, i128 *acc)
{
    i128 *L = acc, *H = acc + n;
    mpfr_t a, b;
    mpfr_inits2(128, a, b, (mpfr_ptr)0);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            L[j] = H[j] = 0;
        for (int k = 0; k < n; k++) {
            i128 l = lo[(size_t)i * n + k], h = hi[(size_t)i * n + k];
            if (l == 0 && h == 0)
                continue;
            const int64_t *p = P + (size_t)k * n;
            for (int j = 0; j < n; j++) {
                i128 pj = p[j];
                if (pj >= 0) {
                    L[j] += l * pj;
                    H[j] += h * pj;
                } else {
                    L[j] += h * pj;
                    H[j] += l * pj;
                }
            }
        }
        for (int j = 0; j < n; j++)
            set_fix(out[(size_t)i * n + j], L[j], H[j], F + 52, a, b);
    }
    mpfr_clears(a, b, (mpfr_ptr)0);
}

/* out = P^T X + eps * (sum_k |X_kj|) [-1, 1]: the enclosure of B'^{-1} X when
 * B'^{-1} lies in B'^T + [-eps, eps] entrywise */
void vf_fix_mul_tp(int n, const int64_t *P, const int64_t *lo, const int64_t *hi, long F,
                   mpfr_srcptr eps, mpfi_t *out, i128 *acc)
{
    i128 *L = acc, *H = acc + n;
    mpfr_t a, b, cm;
    mpfr_inits2(128, a, b, (mpfr_ptr)0);
    mpfr_init2(cm, mpfi_get_prec(out[0]));
    mpfi_t e;
    mpfi_init2(e, mpfi_get_prec(out[0]));
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            L[j] = H[j] = 0;
        for (int k = 0; k < n; k++) {
            i128 q = P[(size_t)k * n + i];
            if (q == 0)
                continue;
            const int64_t *l = lo + (size_t)k * n, *h = hi + (size_t)k * n;
            for (int j = 0; j < n; j++) {
                if (q >= 0) {
                    L[j] += q * l[j];
                    H[j] += q * h[j];
                } else {
                    L[j] += q * h[j];
                    H[j] += q * l[j];
                }
            }
        }
        for (int j = 0; j < n; j++)
            set_fix(out[(size_t)i * n + j], L[j], H[j], F + 52, a, b);
    }
    if (!mpfr_zero_p(eps))
        for (int j = 0; j < n; j++) {
            i128 s = 0;
            for (int k = 0; k < n; k++) {
                i128 l = lo[(size_t)k * n + j], h = hi[(size_t)k * n + j];
                s += (l < 0 ? -l : l) > (h < 0 ? -h : h) ? (l < 0 ? -l : l) : (h < 0 ? -h : h);
            }
            i128_to_fr(a, s, F);
            mpfr_mul(cm, a, eps, MPFR_RNDU);
            mpfi_interv_fr(e, cm, cm);
            mpfi_neg(e, e);
            mpfi_put_fr(e, cm);
            for (int i = 0; i < n; i++)
                mpfi_add(out[(size_t)i * n + j], out[(size_t)i * n + j], e);
        }
    mpfi_clear(e);
    mpfr_clears(a, b, cm, (mpfr_ptr)0);
}

/* delta = ||I - P^T P||_inf and qn = ||P^T||_inf, both rounded up (P at scale 52) */
void vf_fix_orth_defect(int n, const int64_t *P, mpfr_t delta, mpfr_t qn, i128 *acc)
{
    i128 *S = acc;
    mpfr_t a, row;
    mpfr_init2(a, 128);
    mpfr_init2(row, mpfr_get_prec(delta));
    mpfr_set_ui(delta, 0, MPFR_RNDU);
    mpfr_set_ui(qn, 0, MPFR_RNDU);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            S[j] = 0;
        i128 cs = 0;
        for (int k = 0; k < n; k++) {
            i128 q = P[(size_t)k * n + i];
            cs += q < 0 ? -q : q;
            if (q == 0)
                continue;
            const int64_t *p = P + (size_t)k * n;
            for (int j = 0; j < n; j++)
                S[j] += q * p[j];
        }
        mpfr_set_ui(row, 0, MPFR_RNDU);
        for (int j = 0; j < n; j++) {
            i128 e = (i == j ? (i128)1 << 104 : 0) - S[j];
            i128_to_fr(a, e < 0 ? -e : e, 104);
            mpfr_add(row, row, a, MPFR_RNDU);
        }
        if (mpfr_cmp(row, delta) > 0)
            mpfr_set(delta, row, MPFR_RNDU);
        i128_to_fr(a, cs, 52);
        if (mpfr_cmp(a, qn) > 0)
            mpfr_set(qn, a, MPFR_RNDU);
    }
    mpfr_clears(a, row, (mpfr_ptr)0);
}
