/* vf_theorem.c — the hypotheses and theorem conclusions of a certificate (FORMAT.md
 * "hypotheses", "theorem"), re-decided by the checker on its own.
 *
 * Hypotheses are decided exactly on the problem's rationals (GMP mpq), for a box for
 * every point of it; the certificate's "holds" (and for u0_strictly_ordered the order
 * and the least gap) must agree.  A conclusion marked "proven" or "refuted" must
 * follow from the claims it lists — which the checker verifies as claims like every
 * other — by the rules of FORMAT.md; "undecided" asserts nothing. */
#include <stdlib.h>
#include <string.h>
#include "vf.h"

/* ---------- hypotheses ---------- */

static int beta_zero(const vf_cert *c)
{
    for (int i = 0; i < c->d; i++)
        if (mpq_sgn(c->beta[i]) != 0)
            return 0;
    return 1;
}

/* u(0) = V(0)^T beta at the centre. */
static mpq_t *u_centre(const vf_cert *c)
{
    mpq_t *u = malloc(sizeof(mpq_t) * (size_t)c->n), t;
    mpq_init(t);
    for (int j = 0; j < c->n; j++) {
        mpq_init(u[j]);
        for (int i = 0; i < c->d; i++) {
            mpq_mul(t, c->V[(size_t)i * c->n + j], c->beta[i]);
            mpq_add(u[j], u[j], t);
        }
    }
    mpq_clear(t);
    return u;
}

/* The tokens by decreasing u_j(0) into ord and the least gap between neighbours
 * minus w_j + w_k, w_j = sum_i |beta_i| r_ij (the u_j range independently over a
 * box) into gap; returns 1
 * if u(0) is strictly ordered at every point of the box. */
static int u_order(const vf_cert *c, int *ord, mpq_t gap)
{
    if (!c->beta)
        return 0;
    mpq_t *u = u_centre(c), w, t;
    mpq_inits(w, t, NULL);
    for (int j = 0; j < c->n; j++)
        ord[j] = j;
    for (int x = 1; x < c->n; x++)              /* insertion sort, decreasing */
        for (int y = x; y > 0 && mpq_cmp(u[ord[y - 1]], u[ord[y]]) < 0; y--) {
            int s = ord[y];
            ord[y] = ord[y - 1];
            ord[y - 1] = s;
        }
    int ok = 1;
    for (int x = 0; x + 1 < c->n; x++) {
        mpq_sub(t, u[ord[x]], u[ord[x + 1]]);
        for (int k = x; k <= x + 1; k++)
            for (int i = 0; i < c->d; i++) {
                mpq_mul(w, c->beta[i], c->rad[(size_t)i * c->n + ord[k]]);
                mpq_abs(w, w);
                mpq_sub(t, t, w);
            }
        if (x == 0 || mpq_cmp(t, gap) < 0)
            mpq_set(gap, t);
        ok = ok && mpq_sgn(t) > 0;
    }
    for (int j = 0; j < c->n; j++)
        mpq_clear(u[j]);
    free(u);
    mpq_clears(w, t, NULL);
    return ok;
}

/* Exact rank of the m x d matrix X over Q (Gaussian elimination on a copy). */
static int rank_q(const vf_cert *c)
{
    int m = c->m, d = c->d, r = 0;
    mpq_t *A = malloc(sizeof(mpq_t) * (size_t)m * d), f, t;
    mpq_inits(f, t, NULL);
    for (int k = 0; k < m * d; k++) {
        mpq_init(A[k]);
        mpq_set(A[k], c->X[k]);
    }
    for (int col = 0; col < d && r < m; col++) {
        int piv = -1;
        for (int i = r; i < m && piv < 0; i++)
            if (mpq_sgn(A[i * d + col]) != 0)
                piv = i;
        if (piv < 0)
            continue;
        for (int k = 0; k < d; k++)
            mpq_swap(A[r * d + k], A[piv * d + k]);
        for (int i = r + 1; i < m; i++) {
            mpq_div(f, A[i * d + col], A[r * d + col]);
            for (int k = col; k < d; k++) {
                mpq_mul(t, f, A[r * d + k]);
                mpq_sub(A[i * d + k], A[i * d + k], t);
            }
        }
        r++;
    }
    for (int k = 0; k < m * d; k++)
        mpq_clear(A[k]);
    free(A);
    mpq_clears(f, t, NULL);
    return r;
}

/* V(0) = beta w0^T for some w0 at the point: every column a multiple of beta. */
static int v_aligned(const vf_cert *c)
{
    int ok = 1;
    mpq_t nb, w, t;
    mpq_inits(nb, w, t, NULL);
    for (int i = 0; i < c->d; i++) {
        mpq_mul(t, c->beta[i], c->beta[i]);
        mpq_add(nb, nb, t);
    }
    for (int j = 0; j < c->n && ok; j++) {
        mpq_set_ui(w, 0, 1);
        for (int i = 0; i < c->d; i++) {
            mpq_mul(t, c->beta[i], c->V[(size_t)i * c->n + j]);
            mpq_add(w, w, t);
        }
        if (mpq_sgn(nb) != 0)
            mpq_div(w, w, nb);
        for (int i = 0; i < c->d && ok; i++) {
            mpq_mul(t, c->beta[i], w);
            ok = mpq_equal(t, c->V[(size_t)i * c->n + j]);
        }
    }
    mpq_clears(nb, w, t, NULL);
    return ok;
}

static int decide(const vf_cert *c, const char *name, int *known)
{
    int box = vf_box_V(c);          /* (a0_uniform: of a(0); the others: of V(0)) */
    *known = 1;
    if (strcmp(name, "a0_uniform") == 0) {
        if (vf_box_a(c) && c->n >= 2)
            return 0;
        for (int j = 1; j < c->n; j++)
            if (!mpq_equal(c->a[j], c->a[0]))
                return 0;
        return 1;
    }
    if (strcmp(name, "u0_strictly_ordered") == 0) {
        int *ord = malloc(sizeof(int) * (size_t)c->n);
        mpq_t g;
        mpq_init(g);
        int ok = u_order(c, ord, g);
        mpq_clear(g);
        free(ord);
        return ok;
    }
    if (strcmp(name, "v0_aligned") == 0) {
        if (!c->beta)
            return 0;
        if (box)
            return c->d == 1 && !beta_zero(c);
        return v_aligned(c);
    }
    if (strcmp(name, "v0_zero") == 0) {
        if (box)
            return 0;
        for (long k = 0; k < (long)c->d * c->n; k++)
            if (mpq_sgn(c->V[k]) != 0)
                return 0;
        return 1;
    }
    if (strcmp(name, "target_positive") == 0) {
        if (!c->q)
            return 0;
        for (int k = 0; k < c->d; k++)
            if (mpq_sgn(c->q[k]) <= 0)
                return 0;
        return 1;
    }
    if (strcmp(name, "x_full_column_rank") == 0)
        return c->X != NULL && rank_q(c) == c->d;
    if (strcmp(name, "beta_nonzero") == 0)
        return c->beta != NULL && !beta_zero(c);
    *known = 0;
    return 0;
}

static void check_hypothesis(const vf_cert *c, json_t *h, size_t k, int quiet)
{
    json_t *nm = json_object_get(h, "name"), *hv = json_object_get(h, "holds");
    if (!json_is_object(h) || !json_is_string(nm) || !json_is_boolean(hv))
        vf_fail2("hypotheses", "entry %zu: wants {\"name\": string, \"holds\": bool, ...}", k);
    const char *name = json_string_value(nm);
    int known, holds = decide(c, name, &known);
    if (!known)
        vf_reject("hypothesis %zu: unknown hypothesis \"%.40s\"", k, name);
    if (holds != json_is_true(hv))
        vf_reject("hypothesis %zu (%s): the certificate says %s, it is %s", k, name,
                  json_is_true(hv) ? "TRUE" : "FALSE", holds ? "TRUE" : "FALSE");
    json_t *ov = json_object_get(h, "order"), *gv = json_object_get(h, "least_gap");
    if (ov || gv) {
        if (strcmp(name, "u0_strictly_ordered") != 0 || !holds || !json_is_array(ov) ||
            json_array_size(ov) != (size_t)c->n || !json_is_string(gv))
            vf_reject("hypothesis %zu (%s): order/least_gap malformed or misplaced", k, name);
        int *ord = malloc(sizeof(int) * (size_t)c->n);
        mpq_t g, gc;
        mpq_inits(g, gc, NULL);
        u_order(c, ord, g);
        if (vf_parse_rational(json_string_value(gv), gc) != 0 || !mpq_equal(g, gc))
            vf_reject("hypothesis %zu (%s): least_gap is not the least gap", k, name);
        for (int j = 0; j < c->n; j++) {
            json_t *e = json_array_get(ov, (size_t)j);
            if (!json_is_integer(e) || json_integer_value(e) != ord[j])
                vf_reject("hypothesis %zu (%s): order is not the order of u(0)", k, name);
        }
        mpq_clears(g, gc, NULL);
        free(ord);
    }
    if (!quiet)
        printf("  hypothesis %-22s %s\n", name, holds ? "TRUE" : "FALSE");
}

/* ---------- conclusions ---------- */

typedef struct {
    const char *kind;
    mpq_t from, to, bound;
    int open, to_inf, from_auto, bound_auto;
    int i, j;               /* j = -1: every j != i */
} concl;

/* Does claim q hold on all of the conclusion's interval? */
static int covers(const vf_claim *q, const concl *k)
{
    if (!k->from_auto) {
        if (mpq_cmp(q->from, k->from) > 0)
            return 0;
        if (q->open_from && !(k->open && mpq_sgn(k->from) == 0))
            return 0;                   /* the claim misses t = from */
    }
    if (k->to_inf)
        return q->to_inf;
    return q->to_inf || mpq_cmp(q->to, k->to) >= 0;
}

/* Does claim q hold at some time of the conclusion's interval? */
static int meets(const vf_claim *q, const concl *k)
{
    if (!k->to_inf && mpq_cmp(q->from, k->to) > 0)
        return 0;
    if (q->to_inf)
        return 1;
    if (mpq_cmp(q->to, k->from) < 0)
        return 0;
    return !(k->open && mpq_sgn(k->from) == 0 && mpq_sgn(q->to) == 0);
}

static const vf_claim *listed(const vf_cert *c, json_t *cl, size_t x)
{
    json_t *e = json_array_get(cl, x);
    if (!json_is_integer(e) || json_integer_value(e) < 0 ||
        json_integer_value(e) >= (json_int_t)c->nclaims)
        vf_fail2("theorem.conclusions", "claims: not claim indices");
    return &c->claims[json_integer_value(e)];
}

/* Some listed claim of the kind (pair i, j if i >= 0) that covers (or meets) k. */
static int find(const vf_cert *c, json_t *cl, enum vf_kind kind, int i, int j, const concl *k,
                int cover, int bound_sense)
{
    for (size_t x = 0; x < json_array_size(cl); x++) {
        const vf_claim *q = listed(c, cl, x);
        if (q->kind != kind || (i >= 0 && (q->i != i || q->j != j)))
            continue;
        if (bound_sense > 0 && !(k->bound_auto ? mpq_sgn(q->bound) > 0
                                               : mpq_cmp(q->bound, k->bound) >= 0))
            continue;                   /* H >= q.bound implies H >= k.bound */
        if (bound_sense < 0 && mpq_cmp(q->bound, k->bound) > 0)
            continue;                   /* H <= q.bound implies H <= k.bound */
        if (bound_sense == 2 && mpq_cmp(q->bound, k->bound) <= 0)
            continue;                   /* witness H >= q.bound > k.bound */
        if (bound_sense == -2 && mpq_cmp(q->bound, k->bound) >= 0)
            continue;                   /* witness H <= q.bound < k.bound */
        if (cover ? covers(q, k) : meets(q, k))
            return 1;
    }
    return 0;
}

/* all_gaps_increasing refuted: a_i > a_j and a_i - a_j shrinking on a common time of
 * the interval (two listed claims whose intervals meet there). */
static int all_gaps_witness(const vf_cert *c, json_t *cl, const concl *k)
{
    for (size_t x = 0; x < json_array_size(cl); x++)
        for (size_t y = 0; y < json_array_size(cl); y++) {
            const vf_claim *p = listed(c, cl, x), *q = listed(c, cl, y);
            if (p->kind != VF_LABOVE || q->kind != VF_GAP || p->i != q->i || p->j != q->j)
                continue;
            concl m = *k;               /* the common interval, met with k's */
            mpq_t lo, hi;
            mpq_inits(lo, hi, NULL);
            mpq_set(lo, mpq_cmp(p->from, q->from) > 0 ? p->from : q->from);
            int inf = p->to_inf && q->to_inf;
            if (!inf)
                mpq_set(hi, p->to_inf ? q->to : q->to_inf ? p->to
                            : mpq_cmp(p->to, q->to) < 0 ? p->to : q->to);
            int ok = (inf || mpq_cmp(lo, hi) <= 0) && (!p->open_from || inf ||
                                                         mpq_sgn(hi) > 0);
            vf_claim w;
            memset(&w, 0, sizeof w);
            mpq_init(w.from);
            mpq_init(w.to);
            mpq_set(w.from, lo);
            if (!inf)
                mpq_set(w.to, hi);
            w.to_inf = inf;
            ok = ok && meets(&w, &m);
            mpq_clears(lo, hi, w.from, w.to, NULL);
            if (ok)
                return 1;
        }
    return 0;
}

static void parse_concl(concl *k, json_t *o, size_t x)
{
    char ctx[64];
    snprintf(ctx, sizeof ctx, "theorem.conclusions[%zu]", x);
    json_t *v = json_object_get(o, "kind");
    if (!json_is_string(v))
        vf_fail2(ctx, "kind: not a string");
    k->kind = json_string_value(v);
    mpq_inits(k->from, k->to, k->bound, NULL);
    v = json_object_get(o, "from");
    if (!json_is_string(v))
        vf_fail2(ctx, "from: not a string");
    k->from_auto = strcmp(json_string_value(v), "auto") == 0;
    if (!k->from_auto && vf_parse_rational(json_string_value(v), k->from) != 0)
        vf_fail2(ctx, "from: not a rational");
    v = json_object_get(o, "to");
    if (!json_is_string(v))
        vf_fail2(ctx, "to: not a string");
    k->to_inf = strcmp(json_string_value(v), "inf") == 0;
    if (!k->to_inf && vf_parse_rational(json_string_value(v), k->to) != 0)
        vf_fail2(ctx, "to: not a rational");
    k->open = json_is_true(json_object_get(o, "open_from"));
    if (k->open && (k->from_auto || mpq_sgn(k->from) != 0))
        vf_fail2(ctx, "open_from: only at from = 0");
    v = json_object_get(o, "bound");
    k->bound_auto = v && json_is_string(v) && strcmp(json_string_value(v), "auto") == 0;
    if (v && !k->bound_auto && (!json_is_string(v) ||
                                vf_parse_rational(json_string_value(v), k->bound) != 0))
        vf_fail2(ctx, "bound: not a rational");
    json_t *i = json_object_get(o, "i") ? json_object_get(o, "i") : json_object_get(o, "token");
    json_t *j = json_object_get(o, "j");
    k->i = json_is_integer(i) ? (int)json_integer_value(i) : -2;
    k->j = json_is_integer(j) ? (int)json_integer_value(j) : -1;
}

static int tok_ok(const vf_cert *c, int t)
{
    return t >= 0 && t < c->n;
}

/* Whether the listed claims imply the verdict (proven: 1, refuted: 0). */
static int implied(const vf_cert *c, const concl *k, json_t *cl, int proven, size_t x)
{
    const char *K = k->kind;
    int n = c->n;
    if (!strcmp(K, "entropy_decreasing") || !strcmp(K, "entropy_increasing")) {
        int dec = K[8] == 'd';
        return proven ? find(c, cl, dec ? VF_DEC : VF_INC, -1, -1, k, 1, 0)
                      : find(c, cl, dec ? VF_INC : VF_DEC, -1, -1, k, 0, 0);
    }
    if (!strcmp(K, "entropy_above"))
        return proven ? find(c, cl, VF_ABOVE, -1, -1, k, 1, 1)
                      : !k->bound_auto && find(c, cl, VF_BELOW, -1, -1, k, 0, -2);
    if (!strcmp(K, "entropy_below"))
        return k->bound_auto ? 0 : proven ? find(c, cl, VF_BELOW, -1, -1, k, 1, -1)
                                          : find(c, cl, VF_ABOVE, -1, -1, k, 0, 2);
    if (!strcmp(K, "gap_increasing") || !strcmp(K, "gap_decreasing")) {
        int inc = K[4] == 'i';
        if (!tok_ok(c, k->i) || (k->j != -1 && !tok_ok(c, k->j)))
            vf_fail2("theorem.conclusions", "entry %zu: i/j not token indices", x);
        for (int j = 0; j < n; j++) {
            if (j == k->i || (k->j >= 0 && j != k->j))
                continue;
            int f = proven ? find(c, cl, inc ? VF_GAPINC : VF_GAP, k->i, j, k, 1, 0)
                           : find(c, cl, inc ? VF_GAP : VF_GAPINC, k->i, j, k, 0, 0);
            if (proven && !f)
                return 0;
            if (!proven && f)
                return 1;
        }
        return proven;
    }
    if (!strcmp(K, "ordered_gaps_increasing")) {
        int *ord = malloc(sizeof(int) * (size_t)n), res = proven;
        mpq_t g;
        mpq_init(g);
        if (!u_order(c, ord, g))
            res = 0;                    /* the pairs are not defined */
        else
            for (int a = 0; a < n && res == proven; a++)
                for (int b = a + 1; b < n && res == proven; b++) {
                    int f = proven ? find(c, cl, VF_GAPINC, ord[a], ord[b], k, 1, 0)
                                   : find(c, cl, VF_GAP, ord[a], ord[b], k, 0, 0);
                    if (proven ? !f : f)
                        res = !proven;
                }
        mpq_clear(g);
        free(ord);
        return res;
    }
    if (!strcmp(K, "all_gaps_increasing")) {
        if (!proven)
            return all_gaps_witness(c, cl, k);
        /* proven: the a keep the order of u(0) on the interval (pair_ordered for every
         * pair of neighbours), so the pairs with a_i > a_j are the ordered ones, and each
         * of their gaps grows (logit_gap_increasing for every ordered pair) */
        int *ord = malloc(sizeof(int) * (size_t)n), res = 0;
        mpq_t g;
        mpq_init(g);
        if (u_order(c, ord, g)) {
            res = 1;
            for (int a = 0; a + 1 < n && res; a++)
                res = find(c, cl, VF_PAIR, ord[a], ord[a + 1], k, 1, 0);
            for (int a = 0; a < n && res; a++)
                for (int b = a + 1; b < n && res; b++)
                    res = find(c, cl, VF_GAPINC, ord[a], ord[b], k, 1, 0);
        }
        mpq_clear(g);
        free(ord);
        return res;
    }
    if (!strcmp(K, "winner")) {
        if (!tok_ok(c, k->i))
            vf_fail2("theorem.conclusions", "entry %zu: token not a token index", x);
        for (int j = 0; j < n; j++) {
            if (j == k->i)
                continue;
            int f = proven ? find(c, cl, VF_LABOVE, k->i, j, k, 1, 0)
                           : find(c, cl, VF_LABOVE, j, k->i, k, 0, 0);
            if (proven && !f)
                return 0;
            if (!proven && f)
                return 1;
        }
        return proven;
    }
    if (!strcmp(K, "loss_below"))       /* L < q.bound <= bound; witness L >= q.bound >= bound */
        return k->bound_auto ? 0 : proven ? find(c, cl, VF_LOSSBELOW, -1, -1, k, 1, -1)
                                          : find(c, cl, VF_LOSSABOVE, -1, -1, k, 0, 1);
    if (!strcmp(K, "order_preserved")) {
        /* proven: every pair of neighbours in the order of u(0) ordered (pair_ordered) on
         * the interval; refuted: a_j > a_i (logit_above) at some time of it for a pair
         * with u_i(0) > u_j(0) */
        int *ord = malloc(sizeof(int) * (size_t)n), res = 0;
        mpq_t g;
        mpq_init(g);
        if (u_order(c, ord, g)) {
            res = proven;
            for (int a = 0; a + 1 < n && proven && res; a++)
                res = find(c, cl, VF_PAIR, ord[a], ord[a + 1], k, 1, 0);
            for (int a = 0; a < n && !proven && !res; a++)
                for (int b = a + 1; b < n && !res; b++)
                    res = find(c, cl, VF_LABOVE, ord[b], ord[a], k, 0, 0);
        }
        mpq_clear(g);
        free(ord);
        return res;
    }
    return 0;
}

void vf_theorem_check(const vf_cert *c, int quiet)
{
    json_t *H = c->hypotheses, *T = c->theorem;
    if (H && !json_is_array(H))
        vf_fail2("hypotheses", "not an array");
    for (size_t k = 0; H && k < json_array_size(H); k++)
        check_hypothesis(c, json_array_get(H, k), k, quiet);
    if (!T)
        return;
    json_t *cs = json_object_get(T, "conclusions");
    if (!json_is_object(T) || !json_is_string(json_object_get(T, "name")) || !json_is_array(cs))
        vf_fail2("theorem", "wants {\"name\": string, \"conclusions\": [...]}");
    if (!quiet)
        printf("  theorem %s\n", json_string_value(json_object_get(T, "name")));
    for (size_t x = 0; x < json_array_size(cs); x++) {
        json_t *o = json_array_get(cs, x), *v = json_object_get(o, "verdict");
        json_t *cl = json_object_get(o, "claims");
        if (!json_is_object(o) || !json_is_string(v) || !json_is_array(cl))
            vf_fail2("theorem.conclusions", "entry %zu: wants kind, verdict and claims", x);
        const char *vd = json_string_value(v);
        int proven = strcmp(vd, "proven") == 0, refuted = strcmp(vd, "refuted") == 0;
        if (!proven && !refuted && strcmp(vd, "undecided") != 0)
            vf_fail2("theorem.conclusions", "entry %zu: verdict \"%.20s\" is not proven, "
                     "refuted or undecided", x, vd);
        for (size_t y = 0; y < json_array_size(cl); y++)
            (void)listed(c, cl, y);     /* indices in range */
        concl k;
        parse_concl(&k, o, x);
        if ((proven || refuted) && !implied(c, &k, cl, proven, x))
            vf_reject("conclusion %zu (%s %s): not implied by the claims it lists", x, k.kind,
                      vd);
        if (!quiet)
            printf("  conclusion %-22s %s\n", k.kind, proven ? "PROVEN" : refuted ? "REFUTED"
                                                                            : "UNDECIDED");
        mpq_clears(k.from, k.to, k.bound, NULL);
    }
}
