/* vf_pltail.c — the hypotheses H1–H6 of lemma pl-tail/1 (proofs/pl-tail.md §8), in
 * MPFI, written from the proof and certs/FORMAT.md. Square loss, full system: the
 * state is (V row-major, a); X0 = the end state, Y = the lemma's box; the hints e, mu,
 * kappa, theta, m2 are exact. Every quantity is an interval containing the exact value
 * at every point of its box, so each checked inequality implies the exact one. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "vf.h"

typedef struct {
    int d, n;
    mpfr_prec_t prec;
    mpfi_t *s, *r, *VC, *p, *q, *eh, *Ae, *w, t, u;     /* scratch */
} pl_work;

static mpfi_t *ivec(int len, mpfr_prec_t prec)
{
    mpfi_t *v = malloc(sizeof(mpfi_t) * (size_t)len);
    for (int i = 0; i < len; i++)
        mpfi_init2(v[i], prec);
    return v;
}

static void ivec_clear(mpfi_t *v, int len)
{
    for (int i = 0; i < len; i++)
        mpfi_clear(v[i]);
    free(v);
}

/* s = softmax(a) as s_k = 1 / sum_j exp(a_j - a_k) (each s_k in (0, 1]). */
static void softmax(pl_work *W, mpfi_t *a)
{
    for (int k = 0; k < W->n; k++) {
        mpfi_set_ui(W->u, 0);
        for (int j = 0; j < W->n; j++) {
            mpfi_sub(W->t, a[j], a[k]);
            mpfi_exp(W->t, W->t);
            mpfi_add(W->u, W->u, W->t);
        }
        mpfi_ui_div(W->s[k], 1, W->u);
    }
}

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

/* a . b; for a == b the squares are taken as squares (never below 0). */
static void dot(mpfi_t res, mpfi_t *a, mpfi_t *b, int len, mpfi_t tmp)
{
    mpfi_set_ui(res, 0);
    for (int i = 0; i < len; i++) {
        if (a == b)
            mpfi_sqr(tmp, a[i]);
        else
            mpfi_mul(tmp, a[i], b[i]);
        mpfi_add(res, res, tmp);
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

/* Every symmetric matrix whose lower triangle lies in M (n x n) is positive definite:
 * the LDL^T recurrences in intervals enclose those of each such matrix, and all
 * pivots are proven positive. M is overwritten. */
static int pos_def(mpfi_t *M, int n, mpfi_t t)
{
    for (int k = 0; k < n; k++) {
        for (int j = 0; j < k; j++) {           /* d_k = M_kk - sum L_kj^2 d_j */
            mpfi_sqr(t, M[k * n + j]);
            mpfi_mul(t, t, M[j * n + j]);
            mpfi_sub(M[k * n + k], M[k * n + k], t);
        }
        if (!(mpfr_number_p(&M[k * n + k]->left) && mpfr_sgn(&M[k * n + k]->left) > 0))
            return 0;
        for (int i = k + 1; i < n; i++) {       /* L_ik = (M_ik - sum L_ij L_kj d_j) / d_k */
            for (int j = 0; j < k; j++) {
                mpfi_mul(t, M[i * n + j], M[k * n + j]);
                mpfi_mul(t, t, M[j * n + j]);
                mpfi_sub(M[i * n + k], M[i * n + k], t);
            }
            mpfi_div(M[i * n + k], M[i * n + k], M[k * n + k]);
        }
    }
    return 1;
}

static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 0;
}

static int positive(mpfi_srcptr x) { return mpfr_number_p(&x->left) && mpfr_sgn(&x->left) > 0; }
static int nonneg(mpfi_srcptr x) { return mpfr_number_p(&x->left) && mpfr_sgn(&x->left) >= 0; }

/* H = log sum_k exp(a_k - a_0) - sum_k s_k (a_k - a_0) over the a-box. */
static void entropy(pl_work *W, mpfi_t H, mpfi_t *a)
{
    softmax(W, a);
    mpfi_set_ui(H, 0);
    mpfi_set_ui(W->u, 0);
    for (int k = 0; k < W->n; k++) {
        mpfi_sub(W->t, a[k], a[0]);
        mpfi_exp(W->t, W->t);
        mpfi_add(W->u, W->u, W->t);
    }
    mpfi_log(H, W->u);
    for (int k = 0; k < W->n; k++) {
        mpfi_sub(W->t, a[k], a[0]);
        mpfi_mul(W->t, W->t, W->s[k]);
        mpfi_sub(H, H, W->t);
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
        mpfr_t lo, hi;
        mpfr_inits2(pr, lo, hi, (mpfr_ptr)0);
        for (int i = 0; i < dim && ok; i++) {
            mpfr_sub(lo, &x[i]->left, &rho->right, MPFR_RNDD);
            mpfr_add(hi, &x[i]->right, &rho->right, MPFR_RNDU);
            if (!(mpfr_number_p(lo) && mpfr_number_p(hi) && mpfr_lessequal_p(&lm->Y[i]->left, lo) &&
                  mpfr_lessequal_p(hi, &lm->Y[i]->right)))
                ok = fail(why, wl, "H1: the box Y does not contain the end state +/- sqrt(n)|r| "
                          "(component %d)", i);
        }
        mpfr_clears(lo, hi, (mpfr_ptr)0);
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

/* sqrt of max(x, 0) (a norm squared whose enclosure may reach below 0). */
static void sqrt_pos(mpfi_t x)
{
    if (mpfr_sgn(&x->left) < 0)
        mpfr_set_ui(&x->left, 0, MPFR_RNDD);
    mpfi_sqrt(x, x);
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
        mpfr_t lo, hi;
        mpfr_inits2(pr, lo, hi, (mpfr_ptr)0);
        for (int i = 0; i < dim && ok; i++) {
            mpfr_sub(lo, &x[i]->left, &rho->right, MPFR_RNDD);
            mpfr_add(hi, &x[i]->right, &rho->right, MPFR_RNDU);
            if (!(mpfr_number_p(lo) && mpfr_number_p(hi) && mpfr_lessequal_p(&lm->Y[i]->left, lo) &&
                  mpfr_lessequal_p(hi, &lm->Y[i]->right)))
                ok = fail(why, wl, "Q2: the box Y does not contain the end state +/- "
                          "sqrt(n)|r|/gmin (component %d)", i);
        }
        mpfr_clears(lo, hi, (mpfr_ptr)0);
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

/* ---------- pl-tail-crossent/1 (proofs/pl-tail-crossent.md §7) ----------
 * Cross-entropy l(y) = Q lse(y) - q^T y with q > 0, Q = sum q: r = q - Q softmax(y),
 * r' = -B r with B = Q C(softmax(y)) K; a cone around f in the fixed metric W. */

typedef struct {
    int d, n;
    mpfr_prec_t prec;
    mpfi_t Q, t, u;
    mpfi_t *q, *s, *y, *sy, *r, *VC, *K, *P, *B, *g, *c1;
} ce_work;

/* out = softmax(in) (len entries) as out_k = 1 / sum_j exp(in_j - in_k). */
static void ce_softmax(ce_work *C, mpfi_t *out, mpfi_t *in, int len)
{
    for (int k = 0; k < len; k++) {
        mpfi_set_ui(C->u, 0);
        for (int j = 0; j < len; j++) {
            mpfi_sub(C->t, in[j], in[k]);
            mpfi_exp(C->t, C->t);
            mpfi_add(C->u, C->u, C->t);
        }
        mpfi_ui_div(out[k], 1, C->u);
    }
}

/* out = C(s) v = s o v - s (s^T v) (n entries). */
static void ce_cmul(ce_work *C, mpfi_t *out, mpfi_t *v)
{
    mpfi_set_ui(C->u, 0);
    for (int j = 0; j < C->n; j++) {
        mpfi_mul(C->t, C->s[j], v[j]);
        mpfi_add(C->u, C->u, C->t);
    }
    for (int j = 0; j < C->n; j++) {
        mpfi_sub(C->t, v[j], C->u);
        mpfi_mul(out[j], C->s[j], C->t);
    }
}

/* At the box x: s, y = V s, sy = softmax(y), r = q - Q sy, K = |s|^2 I + VC VC^T,
 * P = Q (diag(sy) - sy sy^T), B = P K, g = V C(s)^2 a, s2 = |s|^2. */
static void ce_parts(ce_work *C, mpfi_t *x, mpfi_t s2)
{
    const int d = C->d, n = C->n;
    ce_softmax(C, C->s, x + d * n, n);
    for (int i = 0; i < d; i++) {
        mpfi_set_ui(C->y[i], 0);
        for (int j = 0; j < n; j++) {
            mpfi_mul(C->t, x[i * n + j], C->s[j]);
            mpfi_add(C->y[i], C->y[i], C->t);
        }
    }
    ce_softmax(C, C->sy, C->y, d);
    dot(s2, C->s, C->s, n, C->t);
    for (int i = 0; i < d; i++) {
        mpfi_mul(C->r[i], C->Q, C->sy[i]);
        mpfi_sub(C->r[i], C->q[i], C->r[i]);
        for (int j = 0; j < n; j++) {
            mpfi_sub(C->VC[i * n + j], x[i * n + j], C->y[i]);
            mpfi_mul(C->VC[i * n + j], C->VC[i * n + j], C->s[j]);
        }
    }
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++) {
            dot(C->K[i * d + k], C->VC + i * n, C->VC + k * n, n, C->t);
            if (i == k)
                mpfi_add(C->K[i * d + k], C->K[i * d + k], s2);
            mpfi_mul(C->P[i * d + k], C->sy[i], C->sy[k]);
            mpfi_neg(C->P[i * d + k], C->P[i * d + k]);
            if (i == k)
                mpfi_add(C->P[i * d + k], C->P[i * d + k], C->sy[i]);
            mpfi_mul(C->P[i * d + k], C->P[i * d + k], C->Q);
        }
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++) {
            mpfi_set_ui(C->B[i * d + k], 0);
            for (int l = 0; l < d; l++) {
                mpfi_mul(C->t, C->P[i * d + l], C->K[l * d + k]);
                mpfi_add(C->B[i * d + k], C->B[i * d + k], C->t);
            }
        }
    ce_cmul(C, C->c1, x + d * n);
    ce_cmul(C, C->c1, C->c1);
    for (int i = 0; i < d; i++)
        dot(C->g[i], x + i * n, C->c1, n, C->t);
}

/* Exact: W - wmin I positive definite (Gaussian elimination over Q, pivots > 0). */
static int ce_wmin_ok(const vf_lemma *lm, int d)
{
    mpq_t *M = malloc(sizeof(mpq_t) * (size_t)(d * d)), t, f;
    mpq_inits(t, f, (mpq_ptr)0);
    for (int i = 0; i < d * d; i++) {
        mpq_init(M[i]);
        mpq_set(M[i], lm->W[i]);
    }
    for (int i = 0; i < d; i++)
        mpq_sub(M[i * d + i], M[i * d + i], lm->wmin);
    int ok = mpq_sgn(lm->wmin) > 0;
    for (int k = 0; k < d && ok; k++) {
        ok = mpq_sgn(M[k * d + k]) > 0;
        for (int i = k + 1; i < d && ok; i++) {
            mpq_div(f, M[i * d + k], M[k * d + k]);
            for (int j = k; j < d; j++) {
                mpq_mul(t, f, M[k * d + j]);
                mpq_sub(M[i * d + j], M[i * d + j], t);
            }
        }
    }
    for (int i = 0; i < d * d; i++)
        mpq_clear(M[i]);
    free(M);
    mpq_clears(t, f, (mpq_ptr)0);
    return ok;
}

/* res = u^T W v with W exact. */
static void ce_inner(ce_work *C, const vf_lemma *lm, mpfi_t res, mpfi_t *u, mpfi_t *v)
{
    mpfi_set_ui(res, 0);
    for (int i = 0; i < C->d; i++)
        for (int k = 0; k < C->d; k++) {
            mpfi_mul_q(C->t, u[i], lm->W[i * C->d + k]);
            mpfi_mul(C->t, C->t, v[k]);
            mpfi_add(res, res, C->t);
        }
}

/* res = |v - c Wf - m 1| / sqrt(wmin), m the mean of v - c Wf (u scratch of d): bounds
 * |v^T w| / |w|_W over w perp 1 with w^T W fh = 0. */
static void ce_dual(ce_work *C, const vf_lemma *lm, mpfi_t res, mpfi_t *v, mpfi_t c,
                    mpfi_t *Wf, mpfi_t *u)
{
    mpfi_t m;
    mpfi_init2(m, C->prec);
    mpfi_set_ui(m, 0);
    for (int i = 0; i < C->d; i++) {
        mpfi_mul(u[i], c, Wf[i]);
        mpfi_sub(u[i], v[i], u[i]);
        mpfi_add(m, m, u[i]);
    }
    mpfi_div_ui(m, m, (unsigned long)C->d);
    for (int i = 0; i < C->d; i++)
        mpfi_sub(u[i], u[i], m);
    dot(res, u, u, C->d, C->t);
    mpfi_div_q(res, res, lm->wmin);
    sqrt_pos(res);
    mpfi_clear(m);
}

/* Every symmetric matrix whose lower triangle lies in M is positive definite: with
 * c = the midpoints of the lower triangle and e >= the Frobenius norm of the largest
 * distances to them, every such A satisfies A >= c - e I (|A - c|_2 <= e), and c - e I
 * is proven positive definite by pos_def (a point matrix: little wrapping). M is
 * overwritten. */
static int ce_pos_def_centred(mpfi_t *M, int d, mpfi_t t)
{
    mpfr_t c, a, b, e;
    mpfr_inits2(mpfi_get_prec(M[0]), c, a, b, e, (mpfr_ptr)0);
    mpfr_set_ui(e, 0, MPFR_RNDU);
    int ok = 1;
    for (int i = 0; i < d; i++)
        for (int j = 0; j <= i; j++) {
            mpfi_t *m = &M[i * d + j];
            ok = ok && mpfr_number_p(&(*m)->left) && mpfr_number_p(&(*m)->right);
            mpfi_mid(c, *m);
            mpfr_sub(a, &(*m)->right, c, MPFR_RNDU);
            mpfr_sub(b, c, &(*m)->left, MPFR_RNDU);
            if (mpfr_less_p(a, b))
                mpfr_set(a, b, MPFR_RNDU);
            mpfr_sqr(a, a, MPFR_RNDU);
            mpfr_add(e, e, a, MPFR_RNDU);
            if (i != j)                             /* the upper twin */
                mpfr_add(e, e, a, MPFR_RNDU);
            mpfi_set_fr(*m, c);
        }
    mpfr_sqrt(e, e, MPFR_RNDU);
    for (int i = 0; i < d; i++)
        mpfi_sub_fr(M[i * d + i], M[i * d + i], e);
    ok = ok && pos_def(M, d, t);
    mpfr_clears(c, a, b, e, (mpfr_ptr)0);
    return ok;
}

/* H over the box a: the natural evaluation intersected with the mean-value form
 * H(c) - sum_j (C(s)a)_j (a_j - c_j), c the midpoints (grad H = -C(s)a over the box). */
static void ce_entropy_box(pl_work *PW, mpfi_t H, mpfi_t *a)
{
    const int n = PW->n;
    mpfi_t *c = ivec(n, PW->prec), *ca = ivec(n, PW->prec), h, m;
    mpfr_t x;
    mpfi_init2(h, PW->prec);
    mpfi_init2(m, PW->prec);
    mpfr_init2(x, PW->prec);
    for (int j = 0; j < n; j++) {
        mpfi_mid(x, a[j]);
        mpfi_set_fr(c[j], x);
    }
    entropy(PW, h, c);
    softmax(PW, a);                             /* PW->s = s over the box */
    mpfi_set_ui(m, 0);
    for (int j = 0; j < n; j++) {
        mpfi_mul(PW->t, PW->s[j], a[j]);
        mpfi_add(m, m, PW->t);
    }
    for (int j = 0; j < n; j++) {               /* (C(s)a)_j = s_j (a_j - s.a) */
        mpfi_sub(ca[j], a[j], m);
        mpfi_mul(ca[j], ca[j], PW->s[j]);
        mpfi_sub(PW->t, a[j], c[j]);
        mpfi_mul(PW->t, PW->t, ca[j]);
        mpfi_sub(h, h, PW->t);
    }
    entropy(PW, H, a);
    if (mpfi_intersect(H, H, h) != 0 || mpfi_is_empty(H))
        mpfi_set(H, h);
    ivec_clear(c, n);
    ivec_clear(ca, n);
    mpfi_clear(h);
    mpfi_clear(m);
    mpfr_clear(x);
}

static int ce_check(ce_work *C, pl_work *PW, const vf_lemma *lm, mpfi_t *x, int *sign,
                    mpfi_t Hlim, char *why, size_t wl)
{
    const int d = C->d, n = C->n, dim = d * n + n;
    const mpfr_prec_t pr = C->prec;
    mpfi_t s2, E0, rho, al, nw, Lam, G1, G2, gam, Gg, k, h;
    mpfi_t *all[] = { &s2, &E0, &rho, &al, &nw, &Lam, &G1, &G2, &gam, &Gg, &k, &h };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_init2(*all[i], pr);
    mpfi_t *fh = ivec(d, pr), *Wf = ivec(d, pr), *v = ivec(d, pr), *w = ivec(d, pr),
           *S = ivec(d * d, pr), *M = ivec(d * d, pr);
    int ok = 1;
    mpq_t sum;
    mpq_init(sum);
    int nz = 0;
    for (int i = 0; i < d; i++) {
        mpq_add(sum, sum, lm->e[i]);
        nz |= mpq_sgn(lm->e[i]) != 0;
        for (int j = 0; j < i; j++)
            if (!mpq_equal(lm->W[i * d + j], lm->W[j * d + i]))
                ok = fail(why, wl, "the metric W must be symmetric (entry %d,%d)", i, j);
    }
    if (!ok)
        ;
    else if (mpq_sgn(sum) != 0 || !nz)
        ok = fail(why, wl, "the direction f must be nonzero with sum f = 0 exactly");
    else if (mpq_sgn(lm->mu) <= 0 || mpq_sgn(lm->kappa) <= 0 || mpq_sgn(lm->sigma) < 0)
        ok = fail(why, wl, "mu and kappa must be > 0 and sigma >= 0");
    else if (!ce_wmin_ok(lm, d))
        ok = fail(why, wl, "E2: W - wmin I with wmin > 0 is not positive definite");
    /* X0: E0 >= sum r_k^2 / (Q sy_k); rho = 2 sqrt(E0 / mu); E3: Y contains X0 +/- rho */
    if (ok) {
        ce_parts(C, x, s2);
        mpfi_set_ui(E0, 0);
        for (int i = 0; i < d; i++) {
            mpfi_sqr(C->t, C->r[i]);
            mpfi_div(C->t, C->t, C->sy[i]);
            mpfi_add(E0, E0, C->t);
        }
        mpfi_div(E0, E0, C->Q);
        mpfi_div_q(rho, E0, lm->mu);
        sqrt_pos(rho);
        mpfi_mul_ui(rho, rho, 2);
        mpfr_t lo, hi;
        mpfr_inits2(pr, lo, hi, (mpfr_ptr)0);
        for (int i = 0; i < dim && ok; i++) {
            mpfr_sub(lo, &x[i]->left, &rho->right, MPFR_RNDD);
            mpfr_add(hi, &x[i]->right, &rho->right, MPFR_RNDU);
            if (!(mpfr_number_p(lo) && mpfr_number_p(hi) &&
                  mpfr_lessequal_p(&lm->Y[i]->left, lo) && mpfr_lessequal_p(hi, &lm->Y[i]->right)))
                ok = fail(why, wl, "E3: the box Y does not contain the end state +/- 2 sqrt(E/mu) "
                          "(component %d)", i);
        }
        mpfr_clears(lo, hi, (mpfr_ptr)0);
    }
    /* fh = f / |f|_W, Wf = W fh; E7 at X0: alpha = Wf . r != 0, |r - alpha fh|_W <= kappa |alpha| */
    if (ok) {
        for (int i = 0; i < d; i++)
            mpfi_set_q(fh[i], lm->e[i]);
        ce_inner(C, lm, h, fh, fh);
        mpfi_sqrt(h, h);
        for (int i = 0; i < d; i++)
            mpfi_div(fh[i], fh[i], h);
        for (int i = 0; i < d; i++) {
            mpfi_set_ui(Wf[i], 0);
            for (int j = 0; j < d; j++) {
                mpfi_mul_q(C->t, fh[j], lm->W[i * d + j]);
                mpfi_add(Wf[i], Wf[i], C->t);
            }
        }
        dot(al, Wf, C->r, d, C->t);
        for (int i = 0; i < d; i++) {
            mpfi_mul(w[i], al, fh[i]);
            mpfi_sub(w[i], C->r[i], w[i]);
        }
        ce_inner(C, lm, nw, w, w);
        sqrt_pos(nw);
        mpfi_abs(h, al);
        mpfi_mul_q(h, h, lm->kappa);
        mpfi_sub(h, h, nw);
        mpfi_abs(C->u, al);
        if (!(positive(C->u) && nonneg(h)))
            ok = fail(why, wl, "E7: r at the end is not proven inside the cone |w|_W <= kappa "
                      "|alpha|, alpha != 0");
    }
    /* over Y: the PL constant, S = W B, Lambda, Gamma1, Gamma2, gamma, |g_perp| */
    if (ok) {
        ce_parts(C, lm->Y, s2);
        for (int i = 0; i < d && ok; i++) {
            mpfi_mul(h, C->sy[i], s2);
            mpfi_mul(h, h, C->Q);
            if (!(mpfr_number_p(&h->left) && mpfr_cmp_q(&h->left, lm->mu) >= 0))
                ok = fail(why, wl, "E3: mu <= Q softmax(y)_%d |s|^2 on Y not proven", i);
        }
    }
    if (ok) {
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                mpfi_set_ui(S[i * d + j], 0);
                for (int l = 0; l < d; l++) {
                    mpfi_mul_q(C->t, C->B[l * d + j], lm->W[i * d + l]);
                    mpfi_add(S[i * d + j], S[i * d + j], C->t);
                }
            }
        for (int i = 0; i < d; i++) {                   /* v = B fh */
            mpfi_set_ui(v[i], 0);
            for (int j = 0; j < d; j++) {
                mpfi_mul(C->t, C->B[i * d + j], fh[j]);
                mpfi_add(v[i], v[i], C->t);
            }
        }
        dot(Lam, Wf, v, d, C->t);                       /* fh^T S fh */
        for (int i = 0; i < d; i++) {
            mpfi_mul(C->t, Lam, fh[i]);
            mpfi_sub(v[i], v[i], C->t);
        }
        ce_inner(C, lm, G1, v, v);
        sqrt_pos(G1);
        for (int i = 0; i < d; i++) {                   /* z = S^T fh */
            mpfi_set_ui(v[i], 0);
            for (int j = 0; j < d; j++) {
                mpfi_mul(C->t, S[j * d + i], fh[j]);
                mpfi_add(v[i], v[i], C->t);
            }
        }
        ce_dual(C, lm, G2, v, Lam, Wf, w);
        dot(gam, C->g, fh, d, C->t);
        ce_dual(C, lm, Gg, C->g, gam, Wf, w);
        /* E5: (S + S^T)/2 - m2 W + sigma (Wf Wf^T + 1 1^T) positive definite */
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                mpfi_add(M[i * d + j], S[i * d + j], S[j * d + i]);
                mpfi_div_ui(M[i * d + j], M[i * d + j], 2);
                mpfi_set_q(C->t, lm->W[i * d + j]);
                mpfi_mul_q(C->t, C->t, lm->m2);
                mpfi_sub(M[i * d + j], M[i * d + j], C->t);
                mpfi_mul(C->t, Wf[i], Wf[j]);
                mpfi_add_ui(C->t, C->t, 1);
                mpfi_mul_q(C->t, C->t, lm->sigma);
                mpfi_add(M[i * d + j], M[i * d + j], C->t);
            }
        if (!ce_pos_def_centred(M, d, C->t))
            ok = fail(why, wl, "E5: (S + S^T)/2 - m2 W + sigma (W f W f^T + 1 1^T) is not proven "
                      "positive definite on Y (cone not invariant)");
    }
    if (ok) {                           /* E6: kappa (m2 - Lambda) - Gamma1 - kappa^2 Gamma2 > 0 */
        mpfi_set_q(k, lm->kappa);
        mpfi_set_q(h, lm->m2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(h, h, k);
        mpfi_sub(h, h, G1);
        mpfi_sqr(C->t, k);
        mpfi_mul(C->t, C->t, G2);
        mpfi_sub(h, h, C->t);
        if (!positive(h))
            ok = fail(why, wl, "E6: kappa (m2 - Lambda) - Gamma1 - kappa^2 Gamma2 > 0 not proven "
                      "(cone not invariant)");
    }
    if (ok) {                           /* E8: |gamma| > kappa |g_perp| / sqrt(wmin) on Y */
        mpfi_abs(h, gam);
        mpfi_mul(C->t, k, Gg);
        mpfi_sub(h, h, C->t);
        if (!positive(h))
            ok = fail(why, wl, "E8: |g . fh| > kappa |g_perp| / sqrt(wmin) on Y not proven (the "
                      "sign of dH/dt is not settled)");
    }
    if (ok) {
        *sign = (mpfi_is_strictly_pos(al) > 0 ? -1 : 1) * (mpfi_is_strictly_pos(gam) > 0 ? 1 : -1);
        ce_entropy_box(PW, Hlim, lm->Y + d * n);
    }
    mpq_clear(sum);
    ivec_clear(fh, d), ivec_clear(Wf, d), ivec_clear(v, d), ivec_clear(w, d);
    ivec_clear(S, d * d), ivec_clear(M, d * d);
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_clear(*all[i]);
    return ok;
}

int vf_pltail_crossent_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                             mpfi_t Hlim, char *why, size_t whylen)
{
    const int d = c->d, n = c->n;
    const mpfr_prec_t pr = c->prec;
    if (lm->e == NULL || lm->W == NULL || lm->Y == NULL)
        return fail(why, whylen, "the lemma use lacks its box or hints");
    if (d < 2)
        return fail(why, whylen, "needs d >= 2 classes");
    ce_work C;
    pl_work PW;
    C.d = PW.d = d;
    C.n = PW.n = n;
    C.prec = PW.prec = pr;
    mpfi_init2(C.Q, pr), mpfi_init2(C.t, pr), mpfi_init2(C.u, pr);
    C.q = ivec(d, pr), C.s = ivec(n, pr), C.y = ivec(d, pr), C.sy = ivec(d, pr);
    C.r = ivec(d, pr), C.VC = ivec(d * n, pr), C.K = ivec(d * d, pr), C.P = ivec(d * d, pr);
    C.B = ivec(d * d, pr), C.g = ivec(d, pr), C.c1 = ivec(n, pr);
    PW.s = ivec(n, pr);
    mpfi_init2(PW.t, pr), mpfi_init2(PW.u, pr);
    int ok = 1;
    mpfi_set_ui(C.Q, 0);
    for (int i = 0; i < d; i++) {
        if (mpq_sgn(c->q[i]) <= 0)
            ok = fail(why, whylen, "E1: q[%d] is not > 0 (no finite minimiser)", i);
        mpfi_set_q(C.q[i], c->q[i]);
        mpfi_add(C.Q, C.Q, C.q[i]);
    }
    ok = ok && ce_check(&C, &PW, lm, x, sign, Hlim, why, whylen);
    mpfi_clear(C.Q), mpfi_clear(C.t), mpfi_clear(C.u);
    ivec_clear(C.q, d), ivec_clear(C.s, n), ivec_clear(C.y, d), ivec_clear(C.sy, d);
    ivec_clear(C.r, d), ivec_clear(C.VC, d * n), ivec_clear(C.K, d * d), ivec_clear(C.P, d * d);
    ivec_clear(C.B, d * d), ivec_clear(C.g, d), ivec_clear(C.c1, n);
    ivec_clear(PW.s, n);
    mpfi_clear(PW.t), mpfi_clear(PW.u);
    return ok;
}
