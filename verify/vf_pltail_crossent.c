/* vf_pltail_crossent.c — the hypotheses E1–E8 of lemma pl-tail-crossent/1
 * (proofs/pl-tail-crossent.md §7), in MPFI, written from the proof and
 * certs/FORMAT.md: the same conventions as vf_pltail.c (every quantity an interval
 * containing the exact value at every point of its box; the hints are exact). */
#include <stdlib.h>
#include "vf_pltail_impl.h"

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
        int i = box_miss(lm, x, rho, dim, pr);
        if (i >= 0)
            ok = fail(why, wl, "E3: the box Y does not contain the end state +/- 2 sqrt(E/mu) "
                      "(component %d)", i);
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
