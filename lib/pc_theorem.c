/* Theorem files, presets and the check of a theorem (pc_theorem.h). */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "pc_theorem.h"
#include "pc_json.h"

/* The presets: our reading of the paper's results (proofs/THEOREMS.md). */
static const char preset_margin_polarization[] =
    "{\"format\": \"polarcert-theorem/1\", \"name\": \"margin-polarization\","
    " \"losses\": [\"logistic\", \"exponential\"],"
    " \"hypotheses\": [\"a0_uniform\", \"u0_strictly_ordered\"],"
    " \"conclusions\": ["
    "  {\"kind\": \"entropy_decreasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"winner\", \"token\": \"top\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"gap_increasing\", \"i\": \"top\", \"j\": \"all\", \"from\": \"0\", \"to\": \"inf\"},"
    "  {\"kind\": \"entropy_below\", \"bound\": \"1/2\", \"from\": \"auto\", \"to\": \"inf\"}]}";
static const char preset_ordered_gaps_grow[] =
    "{\"format\": \"polarcert-theorem/1\", \"name\": \"ordered-gaps-grow\","
    " \"losses\": [\"logistic\", \"exponential\"],"
    " \"hypotheses\": [\"a0_uniform\", \"u0_strictly_ordered\"],"
    " \"conclusions\": ["
    "  {\"kind\": \"ordered_gaps_increasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"}]}";
static const char preset_every_gap_grows[] =
    "{\"format\": \"polarcert-theorem/1\", \"name\": \"every-gap-grows\","
    " \"losses\": [\"logistic\", \"exponential\"],"
    " \"hypotheses\": [\"a0_uniform\", \"u0_strictly_ordered\"],"
    " \"conclusions\": ["
    "  {\"kind\": \"all_gaps_increasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"}]}";
static const char preset_square_aligned[] =
    "{\"format\": \"polarcert-theorem/1\", \"name\": \"square-aligned\","
    " \"losses\": [\"square\"],"
    " \"hypotheses\": [\"v0_aligned\", \"a0_uniform\"],"
    " \"conclusions\": ["
    "  {\"kind\": \"entropy_decreasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"entropy_above\", \"bound\": \"auto\", \"from\": \"0\", \"to\": \"inf\"}]}";

const char *const pc_theorem_presets[] = {
    "margin-polarization", "ordered-gaps-grow", "every-gap-grows", "square-aligned", NULL};
static const char *const preset_texts[] = {
    preset_margin_polarization, preset_ordered_gaps_grow, preset_every_gap_grows,
    preset_square_aligned};

const char *pc_theorem_preset_text(const char *name)
{
    for (int k = 0; pc_theorem_presets[k] != NULL; k++)
        if (strcmp(name, pc_theorem_presets[k]) == 0)
            return preset_texts[k];
    return NULL;
}

void pc_theorem_init(pc_theorem_t th)
{
    th->name = NULL;
    th->losses = 0;
    th->hyp = NULL;
    th->nhyp = 0;
    th->concl = NULL;
    th->nconcl = 0;
}

void pc_theorem_clear(pc_theorem_t th)
{
    free(th->name);
    flint_free(th->hyp);
    for (slong k = 0; k < th->nconcl; k++)
        pc_concl_clear(th->concl + k);
    flint_free(th->concl);
    pc_theorem_init(th);
}

/* ---- parsing ------------------------------------------------------------------ */

/* A token: a JSON integer in [0, ...) or "top" ("all" if allow_all). */
static int parse_token(slong *t, const pc_json_ctx *x, json_t *v, const char *field, int allow_all)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0 &&
        json_integer_value(v) < PC_PROBLEM_MAX_DIM) {
        *t = (slong) json_integer_value(v);
        return PC_OK;
    }
    if (json_is_string(v) && strcmp(json_string_value(v), "top") == 0) {
        *t = PC_TOKEN_TOP;
        return PC_OK;
    }
    if (allow_all && json_is_string(v) && strcmp(json_string_value(v), "all") == 0) {
        *t = PC_TOKEN_ALL;
        return PC_OK;
    }
    return pc_json_bad(x, field, allow_all ? "wants a token index, \"top\" or \"all\""
                                           : "wants a token index or \"top\"");
}

/* An exact number string; special ("auto", "inf") sets *special if allowed. */
static int parse_num(fmpq_t q, int *special, const pc_json_ctx *x, json_t *v, const char *field,
                     const char *spec)
{
    const char *why = "not a number";
    if (!json_is_string(v))
        return pc_json_bad(x, field, "wants a string (numbers are strings)");
    if (spec != NULL && strcmp(json_string_value(v), spec) == 0) {
        *special = 1;
        return PC_OK;
    }
    if (special != NULL)
        *special = 0;
    if (pc_parse_exact(q, json_string_value(v), &why) != PC_OK)
        return pc_json_bad(x, field, why);
    return PC_OK;
}

static int parse_concl(pc_concl_t c, const pc_json_ctx *x, json_t *o, const char *field)
{
    static const char *const keys[] = {"kind", "i", "j", "token", "bound", "from",
                                       "open_from", "to", NULL};
    char f[120];
    int st;
    if (!json_is_object(o))
        return pc_json_bad(x, field, "wants an object");
    if ((st = pc_json_only_keys(x, o, field, keys)) != PC_OK)
        return st;
    json_t *k = json_object_get(o, "kind");
    snprintf(f, sizeof f, "%s.kind", field);
    if (!json_is_string(k) || pc_concl_from_name(&c->kind, json_string_value(k)) != PC_OK)
        return pc_json_bad(x, f, "unknown conclusion (see proofs/THEOREMS.md)");
    const pc_concl_kind K = c->kind;
    const int gap = K == PC_CONCL_GAP_INCREASING || K == PC_CONCL_GAP_DECREASING;
    const int bnd = K == PC_CONCL_ENTROPY_ABOVE || K == PC_CONCL_ENTROPY_BELOW ||
        K == PC_CONCL_LOSS_BELOW;
    json_t *v;
    if (gap) {
        snprintf(f, sizeof f, "%s.i", field);
        if ((st = parse_token(&c->i, x, json_object_get(o, "i"), f, 0)) != PC_OK)
            return st;
        snprintf(f, sizeof f, "%s.j", field);
        if ((st = parse_token(&c->j, x, json_object_get(o, "j"), f, 1)) != PC_OK)
            return st;
        if (c->i == c->j && c->i >= 0)
            return pc_json_bad(x, f, "i == j");
    } else if (json_object_get(o, "i") || json_object_get(o, "j"))
        return pc_json_bad(x, field, "i and j belong to gap_increasing and gap_decreasing");
    if (K == PC_CONCL_WINNER) {
        snprintf(f, sizeof f, "%s.token", field);
        if ((st = parse_token(&c->i, x, json_object_get(o, "token"), f, 0)) != PC_OK)
            return st;
    } else if (json_object_get(o, "token"))
        return pc_json_bad(x, field, "token belongs to winner");
    if (bnd) {
        snprintf(f, sizeof f, "%s.bound", field);
        if ((st = parse_num(c->bound, &c->bound_auto, x, json_object_get(o, "bound"), f,
                            K == PC_CONCL_ENTROPY_ABOVE ? "auto" : NULL)) != PC_OK)
            return st;
    } else if (json_object_get(o, "bound"))
        return pc_json_bad(x, field,
                           "bound belongs to entropy_above, entropy_below and loss_below");
    snprintf(f, sizeof f, "%s.from", field);
    if ((st = parse_num(c->from, &c->from_auto, x, json_object_get(o, "from"), f,
                        K == PC_CONCL_ENTROPY_BELOW ? "auto" : NULL)) != PC_OK)
        return st;
    if (!c->from_auto && fmpq_sgn(c->from) < 0)
        return pc_json_bad(x, f, "must be >= 0");
    v = json_object_get(o, "open_from");
    snprintf(f, sizeof f, "%s.open_from", field);
    if (v != NULL && !json_is_boolean(v))
        return pc_json_bad(x, f, "wants true or false");
    c->open_from = v != NULL && json_is_true(v);
    if (c->open_from && (c->from_auto || !fmpq_is_zero(c->from)))
        return pc_json_bad(x, f, "an open left end only at from = 0");
    snprintf(f, sizeof f, "%s.to", field);
    if ((st = parse_num(c->to, &c->to_inf, x, json_object_get(o, "to"), f, "inf")) != PC_OK)
        return st;
    if (!c->to_inf && !c->from_auto && fmpq_cmp(c->to, c->from) <= 0)
        return pc_json_bad(x, f, "must be > from");
    return PC_OK;
}

static int parse_theorem(pc_theorem_t th, const pc_json_ctx *x, json_t *root)
{
    static const char *const keys[] = {"format", "name", "losses", "hypotheses",
                                       "conclusions", "note", NULL};
    int st;
    if ((st = pc_json_head(&th->name, x, root, PC_THEOREM_FORMAT, "(top)", keys)) != PC_OK)
        return st;
    json_t *v = json_object_get(root, "losses");
    if (!json_is_array(v) || json_array_size(v) == 0)
        return pc_json_bad(x, "losses", "wants a non-empty array of loss names");
    for (size_t k = 0; k < json_array_size(v); k++) {
        pc_loss_kind L;
        json_t *e = json_array_get(v, k);
        if (!json_is_string(e) || pc_loss_from_name(&L, json_string_value(e)) != PC_OK)
            return pc_json_bad(x, "losses", "unknown loss name");
        th->losses |= 1u << L;
    }
    v = json_object_get(root, "hypotheses");
    if (!json_is_array(v) || json_array_size(v) > 64)
        return pc_json_bad(x, "hypotheses", "wants an array of at most 64 hypothesis names");
    th->hyp = flint_malloc(sizeof(pc_hyp_kind) * (json_array_size(v) + 1));
    for (size_t k = 0; k < json_array_size(v); k++) {
        json_t *e = json_array_get(v, k);
        if (!json_is_string(e) || pc_hyp_from_name(th->hyp + k, json_string_value(e)) != PC_OK)
            return pc_json_bad(x, "hypotheses", "unknown hypothesis (see proofs/THEOREMS.md)");
        th->nhyp++;
    }
    v = json_object_get(root, "conclusions");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 64)
        return pc_json_bad(x, "conclusions", "wants an array of 1 to 64 conclusions");
    th->concl = flint_malloc(sizeof(pc_concl_struct) * json_array_size(v));
    for (size_t k = 0; k < json_array_size(v); k++) {
        char f[40];
        snprintf(f, sizeof f, "conclusions[%zu]", k);
        pc_concl_init(th->concl + k);
        th->nconcl++;
        if ((st = parse_concl(th->concl + k, x, json_array_get(v, k), f)) != PC_OK)
            return st;
    }
    return PC_OK;
}

int pc_theorem_load_string(pc_theorem_t th, const char *json, const char *source,
                           pc_error_t err)
{
    json_error_t je;
    pc_json_ctx x = {source, err};
    pc_theorem_clear(th);
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "%s: line %d: %s", source, je.line, je.text);
    int st = parse_theorem(th, &x, root);
    json_decref(root);
    if (st != PC_OK)
        pc_theorem_clear(th);
    return st;
}

int pc_theorem_load_file(pc_theorem_t th, const char *path, pc_error_t err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot be read", path);
    char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, (1 << 20) - 1, f);
    int too_long = len == (1 << 20) - 1 && fgetc(f) != EOF;
    fclose(f);
    buf[len] = '\0';
    int st = too_long ? pc_error_set(err, PC_ERR_INPUT, "%s: longer than 1 MiB", path)
                      : pc_theorem_load_string(th, buf, path, err);
    free(buf);
    return st;
}

int pc_theorem_preset(pc_theorem_t th, const char *name, pc_error_t err)
{
    const char *text = pc_theorem_preset_text(name);
    if (text == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "--theorem: %s: no such preset or file", name);
    return pc_theorem_load_string(th, text, name, err);
}

/* ---- the check ---------------------------------------------------------------- */

const char *pc_check_verdict_name(pc_check_verdict v)
{
    switch (v) {
    case PC_CHECK_CONFIRMED: return "CONFIRMED";
    case PC_CHECK_REFUTED: return "REFUTED";
    case PC_CHECK_UNDECIDED: return "UNDECIDED";
    default: return "NOT APPLICABLE";
    }
}

void pc_check_init(pc_check_t K)
{
    K->hyp = NULL;
    K->res = NULL;
    K->nhyp = K->nconcl = 0;
    K->loss_covered = 0;
    K->verdict = PC_CHECK_UNDECIDED;
    pc_certify_init(K->R);
    K->cert = NULL;
}

void pc_check_clear(pc_check_t K)
{
    for (slong k = 0; k < K->nhyp; k++)
        pc_hyp_clear(K->hyp + k);
    for (slong k = 0; k < K->nconcl; k++)
        pc_concl_result_clear(K->res + k);
    flint_free(K->hyp);
    flint_free(K->res);
    pc_certify_clear(K->R);
    if (K->cert != NULL)
        json_decref(K->cert);
}

static json_t *json_token(slong t)
{
    return t == PC_TOKEN_ALL ? json_string("all") : t == PC_TOKEN_TOP ? json_string("top")
                                                                       : json_integer(t);
}

static json_t *cert_hypotheses(const pc_check_t K)
{
    json_t *a = json_array();
    for (slong k = 0; k < K->nhyp; k++) {
        const pc_hyp_struct *h = K->hyp + k;
        json_t *o = json_pack("{sssb}", "name", pc_hyp_name(h->kind), "holds", h->holds);
        if (h->order != NULL) {
            json_t *ord = json_array();
            for (slong j = 0; j < h->n; j++)
                json_array_append_new(ord, json_integer(h->order[j]));
            json_object_set_new(o, "order", ord);
            json_object_set_new(o, "least_gap", pc_json_fmpq(h->gap));
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* The conclusion as stated (tokens "top" resolved with the order of u(0)). */
static json_t *cert_concl(const pc_concl_struct *c, const pc_concl_result_struct *r,
                          const slong *ord)
{
    json_t *o = json_pack("{ss}", "kind", pc_concl_name(c->kind));
    slong i = c->i == PC_TOKEN_TOP && ord != NULL ? ord[0] : c->i;
    if (c->kind == PC_CONCL_GAP_INCREASING || c->kind == PC_CONCL_GAP_DECREASING) {
        json_object_set_new(o, "i", json_token(i));
        json_object_set_new(o, "j", json_token(c->j));
    }
    if (c->kind == PC_CONCL_WINNER)
        json_object_set_new(o, "token", json_token(i));
    if (c->kind == PC_CONCL_ENTROPY_ABOVE || c->kind == PC_CONCL_ENTROPY_BELOW ||
        c->kind == PC_CONCL_LOSS_BELOW)
        json_object_set_new(o, "bound", c->bound_auto ? json_string("auto") : pc_json_fmpq(c->bound));
    json_object_set_new(o, "from", c->from_auto ? json_string("auto") : pc_json_fmpq(c->from));
    if (c->open_from)
        json_object_set_new(o, "open_from", json_true());
    json_object_set_new(o, "to", c->to_inf ? json_string("inf") : pc_json_fmpq(c->to));
    json_object_set_new(o, "verdict", json_string(r->verdict == PC_VERDICT_PROVEN ? "proven"
                                                  : r->verdict == PC_VERDICT_REFUTED ? "refuted"
                                                                                     : "undecided"));
    json_t *cl = json_array();
    for (slong k = 0; k < r->nclaims; k++)
        json_array_append_new(cl, json_integer(r->claims[k]));
    json_object_set_new(o, "claims", cl);
    return o;
}

static const slong *u_order(const pc_check_t K, const pc_problem_t p)
{
    for (slong k = 0; k < K->nhyp; k++)
        if (K->hyp[k].kind == PC_HYP_U0_STRICTLY_ORDERED)
            return K->hyp[k].order;
    (void) p;
    return NULL;
}

/* Token indices of the conclusions must name tokens of p. */
static int check_tokens(pc_check_t K, const pc_theorem_t th, const pc_problem_t p)
{
    for (slong k = 0; k < th->nconcl; k++) {
        const pc_concl_struct *c = th->concl + k;
        if (c->i >= p->n || c->j >= p->n)
            return pc_error_set(K->R->err, PC_ERR_INPUT, "theorem: conclusions[%ld]: token "
                                "%ld does not exist (n = %ld)", (long) k,
                                (long) FLINT_MAX(c->i, c->j), (long) p->n);
    }
    return PC_OK;
}

int pc_check_run(pc_check_t K, const pc_theorem_t th, const pc_problem_t p,
                 const pc_certify_opts *o)
{
    if (check_tokens(K, th, p) != PC_OK)
        return PC_ERR_INPUT;
    /* u0_strictly_ordered is decided whenever a conclusion names its order */
    K->hyp = flint_malloc(sizeof(pc_hyp_struct) * (th->nhyp + 1));
    for (slong k = 0; k < th->nhyp; k++) {
        pc_hyp_init(K->hyp + K->nhyp);
        pc_hyp_decide(K->hyp + K->nhyp++, th->hyp[k], p);
    }
    pc_hyp_struct u0;
    pc_hyp_init(&u0);
    pc_hyp_decide(&u0, PC_HYP_U0_STRICTLY_ORDERED, p);
    K->loss_covered = (th->losses >> p->loss) & 1u;
    int st = pc_certify_run(K->R, p, o);
    if (st != PC_OK) {
        pc_hyp_clear(&u0);
        return st;
    }
    const slong *ord = u_order(K, p) != NULL ? u_order(K, p) : u0.order;
    K->res = flint_malloc(sizeof(pc_concl_result_struct) * (th->nconcl + 1));
    int all_hyp = K->loss_covered, any_ref = 0, all_proven = 1;
    for (slong k = 0; k < K->nhyp; k++)
        all_hyp = all_hyp && K->hyp[k].holds;
    for (slong k = 0; k < th->nconcl; k++) {
        pc_concl_result_init(K->res + k);
        K->nconcl++;
        pc_concl_decide(K->res + k, th->concl + k, K->R, ord);
        any_ref |= K->res[k].verdict == PC_VERDICT_REFUTED;
        all_proven &= K->res[k].verdict == PC_VERDICT_PROVEN;
    }
    K->verdict = !all_hyp ? PC_CHECK_NOT_APPLICABLE : any_ref ? PC_CHECK_REFUTED
                 : all_proven ? PC_CHECK_CONFIRMED : PC_CHECK_UNDECIDED;
    if (K->R->C->len > 0) {
        K->cert = pc_cert_build(K->R->E, K->R->C, arb_midref(K->R->T));
        if (K->cert != NULL) {
            json_t *cs = json_array();
            for (slong k = 0; k < th->nconcl; k++)
                json_array_append_new(cs, cert_concl(th->concl + k, K->res + k, ord));
            json_object_set_new(K->cert, "hypotheses", cert_hypotheses(K));
            json_object_set_new(K->cert, "theorem", json_pack("{ssso}", "name", th->name,
                                                              "conclusions", cs));
            if (pc_cert_seal(K->cert) != PC_OK) {
                json_decref(K->cert);
                K->cert = NULL;
            }
        }
        if (K->cert == NULL)
            st = pc_error_set(K->R->err, PC_ERR_MEMORY, "the certificate could not be built");
    }
    pc_hyp_clear(&u0);
    return st;
}
