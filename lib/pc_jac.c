/* Jacobian of the Taylor polynomial by fixed-point forward-mode AD (see
 * pc_jac.h). The tangent of node v at order k is D(v, k), a pc_fixvec over
 * the directions of the current chunk; the recurrences are those of
 * pc_taylor.c, each written as one linear combination:
 *   var i:  D(i, 0) = e_i (or row i of S),  D(i, k) = D(out_i, k−1) / k
 *   a ± b:  D(a, k) ± D(b, k)
 *   a · b:  Σ_{i<=k} b_{k−i} D(a, i) + a_i D(b, k−i)
 *   a / b:  (D(a, k) − Σ_{i<=k} q_{k−i} D(b, i) − Σ_{1<=i<=k} b_i D(q, k−i)) / b_0
 *   exp a:  e_0 D(a, 0) at k = 0, else Σ_{1<=i<=k} (i/k) (e_{k−i} D(a, i) + a_i D(e, k−i))
 *   Σ_l a_l · b_l:  the sum over l of the terms of a_l · b_l (one combination)
 * with the series a_i, b_i, q_i, e_i of the nodes from the workspace. */
#include "pc_fixvec.h"
#include "pc_jac.h"

#define JAC_CHUNK 128

typedef struct {
    const pc_taylor_struct *w;
    slong J, len, nb, prec;
    int64_t *store;
    pc_fixvec_struct *D;            /* D[v * (J + 1) + k] */
    arb_ptr coef;                   /* up to 2(J+1) + 1 coefficients */
    const arb_struct **cp;
    const pc_fixvec_struct **vp;
    pc_fixvec_work_struct fw;
} jac_work;

static slong jac_chunk(slong nvars, slong chunk)
{
    slong b = chunk > 0 ? chunk : JAC_CHUNK;
    return b < nvars ? b : nvars;
}

/* The most terms of one combination: a DOT node of max_dot products. */
static slong jac_max_terms(const pc_tape_struct *tape, slong J)
{
    return 2 * tape->max_dot * (J + 1) + 1;
}

slong pc_jac_bytes(const pc_tape_struct *tape, slong nvars, slong J, slong chunk)
{
    slong b = jac_chunk(nvars, chunk), nt = jac_max_terms(tape, J), len = tape->len;
    return len * (J + 1) * (b * (slong) sizeof(int64_t) + (slong) sizeof(pc_fixvec_struct))
           + b * 16 + nt * (slong) (sizeof(arb_struct) + 2 * sizeof(void *) + 16);
}

static arb_srcptr ser(const jac_work *jw, slong v, slong k)
{
    return pc_taylor_coeff(jw->w, v, k);
}

static pc_fixvec_struct *tan_(const jac_work *jw, slong v, slong k)
{
    return jw->D + v * (jw->J + 1) + k;
}

/* Appends the term c · D(v, k), c a series coefficient of the workspace
 * (not copied: it does not change during the combination). */
static void term_ref(jac_work *jw, slong *nt, arb_srcptr c, slong v, slong k)
{
    jw->cp[*nt] = c;
    jw->vp[*nt] = tan_(jw, v, k);
    (*nt)++;
}

/* The terms of the product a · b at order k. */
static void mul_terms(jac_work *jw, slong *nt, slong a, slong b, slong k)
{
    for (slong i = 0; i <= k; i++) {
        term_ref(jw, nt, ser(jw, b, k - i), a, i);
        term_ref(jw, nt, ser(jw, a, i), b, k - i);
    }
}

/* Appends the term c · D(v, k) (c copied). */
static void term(jac_work *jw, slong *nt, const arb_t c, slong v, slong k)
{
    arb_set(jw->coef + *nt, c);
    jw->cp[*nt] = jw->coef + *nt;
    jw->vp[*nt] = tan_(jw, v, k);
    (*nt)++;
}

static void node_tangent(jac_work *jw, slong v, slong k, slong j0, const arb_mat_struct *S)
{
    const pc_tape_struct *tp = jw->w->tape;
    const pc_tape_node *nd = tp->node + v;
    const slong prec = jw->prec;
    slong nt = 0;
    arb_t c, inv;
    arb_init(c);
    arb_init(inv);
    pc_fixvec_struct *out = tan_(jw, v, k);
    switch (nd->op) {
    case PC_TAPE_VAR:
        if (k == 0) {                       /* the seed: e_v, or row v of S */
            if (S == NULL)
                pc_fixvec_unit(out, v - j0, jw->nb);
            else
                pc_fixvec_set_arb(out, arb_mat_entry(S, v, j0), jw->nb);
            goto done;
        }
        arb_one(c);
        arb_div_ui(c, c, k, prec);
        term(jw, &nt, c, tp->out[v], k - 1);
        break;
    case PC_TAPE_CONST:
        pc_fixvec_zero(out, jw->nb);
        goto done;
    case PC_TAPE_ADD:
    case PC_TAPE_SUB:
        arb_one(c);
        term(jw, &nt, c, nd->a, k);
        if (nd->op == PC_TAPE_SUB)
            arb_neg(c, c);
        term(jw, &nt, c, nd->b, k);
        break;
    case PC_TAPE_NEG:
        arb_set_si(c, -1);
        term(jw, &nt, c, nd->a, k);
        break;
    case PC_TAPE_MUL:
        mul_terms(jw, &nt, nd->a, nd->b, k);
        break;
    case PC_TAPE_DOT:
        for (slong l = 0; l < nd->b; l++)
            mul_terms(jw, &nt, tp->arg[nd->a + 2 * l], tp->arg[nd->a + 2 * l + 1], k);
        break;
    case PC_TAPE_DIV:
        arb_inv(inv, ser(jw, nd->b, 0), prec);
        term(jw, &nt, inv, nd->a, k);
        for (slong i = 0; i <= k; i++) {
            arb_mul(c, ser(jw, v, k - i), inv, prec);
            arb_neg(c, c);
            term(jw, &nt, c, nd->b, i);
        }
        for (slong i = 1; i <= k; i++) {
            arb_mul(c, ser(jw, nd->b, i), inv, prec);
            arb_neg(c, c);
            term(jw, &nt, c, v, k - i);
        }
        break;
    case PC_TAPE_EXP:
        if (k == 0) {
            term(jw, &nt, ser(jw, v, 0), nd->a, 0);
            break;
        }
        for (slong i = 1; i <= k; i++) {
            arb_mul_ui(c, ser(jw, v, k - i), i, prec);
            arb_div_ui(c, c, k, prec);
            term(jw, &nt, c, nd->a, i);
            arb_mul_ui(c, ser(jw, nd->a, i), i, prec);
            arb_div_ui(c, c, k, prec);
            term(jw, &nt, c, v, k - i);
        }
        break;
    }
    pc_fixvec_lincomb(out, jw->cp, jw->vp, nt, jw->nb, &jw->fw);
done:
    arb_clear(c);
    arb_clear(inv);
}

void pc_jac_poly(arb_mat_t A, const pc_taylor_t w, slong J, const arb_t h, const arb_mat_t S,
                 slong chunk, slong prec)
{
    const pc_tape_struct *tp = w->tape;
    const slong n = tp->nvars, ncol = S == NULL ? n : arb_mat_ncols(S);
    const slong b = jac_chunk(ncol, chunk), nt = jac_max_terms(tp, J);
    jac_work jw;
    jw.w = w;
    jw.J = J;
    jw.len = tp->len;
    jw.prec = prec;
    jw.store = flint_malloc(sizeof(int64_t) * tp->len * (J + 1) * b);
    jw.D = flint_malloc(sizeof(pc_fixvec_struct) * tp->len * (J + 1));
    jw.coef = _arb_vec_init(nt);
    jw.cp = flint_malloc(sizeof(arb_struct *) * nt);
    jw.vp = flint_malloc(sizeof(pc_fixvec_struct *) * nt);
    pc_fixvec_work_init(&jw.fw, b, nt);
    for (slong v = 0; v < tp->len * (J + 1); v++)
        pc_fixvec_init(jw.D + v, jw.store + v * b, b);
    arb_ptr hk = _arb_vec_init(J + 1);
    _arb_vec_set_powers(hk, h, J + 1, prec);
    pc_fixvec_struct row;
    int64_t *rowm = flint_malloc(sizeof(int64_t) * b);
    pc_fixvec_init(&row, rowm, b);
    for (slong j0 = 0; j0 < ncol; j0 += b) {
        jw.nb = ncol - j0 < b ? ncol - j0 : b;
        for (slong k = 0; k <= J; k++)
            for (slong v = 0; v < tp->len; v++)
                node_tangent(&jw, v, k, j0, S);
        for (slong i = 0; i < n; i++) {             /* row i: Σ_k D(i, k) h^k */
            for (slong k = 0; k <= J; k++) {
                jw.cp[k] = hk + k;
                jw.vp[k] = tan_(&jw, i, k);
            }
            pc_fixvec_lincomb(&row, jw.cp, jw.vp, J + 1, jw.nb, &jw.fw);
            for (slong j = 0; j < jw.nb; j++)
                pc_fixvec_get_arb(arb_mat_entry(A, i, j0 + j), &row, j);
        }
    }
    pc_fixvec_clear(&row);
    flint_free(rowm);
    _arb_vec_clear(hk, J + 1);
    for (slong v = 0; v < tp->len * (J + 1); v++)
        pc_fixvec_clear(jw.D + v);
    pc_fixvec_work_clear(&jw.fw);
    flint_free(jw.store);
    flint_free(jw.D);
    _arb_vec_clear(jw.coef, nt);
    flint_free(jw.cp);
    flint_free(jw.vp);
}
