/* vf_mrtay.c — Taylor coefficients over a box in multi-limb midpoint-radius arithmetic.
 *
 * The coefficient pass over the hull X (order K, every node) is the largest single cost
 * of the checker in MPFI: vf_idot forms two exact MPFR products per term and sums them
 * with mpfr_sum, about 27 ns a term whatever the precision.  This pass runs the same
 * recurrences as vf_taylor.c on midpoint-radius numbers whose midpoint is an L-limb
 * floating-point number (L = ceil(prec / 64), so at least the precision of the MPFI pass)
 * and whose radius is a 32-bit upper bound with an exponent: ONE exact L x L limb product
 * per term, summed in an (L + 1)-limb fixed-point accumulator, no MPFR in the loop.
 *
 * Numbers.  x = [m - r, m + r] with
 *   m = sgn * mant * 2^(e - 64 L), mant an L-limb integer with its top bit set (or
 *       sgn = 0: m = 0), so 2^(e-1) <= |m| < 2^e;
 *   r = rm * 2^re, rm < 2^32 an integer (a "mag": every operation on mags rounds up).
 *
 * One recurrence is o = sum_j w_j x_j y_j (w_j < 2^32 nonnegative integer weights; a
 * sign is carried by x_j).  Its enclosure (the proof).  For points xi in x_j, eta in y_j:
 *   |xi eta - m_x m_y| <= |m_x| r_y + r_x |m_y| + r_x r_y = (|m_x| + r_x) r_y + r_x |m_y|.
 * The midpoints: P_j = w_j m_x m_y is exact (2L limbs, times w with a carry limb), and
 * |P_j| < 2^(e_x + e_y + bitlen(w_j)).  With T = max_j (e_x + e_y + bitlen(w_j)) +
 * bitlen(cnt) (cnt the terms with nonzero midpoints), sum_j |P_j| < 2^T.  The accumulator
 * counts units u = 2^(T + 2 - 64 (L + 1)); every |P_j| is truncated (floor of a right
 * shift by at least 64 L - 64 bits: it never needs a left shift) into the positive or the
 * negative accumulator, with an error below one unit each; both stay below
 * 2^(64 (L + 1) - 2) units, so nothing overflows.  Their difference D is exact, and its
 * top 64 L bits give the new midpoint, truncated with an error below one unit in its last
 * place 2^(e_o - 64 L).  So
 *   o in [m_o - r_o, m_o + r_o],
 *   r_o = sum_j w_j ((|m_x| + r_x) r_y + r_x |m_y|) + cnt u + 2^(e_o - 64 L).
 * Each number carries mags ma >= |m| ((top 32 bits + 1) 2^(e - 32)) and mt >= ma + r, so
 * a radius term is two exact products of 32-bit mantissas times w (< 2^96); they are
 * summed in 128 bits at the scale of the largest, each shifted down with a ceiling
 * (+1), and the sum is rounded up to a mag, as are the two error terms.
 *
 * Order-0 exp, the reciprocal of a quotient's denominator and 1/k go through MPFI at
 * 64 L + 64 bits (rounded outward) and back.  Anything outside the representation
 * (non-finite values, exponents beyond +-2^40, an operation without a rule here, L > 4)
 * returns -1: the caller then uses vf_taylor.c.  The results go back into the MPFI
 * coefficient array of a vf_taylor workspace (rounded outward to its precision), where
 * the step and vf_jac.c read them. */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "vf.h"

#define LMAX 4
/* Exponents are kept within +-EBIG: far inside MPFR's default range +-(2^30 - 1), so
 * that the sums, products and conversions at the interface (mr_from, mr_to) stay finite
 * and in range; anything larger falls back to MPFI. */
#define EBIG (1L << 28)
_Static_assert(GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0, "vf_mrtay: 64-bit limbs");

typedef unsigned __int128 u128;

typedef struct {
    uint64_t m;             /* 0, or in [2^31, 2^32) */
    long e;                 /* value m 2^e */
} mag;

typedef struct {
    mp_limb_t mant[LMAX];
    long e;
    int sgn;
    mag r;
    mag ma, mt;             /* >= |m| and >= |m| + r (set with the number: mr_finish) */
} mr;


struct vf_mrtay {
    const vf_tape *tp;
    int K, L;
    mr *val;                /* node v, order k: val[v * (K + 2) + k] */
    mr *cst;
    mr *inv;                /* 1/k */
    mr *dinv;               /* quotient nodes: 1/b_0 of the current run */
    mr one;
    char *isc;
    const mr **px, **py;
    unsigned *wt;
    int cap;
    mpfi_t a;
    mpfr_t t, d;
};

#define V(w, v, k) ((w)->val[(size_t)(v) * ((w)->K + 2) + (k)])

/* ---------- mags: upper bounds ---------- */

static inline int bitlen64(uint64_t x)
{
    return x ? 64 - __builtin_clzll(x) : 0;
}

/* the mag >= m 2^e (m < 2^64) */
static inline mag mag_make(uint64_t m, long e)
{
    mag z;
    if (m == 0) {
        z.m = 0;
        z.e = 0;
        return z;
    }
    int b = bitlen64(m);
    if (b > 32) {
        int s = b - 32;
        uint64_t q = m >> s;
        if (q << s != m)
            q++;                        /* ceiling: may reach 2^32 */
        e += s;
        if (q >> 32) {
            q = (q + 1) >> 1;           /* q = 2^32 exactly: halving is exact */
            e++;
        }
        m = q;
    } else {
        m <<= 32 - b;
        e -= 32 - b;
    }
    z.m = m;
    z.e = e;
    return z;
}

static inline mag mag_add(mag a, mag b)
{
    if (a.m == 0)
        return b;
    if (b.m == 0)
        return a;
    if (a.e < b.e) {
        mag t = a;
        a = b;
        b = t;
    }
    /* a.e >= b.e: at scale 2^(a.e - 30) a is a.m 2^30 < 2^62 and b at most as large */
    long d = a.e - b.e;
    uint64_t s = a.m << 30;
    if (d <= 30)
        s += b.m << (30 - d);
    else
        s += d - 30 < 64 ? (b.m >> (d - 30)) + 1 : 1;   /* ceiling */
    return mag_make(s, a.e - 30);
}

static inline mag mag_max(mag a, mag b)
{
    if (a.m == 0)
        return b;
    if (b.m == 0)
        return a;
    return (a.e > b.e || (a.e == b.e && a.m >= b.m)) ? a : b;   /* both normalised */
}

/* the mag >= |m| of x */
static inline mag mag_mid(const mr *x, int L)
{
    if (x->sgn == 0)
        return mag_make(0, 0);
    return mag_make((x->mant[L - 1] >> 32) + 1, x->e - 32);
}

/* the bounds ma, mt of a number whose m and r are set */
static inline void mr_finish(mr *x, int L)
{
    x->ma = mag_mid(x, L);
    x->mt = mag_add(x->ma, x->r);
}

/* the mag >= v 2^e */
static inline mag mag_from_u128(u128 v, long e)
{
    uint64_t hi = (uint64_t)(v >> 64);
    if (hi == 0)
        return mag_make((uint64_t)v, e);
    int s = bitlen64(hi);               /* v < 2^(64 + s): keep its top 64 bits, ceiling */
    uint64_t q = (uint64_t)(v >> s);
    if (((u128)q << s) != v)
        q++;
    if (q == 0)                         /* q overflowed from 2^64 - 1 */
        return mag_make((uint64_t)1 << 63, e + s + 1);
    return mag_make(q, e + s);
}

/* ---------- conversions ---------- */

static void mr_zero(mr *x)
{
    memset(x, 0, sizeof *x);
}

/* mag >= the nonnegative finite x (precision <= 64) */
static mag mag_from_fr(mpfr_srcptr x)
{
    if (mpfr_zero_p(x))
        return mag_make(0, 0);
    const mp_limb_t *p = mpfr_custom_get_significand(x);
    size_t n = (size_t)((mpfr_get_prec(x) + 63) / 64);
    return mag_make((p[n - 1] >> 32) + 1, (long)mpfr_get_exp(x) - 32);
}

/* s encloses the interval x; -1 if x is not finite or its exponents are huge */
static int mr_from(vf_mrtay *w, mr *s, mpfi_srcptr x)
{
    int L = w->L;
    mr_zero(s);
    if (!vf_fi_is_finite(x))
        return -1;
    if (mpfr_zero_p(&x->left) && mpfr_zero_p(&x->right))
        return 0;
    /* endpoints with huge exponents fall back (so that t and d below stay finite) */
    if ((!mpfr_zero_p(&x->left) && labs((long)mpfr_get_exp(&x->left)) > EBIG) ||
        (!mpfr_zero_p(&x->right) && labs((long)mpfr_get_exp(&x->right)) > EBIG))
        return -1;
    /* t = mid at 64 L bits; r >= max(right - t, t - left) */
    mpfr_add(w->t, &x->left, &x->right, MPFR_RNDN);
    mpfr_div_2ui(w->t, w->t, 1, MPFR_RNDN);
    mpfr_sub(w->d, &x->right, w->t, MPFR_RNDU);
    mag r1 = mpfr_sgn(w->d) > 0 ? mag_from_fr(w->d) : mag_make(0, 0);
    mpfr_sub(w->d, w->t, &x->left, MPFR_RNDU);
    mag r2 = mpfr_sgn(w->d) > 0 ? mag_from_fr(w->d) : mag_make(0, 0);
    s->r = mag_max(r1, r2);
    if (!mpfr_zero_p(w->t)) {
        long e = (long)mpfr_get_exp(w->t);
        if (e > EBIG || e < -EBIG)
            return -1;
        memcpy(s->mant, mpfr_custom_get_significand(w->t), sizeof(mp_limb_t) * (size_t)L);
        s->e = e;
        s->sgn = mpfr_sgn(w->t) > 0 ? 1 : -1;
    }
    if (s->r.m && (s->r.e > EBIG || s->r.e < -EBIG))
        return -1;
    mr_finish(s, L);
    return 0;
}

/* x = an interval containing s (rounded outward to x's precision) */
static void mr_to(vf_mrtay *w, mpfi_ptr x, const mr *s)
{
    mpfr_t m;
    if (s->sgn)
        mpfr_custom_init_set(m, s->sgn * MPFR_REGULAR_KIND, s->e, (mpfr_prec_t)(64 * w->L),
                             (void *)s->mant);
    else
        mpfr_custom_init_set(m, MPFR_ZERO_KIND, 0, (mpfr_prec_t)(64 * w->L), (void *)s->mant);
    mpfr_set_ui_2exp(w->d, s->r.m, s->r.e, MPFR_RNDU);  /* exact: 64 bits */
    mpfr_sub(&x->left, m, w->d, MPFR_RNDD);
    mpfr_add(&x->right, m, w->d, MPFR_RNDU);
    if (mpfr_zero_p(&x->left))          /* MPFI's convention for zero endpoints */
        mpfr_set_zero(&x->left, 1);
    if (mpfr_zero_p(&x->right))
        mpfr_set_zero(&x->right, -1);
}

/* ---------- the dot product ---------- */

/* r (2 L limbs) = x y exactly (schoolbook in 128-bit arithmetic for two limbs) */
static inline void mul_mant(mp_limb_t *r, const mp_limb_t *x, const mp_limb_t *y, int L)
{
    if (L == 2) {
        u128 p00 = (u128)x[0] * y[0], p01 = (u128)x[0] * y[1];
        u128 p10 = (u128)x[1] * y[0], p11 = (u128)x[1] * y[1];
        u128 mid = (p00 >> 64) + (mp_limb_t)p01 + (mp_limb_t)p10;
        u128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (mp_limb_t)p11;
        r[0] = (mp_limb_t)p00;
        r[1] = (mp_limb_t)mid;
        r[2] = (mp_limb_t)hi;
        r[3] = (mp_limb_t)((hi >> 64) + (p11 >> 64));
    } else {                            /* GMP's basecase: faster than an unrolled
                                         * schoolbook at 3 and 4 limbs (measured) */
        mpn_mul_n(r, x, y, L);
    }
}

/* o = sum_{j<n} (j < nf ? 1 : -1) wt_j x_j y_j (wt NULL: all 1); o may alias no x_j
 * or y_j. */
static inline __attribute__((always_inline))
int mrdot_L(mr *o, const mr *const *x, const mr *const *y, const unsigned *wt, int n,
            int nf, const int L)
{
    const int NA = L + 1;
    long T = LONG_MIN;
    int cnt = 0;
    /* the radius terms w ((|m_x| + r_x) r_y + r_x |m_y|) are exact products v 2^e
     * (v < 2^96), summed at the scale of the largest e with ceilings: a first pass for
     * the largest e (and T), a second for the sum */
    long remax = LONG_MIN;
    for (int j = 0; j < n; j++) {
        unsigned wj = wt ? wt[j] : 1;
        if (wj == 0)
            continue;
        const mr *a = x[j], *b = y[j];
        if (a->sgn && b->sgn) {
            long tj = a->e + b->e + bitlen64(wj);
            if (tj > T)
                T = tj;
            cnt++;
        }
        if (a->mt.m && b->r.m && a->mt.e + b->r.e > remax)
            remax = a->mt.e + b->r.e;
        if (a->r.m && b->ma.m && a->r.e + b->ma.e > remax)
            remax = a->r.e + b->ma.e;
    }
    mag rad = mag_make(0, 0);
    if (remax != LONG_MIN) {
        u128 racc = 0;                  /* < 2 n (2^96 + 1) */
        for (int j = 0; j < n; j++) {
            unsigned wj = wt ? wt[j] : 1;
            const mr *a = x[j], *b = y[j];
            if (wj == 0)
                continue;
            if (a->mt.m && b->r.m) {
                u128 v = (u128)(a->mt.m * b->r.m) * wj;
                long d = remax - (a->mt.e + b->r.e);
                racc += d == 0 ? v : d < 128 ? (v >> d) + 1 : 1;
            }
            if (a->r.m && b->ma.m) {
                u128 v = (u128)(a->r.m * b->ma.m) * wj;
                long d = remax - (a->r.e + b->ma.e);
                racc += d == 0 ? v : d < 128 ? (v >> d) + 1 : 1;
            }
        }
        rad = mag_from_u128(racc, remax);
    }
    o->sgn = 0;
    o->e = 0;
    if (cnt) {
        T += bitlen64((uint64_t)cnt);
        mp_limb_t pos[LMAX + 1], neg[LMAX + 1], prod[2 * LMAX + 1];
        memset(pos, 0, sizeof pos);
        memset(neg, 0, sizeof neg);
        long ubase = T + 2 - 64L * NA;  /* unit u = 2^ubase */
        for (int j = 0; j < n; j++) {
            unsigned wj = wt ? wt[j] : 1;
            if (wj == 0 || !x[j]->sgn || !y[j]->sgn)
                continue;
            int np = 2 * L;
            mul_mant(prod, x[j]->mant, y[j]->mant, L);
            if (wj != 1) {              /* times the weight, with its carry limb */
                mp_limb_t cy = 0;
                for (int i = 0; i < np; i++) {
                    u128 t = (u128)prod[i] * wj + cy;
                    prod[i] = (mp_limb_t)t;
                    cy = (mp_limb_t)(t >> 64);
                }
                prod[np++] = cy;
            }
            /* prod 2^(e_x + e_y - 128 L) in units: a right shift by s >= 64 L - 60 */
            long s = ubase - (x[j]->e + y[j]->e - 128L * L);
            long q = s / 64;
            int b = (int)(s % 64);
            if (q >= np)
                continue;               /* below one unit: dropped, error < 1 unit */
            /* the limbs of floor(prod / 2^s) (zero beyond np) */
            mp_limb_t sh[LMAX + 1];
            for (int i = 0; i < NA; i++) {
                long lo = q + i;
                mp_limb_t l0 = lo < np ? prod[lo] : 0, l1 = lo + 1 < np ? prod[lo + 1] : 0;
                sh[i] = b ? (l0 >> b) | (l1 << (64 - b)) : l0;
            }
            for (long i = q + NA; i < np; i++)   /* cannot happen by the choice of T */
                if ((i == q + NA && b ? prod[i] >> b : prod[i]) != 0)
                    return -1;
            mp_limb_t *acc = ((x[j]->sgn == y[j]->sgn) == (j < nf)) ? pos : neg;
            unsigned char c = 0;
            for (int i = 0; i < NA; i++) {
                unsigned long long r;
                /* two statements: the carry-in must be added after the first sum */
                unsigned char c1 = (unsigned char)__builtin_uaddll_overflow(acc[i], sh[i], &r);
                unsigned char c2 = (unsigned char)__builtin_uaddll_overflow(r, c, &r);
                c = c1 | c2;
                acc[i] = r;
            }
            if (c)
                return -1;
        }
        int sg = mpn_cmp(pos, neg, NA);
        mp_limb_t D[LMAX + 1];
        if (sg >= 0)
            mpn_sub_n(D, pos, neg, NA);
        else
            mpn_sub_n(D, neg, pos, NA);
        /* truncation errors: below cnt units */
        rad = mag_add(rad, mag_make((uint64_t)cnt, ubase));
        int top = NA - 1;
        while (top >= 0 && D[top] == 0)
            top--;
        if (top >= 0) {
            /* normalise: the top bit of D to bit 64 NA - 1, keep the top L limbs */
            long nb = 64L * top + bitlen64(D[top]);     /* D < 2^nb */
            int z = (int)(64L * NA - nb);
            mp_limb_t N[LMAX + 2];
            memset(N, 0, sizeof N);
            int zl = z / 64, zb = z % 64;
            /* N = D << z, over NA limbs */
            if (zb)
                mpn_lshift(N + zl, D, NA - zl, (unsigned)zb);
            else
                memcpy(N + zl, D, sizeof(mp_limb_t) * (size_t)(NA - zl));
            memcpy(o->mant, N + 1, sizeof(mp_limb_t) * (size_t)L);
            o->e = ubase + nb;
            o->sgn = sg >= 0 ? 1 : -1;
            if (N[0])                   /* the dropped low limb: below one ulp */
                rad = mag_add(rad, mag_make(1, o->e - 64L * L));
            if (o->e > EBIG || o->e < -EBIG)
                return -1;
        }
    }
    o->r = rad;
    if (o->r.m && (o->r.e > EBIG || o->r.e < -EBIG))
        return -1;
    mr_finish(o, L);
    return 0;
}

/* mrdot_L for the limb count of w, a constant in each copy (unrolled loops) */
static int mrdot(vf_mrtay *w, mr *o, const mr *const *x, const mr *const *y,
                 const unsigned *wt, int n, int nf)
{
    switch (w->L) {
    case 2: return mrdot_L(o, x, y, wt, n, nf, 2);
    case 3: return mrdot_L(o, x, y, wt, n, nf, 3);
    default: return mrdot_L(o, x, y, wt, n, nf, 4);
    }
}

static int mrmul(vf_mrtay *w, mr *o, const mr *x, const mr *y)
{
    return mrdot(w, o, &x, &y, NULL, 1, 1);
}

/* ---------- the workspace ---------- */

int vf_mrtay_limbs(long prec)
{
    return (int)((prec + 63) / 64);
}

/* Measured on crossent-5x6 (128 bits): the coefficient passes over X and at c took 2.4 s
 * in MPFI and 1.1 s here (perf, one run each): about half the work of the MPFI pass. */
double vf_mrtay_work_factor(long prec)
{
    return vf_mrtay_limbs(prec) <= LMAX ? 0.5 : 1.0;
}

vf_mrtay *vf_mrtay_new(const vf_tape *tp, int K, long prec)
{
    int L = vf_mrtay_limbs(prec);
    if (L < 2)
        L = 2;
    if (L > LMAX)
        return NULL;
    vf_mrtay *w = vf_calloc(1, sizeof *w);
    int nn = tp->nnodes;
    w->tp = tp;
    w->K = K;
    w->L = L;
    w->val = vf_calloc((size_t)nn * (size_t)(K + 2), sizeof(mr));
    w->cst = vf_calloc((size_t)tp->nconsts + 1, sizeof(mr));
    w->inv = vf_calloc((size_t)K + 3, sizeof(mr));
    w->isc = vf_calloc((size_t)nn, 1);
    w->cap = 2 * K + 8;
    for (int v = 0; v < nn; v++)
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > w->cap)
            w->cap = tp->nodes[v].nargs + 1;
    w->dinv = vf_calloc((size_t)nn, sizeof(mr));
    w->px = vf_malloc(sizeof(mr *) * (size_t)w->cap);
    w->py = vf_malloc(sizeof(mr *) * (size_t)w->cap);
    w->wt = vf_malloc(sizeof(unsigned) * (size_t)w->cap);
    mpfi_init2(w->a, 64 * L + 64);
    mpfr_init2(w->t, 64 * L);
    mpfr_init2(w->d, 64);
    w->one.sgn = 1;
    w->one.e = 1;
    w->one.mant[L - 1] = (mp_limb_t)1 << 63;
    mr_finish(&w->one, L);
    for (int i = 0; i < tp->nconsts; i++) {
        mpfi_set_q(w->a, tp->consts[i]);
        if (mr_from(w, &w->cst[i], w->a))
            w->cst[i].e = LONG_MIN;     /* unusable: a run that needs it fails */
    }
    for (int k = 1; k <= K + 2; k++) {
        mpfi_set_ui(w->a, 1);
        mpfi_div_ui(w->a, w->a, (unsigned long)k);
        mr_from(w, &w->inv[k], w->a);
    }
    for (int v = 0; v < nn; v++) {
        const vf_node *nd = &tp->nodes[v];
        int c = nd->op != OP_VAR;
        switch (nd->op) {
        case OP_VAR: case OP_CONST: break;
        case OP_SUM:
            for (int i = 0; i < nd->nargs; i++)
                c &= w->isc[tp->args[nd->arg0 + i]];
            break;
        case OP_NEG: case OP_EXP: case OP_LOG: case OP_SQR: c &= w->isc[nd->a]; break;
        default: c &= w->isc[nd->a] & w->isc[nd->b];
        }
        w->isc[v] = (char)c;
    }
    return w;
}

/* MUST FOLLOW vf_mrtay_new: values, constants, 1/k, flags, 1/b_0, the terms, MPFR. */
double vf_mrtay_bytes(const vf_tape *tp, int K)
{
    double cap = 2.0 * K + 8;
    for (int v = 0; v < tp->nnodes; v++)
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > cap)
            cap = tp->nodes[v].nargs + 1;
    return sizeof(vf_mrtay) + (double)tp->nnodes * (K + 2) * sizeof(mr)
           + (tp->nconsts + 1.0 + K + 3) * sizeof(mr) + (double)tp->nnodes * (1 + sizeof(mr))
           + cap * (sizeof(mr) + 2 * sizeof(void *) + sizeof(unsigned))
           + 3 * vf_mpfi_bytes(64 * LMAX + 64);
}

void vf_mrtay_free(vf_mrtay *w)
{
    if (!w)
        return;
    free(w->val);
    free(w->cst);
    free(w->inv);
    free(w->isc);
    free(w->dinv);
    free(w->px);
    free(w->py);
    free(w->wt);
    mpfi_clear(w->a);
    mpfr_clear(w->t);
    mpfr_clear(w->d);
    free(w);
}

/* node v at order k from lower nodes and orders (the recurrences of vf_taylor.c) */
static int coef(vf_mrtay *w, int v, int k)
{
    const vf_tape *tp = w->tp;
    const vf_node *nd = &tp->nodes[v];
    mr *dst = &V(w, v, k);
    const mr **px = w->px, **py = w->py;
    unsigned *wt = w->wt;
    int a = nd->a, b = nd->b, m = 0;
    mr t;
    switch (nd->op) {
    case OP_VAR:
        return 0;
    case OP_CONST:
        if (k > 0) {
            mr_zero(dst);
            return 0;
        }
        *dst = w->cst[nd->a];
        return dst->e == LONG_MIN ? -1 : 0;
    case OP_ADD: case OP_SUB:
        px[0] = &V(w, a, k);
        px[1] = &V(w, b, k);
        py[0] = py[1] = &w->one;
        return mrdot(w, dst, px, py, NULL, 2, nd->op == OP_SUB ? 1 : 2);
    case OP_NEG:
        *dst = V(w, a, k);
        dst->sgn = -dst->sgn;
        return 0;
    case OP_SUM:
        for (int i = 0; i < nd->nargs; i++) {
            px[i] = &V(w, tp->args[nd->arg0 + i], k);
            py[i] = &w->one;
        }
        return mrdot(w, dst, px, py, NULL, nd->nargs, nd->nargs);
    case OP_MUL:
        if (w->isc[a])
            return mrmul(w, dst, &V(w, a, 0), &V(w, b, k));
        if (w->isc[b])
            return mrmul(w, dst, &V(w, a, k), &V(w, b, 0));
        for (int i = 0; i <= k; i++) {
            px[i] = &V(w, a, i);
            py[i] = &V(w, b, k - i);
        }
        return mrdot(w, dst, px, py, NULL, k + 1, k + 1);
    case OP_SQR:
        for (int i = 0; 2 * i <= k; i++) {
            px[m] = &V(w, a, i);
            py[m] = &V(w, a, k - i);
            wt[m++] = 2 * i < k ? 2 : 1;
        }
        return mrdot(w, dst, px, py, wt, m, m);
    case OP_DIV:
        /* q_k = (a_k - sum_{i<k} q_i b_{k-i}) (1/b_0), 1/b_0 through MPFI at order 0 */
        if (k == 0) {
            mr_to(w, w->a, &V(w, b, 0));
            mpfi_ui_div(w->a, 1, w->a);
            if (mr_from(w, &w->dinv[v], w->a))
                return -1;
        }
        if (k == 0 || w->isc[b])
            return mrmul(w, dst, &V(w, a, k), &w->dinv[v]);
        px[m] = &V(w, a, k);
        py[m++] = &w->one;
        for (int i = 0; i < k; i++) {
            px[m] = &V(w, v, i);            /* negated: terms from 1 on */
            py[m++] = &V(w, b, k - i);
        }
        if (mrdot(w, &t, px, py, NULL, m, 1))
            return -1;
        return mrmul(w, dst, &t, &w->dinv[v]);
    case OP_EXP:
        if (k == 0) {
            mr_to(w, w->a, &V(w, a, 0));
            mpfi_exp(w->a, w->a);
            return mr_from(w, dst, w->a);
        }
        /* e_k = (1/k) sum_{i=1..k} i a_i e_{k-i} */
        for (int i = 1; i <= k; i++) {
            px[m] = &V(w, a, i);
            py[m] = &V(w, v, k - i);
            wt[m++] = (unsigned)i;
        }
        if (mrdot(w, &t, px, py, wt, m, m))
            return -1;
        return mrmul(w, dst, &t, &w->inv[k]);
    default:
        return -1;
    }
}

int vf_mrtay_run(vf_mrtay *w, mpfi_t *x0, int order, vf_taylor *ws, int kn)
{
    if (!w || order > w->K + 1 || ws->K < w->K || kn >= order)
        return -1;
    const vf_tape *tp = w->tp;
    int nv = tp->nvars;
    for (int i = 0; i < nv; i++)
        if (mr_from(w, &V(w, i, 0), x0[i]))
            return -1;
    for (int k = 0; k < order; k++) {
        for (int v = nv; v < tp->nnodes; v++)
            if (coef(w, v, k))
                return -1;
        for (int i = 0; i < nv; i++)        /* x_{k+1} = f_k / (k + 1) */
            if (mrmul(w, &V(w, i, k + 1), &V(w, tp->out[i], k), &w->inv[k + 1]))
                return -1;
    }
    for (int i = 0; i < nv; i++)
        for (int k = 0; k <= order; k++)
            mr_to(w, vf_taylor_coef(ws, i, k), &V(w, i, k));
    for (int v = nv; v < tp->nnodes; v++)
        if (tp->nodes[v].op != OP_CONST)
            for (int k = 0; k <= kn; k++)
                mr_to(w, vf_taylor_coef(ws, v, k), &V(w, v, k));
    return 0;
}
