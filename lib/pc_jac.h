/* The Jacobian of the Taylor polynomial of the flow with respect to the
 * initial state, DT(X) = Σ_{k<=J} (∂x_k/∂ξ)(X) h^k, by forward-mode
 * automatic differentiation over the tape in fixed-point tangent vectors
 * (pc_fixvec.h), a chunk of directions at a time.
 *
 * It takes the Taylor coefficients of every tape node over X from an
 * existing pc_taylor workspace (computed without derivatives), so the only
 * new work is linear in the tangents: every tangent recurrence (sum,
 * product, quotient, exp, and x_{k+1} = f_k/(k+1)) is a linear combination
 * of earlier tangents with coefficients from those series. Memory is
 * len(tape) (J+1) chunk 8 bytes, not len(tape) (K+1) N arb balls as with
 * pc_taylor's own derivatives; and each multiply-add is one 64×64-bit
 * integer product instead of a ball operation.
 *
 * Guarantee: if w holds, for every node and order k <= J, balls containing
 * the Taylor coefficients of the solutions from every ξ in X (as
 * pc_taylor_compute over X gives), then after pc_jac_poly every entry
 * A_ij contains Σ_{k<=J} ∂x_{i,k}/∂ξ_j(ξ) h^k for every ξ in X and h in the
 * ball h. */
#ifndef PC_JAC_H
#define PC_JAC_H

#include "pc_taylor.h"

/* A = DT(X) S at order J <= the order computed in w (S: nvars × ncols
 * finite balls, or NULL for the identity; the directions are then the
 * columns of S, e.g. the Lohner set's matrix, which saves the product);
 * chunk = directions per sweep (0: automatic). Entries are balls at prec
 * bits. The guarantee above holds for DT(ξ) S' for every S' in S. */
void pc_jac_poly(arb_mat_t A, const pc_taylor_t w, slong J, const arb_t h, const arb_mat_t S,
                 slong chunk, slong prec);

/* The bytes pc_jac_poly allocates for the tape, order J, nvars directions
 * in chunks of `chunk` (0: automatic), for memory estimates. */
slong pc_jac_bytes(const pc_tape_struct *tape, slong nvars, slong J, slong chunk);

#endif
