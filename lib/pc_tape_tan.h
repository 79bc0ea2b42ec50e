/* The tangent (variational) system of a tape: from x' = f(x) on n
 * variables, the system on 2n variables (x, v)
 *     x' = f(x),   v' = Df(x) v,
 * recorded as a new tape by forward-mode differentiation of every node
 * (sum, difference, negation, product, quotient, exp, dot product;
 * constants have a zero tangent). Its solution from (ξ, v0) is (x(t; ξ), Dx(t; ξ) v0), so its
 * Taylor coefficients v_k are the directional derivatives (∂x_k/∂ξ) v0,
 * and their derivatives with respect to ξ (pc_jac_poly over this tape) are
 * the second derivatives ∂²x_k/∂ξ² [·, v0]: the C² data of a second-order
 * Lohner step (pc_flow.h, PC_FLOW_SET_C2).
 *
 * Guarantee: the tape computes exactly (in exact arithmetic) f_i(x) for
 * outputs i < n and (Df(x) v)_{i−n} for outputs n <= i < 2n; ball
 * evaluation of it is then an enclosure like that of any tape. */
#ifndef PC_TAPE_TAN_H
#define PC_TAPE_TAN_H

#include "pc_tape.h"

/* T2 (uninitialised) = the tangent system of T (every output set).
 * PC_OK, or PC_ERR_MEMORY (T2 is then not initialised). */
int pc_tape_tangent(pc_tape_t T2, const pc_tape_t T);

#endif
