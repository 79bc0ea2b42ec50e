#include <stdlib.h>
#include "pc_system.h"

const char *pc_system_name(pc_system_kind kind)
{
    switch (kind) {
    case PC_SYSTEM_REDUCED: return "reduced";
    case PC_SYSTEM_TAU: return "tau";
    default: return "full";
    }
}

slong pc_system_dim(pc_system_kind kind, const pc_problem_t p)
{
    switch (kind) {
    case PC_SYSTEM_REDUCED: return 2 * p->n;
    case PC_SYSTEM_TAU: return 2 * p->n + 1;
    default: return p->d * p->n + p->n;
    }
}

slong pc_system_a_offset(pc_system_kind kind, const pc_problem_t p)
{
    return kind == PC_SYSTEM_FULL ? p->d * p->n : p->n;
}

/* Building blocks relative to the reference token w. -------------------- */

/* s_k = e^{a_k − a_w} / Σ_j e^{a_j − a_w}. */
static void tape_softmax(pc_tape_t t, slong *s, const slong *a, slong n, slong w)
{
    for (slong k = 0; k < n; k++)
        s[k] = k == w ? pc_tape_const_si(t, 1) : pc_tape_exp(t, pc_tape_sub(t, a[k], a[w]));
    slong sum = pc_tape_sum(t, s, n);
    for (slong k = 0; k < n; k++)
        s[k] = pc_tape_div(t, s[k], sum);
}

static slong *node_vec(slong len)
{
    return flint_malloc(sizeof(slong) * (len > 0 ? len : 1));
}

/* Σ_{k≠w} s_k dv_k, with dv_k = v_k − v_w given (one DOT node). */
static slong tape_weighted_diff(pc_tape_t t, const slong *s, const slong *dv, slong n, slong w)
{
    slong *ps = node_vec(n), *pd = node_vec(n);
    slong len = 0;
    for (slong k = 0; k < n; k++)
        if (k != w) {
            ps[len] = s[k];
            pd[len++] = dv[k];
        }
    slong r = len == 0 ? pc_tape_const_si(t, 0) : pc_tape_dot(t, ps, pd, len);
    flint_free(ps);
    flint_free(pd);
    return r;
}

/* da_j = s_j (v_j − Σ_k s_k v_k) = s_j (dv_j − m), m = Σ_{k≠w} s_k dv_k
 * (the node m, or -1 to record it here; dv_w unused), times rho if rho >= 0. */
static void tape_jac_apply(pc_tape_t t, slong *da, const slong *s, const slong *dv, slong n,
                           slong w, slong rho, slong m)
{
    if (m < 0)
        m = tape_weighted_diff(t, s, dv, n, w);
    for (slong j = 0; j < n; j++) {
        slong c = j == w ? pc_tape_neg(t, m) : pc_tape_sub(t, dv[j], m);
        da[j] = pc_tape_mul(t, s[j], c);
        if (rho >= 0)
            da[j] = pc_tape_mul(t, rho, da[j]);
    }
}

static slong *const_vec(pc_tape_t t, const fmpq *v, slong len)
{
    slong *c = flint_malloc(sizeof(slong) * len);
    for (slong i = 0; i < len; i++)
        c[i] = pc_tape_const_fmpq(t, v + i);
    return c;
}

/* r = −∇ℓ(y) for the d nodes y[]; writes the nodes of r. */
static void tape_residual(pc_tape_t t, slong *r, const slong *y, const pc_problem_t p)
{
    const slong d = p->d;
    if (p->loss == PC_LOSS_LOGISTIC || p->loss == PC_LOSS_EXPONENTIAL) {
        slong *beta = const_vec(t, p->beta, d);
        slong z = pc_tape_dot(t, beta, y, d), rho;
        if (p->loss == PC_LOSS_LOGISTIC)        /* 1 / (1 + e^z) */
            rho = pc_tape_div(t, pc_tape_const_si(t, 1),
                              pc_tape_add(t, pc_tape_const_si(t, 1), pc_tape_exp(t, z)));
        else                                    /* e^{−z} */
            rho = pc_tape_exp(t, pc_tape_neg(t, z));
        for (slong i = 0; i < d; i++)
            r[i] = pc_tape_mul(t, rho, beta[i]);
        flint_free(beta);
    } else if (p->loss == PC_LOSS_SQUARE) {     /* β − y */
        for (slong i = 0; i < d; i++)
            r[i] = pc_tape_sub(t, pc_tape_const_fmpq(t, p->beta + i), y[i]);
    } else if (p->loss == PC_LOSS_CROSS_ENTROPY) {  /* q − Σq σ(y) */
        fmpq_t qs;
        fmpq_init(qs);
        for (slong i = 0; i < d; i++)
            fmpq_add(qs, qs, p->q + i);
        slong qsum = pc_tape_const_fmpq(t, qs);
        tape_softmax(t, r, y, d, 0);
        for (slong i = 0; i < d; i++)
            r[i] = pc_tape_sub(t, pc_tape_const_fmpq(t, p->q + i), pc_tape_mul(t, qsum, r[i]));
        fmpq_clear(qs);
    } else {                                    /* Xᵀ (b − X y) */
        slong *X = const_vec(t, p->X, p->m * d), *e = node_vec(p->m), *col = node_vec(p->m);
        for (slong k = 0; k < p->m; k++)
            e[k] = pc_tape_sub(t, pc_tape_const_fmpq(t, p->b + k), pc_tape_dot(t, X + k * d, y, d));
        for (slong i = 0; i < d; i++) {
            for (slong k = 0; k < p->m; k++)
                col[k] = X[k * d + i];
            r[i] = pc_tape_dot(t, col, e, p->m);
        }
        flint_free(X);
        flint_free(e);
        flint_free(col);
    }
}

/* The full system: y_i = V_iw + Σ_{k≠w} s_k (V_ik − V_iw); dV = r sᵀ;
 * da = C(s) Vᵀ r with (Vᵀr)_j − (Vᵀr)_w = Σ_i (V_ij − V_iw) r_i. */
static void tape_full(pc_tape_t t, const pc_problem_t p, slong w)
{
    const slong d = p->d, n = p->n, dn = d * n;
    slong *a = node_vec(n), *s = node_vec(n), *y = node_vec(d), *r = node_vec(d);
    slong *dV = node_vec(dn), *du = node_vec(n), *da = node_vec(n), *col = node_vec(d);
    for (slong j = 0; j < n; j++)
        a[j] = dn + j;
    tape_softmax(t, s, a, n, w);
    for (slong i = 0; i < d; i++) {
        for (slong k = 0; k < n; k++)
            dV[i * n + k] = k == w ? -1 : pc_tape_sub(t, i * n + k, i * n + w);
        y[i] = pc_tape_add(t, i * n + w, tape_weighted_diff(t, s, dV + i * n, n, w));
    }
    tape_residual(t, r, y, p);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < n; j++)
            pc_tape_set_output(t, i * n + j, pc_tape_mul(t, r[i], s[j]));
    for (slong j = 0; j < n; j++) {
        if (j == w)
            continue;
        for (slong i = 0; i < d; i++)
            col[i] = dV[i * n + j];
        du[j] = pc_tape_dot(t, col, r, d);
    }
    tape_jac_apply(t, da, s, du, n, w, -1, -1);
    for (slong j = 0; j < n; j++)
        pc_tape_set_output(t, dn + j, da[j]);
    flint_free(a);
    flint_free(s);
    flint_free(y);
    flint_free(r);
    flint_free(dV);
    flint_free(du);
    flint_free(da);
    flint_free(col);
}

/* The reduced system; tau != 0 gives the τ form with t as variable 2n. */
static void tape_reduced(pc_tape_t t, const pc_problem_t p, slong w, int tau)
{
    const slong n = p->n;
    slong *a = node_vec(n), *s = node_vec(n), *du = node_vec(n), *da = node_vec(n);
    fmpq_t nb;
    fmpq_init(nb);
    for (slong i = 0; i < p->d; i++)
        fmpq_addmul(nb, p->beta + i, p->beta + i);
    for (slong j = 0; j < n; j++) {
        a[j] = n + j;
        du[j] = j == w ? -1 : pc_tape_sub(t, j, w);
    }
    slong B = pc_tape_const_fmpq(t, nb), one = pc_tape_const_si(t, 1), rho = -1, dt = -1;
    tape_softmax(t, s, a, n, w);
    slong m = tape_weighted_diff(t, s, du, n, w);       /* Σ_{k≠w} s_k (u_k − u_w) */
    slong z = pc_tape_add(t, w, m);                     /* uᵀs */
    if (p->loss == PC_LOSS_LOGISTIC) {          /* ρ = 1/(1 + e^z), 1/ρ = 1 + e^z */
        dt = pc_tape_add(t, one, pc_tape_exp(t, z));
        rho = tau ? -1 : pc_tape_div(t, one, dt);
    } else if (p->loss == PC_LOSS_EXPONENTIAL) {    /* ρ = e^{−z} */
        if (tau)
            dt = pc_tape_exp(t, z);
        else
            rho = pc_tape_exp(t, pc_tape_neg(t, z));
    } else {                                    /* ρ = (B − z)/B */
        slong bz = pc_tape_sub(t, B, z);
        if (tau)
            dt = pc_tape_div(t, B, bz);
        else
            rho = pc_tape_div(t, bz, B);
    }
    tape_jac_apply(t, da, s, du, n, w, rho, m);    /* the same m: recorded once */
    for (slong j = 0; j < n; j++) {
        slong dU = pc_tape_mul(t, B, s[j]);
        pc_tape_set_output(t, j, rho >= 0 ? pc_tape_mul(t, rho, dU) : dU);
        pc_tape_set_output(t, n + j, da[j]);
    }
    if (tau)
        pc_tape_set_output(t, 2 * n, dt);
    fmpq_clear(nb);
    flint_free(a);
    flint_free(s);
    flint_free(du);
    flint_free(da);
}

int pc_system_tape(pc_tape_t t, pc_system_kind kind, const pc_problem_t p, slong ref)
{
    if (kind != PC_SYSTEM_FULL && pc_reduced_detect(p, NULL) == PC_REDUCED_NONE)
        return PC_ERR_UNSUPPORTED;
    if (ref < 0 || ref >= p->n)
        return PC_ERR_INPUT;
    pc_tape_init(t, pc_system_dim(kind, p));
    if (kind == PC_SYSTEM_FULL)
        tape_full(t, p, ref);
    else
        tape_reduced(t, p, ref, kind == PC_SYSTEM_TAU);
    return pc_tape_check(t);
}

int pc_system_init(pc_system_t S, pc_system_kind kind, const pc_problem_t p)
{
    if (kind != PC_SYSTEM_FULL && pc_reduced_detect(p, NULL) == PC_REDUCED_NONE)
        return PC_ERR_UNSUPPORTED;
    S->kind = kind;
    S->p = p;
    S->dim = pc_system_dim(kind, p);
    S->tape = flint_malloc(sizeof(pc_tape_struct) * p->n);
    S->built = flint_calloc(p->n, sizeof(int));
    return PC_OK;
}

void pc_system_clear(pc_system_t S)
{
    for (slong j = 0; j < S->p->n; j++)
        if (S->built[j])
            pc_tape_clear(S->tape + j);
    flint_free(S->tape);
    flint_free(S->built);
}

const pc_tape_struct *pc_system_tape_for(void *ctx, arb_srcptr x)
{
    pc_system_struct *S = ctx;
    arb_srcptr a = x + pc_system_a_offset(S->kind, S->p);
    slong w = 0;
    for (slong j = 1; j < S->p->n; j++)
        if (arf_cmp(arb_midref(a + j), arb_midref(a + w)) > 0)
            w = j;
    if (!S->built[w]) {
        pc_system_tape(S->tape + w, S->kind, S->p, w);
        S->built[w] = 1;
    }
    return S->tape + w;
}
