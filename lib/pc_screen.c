/* The screen of one instance (pc_search.h): the hypotheses decided exactly
 * (pc_hypo), then a FLOAT look at the conclusions. NOT RIGOROUS: it only
 * chooses which instances the rigorous check (pc_search_confirm) looks at.
 *
 * The float evidence: the flow is integrated twice with DOP853 (the reduced
 * system where it applies), at rtol and rtol/64, and sampled at the same
 * times (t = 0, linear on (0, min(T, 2)], linear on (0, T], log-spaced from
 * 1e-6 T). At each sample in a conclusion's interval its "violation" is
 * computed in both runs (positive: the conclusion fails there, e.g. dH/dt
 * for entropy_decreasing); the margin is the fine value minus the
 * difference of the two runs minus a floor 1e-9 + 1e-6 |value|. A
 * conclusion is contradicted when some margin is > 0; the score is the
 * largest margin. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pc_search_impl.h"
#include "pc_model.h"
#include "pc_reduced.h"
#include "pc_preview.h"

const char *pc_screen_status_name(pc_screen_status s)
{
    switch (s) {
    case PC_SCREEN_FILTERED: return "filtered";
    case PC_SCREEN_CLEAR: return "clear";
    case PC_SCREEN_CANDIDATE: return "candidate";
    default: return "failed";
    }
}

double pc_search_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* ---- the float runs ------------------------------------------------------------ */

typedef struct {
    pc_model_d_t model;
    pc_field_d_ctx field;
    slong n, d, dim;
    long nt;
    double *t;              /* sample times */
    double *x[2];           /* states at the samples: coarse, fine */
    double *work;
} scr_runs;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void sample_times(double *t, long nt, double T)
{
    long q = nt / 4, k = 0;
    double lin = fmin(T, 2.0);
    t[k++] = 0.0;
    for (long j = 1; j <= q; j++)
        t[k++] = lin * (double) j / (double) q;
    for (long j = 1; j <= q; j++)
        t[k++] = T * (double) j / (double) q;
    long rest = nt - k;
    for (long j = 0; j < rest; j++)
        t[k++] = T * pow(1e-6, 1.0 - (double) j / (double) (rest > 1 ? rest - 1 : 1));
    qsort(t, (size_t) nt, sizeof(double), cmp_double);
    t[nt - 1] = T;
}

static void runs_clear(scr_runs *R)
{
    free(R->t);
    free(R->x[0]);
    free(R->x[1]);
    free(R->work);
    pc_model_d_clear(R->model);
}

static int runs_do(scr_runs *R, const pc_problem_t p, const pc_campaign_impl *m, char *why,
                   size_t whylen)
{
    pc_error_t err;
    R->n = p->n;
    R->d = p->d;
    R->nt = m->points;
    if (pc_model_d_init(R->model, p) != PC_OK) {
        snprintf(why, whylen, "out of memory");
        return 0;
    }
    R->field.model = R->model;
    R->field.reduced = pc_reduced_detect(p, NULL) != PC_REDUCED_NONE;
    const slong full = pc_model_full_dim(p->d, p->n);
    R->dim = R->field.reduced ? 2 * p->n : full;
    R->t = malloc(sizeof(double) * (size_t) R->nt);
    R->x[0] = malloc(sizeof(double) * (size_t) (R->nt * R->dim));
    R->x[1] = malloc(sizeof(double) * (size_t) (R->nt * R->dim));
    R->work = malloc(sizeof(double) * (size_t) (full + 4 * p->n + 2 * p->d));
    if (!R->t || !R->x[0] || !R->x[1] || !R->work) {
        snprintf(why, whylen, "out of memory");
        return 0;
    }
    double *x0 = R->work, *xr = R->work + full;
    pc_state_d_from_problem(x0, p);
    if (R->field.reduced) {
        pc_reduced_from_full_d(xr, R->model, x0);
        x0 = xr;
    }
    sample_times(R->t, R->nt, fmpq_get_d(m->screen_T));
    for (int r = 0; r < 2; r++) {
        pc_preview_opts o;
        pc_preview_opts_default(&o);
        o.rtol = r == 0 ? m->rtol : m->rtol / 64;
        o.atol = o.rtol * 1e-2;
        o.max_steps = 1000000;
        if (pc_preview_integrate(pc_field_preview_rhs, &R->field, R->dim, 0.0, x0, R->t, R->nt,
                                 R->x[r], &o, NULL, err) != PC_OK) {
            snprintf(why, whylen, "float run (rtol %g): %.200s", o.rtol, err->msg);
            return 0;
        }
    }
    return 1;
}

/* What a conclusion looks at, at one state. */
typedef struct {
    double H, dH;
    double L;               /* the loss */
    const double *a, *u;    /* u = V(t)ᵀβ, or NULL (no β) */
    const double *da;
} scr_obs;

/* The observations of every sample of both runs, computed once: da and u
 * (n each per sample), H and dH/dt. */
typedef struct {
    scr_obs *o[2];
    double *buf;
} scr_table;

static int table_fill(scr_table *T, const scr_runs *R)
{
    const slong n = R->n, nt = R->nt;
    T->o[0] = malloc(sizeof(scr_obs) * (size_t) (2 * nt));
    T->buf = malloc(sizeof(double) * (size_t) (2 * nt * 2 * n + R->dim));
    if (T->o[0] == NULL || T->buf == NULL)
        return 0;
    T->o[1] = T->o[0] + nt;
    double *dx = T->buf + 2 * nt * 2 * n;
    for (int r = 0; r < 2; r++)
        for (slong k = 0; k < nt; k++) {
            scr_obs *o = T->o[r] + k;
            const double *x = R->x[r] + k * R->dim;
            double *da = T->buf + (r * nt + k) * 2 * n, *u = da + n;
            pc_field_preview_rhs(dx, R->t[k], x, (void *) &R->field);
            o->a = R->field.reduced ? x + n : x + R->d * n;
            memcpy(da, R->field.reduced ? dx + n : dx + R->d * n, sizeof(double) * (size_t) n);
            o->da = da;
            pc_entropy_d(&o->H, o->a, n);
            pc_entropy_rate_d(&o->dH, o->a, o->da, n);
            if (R->field.reduced)
                pc_reduced_loss_d(&o->L, R->model, x);
            else
                pc_model_loss_d(&o->L, R->model, x);
            o->u = NULL;
            if (R->field.reduced)
                o->u = x;
            else if (R->model->beta != NULL) {
                for (slong j = 0; j < n; j++) {
                    u[j] = 0;
                    for (slong i = 0; i < R->d; i++)
                        u[j] += R->model->beta[i] * x[i * n + j];
                }
                o->u = u;
            }
        }
    return 1;
}

static void table_clear(scr_table *T)
{
    free(T->o[0]);
    free(T->buf);
}

/* ---- the conclusions ------------------------------------------------------------ */

typedef struct {
    double margin;          /* largest margin so far */
    double t, value, errest;
    slong i, j;             /* the pair or token where it was found */
} scr_best;

static void consider(scr_best *b, double v_coarse, double v_fine, double err_extra, double t,
                     slong i, slong j)
{
    double e = fabs(v_fine - v_coarse) + err_extra;
    double margin = v_fine - e - (1e-9 + 1e-6 * fabs(v_fine));
    if (margin > b->margin) {
        b->margin = margin;
        b->t = t;
        b->value = v_fine;
        b->errest = e;
        b->i = i;
        b->j = j;
    }
}

/* Whether the screen can contradict c (the rigorous side decides only these
 * kinds; anything needing t_b, an automatic bound or the order of u(0)
 * when it is not strict cannot be contradicted by finite float evidence;
 * order_preserved is decided for the margin losses only). */
static int screenable(const pc_concl_struct *c, const slong *ord, int margin_loss)
{
    switch (c->kind) {
    case PC_CONCL_ORDER_PRESERVED:
        return ord != NULL && margin_loss;
    case PC_CONCL_LOSS_BELOW:
    case PC_CONCL_ENTROPY_ABOVE:
        return !c->bound_auto;
    case PC_CONCL_ENTROPY_BELOW:
        return !c->from_auto;
    case PC_CONCL_ORDERED_GAPS_INCREASING:
        return ord != NULL;
    case PC_CONCL_GAP_INCREASING:
    case PC_CONCL_GAP_DECREASING:
    case PC_CONCL_WINNER:
        return c->i != PC_TOKEN_TOP || ord != NULL;
    default:
        return 1;
    }
}

/* The violations of c at sample k of both runs, into b. */
static void concl_sample(scr_best *b, const pc_concl_struct *c, const scr_obs *o0,
                         const scr_obs *o1, double t, slong n, const slong *ord)
{
    const pc_concl_kind K = c->kind;
    const double bound = (K == PC_CONCL_ENTROPY_ABOVE || K == PC_CONCL_ENTROPY_BELOW ||
                          K == PC_CONCL_LOSS_BELOW) ? fmpq_get_d(c->bound) : 0.0;
    slong tok = c->i == PC_TOKEN_TOP ? ord[0] : c->i;
    switch (K) {
    case PC_CONCL_ENTROPY_DECREASING: consider(b, o0->dH, o1->dH, 0, t, -1, -1); break;
    case PC_CONCL_ENTROPY_INCREASING: consider(b, -o0->dH, -o1->dH, 0, t, -1, -1); break;
    case PC_CONCL_ENTROPY_ABOVE: consider(b, bound - o0->H, bound - o1->H, 0, t, -1, -1); break;
    case PC_CONCL_ENTROPY_BELOW: consider(b, o0->H - bound, o1->H - bound, 0, t, -1, -1); break;
    case PC_CONCL_LOSS_BELOW: consider(b, o0->L - bound, o1->L - bound, 0, t, -1, -1); break;
    case PC_CONCL_GAP_INCREASING:
    case PC_CONCL_GAP_DECREASING: {
        double sg = K == PC_CONCL_GAP_INCREASING ? -1.0 : 1.0;
        for (slong j = 0; j < n; j++)
            if (j != tok && (c->j == PC_TOKEN_ALL || c->j == j))
                consider(b, sg * (o0->da[tok] - o0->da[j]), sg * (o1->da[tok] - o1->da[j]), 0,
                         t, tok, j);
        break;
    }
    case PC_CONCL_ORDERED_GAPS_INCREASING:
        for (slong x = 0; x < n; x++)
            for (slong y = x + 1; y < n; y++) {
                slong i = ord[x], j = ord[y];
                consider(b, o0->da[j] - o0->da[i], o1->da[j] - o1->da[i], 0, t, i, j);
            }
        break;
    case PC_CONCL_ALL_GAPS_INCREASING:
        /* a_i > a_j and d(a_i − a_j)/dt < 0 at once: the smaller of the two */
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++) {
                if (i == j)
                    continue;
                double g0 = o0->a[i] - o0->a[j], g1 = o1->a[i] - o1->a[j];
                double d0 = o0->da[j] - o0->da[i], d1 = o1->da[j] - o1->da[i];
                double e = fmax(fabs(g1 - g0), fabs(d1 - d0));
                double v1 = fmin(g1, d1);
                consider(b, v1, v1, e + 1e-6 * fabs(fmax(g1, d1)), t, i, j);
            }
        break;
    case PC_CONCL_ORDER_PRESERVED:
        /* a_j > a_i for neighbours i, j of the order of u(0): the witness the
         * rigorous side refutes with (logit_above(j, i)); any other broken
         * pair breaks a neighbour pair too */
        for (slong x = 0; x + 1 < n; x++) {
            slong i = ord[x], j = ord[x + 1];
            consider(b, o0->a[j] - o0->a[i], o1->a[j] - o1->a[i], 0, t, i, j);
        }
        break;
    case PC_CONCL_WINNER:
        for (slong j = 0; j < n; j++)
            if (j != tok)
                consider(b, o0->a[j] - o0->a[tok], o1->a[j] - o1->a[tok], 0, t, tok, j);
        break;
    default:
        break;
    }
}

static void target_label(char *buf, size_t len, const pc_concl_struct *c, const scr_best *b)
{
    if (b->i >= 0 && (c->kind == PC_CONCL_WINNER))
        snprintf(buf, len, "%s(%ld)", pc_concl_name(c->kind), (long) b->i);
    else if (b->i >= 0)
        snprintf(buf, len, "%s(%ld,%ld)", pc_concl_name(c->kind), (long) b->i, (long) b->j);
    else
        snprintf(buf, len, "%s", pc_concl_name(c->kind));
}

/* Screens the conclusions on the runs: the best contradiction into r. */
static void screen_conclusions(pc_screen_result *r, const pc_theorem_t th, const scr_runs *R,
                               const slong *ord, int margin_loss)
{
    scr_table T;
    scr_best best = {0, 0, 0, 0, -1, -1};
    slong bestk = -1;
    if (!table_fill(&T, R)) {
        table_clear(&T);
        r->status = PC_SCREEN_FAILED;
        snprintf(r->reason, sizeof r->reason, "out of memory");
        return;
    }
    for (slong k = 0; k < th->nconcl; k++) {
        const pc_concl_struct *c = th->concl + k;
        if (!screenable(c, ord, margin_loss))
            continue;
        double t1 = c->from_auto ? 0 : fmpq_get_d(c->from);
        double t2 = c->to_inf ? INFINITY : fmpq_get_d(c->to);
        scr_best b = {0, 0, 0, 0, -1, -1};
        for (long s = 0; s < R->nt; s++) {
            double t = R->t[s];
            if (t < t1 || t > t2 || (c->open_from && t <= t1))
                continue;
            concl_sample(&b, c, T.o[0] + s, T.o[1] + s, t, R->n, ord);
        }
        if (b.margin > best.margin) {
            best = b;
            bestk = k;
        }
    }
    table_clear(&T);
    if (bestk < 0) {
        r->status = PC_SCREEN_CLEAR;
        snprintf(r->reason, sizeof r->reason, "no conclusion contradicted in float to T = %g",
                 R->t[R->nt - 1]);
        return;
    }
    r->status = PC_SCREEN_CANDIDATE;
    r->score = best.margin;
    target_label(r->target, sizeof r->target, th->concl + bestk, &best);
    snprintf(r->reason, sizeof r->reason, "float: %s fails at t = %.6g by %.3e (error "
             "estimate %.2e)", r->target, best.t, best.value, best.errest);
}

/* ---- the screen ------------------------------------------------------------------ */

/* The hypotheses and the loss: 1 if they hold (ord set when u(0) is strictly
 * ordered), else 0 with the reason in r. */
static int screen_hypotheses(pc_screen_result *r, const pc_theorem_t th, const pc_problem_t p,
                             pc_hyp_struct *u0)
{
    pc_hyp_decide(u0, PC_HYP_U0_STRICTLY_ORDERED, p);
    if (!((th->losses >> p->loss) & 1u)) {
        snprintf(r->reason, sizeof r->reason, "the theorem is not about the %s loss",
                 pc_loss_name(p->loss));
        return 0;
    }
    for (slong k = 0; k < th->nhyp; k++) {
        pc_hyp_t h;
        pc_hyp_init(h);
        pc_hyp_decide(h, th->hyp[k], p);
        int ok = h->holds;
        if (!ok)
            snprintf(r->reason, sizeof r->reason, "%s FALSE: %.200s", pc_hyp_name(th->hyp[k]),
                     h->why);
        pc_hyp_clear(h);
        if (!ok)
            return 0;
    }
    return 1;
}

static int tokens_exist(pc_screen_result *r, const pc_theorem_t th, slong n)
{
    for (slong k = 0; k < th->nconcl; k++) {
        slong t = FLINT_MAX(th->concl[k].i, th->concl[k].j);
        if (t >= n) {
            snprintf(r->reason, sizeof r->reason, "conclusions[%ld] names token %ld, n = %ld",
                     (long) k, (long) t, (long) n);
            return 0;
        }
    }
    return 1;
}

int pc_search_screen(pc_screen_result *r, const pc_campaign_t c, slong i, pc_error_t err)
{
    double t0 = pc_search_cpu_seconds();
    pc_problem_t p;
    pc_hyp_struct u0;
    memset(r, 0, sizeof *r);
    pc_problem_init(p);
    int st = pc_search_instance(p, c, i, err);
    if (st != PC_OK) {
        pc_problem_clear(p);
        return st;
    }
    const pc_campaign_impl *m = c->impl;
    pc_hyp_init(&u0);
    if (!screen_hypotheses(r, m->th, p, &u0)) {
        r->status = PC_SCREEN_FILTERED;
    } else if (!tokens_exist(r, m->th, p->n)) {
        r->status = PC_SCREEN_FAILED;
    } else {
        scr_runs R;
        memset(&R, 0, sizeof R);
        if (!runs_do(&R, p, m, r->reason, sizeof r->reason))
            r->status = PC_SCREEN_FAILED;
        else
            screen_conclusions(r, m->th, &R, u0.holds ? u0.order : NULL,
                               p->loss == PC_LOSS_LOGISTIC || p->loss == PC_LOSS_EXPONENTIAL);
        runs_clear(&R);
    }
    pc_hyp_clear(&u0);
    pc_problem_clear(p);
    r->seconds = pc_search_cpu_seconds() - t0;
    return PC_OK;
}
