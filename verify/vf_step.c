/* vf_step.c — the Taylor–Lohner step of FORMAT.md ("What the checker does with a step").
 *
 * The set S = {c + B r : r in R} holds every state at t0.  Per step: X = hull(S); the
 * Taylor coefficients over X (multi-limb midpoint-radius, vf_mrtay.c; MPFI, vf_taylor.c,
 * as fallback) and their Jacobian up to order J (exact fixed point, vf_jac.c), over E for
 * the remainder (one-word fixed point, vf_fxtay.c, where E is wide; else vf_mrtay.c;
 * else MPFI) and at c (vf_mrtay.c, else MPFI); the a priori inclusion P in int(E);
 * the mean-value form y + A B r at t0 + h; and the new set (c', B', R').  B' is the
 * checker's own choice (Q of a pivoted QR of mid(A B), computed in double: it is only a
 * coordinate system; or I for the tau system); its inverse is enclosed rigorously, so
 * no double ever enters an enclosure.  A fixed-point path that cannot hold its values
 * falls back to MPFI, and so does the remainder whenever the inclusion fails with it:
 * the fast paths never decide a rejection. */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>
#include "vf.h"

static mpfi_t *fivec(size_t n, mpfr_prec_t p)
{
    mpfi_t *v = vf_malloc(sizeof(mpfi_t) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        mpfi_init2(v[i], p);
        mpfi_set_ui(v[i], 0);
    }
    return v;
}

static void fifree(mpfi_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfi_clear(v[i]);
    free(v);
}

void vf_flow_init(vf_flow *f, const vf_cert *c)
{
    int n = c->dim;
    size_t nn = (size_t)n * n;
    memset(f, 0, sizeof *f);
    f->dim = n;
    f->K = (int)c->order;
    f->prec = c->prec;
    f->jprec = c->jac_prec;
    f->c = vf_malloc(sizeof(mpfr_t) * (size_t)n);
    f->B = vf_calloc(nn, sizeof(double));
    f->R = fivec((size_t)n, f->prec);
    f->xk = fivec((size_t)(f->K + 2) * n, f->prec);
    f->X = fivec((size_t)n, f->prec);
    f->y = fivec((size_t)n, f->prec);
    f->P = fivec((size_t)n, f->prec);
    f->yc = fivec((size_t)n, f->prec);
    f->Rn = fivec((size_t)n, f->prec);
    f->tmpv = fivec((size_t)n, f->prec);
    f->A = fivec(nn, f->jprec);
    f->AB = fivec(nn, f->jprec);
    f->C = fivec(nn, f->jprec);
    f->M = vf_malloc(sizeof(double) * nn);
    f->Q = vf_malloc(sizeof(double) * nn);
    f->work = vf_malloc(sizeof(double) * (size_t)(3 * n + 2));
    f->Bq = vf_calloc(nn, sizeof(int64_t));
    f->Qq = vf_calloc(nn, sizeof(int64_t));
    f->flo = vf_malloc(sizeof(int64_t) * nn);
    f->fhi = vf_malloc(sizeof(int64_t) * nn);
    f->acc = vf_malloc(sizeof(__int128) * (size_t)(2 * n));
    mpfi_init2(f->h, f->prec);
    mpfi_init2(f->s1, f->prec);
    mpfi_init2(f->s2, f->jprec);
    mpfi_init2(f->s3, f->jprec);
    f->Bid = 1;
    f->ntay = c->n;
    f->tay = vf_calloc((size_t)c->n, sizeof(vf_taylor));
    f->jac = vf_calloc((size_t)c->n, sizeof(vf_jac *));
    f->tayd = vf_calloc((size_t)c->n, sizeof(vf_taylor));
    f->fxe = vf_calloc((size_t)c->n, sizeof(vf_fxtay *));
    f->mre = vf_calloc((size_t)c->n, sizeof(vf_mrtay *));
    /* The tau system integrates point problems whose set is only rounding wide: there
     * the mean-value form on a plain box is tighter than QR-Lohner (whose Q^-1
     * enclosure adds ~2^-50 dim of relative width per step) and needs no cubic work. */
    f->meanvalue = c->sys == VF_TAU;
    /* initial set: c = mid x(0), B = I, R = x(0) - c */
    vf_initial_state(c, f->X, f->prec);
    for (int i = 0; i < n; i++) {
        mpfr_init2(f->c[i], f->prec);
        mpfi_mid(f->c[i], f->X[i]);
        mpfi_sub_fr(f->R[i], f->X[i], f->c[i]);
        f->B[(size_t)i * n + i] = 1.0;
        f->Bq[(size_t)i * n + i] = (int64_t)1 << 52;
    }
}

void vf_flow_clear(vf_flow *f)
{
    int n = f->dim;
    size_t nn = (size_t)n * n;
    for (int i = 0; i < f->ntay; i++)
        if (f->tay[i].tp) {
            const vf_tape *tp = f->tay[i].tp;
            vf_jac_free(f->jac[i]);
            vf_fxtay_free(f->fxe[i]);
            vf_mrtay_free(f->mre[i]);
            if (f->tayd[i].tp)
                vf_taylor_clear(&f->tayd[i]);
            vf_taylor_clear(&f->tay[i]);
            vf_tape_free((vf_tape *)tp);
        }
    free(f->tay);
    free(f->jac);
    free(f->fxe);
    free(f->mre);
    free(f->tayd);
    for (int i = 0; i < n; i++)
        mpfr_clear(f->c[i]);
    free(f->c);
    free(f->B);
    fifree(f->R, (size_t)n);
    fifree(f->xk, (size_t)(f->K + 2) * n);
    fifree(f->X, (size_t)n);
    fifree(f->y, (size_t)n);
    fifree(f->P, (size_t)n);
    fifree(f->yc, (size_t)n);
    fifree(f->Rn, (size_t)n);
    fifree(f->tmpv, (size_t)n);
    fifree(f->A, nn);
    fifree(f->AB, nn);
    fifree(f->C, nn);
    free(f->M);
    free(f->Q);
    free(f->work);
    free(f->Bq);
    free(f->Qq);
    free(f->flo);
    free(f->fhi);
    free(f->acc);
    mpfi_clear(f->h);
    mpfi_clear(f->s1);
    mpfi_clear(f->s2);
    mpfi_clear(f->s3);
}

/* the largest Jacobian order of the steps of reference token w */
static int jac_order_for(const vf_cert *c, int w)
{
    int J = 1;
    for (size_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].ref == w && c->steps[i].jac > J)
            J = c->steps[i].jac;
    return J;
}

/* The Taylor workspace of reference token w (coefficients only) and its fixed-point
 * Jacobian workspace, built on first use. */
static vf_taylor *taylor_for(vf_flow *f, const vf_cert *c, int w)
{
    if (!f->tay[w].tp) {
        int J = jac_order_for(c, w);
        vf_tape *tp = vf_build_field(c, w);
        vf_limits_check_taylor(tp, f->K, J, f->prec, f->jprec, w, 0);
        vf_taylor_init(&f->tay[w], tp, f->K, -1, f->prec, f->jprec);
        f->jac[w] = vf_jac_new(&f->tay[w], J);
        f->fxe[w] = vf_fxtay_new(tp, f->K);
        f->mre[w] = vf_mrtay_new(tp, f->K, f->prec);     /* NULL: MPFI only */
    }
    return &f->tay[w];
}

/* The MPFI derivative workspace of token w (only if the fixed point cannot hold A). */
static vf_taylor *taylor_deriv_for(vf_flow *f, const vf_cert *c, int w)
{
    if (!f->tayd[w].tp) {
        int J = jac_order_for(c, w);
        vf_limits_check_taylor(f->tay[w].tp, J, J, f->prec, f->jprec, w, 1);
        vf_taylor_init(&f->tayd[w], f->tay[w].tp, J, J, f->prec, f->jprec);
    }
    return &f->tayd[w];
}

void vf_flow_hull(vf_flow *f, mpfi_t *out)
{
    int n = f->dim;
    for (int i = 0; i < n; i++) {
        mpfi_set_fr(out[i], f->c[i]);
        for (int j = 0; j < n; j++) {
            double b = f->B[(size_t)i * n + j];
            if (b == 0.0)
                continue;
            mpfi_mul_d(f->s1, f->R[j], b);
            mpfi_add(out[i], out[i], f->s1);
        }
    }
}

#define XK(f, k, i) ((f)->xk[(size_t)(k) * (f)->dim + (i)])

void vf_flow_deriv(vf_flow *f, mpfi_t *out, const mpfi_t sigma)
{
    for (int i = 0; i < f->dim; i++) {
        mpfi_mul_ui(out[i], XK(f, f->K + 1, i), (unsigned long)(f->K + 1));
        for (int k = f->K - 1; k >= 0; k--) {
            mpfi_mul(out[i], out[i], sigma);
            mpfi_mul_ui(f->s1, XK(f, k + 1, i), (unsigned long)(k + 1));
            mpfi_add(out[i], out[i], f->s1);
        }
    }
}

void vf_flow_divided(vf_flow *f, mpfi_t *out, int off, int n, const mpfi_t sigma)
{
    for (int i = 0; i < n; i++) {
        mpfi_set(out[i], XK(f, f->K + 1, off + i));
        for (int k = f->K; k >= 1; k--) {
            mpfi_mul(out[i], out[i], sigma);
            mpfi_add(out[i], out[i], XK(f, k, off + i));
        }
    }
}

void vf_flow_state(vf_flow *f, mpfi_t *out, const mpfi_t sigma)
{
    for (int i = 0; i < f->dim; i++) {
        mpfi_set(out[i], XK(f, f->K + 1, i));
        for (int k = f->K; k >= 0; k--) {
            mpfi_mul(out[i], out[i], sigma);
            mpfi_add(out[i], out[i], XK(f, k, i));
        }
        mpfi_intersect(f->s1, out[i], f->E[i]);
        if (!mpfi_is_empty(f->s1))       /* cannot be empty in exact arithmetic */
            mpfi_set(out[i], f->s1);
    }
}

/* A = sum_{k<=J} D x_k h^k (Horner), zero where the derivative is structurally zero */
static void jacobian(vf_flow *f, vf_taylor *ws, int J)
{
    int n = f->dim;
    mpfi_set(f->s2, f->h);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            mpfi_ptr a = f->A[(size_t)i * n + j];
            mpfi_set_ui(a, 0);
            for (int k = J; k >= 0; k--) {
                mpfi_ptr d = vf_taylor_jac(ws, i, k, j);
                mpfi_mul(a, a, f->s2);
                if (d)
                    mpfi_add(a, a, d);
            }
        }
}

static void step_fail(const vf_cert *c, size_t i, const char *what, int comp)
{
    char t[64];
    vf_fmt_q(t, sizeof t, c->steps[i].t0, 12, MPFR_RNDN);
    vf_reject("step %zu (t0 = %s): %s in component %d", i, t, what, comp);
}

/* ---------- choice of B' (double: a coordinate system only) ---------- */

/* Householder QR with column pivoting of M diag(wt); Q returned row-major. */
static int qr_pivot(int n, const double *M, const double *wt, double *Q, double *W, double *v)
{
    int *perm = vf_malloc(sizeof(int) * (size_t)n);
    double *vs = vf_malloc(sizeof(double) * (size_t)n * n);
    double *beta = vf_malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n * n; i++) {
        W[i] = M[i] * wt[i % n];
        if (!isfinite(W[i])) {
            free(perm); free(vs); free(beta);
            return -1;
        }
    }
    for (int p = 0; p < n; p++) {
        int best = p;
        double bn = -1;
        for (int j = p; j < n; j++) {
            double s = 0;
            for (int i = p; i < n; i++)
                s += W[i * n + j] * W[i * n + j];
            if (s > bn) { bn = s; best = j; }
        }
        if (best != p)
            for (int i = 0; i < n; i++) {
                double t = W[i * n + p]; W[i * n + p] = W[i * n + best]; W[i * n + best] = t;
            }
        double nrm = sqrt(bn > 0 ? bn : 0);
        for (int i = 0; i < n; i++)
            v[i] = i < p ? 0 : W[i * n + p];
        beta[p] = 0;
        if (nrm > 0) {
            double alpha = v[p] > 0 ? -nrm : nrm;
            v[p] -= alpha;
            double vv = 0;
            for (int i = p; i < n; i++)
                vv += v[i] * v[i];
            if (vv > 0) {
                beta[p] = 2 / vv;
                for (int j = p; j < n; j++) {       /* W = (I - beta v v^T) W */
                    double s = 0;
                    for (int i = p; i < n; i++)
                        s += v[i] * W[i * n + j];
                    s *= beta[p];
                    for (int i = p; i < n; i++)
                        W[i * n + j] -= s * v[i];
                }
            }
        }
        memcpy(vs + (size_t)p * n, v, sizeof(double) * (size_t)n);
    }
    /* Q = H_0 H_1 ... H_{n-1} */
    for (int i = 0; i < n * n; i++)
        Q[i] = (i / n == i % n);
    for (int p = n - 1; p >= 0; p--) {
        if (beta[p] == 0)
            continue;
        const double *vp = vs + (size_t)p * n;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = p; i < n; i++)
                s += vp[i] * Q[i * n + j];
            s *= beta[p];
            for (int i = p; i < n; i++)
                Q[i * n + j] -= s * vp[i];
        }
    }
    free(perm);
    free(vs);
    free(beta);
    return 0;
}

/* eps with B'^{-1} in B'^T + [-eps, eps] (entrywise), or -1 if delta >= 1/2.
 * delta = ||I - B'^T B'||_inf, eps = delta ||B'^T||_inf / (1 - delta), rounded up. */
static int inverse_bound(vf_flow *f, mpfr_t eps)
{
    mpfr_t d, qn, m;
    mpfr_inits2(f->jprec, d, qn, m, (mpfr_ptr)0);
    vf_fix_orth_defect(f->dim, f->Qq, d, qn, f->acc);
    int ok = mpfr_cmp_d(d, 0.5) < 0 && mpfr_number_p(d);
    if (ok) {
        mpfr_ui_sub(m, 1, d, MPFR_RNDD);
        mpfr_mul(eps, d, qn, MPFR_RNDU);
        mpfr_div(eps, eps, m, MPFR_RNDU);
    }
    mpfr_clears(d, qn, m, (mpfr_ptr)0);
    return ok ? 0 : -1;
}

/* AB = A B with B exact doubles (skipped when B = I). */
static void mat_AB(vf_flow *f, int Bid)
{
    int n = f->dim;
    if (!Bid) {
        long F = vf_fix_enclose(f->A, (size_t)n * n, n, f->flo, f->fhi);
        if (F != LONG_MIN) {
            vf_fix_mul_ip(n, f->flo, f->fhi, F, f->Bq, f->AB, f->acc);
            return;
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            mpfi_ptr dst = f->AB[(size_t)i * n + j];
            if (Bid) {
                mpfi_set(dst, f->A[(size_t)i * n + j]);
                continue;
            }
            mpfi_set_ui(dst, 0);
            for (int k = 0; k < n; k++) {
                double b = f->B[(size_t)k * n + j];
                if (b == 0.0)
                    continue;
                mpfi_mul_d(f->s2, f->A[(size_t)i * n + k], b);
                mpfi_add(dst, dst, f->s2);
            }
        }
}

/* dst = Q^T src + eps * colmag(src) [-1, 1]  (Binv src), for matrices (ncol = n) */
static void apply_binv(vf_flow *f, const double *Q, int Qid, const mpfr_t eps,
                       mpfi_t *src, mpfi_t *dst, int ncol, mpfi_ptr tmp)
{
    int n = f->dim;
    mpfr_t cm, m;
    mpfr_inits2(mpfi_get_prec(tmp), cm, m, (mpfr_ptr)0);
    for (int j = 0; j < ncol; j++) {
        mpfr_set_ui(cm, 0, MPFR_RNDU);
        if (!Qid)
            for (int k = 0; k < n; k++) {
                mpfi_mag(m, src[(size_t)k * ncol + j]);
                mpfr_add(cm, cm, m, MPFR_RNDU);
            }
        mpfr_mul(cm, cm, eps, MPFR_RNDU);
        for (int i = 0; i < n; i++) {
            mpfi_ptr d = dst[(size_t)i * ncol + j];
            if (Qid) {
                mpfi_set(d, src[(size_t)i * ncol + j]);
                continue;
            }
            mpfi_set_ui(d, 0);
            for (int k = 0; k < n; k++) {
                double q = Q[(size_t)k * n + i];
                if (q == 0.0)
                    continue;
                mpfi_mul_d(tmp, src[(size_t)k * ncol + j], q);
                mpfi_add(d, d, tmp);
            }
            mpfi_interv_fr(tmp, cm, cm);
            mpfi_neg(tmp, tmp);
            mpfi_put_fr(tmp, cm);       /* [-cm, cm] */
            mpfi_add(d, d, tmp);
        }
    }
    mpfr_clears(cm, m, (mpfr_ptr)0);
}

/* The mean-value form on a plain box: c' = mid y, B' = I, R' = (y - c') + A R (B = I
 * throughout, so A B = A).  Contains y0 + A0 (x0 - c) for all y0 in y, A0 in A, x0 in
 * c + R, as the QR form does; it only gives up the rotation that fights wrapping. */
static void mean_value_set(vf_flow *f)
{
    int n = f->dim;
    for (int i = 0; i < n; i++) {
        mpfi_mid(f->c[i], f->y[i]);
        mpfi_sub_fr(f->Rn[i], f->y[i], f->c[i]);
        for (int j = 0; j < n; j++) {
            mpfi_srcptr a = f->A[(size_t)i * n + j];
            if (mpfr_zero_p(&a->left) && mpfr_zero_p(&a->right))
                continue;
            mpfi_mul(f->s1, a, f->R[j]);
            mpfi_add(f->Rn[i], f->Rn[i], f->s1);
        }
    }
    for (int i = 0; i < n; i++)
        mpfi_set(f->R[i], f->Rn[i]);
}

/* c' = mid y; B' = Q; R' = Binv (y - c') + (Binv A B) R */
static void new_set(vf_flow *f, int Bid)
{
    int n = f->dim;
    if (f->meanvalue) {                 /* B = I since the start */
        mean_value_set(f);
        return;
    }
    mat_AB(f, Bid);
    /* column weights for the pivoting: the widths of R relative to the widest (a
     * choice only; scaled in MPFR so that tiny widths at high precision neither
     * underflow nor make the Householder factors overflow in double) */
    double *wt = f->work;
    mpfr_t r, rmax;
    mpfr_inits2(53, r, rmax, (mpfr_ptr)0);
    mpfr_set_ui(rmax, 0, MPFR_RNDN);
    for (int j = 0; j < n; j++) {
        mpfi_diam_abs(r, f->R[j]);
        if (mpfr_number_p(r) && mpfr_cmp(r, rmax) > 0)
            mpfr_set(rmax, r, MPFR_RNDN);
    }
    for (int j = 0; j < n; j++) {
        mpfi_diam_abs(r, f->R[j]);
        if (mpfr_sgn(rmax) > 0 && mpfr_number_p(r))
            mpfr_div(r, r, rmax, MPFR_RNDN);
        else
            mpfr_set_ui(r, 1, MPFR_RNDN);
        wt[j] = mpfr_get_d(r, MPFR_RNDN) + 1e-300;
    }
    mpfr_clears(r, rmax, (mpfr_ptr)0);
    for (size_t i = 0; i < (size_t)n * n; i++) {
        mpfr_t m;
        mpfr_init2(m, 53);
        mpfi_mid(m, f->AB[i]);
        f->M[i] = mpfr_get_d(m, MPFR_RNDN);
        mpfr_clear(m);
    }
    double *W = vf_malloc(sizeof(double) * (size_t)n * n);
    mpfr_t eps;
    mpfr_init2(eps, f->jprec);
    int Qid = qr_pivot(n, f->M, wt, f->Q, W, wt + n) != 0;
    free(W);
    for (size_t i = 0; i < (size_t)n * n && !Qid; i++)   /* a usable rotation or none */
        Qid = !isfinite(f->Q[i]) || fabs(f->Q[i]) > 1.0 + 0x1p-20;
    if (!Qid) {                         /* B' on the grid 2^-52 Z: exact integer products */
        vf_fix_round(n, f->Q, f->Qq, f->Q);
        Qid = inverse_bound(f, eps) != 0;
    }
    if (Qid) {                          /* fall back to B' = I, Binv = I exactly */
        for (int i = 0; i < n * n; i++) {
            f->Q[i] = (i / n == i % n);
            f->Qq[i] = (i / n == i % n) ? (int64_t)1 << 52 : 0;
        }
        mpfr_set_ui(eps, 0, MPFR_RNDN);
    }
    for (int i = 0; i < n; i++) {
        mpfi_mid(f->c[i], f->y[i]);
        mpfi_sub_fr(f->yc[i], f->y[i], f->c[i]);
    }
    long F = Qid ? LONG_MIN : vf_fix_enclose(f->AB, (size_t)n * n, n, f->flo, f->fhi);
    if (F != LONG_MIN)
        vf_fix_mul_tp(n, f->Qq, f->flo, f->fhi, F, eps, f->C, f->acc);
    else
        apply_binv(f, f->Q, Qid, eps, f->AB, f->C, n, f->s2);
    apply_binv(f, f->Q, Qid, eps, f->yc, f->Rn, 1, f->s1);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            mpfi_mul(f->s1, f->C[(size_t)i * n + j], f->R[j]);
            mpfi_add(f->Rn[i], f->Rn[i], f->s1);
        }
    for (int i = 0; i < n; i++)
        mpfi_set(f->R[i], f->Rn[i]);
    memcpy(f->B, f->Q, sizeof(double) * (size_t)n * n);
    memcpy(f->Bq, f->Qq, sizeof(int64_t) * (size_t)n * n);
    f->Bid = Qid;
    mpfr_clear(eps);
}

/* Is every component of E wide relative to its size (radius >= 2^-40 |E_i|)?  Only
 * then is the one-word fixed point of vf_fxtay.c (58 bits, quantising E to about 2^-57
 * of its size) close to the MPFI remainder: on a nearly stationary state E is only
 * rounding-wide, and the quantisation would widen x_{K+1}(E) by orders of magnitude
 * (square-full-6 near t = 337: 10^14), which the end state then carries. */
static int e_is_wide(const vf_flow *f)
{
    for (int i = 0; i < f->dim; i++) {
        mpfr_srcptr l = &f->E[i]->left, r = &f->E[i]->right;
        if (!mpfr_number_p(l) || !mpfr_number_p(r))
            return 0;
        if (mpfr_zero_p(l) && mpfr_zero_p(r))
            continue;
        mpfr_exp_t em = mpfr_zero_p(l) ? mpfr_get_exp(r) : mpfr_zero_p(r) ? mpfr_get_exp(l)
                        : mpfr_get_exp(l) > mpfr_get_exp(r) ? mpfr_get_exp(l) : mpfr_get_exp(r);
        mpfr_t d;
        mpfr_init2(d, 32);
        mpfr_sub(d, r, l, MPFR_RNDD);               /* diameter, rounded down */
        int ok = !mpfr_zero_p(d) && mpfr_get_exp(d) - 1 >= em - 40;
        mpfr_clear(d);
        if (!ok)
            return 0;
    }
    return 1;
}

/* The a priori inclusion P = sum_{k<=K} x_k(X) [0,h]^k + x_{K+1}(E) [0,h]^{K+1} in
 * int(E): -1 if it holds, else the first component where it fails. */
static int apriori_fails(vf_flow *f)
{
    int n = f->dim, K = f->K;
    mpfi_interv_si(f->tmpv[0], 0, 0);
    mpfi_put(f->tmpv[0], f->h);
    mpfi_set(f->s1, f->tmpv[0]);
    for (int i = 0; i < n; i++) {
        mpfi_ptr p = f->P[i];
        mpfi_set(p, XK(f, K + 1, i));
        for (int k = K; k >= 0; k--) {
            mpfi_mul(p, p, f->s1);
            mpfi_add(p, p, XK(f, k, i));
        }
        if (!vf_fi_is_finite(p) || mpfr_cmp(&f->E[i]->left, &p->left) >= 0 ||
            mpfr_cmp(&p->right, &f->E[i]->right) >= 0)
            return i;
    }
    return -1;
}

/* The remainder coefficient x_{K+1}(E) into XK(f, K + 1, .) by the given method
 * (0: one-word fixed point, 1: multi-limb midpoint-radius, 2: MPFI); 0, or -1 if the
 * method cannot hold it. */
static int remainder_by(vf_flow *f, vf_taylor *ws, int ref, int how)
{
    int n = f->dim, K = f->K;
    if (how == 0) {
        if (vf_fxtay_run(f->fxe[ref], f->E, K + 1, f->Rn))
            return -1;
        for (int i = 0; i < n; i++)
            mpfi_set(XK(f, K + 1, i), f->Rn[i]);
        return 0;
    }
    if (how == 1) {
        if (!f->mre[ref] || vf_mrtay_run(f->mre[ref], f->E, K + 1, ws, -1))
            return -1;
    } else {
        vf_taylor_run(ws, f->E, K + 1, -1);
    }
    for (int i = 0; i < n; i++)
        mpfi_set(XK(f, K + 1, i), vf_taylor_coef(ws, i, K + 1));
    return 0;
}

void vf_flow_step(vf_flow *f, const vf_cert *c, size_t si)
{
    const vf_step *st = &c->steps[si];
    int n = f->dim, K = f->K, J = st->jac;
    vf_taylor *ws = taylor_for(f, c, st->ref);
    f->E = st->E;
    mpfi_set_q(f->h, st->h);
    vf_flow_hull(f, f->X);
    int bad = -1, how = 0;
    /* first with the coefficients over X in multi-limb midpoint-radius (vf_mrtay.c),
     * and if the a priori inclusion fails with them, once more in MPFI */
    for (int xmr = f->mre[st->ref] != NULL; xmr >= 0; xmr--) {
        /* over X: coefficients to K, then the Jacobian to J from them in fixed point
         * (vf_jac.c), or in MPFI where fixed point cannot hold it */
        int xfast = xmr && vf_mrtay_run(f->mre[st->ref], f->X, K, ws, J < K ? J : K - 1) == 0;
        if (!xfast) {
            f->mpfi_x++;
            vf_taylor_run(ws, f->X, K, -1);
        }
        for (int k = 0; k <= K; k++)
            for (int i = 0; i < n; i++)
                mpfi_set(XK(f, k, i), vf_taylor_coef(ws, i, k));
        if (vf_jac_matrix(f->jac[st->ref], J, f->h, f->A)) {
            vf_taylor *wd = taylor_deriv_for(f, c, st->ref);
            vf_taylor_run(wd, f->X, J, J);
            jacobian(f, wd, J);
        }
        /* over E: the remainder coefficient x_{K+1}(E), first in one-word fixed point
         * (vf_fxtay.c) where E is wide, then in multi-limb midpoint-radius, then in
         * MPFI: each later method only when the earlier cannot hold it or its remainder
         * is too wide for the a priori inclusion, so a fast path never rejects */
        for (how = e_is_wide(f) ? 0 : 1; how <= 2; how++) {
            if (remainder_by(f, ws, st->ref, how))
                continue;
            bad = apriori_fails(f);
            if (bad < 0)
                break;
        }
        if (bad < 0 || !xfast)
            break;
    }
    /* counted once per step, by the method of the last try (a retry over X in MPFI
     * would otherwise count the step twice) */
    if (how == 1)
        f->mr_e++;
    else if (how > 1)
        f->fallback_e++;
    if (bad >= 0)
        step_fail(c, si, "a priori inclusion fails", bad);
    /* at c: low orders; y = sum_{k<=J} x_k(c) h^k + sum_{J<k<=K} x_k(X) h^k + rem h^{K+1} */
    for (int i = 0; i < n; i++)
        mpfi_set_fr(f->tmpv[i], f->c[i]);
    if (!f->mre[st->ref] || vf_mrtay_run(f->mre[st->ref], f->tmpv, J, ws, -1))
        vf_taylor_run(ws, f->tmpv, J, -1);
    for (int i = 0; i < n; i++) {
        mpfi_ptr y = f->y[i];
        mpfi_set(y, XK(f, K + 1, i));
        for (int k = K; k >= 0; k--) {
            mpfi_mul(y, y, f->h);
            mpfi_add(y, y, k > J ? XK(f, k, i) : vf_taylor_coef(ws, i, k));
        }
        if (!vf_fi_is_finite(y))
            step_fail(c, si, "the end enclosure is unbounded", i);
    }
    new_set(f, f->Bid);
    for (int i = 0; i < n; i++)
        if (!vf_fi_is_finite(f->R[i]))
            step_fail(c, si, "the new set is unbounded", i);
}
