/* vf_claims.c — the claims and the margin-tail lemma hypotheses (FORMAT.md "claims").
 *
 * Claims are checked online, step by step, on the enclosure of the state over the step
 * (Taylor polynomial plus remainder, intersected with E), bisecting the step's time
 * where a sign is undecided.  A piece whose real-time range misses the claim's interval
 * is skipped; every other piece must decide the claim.  Each piece is evaluated once
 * for all the claims that still need it (check_pieces).
 *
 * Depth: a piece is bisected down to maxdepth (the certificate's sign_depth + 3), and
 * deeper, down to extdepth (the certificate's end_depth + 3), within a budget: each
 * claim may use at most DEEP_BUDGET * (extdepth + 1) pieces below maxdepth in the
 * whole certificate.  The certifier refines only a few chains of pieces next to the
 * ends of its claims, which this re-does; a bad certificate cannot make the checker
 * bisect whole steps that deep.
 *
 * Open start (proofs/open-start.md): for an entropy_decreasing claim with open_from
 * (a(0) exactly uniform, checked with the certificate), the pieces [0, d] of the first
 * step decide it by G = -sum_j s_j (alpha_j - alpha_mean)(da_j - da_mean) < 0, where
 * alpha = (a(sigma) - a(0)) / sigma is the divided step polynomial: dH/dt = sigma G. */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

/* Pieces below maxdepth per claim and level of extdepth (see above). */
#define DEEP_BUDGET 64

struct vf_claims {
    const vf_cert *c;
    int maxdepth;
    int extdepth;           /* depth limit next to a claim's end (>= maxdepth) */
    vf_eval *ev;            /* quantity tape per reference token (lazy) */
    char *ev_ok;
    int *gapout;            /* claim -> output index of its gap quantity */
    int sAout;              /* output index of s_0 (a_0 - mean), then n of them */
    int aoff;               /* offset of a in the state */
    mpfi_t *S, *D;          /* state and field (derivative polynomial) over a piece */
    mpfi_t sig, rt, t0;
    mpfi_t tv, tv2, tt;     /* scratch of the derivative tightening */
    mpfi_t lv;              /* a_i - a_j over the piece (logit_above) */
    mpfi_t ug, ut;          /* u_i - u_j over the piece and scratch (pair_ordered) */
    int Lout;               /* output index of the loss L */
    int *all;               /* 0..nclaims-1 */
    int *lists;             /* (extdepth + 1) * nclaims: undecided claims per depth */
    long *deep;             /* pieces below maxdepth used, per claim */
    mpfi_t *al, *sx;        /* open start: divided a-polynomial, softmax */
    mpfi_t og, ot, ou;      /* open start: scratch */
    char *failed;           /* claim undecided at the depth limit on this step */
    mpfr_prec_t sprec;      /* precision of the bisection points */
    double piece_work, claim_work;  /* work units of a piece and of a claim on it */
    size_t step;
};

vf_claims *vf_claims_new(const vf_cert *c, int maxdepth)
{
    vf_claims *cl = vf_calloc(1, sizeof *cl);
    cl->c = c;
    cl->maxdepth = maxdepth;
    cl->extdepth = c->end_depth + 3 > maxdepth ? (int)c->end_depth + 3 : maxdepth;
    if (cl->extdepth > 60)
        cl->extdepth = maxdepth > 60 ? maxdepth : 60;
    cl->ev = vf_calloc((size_t)c->n, sizeof(vf_eval));
    cl->ev_ok = vf_calloc((size_t)c->n, 1);
    cl->gapout = vf_calloc(c->nclaims, sizeof(int));
    size_t g = 2;
    for (size_t q = 0; q < c->nclaims; q++)
        if (vf_claim_uses_gap(&c->claims[q]))
            cl->gapout[q] = (int)g++;
    cl->sAout = (int)g;
    cl->aoff = c->sys == VF_FULL ? c->d * c->n : c->n;
    cl->S = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim);
    cl->D = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim);
    for (int i = 0; i < c->dim; i++) {
        mpfi_init2(cl->S[i], c->prec);
        mpfi_init2(cl->D[i], c->prec);
    }
    cl->sprec = c->prec + 64 + cl->extdepth;
    mpfi_init2(cl->sig, cl->sprec);
    mpfi_init2(cl->rt, c->prec);
    mpfi_init2(cl->t0, c->prec);
    mpfi_init2(cl->tv, c->prec);
    mpfi_init2(cl->tv2, c->prec);
    mpfi_init2(cl->tt, c->prec);
    mpfi_init2(cl->lv, c->prec);
    mpfi_init2(cl->ug, c->prec);
    mpfi_init2(cl->ut, c->prec);
    cl->Lout = cl->sAout + 2 * c->n;
    cl->all = vf_malloc(sizeof(int) * (c->nclaims + 1));
    for (size_t q = 0; q < c->nclaims; q++)
        cl->all[q] = (int)q;
    cl->lists = vf_malloc(sizeof(int) * ((size_t)cl->extdepth + 1) * (c->nclaims + 1));
    cl->deep = vf_calloc(c->nclaims + 1, sizeof(long));
    cl->al = vf_malloc(sizeof(mpfi_t) * (size_t)c->n);
    cl->sx = vf_malloc(sizeof(mpfi_t) * (size_t)c->n);
    for (int j = 0; j < c->n; j++) {
        mpfi_init2(cl->al[j], c->prec);
        mpfi_init2(cl->sx[j], c->prec);
    }
    mpfi_init2(cl->og, c->prec);
    mpfi_init2(cl->ot, c->prec);
    mpfi_init2(cl->ou, c->prec);
    cl->failed = vf_calloc(c->nclaims + 1, 1);
    cl->piece_work = (double)c->dim * (c->order + 2 + 4) * vf_mul_work(c->prec);
    cl->claim_work = ((double)c->n + 2) * vf_mul_work(c->prec);
    return cl;
}

void vf_claims_free(vf_claims *cl)
{

    const vf_cert *c = cl->c;
    for (int w = 0; w < c->n; w++)
        if (cl->ev_ok[w]) {
            const vf_tape *tp = cl->ev[w].tp;
            vf_eval_clear(&cl->ev[w]);
            vf_tape_free((vf_tape *)tp);
        }
    for (int i = 0; i < c->dim; i++) {
        mpfi_clear(cl->S[i]);
        mpfi_clear(cl->D[i]);
    }
    free(cl->S);
    free(cl->D);
    free(cl->ev);
    free(cl->ev_ok);
    free(cl->gapout);
    mpfi_clear(cl->sig);
    mpfi_clear(cl->rt);
    mpfi_clear(cl->t0);
    mpfi_clear(cl->tv);
    mpfi_clear(cl->tv2);
    mpfi_clear(cl->tt);
    mpfi_clear(cl->lv);
    mpfi_clear(cl->ug);
    mpfi_clear(cl->ut);
    free(cl->all);
    free(cl->lists);
    free(cl->deep);
    for (int j = 0; j < c->n; j++) {
        mpfi_clear(cl->al[j]);
        mpfi_clear(cl->sx[j]);
    }
    free(cl->al);
    free(cl->sx);
    mpfi_clear(cl->og);
    mpfi_clear(cl->ot);
    mpfi_clear(cl->ou);
    free(cl->failed);
    free(cl);
}

static vf_eval *quant(vf_claims *cl, int w)
{
    if (!cl->ev_ok[w]) {
        vf_eval_init(&cl->ev[w], vf_build_quant(cl->c, w), cl->c->prec);
        cl->ev_ok[w] = 1;
    }
    return &cl->ev[w];
}

/* Does [lo, hi] meet the claim's [from, to]? */
static int meets(const vf_claim *q, mpfi_srcptr r)
{
    if (q->kind == VF_LIMIT)            /* about t -> inf only: the lemma's box */
        return 0;
    if (q->kind == VF_PAIR && q->open_from)     /* decided on the exact data */
        return 0;
    if (mpfr_nan_p(&r->left) || mpfr_nan_p(&r->right))
        return 1;
    if (mpfr_cmp_q(&r->right, q->from) < 0)
        return 0;
    return q->to_inf || mpfr_cmp_q(&r->left, q->to) <= 0;
}

/* Is the claim decided on the quantities just evaluated? */
static int decided(vf_claims *cl, size_t qi, vf_eval *ev)
{
    const vf_claim *q = &cl->c->claims[qi];
    switch (q->kind) {
    case VF_DEC: return mpfr_sgn(&vf_eval_out(ev, 0)->right) < 0;
    case VF_INC: return mpfr_sgn(&vf_eval_out(ev, 0)->left) > 0;
    case VF_GAP: return mpfr_sgn(&vf_eval_out(ev, cl->gapout[qi])->right) < 0;
    case VF_ABOVE:          /* (mpfr_cmp_q says 0 for NaN: test for a number first) */
        return mpfr_number_p(&vf_eval_out(ev, 1)->left) &&
               mpfr_cmp_q(&vf_eval_out(ev, 1)->left, q->bound) >= 0;
    case VF_BELOW:
        return mpfr_number_p(&vf_eval_out(ev, 1)->right) &&
               mpfr_cmp_q(&vf_eval_out(ev, 1)->right, q->bound) <= 0;
    case VF_GAPINC: return mpfr_sgn(&vf_eval_out(ev, cl->gapout[qi])->left) > 0;
    case VF_LOSSBELOW:
        return mpfr_number_p(&vf_eval_out(ev, cl->Lout)->right) &&
               mpfr_cmp_q(&vf_eval_out(ev, cl->Lout)->right, q->bound) < 0;
    case VF_LOSSABOVE:
        return mpfr_number_p(&vf_eval_out(ev, cl->Lout)->left) &&
               mpfr_cmp_q(&vf_eval_out(ev, cl->Lout)->left, q->bound) >= 0;
    case VF_PAIR:           /* u_i - u_j > 0 and a_i - a_j > 0, u = V^T beta */
        mpfi_sub(cl->lv, cl->S[cl->aoff + q->i], cl->S[cl->aoff + q->j]);
        if (!(mpfr_number_p(&cl->lv->left) && mpfr_sgn(&cl->lv->left) > 0))
            return 0;
        if (cl->c->sys != VF_FULL)
            mpfi_sub(cl->ug, cl->S[q->i], cl->S[q->j]);
        else {
            mpfi_set_ui(cl->ug, 0);
            for (int r = 0; r < cl->c->d; r++) {
                mpfi_sub(cl->ut, cl->S[r * cl->c->n + q->i], cl->S[r * cl->c->n + q->j]);
                mpfi_mul_q(cl->ut, cl->ut, cl->c->beta[r]);
                mpfi_add(cl->ug, cl->ug, cl->ut);
            }
        }
        return mpfr_number_p(&cl->ug->left) && mpfr_sgn(&cl->ug->left) > 0;
    case VF_LABOVE:
        if (q->open_from)   /* a_i(0) = a_j(0): the gap grows from 0 */
            return mpfr_sgn(&vf_eval_out(ev, cl->gapout[qi])->left) > 0;
        mpfi_sub(cl->lv, cl->S[cl->aoff + q->i], cl->S[cl->aoff + q->j]);
        return mpfr_number_p(&cl->lv->left) && mpfr_sgn(&cl->lv->left) > 0;
    default: return 0;
    }
}

/* State over sigma; real-time range into cl->rt. */
static void piece_state(vf_claims *cl, vf_flow *f)
{
    vf_flow_state(f, cl->S, cl->sig);
    int ti = vf_time_index(cl->c);
    if (ti >= 0)
        mpfi_set(cl->rt, cl->S[ti]);
    else
        mpfi_add(cl->rt, cl->t0, cl->sig);
}

static const char *what(enum vf_kind k)
{
    switch (k) {
    case VF_DEC: return "dH/dt not proven negative";
    case VF_INC: return "dH/dt not proven positive";
    case VF_GAP: return "the gap derivative not proven negative";
    case VF_GAPINC: return "the gap derivative not proven positive";
    case VF_LABOVE: return "a_i - a_j (or its derivative, from 0) not proven positive";
    case VF_BELOW: return "H not proven below the bound";
    case VF_PAIR: return "u_i - u_j > 0 and a_i - a_j > 0 not proven";
    case VF_LOSSBELOW: return "the loss not proven below the bound";
    case VF_LOSSABOVE: return "the loss not proven above the bound";
    default: return "H not proven above the bound";
    }
}

static void claim_fail(vf_claims *cl, size_t qi)
{
    const vf_claim *q = &cl->c->claims[qi];
    char a[48], b[48];
    vf_fmt_q(a, sizeof a, q->from, 8, MPFR_RNDN);
    if (q->to_inf)
        strcpy(b, "inf");
    else
        vf_fmt_q(b, sizeof b, q->to, 8, MPFR_RNDN);
    vf_reject("claim %zu (%s %s%s, %s]): %s on step %zu", qi, q->kindname,
              q->open_from ? "(" : "[", a, b, what(q->kind), cl->step);
}

/* The sign quantities again with da/dt from the derivative of the step polynomial
 * (FORMAT.md, cl->D over the piece), met with the values on the state box:
 * dH/dt = -sum_j s_j (a_j - a_mean) da_j/dt (a_j - a_mean in the centred and in the
 * direct form, met), d(a_i - a_j)/dt = da_i/dt - da_j/dt (for
 * tau: d/dtau, same sign).  The output is tightened in place (output 0 for dH/dt, the
 * claim's own output for a gap).  Returns 0 if the meet came out empty (impossible in
 * exact arithmetic; the values are kept). */
static int tighten_by_derivative(vf_claims *cl, size_t qi, vf_eval *ev)
{
    const vf_cert *c = cl->c;
    const vf_claim *q = &c->claims[qi];
    mpfi_ptr v = cl->tv, t = cl->tt;
    mpfi_t *da = cl->D + cl->aoff;
    if (vf_claim_uses_gap(q))
        mpfi_sub(v, da[q->i], da[q->j]);
    else {                              /* both forms of s_j (a_j - abar), met */
        mpfi_ptr v2 = cl->tv2;
        mpfi_set_ui(v, 0);
        mpfi_set_ui(v2, 0);
        for (int j = 0; j < c->n; j++) {
            mpfi_mul(t, vf_eval_out(ev, cl->sAout + j), da[j]);
            mpfi_sub(v, v, t);
            mpfi_mul(t, vf_eval_out(ev, cl->sAout + c->n + j), da[j]);
            mpfi_sub(v2, v2, t);
        }
        mpfi_intersect(v, v, v2);
        if (mpfi_is_empty(v))
            return 0;
    }
    mpfi_ptr out = vf_eval_out(ev, vf_claim_uses_gap(q) ? cl->gapout[qi] : 0);
    mpfi_intersect(t, out, v);
    if (mpfi_is_empty(t))
        return 0;
    mpfi_set(out, t);
    return 1;
}

/* Open start on the piece sigma = [0, d] of the first step (state in cl->S, da/dt in
 * cl->D): is G = -sum_j s_j (alpha_j - alpha_mean)(da_j - da_mean) < 0 proven?  Then
 * dH/dt = sigma G < 0 on (0, d] (proofs/open-start.md; a(0) uniform was checked with
 * the certificate).  s = softmax of the a-box, relative to the largest lower end. */
static int open_negative(vf_claims *cl, vf_flow *f)
{
    const vf_cert *c = cl->c;
    const int n = c->n, off = cl->aoff;
    int m = 0;
    for (int j = 1; j < n; j++)
        if (mpfr_cmp(&cl->S[off + j]->left, &cl->S[off + m]->left) > 0)
            m = j;
    mpfi_set_ui(cl->ot, 0);
    for (int j = 0; j < n; j++) {       /* e_j = exp(a_j - a_m), then s = e / sum e */
        mpfi_sub(cl->sx[j], cl->S[off + j], cl->S[off + m]);
        mpfi_exp(cl->sx[j], cl->sx[j]);
        mpfi_add(cl->ot, cl->ot, cl->sx[j]);
    }
    for (int j = 0; j < n; j++)
        mpfi_div(cl->sx[j], cl->sx[j], cl->ot);
    vf_flow_divided(f, cl->al, off, n, cl->sig);
    mpfi_t *da = cl->D + off;
    mpfi_set_ui(cl->og, 0);             /* og = alpha_mean, ou = da_mean */
    mpfi_set_ui(cl->ou, 0);
    for (int j = 0; j < n; j++) {
        mpfi_mul(cl->ot, cl->sx[j], cl->al[j]);
        mpfi_add(cl->og, cl->og, cl->ot);
        mpfi_mul(cl->ot, cl->sx[j], da[j]);
        mpfi_add(cl->ou, cl->ou, cl->ot);
    }
    mpfi_t g, p;
    mpfi_init2(g, c->prec);
    mpfi_init2(p, c->prec);
    mpfi_set_ui(g, 0);
    for (int j = 0; j < n; j++) {
        mpfi_sub(p, cl->al[j], cl->og);
        mpfi_sub(cl->ot, da[j], cl->ou);
        mpfi_mul(p, p, cl->ot);
        mpfi_mul(p, p, cl->sx[j]);
        mpfi_sub(g, g, p);
    }
    int ok = mpfr_number_p(&g->right) && mpfr_sgn(&g->right) < 0;
    mpfi_clear(g);
    mpfi_clear(p);
    return ok;
}

/* Checks the claims act[0..nact) on sigma = [lo, hi], bisecting where some claim is
 * undecided; a claim undecided at the depth limit is marked in cl->failed.  The piece
 * (state, real-time range, quantity tape, derivative polynomial) is evaluated once for
 * all claims.  For each claim the rule is the one of a claim checked alone: a piece
 * whose real-time range misses the claim's interval is skipped; otherwise the claim is
 * decided on the values, or (not for entropy_above) on the values met with the
 * derivative form; else both halves must decide it.  Sharing is exact: every claim
 * reads its decision from the untightened values first, and the tightening of an
 * output is the same computation whichever claim asks for it. */
static void check_pieces(vf_claims *cl, vf_flow *f, int w, const int *act, int nact,
                         mpfr_srcptr lo, mpfr_srcptr hi, int depth)
{
    const vf_cert *c = cl->c;
    int *pend = cl->lists + (size_t)depth * c->nclaims, np = 0;
    vf_eval *ev = NULL;
    vf_work_add(cl->piece_work + nact * cl->claim_work);
    mpfi_interv_fr(cl->sig, lo, hi);
    piece_state(cl, f);
    for (int x = 0; x < nact; x++) {
        size_t qi = (size_t)act[x];
        if (!meets(&c->claims[qi], cl->rt))
            continue;
        if (!ev) {
            ev = quant(cl, w);
            vf_eval_run(ev, cl->S);
        }
        if (depth > cl->maxdepth && ++cl->deep[qi] > DEEP_BUDGET * (long)(cl->extdepth + 1)) {
            cl->failed[qi] = 1;         /* the budget below maxdepth is spent */
            continue;
        }
        if (!decided(cl, qi, ev))
            pend[np++] = (int)qi;
    }
    if (np == 0)
        return;
    int have_deriv = 0, dh = 0;         /* dh: 0 not yet, 1 tightened, -1 empty meet */
    int nd = 0;
    for (int x = 0; x < np; x++) {
        size_t qi = (size_t)pend[x];
        const vf_claim *q = &c->claims[qi];
        int ok = 0;
        if (q->kind == VF_DEC || q->kind == VF_INC || vf_claim_uses_gap(q)) {
            if (!have_deriv) {
                vf_flow_deriv(f, cl->D, cl->sig);
                have_deriv = 1;
            }
            if (vf_claim_uses_gap(q))
                ok = tighten_by_derivative(cl, qi, ev);
            else {
                if (dh == 0)
                    dh = tighten_by_derivative(cl, qi, ev) ? 1 : -1;
                ok = dh > 0;
            }
        }
        if (ok && decided(cl, qi, ev))
            continue;
        if (q->open_from && cl->step == 0 && mpfr_zero_p(lo) && open_negative(cl, f))
            continue;
        pend[nd++] = (int)qi;
    }
    np = nd;
    if (np == 0)
        return;
    if (depth >= cl->extdepth) {
        for (int x = 0; x < np; x++)
            cl->failed[pend[x]] = 1;
        return;
    }
    mpfr_t mid;
    mpfr_init2(mid, mpfr_get_prec(lo));
    mpfr_add(mid, lo, hi, MPFR_RNDN);
    mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);   /* any point: the two pieces share it */
    check_pieces(cl, f, w, pend, np, lo, mid, depth + 1);
    nd = 0;                                 /* a claim failed on the left is done */
    for (int x = 0; x < np; x++)
        if (!cl->failed[pend[x]])
            pend[nd++] = pend[x];
    if (nd > 0)
        check_pieces(cl, f, w, pend, nd, mid, hi, depth + 1);
    mpfr_clear(mid);
}

/* Precision at which h and every bisection point of [0, h] are exact, so that no
 * piece ever reaches beyond h (the Taylor enclosure holds on [0, h] only). */
static mpfr_prec_t exact_prec(vf_claims *cl, const mpq_t h)
{
    mpfr_prec_t p = (mpfr_prec_t)mpz_sizeinbase(mpq_numref(h), 2) + cl->extdepth + 8;
    return p > cl->sprec ? p : cl->sprec;
}

void vf_claims_step(vf_claims *cl, vf_flow *f, size_t i)
{
    const vf_cert *c = cl->c;
    const vf_step *st = &c->steps[i];
    mpfr_prec_t p = exact_prec(cl, st->h);
    mpfr_t lo, hi;
    mpfr_inits2(p, lo, hi, (mpfr_ptr)0);
    mpfi_set_prec(cl->sig, p);
    mpfr_set_ui(lo, 0, MPFR_RNDN);
    mpfr_set_q(hi, st->h, MPFR_RNDN);      /* exact at this precision */
    cl->step = i;
    mpfi_set_q(cl->t0, st->t0);
    check_pieces(cl, f, st->ref, cl->all, (int)c->nclaims, lo, hi, 0);
    for (size_t q = 0; q < c->nclaims; q++)   /* the first failing claim, as before */
        if (cl->failed[q])
            claim_fail(cl, q);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}

/* Enclosure of the end state: hull of the final set meet the last step at sigma = h. */
static void end_state(vf_claims *cl, vf_flow *f, mpfi_t *out)
{
    const vf_cert *c = cl->c;
    mpfi_set_prec(cl->sig, exact_prec(cl, c->steps[c->nsteps - 1].h));
    mpfi_set_q(cl->sig, c->steps[c->nsteps - 1].h);
    vf_flow_state(f, cl->S, cl->sig);
    vf_flow_hull(f, out);
    for (int i = 0; i < c->dim; i++) {
        mpfi_intersect(cl->rt, out[i], cl->S[i]);
        if (!mpfi_is_empty(cl->rt))
            mpfi_set(out[i], cl->rt);
    }
}

/* square-tau-horizon/1 with reference token w: test 0 = X0 + [0, Delta] F(Y) in int(Y),
 * 1 = dH/dtau < 0 on Y, 2 + q = H >= bound on Y for claim q (to = inf). */
static int horizon_test(vf_claims *cl, mpfi_t *x, const vf_lemma *lm, int w, int test)
{
    const vf_cert *c = cl->c;
    int n = c->n, ok = 1;
    vf_tape *tp = vf_build_horizon(c, w);
    vf_eval ev;
    vf_eval_init(&ev, tp, c->prec);
    mpfi_t *y = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim), D;
    for (int i = 0; i < c->dim; i++)
        mpfi_init2(y[i], c->prec);
    mpfi_init2(D, c->prec);
    if (test == 0) {
        /* rho-bar on X0, Delta = n rho-bar rounded up; then F on Y */
        vf_eval_run(&ev, x);
        mpfr_mul_ui(&D->right, &vf_eval_out(&ev, 0)->right, (unsigned long)n, MPFR_RNDU);
        mpfr_set_ui(&D->left, 0, MPFR_RNDD);
        ok = mpfr_number_p(&D->right) && mpfr_sgn(&D->right) > 0;   /* 0 < rho-bar < inf */
    }
    for (int i = 0; i < 2 * n; i++)
        mpfi_set(y[i], lm->Y[i]);
    mpfi_set_ui(y[2 * n], 0);           /* t does not enter the field */
    vf_eval_run(&ev, y);
    if (test == 0) {
        for (int i = 0; i < 2 * n && ok; i++) {
            mpfi_mul(y[i], D, vf_eval_out(&ev, 1 + i));
            mpfi_add(y[i], y[i], x[i]);
            ok = vf_fi_is_finite(y[i]) && mpfr_cmp(&lm->Y[i]->left, &y[i]->left) < 0 &&
                 mpfr_cmp(&y[i]->right, &lm->Y[i]->right) < 0;
        }
    } else if (test == 1) {
        ok = mpfr_sgn(&vf_eval_out(&ev, 2 * n + 1)->right) < 0;
    } else {
        mpfr_ptr lo = &vf_eval_out(&ev, 2 * n + 2)->left;
        ok = mpfr_number_p(lo) && mpfr_cmp_q(lo, c->claims[test - 2].bound) >= 0;
    }
    for (int i = 0; i < c->dim; i++)
        mpfi_clear(y[i]);
    free(y);
    mpfi_clear(D);
    vf_eval_clear(&ev);
    vf_tape_free(tp);
    return ok;
}

/* Any reference form proves a statement about the box: the last step's token first. */
static int horizon_any(vf_claims *cl, mpfi_t *x, const vf_lemma *lm, int test)
{
    const vf_cert *c = cl->c;
    int w0 = c->steps[c->nsteps - 1].ref;
    if (horizon_test(cl, x, lm, w0, test))
        return 1;
    for (int w = 0; w < c->n; w++)
        if (w != w0 && horizon_test(cl, x, lm, w, test))
            return 1;
    return 0;
}

static void check_horizon(vf_claims *cl, mpfi_t *x, size_t li)
{
    const vf_cert *c = cl->c;
    const vf_lemma *lm = &c->lemmas[li];
    if (c->sys != VF_TAU || c->loss != VF_SQUARE || c->n < 2)
        vf_reject("lemma %zu (square-tau-horizon): needs the square loss on the tau system "
                  "and n >= 2 tokens", li);
    if (!horizon_any(cl, x, lm, 0))
        vf_reject("lemma %zu (square-tau-horizon): X0 + [0, Delta] F(Y) in int(Y) not "
                  "proven", li);
    if (!horizon_any(cl, x, lm, 1))
        vf_reject("lemma %zu (square-tau-horizon): dH/dtau < 0 on Y not proven", li);
    for (size_t q = 0; q < c->nclaims; q++) {
        const vf_claim *k = &c->claims[q];
        if (k->kind == VF_ABOVE && k->to_inf && k->lemma == (int)li &&
            !horizon_any(cl, x, lm, 2 + (int)q))
            vf_reject("claim %zu (entropy_above): H >= bound on the lemma's box Y not "
                      "proven", q);
    }
}

/* pl-tail/1: the hypotheses, then what each claim using it needs: the lemma's sign
 * (entropy_decreasing / _increasing to inf), H >= bound on Y (entropy_above to inf),
 * H on Y inside [lo, hi] (entropy_limit). */
static void check_pltail(vf_claims *cl, mpfi_t *x, size_t li)
{
    const vf_cert *c = cl->c;
    const vf_lemma *lm = &c->lemmas[li];
    char why[160];
    int sign = 0;
    mpfi_t H;
    static const enum vf_loss loss[] = { VF_SQUARE, VF_SQUARE, VF_QUADRATIC, VF_CROSSENT,
                                         VF_SQUARE };
    static int (*const chk[])(const vf_cert *, const vf_lemma *, mpfi_t *, int *, mpfi_t,
                              char *, size_t) = { vf_pltail_check, vf_pltail_check,
                                                  vf_pltail_quadratic_check,
                                                  vf_pltail_crossent_check,
                                                  vf_pltail_weighted_check };
    if (c->sys != VF_FULL || c->loss != loss[lm->pl] || c->n < 2)
        vf_reject("lemma %zu (%s): needs the %s loss on the full system and n >= 2 tokens",
                  li, lm->name, vf_loss_name(loss[lm->pl]));
    mpfi_init2(H, c->prec);
    if (!chk[lm->pl](c, lm, x, &sign, H, why, sizeof why))
        vf_reject("lemma %zu (%s): %s", li, lm->name, why);
    for (size_t q = 0; q < c->nclaims; q++) {
        const vf_claim *k = &c->claims[q];
        if (k->lemma != (int)li)
            continue;
        if (k->kind == VF_DEC && k->to_inf && sign >= 0)
            vf_reject("claim %zu (entropy_decreasing): the lemma proves dH/dt > 0 for ever", q);
        if (k->kind == VF_INC && k->to_inf && sign <= 0)
            vf_reject("claim %zu (entropy_increasing): the lemma proves dH/dt < 0 for ever", q);
        if (k->kind == VF_ABOVE && k->to_inf &&
            !(mpfr_number_p(&H->left) && mpfr_cmp_q(&H->left, k->bound) >= 0))
            vf_reject("claim %zu (entropy_above): H >= bound on the lemma's box Y not proven", q);
        if (k->kind == VF_LIMIT && !(vf_fi_is_finite(H) && mpfr_cmp_q(&H->left, k->lo) >= 0 &&
                                     mpfr_cmp_q(&H->right, k->hi) <= 0))
            vf_reject("claim %zu (entropy_limit): H over the lemma's box Y is not inside "
                      "[lo, hi]", q);
    }
    mpfi_clear(H);
}

static void check_lemma(vf_claims *cl, mpfi_t *x, size_t li)
{
    const vf_cert *c = cl->c;
    const vf_lemma *lm = &c->lemmas[li];
    if (lm->pl) {
        check_pltail(cl, x, li);
        return;
    }
    if (strcmp(lm->name, "square-tau-horizon") == 0) {
        check_horizon(cl, x, li);
        return;
    }
    if (c->loss != VF_LOGISTIC && c->loss != VF_EXPONENTIAL)
        vf_reject("lemma %zu (margin-tail): the %s loss is not a margin loss", li,
                  vf_loss_name(c->loss));
    vf_eval ev;
    vf_tape *tp = vf_build_lemma(c, lm->token);
    vf_eval_init(&ev, tp, c->prec);
    vf_eval_run(&ev, x);
    mpq_t fiv;
    mpq_init(fiv);
    mpq_set_ui(fiv, 5, 8);
    if (c->n < 2)                       /* the lemma is about n >= 2 tokens */
        vf_reject("lemma %zu (margin-tail): needs n >= 2 tokens", li);
    if (!mpfr_number_p(&vf_eval_out(&ev, 0)->left) || mpfr_cmp_q(&vf_eval_out(&ev, 0)->left, fiv) < 0)
        vf_reject("lemma %zu (margin-tail, token %d): s_%d >= 5/8 not proven at the end",
                  li, lm->token, lm->token);
    for (int j = 0, o = 1; j < c->n; j++) {
        if (j == lm->token)
            continue;
        if (mpfr_sgn(&vf_eval_out(&ev, o)->right) >= 0)
            vf_reject("lemma %zu (margin-tail, token %d): a_%d < mean_s(a) not proven at "
                      "the end", li, lm->token, j);
        if (mpfr_sgn(&vf_eval_out(&ev, o + 1)->right) >= 0)
            vf_reject("lemma %zu (margin-tail, token %d): u_%d < mean_s(u) not proven at "
                      "the end", li, lm->token, j);
        o += 2;
    }
    mpq_clear(fiv);
    vf_eval_clear(&ev);
    vf_tape_free(tp);
}

void vf_claims_finish(vf_claims *cl, vf_flow *f)
{
    const vf_cert *c = cl->c;
    mpfi_t *x = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim);
    for (int i = 0; i < c->dim; i++)
        mpfi_init2(x[i], c->prec);
    end_state(cl, f, x);
    int ti = vf_time_index(c);
    if (ti >= 0 && !(mpfr_number_p(&x[ti]->left) && mpfr_cmp_q(&x[ti]->left, c->horizon) >= 0)) {
        char b[48];
        vf_fmt_fr(b, sizeof b, &x[ti]->left, 10, MPFR_RNDD);
        vf_reject("steps: the tau steps end at t >= %s, before the horizon", b);
    }
    for (size_t l = 0; l < c->nlemmas; l++)
        check_lemma(cl, x, l);
    for (int i = 0; i < c->dim; i++)
        mpfi_clear(x[i]);
    free(x);
}

void vf_claims_print(const vf_claims *cl)
{
    const vf_cert *c = cl->c;
    for (size_t i = 0; i < c->nclaims; i++) {
        const vf_claim *q = &c->claims[i];
        char a[48], b[48], s[80] = "";
        /* rounded inward: the printed statement is implied by the proven one */
        vf_fmt_q(a, sizeof a, q->from, 10, MPFR_RNDU);
        if (q->to_inf)
            strcpy(b, "inf)");
        else {
            vf_fmt_q(b, sizeof b, q->to, 10, MPFR_RNDD);
            strcat(b, "]");
        }
        switch (q->kind) {
        case VF_DEC: snprintf(s, sizeof s, "dH/dt < 0"); break;
        case VF_INC: snprintf(s, sizeof s, "dH/dt > 0"); break;
        case VF_GAP: snprintf(s, sizeof s, "a_%d - a_%d shrinks", q->i, q->j); break;
        case VF_LIMIT: {
            char l[48], h[48];
            vf_fmt_q(l, sizeof l, q->lo, 12, MPFR_RNDD);
            vf_fmt_q(h, sizeof h, q->hi, 12, MPFR_RNDU);
            printf("  %-22s lim H in [%s, %s] as t -> inf", q->kindname, l, h);
            if (q->lemma >= 0)
                printf("  (lemma %s/%ld)", c->lemmas[q->lemma].name, c->lemmas[q->lemma].version);
            putchar('\n');
            continue;
        }
        case VF_GAPINC: snprintf(s, sizeof s, "a_%d - a_%d grows", q->i, q->j); break;
        case VF_LABOVE: snprintf(s, sizeof s, "a_%d > a_%d", q->i, q->j); break;
        case VF_PAIR:
            snprintf(s, sizeof s, "u_%d > u_%d and a_%d > a_%d", q->i, q->j, q->i, q->j);
            break;
        case VF_LOSSBELOW:
        case VF_LOSSABOVE: {
            char bd[48];
            vf_fmt_q(bd, sizeof bd, q->bound, 10, q->kind == VF_LOSSBELOW ? MPFR_RNDU : MPFR_RNDD);
            snprintf(s, sizeof s, "L %s %s", q->kind == VF_LOSSBELOW ? "<" : ">=", bd);
            break;
        }
        case VF_BELOW: {
            char bd[48];
            vf_fmt_q(bd, sizeof bd, q->bound, 10, MPFR_RNDU);
            snprintf(s, sizeof s, "H <= %s", bd);
            break;
        }
        case VF_ABOVE: {
            char bd[48];
            vf_fmt_q(bd, sizeof bd, q->bound, 10, MPFR_RNDD);
            snprintf(s, sizeof s, "H >= %s", bd);
            break;
        }
        default: break;
        }
        printf("  %-22s %s on %s%s, %s", q->kindname, s, q->open_from ? "(" : "[", a, b);
        if (q->lemma >= 0 && c->lemmas[q->lemma].token >= 0)
            printf("  (lemma %s/%ld, token %d)", c->lemmas[q->lemma].name,
                   c->lemmas[q->lemma].version, c->lemmas[q->lemma].token);
        else if (q->lemma >= 0)
            printf("  (lemma %s/%ld)", c->lemmas[q->lemma].name,
                   c->lemmas[q->lemma].version);
        putchar('\n');
    }
}
