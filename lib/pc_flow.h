/* Rigorous integration of x' = f(x) (f a tape) in ball arithmetic: a Taylor
 * method of high order with a priori enclosures proven by a high-order
 * inclusion, the Lagrange remainder evaluated over them, and Lohner's QR
 * set representation against the wrapping effect (pc_lohner.h).
 *
 * Guarantee: after pc_flow_integrate returns PC_OK, for every initial point
 * ξ in the balls x0 the solution x(t; ξ) exists on [t_start, t_end] and, for
 * every step s and every t in [s.t0, s.t0 + s.h]:
 *   x(t; ξ) ∈ s.range,  x(s.t0 + s.h; ξ) ∈ s.end,  and
 *   x(s.t0 + τ; ξ) ∈ Σ_{k<=K} s.coef_k τ^k + s.rem τ^{K+1}  for τ ∈ [0, s.h],
 * where coef_k encloses the k-th Taylor coefficient over the set at s.t0
 * and rem the (K+1)-th over the a priori enclosure. Times are exact dyadic
 * numbers. A step that cannot be validated (or whose remainder is too
 * large) is retried with a smaller step; the integrator never accepts an
 * unvalidated step. */
#ifndef PC_FLOW_H
#define PC_FLOW_H

#include "pc_lohner.h"
#include "pc_status.h"
#include "pc_tape.h"
#include "pc_taylor.h"

typedef enum {
    PC_FLOW_SET_LOHNER = 0,     /* QR-Lohner (default) */
    PC_FLOW_SET_INTERVAL,       /* plain interval propagation: the box T(X) + R,
                                   no Jacobian (cheap; wraps) */
    PC_FLOW_SET_MEANVALUE,      /* the mean-value form y + A (x0 − c) on a plain
                                   box (B = I): the Jacobian but no QR and no
                                   cubic products, O(dim^2) per step; wraps by
                                   |A| (for large dimensions) */
    PC_FLOW_SET_C2              /* QR-Lohner with a second-order step for a box
                                   of initial data (pc_flow_c2.h): the widest
                                   directions of the set get the point Jacobian
                                   at its centre and a bound of the second
                                   derivative; for a set only rounding wide it
                                   is QR-Lohner exactly. Slower; much tighter
                                   for wide boxes. polarcert-verify follows
                                   only the C¹ step: not for certificates */
} pc_flow_set;

typedef struct {
    slong prec;             /* working precision in bits */
    slong order;            /* Taylor order K; 0 = automatic (about 0.3 prec) */
    slong jac_order;        /* order of the Jacobian polynomial; 0 = automatic */
    slong jac_prec;         /* precision of Jacobian and matrices; 0 = automatic */
    slong max_steps;        /* 0 = 10^6 */
    double max_memory;      /* bytes (pc_flow_memory with the steps stored
                               so far); a step beyond it ends the run with
                               PC_ERR_MEMORY; 0 = no limit */
    double step_extra_bytes;    /* memory the caller will need per step after the
                                   run (e.g. certify's gap table), counted in
                                   pc_flow_memory against max_memory */
    pc_flow_set set;
    int drop_remainder;     /* TEST HOOK ONLY: omit the Lagrange remainder. The
                               results are then NOT enclosures; tests use it to
                               show that they catch a missing error term. */
    /* Called after every accepted step; a nonzero return stops the run
     * (status PC_ERR_LIMIT). May be NULL. */
    int (*progress)(void *ctx, const arb_t t, slong steps);
    void *progress_ctx;
    /* Called with the enclosure of the state at the end of every accepted
     * step; a nonzero return ends the run early with PC_OK (e.g. once the
     * time variable of a τ-system has passed a horizon). May be NULL. */
    int (*done)(void *ctx, arb_srcptr x_end);
    void *done_ctx;
} pc_flow_opts;

void pc_flow_opts_default(pc_flow_opts *o, slong prec);

/* "lohner", "interval", "meanvalue" or "c2". */
const char *pc_flow_set_name(pc_flow_set set);

/* The automatic Taylor order for a precision: about 0.3 prec, in [8, 320]
 * (the interval overestimation of the remainder coefficients grows like 2^K,
 * which is what makes higher orders stop paying; measured in bench/). */
slong pc_flow_default_order(slong prec);

/* The precision of the Jacobian and the set's matrices: opts.jac_prec, or
 * min(prec, 64) (their error multiplies the tiny set width). */
slong pc_flow_jac_prec(const pc_flow_opts *o);

typedef struct {
    arb_t t0, h;            /* exact */
    slong order;
    arb_ptr coef;           /* (order + 1) * dim: coef[k*dim + i] */
    arb_ptr rem;            /* dim */
    arb_ptr range;          /* dim */
    arb_ptr end;            /* dim */
    /* What a checker needs to redo the step (certs/FORMAT.md): the a priori
     * enclosure E, which satisfies the inclusion of flow_enclosure by itself
     * (with a margin of 1/16 of its radius, the radius of the set's hull X
     * and 2^(-7 prec/8) max(1, |x|), so that a re-computation over a
     * checker's own set and in other interval arithmetic validates it
     * too) and over which rem was
     * computed; the form of the field used; the Jacobian order. */
    arb_ptr apriori;        /* dim */
    const pc_tape_struct *tape;
    slong jac_order;
} pc_flow_step_struct;

/* The field may be recorded in several equivalent forms (tapes, identical
 * as functions); before each step the flow asks which form to use near the
 * current set, e.g. the softmax written relative to the currently largest
 * logit, which keeps interval evaluation over wide boxes tight. */
typedef const pc_tape_struct *(*pc_flow_tape_fn)(void *ctx, arb_srcptr x);

typedef struct {
    pc_flow_tape_fn tape_for;
    void *tape_ctx;
    slong dim;
    pc_flow_opts opts;
    slong nsteps, alloc;
    pc_flow_step_struct *step;
    arb_ptr x0;             /* the initial balls */
    arb_t t_start;
    slong rejected;         /* rejected step sizes */
    double h_factor;        /* step proposals are scaled by it (a heuristic) */
    pc_lohner_t set;        /* the current set */
} pc_flow_struct;
typedef pc_flow_struct pc_flow_t[1];

/* A flow of the field given by tape_for (dimension dim) from x(t_start) ∈ x0
 * (t_start an exact dyadic). Returns PC_OK, or PC_ERR_MEMORY (F is then
 * not initialised) if the set's dim x dim matrix cannot be allocated. */
int pc_flow_init(pc_flow_t F, pc_flow_tape_fn tape_for, void *tape_ctx, slong dim,
                 const arb_t t_start, arb_srcptr x0, const pc_flow_opts *opts);

/* An upper bound of the bytes a flow of dimension dim with this tape and
 * these options takes once nsteps steps are stored: its workspaces (the
 * Taylor coefficients with their Jacobian, the Lohner set and the
 * temporaries of its map) and the steps (pc_memory.h). The workspaces do
 * not depend on the horizon, the steps do; a run checks this against
 * opts->max_memory before each step. */
double pc_flow_memory(slong dim, const pc_tape_struct *tape, const pc_flow_opts *o,
                      slong nsteps);

/* A tape_for that always returns the tape ctx. */
const pc_tape_struct *pc_flow_single_tape(void *ctx, arb_srcptr x);
void pc_flow_clear(pc_flow_t F);

/* Integrates from the current end to T (T > current end). Steps land
 * exactly on T and on each stop time in (current end, T) that is a dyadic
 * number (stops sorted; others are evaluated inside a step); it ends earlier
 * if opts.done says so. Returns PC_OK,
 * PC_ERR_PRECISION (the step size fell below 2^-prec of t or enclosures blew
 * up), PC_ERR_LIMIT (max_steps, or cancelled by progress), or
 * PC_ERR_MEMORY (a step would exceed opts.max_memory, or an allocation
 * failed). */
int pc_flow_integrate(pc_flow_t F, const arb_t T, const arb_struct *stops,
                      slong nstops, pc_error_t err);

/* Drops every step after the first nsteps (a speculative continuation that
 * was not needed). The set representation is not rewound: the flow must not
 * be integrated further afterwards (pc_flow_integrate would continue from the
 * dropped end). The kept steps keep their guarantee. */
void pc_flow_truncate(pc_flow_t F, slong nsteps);

/* The time reached: t_start + Σ h. */
void pc_flow_t_end(arb_t t, const pc_flow_t F);

/* Encloses x(t) for every t in the ball t (which must lie in one step, or
 * equal the end time): PC_OK, or PC_ERR_INPUT if t is outside [t_start,
 * t_end] or spans several steps. */
int pc_flow_eval(arb_ptr x, const pc_flow_t F, const arb_t t, slong prec);

/* Encloses x(s.t0 + τ) for every τ in the ball tau ⊆ [0, s.h]. */
void pc_flow_step_eval(arb_ptr x, const pc_flow_step_struct *s, slong dim,
                       const arb_t tau, slong prec);

#endif
