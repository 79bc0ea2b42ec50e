/* vf_system.c — the three ODE systems of FORMAT.md as tapes, the claim quantities, the
 * lemma hypotheses, and the initial state from the exact problem.
 *
 * Every softmax is taken relative to the step's reference token w (e_w = 1 exactly) and
 * every s-weighted mean through differences from w, exactly in the forms FORMAT.md gives:
 * the certifier's a priori enclosures are tight, and a looser form could fail them. */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

#define OP(op, a, b) vf_tape_op(tp, (op), (a), (b))

typedef struct {
    int n, w;
    int *s;         /* s_k */
    int S;          /* sum_k e_k */
} softmax_t;

/* e_k = exp(a_k - a_w), e_w = 1; s_k = e_k / S.  da[k] receives a_k - a_w. */
static void softmax(vf_tape *tp, const int *a, int n, int w, softmax_t *sm, int *da)
{
    int *e = vf_malloc(sizeof(int) * (size_t)n);
    sm->n = n;
    sm->w = w;
    sm->s = vf_malloc(sizeof(int) * (size_t)n);
    for (int k = 0; k < n; k++) {
        if (k == w) {
            e[k] = vf_tape_const_si(tp, 1);
            da[k] = -1;
        } else {
            da[k] = OP(OP_SUB, a[k], a[w]);
            e[k] = OP(OP_EXP, da[k], -1);
        }
    }
    sm->S = vf_tape_sum(tp, e, n);
    for (int k = 0; k < n; k++)
        sm->s[k] = OP(OP_DIV, e[k], sm->S);
    free(e);
}

/* mean_s(v) - v_w = sum_{k != w} s_k (v_k - v_w), from the differences dv (dv[w] unused) */
static int meandiff(vf_tape *tp, const softmax_t *sm, const int *dv)
{
    int *t = vf_malloc(sizeof(int) * (size_t)sm->n), m = 0;
    for (int k = 0; k < sm->n; k++)
        if (k != sm->w)
            t[m++] = OP(OP_MUL, sm->s[k], dv[k]);
    int r = vf_tape_sum(tp, t, m);
    free(t);
    return r;
}

/* v_j - mean_s(v) = (v_j - v_w) - md; for j = w: -md */
static int centred(vf_tape *tp, const softmax_t *sm, const int *dv, int md, int j)
{
    return j == sm->w ? OP(OP_NEG, md, -1) : OP(OP_SUB, dv[j], md);
}

static int cq(vf_tape *tp, const mpq_t q)
{
    return vf_tape_const_q(tp, q);
}

/* ---------- full system pieces ---------- */

/* dV[i*n+k] = V_ik - V_iw (k != w); y_i = V_iw + mean difference */
static void full_y(vf_tape *tp, const vf_cert *c, const softmax_t *sm, int *dV, int *y)
{
    int n = c->n, w = sm->w;
    for (int i = 0; i < c->d; i++) {
        for (int k = 0; k < n; k++)
            dV[i * n + k] = k == w ? -1 : OP(OP_SUB, i * n + k, i * n + w);
        y[i] = OP(OP_ADD, i * n + w, meandiff(tp, sm, dV + (size_t)i * n));
    }
}

/* r = -grad loss(y) */
static void full_r(vf_tape *tp, const vf_cert *c, const int *y, int *r)
{
    int d = c->d;
    int *t = vf_malloc(sizeof(int) * (size_t)(d + c->m + 1));
    if (c->loss == VF_LOGISTIC || c->loss == VF_EXPONENTIAL) {
        for (int i = 0; i < d; i++)
            t[i] = OP(OP_MUL, cq(tp, c->beta[i]), y[i]);
        int m = vf_tape_sum(tp, t, d), g;       /* m = beta^T y */
        if (c->loss == VF_LOGISTIC)
            g = OP(OP_DIV, vf_tape_const_si(tp, 1),
                   OP(OP_ADD, vf_tape_const_si(tp, 1), OP(OP_EXP, m, -1)));
        else
            g = OP(OP_EXP, OP(OP_NEG, m, -1), -1);
        for (int i = 0; i < d; i++)
            r[i] = OP(OP_MUL, cq(tp, c->beta[i]), g);
    } else if (c->loss == VF_SQUARE) {
        for (int i = 0; i < d; i++)
            r[i] = OP(OP_SUB, cq(tp, c->beta[i]), y[i]);
    } else if (c->loss == VF_CROSSENT) {
        /* sigma(y) relative to component 0 */
        mpq_t Q;
        mpq_init(Q);
        for (int i = 0; i < d; i++)
            mpq_add(Q, Q, c->q[i]);
        t[0] = vf_tape_const_si(tp, 1);
        for (int i = 1; i < d; i++)
            t[i] = OP(OP_EXP, OP(OP_SUB, y[i], y[0]), -1);
        int S = vf_tape_sum(tp, t, d), Qn = cq(tp, Q);
        mpq_clear(Q);
        for (int i = 0; i < d; i++)
            r[i] = OP(OP_SUB, cq(tp, c->q[i]), OP(OP_MUL, Qn, OP(OP_DIV, t[i], S)));
    } else {                                    /* quadratic: X^T (b - X y) */
        int *res = vf_malloc(sizeof(int) * (size_t)c->m);
        for (int l = 0; l < c->m; l++) {
            for (int i = 0; i < d; i++)
                t[i] = OP(OP_MUL, cq(tp, c->X[(size_t)l * d + i]), y[i]);
            res[l] = OP(OP_SUB, cq(tp, c->b[l]), vf_tape_sum(tp, t, d));
        }
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < c->m; l++)
                t[l] = OP(OP_MUL, cq(tp, c->X[(size_t)l * d + i]), res[l]);
            r[i] = vf_tape_sum(tp, t, c->m);
        }
        free(res);
    }
    free(t);
}

/* du[j] = u_j - u_w = sum_i dV_ij * coef_i  (coef = r, or beta for the lemma) */
static void full_du(vf_tape *tp, const vf_cert *c, int w, const int *dV, const int *coef,
                    int *du)
{
    int *t = vf_malloc(sizeof(int) * (size_t)c->d);
    for (int j = 0; j < c->n; j++) {
        if (j == w) {
            du[j] = -1;
            continue;
        }
        for (int i = 0; i < c->d; i++)
            t[i] = OP(OP_MUL, dV[i * c->n + j], coef[i]);
        du[j] = vf_tape_sum(tp, t, c->d);
    }
    free(t);
}

/* B = ||beta||^2 exactly */
static void beta_norm2(const vf_cert *c, mpq_t B)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(B, 0, 1);
    for (int i = 0; i < c->d; i++) {
        mpq_mul(t, c->beta[i], c->beta[i]);
        mpq_add(B, B, t);
    }
    mpq_clear(t);
}

/* ---------- common skeleton ---------- */

typedef struct {
    vf_tape *tp;
    softmax_t sm;
    int *da, *du;       /* a_k - a_w, u_k - u_w */
    int mda, mdu;       /* mean differences */
    int *r, *dV, *y;    /* full system only */
    int rho;            /* -1 for full (rho = 1) */
    int z;              /* reduced/tau: z = mean_s(u) */
} skel_t;

static int rho_node(vf_tape *tp, const vf_cert *c, int z, int inverse)
{
    mpq_t B;
    mpq_init(B);
    for (int i = 0; i < c->d; i++) {
        mpq_t t;
        mpq_init(t);
        mpq_mul(t, c->beta[i], c->beta[i]);
        mpq_add(B, B, t);
        mpq_clear(t);
    }
    int Bn = cq(tp, B), r;
    if (c->loss == VF_LOGISTIC)
        r = inverse ? OP(OP_ADD, vf_tape_const_si(tp, 1), OP(OP_EXP, z, -1))
                    : OP(OP_DIV, vf_tape_const_si(tp, 1),
                         OP(OP_ADD, vf_tape_const_si(tp, 1), OP(OP_EXP, z, -1)));
    else if (c->loss == VF_EXPONENTIAL)
        r = OP(OP_EXP, inverse ? z : OP(OP_NEG, z, -1), -1);
    else if (inverse)
        r = OP(OP_DIV, Bn, OP(OP_SUB, Bn, z));
    else {
        mpq_inv(B, B);
        r = OP(OP_MUL, cq(tp, B), OP(OP_SUB, Bn, z));
    }
    mpq_clear(B);
    return r;
}

/* Builds softmax, differences and (full) r for reference w.  lemma_u: full system uses
 * u = V^T beta instead of V^T r. */
static void skeleton(skel_t *sk, const vf_cert *c, int w, int lemma_u)
{
    int n = c->n, d = c->d;
    vf_tape *tp = sk->tp = vf_tape_new(c->dim);
    int a0 = c->sys == VF_FULL ? d * n : n;
    int *a = vf_malloc(sizeof(int) * (size_t)n);
    for (int k = 0; k < n; k++)
        a[k] = a0 + k;
    sk->da = vf_malloc(sizeof(int) * (size_t)n);
    sk->du = vf_malloc(sizeof(int) * (size_t)n);
    softmax(tp, a, n, w, &sk->sm, sk->da);
    sk->mda = meandiff(tp, &sk->sm, sk->da);
    sk->r = sk->dV = sk->y = NULL;
    sk->rho = sk->z = -1;
    if (c->sys == VF_FULL) {
        sk->dV = vf_malloc(sizeof(int) * (size_t)d * n);
        sk->r = vf_malloc(sizeof(int) * (size_t)d);
        int *y = vf_malloc(sizeof(int) * (size_t)d);
        full_y(tp, c, &sk->sm, sk->dV, y);
        if (lemma_u)
            for (int i = 0; i < d; i++)
                sk->r[i] = cq(tp, c->beta[i]);
        else
            full_r(tp, c, y, sk->r);
        full_du(tp, c, w, sk->dV, sk->r, sk->du);
        sk->y = y;
    } else {
        for (int k = 0; k < n; k++)
            sk->du[k] = k == w ? -1 : OP(OP_SUB, k, w);
    }
    sk->mdu = meandiff(tp, &sk->sm, sk->du);
    if (c->sys != VF_FULL)
        sk->z = OP(OP_ADD, w, sk->mdu);
    if (c->sys == VF_REDUCED)
        sk->rho = rho_node(tp, c, sk->z, 0);
    free(a);
}

static vf_tape *finish(skel_t *sk, const int *out, int nout)
{
    vf_tape_set_outputs(sk->tp, out, nout);
    free(sk->sm.s);
    free(sk->da);
    free(sk->du);
    free(sk->r);
    free(sk->dV);
    free(sk->y);
    return sk->tp;
}

vf_tape *vf_build_field(const vf_cert *c, int w)
{
    skel_t sk;
    skeleton(&sk, c, w, 0);
    vf_tape *tp = sk.tp;
    int n = c->n, d = c->d;
    int *out = vf_malloc(sizeof(int) * (size_t)c->dim);
    int a0 = c->sys == VF_FULL ? d * n : n;
    for (int j = 0; j < n; j++) {       /* a' = rho C(s) u */
        int v = OP(OP_MUL, sk.sm.s[j], centred(tp, &sk.sm, sk.du, sk.mdu, j));
        out[a0 + j] = sk.rho >= 0 ? OP(OP_MUL, sk.rho, v) : v;
    }
    if (c->sys == VF_FULL) {
        for (int i = 0; i < d; i++)
            for (int j = 0; j < n; j++)
                out[i * n + j] = OP(OP_MUL, sk.r[i], sk.sm.s[j]);
    } else {
        mpq_t B;
        mpq_init(B);
        for (int i = 0; i < d; i++) {
            mpq_t t;
            mpq_init(t);
            mpq_mul(t, c->beta[i], c->beta[i]);
            mpq_add(B, B, t);
            mpq_clear(t);
        }
        int Bn = cq(tp, B);
        mpq_clear(B);
        int rB = sk.rho >= 0 ? OP(OP_MUL, sk.rho, Bn) : Bn;
        for (int j = 0; j < n; j++)
            out[j] = OP(OP_MUL, rB, sk.sm.s[j]);
        if (c->sys == VF_TAU)
            out[2 * n] = rho_node(tp, c, sk.z, 1);
    }
    vf_tape *r = finish(&sk, out, c->dim);
    free(out);
    return r;
}

/* The loss L = l(V s) (FORMAT.md "claims": loss_below, loss_above): from y = V s on the
 * full system, from z = u^T s on the reduced and tau systems (phi(z) for the margin
 * losses, (|beta|^2 - z)^2 / (2 |beta|^2) for the aligned square loss). */
static int loss_node(vf_tape *tp, const vf_cert *c, const skel_t *sk)
{
    int d = c->d, one = vf_tape_const_si(tp, 1), m, L;
    mpq_t h;
    mpq_init(h);
    mpq_set_ui(h, 1, 2);
    int half = cq(tp, h);
    mpq_clear(h);
    if (c->sys != VF_FULL) {
        if (c->loss == VF_LOGISTIC)
            return OP(OP_LOG, OP(OP_ADD, one, OP(OP_EXP, OP(OP_NEG, sk->z, -1), -1)), -1);
        if (c->loss == VF_EXPONENTIAL)
            return OP(OP_EXP, OP(OP_NEG, sk->z, -1), -1);
        mpq_t B;
        mpq_init(B);
        beta_norm2(c, B);
        int Bn = cq(tp, B);
        mpq_inv(B, B);
        L = OP(OP_MUL, OP(OP_MUL, half, cq(tp, B)), OP(OP_SQR, OP(OP_SUB, Bn, sk->z), -1));
        mpq_clear(B);
        return L;
    }
    int *t = vf_malloc(sizeof(int) * (size_t)(d + c->m + 1));
    const int *y = sk->y;
    if (c->loss == VF_LOGISTIC || c->loss == VF_EXPONENTIAL) {
        for (int i = 0; i < d; i++)
            t[i] = OP(OP_MUL, cq(tp, c->beta[i]), y[i]);
        m = OP(OP_NEG, vf_tape_sum(tp, t, d), -1);          /* -beta^T y */
        L = c->loss == VF_LOGISTIC ? OP(OP_LOG, OP(OP_ADD, one, OP(OP_EXP, m, -1)), -1)
                                   : OP(OP_EXP, m, -1);
    } else if (c->loss == VF_SQUARE) {
        for (int i = 0; i < d; i++)
            t[i] = OP(OP_SQR, OP(OP_SUB, y[i], cq(tp, c->beta[i])), -1);
        L = OP(OP_MUL, half, vf_tape_sum(tp, t, d));
    } else if (c->loss == VF_CROSSENT) {
        /* sum(q) log sum_i e^{y_i} - q^T y, the log-sum-exp relative to y_0 */
        mpq_t Q;
        mpq_init(Q);
        for (int i = 0; i < d; i++)
            mpq_add(Q, Q, c->q[i]);
        t[0] = one;
        for (int i = 1; i < d; i++)
            t[i] = OP(OP_EXP, OP(OP_SUB, y[i], y[0]), -1);
        int lse = OP(OP_ADD, y[0], OP(OP_LOG, vf_tape_sum(tp, t, d), -1));
        for (int i = 0; i < d; i++)
            t[i] = OP(OP_MUL, cq(tp, c->q[i]), y[i]);
        L = OP(OP_SUB, OP(OP_MUL, cq(tp, Q), lse), vf_tape_sum(tp, t, d));
        mpq_clear(Q);
    } else {                                    /* 1/2 |b - X y|^2 */
        int *e = vf_malloc(sizeof(int) * (size_t)c->m);
        for (int l = 0; l < c->m; l++) {
            for (int i = 0; i < d; i++)
                t[i] = OP(OP_MUL, cq(tp, c->X[(size_t)l * d + i]), y[i]);
            e[l] = OP(OP_SQR, OP(OP_SUB, cq(tp, c->b[l]), vf_tape_sum(tp, t, d)), -1);
        }
        L = OP(OP_MUL, half, vf_tape_sum(tp, e, c->m));
        free(e);
    }
    free(t);
    return L;
}

vf_tape *vf_build_quant(const vf_cert *c, int w)
{
    skel_t sk;
    skeleton(&sk, c, w, 0);
    vf_tape *tp = sk.tp;
    int n = c->n;
    int *U = vf_malloc(sizeof(int) * (size_t)n), *t = vf_malloc(sizeof(int) * (size_t)n);
    int *out = vf_malloc(sizeof(int) * (c->nclaims + 3 + 2 * (size_t)n)), *sA = vf_malloc(sizeof(int) * (size_t)n);
    for (int j = 0; j < n; j++) {
        U[j] = centred(tp, &sk.sm, sk.du, sk.mdu, j);
        int A = centred(tp, &sk.sm, sk.da, sk.mda, j);
        sA[j] = OP(OP_MUL, sk.sm.s[j], A);
        t[j] = OP(OP_MUL, OP(OP_SQR, sk.sm.s[j], -1), OP(OP_MUL, A, U[j]));
    }
    int sum = vf_tape_sum(tp, t, n);
    out[0] = OP(OP_NEG, sk.rho >= 0 ? OP(OP_MUL, sk.rho, sum) : sum, -1);
    int m = 0;                          /* H = log S - sum_{k != w} s_k (a_k - a_w) */
    for (int k = 0; k < n; k++)
        if (k != w)
            t[m++] = OP(OP_MUL, sk.sm.s[k], sk.da[k]);
    out[1] = OP(OP_SUB, OP(OP_LOG, sk.sm.S, -1), vf_tape_sum(tp, t, m));
    int no = 2;
    for (size_t q = 0; q < c->nclaims; q++) {
        const vf_claim *cl = &c->claims[q];
        if (!vf_claim_uses_gap(cl))
            continue;
        int g = OP(OP_SUB, OP(OP_MUL, sk.sm.s[cl->i], U[cl->i]),
                   OP(OP_MUL, sk.sm.s[cl->j], U[cl->j]));
        out[no++] = sk.rho >= 0 ? OP(OP_MUL, sk.rho, g) : g;
    }
    for (int j = 0; j < n; j++)
        out[no++] = sA[j];
    /* s_j (a_j - abar) with the direct mean abar = sum_k s_k a_k (FORMAT.md: over a
     * short piece of a run from a(0) = 0 it is tighter than the centred form) */
    int a0 = c->sys == VF_FULL ? c->d * n : n;
    for (int k = 0; k < n; k++)
        t[k] = OP(OP_MUL, sk.sm.s[k], a0 + k);
    int abar = vf_tape_sum(tp, t, n);
    for (int j = 0; j < n; j++)
        out[no++] = OP(OP_MUL, sk.sm.s[j], OP(OP_SUB, a0 + j, abar));
    out[no++] = loss_node(tp, c, &sk);  /* (vf_claims: Lout) */
    vf_tape *r = finish(&sk, out, no);
    free(U);
    free(t);
    free(sA);
    free(out);
    return r;
}

vf_tape *vf_build_lemma(const vf_cert *c, int k)
{
    skel_t sk;
    skeleton(&sk, c, k, 1);
    vf_tape *tp = sk.tp;
    int n = c->n, no = 0;
    int *out = vf_malloc(sizeof(int) * (size_t)(2 * n + 1));
    out[no++] = sk.sm.s[k];
    for (int j = 0; j < n; j++) {
        if (j == k)
            continue;
        out[no++] = centred(tp, &sk.sm, sk.da, sk.mda, j);
        out[no++] = centred(tp, &sk.sm, sk.du, sk.mdu, j);
    }
    vf_tape *r = finish(&sk, out, no);
    free(out);
    return r;
}

vf_tape *vf_build_horizon(const vf_cert *c, int w)
{
    skel_t sk;
    skeleton(&sk, c, w, 0);             /* tau layout: z = mean_s(u) is built */
    vf_tape *tp = sk.tp;
    int n = c->n, no = 0;
    int *out = vf_malloc(sizeof(int) * (size_t)(2 * n + 3)), *t = vf_malloc(sizeof(int) * (size_t)n);
    mpq_t B;
    mpq_init(B);
    beta_norm2(c, B);
    int Bn = cq(tp, B);
    mpq_clear(B);
    out[no++] = rho_node(tp, c, sk.z, 0);
    for (int j = 0; j < n; j++)
        out[no++] = OP(OP_MUL, Bn, sk.sm.s[j]);
    for (int j = 0; j < n; j++)
        out[no++] = OP(OP_MUL, sk.sm.s[j], centred(tp, &sk.sm, sk.du, sk.mdu, j));
    for (int j = 0; j < n; j++) {
        int A = centred(tp, &sk.sm, sk.da, sk.mda, j);
        int U = centred(tp, &sk.sm, sk.du, sk.mdu, j);
        t[j] = OP(OP_MUL, OP(OP_SQR, sk.sm.s[j], -1), OP(OP_MUL, A, U));
    }
    out[no++] = OP(OP_NEG, vf_tape_sum(tp, t, n), -1);
    int m = 0;
    for (int k = 0; k < n; k++)
        if (k != w)
            t[m++] = OP(OP_MUL, sk.sm.s[k], sk.da[k]);
    out[no++] = OP(OP_SUB, OP(OP_LOG, sk.sm.S, -1), vf_tape_sum(tp, t, m));
    vf_tape *r = finish(&sk, out, no);
    free(out);
    free(t);
    return r;
}

int vf_time_index(const vf_cert *c)
{
    return c->sys == VF_TAU ? 2 * c->n : -1;
}

/* ---------- initial state ---------- */

static void boxq(mpfi_t x, const mpq_t mid, const mpq_t rad)
{
    mpq_t lo, hi;
    mpq_inits(lo, hi, NULL);
    mpq_sub(lo, mid, rad);
    mpq_add(hi, mid, rad);
    mpfi_interv_q(x, lo, hi);
    mpq_clears(lo, hi, NULL);
}

void vf_initial_state(const vf_cert *c, mpfi_t *x0, mpfr_prec_t prec)
{
    int n = c->n, d = c->d;
    (void)prec;
    if (c->sys == VF_FULL) {
        for (int i = 0; i < d * n; i++)
            boxq(x0[i], c->V[i], c->rad[i]);
        for (int j = 0; j < n; j++)
            boxq(x0[d * n + j], c->a[j], c->rad[d * n + j]);
        return;
    }
    /* u_j(0) = sum_i beta_i V_ij: exact centre, sum_i |beta_i| r_ij over the box */
    mpq_t u, t, rad;
    mpq_inits(u, t, rad, NULL);
    for (int j = 0; j < n; j++) {
        mpq_set_ui(u, 0, 1);
        mpq_set_ui(rad, 0, 1);
        for (int i = 0; i < d; i++) {
            mpq_mul(t, c->beta[i], c->V[(size_t)i * n + j]);
            mpq_add(u, u, t);
            mpq_mul(t, c->beta[i], c->rad[(size_t)i * n + j]);
            mpq_abs(t, t);
            mpq_add(rad, rad, t);
        }
        boxq(x0[j], u, rad);
        boxq(x0[n + j], c->a[j], c->rad[(size_t)d * n + j]);
    }
    if (c->sys == VF_TAU)
        mpfi_set_ui(x0[2 * n], 0);
    mpq_clears(u, t, rad, NULL);
}

/* ---------- which problems a system may integrate ---------- */

/* V_ij B == beta_i (beta^T V_{:,j}) for all i, j: V(0) = beta w0^T exactly. */
static int aligned(const vf_cert *c)
{
    mpq_t B, p, l, r;
    mpq_inits(B, p, l, r, NULL);
    int ok = 1;
    for (int i = 0; i < c->d; i++) {
        mpq_mul(p, c->beta[i], c->beta[i]);
        mpq_add(B, B, p);
    }
    for (int j = 0; j < c->n && ok; j++) {
        mpq_set_ui(p, 0, 1);
        for (int i = 0; i < c->d; i++) {
            mpq_mul(l, c->beta[i], c->V[(size_t)i * c->n + j]);
            mpq_add(p, p, l);
        }
        for (int i = 0; i < c->d && ok; i++) {
            mpq_mul(l, c->V[(size_t)i * c->n + j], B);
            mpq_mul(r, c->beta[i], p);
            ok = mpq_equal(l, r);
        }
    }
    mpq_clears(B, p, l, r, NULL);
    return ok;
}

/* tau + square: rho(0) = (B - z(0))/B > 0 proven over the initial box */
static int rho0_positive(const vf_cert *c)
{
    mpfi_t *x0 = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim);
    for (int i = 0; i < c->dim; i++)
        mpfi_init2(x0[i], c->prec);
    vf_initial_state(c, x0, c->prec);
    skel_t sk;
    skeleton(&sk, c, 0, 0);             /* tau layout: z = mean_s(u) */
    mpq_t B;
    mpq_init(B);
    beta_norm2(c, B);
    int g = OP_SUB;
    int out = vf_tape_op(sk.tp, g, vf_tape_const_q(sk.tp, B), sk.z);
    vf_tape *tp = finish(&sk, &out, 1);
    vf_eval ev;
    vf_eval_init(&ev, tp, (mpfr_prec_t)c->prec);
    vf_eval_run(&ev, x0);
    int ok = mpfr_sgn(&vf_eval_out(&ev, 0)->left) > 0 && mpq_sgn(B) > 0;
    vf_eval_clear(&ev);
    vf_tape_free(tp);
    mpq_clear(B);
    for (int i = 0; i < c->dim; i++)
        mpfi_clear(x0[i]);
    free(x0);
    return ok;
}

void vf_system_check(const vf_cert *c)
{
    if (c->sys == VF_FULL)
        return;
    if (c->loss == VF_CROSSENT || c->loss == VF_QUADRATIC)
        vf_reject("system %s is not valid for the %s loss", vf_sys_name(c->sys),
                  vf_loss_name(c->loss));
    if (c->loss == VF_SQUARE) {
        mpq_t B;
        mpq_init(B);
        beta_norm2(c, B);
        int pos = mpq_sgn(B) > 0;
        mpq_clear(B);
        if (!pos)
            vf_reject("system %s with the square loss needs beta != 0", vf_sys_name(c->sys));
        /* the reduced square-loss flow holds only for V(0) = beta w0^T exactly: a box
         * of V(0) leaves that form */
        if (vf_box_V(c))
            vf_reject("system %s with the square loss needs a point V(0), its radius is not 0",
                      vf_sys_name(c->sys));
        if (!aligned(c))
            vf_reject("system %s with the square loss needs V(0) = beta w0^T exactly",
                      vf_sys_name(c->sys));
        if (c->sys == VF_TAU && !rho0_positive(c))
            vf_reject("tau system with the square loss: rho(0) > 0 not proven");
    }
}
