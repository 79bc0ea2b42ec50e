/* Private to the checker's pl-tail modules (vf_pltail.c: pl-tail/1 and
 * pl-tail-quadratic/1; vf_pltail_crossent.c: pl-tail-crossent/1): their scratch
 * and the interval helpers they share. Every helper returns an interval that
 * contains the exact value at every point of its argument boxes. */
#ifndef VF_PLTAIL_IMPL_H
#define VF_PLTAIL_IMPL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "vf.h"

typedef struct {
    int d, n;
    mpfr_prec_t prec;
    mpfi_t *s, *r, *VC, *p, *q, *eh, *Ae, *w, t, u;     /* scratch */
} pl_work;

static inline mpfi_t *ivec(int len, mpfr_prec_t prec)
{
    mpfi_t *v = malloc(sizeof(mpfi_t) * (size_t)len);
    for (int i = 0; i < len; i++)
        mpfi_init2(v[i], prec);
    return v;
}

static inline void ivec_clear(mpfi_t *v, int len)
{
    for (int i = 0; i < len; i++)
        mpfi_clear(v[i]);
    free(v);
}

/* s = softmax(a) as s_k = 1 / sum_j exp(a_j - a_k) (each s_k in (0, 1]). */
static inline void softmax(pl_work *W, mpfi_t *a)
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

/* a . b; for a == b the squares are taken as squares (never below 0). */
static inline void dot(mpfi_t res, mpfi_t *a, mpfi_t *b, int len, mpfi_t tmp)
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

/* Every symmetric matrix whose lower triangle lies in M (n x n) is positive definite:
 * the LDL^T recurrences in intervals enclose those of each such matrix, and all
 * pivots are proven positive. M is overwritten. */
static inline int pos_def(mpfi_t *M, int n, mpfi_t t)
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

static inline int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 0;
}

static inline int positive(mpfi_srcptr x) { return mpfr_number_p(&x->left) && mpfr_sgn(&x->left) > 0; }
static inline int nonneg(mpfi_srcptr x) { return mpfr_number_p(&x->left) && mpfr_sgn(&x->left) >= 0; }

/* H = log sum_k exp(a_k - a_0) - sum_k s_k (a_k - a_0) over the a-box. */
static inline void entropy(pl_work *W, mpfi_t H, mpfi_t *a)
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

/* sqrt of max(x, 0) (a norm squared whose enclosure may reach below 0). */
static inline void sqrt_pos(mpfi_t x)
{
    if (mpfr_sgn(&x->left) < 0)
        mpfr_set_ui(&x->left, 0, MPFR_RNDD);
    mpfi_sqrt(x, x);
}

/* The prologue of every pl-tail check, E3/H1/Q2: the first component i < dim
 * where the lemma's box Y does not contain [x_i - rho, x_i + rho] (rho's upper
 * end, the ends rounded outward), or -1 where Y contains them all. */
static inline int box_miss(const vf_lemma *lm, mpfi_t *x, mpfi_t rho, int dim, mpfr_prec_t pr)
{
    mpfr_t lo, hi;
    int miss = -1;
    mpfr_inits2(pr, lo, hi, (mpfr_ptr)0);
    for (int i = 0; i < dim && miss < 0; i++) {
        mpfr_sub(lo, &x[i]->left, &rho->right, MPFR_RNDD);
        mpfr_add(hi, &x[i]->right, &rho->right, MPFR_RNDU);
        if (!(mpfr_number_p(lo) && mpfr_number_p(hi) && mpfr_lessequal_p(&lm->Y[i]->left, lo) &&
              mpfr_lessequal_p(hi, &lm->Y[i]->right)))
            miss = i;
    }
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    return miss;
}

#endif
