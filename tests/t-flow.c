/* Tests of the rigorous integrator (pc_flow.h), every check a CONTAINMENT
 * of an exact solution (closed form at 4x the precision) in an enclosure:
 *  (a) linear x' = A x, A a random rational matrix (exact solution by
 *      arb_mat_exp), precisions 64, 128, 256 and several horizons: the
 *      final enclosure (pc_flow_eval at T and the last step's end), and for
 *      every 10th step the range, the end and pc_flow_eval at exact inner
 *      times;
 *  (b) the logistic equation, (c) a rotation over several periods;
 *  (d) a box of initial data: the exact solutions from sampled exact points
 *      of the box must be inside;
 *  (e) the test hook drop_remainder makes such a check FAIL (the tests see
 *      a missing error term), while the normal run passes it;
 *  (f) the value-softmax systems of tests/cases: two precisions nest, the
 *      conserved Σ a_j stays in every step's range, the loss decreases;
 *  (g) a box problem against point problems from inside the box;
 *  (h) error handling, cancellation and continuation; blow-ups (of the
 *      solution, or of a wrapping enclosure) must end in PC_ERR_PRECISION
 *      with no step of length 0 (the integrator used to accept h = 0 and
 *      stall until max_steps);
 *  (i) stop times: steps land exactly on dyadic stops;
 *  a random stress test over five fields (linear, logistic, rotation, a
 *  nonlinear twist, a triangular system with an exp-of-exp solution),
 *  precisions 30..300, random orders, Jacobian orders and precisions, start
 *  times, horizons, boxes and set representations (PC_FLOW_STRESS=N runs N
 *  cases instead of 60). */
#include "testutil.h"
#include <flint/fmpq_mat.h>
#include "pc_flow.h"
#include "pc_system.h"
#include "pc_tape_tan.h"

#define FILE_NAME "t-flow"

/* ---- fields and their exact solutions --------------------------------------------- */

/* An exact solution: x = x(t; x0) at precision hp (x0 exact or a tiny ball). */
typedef void (*exact_fn)(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp);

/* x' = A x */
typedef struct {
    slong n;
    fmpq_mat_struct *A;
} linear_ctx;

/* x(t) = exp(A t) x0 */
static void linear_exact(arb_ptr x, const void *vctx, arb_srcptr x0, const arb_t t, slong hp)
{
    const linear_ctx *c = vctx;
    const slong n = c->n;
    arb_mat_t M, E;
    arb_mat_init(M, n, n);
    arb_mat_init(E, n, n);
    arb_mat_set_fmpq_mat(M, c->A, hp);
    arb_mat_scalar_mul_arb(M, M, t, hp);
    arb_mat_exp(E, M, hp);
    for (slong i = 0; i < n; i++)
        arb_dot(x + i, NULL, 0, arb_mat_entry(E, i, 0), 1, x0, 1, n, hp);
    arb_mat_clear(M);
    arb_mat_clear(E);
}

/* x' = x (1 − x) */
static void logistic_tape(pc_tape_t t)
{
    pc_tape_init(t, 1);
    slong one = pc_tape_const_si(t, 1);
    pc_tape_set_output(t, 0, pc_tape_mul(t, 0, pc_tape_sub(t, one, 0)));
}

/* x(t) = x0 e^t / (1 − x0 + x0 e^t) */
static void logistic_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t e, d;
    (void) ctx;
    arb_init(e);
    arb_init(d);
    arb_exp(e, t, hp);
    arb_mul(e, e, x0, hp);
    arb_sub_ui(d, x0, 1, hp);
    arb_sub(d, e, d, hp);
    arb_div(x, e, d, hp);
    arb_clear(e);
    arb_clear(d);
}

static void rotation_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t s, c, u;
    (void) ctx;
    arb_init(s);
    arb_init(c);
    arb_init(u);
    arb_sin_cos(s, c, t, hp);
    arb_mul(u, x0 + 1, s, hp);
    arb_mul(x + 1, x0 + 1, c, hp);
    arb_addmul(x + 1, x0, s, hp);
    arb_mul(x, x0, c, hp);
    arb_sub(x, x, u, hp);
    arb_clear(s);
    arb_clear(c);
    arb_clear(u);
}

/* The twist x' = −r y, y' = r x, r = x² + y² (conserved): a nonlinear
 * rotation whose angular speed depends on the amplitude, so that boxes
 * shear. */
static void twist_tape(pc_tape_t t)
{
    pc_tape_init(t, 2);
    slong v[2] = { 0, 1 };
    slong r = pc_tape_dot(t, v, v, 2);
    pc_tape_set_output(t, 0, pc_tape_neg(t, pc_tape_mul(t, r, 1)));
    pc_tape_set_output(t, 1, pc_tape_mul(t, r, 0));
}

static void twist_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t w;
    arb_init(w);
    arb_sqr(w, x0, hp);
    arb_addmul(w, x0 + 1, x0 + 1, hp);
    arb_mul(w, w, t, hp);
    rotation_exact(x, ctx, x0, w, hp);
    arb_clear(w);
}

/* x' = −x/2, y' = x y: y = y0 exp(2 x0 (1 − e^{−t/2})). */
static void triangular_tape(pc_tape_t t)
{
    fmpq_t c;
    fmpq_init(c);
    fmpq_set_si(c, -1, 2);
    pc_tape_init(t, 2);
    pc_tape_set_output(t, 0, pc_tape_mul(t, pc_tape_const_fmpq(t, c), 0));
    pc_tape_set_output(t, 1, pc_tape_mul(t, 0, 1));
    fmpq_clear(c);
}

static void triangular_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t e, g;
    (void) ctx;
    arb_init(e);
    arb_init(g);
    arb_mul_2exp_si(e, t, -1);
    arb_neg(e, e);
    arb_exp(e, e, hp);                  /* e^{−t/2} */
    arb_mul(x, x0, e, hp);
    arb_sub_ui(g, e, 1, hp);
    arb_mul(g, g, x0, hp);
    arb_mul_2exp_si(g, g, 1);
    arb_neg(g, g);
    arb_exp(g, g, hp);
    arb_mul(x + 1, x0 + 1, g, hp);
    arb_clear(e);
    arb_clear(g);
}

/* x' = x², blowing up at t = 1/x0 */
static void square_blowup_tape(pc_tape_t t)
{
    pc_tape_init(t, 1);
    pc_tape_set_output(t, 0, pc_tape_mul(t, 0, 0));
}

static void square_blowup_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t d;
    (void) ctx;
    arb_init(d);
    arb_mul(d, x0, t, hp);
    arb_sub_ui(d, d, 1, hp);
    arb_neg(d, d);
    arb_div(x, x0, d, hp);
    arb_clear(d);
}

/* ---- the checker ------------------------------------------------------------------- */

/* Compares the flow F (started at t_start from a set containing the points
 * pts[0..npts), dim each, exact or tiny balls at hp) with the exact solution
 * from each point: at the end time (pc_flow_eval and the last step's end),
 * and for every 10th step (and the last) the step's end, and at three exact
 * times inside the step pc_flow_eval, pc_flow_step_eval and the step's
 * range. Returns the number of failed containments; prints the first few
 * (quiet = 0). */
static long flow_check(const pc_flow_t F, exact_fn ex, const void *ctx, arb_srcptr pts,
                       slong npts, slong hp, int quiet, const char *what)
{
    const slong dim = F->dim, prec = F->opts.prec;
    arb_ptr x = _arb_vec_init(dim), y = _arb_vec_init(dim);
    arb_t t, tau, dt;
    long fails = 0;
    arb_init(t);
    arb_init(tau);
    arb_init(dt);

#define FC_CHECK(encl, exact, ...)                                                \
    do {                                                                          \
        tu_checks++;                                                              \
        if (!tu_contains(encl, exact)) {                                          \
            if (!quiet && fails < 3) {                                            \
                fprintf(stderr, "%s: ", what);                                    \
                fprintf(stderr, __VA_ARGS__);                                     \
                fputc('\n', stderr);                                              \
                tu_print_arb("enclosure", encl);                                  \
                tu_print_arb("exact", exact);                                     \
            }                                                                     \
            fails++;                                                              \
        }                                                                         \
    } while (0)

    TU_ASSERT(F->nsteps > 0, "%s: no steps", what);
    for (slong p = 0; p < npts; p++) {
        arb_srcptr x0 = pts + p * dim;
        /* the final time */
        pc_flow_t_end(t, F);
        arb_sub(dt, t, F->t_start, ARF_PREC_EXACT);
        TU_ASSERT(pc_flow_eval(x, F, t, prec) == PC_OK, "%s: eval at the end time", what);
        ex(y, ctx, x0, dt, hp);
        for (slong i = 0; i < dim; i++) {
            FC_CHECK(x + i, y + i, "final enclosure, component %ld, point %ld", (long) i, (long) p);
            FC_CHECK(F->step[F->nsteps - 1].end + i, y + i, "last step's end, component %ld", (long) i);
        }
        for (slong k = 0; k < F->nsteps; k++) {
            const pc_flow_step_struct *s = F->step + k;
            if (k % 10 != 0 && k != F->nsteps - 1)
                continue;
            if (arb_is_zero(s->h))          /* (a stall, see test_flow_blowup) */
                continue;
            /* (h = 0 is a stalled integrator, not a wrong enclosure: test_flow_blowup) */
            TU_ASSERT(arb_is_exact(s->t0) && arb_is_exact(s->h) && arb_is_nonnegative(s->h),
                      "%s: step %ld: times not exact or h < 0", what, (long) k);
            /* the end */
            arb_add(t, s->t0, s->h, ARF_PREC_EXACT);
            arb_sub(dt, t, F->t_start, ARF_PREC_EXACT);
            ex(y, ctx, x0, dt, hp);
            for (slong i = 0; i < dim; i++)
                FC_CHECK(s->end + i, y + i, "step %ld end, component %ld", (long) k, (long) i);
            /* three exact inner times: h/4, h/2 and a random dyadic fraction */
            for (int j = 0; j < 3; j++) {
                if (j == 0)
                    arb_mul_2exp_si(tau, s->h, -2);
                else if (j == 1)
                    arb_mul_2exp_si(tau, s->h, -1);
                else {
                    arb_mul_ui(tau, s->h, 1 + (ulong) ((k * 7919 + p * 104729) % 1023), ARF_PREC_EXACT);
                    arb_mul_2exp_si(tau, tau, -10);
                }
                arb_add(t, s->t0, tau, ARF_PREC_EXACT);
                arb_sub(dt, t, F->t_start, ARF_PREC_EXACT);
                ex(y, ctx, x0, dt, hp);
                TU_ASSERT(pc_flow_eval(x, F, t, prec) == PC_OK, "%s: eval inside step %ld", what, (long) k);
                for (slong i = 0; i < dim; i++) {
                    FC_CHECK(x + i, y + i, "step %ld, eval at t0 + tau (j = %d), component %ld",
                             (long) k, j, (long) i);
                    FC_CHECK(s->range + i, y + i, "step %ld range at an inner time, component %ld",
                             (long) k, (long) i);
                }
                pc_flow_step_eval(x, s, dim, tau, prec);
                for (slong i = 0; i < dim; i++)
                    FC_CHECK(x + i, y + i, "step %ld, step_eval (j = %d), component %ld",
                             (long) k, j, (long) i);
            }
        }
    }
#undef FC_CHECK
    _arb_vec_clear(x, dim);
    _arb_vec_clear(y, dim);
    arb_clear(t);
    arb_clear(tau);
    arb_clear(dt);
    return fails;
}

/* Integrates x' = f (one tape) from t_start over [t_start, T]; returns the
 * status. */
static int run_flow(pc_flow_t F, const pc_tape_t tape, arb_srcptr x0, const arb_t t_start,
                    const arb_t T, const pc_flow_opts *o)
{
    pc_error_t err;
    pc_flow_init(F, pc_flow_single_tape, (void *) tape, tape->nvars, t_start, x0, o);
    int st = pc_flow_integrate(F, T, NULL, 0, err);
    if (st != PC_OK)
        fprintf(stderr, "  pc_flow_integrate: %s: %s\n", pc_status_str(st), err->msg);
    return st;
}

/* T = num / 2^e as an exact ball */
static void set_dyadic(arb_t T, slong num, slong e)
{
    arb_set_si(T, num);
    arb_mul_2exp_si(T, T, -e);
}

/* A random rational matrix with entries |A_ij| <= 1 (denominators <= 8)
 * and a random diagonal shift in [−1/2, 1/2], so that the horizons below
 * give moderate growth. */
static void random_matrix(fmpq_mat_t A, flint_rand_t st)
{
    fmpq_t s;
    fmpq_init(s);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++)
            tu_randq(fmpq_mat_entry(A, i, j), st, 1, 8);
    fmpq_set_si(s, (slong) n_randint(st, 5) - 2, 4);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        fmpq_sub(fmpq_mat_entry(A, i, i), fmpq_mat_entry(A, i, i), s);
    fmpq_clear(s);
}

/* ---- (a) linear systems ---------------------------------------------------------------- */

START_TEST(test_flow_linear)
{
    flint_rand_t st;
    tu_rand_init(st, 501);
    static const slong precs[3] = { 64, 128, 256 };
    static const slong horizons[3][2] = { { 1, 1 }, { 3, 0 }, { 8, 0 } };  /* 1/2, 3, 8 */
    long total_steps = 0;
    for (int ip = 0; ip < 3; ip++) {
        for (int ih = 0; ih < 3; ih++) {
            for (int rep = 0; rep < 2; rep++) {
                const slong prec = precs[ip], hp = 4 * prec + 64, n = 3 + rep;
                fmpq_mat_t A;
                fmpq *x0q = _fmpq_vec_init(n);
                arb_ptr x0 = _arb_vec_init(n), xh = _arb_vec_init(n);
                arb_t T, t0;
                pc_tape_t tape;
                pc_flow_t F;
                pc_flow_opts o;
                linear_ctx ctx;
                char what[96];
                arb_init(T);
                arb_init(t0);
                fmpq_mat_init(A, n, n);
                random_matrix(A, st);
                ctx.n = n;
                ctx.A = A;
                tu_linear_tape(tape, A);
                tu_randq_vec(x0q, n, st, 3, 12);
                tu_arb_vec_set_fmpq(x0, x0q, n, prec);
                tu_arb_vec_set_fmpq(xh, x0q, n, hp);
                set_dyadic(T, horizons[ih][0], horizons[ih][1]);
                pc_flow_opts_default(&o, prec);
                if (rep == 1)       /* an explicit order, about prec/5 */
                    o.order = prec / 5 + (slong) n_randint(st, 8);
                snprintf(what, sizeof what, "linear %ldx%ld, prec %ld, T %g, order %ld (0: auto)",
                         (long) n, (long) n, (long) prec, arf_get_d(arb_midref(T), ARF_RND_NEAR),
                         (long) o.order);
                TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
                total_steps += F->nsteps;
                if (getenv("PC_FLOW_VERBOSE")) printf("  %s: %ld steps\n", what, (long) F->nsteps);
                long fails = flow_check(F, linear_exact, &ctx, xh, 1, hp, 0, what);
                TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
                /* accurate: the final enclosure is much tighter than the solution */
                {
                    arb_ptr y = _arb_vec_init(n);
                    pc_flow_eval(y, F, T, prec);
                    for (slong i = 0; i < n; i++)
                        TU_ACCURATE(y + i, prec / 2, "%s: final enclosure too wide", what);
                    _arb_vec_clear(y, n);
                }
                pc_flow_clear(F);
                pc_tape_clear(tape);
                fmpq_mat_clear(A);
                _fmpq_vec_clear(x0q, n);
                _arb_vec_clear(x0, n);
                _arb_vec_clear(xh, n);
                arb_clear(T);
                arb_clear(t0);
            }
        }
    }
    printf("%s: flow_linear: %ld steps checked\n", FILE_NAME, total_steps);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_linear");
}
END_TEST

/* ---- (b) logistic, (c) rotation ------------------------------------------------------------ */

START_TEST(test_flow_logistic)
{
    flint_rand_t st;
    tu_rand_init(st, 502);
    static const slong precs[4] = { 53, 64, 128, 256 };
    fmpq_t q;
    fmpq_init(q);
    for (int ip = 0; ip < 4; ip++) {
        for (int rep = 0; rep < 4; rep++) {
            const slong prec = precs[ip], hp = 4 * prec + 64;
            arb_t T, t0;
            arb_ptr x0 = _arb_vec_init(1), xh = _arb_vec_init(1);
            pc_tape_t tape;
            pc_flow_t F;
            pc_flow_opts o;
            char what[96];
            arb_init(T);
            arb_init(t0);
            logistic_tape(tape);
            /* x0 in (0, 1), above 1, or tiny */
            switch (rep) {
            case 0: fmpq_set_si(q, 1 + (slong) n_randint(st, 99), 100); break;
            case 1: fmpq_set_si(q, 101 + (slong) n_randint(st, 200), 100); break;
            case 2: fmpq_set_si(q, 1, 1000000); break;
            default: fmpq_set_si(q, 1 + (slong) n_randint(st, 9), 10); break;
            }
            arb_set_fmpq(x0, q, prec);
            arb_set_fmpq(xh, q, hp);
            set_dyadic(T, rep == 3 ? 40 : 10, 0);
            pc_flow_opts_default(&o, prec);
            if (rep == 3 && prec <= 64)
                o.order = 10;
            snprintf(what, sizeof what, "logistic, prec %ld, rep %d", (long) prec, rep);
            TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
            long fails = flow_check(F, logistic_exact, NULL, xh, 1, hp, 0, what);
            TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
            pc_flow_clear(F);
            pc_tape_clear(tape);
            _arb_vec_clear(x0, 1);
            _arb_vec_clear(xh, 1);
            arb_clear(T);
            arb_clear(t0);
        }
    }
    fmpq_clear(q);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_logistic");
}
END_TEST

START_TEST(test_flow_rotation)
{
    flint_rand_t st;
    tu_rand_init(st, 503);
    static const slong precs[3] = { 64, 128, 256 };
    /* 2, 20 (~3 periods) and 64 (~10 periods) */
    static const slong horizons[3] = { 2, 20, 64 };
    for (int ip = 0; ip < 3; ip++) {
        for (int ih = 0; ih < 3; ih++) {
            const slong prec = precs[ip], hp = 4 * prec + 64;
            fmpq *x0q = _fmpq_vec_init(2);
            arb_ptr x0 = _arb_vec_init(2), xh = _arb_vec_init(2), y = _arb_vec_init(2);
            arb_t T, t0, r2;
            pc_tape_t tape;
            pc_flow_t F;
            pc_flow_opts o;
            char what[96];
            arb_init(T);
            arb_init(t0);
            arb_init(r2);
            tu_rotation_tape(tape);
            tu_randq_vec(x0q, 2, st, 3, 12);
            tu_arb_vec_set_fmpq(x0, x0q, 2, prec);
            tu_arb_vec_set_fmpq(xh, x0q, 2, hp);
            arb_set_si(T, horizons[ih]);
            pc_flow_opts_default(&o, prec);
            snprintf(what, sizeof what, "rotation, prec %ld, T %ld", (long) prec, (long) horizons[ih]);
            TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
            long fails = flow_check(F, rotation_exact, NULL, xh, 1, hp, 0, what);
            TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
            /* the conserved x² + y² */
            pc_flow_eval(y, F, T, prec);
            arb_sqr(r2, y, prec);
            arb_addmul(r2, y + 1, y + 1, prec);
            {
                fmpq_t e;
                fmpq_init(e);
                fmpq_mul(e, x0q, x0q);
                fmpq_addmul(e, x0q + 1, x0q + 1);
                TU_CONTAINS_FMPQ(r2, e, "%s: x^2 + y^2 not conserved", what);
                fmpq_clear(e);
            }
            TU_ACCURATE(y, prec / 2, "%s: final enclosure too wide", what);
            pc_flow_clear(F);
            pc_tape_clear(tape);
            _fmpq_vec_clear(x0q, 2);
            _arb_vec_clear(x0, 2);
            _arb_vec_clear(xh, 2);
            _arb_vec_clear(y, 2);
            arb_clear(T);
            arb_clear(t0);
            arb_clear(r2);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_rotation");
}
END_TEST

/* ---- (d) boxes of initial data ----------------------------------------------------------- */

/* npts exact points of the box x (dim balls): the corners (all +, all −,
 * alternating), the centre, then random points. */
static void box_points(arb_ptr pts, slong npts, arb_srcptr x, slong dim, flint_rand_t st)
{
    for (slong p = 0; p < npts; p++)
        for (slong i = 0; i < dim; i++) {
            arb_ptr q = pts + p * dim + i;
            arf_t r;
            arf_init(r);
            arf_set_mag(r, arb_radref(x + i));
            switch (p) {
            case 0: break;
            case 1: arf_neg(r, r); break;
            case 2: if (i % 2) arf_neg(r, r); break;
            case 3: arf_zero(r); break;
            default:
                if (n_randint(st, 3) == 0) {
                    if (n_randint(st, 2))
                        arf_neg(r, r);
                } else {
                    arf_mul_si(r, r, (slong) n_randint(st, 2049) - 1024, ARF_PREC_EXACT, ARF_RND_DOWN);
                    arf_mul_2exp_si(r, r, -10);
                }
                break;
            }
            arf_add(arb_midref(q), arb_midref(x + i), r, ARF_PREC_EXACT, ARF_RND_DOWN);
            mag_zero(arb_radref(q));
            arf_clear(r);
        }
}

START_TEST(test_flow_box)
{
    flint_rand_t st;
    tu_rand_init(st, 504);
    const slong npts = 8;
    for (int iter = 0; iter < 12; iter++) {
        const slong prec = iter % 3 == 0 ? 64 : (iter % 3 == 1 ? 128 : 53);
        const slong hp = 4 * prec + 64, n = 3 + iter % 2;
        /* radius 1e-6 (mostly), tiny, and large */
        const double rad = iter < 8 ? 1e-6 : (iter < 10 ? 1e-25 : 1e-2);
        const pc_flow_set set = iter % 4 == 3 ? PC_FLOW_SET_INTERVAL
                                : iter % 4 == 2 ? PC_FLOW_SET_MEANVALUE
                                : iter % 4 == 1 ? PC_FLOW_SET_C2 : PC_FLOW_SET_LOHNER;
        fmpq_mat_t A;
        arb_ptr x0 = _arb_vec_init(n), pts = _arb_vec_init(npts * n);
        arb_t T, t0;
        pc_tape_t tape;
        pc_flow_t F;
        pc_flow_opts o;
        linear_ctx ctx;
        char what[128];
        arb_init(T);
        arb_init(t0);
        fmpq_mat_init(A, n, n);
        random_matrix(A, st);
        ctx.n = n;
        ctx.A = A;
        tu_linear_tape(tape, A);
        for (slong i = 0; i < n; i++) {
            fmpq_t q;
            fmpq_init(q);
            tu_randq(q, st, 3, 12);
            arb_set_fmpq(x0 + i, q, prec);
            arb_get_mid_arb(x0 + i, x0 + i);
            mag_set_d(arb_radref(x0 + i), rad);
            fmpq_clear(q);
        }
        box_points(pts, npts, x0, n, st);
        set_dyadic(T, 1 + (slong) n_randint(st, 16), 2);
        pc_flow_opts_default(&o, prec);
        o.set = set;
        snprintf(what, sizeof what, "linear box %ldx%ld, radius %g, prec %ld, %s", (long) n, (long) n,
                 rad, (long) prec, pc_flow_set_name(set));
        TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
        long fails = flow_check(F, linear_exact, &ctx, pts, npts, hp, 0, what);
        TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
        pc_flow_clear(F);
        pc_tape_clear(tape);
        fmpq_mat_clear(A);
        _arb_vec_clear(x0, n);
        _arb_vec_clear(pts, npts * n);
        arb_clear(T);
        arb_clear(t0);
    }
    /* a nonlinear box: the logistic equation and a rotation, with boxes
     * from tiny to wide */
    for (int iter = 0; iter < 12; iter++) {
        const slong prec = iter % 2 ? 64 : 128, hp = 4 * prec + 64;
        const int rot = iter >= 6;
        const slong dim = rot ? 2 : 1;
        const double rad = (iter % 3 == 0) ? 1e-12 : (iter % 3 == 1 ? 1e-4 : 1e-2);
        arb_ptr x0 = _arb_vec_init(dim), pts = _arb_vec_init(npts * dim);
        arb_t T, t0;
        pc_tape_t tape;
        pc_flow_t F;
        pc_flow_opts o;
        char what[128];
        arb_init(T);
        arb_init(t0);
        if (rot)
            tu_rotation_tape(tape);
        else
            logistic_tape(tape);
        for (slong i = 0; i < dim; i++) {
            arb_set_ui(x0 + i, 1 + n_randint(st, 15));
            arb_mul_2exp_si(x0 + i, x0 + i, -4);
            mag_set_d(arb_radref(x0 + i), rad);
        }
        box_points(pts, npts, x0, dim, st);
        arb_set_si(T, rot ? 13 : 6);
        pc_flow_opts_default(&o, prec);
        snprintf(what, sizeof what, "%s box, radius %g, prec %ld", rot ? "rotation" : "logistic",
                 rad, (long) prec);
        TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
        long fails = flow_check(F, rot ? rotation_exact : logistic_exact, NULL, pts, npts, hp, 0, what);
        TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
        pc_flow_clear(F);
        pc_tape_clear(tape);
        _arb_vec_clear(x0, dim);
        _arb_vec_clear(pts, npts * dim);
        arb_clear(T);
        arb_clear(t0);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_box");
}
END_TEST

/* ---- random stress: every family, precisions from 30 to 300 bits, random
 * orders, start times, horizons, boxes and set representations ------------------ */

START_TEST(test_flow_stress)
{
    flint_rand_t st;
    tu_rand_init(st, 508);
    const int iters = getenv("PC_FLOW_STRESS") ? atoi(getenv("PC_FLOW_STRESS")) : 60;
    long done = 0, refused = 0;
    for (int iter = 0; iter < iters; iter++) {
        /* linear, logistic, rotation, twist, triangular */
        const int fam = (int) n_randint(st, 5);
        const slong prec = 30 + (slong) n_randint(st, 271), hp = 4 * prec + 64;
        const slong n = fam == 0 ? 2 + (slong) n_randint(st, 4) : (fam == 1 ? 1 : 2);
        static const exact_fn exact[5] = {
            linear_exact, logistic_exact, rotation_exact, twist_exact, triangular_exact
        };
        const slong npts = 4;
        fmpq_mat_t A;
        arb_ptr x0 = _arb_vec_init(n), pts = _arb_vec_init(npts * n);
        arb_t T, t0;
        pc_tape_t tape;
        pc_flow_t F;
        pc_flow_opts o;
        pc_error_t err;
        linear_ctx ctx;
        char what[160];
        arb_init(T);
        arb_init(t0);
        fmpq_mat_init(A, n, n);
        if (fam == 0) {
            random_matrix(A, st);
            ctx.n = n;
            ctx.A = A;
            tu_linear_tape(tape, A);
        } else if (fam == 1)
            logistic_tape(tape);
        else if (fam == 2)
            tu_rotation_tape(tape);
        else if (fam == 3)
            twist_tape(tape);
        else
            triangular_tape(tape);
        double rad = 0;
        switch (n_randint(st, 4)) {
        case 0: rad = 0; break;
        case 1: rad = ldexp(1, -(int) (prec / 2)); break;
        case 2: rad = ldexp(1 + n_randint(st, 1000), -(int) (20 + n_randint(st, 40))); break;
        default: rad = ldexp(1, -(int) (4 + n_randint(st, 12))); break;
        }
        for (slong i = 0; i < n; i++) {
            fmpq_t q;
            fmpq_init(q);
            if (fam == 1)
                fmpq_set_si(q, 1 + (slong) n_randint(st, 199), 100);
            else if (fam == 3)              /* amplitude <= 3/2: speed <= 9/4 */
                tu_randq(q, st, 1, 12);
            else
                tu_randq(q, st, 3, 12);
            arb_set_fmpq(x0 + i, q, prec);
            if (rad > 0) {
                arb_get_mid_arb(x0 + i, x0 + i);
                mag_set_d(arb_radref(x0 + i), rad);
            } else {
                for (slong p = 0; p < npts; p++)        /* the exact rational, at hp */
                    arb_set_fmpq(pts + p * n + i, q, hp);
            }
            fmpq_clear(q);
        }
        if (rad > 0)
            box_points(pts, npts, x0, n, st);
        /* t_start: 0, a small dyadic, or a large one */
        switch (n_randint(st, 3)) {
        case 0: arb_zero(t0); break;
        case 1: set_dyadic(t0, (slong) n_randint(st, 200) - 100, 5); break;
        default: set_dyadic(t0, 1 + (slong) n_randint(st, 1000), -20); break;
        }
        set_dyadic(T, 1 + (slong) n_randint(st, fam == 2 ? 400 : (fam == 4 ? 40 : 80)), 3);
        arb_add(T, T, t0, ARF_PREC_EXACT);
        pc_flow_opts_default(&o, prec);
        if (n_randint(st, 2))
            o.order = prec / 5 + (slong) n_randint(st, 10);
        if (n_randint(st, 4) == 0)
            o.jac_order = 1 + (slong) n_randint(st, 10);
        if (n_randint(st, 4) == 0)
            o.jac_prec = 2 + (slong) n_randint(st, 128);
        o.set = n_randint(st, 4) == 0 ? PC_FLOW_SET_INTERVAL
                : n_randint(st, 3) == 0 ? PC_FLOW_SET_MEANVALUE : PC_FLOW_SET_LOHNER;
        o.max_steps = 3000;
        snprintf(what, sizeof what, "stress %d: fam %d, n %ld, prec %ld, order %ld, jac %ld/%ld, set %d, "
                 "radius %g, t0 %g, T %g", iter, fam, (long) n, (long) prec, (long) o.order,
                 (long) o.jac_order, (long) o.jac_prec, (int) o.set, rad,
                 arf_get_d(arb_midref(t0), ARF_RND_NEAR), arf_get_d(arb_midref(T), ARF_RND_NEAR));
        pc_flow_init(F, pc_flow_single_tape, tape, n, t0, x0, &o);
        int status = pc_flow_integrate(F, T, NULL, 0, err);
        if (status != PC_OK) {
            refused++;
            TU_ASSERT(status == PC_ERR_PRECISION || status == PC_ERR_LIMIT, "%s: status %d", what, status);
        }
        if (F->nsteps > 0) {
            long fails = flow_check(F, exact[fam], &ctx, pts, npts, hp, 0, what);
            TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
            done++;
        }
        if (getenv("PC_FLOW_VERBOSE"))
            printf("  %s: status %d, %ld steps\n", what, status, (long) F->nsteps);
        pc_flow_clear(F);
        pc_tape_clear(tape);
        fmpq_mat_clear(A);
        _arb_vec_clear(x0, n);
        _arb_vec_clear(pts, npts * n);
        arb_clear(T);
        arb_clear(t0);
    }
    printf("%s: flow_stress: %ld runs checked, %ld refused (precision or step limit)\n",
           FILE_NAME, done, refused);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_stress");
}
END_TEST

/* ---- (e) the test hook: without the remainder the checks must fail ----------------------- */

/* The step control bounds the remainder by 2^-prec max(1, |x|): for a
 * solution with |x| << 1 (here the logistic equation from x0 = 10^-9, at
 * order 6 and 64 bits) the steps are then long and the truncation error per
 * step is far above the rounding error, so the enclosures without the
 * Lagrange remainder miss the exact solution. */
START_TEST(test_flow_drop_remainder_caught)
{
    static const slong dens[3] = { 1000000000, 100000000, 1000000 };
    long caught = 0;
    for (int c = 0; c < 3; c++) {
        for (int drop = 0; drop < 2; drop++) {
            const slong prec = 64, hp = 4 * prec + 64;
            arb_t T, t0;
            arb_ptr x0 = _arb_vec_init(1), xh = _arb_vec_init(1), y = _arb_vec_init(1), ex = _arb_vec_init(1);
            pc_tape_t tape;
            pc_flow_t F;
            pc_flow_opts o;
            fmpq_t q;
            char what[96];
            fmpq_init(q);
            arb_init(T);
            arb_init(t0);
            logistic_tape(tape);
            fmpq_set_si(q, 1, dens[c]);
            arb_set_fmpq(x0, q, prec);
            arb_set_fmpq(xh, q, hp);
            arb_set_si(T, 2 + 4 * c);
            pc_flow_opts_default(&o, prec);
            o.order = 6;
            o.drop_remainder = drop;
            snprintf(what, sizeof what, "logistic x0 = 1/%ld, order 6, prec 64, drop_remainder %d",
                     (long) dens[c], drop);
            TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
            pc_flow_eval(y, F, T, prec);
            logistic_exact(ex, NULL, xh, T, hp);
            int final_ok = arb_contains(y, ex);
            long fails = flow_check(F, logistic_exact, NULL, xh, 1, hp, 1, what);
            if (drop == 0) {
                TU_ASSERT(final_ok, "%s: the normal run misses the exact value", what);
                TU_ASSERT(fails == 0, "%s: %ld containment failures in the normal run", what, fails);
            } else {
                printf("%s: %s: final contains exact: %d, failed checks: %ld\n", FILE_NAME, what,
                       final_ok, fails);
                TU_ASSERT(!final_ok, "%s: without the remainder the final enclosure still contains "
                          "the exact value: the test would not catch a missing error term", what);
                TU_ASSERT(fails > 0, "%s: no containment check failed without the remainder", what);
                caught += fails > 0;
            }
            pc_flow_clear(F);
            pc_tape_clear(tape);
            _arb_vec_clear(x0, 1);
            _arb_vec_clear(xh, 1);
            _arb_vec_clear(y, 1);
            _arb_vec_clear(ex, 1);
            arb_clear(T);
            arb_clear(t0);
            fmpq_clear(q);
        }
    }
    TU_ASSERT(caught == 3, "drop_remainder caught in %ld of 3 setups", caught);
    tu_done(FILE_NAME, "flow_drop_remainder_caught");
}
END_TEST

/* ---- (f), (g) the value-softmax systems --------------------------------------------------- */

static void load_case(pc_problem_t p, const char *name)
{
    const char *dir = getenv("PC_CASES");
    char path[4096];
    pc_error_t err;
    snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "tests/cases", name);
    pc_problem_init(p);
    int st = pc_problem_load_file(p, path, err);
    if (st != PC_OK)
        ck_abort_msg("cannot load %s: %s", path, err->msg);
}

/* The initial state of system `kind` for the problem p (a box if p is). */
static void system_x0(arb_ptr x0, pc_system_kind kind, const pc_problem_t p, slong prec)
{
    const slong full = p->d * p->n + p->n;
    arb_ptr x = _arb_vec_init(full);
    pc_state_arb_from_problem(x, p, prec);
    if (kind == PC_SYSTEM_FULL)
        _arb_vec_set(x0, x, full);
    else {
        pc_model_arb_t m;
        tu_model_arb(m, p, prec);
        pc_reduced_from_full_arb(x0, m, x, prec);
        pc_model_arb_clear(m);
    }
    _arb_vec_clear(x, full);
}

/* Integrates system `kind` of p to T; returns the status. */
static int run_system(pc_flow_t F, pc_system_t S, const pc_problem_t p, pc_system_kind kind,
                      arb_srcptr x0, const arb_t T, const pc_flow_opts *o)
{
    arb_t t0;
    pc_error_t err;
    arb_init(t0);
    ck_assert_int_eq(pc_system_init(S, kind, p), PC_OK);
    pc_flow_init(F, pc_system_tape_for, S, S->dim, t0, x0, o);
    int st = pc_flow_integrate(F, T, NULL, 0, err);
    if (st != PC_OK)
        fprintf(stderr, "  pc_flow_integrate: %s: %s\n", pc_status_str(st), err->msg);
    arb_clear(t0);
    return st;
}

static void vec_sum(arb_t s, arb_srcptr v, slong len, slong prec)
{
    arb_zero(s);
    for (slong i = 0; i < len; i++)
        arb_add(s, s, v + i, prec);
}

/* Σ a_j over every step's range and end contains the exact initial Σ a_j. */
static void check_sum_a(const pc_flow_t F, const pc_problem_t p, pc_system_kind kind, const char *what)
{
    const slong ao = pc_system_a_offset(kind, p);
    fmpq_t s0;
    arb_t s;
    fmpq_init(s0);
    arb_init(s);
    for (slong j = 0; j < p->n; j++)
        fmpq_add(s0, s0, p->a + j);
    for (slong k = 0; k < F->nsteps; k++) {
        vec_sum(s, F->step[k].range + ao, p->n, F->opts.prec);
        TU_CONTAINS_FMPQ(s, s0, "%s: step %ld: sum of a over the range misses the conserved sum",
                         what, (long) k);
        vec_sum(s, F->step[k].end + ao, p->n, F->opts.prec);
        TU_CONTAINS_FMPQ(s, s0, "%s: step %ld: sum of a at the end misses the conserved sum",
                         what, (long) k);
    }
    fmpq_clear(s0);
    arb_clear(s);
}

START_TEST(test_flow_softmax_reduced)
{
    pc_problem_t p;
    load_case(p, "logistic-uniform-8.json");
    const slong dim = 2 * p->n;
    static const slong precs[2] = { 128, 320 }, orders[2] = { 30, 80 };
    arb_ptr y[2];
    arb_t T;
    arb_init(T);
    arb_set_si(T, 50);
    for (int r = 0; r < 2; r++) {
        pc_system_t S;
        pc_flow_t F;
        pc_flow_opts o;
        arb_ptr x0 = _arb_vec_init(dim);
        char what[96];
        y[r] = _arb_vec_init(dim);
        system_x0(x0, PC_SYSTEM_REDUCED, p, precs[r]);
        pc_flow_opts_default(&o, precs[r]);
        o.order = orders[r];
        snprintf(what, sizeof what, "logistic-uniform-8 reduced, prec %ld", (long) precs[r]);
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_REDUCED, x0, T, &o) == PC_OK, "%s: failed", what);
        TU_ASSERT(pc_flow_eval(y[r], F, T, precs[r]) == PC_OK, "%s: eval at T", what);
        for (slong i = 0; i < dim; i++)
            TU_ACCURATE(y[r] + i, precs[r] / 2, "%s: final enclosure too wide", what);
        check_sum_a(F, p, PC_SYSTEM_REDUCED, what);
        /* u' = ρ ‖β‖² s > 0: every u_j increases, step by step */
        for (slong k = 1; k < F->nsteps; k++)
            for (slong j = 0; j < p->n; j++)
                TU_ASSERT(arb_gt(F->step[k].end + j, F->step[k - 1].end + j) ||
                          arb_overlaps(F->step[k].end + j, F->step[k - 1].end + j),
                          "%s: u_%ld decreased", what, (long) j);
        printf("%s: %s: %ld steps\n", FILE_NAME, what, F->nsteps);
        pc_flow_clear(F);
        pc_system_clear(S);
        _arb_vec_clear(x0, dim);
    }
    for (slong i = 0; i < dim; i++) {
        TU_OVERLAPS(y[0] + i, y[1] + i, "reduced system: the 128- and 320-bit enclosures are "
                    "disjoint in component %ld", (long) i);
        TU_ASSERT(arb_contains(y[0] + i, y[1] + i), "reduced system: the 320-bit enclosure of "
                  "component %ld is not inside the 128-bit one", (long) i);
    }
    _arb_vec_clear(y[0], dim);
    _arb_vec_clear(y[1], dim);
    arb_clear(T);
    pc_problem_clear(p);
    tu_done(FILE_NAME, "flow_softmax_reduced");
}
END_TEST

START_TEST(test_flow_softmax_full)
{
    pc_problem_t p;
    load_case(p, "square-full-6.json");
    const slong dim = p->d * p->n + p->n;
    static const slong precs[2] = { 64, 128 }, orders[2] = { 19, 30 };
    arb_ptr y[2];
    arb_t T, L0, L1;
    arb_init(T);
    arb_init(L0);
    arb_init(L1);
    arb_set_si(T, 5);
    for (int r = 0; r < 2; r++) {
        pc_system_t S;
        pc_flow_t F;
        pc_flow_opts o;
        pc_model_arb_t m;
        arb_ptr x0 = _arb_vec_init(dim);
        char what[96];
        y[r] = _arb_vec_init(dim);
        system_x0(x0, PC_SYSTEM_FULL, p, precs[r]);
        pc_flow_opts_default(&o, precs[r]);
        o.order = orders[r];
        snprintf(what, sizeof what, "square-full-6 full, prec %ld", (long) precs[r]);
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_FULL, x0, T, &o) == PC_OK, "%s: failed", what);
        TU_ASSERT(pc_flow_eval(y[r], F, T, precs[r]) == PC_OK, "%s: eval at T", what);
        for (slong i = 0; i < dim; i++)
            TU_ACCURATE(y[r] + i, precs[r] / 2, "%s: final enclosure too wide", what);
        check_sum_a(F, p, PC_SYSTEM_FULL, what);
        /* a gradient flow: the loss decreases, provably, step by step */
        tu_model_arb(m, p, precs[r]);
        pc_model_loss_arb(L0, m, x0, precs[r]);
        for (slong k = 0; k < F->nsteps; k++) {
            pc_model_loss_arb(L1, m, F->step[k].end, precs[r]);
            TU_ASSERT(arb_lt(L1, L0), "%s: the loss did not decrease over step %ld", what, (long) k);
            arb_swap(L0, L1);
        }
        printf("%s: %s: %ld steps\n", FILE_NAME, what, F->nsteps);
        pc_model_arb_clear(m);
        pc_flow_clear(F);
        pc_system_clear(S);
        _arb_vec_clear(x0, dim);
    }
    for (slong i = 0; i < dim; i++) {
        TU_OVERLAPS(y[0] + i, y[1] + i, "full system: the two enclosures are disjoint in component %ld",
                    (long) i);
        TU_ASSERT(arb_contains(y[0] + i, y[1] + i), "full system: the 128-bit enclosure of component "
                  "%ld is not inside the 64-bit one", (long) i);
    }
    _arb_vec_clear(y[0], dim);
    _arb_vec_clear(y[1], dim);
    arb_clear(T);
    arb_clear(L0);
    arb_clear(L1);
    pc_problem_clear(p);
    tu_done(FILE_NAME, "flow_softmax_full");
}
END_TEST

/* The full system of a margin loss, projected (u = Vᵀβ), against the
 * reduced system: an exact identity, so the enclosures must overlap. */
START_TEST(test_flow_full_vs_reduced)
{
    pc_problem_t p;
    load_case(p, "exponential-uniform-8.json");
    const slong prec = 96, n = p->n, d = p->d, full = d * n + n;
    arb_ptr xf = _arb_vec_init(full), xr = _arb_vec_init(2 * n), yf = _arb_vec_init(full);
    arb_ptr yr = _arb_vec_init(2 * n), proj = _arb_vec_init(2 * n);
    pc_system_t Sf, Sr;
    pc_flow_t Ff, Fr;
    pc_flow_opts o;
    pc_model_arb_t m;
    arb_t T;
    arb_init(T);
    set_dyadic(T, 3, 1);
    tu_model_arb(m, p, prec);
    system_x0(xf, PC_SYSTEM_FULL, p, prec);
    system_x0(xr, PC_SYSTEM_REDUCED, p, prec);
    pc_flow_opts_default(&o, prec);
    o.order = 16;
    TU_ASSERT(run_system(Ff, Sf, p, PC_SYSTEM_FULL, xf, T, &o) == PC_OK, "full system failed");
    TU_ASSERT(run_system(Fr, Sr, p, PC_SYSTEM_REDUCED, xr, T, &o) == PC_OK, "reduced system failed");
    pc_flow_eval(yf, Ff, T, prec);
    pc_flow_eval(yr, Fr, T, prec);
    pc_reduced_from_full_arb(proj, m, yf, prec);
    for (slong k = 0; k < 2 * n; k++) {
        TU_OVERLAPS(proj + k, yr + k, "exponential-uniform-8: full system projected != reduced "
                    "system, component %ld", (long) k);
        TU_ACCURATE(yr + k, prec / 2, "reduced enclosure too wide");
    }
    pc_flow_clear(Ff);
    pc_flow_clear(Fr);
    pc_system_clear(Sf);
    pc_system_clear(Sr);
    pc_model_arb_clear(m);
    _arb_vec_clear(xf, full);
    _arb_vec_clear(xr, 2 * n);
    _arb_vec_clear(yf, full);
    _arb_vec_clear(yr, 2 * n);
    _arb_vec_clear(proj, 2 * n);
    arb_clear(T);
    pc_problem_clear(p);
    tu_done(FILE_NAME, "flow_full_vs_reduced");
}
END_TEST

START_TEST(test_flow_softmax_box)
{
    flint_rand_t st;
    tu_rand_init(st, 507);
    pc_problem_t p;
    load_case(p, "logistic-box-8.json");
    TU_ASSERT(pc_problem_is_box(p), "logistic-box-8 is not a box");
    const slong n = p->n, d = p->d, dim = 2 * n, prec = 128, hp = 192;
    arb_ptr x0 = _arb_vec_init(dim), ybox = _arb_vec_init(dim), y = _arb_vec_init(dim);
    arb_ptr xp = _arb_vec_init(dim), mid = _arb_vec_init(dim);
    fmpq *Vq = _fmpq_vec_init(d * n), *aq = _fmpq_vec_init(n);
    fmpq_t delta, uq;
    pc_system_t S;
    pc_flow_t F;
    pc_flow_opts o;
    arb_t T;
    fmpq_init(delta);
    fmpq_init(uq);
    arb_init(T);
    arb_set_si(T, 20);
    system_x0(x0, PC_SYSTEM_REDUCED, p, prec);
    pc_flow_opts_default(&o, prec);
    TU_ASSERT(run_system(F, S, p, PC_SYSTEM_REDUCED, x0, T, &o) == PC_OK, "box: integration failed");
    pc_flow_eval(ybox, F, T, prec);
    check_sum_a(F, p, PC_SYSTEM_REDUCED, "logistic-box-8");
    pc_flow_clear(F);
    pc_system_clear(S);
    for (int s = 0; s < 5; s++) {
        /* an exact point of the box: every entry moved by radius · k/8,
         * k in [−8, 8] (s = 0, 1: the corners +, −) */
        for (slong k = 0; k < d * n + n; k++) {
            slong num = s == 0 ? 8 : (s == 1 ? -8 : (slong) n_randint(st, 17) - 8);
            fmpq_set_si(delta, num, 8);
            fmpq_mul(delta, delta, p->radius);
            if (k < d * n)
                fmpq_add(Vq + k, p->V + k, delta);
            else
                fmpq_add(aq + k - d * n, p->a + k - d * n, delta);
        }
        for (slong j = 0; j < n; j++) {             /* u = Vᵀβ exactly */
            fmpq_zero(uq);
            for (slong i = 0; i < d; i++)
                fmpq_addmul(uq, Vq + i * n + j, p->beta + i);
            arb_set_fmpq(xp + j, uq, hp);
            arb_set_fmpq(xp + n + j, aq + j, hp);
        }
        pc_flow_opts_default(&o, hp);
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_REDUCED, xp, T, &o) == PC_OK, "box point %d: failed", s);
        pc_flow_eval(y, F, T, hp);
        for (slong i = 0; i < dim; i++) {
            arb_get_mid_arb(mid + i, y + i);
            TU_CONTAINS(ybox + i, mid + i, "box point %d: the box enclosure misses the point's "
                        "enclosure midpoint, component %ld", s, (long) i);
            TU_OVERLAPS(ybox + i, y + i, "box point %d: component %ld", s, (long) i);
            TU_ACCURATE(y + i, hp / 2, "box point %d: point enclosure too wide", s);
        }
        pc_flow_clear(F);
        pc_system_clear(S);
    }
    /* and the box is not absurdly wide: it grows from 1e-6 by at most 1e3 */
    for (slong i = 0; i < dim; i++)
        TU_ASSERT(mag_cmp_2exp_si(arb_radref(ybox + i), -10) < 0, "box enclosure too wide");
    _arb_vec_clear(x0, dim);
    _arb_vec_clear(ybox, dim);
    _arb_vec_clear(y, dim);
    _arb_vec_clear(xp, dim);
    _arb_vec_clear(mid, dim);
    _fmpq_vec_clear(Vq, d * n);
    _fmpq_vec_clear(aq, n);
    fmpq_clear(delta);
    fmpq_clear(uq);
    arb_clear(T);
    pc_problem_clear(p);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_softmax_box");
}
END_TEST

/* A box with its own radius per entry (problem files' "[lo, hi]" entries and
 * radius objects): square-full-6 on the full system with a box of radius
 * 1e-6 on a(0) only and 1e-7 on V_00(0). The box run must contain 192-bit
 * runs from exact points of the box (corners and random points), and the
 * components the box does not touch at t = 0 stay point-like there. */
START_TEST(test_flow_entry_box)
{
    flint_rand_t st;
    tu_rand_init(st, 509);
    pc_problem_t p;
    load_case(p, "square-full-6.json");
    const slong n = p->n, d = p->d, dim = d * n + n, prec = 128, hp = 192;
    p->arad = _fmpq_vec_init(n);
    p->Vrad = _fmpq_vec_init(d * n);
    for (slong j = 0; j < n; j++)
        fmpq_set_si(p->arad + j, 1, 1000000);
    fmpq_set_si(p->Vrad + 0, 1, 10000000);
    TU_ASSERT(pc_problem_is_box(p) && pc_problem_a_is_box(p) && pc_problem_V_is_box(p),
              "per-entry radii: not a box");
    arb_ptr x0 = _arb_vec_init(dim), ybox = _arb_vec_init(dim), y = _arb_vec_init(dim);
    arb_ptr xp = _arb_vec_init(dim), mid = _arb_vec_init(dim);
    fmpq_t delta, r;
    pc_system_t S;
    pc_flow_t F;
    pc_flow_opts o;
    arb_t T;
    fmpq_init(delta);
    fmpq_init(r);
    arb_init(T);
    arb_set_si(T, 3);
    system_x0(x0, PC_SYSTEM_FULL, p, prec);
    for (slong k = 0; k < dim; k++) {       /* the initial box is the entries' own */
        int boxed = k == 0 || k >= d * n;   /* (the others: rounding of decimals only) */
        TU_ASSERT(boxed ? mag_cmp_2exp_si(arb_radref(x0 + k), -25) > 0
                        : mag_cmp_2exp_si(arb_radref(x0 + k), -100) < 0,
                  "initial box: entry %ld has the wrong radius", (long) k);
    }
    pc_flow_opts_default(&o, prec);
    TU_ASSERT(run_system(F, S, p, PC_SYSTEM_FULL, x0, T, &o) == PC_OK, "box: integration failed");
    pc_flow_eval(ybox, F, T, prec);
    pc_flow_clear(F);
    pc_system_clear(S);
    for (int s = 0; s < 5; s++) {
        /* an exact point: entry k moved by its radius · m/8, m in [−8, 8]
         * (s = 0, 1: the corners +, −) */
        for (slong k = 0; k < dim; k++) {
            slong num = s == 0 ? 8 : (s == 1 ? -8 : (slong) n_randint(st, 17) - 8);
            pc_problem_entry_radius(r, p, k);
            fmpq_set_si(delta, num, 8);
            fmpq_mul(delta, delta, r);
            fmpq_add(delta, delta, k < d * n ? p->V + k : p->a + (k - d * n));
            arb_set_fmpq(xp + k, delta, hp);
        }
        pc_flow_opts_default(&o, hp);
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_FULL, xp, T, &o) == PC_OK, "box point %d: failed", s);
        pc_flow_eval(y, F, T, hp);
        for (slong i = 0; i < dim; i++) {
            arb_get_mid_arb(mid + i, y + i);
            TU_CONTAINS(ybox + i, mid + i, "box point %d: the box enclosure misses the point's "
                        "enclosure midpoint, component %ld", s, (long) i);
            TU_OVERLAPS(ybox + i, y + i, "box point %d: component %ld", s, (long) i);
        }
        pc_flow_clear(F);
        pc_system_clear(S);
    }
    for (slong i = 0; i < dim; i++)         /* and not absurdly wide */
        TU_ASSERT(mag_cmp_2exp_si(arb_radref(ybox + i), -10) < 0, "box enclosure too wide");
    _arb_vec_clear(x0, dim);
    _arb_vec_clear(ybox, dim);
    _arb_vec_clear(y, dim);
    _arb_vec_clear(xp, dim);
    _arb_vec_clear(mid, dim);
    fmpq_clear(delta);
    fmpq_clear(r);
    arb_clear(T);
    pc_problem_clear(p);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_entry_box");
}
END_TEST



/* x' = x², y' = x y: x = x0/(1 − x0 t), y = y0/(1 − x0 t) (a curvature in
 * both components and a mixed second derivative). */
static void quad_tape(pc_tape_t t)
{
    pc_tape_init(t, 2);
    pc_tape_set_output(t, 0, pc_tape_mul(t, 0, 0));
    pc_tape_set_output(t, 1, pc_tape_mul(t, 0, 1));
}

static void quad_exact(arb_ptr x, const void *ctx, arb_srcptr x0, const arb_t t, slong hp)
{
    arb_t d;
    (void) ctx;
    arb_init(d);
    arb_mul(d, x0, t, hp);
    arb_sub_ui(d, d, 1, hp);
    arb_neg(d, d);
    arb_div(x, x0, d, hp);
    arb_div(x + 1, x0 + 1, d, hp);
    arb_clear(d);
}

/* The second-order step on wide boxes with closed-form solutions (the
 * logistic equation, 1-D, and quad_tape, 2-D): every step's enclosure holds
 * the exact solutions from the box's corners and random exact points, and
 * the c2 set ends much tighter than the C¹ one. A dropped or halved
 * second-order term lets the corners out (checked by hand). */
START_TEST(test_flow_c2_exact)
{
    flint_rand_t st;
    tu_rand_init(st, 617);
    const slong prec = 128, hp = 4 * prec + 64, npts = 8;
    for (int sys = 0; sys < 2; sys++) {
        const slong dim = sys + 1;
        pc_tape_t tape;
        pc_flow_t F;
        pc_flow_opts o;
        arb_t T, t0;
        arb_ptr x0 = _arb_vec_init(dim), pts = _arb_vec_init(dim * npts), y = _arb_vec_init(dim);
        double width[2];
        arb_init(T);
        arb_init(t0);
        if (sys == 0)
            logistic_tape(tape);
        else
            quad_tape(tape);
        /* logistic: x0 ∈ 0.3 ± 0.1 to T = 4; quad: (0.5 ± 1/16, 1 ± 1/16) to T = 1 */
        arb_set_d(x0, sys == 0 ? 0.3 : 0.5);           /* 0.3: the double nearest */
        mag_set_d(arb_radref(x0), sys == 0 ? 0.1 : 0.0625);     /* (at least 1/10) */
        if (sys == 1) {
            arb_one(x0 + 1);
            mag_set_d(arb_radref(x0 + 1), 0.0625);
        }
        set_dyadic(T, sys == 0 ? 4 : 1, 0);
        for (slong p = 0; p < npts; p++)    /* corners first, then random points */
            for (slong i = 0; i < dim; i++) {
                slong num = p < (1 << dim) ? ((p >> i) & 1 ? 64 : -64) : (slong) n_randint(st, 129) - 64;
                arb_set_si(pts + p * dim + i, num);
                arb_mul_2exp_si(pts + p * dim + i, pts + p * dim + i, -6);
                arb_mul_2exp_si(pts + p * dim + i, pts + p * dim + i, sys == 0 ? 0 : -4);  /* × radius */
                if (sys == 0)
                    arb_div_ui(pts + p * dim + i, pts + p * dim + i, 10, hp);
                arb_add_arf(pts + p * dim + i, pts + p * dim + i, arb_midref(x0 + i), hp);
            }
        for (int set = 0; set < 2; set++) {
            char what[64];
            snprintf(what, sizeof what, "c2 exact, system %d, set %s", sys, set ? "c2" : "lohner");
            pc_flow_opts_default(&o, prec);
            o.set = set ? PC_FLOW_SET_C2 : PC_FLOW_SET_LOHNER;
            TU_ASSERT(run_flow(F, tape, x0, t0, T, &o) == PC_OK, "%s: integration failed", what);
            long fails = flow_check(F, sys == 0 ? logistic_exact : quad_exact, NULL, pts, npts, hp, 0, what);
            TU_ASSERT(fails == 0, "%s: %ld containment failures", what, fails);
            pc_flow_eval(y, F, T, prec);
            width[set] = 0;
            for (slong i = 0; i < dim; i++)
                width[set] = fmax(width[set], mag_get_d(arb_radref(y + i)));
            pc_flow_clear(F);
        }
        fprintf(stderr, "  c2 exact, system %d: radius at T: lohner %.4e, c2 %.4e\n", sys, width[0], width[1]);
        TU_ASSERT(width[1] < 0.9 * width[0], "c2 exact, system %d: c2 not tighter", sys);
        pc_tape_clear(tape);
        _arb_vec_clear(x0, dim);
        _arb_vec_clear(pts, dim * npts);
        _arb_vec_clear(y, dim);
        arb_clear(T);
        arb_clear(t0);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_c2_exact");
}
END_TEST

/* The tangent tape of the square-full-6 field: from (x, v) its Taylor
 * coefficients are those of x (outputs < n) and v_k = (∂x_k/∂ξ) v, against
 * pc_taylor's own derivatives (forward mode in balls, no shared code). */
START_TEST(test_tape_tangent)
{
    flint_rand_t st;
    tu_rand_init(st, 611);
    pc_problem_t p;
    load_case(p, "square-full-6.json");
    const slong n = p->d * p->n + p->n, prec = 128, K = 6;
    pc_tape_t tape, tan;
    pc_taylor_t w, w2;
    ck_assert_int_eq(pc_system_tape(tape, PC_SYSTEM_FULL, p, 0), PC_OK);
    ck_assert_int_eq(pc_tape_tangent(tan, tape), PC_OK);
    TU_ASSERT(tan->nvars == 2 * n && pc_tape_check(tan) == PC_OK, "tangent tape: shape");
    ck_assert_int_eq(pc_taylor_init(w, tape, K, 1, prec), PC_OK);
    ck_assert_int_eq(pc_taylor_init(w2, tan, K, 0, prec), PC_OK);
    arb_ptr x = _arb_vec_init(n), x2 = _arb_vec_init(2 * n);
    arb_t dv;
    arb_init(dv);
    for (int iter = 0; iter < 4; iter++) {
        pc_state_arb_from_problem(x, p, prec);
        for (slong i = 0; i < n; i++) {             /* a point near x(0), a random v */
            arb_get_mid_arb(x + i, x + i);
            arb_set_si(x2 + n + i, (slong) n_randint(st, 2001) - 1000);
            arb_mul_2exp_si(x2 + n + i, x2 + n + i, -10);
            if (iter > 0) {
                arb_set_si(dv, (slong) n_randint(st, 201) - 100);
                arb_mul_2exp_si(dv, dv, -9);
                arb_add(x + i, x + i, dv, prec);
            }
            arb_set(x2 + i, x + i);
        }
        pc_taylor_compute(w, x, K);
        pc_taylor_compute(w2, x2, K);
        for (slong k = 0; k <= K; k++)
            for (slong i = 0; i < n; i++) {
                TU_OVERLAPS(pc_taylor_coeff(w2, i, k), pc_taylor_coeff(w, i, k),
                            "tangent tape: x_%ld, component %ld", (long) k, (long) i);
                arb_dot(dv, NULL, 0, pc_taylor_jac(w, i, k), 1, x2 + n, 1, n, prec);
                TU_OVERLAPS(pc_taylor_coeff(w2, n + i, k), dv,
                            "tangent tape: v_%ld, component %ld", (long) k, (long) i);
                TU_ASSERT(mag_cmp_2exp_si(arb_radref(pc_taylor_coeff(w2, n + i, k)), -80) < 0,
                          "tangent tape: v_%ld too wide", (long) k);
            }
    }
    _arb_vec_clear(x, n);
    _arb_vec_clear(x2, 2 * n);
    arb_clear(dv);
    pc_taylor_clear(w);
    pc_taylor_clear(w2);
    pc_tape_clear(tan);
    pc_tape_clear(tape);
    pc_problem_clear(p);
    flint_randclear(st);
    tu_done(FILE_NAME, "tape_tangent");
}
END_TEST

/* The second-order step (PC_FLOW_SET_C2) on square-full-6 with a box on
 * a(0) alone, wide enough that the C¹ step wraps: the enclosure at T must
 * contain 192-bit runs from the box's corners and random exact points, and
 * be tighter than the C¹ step's (else the second-order path is not taken). */
START_TEST(test_flow_c2_box)
{
    flint_rand_t st;
    tu_rand_init(st, 613);
    pc_problem_t p;
    load_case(p, "square-full-6.json");
    const slong n = p->n, d = p->d, dim = d * n + n, prec = 128, hp = 192;
    p->arad = _fmpq_vec_init(n);
    for (slong j = 0; j < n; j++)
        fmpq_set_si(p->arad + j, 1, 2000);
    arb_ptr x0 = _arb_vec_init(dim), yc2 = _arb_vec_init(dim), y1 = _arb_vec_init(dim);
    arb_ptr y = _arb_vec_init(dim), xp = _arb_vec_init(dim), mid = _arb_vec_init(dim);
    fmpq_t delta, r;
    pc_system_t S;
    pc_flow_t F;
    pc_flow_opts o;
    arb_t T;
    fmpq_init(delta);
    fmpq_init(r);
    arb_init(T);
    arb_set_si(T, 3);
    system_x0(x0, PC_SYSTEM_FULL, p, prec);
    for (int set = 0; set < 2; set++) {
        pc_flow_opts_default(&o, prec);
        o.set = set ? PC_FLOW_SET_C2 : PC_FLOW_SET_LOHNER;
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_FULL, x0, T, &o) == PC_OK, "box: %s failed",
                  pc_flow_set_name(o.set));
        pc_flow_eval(set ? yc2 : y1, F, T, prec);
        pc_flow_clear(F);
        pc_system_clear(S);
    }
    double w1 = 0, w2 = 0;
    for (slong i = 0; i < dim; i++) {
        w1 = fmax(w1, mag_get_d(arb_radref(y1 + i)));
        w2 = fmax(w2, mag_get_d(arb_radref(yc2 + i)));
    }
    fprintf(stderr, "  c2 box: max radius at T = 3: lohner %.3e, c2 %.3e\n", w1, w2);
    TU_ASSERT(w2 < 0.5 * w1, "c2: not tighter than the C1 step (%g vs %g)", w2, w1);
    for (int s = 0; s < 6; s++) {
        /* an exact point: a_k moved by its radius · m/8, m in [−8, 8]
         * (s = 0, 1: the corners +, −; s = 2: alternating signs) */
        for (slong k = 0; k < dim; k++) {
            slong num = s == 0 ? 8 : s == 1 ? -8 : s == 2 ? (k % 2 ? 8 : -8)
                      : (slong) n_randint(st, 17) - 8;
            pc_problem_entry_radius(r, p, k);
            fmpq_set_si(delta, num, 8);
            fmpq_mul(delta, delta, r);
            fmpq_add(delta, delta, k < d * n ? p->V + k : p->a + (k - d * n));
            arb_set_fmpq(xp + k, delta, hp);
        }
        pc_flow_opts_default(&o, hp);
        TU_ASSERT(run_system(F, S, p, PC_SYSTEM_FULL, xp, T, &o) == PC_OK, "box point %d: failed", s);
        pc_flow_eval(y, F, T, hp);
        for (slong i = 0; i < dim; i++) {
            arb_get_mid_arb(mid + i, y + i);
            TU_CONTAINS(yc2 + i, mid + i, "c2 box point %d: the box enclosure misses the point's "
                        "enclosure midpoint, component %ld", s, (long) i);
        }
        pc_flow_clear(F);
        pc_system_clear(S);
    }
    _arb_vec_clear(x0, dim);
    _arb_vec_clear(yc2, dim);
    _arb_vec_clear(y1, dim);
    _arb_vec_clear(y, dim);
    _arb_vec_clear(xp, dim);
    _arb_vec_clear(mid, dim);
    fmpq_clear(delta);
    fmpq_clear(r);
    arb_clear(T);
    pc_problem_clear(p);
    flint_randclear(st);
    tu_done(FILE_NAME, "flow_c2_box");
}
END_TEST

/* ---- (h) errors, blow-up, cancellation, continuation ---------------------------------------- */

static int cancel_after(void *ctx, const arb_t t, slong steps)
{
    (void) t;
    return steps >= *(slong *) ctx;
}

START_TEST(test_flow_errors)
{
    const slong prec = 64, hp = 320;
    pc_tape_t tape;
    pc_flow_t F;
    pc_flow_opts o;
    pc_error_t err;
    arb_t T, t0, t;
    arb_ptr x0 = _arb_vec_init(1), xh = _arb_vec_init(1), y = _arb_vec_init(1), ex = _arb_vec_init(1);
    arb_init(T);
    arb_init(t0);
    arb_init(t);
    logistic_tape(tape);
    arb_set_d(x0, 0.25);
    arb_set_d(xh, 0.25);
    set_dyadic(t0, 3, 2);                  /* t_start = 3/4 */
    pc_flow_opts_default(&o, prec);

    /* T before, at, or (inexactly) after the start */
    pc_flow_init(F, pc_flow_single_tape, tape, 1, t0, x0, &o);
    arb_set_si(T, 0);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_ERR_INPUT, "T before the start accepted");
    TU_ASSERT(err->msg[0] != '\0', "no message for T before the start");
    TU_ASSERT(pc_flow_integrate(F, t0, NULL, 0, err) == PC_ERR_INPUT, "T = start accepted");
    arb_set_si(T, 2);
    arb_add_error_2exp_si(T, -30);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_ERR_INPUT, "an inexact T accepted");
    TU_ASSERT(F->nsteps == 0, "steps taken by a refused call");
    /* before any step: eval only at t_start */
    TU_ASSERT(pc_flow_eval(y, F, t0, prec) == PC_OK, "eval at t_start before any step");
    TU_CONTAINS(y, xh, "eval at t_start before any step");
    arb_set_si(t, 1);
    TU_ASSERT(pc_flow_eval(y, F, t, prec) == PC_ERR_INPUT, "eval after t_end before any step");
    pc_flow_clear(F);

    /* max_steps = 2 over a long horizon */
    o.max_steps = 2;
    o.order = 8;
    pc_flow_init(F, pc_flow_single_tape, tape, 1, t0, x0, &o);
    arb_set_si(T, 1000);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_ERR_LIMIT, "max_steps = 2 not enforced");
    TU_ASSERT(F->nsteps == 2, "max_steps = 2: %ld steps taken", (long) F->nsteps);
    TU_ASSERT(err->msg[0] != '\0', "no message for the step limit");
    /* the two steps are still valid enclosures */
    TU_ASSERT(flow_check(F, logistic_exact, NULL, xh, 1, hp, 0, "max_steps = 2") == 0,
              "max_steps = 2: steps taken are not enclosures");
    /* eval outside [t_start, t_end] */
    pc_flow_t_end(t, F);
    TU_ASSERT(arb_gt(t, t0), "no progress");
    arb_mul_2exp_si(T, t, 1);
    TU_ASSERT(pc_flow_eval(y, F, T, prec) == PC_ERR_INPUT, "eval after t_end accepted");
    arb_set_si(T, 0);
    TU_ASSERT(pc_flow_eval(y, F, T, prec) == PC_ERR_INPUT, "eval before t_start accepted");
    arb_set_si(T, -1);
    TU_ASSERT(pc_flow_eval(y, F, T, prec) == PC_ERR_INPUT, "eval at a negative time accepted");
    /* a ball of times across both steps: centred on the boundary between
     * them, radius half the shorter step */
    arb_set(T, F->step[1].t0);
    arb_min(t, F->step[0].h, F->step[1].h, prec);
    arb_mul_2exp_si(t, t, -1);
    arf_get_mag(arb_radref(T), arb_midref(t));
    TU_ASSERT(pc_flow_eval(y, F, T, prec) == PC_ERR_INPUT, "eval over a ball spanning two steps accepted");
    /* continuation: the limit is per flow; raise it and go on */
    F->opts.max_steps = 0;
    arb_set_si(T, 12);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_OK, "continuation after the limit failed");
    TU_ASSERT(flow_check(F, logistic_exact, NULL, xh, 1, hp, 0, "continued") == 0,
              "continued run: containment failures");
    arb_set_si(T, 6);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_ERR_INPUT, "integrating backwards accepted");
    pc_flow_clear(F);

    /* a ball of times inside one step: the result holds for all of them */
    o.max_steps = 0;
    pc_flow_init(F, pc_flow_single_tape, tape, 1, t0, x0, &o);
    arb_set_si(T, 4);
    TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_OK, "logistic to 4 failed");
    {
        const pc_flow_step_struct *s = F->step + F->nsteps / 2;
        arb_mul_2exp_si(t, s->h, -1);
        arb_add(T, s->t0, t, ARF_PREC_EXACT);
        arb_mul_2exp_si(t, s->h, -2);
        arf_get_mag(arb_radref(T), arb_midref(t));              /* [t0 + h/4, t0 + 3h/4] */
        TU_ASSERT(pc_flow_eval(y, F, T, prec) == PC_OK, "eval over a ball inside a step");
        for (int j = 1; j <= 3; j++) {
            arb_mul_ui(t, s->h, j + 1, ARF_PREC_EXACT);
            arb_mul_2exp_si(t, t, -3);                           /* h (j+1)/8 in [h/4, h/2] */
            arb_add(t, t, s->t0, ARF_PREC_EXACT);
            arb_sub(t, t, t0, ARF_PREC_EXACT);
            logistic_exact(ex, NULL, xh, t, hp);
            TU_CONTAINS(y, ex, "eval over a ball of times misses an inner time");
        }
    }
    pc_flow_clear(F);

    /* cancellation by the progress callback */
    {
        slong limit = 3;
        o.progress = cancel_after;
        o.progress_ctx = &limit;
        pc_flow_init(F, pc_flow_single_tape, tape, 1, t0, x0, &o);
        arb_set_si(T, 100);
        TU_ASSERT(pc_flow_integrate(F, T, NULL, 0, err) == PC_ERR_LIMIT, "cancel by progress ignored");
        TU_ASSERT(F->nsteps == 3, "cancelled after %ld steps, not 3", (long) F->nsteps);
        pc_flow_clear(F);
        o.progress = NULL;
        o.progress_ctx = NULL;
    }
    pc_tape_clear(tape);

    _arb_vec_clear(x0, 1);
    _arb_vec_clear(xh, 1);
    _arb_vec_clear(y, 1);
    _arb_vec_clear(ex, 1);
    arb_clear(T);
    arb_clear(t0);
    arb_clear(t);
    tu_done(FILE_NAME, "flow_errors");
}
END_TEST

/* Where the solution or its enclosure blows up, no enclosure may be claimed
 * past it, and the documented outcome is PC_ERR_PRECISION ("the step size
 * fell below 2^-prec of t or enclosures blew up"); each accepted step must
 * make progress (h > 0: a step of length 0 is a stalled integrator that
 * burns max_steps, 10^6 by default, storing every empty step). Cases:
 *  - x' = x² from x0 = 1: the solution explodes at t = 1;
 *  - the logistic equation from the wide box 0.5 ± 0.45 (Lohner set), and
 *    from 0.5 ± 2^-11 with plain interval propagation (which wraps): the
 *    enclosures grow without bound long before T.
 * max_steps is set to 2000 so that a stalled run ends soon (the blow-ups are
 * reached within 600 steps). */
START_TEST(test_flow_blowup)
{
    const slong hp = 600;
    int stalled = 0, wrong_status = 0;
    for (int c = 0; c < 4; c++) {
        const slong prec = c == 1 ? 128 : (c == 3 ? 285 : 64);
        pc_tape_t tape;
        pc_flow_t F;
        pc_flow_opts o;
        pc_error_t err;
        arb_t T, t0, t;
        arb_ptr x0 = _arb_vec_init(1), pts = _arb_vec_init(8);
        char what[128];
        arb_init(T);
        arb_init(t0);
        arb_init(t);
        pc_flow_opts_default(&o, prec);
        o.max_steps = 2000;
        if (c < 2) {
            square_blowup_tape(tape);
            arb_one(x0);
            arb_one(pts);
            arb_set_si(T, 2);
            snprintf(what, sizeof what, "x' = x^2 from 1 to 2, prec %ld", (long) prec);
        } else {
            logistic_tape(tape);
            arb_set_d(x0, 0.5);
            mag_set_d(arb_radref(x0), c == 2 ? 0.45 : ldexp(1, -11));
            if (c == 3)
                o.set = PC_FLOW_SET_INTERVAL;
            flint_rand_t st;
            tu_rand_init(st, 509);
            box_points(pts, 8, x0, 1, st);
            flint_randclear(st);
            arb_set_si(T, c == 2 ? 30 : 10);
            snprintf(what, sizeof what, "logistic from 0.5 +/- %g (%s) to %ld, prec %ld",
                     mag_get_d(arb_radref(x0)), c == 3 ? "interval" : "lohner",
                     (long) arf_get_si(arb_midref(T), ARF_RND_DOWN), (long) prec);
        }
        pc_flow_init(F, pc_flow_single_tape, tape, 1, t0, x0, &o);
        int st = pc_flow_integrate(F, T, NULL, 0, err);
        pc_flow_t_end(t, F);
        slong zero = 0, first_zero = -1;
        for (slong k = 0; k < F->nsteps; k++)
            if (!arb_is_positive(F->step[k].h) && zero++ == 0)
                first_zero = k;
        printf("%s: blowup: %s: status %s, %ld steps, %ld of them of length 0 (the first: step %ld)\n",
               FILE_NAME, what, pc_status_str(st), (long) F->nsteps, (long) zero, (long) first_zero);
        TU_ASSERT(st != PC_OK, "%s: integration past the blow-up claimed success", what);
        if (c < 2)
            TU_ASSERT(arb_lt(t, pts), "%s: t_end not before the blow-up at t = 1", what);
        if (F->nsteps > 0)
            TU_ASSERT(flow_check(F, c < 2 ? square_blowup_exact : logistic_exact, NULL, pts,
                                 c < 2 ? 1 : 8, hp, 0, what) == 0,
                      "%s: containment failures before the blow-up", what);
        /* collected, so that every case is reported before the test fails */
        tu_checks += 2;
        if (zero != 0) {
            fprintf(stderr, "%s: %ld accepted steps of length 0 (the first: step %ld of %ld, at t = %g): "
                    "the integrator stalls instead of reporting the blow-up\n", what, (long) zero,
                    (long) first_zero, (long) F->nsteps, arf_get_d(arb_midref(t), ARF_RND_NEAR));
            stalled++;
        }
        if (st != PC_ERR_PRECISION) {
            fprintf(stderr, "%s: status %s, documented: PC_ERR_PRECISION\n", what, pc_status_str(st));
            wrong_status++;
        }
        pc_flow_clear(F);
        pc_tape_clear(tape);
        _arb_vec_clear(x0, 1);
        _arb_vec_clear(pts, 8);
        arb_clear(T);
        arb_clear(t0);
        arb_clear(t);
    }
    TU_ASSERT(stalled == 0 && wrong_status == 0, "blow-up: %d of 4 runs stalled on steps of length 0, "
              "%d of 4 ended without PC_ERR_PRECISION (details above)", stalled, wrong_status);
    tu_done(FILE_NAME, "flow_blowup");
}
END_TEST

/* ---- (i) stops ---------------------------------------------------------------------------- */

START_TEST(test_flow_stops)
{
    const slong prec = 128, hp = 576, nstops = 6;
    pc_tape_t tape;
    pc_flow_t F;
    pc_flow_opts o;
    pc_error_t err;
    arb_t T, t0, t;
    arb_ptr x0 = _arb_vec_init(2), xh = _arb_vec_init(2);
    arb_ptr stops = _arb_vec_init(nstops);
    arb_init(T);
    arb_init(t0);
    arb_init(t);
    tu_rotation_tape(tape);
    arb_set_d(x0, 0.75);
    arb_set_d(x0 + 1, -1.5);
    _arb_vec_set(xh, x0, 2);
    set_dyadic(t0, -1, 3);                  /* t_start = −1/8 */
    set_dyadic(T, 13, 1);                   /* T = 13/2 */
    /* sorted stops: dyadic ones inside (t_start, T), one before t_start, a
     * non-dyadic ball (1/3: evaluated inside a step, not a landing point),
     * and one after T */
    set_dyadic(stops + 0, -1, 1);
    set_dyadic(stops + 1, 1, 10);
    arb_set_ui(stops + 2, 1);
    arb_div_ui(stops + 2, stops + 2, 3, prec);
    set_dyadic(stops + 3, 3, 0);
    set_dyadic(stops + 4, 12345, 11);
    set_dyadic(stops + 5, 7, 0);
    pc_flow_opts_default(&o, prec);
    pc_flow_init(F, pc_flow_single_tape, tape, 2, t0, x0, &o);
    TU_ASSERT(pc_flow_integrate(F, T, stops, nstops, err) == PC_OK, "rotation with stops failed");
    for (slong i = 0; i < nstops; i++) {
        int inside = arb_is_exact(stops + i) && arb_gt(stops + i, t0) && arb_lt(stops + i, T);
        int landed = 0;
        for (slong k = 0; k < F->nsteps; k++) {
            arb_add(t, F->step[k].t0, F->step[k].h, ARF_PREC_EXACT);
            landed |= arb_equal(t, stops + i);
        }
        if (inside)
            TU_ASSERT(landed, "no step ends exactly at the dyadic stop %ld", (long) i);
        else if (arb_is_exact(stops + i))
            TU_ASSERT(!landed, "a step ends at the stop %ld outside (t_start, T)", (long) i);
    }
    /* steps are contiguous and end exactly at T */
    arb_set(t, t0);
    for (slong k = 0; k < F->nsteps; k++) {
        TU_ASSERT(arb_equal(F->step[k].t0, t), "step %ld does not start where the last ended", (long) k);
        arb_add(t, t, F->step[k].h, ARF_PREC_EXACT);
    }
    TU_ASSERT(arb_equal(t, T), "the last step does not end at T");
    pc_flow_t_end(t, F);
    TU_ASSERT(arb_equal(t, T), "pc_flow_t_end != T");
    TU_ASSERT(flow_check(F, rotation_exact, NULL, xh, 1, hp, 0, "rotation with stops") == 0,
              "rotation with stops: containment failures");
    /* at the non-dyadic stop 1/3: the eval ball contains the exact value */
    {
        arb_ptr y = _arb_vec_init(2), ex = _arb_vec_init(2);
        arb_set_ui(t, 1);
        arb_div_ui(t, t, 3, hp);
        TU_ASSERT(pc_flow_eval(y, F, stops + 2, prec) == PC_OK, "eval at the stop 1/3");
        arb_sub(t, t, t0, hp);
        rotation_exact(ex, NULL, xh, t, hp);
        for (slong i = 0; i < 2; i++)
            TU_CONTAINS(y + i, ex + i, "eval at 1/3, component %ld", (long) i);
        _arb_vec_clear(y, 2);
        _arb_vec_clear(ex, 2);
    }
    pc_flow_clear(F);
    pc_tape_clear(tape);
    _arb_vec_clear(x0, 2);
    _arb_vec_clear(xh, 2);
    _arb_vec_clear(stops, nstops);
    arb_clear(T);
    arb_clear(t0);
    arb_clear(t);
    tu_done(FILE_NAME, "flow_stops");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("flow");
    TCase *tc;
    tc = tu_tcase(s, "exact");
    tcase_add_test(tc, test_flow_linear);
    tcase_add_test(tc, test_flow_logistic);
    tcase_add_test(tc, test_flow_rotation);
    tcase_add_test(tc, test_flow_box);
    tcase_add_test(tc, test_flow_stress);
    tcase_add_test(tc, test_flow_drop_remainder_caught);
    tc = tu_tcase(s, "softmax");
    tcase_add_test(tc, test_flow_softmax_reduced);
    tcase_add_test(tc, test_flow_softmax_full);
    tcase_add_test(tc, test_flow_full_vs_reduced);
    tcase_add_test(tc, test_flow_softmax_box);
    tcase_add_test(tc, test_flow_entry_box);
    tc = tu_tcase(s, "c2");
    tcase_add_test(tc, test_tape_tangent);
    tcase_add_test(tc, test_flow_c2_exact);
    tcase_add_test(tc, test_flow_c2_box);
    tc = tu_tcase(s, "api");
    tcase_add_test(tc, test_flow_errors);
    tcase_add_test(tc, test_flow_blowup);
    tcase_add_test(tc, test_flow_stops);
    return tu_run_suite(s);
}
