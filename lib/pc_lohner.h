/* Lohner's QR set representation, the guard against the wrapping effect:
 *     X = { c + B r : r ∈ R },
 * c an exact point, B an exact (nearly orthogonal) matrix, R a box (ball
 * vector). A step maps x0 ∈ X to y + A (x0 − c) with y a ball vector and A a
 * ball matrix (the mean-value form of the Taylor step); the new set is
 * c' = mid(y), B' = Q from a QR factorisation of mid(A B) with Lohner's
 * column pivoting, R' = (B'^{-1} A B) R + B'^{-1} (y − c'), with B'^{-1}
 * enclosed rigorously. Guarantee: the new set contains y0 + A0 (x0 − c) for
 * every y0 ∈ y, A0 ∈ A and x0 in the old set.
 *
 * On the symmetry of a gradient flow's Jacobian: Df = −Hess L is symmetric
 * in (V, a) (and in the metric diag(‖β‖² I, I) for the reduced system), but
 * A is the Jacobian of the Taylor polynomial of the flow map, a product of
 * such matrices at different times, which is not symmetric. Measured per
 * step (logistic-uniform-64, τ-system): Jacobian ~35 %, the three dense
 * products here ~30 %, validation ~20 %, QR < 1 %. Symmetry would only
 * offer an eigenbasis in place of the (already cheap) QR, so it is not used. */
#ifndef PC_LOHNER_H
#define PC_LOHNER_H

#include "pc_arb.h"
#include "pc_status.h"

typedef struct {
    slong dim;
    arb_ptr c;          /* exact midpoints */
    arb_mat_t B;        /* exact entries */
    arb_ptr r;          /* the box R */
} pc_lohner_struct;
typedef pc_lohner_struct pc_lohner_t[1];

/* PC_OK, or PC_ERR_MEMORY (L is then not initialised) if the matrix B
 * cannot be allocated. */
int pc_lohner_init(pc_lohner_t L, slong dim);

/* An upper bound of the bytes of a set of dimension dim (midpoints at
 * prec, matrices at jprec) and of the temporaries of one pc_lohner_map
 * at jprec (pc_memory.h). */
double pc_lohner_memory(slong dim, slong prec, slong jprec);
void pc_lohner_clear(pc_lohner_t L);

/* X = the box x: c = mid(x), B = I, R = x − c. */
void pc_lohner_set_box(pc_lohner_t L, arb_srcptr x);

/* x = c + B R: a ball vector containing X. */
void pc_lohner_hull(arb_ptr x, const pc_lohner_t L, slong prec);

/* Replaces X by a set containing { y0 + A0 (x0 − c) } as above. With qr = 0
 * B' = I: the mean-value form on a plain box, O(n^2) given A B (no QR and
 * no cubic product; it wraps, by |A| in place of A). */
void pc_lohner_map(pc_lohner_t L, arb_srcptr y, const arb_mat_t A, int qr, slong prec);

/* The same, given AB = a ball matrix containing A0 B for every A0 ∈ A
 * (e.g. DT(X) B from pc_jac_poly with the directions B), which saves the
 * product A B. Same guarantee. */
void pc_lohner_map_ab(pc_lohner_t L, arb_srcptr y, const arb_mat_t AB, int qr, slong prec);

/* Ball matrix containing the inverse of the exact matrix Q, assumed nearly
 * orthogonal: Q^{-1} = (I − E)^{-1} Qᵀ with E = I − QᵀQ, enclosed through
 * ‖(I − E)^{-1} − I‖ <= ‖E‖/(1 − ‖E‖) (∞-norm). Returns 0 if ‖E‖ >= 1/2. */
int pc_lohner_orth_inverse(arb_mat_t Qinv, const arb_mat_t Q, slong prec);

#endif
