#include <math.h>
#include "pc_certify.h"
#include "pc_reduced.h"

void pc_certify_opts_default(pc_certify_opts *o)
{
    o->prec = 128;
    o->order = 0;
    o->depth = 6;
    o->gaps = 16;
    o->auto_system = 1;
    o->system = PC_SYSTEM_FULL;
    o->T = NULL;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->max_memory = 0;
}

void pc_certify_flow_opts(pc_flow_opts *fo, const pc_problem_t p, const pc_certify_opts *o)
{
    pc_flow_opts_default(fo, o->prec);
    fo->order = o->order > 0 ? o->order : pc_flow_default_order(o->prec);
    if (o->max_memory > 0)
        fo->max_memory = o->max_memory;
    fo->step_extra_bytes = pc_claims_step_memory(p, o->prec, o->gaps);
    fo->progress = o->progress;
    fo->progress_ctx = o->progress_ctx;
}

void pc_certify_init(pc_certify_t R)
{
    R->have_run = 0;
    R->kind = PC_SYSTEM_FULL;
    pc_claims_init(R->C);
    arb_init(R->T);
    R->tau_stopped = 0;
    R->pl_extended = 0;
    arb_init(R->pl_T0);
    arb_init(R->pl_reached);
    R->pl_status = PC_PLTAIL_OK;
    R->err->msg[0] = '\0';
    R->cert = NULL;
}

void pc_certify_clear(pc_certify_t R)
{
    if (R->have_run)
        pc_enclose_clear(R->E);
    pc_claims_clear(R->C);
    arb_clear(R->T);
    arb_clear(R->pl_T0);
    arb_clear(R->pl_reached);
    if (R->cert != NULL)
        json_decref(R->cert);
}

pc_system_kind pc_certify_default_system(const pc_problem_t p)
{
    if (pc_reduced_detect(p, NULL) == PC_REDUCED_SQUARE_ALIGNED && !pc_problem_is_box(p))
        return PC_SYSTEM_TAU;
    return pc_enclose_default_system(p);
}

/* For the aligned square loss on the τ-system, t(τ) → ∞ at a finite τ, where
 * the steps stop: then the run so far is complete up to the real time it
 * reached, which becomes the horizon T (an exact lower bound). */
static int square_tau_stop(arb_t T, const pc_enclose_t E)
{
    if (E->kind != PC_SYSTEM_TAU || E->p->loss != PC_LOSS_SQUARE || E->flow->nsteps < 1)
        return 0;
    arb_srcptr t = E->flow->step[E->flow->nsteps - 1].end + 2 * E->p->n;
    arf_t lo;
    arf_init(lo);
    arb_get_lbound_arf(lo, t, E->prec);
    arf_set_round(lo, lo, 30, ARF_RND_DOWN);
    int ok = arf_sgn(lo) > 0;
    arb_set_arf(T, lo);
    arf_clear(lo);
    return ok;
}

/* The lemma's check at the end of step m, with its float estimates of the
 * cone (kappa_need, kappa_max): returns 1 with *q = kappa_need / kappa_max
 * if the check got as far as computing them (status CONE), else 0. */
static int pl_cone_ratio(double *q, pc_pltail_t L, pc_enclose_t E, slong m)
{
    arb_srcptr x = E->flow->step[m].end;
    L->kappa_need = L->kappa_max = -1;
    /* for the square loss, when neither lemma holds, the estimates are the round
     * cone's (pl-tail/1): pl-tail-weighted/1 fits its metric to the current
     * residual, so its ratio does not fall geometrically and would defeat the
     * extrapolation below */
    if (!pc_pltail_check_any(L, E, x) && E->p->loss == PC_LOSS_SQUARE) {
        L->kappa_need = L->kappa_max = -1;
        pc_pltail_check(L, E, x);
    }
    *q = L->kappa_need / L->kappa_max;
    return L->status == PC_PLTAIL_CONE && L->kappa_need > 0 && L->kappa_max > 0;
}

/* DECISION HEURISTIC ONLY (float; it proves nothing and decides only whether
 * to spend time): 1 if the extension to 2 T0 looks hopeless, so that it is
 * not tried. The cone is entered when kappa_need < kappa_max; near the limit
 * their ratio q falls about geometrically in t (the residual's direction
 * converges to the slow one). q is taken at T0 (q0, from L) and at the last
 * step end t1 <= T0 - dT, and extrapolated to 2 T0; the extension is skipped
 * only if q would still be >= 4 there (a margin for a rate that is not quite
 * geometric). Without both estimates (e.g. the lemmas that report no
 * kappa), it is tried as before. */
static int pl_out_of_reach(pc_pltail_t L, pc_enclose_t E, double q0, const arb_t T0,
                           const arb_t dT)
{
    const pc_flow_struct *F = E->flow;
    arb_t t1, lim;
    arb_init(t1);
    arb_init(lim);
    arb_sub(lim, T0, dT, E->prec);
    slong m = F->nsteps - 1;
    for (; m >= 0; m--) {
        arb_add(t1, F->step[m].t0, F->step[m].h, E->prec);
        if (arb_le(t1, lim))
            break;
    }
    double q1, span = arf_get_d(arb_midref(T0), ARF_RND_NEAR);
    int skip = 0;
    if (m >= 0 && pl_cone_ratio(&q1, L, E, m)) {
        double gap = span - arf_get_d(arb_midref(t1), ARF_RND_NEAR);
        skip = gap > 0 && q0 * pow(q0 / q1, span / gap) >= 4;
    }
    arb_clear(t1);
    arb_clear(lim);
    return skip;
}

/* pl-tail/1 (square loss, full system) needs the direction of p = C Vᵀ r
 * inside a cone (proofs/pl-tail.md), pl-tail-quadratic/1 that of y* − y:
 * while it is not yet, the run to R->T is extended by T0/16 at a time, up to
 * 2 T0. If the cone is still not reached, the extension is dropped again (the
 * claims are those of the run to T0: the extension could only lose a claim to
 * [T*, T0] at its precision limit). */
static int pl_extend(pc_certify_t R)
{
    pc_enclose_struct *E = R->E;
    const char *name = pc_pltail_lemma_name(E->p->loss);
    if (E->kind != PC_SYSTEM_FULL || name == NULL || E->p->n < 2)
        return PC_OK;
    pc_pltail_t L;
    pc_error_t err;
    arb_t dT;
    int st = PC_OK;
    pc_pltail_init(L, E->p->d, E->p->n);
    arb_init(dT);
    arb_set(R->pl_T0, R->T);
    const slong n0 = E->flow->nsteps;
    arb_mul_2exp_si(dT, R->T, -4);
    for (int k = 0; k < 16; k++) {
        double q0;
        int have_q = pl_cone_ratio(&q0, L, E, E->flow->nsteps - 1);
        if (L->status != PC_PLTAIL_CONE && L->status != PC_PLTAIL_BOX)
            break;
        if (k == 0 && have_q && pl_out_of_reach(L, E, q0, R->T, dT)) {
            R->pl_extended = -2;
            R->pl_status = L->status;
            break;
        }
        arb_add(R->T, R->T, dT, ARF_PREC_EXACT);
        st = pc_enclose_run(E, R->T, NULL, 0, err);
        if (st != PC_OK) {
            pc_error_set(R->err, st, "extending the run for %s/1: %s", name, err->msg);
            break;
        }
        arb_set(R->T, E->T);
    }
    if (st == PC_OK && !arb_eq(R->T, R->pl_T0)) {
        if (L->status != PC_PLTAIL_OK) {
            R->pl_extended = -1;
            R->pl_status = L->status;
            arb_set(R->pl_reached, R->T);
            pc_flow_truncate(E->flow, n0);
            arb_set(R->T, R->pl_T0);
            arb_set(E->T, R->pl_T0);
        } else
            R->pl_extended = 1;
    }
    pc_pltail_clear(L);
    arb_clear(dT);
    return st;
}

int pc_certify_run(pc_certify_t R, const pc_problem_t p, const pc_certify_opts *o)
{
    pc_flow_opts fo;
    pc_system_kind kind = o->auto_system ? pc_certify_default_system(p) : o->system;
    pc_certify_flow_opts(&fo, p, o);
    R->kind = kind;
    fo.set = pc_enclose_default_set(kind);
    int st = pc_enclose_init(R->E, p, kind, &fo);
    /* the automatic choice falls back to the real-time systems: the τ-system
     * needs ρ(0) > 0 proven, and huge initial values can leave its enclosure
     * too wide or not finite */
    static const pc_system_kind fallback[] = {PC_SYSTEM_REDUCED, PC_SYSTEM_FULL};
    for (size_t k = 0; st != PC_OK && st != PC_ERR_MEMORY && o->auto_system && k < 2; k++)
        if (fallback[k] != kind) {
            fo.set = pc_enclose_default_set(fallback[k]);
            st = pc_enclose_init(R->E, p, R->kind = fallback[k], &fo);
        }
    if (st == PC_ERR_MEMORY)
        return pc_error_set(R->err, PC_ERR_MEMORY, "the run would exceed the memory limit");
    if (st != PC_OK && o->auto_system)
        return pc_error_set(R->err, PC_ERR_UNSUPPORTED, "no system can be set up at %ld bits: "
                            "the initial state's enclosure is not finite or too wide (try a "
                            "higher --prec)", (long) o->prec);
    if (st != PC_OK)
        return pc_error_set(R->err, PC_ERR_UNSUPPORTED, "--system %s: does not apply to this "
                            "problem (reduced: margin losses and the aligned square loss; tau: "
                            "also rho(0) > 0 proven at --prec)", pc_system_name(kind));
    R->have_run = 1;
    arb_set_fmpq(R->T, o->T != NULL ? o->T : p->T, o->prec);
    st = pc_enclose_run(R->E, R->T, NULL, 0, R->err);
    if (st == PC_ERR_PRECISION && square_tau_stop(R->T, R->E))
        R->tau_stopped = 1;
    else if (st != PC_OK)
        return st;
    else {
        arb_set(R->T, R->E->T);         /* the exact end the run reached */
        st = pl_extend(R);
        if (st != PC_OK)
            return st;
    }
    pc_claims_compute(R->C, R->E, arb_midref(R->T), o->depth, o->gaps);
    if (R->C->len > 0) {
        R->cert = pc_cert_build(R->E, R->C, arb_midref(R->T));
        if (R->cert == NULL)
            return pc_error_set(R->err, PC_ERR_MEMORY, "the certificate could not be built");
    }
    return PC_OK;
}

const pc_claim_struct *pc_certify_decreasing(const pc_certify_t R)
{
    for (slong k = 0; k < R->C->len; k++)
        if (R->C->claim[k].kind == PC_CLAIM_ENTROPY_DECREASING)
            return R->C->claim + k;
    return NULL;
}
