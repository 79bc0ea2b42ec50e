/* vf_fxtay.c — Taylor coefficients over the a priori box E in 58-bit fixed point.
 *
 * The remainder coefficient x_{K+1}(E) of a step only has to be good to a few bits of
 * its own size: E is wide (it holds the whole motion of the step plus a margin), so the
 * coefficients over it are wide, and the remainder x_{K+1}(E) h^{K+1} is far below the
 * state.  This pass computes all coefficients over E with the same recurrences as
 * vf_taylor.c, but in midpoint-radius fixed point with one machine word per number,
 * where vf_taylor.c spends two or three limbs and exact interval products.
 *
 * A number is [c - r, c + r] 2^-G with |c| + r < 2^58 (integers c, r; G a long).
 * Every recurrence is a sum  sum_j w_j x_j y_j  (w_j small nonnegative integer weights,
 * x_j, y_j numbers; a sign is carried by x_j).  Its enclosure (the proof):
 *   for points xi in x_j, eta in y_j:
 *     |xi eta - c_x c_y 2^-(G_x+G_y)| <= (|c_x| r_y + r_x |c_y| + r_x r_y) 2^-(G_x+G_y)
 *                                      <= (|c_x| + r_x)(|c_y| + r_y) 2^-(G_x+G_y) - |c_x c_y| 2^-(...)
 *   and |w xi eta| < 2^(E_j), E_j = bitlen(w) + bitlen(|c_x| + r_x) + bitlen(|c_y| + r_y)
 *   - G_x - G_y.  The output scale F = 57 - max_j E_j - bitlen(cnt) puts the whole sum
 *   below 2^57 units of 2^-F.  The exact 128-bit product w c_x c_y (< 2^127, as w < 2^11
 *   and |c| < 2^58) is shifted to that scale: left (exact) or right with floor (error
 *   below one unit; a shift >= 127 drops a term below a quarter unit); its radius
 *   w (|c_x| r_y + r_x |c_y| + r_x r_y) (< 2^127) is shifted with ceiling.  So
 *     sum in [acc - rad, acc + rad] 2^-F,  rad = sum_j (ceil(radius_j) + 1),
 *   all sums exact in 128-bit integers, and |acc| + rad < 2^57 + 3 cnt < 2^58.
 * Order-0 exp and the reciprocal of a quotient's denominator go through MPFI (rounded
 * outward) and back.  Anything outside the representation (non-finite values, an
 * operation without a rule here, weights >= 2^11) returns -1: the caller then uses
 * vf_taylor.c.  The caller also falls back when the a priori inclusion fails with this
 * remainder, so the speed never costs a certificate. */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include "vf.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

typedef struct {
    int64_t c;
    uint64_t r;
    long G;
} fx;

struct vf_fxtay {
    const vf_tape *tp;
    int K;
    fx *val;                /* node v, order k: val[v * (K + 2) + k] */
    fx *cst;                /* the tape's constants */
    fx *inv;                /* inv[k] = 1/k, k = 1..K+1 */
    fx *dinv;               /* quotient nodes: 1/b_0 of the current run */
    fx *neg;                /* scratch: negated terms */
    char *isc;
    fx one;
    const fx **px, **py;
    unsigned *wt;
    int cap;
    mpfi_t a, b;
    mpfr_t e;
};

#define V(w, v, k) ((w)->val[(size_t)(v) * ((w)->K + 2) + (k)])

static u128 uabs(i128 x)
{
    return x < 0 ? -(u128)x : (u128)x;
}

static int fx_zero_p(const fx *x)
{
    return x->c == 0 && x->r == 0;
}

/* s encloses the interval x; -1 if x is not finite */
static int fx_from(fx *s, mpfi_srcptr x, mpfr_ptr e)
{
    if (!vf_fi_is_finite(x))
        return -1;
    int zl = mpfr_zero_p(&x->left), zr = mpfr_zero_p(&x->right);
    s->c = 0;
    s->r = 0;
    s->G = 0;
    if (zl && zr)
        return 0;
    long ex = LONG_MIN;                 /* |x| < 2^ex */
    if (!zl)
        ex = (long)mpfr_get_exp(&x->left);
    if (!zr && (long)mpfr_get_exp(&x->right) > ex)
        ex = (long)mpfr_get_exp(&x->right);
    s->G = 57 - ex;                     /* lo, hi in [-2^57, 2^57]: |c| + r <= 2^57 + 1 */
    mpfr_mul_2si(e, &x->left, s->G, MPFR_RNDD);
    int64_t lo = (int64_t)mpfr_get_sj(e, MPFR_RNDD);
    mpfr_mul_2si(e, &x->right, s->G, MPFR_RNDU);
    int64_t hi = (int64_t)mpfr_get_sj(e, MPFR_RNDU);
    s->c = lo + (hi - lo) / 2;
    s->r = (uint64_t)(hi - s->c);
    return 0;
}

/* x = the interval [c - r, c + r] 2^-G (rounded outward if x's precision < 59) */
static void fx_to(mpfi_ptr x, const fx *s)
{
    mpfi_interv_si(x, (long)(s->c - (int64_t)s->r), (long)(s->c + (int64_t)s->r));
    mpfi_mul_2si(x, x, -s->G);
}

static int bitlen64(uint64_t x)
{
    return x ? 64 - __builtin_clzll(x) : 0;
}

static uint64_t abs64(int64_t x)
{
    return x < 0 ? -(uint64_t)x : (uint64_t)x;
}

/* o = sum_{j<n} wt_j x_j y_j (wt NULL: all 1); o may alias no x_j or y_j. */
static int fxdot(fx *o, const fx *const *x, const fx *const *y, const unsigned *wt, int n)
{
    long emax = LONG_MIN;
    int cnt = 0;
    for (int j = 0; j < n; j++) {
        unsigned w = wt ? wt[j] : 1;
        if (w == 0 || fx_zero_p(x[j]) || fx_zero_p(y[j]))
            continue;
        if (w >= (1u << 11))
            return -1;
        long ej = (long)bitlen64(w) + bitlen64(abs64(x[j]->c) + x[j]->r) +
                  bitlen64(abs64(y[j]->c) + y[j]->r) - x[j]->G - y[j]->G;
        if (ej > emax)
            emax = ej;
        cnt++;
    }
    o->c = 0;
    o->r = 0;
    o->G = 0;
    if (cnt == 0)
        return 0;
    if (emax > LONG_MAX / 4 || emax < LONG_MIN / 4)
        return -1;
    long F = 57 - emax - bitlen64((uint64_t)cnt);
    i128 acc = 0;
    u128 rad = 0;
    for (int j = 0; j < n; j++) {
        unsigned w = wt ? wt[j] : 1;
        if (w == 0 || fx_zero_p(x[j]) || fx_zero_p(y[j]))
            continue;
        long sh = x[j]->G + y[j]->G - F;
        uint64_t ax = abs64(x[j]->c), ay = abs64(y[j]->c), rx = x[j]->r, ry = y[j]->r;
        i128 p = (i128)x[j]->c * y[j]->c;
        /* |c_x| r_y + r_x (|c_y| + r_y) <= (|c_x| + r_x)(|c_y| + r_y) < 2^116 */
        u128 q = (u128)ax * ry + (u128)rx * (ay + ry);
        if (w != 1) {
            p *= w;
            q *= w;
        }
        if (sh > 0) {
            if (sh < 127)
                acc += p >> sh;         /* floor (GCC: arithmetic shift) */
            rad += (sh < 128 ? q >> sh : 0) + 2;    /* ceiling, and the floor's unit */
        } else {
            if (-sh > 58) {             /* below the bound only if the term is 0 */
                if (p != 0 || q != 0)
                    return -1;
                continue;
            }
            acc += (i128)((u128)p << -sh);
            rad += q << -sh;
        }
    }
    if (uabs(acc) + rad >= ((u128)1 << 58))     /* cannot happen by the choice of F */
        return -1;
    o->c = (int64_t)acc;
    o->r = (uint64_t)rad;
    o->G = F;
    return 0;
}

/* o = x y */
static int fxmul(fx *o, const fx *x, const fx *y)
{
    return fxdot(o, &x, &y, NULL, 1);
}

vf_fxtay *vf_fxtay_new(const vf_tape *tp, int K)
{
    vf_fxtay *w = vf_calloc(1, sizeof *w);
    int nn = tp->nnodes;
    w->tp = tp;
    w->K = K;
    w->val = vf_calloc((size_t)nn * (size_t)(K + 2), sizeof(fx));
    w->cst = vf_calloc((size_t)tp->nconsts + 1, sizeof(fx));
    w->inv = vf_calloc((size_t)K + 2, sizeof(fx));
    w->isc = vf_calloc((size_t)nn, 1);
    w->cap = 2 * K + 8;
    for (int v = 0; v < nn; v++)
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > w->cap)
            w->cap = tp->nodes[v].nargs + 1;
    w->dinv = vf_calloc((size_t)nn, sizeof(fx));
    w->neg = vf_calloc((size_t)w->cap, sizeof(fx));
    w->px = vf_malloc(sizeof(fx *) * (size_t)w->cap);
    w->py = vf_malloc(sizeof(fx *) * (size_t)w->cap);
    w->wt = vf_malloc(sizeof(unsigned) * (size_t)w->cap);
    mpfi_init2(w->a, 128);
    mpfi_init2(w->b, 128);
    mpfr_init2(w->e, 64);
    w->one.c = 1;
    for (int i = 0; i < tp->nconsts; i++) {
        mpfi_set_q(w->a, tp->consts[i]);
        if (fx_from(&w->cst[i], w->a, w->e))
            w->cst[i].G = LONG_MIN;     /* unusable: a run that needs it fails */
    }
    for (int k = 1; k <= K + 1; k++) {
        mpfi_set_ui(w->a, 1);
        mpfi_div_ui(w->a, w->a, (unsigned long)k);
        fx_from(&w->inv[k], w->a, w->e);
    }
    /* constant nodes: every operand constant (a variable never is) */
    for (int v = 0; v < nn; v++) {
        const vf_node *nd = &tp->nodes[v];
        int c = nd->op != OP_VAR;
        switch (nd->op) {
        case OP_VAR: break;
        case OP_CONST: break;
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

/* MUST FOLLOW vf_fxtay_new: the values, constants, 1/k, flags, 1/b_0, the terms. */
double vf_fxtay_bytes(const vf_tape *tp, int K)
{
    double cap = 2.0 * K + 8;
    for (int v = 0; v < tp->nnodes; v++)
        if (tp->nodes[v].op == OP_SUM && tp->nodes[v].nargs + 1 > cap)
            cap = tp->nodes[v].nargs + 1;
    return sizeof(vf_fxtay) + (double)tp->nnodes * (K + 2) * sizeof(fx)
           + (tp->nconsts + 1.0 + K + 2) * sizeof(fx) + (double)tp->nnodes * (1 + sizeof(fx))
           + cap * (sizeof(fx) + 2 * sizeof(void *) + sizeof(unsigned))
           + 2 * vf_mpfi_bytes(128) + 16 * 64.0;
}

void vf_fxtay_free(vf_fxtay *w)
{
    if (!w)
        return;
    free(w->val);
    free(w->cst);
    free(w->inv);
    free(w->isc);
    free(w->dinv);
    free(w->neg);
    free(w->px);
    free(w->py);
    free(w->wt);
    mpfi_clear(w->a);
    mpfi_clear(w->b);
    mpfr_clear(w->e);
    free(w);
}

/* node v at order k from lower nodes and orders */
static int coef(vf_fxtay *w, int v, int k)
{
    const vf_tape *tp = w->tp;
    const vf_node *nd = &tp->nodes[v];
    fx *dst = &V(w, v, k);
    const fx **px = w->px, **py = w->py;
    unsigned *wt = w->wt;
    int a = nd->a, b = nd->b, m = 0;
    fx t;
    switch (nd->op) {
    case OP_VAR:
        return 0;
    case OP_CONST:
        if (k > 0) {
            dst->c = 0;
            dst->r = 0;
            dst->G = 0;
            return 0;
        }
        *dst = w->cst[nd->a];
        return dst->G == LONG_MIN ? -1 : 0;
    case OP_ADD: case OP_SUB:
        t = V(w, b, k);
        if (nd->op == OP_SUB)
            t.c = -t.c;
        px[0] = &V(w, a, k);
        px[1] = &t;
        py[0] = py[1] = &w->one;
        return fxdot(dst, px, py, NULL, 2);
    case OP_NEG:
        t = V(w, a, k);
        t.c = -t.c;
        *dst = t;
        return 0;
    case OP_SUM:
        for (int i = 0; i < nd->nargs; i++) {
            px[i] = &V(w, tp->args[nd->arg0 + i], k);
            py[i] = &w->one;
        }
        return fxdot(dst, px, py, NULL, nd->nargs);
    case OP_MUL:
        if (w->isc[a])
            return fxmul(dst, &V(w, a, 0), &V(w, b, k));
        if (w->isc[b])
            return fxmul(dst, &V(w, a, k), &V(w, b, 0));
        for (int i = 0; i <= k; i++) {
            px[i] = &V(w, a, i);
            py[i] = &V(w, b, k - i);
        }
        return fxdot(dst, px, py, NULL, k + 1);
    case OP_SQR:
        for (int i = 0; 2 * i <= k; i++) {
            px[m] = &V(w, a, i);
            py[m] = &V(w, a, k - i);
            wt[m++] = 2 * i < k ? 2 : 1;
        }
        return fxdot(dst, px, py, wt, m);
    case OP_DIV:
        /* q_k = (a_k - sum_{i<k} q_i b_{k-i}) (1/b_0), 1/b_0 through MPFI at order 0 */
        if (k == 0) {
            fx_to(w->a, &V(w, b, 0));
            mpfi_ui_div(w->a, 1, w->a);
            if (fx_from(&w->dinv[v], w->a, w->e))
                return -1;
        }
        if (k == 0 || w->isc[b])
            return fxmul(dst, &V(w, a, k), &w->dinv[v]);
        px[m] = &V(w, a, k);
        py[m++] = &w->one;
        for (int i = 0; i < k; i++) {
            w->neg[i] = V(w, v, i);
            w->neg[i].c = -w->neg[i].c;
            px[m] = &w->neg[i];
            py[m++] = &V(w, b, k - i);
        }
        if (fxdot(&t, px, py, NULL, m))
            return -1;
        return fxmul(dst, &t, &w->dinv[v]);
    case OP_EXP:
        if (k == 0) {
            fx_to(w->a, &V(w, a, 0));
            mpfi_exp(w->a, w->a);
            return fx_from(dst, w->a, w->e);
        }
        /* e_k = (1/k) sum_{i=1..k} i a_i e_{k-i} */
        for (int i = 1; i <= k; i++) {
            px[m] = &V(w, a, i);
            py[m] = &V(w, v, k - i);
            wt[m++] = (unsigned)i;
        }
        if (fxdot(&t, px, py, wt, m))
            return -1;
        return fxmul(dst, &t, &w->inv[k]);
    default:
        return -1;
    }
}

int vf_fxtay_run(vf_fxtay *w, mpfi_t *x0, int order, mpfi_t *out)
{
    const vf_tape *tp = w->tp;
    int nv = tp->nvars;
    if (order > w->K + 1)
        return -1;
    for (int i = 0; i < nv; i++)
        if (fx_from(&V(w, i, 0), x0[i], w->e))
            return -1;
    for (int k = 0; k < order; k++) {
        for (int v = nv; v < tp->nnodes; v++)
            if (coef(w, v, k))
                return -1;
        for (int i = 0; i < nv; i++)        /* x_{k+1} = f_k / (k + 1) */
            if (fxmul(&V(w, i, k + 1), &V(w, tp->out[i], k), &w->inv[k + 1]))
                return -1;
    }
    for (int i = 0; i < nv; i++)
        fx_to(out[i], &V(w, i, order));
    return 0;
}
