/* Products of ball matrices in exact fixed-point integer arithmetic, for
 * the cubic products of the Lohner set map (pc_lohner.c).
 *
 * Each row of A and each column of B is put on its own grid 2^(e−52) Z,
 * where 2^e bounds |mid| + rad of that row (column): the midpoint is
 * rounded to the grid and its rounding error, with the radius, becomes an
 * integer radius rounded up. The midpoint of every product is then an exact
 * sum of 64×64-bit integer products in 128-bit integers, and the radius an
 * exact integer bound from 20-bit upper roundings of the magnitudes and
 * radii: no rounding of the midpoints at all, the only widening being the grid (an
 * absolute error of about 2^-52 times the row's and the column's largest
 * entry, like a 52-bit floating-point product, but rigorous). This is
 * several times cheaper than arb_mat_mul at 64 bits.
 *
 * Guarantee: for every matrix A' in the balls of A and B' in the balls of
 * B, every entry of A'B' lies in the corresponding ball of C. */
#ifndef PC_FIXMAT_H
#define PC_FIXMAT_H

#include "pc_arb.h"

/* C = A·B (C may alias neither A nor B), entries rounded to prec bits.
 * Falls back to arb_mat_mul for non-finite entries or an inner dimension
 * above 2^18 (where the 128-bit sums could overflow). */
void pc_fixmat_mul(arb_mat_t C, const arb_mat_t A, const arb_mat_t B, slong prec);

/* C = QᵀQ (n × n for Q k × n), the same way, computing each pair i <= j
 * once: for every Q' in the balls of Q, Q'ᵀQ' lies in C. */
void pc_fixmat_gram(arb_mat_t C, const arb_mat_t Q, slong prec);

#endif
