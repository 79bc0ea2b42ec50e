/* The reduced (u, a) system (MISSION.md §2), an exact rewriting of the flow:
 *  - margin losses (logistic, exponential) with β ≠ 0, any V(0);
 *  - square loss when V(0) = β w0ᵀ exactly (including V(0) = 0) and the
 *    initial data are a point (a box of V(0) leaves the rank-one set).
 * With u = Vᵀβ, z = uᵀ s and r = ρ(z) β:
 *    du/dt = ρ ‖β‖² s,  da/dt = ρ C(s) u              (real time t)
 *    u' = ‖β‖² s,       a' = C(s) u,   dt/dτ = 1/ρ     (τ time, dτ = ρ dt)
 * ρ(z) = 1/(1+e^z) (logistic), e^{−z} (exponential), 1 − z/‖β‖² (square).
 * A reduced state has 2n entries: u then a. The _arb functions carry the
 * containment guarantee of pc_model.h; the _d ones are NOT RIGOROUS. */
#ifndef PC_REDUCED_H
#define PC_REDUCED_H

#include "pc_model.h"

typedef enum {
    PC_REDUCED_NONE = 0,
    PC_REDUCED_MARGIN,          /* logistic or exponential loss */
    PC_REDUCED_SQUARE_ALIGNED   /* square loss, V(0) = β w0ᵀ */
} pc_reduced_kind;

/* Decides, in exact rational arithmetic, whether the reduced system applies
 * to p; *why (if not NULL) gets a one-line explanation either way. */
pc_reduced_kind pc_reduced_detect(const pc_problem_t p, const char **why);

/* Replaces V(0) of a square-loss point problem by its exact projection
 * β w0ᵀ onto the rank-one set aligned with β (w0 = V(0)ᵀβ/‖β‖²), so that the
 * reduced system applies; change gets max_ij |ΔV_ij|. This CHANGES THE
 * PROBLEM: for data meant to be aligned but written with float rounding.
 * Returns PC_OK; PC_ERR_INPUT, leaving p unchanged, if some entry would
 * move by more than 10^-PC_REDUCED_ALIGN_TOL_DIGITS (V(0) is not nearly
 * aligned); PC_ERR_UNSUPPORTED (not square loss, β = 0, a box). */
#define PC_REDUCED_ALIGN_TOL_DIGITS 12
int pc_reduced_align(pc_problem_t p, fmpq_t change);

/* A short name of the kind ("none", "margin", "square-aligned"). */
const char *pc_reduced_name(pc_reduced_kind kind);

void pc_reduced_rho_arb(arb_t rho, const pc_model_arb_t m, const arb_t z, slong prec);
void pc_reduced_rho_d(double *rho, const pc_model_d_t m, const double *z);

/* Real-time field (du, da) and τ-time field (u', a'); dxr may not alias xr. */
void pc_field_reduced_arb(arb_ptr dxr, const pc_model_arb_t m, arb_srcptr xr, slong prec);
void pc_field_reduced_d(double *dxr, const pc_model_d_t m, const double *xr);
void pc_field_tau_arb(arb_ptr dxr, const pc_model_arb_t m, arb_srcptr xr, slong prec);
void pc_field_tau_d(double *dxr, const pc_model_d_t m, const double *xr);

/* The loss ℓ(V σ(a)) from the reduced state: φ(z) for margin losses,
 * ½‖β‖²ρ² for the aligned square loss. */
void pc_reduced_loss_arb(arb_t L, const pc_model_arb_t m, arb_srcptr xr, slong prec);
void pc_reduced_loss_d(double *L, const pc_model_d_t m, const double *xr);

/* Full state -> reduced state: u = Vᵀβ. */
void pc_reduced_from_full_arb(arb_ptr xr, const pc_model_arb_t m, arb_srcptr x, slong prec);
void pc_reduced_from_full_d(double *xr, const pc_model_d_t m, const double *x);

/* Reduced state -> full state, given V(0) (d*n) and u(0) = V(0)ᵀβ (n):
 * V = V(0) + β (u − u(0))ᵀ / ‖β‖². */
void pc_reduced_to_full_arb(arb_ptr x, const pc_model_arb_t m, arb_srcptr V0,
                            arb_srcptr u0, arb_srcptr xr, slong prec);
void pc_reduced_to_full_d(double *x, const pc_model_d_t m, const double *V0,
                          const double *u0, const double *xr);

/* The float preview's right-hand side (pc_preview_rhs) for the full or the
 * reduced real-time system of a model: ctx is a pc_field_d_ctx. NOT
 * RIGOROUS. */
typedef struct {
    const pc_model_d_struct *model;
    int reduced;
} pc_field_d_ctx;

void pc_field_preview_rhs(double *dx, double t, const double *x, void *ctx);

#endif
