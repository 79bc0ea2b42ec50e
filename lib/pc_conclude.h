/* Conclusions of theorems, decided on a completed certification run
 * (pc_certify.h): each is PROVEN on its interval, REFUTED by a certified
 * witness, or UNDECIDED (with the reason and advice). Every proven part and
 * every witness is added to the run's claims (pc_claims.h), so that the
 * certificate states it and polarcert-verify re-checks it.
 *
 * How: the quantity of a conclusion (dH/dt, H − b, a_i − a_j or its
 * derivative) is enclosed over pieces of the steps exactly as pc_claims
 * does (every step cut into 8 pieces, an undecided piece bisected further
 * up to the run's depth); a statement on [t1, t2] is proven only if every
 * piece whose real-time range meets [t1, t2] proves it. A witness is a run
 * of consecutive pieces proving the opposite strict sign; its interval lies
 * strictly inside them (30-bit dyadic ends) and inside [t1, t2].
 *
 * To +∞ (beyond the horizon T): entropy_decreasing with a tail lemma
 * (margin-tail/1 or square-tau-horizon/1, pc_claims.h); gap_increasing(k, j)
 * and winner(k) with margin-tail/1 for token k (its invariant region has
 * a_k > a_j and d(a_k − a_j)/dt > 0 for every j ≠ k: proofs/margin-tail.md,
 * corollary); entropy_below(b) when entropy_decreasing holds to +∞ from
 * before T (then H(t) <= H(T) for t >= T); entropy_above(b) with
 * square-tau-horizon/1 (its box Y). Anything else stays UNDECIDED beyond T.
 *
 * An interval open at 0, (0, t2]: winner(k) from a_k(0) = a_j(0) exactly
 * and d(a_k − a_j)/dt > 0 on [0, t2]. For the entropy the open interval
 * needs the series argument at t = 0 (pc_claims, issue 8 item 1); without
 * it the part (0, T*) is reported UNDECIDED. */
#ifndef PC_CONCLUDE_H
#define PC_CONCLUDE_H

#include "pc_certify.h"

typedef enum {
    PC_CONCL_ENTROPY_DECREASING = 0,
    PC_CONCL_ENTROPY_INCREASING,
    PC_CONCL_ENTROPY_ABOVE,
    PC_CONCL_ENTROPY_BELOW,
    PC_CONCL_GAP_INCREASING,
    PC_CONCL_GAP_DECREASING,
    PC_CONCL_ORDERED_GAPS_INCREASING,
    PC_CONCL_ALL_GAPS_INCREASING,
    PC_CONCL_ORDER_PRESERVED,
    PC_CONCL_WINNER,
    PC_CONCL_LOSS_BELOW,
    PC_CONCL_COUNT
} pc_concl_kind;

/* Names in theorem files ("entropy_decreasing", ...) and the inverse
 * (PC_ERR_INPUT for an unknown name). */
const char *pc_concl_name(pc_concl_kind kind);
int pc_concl_from_name(pc_concl_kind *kind, const char *name);

#define PC_TOKEN_TOP (-2)   /* the token with the largest u_j(0) */
#define PC_TOKEN_ALL (-3)   /* (as j) every token other than i */

typedef struct {
    pc_concl_kind kind;
    slong i, j;             /* gap_*: a_i − a_j (i may be TOP, j ALL); winner: i */
    fmpq_t bound;           /* entropy_above/below, loss_below */
    int bound_auto;         /* entropy_above: any positive bound */
    fmpq_t from;            /* t1 >= 0 */
    int open_from;          /* (t1, ...]: only with t1 = 0 */
    int from_auto;          /* entropy_below: t1 computed (the polarization time t_b) */
    fmpq_t to;              /* t2 (if !to_inf) */
    int to_inf;
} pc_concl_struct;
typedef pc_concl_struct pc_concl_t[1];

void pc_concl_init(pc_concl_t c);
void pc_concl_clear(pc_concl_t c);
void pc_concl_set(pc_concl_t c, const pc_concl_t src);

typedef enum {
    PC_VERDICT_PROVEN = 0,
    PC_VERDICT_REFUTED,
    PC_VERDICT_UNDECIDED
} pc_verdict;

const char *pc_verdict_name(pc_verdict v);      /* "PROVEN", ... */

typedef struct {
    pc_verdict verdict;
    char what[160];         /* the statement proven, or the witness */
    char why[320];          /* undecided: the reason, then the advice */
    slong *claims;          /* indices into the run's claims: the proof or witness */
    slong nclaims;
} pc_concl_result_struct;
typedef pc_concl_result_struct pc_concl_result_t[1];

void pc_concl_result_init(pc_concl_result_t r);
void pc_concl_result_clear(pc_concl_result_t r);

/* Decides c on the completed run R (pc_certify_run returned PC_OK) and adds
 * the claims of its proof or witness to R->C (listed in r->claims).
 * u_order: the tokens by decreasing u_j(0) if u(0) is strictly ordered on
 * the whole box (pc_hypo.h), else NULL (then conclusions that refer to that
 * order are UNDECIDED). */
void pc_concl_decide(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                     const slong *u_order);

#endif
