/* One certification run: the orchestration behind `polarcert certify` and
 * `polarcert check` — the choice of the system (with its fallbacks), the
 * rigorous integration, the horizon of the aligned square loss on the
 * τ-system, the claims and tail lemmas (pc_claims.h) and the certificate
 * (pc_cert.h). Never prints.
 *
 * Guarantee: every claim in the result holds for every t of its interval
 * and every initial point of the problem (pc_claims.h), and the certificate
 * states exactly those claims. */
#ifndef PC_CERTIFY_H
#define PC_CERTIFY_H

#include <jansson.h>
#include "pc_cert.h"

typedef struct {
    slong prec;             /* working precision in bits */
    slong order;            /* Taylor order; 0: pc_flow_default_order(prec) */
    slong depth;            /* bisection depth for signs */
    slong gaps;             /* at most this many logit-gap claims */
    int auto_system;        /* choose the system (pc_certify_default_system) */
    pc_system_kind system;  /* used if !auto_system */
    const fmpq *T;          /* horizon; NULL: the problem's T */
    int (*progress)(void *ctx, const arb_t t, slong steps);   /* or NULL */
    void *progress_ctx;
    double max_memory;      /* bytes (pc_flow_opts.max_memory); 0: its default */
} pc_certify_opts;

/* prec 128, default order, depth 6, 16 gaps, automatic system, the
 * problem's T, no progress callback. */
void pc_certify_opts_default(pc_certify_opts *o);

typedef struct {
    pc_enclose_t E;         /* the run (valid if have_run) */
    int have_run;
    pc_system_kind kind;    /* the system set up (or refused for memory) */
    pc_claims_t C;          /* its claims (computed if status == PC_OK) */
    arb_t T;                /* the real-time horizon reached: exact */
    int tau_stopped;        /* the square loss's τ-run stopped at the end of its
                               finite τ-range; T is the real time it reached */
    /* pl-tail/1 and pl-tail-quadratic/1 (full system, square or quadratic
     * loss) need the residual's direction inside a cone: the run is extended
     * past the horizon by T0/16 at a time, up to 2 T0, while it is not. */
    int pl_extended;        /* 0: not extended; 1: extended to T and the lemma
                               holds there; -1: extended to pl_reached without
                               reaching the cone, the extension dropped again
                               (T is T0, the claims are those of the run to T0);
                               -2: not tried, the float estimate of the cone
                               (a decision heuristic, not a proof) says it is
                               out of reach by 2 T0 (pc_certify.c) */
    arb_t pl_T0;            /* the horizon before the extension: exact */
    arb_t pl_reached;       /* how far the dropped extension went: exact */
    int pl_status;          /* the lemma's status at pl_reached (pc_pltail.h) */
    pc_error_t err;         /* the reason when status != PC_OK */
    json_t *cert;           /* the certificate, NULL if nothing was proven */
} pc_certify_struct;
typedef pc_certify_struct pc_certify_t[1];

void pc_certify_init(pc_certify_t R);
void pc_certify_clear(pc_certify_t R);

/* The system certify uses: as pc_enclose_default_system, but the τ-system
 * for the aligned square loss of a point problem (its finite τ-range ends
 * in a tail lemma). */
pc_system_kind pc_certify_default_system(const pc_problem_t p);

/* Runs the certification of p (which must stay alive as long as R). With
 * automatic choice, a system that cannot be set up (the τ-system needs
 * ρ(0) > 0; huge data) falls back to the reduced, then the full system in
 * real time. Returns PC_OK (claims
 * and certificate in R; R->cert NULL if no claim was proven),
 * PC_ERR_UNSUPPORTED (the chosen system does not apply; nothing run),
 * PC_ERR_MEMORY with !R->have_run (the run of system R->kind would exceed
 * the memory limit: refused before anything is allocated),
 * PC_ERR_MEMORY (the certificate could not be built) or the status of a
 * failed integration (R->err says why). */
int pc_certify_run(pc_certify_t R, const pc_problem_t p, const pc_certify_opts *o);

/* The flow options a run of p with o uses (memory limit, per-step memory of
 * the claims' tables included). */
void pc_certify_flow_opts(pc_flow_opts *fo, const pc_problem_t p, const pc_certify_opts *o);

/* The entropy_decreasing claim of R, or NULL. */
const pc_claim_struct *pc_certify_decreasing(const pc_certify_t R);

#endif
