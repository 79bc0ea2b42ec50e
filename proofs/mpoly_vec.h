/* mpoly_vec.h -- what the machine checks of proofs/ share: vectors of FLINT 2.9
 * multivariate polynomials over Q, the verdict "lhs = rhs holds exactly / only
 * modulo 1 - sum(s) / not at all", the failure bookkeeping and the main
 * program with its --selftest loop.  Each check-*.c keeps its own identities,
 * its planted mistakes and the wording of its report lines.
 *
 * Header only, included by exactly one program each: every function is static
 * (inline, so that a program which does not need one gets no -Wunused-function).
 * As in FLINT, the context comes last and vector lengths are passed explicitly:
 * the checks mix vectors of length n (indexed like s) and d (like beta).
 */
#ifndef MPOLY_VEC_H
#define MPOLY_VEC_H

#include <stdio.h>
#include <string.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mpoly.h>

typedef fmpq_mpoly_struct poly;

/* ---- vectors of polynomials --------------------------------------------- */

static inline poly *mv_vec_init(slong len, const fmpq_mpoly_ctx_t ctx)
{
    poly *v = flint_malloc(len * sizeof(poly));
    for (slong i = 0; i < len; i++)
        fmpq_mpoly_init(v + i, ctx);
    return v;
}

static inline void mv_vec_clear(poly *v, slong len, const fmpq_mpoly_ctx_t ctx)
{
    for (slong i = 0; i < len; i++)
        fmpq_mpoly_clear(v + i, ctx);
    flint_free(v);
}

/* r += x * y */
static inline void mv_addmul(poly *r, const poly *x, const poly *y,
                             const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_t t;
    fmpq_mpoly_init(t, ctx);
    fmpq_mpoly_mul(t, x, y, ctx);
    fmpq_mpoly_add(r, r, t, ctx);
    fmpq_mpoly_clear(t, ctx);
}

/* r = sum_{i < len} x_i y_i */
static inline void mv_dot(poly *r, const poly *x, const poly *y, slong len,
                          const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_zero(r, ctx);
    for (slong i = 0; i < len; i++)
        mv_addmul(r, x + i, y + i, ctx);
}

/* out = C(s) v, (C v)_i = s_i v_i - s_i (s^T v), C(s) = diag(s) - s s^T;
   s and v of length len */
static inline void mv_cmul(poly *out, const poly *s, const poly *v, slong len,
                           const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_t m, t;
    fmpq_mpoly_init(m, ctx);
    fmpq_mpoly_init(t, ctx);
    mv_dot(m, s, v, len, ctx);
    for (slong i = 0; i < len; i++) {
        fmpq_mpoly_mul(out + i, s + i, v + i, ctx);
        fmpq_mpoly_mul(t, s + i, m, ctx);
        fmpq_mpoly_sub(out + i, out + i, t, ctx);
    }
    fmpq_mpoly_clear(m, ctx);
    fmpq_mpoly_clear(t, ctx);
}

/* out_i = c * v_i, i < len */
static inline void mv_scale(poly *out, const poly *c, const poly *v, slong len,
                            const fmpq_mpoly_ctx_t ctx)
{
    for (slong i = 0; i < len; i++)
        fmpq_mpoly_mul(out + i, c, v + i, ctx);
}

/* ---- the simplex constraint and the verdict ----------------------------- */

/* Initialise sum_s = s_1 + ... + s_len and modulus = c - sum_s (c = 1: the
   softmax constraint; another c lets a self-test plant a wrong modulus). */
static inline void mv_modulus_init(poly *sum_s, poly *modulus, const poly *s,
                                   slong c, slong len, const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_init(sum_s, ctx);
    fmpq_mpoly_init(modulus, ctx);
    for (slong i = 0; i < len; i++)
        fmpq_mpoly_add(sum_s, sum_s, s + i, ctx);
    fmpq_mpoly_neg(modulus, sum_s, ctx);
    fmpq_mpoly_add_si(modulus, modulus, c, ctx);
}

/* Does lhs = rhs hold exactly (2), modulo the modulus only (1), or not (0)?
   modulus NULL: only exactness is asked for, the answer is 2 or 0. */
static inline int mv_verdict(const poly *lhs, const poly *rhs, const poly *modulus,
                             const fmpq_mpoly_ctx_t ctx)
{
    fmpq_mpoly_t df, q;
    int r;
    fmpq_mpoly_init(df, ctx);
    fmpq_mpoly_init(q, ctx);
    fmpq_mpoly_sub(df, lhs, rhs, ctx);
    if (fmpq_mpoly_is_zero(df, ctx))
        r = 2;
    else
        r = modulus != NULL && fmpq_mpoly_divides(q, df, modulus, ctx);
    fmpq_mpoly_clear(df, ctx);
    fmpq_mpoly_clear(q, ctx);
    return r;
}

/* The weakest verdict of lhs_i = rhs_i over i < len. */
static inline int mv_verdict_vec(const poly *lhs, const poly *rhs, slong len,
                                 const poly *modulus, const fmpq_mpoly_ctx_t ctx)
{
    int r = 2;
    for (slong i = 0; i < len; i++) {
        int ri = mv_verdict(lhs + i, rhs + i, modulus, ctx);
        r = ri < r ? ri : r;
    }
    return r;
}

/* ---- failure bookkeeping ------------------------------------------------ */

typedef struct {
    int bug;                    /* 0: the true statements; > 0: a planted mistake */
    int quiet;                  /* --selftest: count failures, print no check lines */
    int failures;
    char first_failure[64];
} mv_run;

/* Count a failure; the first one's label is kept for the summary line. */
static inline void mv_fail(mv_run *run, const char *label)
{
    if (run->failures++ == 0)
        snprintf(run->first_failure, sizeof run->first_failure, "%s", label);
}

/* Print "I3 n=4 k=0: <what>" (k < 0: no index; key names the index), unless
   quiet, and count a failure unless pass. */
static inline void mv_report(mv_run *run, const char *name, slong n, const char *key,
                             slong k, int pass, const char *what)
{
    char label[64];
    if (k >= 0)
        snprintf(label, sizeof label, "%s n=%ld %s=%ld", name, (long) n, key, (long) k);
    else
        snprintf(label, sizeof label, "%s n=%ld", name, (long) n);
    if (!pass)
        mv_fail(run, label);
    if (!run->quiet)
        printf("%s: %s\n", label, what);
}

/* ---- the main program --------------------------------------------------- */

static inline int mv_run_all(mv_run *run, void (*check_all)(void))
{
    run->failures = 0;
    run->first_failure[0] = '\0';
    check_all();
    return run->failures;
}

/* No argument: run check_all once, print every check line and, if all hold,
   all_hold; exit 0 iff every check passes.  --selftest: run it quietly with
   run->bug = 0 (everything must hold) and then with each planted mistake
   1..nbugs (described by what[bug]); exit 0 iff the true statements hold and
   every mistake makes at least one check fail. */
static inline int mv_main(int argc, char **argv, mv_run *run, void (*check_all)(void),
                          const char *const *what, int nbugs, const char *all_hold)
{
    if (argc == 2 && strcmp(argv[1], "--selftest") == 0) {
        int all = 1;
        run->quiet = 1;
        run->bug = 0;
        if (mv_run_all(run, check_all) != 0) {
            printf("selftest: the true identities fail (%s)\n", run->first_failure);
            all = 0;
        }
        for (run->bug = 1; run->bug <= nbugs; run->bug++) {
            int f = mv_run_all(run, check_all);
            printf("selftest bug %d (%s): %s", run->bug, what[run->bug],
                   f ? "detected" : "NOT DETECTED");
            if (f)
                printf(" (%d failing checks, first %s)", f, run->first_failure);
            printf("\n");
            all &= f > 0;
        }
        printf("selftest: %s\n", all ? "ok" : "FAILED");
        return all ? 0 : 1;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [--selftest]\n", argv[0]);
        return 2;
    }
    if (mv_run_all(run, check_all) != 0) {
        printf("FAILED: %d checks, first %s\n", run->failures, run->first_failure);
        return 1;
    }
    printf("%s\n", all_hold);
    return 0;
}

#endif
