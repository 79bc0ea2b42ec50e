#include "pc_enclose.h"

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
    return pc_reduced_detect(p, NULL) == PC_REDUCED_NONE ? PC_SYSTEM_FULL : PC_SYSTEM_REDUCED;
}

int pc_enclose_init(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind,
                    const pc_flow_opts *opts)
{
    const slong full = pc_model_full_dim(p->d, p->n);
    if (kind == PC_SYSTEM_TAU || pc_system_init(E->sys, kind, p) != PC_OK)
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
    if (kind == PC_SYSTEM_REDUCED) {
        E->W = _arb_vec_init(p->d * p->n);
        pc_conserved_vperp_arb(E->W, E->model, x, opts->prec);
        xs = _arb_vec_init(2 * p->n);
        pc_reduced_from_full_arb(xs, E->model, x, opts->prec);
    }
    pc_flow_init(E->flow, pc_system_tape_for, E->sys, E->sys->dim, t0, xs, opts);
    if (xs != x)
        _arb_vec_clear(xs, 2 * p->n);
    _arb_vec_clear(x, full);
    arb_clear(t0);
    return PC_OK;
}

void pc_enclose_clear(pc_enclose_t E)
{
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
    int st = pc_flow_integrate(E->flow, Tx, stops, nstops, err);
    arb_clear(Tx);
    return st;
}

/* The system state at t, mapped to the full state: for the reduced system
 * V = P⊥V(0) + β uᵀ/‖β‖², exact for every initial point. */
int pc_enclose_state(arb_ptr x, const pc_enclose_t E, const arb_t t)
{
    const pc_problem_struct *p = E->p;
    const slong dn = p->d * p->n;
    if (E->kind == PC_SYSTEM_FULL)
        return pc_flow_eval(x, E->flow, t, E->prec);
    arb_ptr xs = _arb_vec_init(2 * p->n);
    int st = pc_flow_eval(xs, E->flow, t, E->prec);
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
    _arb_vec_clear(xs, 2 * p->n);
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
        st = pc_flow_eval(xs, E->flow, t, E->prec);
    if (st == PC_OK) {
        pc_tape_eval_arb(f, pc_system_tape_for(E->sys, xs), xs, E->prec);
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
