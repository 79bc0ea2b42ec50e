/* Enclosing the value-softmax flow of a problem: the integrator (pc_flow.h)
 * on the full or reduced system, with the results mapped back to the full
 * state (V, a) and to the quantities of interest (loss, H, dH/dt).
 *
 * Guarantee: after pc_enclose_run returns PC_OK, every ball produced by
 * pc_enclose_state / pc_enclose_observe for a time ball t contains the true
 * value at every time in t and for every initial point of the problem's box. */
#ifndef PC_ENCLOSE_H
#define PC_ENCLOSE_H

#include "pc_flow.h"
#include "pc_model.h"
#include "pc_system.h"

typedef struct {
    const pc_problem_struct *p;
    pc_system_kind kind;
    pc_system_t sys;
    pc_model_arb_t model;
    pc_flow_t flow;
    arb_ptr W;              /* P⊥V(0) = V(0) − β (βᵀV(0))/‖β‖² (reduced systems) */
    arb_t T;                /* the real-time horizon of the run */
    slong prec;
} pc_enclose_struct;
typedef pc_enclose_struct pc_enclose_t[1];

/* Values at one time (ball). */
typedef struct {
    arb_t loss, H, dH;
    mag_t max_radius;       /* of the full state */
} pc_enclose_obs_struct;
typedef pc_enclose_obs_struct pc_enclose_obs_t[1];

void pc_enclose_obs_init(pc_enclose_obs_t o);
void pc_enclose_obs_clear(pc_enclose_obs_t o);

/* An upper bound of the memory of a run of p on this system with these
 * options before its steps accumulate (pc_flow_memory with one step, the
 * forms of the field, the model and the state vectors), computed from the
 * sizes alone without allocating the run: PC_OK, or PC_ERR_UNSUPPORTED if
 * the system does not apply to p. Each further step adds about
 * (order + 5) * dim balls (pc_flow_memory). */
int pc_enclose_memory(double *bytes, const pc_problem_t p, pc_system_kind kind,
                      const pc_flow_opts *opts);

/* Sets up the flow of p on the given system from t = 0: full, reduced (real
 * time) or τ (the reduced system in τ time with t(τ) as a further component,
 * integrated until t(τ) >= T and mapped back to real time: every result at a
 * real time t is the hull of the pieces of steps whose enclosure of t(τ)
 * meets t; it requires ρ(0) > 0 proven, so that t(τ) increases). Returns
 * PC_OK, PC_ERR_UNSUPPORTED (the system does not apply), or PC_ERR_MEMORY
 * (pc_enclose_memory is above opts->max_memory, or the set's matrix cannot
 * be allocated); E is then left cleared. */
int pc_enclose_init(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind,
                    const pc_flow_opts *opts);
void pc_enclose_clear(pc_enclose_t E);

/* The system the problem should use, as measured in bench/: for a margin
 * loss and a point problem the τ-system (τ ~ log t: logistic-uniform-8 to
 * t = 1e5 in half the steps of real time); for a box the reduced system in
 * real time (over a box t(τ) spreads, which widens results mapped back to a
 * real time); for the aligned square loss the reduced system in real time
 * (there t(τ) has a logarithmic singularity at a finite τ); else the full
 * system. */
pc_system_kind pc_enclose_default_system(const pc_problem_t p);

/* The set representation for a system: the mean-value form on plain boxes
 * (PC_FLOW_SET_MEANVALUE) for the τ-system, QR-Lohner otherwise. The
 * τ-system is chosen for point problems of margin losses, whose sets stay
 * tiny and whose Jacobians are close to I: there the mean-value form
 * barely wraps and skips the QR and the cubic products. Measured (128 bits,
 * bench_enclose, final max radius and user time, Lohner vs mean-value):
 * logistic-uniform-64 to 1e5 3.3e-28 in 5.6 s vs 5.1e-33 in 3.3 s,
 * logistic-uniform-8 to 1e5 8.8e-28 vs 4.1e-33, logistic-skewed-a-8 1.7e-30
 * vs 1.2e-34, exponential-uniform-8 1.1e-31 vs 5.3e-33. Elsewhere it
 * wraps badly (square-full-6 to 200: 1.7e-33 vs 3.2e-10; logistic-box-8 to
 * 1e3: 4.5e-4 vs 6.1e-3). Either is rigorous; this decides widths only. */
pc_flow_set pc_enclose_default_set(pc_system_kind kind);

/* Integrates to T (T > 0, any ball: the run ends at an exact upper bound
 * of T); stops are times where steps should end (see pc_flow_integrate). */
int pc_enclose_run(pc_enclose_t E, const arb_t T, const arb_struct *stops, slong nstops,
                   pc_error_t err);

/* The full state (V row-major, a) at t: PC_OK or PC_ERR_INPUT (t outside
 * the integrated range). */
int pc_enclose_state(arb_ptr x, const pc_enclose_t E, const arb_t t);

/* Loss, H, dH/dt and the largest radius of the full state at t (E is not
 * const: the system may record a further form of its field). */
int pc_enclose_observe(pc_enclose_obs_t o, pc_enclose_t E, const arb_t t);

/* Whether the enclosure of Σ_j a_j over every step contains its initial
 * value (a conserved quantity: a failure would reveal a bug). */
int pc_enclose_sum_a_conserved(const pc_enclose_t E);

#endif
