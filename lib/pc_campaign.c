/* Campaign files, format polarcert-campaign/1 (certs/CAMPAIGN.md): parsing
 * and validation. Every refusal names the member: "source: field: what is
 * wrong". Never prints. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include "pc_search_impl.h"
#include "pc_json.h"

#define CAMPAIGN_MAX_BYTES (1 << 20)
#define CAMPAIGN_MAX_INSTANCES 1000000000000LL
#define CAMPAIGN_MAX_DIGITS 30
#define CAMPAIGN_MAX_DIM 64


static void dist_init(pc_dist_struct *d)
{
    d->kind = PC_DIST_ZERO;
    fmpq_init(d->scale);
    d->given = 0;
}

static void impl_init(pc_campaign_impl *m)
{
    memset(m, 0, sizeof *m);
    dist_init(&m->V0);
    dist_init(&m->a0);
    dist_init(&m->beta);
    dist_init(&m->q);
    dist_init(&m->X);
    dist_init(&m->b);
    fmpq_init(m->T);
    fmpq_init(m->screen_T);
    fmpq_init(m->cert_T);
    pc_theorem_init(m->th);
    pc_certify_opts_default(&m->co);
    m->rtol = 1e-8;
    m->points = 256;
}

static void impl_clear(pc_campaign_impl *m)
{
    fmpq_clear(m->V0.scale);
    fmpq_clear(m->a0.scale);
    fmpq_clear(m->beta.scale);
    fmpq_clear(m->q.scale);
    fmpq_clear(m->X.scale);
    fmpq_clear(m->b.scale);
    fmpq_clear(m->T);
    fmpq_clear(m->screen_T);
    fmpq_clear(m->cert_T);
    pc_theorem_clear(m->th);
}

void pc_campaign_init(pc_campaign_t c)
{
    c->impl = NULL;
    c->text = NULL;
    c->sha256[0] = '\0';
    c->name = NULL;
    c->instances = 0;
    c->confirm_best = 0;
}

void pc_campaign_clear(pc_campaign_t c)
{
    if (c->impl != NULL) {
        impl_clear(c->impl);
        free(c->impl);
    }
    free(c->text);
    free(c->name);
    pc_campaign_init(c);
}

const pc_certify_opts *pc_campaign_certify_opts(const pc_campaign_t c)
{
    return &c->impl->co;
}

/* ---- members ------------------------------------------------------------------ */

/* An exact number given as a string; positive if pos. */
static int get_num(fmpq_t q, const pc_json_ctx *x, json_t *v, const char *field, int pos)
{
    const char *why = "not a number";
    if (!json_is_string(v))
        return pc_json_bad(x, field, "wants a string (numbers are strings, e.g. \"0.5\")");
    if (pc_parse_exact(q, json_string_value(v), &why) != PC_OK)
        return pc_json_bad(x, field, why);
    if (pos && fmpq_sgn(q) <= 0)
        return pc_json_bad(x, field, "must be > 0");
    return PC_OK;
}

static int get_int(slong *out, const pc_json_ctx *x, json_t *v, const char *field, slong lo,
                   slong hi)
{
    char what[96];
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        snprintf(what, sizeof what, "wants a JSON integer from %ld to %ld", (long) lo, (long) hi);
        return pc_json_bad(x, field, what);
    }
    *out = (slong) json_integer_value(v);
    return PC_OK;
}

/* A dimension: an integer, or {"min": a, "max": b} with a <= b. */
static int get_range(slong *lo, slong *hi, const pc_json_ctx *x, json_t *v, const char *field)
{
    static const char *const keys[] = {"min", "max", NULL};
    char f[96];
    int st;
    if (json_is_integer(v)) {
        st = get_int(lo, x, v, field, 1, CAMPAIGN_MAX_DIM);
        *hi = *lo;
        return st;
    }
    if (!json_is_object(v))
        return pc_json_bad(x, field, "wants an integer or {\"min\": a, \"max\": b}");
    if ((st = pc_json_only_keys(x, v, field, keys)) != PC_OK)
        return st;
    snprintf(f, sizeof f, "%s.min", field);
    if ((st = get_int(lo, x, json_object_get(v, "min"), f, 1, CAMPAIGN_MAX_DIM)) != PC_OK)
        return st;
    snprintf(f, sizeof f, "%s.max", field);
    if ((st = get_int(hi, x, json_object_get(v, "max"), f, 1, CAMPAIGN_MAX_DIM)) != PC_OK)
        return st;
    if (*hi < *lo)
        return pc_json_bad(x, f, "must be >= min");
    return PC_OK;
}

/* A distribution {"dist": ..., "scale": "..."}; allowed: bit per pc_dist_kind. */
static int get_dist(pc_dist_struct *d, const pc_json_ctx *x, json_t *v, const char *field,
                    unsigned allowed)
{
    static const char *const keys[] = {"dist", "scale", NULL};
    static const char *const names[] = {"zero", "gaussian", "aligned", "uniform", "random"};
    char f[96], what[160] = "wants one of";
    int st;
    if (!json_is_object(v))
        return pc_json_bad(x, field, "wants an object {\"dist\": ..., \"scale\": ...}");
    if ((st = pc_json_only_keys(x, v, field, keys)) != PC_OK)
        return st;
    json_t *k = json_object_get(v, "dist");
    snprintf(f, sizeof f, "%s.dist", field);
    int found = -1, listed = 0;
    for (int m = 0; m < 5; m++) {
        if (!((allowed >> m) & 1u))
            continue;
        strcat(what, listed++ ? ", \"" : " \"");
        strcat(what, names[m]);
        strcat(what, "\"");
        if (json_is_string(k) && strcmp(json_string_value(k), names[m]) == 0)
            found = m;
    }
    if (found < 0)
        return pc_json_bad(x, f, what);
    d->kind = (pc_dist_kind) found;
    d->given = 1;
    json_t *s = json_object_get(v, "scale");
    snprintf(f, sizeof f, "%s.scale", field);
    if (d->kind == PC_DIST_GAUSSIAN || d->kind == PC_DIST_ALIGNED) {
        if (s == NULL)
            return pc_json_bad(x, f, "missing (the standard deviation, e.g. \"0.1\")");
        if ((st = get_num(d->scale, x, s, f, 1)) != PC_OK)
            return st;
        fmpq_t big;
        fmpq_init(big);
        fmpq_set_si(big, 1000000, 1);
        int too = fmpq_cmp(d->scale, big) > 0;
        fmpq_clear(big);
        if (too)
            return pc_json_bad(x, f, "must be <= 1e6");
    } else if (s != NULL)
        return pc_json_bad(x, f, "only for \"gaussian\" and \"aligned\"");
    return PC_OK;
}

#define B(k) (1u << (k))

/* Which data members loss L needs (the others must be absent). */
static int loss_has_beta(pc_loss_kind L)
{
    return L == PC_LOSS_LOGISTIC || L == PC_LOSS_EXPONENTIAL || L == PC_LOSS_SQUARE;
}

static int parse_generator(pc_campaign_impl *m, const pc_json_ctx *x, json_t *g)
{
    static const char *const keys[] = {"loss", "d", "n", "m", "digits", "V0", "a0", "beta",
                                       "q", "X", "b", "T", NULL};
    int st;
    if (!json_is_object(g))
        return pc_json_bad(x, "generator", "wants an object");
    if ((st = pc_json_only_keys(x, g, "generator", keys)) != PC_OK)
        return st;
    json_t *v = json_object_get(g, "loss");
    if (!json_is_string(v) || pc_loss_from_name(&m->loss, json_string_value(v)) != PC_OK)
        return pc_json_bad(x, "generator.loss", "wants one of \"logistic\", \"exponential\", "
                           "\"square\", \"cross_entropy\", \"quadratic\"");
    if ((st = get_range(&m->dmin, &m->dmax, x, json_object_get(g, "d"), "generator.d")) != PC_OK)
        return st;
    if ((st = get_range(&m->nmin, &m->nmax, x, json_object_get(g, "n"), "generator.n")) != PC_OK)
        return st;
    const int quad = m->loss == PC_LOSS_QUADRATIC, ce = m->loss == PC_LOSS_CROSS_ENTROPY;
    v = json_object_get(g, "m");
    if (quad) {
        if ((st = get_range(&m->mmin, &m->mmax, x, v, "generator.m")) != PC_OK)
            return st;
    } else if (v != NULL)
        return pc_json_bad(x, "generator.m", "only for the quadratic loss");
    if ((st = get_int(&m->digits, x, json_object_get(g, "digits"), "generator.digits", 0,
                      CAMPAIGN_MAX_DIGITS)) != PC_OK)
        return st;
    if ((st = get_num(m->T, x, json_object_get(g, "T"), "generator.T", 1)) != PC_OK)
        return st;
    unsigned vk = B(PC_DIST_ZERO) | B(PC_DIST_GAUSSIAN) |
                  (loss_has_beta(m->loss) ? B(PC_DIST_ALIGNED) : 0);
    if ((st = get_dist(&m->V0, x, json_object_get(g, "V0"), "generator.V0", vk)) != PC_OK)
        return st;
    if ((st = get_dist(&m->a0, x, json_object_get(g, "a0"), "generator.a0",
                       B(PC_DIST_ZERO) | B(PC_DIST_GAUSSIAN))) != PC_OK)
        return st;
    /* the loss data: present exactly where the loss has them */
    struct { const char *name; pc_dist_struct *d; int need; unsigned allowed; } data[] = {
        {"beta", &m->beta, loss_has_beta(m->loss), B(PC_DIST_GAUSSIAN)},
        {"q", &m->q, ce, B(PC_DIST_UNIFORM) | B(PC_DIST_RANDOM)},
        {"X", &m->X, quad, B(PC_DIST_GAUSSIAN)},
        {"b", &m->b, quad, B(PC_DIST_GAUSSIAN) | B(PC_DIST_ZERO)}};
    for (int k = 0; k < 4; k++) {
        char f[40];
        snprintf(f, sizeof f, "generator.%s", data[k].name);
        v = json_object_get(g, data[k].name);
        if (!data[k].need && v != NULL)
            return pc_json_bad(x, f, "the loss has no such data");
        if (data[k].need && v == NULL) {
            char what[80];
            snprintf(what, sizeof what, "missing (the %s loss needs it)", pc_loss_name(m->loss));
            return pc_json_bad(x, f, what);
        }
        if (data[k].need && (st = get_dist(data[k].d, x, v, f, data[k].allowed)) != PC_OK)
            return st;
    }
    return PC_OK;
}

static int get_seed(uint64_t *seed, const pc_json_ctx *x, json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s == NULL || s[0] == '\0' || strlen(s) > 20 || strspn(s, "0123456789") != strlen(s))
        return pc_json_bad(x, "seed", "wants a string of decimal digits (0 to 2^64 - 1)");
    errno = 0;
    unsigned long long u = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return pc_json_bad(x, "seed", "must be below 2^64");
    *seed = (uint64_t) u;
    return PC_OK;
}

/* The theorem: a preset name, an inline polarcert-theorem/1 object, or
 * {"file": PATH} (relative to the campaign file), inlined into *inlined. */
static int parse_theorem(pc_campaign_impl *m, const pc_json_ctx *x, const char *dir, json_t *v,
                         json_t **inlined)
{
    char src[600];
    *inlined = NULL;
    snprintf(src, sizeof src, "%s: theorem", x->src);
    if (json_is_string(v)) {
        const char *text = pc_theorem_preset_text(json_string_value(v));
        if (text == NULL)
            return pc_json_bad(x, "theorem", "no such preset (margin-polarization, "
                               "ordered-gaps-grow, every-gap-grows, square-aligned)");
        return pc_theorem_load_string(m->th, text, src, x->err);
    }
    if (!json_is_object(v))
        return pc_json_bad(x, "theorem", "wants a preset name, a polarcert-theorem/1 object or "
                           "{\"file\": PATH}");
    json_t *file = json_object_get(v, "file");
    if (file == NULL) {
        char *text = json_dumps(v, JSON_COMPACT);
        int st = text == NULL ? pc_json_bad(x, "theorem", "cannot be written back (out of memory)")
                              : pc_theorem_load_string(m->th, text, src, x->err);
        free(text);
        return st;
    }
    if (json_object_size(v) != 1 || !json_is_string(file))
        return pc_json_bad(x, "theorem.file", "wants {\"file\": PATH} alone, PATH a string");
    const char *path = json_string_value(file);
    char full[4200];
    if (path[0] != '/' && dir != NULL)
        snprintf(full, sizeof full, "%s/%s", dir, path);
    else
        snprintf(full, sizeof full, "%s", path);
    json_error_t je;
    json_t *root = json_load_file(full, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return pc_error_set(x->err, PC_ERR_INPUT, "%s: theorem.file: %s: %s", x->src, full,
                            je.text);
    if (json_is_object(root) && json_object_get(root, "file") != NULL) {
        /* followed, it could name itself and recurse without end */
        json_decref(root);
        return pc_error_set(x->err, PC_ERR_INPUT, "%s: theorem.file: %s: holds {\"file\": ...}, "
                            "not a theorem", x->src, full);
    }
    int st = parse_theorem(m, x, dir, root, inlined);
    if (st == PC_OK)
        *inlined = root;
    else
        json_decref(root);
    return st;
}

/* A single conclusion to refute, with optional hypotheses: a theorem over
 * every loss. */
static int parse_refute(pc_campaign_impl *m, const pc_json_ctx *x, json_t *concl, json_t *hyp)
{
    char src[600];
    snprintf(src, sizeof src, "%s: refute", x->src);
    if (!json_is_object(concl))
        return pc_json_bad(x, "refute", "wants a conclusion object (proofs/THEOREMS.md)");
    if (hyp != NULL && !json_is_array(hyp))
        return pc_json_bad(x, "hypotheses", "wants an array of hypothesis names");
    json_t *h = hyp != NULL ? json_incref(hyp) : json_array();
    json_t *th = json_pack("{s:s, s:s, s:[s,s,s,s,s], s:o, s:[O]}", "format",
                           PC_THEOREM_FORMAT, "name", "refute", "losses", "logistic",
                           "exponential", "square", "cross_entropy", "quadratic",
                           "hypotheses", h, "conclusions", concl);
    char *text = th != NULL ? json_dumps(th, JSON_COMPACT) : NULL;
    int st = text == NULL ? pc_json_bad(x, "refute", "cannot be read (out of memory)")
                          : pc_theorem_load_string(m->th, text, src, x->err);
    free(text);
    json_decref(th);
    return st;
}

static int parse_screen(pc_campaign_impl *m, const pc_json_ctx *x, json_t *v)
{
    static const char *const keys[] = {"T", "rtol", "points", NULL};
    int st;
    fmpq_set(m->screen_T, m->cert_T);
    if (v == NULL)
        return PC_OK;
    if (!json_is_object(v))
        return pc_json_bad(x, "screen", "wants an object");
    if ((st = pc_json_only_keys(x, v, "screen", keys)) != PC_OK)
        return st;
    json_t *e;
    if ((e = json_object_get(v, "T")) != NULL &&
        (st = get_num(m->screen_T, x, e, "screen.T", 1)) != PC_OK)
        return st;
    if (fmpq_cmp(m->screen_T, m->cert_T) > 0)     /* beyond it nothing can be confirmed */
        return pc_json_bad(x, "screen.T", "must be <= the certification horizon (certify.T or "
                           "generator.T)");
    if ((e = json_object_get(v, "rtol")) != NULL) {
        fmpq_t r;
        fmpq_init(r);
        st = get_num(r, x, e, "screen.rtol", 1);
        m->rtol = fmpq_get_d(r);        /* a float setting: the screen is float */
        fmpq_clear(r);
        if (st != PC_OK)
            return st;
        if (!(m->rtol >= 1e-12 && m->rtol <= 1e-3))
            return pc_json_bad(x, "screen.rtol", "must be from 1e-12 to 1e-3");
    }
    if ((e = json_object_get(v, "points")) != NULL &&
        (st = get_int(&m->points, x, e, "screen.points", 8, 100000)) != PC_OK)
        return st;
    return PC_OK;
}

static int parse_confirm(pc_campaign_t c, const pc_json_ctx *x, json_t *v)
{
    static const char *const keys[] = {"policy", "k", NULL};
    int st;
    c->confirm_best = 0;
    if (v == NULL)
        return PC_OK;
    if (!json_is_object(v))
        return pc_json_bad(x, "confirm", "wants an object");
    if ((st = pc_json_only_keys(x, v, "confirm", keys)) != PC_OK)
        return st;
    json_t *p = json_object_get(v, "policy");
    if (!json_is_string(p) || (strcmp(json_string_value(p), "all") != 0 &&
                               strcmp(json_string_value(p), "best") != 0))
        return pc_json_bad(x, "confirm.policy", "wants \"all\" (every candidate) or \"best\" "
                           "(the k with the largest score)");
    json_t *k = json_object_get(v, "k");
    if (strcmp(json_string_value(p), "all") == 0)
        return k != NULL ? pc_json_bad(x, "confirm.k", "only with policy \"best\"") : PC_OK;
    slong kk;
    if ((st = get_int(&kk, x, k, "confirm.k", 1, 1000000000)) != PC_OK)
        return st;
    c->confirm_best = kk;
    return PC_OK;
}

static int parse_certify(pc_campaign_impl *m, const pc_json_ctx *x, json_t *v)
{
    static const char *const keys[] = {"T", "prec", "order", "depth", "system", NULL};
    static const char *const systems[] = {"auto", "full", "reduced", "tau"};
    int st;
    json_t *e;
    fmpq_set(m->cert_T, m->T);
    if (v != NULL && !json_is_object(v))
        return pc_json_bad(x, "certify", "wants an object");
    if (v != NULL && (st = pc_json_only_keys(x, v, "certify", keys)) != PC_OK)
        return st;
    if (v != NULL && (e = json_object_get(v, "T")) != NULL &&
        (st = get_num(m->cert_T, x, e, "certify.T", 1)) != PC_OK)
        return st;
    if (v != NULL && (e = json_object_get(v, "prec")) != NULL &&
        (st = get_int(&m->co.prec, x, e, "certify.prec", 32, 4096)) != PC_OK)
        return st;
    if (v != NULL && (e = json_object_get(v, "order")) != NULL &&
        (st = get_int(&m->co.order, x, e, "certify.order", 2, 400)) != PC_OK)
        return st;
    if (v != NULL && (e = json_object_get(v, "depth")) != NULL &&
        (st = get_int(&m->co.depth, x, e, "certify.depth", 3, 20)) != PC_OK)
        return st;
    if (v != NULL && (e = json_object_get(v, "system")) != NULL) {
        int k = -1;
        for (int s = 0; s < 4; s++)
            if (json_is_string(e) && strcmp(json_string_value(e), systems[s]) == 0)
                k = s;
        if (k < 0)
            return pc_json_bad(x, "certify.system",
                               "wants \"auto\", \"full\", \"reduced\" or \"tau\"");
        m->co.auto_system = k == 0;
        m->co.system = k == 2 ? PC_SYSTEM_REDUCED : k == 3 ? PC_SYSTEM_TAU : PC_SYSTEM_FULL;
    }
    m->co.T = m->cert_T;
    return PC_OK;
}

/* dir: the directory theorem files are relative to (NULL: the working one). */
static int parse_campaign(pc_campaign_t c, const pc_json_ctx *x, const char *dir, json_t *root,
                          json_t **inlined)
{
    static const char *const keys[] = {"format", "name", "note", "generator", "theorem",
                                       "refute", "hypotheses", "instances", "seed", "screen",
                                       "confirm", "certify", NULL};
    pc_campaign_impl *m = c->impl;
    int st;
    if ((st = pc_json_head(&c->name, x, root, PC_CAMPAIGN_FORMAT, "", keys)) != PC_OK)
        return st;
    json_t *v = json_object_get(root, "note");
    if (v != NULL && !json_is_string(v))
        return pc_json_bad(x, "note", "wants a string");
    if ((st = parse_generator(m, x, json_object_get(root, "generator"))) != PC_OK)
        return st;
    json_t *th = json_object_get(root, "theorem"), *ref = json_object_get(root, "refute");
    json_t *hyp = json_object_get(root, "hypotheses");
    if ((th == NULL) == (ref == NULL))
        return pc_json_bad(x, "theorem", "give exactly one of \"theorem\" and \"refute\"");
    if (th != NULL && hyp != NULL)
        return pc_json_bad(x, "hypotheses", "only with \"refute\" (a theorem states its own)");
    st = th != NULL ? parse_theorem(m, x, dir, th, inlined) : parse_refute(m, x, ref, hyp);
    if (st != PC_OK)
        return st;
    slong n;
    if ((st = get_int(&n, x, json_object_get(root, "instances"), "instances", 1,
                      (slong) CAMPAIGN_MAX_INSTANCES)) != PC_OK)
        return st;
    c->instances = n;
    if ((st = get_seed(&m->seed, x, json_object_get(root, "seed"))) != PC_OK)
        return st;
    if ((st = parse_certify(m, x, json_object_get(root, "certify"))) != PC_OK)
        return st;
    if ((st = parse_screen(m, x, json_object_get(root, "screen"))) != PC_OK)
        return st;
    return parse_confirm(c, x, json_object_get(root, "confirm"));
}

static void sha256_hex(char hex[65], const char *text)
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, strlen(text), (const uint8_t *) text);
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", dig[i]);
}

static int load(pc_campaign_t c, const char *json, const char *source, const char *dir,
                pc_error_t err)
{
    json_error_t je;
    pc_json_ctx x = {source, err};
    json_t *inlined = NULL;
    pc_campaign_clear(c);
    if (strlen(json) >= CAMPAIGN_MAX_BYTES)
        return pc_error_set(err, PC_ERR_INPUT, "%s: longer than 1 MiB", source);
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "%s: line %d: %s", source, je.line, je.text);
    c->impl = malloc(sizeof(pc_campaign_impl));
    impl_init(c->impl);
    int st = parse_campaign(c, &x, dir, root, &inlined);
    if (st == PC_OK && inlined != NULL) {      /* the theorem file goes into the text */
        json_object_set_new(root, "theorem", inlined);
        c->text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (c->text == NULL)
            st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", source);
    } else if (st == PC_OK)
        c->text = strdup(json);
    else
        json_decref(inlined);       /* a theorem file read before a later member failed */
    json_decref(root);
    if (st == PC_OK)
        sha256_hex(c->sha256, c->text);
    else
        pc_campaign_clear(c);
    return st;
}

int pc_campaign_load_string(pc_campaign_t c, const char *json, const char *source,
                            pc_error_t err)
{
    return load(c, json, source, NULL, err);
}

int pc_campaign_load_file(pc_campaign_t c, const char *path, pc_error_t err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot be read", path);
    char *buf = malloc(CAMPAIGN_MAX_BYTES + 1);
    size_t len = fread(buf, 1, CAMPAIGN_MAX_BYTES, f);
    int rerr = ferror(f);
    fclose(f);
    buf[len] = '\0';
    char *dir = strdup(path), *slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = '\0';
    int st = rerr ? pc_error_set(err, PC_ERR_IO, "%s: cannot be read", path)
             : len == CAMPAIGN_MAX_BYTES ? pc_error_set(err, PC_ERR_INPUT, "%s: longer than 1 MiB", path)
             : strlen(buf) != len ? pc_error_set(err, PC_ERR_INPUT, "%s: contains a NUL byte", path)
             : load(c, buf, path, slash != NULL ? dir : ".", err);
    free(dir);
    free(buf);
    return st;
}
