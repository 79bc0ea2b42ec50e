/* The second-order (C²) correction of a Lohner step for sets of initial
 * data that are boxes (PC_FLOW_SET_C2; used by pc_flow.c only).
 *
 * The C¹ step encloses T(c + Bρ), ρ ∈ R, by y + DT(X) B ρ with DT(X) the
 * Jacobian of the Taylor polynomial in interval arithmetic over the hull X.
 * Its width is first order in the width w of X, so the step adds
 * rad(DT(X) B) |R| ~ w² to the set, and interval evaluation over X
 * overestimates it: on the 10 × 10 square-loss problem with a box of 1e-6
 * on a(0), rad(DT(X)B)·r is 800 times the true variation of DT over the
 * set at step 1 and 10⁴ times by t = 40 (bench/square10.sh), which is what
 * made such a box blow up by t ≈ 84.
 *
 * This step splits ρ = (ρ_W, ρ_T): W the widest directions of R (at most
 * PC_FLOW_C2_MAXDIR), T the others. For x0 = c + B_W ρ_W + B_T ρ_T (every
 * point of the segments below lies in the convex set, so in X):
 *   T(x0) = T(c + B_W ρ_W) + [∫ DT] B_T ρ_T               (mean value)
 *         ∈ T(c) + DT(c) B_W ρ_W + ½ Σ_{j,l∈W} ρ_j ρ_l D²T(X)[b_j, b_l]
 *           + DT(X) B_T ρ_T                                (Taylor, C²)
 * since ∫_0^1 (1 − s) D²T(c + s u)[u, u] ds ∈ ½ D²T(X)[u, u] componentwise.
 * So the columns W of A B become the point Jacobian DT(c) B_W (width of
 * rounding only) and y gains the second-order term, which is ~|D²T| w²
 * with the true size of the second derivative instead of the interval
 * width of the first. D²T(X)[b_j, b_l] is the Jacobian (pc_jac_poly, over X
 * and in the directions (b_j, 0)) of the Taylor polynomial of the tangent
 * system (pc_tape_tan.h) started at (X, b_l).
 *
 * Guarantee (pc_flow_c2_apply): if y and AB satisfy the C¹ guarantee
 * (every x0 = c + Bρ, ρ ∈ R, has T_low(x0) + [T_high, remainder] ∈ y + AB ρ
 * with y = T_low(c) + ... and AB ⊇ DT_low(X) B) and wc holds the Taylor
 * coefficients at the point c to order J, then after the call they still
 * do, with AB's W columns replaced as above. On PC_ERR_MEMORY nothing is
 * changed (the C¹ step remains valid). */
#ifndef PC_FLOW_C2_H
#define PC_FLOW_C2_H

#include "pc_lohner.h"
#include "pc_tape_tan.h"
#include "pc_taylor.h"

/* The most directions treated to second order: the cost is ~m² (m Taylor
 * passes of the tangent system and m Jacobians with m directions). */
#define PC_FLOW_C2_MAXDIR 16

typedef struct {
    const pc_tape_struct *src;  /* the tape the workspace is for, or NULL */
    pc_tape_t tan;              /* its tangent system */
    pc_taylor_t w;              /* Taylor workspace of tan, orders <= K */
    slong K, prec;
} pc_flow_c2_struct;

void pc_flow_c2_init(pc_flow_c2_struct *c, slong K, slong prec);
void pc_flow_c2_clear(pc_flow_c2_struct *c);

/* An upper bound of the bytes the workspace and one apply take for a tape
 * of this size (pc_memory.h). */
double pc_flow_c2_memory(const pc_tape_struct *tape, slong K, slong prec, slong jprec);

/* The correction above, for the set L at time t with hull X, Jacobian order
 * J, step h (exact), on the tape of the step. PC_OK or PC_ERR_MEMORY. */
int pc_flow_c2_apply(pc_flow_c2_struct *c, arb_ptr y, arb_mat_t AB, const pc_lohner_t L,
                     arb_srcptr X, const pc_taylor_t wc, const pc_tape_struct *tape, slong J,
                     const arb_t h, slong prec, slong jprec);

#endif
