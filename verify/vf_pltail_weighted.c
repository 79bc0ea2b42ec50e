/* vf_pltail_weighted.c — the hypotheses W0–W6 of lemma pl-tail-weighted/1
 * (proofs/pl-tail-weighted.md §5), in MPFI, written from the proof and certs/FORMAT.md.
 * Square loss, full system: X0 = the end state, Y = the lemma's box; the hints e (n),
 * M (n x n), mu, kappa, theta, m2, sigma, mmin, zeta are exact. Every quantity is an
 * interval containing the exact value at every point of its box, so each checked
 * inequality implies the exact one. */
#include "vf_pltail_impl.h"

/* Exact: M symmetric and M - mmin I positive definite, mmin > 0 (Gaussian
 * elimination over Q, every pivot > 0). */
static int mmin_ok(const vf_lemma *lm, int n)
{
    mpq_t *M = malloc(sizeof(mpq_t) * (size_t)(n * n)), t, f;
    mpq_inits(t, f, (mpq_ptr)0);
    int ok = mpq_sgn(lm->mmin) > 0;
    for (int i = 0; i < n * n; i++) {
        mpq_init(M[i]);
        mpq_set(M[i], lm->M[i]);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            ok = ok && mpq_equal(lm->M[i * n + j], lm->M[j * n + i]);
    for (int i = 0; i < n; i++)
        mpq_sub(M[i * n + i], M[i * n + i], lm->mmin);
    for (int k = 0; k < n && ok; k++) {
        ok = mpq_sgn(M[k * n + k]) > 0;
        for (int i = k + 1; i < n && ok; i++) {
            mpq_div(f, M[i * n + k], M[k * n + k]);
            for (int j = k; j < n; j++) {
                mpq_mul(t, f, M[k * n + j]);
                mpq_sub(M[i * n + j], M[i * n + j], t);
            }
        }
    }
    for (int i = 0; i < n * n; i++)
        mpq_clear(M[i]);
    free(M);
    mpq_clears(t, f, (mpq_ptr)0);
    return ok;
}

/* out = M v (M exact). */
static void mmul(pl_work *W, const vf_lemma *lm, mpfi_t *out, mpfi_t *v)
{
    const int n = W->n;
    for (int i = 0; i < n; i++) {
        mpfi_set_ui(out[i], 0);
        for (int j = 0; j < n; j++) {
            mpfi_mul_q(W->t, v[j], lm->M[i * n + j]);
            mpfi_add(out[i], out[i], W->t);
        }
    }
}

/* res = |v|_M = sqrt(v^T M v) (the square cut below at 0); tmp: n scratch intervals. */
static void mnorm(pl_work *W, const vf_lemma *lm, mpfi_t res, mpfi_t *v, mpfi_t *tmp)
{
    mmul(W, lm, tmp, v);
    dot(res, v, tmp, W->n, W->t);
    sqrt_pos(res);
}

static int check_w(pl_work *W, const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                   mpfi_t Hlim, char *why, size_t wl)
{
    const int d = W->d, n = W->n, dim = d * n + n;
    mpfr_prec_t pr = W->prec;
    mpfi_t R0, R0sq, rho, s2, Lam, G1, G2, c1, k, root, h, alpha, nw, qe, mmax, nu, smax;
    mpfi_t *A = ivec(n * n, pr), *Me = ivec(n, pr), *v = ivec(n, pr), *tmp = ivec(n, pr);
    mpfi_t *all[] = { &R0, &R0sq, &rho, &s2, &Lam, &G1, &G2, &c1, &k, &root, &h, &alpha, &nw,
                      &qe, &mmax, &nu, &smax };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_init2(*all[i], pr);
    int ok = 1;
    mpq_t sum;
    mpq_init(sum);
    /* the hints: sum e = 0 exactly, e != 0; mu, kappa, theta, zeta > 0, sigma >= 0 */
    int nz = 0;
    for (int j = 0; j < n; j++) {
        mpq_add(sum, sum, lm->e[j]);
        nz |= mpq_sgn(lm->e[j]) != 0;
    }
    if (mpq_sgn(sum) != 0 || !nz)
        ok = fail(why, wl, "the direction e must be nonzero with sum e = 0 exactly");
    else if (mpq_sgn(lm->mu) <= 0 || mpq_sgn(lm->kappa) <= 0 || mpq_sgn(lm->theta) <= 0 ||
             mpq_sgn(lm->zeta) <= 0 || mpq_sgn(lm->sigma) < 0)
        ok = fail(why, wl, "mu, kappa, theta and zeta must be > 0 and sigma >= 0");
    else if (!mmin_ok(lm, n))                   /* W0 */
        ok = fail(why, wl, "W0: M symmetric with M - mmin I positive definite, mmin > 0, "
                  "not proven");
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
    /* W1: Y contains X0 + [-sqrt(n) R0, sqrt(n) R0] in every component */
    if (ok) {
        mpfi_set_ui(rho, (unsigned long)n);
        mpfi_sqrt(rho, rho);
        mpfi_mul(rho, rho, R0);
        int i = box_miss(lm, x, rho, dim, pr);
        if (i >= 0)
            ok = fail(why, wl, "W1: the box Y does not contain the end state +/- sqrt(n)|r| "
                      "(component %d)", i);
    }
    /* W2: mu <= |s|^2 on Y; A over Y */
    if (ok) {
        parts(W, c, lm->Y);
        matrix_A(W, A, s2);
        if (!(mpfr_number_p(&s2->left) && mpfr_cmp_q(&s2->left, lm->mu) >= 0))
            ok = fail(why, wl, "W2: mu <= |s|^2 on Y not proven");
    }
    /* e-hat = e / |e|_M (|e|_M^2 = e^T M e exact), Me = M e-hat */
    if (ok) {
        mpq_t q2, t;
        mpq_inits(q2, t, (mpq_ptr)0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                mpq_mul(t, lm->e[i], lm->M[i * n + j]);
                mpq_mul(t, t, lm->e[j]);
                mpq_add(q2, q2, t);
            }
        mpfi_set_q(h, q2);
        mpfi_sqrt(h, h);
        for (int j = 0; j < n; j++) {
            mpfi_set_q(W->eh[j], lm->e[j]);
            mpfi_div(W->eh[j], W->eh[j], h);
        }
        mmul(W, lm, Me, W->eh);
        mpq_clears(q2, t, (mpq_ptr)0);
        if (!positive(h))
            ok = fail(why, wl, "e^T M e > 0 not proven");
    }
    /* W3: (MA + AM)/2 - m2 M + sigma (Me Me^T + (1/n) 1 1^T) positive definite on Y */
    if (ok) {
        mpfi_t *S = ivec(n * n, pr);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                mpfi_set_ui(S[i * n + j], 0);
                for (int l = 0; l < n; l++) {
                    mpfi_mul_q(W->t, A[l * n + j], lm->M[i * n + l]);     /* (MA)_ij */
                    mpfi_add(S[i * n + j], S[i * n + j], W->t);
                    mpfi_mul_q(W->t, A[i * n + l], lm->M[l * n + j]);     /* (AM)_ij */
                    mpfi_add(S[i * n + j], S[i * n + j], W->t);
                }
                mpfi_div_ui(S[i * n + j], S[i * n + j], 2);
                mpfi_set_q(W->t, lm->M[i * n + j]);
                mpfi_mul_q(W->t, W->t, lm->m2);
                mpfi_sub(S[i * n + j], S[i * n + j], W->t);
                mpfi_mul(W->t, Me[i], Me[j]);
                mpfi_set_ui(W->u, 1);
                mpfi_div_ui(W->u, W->u, (unsigned long)n);
                mpfi_add(W->t, W->t, W->u);
                mpfi_mul_q(W->t, W->t, lm->sigma);
                mpfi_add(S[i * n + j], S[i * n + j], W->t);
            }
        if (!pos_def(S, n, W->t))
            ok = fail(why, wl, "W3: (MA + AM)/2 - m2 M + sigma (Me Me^T + (1/n) 1 1^T) positive "
                      "definite on Y not proven (no spectral gap in the metric M)");
        ivec_clear(S, n * n);
    }
    /* Lambda = Me . A e-hat, Gamma1 = |A eh - Lambda eh|_M, Gamma2 = |A Me - Lambda Me| /
     * sqrt(mmin); c1 = 3 |V|_F over Y; mmax = |M|_F, nu = sqrt(mmax / mmin) */
    if (ok) {
        for (int i = 0; i < n; i++)
            dot(W->Ae[i], A + i * n, W->eh, n, W->t);
        dot(Lam, Me, W->Ae, n, W->t);
        for (int i = 0; i < n; i++) {
            mpfi_mul(W->t, Lam, W->eh[i]);
            mpfi_sub(v[i], W->Ae[i], W->t);
        }
        mnorm(W, lm, G1, v, tmp);
        for (int i = 0; i < n; i++) {
            dot(v[i], A + i * n, Me, n, W->t);
            mpfi_mul(W->t, Lam, Me[i]);
            mpfi_sub(v[i], v[i], W->t);
        }
        dot(G2, v, v, n, W->t);
        mpfi_div_q(G2, G2, lm->mmin);
        sqrt_pos(G2);
        dot(c1, lm->Y, lm->Y, d * n, W->t);
        mpfi_sqrt(c1, c1);
        mpfi_mul_ui(c1, c1, 3);
        mpq_t t, f2;
        mpq_inits(t, f2, (mpq_ptr)0);
        for (int i = 0; i < n * n; i++) {
            mpq_mul(t, lm->M[i], lm->M[i]);
            mpq_add(f2, f2, t);
        }
        mpfi_set_q(mmax, f2);
        mpfi_sqrt(mmax, mmax);
        mpfi_sqrt(smax, mmax);
        mpfi_div_q(nu, mmax, lm->mmin);
        mpfi_sqrt(nu, nu);
        mpq_clears(t, f2, (mpq_ptr)0);
        mpfi_set_q(k, lm->kappa);
        mpfi_sqr(root, k);
        mpfi_add_ui(root, root, 1);
        mpfi_sqrt(root, root);
        mpfi_mul(root, root, c1);
        mpfi_mul(root, root, R0);
        mpfi_mul(root, root, nu);               /* nu c1 sqrt(1 + kappa^2) R0 */
        mpfi_set_q(h, lm->mu);                  /* W4a */
        mpfi_mul_ui(h, h, 2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(W->t, G2, k);
        mpfi_sub(h, h, W->t);
        mpfi_sub(h, h, root);
        mpfi_mul_q(h, h, lm->theta);
        mpfi_sub(h, h, smax);
        if (!positive(h))
            ok = fail(why, wl, "W4a: theta (2 mu - Lambda - kappa Gamma2 - nu c1 sqrt(1+kappa^2) "
                      "R0) > sqrt(mmax) not proven");
    }
    if (ok) {                                   /* W4b */
        mpfi_set_q(h, lm->m2);
        mpfi_sub(h, h, Lam);
        mpfi_mul(h, h, k);
        mpfi_sub(h, h, G1);
        mpfi_sqr(W->t, k);
        mpfi_mul(W->t, W->t, G2);
        mpfi_sub(h, h, W->t);
        mpfi_div_q(W->u, smax, lm->theta);
        mpfi_add(W->u, W->u, root);
        mpfi_add_ui(W->t, k, 1);
        mpfi_mul(W->u, W->u, W->t);
        mpfi_sub(h, h, W->u);
        if (!positive(h))
            ok = fail(why, wl, "W4b: the cone |w|_M <= kappa |alpha| is not proven forward "
                      "invariant");
    }
    /* W5 at X0: alpha = Me . p, w = p - alpha eh, |w|_M <= kappa |alpha|, |alpha| >= theta R0^2 */
    if (ok) {
        dot(alpha, Me, W->p, n, W->t);
        for (int j = 0; j < n; j++) {
            mpfi_mul(W->w[j], W->eh[j], alpha);
            mpfi_sub(W->w[j], W->p[j], W->w[j]);
        }
        mnorm(W, lm, nw, W->w, tmp);
        mpfi_abs(h, alpha);
        mpfi_mul(W->u, h, k);
        mpfi_sub(W->u, W->u, nw);
        mpfi_mul_q(W->t, R0sq, lm->theta);
        mpfi_sub(h, h, W->t);
        if (!(nonneg(W->u) && nonneg(h) && !mpfi_has_zero(alpha)))
            ok = fail(why, wl, "W5: p = C V^T r at the end is not proven inside the cone "
                      "(|w|_M <= kappa |alpha|, |alpha| >= theta |r|^2)");
    }
    /* W6 on Y: q = C(s) a, q_e = q . eh, g = q - q_e Me; [[M, g], [g^T, zeta]] positive
     * definite (so zeta > g^T M^-1 g) and q_e^2 > kappa^2 zeta */
    if (ok) {
        mpfi_t *a = lm->Y + d * n, *S = ivec((n + 1) * (n + 1), pr);
        softmax(W, a);
        dot(h, W->s, a, n, W->t);
        for (int j = 0; j < n; j++) {
            mpfi_sub(W->q[j], a[j], h);
            mpfi_mul(W->q[j], W->q[j], W->s[j]);
        }
        dot(qe, W->q, W->eh, n, W->t);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++)
                mpfi_set_q(S[i * (n + 1) + j], lm->M[i * n + j]);
            mpfi_mul(W->t, qe, Me[i]);
            mpfi_sub(S[n * (n + 1) + i], W->q[i], W->t);
        }
        mpfi_set_q(S[n * (n + 1) + n], lm->zeta);
        if (!pos_def(S, n + 1, W->t))
            ok = fail(why, wl, "W6: [[M, g], [g^T, zeta]] positive definite on Y not proven "
                      "(zeta below the dual norm of g = C(s)a - q_e M e-hat)");
        ivec_clear(S, (n + 1) * (n + 1));
        if (ok) {
            mpfi_sqr(h, qe);
            mpfi_sqr(W->t, k);
            mpfi_mul_q(W->t, W->t, lm->zeta);
            mpfi_sub(h, h, W->t);
            if (!(positive(h) && !mpfi_has_zero(qe)))
                ok = fail(why, wl, "W6: (e-hat . C(s)a)^2 > kappa^2 zeta on Y not proven");
        }
    }
    if (ok) {
        *sign = (mpfi_is_strictly_pos(alpha) > 0 ? -1 : 1) *        /* -sgn(alpha) sgn(q_e) */
                (mpfi_is_strictly_pos(qe) > 0 ? 1 : -1);
        entropy(W, Hlim, lm->Y + d * n);
    }
    mpq_clear(sum);
    ivec_clear(A, n * n);
    ivec_clear(Me, n);
    ivec_clear(v, n);
    ivec_clear(tmp, n);
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        mpfi_clear(*all[i]);
    return ok;
}

int vf_pltail_weighted_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
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
    int ok = lm->e != NULL && lm->M != NULL && lm->Y != NULL &&
             check_w(&W, c, lm, x, sign, Hlim, why, whylen);
    if (lm->e == NULL || lm->M == NULL || lm->Y == NULL)
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
