/* Conclusions of theorems on a certification run (pc_conclude.h). */
#include <stdio.h>
#include <string.h>
#include <mpfr.h>
#include "pc_conclude.h"

static const char *const concl_names[PC_CONCL_COUNT] = {
    "entropy_decreasing", "entropy_increasing", "entropy_above", "entropy_below",
    "gap_increasing", "gap_decreasing", "ordered_gaps_increasing", "all_gaps_increasing",
    "order_preserved", "winner", "loss_below"};

const char *pc_concl_name(pc_concl_kind kind)
{
    return kind < PC_CONCL_COUNT ? concl_names[kind] : "unknown";
}

int pc_concl_from_name(pc_concl_kind *kind, const char *name)
{
    for (int k = 0; k < PC_CONCL_COUNT; k++)
        if (strcmp(name, concl_names[k]) == 0) {
            *kind = (pc_concl_kind) k;
            return PC_OK;
        }
    return PC_ERR_INPUT;
}

const char *pc_verdict_name(pc_verdict v)
{
    return v == PC_VERDICT_PROVEN ? "PROVEN" : v == PC_VERDICT_REFUTED ? "REFUTED" : "UNDECIDED";
}

void pc_concl_init(pc_concl_t c)
{
    c->kind = PC_CONCL_ENTROPY_DECREASING;
    c->i = c->j = -1;
    fmpq_init(c->bound);
    fmpq_init(c->from);
    fmpq_init(c->to);
    c->bound_auto = c->open_from = c->from_auto = 0;
    c->to_inf = 1;
}

void pc_concl_clear(pc_concl_t c)
{
    fmpq_clear(c->bound);
    fmpq_clear(c->from);
    fmpq_clear(c->to);
}

void pc_concl_set(pc_concl_t c, const pc_concl_t s)
{
    c->kind = s->kind;
    c->i = s->i;
    c->j = s->j;
    fmpq_set(c->bound, s->bound);
    fmpq_set(c->from, s->from);
    fmpq_set(c->to, s->to);
    c->bound_auto = s->bound_auto;
    c->open_from = s->open_from;
    c->from_auto = s->from_auto;
    c->to_inf = s->to_inf;
}

void pc_concl_result_init(pc_concl_result_t r)
{
    r->verdict = PC_VERDICT_UNDECIDED;
    r->what[0] = r->why[0] = '\0';
    r->claims = NULL;
    r->nclaims = 0;
}

void pc_concl_result_clear(pc_concl_result_t r)
{
    flint_free(r->claims);
}

static void result_add_claim(pc_concl_result_t r, slong k)
{
    r->claims = flint_realloc(r->claims, sizeof(slong) * (r->nclaims + 1));
    r->claims[r->nclaims++] = k;
}

/* ---- quantities over pieces ---------------------------------------------- */

typedef enum { Q_DH, Q_H, Q_DGAP, Q_GAP, Q_LOSS, Q_ORDER } qkind;

typedef struct {
    qkind kind;
    slong i, j;
    arf_struct b[1];        /* Q_H: the value is H − b; Q_LOSS: L − b */
} quant;

/* The real-time ranges of the pieces of one sweep, shared by the sign lists
 * of every quantity evaluated on it (a piece is evaluated once for all of
 * them); freed with its last list. */
typedef struct {
    slong len, alloc, refs;
    arb_struct *tr;
} trtab;

static slong tab_push(trtab *T, const arb_t tr)
{
    if (T->len == T->alloc) {
        T->alloc = 2 * T->alloc + 64;
        T->tr = flint_realloc(T->tr, sizeof(arb_struct) * T->alloc);
    }
    arb_init(T->tr + T->len);
    arb_set(T->tr + T->len, tr);
    return T->len++;
}

static void tab_release(trtab *T)
{
    if (T == NULL || --T->refs > 0)
        return;
    for (slong k = 0; k < T->len; k++)
        arb_clear(T->tr + k);
    flint_free(T->tr);
    flint_free(T);
}

/* Per piece: the proven sign of the quantity, the piece (its real times in
 * the shared table) and, for the lists that need it (keep_v: the bound of
 * an entropy or loss witness), the quantity's value. */
typedef struct {
    slong len, alloc;
    signed char *sign;
    slong *piece;
    arb_struct *v;
    int keep_v;
    trtab *tab;
} siglist;

#define SL_TR(L, k) ((L)->tab->tr + (L)->piece[k])

static void sl_attach(siglist *L, trtab *T, int keep_v)
{
    L->tab = T;
    L->keep_v = keep_v;
    T->refs++;
}

static void sl_push(siglist *L, int sign, const arb_t v, slong piece)
{
    if (L->len == L->alloc) {
        L->alloc = 2 * L->alloc + 64;
        L->sign = flint_realloc(L->sign, L->alloc);
        L->piece = flint_realloc(L->piece, sizeof(slong) * L->alloc);
        if (L->keep_v)
            L->v = flint_realloc(L->v, sizeof(arb_struct) * L->alloc);
    }
    L->sign[L->len] = (signed char) sign;
    L->piece[L->len] = piece;
    if (L->keep_v) {
        arb_init(L->v + L->len);
        arb_set(L->v + L->len, v);
    }
    L->len++;
}

static void sl_clear(siglist *L)
{
    for (slong k = 0; L->keep_v && k < L->len; k++)
        arb_clear(L->v + k);
    flint_free(L->sign);
    flint_free(L->piece);
    flint_free(L->v);
    tab_release(L->tab);
    memset(L, 0, sizeof *L);
}

typedef struct {
    pc_enclose_struct *E;
    slong off, n;
    arb_ptr xs, f;
    arb_t tr, v;
} qwork;

/* u_i − u_j (u = Vᵀβ) over the piece: entries of the reduced and τ states,
 * Σ_k β_k (V_ki − V_kj) on the full one. */
static void ugap(arb_t v, const qwork *w, slong i, slong j)
{
    const slong prec = w->E->prec;
    if (w->E->kind != PC_SYSTEM_FULL) {
        arb_sub(v, w->xs + i, w->xs + j, prec);
        return;
    }
    arb_t t;
    arb_init(t);
    arb_zero(v);
    for (slong k = 0; k < w->E->p->d; k++) {
        arb_sub(t, w->xs + k * w->n + i, w->xs + k * w->n + j, prec);
        arb_addmul(v, w->E->model->beta + k, t, prec);
    }
    arb_clear(t);
}

/* Q_ORDER: a ball whose sign is +1 if u_i − u_j > 0 and a_i − a_j > 0 are
 * both proven over the piece, −1 if a_i − a_j < 0 is (the witness of a
 * reversed order), else 0 (the ball [−1, 1]). */
static void order_value(arb_t v, const qwork *w, slong i, slong j)
{
    const slong prec = w->E->prec;
    arb_t u;
    arb_init(u);
    arb_sub(v, w->xs + w->off + i, w->xs + w->off + j, prec);
    ugap(u, w, i, j);
    if (!(arb_is_negative(v) || (arb_is_positive(v) && arb_is_positive(u)))) {
        arb_zero(v);
        mag_one(arb_radref(v));
    }
    arb_clear(u);
}

static void qvalue(arb_t v, const quant *q, const qwork *w)
{
    const slong prec = w->E->prec;
    arb_srcptr a = w->xs + w->off, da = w->f + w->off;
    switch (q->kind) {
    case Q_LOSS:
        if (w->E->kind == PC_SYSTEM_FULL)
            pc_model_loss_arb(v, w->E->model, w->xs, prec);
        else
            pc_reduced_loss_arb(v, w->E->model, w->xs, prec);
        arb_sub_arf(v, v, q->b, prec);
        break;
    case Q_ORDER: order_value(v, w, q->i, q->j); break;
    case Q_DH: pc_entropy_rate_arb(v, a, da, w->n, prec); break;
    case Q_H:
        pc_entropy_arb(v, a, w->n, prec);
        arb_sub_arf(v, v, q->b, prec);
        break;
    case Q_DGAP: arb_sub(v, da + q->i, da + q->j, prec); break;
    default: arb_sub(v, a + q->i, a + q->j, prec); break;
    }
}

static int ball_sign(const arb_t v)
{
    return arb_is_positive(v) ? 1 : arb_is_negative(v) ? -1 : 0;
}

/* The pieces of [lo, hi] of step k for the quantities act[0..nact): the
 * piece is evaluated ONCE (state, field, real times), every quantity read
 * from it; those undecided are passed on to both halves, down to `left`
 * further levels. Each list receives its pieces in time order. */
static void sweep(siglist *L, const quant *q, const slong *act, slong nact, qwork *w,
                  trtab *T, slong k, const arf_t lo, const arf_t hi, slong left)
{
    pc_claims_piece(w->xs, w->f, w->tr, w->E, k, lo, hi);
    const slong id = tab_push(T, w->tr);
    slong *pend = flint_malloc(sizeof(slong) * nact), np = 0;
    for (slong x = 0; x < nact; x++) {
        qvalue(w->v, q + act[x], w);
        const int s = ball_sign(w->v);
        if (s != 0 || left <= 0)
            sl_push(L + act[x], s, w->v, id);
        else
            pend[np++] = act[x];
    }
    if (np > 0) {
        arf_t mid;
        arf_init(mid);
        arf_add(mid, lo, hi, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(mid, mid, -1);
        sweep(L, q, pend, np, w, T, k, lo, mid, left - 1);
        sweep(L, q, pend, np, w, T, k, mid, hi, left - 1);
        arf_clear(mid);
    }
    flint_free(pend);
}

#define BASE_DEPTH 3    /* every step cut into 2^3 pieces, as the gaps of pc_claims */
#define BATCH 4096      /* quantities whose sign lists are held at once (memory:
                           about 9 bytes per piece and quantity) */

/* Sign lists of q[0..nq) (L[0..nq) zeroed): one sweep over the base pieces
 * of every step, each evaluated once for all quantities, an undecided
 * piece bisected up to depth − BASE_DEPTH further levels, again once for
 * all quantities still undecided there (so that no piece is finer than the
 * run's sign depth, which the checker exceeds). */
static void signs_compute(siglist *L, const quant *q, slong nq, pc_enclose_struct *E, slong depth)
{
    const slong per = 1 << BASE_DEPTH, extra = depth - BASE_DEPTH;
    qwork w;
    arf_t lo, hi;
    trtab *T = flint_calloc(1, sizeof(trtab));
    slong *all = flint_malloc(sizeof(slong) * FLINT_MAX(nq, 1));
    for (slong x = 0; x < nq; x++) {
        all[x] = x;
        sl_attach(L + x, T, q[x].kind == Q_H || q[x].kind == Q_LOSS);
    }
    T->refs++;                          /* (ours, released at the end) */
    w.E = E;
    w.n = E->p->n;
    w.off = pc_system_a_offset(E->kind, E->p);
    w.xs = _arb_vec_init(E->sys->dim);
    w.f = _arb_vec_init(E->sys->dim);
    arb_init(w.tr);
    arb_init(w.v);
    arf_init(lo);
    arf_init(hi);
    for (slong k = 0; k < E->flow->nsteps; k++)
        for (slong P = 0; P < per; P++) {
            arf_srcptr h = arb_midref(E->flow->step[k].h);
            arf_mul_si(lo, h, P, ARF_PREC_EXACT, ARF_RND_DOWN);
            arf_mul_2exp_si(lo, lo, -BASE_DEPTH);
            arf_mul_si(hi, h, P + 1, ARF_PREC_EXACT, ARF_RND_DOWN);
            arf_mul_2exp_si(hi, hi, -BASE_DEPTH);
            sweep(L, q, all, nq, &w, T, k, lo, hi, extra);
        }
    tab_release(T);
    flint_free(all);
    _arb_vec_clear(w.xs, E->sys->dim);
    _arb_vec_clear(w.f, E->sys->dim);
    arb_clear(w.tr);
    arb_clear(w.v);
    arf_clear(lo);
    arf_clear(hi);
}

/* ---- statements on sign lists --------------------------------------------- */

static int meets(const arb_t tr, const arf_t from, const arf_t to)
{
    arf_t x;
    arf_init(x);
    arb_get_ubound_arf(x, tr, ARF_PREC_EXACT);
    int m = arf_cmp(x, from) >= 0;
    arb_get_lbound_arf(x, tr, ARF_PREC_EXACT);
    m = m && arf_cmp(x, to) <= 0;
    arf_clear(x);
    return m || !arb_is_finite(tr);
}

/* Every piece meeting [from, to] has sign s. */
static int all_sign(const siglist *L, int s, const arf_t from, const arf_t to)
{
    for (slong k = 0; k < L->len; k++)
        if (L->sign[k] != s && meets(SL_TR(L, k), from, to))
            return 0;
    return 1;
}

/* The hull [lo, hi] of the pieces meeting [from, to] without sign s. */
static void bad_span(arf_t lo, arf_t hi, const siglist *L, int s, const arf_t from,
                     const arf_t to)
{
    arf_t x;
    arf_init(x);
    arf_pos_inf(lo);
    arf_neg_inf(hi);
    for (slong k = 0; k < L->len; k++)
        if (L->sign[k] != s && meets(SL_TR(L, k), from, to)) {
            arb_get_lbound_arf(x, SL_TR(L, k), ARF_PREC_EXACT);
            arf_min(lo, lo, x);
            arb_get_ubound_arf(x, SL_TR(L, k), ARF_PREC_EXACT);
            arf_max(hi, hi, x);
        }
    arf_clear(x);
}

/* The start of the final run of pieces with sign s: strictly above every
 * piece without it (0 if there is none). */
static void final_start(arf_t start, const siglist *L, int s)
{
    arf_t x;
    arf_init(x);
    arf_zero(start);
    for (slong k = 0; k < L->len; k++)
        if (L->sign[k] != s) {
            arb_get_ubound_arf(x, SL_TR(L, k), ARF_PREC_EXACT);
            arf_max(start, start, x);
        }
    if (arf_sgn(start) > 0)
        pc_claims_strict_round(start, start, 1);
    arf_clear(x);
}

/* The interval [w1, w2] ⊆ [from, to] of the longest run of pieces [k0, k1)
 * with sign s, strictly inside it (no other piece meets it); 1 if found. */
static int witness(arf_t w1, arf_t w2, slong *k0, slong *k1, const siglist *L, int s,
                   const arf_t from, const arf_t to, const arf_t T)
{
    arf_t a, b, x;
    arf_init(a);
    arf_init(b);
    arf_init(x);
    slong best = 0;
    for (slong k = 0; k < L->len;) {
        slong e = k;
        while (e < L->len && L->sign[e] == s)
            e++;
        if (e > k) {
            arf_zero(a);
            for (slong m = 0; m < k; m++) {
                arb_get_ubound_arf(x, SL_TR(L, m), ARF_PREC_EXACT);
                arf_max(a, a, x);
            }
            if (arf_sgn(a) > 0)
                pc_claims_strict_round(a, a, 1);
            arf_set(b, T);
            for (slong m = e; m < L->len; m++) {
                arb_get_lbound_arf(x, SL_TR(L, m), ARF_PREC_EXACT);
                arf_min(b, b, x);
            }
            if (e < L->len && arf_sgn(b) > 0)
                pc_claims_strict_round(b, b, 0);
            arf_max(a, a, from);
            arf_min(b, b, to);
            if (arf_cmp(a, b) < 0 && e - k > best) {
                best = e - k;
                arf_set(w1, a);
                arf_set(w2, b);
                *k0 = k;
                *k1 = e;
            }
        }
        k = e + 1;
    }
    arf_clear(a);
    arf_clear(b);
    arf_clear(x);
    return best > 0;
}

/* ---- one signed statement ------------------------------------------------- */

/* x as 6 digits rounded up or down (for display: a printed interval lies
 * inside the proven one). */
static void fmt_num(char *buf, size_t len, const arf_t x, int up)
{
    if (arf_is_pos_inf(x)) {
        snprintf(buf, len, "inf");
        return;
    }
    mpfr_t m;
    mpfr_init2(m, FLINT_MAX(arf_bits(x), 2));
    arf_get_mpfr(m, x, MPFR_RNDN);          /* exact */
    mpfr_snprintf(buf, len, "%.6R*g", up ? MPFR_RNDU : MPFR_RNDD, m);
    mpfr_clear(m);
}

static void fmt_interval(char *buf, size_t len, const arf_t a, const arf_t b, int open)
{
    char x[40], y[40];
    fmt_num(x, sizeof x, a, 1);
    fmt_num(y, sizeof y, b, 0);
    snprintf(buf, len, "%s%s, %s%s", open ? "(" : "[", x, y, arf_is_pos_inf(b) ? ")" : "]");
}

/* The index of a claim equal to the one described (kind, i, j, bound,
 * from, to, lemma, open), added if there is none. */
static slong claim_get(pc_claims_t C, pc_claim_kind kind, slong i, slong j, const arf_t bound,
                       const arf_t from, const arf_t to, int lemma, int open)
{
    for (slong k = 0; k < C->len; k++) {
        const pc_claim_struct *c = C->claim + k;
        if (c->kind == kind && c->i == i && c->j == j && arf_equal(c->from, from) &&
            arf_equal(c->to, to) && c->lemma == lemma && c->open_from == open &&
            (bound == NULL || arf_equal(c->bound, bound)))
            return k;
    }
    pc_claim_struct *c = pc_claims_add(C, kind, from, to);
    c->i = i;
    c->j = j;
    if (bound != NULL)
        arf_set(c->bound, bound);
    c->lemma = lemma;
    c->open_from = open;
    return C->len - 1;
}

/* What a signed statement is about, for the claims it makes. */
typedef struct {
    const char *label;      /* e.g. "dH/dt < 0" */
    pc_claim_kind ck;       /* the claim proving it */
    slong ci, cj;
    const arf_struct *cbound;   /* its bound, or NULL */
    int open;               /* the proof claim is open at 0 */
    pc_claim_kind wk;       /* the witness claim (the opposite strict sign) */
    slong wi, wj;
    int wbound_dir;         /* witness bound: 0 none, 1 = lowest of H over the run
                               (entropy_above), −1 = highest (entropy_below) */
    const arf_struct *b;    /* Q_H: the quantity is H − b */
    int tail;               /* the statement holds for all t >= T as well */
    int lemma;              /* the tail uses the run's lemma */
} stmt;

/* The witness bound of an entropy run: b + min lower(H − b) rounded down
 * (dir 1) or b + max upper(H − b) rounded up (dir −1); 1 if strictly on
 * the witness side of b. */
static int run_bound(arf_t wb, const siglist *L, slong k0, slong k1, const stmt *st)
{
    arf_t x;
    arf_init(x);
    for (slong k = k0; k < k1; k++) {
        if (st->wbound_dir > 0)
            arb_get_lbound_arf(x, L->v + k, 30);
        else
            arb_get_ubound_arf(x, L->v + k, 30);
        if (k == k0 || (st->wbound_dir > 0 ? arf_cmp(x, wb) < 0 : arf_cmp(x, wb) > 0))
            arf_set(wb, x);
    }
    arf_add(wb, wb, st->b, 30, st->wbound_dir > 0 ? ARF_RND_DOWN : ARF_RND_UP);
    int ok = st->wbound_dir > 0 ? arf_cmp(wb, st->b) > 0 : arf_cmp(wb, st->b) < 0;
    arf_clear(x);
    return ok;
}

/* Decides "sign s on [t1, t2]" (t2 = +inf allowed) from L. */
static void decide_sign(pc_concl_result_t r, pc_certify_t R, const siglist *L, int s,
                        const stmt *st, const arf_t t1, const arf_t t2, int open)
{
    arf_srcptr T = arb_midref(R->T);
    arf_t tend, w1, w2, lo, hi;
    char iv[100];
    arf_init(tend);
    arf_init(w1);
    arf_init(w2);
    arf_init(lo);
    arf_init(hi);
    arf_min(tend, t2, T);
    slong k0 = 0, k1 = 0;
    if (arf_cmp(t1, T) >= 0) {
        r->verdict = PC_VERDICT_UNDECIDED;
        snprintf(r->why, sizeof r->why, "%s: the interval starts at or after the horizon "
                 "T; advice: a longer --T", st->label);
    } else if (all_sign(L, s, t1, tend)) {
        int to_inf = arf_is_pos_inf(t2);
        int beyond = arf_cmp(t2, T) > 0;
        /* the tail holds for every t >= T: a t2 beyond T is covered by a claim to inf */
        if (beyond && st->tail)
            arf_pos_inf(w2);
        else
            arf_set(w2, beyond ? T : t2);
        result_add_claim(r, claim_get(R->C, st->ck, st->ci, st->cj, st->cbound, t1, w2,
                                      beyond && st->tail && st->lemma, st->open));
        fmt_interval(iv, sizeof iv, t1, w2, open);
        if (!beyond || st->tail) {
            r->verdict = PC_VERDICT_PROVEN;
            snprintf(r->what, sizeof r->what, "%s on %s", st->label, iv);
        } else {
            r->verdict = PC_VERDICT_UNDECIDED;
            snprintf(r->what, sizeof r->what, "%s on %s only", st->label, iv);
            snprintf(r->why, sizeof r->why, "%s: proven up to the horizon T; %s", st->label,
                     to_inf ? "no tail lemma covers this statement beyond T"
                            : "advice: a longer --T");
        }
    } else if (witness(w1, w2, &k0, &k1, L, -s, t1, tend, T)
               && (st->wbound_dir == 0 || run_bound(lo, L, k0, k1, st))) {
        r->verdict = PC_VERDICT_REFUTED;
        result_add_claim(r, claim_get(R->C, st->wk, st->wi, st->wj,
                                      st->wbound_dir ? lo : NULL, w1, w2, 0, 0));
        fmt_interval(iv, sizeof iv, w1, w2, 0);
        char ij[60] = "";
        if (st->wi >= 0)
            snprintf(ij, sizeof ij, "(%ld,%ld)", (long) st->wi, (long) st->wj);
        else if (st->wbound_dir != 0) {     /* the witness bound, rounded outward */
            char bs[40];
            fmt_num(bs, sizeof bs, lo, st->wbound_dir < 0);
            snprintf(ij, sizeof ij, "(%s)", bs);
        }
        snprintf(r->what, sizeof r->what, "witness: %s%s on %s",
                 pc_claim_kind_name(st->wk), ij, iv);
    } else {
        r->verdict = PC_VERDICT_UNDECIDED;
        bad_span(lo, hi, L, s, t1, tend);
        arf_max(lo, lo, t1);                    /* (a piece's range may start below 0) */
        char sp[100];
        fmt_interval(sp, sizeof sp, lo, hi, 0);
        final_start(w1, L, s);
        if (arf_cmp(w1, t1) > 0 && arf_cmp(w1, tend) < 0) {
            int to_inf = arf_is_pos_inf(t2) && st->tail;
            arf_set(w2, to_inf ? t2 : tend);
            result_add_claim(r, claim_get(R->C, st->ck, st->ci, st->cj, st->cbound, w1, w2,
                                          to_inf && st->lemma, 0));
            fmt_interval(iv, sizeof iv, w1, w2, 0);
            snprintf(r->what, sizeof r->what, "%s on %s only", st->label, iv);
        }
        snprintf(r->why, sizeof r->why, "%s: sign not proven on pieces in %s (nor the "
                 "opposite); advice: a higher --prec or a deeper --depth", st->label, sp);
    }
    arf_clear(tend);
    arf_clear(w1);
    arf_clear(w2);
    arf_clear(lo);
    arf_clear(hi);
}

/* ---- the conclusions ------------------------------------------------------- */

/* The sign list of one quantity. */
static void one_list(siglist *L, pc_certify_t R, qkind kind, slong i, slong j, const arf_t b)
{
    quant q;
    q.kind = kind;
    q.i = i;
    q.j = j;
    arf_init(q.b);
    if (b != NULL)
        arf_set(q.b, b);
    signs_compute(L, &q, 1, R->E, R->C->depth);
    arf_clear(q.b);
}

/* The interval of c as exact dyadics containing it: t1 rounded down, t2 up
 * (then not beyond T if t2 <= T), +inf if to_inf. */
static void concl_interval(arf_t t1, arf_t t2, const pc_concl_struct *c, const arf_t T)
{
    arf_set_fmpq(t1, c->from, 60, ARF_RND_DOWN);
    if (c->to_inf)
        arf_pos_inf(t2);
    else {
        arf_set_fmpq(t2, c->to, 60, ARF_RND_UP);
        fmpq_t Tq;
        fmpz_t x, y;
        fmpq_init(Tq);
        fmpz_init(x);
        fmpz_init(y);
        arf_get_fmpq(Tq, T);
        /* to <= T as p s <= r q (T = p/q, to = r/s; fmpz, as fmpq_cmp here draws a
         * GCC 12 false positive) */
        fmpz_mul(x, fmpq_numref(c->to), fmpq_denref(Tq));
        fmpz_mul(y, fmpq_numref(Tq), fmpq_denref(c->to));
        if (arf_cmp(t2, T) > 0 && fmpz_cmp(x, y) <= 0)
            arf_set(t2, T);                 /* [t1, T] still contains [t1, t2] */
        fmpq_clear(Tq);
        fmpz_clear(x);
        fmpz_clear(y);
    }
}

/* A pl-tail lemma holds with dH/dt > 0 for ever: its tail is no decrease. */
static int pl_rising(const pc_claims_struct *C)
{
    return (C->tail == PC_TAIL_PL || C->tail == PC_TAIL_PLQ || C->tail == PC_TAIL_PLC ||
            C->tail == PC_TAIL_PLW) &&
           C->pl != NULL && C->pl->sign > 0;
}

/* The run's open-start claim (proofs/open-start.md): entropy_decreasing on
 * (0, to] with to >= t2, or -1. */
static slong open_start_claim(const pc_certify_t R, const arf_t t2)
{
    for (slong k = 0; k < R->C->len; k++) {
        const pc_claim_struct *q = R->C->claim + k;
        if (q->kind == PC_CLAIM_ENTROPY_DECREASING && q->open_from && arf_is_zero(q->from) &&
            arf_cmp(q->to, t2) >= 0)
            return k;
    }
    return -1;
}

static void entropy_monotone(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                             const arf_t t1, const arf_t t2)
{
    const int dec = c->kind == PC_CONCL_ENTROPY_DECREASING;
    slong k = dec && c->open_from && arf_is_zero(t1) ? open_start_claim(R, t2) : -1;
    if (k >= 0) {           /* dH/dt(0) = 0 and dH/dt < 0 on (0, t2] */
        char iv[100];
        r->verdict = PC_VERDICT_PROVEN;
        result_add_claim(r, k);
        fmt_interval(iv, sizeof iv, t1, t2, 1);
        snprintf(r->what, sizeof r->what, "dH/dt < 0 on %s (open start at 0)", iv);
        return;
    }
    siglist L = {0};
    stmt st = {dec ? "dH/dt < 0" : "dH/dt > 0",
               dec ? PC_CLAIM_ENTROPY_DECREASING : PC_CLAIM_ENTROPY_INCREASING, -1, -1, NULL,
               0, dec ? PC_CLAIM_ENTROPY_INCREASING : PC_CLAIM_ENTROPY_DECREASING, -1, -1, 0,
               NULL, dec && R->C->tail != PC_TAIL_NONE && !pl_rising(R->C), 1};
    one_list(&L, R, Q_DH, -1, -1, NULL);
    decide_sign(r, R, &L, dec ? -1 : 1, &st, t1, t2, c->open_from);
    const pc_problem_struct *p = R->E->p;
    int uniform = !pc_problem_is_box(p);
    for (slong j = 1; j < p->n && uniform; j++)
        uniform = fmpq_equal(p->a + j, p->a);
    if (r->verdict == PC_VERDICT_UNDECIDED && c->open_from && fmpq_is_zero(c->from) &&
        uniform && L.len > 0 && L.sign[0] == 0) {
        size_t k = strlen(r->why);
        snprintf(r->why + k, sizeof r->why - k, "; at t = 0 dH/dt = 0 (a(0) uniform): the "
                 "open start (0, T*) needs the series argument at 0");
    }
    sl_clear(&L);
}

/* A claim of C that is an entropy_decreasing to +inf starting by T. */
static int decreasing_to_inf(const pc_certify_t R)
{
    for (slong k = 0; k < R->C->len; k++) {
        const pc_claim_struct *q = R->C->claim + k;
        if (q->kind == PC_CLAIM_ENTROPY_DECREASING && arf_is_pos_inf(q->to) &&
            arf_cmp(q->from, arb_midref(R->T)) <= 0)
            return 1;
    }
    return 0;
}

/* Whether H >= b on the square-tau-horizon box (the tail of entropy_above). */
static int tail_box_above(pc_certify_t R, const arf_t b)
{
    if (R->C->tail != PC_TAIL_SQUARE)
        return 0;
    arb_t H;
    arb_init(H);
    pc_entropy_arb(H, R->C->tail_box + R->E->p->n, R->E->p->n, R->E->prec);
    arb_sub_arf(H, H, b, R->E->prec);
    int ok = arb_is_positive(H);
    arb_clear(H);
    return ok;
}

static void entropy_bound(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                          arf_t t1, const arf_t t2)
{
    const int above = c->kind == PC_CONCL_ENTROPY_ABOVE;
    arf_t b;
    arf_init(b);
    if (above && c->bound_auto) {       /* the lower bound certify proved, if any */
        for (slong k = 0; k < R->C->len; k++) {
            const pc_claim_struct *q = R->C->claim + k;
            if (q->kind == PC_CLAIM_ENTROPY_ABOVE && arf_cmp(q->from, t1) <= 0 &&
                arf_cmp(q->to, t2) >= 0) {
                char iv[100], bs[40];
                fmt_interval(iv, sizeof iv, q->from, q->to, 0);
                fmt_num(bs, sizeof bs, q->bound, 0);
                r->verdict = PC_VERDICT_PROVEN;
                snprintf(r->what, sizeof r->what, "H >= %s on %s", bs, iv);
                result_add_claim(r, k);
                arf_clear(b);
                return;
            }
        }
        r->verdict = PC_VERDICT_UNDECIDED;
        snprintf(r->why, sizeof r->why, "no positive lower bound of H proven on the whole "
                 "interval%s", arf_is_pos_inf(t2) ? " (to inf it needs square-tau-horizon/1)"
                                                  : "");
        arf_clear(b);
        return;
    }
    /* a dyadic bound on the safe side: above b for H >= b, below for H <= b */
    arf_set_fmpq(b, c->bound, 60, above ? ARF_RND_UP : ARF_RND_DOWN);
    siglist L = {0};
    char label[80], bs[40];
    fmt_num(bs, sizeof bs, b, !above);
    snprintf(label, sizeof label, "H %s %s", above ? ">" : "<", bs);
    stmt st = {label, above ? PC_CLAIM_ENTROPY_ABOVE : PC_CLAIM_ENTROPY_BELOW, -1, -1, b, 0,
               above ? PC_CLAIM_ENTROPY_BELOW : PC_CLAIM_ENTROPY_ABOVE, -1, -1,
               above ? -1 : 1, b, above ? tail_box_above(R, b) : decreasing_to_inf(R),
               above};
    one_list(&L, R, Q_H, -1, -1, b);
    if (c->from_auto) {                 /* t_b: from where H < b up to T */
        final_start(t1, &L, -1);
        if (arf_cmp(t1, arb_midref(R->T)) >= 0) {
            r->verdict = PC_VERDICT_UNDECIDED;
            snprintf(r->why, sizeof r->why, "%s is not proven at the horizon T; advice: a "
                     "longer --T", label);
            sl_clear(&L);
            arf_clear(b);
            return;
        }
    }
    decide_sign(r, R, &L, above ? 1 : -1, &st, t1, t2, 0);
    sl_clear(&L);
    arf_clear(b);
}

/* The pairs (i, j) of a gap conclusion; returns their number. */
static slong gap_pairs(slong *P, const pc_concl_t c, slong n, const slong *ord)
{
    slong np = 0;
    if (c->kind == PC_CONCL_ORDERED_GAPS_INCREASING) {
        for (slong x = 0; x < n; x++)
            for (slong y = x + 1; y < n; y++) {
                P[2 * np] = ord[x];
                P[2 * np++ + 1] = ord[y];
            }
        return np;
    }
    slong i = c->i == PC_TOKEN_TOP ? ord[0] : c->i;
    for (slong j = 0; j < n; j++)
        if (j != i && (c->j == PC_TOKEN_ALL || c->j == j)) {
            P[2 * np] = i;
            P[2 * np++ + 1] = j;
        }
    return np;
}

/* Combines the verdicts of the parts of a conclusion into r. */
static void combine(pc_concl_result_t r, pc_concl_result_struct *part, slong np,
                    const char *what_all)
{
    slong ref = -1, und = -1, nund = 0;
    for (slong x = 0; x < np; x++) {
        if (part[x].verdict == PC_VERDICT_REFUTED && ref < 0)
            ref = x;
        if (part[x].verdict == PC_VERDICT_UNDECIDED && nund++ == 0)
            und = x;
    }
    if (ref >= 0) {
        r->verdict = PC_VERDICT_REFUTED;
        snprintf(r->what, sizeof r->what, "%s", part[ref].what);
        for (slong k = 0; k < part[ref].nclaims; k++)
            result_add_claim(r, part[ref].claims[k]);
        return;
    }
    for (slong x = 0; x < np; x++)
        for (slong k = 0; k < part[x].nclaims; k++)
            result_add_claim(r, part[x].claims[k]);
    if (und < 0) {
        r->verdict = PC_VERDICT_PROVEN;
        snprintf(r->what, sizeof r->what, "%s", what_all);
    } else {
        r->verdict = PC_VERDICT_UNDECIDED;
        snprintf(r->what, sizeof r->what, "%ld of %ld parts proven", (long) (np - nund),
                 (long) np);
        snprintf(r->why, sizeof r->why, "%ld undecided, e.g. %.280s", (long) nund, part[und].why);
    }
}

static void gaps(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R, const slong *ord,
                 const arf_t t1, const arf_t t2)
{
    const slong n = R->E->p->n;
    const int inc = c->kind != PC_CONCL_GAP_DECREASING;
    slong *P = flint_malloc(sizeof(slong) * 2 * n * n);
    slong np = gap_pairs(P, c, n, ord);
    quant *q = flint_malloc(sizeof(quant) * BATCH);
    siglist *L = flint_calloc(BATCH, sizeof(siglist));
    pc_concl_result_struct *part = flint_malloc(sizeof(pc_concl_result_struct) * (np + 1));
    for (slong x0 = 0; x0 < np; x0 += BATCH) {     /* (memory: BATCH sign lists) */
        const slong nb = FLINT_MIN(BATCH, np - x0);
        for (slong x = 0; x < nb; x++) {
            q[x].kind = Q_DGAP;
            q[x].i = P[2 * (x0 + x)];
            q[x].j = P[2 * (x0 + x) + 1];
            arf_init(q[x].b);
        }
        signs_compute(L, q, nb, R->E, R->C->depth);
        for (slong x = 0; x < nb; x++) {
            char label[80];
            slong i = q[x].i, j = q[x].j;
            snprintf(label, sizeof label, "a_%ld - a_%ld %s", (long) i, (long) j,
                     inc ? "grows" : "shrinks");
            stmt st = {label, inc ? PC_CLAIM_LOGIT_GAP_INCREASING
                                  : PC_CLAIM_LOGIT_GAP_DECREASING,
                       i, j, NULL, 0, inc ? PC_CLAIM_LOGIT_GAP_DECREASING
                                          : PC_CLAIM_LOGIT_GAP_INCREASING, i, j, 0, NULL,
                       inc && R->C->tail == PC_TAIL_MARGIN && R->C->tail_token == i, 1};
            pc_concl_result_init(part + x0 + x);
            decide_sign(part + x0 + x, R, L + x, inc ? 1 : -1, &st, t1, t2, 0);
            sl_clear(L + x);
            arf_clear(q[x].b);
        }
    }
    char all[160], iv[100];
    fmt_interval(iv, sizeof iv, t1, t2, c->open_from);
    snprintf(all, sizeof all, "%ld gap%s on %s", (long) np, np == 1 ? (inc ? " grows"
             : " shrinks") : (inc ? "s grow" : "s shrink"), iv);
    combine(r, part, np, all);
    for (slong x = 0; x < np; x++)
        pc_concl_result_clear(part + x);
    flint_free(part);
    flint_free(L);
    flint_free(q);
    flint_free(P);
}

/* winner(k): a_k − a_j > 0 for every j ≠ k. Open at 0 from a_k(0) = a_j(0)
 * exactly and d(a_k − a_j)/dt > 0 from 0 on. */
static void winner(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R, const slong *ord,
                   const arf_t t1, const arf_t t2)
{
    const pc_problem_struct *p = R->E->p;
    const slong n = p->n, k = c->i == PC_TOKEN_TOP ? ord[0] : c->i;
    pc_concl_result_struct *part = flint_malloc(sizeof(pc_concl_result_struct) * n);
    slong np = 0;
    const int tail = R->C->tail == PC_TAIL_MARGIN && R->C->tail_token == k;
    quant *q = flint_malloc(sizeof(quant) * BATCH);
    siglist *L = flint_calloc(BATCH, sizeof(siglist));
    for (slong j0 = 0; j0 < n; j0 += BATCH / 2) {  /* a_k − a_j and its derivative */
        slong nq = 0;
        for (slong j = j0; j < FLINT_MIN(n, j0 + BATCH / 2); j++)
            if (j != k)
                for (int d = 0; d < 2; d++, nq++) {
                    q[nq].kind = d ? Q_DGAP : Q_GAP;
                    q[nq].i = k;
                    q[nq].j = j;
                    arf_init(q[nq].b);
                }
        signs_compute(L, q, nq, R->E, R->C->depth);
        for (slong x = 0; x < nq; x += 2) {
            const slong j = q[x].j;
            char label[80];
            pc_concl_result_struct *pr = part + np++;
            pc_concl_result_init(pr);
            snprintf(label, sizeof label, "a_%ld > a_%ld", (long) k, (long) j);
            stmt so = {label, PC_CLAIM_LOGIT_ABOVE, k, j, NULL, 1,
                       PC_CLAIM_LOGIT_ABOVE, j, k, 0, NULL, tail, 1};
            stmt st = {label, PC_CLAIM_LOGIT_ABOVE, k, j, NULL, 0, PC_CLAIM_LOGIT_ABOVE, j, k,
                       0, NULL, tail, 1};
            if (c->open_from && arf_is_zero(t1) && !pc_problem_is_box(p) &&
                fmpq_equal(p->a + k, p->a + j) && all_sign(L + x + 1, 1, t1, arb_midref(R->T)))
                decide_sign(pr, R, L + x + 1, 1, &so, t1, t2, 1);
            else
                decide_sign(pr, R, L + x, 1, &st, t1, t2, 0);
        }
        for (slong x = 0; x < nq; x++) {
            sl_clear(L + x);
            arf_clear(q[x].b);
        }
    }
    flint_free(q);
    flint_free(L);
    char all[160], iv[100];
    fmt_interval(iv, sizeof iv, t1, t2, c->open_from);
    snprintf(all, sizeof all, "token %ld wins (a_%ld > a_j for every j != %ld) on %s",
             (long) k, (long) k, (long) k, iv);
    combine(r, part, np, all);
    for (slong x = 0; x < np; x++)
        pc_concl_result_clear(part + x);
    flint_free(part);
}

static void order_preserved(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                            const slong *ord, const arf_t t1, const arf_t t2);

/* all_gaps_increasing proven where the order of the a is that of u(0) on
 * the whole interval (order_preserved) and every gap of that order grows
 * (ordered_gaps_increasing): then the pairs with a_i > a_j are exactly the
 * ordered ones (proofs/THEOREMS.md). 1 if proven (the claims of both in r). */
static int all_gaps_proof(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                          const slong *ord, const arf_t t1, const arf_t t2)
{
    pc_concl_t co, cg;
    pc_concl_result_t ro, rg;
    pc_concl_init(co);
    pc_concl_init(cg);
    pc_concl_set(co, c);
    pc_concl_set(cg, c);
    co->kind = PC_CONCL_ORDER_PRESERVED;
    cg->kind = PC_CONCL_ORDERED_GAPS_INCREASING;
    pc_concl_result_init(ro);
    pc_concl_result_init(rg);
    order_preserved(ro, co, R, ord, t1, t2);
    if (ro->verdict == PC_VERDICT_PROVEN)
        gaps(rg, cg, R, ord, t1, t2);
    int ok = ro->verdict == PC_VERDICT_PROVEN && rg->verdict == PC_VERDICT_PROVEN;
    if (ok) {
        char iv[100];
        for (slong k = 0; k < ro->nclaims; k++)
            result_add_claim(r, ro->claims[k]);
        for (slong k = 0; k < rg->nclaims; k++)
            result_add_claim(r, rg->claims[k]);
        r->verdict = PC_VERDICT_PROVEN;
        fmt_interval(iv, sizeof iv, t1, t2, c->open_from);
        snprintf(r->what, sizeof r->what, "the order of u(0) holds and all its gaps grow on "
                 "%.60s", iv);
    } else
        snprintf(r->why, sizeof r->why, "no pair with a_i > a_j and a shrinking gap proven; "
                 "the proof needs order_preserved and ordered_gaps_increasing on the whole "
                 "interval: %.180s", ro->verdict != PC_VERDICT_PROVEN ? ro->why : rg->why);
    pc_concl_result_clear(ro);
    pc_concl_result_clear(rg);
    pc_concl_clear(co);
    pc_concl_clear(cg);
    return ok;
}

/* all_gaps_increasing: refuted by a pair with a_i > a_j whose gap shrinks on
 * a common interval (claims logit_above and logit_gap_decreasing); proven
 * by all_gaps_proof. */
static void all_gaps(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                     const slong *ord, const arf_t t1, const arf_t t2)
{
    const slong n = R->E->p->n;
    slong best = 0, bi = -1, bj = -1;
    arf_t w1, w2, b1, b2, tend;
    arf_init(w1);
    arf_init(w2);
    arf_init(b1);
    arf_init(b2);
    arf_init(tend);
    arf_min(tend, t2, arb_midref(R->T));
    /* every ordered pair: a_i − a_j and its derivative on the same base pieces,
     * rows i0 .. i0 + rows − 1 in one sweep (memory: at most BATCH sign lists) */
    const slong per_row = 2 * (n - 1), rows = FLINT_MAX(1, BATCH / FLINT_MAX(per_row, 1));
    quant *q = flint_malloc(sizeof(quant) * per_row * rows);
    siglist *L = flint_calloc(per_row * rows, sizeof(siglist));
    for (slong i0 = 0; i0 < n; i0 += rows) {
        slong nq = 0;
        for (slong i = i0; i < FLINT_MIN(n, i0 + rows); i++)
            for (slong j = 0; j < n; j++)
                if (i != j)
                    for (int d = 0; d < 2; d++, nq++) {
                        q[nq].kind = d ? Q_DGAP : Q_GAP;
                        q[nq].i = i;
                        q[nq].j = j;
                        arf_init(q[nq].b);
                    }
        signs_compute(L, q, nq, R->E, BASE_DEPTH);
        for (slong x = 0; x < nq; x += 2) {
            siglist M = {0};
            sl_attach(&M, L[x].tab, 0);
            for (slong k = 0; k < L[x].len; k++)    /* sign −1: gap > 0 and shrinking */
                sl_push(&M, L[x].sign[k] > 0 && L[x + 1].sign[k] < 0 ? -1 : 0, NULL,
                        L[x].piece[k]);
            slong k0, k1;
            if (witness(w1, w2, &k0, &k1, &M, -1, t1, tend, arb_midref(R->T)) &&
                k1 - k0 > best) {
                best = k1 - k0;
                bi = q[x].i;
                bj = q[x].j;
                arf_set(b1, w1);
                arf_set(b2, w2);
            }
            sl_clear(&M);
        }
        for (slong x = 0; x < nq; x++) {
            sl_clear(L + x);
            arf_clear(q[x].b);
        }
    }
    flint_free(L);
    flint_free(q);
    if (bi >= 0) {
        char iv[100];
        r->verdict = PC_VERDICT_REFUTED;
        result_add_claim(r, claim_get(R->C, PC_CLAIM_LOGIT_ABOVE, bi, bj, NULL, b1, b2, 0, 0));
        result_add_claim(r, claim_get(R->C, PC_CLAIM_LOGIT_GAP_DECREASING, bi, bj, NULL, b1,
                                      b2, 0, 0));
        fmt_interval(iv, sizeof iv, b1, b2, 0);
        snprintf(r->what, sizeof r->what, "witness: a_%ld > a_%ld and a_%ld - a_%ld shrinks "
                 "on %.60s", (long) bi, (long) bj, (long) bi, (long) bj, iv);
    } else if (ord == NULL || !all_gaps_proof(r, c, R, ord, t1, t2)) {
        r->verdict = PC_VERDICT_UNDECIDED;
        if (ord == NULL)
            snprintf(r->why, sizeof r->why, "no pair with a_i > a_j and a shrinking gap "
                     "proven; a proof needs u(0) strictly ordered");
    }
    arf_clear(w1);
    arf_clear(w2);
    arf_clear(b1);
    arf_clear(b2);
    arf_clear(tend);
}

/* loss_below(b): L(t) < b on [t1, t2]. L never increases along the flow
 * (dL/dt = −‖∇L‖² <= 0), so a proof up to T holds for every later t as
 * well (proofs/THEOREMS.md, "Loss"); a witness is L >= b' >= b on a run
 * of pieces inside the interval (claim loss_above). */
static void loss_below(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                       const arf_t t1, const arf_t t2)
{
    arf_t b;
    fmpq_t wq;
    arf_init(b);
    fmpq_init(wq);
    arf_set_fmpq(b, c->bound, 60, ARF_RND_DOWN);    /* L < b implies L < bound */
    siglist L = {0};
    char label[80], bs[40];
    fmt_num(bs, sizeof bs, b, 0);
    snprintf(label, sizeof label, "L < %s", bs);
    stmt st = {label, PC_CLAIM_LOSS_BELOW, -1, -1, b, 0, PC_CLAIM_LOSS_ABOVE, -1, -1, 1, b,
               1, 0};
    one_list(&L, R, Q_LOSS, -1, -1, b);
    decide_sign(r, R, &L, -1, &st, t1, t2, 0);
    if (r->verdict == PC_VERDICT_REFUTED) {  /* the witness bound must reach the rational b */
        arf_get_fmpq(wq, R->C->claim[r->claims[r->nclaims - 1]].bound);
        fmpq_t bq;                      /* (a local copy: fmpq_cmp on c->bound draws a
                                           GCC 12 false positive) */
        fmpq_init(bq);
        fmpz_set(fmpq_numref(bq), fmpq_numref(c->bound));
        fmpz_set(fmpq_denref(bq), fmpq_denref(c->bound));
        int low = fmpq_cmp(wq, bq) < 0;
        fmpq_clear(bq);
        if (low) {
            r->verdict = PC_VERDICT_UNDECIDED;
            r->nclaims = 0;
            snprintf(r->why, sizeof r->why, "%s: the loss is proven >= %.40s only, below the "
                     "bound; advice: a higher --prec", label, bs);
        }
    }
    sl_clear(&L);
    fmpq_clear(wq);
    arf_clear(b);
}

/* order_preserved: for every pair of neighbours i, j in the order of u(0)
 * (u_i(0) > u_j(0)), u_i > u_j and a_i > a_j on the interval (the other
 * pairs follow by transitivity). For margin losses the set {u_i > u_j,
 * a_i > a_j} is forward invariant (proofs/THEOREMS.md, "Order invariance"),
 * so a proof up to T holds to +∞, and with a_i(0) = a_j(0) exactly (a
 * point) the pair is ordered on (0, ∞) from the data alone. A witness is
 * a_j > a_i on a run of pieces (claim logit_above(j, i)). */
static void order_preserved(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                            const slong *ord, const arf_t t1, const arf_t t2)
{
    const pc_problem_struct *p = R->E->p;
    const slong n = p->n;
    if (p->loss != PC_LOSS_LOGISTIC && p->loss != PC_LOSS_EXPONENTIAL) {
        snprintf(r->why, sizeof r->why, "order_preserved is decided for the margin losses "
                 "(logistic, exponential) only, where the order is forward invariant");
        return;
    }
    pc_concl_result_struct *part = flint_malloc(sizeof(pc_concl_result_struct) * n);
    quant *q = flint_malloc(sizeof(quant) * n);
    siglist *L = flint_calloc(BATCH, sizeof(siglist));
    arf_t zero, inf;
    arf_init(zero);
    arf_init(inf);
    arf_pos_inf(inf);
    slong np = n - 1, nq = 0;
    for (slong x = 0; x < np; x++) {
        const slong i = ord[x], j = ord[x + 1];
        pc_concl_result_struct *pr = part + x;
        pc_concl_result_init(pr);
        if (c->open_from && arf_is_zero(t1) && !pc_problem_is_box(p) &&
            fmpq_equal(p->a + i, p->a + j)) {       /* from the data: (0, ∞) */
            pr->verdict = PC_VERDICT_PROVEN;
            result_add_claim(pr, claim_get(R->C, PC_CLAIM_PAIR_ORDERED, i, j, NULL, zero, inf,
                                           0, 1));
            continue;
        }
        q[nq].kind = Q_ORDER;
        q[nq].i = i;
        q[nq].j = j;
        arf_init(q[nq].b);
        nq++;
    }
    /* the pairs not settled by the data, BATCH at a time */
    for (slong x0 = 0; x0 < nq; x0 += BATCH) {
        const slong nb = FLINT_MIN(BATCH, nq - x0);
        signs_compute(L, q + x0, nb, R->E, R->C->depth);
        for (slong x = 0; x < nb; x++) {
            const slong i = q[x0 + x].i, j = q[x0 + x].j;
            slong y = 0;
            while (ord[y] != i)
                y++;
            char label[80];
            snprintf(label, sizeof label, "u_%ld > u_%ld and a_%ld > a_%ld", (long) i, (long) j,
                     (long) i, (long) j);
            stmt st = {label, PC_CLAIM_PAIR_ORDERED, i, j, NULL, 0, PC_CLAIM_LOGIT_ABOVE, j, i,
                       0, NULL, 1, 0};
            decide_sign(part + y, R, L + x, 1, &st, t1, t2, 0);
            sl_clear(L + x);
        }
    }
    for (slong x = 0; x < nq; x++)
        arf_clear(q[x].b);
    char all[160], iv[100];
    fmt_interval(iv, sizeof iv, t1, t2, c->open_from);
    snprintf(all, sizeof all, "the order of u(0) holds for u and a on %s", iv);
    combine(r, part, np, all);
    for (slong x = 0; x < np; x++)
        pc_concl_result_clear(part + x);
    flint_free(part);
    flint_free(q);
    flint_free(L);
    arf_clear(zero);
    arf_clear(inf);
}

void pc_concl_decide(pc_concl_result_t r, const pc_concl_t c, pc_certify_t R,
                     const slong *u_order)
{
    arf_t t1, t2;
    arf_init(t1);
    arf_init(t2);
    concl_interval(t1, t2, c, arb_midref(R->T));
    const int needs_order = c->kind == PC_CONCL_ORDERED_GAPS_INCREASING ||
        c->kind == PC_CONCL_ORDER_PRESERVED || c->i == PC_TOKEN_TOP;
    r->verdict = PC_VERDICT_UNDECIDED;
    if (needs_order && u_order == NULL)
        snprintf(r->why, sizeof r->why, "u(0) is not strictly ordered: the tokens the "
                 "statement names are not defined");
    else
        switch (c->kind) {
        case PC_CONCL_ENTROPY_DECREASING:
        case PC_CONCL_ENTROPY_INCREASING: entropy_monotone(r, c, R, t1, t2); break;
        case PC_CONCL_ENTROPY_ABOVE:
        case PC_CONCL_ENTROPY_BELOW: entropy_bound(r, c, R, t1, t2); break;
        case PC_CONCL_GAP_INCREASING:
        case PC_CONCL_GAP_DECREASING:
        case PC_CONCL_ORDERED_GAPS_INCREASING: gaps(r, c, R, u_order, t1, t2); break;
        case PC_CONCL_WINNER: winner(r, c, R, u_order, t1, t2); break;
        case PC_CONCL_ALL_GAPS_INCREASING: all_gaps(r, c, R, u_order, t1, t2); break;
        case PC_CONCL_ORDER_PRESERVED: order_preserved(r, c, R, u_order, t1, t2); break;
        case PC_CONCL_LOSS_BELOW: loss_below(r, c, R, t1, t2); break;
        default:
            snprintf(r->why, sizeof r->why, "%s: not implemented in this version",
                     pc_concl_name(c->kind));
        }
    arf_clear(t1);
    arf_clear(t2);
}
