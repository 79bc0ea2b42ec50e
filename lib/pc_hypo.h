/* Hypotheses of theorems about the flow, on the initial data of a problem,
 * decided EXACTLY on its rationals (FLINT fmpq): for a point problem at the
 * point, for a box (radius r > 0 on every component of V(0) and a(0)) for
 * EVERY point of the box — TRUE only if it holds at all of them, FALSE if
 * it fails at some point (the reason says where).
 *
 *   a0_uniform           a_j(0) all equal
 *   u0_strictly_ordered  u(0) = V(0)ᵀβ has n distinct entries (losses with β);
 *                        the order (tokens by decreasing u_j(0)) and the least
 *                        gap between neighbours (over a box: its infimum,
 *                        centre gap − 2 r ‖β‖₁, the u_j ranging independently)
 *   v0_aligned           V(0) = β w0ᵀ for some w0 (zero allowed)
 *   v0_zero              V(0) = 0
 *   target_positive      q_k > 0 for every k (cross-entropy)
 *   x_full_column_rank   rank X = d (quadratic), exact rank over Q
 *   beta_nonzero         β ≠ 0 (losses with β) */
#ifndef PC_HYPO_H
#define PC_HYPO_H

#include "pc_problem.h"

typedef enum {
    PC_HYP_A0_UNIFORM = 0,
    PC_HYP_U0_STRICTLY_ORDERED,
    PC_HYP_V0_ALIGNED,
    PC_HYP_V0_ZERO,
    PC_HYP_TARGET_POSITIVE,
    PC_HYP_X_FULL_COLUMN_RANK,
    PC_HYP_BETA_NONZERO,
    PC_HYP_COUNT
} pc_hyp_kind;

/* The name in theorem files and certificates ("a0_uniform", ...), and its
 * inverse (PC_ERR_INPUT for an unknown name). */
const char *pc_hyp_name(pc_hyp_kind kind);
int pc_hyp_from_name(pc_hyp_kind *kind, const char *name);

typedef struct {
    pc_hyp_kind kind;
    int holds;              /* 1 TRUE, 0 FALSE */
    slong *order;           /* u0_strictly_ordered (if it holds): n tokens by
                               decreasing u_j(0); else NULL */
    slong n;
    fmpq_t gap;             /* u0_strictly_ordered: the least gap (if it holds) */
    char why[200];          /* a short reason, e.g. where it fails */
} pc_hyp_struct;
typedef pc_hyp_struct pc_hyp_t[1];

void pc_hyp_init(pc_hyp_t h);
void pc_hyp_clear(pc_hyp_t h);

/* Decides the hypothesis on p exactly (see above). */
void pc_hyp_decide(pc_hyp_t h, pc_hyp_kind kind, const pc_problem_t p);

#endif
