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
