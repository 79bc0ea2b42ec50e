/* Reports of certificates: reading, the re-run, the band (see pc_report.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pc_cert.h"
#include "pc_memory.h"
#include "pc_model.h"
#include "pc_preview.h"
#include "pc_reduced.h"
#include "pc_report.h"

void pc_report_opts_default(pc_report_opts *o)
{
    o->pieces_per_step = 8;
    o->preview_points = 200;
    o->band_from_samples = 0;
    o->max_memory = 0;
}

void pc_report_init(pc_report_t R)
{
    memset(R, 0, sizeof(pc_report_struct));
    pc_problem_init(R->p);
    arf_init(R->T);
    arf_init(R->tstar);
    arb_init(R->H_tstar);
    arb_init(R->H_T);
}

void pc_report_clear(pc_report_t R)
{
    free(R->path);
    pc_problem_clear(R->p);
    arf_clear(R->T);
    arf_clear(R->tstar);
    arb_clear(R->H_tstar);
    arb_clear(R->H_T);
    for (slong k = 0; k < R->nclaims; k++) {
        arf_clear(R->claim[k].from);
        arf_clear(R->claim[k].to);
        arf_clear(R->claim[k].bound);
    }
    free(R->claim);
    for (slong k = 0; k < R->npieces; k++) {
        arf_clear(R->piece[k].t_lo);
        arf_clear(R->piece[k].t_hi);
        arb_clear(R->piece[k].H);
    }
    free(R->piece);
    free(R->preview_t);
    free(R->preview_H);
    memset(R, 0, sizeof(pc_report_struct));
}

/* "M" or "M*2^E" (exact) into x; "inf" as +inf if allowed. */
static int parse_dyadic(arf_t x, const json_t *j, int allow_inf)
{
    const char *s = json_string_value(j);
    if (s == NULL)
        return 0;
    if (allow_inf && strcmp(s, "inf") == 0) {
        arf_pos_inf(x);
        return 1;
    }
    const char *star = strstr(s, "*2^");
    fmpz_t m, e;
    fmpz_init(m);
    fmpz_init(e);
    char *ms = strndup(s, star ? (size_t) (star - s) : strlen(s));
    int ok = ms && strlen(ms) < 4096 && fmpz_set_str(m, ms, 10) == 0
             && (star == NULL || (strlen(star + 3) < 32 && fmpz_set_str(e, star + 3, 10) == 0));
    if (ok)
        arf_set_fmpz_2exp(x, m, e);
    free(ms);
    fmpz_clear(m);
    fmpz_clear(e);
    return ok;
}

static int get_slong(slong *v, const json_t *o, const char *key, slong lo, slong hi)
{
    const json_t *j = json_object_get(o, key);
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi)
        return 0;
    *v = (slong) json_integer_value(j);
    return 1;
}

/* The problem of the certificate as a problem file, with T the horizon. */
static int load_problem(pc_report_t R, const json_t *cert, const char *path, pc_error_t err)
{
    const json_t *prob = json_object_get(cert, "problem");
    if (!json_is_object(prob))
        return pc_error_set(err, PC_ERR_INPUT, "%s: problem: missing", path);
    json_t *pf = json_deep_copy(prob);
    fmpq_t T;
    fmpq_init(T);
    arf_get_fmpq(T, R->T);
    char *Ts = fmpq_get_str(NULL, 10, T);
    json_object_set_new(pf, "format", json_string("polarcert-problem/1"));
    json_object_set_new(pf, "T", json_string(Ts));
    char *text = json_dumps(pf, JSON_COMPACT);
    char src[1100];
    snprintf(src, sizeof src, "%s: problem", path);
    int st = text ? pc_problem_load_string(R->p, text, src, err)
                  : pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", path);
    free(text);
    flint_free(Ts);
    fmpq_clear(T);
    json_decref(pf);
    return st;
}

static int load_claims(pc_report_t R, const json_t *cert, const char *path, pc_error_t err)
{
    const json_t *cl = json_object_get(cert, "claims");
    if (!json_is_array(cl) || json_array_size(cl) == 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: claims: missing or empty", path);
    R->claim = calloc(json_array_size(cl), sizeof(pc_report_claim));
    for (size_t k = 0; k < json_array_size(cl); k++) {
        const json_t *c = json_array_get(cl, k);
        pc_report_claim *rc = R->claim + k;
        arf_init(rc->from);
        arf_init(rc->to);
        arf_init(rc->bound);
        R->nclaims++;
        const char *kind = json_string_value(json_object_get(c, "kind"));
        const char *lemma = json_string_value(json_object_get(c, "lemma"));
        /* entropy_limit (pl-tail lemmas): lim H in [lo, hi], kept in from/to */
        const int lim = kind != NULL && strcmp(kind, "entropy_limit") == 0;
        if (kind == NULL || strlen(kind) >= sizeof rc->kind
            || !parse_dyadic(rc->from, json_object_get(c, lim ? "lo" : "from"), 0)
            || !parse_dyadic(rc->to, json_object_get(c, lim ? "hi" : "to"), !lim)
            || (lemma != NULL && strlen(lemma) >= sizeof rc->lemma))
            return pc_error_set(err, PC_ERR_INPUT, "%s: claims[%zu]: malformed", path, k);
        strcpy(rc->kind, kind);
        strcpy(rc->lemma, lemma ? lemma : "");
        rc->open_from = json_is_true(json_object_get(c, "open_from"));
        if (strcmp(kind, "entropy_above") == 0 && !parse_dyadic(rc->bound, json_object_get(c, "bound"), 0))
            return pc_error_set(err, PC_ERR_INPUT, "%s: claims[%zu]: bound: not a dyadic", path, k);
        if (strcmp(kind, "logit_gap_decreasing") == 0
            && (!get_slong(&rc->i, c, "i", 0, R->p->n - 1) || !get_slong(&rc->j, c, "j", 0, R->p->n - 1)))
            return pc_error_set(err, PC_ERR_INPUT, "%s: claims[%zu]: i, j: not token numbers", path, k);
        if (strcmp(kind, "entropy_decreasing") == 0 && !R->have_tstar) {
            R->have_tstar = 1;
            arf_set(R->tstar, rc->from);
            R->tstar_inf = arf_is_pos_inf(rc->to);
        }
    }
    return PC_OK;
}

/* Header, hash, method, horizon, problem, claims. */
static int load_cert(pc_report_t R, json_t *cert, const char *path, pc_error_t err)
{
    const char *fmt = json_string_value(json_object_get(cert, "format"));
    if (fmt == NULL || strcmp(fmt, PC_CERT_FORMAT) != 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: format: not a %s certificate", path, PC_CERT_FORMAT);
    const char *sha = json_string_value(json_object_get(cert, "sha256"));
    char hex[65];
    if (sha == NULL || pc_cert_hash(hex, cert) != PC_OK || strcmp(hex, sha) != 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: sha256: does not match the content (damaged "
                            "or edited certificate)", path);
    strcpy(R->sha256, sha);
    const char *ver = json_string_value(json_object_get(json_object_get(cert, "tool"), "version"));
    snprintf(R->tool_version, sizeof R->tool_version, "%s", ver ? ver : "?");
    const json_t *m = json_object_get(cert, "method");
    const char *sys = json_string_value(json_object_get(m, "system"));
    int k;
    for (k = 0; k < 3 && (sys == NULL || strcmp(sys, pc_system_name((pc_system_kind) k)) != 0); k++)
        ;
    if (k == 3 || !get_slong(&R->prec, m, "prec", 32, 4096) || !get_slong(&R->order, m, "order", 2, 400)
        || !get_slong(&R->jac_prec, m, "jac_prec", 32, 4096))
        return pc_error_set(err, PC_ERR_INPUT, "%s: method: malformed", path);
    R->system = (pc_system_kind) k;
    if (!parse_dyadic(R->T, json_object_get(cert, "horizon"), 0) || arf_sgn(R->T) <= 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: horizon: not a positive dyadic", path);
    int st = load_problem(R, cert, path, err);
    return st == PC_OK ? load_claims(R, cert, path, err) : st;
}

/* Whether the re-run has exactly the certificate's steps. */
static int same_steps(const pc_enclose_t E, const json_t *steps)
{
    if (!json_is_array(steps) || (slong) json_array_size(steps) != E->flow->nsteps)
        return 0;
    arf_t t0, h;
    arf_init(t0);
    arf_init(h);
    int ok = 1;
    for (slong k = 0; k < E->flow->nsteps && ok; k++) {
        const json_t *s = json_array_get(steps, k);
        ok = parse_dyadic(t0, json_object_get(s, "t0"), 0) && parse_dyadic(h, json_object_get(s, "h"), 0)
             && arf_equal(t0, arb_midref(E->flow->step[k].t0)) && arf_equal(h, arb_midref(E->flow->step[k].h));
    }
    arf_clear(t0);
    arf_clear(h);
    return ok;
}

static pc_report_piece *new_piece(pc_report_t R, slong *alloc)
{
    if (R->npieces == *alloc) {
        *alloc = *alloc ? 2 * *alloc : 256;
        R->piece = realloc(R->piece, sizeof(pc_report_piece) * (size_t) *alloc);
    }
    pc_report_piece *q = R->piece + R->npieces++;
    arf_init(q->t_lo);
    arf_init(q->t_hi);
    arb_init(q->H);
    q->sign = 0;
    return q;
}

/* The sign of dH/dt the certificate's claims give on [lo, hi]. */
static int claimed_sign(const pc_report_t R, const arf_t lo, const arf_t hi)
{
    for (slong k = 0; k < R->nclaims; k++) {
        const pc_report_claim *c = R->claim + k;
        int dec = strcmp(c->kind, "entropy_decreasing") == 0;
        if ((dec || strcmp(c->kind, "entropy_increasing") == 0)
            && arf_cmp(c->from, lo) <= 0 && arf_cmp(hi, c->to) <= 0)
            return dec ? -1 : 1;
    }
    return 0;
}

void pc_report_entropy_box(arb_t H, arb_srcptr a, slong n, slong prec)
{
    arb_ptr c = _arb_vec_init(n), s = _arb_vec_init(n);
    arb_t abar, g, d, mv;
    arb_init(abar);
    arb_init(g);
    arb_init(d);
    arb_init(mv);
    for (slong j = 0; j < n; j++)
        arf_set(arb_midref(c + j), arb_midref(a + j));     /* exact centre */
    pc_entropy_arb(mv, c, n, prec);
    pc_softmax_arb(s, a, n, prec);
    arb_dot(abar, NULL, 0, s, 1, a, 1, n, prec);
    for (slong j = 0; j < n; j++) {                       /* + ∂_jH(box) (a_j − c_j) */
        arb_sub(g, a + j, abar, prec);
        arb_mul(g, g, s + j, prec);
        arb_neg(g, g);
        arb_zero(d);
        mag_set(arb_radref(d), arb_radref(a + j));
        arb_addmul(mv, g, d, prec);
    }
    pc_entropy_arb(H, a, n, prec);
    if (arb_is_finite(mv) && !arb_intersection(H, H, mv, prec))
        arb_set(H, mv);     /* cannot happen (both contain H); keep a valid ball */
    _arb_vec_clear(c, n);
    _arb_vec_clear(s, n);
    arb_clear(abar);
    arb_clear(g);
    arb_clear(d);
    arb_clear(mv);
}

/* Every step in m pieces σ ⊆ [0, h]: the state over σ from the step's
 * Taylor polynomial with its remainder (pc_flow_step_eval), H over it;
 * the real-time span is exact (real-time systems) or the enclosure of the
 * component t over σ (τ-system). */
static void band_from_steps(pc_report_t R, const pc_enclose_t E, slong m)
{
    const slong dim = E->sys->dim, n = R->p->n, prec = E->prec;
    const slong off = pc_system_a_offset(E->kind, R->p);
    arb_ptr x = _arb_vec_init(dim);
    arb_t sig;
    arf_t lo, hi;
    slong alloc = 0;
    arb_init(sig);
    arf_init(lo);
    arf_init(hi);
    for (slong k = 0; k < E->flow->nsteps; k++) {
        const pc_flow_step_struct *s = E->flow->step + k;
        for (slong i = 0; i < m; i++) {
            arf_mul_si(lo, arb_midref(s->h), i, ARF_PREC_EXACT, ARF_RND_DOWN);
            arf_div_si(lo, lo, m, prec, ARF_RND_DOWN);
            arf_mul_si(hi, arb_midref(s->h), i + 1, ARF_PREC_EXACT, ARF_RND_DOWN);
            arf_div_si(hi, hi, m, prec, ARF_RND_UP);
            if (i + 1 == m)
                arf_set(hi, arb_midref(s->h));
            arb_set_interval_arf(sig, lo, hi, prec);    /* may be slightly wider: safe */
            pc_flow_step_eval(x, s, dim, sig, prec);
            pc_report_piece *q = new_piece(R, &alloc);
            pc_report_entropy_box(q->H, x + off, n, prec);
            if (E->kind == PC_SYSTEM_TAU) {
                arb_get_lbound_arf(q->t_lo, x + 2 * n, prec);
                arb_get_ubound_arf(q->t_hi, x + 2 * n, prec);
                if (arf_sgn(q->t_lo) < 0)
                    arf_zero(q->t_lo);          /* t(τ) >= t(0) = 0 */
            } else {
                arf_add(q->t_lo, arb_midref(s->t0), lo, ARF_PREC_EXACT, ARF_RND_DOWN);
                arf_add(q->t_hi, arb_midref(s->t0), hi, ARF_PREC_EXACT, ARF_RND_DOWN);
            }
            q->sign = claimed_sign(R, q->t_lo, q->t_hi);
        }
    }
    _arb_vec_clear(x, dim);
    arb_clear(sig);
    arf_clear(lo);
    arf_clear(hi);
}

/* The time axis: logarithmic when the horizon spans several decades past
 * the interesting early times (T* or the start). */
static void choose_axis(pc_report_t R)
{
    double T = arf_get_d(R->T, ARF_RND_NEAR);
    double ref = R->have_tstar && arf_sgn(R->tstar) > 0 ? arf_get_d(R->tstar, ARF_RND_NEAR) : T / 1000;
    R->log_time = T > 50 && T / ref > 300;
    R->t_min = R->log_time ? pow(10, floor(log10(fmin(ref, T) / 30))) : 0;
}

/* Float preview of the full system from the centre of the box: NOT
 * RIGOROUS, for comparison only. */
static void preview(pc_report_t R, slong points)
{
    pc_model_d_t md;
    pc_model_d_init(md, R->p);
    const slong d = R->p->d, n = R->p->n, dim = pc_model_full_dim(d, n);
    double *x0 = malloc(sizeof(double) * (size_t) dim), *xs = malloc(sizeof(double) * (size_t) (dim * points));
    double *t = malloc(sizeof(double) * (size_t) points), T = arf_get_d(R->T, ARF_RND_NEAR);
    pc_state_d_from_problem(x0, R->p);
    for (slong k = 0; k < points; k++)
        t[k] = R->log_time ? R->t_min * pow(T / R->t_min, (double) k / (double) (points - 1))
                           : T * (double) k / (double) (points - 1);
    t[points - 1] = T;
    pc_field_d_ctx ctx = {md, 0};
    pc_preview_opts po;
    pc_error_t err;
    pc_preview_opts_default(&po);
    if (pc_preview_integrate(pc_field_preview_rhs, &ctx, dim, 0.0, x0, t, points, xs, &po, NULL, err) == PC_OK) {
        R->preview_t = t;
        R->preview_H = malloc(sizeof(double) * (size_t) points);
        for (slong k = 0; k < points; k++)
            pc_entropy_d(R->preview_H + k, xs + k * dim + d * n, n);
        R->npreview = points;
    } else
        free(t);
    free(x0);
    free(xs);
    pc_model_d_clear(md);
}

/* TEST HOOK: the band between preview samples (NOT an enclosure). */
static void band_from_samples(pc_report_t R)
{
    slong alloc = 0;
    for (slong k = 0; k + 1 < R->npreview; k++) {
        pc_report_piece *q = new_piece(R, &alloc);
        arf_set_d(q->t_lo, R->preview_t[k]);
        arf_set_d(q->t_hi, R->preview_t[k + 1]);
        arb_set_d(q->H, R->preview_H[k]);
        arb_t b;
        arb_init(b);
        arb_set_d(b, R->preview_H[k + 1]);
        arb_union(q->H, q->H, b, 64);
        arb_clear(b);
        q->sign = claimed_sign(R, q->t_lo, q->t_hi);
    }
}

static int rerun(pc_report_t R, const json_t *cert, const pc_report_opts *o, pc_error_t err)
{
    pc_flow_opts fo;
    pc_enclose_t E;
    pc_flow_opts_default(&fo, R->prec);
    fo.order = R->order;
    fo.jac_prec = R->jac_prec;
    fo.set = pc_enclose_default_set(R->system);     /* as certify chose it */
    fo.max_memory = o->max_memory;
    int ist = pc_enclose_init(E, R->p, R->system, &fo);
    if (ist == PC_ERR_MEMORY) {
        double need = 0;
        char b[32], l[32];
        pc_enclose_memory(&need, R->p, R->system, &fo);
        pc_memory_format(b, sizeof b, need);
        pc_memory_format(l, sizeof l, fo.max_memory);
        return pc_error_set(err, PC_ERR_MEMORY, "the re-run needs about %s of memory, above "
                            "the memory limit of %s", b, l);
    }
    if (ist != PC_OK)
        return pc_error_set(err, PC_ERR_INPUT, "%s: method: system %s does not apply to the problem",
                            R->path, pc_system_name(R->system));
    arb_t T;
    arb_init(T);
    arb_set_arf(T, R->T);
    int st = pc_enclose_run(E, T, NULL, 0, err);
    const json_t *steps = json_object_get(cert, "steps");
    /* the aligned square loss on the τ-system stops near the end of its
     * finite τ-range: complete if it has the certificate's steps */
    if (st == PC_ERR_PRECISION && E->kind == PC_SYSTEM_TAU && R->p->loss == PC_LOSS_SQUARE)
        st = PC_OK;
    if (st == PC_OK && !same_steps(E, steps))
        st = pc_error_set(err, PC_ERR_INPUT, "%s: steps: the re-run with the certificate's method "
                          "does not reproduce its step times (%ld steps, the certificate has %zu; a "
                          "different polarcert version?)", R->path, (long) E->flow->nsteps,
                          json_array_size(steps));
    if (st == PC_OK) {
        R->nsteps = E->flow->nsteps;
        pc_enclose_obs_t ob;
        pc_enclose_obs_init(ob);
        arb_t t;
        arb_init(t);
        arb_set_arf(t, R->tstar);
        if (R->have_tstar && pc_enclose_observe(ob, E, t) == PC_OK)
            arb_set(R->H_tstar, ob->H);
        else
            arb_indeterminate(R->H_tstar);
        if (pc_enclose_observe(ob, E, T) == PC_OK)
            arb_set(R->H_T, ob->H);
        else
            arb_indeterminate(R->H_T);
        if (!o->band_from_samples)
            band_from_steps(R, E, o->pieces_per_step);
        arb_clear(t);
        pc_enclose_obs_clear(ob);
    }
    arb_clear(T);
    pc_enclose_clear(E);
    return st;
}

pc_report_piece *pc_report_band_merged(slong *len, const pc_report_t R, slong max)
{
    slong g = max < 1 ? R->npieces : (R->npieces + max - 1) / max, m = 0;
    if (g < 1)
        g = 1;
    pc_report_piece *out = calloc((size_t) (R->npieces / g + 1), sizeof(pc_report_piece));
    for (slong i = 0; i < R->npieces; i += g, m++) {
        pc_report_piece *q = out + m;
        arf_init(q->t_lo);
        arf_init(q->t_hi);
        arb_init(q->H);
        arf_set(q->t_lo, R->piece[i].t_lo);
        arf_set(q->t_hi, R->piece[i].t_hi);
        arb_set(q->H, R->piece[i].H);
        q->sign = R->piece[i].sign;
        for (slong j = i + 1; j < i + g && j < R->npieces; j++) {
            arf_min(q->t_lo, q->t_lo, R->piece[j].t_lo);
            arf_max(q->t_hi, q->t_hi, R->piece[j].t_hi);
            arb_union(q->H, q->H, R->piece[j].H, 64);   /* rounds outwards */
            if (R->piece[j].sign != q->sign)
                q->sign = 0;
        }
    }
    *len = m;
    return out;
}

void pc_report_pieces_free(pc_report_piece *p, slong len)
{
    for (slong i = 0; i < len; i++) {
        arf_clear(p[i].t_lo);
        arf_clear(p[i].t_hi);
        arb_clear(p[i].H);
    }
    free(p);
}

int pc_report_load(pc_report_t R, const char *path, const pc_report_opts *o, pc_error_t err)
{
    json_error_t je;
    pc_report_clear(R);
    pc_report_init(R);
    R->path = strdup(path);
    json_t *cert = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (cert == NULL && je.line < 0)        /* jansson: the file could not be read */
        return pc_error_set(err, PC_ERR_IO, "%s", je.text);
    if (cert == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "%s: not JSON: %s (line %d)", path, je.text, je.line);
    int st = load_cert(R, cert, path, err);
    if (st == PC_OK) {
        choose_axis(R);
        preview(R, o->preview_points < 2 ? 2 : o->preview_points);
        st = rerun(R, cert, o, err);
        if (st == PC_OK && o->band_from_samples)
            band_from_samples(R);
    }
    json_decref(cert);
    return st;
}
