/* The rigorous Taylor–Lohner integrator (see pc_flow.h for the guarantee).
 *
 * One step from the set X = {c + B r} at time t:
 *  1. Taylor coefficients x_k(X), k <= K, over the hull of X; from them a
 *     step size h (a heuristic: any h is safe, validation decides).
 *  2. A priori enclosure E of x([t, t+h]) for all x0 in X, by a high-order
 *     inclusion (see flow_enclosure). Failure halves h.
 *  3. Remainder x_{K+1}(E) h^{K+1} (Lagrange form, componentwise).
 *  4. Mean-value form of the Taylor polynomial T = T_low + T_high, split at
 *     the Jacobian order J:  T(x0) ∈ T_low(c) + DT_low(X)(x0 − c) + T_high(X),
 *     so x(t+h) ∈ y + A (x0 − c) with y = T_low(c) + T_high(X) + remainder and
 *     A = DT_low(X), by fixed-point forward-mode AD over the coefficients
 *     x_k(X) of step 1 (pc_jac.h). The Jacobian only needs a low order and precision: its
 *     error multiplies the tiny set width r.
 *  5. The Lohner map gives the new set. */
#include <math.h>
#include <string.h>
#include "pc_flow.h"
#include "pc_flow_c2.h"
#include "pc_jac.h"
#include "pc_memory.h"

void pc_flow_opts_default(pc_flow_opts *o, slong prec)
{
    memset(o, 0, sizeof *o);
    o->prec = prec;
    o->set = PC_FLOW_SET_LOHNER;
}

const char *pc_flow_set_name(pc_flow_set set)
{
    return set == PC_FLOW_SET_INTERVAL ? "interval" : set == PC_FLOW_SET_MEANVALUE ? "meanvalue"
           : set == PC_FLOW_SET_C2 ? "c2" : "lohner";
}

/* An upper bound for |x| (arb_get_mag, without an inline that GCC 12
 * misreads under -Wstringop-overread). */
static void ball_mag(mag_t m, const arb_t x)
{
    arf_t u;
    arf_init(u);
    arb_get_abs_ubound_arf(u, x, MAG_BITS);
    arf_get_mag(m, u);
    arf_clear(u);
}

slong pc_flow_default_order(slong prec)
{
    slong K = (slong) (0.3 * prec);
    return K < 8 ? 8 : (K > 320 ? 320 : K);
}

static slong flow_order(const pc_flow_opts *o)
{
    return o->order > 0 ? o->order : pc_flow_default_order(o->prec);
}

/* The Jacobian order for a step of size h: fixed if the user says so, else
 * the smallest J >= 3 for which the tail Σ_{k>J} x_k(X) h^k, which enters y
 * without the mean-value form (and so is wrapped), is below 2^-20 of the
 * set's width if that is above 2^(32-prec) of its size (a box of initial
 * data), else below 2^-10 of it (a point problem, whose width is rounding):
 * higher orders cost time, lower ones let the wrapping back.
 * (The tail enters R' as Q^{-1} d, up to √dim times wider, every step: with
 * 2^-10 a box of radius 1e-6 on a(0) of a 10 x 10 square-loss problem grew
 * to 30 times its true spread by t = 20 and could not be continued past
 * t = 25; with 2^-20 it stays within 3 times to t = 20 (bench/square10.sh),
 * at no cost. Point problems keep 2^-10: 2^-20 would cost them 25 % more
 * time for nothing.) */
/* Whether the hull X is a box of initial data rather than rounding: its
 * width above 2^(32-prec) of its size (2^32 roundings). */
static int set_is_box(arb_srcptr X, slong dim, slong prec)
{
    mag_t width, size, t;
    mag_init(width);
    mag_init(size);
    mag_init(t);
    for (slong i = 0; i < dim; i++) {
        mag_max(width, width, arb_radref(X + i));
        arb_get_mag(t, X + i);
        mag_max(size, size, t);
    }
    mag_mul_2exp_si(size, size, 32 - prec);
    const int box = mag_cmp(width, size) > 0;
    mag_clear(width);
    mag_clear(size);
    mag_clear(t);
    return box;
}

static slong flow_jac_order(const pc_flow_opts *o, const pc_taylor_t wX, slong K,
                            arb_srcptr X, slong dim, const arb_t h)
{
    if (o->jac_order > 0)
        return o->jac_order > K ? K : o->jac_order;
    mag_t width, tail, t, hk;
    mag_init(width);
    mag_init(tail);
    mag_init(t);
    mag_init(hk);
    for (slong i = 0; i < dim; i++)
        mag_max(width, width, arb_radref(X + i));
    mag_mul_2exp_si(width, width, set_is_box(X, dim, o->prec) ? -20 : -10);
    slong J = K;
    for (; J > 3; J--) {            /* add the term J to the tail while it fits */
        ball_mag(hk, h);
        mag_pow_ui(hk, hk, J);
        mag_zero(t);
        for (slong i = 0; i < dim; i++)
            mag_max(t, t, arb_radref(pc_taylor_coeff(wX, i, J)));
        mag_mul(t, t, hk);
        mag_add(tail, tail, t);
        if (mag_cmp(tail, width) > 0)
            break;
    }
    mag_clear(width);
    mag_clear(tail);
    mag_clear(t);
    mag_clear(hk);
    return J;
}

slong pc_flow_jac_prec(const pc_flow_opts *o)
{
    if (o->jac_prec > 0)
        return o->jac_prec;
    return o->prec < 64 ? o->prec : 64;
}

const pc_tape_struct *pc_flow_single_tape(void *ctx, arb_srcptr x)
{
    (void) x;
    return ctx;
}

int pc_flow_init(pc_flow_t F, pc_flow_tape_fn tape_for, void *tape_ctx, slong dim,
                 const arb_t t_start, arb_srcptr x0, const pc_flow_opts *opts)
{
    if (pc_lohner_init(F->set, dim) != PC_OK)
        return PC_ERR_MEMORY;
    F->tape_for = tape_for;
    F->tape_ctx = tape_ctx;
    F->dim = dim;
    F->opts = *opts;
    F->nsteps = 0;
    F->alloc = 0;
    F->step = NULL;
    F->rejected = 0;
    F->h_factor = 1.0;
    F->x0 = _arb_vec_init(F->dim);
    _arb_vec_set(F->x0, x0, F->dim);
    arb_init(F->t_start);
    arb_set(F->t_start, t_start);
    pc_lohner_set_box(F->set, x0);
    return PC_OK;
}

static void step_clear(pc_flow_step_struct *s, slong dim)
{
    arb_clear(s->t0);
    arb_clear(s->h);
    _arb_vec_clear(s->coef, (s->order + 1) * dim);
    _arb_vec_clear(s->rem, dim);
    _arb_vec_clear(s->range, dim);
    _arb_vec_clear(s->end, dim);
    _arb_vec_clear(s->apriori, dim);
}

void pc_flow_truncate(pc_flow_t F, slong nsteps)
{
    for (slong i = nsteps; i < F->nsteps; i++)
        step_clear(F->step + i, F->dim);
    if (nsteps < F->nsteps)
        F->nsteps = nsteps;
}

void pc_flow_clear(pc_flow_t F)
{
    for (slong i = 0; i < F->nsteps; i++)
        step_clear(F->step + i, F->dim);
    flint_free(F->step);
    _arb_vec_clear(F->x0, F->dim);
    arb_clear(F->t_start);
    pc_lohner_clear(F->set);
}

void pc_flow_t_end(arb_t t, const pc_flow_t F)
{
    if (F->nsteps == 0)
        arb_set(t, F->t_start);
    else
        arb_add(t, F->step[F->nsteps - 1].t0, F->step[F->nsteps - 1].h, ARF_PREC_EXACT);
}

/* Step-size heuristic: with ρ_k = (scale / |x_k|)^{1/k} an estimate of the
 * radius of convergence from the last two orders, h = ρ 2^{-prec/K} makes the
 * truncation error about 2^{-prec}. Returned as a 20-bit dyadic. Floating
 * point is fine here: h is only a proposal, every step is validated. */
static void flow_propose_h(arf_t h, const pc_taylor_t w, slong dim, slong K, slong prec)
{
    double scale = 1.0, rho = HUGE_VAL;
    for (slong i = 0; i < dim; i++)
        scale = fmax(scale, fabs(arf_get_d(arb_midref(pc_taylor_coeff(w, i, 0)), ARF_RND_NEAR)));
    for (slong k = K - 1; k <= K; k++) {
        double nk = 0.0;
        for (slong i = 0; i < dim; i++) {
            arb_srcptr c = pc_taylor_coeff(w, i, k);
            nk = fmax(nk, fabs(arf_get_d(arb_midref(c), ARF_RND_NEAR)) + mag_get_d(arb_radref(c)));
        }
        if (nk > 0)
            rho = fmin(rho, pow(scale / nk, 1.0 / k));
    }
    double hd = rho * pow(2.0, -(double) prec / K);
    if (!isfinite(hd) || hd > 1e300)
        hd = 1e300;
    arf_set_d(h, hd);
    arf_set_round(h, h, 20, ARF_RND_DOWN);
}

/* E = y with its radius enlarged (by the factor 1 + 2^e, a little relative
 * to |y|, and by a floor of 2^(-7 prec/8) max(1, max_j |y_j|) in every
 * component): a candidate a priori enclosure. The floor is for a checker:
 * it re-validates E over its own set representation and in its own
 * arithmetic, where a component that is exact up to rounding (a(t) = 0
 * for all t when V(0) = 0 and a(0) = 0) has a width of the rounding of the
 * other components, not a relative 1/16 of ours. */
static void inflate(arb_ptr E, arb_srcptr y, slong dim, slong prec, slong e)
{
    mag_t m, floor;
    mag_init(m);
    mag_init(floor);
    mag_one(floor);
    for (slong i = 0; i < dim; i++) {
        ball_mag(m, y + i);
        mag_max(floor, floor, m);
    }
    mag_mul_2exp_si(floor, floor, -(prec - prec / 8));
    for (slong i = 0; i < dim; i++) {
        arb_set(E + i, y + i);
        mag_mul_2exp_si(m, arb_radref(y + i), e);
        arb_add_error_mag(E + i, m);
        ball_mag(m, y + i);                              /* + 2^-(prec/2) |y| */
        mag_mul_2exp_si(m, m, -prec / 2);
        arb_add_error_mag(E + i, m);
        arb_add_error_mag(E + i, floor);
    }
    mag_clear(m);
    mag_clear(floor);
}

/* The form of a recorded a priori enclosure: y widened by 1/16 of its
 * radius and by the radius of X, midpoints rounded to prec/2 bits. */
static void apriori_candidate(arb_ptr E, arb_srcptr y, const pc_taylor_t wX, slong dim, slong prec)
{
    inflate(E, y, dim, prec, -4);
    for (slong i = 0; i < dim; i++) {
        /* + the radius of X: a checker validates E over the hull of its
         * own set, which its own choice of coordinates (FORMAT.md) may
         * make wider than ours; where a component hardly moves over the
         * step, P is about X and 1/16 of P would not absorb that */
        arb_add_error_mag(E + i, arb_radref(pc_taylor_coeff(wX, i, 0)));
        /* shorter midpoints: smaller certificates */
        arb_set_round(E + i, E + i, FLINT_MAX(64, prec / 2));
    }
}

/* Whether P = T + x_{K+1}(E) hp ⊆ int(E) componentwise, with w->wE holding
 * the coefficients over E afterwards (T = Σ_{k<=K} x_k(X) [0,h]^k). */
static int inclusion_holds(arb_ptr P, arb_srcptr E, arb_srcptr T, const arb_t hp,
                           pc_taylor_t wE, slong K, slong dim, slong prec)
{
    int ok = 1;
    pc_taylor_compute(wE, E, K + 1);
    for (slong i = 0; i < dim; i++) {
        arb_mul(P + i, pc_taylor_coeff(wE, i, K + 1), hp, prec);
        arb_add(P + i, P + i, T + i, prec);
        ok = ok && arb_is_finite(P + i) && arb_contains_interior(E + i, P + i);
    }
    return ok;
}

/* Finds an a priori enclosure E by the high-order inclusion
 *     P = Σ_{k<=K} x_k(X) [0,h]^k + x_{K+1}(E) [0,h]^{K+1} ⊆ int(E).
 * Why it proves x(t) ∈ P ⊆ E for t ∈ [0,h] and every x0 ∈ X: let t* be the
 * supremum of the times up to which the solution exists and stays in E. For
 * t < t*, Taylor's theorem with the Lagrange remainder (per component, the
 * (K+1)-th coefficient taken at some x(ξ) ∈ E) puts x(t) in P; by continuity
 * x(t*) ∈ P ⊆ int(E), so the solution goes on inside E past t* unless t* = h.
 * Once an E is found, the P it gives is itself an enclosure, and the
 * coefficients over a tighter box are often much smaller (the interval
 * overestimation grows with the box): so E is replaced by P widened by
 * 1/16 of its radius and by the radius of X (room for a checker's own,
 * possibly wider set; and its midpoint rounded to prec/2 bits), kept if it
 * passes the inclusion on its own (then a checker can re-validate it
 * without knowing the first E), else the first E is kept. Before all this,
 * T widened the same way is tried as E directly (one Taylor pass instead of
 * two when it passes). Whichever E is returned satisfies the inclusion by
 * itself. On success w->wE holds the coefficients over the final E. */
static int flow_enclosure(arb_ptr E, const pc_flow_t F, pc_taylor_t wX, pc_taylor_t wE,
                          slong K, const arb_t h, slong prec)
{
    const slong dim = F->dim;
    arb_ptr T = _arb_vec_init(dim), P = _arb_vec_init(dim), E1 = _arb_vec_init(dim);
    arb_t hint, hp;
    int ok = 0;
    arb_init(hint);
    arb_init(hp);
    arb_mul_2exp_si(hint, h, -1);
    arb_add_error(hint, hint);                  /* [0, h] */
    arb_pow_ui(hp, hint, K + 1, prec);
    pc_taylor_poly_eval(T, wX, K, hint, prec);
    /* First the final form at once: T itself widened by 1/16 (the remainder
     * term is ~2^-prec of T, so P is nearly T and this is nearly the E1
     * below); it usually passes, which saves one of the two Taylor passes
     * over a box per step. */
    apriori_candidate(E, T, wX, dim, prec);
    if (inclusion_holds(P, E, T, hp, wE, K, dim, prec)) {
        ok = 1;
        goto done;
    }
    inflate(E, T, dim, prec, -2);
    for (int it = 0; it < 4 && !ok; it++)
        if (!(ok = inclusion_holds(P, E, T, hp, wE, K, dim, prec)))
            inflate(E, P, dim, prec, -2);
    if (ok) {
        apriori_candidate(E1, P, wX, dim, prec);
        if (inclusion_holds(P, E1, T, hp, wE, K, dim, prec))
            _arb_vec_set(E, E1, dim);
        else
            pc_taylor_compute(wE, E, K + 1);
    }
done:
    _arb_vec_clear(T, dim);
    _arb_vec_clear(P, dim);
    _arb_vec_clear(E1, dim);
    arb_clear(hint);
    arb_clear(hp);
    return ok;
}

/* Adds the Lagrange remainder x_{K+1}(E) h^{K+1} (coefficients over the a
 * priori enclosure, in w->wE) to y, unless the test hook drops it. */
static void add_remainder(arb_ptr y, const pc_taylor_t wE, const pc_flow_t F, slong K,
                          const arb_t h, slong prec)
{
    arb_t hp;
    if (F->opts.drop_remainder)
        return;
    arb_init(hp);
    arb_pow_ui(hp, h, K + 1, prec);
    for (slong i = 0; i < F->dim; i++)
        arb_addmul(y + i, pc_taylor_coeff(wE, i, K + 1), hp, prec);
    arb_clear(hp);
}

/* Room for one more step, within opts.max_memory; NULL if there is none. */
static pc_flow_step_struct *flow_new_step(pc_flow_t F, const pc_tape_struct *tape, slong K)
{
    if (F->opts.max_memory > 0
        && pc_flow_memory(F->dim, tape, &F->opts, F->nsteps + 1) > F->opts.max_memory)
        return NULL;
    if (F->nsteps == F->alloc) {
        void *(*alloc)(size_t), *(*calloc_)(size_t, size_t), *(*realloc_)(void *, size_t);
        void (*free_)(void *);
        __flint_get_memory_functions(&alloc, &calloc_, &realloc_, &free_);
        slong a = 2 * F->alloc + 16;
        void *p = NULL;
        if (pc_memory_available(sizeof(pc_flow_step_struct) * (double) a))
            p = realloc_(F->step, sizeof(pc_flow_step_struct) * a);
        if (p == NULL)
            return NULL;
        F->step = p;
        F->alloc = a;
    }
    pc_flow_step_struct *s = F->step + F->nsteps;
    if ((s->coef = pc_memory_vec_try_init((K + 1) * F->dim)) == NULL)
        return NULL;
    arb_init(s->t0);
    arb_init(s->h);
    s->order = K;
    s->rem = _arb_vec_init(F->dim);
    s->range = _arb_vec_init(F->dim);
    s->end = _arb_vec_init(F->dim);
    s->apriori = _arb_vec_init(F->dim);
    s->tape = NULL;
    s->jac_order = K;
    return s;
}

/* The precision of the Taylor coefficients over the a priori box E. E is
 * at least 2^-(prec/2) |E| wide (inflate), and these coefficients only give
 * the inclusion test and the remainder, both far wider than the rounding
 * at prec/2 bits: more bits cost time and change nothing (measured). Ball
 * arithmetic encloses at any precision, so this is a matter of width only. */
static slong flow_apriori_prec(slong prec)
{
    return prec / 2 > 64 ? prec / 2 : (prec < 64 ? prec : 64);
}

/* The workspaces of one run, for the tape in use. */
typedef struct {
    const pc_tape_struct *tape;
    slong K, J, prec, jprec;    /* J: Jacobian order of the current step */
    pc_taylor_t wX, wc, wE;
    arb_ptr X, E, y, tmp;
    arb_mat_t A;
    pc_flow_c2_struct c2;       /* PC_FLOW_SET_C2 only */
} flow_work;

/* PC_OK, or PC_ERR_MEMORY (then w has no tape). */
static int work_set_tape(flow_work *w, const pc_tape_struct *tape)
{
    if (w->tape == tape)
        return PC_OK;
    if (w->tape != NULL) {
        pc_taylor_clear(w->wX);
        pc_taylor_clear(w->wc);
        pc_taylor_clear(w->wE);
    }
    w->tape = NULL;
    if (tape == NULL)
        return PC_OK;
    int ok = 0;                             /* how many were initialised */
    ok += pc_taylor_init(w->wX, tape, w->K, 0, w->prec) == PC_OK;
    ok += ok == 1 && pc_taylor_init(w->wc, tape, w->K, 0, w->prec) == PC_OK;
    ok += ok == 2 && pc_taylor_init(w->wE, tape, w->K + 1, 0, flow_apriori_prec(w->prec)) == PC_OK;
    if (ok == 3) {
        w->tape = tape;
        return PC_OK;
    }
    if (ok > 0) pc_taylor_clear(w->wX);
    if (ok > 1) pc_taylor_clear(w->wc);
    return PC_ERR_MEMORY;
}

/* MUST FOLLOW work_init, work_set_tape, flow_enclosure, flow_new_step and
 * pc_flow_init (and pc_flow_c2_memory for PC_FLOW_SET_C2): the four Taylor
 * workspaces, the vectors of work_init and
 * flow_enclosure, the matrix A, the Lohner set and its map, x0, and
 * nsteps stored steps with the step array (grown by doubling), with the
 * caller's own per-step data (opts.step_extra_bytes). */
double pc_flow_memory(slong dim, const pc_tape_struct *tape, const pc_flow_opts *o,
                      slong nsteps)
{
    const slong K = flow_order(o), prec = o->prec, jprec = pc_flow_jac_prec(o);
    const double n = (double) dim, ball = pc_memory_ball_bytes(prec);
    /* x_k(X), x_k(c) at prec; x_k(E) at flow_apriori_prec; the Jacobian's
     * fixed-point tangents (pc_jac, bounded with J = K) */
    double b = 2 * pc_taylor_memory(tape, K, 0, prec)
               + pc_taylor_memory(tape, K + 1, 0, flow_apriori_prec(prec))
               + 3 * (K + 2) * ball + (double) pc_jac_bytes(tape, dim, K, 0);
    b += (4 + 3 + 1) * n * ball + n * n * pc_memory_ball_bytes(jprec);     /* work, enclosure, x0 */
    b += pc_lohner_memory(dim, prec, jprec);
    if (o->set == PC_FLOW_SET_C2)
        b += pc_flow_c2_memory(tape, K, prec, jprec);
    b += (double) nsteps * ((K + 1 + 4) * n * ball + 2 * ball + o->step_extra_bytes);
    b += (2.0 * nsteps + 16) * sizeof(pc_flow_step_struct);
    return b;
}

/* PC_OK, or PC_ERR_MEMORY (nothing allocated) if the matrix A does not fit. */
static int work_init(flow_work *w, const pc_flow_t F)
{
    const slong dim = F->dim;
    if (!pc_memory_available((double) dim * dim * sizeof(arb_struct)))
        return PC_ERR_MEMORY;
    w->tape = NULL;
    w->prec = F->opts.prec;
    w->K = flow_order(&F->opts);
    w->J = w->K;
    w->jprec = pc_flow_jac_prec(&F->opts);
    w->X = _arb_vec_init(dim);
    w->E = _arb_vec_init(dim);
    w->y = _arb_vec_init(dim);
    w->tmp = _arb_vec_init(dim);
    arb_mat_init(w->A, dim, dim);
    pc_flow_c2_init(&w->c2, w->K, w->prec);
    return PC_OK;
}

static void work_clear(flow_work *w, slong dim)
{
    work_set_tape(w, NULL);
    _arb_vec_clear(w->X, dim);
    _arb_vec_clear(w->E, dim);
    _arb_vec_clear(w->y, dim);
    _arb_vec_clear(w->tmp, dim);
    arb_mat_clear(w->A);
    pc_flow_c2_clear(&w->c2);
}

/* Validates a step of size h from X: enclosure and remainder. Returns 1 on
 * success with w->E and the remainder coefficients in w->wE. */
static int flow_validate(flow_work *w, pc_flow_t F, const arb_t h)
{
    return flow_enclosure(w->E, F, w->wX, w->wE, w->K, h, w->prec);
}

/* Step control on the remainder: accepts if |x_{K+1}(E)| h^{K+1} <= 2^-prec
 * max(1, |X|), else proposes a shrink factor for h. (The interval
 * coefficients over E overestimate, so this, not the truncation estimate,
 * usually limits the step.) */
static int flow_remainder_ok(double *shrink, const flow_work *w, const pc_flow_t F, const arb_t h)
{
    mag_t r, scale, hk, t;
    mag_init(r);
    mag_init(scale);
    mag_init(hk);
    mag_init(t);
    mag_one(scale);
    for (slong i = 0; i < F->dim; i++) {
        ball_mag(t, w->X + i);
        mag_max(scale, scale, t);
        ball_mag(t, pc_taylor_coeff(w->wE, i, w->K + 1));
        mag_max(r, r, t);
    }
    ball_mag(hk, h);
    mag_pow_ui(hk, hk, w->K + 1);
    mag_mul(r, r, hk);
    mag_mul_2exp_si(scale, scale, -w->prec);
    int ok = mag_cmp(r, scale) <= 0;
    if (!ok) {
        double q = mag_get_d(scale) / mag_get_d(r);
        *shrink = isfinite(q) && q > 0 ? fmin(0.9, fmax(0.1, 0.9 * pow(q, 1.0 / (w->K + 1)))) : 0.5;
    }
    mag_clear(r);
    mag_clear(scale);
    mag_clear(hk);
    mag_clear(t);
    return ok;
}

/* y = T_low(c) + T_high(X) + remainder at τ = h. */
static void flow_image_center(flow_work *w, const pc_flow_t F, const pc_flow_step_struct *s)
{
    const slong dim = F->dim;
    arb_t hp;
    arb_init(hp);
    pc_taylor_compute(w->wc, F->set->c, w->J);
    pc_taylor_poly_eval(w->y, w->wc, w->J, s->h, w->prec);
    for (slong k = w->J + 1; k <= w->K; k++) {
        arb_pow_ui(hp, s->h, k, w->prec);
        for (slong i = 0; i < dim; i++)
            arb_addmul(w->y + i, pc_taylor_coeff(w->wX, i, k), hp, w->prec);
    }
    add_remainder(w->y, w->wE, F, w->K, s->h, w->prec);
    arb_clear(hp);
}

/* Plain interval propagation (for comparison): the new set is the box
 * T(X) + remainder, with no mean-value form and no Jacobian. */
static void flow_image_box(flow_work *w, pc_flow_t F, const pc_flow_step_struct *s)
{
    pc_taylor_poly_eval(w->y, w->wX, w->K, s->h, w->prec);
    add_remainder(w->y, w->wE, F, w->K, s->h, w->prec);
    pc_lohner_set_box(F->set, w->y);
}

/* Records the coefficients and the range of the step s (the range is the
 * inclusion's P, tightened by the Taylor form over [0, h]). */
static void flow_record(flow_work *w, const pc_flow_t F, pc_flow_step_struct *s)
{
    const slong dim = F->dim;
    arb_t tau;
    arb_init(tau);
    for (slong k = 0; k <= w->K; k++)
        for (slong i = 0; i < dim; i++)
            arb_set(s->coef + k * dim + i, pc_taylor_coeff(w->wX, i, k));
    for (slong i = 0; i < dim; i++) {
        if (F->opts.drop_remainder)
            arb_zero(s->rem + i);
        else
            arb_set(s->rem + i, pc_taylor_coeff(w->wE, i, w->K + 1));
    }
    _arb_vec_set(s->apriori, w->E, dim);
    s->tape = w->tape;
    s->jac_order = w->J;
    arb_mul_2exp_si(tau, s->h, -1);
    arb_add_error(tau, tau);
    pc_flow_step_eval(s->range, s, dim, tau, w->prec);
    for (slong i = 0; i < dim; i++)                 /* both enclose: keep the meet */
        if (!F->opts.drop_remainder && !arb_intersection(s->range + i, s->range + i, w->E + i, w->prec))
            arb_set(s->range + i, w->E + i);
    arb_clear(tau);
}

/* The next stop after t, or T. */
static void flow_next_stop(arf_t stop, const arb_t t, const arb_t T, const arb_struct *stops,
                           slong nstops)
{
    arf_set(stop, arb_midref(T));
    for (slong i = 0; i < nstops; i++)
        if (arb_is_exact(stops + i) && arf_cmp(arb_midref(stops + i), arb_midref(t)) > 0
            && arf_cmp(arb_midref(stops + i), stop) < 0)
            arf_set(stop, arb_midref(stops + i));
}

/* h ← h·f rounded down to 20 bits (f > 0, a heuristic factor). */
static void scale_h(arf_t h, double f)
{
    arf_t g;
    arf_init(g);
    arf_set_d(g, f);
    arf_mul(h, h, g, 20, ARF_RND_DOWN);
    arf_clear(g);
}

/* A step below 2^-prec max(1, |t|) is taken as a blow-up or a loss of all
 * accuracy: the run stops rather than creep (a zero step would "validate"). */
static int step_too_small(const arf_t h, const arb_t t, slong prec)
{
    arf_t m;
    arf_init(m);
    arf_abs(m, arb_midref(t));
    if (arf_cmp_si(m, 1) < 0)
        arf_one(m);
    arf_mul_2exp_si(m, m, -prec);
    int small = arf_cmp(h, m) < 0;
    arf_clear(m);
    return small;
}

/* One step from time t; returns PC_OK or an error status. */
static int flow_step(flow_work *w, pc_flow_t F, arb_t t, const arf_t stop, pc_error_t err)
{
    const slong dim = F->dim;
    arf_t hp, rest;
    arf_init(hp);
    arf_init(rest);
    pc_lohner_hull(w->X, F->set, w->prec);
    const pc_tape_struct *tape = F->tape_for(F->tape_ctx, w->X);
    pc_flow_step_struct *s = NULL;
    if (work_set_tape(w, tape) != PC_OK || (s = flow_new_step(F, tape, w->K)) == NULL) {
        char need[32], lim[32];
        const double b = pc_flow_memory(dim, tape, &F->opts, F->nsteps + 1);
        arf_clear(hp);
        arf_clear(rest);
        pc_memory_format(need, sizeof need, b);
        pc_memory_format(lim, sizeof lim, F->opts.max_memory);
        if (F->opts.max_memory > 0 && b > F->opts.max_memory)
            return pc_error_set(err, PC_ERR_MEMORY, "step %ld would need about %s in all, above "
                                "the memory limit of %s", (long) F->nsteps + 1, need, lim);
        return pc_error_set(err, PC_ERR_MEMORY, "step %ld: out of memory (about %s in all could "
                            "not be allocated)", (long) F->nsteps + 1, need);
    }
    pc_taylor_compute(w->wX, w->X, w->K);
    flow_propose_h(hp, w->wX, dim, w->K, w->prec);
    arf_sub(rest, stop, arb_midref(t), ARF_PREC_EXACT, ARF_RND_DOWN);
    arb_set(s->t0, t);
    scale_h(hp, F->h_factor);
    int ok = 0, first = 1;
    for (int tries = 0; tries < 60 && !ok; tries++) {
        if (arf_cmp(hp, rest) < 0 && step_too_small(hp, t, w->prec))
            break;                      /* (landing exactly on a stop may be tiny) */
        if (arf_cmp(hp, rest) >= 0)
            arf_set(hp, rest);
        arb_set_arf(s->h, hp);
        double shrink = 0.5;
        ok = flow_validate(w, F, s->h) && flow_remainder_ok(&shrink, w, F, s->h);
        if (!ok) {
            scale_h(hp, shrink);
            F->rejected++;
            first = 0;
        }
    }
    /* Learn how far proposals overshoot, so that later steps rarely fail:
     * after a rejection later proposals start smaller, after a first-try
     * success they grow back (never above the plain proposal). Slowly both
     * ways: a rejected try costs a whole Taylor pass over a box. Measured
     * (bench_enclose, 128 bits): factors 1.05/0.9 in place of 1.25/0.63 take
     * 8-11 % fewer steps and 5-15 % less time on logistic-uniform-8/64,
     * square-full-6, crossent-5x6 and logistic-box-8. */
    F->h_factor = first ? fmin(1.0, 1.05 * F->h_factor) : fmax(1e-3, 0.9 * F->h_factor);
    int st = PC_OK;
    if (!ok) {
        char *ts = arb_get_str(t, 10, 0);
        st = pc_error_set(err, PC_ERR_PRECISION, "t = %s: no step could be validated "
                          "(a blow-up, or enclosures too wide: try a higher --prec)", ts);
        flint_free(ts);
        step_clear(s, dim);
    } else {
        if (F->opts.set == PC_FLOW_SET_INTERVAL)
            flow_image_box(w, F, s);
        else {
            w->J = flow_jac_order(&F->opts, w->wX, w->K, w->X, dim, s->h);
            flow_image_center(w, F, s);
            /* A B at once: the tangents start from the columns of B */
            pc_jac_poly(w->A, w->wX, w->J, s->h, F->set->B, 0, w->jprec);
            /* (out of memory: the C¹ step above stands, valid and wider) */
            if (F->opts.set == PC_FLOW_SET_C2 && set_is_box(w->X, dim, w->prec))
                pc_flow_c2_apply(&w->c2, w->y, w->A, F->set, w->X, w->wc, w->tape, w->J, s->h,
                                 w->prec, w->jprec);
            pc_lohner_map_ab(F->set, w->y, w->A, F->opts.set != PC_FLOW_SET_MEANVALUE, w->jprec);
        }
        flow_record(w, F, s);
        pc_lohner_hull(s->end, F->set, w->prec);
        F->nsteps++;
        arb_add(t, t, s->h, ARF_PREC_EXACT);
    }
    arf_clear(hp);
    arf_clear(rest);
    return st;
}

int pc_flow_integrate(pc_flow_t F, const arb_t T, const arb_struct *stops,
                      slong nstops, pc_error_t err)
{
    flow_work w;
    arb_t t;
    arf_t stop;
    int st = PC_OK;
    const slong max_steps = F->opts.max_steps > 0 ? F->opts.max_steps : 1000000;
    arb_init(t);
    arf_init(stop);
    pc_flow_t_end(t, F);
    if (!arb_is_exact(T) || arb_ge(t, T)) {
        arb_clear(t);
        arf_clear(stop);
        return pc_error_set(err, PC_ERR_INPUT, "the horizon must be an exact number after the start");
    }
    if (work_init(&w, F) != PC_OK) {
        arb_clear(t);
        arf_clear(stop);
        return pc_error_set(err, PC_ERR_MEMORY, "out of memory for the %ld x %ld Jacobian",
                            (long) F->dim, (long) F->dim);
    }
    while (st == PC_OK && arb_lt(t, T)) {
        if (F->nsteps >= max_steps) {
            st = pc_error_set(err, PC_ERR_LIMIT, "%ld steps taken: limit reached", (long) F->nsteps);
            break;
        }
        flow_next_stop(stop, t, T, stops, nstops);
        st = flow_step(&w, F, t, stop, err);
        if (st == PC_OK && F->opts.progress && F->opts.progress(F->opts.progress_ctx, t, F->nsteps))
            st = pc_error_set(err, PC_ERR_LIMIT, "cancelled");
        if (st == PC_OK && F->opts.done && F->opts.done(F->opts.done_ctx, F->step[F->nsteps - 1].end))
            break;
    }
    work_clear(&w, F->dim);
    arb_clear(t);
    arf_clear(stop);
    return st;
}

void pc_flow_step_eval(arb_ptr x, const pc_flow_step_struct *s, slong dim,
                       const arb_t tau, slong prec)
{
    const slong K = s->order;
    for (slong i = 0; i < dim; i++) {
        arb_set(x + i, s->rem + i);
        for (slong k = K; k >= 0; k--) {
            arb_mul(x + i, x + i, tau, prec);
            arb_add(x + i, x + i, s->coef + k * dim + i, prec);
        }
    }
}

int pc_flow_eval(arb_ptr x, const pc_flow_t F, const arb_t t, slong prec)
{
    arb_t end, tau;
    int st = PC_ERR_INPUT;
    arb_init(end);
    arb_init(tau);
    pc_flow_t_end(end, F);
    if (F->nsteps > 0 && arb_equal(t, end)) {
        _arb_vec_set(x, F->step[F->nsteps - 1].end, F->dim);
        st = PC_OK;
    }
    for (slong k = 0; k < F->nsteps && st != PC_OK; k++) {
        const pc_flow_step_struct *s = F->step + k;
        arb_sub(tau, t, s->t0, prec);
        if (arb_is_nonnegative(tau) && arb_le(tau, s->h)) {
            pc_flow_step_eval(x, s, F->dim, tau, prec);
            st = PC_OK;
        }
    }
    if (st != PC_OK && F->nsteps == 0 && arb_equal(t, F->t_start)) {
        _arb_vec_set(x, F->x0, F->dim);
        st = PC_OK;
    }
    arb_clear(end);
    arb_clear(tau);
    return st;
}
