/* Taylor coefficients of the solution of x' = f(x), f given by a tape, by
 * automatic differentiation (the Taylor-mode recurrences for sums, products,
 * quotients and exp), optionally with their derivatives with respect to the
 * initial state (the C¹ data of the Lohner method).
 *
 * Guarantee: after pc_taylor_compute(w, x0, K), for every point ξ in the
 * balls x0, the k-th Taylor coefficient x_k(ξ) = x^{(k)}(0)/k! of the
 * solution with x(0) = ξ lies in pc_taylor_coeff(w, i, k) for k <= K, and
 * (if derivatives were requested) ∂x_{i,k}/∂ξ_j(ξ) lies in
 * pc_taylor_jac(w, i, k)[j]. */
#ifndef PC_TAYLOR_H
#define PC_TAYLOR_H

#include "pc_tape.h"

typedef struct {
    const pc_tape_struct *tape;
    slong max_order;    /* coefficients 0..max_order can be computed */
    slong ndir;         /* nvars if derivatives are computed, else 0 */
    slong prec;
    arb_ptr c;          /* node v, order k: c[v*(max_order+1) + k] */
    arb_ptr dc;         /* node v, order k, direction j: dc[(v*(max_order+1) + k)*ndir + j] */
    arb_ptr cst;        /* the tape's constants at prec */
    arb_ptr tmp;        /* ndir scratch entries */
    arb_ptr scr;        /* max_order + 1 scratch entries */
    arb_struct *gx, *gy;    /* max_dot (max_order + 1) shallow copies (DOT nodes) */
} pc_taylor_struct;
typedef pc_taylor_struct pc_taylor_t[1];

/* Workspace for orders up to max_order, with derivatives if with_jac. The
 * tape must outlive the workspace. Returns PC_OK, or PC_ERR_MEMORY (the
 * workspace is then not initialised: do not clear it) if its memory
 * cannot be allocated. */
int pc_taylor_init(pc_taylor_t w, const pc_tape_t tape, slong max_order,
                   int with_jac, slong prec);

/* An upper bound of the bytes pc_taylor_init allocates for these
 * arguments (pc_memory.h). */
double pc_taylor_memory(const pc_tape_t tape, slong max_order, int with_jac, slong prec);
void pc_taylor_clear(pc_taylor_t w);

/* Computes the coefficients of orders 0..order (order <= max_order). */
void pc_taylor_compute(pc_taylor_t w, arb_srcptr x0, slong order);

static inline arb_srcptr pc_taylor_coeff(const pc_taylor_t w, slong i, slong k)
{
    return w->c + i * (w->max_order + 1) + k;
}

static inline arb_srcptr pc_taylor_jac(const pc_taylor_t w, slong i, slong k)
{
    return w->dc + (i * (w->max_order + 1) + k) * w->ndir;
}

/* Σ_{k<=order} x_k h^k for each component (Horner in balls); h may be a
 * ball (e.g. [0, H]) and the result then holds for every h in it. */
void pc_taylor_poly_eval(arb_ptr res, const pc_taylor_t w, slong order,
                         const arb_t h, slong prec);

/* J = Σ_{k<=order} (∂x_k/∂ξ) h^k, the Jacobian of the Taylor polynomial
 * (requires derivatives). */
void pc_taylor_poly_jac(arb_mat_t J, const pc_taylor_t w, slong order,
                        const arb_t h, slong prec);

#endif
