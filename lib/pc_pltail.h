/* Tail lemma pl-tail/1 (proofs/pl-tail.md) for the square loss with any
 * V(0), on the full system: the hypotheses H1–H6 at the enclosure X0 of the
 * state (V, a) at the end of a run, and the hints a certificate records so
 * that a checker can re-check them.
 *
 * If pc_pltail_check returns 1, then (proofs/pl-tail.md §2) for every t
 * after the end of the run: the state lies in the box Y, dH/dt ≠ 0 with the
 * sign L->sign, the flow converges to a limit in Y, and H(∞) ∈ L->Hlim.
 * Every bound is computed in ball arithmetic (inclusion property); the hints
 * (e, κ, θ, m₂, σ, μ) are exact dyadic numbers found in floating-point spirit,
 * and a wrong hint can only make a hypothesis fail. */
#ifndef PC_PLTAIL_H
#define PC_PLTAIL_H

#include "pc_enclose.h"

typedef enum {
    PC_PLTAIL_OK = 0,
    PC_PLTAIL_NA,           /* not the square loss on the full system, or n < 2 */
    PC_PLTAIL_RESIDUAL,     /* r = 0 not excluded at the end (no direction) */
    PC_PLTAIL_GAP,          /* no spectral gap (repeated slowest eigenvalue on 1^⊥) */
    PC_PLTAIL_RATE,         /* 2μ does not exceed the slow rate (H4a) */
    PC_PLTAIL_ORTHO,        /* C(s)a ⊥ slow direction (H6 fails for every κ) */
    PC_PLTAIL_CONE,         /* p(T) not yet in a cone on which the sign is settled */
    PC_PLTAIL_WIDE,         /* p(T) enclosure too wide (precision) */
    PC_PLTAIL_RANK,         /* quadratic loss: XᵀX not proven positive definite */
    PC_PLTAIL_QZERO,        /* cross-entropy: some q_k = 0 (no finite minimiser) */
    PC_PLTAIL_BOX           /* cross-entropy: the PL constant on Y is below mu (Y too wide) */
} pc_pltail_status;

typedef struct {
    pc_pltail_status status;
    int sign;               /* sign of dH/dt for all later times: −1 or +1 */
    slong dim, n;
    arb_ptr Y;              /* the box holding the future (dim = dn + n balls) */
    arf_struct *e;          /* the slow direction: n dyadics with Σ e = 0 exactly
                               (pl-tail), d dyadics (pl-tail-quadratic) */
    slong elen;
    arf_t mu, kappa, theta, m2, sigma;
    arf_t gmin;             /* pl-tail-quadratic: 0 < gmin <= λ_min(XᵀX) */
    arf_struct *W;          /* pl-tail-crossent: the metric, d × d symmetric dyadics
                               (row-major), W − wmin I positive definite */
    arf_t wmin;
    arf_struct *M;          /* pl-tail-weighted: the metric, n × n symmetric dyadics
                               (row-major), M − mmin I positive definite */
    arf_t mmin, zeta;       /* pl-tail-weighted: ζ ≥ gᵀM⁻¹g on Y (the dual norm²) */
    slong d;
    arb_t R0;               /* ‖r‖ over X0 (upper bound is what counts) */
    arb_t Hlim;             /* H over Y, widened (radius × 3 + 2^-prec/2): contains lim H */
    double kappa_need, kappa_max;   /* float, for reports only */
} pc_pltail_struct;
typedef pc_pltail_struct pc_pltail_t[1];

void pc_pltail_init(pc_pltail_t L, slong d, slong n);
void pc_pltail_clear(pc_pltail_t L);

/* Checks pl-tail/1 at the full state x (the enclosure at the end of the
 * run of E); returns 1 and fills L if every hypothesis holds, else 0 with
 * L->status saying why. */
int pc_pltail_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x);

/* Checks pl-tail-quadratic/1 (proofs/pl-tail.md §11) at the full state x of a
 * quadratic-loss run: the same contract as pc_pltail_check (L->e is the
 * direction f ∈ R^d, L->gmin the bound of λ_min(XᵀX); mu and theta unused). */
int pc_pltail_quadratic_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x);

/* Checks pl-tail-crossent/1 (proofs/pl-tail-crossent.md) at the full state x
 * of a cross-entropy run with q > 0: the same contract as pc_pltail_check
 * (L->e is the slow direction f ∈ R^d with Σ f = 0, L->W the metric, L->mu
 * the PL constant; theta and gmin unused). */
int pc_pltail_crossent_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x);

/* Checks pl-tail-weighted/1 (proofs/pl-tail-weighted.md) at the full state x
 * of a square-loss run: pl-tail/1 with the cone ‖w‖_M ≤ κ|α| in a metric M
 * built from A's approximate eigenbasis, so that the sign condition weighs
 * each eigendirection of w by how fast it has decayed. The same contract as
 * pc_pltail_check (L->M the metric, L->mmin, L->zeta its extra hints). */
int pc_pltail_weighted_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x);

/* The pl-tail lemma for the run's loss (square, quadratic, cross-entropy), or
 * NULL if none is for it; pc_pltail_check_any runs that lemma's check (0 with
 * status PC_PLTAIL_NA if there is none). */
const char *pc_pltail_lemma_name(int loss);
int pc_pltail_check_any(pc_pltail_t L, pc_enclose_t E, arb_srcptr x);

/* A sentence saying why the lemma did not apply (status != OK). */
const char *pc_pltail_reason(pc_pltail_status status);

#endif
