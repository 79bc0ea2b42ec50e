/* check-margin-tail.c -- machine check of the algebraic identities used by the
 * proof of the lemma "margin-tail", version 1 (proofs/margin-tail.md).
 *
 * Exact arithmetic: FLINT 2.9 multivariate polynomials over Q in the
 * indeterminates s_1..s_n, a_1..a_n, u_1..u_n, B, rho, for n = 2..6 and every
 * winning token k.  The softmax constraint sum(s) = 1 is not built in: an
 * identity marked "mod" is accepted iff lhs - rhs = (1 - S1) * Q for a
 * polynomial Q (fmpq_mpoly_divides), S1 = s_1 + ... + s_n; an identity marked
 * "exact" must hold with lhs - rhs = 0 as polynomials.
 *
 * The field (margin loss, real time; rho = 1 gives the tau-system):
 *   (C v)_i = s_i v_i - s_i sum_m s_m v_m       C(s) = diag(s) - s s^T
 *   a' = rho C u,   u' = rho B s,   s' = C a'    (softmax derivative)
 *
 * Build:  gcc -std=c11 -Wall -Wextra -I/usr/include/flint \
 *             proofs/check-margin-tail.c -lflint -lmpfr -lgmp -o check-margin-tail
 * Run:    ./check-margin-tail            exit 0 iff every identity holds
 *         ./check-margin-tail --selftest exit 0 iff every planted mistake is caught
 */
#include "mpoly_vec.h"

#define NMIN 2
#define NMAX 6

static fmpq_mpoly_ctx_t ctx;
static slong n;
static poly *s, *a, *u;             /* the generators */
static fmpq_mpoly_t B, rho, S1, one_minus_S1, modulus;
static mv_run run;                  /* run.bug 0: the true field; > 0: a planted mistake */

/* ---- small helpers (the shared ones are in mpoly_vec.h) ----------------- */

static poly *vnew(void) { return mv_vec_init(n, ctx); }
static void vfree(poly *v) { mv_vec_clear(v, n, ctx); }

/* r = sum_i x_i y_i */
static void dot(poly *r, const poly *x, const poly *y) { mv_dot(r, x, y, n, ctx); }

/* r = sum_i x_i y_i z_i */
static void dot3(poly *r, const poly *x, const poly *y, const poly *z)
{
    fmpq_mpoly_t t;
    fmpq_mpoly_init(t, ctx);
    fmpq_mpoly_zero(r, ctx);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(t, x + i, y + i, ctx);
        mv_addmul(r, t, z + i, ctx);
    }
    fmpq_mpoly_clear(t, ctx);
}

/* out_i = v_i - s^T v  (the centred vector: a_i - abar, u_i - ubar) */
static void center(poly *out, const poly *v)
{
    fmpq_mpoly_t m;
    fmpq_mpoly_init(m, ctx);
    dot(m, s, v);
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_sub(out + i, v + i, m, ctx);
    fmpq_mpoly_clear(m, ctx);
}

/* out = C(s) v, (C v)_i = s_i v_i - s_i (s^T v).  Bug 1 drops the s s^T term. */
static void cmul(poly *out, const poly *v)
{
    if (run.bug == 1)
        for (slong i = 0; i < n; i++)
            fmpq_mpoly_mul(out + i, s + i, v + i, ctx);
    else
        mv_cmul(out, s, v, n, ctx);
}

/* How an identity is checked: the verdict (mv_verdict) says whether lhs = rhs
   holds exactly (2), modulo 1 - S1 only (1), or not (0); mode EXACT accepts
   only 2, mode MOD also 1. */
enum { EXACT, MOD };

/* Print "I3 n=4 k=0: ok (...)" (k < 0: no index; key names the index) and
   count a failure. */
static void report(const char *name, const char *key, slong k, int mode, int r)
{
    static const char *ok[] = { NULL, "ok (mod 1-S1)", "ok (exact)" };
    mv_report(&run, name, n, key, k, r != 0, r ? ok[r] :
              mode == MOD ? "FAIL (not divisible by 1-S1)" : "FAIL (not an identity)");
}

static void check(const char *name, const char *key, slong k, int mode,
                  const poly *lhs, const poly *rhs)
{
    report(name, key, k, mode, mv_verdict(lhs, rhs, mode == MOD ? modulus : NULL, ctx));
}

/* ---- the identities for one n ------------------------------------------- */

static void check_n(slong nn)
{
    n = nn;                          /* variables: s_i = i, a_i = n+i, u_i = 2n+i, B, rho */
    fmpq_mpoly_ctx_init(ctx, 3 * n + 2, ORD_DEGREVLEX);

    s = vnew(); a = vnew(); u = vnew();
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_gen(s + i, i, ctx);
        fmpq_mpoly_gen(a + i, n + i, ctx);
        fmpq_mpoly_gen(u + i, 2 * n + i, ctx);
    }
    fmpq_mpoly_init(B, ctx);   fmpq_mpoly_gen(B, 3 * n, ctx);
    fmpq_mpoly_init(rho, ctx); fmpq_mpoly_gen(rho, 3 * n + 1, ctx);
    /* S1 = s_1 + ... + s_n, modulus = 1 - S1; bug 3: the wrong modulus 2 - S1 */
    mv_modulus_init(S1, modulus, s, run.bug == 3 ? 2 : 1, n, ctx);
    fmpq_mpoly_init(one_minus_S1, ctx);
    fmpq_mpoly_neg(one_minus_S1, S1, ctx);
    fmpq_mpoly_add_si(one_minus_S1, one_minus_S1, 1, ctx);

    poly *ac = vnew(), *uc = vnew(), *s2 = vnew();   /* a - abar, u - ubar, s_i^2 */
    poly *Ca = vnew(), *Cu = vnew();
    poly *ad = vnew(), *ud = vnew(), *sd = vnew();   /* a', u', s' */
    poly *v = vnew();
    fmpq_mpoly_t abar, lhs, rhs, t, t2;
    fmpq_mpoly_init(abar, ctx);
    fmpq_mpoly_init(lhs, ctx); fmpq_mpoly_init(rhs, ctx);
    fmpq_mpoly_init(t, ctx);   fmpq_mpoly_init(t2, ctx);

    dot(abar, s, a);
    center(ac, a);
    center(uc, u);
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_mul(s2 + i, s + i, s + i, ctx);
    cmul(Ca, a);
    cmul(Cu, u);
    mv_scale(ad, rho, Cu, n, ctx);                     /* a' = rho C u */
    if (run.bug == 4)                                  /* bug 4: a' = -rho C u */
        for (slong i = 0; i < n; i++)
            fmpq_mpoly_neg(ad + i, ad + i, ctx);
    fmpq_mpoly_mul(t, rho, B, ctx);
    mv_scale(ud, run.bug == 2 ? rho : t, s, n, ctx);   /* u' = rho B s; bug 2 drops B */
    cmul(sd, ad);                                      /* s' = C a' */

    /* I1: a^T s' (= -dH/dt) = rho sum_i s_i^2 (a_i - abar)(u_i - ubar) */
    dot(lhs, a, sd);
    dot3(rhs, s2, ac, uc);
    fmpq_mpoly_mul(rhs, rhs, rho, ctx);
    check("I1", "", -1, EXACT, lhs, rhs);

    /* I2: sum_i (C v)_i = (1 - S1) s^T v  (v = a: any vector of indeterminates) */
    fmpq_mpoly_zero(lhs, ctx);
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_add(lhs, lhs, Ca + i, ctx);
    fmpq_mpoly_mul(rhs, one_minus_S1, abar, ctx);
    check("I2", "", -1, EXACT, lhs, rhs);

    /* I3: sum_i s_i (C u)_i = sum_{j != k} s_j (s_j - s_k)(u_j - ubar)  mod (1 - S1) */
    for (slong k = 0; k < n; k++) {
        dot(lhs, s, Cu);
        fmpq_mpoly_zero(rhs, ctx);
        for (slong j = 0; j < n; j++) {
            if (j == k)
                continue;
            fmpq_mpoly_sub(t, s + j, s + k, ctx);
            fmpq_mpoly_mul(t, t, s + j, ctx);
            mv_addmul(rhs, t, uc + j, ctx);
        }
        check("I3", "k", k, MOD, lhs, rhs);
    }

    /* I4: abar' = s'^T a + s^T a'
     *          = rho [ sum_i s_i^2 (a_i - abar)(u_i - ubar) + sum_i s_i^2 (u_i - ubar) ] */
    dot(lhs, sd, a);
    dot(t, s, ad);
    fmpq_mpoly_add(lhs, lhs, t, ctx);
    dot3(rhs, s2, ac, uc);
    dot(t, s2, uc);
    fmpq_mpoly_add(rhs, rhs, t, ctx);
    fmpq_mpoly_mul(rhs, rhs, rho, ctx);
    check("I4", "", -1, EXACT, lhs, rhs);

    /* I5: ubar' = s'^T u + s^T u' = rho [ ||C u||^2 + B ||s||^2 ],
     *     ||C u||^2 written as sum_i s_i^2 (u_i - ubar)^2 */
    dot(lhs, sd, u);
    dot(t, s, ud);
    fmpq_mpoly_add(lhs, lhs, t, ctx);
    dot3(rhs, s2, uc, uc);
    dot(t, s, s);
    fmpq_mpoly_mul(t, t, B, ctx);
    fmpq_mpoly_add(rhs, rhs, t, ctx);
    fmpq_mpoly_mul(rhs, rhs, rho, ctx);
    check("I5", "", -1, EXACT, lhs, rhs);

    /* I6: a_k' - s^T a' = rho sum_{i != k} s_i (s_k (u_k - ubar) - s_i (u_i - ubar))
     *     mod (1 - S1); the bracket is (a_k' - a_i')/rho by I7 */
    for (slong k = 0; k < n; k++) {
        dot(t, s, ad);
        fmpq_mpoly_sub(lhs, ad + k, t, ctx);
        fmpq_mpoly_zero(rhs, ctx);
        for (slong i = 0; i < n; i++) {
            if (i == k)
                continue;
            fmpq_mpoly_mul(t, s + k, uc + k, ctx);
            fmpq_mpoly_mul(t2, s + i, uc + i, ctx);
            fmpq_mpoly_sub(t, t, t2, ctx);
            mv_addmul(rhs, s + i, t, ctx);
        }
        fmpq_mpoly_mul(rhs, rhs, rho, ctx);
        check("I6", "k", k, MOD, lhs, rhs);
    }

    /* I7: a_i' = rho s_i (u_i - ubar) for every i (signs of a', gap derivatives) */
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(t, s + i, uc + i, ctx);
        fmpq_mpoly_mul(rhs, t, rho, ctx);
        check("I7", "i", i, EXACT, ad + i, rhs);
    }

    /* R1, R2: the reference-token forms of certs/FORMAT.md, reference w:
     *   mean_w(v) = v_w + sum_{m != w} s_m (v_m - v_w)            = s^T v    mod (1 - S1)
     *   (C v)_j   = s_j (v_j - mean_w(v))  (j != w),
     *   (C v)_w   = -s_w sum_{m != w} s_m (v_m - v_w)             = (C v)_j  mod (1 - S1) */
    for (slong wr = 0; wr < n; wr++) {
        fmpq_mpoly_zero(t2, ctx);                      /* t2 = sum_{m != w} s_m (a_m - a_w) */
        for (slong m = 0; m < n; m++) {
            if (m == wr)
                continue;
            fmpq_mpoly_sub(t, a + m, a + wr, ctx);
            mv_addmul(t2, s + m, t, ctx);
        }
        fmpq_mpoly_add(lhs, a + wr, t2, ctx);          /* mean_w(a) */
        check("R1", "w", wr, MOD, lhs, abar);
        for (slong j = 0; j < n; j++) {                /* R2: all j at once */
            if (j == wr) {
                fmpq_mpoly_mul(v + j, s + wr, t2, ctx);
                fmpq_mpoly_neg(v + j, v + j, ctx);
            } else {
                fmpq_mpoly_sub(t, a + j, lhs, ctx);
                fmpq_mpoly_mul(v + j, s + j, t, ctx);
            }
        }
        report("R2", "w", wr, MOD, mv_verdict_vec(v, Ca, n, modulus, ctx));
    }

    fmpq_mpoly_clear(abar, ctx);
    fmpq_mpoly_clear(lhs, ctx); fmpq_mpoly_clear(rhs, ctx);
    fmpq_mpoly_clear(t, ctx);   fmpq_mpoly_clear(t2, ctx);
    vfree(ac); vfree(uc); vfree(s2); vfree(Ca); vfree(Cu);
    vfree(ad); vfree(ud); vfree(sd); vfree(v);
    vfree(s); vfree(a); vfree(u);
    fmpq_mpoly_clear(B, ctx); fmpq_mpoly_clear(rho, ctx);
    fmpq_mpoly_clear(S1, ctx); fmpq_mpoly_clear(one_minus_S1, ctx);
    fmpq_mpoly_clear(modulus, ctx);
    fmpq_mpoly_ctx_clear(ctx);
}

/* ---- the numeric facts: with c = 5/8, 1 - c < c^2 and 3/8 < 1/2 < c ------- */

static void check_numbers(void)
{
    fmpq_t c, lo, sq, half, e;
    fmpq_init(c); fmpq_init(lo); fmpq_init(sq); fmpq_init(half); fmpq_init(e);
    fmpq_set_si(c, run.bug == 5 ? 3 : 5, run.bug == 5 ? 5 : 8);  /* bug 5: threshold 3/5 */
    fmpq_set_si(half, 1, 2);
    fmpq_set_si(e, 3, 8);
    fmpq_one(lo);
    fmpq_sub(lo, lo, c);                               /* 1 - c */
    fmpq_mul(sq, c, c);                                /* c^2 */
    int n1 = fmpq_cmp(lo, sq) < 0;
    int n2 = fmpq_equal(lo, e) && fmpq_cmp(e, half) < 0 && fmpq_cmp(half, c) < 0;
    if (!run.quiet) {
        printf("N1 1-5/8 < (5/8)^2: %s\n", n1 ? "ok" : "FAIL");
        printf("N2 1-5/8 = 3/8 < 1/2 < 5/8: %s\n", n2 ? "ok" : "FAIL");
    }
    if (!n1)
        mv_fail(&run, "N1");
    if (!n2)
        mv_fail(&run, "N2");
    fmpq_clear(c); fmpq_clear(lo); fmpq_clear(sq); fmpq_clear(half); fmpq_clear(e);
}

static void check_all(void)
{
    for (slong nn = NMIN; nn <= NMAX; nn++)
        check_n(nn);
    check_numbers();
}

int main(int argc, char **argv)
{
    static const char *const what[] = {        /* what[bug]: the planted mistakes */
        "", "C(s) without the s s^T term", "u' without the factor B",
        "modulus 2 - S1 instead of 1 - S1", "a' = -rho C u (sign error)",
        "threshold 3/5 instead of 5/8" };
    char all_hold[64];
    snprintf(all_hold, sizeof all_hold, "all identities hold for n = %d..%d", NMIN, NMAX);
    return mv_main(argc, argv, &run, check_all, what, sizeof what / sizeof *what - 1,
                   all_hold);
}
