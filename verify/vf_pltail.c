/* vf_pltail.c — the hypotheses H1–H6 of lemma pl-tail/1 (proofs/pl-tail.md §8), in
 * MPFI, written from the proof and certs/FORMAT.md. Square loss, full system: the
 * state is (V row-major, a); X0 = the end state, Y = the lemma's box; the hints e, mu,
 * kappa, theta, m2 are exact. Every quantity is an interval containing the exact value
 * at every point of its box, so each checked inequality implies the exact one.
 * pl-tail-quadratic/1 follows; pl-tail-crossent/1 is in vf_pltail_crossent.c. */
#include <stdlib.h>
#include <string.h>
#include "vf_pltail_impl.h"

/* At the full state x: s, r = beta - V s, VC_ij = s_j (V_ij - y_i). */
static void parts(pl_work *W, const vf_cert *c, mpfi_t *x)
{
    const int d = W->d, n = W->n;
    softmax(W, x + d * n);
    for (int i = 0; i < d; i++) {
        mpfi_set_ui(W->u, 0);                   /* y_i */
        for (int j = 0; j < n; j++) {
            mpfi_mul(W->t, x[i * n + j], W->s[j]);
            mpfi_add(W->u, W->u, W->t);
        }
        mpfi_set_q(W->r[i], c->beta[i]);
        mpfi_sub(W->r[i], W->r[i], W->u);
        for (int j = 0; j < n; j++) {
            mpfi_sub(W->VC[i * n + j], x[i * n + j], W->u);
            mpfi_mul(W->VC[i * n + j], W->VC[i * n + j], W->s[j]);
        }
    }
}

/* alpha = eh . v and nw = |v - alpha eh|. */
static void split(pl_work *W, mpfi_t alpha, mpfi_t nw, mpfi_t *v)
{
    dot(alpha, W->eh, v, W->n, W->t);
    for (int j = 0; j < W->n; j++) {
        mpfi_mul(W->w[j], W->eh[j], alpha);
        mpfi_sub(W->w[j], v[j], W->w[j]);
    }
    dot(nw, W->w, W->w, W->n, W->t);
    mpfi_sqrt(nw, nw);
}

/* A = |s|^2 I + VC^T VC over the box of the last parts() call (n x n, into A). */
static void matrix_A(pl_work *W, mpfi_t *A, mpfi_t s2)
{
    const int d = W->d, n = W->n;
    dot(s2, W->s, W->s, n, W->t);
    for (int j = 0; j < n; j++)
        for (int k = 0; k < n; k++) {
            mpfi_set_ui(A[j * n + k], 0);
            for (int i = 0; i < d; i++) {
                mpfi_mul(W->t, W->VC[i * n + j], W->VC[i * n + k]);
                mpfi_add(A[j * n + k], A[j * n + k], W->t);
            }
            if (j == k)
                mpfi_add(A[j * n + k], A[j * n + k], s2);
        }
}

static int check(pl_work *W, const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                 mpfi_t Hlim, char *why, size_t wl)
{
    const int d = W->d, n = W->n, dim = d * n + n;
    mpfr_prec_t pr = W->prec;
    mpfi_t R0, R0sq, rho, s2, Lam, Gam, c1, k, root, h, alpha, nw, qe, nq;
    mpfi_t *A = ivec(n * n, pr);
    mpfi_t *all[] = { &R0, &R0sq, &rho, &s2, &Lam, &Gam, &c1, &k, &root, &h, &alpha, &nw,
                      &qe, &nq };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_init2(*all[i], pr);
    int ok = 1;
    mpq_t sum;
    mpq_init(sum);
    /* the hints: sum e = 0 exactly, e != 0; mu, kappa, theta > 0 */
    int nz = 0;
    for (int j = 0; j < n; j++) {
        mpq_add(sum, sum, lm->e[j]);
        nz |= mpq_sgn(lm->e[j]) != 0;
    }
    if (mpq_sgn(sum) != 0 || !nz)
        ok = fail(why, wl, "the direction e must be nonzero with sum e = 0 exactly");
    else if (mpq_sgn(lm->mu) <= 0 || mpq_sgn(lm->kappa) <= 0 || mpq_sgn(lm->theta) <= 0 ||
             mpq_sgn(lm->sigma) < 0)
        ok = fail(why, wl, "mu, kappa and theta must be > 0 and sigma >= 0");
    /* X0: r, R0 = |r|, p = VC^T r */
    if (ok) {
        parts(W, c, x);
        dot(R0sq, W->r, W->r, d, W->t);
        mpfi_sqrt(R0, R0sq);
        for (int j = 0; j < n; j++) {
            mpfi_set_ui(W->p[j], 0);
            for (int i = 0; i < d; i++) {
                mpfi_mul(W->t, W->VC[i * n + j], W->r[i]);
                mpfi_add(W->p[j], W->p[j], W->t);
            }
        }
        if (!vf_fi_is_finite(R0))
            ok = fail(why, wl, "|r| at the end is not finite");
    }
    /* H1: Y contains X0 + [-sqrt(n) R0, sqrt(n) R0] in every component */
    if (ok) {
        mpfi_set_ui(rho, (unsigned long)n);
        mpfi_sqrt(rho, rho);
        mpfi_mul(rho, rho, R0);
        int i = box_miss(lm, x, rho, dim, pr);
        if (i >= 0)
            ok = fail(why, wl, "H1: the box Y does not contain the end state +/- sqrt(n)|r| "
                      "(component %d)", i);
    }
    /* H2: mu <= |s|^2 on Y; A over Y */
    if (ok) {
        parts(W, c, lm->Y);
        matrix_A(W, A, s2);
        if (!(mpfr_number_p(&s2->left) && mpfr_cmp_q(&s2->left, lm->mu) >= 0))
            ok = fail(why, wl, "H2: mu <= |s|^2 on Y not proven");
    }
    /* e-hat = e / |e| */
    if (ok) {
        mpfi_set_ui(h, 0);
        for (int j = 0; j < n; j++) {
            mpfi_set_q(W->eh[j], lm->e[j]);
            mpfi_sqr(W->t, W->eh[j]);
            mpfi_add(h, h, W->t);
        }
        mpfi_sqrt(h, h);
        for (int j = 0; j < n; j++)
            mpfi_div(W->eh[j], W->eh[j], h);
    }
    /* H3: A + sigma (eh eh^T + (1/n) 1 1^T) - m2 I positive definite on Y */
    if (ok) {
        mpfi_t *M = ivec(n * n, pr);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                mpfi_mul(W->t, W->eh[i], W->eh[j]);
                mpfi_set_ui(W->u, 1);
                mpfi_div_ui(W->u, W->u, (unsigned long)n);
                mpfi_add(W->t, W->t, W->u);
                mpfi_mul_q(W->t, W->t, lm->sigma);
                mpfi_add(M[i * n + j], A[i * n + j], W->t);
                if (i == j)
                    mpfi_sub_q(M[i * n + j], M[i * n + j], lm->m2);
            }
        if (!pos_def(M, n, W->t))
            ok = fail(why, wl, "H3: A + sigma (e e^T + (1/n) 1 1^T) - m2 I positive definite on "
                      "Y not proven (no spectral gap above the slow direction)");
        ivec_clear(M, n * n);
    }
    /* Lambda, Gamma, c1 = 3 |V|_F over Y; H4a, H4b */
    if (ok) {
        for (int i = 0; i < n; i++)
            dot(W->Ae[i], A + i * n, W->eh, n, W->t);
        split(W, Lam, Gam, W->Ae);
        dot(c1, lm->Y, lm->Y, d * n, W->t);
        mpfi_sqrt(c1, c1);
        mpfi_mul_ui(c1, c1, 3);
        mpfi_set_q(k, lm->kappa);
        mpfi_sqr(root, k);
        mpfi_add_ui(root, root, 1);
        mpfi_sqrt(root, root);
        mpfi_mul(root, root, c1);
        mpfi_mul(root, root, R0);               /* c1 sqrt(1 + kappa^2) R0 */
        mpfi_set_q(h, lm->mu);                  /* H4a */
        mpfi_mul_ui(h, h, 2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(W->t, Gam, k);
        mpfi_sub(h, h, W->t);
        mpfi_sub(h, h, root);
        mpfi_mul_q(h, h, lm->theta);
        mpfi_sub_ui(h, h, 1);
        if (!positive(h))
            ok = fail(why, wl, "H4a: theta (2 mu - Lambda - Gamma kappa - c1 sqrt(1+kappa^2) R0) "
                      "> 1 not proven");
    }
    if (ok) {                                   /* H4b */
        mpfi_set_q(h, lm->m2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(h, h, k);
        mpfi_sqr(W->t, k);
        mpfi_add_ui(W->t, W->t, 1);
        mpfi_mul(W->t, W->t, Gam);
        mpfi_sub(h, h, W->t);
        mpfi_set_q(W->u, lm->theta);
        mpfi_ui_div(W->u, 1, W->u);
        mpfi_add(W->u, W->u, root);
        mpfi_add_ui(W->t, k, 1);
        mpfi_mul(W->u, W->u, W->t);
        mpfi_sub(h, h, W->u);
        if (!positive(h))
            ok = fail(why, wl, "H4b: the cone of angle kappa is not proven forward invariant");
    }
    /* H5 at X0: |w| <= kappa |alpha|, |alpha| >= theta R0^2 */
    if (ok) {
        split(W, alpha, nw, W->p);
        mpfi_abs(h, alpha);
        mpfi_mul(W->u, h, k);
        mpfi_sub(W->u, W->u, nw);
        mpfi_mul_q(W->t, R0sq, lm->theta);
        mpfi_sub(h, h, W->t);
        if (!(nonneg(W->u) && nonneg(h) && !mpfi_has_zero(alpha)))
            ok = fail(why, wl, "H5: p = C V^T r at the end is not proven inside the cone "
                      "(|w| <= kappa |alpha|, |alpha| >= theta |r|^2)");
    }
    /* H6 on Y: q = C(s) a, |q_e| > kappa |q - q_e eh| */
    if (ok) {
        mpfi_t *a = lm->Y + d * n;
        softmax(W, a);
        dot(h, W->s, a, n, W->t);
        for (int j = 0; j < n; j++) {
            mpfi_sub(W->q[j], a[j], h);
            mpfi_mul(W->q[j], W->q[j], W->s[j]);
        }
        split(W, qe, nq, W->q);
        mpfi_abs(h, qe);
        mpfi_mul(W->t, nq, k);
        mpfi_sub(h, h, W->t);
        if (!(positive(h) && !mpfi_has_zero(qe)))
            ok = fail(why, wl, "H6: |e.C(s)a| > kappa |C(s)a - (e.C(s)a) e| on Y not proven");
    }
    if (ok) {
        *sign = (mpfi_is_strictly_pos(alpha) > 0 ? -1 : 1) *        /* -sgn(alpha) sgn(q_e) */
                (mpfi_is_strictly_pos(qe) > 0 ? 1 : -1);
        entropy(W, Hlim, lm->Y + d * n);
    }
    mpq_clear(sum);
    ivec_clear(A, n * n);
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_clear(*all[i]);
    return ok;
}

int vf_pltail_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                    mpfi_t Hlim, char *why, size_t whylen)
{
    pl_work W;
    W.d = c->d;
    W.n = c->n;
    W.prec = c->prec;
    W.s = ivec(c->n, c->prec);
    W.r = ivec(c->d, c->prec);
    W.VC = ivec(c->d * c->n, c->prec);
    W.p = ivec(c->n, c->prec);
    W.q = ivec(c->n, c->prec);
    W.eh = ivec(c->n, c->prec);
    W.Ae = ivec(c->n, c->prec);
    W.w = ivec(c->n, c->prec);
    mpfi_init2(W.t, c->prec);
    mpfi_init2(W.u, c->prec);
    int ok = lm->e != NULL && lm->Y != NULL && check(&W, c, lm, x, sign, Hlim, why, whylen);
    if (lm->e == NULL || lm->Y == NULL)
        snprintf(why, whylen, "the lemma use lacks its box or hints");
    ivec_clear(W.s, c->n);
    ivec_clear(W.r, c->d);
    ivec_clear(W.VC, c->d * c->n);
    ivec_clear(W.p, c->n);
    ivec_clear(W.q, c->n);
    ivec_clear(W.eh, c->n);
    ivec_clear(W.Ae, c->n);
    ivec_clear(W.w, c->n);
    mpfi_clear(W.t);
    mpfi_clear(W.u);
    return ok;
}

/* ---- pl-tail-quadratic/1 (proofs/pl-tail.md §11): G = X^T X, e = y* - y with
 * G y* = X^T b (exact), the cone in <u, v>_G = u^T G v around f-hat = f / |f|_G. */

typedef struct {
    int d, n;
    mpfr_prec_t prec;
    mpq_t *Gq, *ystar;      /* exact */
    mpfi_t *G;              /* G as intervals */
    mpfi_t t, u;
} q_work;

/* y* from G y* = X^T b by Gaussian elimination over Q; 0 if G is singular. */
static int q_solve(q_work *Q, const vf_cert *c)
{
    const int d = Q->d, m = c->m;
    mpq_t *M = malloc(sizeof(mpq_t) * (size_t)(d * (d + 1))), f, t;
    mpq_inits(f, t, (mpq_ptr)0);
    for (int i = 0; i < d; i++) {
        for (int k = 0; k < d; k++) {
            mpq_init(M[i * (d + 1) + k]);
            mpq_set(M[i * (d + 1) + k], Q->Gq[i * d + k]);
        }
        mpq_init(M[i * (d + 1) + d]);
        for (int r = 0; r < m; r++) {                   /* (X^T b)_i */
            mpq_mul(t, c->X[r * d + i], c->b[r]);
            mpq_add(M[i * (d + 1) + d], M[i * (d + 1) + d], t);
        }
    }
    int ok = 1;
    for (int k = 0; k < d && ok; k++) {
        int piv = -1;
        for (int i = k; i < d && piv < 0; i++)
            if (mpq_sgn(M[i * (d + 1) + k]) != 0)
                piv = i;
        if (piv < 0) {
            ok = 0;
            break;
        }
        for (int j = 0; j <= d; j++)
            mpq_swap(M[k * (d + 1) + j], M[piv * (d + 1) + j]);
        for (int i = 0; i < d; i++) {
            if (i == k || mpq_sgn(M[i * (d + 1) + k]) == 0)
                continue;
            mpq_div(f, M[i * (d + 1) + k], M[k * (d + 1) + k]);
            for (int j = k; j <= d; j++) {
                mpq_mul(t, f, M[k * (d + 1) + j]);
                mpq_sub(M[i * (d + 1) + j], M[i * (d + 1) + j], t);
            }
        }
    }
    for (int i = 0; i < d && ok; i++)
        mpq_div(Q->ystar[i], M[i * (d + 1) + d], M[i * (d + 1) + i]);
    for (int i = 0; i < d * (d + 1); i++)
        mpq_clear(M[i]);
    free(M);
    mpq_clears(f, t, (mpq_ptr)0);
    return ok;
}

/* Exact: G - g I positive definite (LDL^T over Q, every pivot > 0). */
static int q_gmin_ok(q_work *Q, const mpq_t g)
{
    const int d = Q->d;
    mpq_t *M = malloc(sizeof(mpq_t) * (size_t)(d * d)), t;
    mpq_init(t);
    for (int i = 0; i < d * d; i++) {
        mpq_init(M[i]);
        mpq_set(M[i], Q->Gq[i]);
    }
    for (int i = 0; i < d; i++)
        mpq_sub(M[i * d + i], M[i * d + i], g);
    int ok = mpq_sgn(g) > 0;
    for (int k = 0; k < d && ok; k++) {         /* Gaussian elimination: pivots > 0 */
        ok = mpq_sgn(M[k * d + k]) > 0;
        for (int i = k + 1; i < d && ok; i++) {
            mpq_t f;
            mpq_init(f);
            mpq_div(f, M[i * d + k], M[k * d + k]);
            for (int j = k; j < d; j++) {
                mpq_mul(t, f, M[k * d + j]);
                mpq_sub(M[i * d + j], M[i * d + j], t);
            }
            mpq_clear(f);
        }
    }
    for (int i = 0; i < d * d; i++)
        mpq_clear(M[i]);
    free(M);
    mpq_clear(t);
    return ok;
}

/* res = u^T G v. */
static void q_inner(q_work *Q, mpfi_t res, mpfi_t *u, mpfi_t *v)
{
    mpfi_set_ui(res, 0);
    for (int i = 0; i < Q->d; i++)
        for (int j = 0; j < Q->d; j++) {
            mpfi_mul(Q->t, u[i], Q->G[i * Q->d + j]);
            mpfi_mul(Q->t, Q->t, v[j]);
            mpfi_add(res, res, Q->t);
        }
}

/* alpha = <fh, v>_G, nw = |v - alpha fh|_G (w scratch of d). */
static void q_split(q_work *Q, mpfi_t alpha, mpfi_t nw, mpfi_t *fh, mpfi_t *v, mpfi_t *w)
{
    q_inner(Q, alpha, fh, v);
    for (int i = 0; i < Q->d; i++) {
        mpfi_mul(w[i], fh[i], alpha);
        mpfi_sub(w[i], v[i], w[i]);
    }
    q_inner(Q, nw, w, w);
    sqrt_pos(nw);
}

/* At the box x: s (n), e = y* - V s (d), K = |s|^2 I + VC VC^T (d x d), g = V C^2 a. */
static void q_parts(q_work *Q, pl_work *W, mpfi_t *x, mpfi_t *e, mpfi_t *K, mpfi_t *g)
{
    const int d = Q->d, n = Q->n;
    mpfi_t *c1 = ivec(n, Q->prec), *c2 = ivec(n, Q->prec), s2;
    mpfi_init2(s2, Q->prec);
    softmax(W, x + d * n);
    for (int i = 0; i < d; i++) {
        mpfi_set_ui(Q->u, 0);
        for (int j = 0; j < n; j++) {
            mpfi_mul(Q->t, x[i * n + j], W->s[j]);
            mpfi_add(Q->u, Q->u, Q->t);
        }
        mpfi_set_q(e[i], Q->ystar[i]);
        mpfi_sub(e[i], e[i], Q->u);
        for (int j = 0; j < n; j++) {
            mpfi_sub(W->VC[i * n + j], x[i * n + j], Q->u);
            mpfi_mul(W->VC[i * n + j], W->VC[i * n + j], W->s[j]);
        }
    }
    dot(s2, W->s, W->s, n, Q->t);
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++) {
            dot(K[i * d + k], W->VC + i * n, W->VC + k * n, n, Q->t);
            if (i == k)
                mpfi_add(K[i * d + k], K[i * d + k], s2);
        }
    mpfi_t *a = x + d * n;                      /* c1 = C a, c2 = C c1 */
    mpfi_t *cs[] = { c1, c2 };
    for (int l = 0; l < 2; l++) {
        mpfi_t *src = l == 0 ? a : c1;
        dot(Q->u, W->s, src, n, Q->t);
        for (int j = 0; j < n; j++) {
            mpfi_sub(cs[l][j], src[j], Q->u);
            mpfi_mul(cs[l][j], cs[l][j], W->s[j]);
        }
    }
    for (int i = 0; i < d; i++)
        dot(g[i], x + i * n, c2, n, Q->t);
    ivec_clear(c1, n);
    ivec_clear(c2, n);
    mpfi_clear(s2);
}

/* out = M v (d x d times d). */
static void q_matvec(q_work *Q, mpfi_t *out, mpfi_t *M, mpfi_t *v)
{
    for (int i = 0; i < Q->d; i++)
        dot(out[i], M + i * Q->d, v, Q->d, Q->t);
}

static int q_check(q_work *Q, pl_work *W, const vf_cert *c, const vf_lemma *lm, mpfi_t *x,
                   int *sign, mpfi_t Hlim, char *why, size_t wl)
{
    const int d = Q->d, n = Q->n, dim = d * n + n;
    mpfr_prec_t pr = Q->prec;
    mpfi_t *e = ivec(d, pr), *g = ivec(d, pr), *K = ivec(d * d, pr), *KG = ivec(d * d, pr),
           *M = ivec(d * d, pr), *fh = ivec(d, pr), *v = ivec(d, pr), *w = ivec(d, pr),
           *Gf = ivec(d, pr);
    mpfi_t R0, rho, Lam, Gam, al, nw, gf, ng, k, h;
    mpfi_t *all[] = { &R0, &rho, &Lam, &Gam, &al, &nw, &gf, &ng, &k, &h };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_init2(*all[i], pr);
    int ok = 1, nz = 0;
    for (int i = 0; i < d; i++)
        nz |= mpq_sgn(lm->e[i]) != 0;
    if (!nz || mpq_sgn(lm->kappa) <= 0 || mpq_sgn(lm->sigma) < 0)
        ok = fail(why, wl, "the direction f must be nonzero, kappa > 0 and sigma >= 0");
    else if (!q_solve(Q, c))
        ok = fail(why, wl, "X^T X is singular");
    else if (!q_gmin_ok(Q, lm->gmin))
        ok = fail(why, wl, "Q1: gmin > 0 and X^T X - gmin I positive definite not proven");
    /* X0: e, r = G e, R0 = |r|; Q2 */
    if (ok) {
        q_parts(Q, W, x, e, K, g);
        q_matvec(Q, v, Q->G, e);
        dot(R0, v, v, d, Q->t);
        mpfi_sqrt(R0, R0);
        mpfi_set_ui(rho, (unsigned long)n);
        mpfi_sqrt(rho, rho);
        mpfi_mul(rho, rho, R0);
        mpfi_div_q(rho, rho, lm->gmin);
        int i = box_miss(lm, x, rho, dim, pr);
        if (i >= 0)
            ok = fail(why, wl, "Q2: the box Y does not contain the end state +/- "
                      "sqrt(n)|r|/gmin (component %d)", i);
    }
    /* f-hat = f / |f|_G; Q6 at X0 */
    if (ok) {
        for (int i = 0; i < d; i++)
            mpfi_set_q(fh[i], lm->e[i]);
        q_inner(Q, h, fh, fh);
        sqrt_pos(h);
        for (int i = 0; i < d; i++)
            mpfi_div(fh[i], fh[i], h);
        mpfi_set_q(k, lm->kappa);
        q_split(Q, al, nw, fh, e, w);
        mpfi_abs(h, al);
        mpfi_mul(h, h, k);
        mpfi_sub(h, h, nw);
        if (mpfi_has_zero(al) || !nonneg(h))
            ok = fail(why, wl, "Q6: y* - y at the end is not proven inside the cone "
                      "(alpha != 0, |w|_G <= kappa |alpha|)");
    }
    /* over Y: K G, Lambda, Gamma; Q4, Q5, Q7 */
    if (ok) {
        q_parts(Q, W, lm->Y, e, K, g);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                mpfi_set_ui(KG[i * d + j], 0);
                for (int l = 0; l < d; l++) {
                    mpfi_mul(Q->t, K[i * d + l], Q->G[l * d + j]);
                    mpfi_add(KG[i * d + j], KG[i * d + j], Q->t);
                }
            }
        q_matvec(Q, v, KG, fh);
        q_split(Q, Lam, Gam, fh, v, w);
        q_matvec(Q, Gf, Q->G, fh);
        for (int i = 0; i < d; i++)             /* M = G K G - m2 G + sigma Gf Gf^T */
            for (int j = 0; j < d; j++) {
                mpfi_set_ui(M[i * d + j], 0);
                for (int l = 0; l < d; l++) {
                    mpfi_mul(Q->t, Q->G[i * d + l], KG[l * d + j]);
                    mpfi_add(M[i * d + j], M[i * d + j], Q->t);
                }
                mpfi_mul_q(Q->t, Q->G[i * d + j], lm->m2);
                mpfi_sub(M[i * d + j], M[i * d + j], Q->t);
                mpfi_mul(Q->t, Gf[i], Gf[j]);
                mpfi_mul_q(Q->t, Q->t, lm->sigma);
                mpfi_add(M[i * d + j], M[i * d + j], Q->t);
            }
        if (!pos_def(M, d, Q->t))
            ok = fail(why, wl, "Q4: G K G - m2 G + sigma (G f)(G f)^T positive definite on Y not "
                      "proven (no spectral gap above the slow direction)");
    }
    if (ok) {
        mpfi_set_q(h, lm->m2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(h, h, k);
        mpfi_sqr(Q->t, k);
        mpfi_add_ui(Q->t, Q->t, 1);
        mpfi_mul(Q->t, Q->t, Gam);
        mpfi_sub(h, h, Q->t);
        if (!positive(h))
            ok = fail(why, wl, "Q5: the cone of angle kappa is not proven forward invariant");
    }
    if (ok) {
        q_split(Q, gf, ng, fh, g, w);
        mpfi_abs(h, gf);
        mpfi_mul(Q->t, ng, k);
        mpfi_sub(h, h, Q->t);
        if (mpfi_has_zero(gf) || !positive(h))
            ok = fail(why, wl, "Q7: |<g, f>_G| > kappa |g - <g, f>_G f|_G on Y not proven "
                      "(g = V C(s)^2 a)");
    }
    if (ok) {
        *sign = (mpfi_is_strictly_pos(al) > 0 ? -1 : 1) * (mpfi_is_strictly_pos(gf) > 0 ? 1 : -1);
        entropy(W, Hlim, lm->Y + d * n);
    }
    ivec_clear(e, d), ivec_clear(g, d), ivec_clear(K, d * d), ivec_clear(KG, d * d);
    ivec_clear(M, d * d), ivec_clear(fh, d), ivec_clear(v, d), ivec_clear(w, d), ivec_clear(Gf, d);
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_clear(*all[i]);
    return ok;
}

int vf_pltail_quadratic_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                              mpfi_t Hlim, char *why, size_t whylen)
{
    const int d = c->d, n = c->n, m = c->m;
    q_work Q;
    pl_work W;
    Q.d = W.d = d;
    Q.n = W.n = n;
    Q.prec = W.prec = c->prec;
    Q.Gq = malloc(sizeof(mpq_t) * (size_t)(d * d));
    Q.ystar = malloc(sizeof(mpq_t) * (size_t)d);
    Q.G = ivec(d * d, c->prec);
    mpq_t t;
    mpq_init(t);
    for (int i = 0; i < d; i++) {
        mpq_init(Q.ystar[i]);
        for (int k = 0; k < d; k++) {
            mpq_init(Q.Gq[i * d + k]);
            for (int r = 0; r < m; r++) {
                mpq_mul(t, c->X[r * d + i], c->X[r * d + k]);
                mpq_add(Q.Gq[i * d + k], Q.Gq[i * d + k], t);
            }
            mpfi_set_q(Q.G[i * d + k], Q.Gq[i * d + k]);
        }
    }
    mpfi_init2(Q.t, c->prec);
    mpfi_init2(Q.u, c->prec);
    W.s = ivec(n, c->prec);
    W.VC = ivec(d * n, c->prec);
    mpfi_init2(W.t, c->prec);
    mpfi_init2(W.u, c->prec);
    int ok = lm->e != NULL && lm->Y != NULL && q_check(&Q, &W, c, lm, x, sign, Hlim, why, whylen);
    if (lm->e == NULL || lm->Y == NULL)
        snprintf(why, whylen, "the lemma use lacks its box or hints");
    for (int i = 0; i < d; i++) {
        mpq_clear(Q.ystar[i]);
        for (int k = 0; k < d; k++)
            mpq_clear(Q.Gq[i * d + k]);
    }
    free(Q.Gq);
    free(Q.ystar);
    ivec_clear(Q.G, d * d);
    mpfi_clear(Q.t);
    mpfi_clear(Q.u);
    ivec_clear(W.s, n);
    ivec_clear(W.VC, d * n);
    mpfi_clear(W.t);
    mpfi_clear(W.u);
    mpq_clear(t);
    return ok;
}
