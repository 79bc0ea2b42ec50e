/* The gradient-flow systems of a problem as tapes (pc_tape.h), for the
 * rigorous integrator: the same formulas as pc_model.h, recorded once.
 *  - full:    x = (V row-major, a), dimension d*n + n, real time t;
 *  - reduced: x = (u, a), dimension 2n, real time t (pc_reduced.h);
 *  - tau:     x = (u, a, t), dimension 2n + 1, τ time: u' = ‖β‖² s,
 *             a' = C(s) u, t' = 1/ρ(z).
 * Each system can be recorded relative to a reference token w: the softmax
 * as s_k = e^{a_k − a_w} / Σ_j e^{a_j − a_w}, and every s-weighted mean as
 * v_w + Σ_{k≠w} s_k (v_k − v_w). These are identities, so every form is the
 * same function; but over a wide box the form whose w carries most of the
 * mass avoids the dependency problem (u_w − Σ s_k u_k is computed from small
 * terms, not as the difference of two large ones), which keeps a priori
 * enclosures of long steps tight. */
#ifndef PC_SYSTEM_H
#define PC_SYSTEM_H

#include "pc_problem.h"
#include "pc_reduced.h"
#include "pc_tape.h"

typedef enum {
    PC_SYSTEM_FULL = 0,
    PC_SYSTEM_REDUCED,
    PC_SYSTEM_TAU
} pc_system_kind;

const char *pc_system_name(pc_system_kind kind);

/* The dimension of the system for problem p. */
slong pc_system_dim(pc_system_kind kind, const pc_problem_t p);

/* Records the vector field of the system for problem p, relative to the
 * reference token ref (0 <= ref < n), into t (which this function
 * initialises; clear it with pc_tape_clear). Returns PC_OK, or
 * PC_ERR_UNSUPPORTED if the reduced/τ system does not apply to p. */
int pc_system_tape(pc_tape_t t, pc_system_kind kind, const pc_problem_t p, slong ref);

/* A system with its forms for every reference token, recorded on first
 * use; p must outlive it. */
typedef struct {
    pc_system_kind kind;
    const pc_problem_struct *p;
    slong dim;
    pc_tape_struct *tape;       /* n entries */
    int *built;
} pc_system_struct;
typedef pc_system_struct pc_system_t[1];

/* PC_OK or PC_ERR_UNSUPPORTED (the reduced/τ system does not apply). */
int pc_system_init(pc_system_t S, pc_system_kind kind, const pc_problem_t p);
void pc_system_clear(pc_system_t S);

/* The form for the state x: reference = the token with the largest logit
 * midpoint. Matches pc_flow_tape_fn (ctx is a pc_system_struct *). */
const pc_tape_struct *pc_system_tape_for(void *ctx, arb_srcptr x);

/* Offset of the logits a in the state vector. */
slong pc_system_a_offset(pc_system_kind kind, const pc_problem_t p);

#endif
