/* check-pl-tail-weighted.c — exact checks of the identities of proofs/pl-tail-weighted.md
 * (§3) as polynomial identities over Q (FLINT fmpq_mpoly) in independent indeterminates,
 * for n = 2..4: M_ij = M_ji, A_ij = A_ji, p, e, b, q (n each), kappa, lambda. With
 * S = M A, alpha = e^T M p, w = p - alpha e, all modulo 1 - e^T M e (|e|_M = 1):
 *
 * W-P5  along p' = -A p + b (pl-tail.md P4, checked in check-pl-tail.c; here the
 *       derivative is taken by the program along p'):
 *       d/dt(w^T M w - k^2 alpha^2) = -2 w^T S w - 2 alpha w^T S e + 2 k^2 alpha^2 e^T S e
 *       + 2 k^2 alpha e^T S w + 2 w^T M b - 2 k^2 alpha e^T M b;
 * W-N   p^T M p = alpha^2 + w^T M w;
 * W-O   (M e)^T w = 0;
 * W-G1  w^T S e = (M w)^T (A e - lambda e);
 * W-G2  e^T S w = (A M e - lambda M e)^T w (A symmetric);
 * W-S   q^T p = alpha (q^T e) + g^T w with g = q - (q^T e) M e.
 *
 * Build: gcc -std=c11 -Wall -Wextra -I/usr/include/flint proofs/check-pl-tail-weighted.c \
 *            -lflint -lmpfr -lgmp -o check-pl-tail-weighted
 * Run:   ./check-pl-tail-weighted              exit 0 iff every identity holds
 *        ./check-pl-tail-weighted --selftest   exit 0 iff every planted mistake is caught */
#include <stdio.h>
#include <string.h>
#include <flint/fmpq_mpoly.h>
#include "mpoly_vec.h"

static mv_run run;
static fmpq_mpoly_ctx_t ctx;
static slong n;

static poly *vnew(slong len) { return mv_vec_init(len, ctx); }
static void vfree(poly *v, slong len) { mv_vec_clear(v, len, ctx); }

static void report(const char *name, int verdict)
{
    int pass = verdict >= 1;
    mv_report(&run, name, n, "n", -1, pass,
              verdict == 2 ? "holds exactly" : verdict == 1 ? "holds modulo 1 - e.M.e"
                                                            : "FAILS");
}

/* out = X v for an n x n matrix of polynomials (row-major). */
static void matvec(poly *out, const poly *X, const poly *v)
{
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_zero(out + i, ctx);
        for (slong j = 0; j < n; j++)
            mv_addmul(out + i, X + i * n + j, v + j, ctx);
    }
}

/* The symmetric X from n(n+1)/2 generators starting at g. */
static void sym_from(poly *X, const poly *g)
{
    for (slong i = 0, k = 0; i < n; i++)
        for (slong j = 0; j <= i; j++, k++) {
            fmpq_mpoly_set(X + i * n + j, g + k, ctx);
            fmpq_mpoly_set(X + j * n + i, g + k, ctx);
        }
}

/* x = u^T X v */
static void form(poly *x, const poly *u, const poly *X, const poly *v, poly *tmp)
{
    matvec(tmp, X, v);
    mv_dot(x, u, tmp, n, ctx);
}

static void check_n(void)
{
    const slong ns = n * (n + 1) / 2, nv = 2 * ns + 4 * n + 2;
    fmpq_mpoly_ctx_init(ctx, nv, ORD_LEX);
    poly *gen = vnew(nv), *M = vnew(n * n), *A = vnew(n * n), *S = vnew(n * n), *p, *e, *b,
         *q, *k, *lam;
    for (slong i = 0; i < nv; i++)
        fmpq_mpoly_gen(gen + i, i, ctx);
    sym_from(M, gen);
    sym_from(A, gen + ns);
    p = gen + 2 * ns, e = p + n, b = e + n, q = b + n, k = q + n, lam = k + 1;
    for (slong i = 0; i < n; i++)               /* S = M A; bug 2: A M */
        for (slong j = 0; j < n; j++)
            for (slong l = 0; l < n; l++)
                mv_addmul(S + i * n + j, run.bug == 2 ? A + i * n + l : M + i * n + l,
                          run.bug == 2 ? M + l * n + j : A + l * n + j, ctx);
    poly *Me = vnew(n), *al = vnew(1), *w = vnew(n), *phi = vnew(1), *pd = vnew(n),
         *lhs = vnew(1), *rhs = vnew(1), *x = vnew(1), *dF = vnew(1), *tmp = vnew(n),
         *k2 = vnew(1), *mod = vnew(1), *v = vnew(n), *Mw = vnew(n), *qe = vnew(1);
    matvec(Me, M, e);
    mv_dot(al, Me, p, n, ctx);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(x, al, e + i, ctx);
        fmpq_mpoly_sub(w + i, p + i, x, ctx);
    }
    mv_dot(x, Me, e, n, ctx);
    fmpq_mpoly_neg(mod, x, ctx);
    fmpq_mpoly_add_si(mod, mod, 1, ctx);
    fmpq_mpoly_mul(k2, k, k, ctx);

    /* W-P5: the Lie derivative of phi along p' = -A p + b */
    form(phi, w, M, w, tmp);
    fmpq_mpoly_mul(x, al, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    fmpq_mpoly_sub(phi, phi, x, ctx);
    matvec(pd, A, p);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_sub(pd + i, b + i, pd + i, ctx);
        fmpq_mpoly_derivative(dF, phi, 2 * ns + i, ctx);
        mv_addmul(lhs, dF, pd + i, ctx);
    }
    form(rhs, w, S, w, tmp);                    /* rhs / 2 */
    fmpq_mpoly_neg(rhs, rhs, ctx);
    form(x, w, S, e, tmp);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_sub(rhs, rhs, x, ctx);
    form(x, e, S, e, tmp);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    form(x, e, S, w, tmp);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    if (run.bug == 1)                           /* bug 1: the sign of k^2 alpha e.S.w */
        fmpq_mpoly_neg(x, x, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    form(x, w, M, b, tmp);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    form(x, e, M, b, tmp);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    fmpq_mpoly_sub(rhs, rhs, x, ctx);
    fmpq_mpoly_scalar_mul_si(rhs, rhs, 2, ctx);
    report("W-P5", mv_verdict(lhs, rhs, mod, ctx));

    /* W-N: p^T M p = alpha^2 + |w|_M^2; bug 3: + |w|^2 */
    form(lhs, p, M, p, tmp);
    if (run.bug == 3)
        mv_dot(rhs, w, w, n, ctx);
    else
        form(rhs, w, M, w, tmp);
    fmpq_mpoly_mul(x, al, al, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    report("W-N", mv_verdict(lhs, rhs, mod, ctx));

    /* W-O: (M e)^T w = 0 */
    mv_dot(lhs, Me, w, n, ctx);
    fmpq_mpoly_zero(rhs, ctx);
    report("W-O", mv_verdict(lhs, rhs, mod, ctx));

    /* W-G1: w^T S e = (M w)^T (A e - lambda e) */
    form(lhs, w, S, e, tmp);
    matvec(Mw, M, w);
    matvec(v, A, e);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(x, lam, e + i, ctx);
        fmpq_mpoly_sub(v + i, v + i, x, ctx);
    }
    mv_dot(rhs, Mw, v, n, ctx);
    report("W-G1", mv_verdict(lhs, rhs, mod, ctx));

    /* W-G2: e^T S w = (A M e - lambda M e)^T w; bug 4: M A e in place of A M e */
    form(lhs, e, S, w, tmp);
    if (run.bug == 4)
        matvec(v, S, e);
    else
        matvec(v, A, Me);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(x, lam, Me + i, ctx);
        fmpq_mpoly_sub(v + i, v + i, x, ctx);
    }
    mv_dot(rhs, v, w, n, ctx);
    report("W-G2", mv_verdict(lhs, rhs, mod, ctx));

    /* W-S: q^T p = alpha q_e + g^T w, g = q - q_e M e; bug 5: g = q - q_e e */
    mv_dot(qe, q, e, n, ctx);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(x, qe, run.bug == 5 ? e + i : Me + i, ctx);
        fmpq_mpoly_sub(v + i, q + i, x, ctx);
    }
    mv_dot(lhs, q, p, n, ctx);
    mv_dot(rhs, v, w, n, ctx);
    fmpq_mpoly_mul(x, al, qe, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    report("W-S", mv_verdict(lhs, rhs, mod, ctx));

    vfree(Me, n), vfree(al, 1), vfree(w, n), vfree(phi, 1), vfree(pd, n), vfree(lhs, 1);
    vfree(rhs, 1), vfree(x, 1), vfree(dF, 1), vfree(tmp, n), vfree(k2, 1), vfree(mod, 1);
    vfree(v, n), vfree(Mw, n), vfree(qe, 1);
    vfree(M, n * n), vfree(A, n * n), vfree(S, n * n), vfree(gen, nv);
    fmpq_mpoly_ctx_clear(ctx);
}

static void check_all(void)
{
    for (n = 2; n <= 4; n++)
        check_n();
}

int main(int argc, char **argv)
{
    static const char *const what[] = { "", "the sign of k^2 alpha e.S.w (W-P5)",
        "S = A M in place of M A (W-P5, W-G1, W-G2)", "|w|^2 in place of |w|_M^2 (W-N)",
        "M A e in place of A M e (W-G2)", "q_e e in place of q_e M e (W-S)" };
    return mv_main(argc, argv, &run, check_all, what, sizeof what / sizeof *what - 1,
                   "all identities W-P5, W-N, W-O, W-G1, W-G2, W-S hold (modulo 1 - e.M.e "
                   "where said)");
}
