/* Fixed-point interval vectors for the tangents of the Jacobian (pc_jac.h):
 * a vector of len integers m_j on one grid 2^e and ONE radius for all
 * entries, standing for the balls [m_j 2^e ± rad]. The only operation is a
 * linear combination with ball coefficients, whose integer part is exact
 * in 128-bit integers; all roundings (of the coefficients to 52 bits, of
 * the terms to a common grid, of the result to 52 bits) go into the radius
 * by mag arithmetic (rounded up). A shared radius is loose for the small
 * entries of a vector, which does not matter where it is used: the
 * Jacobian multiplies the tiny width of the Lohner set.
 *
 * Guarantee of pc_fixvec_lincomb: if every c_t contains γ_t and every
 * vector V_t contains v_t (entrywise), then out contains Σ_t γ_t v_t. */
#ifndef PC_FIXVEC_H
#define PC_FIXVEC_H

#include <stdint.h>
#include "pc_arb.h"

typedef struct {
    int64_t *m;         /* len entries, |m_j| < 2^53 */
    slong e;            /* the grid exponent */
    uint64_t amax;      /* max_j |m_j| */
    mag_t rad;          /* one radius for every entry */
} pc_fixvec_struct;

/* Points v at the storage m (len entries); the vector is exactly zero. */
void pc_fixvec_init(pc_fixvec_struct *v, int64_t *m, slong len);
void pc_fixvec_clear(pc_fixvec_struct *v);
void pc_fixvec_zero(pc_fixvec_struct *v, slong len);
/* The unit vector e_i (or zero if i is outside [0, len)). */
void pc_fixvec_unit(pc_fixvec_struct *v, slong i, slong len);

/* v = the balls x_0..x_{len−1} (finite): one grid for all, the largest
 * radius plus a grid step (truncation) as the shared radius. */
void pc_fixvec_set_arb(pc_fixvec_struct *v, arb_srcptr x, slong len);

/* Scratch for pc_fixvec_lincomb of vectors of length len with up to nt terms. */
typedef struct {
    void *acc;          /* len 128-bit accumulators */
    int64_t *gamma;
    slong *scale;
    slong len, nt;
} pc_fixvec_work_struct;

void pc_fixvec_work_init(pc_fixvec_work_struct *w, slong len, slong nt);
void pc_fixvec_work_clear(pc_fixvec_work_struct *w);

/* out = Σ_{t < nt} c[t] V[t] (out may not alias any V[t]). nt <= w->nt,
 * len <= w->len, and nt < 2^10. */
void pc_fixvec_lincomb(pc_fixvec_struct *out, const arb_struct *const *c,
                       const pc_fixvec_struct *const *V, slong nt, slong len,
                       pc_fixvec_work_struct *w);

/* res = v_j as a ball. */
void pc_fixvec_get_arb(arb_t res, const pc_fixvec_struct *v, slong j);

#endif
