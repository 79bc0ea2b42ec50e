/* Helpers shared by the Check suites (static: each test file has its own
 * copy). The style is Arb's: random inputs, every ball result checked to
 * CONTAIN a value computed exactly (fmpq) or at far higher precision, so that
 * a wrong sign, a missing term or a missing error bound makes a test fail.
 *
 * Random data come from a flint_rand_t seeded with fixed numbers, so every
 * run draws the same cases. */
#ifndef PC_TESTUTIL_H
#define PC_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <flint/flint.h>
#include <flint/ulong_extras.h>
#include <flint/fmpq_vec.h>
#include <flint/fmpq_mat.h>
#include "pc_model.h"
#include "pc_reduced.h"
#include "pc_tape.h"

/* ---- assertions ----------------------------------------------------------
 * Check's ck_assert_* record the location of every passing assertion (a
 * write to the parent in fork mode); with ~10^5 checks per file that costs
 * more than the arithmetic. These macros only count passes and call
 * ck_abort_msg on a failure, after printing the balls involved. */

static long tu_checks = 0;

static inline void tu_print_arb(const char *name, const arb_t x)
{
    fprintf(stderr, "  %s = ", name);
    arb_fprintd(stderr, x, 40);
    fputc('\n', stderr);
}

#define TU_ASSERT(cond, ...)                                                  \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!(cond))                                                          \
            ck_abort_msg(__VA_ARGS__);                                        \
    } while (0)

/* Ball `big` must contain ball `small` (e.g. a result at working precision
 * and the same quantity at a point, at 4x precision). Where `big` is the
 * tighter ball (an exact result, say 0 with radius 0, against a reference
 * that carries rounding errors), containment cannot be asked and the two
 * must overlap: both contain the true value. */
static inline int tu_contains(const arb_t big, const arb_t small)
{
    if (arb_contains(big, small))
        return 1;
    return mag_cmp(arb_radref(big), arb_radref(small)) <= 0 && arb_overlaps(big, small);
}

#define TU_CONTAINS(big, small, ...)                                          \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!tu_contains(big, small)) {                                       \
            tu_print_arb("enclosure", big);                                   \
            tu_print_arb("reference", small);                                 \
            ck_abort_msg(__VA_ARGS__);                                        \
        }                                                                     \
    } while (0)

#define TU_CONTAINS_FMPQ(big, q, ...)                                         \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!arb_contains_fmpq(big, q)) {                                     \
            tu_print_arb("enclosure", big);                                   \
            fprintf(stderr, "  exact     = ");                                \
            fmpq_fprint(stderr, q);                                           \
            fputc('\n', stderr);                                              \
            ck_abort_msg(__VA_ARGS__);                                        \
        }                                                                     \
    } while (0)

#define TU_OVERLAPS(x, y, ...)                                                \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!arb_overlaps(x, y)) {                                            \
            tu_print_arb("x", x);                                             \
            tu_print_arb("y", y);                                             \
            ck_abort_msg(__VA_ARGS__);                                        \
        }                                                                     \
    } while (0)

/* A containment test passes trivially for a ball of infinite radius; where
 * the inputs are exact, the tests also demand an accurate result: at least
 * `bits` correct bits relative to max(1, |x|). */
static inline int tu_accurate(const arb_t x, slong bits)
{
    if (!arb_is_finite(x))
        return 0;
    if (mag_cmp_2exp_si(arb_radref(x), -bits) <= 0)
        return 1;
    return arb_rel_accuracy_bits(x) >= bits;
}

#define TU_ACCURATE(x, bits, ...)                                             \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!tu_accurate(x, bits)) {                                          \
            tu_print_arb("inaccurate", x);                                    \
            ck_abort_msg(__VA_ARGS__);                                        \
        }                                                                     \
    } while (0)

/* |got − ref| <= tol · max(1, |ref|), ref the midpoint of an accurate ball:
 * relative agreement, absolute near zero (where the double result carries
 * rounding errors of the size of the terms that cancelled, i.e. O(1)). */
static inline int tu_close_d(double got, const arb_t ref, double tol)
{
    double r = arf_get_d(arb_midref(ref), ARF_RND_NEAR);
    double scale = fabs(r) > 1.0 ? fabs(r) : 1.0;
    if (!isfinite(got) || !isfinite(r))
        return 0;
    return fabs(got - r) <= tol * scale;
}

#define TU_CLOSE_D(got, ref, tol, ...)                                        \
    do {                                                                      \
        tu_checks++;                                                          \
        if (!tu_close_d(got, ref, tol)) {                                     \
            fprintf(stderr, "  double    = %.17g\n", (double) (got));         \
            tu_print_arb("arb", ref);                                         \
            ck_abort_msg(__VA_ARGS__);                                        \
        }                                                                     \
    } while (0)

/* Prints the number of checks a test made (each Check test may run in its
 * own process, so the count is reported from inside the test). */
static inline void tu_done(const char *file, const char *test)
{
    printf("%s: %s: %ld checks passed\n", file, test, tu_checks);
    fflush(stdout);
    tu_checks = 0;
}

/* ---- random numbers ------------------------------------------------------ */

static inline void tu_rand_init(flint_rand_t st, ulong seed)
{
    flint_randinit(st);
    flint_randseed(st, seed, seed ^ UWORD(0x9e3779b97f4a7c15));
}

/* A random rational with denominator in [1, den] and |x| <= bound. */
static inline void tu_randq(fmpq_t x, flint_rand_t st, ulong bound, ulong den)
{
    ulong q = 1 + n_randint(st, den);
    ulong w = 2 * bound * q + 1;
    slong p = (slong) n_randint(st, w) - (slong) (bound * q);
    fmpq_set_si(x, p, q);
}

static inline void tu_randq_vec(fmpq *v, slong len, flint_rand_t st, ulong bound, ulong den)
{
    for (slong i = 0; i < len; i++)
        tu_randq(v + i, st, bound, den);
}

/* A random double k / 2^e with |k| <= bound·2^e: exact as a double and as
 * an arb, so that the double and ball versions see the same input. */
static inline double tu_rand_dyadic(flint_rand_t st, ulong bound, int e)
{
    ulong scale = UWORD(1) << e;
    slong k = (slong) n_randint(st, 2 * bound * scale + 1) - (slong) (bound * scale);
    return ldexp((double) k, -e);
}

/* A ball with an exact random midpoint (a rational with |x| <= bound rounded
 * to prec bits) and a random radius: zero, tiny, small or wide (2^-2). */
static inline void tu_rand_ball(arb_t x, flint_rand_t st, ulong bound, slong prec)
{
    fmpq_t q;
    fmpq_init(q);
    tu_randq(q, st, bound, 16);
    arb_set_fmpq(x, q, prec);
    switch (n_randint(st, 5)) {
    case 0:
        mag_zero(arb_radref(x));
        break;
    case 1:
        mag_set_ui_2exp_si(arb_radref(x), 1, -prec / 2);
        break;
    case 2:
        mag_set_ui_2exp_si(arb_radref(x), 1 + n_randint(st, 255),
                           -(slong) (10 + n_randint(st, 30)));
        break;
    default:
        mag_set_ui_2exp_si(arb_radref(x), 1 + n_randint(st, 3),
                           -(slong) (3 + n_randint(st, 5)));
        break;
    }
    fmpq_clear(q);
}

static inline void tu_rand_ball_vec(arb_ptr v, slong len, flint_rand_t st, ulong bound, slong prec)
{
    for (slong i = 0; i < len; i++)
        tu_rand_ball(v + i, st, bound, prec);
}

/* An exact point p (radius 0) of the ball x: mid + t·rad with t a random
 * dyadic in [−1, 1], the end points and the midpoint included. */
static inline void tu_rand_point_in(arb_t p, const arb_t x, flint_rand_t st)
{
    arf_t t, r, mid;
    arf_init(t);
    arf_init(r);
    arf_init(mid);
    switch (n_randint(st, 8)) {
    case 0: arf_one(t); break;
    case 1: arf_one(t); arf_neg(t, t); break;
    case 2: arf_zero(t); break;
    default:
        arf_set_si(t, (slong) n_randint(st, (UWORD(1) << 30) + 1) - (WORD(1) << 29));
        arf_mul_2exp_si(t, t, -29);
        break;
    }
    arf_set_mag(r, arb_radref(x));
    arf_mul(r, r, t, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_set(mid, arb_midref(x));
    arf_add(arb_midref(p), mid, r, ARF_PREC_EXACT, ARF_RND_DOWN);
    mag_zero(arb_radref(p));
    arf_clear(t);
    arf_clear(r);
    arf_clear(mid);
}

static inline void tu_rand_point_in_vec(arb_ptr p, arb_srcptr x, slong len, flint_rand_t st)
{
    for (slong i = 0; i < len; i++)
        tu_rand_point_in(p + i, x + i, st);
}

static inline void tu_arb_vec_set_fmpq(arb_ptr v, const fmpq *q, slong len, slong prec)
{
    for (slong i = 0; i < len; i++)
        arb_set_fmpq(v + i, q + i, prec);
}

/* ---- problems and models ----------------------------------------------------
 * A pc_problem_struct filled by hand (no file, no loader): exact rational
 * data allocated with _fmpq_vec_init, freed by tu_problem_clear. */

static inline fmpq *tu_fmpq_vec(slong len)
{
    return _fmpq_vec_init(len > 0 ? len : 1);
}

static inline void tu_problem_alloc(pc_problem_t p, pc_loss_kind loss, slong d, slong n, slong m)
{
    memset(p, 0, sizeof(pc_problem_struct));
    p->loss = loss;
    p->d = d;
    p->n = n;
    p->m = (loss == PC_LOSS_QUADRATIC) ? m : 0;
    p->V = tu_fmpq_vec(d * n);
    p->a = tu_fmpq_vec(n);
    if (loss == PC_LOSS_LOGISTIC || loss == PC_LOSS_EXPONENTIAL || loss == PC_LOSS_SQUARE)
        p->beta = tu_fmpq_vec(d);
    if (loss == PC_LOSS_CROSS_ENTROPY)
        p->q = tu_fmpq_vec(d);
    if (loss == PC_LOSS_QUADRATIC) {
        p->X = tu_fmpq_vec(m * d);
        p->b = tu_fmpq_vec(m);
    }
    fmpq_init(p->T);
    fmpq_one(p->T);
    fmpq_init(p->radius);
}

static inline void tu_problem_clear(pc_problem_t p)
{
    _fmpq_vec_clear(p->V, p->d * p->n > 0 ? p->d * p->n : 1);
    _fmpq_vec_clear(p->a, p->n > 0 ? p->n : 1);
    if (p->beta) _fmpq_vec_clear(p->beta, p->d > 0 ? p->d : 1);
    if (p->q) _fmpq_vec_clear(p->q, p->d > 0 ? p->d : 1);
    if (p->X) _fmpq_vec_clear(p->X, p->m * p->d > 0 ? p->m * p->d : 1);
    if (p->b) _fmpq_vec_clear(p->b, p->m > 0 ? p->m : 1);
    fmpq_clear(p->T);
    fmpq_clear(p->radius);
    memset(p, 0, sizeof(pc_problem_struct));
}

/* q: a probability vector of exact rationals, some entries possibly 0. */
static inline void tu_rand_distribution(fmpq *q, slong len, flint_rand_t st)
{
    ulong total = 0;
    ulong *w = flint_malloc(sizeof(ulong) * (size_t) len);
    for (slong k = 0; k < len; k++)
        total += (w[k] = n_randint(st, 4));
    if (total == 0)
        total = w[n_randint(st, len)] = 1;
    for (slong k = 0; k < len; k++)
        fmpq_set_si(q + k, (slong) w[k], total);
    flint_free(w);
}

/* Problem files may give q summing to 1 only within 10^-12; the library
 * then uses the exact sum (ℓ = −Σ q_k log σ_k, r = q − (Σq) σ). Moves Σq
 * to 1 + k·10^-13 for a random k in [1, 9] (fmpz_ui_pow_ui: Arb's
 * fmpz_extras.h in Arb 2, fmpz.h in FLINT 3). */
static inline void tu_perturb_q_sum(pc_problem_t p, flint_rand_t st)
{
    fmpq_t e;
    fmpq_init(e);
    fmpz_set_ui(fmpq_numref(e), 1 + n_randint(st, 9));
    fmpz_ui_pow_ui(fmpq_denref(e), 10, 13);
    slong k = (slong) n_randint(st, p->d);
    fmpq_add(p->q + k, p->q + k, e);
    fmpq_clear(e);
}

/* A random problem of family `loss`: |V| <= 3, |a| <= 4, |β| <= 2 (β != 0),
 * |X|, |b| <= 2, rational entries with denominators up to 12. */
static inline void tu_problem_random(pc_problem_t p, flint_rand_t st, pc_loss_kind loss,
                              slong d, slong n, slong m)
{
    tu_problem_alloc(p, loss, d, n, m);
    tu_randq_vec(p->V, d * n, st, 3, 12);
    tu_randq_vec(p->a, n, st, 4, 12);
    if (p->beta) {
        tu_randq_vec(p->beta, d, st, 2, 12);
        int zero = 1;
        for (slong i = 0; i < d; i++)
            zero = zero && fmpq_is_zero(p->beta + i);
        if (zero)
            fmpq_set_si(p->beta + n_randint(st, d), 1, 1 + n_randint(st, 5));
    }
    if (p->q)
        tu_rand_distribution(p->q, d, st);
    if (p->X) {
        tu_randq_vec(p->X, m * d, st, 2, 12);
        tu_randq_vec(p->b, m, st, 2, 12);
    }
}

/* Random sizes: d in [dmin, dmax], n in [1, nmax], m in [1, 4]. */
static inline void tu_problem_random_size(pc_problem_t p, flint_rand_t st, pc_loss_kind loss,
                                   slong dmin, slong dmax, slong nmin, slong nmax)
{
    slong d = dmin + (slong) n_randint(st, dmax - dmin + 1);
    slong n = nmin + (slong) n_randint(st, nmax - nmin + 1);
    slong m = 1 + (slong) n_randint(st, 4);
    tu_problem_random(p, st, loss, d, n, m);
}

static inline void tu_model_arb(pc_model_arb_t m, const pc_problem_t p, slong prec)
{
    ck_assert_int_eq(pc_model_arb_init(m, p, prec), PC_OK);
}

static inline void tu_model_d(pc_model_d_t m, const pc_problem_t p)
{
    ck_assert_int_eq(pc_model_d_init(m, p), PC_OK);
}

static inline int tu_has_beta(pc_loss_kind loss)
{
    return loss == PC_LOSS_LOGISTIC || loss == PC_LOSS_EXPONENTIAL || loss == PC_LOSS_SQUARE;
}

static inline const char *tu_loss_str(pc_loss_kind loss)
{
    static const char *names[PC_LOSS_COUNT] = {
        "logistic", "exponential", "square", "cross_entropy", "quadratic"
    };
    return (loss >= 0 && loss < PC_LOSS_COUNT) ? names[loss] : "?";
}

/* A random working precision. */
static inline slong tu_rand_prec(flint_rand_t st)
{
    return 40 + (slong) n_randint(st, 200);
}

/* ---- dual numbers: exact first derivatives, independently of lib/ ----------
 * A dual is two consecutive arbs (value, derivative along one direction).
 * Evaluating ℓ or L straight from its definition in duals gives the
 * directional derivative of the exact function, enclosed rigorously (no
 * difference quotient, no truncation error), to compare with −r or with the
 * field. */

static inline void tu_dual_add(arb_ptr z, arb_srcptr x, arb_srcptr y, slong prec)
{
    arb_add(z, x, y, prec);
    arb_add(z + 1, x + 1, y + 1, prec);
}

static inline void tu_dual_sub(arb_ptr z, arb_srcptr x, arb_srcptr y, slong prec)
{
    arb_sub(z, x, y, prec);
    arb_sub(z + 1, x + 1, y + 1, prec);
}

static inline void tu_dual_mul(arb_ptr z, arb_srcptr x, arb_srcptr y, slong prec)
{
    arb_t v, e;
    arb_init(v);
    arb_init(e);
    arb_mul(v, x, y, prec);
    arb_mul(e, x, y + 1, prec);
    arb_addmul(e, x + 1, y, prec);
    arb_swap(z, v);
    arb_swap(z + 1, e);
    arb_clear(v);
    arb_clear(e);
}

/* z = c·x for a constant c. */
static inline void tu_dual_scale(arb_ptr z, const arb_t c, arb_srcptr x, slong prec)
{
    arb_mul(z, x, c, prec);
    arb_mul(z + 1, x + 1, c, prec);
}

static inline void tu_dual_div(arb_ptr z, arb_srcptr x, arb_srcptr y, slong prec)
{
    arb_t v, e;
    arb_init(v);
    arb_init(e);
    arb_div(v, x, y, prec);             /* (x/y)' = (x' − (x/y) y') / y */
    arb_mul(e, v, y + 1, prec);
    arb_sub(e, x + 1, e, prec);
    arb_div(e, e, y, prec);
    arb_swap(z, v);
    arb_swap(z + 1, e);
    arb_clear(v);
    arb_clear(e);
}

static inline void tu_dual_exp(arb_ptr z, arb_srcptr x, slong prec)
{
    arb_t v;
    arb_init(v);
    arb_exp(v, x, prec);
    arb_mul(z + 1, x + 1, v, prec);
    arb_swap(z, v);
    arb_clear(v);
}

static inline void tu_dual_log(arb_ptr z, arb_srcptr x, slong prec)
{
    arb_t v;
    arb_init(v);
    arb_log(v, x, prec);
    arb_div(z + 1, x + 1, x, prec);
    arb_swap(z, v);
    arb_clear(v);
}

static inline void tu_dual_const(arb_ptr z, const fmpq_t c, slong prec)
{
    arb_set_fmpq(z, c, prec);
    arb_zero(z + 1);
}

/* s = σ(a) by the definition exp(a_j) / Σ_k exp(a_k) (no shift: the tests
 * keep |a| moderate). a and s hold n duals (2n arbs). */
static inline void tu_dual_softmax(arb_ptr s, arb_srcptr a, slong n, slong prec)
{
    arb_ptr e = _arb_vec_init(2 * n);
    arb_struct sum[2];
    arb_init(sum);
    arb_init(sum + 1);
    for (slong j = 0; j < n; j++) {
        tu_dual_exp(e + 2 * j, a + 2 * j, prec);
        tu_dual_add(sum, sum, e + 2 * j, prec);
    }
    for (slong j = 0; j < n; j++)
        tu_dual_div(s + 2 * j, e + 2 * j, sum, prec);
    arb_clear(sum);
    arb_clear(sum + 1);
    _arb_vec_clear(e, 2 * n);
}

/* ℓ(y) straight from the table of MISSION.md §2, data from the exact
 * rationals of p. y holds d duals. */
static inline void tu_dual_loss(arb_ptr L, const pc_problem_t p, arb_srcptr y, slong prec)
{
    const slong d = p->d;
    arb_struct z[2], t[2], c[2];
    arb_init(z); arb_init(z + 1);
    arb_init(t); arb_init(t + 1);
    arb_init(c); arb_init(c + 1);
    arb_zero(L);
    arb_zero(L + 1);
    switch (p->loss) {
    case PC_LOSS_LOGISTIC:              /* log(1 + exp(−βᵀy)) */
    case PC_LOSS_EXPONENTIAL:           /* exp(−βᵀy) */
        for (slong i = 0; i < d; i++) {
            tu_dual_const(c, p->beta + i, prec);
            tu_dual_mul(t, c, y + 2 * i, prec);
            tu_dual_sub(z, z, t, prec);
        }
        tu_dual_exp(L, z, prec);
        if (p->loss == PC_LOSS_LOGISTIC) {
            arb_add_ui(L, L, 1, prec);
            tu_dual_log(L, L, prec);
        }
        break;
    case PC_LOSS_SQUARE:                /* ½ Σ (y_i − β_i)² */
        for (slong i = 0; i < d; i++) {
            tu_dual_const(c, p->beta + i, prec);
            tu_dual_sub(t, y + 2 * i, c, prec);
            tu_dual_mul(t, t, t, prec);
            tu_dual_add(L, L, t, prec);
        }
        arb_mul_2exp_si(L, L, -1);
        arb_mul_2exp_si(L + 1, L + 1, -1);
        break;
    case PC_LOSS_CROSS_ENTROPY: {       /* −Σ q_k log σ(y)_k */
        arb_ptr s = _arb_vec_init(2 * d);
        tu_dual_softmax(s, y, d, prec);
        for (slong k = 0; k < d; k++) {
            tu_dual_log(t, s + 2 * k, prec);
            tu_dual_const(c, p->q + k, prec);
            tu_dual_mul(t, t, c, prec);
            tu_dual_sub(L, L, t, prec);
        }
        _arb_vec_clear(s, 2 * d);
        break;
    }
    case PC_LOSS_QUADRATIC:             /* ½ Σ_k (b_k − Σ_i X_ki y_i)² */
        for (slong k = 0; k < p->m; k++) {
            tu_dual_const(z, p->b + k, prec);
            for (slong i = 0; i < d; i++) {
                tu_dual_const(c, p->X + k * d + i, prec);
                tu_dual_mul(t, c, y + 2 * i, prec);
                tu_dual_sub(z, z, t, prec);
            }
            tu_dual_mul(z, z, z, prec);
            tu_dual_add(L, L, z, prec);
        }
        arb_mul_2exp_si(L, L, -1);
        arb_mul_2exp_si(L + 1, L + 1, -1);
        break;
    }
    arb_clear(z); arb_clear(z + 1);
    arb_clear(t); arb_clear(t + 1);
    arb_clear(c); arb_clear(c + 1);
}

/* L(V, a) = ℓ(V σ(a)) at the full state x (d*n + n duals). */
static inline void tu_dual_model_loss(arb_ptr L, const pc_problem_t p, arb_srcptr x, slong prec)
{
    const slong d = p->d, n = p->n;
    arb_ptr s = _arb_vec_init(2 * n), y = _arb_vec_init(2 * d);
    arb_struct t[2];
    arb_init(t);
    arb_init(t + 1);
    tu_dual_softmax(s, x + 2 * d * n, n, prec);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < n; j++) {
            tu_dual_mul(t, x + 2 * (i * n + j), s + 2 * j, prec);
            tu_dual_add(y + 2 * i, y + 2 * i, t, prec);
        }
    tu_dual_loss(L, p, y, prec);
    arb_clear(t);
    arb_clear(t + 1);
    _arb_vec_clear(s, 2 * n);
    _arb_vec_clear(y, 2 * d);
}

/* H(σ(a)) = −Σ s_j log s_j straight from the definition (n duals). */
static inline void tu_dual_entropy(arb_ptr H, arb_srcptr a, slong n, slong prec)
{
    arb_ptr s = _arb_vec_init(2 * n);
    arb_struct t[2];
    arb_init(t);
    arb_init(t + 1);
    tu_dual_softmax(s, a, n, prec);
    arb_zero(H);
    arb_zero(H + 1);
    for (slong j = 0; j < n; j++) {
        tu_dual_log(t, s + 2 * j, prec);
        tu_dual_mul(t, t, s + 2 * j, prec);
        tu_dual_sub(H, H, t, prec);
    }
    arb_clear(t);
    arb_clear(t + 1);
    _arb_vec_clear(s, 2 * n);
}

/* Duals from points: value x[i], derivative dir[i] (dir may be NULL: the
 * k-th unit vector, k >= 0). */
static inline void tu_dual_vec_set(arb_ptr xd, arb_srcptr x, arb_srcptr dir, slong k, slong len)
{
    for (slong i = 0; i < len; i++) {
        arb_set(xd + 2 * i, x + i);
        if (dir != NULL)
            arb_set(xd + 2 * i + 1, dir + i);
        else if (i == k)
            arb_one(xd + 2 * i + 1);
        else
            arb_zero(xd + 2 * i + 1);
    }
}

/* ---- Check boilerplate ---------------------------------------------------- */

static inline TCase *tu_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 300);  /* slow machines, sanitizers */
    suite_add_tcase(s, tc);
    return tc;
}

static inline int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    flint_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Independent references for the tests: s_j = exp(a_j) / Σ_k exp(a_k),
 * without the library's shift. */
static inline void indep_softmax(arb_ptr s, arb_srcptr a, slong n, slong prec)
{
    arb_t sum;
    arb_init(sum);
    for (slong j = 0; j < n; j++) {
        arb_exp(s + j, a + j, prec);
        arb_add(sum, sum, s + j, prec);
    }
    for (slong j = 0; j < n; j++)
        arb_div(s + j, s + j, sum, prec);
    arb_clear(sum);
}

/* res = (diag(s) − s sᵀ) w, as a matrix product. res may not alias w. */
static inline void indep_cmat_apply(arb_ptr res, arb_srcptr s, arb_srcptr w, slong n, slong prec)
{
    arb_t c;
    arb_init(c);
    for (slong j = 0; j < n; j++) {
        arb_zero(res + j);
        for (slong k = 0; k < n; k++) {
            arb_mul(c, s + j, s + k, prec);
            arb_neg(c, c);
            if (j == k)
                arb_add(c, c, s + j, prec);
            arb_addmul(res + j, c, w + k, prec);
        }
    }
    arb_clear(c);
}

/* Tapes of the exact test systems shared by t-taylor and t-flow:
 * x' = A x for a rational n x n matrix A, and the rotation x' = −y, y' = x. */
static inline void tu_linear_tape(pc_tape_t t, const fmpq_mat_t A)
{
    const slong n = fmpq_mat_nrows(A);
    slong *row = flint_malloc(sizeof(slong) * n), *var = flint_malloc(sizeof(slong) * n);
    pc_tape_init(t, n);
    for (slong j = 0; j < n; j++)
        var[j] = j;
    for (slong i = 0; i < n; i++) {
        for (slong j = 0; j < n; j++)
            row[j] = pc_tape_const_fmpq(t, fmpq_mat_entry(A, i, j));
        pc_tape_set_output(t, i, pc_tape_dot(t, row, var, n));
    }
    flint_free(row);
    flint_free(var);
    ck_assert_int_eq(pc_tape_check(t), PC_OK);
}

static inline void tu_rotation_tape(pc_tape_t t)
{
    pc_tape_init(t, 2);
    pc_tape_set_output(t, 0, pc_tape_neg(t, 1));
    pc_tape_set_output(t, 1, 0);
    ck_assert_int_eq(pc_tape_check(t), PC_OK);
}

#endif
