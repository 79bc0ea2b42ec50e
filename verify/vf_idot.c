/* vf_idot.c — interval dot products with one rounding per endpoint.
 *
 * An interval containing c + sgn * sum_i w_i [a_i] [b_i] (c an optional interval,
 * sgn = +1 or -1, w_i optional nonnegative integer weights).  For each term the
 * endpoints of [a_i] [b_i] are chosen by the sign case of the two factors (both
 * nonnegative, both nonpositive, one of them straddling zero, ...; when both straddle
 * zero all four products are formed and compared exactly).  Every product is EXACT: the
 * integer product of the two significands (schoolbook in 128-bit arithmetic up to 2
 * limbs each, else mpn_mul; times the weight's odd part with its carry limb) held at the full precision of its limbs through MPFR's
 * custom interface, so no bit is ever lost (an exponent outside MPFR's current range
 * sends the whole sum to the fallback).  The lower candidates are summed by one
 * mpfr_sum rounded down into the left endpoint, the upper ones by one mpfr_sum rounded
 * up into the right endpoint.  So the result is the exact interval sum, rounded outward
 * once: it contains every sum of products of points of the intervals, and it is
 * contained in the op-by-op MPFI result at the same precision (whose endpoints are
 * representable bounds of the same exact sum).
 *
 * A NaN or infinite endpoint anywhere sends the sum to the fallback, which is the
 * op-by-op MPFI computation (mpfi_mul, mpfi_mul_ui, mpfi_add/mpfi_sub) and so inherits
 * MPFI's conventions for infinities.  No allocation happens unless the workspace has to
 * grow (a longer sum or longer significands than seen before). */
#include <stdlib.h>
#include "vf.h"

#define LIMB_BITS GMP_NUMB_BITS
_Static_assert(GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0, "vf_idot: 64-bit limbs without nails");

void vf_idot_init(vf_idot_ws *w, size_t cap)
{
    w->cap = 0;
    w->lcap = 0;
    w->slot = NULL;
    w->limbs = NULL;
    w->lo = w->hi = NULL;
    mpfi_init2(w->acc, 64);
    mpfi_init2(w->t, 64);
    mpfr_init2(w->cl, 64);
    mpfr_init2(w->ch, 64);
    vf_idot_reserve(w, cap, 5);
}

void vf_idot_clear(vf_idot_ws *w)
{
    free(w->slot);                      /* custom numbers: nothing to mpfr_clear */
    free(w->limbs);
    free(w->lo);
    free(w->hi);
    mpfi_clear(w->acc);
    mpfi_clear(w->t);
    mpfr_clear(w->cl);
    mpfr_clear(w->ch);
}

void vf_idot_reserve(vf_idot_ws *w, size_t n, size_t l)
{
    if (n <= w->cap && l <= w->lcap)
        return;
    size_t nc = n <= w->cap ? w->cap : n < 2 * w->cap ? 2 * w->cap : n;
    size_t lc = l <= w->lcap ? w->lcap : l;
    if (nc == 0)
        nc = 1;
    if (nc > w->cap) {
        w->slot = vf_realloc(w->slot, sizeof(mpfr_t) * 4 * nc);
        w->lo = vf_realloc(w->lo, sizeof(mpfr_ptr) * (nc + 1));
        w->hi = vf_realloc(w->hi, sizeof(mpfr_ptr) * (nc + 1));
    }
    free(w->limbs);                     /* slots are (re)pointed at every use */
    w->limbs = vf_malloc(sizeof(mp_limb_t) * 4 * nc * lc);
    if (!w->slot || !w->lo || !w->hi || !w->limbs) {
        fprintf(stderr, "polarcert-verify: out of memory\n");
        exit(3);
    }
    w->cap = nc;
    w->lcap = lc;
}

static size_t limbs_of(mpfr_srcptr x)
{
    return (size_t)((mpfr_get_prec(x) + LIMB_BITS - 1) / LIMB_BITS);
}

typedef unsigned __int128 u128;

/* r = x y for significands of at most 2 limbs (the precisions of this checker), by
 * schoolbook in 128-bit arithmetic; anything longer goes to mpn_mul. */
static inline void mul_limbs(mp_limb_t *r, const mp_limb_t *x, size_t nx, const mp_limb_t *y,
                             size_t ny)
{
    if (nx == 2 && ny == 2) {
        u128 p00 = (u128)x[0] * y[0], p01 = (u128)x[0] * y[1];
        u128 p10 = (u128)x[1] * y[0], p11 = (u128)x[1] * y[1];
        u128 mid = (p00 >> 64) + (mp_limb_t)p01 + (mp_limb_t)p10;
        u128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (mp_limb_t)p11;
        r[0] = (mp_limb_t)p00;
        r[1] = (mp_limb_t)mid;
        r[2] = (mp_limb_t)hi;
        r[3] = (mp_limb_t)((hi >> 64) + (p11 >> 64));
    } else if (nx == 1 && ny <= 2) {
        u128 p0 = (u128)x[0] * y[0];
        r[0] = (mp_limb_t)p0;
        if (ny == 1)
            r[1] = (mp_limb_t)(p0 >> 64);
        else {
            u128 p1 = (u128)x[0] * y[1] + (p0 >> 64);
            r[1] = (mp_limb_t)p1;
            r[2] = (mp_limb_t)(p1 >> 64);
        }
    } else if (ny == 1 && nx == 2) {
        mul_limbs(r, y, 1, x, 2);
    } else if (nx >= ny) {
        mpn_mul(r, x, (mp_size_t)nx, y, (mp_size_t)ny);
    } else {
        mpn_mul(r, y, (mp_size_t)ny, x, (mp_size_t)nx);
    }
}

/* s = flip * o * 2^e2 * x * y exactly, as a custom number on buf (room for
 * limbs(x) + limbs(y) + 1 limbs).  x, y finite.  Returns 0, or -1 if the exponent
 * leaves [emin, emax]. */
static int xprod(mpfr_ptr s, mp_limb_t *buf, mpfr_srcptr x, mpfr_srcptr y, unsigned long o,
                 unsigned e2, int flip, mpfr_exp_t emin, mpfr_exp_t emax)
{
    if (mpfr_zero_p(x) || mpfr_zero_p(y)) {
        mpfr_custom_init_set(s, MPFR_ZERO_KIND, 0, LIMB_BITS, buf);
        return 0;
    }
    size_t nx = limbs_of(x), ny = limbs_of(y), L = nx + ny;
    mul_limbs(buf, mpfr_custom_get_significand(x), nx, mpfr_custom_get_significand(y), ny);
    if (o > 1) {                        /* times the odd weight, with its carry limb */
        mp_limb_t cy = 0;
        for (size_t j = 0; j < L; j++) {
            u128 t = (u128)buf[j] * o + cy;
            buf[j] = (mp_limb_t)t;
            cy = (mp_limb_t)(t >> 64);
        }
        if (cy)
            buf[L++] = cy;
    }
    /* the value is buf * 2^(ex + ey - LIMB_BITS (nx + ny)) * 2^e2; normalise the top
     * limb (nonzero: the significands have their top bits set) */
    int cnt = __builtin_clzll((unsigned long long)buf[L - 1]);
    if (cnt) {
        for (size_t j = L - 1; j > 0; j--)
            buf[j] = (buf[j] << cnt) | (buf[j - 1] >> (LIMB_BITS - cnt));
        buf[0] <<= cnt;
    }
    mpfr_exp_t e = mpfr_get_exp(x) + mpfr_get_exp(y) +
                   (mpfr_exp_t)LIMB_BITS * (mpfr_exp_t)(L - nx - ny) - cnt + (mpfr_exp_t)e2;
    if (e < emin || e > emax)
        return -1;
    int sg = mpfr_signbit(x) != mpfr_signbit(y) ? -1 : 1;
    if (flip)
        sg = -sg;
    mpfr_custom_init_set(s, sg * MPFR_REGULAR_KIND, e, (mpfr_prec_t)(LIMB_BITS * L), buf);
    return 0;
}

/* The op-by-op MPFI computation (NaN/infinity, or an exponent out of range). */
static void idot_fallback(mpfi_ptr res, mpfi_srcptr c, int neg, mpfi_srcptr const *a,
                          mpfi_srcptr const *b, const unsigned long *wt, size_t n,
                          vf_idot_ws *w)
{
    mpfr_prec_t p = mpfi_get_prec(res);
    if (mpfi_get_prec(w->acc) != p) {
        mpfi_set_prec(w->acc, p);
        mpfi_set_prec(w->t, p);
    }
    if (c)
        mpfi_set(w->acc, c);
    else
        mpfi_set_ui(w->acc, 0);
    for (size_t i = 0; i < n; i++) {
        mpfi_mul(w->t, a[i], b[i]);
        if (wt)
            mpfi_mul_ui(w->t, w->t, wt[i]);
        if (neg)
            mpfi_sub(w->acc, w->acc, w->t);
        else
            mpfi_add(w->acc, w->acc, w->t);
    }
    mpfi_set(res, w->acc);
}

#define FINITE(x) (mpfr_regular_p(x) || mpfr_zero_p(x))

void vf_idot(mpfi_ptr res, mpfi_srcptr c, int neg, mpfi_srcptr const *a,
             mpfi_srcptr const *b, const unsigned long *wt, size_t n, vf_idot_ws *w)
{
    size_t l = 1;                       /* limbs of the longest exact product */
    for (size_t i = 0; i < n; i++) {
        size_t q = limbs_of(&a[i]->left) + limbs_of(&b[i]->left) + 1;
        if (q > l)
            l = q;
    }
    if (n > w->cap || l > w->lcap)
        vf_idot_reserve(w, n, l);
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    size_t m = 0;                       /* terms that are not exactly zero */
    for (size_t i = 0; i < n; i++) {
        mpfr_srcptr al = &a[i]->left, ah = &a[i]->right;
        mpfr_srcptr bl = &b[i]->left, bh = &b[i]->right;
        if (!FINITE(al) || !FINITE(ah) || !FINITE(bl) || !FINITE(bh))
            goto fallback;
        unsigned long o = wt ? wt[i] : 1;
        unsigned e2 = 0;
        if (o == 0 || (mpfr_zero_p(al) && mpfr_zero_p(ah)) ||
            (mpfr_zero_p(bl) && mpfr_zero_p(bh)))
            continue;                   /* the product is exactly 0 */
        while (!(o & 1)) {              /* w = o 2^e2, o odd */
            o >>= 1;
            e2++;
        }
        mpfr_ptr s0 = w->slot[4 * m], s1 = w->slot[4 * m + 1];
        mp_limb_t *b0 = w->limbs + 4 * m * w->lcap, *b1 = b0 + w->lcap;
        mpfr_srcptr x0, y0, x1, y1;     /* lower = x0 y0, upper = x1 y1 */
        int ca = mpfr_sgn(al) >= 0 ? 1 : mpfr_sgn(ah) <= 0 ? -1 : 0;
        int cb = mpfr_sgn(bl) >= 0 ? 1 : mpfr_sgn(bh) <= 0 ? -1 : 0;
        int bad = 0;
        /* with neg, the lower candidate is -(upper product) and vice versa */
        if (ca == 0 && cb == 0) {
            /* both straddle 0: lower = min(al bh, ah bl), upper = max(al bl, ah bh) */
            mpfr_ptr s2 = w->slot[4 * m + 2], s3 = w->slot[4 * m + 3];
            mp_limb_t *b2 = b1 + w->lcap, *b3 = b2 + w->lcap;
            bad |= xprod(s0, b0, al, bh, o, e2, neg, emin, emax);
            bad |= xprod(s2, b2, ah, bl, o, e2, neg, emin, emax);
            bad |= xprod(s1, b1, al, bl, o, e2, neg, emin, emax);
            bad |= xprod(s3, b3, ah, bh, o, e2, neg, emin, emax);
            if (bad)
                goto fallback;
            mpfr_ptr mn = mpfr_cmp(s0, s2) <= 0 ? s0 : s2, mx = mpfr_cmp(s1, s3) >= 0 ? s1 : s3;
            if (neg) {                  /* s0, s2 hold -(al bh), -(ah bl): the maximum */
                mn = mpfr_cmp(s1, s3) <= 0 ? s1 : s3;
                mx = mpfr_cmp(s0, s2) >= 0 ? s0 : s2;
            }
            w->lo[m] = mn;
            w->hi[m] = mx;
        } else {
            if (ca > 0) {
                if (cb > 0)       { x0 = al; y0 = bl; x1 = ah; y1 = bh; }
                else if (cb < 0)  { x0 = ah; y0 = bl; x1 = al; y1 = bh; }
                else              { x0 = ah; y0 = bl; x1 = ah; y1 = bh; }
            } else if (ca < 0) {
                if (cb > 0)       { x0 = al; y0 = bh; x1 = ah; y1 = bl; }
                else if (cb < 0)  { x0 = ah; y0 = bh; x1 = al; y1 = bl; }
                else              { x0 = al; y0 = bh; x1 = al; y1 = bl; }
            } else {
                if (cb > 0)       { x0 = al; y0 = bh; x1 = ah; y1 = bh; }
                else              { x0 = ah; y0 = bl; x1 = al; y1 = bl; }
            }
            if (neg) {                  /* -[lo, hi] = [-hi, -lo] */
                bad |= xprod(s0, b0, x1, y1, o, e2, 1, emin, emax);
                bad |= xprod(s1, b1, x0, y0, o, e2, 1, emin, emax);
            } else {
                bad |= xprod(s0, b0, x0, y0, o, e2, 0, emin, emax);
                bad |= xprod(s1, b1, x1, y1, o, e2, 0, emin, emax);
            }
            if (bad)
                goto fallback;
            w->lo[m] = s0;
            w->hi[m] = s1;
        }
        m++;
    }
    if (c) {
        if (!FINITE(&c->left) || !FINITE(&c->right))
            goto fallback;
        if (c == res) {                 /* mpfr_sum's output must not be an input */
            mpfr_set_prec(w->cl, mpfr_get_prec(&c->left));
            mpfr_set_prec(w->ch, mpfr_get_prec(&c->right));
            mpfr_set(w->cl, &c->left, MPFR_RNDN);   /* exact: same precision */
            mpfr_set(w->ch, &c->right, MPFR_RNDN);
            w->lo[m] = w->cl;
            w->hi[m] = w->ch;
        } else {
            w->lo[m] = (mpfr_ptr)&c->left;
            w->hi[m] = (mpfr_ptr)&c->right;
        }
        m++;
    }
    mpfr_sum(&res->left, w->lo, m, MPFR_RNDD);
    mpfr_sum(&res->right, w->hi, m, MPFR_RNDU);
    /* MPFI's convention for zero endpoints: [+0, ...] and [..., -0] */
    if (mpfr_zero_p(&res->left))
        mpfr_set_zero(&res->left, 1);
    if (mpfr_zero_p(&res->right))
        mpfr_set_zero(&res->right, -1);
    return;
fallback:
    idot_fallback(res, c, neg, a, b, wt, n, w);
}
