/* check-pl-tail-crossent.c — exact checks of the identities of proofs/pl-tail-crossent.md
 * (§8) as polynomial identities over Q (FLINT fmpq_mpoly) in independent indeterminates.
 *
 * CE-P1, for d = 2..3, n = 2..3, in V_ij, s_j, a_j, sigma_k, q_k: r = q - (sum q) sigma,
 *   and its Lie derivative along V' = r s^T, s' = C(s) a', a' = C(s) V^T r,
 *   sigma' = C(sigma) y' (y' itself the Lie derivative of y = V s) equals
 *   -Q C(sigma) K r, K r = |s|^2 r + V C(s)^2 V^T r (derivatives computed here).
 * CE-P0: 1^T r = 0 modulo 1 - sum sigma.
 * CE-P5, for d = 2..4, in W_ij = W_ji, B_ij, r, f, kappa: along r' = -B r,
 *   d/dt(w^T W w - k^2 alpha^2) = -2 w^T S w - 2 alpha w^T S f + 2 k^2 alpha f^T S w
 *   + 2 k^2 alpha^2 f^T S f (S = W B, alpha = f^T W r, w = r - alpha f), modulo 1 - f^T W f.
 * CE-P6, CE-P7, for d = 2..4, r and f in 1-perp (last entry = -sum of the others):
 *   g^T r = alpha gamma + (g - gamma W f - c 1)^T w (gamma = g^T f) and
 *   f^T S w = (S^T f - L W f - c 1)^T w (L = f^T S f), modulo 1 - f^T W f;
 *   w^T S f = <w, B f - L f>_W exactly up to L <w, f>_W (also modulo 1 - f^T W f).
 *
 * Build: gcc -std=c11 -Wall -Wextra -I/usr/include/flint proofs/check-pl-tail-crossent.c \
 *            -lflint -lmpfr -lgmp -o check-pl-tail-crossent
 * Run:   ./check-pl-tail-crossent              exit 0 iff every identity holds
 *        ./check-pl-tail-crossent --selftest   exit 0 iff every planted mistake is caught */
#include <stdio.h>
#include <string.h>
#include <flint/fmpq_mpoly.h>
#include "mpoly_vec.h"

static mv_run run;
static fmpq_mpoly_ctx_t ctx;
static slong d, n;

static poly *vnew(slong len) { return mv_vec_init(len, ctx); }
static void vfree(poly *v, slong len) { mv_vec_clear(v, len, ctx); }

static void report(const char *name, slong k, int verdict, int modulo_ok, const char *mod)
{
    char what[80];
    int pass = verdict == 2 || (modulo_ok && verdict == 1);
    snprintf(what, sizeof what, "%s", verdict == 2 ? "holds exactly" : verdict == 1 ?
             (modulo_ok ? mod : "FAILS (holds only modulo)") : "FAILS");
    mv_report(&run, name, k, "", -1, pass, what);
}

/* out = M v for a d x d matrix of polynomials (row-major). */
static void matvec(poly *out, const poly *M, const poly *v)
{
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_zero(out + i, ctx);
        for (slong j = 0; j < d; j++)
            mv_addmul(out + i, M + i * d + j, v + j, ctx);
    }
}

/* out = M^T v. */
static void matTvec(poly *out, const poly *M, const poly *v)
{
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_zero(out + i, ctx);
        for (slong j = 0; j < d; j++)
            mv_addmul(out + i, M + j * d + i, v + j, ctx);
    }
}

/* CE-P1 and CE-P0. Generators: V (d n), s (n), a (n), sigma (d), q (d). */
static void check_flow(void)
{
    const slong nv = d * n + 2 * n + 2 * d;
    fmpq_mpoly_ctx_init(ctx, nv, ORD_LEX);
    poly *gen = vnew(nv), *V, *s, *sg, *q;
    for (slong i = 0; i < nv; i++)
        fmpq_mpoly_gen(gen + i, i, ctx);
    V = gen, s = gen + d * n, sg = gen + d * n + 2 * n, q = sg + d;   /* a: d n + n .. */
    poly *Q = vnew(1), *r = vnew(d), *u = vnew(n), *p = vnew(n), *sd = vnew(n), *Cp = vnew(n),
         *y = vnew(d), *yd = vnew(d), *sgd = vnew(d), *Kr = vnew(d), *rhs = vnew(d),
         *lhs = vnew(d), *ss = vnew(1), *dF = vnew(1), *t = vnew(1), *sum = vnew(1),
         *mod = vnew(1);
    for (slong k = 0; k < d; k++)
        fmpq_mpoly_add(Q, Q, q + k, ctx);
    for (slong k = 0; k < d; k++) {                     /* r = q - Q sigma */
        fmpq_mpoly_mul(t, Q, sg + k, ctx);
        fmpq_mpoly_sub(r + k, q + k, t, ctx);
    }
    for (slong j = 0; j < n; j++)                       /* u = V^T r, p = C u = a' */
        for (slong i = 0; i < d; i++)
            mv_addmul(u + j, V + i * n + j, r + i, ctx);
    mv_cmul(p, s, u, n, ctx);
    mv_cmul(sd, s, p, n, ctx);                          /* s' = C a' */
    /* bug 2: K with C in place of C^2 */
    mv_cmul(Cp, s, run.bug == 2 ? u : p, n, ctx);
    mv_dot(ss, s, s, n, ctx);
    for (slong i = 0; i < d; i++) {
        for (slong j = 0; j < n; j++)
            mv_addmul(y + i, V + i * n + j, s + j, ctx);
        fmpq_mpoly_mul(Kr + i, ss, r + i, ctx);         /* K r = |s|^2 r + V C^2 V^T r */
        for (slong j = 0; j < n; j++)
            mv_addmul(Kr + i, V + i * n + j, Cp + j, ctx);
    }
    for (slong i = 0; i < d; i++) {                     /* y' as a Lie derivative */
        for (slong a1 = 0; a1 < d; a1++)
            for (slong j = 0; j < n; j++) {
                fmpq_mpoly_derivative(dF, y + i, a1 * n + j, ctx);
                fmpq_mpoly_mul(t, r + a1, s + j, ctx);
                mv_addmul(yd + i, dF, t, ctx);
            }
        for (slong j = 0; j < n; j++) {
            fmpq_mpoly_derivative(dF, y + i, d * n + j, ctx);
            mv_addmul(yd + i, dF, sd + j, ctx);
        }
    }
    mv_cmul(sgd, sg, yd, d, ctx);                       /* sigma' = C(sigma) y' */
    for (slong k = 0; k < d; k++) {                     /* lhs = Lie derivative of r_k */
        for (slong a1 = 0; a1 < d; a1++)
            for (slong j = 0; j < n; j++) {
                fmpq_mpoly_derivative(dF, r + k, a1 * n + j, ctx);
                fmpq_mpoly_mul(t, r + a1, s + j, ctx);
                mv_addmul(lhs + k, dF, t, ctx);
            }
        for (slong j = 0; j < n; j++) {
            fmpq_mpoly_derivative(dF, r + k, d * n + j, ctx);
            mv_addmul(lhs + k, dF, sd + j, ctx);
            fmpq_mpoly_derivative(dF, r + k, d * n + n + j, ctx);
            mv_addmul(lhs + k, dF, p + j, ctx);
        }
        for (slong i = 0; i < d; i++) {
            fmpq_mpoly_derivative(dF, r + k, d * n + 2 * n + i, ctx);
            mv_addmul(lhs + k, dF, sgd + i, ctx);
        }
    }
    mv_cmul(rhs, sg, Kr, d, ctx);                       /* -Q C(sigma) K r; bug 1: no Q */
    for (slong k = 0; k < d; k++) {
        if (run.bug != 1)
            fmpq_mpoly_mul(rhs + k, rhs + k, Q, ctx);
        fmpq_mpoly_neg(rhs + k, rhs + k, ctx);
    }
    char name[32];
    snprintf(name, sizeof name, "CE-P1 d=%ld", (long) d);
    report(name, n, mv_verdict_vec(lhs, rhs, d, NULL, ctx), 0, "");
    for (slong k = 0; k < d; k++) {                     /* CE-P0 */
        fmpq_mpoly_add(sum, sum, r + k, ctx);
        fmpq_mpoly_sub(mod, mod, sg + k, ctx);
    }
    fmpq_mpoly_add_si(mod, mod, run.bug == 6 ? 2 : 1, ctx);
    fmpq_mpoly_zero(t, ctx);
    snprintf(name, sizeof name, "CE-P0 d=%ld", (long) d);
    report(name, n, mv_verdict(sum, t, mod, ctx), 1, "holds modulo 1 - sum sigma");
    vfree(Q, 1), vfree(r, d), vfree(u, n), vfree(p, n), vfree(sd, n), vfree(Cp, n);
    vfree(y, d), vfree(yd, d), vfree(sgd, d), vfree(Kr, d), vfree(rhs, d), vfree(lhs, d);
    vfree(ss, 1), vfree(dF, 1), vfree(t, 1), vfree(sum, 1), vfree(mod, 1), vfree(gen, nv);
    fmpq_mpoly_ctx_clear(ctx);
}

/* The symmetric W from ns = d(d+1)/2 generators starting at g. */
static void sym_from(poly *W, const poly *g)
{
    for (slong i = 0, k = 0; i < d; i++)
        for (slong j = 0; j <= i; j++, k++) {
            fmpq_mpoly_set(W + i * d + j, g + k, ctx);
            fmpq_mpoly_set(W + j * d + i, g + k, ctx);
        }
}

/* CE-P5. Generators: W (ns), B (d^2), r (d), f (d), kappa. */
static void check_cone(void)
{
    const slong ns = d * (d + 1) / 2, nv = ns + d * d + 2 * d + 1;
    fmpq_mpoly_ctx_init(ctx, nv, ORD_LEX);
    poly *gen = vnew(nv), *W = vnew(d * d), *B, *r, *f, *k, *S = vnew(d * d);
    for (slong i = 0; i < nv; i++)
        fmpq_mpoly_gen(gen + i, i, ctx);
    sym_from(W, gen);
    B = gen + ns, r = B + d * d, f = r + d, k = f + d;
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < d; j++)
            for (slong l = 0; l < d; l++)
                mv_addmul(S + i * d + j, W + i * d + l, B + l * d + j, ctx);
    poly *Wf = vnew(d), *al = vnew(1), *w = vnew(d), *Ww = vnew(d), *phi = vnew(1),
         *rd = vnew(d), *lhs = vnew(1), *rhs = vnew(1), *x = vnew(1), *dF = vnew(1),
         *Sw = vnew(d), *Sf = vnew(d), *k2 = vnew(1), *mod = vnew(1);
    matvec(Wf, W, f);
    mv_dot(al, Wf, r, d, ctx);
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_mul(x, al, f + i, ctx);
        fmpq_mpoly_sub(w + i, r + i, x, ctx);
    }
    matvec(Ww, W, w);
    fmpq_mpoly_mul(k2, k, k, ctx);
    mv_dot(phi, Ww, w, d, ctx);                         /* phi = w^T W w - k^2 alpha^2 */
    fmpq_mpoly_mul(x, al, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    fmpq_mpoly_sub(phi, phi, x, ctx);
    matvec(rd, B, r);                                   /* r' = -B r */
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_neg(rd + i, rd + i, ctx);
        fmpq_mpoly_derivative(dF, phi, ns + d * d + i, ctx);
        mv_addmul(lhs, dF, rd + i, ctx);
    }
    matvec(Sw, S, w);
    matvec(Sf, S, f);
    mv_dot(rhs, w, Sw, d, ctx);                         /* rhs / 2 */
    fmpq_mpoly_neg(rhs, rhs, ctx);
    mv_dot(x, w, Sf, d, ctx);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_sub(rhs, rhs, x, ctx);
    mv_dot(x, f, Sw, d, ctx);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    if (run.bug == 3)                                   /* bug 3: its sign */
        fmpq_mpoly_neg(x, x, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    mv_dot(x, f, Sf, d, ctx);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, al, ctx);
    fmpq_mpoly_mul(x, x, k2, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    fmpq_mpoly_scalar_mul_si(rhs, rhs, 2, ctx);
    mv_dot(x, Wf, f, d, ctx);
    fmpq_mpoly_neg(mod, x, ctx);
    fmpq_mpoly_add_si(mod, mod, 1, ctx);
    report("CE-P5 (n is d here)", d, mv_verdict(lhs, rhs, mod, ctx), 1,
           "holds modulo 1 - f.W.f");
    vfree(Wf, d), vfree(al, 1), vfree(w, d), vfree(Ww, d), vfree(phi, 1), vfree(rd, d);
    vfree(lhs, 1), vfree(rhs, 1), vfree(x, 1), vfree(dF, 1), vfree(Sw, d), vfree(Sf, d);
    vfree(k2, 1), vfree(mod, 1), vfree(W, d * d), vfree(S, d * d), vfree(gen, nv);
    fmpq_mpoly_ctx_clear(ctx);
}

/* CE-P6, CE-P7 with r, f in 1-perp. Generators: W (ns), B (d^2), g (d), c, r and f
 * (d - 1 each; the last entries are minus the sums). */
static void check_split(void)
{
    const slong ns = d * (d + 1) / 2, nv = ns + d * d + d + 1 + 2 * (d - 1);
    fmpq_mpoly_ctx_init(ctx, nv, ORD_LEX);
    poly *gen = vnew(nv), *W = vnew(d * d), *B, *g, *c, *S = vnew(d * d), *r = vnew(d),
         *f = vnew(d);
    for (slong i = 0; i < nv; i++)
        fmpq_mpoly_gen(gen + i, i, ctx);
    sym_from(W, gen);
    B = gen + ns, g = B + d * d, c = g + d;
    for (slong i = 0; i < d - 1; i++) {
        fmpq_mpoly_set(r + i, c + 1 + i, ctx);
        fmpq_mpoly_sub(r + d - 1, r + d - 1, c + 1 + i, ctx);
        fmpq_mpoly_set(f + i, c + d + i, ctx);
        fmpq_mpoly_sub(f + d - 1, f + d - 1, c + d + i, ctx);
    }
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < d; j++)
            for (slong l = 0; l < d; l++)
                mv_addmul(S + i * d + j, W + i * d + l, B + l * d + j, ctx);
    poly *Wf = vnew(d), *al = vnew(1), *w = vnew(d), *gm = vnew(1), *v = vnew(d),
         *lhs = vnew(1), *rhs = vnew(1), *x = vnew(1), *mod = vnew(1), *L = vnew(1),
         *Sf = vnew(d), *Bf = vnew(d), *Ww = vnew(d);
    matvec(Wf, W, f);
    mv_dot(al, Wf, r, d, ctx);
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_mul(x, al, f + i, ctx);
        fmpq_mpoly_sub(w + i, r + i, x, ctx);
    }
    mv_dot(x, Wf, f, d, ctx);
    fmpq_mpoly_neg(mod, x, ctx);
    fmpq_mpoly_add_si(mod, mod, 1, ctx);
    /* CE-P6: g^T r = alpha gamma + (g - gamma W f - c 1)^T w; bug 4: gamma f */
    mv_dot(gm, g, f, d, ctx);
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_mul(x, gm, run.bug == 4 ? f + i : Wf + i, ctx);
        fmpq_mpoly_sub(v + i, g + i, x, ctx);
        fmpq_mpoly_sub(v + i, v + i, c, ctx);
    }
    mv_dot(lhs, g, r, d, ctx);
    mv_dot(rhs, v, w, d, ctx);
    fmpq_mpoly_mul(x, al, gm, ctx);
    fmpq_mpoly_add(rhs, rhs, x, ctx);
    report("CE-P6 (n is d here)", d, mv_verdict(lhs, rhs, mod, ctx), 1,
           "holds modulo 1 - f.W.f");
    /* CE-P7: f^T S w = (S^T f - L W f - c 1)^T w, L = f^T S f; bug 5: S f for S^T f */
    matvec(Sf, S, f);
    mv_dot(L, f, Sf, d, ctx);
    if (run.bug == 5)
        matvec(v, S, f);
    else
        matTvec(v, S, f);
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_mul(x, L, Wf + i, ctx);
        fmpq_mpoly_sub(v + i, v + i, x, ctx);
        fmpq_mpoly_sub(v + i, v + i, c, ctx);
    }
    fmpq_mpoly_zero(lhs, ctx);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < d; j++) {
            fmpq_mpoly_mul(x, f + i, S + i * d + j, ctx);
            mv_addmul(lhs, x, w + j, ctx);
        }
    mv_dot(rhs, v, w, d, ctx);
    report("CE-P7 (n is d here)", d, mv_verdict(lhs, rhs, mod, ctx), 1,
           "holds modulo 1 - f.W.f");
    /* w^T S f = <w, B f - L f>_W (B3) */
    matvec(Bf, B, f);
    for (slong i = 0; i < d; i++) {
        fmpq_mpoly_mul(x, L, f + i, ctx);
        fmpq_mpoly_sub(Bf + i, Bf + i, x, ctx);
    }
    matvec(Ww, W, w);
    mv_dot(lhs, w, Sf, d, ctx);
    mv_dot(rhs, Ww, Bf, d, ctx);
    report("CE-B3 (n is d here)", d, mv_verdict(lhs, rhs, mod, ctx), 1,
           "holds modulo 1 - f.W.f");
    vfree(Wf, d), vfree(al, 1), vfree(w, d), vfree(gm, 1), vfree(v, d), vfree(lhs, 1);
    vfree(rhs, 1), vfree(x, 1), vfree(mod, 1), vfree(L, 1), vfree(Sf, d), vfree(Bf, d);
    vfree(Ww, d), vfree(W, d * d), vfree(S, d * d), vfree(r, d), vfree(f, d), vfree(gen, nv);
    fmpq_mpoly_ctx_clear(ctx);
}

static void check_all(void)
{
    for (d = 2; d <= 3; d++)
        for (n = 2; n <= 3; n++)
            check_flow();
    for (d = 2; d <= 4; d++) {
        check_cone();
        check_split();
    }
}

int main(int argc, char **argv)
{
    static const char *const what[] = { "", "r' = -C(sigma) K r (Q dropped, CE-P1)",
        "K r with C in place of C^2 (CE-P1)", "the sign of k^2 alpha f.S.w (CE-P5)",
        "gamma f in place of gamma W f (CE-P6)", "S f in place of S^T f (CE-P7)",
        "1^T r modulo 2 - sum sigma (CE-P0)" };
    return mv_main(argc, argv, &run, check_all, what, sizeof what / sizeof *what - 1,
                   "all identities CE-P0, CE-P1, CE-P5, CE-P6, CE-P7, CE-B3 hold (CE-P0 "
                   "modulo 1 - sum sigma, the others modulo 1 - f.W.f where said)");
}
