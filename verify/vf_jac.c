/* vf_jac.c — the Jacobian of the step's Taylor polynomial in exact fixed point.
 *
 * The Lohner step needs A = sum_{k<=J} D x_k(X) h^k, the derivatives of the low Taylor
 * coefficients with respect to the initial state, over the hull X.  Forward-mode AD
 * carries, for every node v and order k <= J, its tangent: the vector of d v_k / d x0_j
 * over the directions j the node depends on (the ranges of vf_taylor's analysis).
 * Every tangent recurrence (sum, product, quotient, exp; FORMAT.md's field has no
 * other operation on a derivative path) is ONE linear combination
 *
 *     out = sum_j s_j T_j        s_j an interval scalar, T_j a tangent,
 *
 * whose scalars are the Taylor coefficients over X that vf_taylor_run has already
 * enclosed (in MPFI); so only the tangents are new, and they are held in fixed point.
 *
 * Representation (all integers, no floating point):
 *   scalar   [c - r, c + r] 2^-G          |c|, r <= 2^62
 *   tangent  entry d in [m_d - R_d, m_d + R_d] 2^-F (one scale F per vector, a radius
 *            per entry: over a wide box the entries' radii differ by orders of
 *            magnitude, and one shared radius loses a factor 2-3 in A), with
 *            |m_d| + R_d < 2^62; M = max_d (|m_d| + R_d) is kept with it.
 *
 * Error bound of one linear combination (the proof of its enclosure).  For points
 * sigma in s_j and tau_d in T_{j,d}:
 *   |sigma tau - c m_d 2^-(G+F)| <= (|c| R_d + r (|m_d| + R_d)) 2^-(G+F)     (1)
 * and |sigma tau| <= (|c| + r) M 2^-(G+F) < 2^(E_j),
 *   E_j = bitlen(|c| + r) + bitlen(M) - G - F.
 * The output scale is F_o = 61 - max_j E_j - bitlen(cnt) (cnt = number of nonzero
 * terms), so that every sum of points is below 2^61 in units of 2^-F_o.  Each exact
 * 128-bit product c m_d (|c m_d| < 2^124) is brought to the output scale by
 * sh = G + F - F_o: a left shift (exact) when sh <= 0, else the floor of a right
 * shift, which errs by less than one unit (and a term with sh >= 127 is below a
 * quarter unit and is dropped, again less than one unit).  So
 *   sum_j sigma_j tau_{j,d} in [acc_d - R_d', acc_d + R_d'] 2^-F_o,
 *   R_d' = sum_j (floor((1) in units of 2^-F_o) + 1) + (number of right-shifted terms),
 * with every sum exact in 128-bit integers (|acc_d| + R_d' <= 2^61 + 3 cnt < 2^62).
 * The matrix A is the Horner sum ((D_J h + D_{J-1}) h + ...) + D_0, each stage one
 * such combination with the scalars h and 1; its entries go to MPFI exactly (or
 * rounded outward if jac_prec < 64).  The relative accuracy is about 2^-55 of each
 * combination's magnitude bound: ample, A only multiplies the set's width.
 *
 * Anything outside this representation (a non-finite coefficient, an operation
 * without a rule here, sizes beyond the bounds) makes vf_jac_matrix return -1, and the
 * step falls back to the MPFI derivatives of vf_taylor_run. */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "vf.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define CF(ws, v, k) ((ws)->c[(size_t)(v) * ((ws)->K + 2) + (k)])
#define TWO62 ((uint64_t)1 << 62)

/* a tangent: entries [m_d - R_d, m_d + R_d] 2^-F for d in [lo, hi) (zero elsewhere) */
typedef struct {
    int64_t *m;
    uint64_t *R;
    int lo, hi;
    long F;
    uint64_t M;             /* max_d |m_d| + R_d; 0: the zero vector */
} vf_fxv;

/* an interval scalar [c - r, c + r] 2^-G */
typedef struct {
    int64_t c;
    uint64_t r;
    long G;
} vf_fxs;

struct vf_jac {
    const vf_taylor *ws;
    int J, nn;
    vf_fxv *t;              /* node v, order k: t[v * (J + 1) + k]; m == NULL: no tangent */
    int64_t *store;
    uint64_t *rstore;
    vf_fxv tmp[2];          /* Horner stages */
    int64_t *tmpm;
    uint64_t *tmpr;
    i128 *acc;
    u128 *racc;
    int cap;                /* terms */
    vf_fxs *sc;
    const vf_fxv **tv;
    mpfi_t a, b;            /* scalars in MPFI at the coefficients' precision */
    mpfr_t e;
};

static int bitlen(u128 x)
{
    int n = 0;
    while (x >> 64) {
        x >>= 64;
        n += 64;
    }
    return (uint64_t)x ? n + 64 - __builtin_clzll((uint64_t)x) : n;
}

/* s encloses x (see the header); -1 if x is not finite */
static int fx_scalar(vf_fxs *s, mpfi_srcptr x, mpfr_ptr e)
{
    if (!vf_fi_is_finite(x))
        return -1;
    int zl = mpfr_zero_p(&x->left), zr = mpfr_zero_p(&x->right);
    if (zl && zr) {
        s->c = 0;
        s->r = 0;
        s->G = 0;
        return 0;
    }
    long ex = LONG_MIN;                 /* |x| < 2^ex */
    if (!zl)
        ex = (long)mpfr_get_exp(&x->left);
    if (!zr && (long)mpfr_get_exp(&x->right) > ex)
        ex = (long)mpfr_get_exp(&x->right);
    s->G = 62 - ex;
    (void)e;
    int64_t lo = vf_fr_scaled(&x->left, s->G, 0);
    int64_t hi = vf_fr_scaled(&x->right, s->G, 1);
    s->c = lo + (int64_t)(((i128)hi - lo) / 2);   /* lo <= c <= mid: hi - c >= c - lo
                                                     * (hi - lo may be 2^63: 128 bits) */
    s->r = (uint64_t)(hi - s->c);
    return 0;
}

static void fx_int(vf_fxs *s, long v)
{
    s->c = v;
    s->r = 0;
    s->G = 0;
}

static void fxv_zero(vf_fxv *o)
{
    memset(o->m, 0, sizeof(int64_t) * (size_t)(o->hi - o->lo));
    memset(o->R, 0, sizeof(uint64_t) * (size_t)(o->hi - o->lo));
    o->F = 0;
    o->M = 0;
}

static u128 uabs(i128 x)
{
    return x < 0 ? -(u128)x : (u128)x;
}

/* o = sum_{j<n} s_j T_j (T_j == NULL or a zero tangent: skipped); o must not be one of
 * the T_j, and each T_j's range lies inside o's.  0, or -1 if out of bounds. */
static int lincomb(vf_fxv *o, const vf_fxs *s, const vf_fxv *const *T, int n, i128 *acc,
                   u128 *racc)
{
    long emax = LONG_MIN;
    int cnt = 0;
    for (int j = 0; j < n; j++) {
        if (!T[j] || T[j]->M == 0 || (s[j].c == 0 && s[j].r == 0))
            continue;
        if (T[j]->lo < o->lo || T[j]->hi > o->hi)
            return -1;
        u128 ca = uabs(s[j].c) + s[j].r;
        long ej = (long)bitlen(ca) + bitlen(T[j]->M) - s[j].G - T[j]->F;
        if (ej > emax)
            emax = ej;
        cnt++;
    }
    int w = o->hi - o->lo;
    if (cnt == 0) {
        fxv_zero(o);
        return 0;
    }
    if (emax > LONG_MAX / 4 || emax < LONG_MIN / 4)
        return -1;
    long Fo = 61 - emax - bitlen((u128)cnt);
    memset(acc, 0, sizeof(i128) * (size_t)w);
    memset(racc, 0, sizeof(u128) * (size_t)w);
    for (int j = 0; j < n; j++) {
        const vf_fxv *t = T[j];
        if (!t || t->M == 0 || (s[j].c == 0 && s[j].r == 0))
            continue;
        long sh = s[j].G + t->F - Fo;
        int64_t c = s[j].c;
        uint64_t ac = c < 0 ? -(uint64_t)c : (uint64_t)c, r = s[j].r;
        i128 *a = acc + (t->lo - o->lo);
        u128 *ra = racc + (t->lo - o->lo);
        const int64_t *m = t->m;
        const uint64_t *R = t->R;
        int tw = t->hi - t->lo;
        /* (1) per entry: ac R_d + r (|m_d| + R_d) < 2^126, each product 64 x 64 bits */
        if (sh > 0) {
            /* floor of the shifted product (GCC: arithmetic shift), error < 1 unit;
             * radius (1) shifted down, + 1 for its ceiling, + 1 for that unit */
            if (sh < 127) {
                for (int d = 0; d < tw; d++) {
                    a[d] += ((i128)c * m[d]) >> sh;
                    uint64_t am = m[d] < 0 ? -(uint64_t)m[d] : (uint64_t)m[d];
                    ra[d] += (((u128)ac * R[d] + (u128)r * (am + R[d])) >> sh) + 2;
                }
            } else {                        /* every term below 2^126 / 2^127 units */
                for (int d = 0; d < tw; d++)
                    ra[d] += 2;
            }
        } else {
            if (-sh > 62) {                 /* then every product is 0 (bound above) */
                if (c != 0 || r != 0)
                    return -1;
                continue;
            }
            int ls = (int)-sh;              /* exact: below 2^61 units by the bound */
            for (int d = 0; d < tw; d++) {
                a[d] += (i128)((u128)((i128)c * m[d]) << ls);
                uint64_t am = m[d] < 0 ? -(uint64_t)m[d] : (uint64_t)m[d];
                ra[d] += ((u128)ac * R[d] + (u128)r * (am + R[d])) << ls;
            }
        }
    }
    u128 mx = 0;
    for (int d = 0; d < w; d++) {
        u128 e = uabs(acc[d]) + racc[d];
        if (e > mx)
            mx = e;
    }
    if (mx >= TWO62)                    /* cannot happen by the choice of Fo */
        return -1;
    for (int d = 0; d < w; d++) {
        o->m[d] = (int64_t)acc[d];
        o->R[d] = (uint64_t)racc[d];
    }
    o->F = Fo;
    o->M = (uint64_t)mx;
    return 0;
}

vf_jac *vf_jac_new(const vf_taylor *ws, int J)
{
    const vf_tape *tp = ws->tp;
    vf_jac *jw = vf_calloc(1, sizeof *jw);
    jw->ws = ws;
    jw->J = J;
    jw->nn = tp->nnodes;
    jw->t = vf_calloc((size_t)jw->nn * (size_t)(J + 1), sizeof(vf_fxv));
    size_t tot = 0;
    int wmax = 1, cap = 2 * J + 6;
    for (int v = 0; v < jw->nn; v++) {
        int w = ws->hi[v] - ws->lo[v];
        if (!ws->isc[v] && w > 0)
            tot += (size_t)(J + 1) * (size_t)w;
        if (w > wmax)
            wmax = w;
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > cap)
            cap = tp->nodes[v].nargs + 1;
    }
    jw->store = vf_malloc(sizeof(int64_t) * (tot ? tot : 1));
    jw->rstore = vf_malloc(sizeof(uint64_t) * (tot ? tot : 1));
    size_t off = 0;
    for (int v = 0; v < jw->nn; v++) {
        int w = ws->hi[v] - ws->lo[v];
        if (ws->isc[v] || w <= 0)
            continue;
        for (int k = 0; k <= J; k++) {
            vf_fxv *t = &jw->t[(size_t)v * (J + 1) + k];
            t->m = jw->store + off;
            t->R = jw->rstore + off;
            t->lo = ws->lo[v];
            t->hi = ws->hi[v];
            off += (size_t)w;
        }
    }
    jw->tmpm = vf_malloc(sizeof(int64_t) * 2 * (size_t)wmax);
    jw->tmpr = vf_malloc(sizeof(uint64_t) * 2 * (size_t)wmax);
    jw->tmp[0].m = jw->tmpm;
    jw->tmp[1].m = jw->tmpm + wmax;
    jw->tmp[0].R = jw->tmpr;
    jw->tmp[1].R = jw->tmpr + wmax;
    jw->acc = vf_malloc(sizeof(i128) * (size_t)wmax);
    jw->racc = vf_malloc(sizeof(u128) * (size_t)wmax);
    jw->cap = cap;
    jw->sc = vf_malloc(sizeof(vf_fxs) * (size_t)cap);
    jw->tv = vf_malloc(sizeof(vf_fxv *) * (size_t)cap);
    mpfi_init2(jw->a, ws->prec);
    mpfi_init2(jw->b, ws->prec);
    mpfr_init2(jw->e, 64);
    return jw;
}

void vf_jac_free(vf_jac *jw)
{
    if (!jw)
        return;
    free(jw->t);
    free(jw->store);
    free(jw->rstore);
    free(jw->tmpm);
    free(jw->tmpr);
    free(jw->acc);
    free(jw->racc);
    free(jw->sc);
    free(jw->tv);
    mpfi_clear(jw->a);
    mpfi_clear(jw->b);
    mpfr_clear(jw->e);
    free(jw);
}

/* MUST FOLLOW vf_jac_new: the tangents (m and R, J + 1 orders of every range), their
 * headers, the scratch of the widest range (at most nvars) and the terms. */
double vf_jac_bytes(const vf_tape *tp, long dirs, int J, long prec)
{
    double cap = 2.0 * J + 6;
    for (int v = 0; v < tp->nnodes; v++)
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > cap)
            cap = tp->nodes[v].nargs + 1;
    return sizeof(vf_jac) + (double)tp->nnodes * (J + 1) * sizeof(vf_fxv)
           + (double)dirs * (J + 1) * (sizeof(int64_t) + sizeof(uint64_t))
           + (double)(tp->nvars + 1) * (2 * sizeof(int64_t) + 2 * sizeof(uint64_t) +
                                        sizeof(i128) + sizeof(u128))
           + cap * (sizeof(vf_fxs) + sizeof(void *)) + 2 * vf_mpfi_bytes(prec) + 16 * 64.0;
}

static const vf_fxv *tan_of(const vf_jac *jw, int v, int k)
{
    const vf_fxv *t = &jw->t[(size_t)v * (jw->J + 1) + k];
    return t->m ? t : NULL;
}

/* term j: scalar from the interval x, tangent (v, k) */
static int term_fi(vf_jac *jw, int j, mpfi_srcptr x, int v, int k)
{
    jw->tv[j] = tan_of(jw, v, k);
    return fx_scalar(&jw->sc[j], x, jw->e);
}

/* the tangent of node v at order k (k < J), from tangents of lower nodes and orders */
static int node_tangent(vf_jac *jw, int v, int k)
{
    const vf_taylor *ws = jw->ws;
    const vf_tape *tp = ws->tp;
    const vf_node *nd = &tp->nodes[v];
    vf_fxv *o = &jw->t[(size_t)v * (jw->J + 1) + k];
    int a = nd->a, b = nd->b, n = 0, bad = 0;
    if (!o->m || nd->op == OP_VAR)
        return 0;
    switch (nd->op) {
    case OP_ADD: case OP_SUB:
        fx_int(&jw->sc[0], 1);
        jw->tv[0] = tan_of(jw, a, k);
        fx_int(&jw->sc[1], nd->op == OP_ADD ? 1 : -1);
        jw->tv[1] = tan_of(jw, b, k);
        n = 2;
        break;
    case OP_NEG:
        fx_int(&jw->sc[0], -1);
        jw->tv[0] = tan_of(jw, a, k);
        n = 1;
        break;
    case OP_SUM:
        for (int i = 0; i < nd->nargs; i++) {
            fx_int(&jw->sc[i], 1);
            jw->tv[i] = tan_of(jw, tp->args[nd->arg0 + i], k);
        }
        n = nd->nargs;
        break;
    case OP_MUL:
        if (ws->isc[a]) {
            bad |= term_fi(jw, n++, CF(ws, a, 0), b, k);
        } else if (ws->isc[b]) {
            bad |= term_fi(jw, n++, CF(ws, b, 0), a, k);
        } else {
            /* D(ab)_k = sum_{i<=k} b_{k-i} Da_i + a_i Db_{k-i} */
            for (int i = 0; i <= k; i++) {
                bad |= term_fi(jw, n++, CF(ws, b, k - i), a, i);
                bad |= term_fi(jw, n++, CF(ws, a, i), b, k - i);
            }
        }
        break;
    case OP_SQR:
        /* D(a^2)_k = sum_{i<=k} 2 a_{k-i} Da_i */
        for (int i = 0; i <= k; i++) {
            mpfi_mul_ui(jw->a, CF(ws, a, k - i), 2);
            bad |= term_fi(jw, n++, jw->a, a, i);
        }
        break;
    case OP_DIV:
        /* Dq_k = (Da_k - sum_{i<k} b_{k-i} Dq_i - sum_{i<=k} q_i Db_{k-i}) / b_0 */
        mpfi_ui_div(jw->b, 1, CF(ws, b, 0));
        bad |= term_fi(jw, n++, jw->b, a, k);
        if (!ws->isc[b]) {
            for (int i = 0; i < k; i++) {
                mpfi_mul(jw->a, CF(ws, b, k - i), jw->b);
                mpfi_neg(jw->a, jw->a);
                bad |= term_fi(jw, n++, jw->a, v, i);
            }
            for (int i = 0; i <= k; i++) {
                mpfi_mul(jw->a, CF(ws, v, i), jw->b);
                mpfi_neg(jw->a, jw->a);
                bad |= term_fi(jw, n++, jw->a, b, k - i);
            }
        }
        break;
    case OP_EXP:
        if (k == 0) {                   /* De_0 = e_0 Da_0 */
            bad |= term_fi(jw, n++, CF(ws, v, 0), a, 0);
            break;
        }
        /* De_k = sum_{i=1..k} (i/k) (e_{k-i} Da_i + a_i De_{k-i}) */
        for (int i = 1; i <= k; i++) {
            mpfi_mul_ui(jw->a, CF(ws, v, k - i), (unsigned long)i);
            mpfi_div_ui(jw->a, jw->a, (unsigned long)k);
            bad |= term_fi(jw, n++, jw->a, a, i);
            mpfi_mul_ui(jw->a, CF(ws, a, i), (unsigned long)i);
            mpfi_div_ui(jw->a, jw->a, (unsigned long)k);
            bad |= term_fi(jw, n++, jw->a, v, k - i);
        }
        break;
    default:                            /* no derivative rule here: MPFI fallback */
        return -1;
    }
    if (bad)
        return -1;
    return lincomb(o, jw->sc, jw->tv, n, jw->acc, jw->racc);
}

int vf_jac_matrix(vf_jac *jw, int J, mpfi_srcptr h, mpfi_t *A)
{
    const vf_taylor *ws = jw->ws;
    const vf_tape *tp = ws->tp;
    int nv = tp->nvars;
    if (J > jw->J)
        return -1;
    for (int i = 0; i < nv; i++) {          /* D x_0 = I */
        vf_fxv *t = &jw->t[(size_t)i * (jw->J + 1)];
        if (!t->m)
            return -1;                      /* a variable always has its own direction */
        fxv_zero(t);
        t->m[i - t->lo] = 1;
        t->M = 1;
    }
    for (int k = 0; k < J; k++) {
        for (int v = nv; v < tp->nnodes; v++)
            if (node_tangent(jw, v, k))
                return -1;
        /* D x_{k+1} = D f_k / (k + 1) */
        mpfi_set_ui(jw->a, 1);
        mpfi_div_ui(jw->a, jw->a, (unsigned long)(k + 1));
        for (int i = 0; i < nv; i++) {
            vf_fxv *o = &jw->t[(size_t)i * (jw->J + 1) + k + 1];
            if (term_fi(jw, 0, jw->a, tp->out[i], k) ||
                lincomb(o, jw->sc, jw->tv, 1, jw->acc, jw->racc))
                return -1;
        }
    }
    /* A_i. = sum_k h^k D x_k[i] by Horner, row by row */
    vf_fxs one;
    fx_int(&one, 1);
    vf_fxs hs;
    if (fx_scalar(&hs, h, jw->e))
        return -1;
    for (int i = 0; i < nv; i++) {
        const vf_fxv *cur = tan_of(jw, i, J);
        int lo = cur->lo, hi = cur->hi;
        for (int k = J - 1, s = 0; k >= 0; k--, s ^= 1) {
            vf_fxv *o = &jw->tmp[s];
            o->lo = lo;
            o->hi = hi;
            jw->sc[0] = hs;
            jw->tv[0] = cur;
            jw->sc[1] = one;
            jw->tv[1] = tan_of(jw, i, k);
            if (lincomb(o, jw->sc, jw->tv, 2, jw->acc, jw->racc))
                return -1;
            cur = o;
        }
        for (int j = 0; j < nv; j++) {
            mpfi_ptr dst = A[(size_t)i * nv + j];
            if (j < lo || j >= hi) {
                mpfi_set_ui(dst, 0);
                continue;
            }
            int64_t m = cur->m[j - lo], R = (int64_t)cur->R[j - lo];
            mpfi_interv_si(dst, m - R, m + R);
            mpfi_mul_2si(dst, dst, -cur->F);
        }
    }
    return 0;
}
