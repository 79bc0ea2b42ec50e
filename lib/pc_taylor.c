/* Taylor-mode automatic differentiation over a tape. For a node v = g(a, b)
 * the coefficient of order k depends only on the coefficients of order <= k
 * of a and b, so the whole tape is swept once per order; a state variable's
 * coefficient of order k is f_{k-1}/k, from the sweep before. */
#include "pc_memory.h"
#include "pc_taylor.h"

#define COEF(w, v) ((w)->c + (v) * ((w)->max_order + 1))
#define DCOEF(w, v, k) ((w)->dc + ((v) * ((w)->max_order + 1) + (k)) * (w)->ndir)

/* MUST FOLLOW pc_taylor_init: the vectors c, dc, cst and tmp, every ball
 * at prec, and the two gather arrays of the DOT nodes (ball structs only). */
double pc_taylor_memory(const pc_tape_t tape, slong max_order, int with_jac, slong prec)
{
    const double ndir = with_jac ? tape->nvars : 0, n = (double) tape->len * (max_order + 1);
    return (n + n * ndir + FLINT_MAX(tape->nconst, 1) + FLINT_MAX(ndir, 1))
           * pc_memory_ball_bytes(prec)
           + 2.0 * tape->max_dot * (max_order + 1) * sizeof(arb_struct);
}

int pc_taylor_init(pc_taylor_t w, const pc_tape_t tape, slong max_order,
                   int with_jac, slong prec)
{
    const slong n = tape->len * (max_order + 1);
    w->tape = tape;
    w->max_order = max_order;
    w->ndir = with_jac ? tape->nvars : 0;
    w->prec = prec;
    /* the two large vectors: a status when they do not fit, never an abort */
    w->c = pc_memory_vec_try_init(n);
    w->dc = NULL;
    if (w->c != NULL && w->ndir > 0) {
        if ((double) n * w->ndir < (double) WORD_MAX / sizeof(arb_struct))
            w->dc = pc_memory_vec_try_init(n * w->ndir);
        if (w->dc == NULL) {
            _arb_vec_clear(w->c, n);
            w->c = NULL;
        }
    }
    if (w->c == NULL)
        return PC_ERR_MEMORY;
    w->cst = _arb_vec_init(tape->nconst > 0 ? tape->nconst : 1);
    for (slong i = 0; i < tape->nconst; i++)
        arb_set_fmpq(w->cst + i, tape->cval + i, prec);
    w->tmp = _arb_vec_init(w->ndir > 0 ? w->ndir : 1);
    w->scr = _arb_vec_init(max_order + 1);
    w->gx = flint_malloc(sizeof(arb_struct) * tape->max_dot * (max_order + 1));
    w->gy = flint_malloc(sizeof(arb_struct) * tape->max_dot * (max_order + 1));
    return PC_OK;
}

void pc_taylor_clear(pc_taylor_t w)
{
    const slong n = w->tape->len * (w->max_order + 1);
    _arb_vec_clear(w->c, n);
    if (w->dc)
        _arb_vec_clear(w->dc, n * w->ndir);
    _arb_vec_clear(w->cst, w->tape->nconst > 0 ? w->tape->nconst : 1);
    _arb_vec_clear(w->tmp, w->ndir > 0 ? w->ndir : 1);
    _arb_vec_clear(w->scr, w->max_order + 1);
    flint_free(w->gx);
    flint_free(w->gy);
}

static void vec_scalar_div_ui(arb_ptr r, arb_srcptr v, slong n, ulong c, slong prec)
{
    for (slong j = 0; j < n; j++)
        arb_div_ui(r + j, v + j, c, prec);
}

/* c_k of v = a·b: Σ_{i<=k} a_i b_{k−i}; and its derivatives. */
static void taylor_mul(pc_taylor_t w, slong v, slong a, slong b, slong k)
{
    arb_srcptr A = COEF(w, a), B = COEF(w, b);
    if (w->tape->node[a].op == PC_TAPE_CONST)       /* a_i = 0 for i > 0, exactly */
        arb_mul(COEF(w, v) + k, A, B + k, w->prec);
    else if (w->tape->node[b].op == PC_TAPE_CONST)
        arb_mul(COEF(w, v) + k, B, A + k, w->prec);
    else
        arb_dot(COEF(w, v) + k, NULL, 0, A, 1, B + k, -1, k + 1, w->prec);
    if (w->ndir == 0)
        return;
    /* per direction j: Σ_i da_i[j] b_{k−i} + Σ_i a_i db_{k−i}[j], two dot
     * products with stride ndir (one rounding each, much faster than
     * k + 1 separate multiply-adds) */
    const slong N = w->ndir;
    arb_ptr D = DCOEF(w, v, k);
    for (slong j = 0; j < N; j++) {
        arb_dot(D + j, NULL, 0, DCOEF(w, a, 0) + j, N, B + k, -1, k + 1, w->prec);
        arb_dot(D + j, D + j, 0, A, 1, DCOEF(w, b, k) + j, -N, k + 1, w->prec);
    }
}

/* c_k of v = Σ_l a_l·b_l (a DOT node): all the products a_{l,i} b_{l,k−i}
 * in one dot product (one rounding; a constant operand has a_{l,i} = 0 for
 * i > 0 exactly, so it contributes one product). The operands' balls are
 * gathered as shallow struct copies into gx, gy, which arb_dot only reads:
 * no ball is copied, changed or freed through them. */
static void taylor_dot(pc_taylor_t w, const pc_tape_node *nd, slong v, slong k)
{
    const pc_tape_struct *t = w->tape;
    const slong *arg = t->arg + nd->a;
    slong len = 0;
    for (slong l = 0; l < nd->b; l++) {
        const slong a = arg[2 * l], b = arg[2 * l + 1];
        arb_srcptr A = COEF(w, a), B = COEF(w, b);
        if (t->node[a].op == PC_TAPE_CONST) {
            w->gx[len] = *A;
            w->gy[len++] = B[k];
        } else if (t->node[b].op == PC_TAPE_CONST) {
            w->gx[len] = *B;
            w->gy[len++] = A[k];
        } else
            for (slong i = 0; i <= k; i++) {
                w->gx[len] = A[i];
                w->gy[len++] = B[k - i];
            }
    }
    arb_dot(COEF(w, v) + k, NULL, 0, w->gx, 1, w->gy, 1, len, w->prec);
    if (w->ndir == 0)
        return;
    /* per direction j: Σ_l (Σ_i da_{l,i}[j] b_{l,k−i} + Σ_i a_{l,i} db_{l,k−i}[j]) */
    const slong N = w->ndir;
    arb_ptr D = DCOEF(w, v, k);
    for (slong l = 0; l < nd->b; l++) {
        const slong a = arg[2 * l], b = arg[2 * l + 1];
        for (slong j = 0; j < N; j++) {
            arb_dot(D + j, l == 0 ? NULL : D + j, 0, DCOEF(w, a, 0) + j, N, COEF(w, b) + k, -1,
                    k + 1, w->prec);
            arb_dot(D + j, D + j, 0, COEF(w, a), 1, DCOEF(w, b, k) + j, -N, k + 1, w->prec);
        }
    }
}

/* q = a/b: q_k = (a_k − Σ_{i=1..k} b_i q_{k−i}) / b_0. */
static void taylor_div(pc_taylor_t w, slong v, slong a, slong b, slong k)
{
    arb_srcptr A = COEF(w, a), B = COEF(w, b);
    arb_ptr Q = COEF(w, v);
    arb_dot(Q + k, A + k, 1, B + 1, 1, Q + k - 1, -1, k, w->prec);
    arb_div(Q + k, Q + k, B, w->prec);
    if (w->ndir == 0)
        return;
    /* dq_k = (da_k − Σ_{i=0..k} db_i q_{k−i} − Σ_{i=1..k} b_i dq_{k−i}) / b_0 */
    const slong N = w->ndir;
    arb_ptr D = DCOEF(w, v, k);
    for (slong j = 0; j < N; j++) {
        arb_dot(D + j, DCOEF(w, a, k) + j, 1, DCOEF(w, b, 0) + j, N, Q + k, -1, k + 1, w->prec);
        if (k > 0)
            arb_dot(D + j, D + j, 1, B + 1, 1, DCOEF(w, v, k - 1) + j, -N, k, w->prec);
    }
    _arb_vec_scalar_div(D, D, N, B, w->prec);
}

/* e = exp(a): e_0 = exp(a_0), e_k = (1/k) Σ_{i=1..k} i a_i e_{k−i}. */
static void taylor_exp(pc_taylor_t w, slong v, slong a, slong k)
{
    arb_srcptr A = COEF(w, a);
    arb_ptr E = COEF(w, v);
    arb_t t;
    if (k == 0) {
        arb_exp(E, A, w->prec);
        if (w->ndir)
            _arb_vec_scalar_mul(DCOEF(w, v, 0), DCOEF(w, a, 0), w->ndir, E, w->prec);
        return;
    }
    arb_init(t);
    /* Σ i a_i e_{k−i} as one dot product (one rounding, and much cheaper
     * than k multiply-adds; i a_i is rounded like any ball product) */
    for (slong i = 1; i <= k; i++)
        arb_mul_ui(w->scr + i, A + i, i, w->prec);
    arb_dot(E + k, NULL, 0, w->scr + 1, 1, E + k - 1, -1, k, w->prec);
    arb_div_ui(E + k, E + k, k, w->prec);
    if (w->ndir) {
        /* de_k = (1/k) Σ i (da_i e_{k−i} + a_i de_{k−i}) */
        arb_ptr D = DCOEF(w, v, k);
        _arb_vec_zero(D, w->ndir);
        for (slong i = 1; i <= k; i++) {
            arb_mul_ui(t, E + k - i, i, w->prec);
            _arb_vec_scalar_addmul(D, DCOEF(w, a, i), w->ndir, t, w->prec);
            arb_mul_ui(t, A + i, i, w->prec);
            _arb_vec_scalar_addmul(D, DCOEF(w, v, k - i), w->ndir, t, w->prec);
        }
        vec_scalar_div_ui(D, D, w->ndir, k, w->prec);
    }
    arb_clear(t);
}

static void taylor_linear(pc_taylor_t w, const pc_tape_node *nd, slong v, slong k)
{
    arb_ptr r = COEF(w, v) + k;
    arb_srcptr a = COEF(w, nd->a) + k;
    arb_srcptr b = nd->b >= 0 ? COEF(w, nd->b) + k : NULL;
    switch (nd->op) {
    case PC_TAPE_ADD: arb_add(r, a, b, w->prec); break;
    case PC_TAPE_SUB: arb_sub(r, a, b, w->prec); break;
    default: arb_neg(r, a); break;
    }
    if (w->ndir == 0)
        return;
    arb_ptr D = DCOEF(w, v, k);
    switch (nd->op) {
    case PC_TAPE_ADD: _arb_vec_add(D, DCOEF(w, nd->a, k), DCOEF(w, nd->b, k), w->ndir, w->prec); break;
    case PC_TAPE_SUB: _arb_vec_sub(D, DCOEF(w, nd->a, k), DCOEF(w, nd->b, k), w->ndir, w->prec); break;
    default: _arb_vec_neg(D, DCOEF(w, nd->a, k), w->ndir); break;
    }
}

static void taylor_vars(pc_taylor_t w, arb_srcptr x0, slong k)
{
    const pc_tape_struct *t = w->tape;
    for (slong i = 0; i < t->nvars; i++) {
        if (k == 0)
            arb_set(COEF(w, i), x0 + i);
        else
            arb_div_ui(COEF(w, i) + k, COEF(w, t->out[i]) + k - 1, k, w->prec);
        if (w->ndir == 0)
            continue;
        if (k == 0) {
            _arb_vec_zero(DCOEF(w, i, 0), w->ndir);
            arb_one(DCOEF(w, i, 0) + i);
        } else
            vec_scalar_div_ui(DCOEF(w, i, k), DCOEF(w, t->out[i], k - 1), w->ndir, k, w->prec);
    }
}

void pc_taylor_compute(pc_taylor_t w, arb_srcptr x0, slong order)
{
    const pc_tape_struct *t = w->tape;
    for (slong k = 0; k <= order; k++) {
        taylor_vars(w, x0, k);
        for (slong v = t->nvars; v < t->len; v++) {
            const pc_tape_node *nd = t->node + v;
            switch (nd->op) {
            case PC_TAPE_CONST:
                if (k == 0)
                    arb_set(COEF(w, v), w->cst + nd->a);
                else
                    arb_zero(COEF(w, v) + k);
                if (w->ndir)
                    _arb_vec_zero(DCOEF(w, v, k), w->ndir);
                break;
            case PC_TAPE_MUL: taylor_mul(w, v, nd->a, nd->b, k); break;
            case PC_TAPE_DIV: taylor_div(w, v, nd->a, nd->b, k); break;
            case PC_TAPE_EXP: taylor_exp(w, v, nd->a, k); break;
            case PC_TAPE_DOT: taylor_dot(w, nd, v, k); break;
            case PC_TAPE_VAR: break;
            default: taylor_linear(w, nd, v, k); break;
            }
        }
    }
}

void pc_taylor_poly_eval(arb_ptr res, const pc_taylor_t w, slong order,
                         const arb_t h, slong prec)
{
    for (slong i = 0; i < w->tape->nvars; i++) {
        arb_srcptr c = pc_taylor_coeff(w, i, 0);
        arb_set(res + i, c + order);
        for (slong k = order - 1; k >= 0; k--) {
            arb_mul(res + i, res + i, h, prec);
            arb_add(res + i, res + i, c + k, prec);
        }
    }
}

void pc_taylor_poly_jac(arb_mat_t J, const pc_taylor_t w, slong order,
                        const arb_t h, slong prec)
{
    const slong n = w->tape->nvars;
    for (slong i = 0; i < n; i++) {
        for (slong j = 0; j < n; j++)
            arb_set(arb_mat_entry(J, i, j), pc_taylor_jac(w, i, order) + j);
        for (slong k = order - 1; k >= 0; k--)
            for (slong j = 0; j < n; j++) {
                arb_mul(arb_mat_entry(J, i, j), arb_mat_entry(J, i, j), h, prec);
                arb_add(arb_mat_entry(J, i, j), arb_mat_entry(J, i, j),
                        pc_taylor_jac(w, i, k) + j, prec);
            }
    }
}
