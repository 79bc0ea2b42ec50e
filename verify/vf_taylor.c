/* vf_taylor.c — Taylor-mode automatic differentiation in MPFI.
 *
 * For x' = f(x), x(0) = x0 (an interval vector) the Taylor coefficients satisfy
 * x_{k+1} = f_k / (k+1), f_k the k-th coefficient of f(x(t)); f_k is computed node by
 * node with the standard recurrences (product: Cauchy sum; quotient; exp).  Optionally
 * every node also carries, up to order J, its derivative with respect to x0 (forward
 * mode, d x_0 / d x0 = I): that gives D x_k, the Jacobian the Lohner step needs.
 *
 * Derivatives are stored only on the contiguous range of directions a node can depend
 * on (found by a fixpoint over the tape): in the tau system the time component feeds
 * nothing, and exp(a_k - a_w) depends on a few directions only.  All interval storage
 * is preallocated: no allocation happens inside a run. */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

#define C(ws, v, k) ((ws)->c[(size_t)(v) * ((ws)->K + 2) + (k)])

static mpfi_ptr dptr(vf_taylor *ws, int v, int k, int dir)
{
    return ws->D[ws->doff[v] + (long)k * (ws->hi[v] - ws->lo[v]) + (dir - ws->lo[v])];
}

mpfi_ptr vf_taylor_jac(vf_taylor *ws, int comp, int k, int dir)
{
    if (ws->doff[comp] < 0 || dir < ws->lo[comp] || dir >= ws->hi[comp])
        return NULL;
    return dptr(ws, comp, k, dir);
}

/* Operands of node v (binary ops use a, b; SUM uses args). */
static int nops(const vf_tape *tp, int v, int *ops)
{
    const vf_node *nd = &tp->nodes[v];
    switch (nd->op) {
    case OP_VAR: case OP_CONST: return 0;
    case OP_NEG: case OP_EXP: case OP_LOG: case OP_SQR: ops[0] = nd->a; return 1;
    case OP_SUM:
        for (int i = 0; i < nd->nargs; i++)
            ops[i] = tp->args[nd->arg0 + i];
        return nd->nargs;
    default: ops[0] = nd->a; ops[1] = nd->b; return 2;
    }
}

static int widen(int *lo, int *hi, int l2, int h2)
{
    if (l2 >= h2)
        return 0;
    if (*lo >= *hi) {
        *lo = l2;
        *hi = h2;
        return 1;
    }
    int ch = l2 < *lo || h2 > *hi;
    if (l2 < *lo) *lo = l2;
    if (h2 > *hi) *hi = h2;
    return ch;
}

/* Constant flags and dependency ranges (fixpoint through the outputs). */
static void analyse(vf_taylor *ws)
{
    const vf_tape *tp = ws->tp;
    int *ops = vf_malloc(sizeof(int) * (size_t)(tp->nnodes + 2));
    for (int v = 0; v < tp->nnodes; v++) {
        int n = nops(tp, v, ops), allc = 1;
        for (int i = 0; i < n; i++)
            allc &= ws->isc[ops[i]];
        ws->isc[v] = tp->nodes[v].op == OP_CONST || (tp->nodes[v].op != OP_VAR && allc);
        ws->lo[v] = tp->nodes[v].op == OP_VAR ? v : 0;
        ws->hi[v] = tp->nodes[v].op == OP_VAR ? v + 1 : 0;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int v = tp->nvars; v < tp->nnodes; v++) {
            int n = nops(tp, v, ops);
            for (int i = 0; i < n; i++)
                changed |= widen(&ws->lo[v], &ws->hi[v], ws->lo[ops[i]], ws->hi[ops[i]]);
        }
        for (int i = 0; i < tp->nvars; i++)
            changed |= widen(&ws->lo[i], &ws->hi[i], ws->lo[tp->out[i]], ws->hi[tp->out[i]]);
    }
    free(ops);
}

/* MUST FOLLOW vf_taylor_init and vf_taylor_run: the bytes of the workspace (c, D, cq,
 * the per-node arrays, the dot-product workspace) and the work of one run to order K
 * with derivatives to order J (a Cauchy product per node and order; a derivative
 * entry of order k costs k + 1 products). */
void vf_taylor_size(const vf_tape *tp, int K, int J, long prec, long jprec,
                    double *bytes, double *work)
{
    int nn = tp->nnodes;
    double tot = (double)(J + 1) * (double)vf_taylor_dirs(tp);
    *bytes = (double)nn * (K + 2) * vf_mpfi_bytes(prec) + tot * vf_mpfi_bytes(jprec)
             + (tp->nconsts + 1.0) * vf_mpfi_bytes(prec) + (double)nn * (1 + 2 * sizeof(int) + sizeof(long))
             + 2 * (K + 3.0) * (3 * sizeof(void *) + 4 * (sizeof(mpfr_t) + 8.0 * (prec / 32 + 4)));
    *work = (double)nn * (K + 2) * (K + 3) / 2 * vf_mul_work(prec)
            + tot * (J + 2) / 2 * vf_mul_work(jprec);
}

long vf_taylor_dirs(const vf_tape *tp)
{
    vf_taylor ws;
    int nn = tp->nnodes;
    memset(&ws, 0, sizeof ws);
    ws.tp = tp;
    ws.isc = vf_calloc((size_t)nn, 1);
    ws.lo = vf_malloc(sizeof(int) * (size_t)nn);
    ws.hi = vf_malloc(sizeof(int) * (size_t)nn);
    analyse(&ws);
    long tot = 0;
    for (int v = 0; v < nn; v++)
        if (!ws.isc[v] && ws.hi[v] > ws.lo[v])
            tot += ws.hi[v] - ws.lo[v];
    free(ws.isc);
    free(ws.lo);
    free(ws.hi);
    return tot;
}

void vf_taylor_init(vf_taylor *ws, const vf_tape *tp, int K, int J,
                    mpfr_prec_t prec, mpfr_prec_t jprec)
{
    int nn = tp->nnodes;
    ws->tp = tp;
    ws->K = K;
    ws->J = J;
    ws->dim = tp->nvars;
    ws->prec = prec;
    ws->jprec = jprec;
    ws->isc = vf_calloc((size_t)nn, 1);
    ws->lo = vf_malloc(sizeof(int) * (size_t)nn);
    ws->hi = vf_malloc(sizeof(int) * (size_t)nn);
    ws->doff = vf_malloc(sizeof(long) * (size_t)nn);
    analyse(ws);
    ws->c = vf_malloc(sizeof(mpfi_t) * (size_t)nn * (size_t)(K + 2));
    for (size_t i = 0; i < (size_t)nn * (size_t)(K + 2); i++) {
        mpfi_init2(ws->c[i], prec);
        mpfi_set_ui(ws->c[i], 0);
    }
    ws->cq = vf_malloc(sizeof(mpfi_t) * (size_t)(tp->nconsts + 1));
    for (int i = 0; i < tp->nconsts; i++) {
        mpfi_init2(ws->cq[i], prec);
        mpfi_set_q(ws->cq[i], tp->consts[i]);
    }
    for (int v = 0; v < nn; v++)      /* constants: order 0 fixed, higher orders 0 */
        if (tp->nodes[v].op == OP_CONST)
            mpfi_set(C(ws, v, 0), ws->cq[tp->nodes[v].a]);
    long tot = 0;
    for (int v = 0; v < nn; v++) {
        int w = ws->hi[v] - ws->lo[v];
        ws->doff[v] = (J >= 0 && !ws->isc[v] && w > 0) ? tot : -1;
        if (ws->doff[v] >= 0)
            tot += (long)(J + 1) * w;
    }
    /* (its memory was checked against --max-memory before: vf_limits_check_run) */
    ws->D = vf_malloc(sizeof(mpfi_t) * (size_t)(tot > 0 ? tot : 1));
    for (long i = 0; i < tot; i++)
        mpfi_init2(ws->D[i], jprec);
    size_t nt = 2 * (size_t)(K + 3);
    vf_idot_init(&ws->dw, nt);
    ws->pa = vf_malloc(sizeof(mpfi_srcptr) * nt);
    ws->pb = vf_malloc(sizeof(mpfi_srcptr) * nt);
    ws->wt = vf_malloc(sizeof(unsigned long) * nt);
}

void vf_taylor_clear(vf_taylor *ws)
{
    const vf_tape *tp = ws->tp;
    int nn = tp->nnodes;
    long tot = 0;
    for (int v = 0; v < nn; v++)
        if (ws->doff[v] >= 0)
            tot += (long)(ws->J + 1) * (ws->hi[v] - ws->lo[v]);
    for (long i = 0; i < tot; i++)
        mpfi_clear(ws->D[i]);
    for (size_t i = 0; i < (size_t)nn * (size_t)(ws->K + 2); i++)
        mpfi_clear(ws->c[i]);
    for (int i = 0; i < tp->nconsts; i++)
        mpfi_clear(ws->cq[i]);
    vf_idot_clear(&ws->dw);
    free(ws->pa);
    free(ws->pb);
    free(ws->wt);
    free(ws->D);
    free(ws->c);
    free(ws->cq);
    free(ws->isc);
    free(ws->lo);
    free(ws->hi);
    free(ws->doff);
}

/* ---------- coefficients ---------- */

/* Every sum of products is one interval dot product (vf_idot): exact products, one
 * outward rounding per endpoint. */

/* dst = sum_{i=0..k} a_i b_{k-i} */
static void cauchy(vf_taylor *ws, mpfi_ptr dst, int a, int b, int k)
{
    for (int i = 0; i <= k; i++) {
        ws->pa[i] = C(ws, a, i);
        ws->pb[i] = C(ws, b, k - i);
    }
    vf_idot(dst, NULL, 0, ws->pa, ws->pb, NULL, (size_t)k + 1, &ws->dw);
}

static void coef(vf_taylor *ws, int v, int k)
{
    const vf_tape *tp = ws->tp;
    const vf_node *nd = &tp->nodes[v];
    mpfi_ptr dst = C(ws, v, k);
    int a = nd->a, b = nd->b, m = 0;
    switch (nd->op) {
    case OP_VAR: case OP_CONST: return;
    case OP_ADD: mpfi_add(dst, C(ws, a, k), C(ws, b, k)); return;
    case OP_SUB: mpfi_sub(dst, C(ws, a, k), C(ws, b, k)); return;
    case OP_NEG: mpfi_neg(dst, C(ws, a, k)); return;
    case OP_SUM:
        mpfi_set(dst, C(ws, tp->args[nd->arg0], k));
        for (int i = 1; i < nd->nargs; i++)
            mpfi_add(dst, dst, C(ws, tp->args[nd->arg0 + i], k));
        return;
    case OP_MUL:
        if (ws->isc[a])
            mpfi_mul(dst, C(ws, a, 0), C(ws, b, k));
        else if (ws->isc[b])
            mpfi_mul(dst, C(ws, a, k), C(ws, b, 0));
        else
            cauchy(ws, dst, a, b, k);
        return;
    case OP_SQR:
        if (k == 0) {
            mpfi_sqr(dst, C(ws, a, 0));
            return;
        }
        /* sum_{i=0..k} a_i a_{k-i} = 2 sum_{i<k-i} a_i a_{k-i} (+ a_{k/2} a_{k/2}):
         * the interval products of a pair are equal, so the doubling is exact */
        for (int i = 0; 2 * i <= k; i++) {
            ws->pa[m] = C(ws, a, i);
            ws->pb[m] = C(ws, a, k - i);
            ws->wt[m++] = 2 * i < k ? 2 : 1;
        }
        vf_idot(dst, NULL, 0, ws->pa, ws->pb, ws->wt, (size_t)m, &ws->dw);
        return;
    case OP_DIV:
        if (ws->isc[b] || k == 0) {
            mpfi_div(dst, C(ws, a, k), C(ws, b, 0));
            return;
        }
        /* q_k = (a_k - sum_{i<k} q_i b_{k-i}) / b_0 */
        for (int i = 0; i < k; i++) {
            ws->pa[i] = C(ws, v, i);
            ws->pb[i] = C(ws, b, k - i);
        }
        vf_idot(dst, C(ws, a, k), 1, ws->pa, ws->pb, NULL, (size_t)k, &ws->dw);
        mpfi_div(dst, dst, C(ws, b, 0));
        return;
    case OP_EXP:
        if (k == 0) {
            mpfi_exp(dst, C(ws, a, 0));
            return;
        }
        /* e_k = (1/k) sum_{i=1..k} i a_i e_{k-i} */
        for (int i = 1; i <= k; i++) {
            ws->pa[m] = C(ws, a, i);
            ws->pb[m] = C(ws, v, k - i);
            ws->wt[m++] = (unsigned long)i;
        }
        vf_idot(dst, NULL, 0, ws->pa, ws->pb, ws->wt, (size_t)m, &ws->dw);
        mpfi_div_ui(dst, dst, (unsigned long)k);
        return;
    default:
        fprintf(stderr, "polarcert-verify: internal error: op %d in a Taylor tape\n", nd->op);
        exit(3);
    }
}

/* ---------- derivatives ---------- */

static void dzero(vf_taylor *ws, int v, int k)
{
    for (int d = ws->lo[v]; d < ws->hi[v]; d++)
        mpfi_set_ui(dptr(ws, v, k, d), 0);
}

/* D a_i in direction d, or NULL where it is structurally zero */
static mpfi_srcptr dget(vf_taylor *ws, int a, int i, int d)
{
    if (ws->doff[a] < 0 || d < ws->lo[a] || d >= ws->hi[a])
        return NULL;
    return dptr(ws, a, i, d);
}

/* D v_k += D a_i, or -= (neg) */
static void dadd(vf_taylor *ws, int v, int k, int a, int i, int neg)
{
    if (ws->doff[a] < 0)
        return;
    mpfi_t *dst = &ws->D[ws->doff[v] + (long)k * (ws->hi[v] - ws->lo[v]) + ws->lo[a] - ws->lo[v]];
    mpfi_t *src = &ws->D[ws->doff[a] + (long)i * (ws->hi[a] - ws->lo[a])];
    int w = ws->hi[a] - ws->lo[a];
    for (int d = 0; d < w; d++) {
        if (neg)
            mpfi_sub(dst[d], dst[d], src[d]);
        else
            mpfi_add(dst[d], dst[d], src[d]);
    }
}

/* D v_k = s * D a_i (s a constant's value; zero outside a's range) */
static void dmul(vf_taylor *ws, int v, int k, int a, int i, mpfi_srcptr s)
{
    for (int d = ws->lo[v]; d < ws->hi[v]; d++) {
        mpfi_srcptr x = dget(ws, a, i, d);
        if (x)
            mpfi_mul(dptr(ws, v, k, d), x, s);
        else
            mpfi_set_ui(dptr(ws, v, k, d), 0);
    }
}

/* Every sum of products, direction by direction, is one vf_idot. */
static void deriv(vf_taylor *ws, int v, int k)
{
    const vf_tape *tp = ws->tp;
    const vf_node *nd = &tp->nodes[v];
    int a = nd->a, b = nd->b;
    mpfi_srcptr *pa = ws->pa, *pb = ws->pb;
    unsigned long *wt = ws->wt;
    if (ws->doff[v] < 0 || nd->op == OP_VAR)
        return;
    switch (nd->op) {
    case OP_ADD:
        dzero(ws, v, k);
        dadd(ws, v, k, a, k, 0);
        dadd(ws, v, k, b, k, 0);
        return;
    case OP_SUB:
        dzero(ws, v, k);
        dadd(ws, v, k, a, k, 0);
        dadd(ws, v, k, b, k, 1);
        return;
    case OP_NEG:
        dzero(ws, v, k);
        dadd(ws, v, k, a, k, 1);
        return;
    case OP_SUM:
        dzero(ws, v, k);
        for (int i = 0; i < nd->nargs; i++)
            dadd(ws, v, k, tp->args[nd->arg0 + i], k, 0);
        return;
    case OP_MUL:
        if (ws->isc[a]) {                   /* a constant has only order 0 */
            dmul(ws, v, k, b, k, C(ws, a, 0));
            return;
        }
        if (ws->isc[b]) {
            dmul(ws, v, k, a, k, C(ws, b, 0));
            return;
        }
        /* D(ab)_k = sum_{i<=k} Da_i b_{k-i} + a_i Db_{k-i} */
        for (int d = ws->lo[v]; d < ws->hi[v]; d++) {
            size_t m = 0;
            for (int i = 0; i <= k; i++) {
                mpfi_srcptr x = dget(ws, a, i, d), y = dget(ws, b, k - i, d);
                if (x) {
                    pa[m] = x;
                    pb[m++] = C(ws, b, k - i);
                }
                if (y) {
                    pa[m] = C(ws, a, i);
                    pb[m++] = y;
                }
            }
            vf_idot(dptr(ws, v, k, d), NULL, 0, pa, pb, NULL, m, &ws->dw);
        }
        return;
    case OP_SQR:
        /* D(a^2)_k = 2 sum_{i<=k} Da_i a_{k-i} */
        for (int d = ws->lo[v]; d < ws->hi[v]; d++) {
            size_t m = 0;
            for (int i = 0; i <= k; i++) {
                mpfi_srcptr x = dget(ws, a, i, d);
                if (x) {
                    pa[m] = x;
                    pb[m] = C(ws, a, k - i);
                    wt[m++] = 2;
                }
            }
            vf_idot(dptr(ws, v, k, d), NULL, 0, pa, pb, wt, m, &ws->dw);
        }
        return;
    case OP_DIV:
        /* Dq_k = (Da_k - sum_{i<k} Dq_i b_{k-i} - sum_{i<=k} q_i Db_{k-i}) / b_0 */
        for (int d = ws->lo[v]; d < ws->hi[v]; d++) {
            mpfi_ptr dst = dptr(ws, v, k, d);
            mpfi_srcptr x = dget(ws, a, k, d);
            if (ws->isc[b]) {
                if (x)
                    mpfi_div(dst, x, C(ws, b, 0));
                else
                    mpfi_set_ui(dst, 0);
                continue;
            }
            size_t m = 0;
            for (int i = 0; i < k; i++) {
                pa[m] = dptr(ws, v, i, d);
                pb[m++] = C(ws, b, k - i);
            }
            for (int i = 0; i <= k; i++) {
                mpfi_srcptr y = dget(ws, b, k - i, d);
                if (y) {
                    pa[m] = C(ws, v, i);
                    pb[m++] = y;
                }
            }
            vf_idot(dst, x, 1, pa, pb, NULL, m, &ws->dw);
            mpfi_div(dst, dst, C(ws, b, 0));
        }
        return;
    case OP_EXP:
        if (k == 0) {                       /* De_0 = Da_0 e_0 */
            dmul(ws, v, 0, a, 0, C(ws, v, 0));
            return;
        }
        /* De_k = (1/k) sum_{i=1..k} i (Da_i e_{k-i} + a_i De_{k-i}) */
        for (int d = ws->lo[v]; d < ws->hi[v]; d++) {
            mpfi_ptr dst = dptr(ws, v, k, d);
            size_t m = 0;
            for (int i = 1; i <= k; i++) {
                mpfi_srcptr x = dget(ws, a, i, d);
                if (x) {
                    pa[m] = x;
                    pb[m] = C(ws, v, k - i);
                    wt[m++] = (unsigned long)i;
                }
                pa[m] = C(ws, a, i);
                pb[m] = dptr(ws, v, k - i, d);
                wt[m++] = (unsigned long)i;
            }
            vf_idot(dst, NULL, 0, pa, pb, wt, m, &ws->dw);
            mpfi_div_ui(dst, dst, (unsigned long)k);
        }
        return;
    default:
        fprintf(stderr, "polarcert-verify: internal error: op %d in a Taylor tape\n", nd->op);
        exit(3);
    }
}

/* D x_{k+1} = D f_k / (k+1) on the variable's range (zero outside the output's). */
static void var_deriv(vf_taylor *ws, int i, int k1)
{
    int o = ws->tp->out[i];
    for (int d = ws->lo[i]; d < ws->hi[i]; d++) {
        mpfi_srcptr x = dget(ws, o, k1 - 1, d);
        if (x)
            mpfi_div_ui(dptr(ws, i, k1, d), x, (unsigned long)k1);
        else
            mpfi_set_ui(dptr(ws, i, k1, d), 0);
    }
}

void vf_taylor_run(vf_taylor *ws, mpfi_t *x0, int order, int jac)
{
    const vf_tape *tp = ws->tp;
    int nv = tp->nvars;
    if (jac > ws->J)
        jac = ws->J;
    for (int i = 0; i < nv; i++) {
        mpfi_set(C(ws, i, 0), x0[i]);
        if (jac >= 0) {
            dzero(ws, i, 0);
            mpfi_set_ui(dptr(ws, i, 0, i), 1);
        }
    }
    for (int k = 0; k < order; k++) {
        for (int v = nv; v < tp->nnodes; v++) {
            coef(ws, v, k);
            if (k <= jac - 1)
                deriv(ws, v, k);
        }
        for (int i = 0; i < nv; i++) {
            mpfi_div_ui(C(ws, i, k + 1), C(ws, tp->out[i], k), (unsigned long)(k + 1));
            if (k + 1 <= jac)
                var_deriv(ws, i, k + 1);
        }
    }
}
