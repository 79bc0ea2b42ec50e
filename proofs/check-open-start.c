/* check-open-start.c -- machine check of the algebraic identities used by the
 * lemma "open-start", version 1 (proofs/open-start.md).
 *
 * Exact arithmetic: FLINT 2.9 multivariate polynomials over Q, for n = 2..6.
 * Indeterminates: s_1..s_n (the softmax), alpha_1..alpha_n (the divided
 * a-polynomial), d_1..d_n (da/dt), c (the common value of a(0)), sigma.
 *
 *   O1  a^T C(s) d = sum_j s_j (a_j - abar)(d_j - dbar)          mod 1 - sum(s)
 *       (abar = sum_k s_k a_k, dbar = sum_k s_k d_k): dH/dt = -a^T C(s) a'
 *   O2  with a_j = c + sigma alpha_j:
 *       sum_j s_j (a_j - abar)(d_j - dbar)
 *         = sigma sum_j s_j (alpha_j - alphabar)(d_j - dbar)     mod 1 - sum(s)
 *       i.e. dH/dt = sigma G with G = -sum_j s_j (alpha_j - alphabar)(d_j - dbar)
 *   O3  at sigma = 0 (alpha = d):
 *       sum_j s_j (d_j - dbar) d_j = sum_j s_j (d_j - dbar)^2    mod 1 - sum(s)
 *       so G(0) = -sum_j s_j (d_j - dbar)^2 <= 0
 *
 * Build:  gcc -std=c11 -Wall -Wextra -I/usr/include/flint \
 *             proofs/check-open-start.c -lflint -lmpfr -lgmp -o check-open-start
 * Run:    ./check-open-start            exit 0 iff every identity holds
 *         ./check-open-start --selftest exit 0 iff every planted mistake is caught
 */
#include "mpoly_vec.h"

#define NMIN 2
#define NMAX 6

static fmpq_mpoly_ctx_t ctx;
static slong n;
static mv_run run;                  /* run.bug 0: the true statements; > 0: a planted mistake */

/* r = sum_j s_j (x_j - xbar)(y_j - ybar), xbar = s^T x, ybar = s^T y */
static void centred(poly *r, const poly *s, const poly *x, const poly *y)
{
    fmpq_mpoly_t xb, yb, p, q;
    fmpq_mpoly_init(xb, ctx); fmpq_mpoly_init(yb, ctx);
    fmpq_mpoly_init(p, ctx); fmpq_mpoly_init(q, ctx);
    mv_dot(xb, s, x, n, ctx);
    mv_dot(yb, s, y, n, ctx);
    fmpq_mpoly_zero(r, ctx);
    for (slong j = 0; j < n; j++) {
        fmpq_mpoly_sub(p, x + j, xb, ctx);
        fmpq_mpoly_sub(q, y + j, yb, ctx);
        fmpq_mpoly_mul(p, p, q, ctx);
        mv_addmul(r, s + j, p, ctx);
    }
    fmpq_mpoly_clear(xb, ctx); fmpq_mpoly_clear(yb, ctx);
    fmpq_mpoly_clear(p, ctx); fmpq_mpoly_clear(q, ctx);
}

static void report(const char *name, int r)
{
    mv_report(&run, name, n, "", -1, r >= 1,
              r == 2 ? "ok (exact)" : r == 1 ? "ok (mod 1-sum(s))" : "FAIL (not an identity)");
}

static void check_n(slong nn)
{
    n = nn;             /* variables: s_i = i, alpha_i = n+i, d_i = 2n+i, c = 3n, sigma = 3n+1 */
    fmpq_mpoly_ctx_init(ctx, 3 * n + 2, ORD_DEGREVLEX);
    poly *s = mv_vec_init(n, ctx), *al = mv_vec_init(n, ctx), *d = mv_vec_init(n, ctx);
    poly *a = mv_vec_init(n, ctx), *Cd = mv_vec_init(n, ctx);
    fmpq_mpoly_t c, sg, sum_s, modulus, lhs, rhs, t;
    fmpq_mpoly_init(c, ctx); fmpq_mpoly_init(sg, ctx);
    fmpq_mpoly_init(lhs, ctx); fmpq_mpoly_init(rhs, ctx); fmpq_mpoly_init(t, ctx);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_gen(s + i, i, ctx);
        fmpq_mpoly_gen(al + i, n + i, ctx);
        fmpq_mpoly_gen(d + i, 2 * n + i, ctx);
    }
    fmpq_mpoly_gen(c, 3 * n, ctx);
    fmpq_mpoly_gen(sg, 3 * n + 1, ctx);
    mv_modulus_init(sum_s, modulus, s, 1, n, ctx);

    /* a_j = c + sigma alpha_j; bug 1: c - sigma alpha_j (a sign flipped in the series);
       bug 2: c + sigma^2 alpha_j (the wrong power) */
    for (slong j = 0; j < n; j++) {
        fmpq_mpoly_mul(a + j, sg, al + j, ctx);
        if (run.bug == 2)
            fmpq_mpoly_mul(a + j, a + j, sg, ctx);
        if (run.bug == 1)
            fmpq_mpoly_neg(a + j, a + j, ctx);
        fmpq_mpoly_add(a + j, a + j, c, ctx);
    }

    /* O1: a^T C(s) d = sum_j s_j (a_j - abar)(d_j - dbar); bug 3: C(s) d replaced by
       diag(s) d (the s s^T term dropped) */
    mv_cmul(Cd, s, d, n, ctx);
    if (run.bug == 3)
        for (slong j = 0; j < n; j++)
            fmpq_mpoly_mul(Cd + j, s + j, d + j, ctx);
    mv_dot(lhs, a, Cd, n, ctx);
    centred(rhs, s, a, d);
    report("O1", mv_verdict(lhs, rhs, modulus, ctx));

    /* O2: sum_j s_j (a_j - abar)(d_j - dbar) = sigma G' with
       G' = sum_j s_j (alpha_j - alphabar)(d_j - dbar) */
    centred(lhs, s, a, d);
    centred(rhs, s, al, d);
    fmpq_mpoly_mul(rhs, rhs, sg, ctx);
    report("O2", mv_verdict(lhs, rhs, modulus, ctx));

    /* O3: sum_j s_j (d_j - dbar) d_j = sum_j s_j (d_j - dbar)^2 (G' at alpha = d);
       bug 4: dbar left out of the square */
    mv_dot(t, s, d, n, ctx);
    fmpq_mpoly_zero(lhs, ctx);
    fmpq_mpoly_zero(rhs, ctx);
    for (slong j = 0; j < n; j++) {
        fmpq_mpoly_t e;
        fmpq_mpoly_init(e, ctx);
        fmpq_mpoly_sub(e, d + j, t, ctx);
        fmpq_mpoly_mul(e, e, d + j, ctx);
        mv_addmul(lhs, s + j, e, ctx);
        if (run.bug == 4)
            fmpq_mpoly_set(e, d + j, ctx);
        else
            fmpq_mpoly_sub(e, d + j, t, ctx);
        fmpq_mpoly_mul(e, e, e, ctx);
        mv_addmul(rhs, s + j, e, ctx);
        fmpq_mpoly_clear(e, ctx);
    }
    report("O3", mv_verdict(lhs, rhs, modulus, ctx));

    mv_vec_clear(s, n, ctx); mv_vec_clear(al, n, ctx); mv_vec_clear(d, n, ctx);
    mv_vec_clear(a, n, ctx); mv_vec_clear(Cd, n, ctx);
    fmpq_mpoly_clear(c, ctx); fmpq_mpoly_clear(sg, ctx);
    fmpq_mpoly_clear(sum_s, ctx); fmpq_mpoly_clear(modulus, ctx);
    fmpq_mpoly_clear(lhs, ctx); fmpq_mpoly_clear(rhs, ctx); fmpq_mpoly_clear(t, ctx);
    fmpq_mpoly_ctx_clear(ctx);
}

static void check_all(void)
{
    for (slong nn = NMIN; nn <= NMAX; nn++)
        check_n(nn);
}

int main(int argc, char **argv)
{
    static const char *const what[] = {        /* what[bug]: the planted mistakes */
        "", "a_j = c - sigma alpha_j (a sign flipped in the series)",
        "a_j = c + sigma^2 alpha_j (the wrong power of sigma)",
        "C(s) d replaced by diag(s) d", "dbar left out of the square in O3" };
    char all_hold[64];
    snprintf(all_hold, sizeof all_hold, "all identities hold for n = %d..%d", NMIN, NMAX);
    return mv_main(argc, argv, &run, check_all, what, sizeof what / sizeof *what - 1,
                   all_hold);
}
