/* Deciding exactly whether the reduced system applies. */
#include "pc_reduced.h"

const char *pc_reduced_name(pc_reduced_kind kind)
{
    switch (kind) {
    case PC_REDUCED_MARGIN: return "margin";
    case PC_REDUCED_SQUARE_ALIGNED: return "square-aligned";
    default: return "none";
    }
}

static int beta_is_zero(const pc_problem_t p)
{
    for (slong i = 0; i < p->d; i++)
        if (!fmpq_is_zero(p->beta + i))
            return 0;
    return 1;
}

/* The projection of V onto {β wᵀ}: w_j = βᵀV_·j / ‖β‖²; dev = max_ij |V_ij − β_i w_j|.
 * W (d*n entries) receives β wᵀ if not NULL. Exact rational arithmetic. */
static void v_projection(fmpq *W, fmpq_t dev, const pc_problem_t p)
{
    fmpq_t nb, w, t;
    fmpq_init(nb);
    fmpq_init(w);
    fmpq_init(t);
    fmpq_zero(dev);
    for (slong i = 0; i < p->d; i++)
        fmpq_addmul(nb, p->beta + i, p->beta + i);
    for (slong j = 0; j < p->n; j++) {
        fmpq_zero(w);
        for (slong i = 0; i < p->d; i++)
            fmpq_addmul(w, p->beta + i, p->V + i * p->n + j);
        fmpq_div(w, w, nb);
        for (slong i = 0; i < p->d; i++) {
            fmpq_mul(t, p->beta + i, w);
            fmpq_sub(t, t, p->V + i * p->n + j);
            fmpq_abs(t, t);
            if (fmpq_cmp(t, dev) > 0)
                fmpq_set(dev, t);
            if (W != NULL)      /* W may be p->V: column j is no longer read */
                fmpq_mul(W + i * p->n + j, p->beta + i, w);
        }
    }
    fmpq_clear(nb);
    fmpq_clear(w);
    fmpq_clear(t);
}

static int v_is_aligned(const pc_problem_t p)
{
    fmpq_t dev;
    fmpq_init(dev);
    v_projection(NULL, dev, p);
    int ok = fmpq_is_zero(dev);
    fmpq_clear(dev);
    return ok;
}

int pc_reduced_align(pc_problem_t p, fmpq_t change)
{
    if (p->loss != PC_LOSS_SQUARE || beta_is_zero(p) || pc_problem_V_is_box(p))
        return PC_ERR_UNSUPPORTED;
    fmpq_t tol;
    fmpq_init(tol);
    fmpz_one(fmpq_numref(tol));
    fmpz_ui_pow_ui(fmpq_denref(tol), 10, PC_REDUCED_ALIGN_TOL_DIGITS);
    v_projection(NULL, change, p);
    int st = fmpq_cmp(change, tol) <= 0 ? PC_OK : PC_ERR_INPUT;
    if (st == PC_OK)
        v_projection(p->V, change, p);
    fmpq_clear(tol);
    return st;
}

pc_reduced_kind pc_reduced_detect(const pc_problem_t p, const char **why)
{
    const char *dummy;
    if (why == NULL)
        why = &dummy;
    if (p->loss != PC_LOSS_LOGISTIC && p->loss != PC_LOSS_EXPONENTIAL
        && p->loss != PC_LOSS_SQUARE) {
        *why = "no reduced system for this loss: full (V, a) system";
        return PC_REDUCED_NONE;
    }
    if (beta_is_zero(p)) {
        *why = "beta = 0: full (V, a) system";
        return PC_REDUCED_NONE;
    }
    if (p->loss != PC_LOSS_SQUARE) {
        *why = "margin loss: exact (u, a) system with u = V^T beta";
        return PC_REDUCED_MARGIN;
    }
    if (pc_problem_V_is_box(p)) {
        *why = "square loss with a box of V(0): full (V, a) system";
        return PC_REDUCED_NONE;
    }
    if (!v_is_aligned(p)) {
        *why = "square loss with V(0) not exactly of the form beta w0^T "
               "(see --align): full (V, a) system";
        return PC_REDUCED_NONE;
    }
    *why = "square loss with V(0) = beta w0^T: exact (u, a) system with u = V^T beta";
    return PC_REDUCED_SQUARE_ALIGNED;
}

void pc_field_preview_rhs(double *dx, double t, const double *x, void *ctx)
{
    const pc_field_d_ctx *c = ctx;
    (void) t;
    if (c->reduced)
        pc_field_reduced_d(dx, c->model, x);
    else
        pc_field_full_d(dx, c->model, x);
}
