#include "pc_enclose.h"
#include "pc_memory.h"

void pc_enclose_obs_init(pc_enclose_obs_t o)
{
    arb_init(o->loss);
    arb_init(o->H);
    arb_init(o->dH);
    mag_init(o->max_radius);
}

void pc_enclose_obs_clear(pc_enclose_obs_t o)
{
    arb_clear(o->loss);
    arb_clear(o->H);
    arb_clear(o->dH);
    mag_clear(o->max_radius);
}

pc_system_kind pc_enclose_default_system(const pc_problem_t p)
{
    switch (pc_reduced_detect(p, NULL)) {
    case PC_REDUCED_MARGIN:
        return pc_problem_is_box(p) ? PC_SYSTEM_REDUCED : PC_SYSTEM_TAU;
    case PC_REDUCED_SQUARE_ALIGNED:
        return PC_SYSTEM_REDUCED;
    default:
        return PC_SYSTEM_FULL;
    }
}

pc_flow_set pc_enclose_default_set(pc_system_kind kind)
{
    return kind == PC_SYSTEM_TAU ? PC_FLOW_SET_MEANVALUE : PC_FLOW_SET_LOHNER;
}

/* ρ(z0) > 0 proven at the initial reduced state: then ρ > 0 for all time
 * (z never crosses the value where ρ = 0), so dt/dτ = 1/ρ > 0 and t(τ)
 * increases strictly, as the τ-system and the mapping back to real time
 * assume. Always true for margin losses; for the square loss it needs
 * z0 < ‖β‖². */
static int rho_positive(pc_enclose_t E, arb_srcptr xs)
{
    const slong n = E->p->n;
    arb_ptr s = _arb_vec_init(n);
    arb_t z, rho;
    arb_init(z);
    arb_init(rho);
    pc_softmax_arb(s, xs + n, n, E->prec);
    arb_dot(z, NULL, 0, xs, 1, s, 1, n, E->prec);
    pc_reduced_rho_arb(rho, E->model, z, E->prec);
    int ok = arb_is_positive(rho);
    arb_clear(z);
    arb_clear(rho);
    _arb_vec_clear(s, n);
    return ok;
}

/* The τ-system is done once t(τ) >= T for every point of the set. */
static int tau_done(void *ctx, arb_srcptr x_end)
{
    const pc_enclose_struct *E = ctx;
    return arb_ge(x_end + 2 * E->p->n, E->T);
}

/* MUST FOLLOW pc_enclose_init, pc_enclose_observe and the flow: the flow
 * with one step (pc_flow_memory), two recorded forms of the field (one is
 * recorded for each reference token the run meets), the model, W, and the
 * state vectors of pc_enclose_init and pc_enclose_observe. */
int pc_enclose_memory(double *bytes, const pc_problem_t p, pc_system_kind kind,
                      const pc_flow_opts *opts)
{
    pc_tape_t t;
    const double full = pc_model_full_dim(p->d, p->n), ball = pc_memory_ball_bytes(opts->prec);
    if (pc_system_tape(t, kind, p, 0) == PC_ERR_UNSUPPORTED)
        return PC_ERR_UNSUPPORTED;
    *bytes = pc_flow_memory(pc_system_dim(kind, p), t, opts, 1) + 2 * pc_tape_memory(t)
             + (6 * full + (double) p->d * (p->m + 2) + p->m + 4) * ball;
    pc_tape_clear(t);
    return PC_OK;
}

int pc_enclose_init(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind,
                    const pc_flow_opts *opts)
{
    const slong full = pc_model_full_dim(p->d, p->n);
    double bytes;
    if (pc_enclose_memory(&bytes, p, kind, opts) != PC_OK)
        return PC_ERR_UNSUPPORTED;
    if (opts->max_memory > 0 && bytes > opts->max_memory)
        return PC_ERR_MEMORY;
    if (pc_system_init(E->sys, kind, p) != PC_OK)
        return PC_ERR_UNSUPPORTED;
    E->p = p;
    E->kind = kind;
    E->prec = opts->prec;
    pc_model_arb_init(E->model, p, opts->prec);
    arb_ptr x = _arb_vec_init(full), xs = x;
    arb_t t0;
    arb_init(t0);
    pc_state_arb_from_problem(x, p, opts->prec);
    E->W = NULL;
    arb_init(E->T);
    if (kind != PC_SYSTEM_FULL) {               /* (u, a), and t = 0 for τ */
        E->W = _arb_vec_init(p->d * p->n);
        pc_conserved_vperp_arb(E->W, E->model, x, opts->prec);
        xs = _arb_vec_init(E->sys->dim);
        pc_reduced_from_full_arb(xs, E->model, x, opts->prec);
    }
    int st = pc_flow_init(E->flow, pc_system_tape_for, E->sys, E->sys->dim, t0, xs, opts);
    if (st != PC_OK) {
        if (xs != x)
            _arb_vec_clear(xs, E->sys->dim);
        _arb_vec_clear(x, full);
        arb_clear(t0);
        arb_clear(E->T);
        pc_system_clear(E->sys);
        pc_model_arb_clear(E->model);
        if (E->W != NULL)
            _arb_vec_clear(E->W, p->d * p->n);
        return st;
    }
    st = kind == PC_SYSTEM_TAU && !rho_positive(E, xs) ? PC_ERR_UNSUPPORTED : PC_OK;
    if (kind == PC_SYSTEM_TAU) {
        E->flow->opts.done = tau_done;
        E->flow->opts.done_ctx = E;
    }
    if (xs != x)
        _arb_vec_clear(xs, E->sys->dim);
    _arb_vec_clear(x, full);
    arb_clear(t0);
    if (st != PC_OK)
        pc_enclose_clear(E);
    return st;
}

void pc_enclose_clear(pc_enclose_t E)
{
    arb_clear(E->T);
    pc_flow_clear(E->flow);
    pc_system_clear(E->sys);
    pc_model_arb_clear(E->model);
    if (E->W != NULL)
        _arb_vec_clear(E->W, E->p->d * E->p->n);
}

int pc_enclose_run(pc_enclose_t E, const arb_t T, const arb_struct *stops, slong nstops,
                   pc_error_t err)
{
    arb_t Tx;
    arb_init(Tx);
    arb_get_ubound_arf(arb_midref(Tx), T, 64);      /* an exact end >= T */
    arb_set(E->T, Tx);
    if (E->kind == PC_SYSTEM_TAU) {
        /* τ runs until t(τ) passes T (tau_done); t → ∞ at a finite τ for the
         * aligned square loss, and τ ~ log t for margin losses, so 2^40 is
         * only a safeguard */
        arb_one(Tx);
        arb_mul_2exp_si(Tx, Tx, 40);
        nstops = 0;
    }
    int st = pc_flow_integrate(E->flow, Tx, stops, nstops, err);
    if (st == PC_OK && E->kind == PC_SYSTEM_TAU && E->flow->nsteps > 0
        && !tau_done(E, E->flow->step[E->flow->nsteps - 1].end))
        st = pc_error_set(err, PC_ERR_LIMIT, "the tau-system did not reach t = T");
    arb_clear(Tx);
    return st;
}

/* Within step s, narrows [lo, hi] ⊆ [0, h] around the τ with t(τ) ∈ t by
 * bisection: t(τ) increases strictly (dt/dτ = 1/ρ > 0), so where t(mid) is
 * proven below t the solution τ lies right of mid, and conversely. */
static void tau_bisect(arb_t range, const pc_flow_step_struct *s, slong dim, slong it,
                       const arb_t t, slong prec)
{
    arb_ptr x = _arb_vec_init(dim);
    arf_t lo, hi, mid;
    arb_t tau;
    arf_init(lo);
    arf_init(hi);
    arf_init(mid);
    arb_init(tau);
    arf_set(hi, arb_midref(s->h));
    for (int i = 0; i < 2 * prec; i++) {
        arf_add(mid, lo, hi, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(mid, mid, -1);
        arb_set_arf(tau, mid);
        pc_flow_step_eval(x, s, dim, tau, prec);
        if (arb_lt(x + it, t))
            arf_swap(lo, mid);
        else if (arb_gt(x + it, t))
            arf_swap(hi, mid);
        else
            break;
    }
    arb_set_interval_arf(range, lo, hi, prec);
    arf_clear(lo);
    arf_clear(hi);
    arf_clear(mid);
    arb_clear(tau);
    _arb_vec_clear(x, dim);
}

/* The τ-system state at real time t: the hull, over the steps whose
 * enclosure of t(τ) meets t, of the state over the τ-interval found by
 * tau_bisect. */
static int tau_state_at(arb_ptr xs, const pc_enclose_t E, const arb_t t)
{
    const slong dim = E->sys->dim, it = 2 * E->p->n;
    arb_ptr piece = _arb_vec_init(dim);
    arb_t tau;
    int found = 0;
    arb_init(tau);
    for (slong k = 0; k < E->flow->nsteps; k++) {
        const pc_flow_step_struct *s = E->flow->step + k;
        if (!arb_overlaps(s->range + it, t))
            continue;
        tau_bisect(tau, s, dim, it, t, E->prec);
        pc_flow_step_eval(piece, s, dim, tau, E->prec);
        for (slong i = 0; i < dim; i++)
            if (found)
                arb_union(xs + i, xs + i, piece + i, E->prec);
            else
                arb_set(xs + i, piece + i);
        found = 1;
    }
    arb_clear(tau);
    _arb_vec_clear(piece, dim);
    return found ? PC_OK : PC_ERR_INPUT;
}

/* The state of the integrated system at real time t. */
static int system_state_at(arb_ptr xs, const pc_enclose_t E, const arb_t t)
{
    if (E->kind == PC_SYSTEM_TAU)
        return tau_state_at(xs, E, t);
    return pc_flow_eval(xs, E->flow, t, E->prec);
}

/* The system state at t, mapped to the full state: for the reduced system
 * V = P⊥V(0) + β uᵀ/‖β‖², exact for every initial point. */
int pc_enclose_state(arb_ptr x, const pc_enclose_t E, const arb_t t)
{
    const pc_problem_struct *p = E->p;
    const slong dn = p->d * p->n;
    if (E->kind == PC_SYSTEM_FULL)
        return pc_flow_eval(x, E->flow, t, E->prec);
    arb_ptr xs = _arb_vec_init(E->sys->dim);
    int st = system_state_at(xs, E, t);
    arb_t c;
    arb_init(c);
    for (slong j = 0; st == PC_OK && j < p->n; j++) {
        arb_div(c, xs + j, E->model->beta_norm2, E->prec);
        for (slong i = 0; i < p->d; i++) {
            arb_set(x + i * p->n + j, E->W + i * p->n + j);
            arb_addmul(x + i * p->n + j, E->model->beta + i, c, E->prec);
        }
        arb_set(x + dn + j, xs + p->n + j);
    }
    arb_clear(c);
    _arb_vec_clear(xs, E->sys->dim);
    return st;
}

int pc_enclose_observe(pc_enclose_obs_t o, pc_enclose_t E, const arb_t t)
{
    const pc_problem_struct *p = E->p;
    const slong full = pc_model_full_dim(p->d, p->n), dim = E->sys->dim;
    const slong off = pc_system_a_offset(E->kind, p);
    arb_ptr x = _arb_vec_init(full), xs = _arb_vec_init(dim), f = _arb_vec_init(dim);
    int st = pc_enclose_state(x, E, t);
    if (st == PC_OK)
        st = system_state_at(xs, E, t);
    if (st == PC_OK) {
        pc_tape_eval_arb(f, pc_system_tape_for(E->sys, xs), xs, E->prec);
        if (E->kind == PC_SYSTEM_TAU)       /* da/dt = (da/dτ) / (dt/dτ) */
            for (slong j = 0; j < p->n; j++)
                arb_div(f + off + j, f + off + j, f + 2 * p->n, E->prec);
        pc_entropy_arb(o->H, xs + off, p->n, E->prec);
        pc_entropy_rate_arb(o->dH, xs + off, f + off, p->n, E->prec);
        if (E->kind == PC_SYSTEM_FULL)
            pc_model_loss_arb(o->loss, E->model, xs, E->prec);
        else
            pc_reduced_loss_arb(o->loss, E->model, xs, E->prec);
        mag_zero(o->max_radius);
        for (slong i = 0; i < full; i++)
            mag_max(o->max_radius, o->max_radius, arb_radref(x + i));
    }
    _arb_vec_clear(x, full);
    _arb_vec_clear(xs, dim);
    _arb_vec_clear(f, dim);
    return st;
}

int pc_enclose_sum_a_conserved(const pc_enclose_t E)
{
    const slong off = pc_system_a_offset(E->kind, E->p), n = E->p->n;
    fmpq_t s0;
    arb_t s;
    int ok = 1;
    fmpq_init(s0);
    arb_init(s);
    for (slong j = 0; j < n; j++)
        fmpq_add(s0, s0, E->p->a + j);
    for (slong k = 0; k < E->flow->nsteps && ok; k++) {
        arb_zero(s);
        for (slong j = 0; j < n; j++)
            arb_add(s, s, E->flow->step[k].range + off + j, E->prec);
        ok = arb_contains_fmpq(s, s0);
    }
    fmpq_clear(s0);
    arb_clear(s);
    return ok;
}
