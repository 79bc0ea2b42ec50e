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
#include <stdio.h>
#include <string.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mpoly.h>

#define NMIN 2
#define NMAX 6

typedef fmpq_mpoly_struct poly;

static fmpq_mpoly_ctx_t ctx;
static slong n;
static poly *s, *a, *u;             /* the generators */
static fmpq_mpoly_t B, rho, S1, one_minus_S1, modulus;
static int bug;                     /* 0: the true field; > 0: a planted mistake */
static int quiet, failures;
static char first_failure[64];

/* ---- small helpers ------------------------------------------------------ */

static poly *vnew(void)
{
    poly *v = flint_malloc(n * sizeof(poly));
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_init(v + i, ctx);
    return v;
}

static void vfree(poly *v)
{
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_clear(v + i, ctx);
    flint_free(v);
}

/* r += x * y */
static void addmul(poly *r, const poly *x, const poly *y)
{
    fmpq_mpoly_t t;
    fmpq_mpoly_init(t, ctx);
    fmpq_mpoly_mul(t, x, y, ctx);
    fmpq_mpoly_add(r, r, t, ctx);
    fmpq_mpoly_clear(t, ctx);
}

/* r = sum_i x_i y_i */
static void dot(poly *r, const poly *x, const poly *y)
{
    fmpq_mpoly_zero(r, ctx);
    for (slong i = 0; i < n; i++)
        addmul(r, x + i, y + i);
}

/* r = sum_i x_i y_i z_i */
static void dot3(poly *r, const poly *x, const poly *y, const poly *z)
{
    fmpq_mpoly_t t;
    fmpq_mpoly_init(t, ctx);
    fmpq_mpoly_zero(r, ctx);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(t, x + i, y + i, ctx);
        addmul(r, t, z + i);
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
    fmpq_mpoly_t m, t;
    fmpq_mpoly_init(m, ctx);
    fmpq_mpoly_init(t, ctx);
    dot(m, s, v);
    for (slong i = 0; i < n; i++) {
        fmpq_mpoly_mul(out + i, s + i, v + i, ctx);
        if (bug != 1) {
            fmpq_mpoly_mul(t, s + i, m, ctx);
            fmpq_mpoly_sub(out + i, out + i, t, ctx);
        }
    }
    fmpq_mpoly_clear(m, ctx);
    fmpq_mpoly_clear(t, ctx);
}

/* out_i = c * v_i */
static void scale(poly *out, const poly *c, const poly *v)
{
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_mul(out + i, c, v + i, ctx);
}

/* Does lhs = rhs hold exactly (2), modulo 1 - S1 only (1), or not (0)?
   Mode EXACT accepts only 2. */
enum { EXACT, MOD };

static int holds(int mode, const poly *lhs, const poly *rhs)
{
    fmpq_mpoly_t d, q;
    int r;
    fmpq_mpoly_init(d, ctx);
    fmpq_mpoly_init(q, ctx);
    fmpq_mpoly_sub(d, lhs, rhs, ctx);
    if (fmpq_mpoly_is_zero(d, ctx))
        r = 2;
    else
        r = mode == MOD && fmpq_mpoly_divides(q, d, modulus, ctx);
    fmpq_mpoly_clear(d, ctx);
    fmpq_mpoly_clear(q, ctx);
    return r;
}

/* Print "I3 n=4 k=0: ok (...)" (k < 0: no index; key names the index) and
   count a failure. */
static void report(const char *name, const char *key, slong k, int mode, int r)
{
    static const char *ok[] = { NULL, "ok (mod 1-S1)", "ok (exact)" };
    char label[64];
    if (k >= 0)
        snprintf(label, sizeof label, "%s n=%ld %s=%ld", name, (long) n, key, (long) k);
    else
        snprintf(label, sizeof label, "%s n=%ld", name, (long) n);
    if (r == 0 && failures++ == 0)
        snprintf(first_failure, sizeof first_failure, "%s", label);
    if (!quiet)
        printf("%s: %s\n", label, r ? ok[r] :
               mode == MOD ? "FAIL (not divisible by 1-S1)" : "FAIL (not an identity)");
}

static void check(const char *name, const char *key, slong k, int mode,
                  const poly *lhs, const poly *rhs)
{
    report(name, key, k, mode, holds(mode, lhs, rhs));
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
    fmpq_mpoly_init(S1, ctx);
    fmpq_mpoly_init(one_minus_S1, ctx);
    fmpq_mpoly_init(modulus, ctx);
    for (slong i = 0; i < n; i++)
        fmpq_mpoly_add(S1, S1, s + i, ctx);
    fmpq_mpoly_neg(one_minus_S1, S1, ctx);
    fmpq_mpoly_add_si(one_minus_S1, one_minus_S1, 1, ctx);
    fmpq_mpoly_neg(modulus, S1, ctx);                  /* bug 3: the wrong modulus 2 - S1 */
    fmpq_mpoly_add_si(modulus, modulus, bug == 3 ? 2 : 1, ctx);

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
    scale(ad, rho, Cu);                                /* a' = rho C u */
    if (bug == 4)                                      /* bug 4: a' = -rho C u */
        for (slong i = 0; i < n; i++)
            fmpq_mpoly_neg(ad + i, ad + i, ctx);
    fmpq_mpoly_mul(t, rho, B, ctx);
    scale(ud, bug == 2 ? rho : t, s);                  /* u' = rho B s; bug 2 drops B */
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
            addmul(rhs, t, uc + j);
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
            addmul(rhs, s + i, t);
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
            addmul(t2, s + m, t);
        }
        fmpq_mpoly_add(lhs, a + wr, t2, ctx);          /* mean_w(a) */
        check("R1", "w", wr, MOD, lhs, abar);
        int r = 2;                                     /* R2: all j at once */
        for (slong j = 0; j < n; j++) {
            if (j == wr) {
                fmpq_mpoly_mul(v + j, s + wr, t2, ctx);
                fmpq_mpoly_neg(v + j, v + j, ctx);
            } else {
                fmpq_mpoly_sub(t, a + j, lhs, ctx);
                fmpq_mpoly_mul(v + j, s + j, t, ctx);
            }
            int rj = holds(MOD, v + j, Ca + j);
            r = rj < r ? rj : r;
        }
        report("R2", "w", wr, MOD, r);
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
    fmpq_set_si(c, bug == 5 ? 3 : 5, bug == 5 ? 5 : 8);  /* bug 5: threshold 3/5 */
    fmpq_set_si(half, 1, 2);
    fmpq_set_si(e, 3, 8);
    fmpq_one(lo);
    fmpq_sub(lo, lo, c);                               /* 1 - c */
    fmpq_mul(sq, c, c);                                /* c^2 */
    int n1 = fmpq_cmp(lo, sq) < 0;
    int n2 = fmpq_equal(lo, e) && fmpq_cmp(e, half) < 0 && fmpq_cmp(half, c) < 0;
    if (!quiet) {
        printf("N1 1-5/8 < (5/8)^2: %s\n", n1 ? "ok" : "FAIL");
        printf("N2 1-5/8 = 3/8 < 1/2 < 5/8: %s\n", n2 ? "ok" : "FAIL");
    }
    if (!n1 && failures++ == 0)
        snprintf(first_failure, sizeof first_failure, "N1");
    if (!n2 && failures++ == 0)
        snprintf(first_failure, sizeof first_failure, "N2");
    fmpq_clear(c); fmpq_clear(lo); fmpq_clear(sq); fmpq_clear(half); fmpq_clear(e);
}

static int run_all(void)
{
    failures = 0;
    first_failure[0] = '\0';
    for (slong nn = NMIN; nn <= NMAX; nn++)
        check_n(nn);
    check_numbers();
    return failures;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--selftest") == 0) {
        static const char *what[] = {
            "", "C(s) without the s s^T term", "u' without the factor B",
            "modulus 2 - S1 instead of 1 - S1", "a' = -rho C u (sign error)",
            "threshold 3/5 instead of 5/8" };
        int all = 1;
        quiet = 1;
        bug = 0;
        if (run_all() != 0) {
            printf("selftest: the true identities fail (%s)\n", first_failure);
            all = 0;
        }
        for (bug = 1; bug <= 5; bug++) {
            int f = run_all();
            printf("selftest bug %d (%s): %s", bug, what[bug], f ? "detected" : "NOT DETECTED");
            if (f)
                printf(" (%d failing checks, first %s)", f, first_failure);
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
    if (run_all() != 0) {
        printf("FAILED: %d checks, first %s\n", failures, first_failure);
        return 1;
    }
    printf("all identities hold for n = %d..%d\n", NMIN, NMAX);
    return 0;
}
