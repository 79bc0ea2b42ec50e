/* Exact decisions of the hypotheses (pc_hypo.h). */
#include <stdio.h>
#include <string.h>
#include <flint/fmpq_mat.h>
#include "pc_hypo.h"

static const char *const hyp_names[PC_HYP_COUNT] = {
    "a0_uniform", "u0_strictly_ordered", "v0_aligned", "v0_zero", "target_positive",
    "x_full_column_rank", "beta_nonzero"};

const char *pc_hyp_name(pc_hyp_kind kind)
{
    return kind < PC_HYP_COUNT ? hyp_names[kind] : "unknown";
}

int pc_hyp_from_name(pc_hyp_kind *kind, const char *name)
{
    for (int k = 0; k < PC_HYP_COUNT; k++)
        if (strcmp(name, hyp_names[k]) == 0) {
            *kind = (pc_hyp_kind) k;
            return PC_OK;
        }
    return PC_ERR_INPUT;
}

void pc_hyp_init(pc_hyp_t h)
{
    h->kind = PC_HYP_A0_UNIFORM;
    h->holds = 0;
    h->order = NULL;
    h->n = 0;
    fmpq_init(h->gap);
    h->why[0] = '\0';
}

void pc_hyp_clear(pc_hyp_t h)
{
    flint_free(h->order);
    fmpq_clear(h->gap);
}

static int has_beta(const pc_problem_t p)
{
    return p->beta != NULL;
}

static int beta_zero(const pc_problem_t p)
{
    for (slong i = 0; i < p->d; i++)
        if (!fmpq_is_zero(p->beta + i))
            return 0;
    return 1;
}

static int set(pc_hyp_t h, int holds, const char *why)
{
    h->holds = holds;
    snprintf(h->why, sizeof h->why, "%s", why);
    return holds;
}

static void a0_uniform(pc_hyp_t h, const pc_problem_t p)
{
    if (pc_problem_a_is_box(p) && p->n >= 2) {
        set(h, 0, "a box of a(0) (radius > 0) holds non-uniform points");
        return;
    }
    for (slong j = 1; j < p->n; j++)
        if (!fmpq_equal(p->a + j, p->a)) {
            snprintf(h->why, sizeof h->why, "a_%ld(0) != a_0(0)", (long) j);
            h->holds = 0;
            return;
        }
    set(h, 1, "");
}

/* u(0) = V(0)ᵀβ at the centre, sorted by decreasing value (insertion sort:
 * n is small next to the integration). */
static void u0_ordered(pc_hyp_t h, const pc_problem_t p)
{
    const slong n = p->n;
    if (!has_beta(p)) {
        set(h, 0, "the loss has no beta (u = V^T beta undefined)");
        return;
    }
    fmpq *u = _fmpq_vec_init(n);
    slong *ord = flint_malloc(sizeof(slong) * n);
    fmpq_t least, gap;
    fmpq_init(least);
    fmpq_init(gap);
    for (slong j = 0; j < n; j++)
        for (slong i = 0; i < p->d; i++)
            fmpq_addmul(u + j, p->V + i * n + j, p->beta + i);
    for (slong j = 0; j < n; j++) {
        slong k = j;
        for (; k > 0; k--) {
            const fmpq *prev = u + ord[k - 1];
            if (fmpq_cmp(prev, u + j) >= 0)
                break;
            ord[k] = ord[k - 1];
        }
        ord[k] = j;
    }
    fmpq *w = _fmpq_vec_init(n);          /* u_j moves by Σ_i |β_i| r_ij in the box */
    for (slong j = 0; j < n; j++)
        for (slong i = 0; i < p->d; i++) {
            pc_problem_entry_radius(least, p, i * n + j);
            fmpq_mul(least, least, p->beta + i);
            fmpq_abs(least, least);
            fmpq_add(w + j, w + j, least);
        }
    h->holds = 1;
    for (slong k = 0; k + 1 < n; k++) {
        fmpq_sub(least, u + ord[k], u + ord[k + 1]);
        fmpq_sub(least, least, w + ord[k]);
        fmpq_sub(least, least, w + ord[k + 1]);
        if (k == 0 || fmpq_cmp(least, gap) < 0)
            fmpq_set(gap, least);
        if (fmpq_sgn(least) <= 0 && h->holds) {
            h->holds = 0;
            snprintf(h->why, sizeof h->why, "u_%ld(0) and u_%ld(0) %s", (long) ord[k],
                     (long) ord[k + 1], pc_problem_V_is_box(p) ? "can be equal in the box"
                                                              : "are equal");
        }
    }
    if (h->holds) {
        fmpq_set(h->gap, gap);
        h->order = ord;
        h->n = n;
    } else {
        flint_free(ord);
        fmpq_zero(h->gap);
    }
    _fmpq_vec_clear(u, n);
    _fmpq_vec_clear(w, n);
    fmpq_clear(least);
    fmpq_clear(gap);
}

/* V(0) = β w0ᵀ: every column a multiple of β (β = 0: V(0) = 0). */
static int v0_aligned_point(const pc_problem_t p, char *why, size_t len)
{
    const slong n = p->n, d = p->d;
    fmpq_t nb, w, t;
    fmpq_init(nb);
    fmpq_init(w);
    fmpq_init(t);
    int ok = 1;
    for (slong i = 0; i < d; i++)
        fmpq_addmul(nb, p->beta + i, p->beta + i);
    for (slong j = 0; j < n && ok; j++) {
        fmpq_zero(w);
        for (slong i = 0; i < d; i++)
            fmpq_addmul(w, p->beta + i, p->V + i * n + j);
        if (!fmpq_is_zero(nb))
            fmpq_div(w, w, nb);
        for (slong i = 0; i < d && ok; i++) {
            fmpq_mul(t, p->beta + i, w);
            if (!fmpq_equal(t, p->V + i * n + j)) {
                ok = 0;
                snprintf(why, len, "column %ld of V(0) is not a multiple of beta", (long) j);
            }
        }
    }
    fmpq_clear(nb);
    fmpq_clear(w);
    fmpq_clear(t);
    return ok;
}

static void v0_aligned(pc_hyp_t h, const pc_problem_t p)
{
    if (!has_beta(p)) {
        set(h, 0, "the loss has no beta");
        return;
    }
    if (pc_problem_V_is_box(p)) {   /* every point: only if d = 1 and β ≠ 0 */
        if (p->d == 1 && !beta_zero(p))
            set(h, 1, "");
        else
            set(h, 0, "a box of V(0) (radius > 0) holds points off beta w0^T");
        return;
    }
    h->holds = v0_aligned_point(p, h->why, sizeof h->why);
}

static void v0_zero(pc_hyp_t h, const pc_problem_t p)
{
    if (pc_problem_V_is_box(p)) {
        set(h, 0, "a box of V(0) (radius > 0) holds nonzero points");
        return;
    }
    for (slong k = 0; k < p->d * p->n; k++)
        if (!fmpq_is_zero(p->V + k)) {
            snprintf(h->why, sizeof h->why, "V_%ld%ld(0) != 0", (long) (k / p->n),
                     (long) (k % p->n));
            h->holds = 0;
            return;
        }
    set(h, 1, "");
}

static void target_positive(pc_hyp_t h, const pc_problem_t p)
{
    if (p->q == NULL) {
        set(h, 0, "the loss has no target distribution q");
        return;
    }
    for (slong k = 0; k < p->d; k++)
        if (fmpq_sgn(p->q + k) <= 0) {
            snprintf(h->why, sizeof h->why, "q_%ld <= 0", (long) k);
            h->holds = 0;
            return;
        }
    set(h, 1, "");
}

static void x_full_column_rank(pc_hyp_t h, const pc_problem_t p)
{
    if (p->X == NULL) {
        set(h, 0, "the loss has no matrix X");
        return;
    }
    fmpq_mat_t X, R;
    fmpq_mat_init(X, p->m, p->d);
    fmpq_mat_init(R, p->m, p->d);
    for (slong i = 0; i < p->m; i++)
        for (slong k = 0; k < p->d; k++)
            fmpq_set(fmpq_mat_entry(X, i, k), p->X + i * p->d + k);
    slong r = fmpq_mat_rref(R, X);          /* the rank, exactly */
    fmpq_mat_clear(X);
    fmpq_mat_clear(R);
    h->holds = r == p->d;
    if (!h->holds)
        snprintf(h->why, sizeof h->why, "rank X = %ld < d = %ld", (long) r, (long) p->d);
}

static void beta_nonzero(pc_hyp_t h, const pc_problem_t p)
{
    if (!has_beta(p))
        set(h, 0, "the loss has no beta");
    else if (beta_zero(p))
        set(h, 0, "beta = 0");
    else
        set(h, 1, "");
}

void pc_hyp_decide(pc_hyp_t h, pc_hyp_kind kind, const pc_problem_t p)
{
    flint_free(h->order);
    h->order = NULL;
    h->n = 0;
    fmpq_zero(h->gap);
    h->why[0] = '\0';
    h->kind = kind;
    switch (kind) {
    case PC_HYP_A0_UNIFORM: a0_uniform(h, p); break;
    case PC_HYP_U0_STRICTLY_ORDERED: u0_ordered(h, p); break;
    case PC_HYP_V0_ALIGNED: v0_aligned(h, p); break;
    case PC_HYP_V0_ZERO: v0_zero(h, p); break;
    case PC_HYP_TARGET_POSITIVE: target_positive(h, p); break;
    case PC_HYP_X_FULL_COLUMN_RANK: x_full_column_rank(h, p); break;
    default: beta_nonzero(h, p); break;
    }
}
