#include <string.h>
#include "pc_claims.h"
#include "pc_memory.h"

/* One of the PL tail lemmas (pl-tail, pl-tail-quadratic) holds. */
#define PL_TAIL(C) ((C)->tail == PC_TAIL_PL || (C)->tail == PC_TAIL_PLQ || \
                    (C)->tail == PC_TAIL_PLC || (C)->tail == PC_TAIL_PLW)

const char *pc_claim_kind_name(pc_claim_kind kind)
{
    switch (kind) {
    case PC_CLAIM_ENTROPY_DECREASING: return "entropy_decreasing";
    case PC_CLAIM_ENTROPY_INCREASING: return "entropy_increasing";
    case PC_CLAIM_LOGIT_GAP_DECREASING: return "logit_gap_decreasing";
    case PC_CLAIM_ENTROPY_LIMIT: return "entropy_limit";
    case PC_CLAIM_LOGIT_GAP_INCREASING: return "logit_gap_increasing";
    case PC_CLAIM_LOGIT_ABOVE: return "logit_above";
    case PC_CLAIM_ENTROPY_BELOW: return "entropy_below";
    case PC_CLAIM_PAIR_ORDERED: return "pair_ordered";
    case PC_CLAIM_LOSS_BELOW: return "loss_below";
    case PC_CLAIM_LOSS_ABOVE: return "loss_above";
    default: return "entropy_above";
    }
}

const char *pc_tail_lemma_name(pc_tail_lemma tail)
{
    return tail == PC_TAIL_MARGIN ? "margin-tail" : tail == PC_TAIL_SQUARE ? "square-tau-horizon"
           : tail == PC_TAIL_PL ? "pl-tail" : tail == PC_TAIL_PLQ ? "pl-tail-quadratic"
           : tail == PC_TAIL_PLC ? "pl-tail-crossent"
           : tail == PC_TAIL_PLW ? "pl-tail-weighted" : "none";
}

void pc_claims_init(pc_claims_t C)
{
    C->len = C->alloc = 0;
    C->claim = NULL;
    C->depth = C->end_depth = 0;
    C->open_start = 0;
    arf_init(C->change_lo);
    C->tail = PC_TAIL_NONE;
    C->tail_token = -1;
    C->tail_box = NULL;
    C->gaps_found = 0;
    C->end_sign = 0;
    arb_init(C->dH_end);
    C->pl = NULL;
}

void pc_claims_clear(pc_claims_t C)
{
    for (slong k = 0; k < C->len; k++) {
        arf_clear(C->claim[k].from);
        arf_clear(C->claim[k].to);
        arf_clear(C->claim[k].bound);
    }
    flint_free(C->claim);
    arb_clear(C->dH_end);
    arf_clear(C->change_lo);
    if (C->tail_box != NULL)
        _arb_vec_clear(C->tail_box, C->tail_len);
    if (C->pl != NULL) {
        pc_pltail_clear(C->pl);
        flint_free(C->pl);
    }
}

static pc_claim_struct *claims_add(pc_claims_t C, pc_claim_kind kind, const arf_t from,
                                   const arf_t to)
{
    if (C->len == C->alloc) {
        C->alloc = 2 * C->alloc + 8;
        C->claim = flint_realloc(C->claim, sizeof(pc_claim_struct) * C->alloc);
    }
    pc_claim_struct *c = C->claim + C->len++;
    c->kind = kind;
    arf_init(c->from);
    arf_init(c->to);
    arf_init(c->bound);
    arf_set(c->from, from);
    arf_set(c->to, to);
    c->i = c->j = -1;
    c->lemma = 0;
    c->open_from = 0;
    return c;
}

/* A dyadic of `bits` bits strictly above (up = 1) or below (up = 0) the
 * number x > 0: claim ends strictly inside what was proven (see
 * pc_claims.h). */
static void strict_round(arf_t r, const arf_t x, int up, slong bits)
{
    arf_t f;                                    /* 1 ± 2^-bits, exact */
    arf_init(f);
    arf_set_si(f, up ? 1 : -1);
    arf_mul_2exp_si(f, f, -bits);
    arf_add_si(f, f, 1, ARF_PREC_EXACT, ARF_RND_DOWN);
    /* (the rounding mode in a variable: arf_mul is a macro that compares its
     * unparenthesised argument with ARF_RND_DOWN, which turned
     * `up ? ARF_RND_UP : ARF_RND_DOWN` into a rounding down in both cases) */
    const arf_rnd_t rnd = up ? ARF_RND_UP : ARF_RND_DOWN;
    arf_mul(r, x, f, bits, rnd);
    arf_clear(f);
}

/* The bits of the claim ends: 30, and one more per level of the local
 * refinement, so that rounding never spends the resolution it bought. */
static slong end_bits(const pc_claims_t C, slong prec)
{
    slong b = 30 + (C->end_depth - C->depth);
    return b < prec ? b : prec;
}

/* One piece [lo, hi] ⊆ [0, h] of step `step`, at bisection depth `depth`:
 * its proven sign and real-time range. `open`: the sign −1 holds on
 * (0, hi] only (the open start). */
typedef struct {
    int sign, open;
    slong step, depth;
    arf_t lo, hi;
    arb_t trange;
    double rad, prad;       /* radius of dH/dt over it and over its parent (a
                               heuristic of the refinement only, 0 if unknown) */
} piece;

typedef struct {
    slong len, alloc;
    piece *p;
} piece_list;

/* Inserts a piece at position pos (0 <= pos <= len). */
static void pieces_insert(piece_list *L, slong pos, int sign, int open, slong step,
                          slong depth, const arf_t lo, const arf_t hi, const arb_t trange)
{
    if (L->len == L->alloc) {
        L->alloc = 2 * L->alloc + 64;
        L->p = flint_realloc(L->p, sizeof(piece) * L->alloc);
    }
    memmove(L->p + pos + 1, L->p + pos, sizeof(piece) * (L->len - pos));
    piece *q = L->p + pos;
    q->sign = sign;
    q->open = open;
    q->step = step;
    q->depth = depth;
    arf_init(q->lo);
    arf_init(q->hi);
    arb_init(q->trange);
    arf_set(q->lo, lo);
    arf_set(q->hi, hi);
    arb_set(q->trange, trange);
    q->rad = q->prad = 0;
    L->len++;
}

static void piece_clear(piece *q)
{
    arf_clear(q->lo);
    arf_clear(q->hi);
    arb_clear(q->trange);
}

/* Removes the piece at pos. */
static void pieces_remove(piece_list *L, slong pos)
{
    piece_clear(L->p + pos);
    memmove(L->p + pos, L->p + pos + 1, sizeof(piece) * (L->len - pos - 1));
    L->len--;
}

static void pieces_clear(piece_list *L)
{
    for (slong k = 0; k < L->len; k++)
        piece_clear(L->p + k);
    flint_free(L->p);
}

/* Scratch space for evaluating quantities over pieces. */
typedef struct {
    pc_enclose_struct *E;
    const pc_flow_step_struct *s;
    slong dim, off, n;
    int open_start;         /* the open start applies to the problem */
    arb_ptr xs, f, g, sA, sAd, al;
    arb_t q, q2, q3, tau, tr;
} piece_work;

/* The real-time range of the state box xs over the τ-ball [lo, hi] of s. */
static void piece_trange(arb_t tr, const piece_work *w, const arf_t lo, const arf_t hi)
{
    if (w->E->kind == PC_SYSTEM_TAU) {
        arb_set(tr, w->xs + 2 * w->n);
        return;
    }
    arf_t a, b;
    arf_init(a);
    arf_init(b);
    arf_add(a, arb_midref(w->s->t0), lo, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_add(b, arb_midref(w->s->t0), hi, ARF_PREC_EXACT, ARF_RND_DOWN);
    arb_set_interval_arf(tr, a, b, ARF_PREC_EXACT);
    arf_clear(a);
    arf_clear(b);
}

/* f = x' over the τ-ball tau from the step polynomial: x' = f(x) has the
 * Taylor coefficients (k+1) x_{k+1}, and the Lagrange form of its remainder
 * is (K+1) x_{K+1}(ξ) τ^K with x(ξ) in the a priori enclosure, so
 *   x'(τ) ∈ Σ_{k<K} (k+1) coef_{k+1} τ^k + (K+1) rem τ^K.
 * Unlike f evaluated on the state's box, this keeps the correlation between
 * the components (the field's value moves only as much as it really does),
 * which decides signs of small quantities such as dH/dt late in a run. */
static void step_derivative_eval(arb_ptr f, const pc_flow_step_struct *s, slong dim,
                                 const arb_t tau, slong prec)
{
    const slong K = s->order;
    for (slong i = 0; i < dim; i++) {
        arb_mul_si(f + i, s->rem + i, K + 1, prec);
        for (slong k = K - 1; k >= 0; k--) {
            arb_mul(f + i, f + i, tau, prec);
            arb_addmul_si(f + i, s->coef + (k + 1) * dim + i, k + 1, prec);
        }
    }
}

/* al = (x(τ) − x(0)) / τ over the τ-ball tau (τ > 0) for the components
 * [off, off + n): the step polynomial without its constant term, divided by
 * τ, remainder included (Lagrange form, as in pc_flow_step_eval):
 *   Σ_{1<=k<=K} coef_k τ^{k−1} + rem τ^K. */
void _pc_claims_divided_eval(arb_ptr al, arb_srcptr coef, arb_srcptr rem, slong K, slong dim,
                             slong off, slong n, const arb_t tau, slong prec)
{
    for (slong i = 0; i < n; i++) {
        arb_set(al + i, rem + off + i);     /* x_{K+1}(E) τ^K: the Lagrange remainder */
        for (slong k = K; k >= 1; k--) {
            arb_mul(al + i, al + i, tau, prec);
            arb_add(al + i, al + i, coef + k * dim + off + i, prec);
        }
    }
}

static void step_divided_eval(arb_ptr al, const pc_flow_step_struct *s, slong dim,
                              slong off, slong n, const arb_t tau, slong prec)
{
    _pc_claims_divided_eval(al, s->coef, s->rem, s->order, dim, off, n, tau, prec);
}

/* sA_j = s_j (a_j − mean_s(a)) with s in the step's reference form w
 * (FORMAT.md): e_k = exp(a_k − a_w), e_w = 1, s_k = e_k / Σ e; in sA the
 * centred form a_j − mean_s(a) = (a_j − a_w) − Σ_{k≠w} s_k (a_k − a_w), in
 * sAd the direct one a_j − Σ_k s_k a_k (tighter over short pieces of a run
 * from a(0) = 0). The checker uses these forms; a softmax shifted by
 * another token would give other widths over a box. */
static void piece_sa(arb_ptr sA, arb_ptr sAd, arb_srcptr a, slong n, slong w, slong prec)
{
    arb_ptr e = _arb_vec_init(n), da = _arb_vec_init(n);
    arb_t S, md;
    arb_init(S);
    arb_init(md);
    for (slong k = 0; k < n; k++) {
        if (k == w) {
            arb_one(e + k);
            continue;
        }
        arb_sub(da + k, a + k, a + w, prec);
        arb_exp(e + k, da + k, prec);
    }
    for (slong k = 0; k < n; k++)
        arb_add(S, S, e + k, prec);
    for (slong k = 0; k < n; k++)
        arb_div(e + k, e + k, S, prec);         /* e = s */
    for (slong k = 0; k < n; k++)
        if (k != w)
            arb_addmul(md, e + k, da + k, prec);
    for (slong j = 0; j < n; j++) {
        arb_sub(sA + j, da + j, md, prec);      /* (da_w = 0) */
        arb_mul(sA + j, sA + j, e + j, prec);
    }
    arb_zero(md);
    for (slong k = 0; k < n; k++)
        arb_addmul(md, e + k, a + k, prec);
    for (slong j = 0; j < n; j++) {
        arb_sub(sAd + j, a + j, md, prec);
        arb_mul(sAd + j, sAd + j, e + j, prec);
    }
    arb_clear(S);
    arb_clear(md);
    _arb_vec_clear(e, n);
    _arb_vec_clear(da, n);
}

/* The state over [lo, hi] ⊆ [0, h] (step polynomial + remainder, met with
 * the step's a priori enclosure), the field there in two forms: f on that
 * box in the step's own reference form, g the derivative of the step
 * polynomial (kept apart: the quantities are evaluated on each and met
 * afterwards, as the checker does; FORMAT.md "claims"), sA (piece_sa) and
 * the piece's real-time range. */
static void piece_eval(piece_work *w, const arf_t lo, const arf_t hi)
{
    const slong prec = w->E->prec;
    arb_set_interval_arf(w->tau, lo, hi, prec);
    pc_flow_step_eval(w->xs, w->s, w->dim, w->tau, prec);
    for (slong i = 0; i < w->dim; i++)
        if (!arb_intersection(w->xs + i, w->xs + i, w->s->apriori + i, prec))
            arb_set(w->xs + i, w->s->apriori + i);      /* (cannot happen) */
    pc_tape_eval_arb(w->f, w->s->tape, w->xs, prec);
    step_derivative_eval(w->g, w->s, w->dim, w->tau, prec);
    piece_sa(w->sA, w->sAd, w->xs + w->off, w->n, w->s->tape - w->E->sys->tape, prec);
    piece_trange(w->tr, w, lo, hi);
}

/* The sign of the ball x, decided only with a margin: x widened by 1/4 of
 * its radius must exclude 0. The checker evaluates the same forms in other
 * arithmetic (and on its own set representation), so its enclosures differ
 * from ours by rounding and by second-order terms; a sign that holds only
 * to the last bit here need not hold there. */
static int margin_sign(const arb_t x)
{
    arb_t y;
    mag_t m;
    arb_init(y);
    mag_init(m);
    arb_set(y, x);
    mag_mul_2exp_si(m, arb_radref(x), -2);
    arb_add_error_mag(y, m);
    int sign = arb_is_positive(y) ? 1 : (arb_is_negative(y) ? -1 : 0);
    arb_clear(y);
    mag_clear(m);
    return sign;
}

/* The sign of a quantity enclosed in two forms, x on the state box and y
 * from the derivative polynomial: x alone, else the meet of x and y (the
 * checker's rule, FORMAT.md "claims"). */
static int two_form_sign(arb_t x, const arb_t y, slong prec)
{
    int sign = margin_sign(x);
    if (sign == 0 && arb_intersection(x, x, y, prec))
        sign = margin_sign(x);
    return sign;
}

/* G = −Σ_j s_j (α_j − ᾱ)(ȧ_j − mean_s ȧ) on the piece just evaluated by
 * piece_eval (s from its state, ȧ from the derivative of the step
 * polynomial, the checker's form), α the divided a-polynomial over w->tau:
 * dH/dt = σ G on the first step when a(0) is uniform
 * (proofs/open-start.md). */
static void open_rate_eval(arb_t G, piece_work *w)
{
    const slong n = w->n, prec = w->E->prec;
    arb_ptr s = _arb_vec_init(n);
    arb_t ab, db, p, q;
    arb_init(ab);
    arb_init(db);
    arb_init(p);
    arb_init(q);
    step_divided_eval(w->al, w->s, w->dim, w->off, n, w->tau, prec);
    pc_softmax_arb(s, w->xs + w->off, n, prec);
    arb_dot(ab, NULL, 0, s, 1, w->al, 1, n, prec);
    arb_dot(db, NULL, 0, s, 1, w->g + w->off, 1, n, prec);
    arb_zero(G);
    for (slong j = 0; j < n; j++) {
        arb_sub(p, w->al + j, ab, prec);
        arb_sub(q, w->g + w->off + j, db, prec);
        arb_mul(p, p, q, prec);
        arb_submul(G, s + j, p, prec);
    }
    arb_clear(ab);
    arb_clear(db);
    arb_clear(p);
    arb_clear(q);
    _arb_vec_clear(s, n);
}

/* dH/dt (dH/dτ) over [lo, hi] ⊆ [0, h] in w->q: its proven sign, or 0.
 * The forms are −Σ_j sA_j a'_j, with a' the field on the box (there
 * a'_j = ρ s_j (u_j − ū), so this is −ρ Σ s_j² (a_j − ā)(u_j − ū)), and
 * with a' from the derivative polynomial, there with sA and with sAd
 * (met). On the piece [0, hi] of the first step with the open start, −1 if
 * G < 0 is proven with the margin (*open set: the sign holds on (0, hi]). */
static int piece_entropy_sign(piece_work *w, const arf_t lo, const arf_t hi, int *open)
{
    const slong prec = w->E->prec;
    piece_eval(w, lo, hi);
    arb_zero(w->q);
    arb_zero(w->q2);
    arb_zero(w->q3);
    for (slong j = 0; j < w->n; j++) {
        arb_submul(w->q, w->sA + j, w->f + w->off + j, prec);
        arb_submul(w->q2, w->sA + j, w->g + w->off + j, prec);
        arb_submul(w->q3, w->sAd + j, w->g + w->off + j, prec);
    }
    if (!arb_intersection(w->q2, w->q2, w->q3, prec))
        arb_indeterminate(w->q2);               /* (cannot happen): no derivative form */
    *open = 0;
    int sign = two_form_sign(w->q, w->q2, prec);
    if (sign == 0 && w->open_start && w->s == w->E->flow->step && arf_is_zero(lo)) {
        arb_t G;
        arb_init(G);
        open_rate_eval(G, w);
        if (margin_sign(G) < 0)
            sign = -1, *open = 1;
        arb_clear(G);
    }
    return sign;
}

/* Appends the pieces of [lo, hi] of step k, bisecting undecided ones up to
 * `depth` more levels (the pieces are at level `level`). */
static void step_pieces(piece_list *L, piece_work *w, slong k, const arf_t lo,
                        const arf_t hi, slong level, slong depth)
{
    int open, sign = piece_entropy_sign(w, lo, hi, &open);
    if (sign != 0 || depth == 0) {
        pieces_insert(L, L->len, sign, open, k, level, lo, hi, w->tr);
        return;
    }
    arf_t mid;
    arf_init(mid);
    arf_add(mid, lo, hi, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_mul_2exp_si(mid, mid, -1);
    step_pieces(L, w, k, lo, mid, level + 1, depth - 1);
    step_pieces(L, w, k, mid, hi, level + 1, depth - 1);
    arf_clear(mid);
}

/* Replaces piece pos by its two halves (one evaluation each). */
static void piece_split(piece_list *L, piece_work *w, slong pos)
{
    piece *q = L->p + pos;
    slong k = q->step, level = q->depth + 1;
    arf_t lo, mid, hi;
    arf_init(lo);
    arf_init(mid);
    arf_init(hi);
    arf_set(lo, q->lo);
    arf_set(hi, q->hi);
    arf_add(mid, lo, hi, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_mul_2exp_si(mid, mid, -1);
    double prad = q->rad;
    pieces_remove(L, pos);
    w->s = w->E->flow->step + k;
    for (int half = 1; half >= 0; half--) {
        int open, sign = piece_entropy_sign(w, half ? mid : lo, half ? hi : mid, &open);
        pieces_insert(L, pos, sign, open, k, level, half ? mid : lo, half ? hi : mid, w->tr);
        L->p[pos].rad = mag_get_d(arb_radref(w->q));
        L->p[pos].prad = prad;
    }
    arf_clear(lo);
    arf_clear(mid);
    arf_clear(hi);
}

static void work_init(piece_work *w, pc_enclose_t E)
{
    w->E = E;
    w->dim = E->sys->dim;
    w->n = E->p->n;
    w->off = pc_system_a_offset(E->kind, E->p);
    w->open_start = 0;
    w->xs = _arb_vec_init(w->dim);
    w->f = _arb_vec_init(w->dim);
    w->g = _arb_vec_init(w->dim);
    w->sA = _arb_vec_init(w->n);
    w->sAd = _arb_vec_init(w->n);
    w->al = _arb_vec_init(w->n);
    arb_init(w->q);
    arb_init(w->q2);
    arb_init(w->q3);
    arb_init(w->tau);
    arb_init(w->tr);
}

static void work_clear(piece_work *w)
{
    _arb_vec_clear(w->xs, w->dim);
    _arb_vec_clear(w->f, w->dim);
    _arb_vec_clear(w->g, w->dim);
    _arb_vec_clear(w->sA, w->n);
    _arb_vec_clear(w->sAd, w->n);
    _arb_vec_clear(w->al, w->n);
    arb_clear(w->q);
    arb_clear(w->q2);
    arb_clear(w->q3);
    arb_clear(w->tau);
    arb_clear(w->tr);
}

/* The start of the final run of pieces with the given sign: strictly above
 * the highest time of any piece without it (0 if there is none). */
static void final_start(arf_t start, const piece_list *L, int sign, slong prec, slong bits)
{
    arf_t x;
    arf_init(x);
    arf_zero(start);
    for (slong k = 0; k < L->len; k++)
        if (L->p[k].sign != sign) {
            arb_get_ubound_arf(x, L->p[k].trange, prec);
            if (arf_cmp(x, start) > 0)
                arf_set(start, x);
        }
    if (arf_sgn(start) > 0)
        strict_round(start, start, 1, bits);
    arf_clear(x);
}

/* The lowest time of any piece not proven rising (T if there is none). */
static void initial_end(arf_t rise, const piece_list *L, const arf_t T, slong prec)
{
    arf_t x;
    arf_init(x);
    arf_set(rise, T);
    for (slong k = 0; k < L->len; k++)
        if (L->p[k].sign != 1) {
            arb_get_lbound_arf(x, L->p[k].trange, prec);
            if (arf_cmp(x, rise) < 0)
                arf_set(rise, x);
        }
    arf_clear(x);
}

/* Is [lo, hi] (0 < lo <= hi, or lo = 0) within 2^-20 relative? */
static int bracket_sharp(const arf_t lo, const arf_t hi)
{
    arf_t d;
    arf_init(d);
    arf_sub(d, hi, lo, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_mul_2exp_si(d, d, 20);
    int ok = arf_sgn(lo) > 0 && arf_cmp(d, hi) <= 0;
    arf_clear(d);
    return ok;
}

/* May the piece be split further? Below PC_CLAIMS_END_DEPTH, and as long as
 * halving it shrank the enclosure of dH/dt over it (a sign change resolved
 * by the piece size, not a width floor of the enclosures, e.g. from a box
 * of initial data: at a floor the checker, in other arithmetic, may not
 * reach the certifier's edge). */
static int piece_refinable(const piece *q)
{
    return q->depth < PC_CLAIMS_END_DEPTH && !(q->prad > 0 && q->rad > 0.75 * q->prad);
}

/* The local refinement at the last sign change (see pc_claims.h), for point
 * problems (a box's enclosures have a width floor): while the bracket [end
 * of the increase, top of the last piece not proven negative] is wider
 * than 2^-20 relative, split the last piece not proven negative (if a
 * decrease follows it) and the first piece not proven positive (if an
 * increase precedes it), while piece_refinable. */
static void refine_ends(piece_list *L, piece_work *w, const arf_t T)
{
    const slong prec = w->E->prec;
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    for (int it = 0; it < 4 * PC_CLAIMS_END_DEPTH; it++) {
        slong F = -1, R = -1;
        for (slong k = L->len - 1; k >= 0 && F < 0; k--)
            if (L->p[k].sign != -1)
                F = k;
        for (slong k = 0; k < L->len && R < 0; k++)
            if (L->p[k].sign != 1)
                R = k;
        int fall = F >= 0 && F < L->len - 1, rise = R > 0;
        if (!fall)
            break;
        arb_get_ubound_arf(hi, L->p[F].trange, prec);
        if (rise)
            initial_end(lo, L, T, prec);
        else
            arb_get_lbound_arf(lo, L->p[F].trange, prec);
        if (bracket_sharp(lo, hi))
            break;
        int split = 0;
        if (piece_refinable(L->p + F)) {
            piece_split(L, w, F);
            split = 1;
        }
        if (rise && (R != F || !split) && piece_refinable(L->p + R)) {
            piece_split(L, w, R);           /* R <= F: F's split did not move it */
            split = 1;
        }
        if (!split)
            break;
    }
    arf_clear(lo);
    arf_clear(hi);
}

/* Entropy monotonicity: the initial rising and final falling (or rising)
 * intervals. */
static void claims_entropy(pc_claims_t C, pc_enclose_t E, const arf_t T, slong depth)
{
    piece_list L = {0, 0, NULL};
    piece_work w;
    arf_t zero, rise, fall, x;
    arf_init(zero);
    arf_init(rise);
    arf_init(fall);
    arf_init(x);
    work_init(&w, E);
    w.open_start = pc_claims_open_start_applies(E);
    for (slong k = 0; k < E->flow->nsteps; k++) {
        w.s = E->flow->step + k;
        step_pieces(&L, &w, k, zero, arb_midref(w.s->h), 0, depth);
        if (k == E->flow->nsteps - 1) {
            C->end_sign = L.p[L.len - 1].sign;
            arb_set(C->dH_end, w.q);
        }
    }
    if (!pc_problem_is_box(E->p))
        refine_ends(&L, &w, T);
    C->end_depth = depth;
    for (slong k = 0; k < L.len; k++)
        if (L.p[k].depth > C->end_depth)
            C->end_depth = L.p[k].depth;
    const slong bits = end_bits(C, E->prec);
    /* rise: below the lowest time of any piece not proven rising */
    initial_end(rise, &L, T, E->prec);
    if (arf_sgn(rise) > 0) {
        if (arf_cmp(rise, T) < 0)
            strict_round(rise, rise, 0, bits);
        pc_claim_struct *c = claims_add(C, PC_CLAIM_ENTROPY_INCREASING, zero, rise);
        if (arf_equal(rise, T) && PL_TAIL(C) && C->pl->sign > 0) {
            arf_pos_inf(c->to);                 /* rising from 0 on, for ever */
            c->lemma = 1;
        }
    }
    /* fall: above the highest time of any piece not proven falling */
    final_start(fall, &L, -1, E->prec, bits);
    if (arf_cmp(fall, T) < 0) {
        pc_claim_struct *c = claims_add(C, PC_CLAIM_ENTROPY_DECREASING, fall, T);
        if (arf_is_zero(fall) && L.len > 0 && L.p[0].open)
            c->open_from = C->open_start = 1;
        if (C->tail != PC_TAIL_NONE && (!PL_TAIL(C) || C->pl->sign < 0)) {
            arf_pos_inf(c->to);
            c->lemma = 1;
        }
        /* where the last sign change lies: above the increase, or above
         * the lower end of the last piece not proven negative */
        if (arf_sgn(rise) > 0 && arf_cmp(rise, fall) < 0)
            arf_set(C->change_lo, rise);
        else
            for (slong k = L.len - 1; k >= 0; k--)
                if (L.p[k].sign != -1) {
                    arb_get_lbound_arf(C->change_lo, L.p[k].trange, E->prec);
                    break;
                }
    }
    /* a final rising run (a counterexample at the end), unless it is all of [0, T] */
    final_start(x, &L, 1, E->prec, bits);
    if (arf_sgn(x) > 0 && arf_cmp(x, T) < 0) {
        pc_claim_struct *c = claims_add(C, PC_CLAIM_ENTROPY_INCREASING, x, T);
        if (PL_TAIL(C) && C->pl->sign > 0) {     /* rising for ever */
            arf_pos_inf(c->to);
            c->lemma = 1;
        }
    }
    work_clear(&w);
    pieces_clear(&L);
    arf_clear(zero);
    arf_clear(rise);
    arf_clear(fall);
    arf_clear(x);
}

int pc_claims_open_start_applies(const pc_enclose_t E)
{
    const pc_problem_struct *p = E->p;
    if (p->n < 2 || pc_problem_is_box(p))
        return 0;
    for (slong j = 1; j < p->n; j++)
        if (!fmpq_equal(p->a + j, p->a))
            return 0;
    return 1;
}

void pc_claims_open_rate(arb_t G, pc_enclose_t E, const arf_t lo, const arf_t hi)
{
    piece_work w;
    work_init(&w, E);
    w.s = E->flow->step;
    piece_eval(&w, lo, hi);
    open_rate_eval(G, &w);
    work_clear(&w);
}

void pc_claims_open_divided(arb_ptr al, pc_enclose_t E, const arf_t lo, const arf_t hi)
{
    piece_work w;
    work_init(&w, E);
    w.s = E->flow->step;
    arb_set_interval_arf(w.tau, lo, hi, E->prec);
    step_divided_eval(al, w.s, w.dim, w.off, w.n, w.tau, E->prec);
    work_clear(&w);
}

/* Gaps are decided on every step cut into 2^GAP_DEPTH equal pieces. */
#define GAP_DEPTH 3

/* MUST FOLLOW gap_pieces. */
double pc_claims_step_memory(const pc_problem_t p, slong prec, slong max_gaps)
{
    if (max_gaps <= 0)
        return 0;
    return (1 << GAP_DEPTH) * ((double) p->n * p->n + pc_memory_ball_bytes(prec));
}

/* The pieces' real-time ranges (tr, one per piece) and shrink[(P*n + i)*n
 * + j]: d(a_i − a_j)/dt < 0 proven over piece P. Returns the piece count. */
static slong gap_pieces(arb_ptr *tr, char **shrink, pc_enclose_t E)
{
    const slong n = E->p->n, per = 1 << GAP_DEPTH, np = E->flow->nsteps * per;
    char *sh = flint_calloc(np * n * n, 1);
    arb_ptr t = _arb_vec_init(np);
    piece_work w;
    arf_t lo, hi;
    arb_t d, d2;
    arf_init(lo);
    arf_init(hi);
    arb_init(d);
    arb_init(d2);
    work_init(&w, E);
    for (slong P = 0; P < np; P++) {
        w.s = E->flow->step + P / per;
        arf_mul_si(lo, arb_midref(w.s->h), P % per, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(lo, lo, -GAP_DEPTH);
        arf_mul_si(hi, arb_midref(w.s->h), P % per + 1, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(hi, hi, -GAP_DEPTH);
        piece_eval(&w, lo, hi);
        arb_set(t + P, w.tr);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++) {
                arb_sub(d, w.f + w.off + i, w.f + w.off + j, E->prec);
                arb_sub(d2, w.g + w.off + i, w.g + w.off + j, E->prec);
                sh[(P * n + i) * n + j] = i != j && two_form_sign(d, d2, E->prec) < 0;
            }
    }
    work_clear(&w);
    arf_clear(lo);
    arf_clear(hi);
    arb_clear(d);
    arb_clear(d2);
    *tr = t;
    *shrink = sh;
    return np;
}

/* The claim for the gap a_i − a_j on the run of pieces [k0, k1) of np. */
static void gap_claim(pc_claims_t C, const pc_enclose_t E, arb_srcptr tr, slong np,
                      const arf_t T, slong i, slong j, slong k0, slong k1)
{
    arf_t from, to, x;
    arf_init(from);
    arf_init(to);
    arf_init(x);
    arf_set(to, T);
    for (slong k = 0; k < k0; k++) {            /* strictly after the pieces before */
        arb_get_ubound_arf(x, tr + k, E->prec);
        if (arf_cmp(x, from) > 0)
            arf_set(from, x);
    }
    if (k0 > 0)
        strict_round(from, from, 1, 30);
    for (slong k = k1; k < np; k++) {           /* strictly before the pieces after */
        arb_get_lbound_arf(x, tr + k, E->prec);
        if (arf_cmp(x, to) < 0)
            arf_set(to, x);
    }
    if (k1 < np && arf_sgn(to) > 0)
        strict_round(to, to, 0, 30);
    if (arf_cmp(from, to) < 0) {
        pc_claim_struct *c = claims_add(C, PC_CLAIM_LOGIT_GAP_DECREASING, from, to);
        c->i = i;
        c->j = j;
    }
    arf_clear(from);
    arf_clear(to);
    arf_clear(x);
}

/* Gaps a_i − a_j with a_i > a_j proven at the end that shrink on some run
 * of pieces: the longest such run per pair. */
static void claims_gaps(pc_claims_t C, pc_enclose_t E, const arf_t T, slong max_gaps)
{
    const slong n = E->p->n, off = pc_system_a_offset(E->kind, E->p);
    arb_srcptr a = E->flow->step[E->flow->nsteps - 1].end + off;
    arb_ptr tr;
    char *sh;
    slong np = gap_pieces(&tr, &sh, E);
    arb_t d;
    arb_init(d);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            arb_sub(d, a + i, a + j, E->prec);
            if (i == j || !arb_is_positive(d))
                continue;
            slong best0 = 0, best = 0;
            for (slong k = 0; k < np;) {
                slong k1 = k;
                while (k1 < np && sh[(k1 * n + i) * n + j])
                    k1++;
                if (k1 - k > best)
                    best = k1 - k, best0 = k;
                k = k1 + 1;
            }
            if (best > 0 && C->gaps_found++ < max_gaps)
                gap_claim(C, E, tr, np, T, i, j, best0, best0 + best);
        }
    arb_clear(d);
    _arb_vec_clear(tr, np);
    flint_free(sh);
}

/* H >= bound on [0, T]: the lowest lower bound of H over whole steps, each
 * taken as mid − 2 rad of H's enclosure (room for a checker whose set, and
 * so whose enclosure of H, is wider than ours: near the uniform softmax the
 * interval lower bound of H falls with the width to first order); on
 * [0, ∞) if square-tau-horizon holds, with H over its box Y as well (Y
 * holds the state for all later times). */
static void claims_entropy_above(pc_claims_t C, pc_enclose_t E, const arf_t T)
{
    const slong off = pc_system_a_offset(E->kind, E->p), n = E->p->n;
    arb_t H;
    arf_t lo, x, zero;
    arb_init(H);
    arf_init(lo);
    arf_init(x);
    arf_init(zero);
    arf_pos_inf(lo);
    for (slong k = 0; k <= E->flow->nsteps; k++) {
        if (k < E->flow->nsteps)
            pc_entropy_arb(H, E->flow->step[k].range + off, n, E->prec);
        else if (C->tail == PC_TAIL_SQUARE)
            pc_entropy_arb(H, C->tail_box + n, n, E->prec);
        else if (PL_TAIL(C))
            arb_set(H, C->pl->Hlim);
        else
            break;
        mag_mul_2exp_si(arb_radref(H), arb_radref(H), 1);
        arb_get_lbound_arf(x, H, E->prec);
        if (arf_cmp(x, lo) < 0)
            arf_set(lo, x);
    }
    if (arf_sgn(lo) > 0 && arf_is_finite(lo)) {
        pc_claim_struct *c = claims_add(C, PC_CLAIM_ENTROPY_ABOVE, zero, T);
        strict_round(c->bound, lo, 0, 30);
        if (C->tail == PC_TAIL_SQUARE || PL_TAIL(C)) {
            arf_pos_inf(c->to);
            c->lemma = 1;
        }
    }
    if (PL_TAIL(C)) {        /* lim H ∈ H(Y): [from, to] outward */
        pc_claim_struct *c = claims_add(C, PC_CLAIM_ENTROPY_LIMIT, zero, zero);
        arb_get_lbound_arf(c->from, C->pl->Hlim, E->prec);
        arf_set_round(c->from, c->from, 64, ARF_RND_DOWN);
        arb_get_ubound_arf(c->to, C->pl->Hlim, E->prec);
        arf_set_round(c->to, c->to, 64, ARF_RND_UP);
        c->lemma = 1;
    }
    arb_clear(H);
    arf_clear(lo);
    arf_clear(x);
    arf_clear(zero);
}

slong pc_claims_margin_tail_token(const pc_enclose_t E, arb_srcptr x)
{
    const pc_problem_struct *p = E->p;
    const slong n = p->n, d = p->d;
    if ((p->loss != PC_LOSS_LOGISTIC && p->loss != PC_LOSS_EXPONENTIAL) || n < 2)
        return -1;                              /* (the lemma is about n >= 2 tokens) */
    arb_ptr u = _arb_vec_init(n), s = _arb_vec_init(n);
    arb_srcptr a = x + pc_system_a_offset(E->kind, p);
    arb_t m, t, five8;
    arb_init(m);
    arb_init(t);
    arb_init(five8);
    arb_set_si(five8, 5);
    arb_mul_2exp_si(five8, five8, -3);
    for (slong j = 0; j < n; j++)               /* u = Vᵀβ */
        if (E->kind == PC_SYSTEM_FULL)
            for (slong i = 0; i < d; i++)
                arb_addmul(u + j, x + i * n + j, E->model->beta + i, E->prec);
        else
            arb_set(u + j, x + j);
    pc_softmax_arb(s, a, n, E->prec);
    slong k = 0;
    for (slong j = 1; j < n; j++)
        if (arf_cmp(arb_midref(s + j), arb_midref(s + k)) > 0)
            k = j;
    arb_sub(t, s + k, five8, E->prec);         /* (with margins: margin_sign) */
    int ok = margin_sign(t) > 0;
    for (int pass = 0; pass < 2 && ok; pass++) {
        arb_srcptr v = pass == 0 ? a : u;       /* v_j − Σ s_i v_i < 0, j ≠ k */
        arb_zero(m);
        for (slong i = 0; i < n; i++)
            if (i != k) {
                arb_sub(t, v + i, v + k, E->prec);
                arb_addmul(m, s + i, t, E->prec);
            }
        for (slong j = 0; j < n && ok; j++)
            if (j != k) {
                arb_sub(t, v + j, v + k, E->prec);
                arb_sub(t, t, m, E->prec);
                ok = margin_sign(t) < 0;
            }
    }
    arb_clear(m);
    arb_clear(t);
    arb_clear(five8);
    _arb_vec_clear(u, n);
    _arb_vec_clear(s, n);
    return ok ? k : -1;
}

/* Y = X0 + D F(Y), F the (u, a) part of the τ-field, over Y (t set to 0). */
static int square_picard(arb_ptr P, arb_srcptr X0, arb_srcptr Y, const arb_t D, pc_enclose_t E)
{
    const slong m = 2 * E->p->n;
    arb_ptr y = _arb_vec_init(m + 1), f = _arb_vec_init(m + 1);
    int inside = 1;
    _arb_vec_set(y, Y, m);
    pc_tape_eval_arb(f, pc_system_tape_for(E->sys, y), y, E->prec);
    for (slong i = 0; i < m; i++) {
        arb_mul(P + i, f + i, D, E->prec);
        arb_add(P + i, P + i, X0 + i, E->prec);
        inside = inside && arb_is_finite(P + i) && arb_contains_interior(Y + i, P + i);
    }
    _arb_vec_clear(y, m + 1);
    _arb_vec_clear(f, m + 1);
    return inside;
}

int pc_claims_square_tail(arb_ptr Y, pc_enclose_t E, arb_srcptr x)
{
    const slong n = E->p->n, m = 2 * n, prec = E->prec;
    if (E->kind != PC_SYSTEM_TAU || E->p->loss != PC_LOSS_SQUARE || n < 2)
        return 0;
    arb_ptr s = _arb_vec_init(n), P = _arb_vec_init(m), f = _arb_vec_init(m + 1);
    arb_t D, rho;
    arf_t d;
    arb_init(D);
    arb_init(rho);
    arf_init(d);
    /* Δ = n · (upper bound of ρ = (B − z)/B on x), as an exact number; D = [0, Δ] */
    pc_softmax_arb(s, x + n, n, prec);
    arb_dot(rho, NULL, 0, x, 1, s, 1, n, prec);
    arb_sub(rho, E->model->beta_norm2, rho, prec);
    arb_div(rho, rho, E->model->beta_norm2, prec);
    arb_get_ubound_arf(d, rho, prec);
    arf_mul_si(d, d, n, 30, ARF_RND_UP);
    int ok = arf_sgn(d) > 0 && arf_is_finite(d);
    arb_set_arf(D, d);
    arb_mul_2exp_si(D, D, -1);
    arb_add_error(D, D);
    /* Y: iterate Y ← inflate(X0 + D F(Y)) until the inclusion holds */
    _arb_vec_set(Y, x, m);
    for (int it = 0; ok && it < 30; it++) {
        if (square_picard(P, x, Y, D, E))
            break;
        for (slong i = 0; i < m; i++) {
            arb_set(Y + i, P + i);
            mag_mul_2exp_si(arb_radref(Y + i), arb_radref(Y + i), 1);
            arb_add_error_2exp_si(Y + i, -prec);
        }
        ok = it < 29;
    }
    if (ok) {                                   /* dH/dτ < 0 on Y */
        arb_ptr y = _arb_vec_init(m + 1);
        _arb_vec_set(y, Y, m);
        pc_tape_eval_arb(f, pc_system_tape_for(E->sys, y), y, prec);
        pc_entropy_rate_arb(rho, Y + n, f + n, n, prec);
        ok = arb_is_negative(rho);
        _arb_vec_clear(y, m + 1);
    }
    _arb_vec_clear(s, n);
    _arb_vec_clear(P, m);
    _arb_vec_clear(f, m + 1);
    arb_clear(D);
    arb_clear(rho);
    arf_clear(d);
    return ok;
}

void pc_claims_compute(pc_claims_t C, pc_enclose_t E, const arf_t T, slong depth,
                       slong max_gaps)
{
    C->depth = C->end_depth = depth;
    if (E->flow->nsteps == 0)
        return;
    arb_srcptr x_end = E->flow->step[E->flow->nsteps - 1].end;
    C->tail_token = pc_claims_margin_tail_token(E, x_end);
    if (C->tail_token >= 0)
        C->tail = PC_TAIL_MARGIN;
    else if (E->kind == PC_SYSTEM_TAU && E->p->loss == PC_LOSS_SQUARE) {
        C->tail_len = 2 * E->p->n;
        C->tail_box = _arb_vec_init(C->tail_len);
        if (pc_claims_square_tail(C->tail_box, E, x_end))
            C->tail = PC_TAIL_SQUARE;
    } else if (E->kind == PC_SYSTEM_FULL && E->p->loss == PC_LOSS_SQUARE) {
        C->pl = flint_malloc(sizeof(pc_pltail_struct));
        pc_pltail_init(C->pl, E->p->d, E->p->n);
        if (pc_pltail_check(C->pl, E, x_end))
            C->tail = PC_TAIL_PL;
        else if (pc_pltail_weighted_check(C->pl, E, x_end))
            C->tail = PC_TAIL_PLW;
    } else if (E->kind == PC_SYSTEM_FULL && E->p->loss == PC_LOSS_QUADRATIC) {
        C->pl = flint_malloc(sizeof(pc_pltail_struct));
        pc_pltail_init(C->pl, E->p->d, E->p->n);
        if (pc_pltail_quadratic_check(C->pl, E, x_end))
            C->tail = PC_TAIL_PLQ;
    } else if (E->kind == PC_SYSTEM_FULL && E->p->loss == PC_LOSS_CROSS_ENTROPY) {
        C->pl = flint_malloc(sizeof(pc_pltail_struct));
        pc_pltail_init(C->pl, E->p->d, E->p->n);
        if (pc_pltail_crossent_check(C->pl, E, x_end))
            C->tail = PC_TAIL_PLC;
    }
    claims_entropy(C, E, T, depth);
    claims_entropy_above(C, E, T);
    if (max_gaps > 0)
        claims_gaps(C, E, T, max_gaps);
}

pc_claim_struct *pc_claims_add(pc_claims_t C, pc_claim_kind kind, const arf_t from,
                               const arf_t to)
{
    return claims_add(C, kind, from, to);
}

void pc_claims_piece(arb_ptr xs, arb_ptr f, arb_t tr, pc_enclose_t E, slong k,
                     const arf_t lo, const arf_t hi)
{
    piece_work w;
    work_init(&w, E);
    w.s = E->flow->step + k;
    piece_eval(&w, lo, hi);
    _arb_vec_set(xs, w.xs, w.dim);
    _arb_vec_set(f, w.f, w.dim);
    arb_set(tr, w.tr);
    work_clear(&w);
}

void pc_claims_strict_round(arf_t r, const arf_t x, int up)
{
    strict_round(r, x, up, 30);
}
