/* The value-softmax model L(V σ(a)) = ℓ(V σ(a)) and its gradient flow, in two
 * number types that share one text of formulas (pc_model_generic.h):
 *
 *   *_arb  Arb balls. Guarantee: every output ball contains the exact value
 *          of the formula at every point of the input balls (and at the exact
 *          loss data; rational data that are not dyadic enter as balls of
 *          radius <= 2^-prec relative, which the guarantee then covers).
 *   *_d    IEEE double. NOT RIGOROUS: previews and screening only.
 *
 * The full state x has dimension d*n + n: V row-major (V_ij = x[i*n + j])
 * followed by a. Notation as in MISSION.md: s = σ(a), y = V s, r = −∇ℓ(y),
 * C(s) = diag(s) − s sᵀ, u = Vᵀ r. */
#ifndef PC_MODEL_H
#define PC_MODEL_H

#include "pc_arb.h"
#include "pc_problem.h"

/* Loss data of one problem at one precision. */
typedef struct {
    pc_loss_kind loss;
    slong d, n, m;
    arb_ptr beta, q, X, b;     /* as in the problem; NULL where unused */
    arb_t beta_norm2;          /* ‖β‖² (0 where there is no β) */
    arb_t q_sum;               /* Σ q_k exactly (1 within 10^-12; else 0) */
} pc_model_arb_struct;
typedef pc_model_arb_struct pc_model_arb_t[1];

typedef struct {
    pc_loss_kind loss;
    slong d, n, m;
    double *beta, *q, *X, *b;
    double beta_norm2[1];
    double q_sum[1];
} pc_model_d_struct;
typedef pc_model_d_struct pc_model_d_t[1];

/* An upper bound of the bytes of the model of p at prec together with a
 * full state, the field there and the temporaries of an evaluation
 * (pc_memory.h). */
double pc_model_memory(const pc_problem_t p, slong prec);

/* Builds the model of problem p; returns PC_OK or PC_ERR_MEMORY. */
int pc_model_arb_init(pc_model_arb_t m, const pc_problem_t p, slong prec);
void pc_model_arb_clear(pc_model_arb_t m);
int pc_model_d_init(pc_model_d_t m, const pc_problem_t p);
void pc_model_d_clear(pc_model_d_t m);

/* Full state dimension d*n + n. */
slong pc_model_full_dim(slong d, slong n);

/* x(0) of problem p as a full state: each entry the exact rational as a ball
 * (radius <= 2^-prec relative where it is not dyadic), widened by p->radius. */
void pc_state_arb_from_problem(arb_ptr x, const pc_problem_t p, slong prec);
/* The same rounded to double (midpoints only). */
void pc_state_d_from_problem(double *x, const pc_problem_t p);

/* ---- generic functions: the _arb versions take a final `slong prec` ---- */

/* s = σ(a), computed with shifted logits (len >= 1). */
void pc_softmax_arb(arb_ptr s, arb_srcptr a, slong len, slong prec);
void pc_softmax_d(double *s, const double *a, slong len);

/* log Σ_k exp(a_k), shifted. */
void pc_logsumexp_arb(arb_t res, arb_srcptr a, slong len, slong prec);
void pc_logsumexp_d(double *res, const double *a, slong len);

/* res = C(s) w, i.e. res_j = s_j (w_j − Σ_k s_k w_k). res may not alias w. */
void pc_softmax_jac_apply_arb(arb_ptr res, arb_srcptr s, arb_srcptr w, slong len, slong prec);
void pc_softmax_jac_apply_d(double *res, const double *s, const double *w, slong len);

/* ℓ(y) and r = −∇ℓ(y) for y ∈ R^d. */
void pc_loss_value_arb(arb_t res, const pc_model_arb_t m, arb_srcptr y, slong prec);
void pc_loss_value_d(double *res, const pc_model_d_t m, const double *y);
void pc_loss_residual_arb(arb_ptr r, const pc_model_arb_t m, arb_srcptr y, slong prec);
void pc_loss_residual_d(double *r, const pc_model_d_t m, const double *y);

/* y = V s. */
void pc_model_output_arb(arb_ptr y, const pc_model_arb_t m, arb_srcptr V, arb_srcptr s, slong prec);
void pc_model_output_d(double *y, const pc_model_d_t m, const double *V, const double *s);

/* L = ℓ(V σ(a)) at the full state x. */
void pc_model_loss_arb(arb_t L, const pc_model_arb_t m, arb_srcptr x, slong prec);
void pc_model_loss_d(double *L, const pc_model_d_t m, const double *x);

/* dx = the gradient-flow vector field at the full state x:
 * dV = r sᵀ, da = C(s) Vᵀ r. dx may not alias x. */
void pc_field_full_arb(arb_ptr dx, const pc_model_arb_t m, arb_srcptr x, slong prec);
void pc_field_full_d(double *dx, const pc_model_d_t m, const double *x);

/* H(σ(a)) = −Σ s_j log s_j. */
void pc_entropy_arb(arb_t H, arb_srcptr a, slong n, slong prec);
void pc_entropy_d(double *H, const double *a, slong n);

/* dH/dt = −Σ_j s_j (a_j − ā)(ȧ_j − Σ_k s_k ȧ_k), ā = Σ_k s_k a_k. */
void pc_entropy_rate_arb(arb_t dH, arb_srcptr a, arb_srcptr da, slong n, slong prec);
void pc_entropy_rate_d(double *dH, const double *a, const double *da, slong n);

/* Conserved quantities: Σ_j a_j (every loss), and for losses with a target β
 * the part of V orthogonal to β, W = V − β (βᵀV)/‖β‖² (d*n entries; it is
 * conserved for margin losses, and for square loss when V(0) = β w0ᵀ). */
void pc_conserved_sum_a_arb(arb_t res, arb_srcptr x, slong d, slong n, slong prec);
void pc_conserved_sum_a_d(double *res, const double *x, slong d, slong n);
void pc_conserved_vperp_arb(arb_ptr W, const pc_model_arb_t m, arb_srcptr V, slong prec);
void pc_conserved_vperp_d(double *W, const pc_model_d_t m, const double *V);

#endif
