/* Claims about a flow enclosed by pc_enclose, in the sense of
 * certs/FORMAT.md: the sign of dH/dt, of d(a_i − a_j)/dt and a lower bound
 * of H, each for EVERY time of an interval.
 *
 * How: every step is cut into pieces (bisection up to `depth` levels where
 * a sign is undecided); over a piece the state is enclosed by the step's
 * Taylor polynomial plus its remainder (met with the a priori enclosure),
 * and a quantity in the two forms of FORMAT.md ("How a quantity is
 * enclosed over a piece"), in the step's reference form: on that box, and
 * with the field from the derivative of the step polynomial (which keeps
 * the correlation a box loses); its sign is the one of the first form, or
 * of the meet of both. That is exactly the checker's rule, and a sign
 * counts only if it holds with the enclosure's radius enlarged by 1/4 (the
 * checker's set, rounding and arithmetic differ from ours); the bound of
 * entropy_above keeps room likewise. A piece's real-time range is its
 * span (real-time systems) or the enclosure of t(τ) over it (τ-system,
 * where t increases with τ). A claim
 * on [from, to] is made only if every piece whose real-time range meets
 * [from, to] has the claimed sign; from and to are chosen strictly inside,
 * as 30-bit dyadic numbers, so that a checker using the same rule (pieces
 * that meet the interval) reaches the same verdict.
 *
 * Sharp T*: after the sweep, only the pieces next to the last sign change
 * (the last piece not proven negative, the first piece not proven
 * positive after a proven initial increase) are bisected further, one
 * chain of halves at a time, until the increase's end and T* lie within
 * 2^-20 (< 10^-6) relative of each other or the pieces reach depth
 * PC_CLAIMS_END_DEPTH; the claim ends are then rounded to more bits.
 *
 * Open start: with a(0) exactly uniform (a point problem), dH/dt(0) = 0
 * and a_j − ā = σ (α_j − ᾱ) along the first step, α_j the step polynomial
 * of a_j divided by σ (its remainder included), so dH/dt = σ G(σ) with
 * G = −Σ s_j (α_j − ᾱ)(ȧ_j − mean ȧ). A piece [0, δ] of the first step on
 * which G < 0 is proven has dH/dt < 0 on (0, δ] (proofs/open-start.md):
 * a decrease claim from such a piece on is made on (0, to], open_from set.
 *
 * Tail: if the hypotheses of a tail lemma hold on the enclosure of the
 * state at the end of the last step — margin-tail/1 (proofs/margin-tail.md)
 * for margin losses, square-tau-horizon/1 (proofs/square-tau-horizon.md)
 * for the aligned square loss on the τ-system — dH/dt < 0 for all later
 * times and an entropy_decreasing claim that reaches the end extends to +∞. */
#ifndef PC_CLAIMS_H
#define PC_CLAIMS_H

#include "pc_enclose.h"
#include "pc_pltail.h"

typedef enum {
    PC_CLAIM_ENTROPY_DECREASING = 0,
    PC_CLAIM_ENTROPY_INCREASING,
    PC_CLAIM_LOGIT_GAP_DECREASING,
    PC_CLAIM_ENTROPY_ABOVE,
    /* the further claims of theorem checks (pc_conclude.h) */
    PC_CLAIM_LOGIT_GAP_INCREASING,  /* d(a_i − a_j)/dt > 0 */
    PC_CLAIM_LOGIT_ABOVE,           /* a_i − a_j > 0 (open_from: on (0, to], from
                                       a_i(0) = a_j(0) and d(a_i − a_j)/dt > 0) */
    PC_CLAIM_ENTROPY_BELOW,         /* H <= bound (to +∞: H decreases from T on) */
    PC_CLAIM_ENTROPY_LIMIT,         /* lim H exists and lies in [from, to] (pl-tail) */
    PC_CLAIM_PAIR_ORDERED,          /* u_i > u_j and a_i > a_j (u = Vᵀβ, margin losses;
                                       to +∞ by the order invariance of THEOREMS.md;
                                       open_from: a_i(0) = a_j(0), u_i(0) > u_j(0)
                                       exactly, from the data alone) */
    PC_CLAIM_LOSS_BELOW,            /* L < bound (to +∞: L never increases) */
    PC_CLAIM_LOSS_ABOVE             /* L >= bound */
} pc_claim_kind;

/* The name in certificates ("entropy_decreasing", ...). */
const char *pc_claim_kind_name(pc_claim_kind kind);

typedef struct {
    pc_claim_kind kind;
    arf_t from, to;         /* exact; to = +inf only for a tail claim */
    slong i, j;             /* logit_gap_decreasing: the gap a_i − a_j */
    arf_t bound;            /* entropy_above: H >= bound */
    int lemma;              /* the claim uses the tail lemma */
    int open_from;          /* the interval is (0, to] (from = 0): entropy_decreasing
                               by the open start (proofs/open-start.md), or
                               logit_above (pc_conclude) */
} pc_claim_struct;

typedef enum {
    PC_TAIL_NONE = 0,
    PC_TAIL_MARGIN,         /* margin-tail/1 */
    PC_TAIL_SQUARE,         /* square-tau-horizon/1 */
    PC_TAIL_PL,             /* pl-tail/1 (square loss, any V(0), full system) */
    PC_TAIL_PLQ,            /* pl-tail-quadratic/1 (quadratic loss, full system) */
    PC_TAIL_PLC,            /* pl-tail-crossent/1 (cross-entropy with q > 0, full system) */
    PC_TAIL_PLW             /* pl-tail-weighted/1 (square loss, full system; where the
                               round cone of pl-tail/1 is not reached yet) */
} pc_tail_lemma;

/* The lemma's name in certificates and proofs/. */
const char *pc_tail_lemma_name(pc_tail_lemma tail);

typedef struct {
    slong len, alloc;
    pc_claim_struct *claim;
    slong depth;            /* bisection depth of the sweep over every step */
    slong end_depth;        /* deepest piece of the local refinement at the
                               ends of the sign claims (>= depth) */
    int open_start;         /* the open start applies (a(0) exactly uniform,
                               point problem, n >= 2) and was proven */
    arf_t change_lo;        /* the last sign change of dH/dt lies in
                               [change_lo, T*] (T* the from of the decrease
                               claim): the end of the proven increase, or
                               the lower end of the last piece not proven
                               negative; 0 with the open start */
    pc_tail_lemma tail;     /* the lemma whose hypotheses hold at the end */
    slong tail_token;       /* margin-tail: the winning token */
    arb_ptr tail_box;       /* square-tau-horizon: the box Y (tail_len = 2n), else NULL */
    slong tail_len;
    slong gaps_found;       /* gap claims found; only max_gaps are kept */
    int end_sign;           /* sign of dH/dt proven on the last piece: 1, −1 or 0 */
    arb_t dH_end;           /* dH/dt (dH/dτ for the τ-system) over the last piece */
    pc_pltail_struct *pl;   /* pl-tail/1 or pl-tail-quadratic/1: its hints and box, else NULL */
} pc_claims_struct;
typedef pc_claims_struct pc_claims_t[1];

/* The depth limit of the local refinement at the ends (pieces of h / 2^40). */
#define PC_CLAIMS_END_DEPTH 40

void pc_claims_init(pc_claims_t C);
void pc_claims_clear(pc_claims_t C);

/* An upper bound of the bytes pc_claims_compute needs per step of the run
 * beyond the run itself (the gap table: 8 pieces per step, a byte per
 * ordered pair of tokens, and the pieces' time ranges), for a flow's
 * opts.step_extra_bytes; 0 without gap claims. */
double pc_claims_step_memory(const pc_problem_t p, slong prec, slong max_gaps);

/* Computes the claims of a completed run E with horizon T (exact, the end
 * of the run in real time): entropy_increasing on the longest initial
 * interval, entropy_decreasing on the longest final one (to +∞ if the tail
 * lemma applies) or entropy_increasing on a final one (a counterexample),
 * entropy_above on [0, T] if the bound is positive (on [0, +∞) with
 * square-tau-horizon), and up to max_gaps logit_gap_decreasing claims:
 * for each ordered pair (i, j) with a_i > a_j proven at the end, the
 * longest run of pieces on which the gap a_i − a_j shrinks (every step cut
 * into 8 equal pieces). */
void pc_claims_compute(pc_claims_t C, pc_enclose_t E, const arf_t T, slong depth,
                       slong max_gaps);

/* The token k for which the hypotheses of margin-tail/1 hold at every point
 * of the system state x (s_k >= 5/8, a_j < Σ s_i a_i and u_j < Σ s_i u_i
 * for all j ≠ k, u = Vᵀβ), or −1 (also for losses other than logistic and
 * exponential). Each inequality is required with a margin of 1/4 of its
 * enclosure's radius, as the signs of the claims, so that the checker's
 * (possibly wider) end state satisfies it too. */
slong pc_claims_margin_tail_token(const pc_enclose_t E, arb_srcptr x);

/* square-tau-horizon/1 at the τ-system state x (u, a, t) of an aligned
 * square-loss problem: finds a box Y ⊇ X0 + [0, Δ]·F(Y) (F the τ-field of
 * (u, a), Δ = n · upper bound of ρ on x) on which dH/dτ < 0 is proven, and
 * returns 1 with Y in Ybox (2n balls); 0 if none is found or the lemma does
 * not apply. */
int pc_claims_square_tail(arb_ptr Ybox, pc_enclose_t E, arb_srcptr x);

/* Appends a claim of the given kind on [from, to] (i, j = −1, bound 0, no
 * lemma) and returns it: for callers that prove further claims on E
 * themselves (pc_conclude). */
pc_claim_struct *pc_claims_add(pc_claims_t C, pc_claim_kind kind, const arf_t from,
                               const arf_t to);

/* Over the τ-ball [lo, hi] ⊆ [0, h] of step k of E: xs (dim balls) contains
 * the state at every time of it, f the field x' there (the meet of the
 * field on xs and the derivative of the step polynomial) and tr the real
 * times of the piece (for the τ-system the enclosure of t(τ) over it). */
void pc_claims_piece(arb_ptr xs, arb_ptr f, arb_t tr, pc_enclose_t E, slong k,
                     const arf_t lo, const arf_t hi);

/* A 30-bit dyadic strictly above (up = 1) or below (up = 0) x > 0, so that
 * a claim's ends lie strictly inside what was proven. */
void pc_claims_strict_round(arf_t r, const arf_t x, int up);

/* Does the open start apply to E's problem: a point problem (radius 0)
 * with n >= 2 and a(0) exactly uniform? */
int pc_claims_open_start_applies(const pc_enclose_t E);

/* G over the piece [lo, hi] of the first step (0 <= lo <= hi <= h): an
 * enclosure of dH/dt(σ)/σ (dH/dτ(σ)/σ for the τ-system) for every σ in
 * [lo, hi] \ {0} and every solution of the run, valid only where the open
 * start applies (proofs/open-start.md). With lo = 0, an upper bound < 0
 * proves dH/dt < 0 on (0, hi]. */
void pc_claims_open_rate(arb_t G, pc_enclose_t E, const arf_t lo, const arf_t hi);

/* The divided series of the open start over the piece [lo, hi] of the first
 * step: al (n balls) contains α_j(σ) = (a_j(σ) − a_j(0))/σ for every σ in
 * [lo, hi] \ {0} and every solution of the run — the step polynomial of a_j
 * without its constant term divided by σ, its Lagrange remainder included
 * (proofs/open-start.md §3a); σ = τ for the τ-system. */
void pc_claims_open_divided(arb_ptr al, pc_enclose_t E, const arf_t lo, const arf_t hi);

/* The divided series itself, for a step polynomial with coefficients coef
 * (K + 1 rows of dim: coef[k dim + i]) and remainder rem (dim balls, the
 * coefficients of order K + 1 over the a priori enclosure): al[i] =
 * Σ_{k=1..K} coef_k τ^{k−1} + rem τ^K for the components off .. off + n − 1.
 * Encloses (x_i(τ) − x_i(0))/τ for every τ in the ball tau \ {0} whenever
 * the coefficients enclose the Taylor coefficients at 0 and rem those at
 * every point of [0, sup tau] (Lagrange; proofs/open-start.md §3a). */
void _pc_claims_divided_eval(arb_ptr al, arb_srcptr coef, arb_srcptr rem, slong K, slong dim,
                             slong off, slong n, const arb_t tau, slong prec);

#endif
