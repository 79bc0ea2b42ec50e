/* vf_cert.c — reading a polarcert-cert/1 certificate: structure, hash, exact times.
 *
 * Everything that can make the file unusable is found here, before any numerics, so
 * that exit code 2 (not a certificate) is never mixed up with 1 (a false certificate).
 * Every count and index is validated before it is used: the input may be hostile. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <nettle/sha2.h>
#include "vf.h"

const char *vf_file = "?";
void (*vf_exit)(int status) = exit;

/* Prints a message that may quote hostile text (a field name, a number, a
 * kind) with its control characters escaped. */
static void put_escaped(FILE *f, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    char *e = vf_escape(buf);
    fputs(e != NULL ? e : "(out of memory)", f);
    free(e);
}

void vf_fail2(const char *field, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    char *ef = vf_escape(field);
    fprintf(stderr, "%s: %s: ", vf_file, ef != NULL ? ef : "?");
    free(ef);
    va_start(ap, fmt);
    put_escaped(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    vf_exit(2);
    exit(2);
}

void vf_reject(const char *fmt, ...)
{
    va_list ap;
    printf("REJECTED: ");
    va_start(ap, fmt);
    put_escaped(stdout, fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    vf_exit(1);
    exit(1);
}

const char *vf_loss_name(enum vf_loss l)
{
    static const char *nm[] = { "logistic", "exponential", "square", "cross_entropy",
                                "quadratic" };
    return nm[l];
}

const char *vf_sys_name(enum vf_sys s)
{
    static const char *nm[] = { "full", "reduced", "tau" };
    return nm[s];
}

/* ---------- typed JSON access; ctx is the field path for messages ---------- */

static json_t *get(json_t *obj, const char *key, const char *ctx)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        vf_fail2(ctx, "missing member \"%s\"", key);
    return v;
}

static void only_keys(json_t *obj, const char *ctx, const char *const *allowed)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj))
        vf_fail2(ctx, "not an object");
    json_object_foreach(obj, key, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            ok |= strcmp(*a, key) == 0;
        if (!ok)
            vf_fail2(ctx, "unknown member \"%s\"", key);
    }
}

static long jint(json_t *v, const char *ctx, long lo, long hi)
{
    if (!json_is_integer(v))
        vf_fail2(ctx, "not an integer");
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi)
        vf_fail2(ctx, "%lld out of range [%ld, %ld]", (long long)x, lo, hi);
    return (long)x;
}

static const char *jstr(json_t *v, const char *ctx)
{
    if (!json_is_string(v))
        vf_fail2(ctx, "not a string");
    return json_string_value(v);
}

static json_t *jarr(json_t *v, const char *ctx, long len)
{
    if (!json_is_array(v))
        vf_fail2(ctx, "not an array");
    if (len >= 0 && (long)json_array_size(v) != len)
        vf_fail2(ctx, "has %zu entries, expected %ld", json_array_size(v), len);
    return v;
}

/* A certificate's rationals are "p/q" in lowest terms (FORMAT.md); a
 * problem file's numbers (decimal = 1) are exact decimals or rationals. */
static void jrational_in(json_t *v, const char *ctx, mpq_t q, int decimal)
{
    int st = decimal ? vf_parse_decimal(jstr(v, ctx), q) : vf_parse_rational(jstr(v, ctx), q);
    if (st != 0)
        vf_fail2(ctx, "\"%.60s%s\" %s", json_string_value(v),
                 strlen(json_string_value(v)) > 60 ? "..." : "",
                 st == VF_NUM_SYNTAX && decimal ? "is not an exact decimal or rational"
                 : vf_num_why(st));
}

static void jdyadic(json_t *v, const char *ctx, mpq_t q)
{
    int st = vf_parse_dyadic(jstr(v, ctx), q);
    if (st != 0)
        vf_fail2(ctx, "\"%.60s%s\" %s", json_string_value(v),
                 strlen(json_string_value(v)) > 60 ? "..." : "",
                 st == VF_NUM_SYNTAX ? "is not a dyadic M or M*2^E" : vf_num_why(st));
}

/* One end of "[lo, hi]" (s[0..len), blanks around it ignored) as a decimal. */
static int interval_end(const char *s, size_t len, mpq_t q)
{
    while (len > 0 && *s == ' ')
        s++, len--;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0 || len > 4096)
        return VF_NUM_SYNTAX;
    char *b = vf_malloc(len + 1);
    memcpy(b, s, len);
    b[len] = 0;
    int st = vf_parse_decimal(b, q);
    free(b);
    return st;
}

/* An entry of V(0) or a(0) in a problem file (decimal = 1) may be an interval
 * "[lo, hi]" with lo <= hi: its centre goes to q and its half width is added to r. */
static void jentry_in(json_t *v, const char *ctx, mpq_t q, mpq_t r, int decimal)
{
    const char *s = jstr(v, ctx);
    if (!decimal || r == NULL || s[0] != '[') {
        jrational_in(v, ctx, q, decimal);
        return;
    }
    size_t len = strlen(s);
    const char *comma = strchr(s, ',');
    if (s[len - 1] != ']' || comma == NULL || strchr(comma + 1, ','))
        vf_fail2(ctx, "\"%.60s%s\" is not an interval \"[lo, hi]\"", s, len > 60 ? "..." : "");
    mpq_t lo, hi;
    mpq_inits(lo, hi, NULL);
    int st = interval_end(s + 1, (size_t)(comma - s) - 1, lo);
    if (st != 0)
        vf_fail2(ctx, "\"%.60s%s\": the lower end is not an exact decimal or rational", s,
                 len > 60 ? "..." : "");
    st = interval_end(comma + 1, len - (size_t)(comma - s) - 2, hi);
    if (st != 0)
        vf_fail2(ctx, "\"%.60s%s\": the upper end is not an exact decimal or rational", s,
                 len > 60 ? "..." : "");
    if (mpq_cmp(lo, hi) > 0)
        vf_fail2(ctx, "\"%.60s%s\": the lower end is above the upper end", s,
                 len > 60 ? "..." : "");
    mpq_add(q, lo, hi);
    mpq_div_2exp(q, q, 1);
    mpq_sub(hi, hi, lo);
    mpq_div_2exp(hi, hi, 1);
    mpq_add(r, r, hi);
    mpq_clears(lo, hi, NULL);
}

/* rad != NULL: entries may be intervals (problem files), half widths added to rad. */
static mpq_t *qvec_r(json_t *v, const char *ctx, long len, int decimal, mpq_t *rad)
{
    char sub[256];
    jarr(v, ctx, len);
    mpq_t *q = vf_malloc(sizeof(mpq_t) * (size_t)(len > 0 ? len : 1));
    for (long i = 0; i < len; i++) {
        mpq_init(q[i]);
        snprintf(sub, sizeof sub, "%s[%ld]", ctx, i);
        jentry_in(json_array_get(v, (size_t)i), sub, q[i], rad ? rad[i] : NULL, decimal);
    }
    return q;
}

static mpq_t *qvec(json_t *v, const char *ctx, long len, int decimal)
{
    return qvec_r(v, ctx, len, decimal, NULL);
}

static mpq_t *qmat_r(json_t *v, const char *ctx, long rows, long cols, int decimal,
                     mpq_t *rad)
{
    char sub[256];
    jarr(v, ctx, rows);
    mpq_t *q = vf_malloc(sizeof(mpq_t) * (size_t)(rows * cols > 0 ? rows * cols : 1));
    for (long i = 0; i < rows; i++) {
        snprintf(sub, sizeof sub, "%s[%ld]", ctx, i);
        json_t *row = jarr(json_array_get(v, (size_t)i), sub, cols);
        for (long j = 0; j < cols; j++) {
            char sub2[300];
            mpq_init(q[i * cols + j]);
            snprintf(sub2, sizeof sub2, "%s[%ld][%ld]", ctx, i, j);
            jentry_in(json_array_get(row, (size_t)j), sub2, q[i * cols + j],
                      rad ? rad[i * cols + j] : NULL, decimal);
        }
    }
    return q;
}

static mpq_t *qmat(json_t *v, const char *ctx, long rows, long cols, int decimal)
{
    return qmat_r(v, ctx, rows, cols, decimal, NULL);
}

/* ---------- sections ---------- */

/* q of the cross-entropy loss must be a distribution as the problem loader
 * requires (README "Problem files"): every q_i >= 0 and |sum q - 1| <= 1e-12. */
static void check_distribution(const vf_cert *c, const char *pre)
{
    char f[64];
    mpq_t sum, tol;
    mpq_inits(sum, tol, NULL);
    for (int i = 0; i < c->d; i++) {
        snprintf(f, sizeof f, "%sq[%d]", pre, i);
        if (mpq_sgn(c->q[i]) < 0)
            vf_fail2(f, "is negative; a distribution's entries are >= 0");
        mpq_add(sum, sum, c->q[i]);
    }
    mpq_set_ui(tol, 1, 1);
    mpq_sub(sum, sum, tol);
    mpq_abs(sum, sum);
    mpq_set_str(tol, "1/1000000000000", 10);
    if (mpq_cmp(sum, tol) > 0) {
        snprintf(f, sizeof f, "%sq", pre);
        vf_fail2(f, "entries do not sum to 1 (within 10^-12)");
    }
    mpq_clears(sum, tol, NULL);
}

/* Adds the radius r >= 0 (a string: ctx names it) to rad[0..len). */
static void add_radius(mpq_t *rad, long len, json_t *v, const char *ctx, int decimal)
{
    mpq_t r;
    mpq_init(r);
    jrational_in(v, ctx, r, decimal);
    if (mpq_sgn(r) < 0)
        vf_fail2(ctx, "negative");
    for (long k = 0; k < len; k++)
        mpq_add(rad[k], rad[k], r);
    mpq_clear(r);
}

/* One member of a radius object: a string for every entry of the field, or an
 * array of the field's shape (rows = 0: a vector of cols). */
static void load_field_radius(mpq_t *rad, json_t *v, const char *ctx, long rows, long cols,
                              int decimal)
{
    if (!json_is_array(v)) {
        add_radius(rad, rows > 0 ? rows * cols : cols, v, ctx, decimal);
        return;
    }
    char sub[300];
    jarr(v, ctx, rows > 0 ? rows : cols);
    for (long i = 0; i < (rows > 0 ? rows : 1); i++) {
        json_t *row = v;
        if (rows > 0) {
            snprintf(sub, sizeof sub, "%s[%ld]", ctx, i);
            row = jarr(json_array_get(v, (size_t)i), sub, cols);
        }
        for (long j = 0; j < cols; j++) {
            if (rows > 0)
                snprintf(sub, sizeof sub, "%s[%ld][%ld]", ctx, i, j);
            else
                snprintf(sub, sizeof sub, "%s[%ld]", ctx, j);
            add_radius(rad + i * cols + j, 1, json_array_get(row, (size_t)j), sub, decimal);
        }
    }
}

/* "radius": a string (every entry of V(0) and a(0)) or an object {"V": .., "a": ..}
 * whose members are a string (every entry of that field) or an array of its shape. */
static void load_radius(vf_cert *c, json_t *r, const char *ctx, int decimal)
{
    long dn = (long)c->d * c->n;
    char sub[160];
    if (!json_is_object(r)) {
        add_radius(c->rad, dn + c->n, r, ctx, decimal);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(r, key, v) {
        if (strcmp(key, "V") != 0 && strcmp(key, "a") != 0) {
            snprintf(sub, sizeof sub, "%s.%.40s", ctx, key);
            vf_fail2(sub, "unknown member (a radius object has members V and a)");
        }
    }
    v = json_object_get(r, "V");
    if (v) {
        snprintf(sub, sizeof sub, "%s.V", ctx);
        load_field_radius(c->rad, v, sub, c->d, c->n, decimal);
    }
    if ((v = json_object_get(r, "a"))) {
        snprintf(sub, sizeof sub, "%s.a", ctx);
        load_field_radius(c->rad + dn, v, sub, 0, c->n, decimal);
    }
}

/* The problem: a certificate's section (pre = "problem.", rationals in
 * lowest terms) or a problem file (pre = "", decimal = 1, as lib/ reads it). */
static void load_problem_in(vf_cert *c, json_t *p, const char *pre, int decimal)
{
    static const char *const keys[] = { "name", "loss", "d", "n", "V", "a", "beta", "q",
                                        "X", "b", "radius", "format", "T", "note", NULL };
    char f[64], g[64];
#define F(name) (snprintf(f, sizeof f, "%s%s", pre, name), f)
    snprintf(g, sizeof g, "%.*s", pre[0] ? (int)strlen(pre) - 1 : 3, pre[0] ? pre : "top");
    only_keys(p, g, keys);
    c->name = vf_strdup(jstr(get(p, "name", g), F("name")));
    const char *loss = jstr(get(p, "loss", g), F("loss"));
    int l;
    for (l = 0; l < 5 && strcmp(loss, vf_loss_name(l)) != 0; l++)
        ;
    if (l == 5)
        vf_fail2(F("loss"), "unknown loss \"%.40s\"", loss);
    c->loss = l;
    c->d = (int)jint(get(p, "d", g), F("d"), 1, 4096);
    c->n = (int)jint(get(p, "n", g), F("n"), 1, 4096);
    if ((long)c->d * c->n > 1L << 20)
        vf_fail2(g, "d*n = %ld too large", (long)c->d * c->n);
    long dn = (long)c->d * c->n;
    c->rad = vf_malloc(sizeof(mpq_t) * (size_t)(dn + c->n));
    for (long k = 0; k < dn + c->n; k++)
        mpq_init(c->rad[k]);
    c->V = qmat_r(get(p, "V", g), F("V"), c->d, c->n, decimal, c->rad);
    c->a = qvec_r(get(p, "a", g), F("a"), c->n, decimal, c->rad + dn);
    if (c->loss <= VF_SQUARE)
        c->beta = qvec(get(p, "beta", g), F("beta"), c->d, decimal);
    if (c->loss == VF_CROSSENT) {
        c->q = qvec(get(p, "q", g), F("q"), c->d, decimal);
        check_distribution(c, pre);
    }
    if (c->loss == VF_QUADRATIC) {
        json_t *X = jarr(get(p, "X", g), F("X"), -1);
        long m = (long)json_array_size(X);
        if (m < 1 || m * c->d > 1L << 20)
            vf_fail2(F("X"), "bad number of rows %ld", m);
        c->m = (int)m;
        c->X = qmat(X, F("X"), m, c->d, decimal);
        c->b = qvec(get(p, "b", g), F("b"), m, decimal);
    }
    json_t *r = json_object_get(p, "radius");
    if (r)
        load_radius(c, r, F("radius"), decimal);
#undef F
}

static void load_problem(vf_cert *c, json_t *p)
{
    load_problem_in(c, p, "problem.", 0);
}

static void load_method(vf_cert *c, json_t *m)
{
    static const char *const keys[] = { "system", "prec", "order", "jac_prec",
                                        "sign_depth", "end_depth", NULL };
    only_keys(m, "method", keys);
    const char *s = jstr(get(m, "system", "method"), "method.system");
    int k;
    for (k = 0; k < 3 && strcmp(s, vf_sys_name(k)) != 0; k++)
        ;
    if (k == 3)
        vf_fail2("method.system", "unknown system \"%.40s\"", s);
    c->sys = k;
    c->prec = jint(get(m, "prec", "method"), "method.prec", 32, 1L << 16);
    c->order = jint(get(m, "order", "method"), "method.order", 2, 400);
    c->jac_prec = jint(get(m, "jac_prec", "method"), "method.jac_prec", 32, 1L << 16);
    c->sign_depth = jint(get(m, "sign_depth", "method"), "method.sign_depth", 0, 60);
    vf_limits_check_method(c);          /* (sign_depth against --max-depth first) */
    json_t *ed = json_object_get(m, "end_depth");    /* optional: a hint */
    c->end_depth = ed ? jint(ed, "method.end_depth", 0, 60) : c->sign_depth;
    if (c->end_depth < c->sign_depth)   /* (a hint below sign_depth adds nothing) */
        c->end_depth = c->sign_depth;
    long n = c->n, dn = (long)c->d * c->n;
    c->dim = (int)(c->sys == VF_FULL ? dn + n : c->sys == VF_REDUCED ? 2 * n : 2 * n + 1);
}

/* A ball ["mid", "rad"] of dyadics, rounded outward: the checker then uses the rounded
 * box consistently (it proves the inclusion for that box). */
static void load_ball(json_t *v, const char *ctx, mpfi_t x)
{
    mpq_t mid, rad;
    mpq_inits(mid, rad, NULL);
    json_t *ball = jarr(v, ctx, 2);
    jdyadic(json_array_get(ball, 0), ctx, mid);
    jdyadic(json_array_get(ball, 1), ctx, rad);
    if (mpq_sgn(rad) < 0)
        vf_fail2(ctx, "negative radius");
    mpq_sub(rad, mid, rad);         /* lo */
    mpq_mul_2exp(mid, mid, 1);
    mpq_sub(mid, mid, rad);         /* hi = 2 mid - lo */
    mpfi_interv_q(x, rad, mid);
    mpq_clears(mid, rad, NULL);
}

static void load_step(vf_cert *c, json_t *s, size_t i)
{
    static const char *const keys[] = { "t0", "h", "ref", "jac_order", "apriori", NULL };
    char ctx[128], sub[160];
    vf_step *st = &c->steps[i];
    snprintf(ctx, sizeof ctx, "steps[%zu]", i);
    only_keys(s, ctx, keys);
    mpq_inits(st->t0, st->h, NULL);
    snprintf(sub, sizeof sub, "%s.t0", ctx);
    jdyadic(get(s, "t0", ctx), sub, st->t0);
    snprintf(sub, sizeof sub, "%s.h", ctx);
    jdyadic(get(s, "h", ctx), sub, st->h);
    snprintf(sub, sizeof sub, "%s.ref", ctx);
    st->ref = (int)jint(get(s, "ref", ctx), sub, 0, c->n - 1);
    snprintf(sub, sizeof sub, "%s.jac_order", ctx);
    st->jac = (int)jint(get(s, "jac_order", ctx), sub, 1, c->order);
    snprintf(sub, sizeof sub, "%s.apriori", ctx);
    json_t *E = jarr(get(s, "apriori", ctx), sub, c->dim);
    st->E = vf_malloc(sizeof(mpfi_t) * (size_t)c->dim);
    for (int k = 0; k < c->dim; k++) {
        char b[200];
        snprintf(b, sizeof b, "%s.apriori[%d]", ctx, k);
        mpfi_init2(st->E[k], c->prec);
        load_ball(json_array_get(E, (size_t)k), b, st->E[k]);
    }
}

static void load_lemma(vf_cert *c, json_t *l, size_t i)
{
    static const char *const keys[] = { "name", "version", "token", "at", "enclosure", "mu",
                                        "e", "kappa", "theta", "m2", "sigma", "f", "gmin", "W",
                                        "wmin", "M", "mmin", "zeta", NULL };
    char ctx[64], sub[96];
    vf_lemma *lm = &c->lemmas[i];
    snprintf(ctx, sizeof ctx, "lemmas[%zu]", i);
    only_keys(l, ctx, keys);
    snprintf(sub, sizeof sub, "%s.name", ctx);
    snprintf(lm->name, sizeof lm->name, "%s", jstr(get(l, "name", ctx), sub));
    snprintf(sub, sizeof sub, "%s.version", ctx);
    lm->version = jint(get(l, "version", ctx), sub, -(1L << 30), 1L << 30);
    snprintf(sub, sizeof sub, "%s.at", ctx);
    snprintf(lm->at, sizeof lm->at, "%s", jstr(get(l, "at", ctx), sub));
    lm->token = -1;
    if (strcmp(lm->name, "margin-tail") == 0 || json_object_get(l, "token")) {
        snprintf(sub, sizeof sub, "%s.token", ctx);
        lm->token = (int)jint(get(l, "token", ctx), sub, 0, c->n - 1);
    }
    mpq_inits(lm->mu, lm->kappa, lm->theta, lm->m2, lm->sigma, lm->gmin, lm->wmin, lm->mmin,
              lm->zeta, NULL);
    lm->pl = strcmp(lm->name, "pl-tail") == 0 ? 1 : strcmp(lm->name, "pl-tail-quadratic") == 0 ? 2
             : strcmp(lm->name, "pl-tail-crossent") == 0 ? 3
             : strcmp(lm->name, "pl-tail-weighted") == 0 ? 4 : 0;
    if (lm->pl == 4) {                  /* hints mu, kappa, theta, m2, sigma, mmin, zeta; e; M */
        static const char *const hk[] = { "mu", "kappa", "theta", "m2", "sigma", "mmin", "zeta" };
        mpq_ptr hv[] = { lm->mu, lm->kappa, lm->theta, lm->m2, lm->sigma, lm->mmin, lm->zeta };
        for (int k = 0; k < 7; k++) {
            snprintf(sub, sizeof sub, "%s.%s", ctx, hk[k]);
            jdyadic(get(l, hk[k], ctx), sub, hv[k]);
        }
        lm->elen = c->n;
        snprintf(sub, sizeof sub, "%s.e", ctx);
        json_t *e = jarr(get(l, "e", ctx), sub, lm->elen);
        lm->e = vf_malloc(sizeof(mpq_t) * (size_t)lm->elen);
        lm->M = vf_malloc(sizeof(mpq_t) * (size_t)c->n * (size_t)c->n);
        snprintf(sub, sizeof sub, "%s.M", ctx);
        json_t *Mj = jarr(get(l, "M", ctx), sub, c->n);
        for (int k = 0; k < c->n; k++) {
            char b[160];
            snprintf(b, sizeof b, "%s.e[%d]", ctx, k);
            mpq_init(lm->e[k]);
            jdyadic(json_array_get(e, (size_t)k), b, lm->e[k]);
            snprintf(b, sizeof b, "%s.M[%d]", ctx, k);
            json_t *row = jarr(json_array_get(Mj, (size_t)k), b, c->n);
            for (int j = 0; j < c->n; j++) {
                snprintf(b, sizeof b, "%s.M[%d][%d]", ctx, k, j);
                mpq_init(lm->M[k * c->n + j]);
                jdyadic(json_array_get(row, (size_t)j), b, lm->M[k * c->n + j]);
            }
        }
    } else if (lm->pl == 3) {                  /* hints mu, wmin, kappa, m2, sigma; f; W */
        static const char *const hk[] = { "mu", "wmin", "kappa", "m2", "sigma" };
        mpq_ptr hv[] = { lm->mu, lm->wmin, lm->kappa, lm->m2, lm->sigma };
        for (int k = 0; k < 5; k++) {
            snprintf(sub, sizeof sub, "%s.%s", ctx, hk[k]);
            jdyadic(get(l, hk[k], ctx), sub, hv[k]);
        }
        lm->elen = c->d;
        snprintf(sub, sizeof sub, "%s.f", ctx);
        json_t *e = jarr(get(l, "f", ctx), sub, lm->elen);
        lm->e = vf_malloc(sizeof(mpq_t) * (size_t)lm->elen);
        lm->W = vf_malloc(sizeof(mpq_t) * (size_t)c->d * (size_t)c->d);
        snprintf(sub, sizeof sub, "%s.W", ctx);
        json_t *Wj = jarr(get(l, "W", ctx), sub, c->d);
        for (int k = 0; k < c->d; k++) {
            char b[160];
            snprintf(b, sizeof b, "%s.f[%d]", ctx, k);
            mpq_init(lm->e[k]);
            jdyadic(json_array_get(e, (size_t)k), b, lm->e[k]);
            snprintf(b, sizeof b, "%s.W[%d]", ctx, k);
            json_t *row = jarr(json_array_get(Wj, (size_t)k), b, c->d);
            for (int j = 0; j < c->d; j++) {
                snprintf(b, sizeof b, "%s.W[%d][%d]", ctx, k, j);
                mpq_init(lm->W[k * c->d + j]);
                jdyadic(json_array_get(row, (size_t)j), b, lm->W[k * c->d + j]);
            }
        }
    } else if (lm->pl) {                       /* the box is the full state's; exact hints */
        static const char *const hk1[] = { "mu", "kappa", "theta", "m2", "sigma" };
        static const char *const hk2[] = { "gmin", "kappa", "m2", "sigma" };
        mpq_ptr hv1[] = { lm->mu, lm->kappa, lm->theta, lm->m2, lm->sigma };
        mpq_ptr hv2[] = { lm->gmin, lm->kappa, lm->m2, lm->sigma };
        const int q = lm->pl == 2, nh = q ? 4 : 5;
        for (int k = 0; k < nh; k++) {
            const char *key = q ? hk2[k] : hk1[k];
            snprintf(sub, sizeof sub, "%s.%s", ctx, key);
            jdyadic(get(l, key, ctx), sub, q ? hv2[k] : hv1[k]);
        }
        const char *ek = q ? "f" : "e";
        lm->elen = q ? c->d : c->n;
        snprintf(sub, sizeof sub, "%s.%s", ctx, ek);
        json_t *e = jarr(get(l, ek, ctx), sub, lm->elen);
        lm->e = vf_malloc(sizeof(mpq_t) * (size_t)lm->elen);
        for (int k = 0; k < lm->elen; k++) {
            char b[160];
            snprintf(b, sizeof b, "%s[%d]", sub, k);
            mpq_init(lm->e[k]);
            jdyadic(json_array_get(e, (size_t)k), b, lm->e[k]);
        }
    }
    if (strcmp(lm->name, "square-tau-horizon") == 0 || lm->pl || json_object_get(l, "enclosure")) {
        snprintf(sub, sizeof sub, "%s.enclosure", ctx);
        lm->Ylen = lm->pl ? (long)c->d * c->n + c->n : 2L * c->n;
        json_t *Y = jarr(get(l, "enclosure", ctx), sub, lm->Ylen);
        lm->Y = vf_malloc(sizeof(mpfi_t) * (size_t)lm->Ylen);
        for (int k = 0; k < lm->Ylen; k++) {
            char b[160];
            snprintf(b, sizeof b, "%s[%d]", sub, k);
            mpfi_init2(lm->Y[k], c->prec);
            load_ball(json_array_get(Y, (size_t)k), b, lm->Y[k]);
        }
    }
}

static void load_claim_lemma(vf_cert *c, vf_claim *cl, json_t *v, const char *ctx)
{
    cl->has_lemma = 1;
    if (json_is_integer(v)) {
        cl->lemma = (int)jint(v, ctx, 0, (long)c->nlemmas - 1);
        return;
    }
    const char *s = jstr(v, ctx);      /* a lemma use named by its name */
    for (size_t k = 0; k < c->nlemmas; k++)
        if (strcmp(c->lemmas[k].name, s) == 0 && cl->lemma < 0)
            cl->lemma = (int)k;
    if (cl->lemma < 0)
        snprintf(cl->lemma_bad, sizeof cl->lemma_bad, "no lemma use named \"%.40s\"", s);
}

static void load_claim(vf_cert *c, json_t *o, size_t i)
{
    static const char *const keys[] = { "kind", "from", "to", "i", "j", "bound", "lemma",
                                        "open_from", "lo", "hi", NULL };
    static const char *const kinds[] = { "entropy_decreasing", "entropy_increasing",
                                         "logit_gap_decreasing", "entropy_above",
                                         "logit_gap_increasing", "logit_above",
                                         "entropy_below", "entropy_limit", "pair_ordered",
                                         "loss_below", "loss_above" };
    char ctx[64], sub[96];
    vf_claim *cl = &c->claims[i];
    snprintf(ctx, sizeof ctx, "claims[%zu]", i);
    only_keys(o, ctx, keys);
    mpq_inits(cl->from, cl->to, cl->bound, cl->lo, cl->hi, NULL);
    cl->lemma = -1;
    snprintf(sub, sizeof sub, "%s.kind", ctx);
    const char *k = jstr(get(o, "kind", ctx), sub);
    snprintf(cl->kindname, sizeof cl->kindname, "%s", k);
    cl->kind = VF_UNKNOWN;
    for (int t = 0; t < (int)(sizeof kinds / sizeof kinds[0]); t++)
        if (strcmp(k, kinds[t]) == 0)
            cl->kind = t;
    if (cl->kind == VF_UNKNOWN)
        return;                     /* rejected (exit 1) as unsupported later */
    if (cl->kind == VF_LIMIT) {     /* no time interval: lim H in [lo, hi] */
        snprintf(sub, sizeof sub, "%s.lo", ctx);
        jdyadic(get(o, "lo", ctx), sub, cl->lo);
        snprintf(sub, sizeof sub, "%s.hi", ctx);
        jdyadic(get(o, "hi", ctx), sub, cl->hi);
        json_t *lm = json_object_get(o, "lemma");
        if (lm && !json_is_null(lm)) {
            snprintf(sub, sizeof sub, "%s.lemma", ctx);
            load_claim_lemma(c, cl, lm, sub);
        }
        return;
    }
    snprintf(sub, sizeof sub, "%s.from", ctx);
    jdyadic(get(o, "from", ctx), sub, cl->from);
    snprintf(sub, sizeof sub, "%s.to", ctx);
    json_t *to = get(o, "to", ctx);
    if (json_is_string(to) && strcmp(json_string_value(to), "inf") == 0)
        cl->to_inf = 1;
    else
        jdyadic(to, sub, cl->to);
    if (cl->kind == VF_GAP || cl->kind == VF_GAPINC || cl->kind == VF_LABOVE ||
        cl->kind == VF_PAIR) {
        snprintf(sub, sizeof sub, "%s.i", ctx);
        cl->i = (int)jint(get(o, "i", ctx), sub, 0, c->n - 1);
        snprintf(sub, sizeof sub, "%s.j", ctx);
        cl->j = (int)jint(get(o, "j", ctx), sub, 0, c->n - 1);
    }
    json_t *of = json_object_get(o, "open_from");
    if (of != NULL) {
        snprintf(sub, sizeof sub, "%s.open_from", ctx);
        if (!json_is_boolean(of))
            vf_fail2(sub, "not true or false");
        cl->open_from = json_is_true(of);
    }
    if (cl->kind == VF_ABOVE || cl->kind == VF_BELOW || cl->kind == VF_LOSSBELOW ||
        cl->kind == VF_LOSSABOVE) {
        snprintf(sub, sizeof sub, "%s.bound", ctx);
        json_t *b = get(o, "bound", ctx);
        if (vf_parse_dyadic(jstr(b, sub), cl->bound) && vf_parse_rational(jstr(b, sub), cl->bound))
            vf_fail2(sub, "\"%.60s\" is not a dyadic", json_string_value(b));
    }
    json_t *lm = json_object_get(o, "lemma");
    if (lm && !json_is_null(lm)) {
        snprintf(sub, sizeof sub, "%s.lemma", ctx);
        load_claim_lemma(c, cl, lm, sub);
    }
}

static void hash(vf_cert *c)
{
    json_t *copy = json_deep_copy(c->root);
    json_object_del(copy, "sha256");
    char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        vf_fail2("sha256", "cannot serialise the certificate");
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(text), (const uint8_t *)text);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(c->sha_computed + 2 * i, "%02x", dig[i]);
    free(text);
    json_decref(copy);
}

/* Reads at most max bytes through jansson's callback. */
typedef struct {
    FILE *f;
    size_t total, max;
    int too_big;
} vf_reader;

static size_t bounded_read(void *buf, size_t len, void *data)
{
    vf_reader *r = data;
    size_t k = fread(buf, 1, len, r->f);
    r->total += k;
    if (r->total > r->max) {
        r->too_big = 1;
        return (size_t)-1;
    }
    return k;
}

/* The JSON text of a file, refused at its size before it is parsed (the
 * tree takes about 20 times the text); what is read is named for messages. */
static json_t *load_json(const char *path, size_t max, const char *what)
{
    json_error_t err;
    struct stat sb;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        vf_fail2("(file)", "cannot open: %s", strerror(errno));
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode))
        vf_fail2("(file)", "is a directory, not %s", what);
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max)
        vf_fail2("(file)", "%jd bytes is larger than the limit of %zu MiB for %s",
                 (intmax_t)sb.st_size, max >> 20, what);
    vf_reader r = { f, 0, max, 0 };
    json_t *root = json_load_callback(bounded_read, &r, JSON_REJECT_DUPLICATES, &err);
    int failed = ferror(f), e = errno;
    fclose(f);
    if (r.too_big)
        vf_fail2("(file)", "larger than the limit of %zu MiB for %s", max >> 20, what);
    if (!root && failed)
        vf_fail2("(file)", "cannot read: %s", strerror(e));
    if (!root)
        vf_fail2("(json)", "line %d: %s", err.line, err.text);
    return root;
}

void vf_cert_load(vf_cert *c, const char *path)
{
    vf_file = path;
    vf_cert_read(c, load_json(path, VF_MAX_CERT_BYTES, "a certificate"));
}

void vf_cert_read(vf_cert *c, json_t *root)
{
    static const char *const keys[] = { "format", "tool", "problem", "method", "horizon",
                                        "steps", "lemmas", "claims", "hypotheses", "theorem",
                                        "sha256", NULL };
    memset(c, 0, sizeof *c);
    c->root = root;
    json_t *r = c->root;
    only_keys(r, "(top)", keys);
    const char *fmt = jstr(get(r, "format", "(top)"), "format");
    if (strcmp(fmt, "polarcert-cert/1") != 0)
        vf_fail2("format", "\"%.40s\" is not polarcert-cert/1", fmt);
    const char *sha = jstr(get(r, "sha256", "(top)"), "sha256");
    if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
        vf_fail2("sha256", "not 64 lowercase hex digits");
    memcpy(c->sha_given, sha, 65);
    if (!json_is_object(get(r, "tool", "(top)")))
        vf_fail2("tool", "not an object");
    load_problem(c, get(r, "problem", "(top)"));
    load_method(c, get(r, "method", "(top)"));
    mpq_init(c->horizon);
    jdyadic(get(r, "horizon", "(top)"), "horizon", c->horizon);

    json_t *steps = jarr(get(r, "steps", "(top)"), "steps", -1);
    c->nsteps = json_array_size(steps);
    if (c->nsteps > 10000000 || (double)c->nsteps * c->dim > 2e8)
        vf_fail2("steps", "too many steps (%zu)", c->nsteps);
    vf_limits_check_steps(c);
    c->steps = vf_calloc(c->nsteps + 1, sizeof(vf_step));
    for (size_t i = 0; i < c->nsteps; i++)
        load_step(c, json_array_get(steps, i), i);

    json_t *lem = jarr(get(r, "lemmas", "(top)"), "lemmas", -1);
    c->nlemmas = json_array_size(lem);
    c->lemmas = vf_calloc(c->nlemmas + 1, sizeof(vf_lemma));
    for (size_t i = 0; i < c->nlemmas; i++)
        load_lemma(c, json_array_get(lem, i), i);

    json_t *cls = jarr(get(r, "claims", "(top)"), "claims", -1);
    c->nclaims = json_array_size(cls);
    if (c->nclaims == 0)
        vf_fail2("claims", "empty (at least one claim is required)");
    c->claims = vf_calloc(c->nclaims, sizeof(vf_claim));
    for (size_t i = 0; i < c->nclaims; i++)
        load_claim(c, json_array_get(cls, i), i);
    c->hypotheses = json_object_get(r, "hypotheses");
    c->theorem = json_object_get(r, "theorem");
    hash(c);
    vf_problem_data_sha256(c, c->data_sha);
}

void vf_problem_load_file(vf_cert *p, const char *path)
{
    const char *saved = vf_file;
    memset(p, 0, sizeof *p);
    vf_file = path;
    p->root = load_json(path, VF_MAX_PROBLEM_BYTES, "a problem file");
    const char *fmt = jstr(get(p->root, "format", "top"), "format");
    if (strcmp(fmt, "polarcert-problem/1") != 0)
        vf_fail2("format", "\"%.40s\" is not polarcert-problem/1", fmt);
    load_problem_in(p, p->root, "", 1);
    mpq_init(p->horizon);
    vf_problem_data_sha256(p, p->data_sha);
    vf_file = saved;
}

static void qvec_free(mpq_t *q, long len)
{
    for (long i = 0; q != NULL && i < len; i++)
        mpq_clear(q[i]);
    free(q);
}

static void ivec_free(mpfi_t *x, long len)
{
    for (long i = 0; x != NULL && i < len; i++)
        mpfi_clear(x[i]);
    free(x);
}

void vf_cert_free(vf_cert *c)
{
    qvec_free(c->V, (long)c->d * c->n);
    qvec_free(c->a, c->n);
    qvec_free(c->beta, c->beta ? c->d : 0);
    qvec_free(c->q, c->q ? c->d : 0);
    qvec_free(c->X, (long)c->m * c->d);
    qvec_free(c->b, c->m);
    qvec_free(c->rad, c->rad ? (long)c->d * c->n + c->n : 0);
    mpq_clears(c->horizon, (mpq_ptr)0);
    for (size_t i = 0; i < c->nsteps; i++) {
        mpq_clears(c->steps[i].t0, c->steps[i].h, (mpq_ptr)0);
        ivec_free(c->steps[i].E, c->dim);
    }
    free(c->steps);
    for (size_t i = 0; i < c->nlemmas; i++) {
        ivec_free(c->lemmas[i].Y, c->lemmas[i].Y ? c->lemmas[i].Ylen : 0);
        mpq_clears(c->lemmas[i].mu, c->lemmas[i].kappa, c->lemmas[i].theta, c->lemmas[i].m2,
                   c->lemmas[i].sigma, c->lemmas[i].gmin, c->lemmas[i].wmin, c->lemmas[i].mmin,
                   c->lemmas[i].zeta, (mpq_ptr)0);
        if (c->lemmas[i].M) {
            for (int k = 0; k < c->n * c->n; k++)
                mpq_clear(c->lemmas[i].M[k]);
            free(c->lemmas[i].M);
        }
        if (c->lemmas[i].W) {
            for (int k = 0; k < c->d * c->d; k++)
                mpq_clear(c->lemmas[i].W[k]);
            free(c->lemmas[i].W);
        }
        if (c->lemmas[i].e) {
            for (int k = 0; k < c->lemmas[i].elen; k++)
                mpq_clear(c->lemmas[i].e[k]);
            free(c->lemmas[i].e);
        }
    }
    free(c->lemmas);
    for (size_t i = 0; i < c->nclaims; i++)
        mpq_clears(c->claims[i].from, c->claims[i].to, c->claims[i].bound, c->claims[i].lo,
                   c->claims[i].hi, (mpq_ptr)0);
    free(c->claims);
    free(c->name);
    json_decref(c->root);
}

/* An entropy_decreasing claim to inf starting at most at the horizon: then
 * H(t) <= H(T) for every t >= T (entropy_below to inf). */
static int has_decrease_to_inf(const vf_cert *c)
{
    for (size_t k = 0; k < c->nclaims; k++)
        if (c->claims[k].kind == VF_DEC && c->claims[k].to_inf &&
            mpq_cmp(c->claims[k].from, c->horizon) <= 0)
            return 1;
    return 0;
}

/* Exact checks that need no numerics: the hash, time chaining, coverage of real-time
 * systems, and claim/lemma well-posedness. */
/* An open start (proofs/open-start.md) needs an entropy_decreasing claim from 0 on a
 * point problem with n >= 2 and a(0) exactly uniform (so that dH/dt(0) = 0 and
 * a_j - a_mean = sigma (alpha_j - alpha_mean) on the first step). */
static void check_open_start(const vf_cert *c, size_t i)
{
    const vf_claim *cl = &c->claims[i];
    if (cl->kind != VF_DEC)
        vf_reject("claim %zu (%s): open_from is only allowed for entropy_decreasing and "
                  "logit_above", i,
                  cl->kindname);
    if (mpq_sgn(cl->from) != 0)
        vf_reject("claim %zu (%s): open_from needs from = 0", i, cl->kindname);
    if (c->n < 2 || vf_box(c))
        vf_reject("claim %zu (%s): open_from needs a point problem with n >= 2 tokens", i,
                  cl->kindname);
    for (int j = 1; j < c->n; j++)
        if (!mpq_equal(c->a[j], c->a[0]))
            vf_reject("claim %zu (%s): open_from needs a(0) uniform, but a_%d != a_0", i,
                      cl->kindname, j);
}

/* pair_ordered open at 0 is decided on the exact data alone (THEOREMS.md, "Order
 * invariance"): a point problem of a margin loss with a_i(0) = a_j(0) and
 * u_i(0) > u_j(0); then u_i > u_j and a_i > a_j for every t > 0. */
static void check_open_pair(const vf_cert *c, size_t k)
{
    const vf_claim *cl = &c->claims[k];
    mpq_t ui, uj, t;
    mpq_inits(ui, uj, t, NULL);
    for (int r = 0; r < c->d; r++) {
        mpq_mul(t, c->V[(size_t)r * c->n + cl->i], c->beta[r]);
        mpq_add(ui, ui, t);
        mpq_mul(t, c->V[(size_t)r * c->n + cl->j], c->beta[r]);
        mpq_add(uj, uj, t);
    }
    int ok = mpq_sgn(cl->from) == 0 && !vf_box(c) &&
        mpq_equal(c->a[cl->i], c->a[cl->j]) && mpq_cmp(ui, uj) > 0;
    mpq_clears(ui, uj, t, NULL);
    if (!ok)
        vf_reject("claim %zu (%s): open_from needs from = 0, a point problem, a_%d(0) = a_%d(0) "
                  "and u_%d(0) > u_%d(0) exactly", k, cl->kindname, cl->i, cl->j, cl->i, cl->j);
}

void vf_cert_check_times(const vf_cert *c)
{
    char b1[64];
    if (strcmp(c->sha_given, c->sha_computed) != 0)
        vf_reject("sha256 mismatch (file says %.12s..., content hashes to %.12s...)",
                  c->sha_given, c->sha_computed);
    if (mpq_sgn(c->horizon) <= 0)
        vf_reject("horizon is not positive");
    if (c->nsteps == 0)
        vf_reject("steps: no steps");
    mpq_t t;
    mpq_init(t);
    for (size_t i = 0; i < c->nsteps; i++) {
        if (!mpq_equal(c->steps[i].t0, t)) {
            vf_fmt_q(b1, sizeof b1, c->steps[i].t0, 17, MPFR_RNDN);
            vf_reject("steps: t0 of step %zu (%s) does not chain", i, b1);
        }
        if (mpq_sgn(c->steps[i].h) <= 0)
            vf_reject("steps: h of step %zu is not positive", i);
        mpq_add(t, t, c->steps[i].h);
    }
    if (c->sys != VF_TAU && !mpq_equal(t, c->horizon)) {
        vf_fmt_q(b1, sizeof b1, t, 17, MPFR_RNDN);
        vf_reject("steps: the last step ends at t = %s, not at the horizon", b1);
    }
    mpq_clear(t);
    for (size_t i = 0; i < c->nlemmas; i++) {
        const vf_lemma *l = &c->lemmas[i];
        int mt = strcmp(l->name, "margin-tail") == 0, sq = strcmp(l->name, "square-tau-horizon") == 0;
        if (!(mt || sq || l->pl) || l->version != 1)
            vf_reject("lemma %zu: unknown lemma %.40s/%ld", i, l->name, l->version);
        if (strcmp(l->at, "end") != 0)
            vf_reject("lemma %zu: \"at\" must be \"end\"", i);
    }
    for (size_t i = 0; i < c->nclaims; i++) {
        const vf_claim *cl = &c->claims[i];
        if (cl->kind == VF_UNKNOWN)
            vf_reject("claim %zu: unknown kind \"%s\"", i, cl->kindname);
        if (mpq_sgn(cl->from) < 0)
            vf_reject("claim %zu (%s): from < 0", i, cl->kindname);
        if (!cl->to_inf && mpq_cmp(cl->from, cl->to) > 0)
            vf_reject("claim %zu (%s): from > to", i, cl->kindname);
        if (!cl->to_inf && mpq_cmp(cl->to, c->horizon) > 0)
            vf_reject("claim %zu (%s): to is beyond the horizon", i, cl->kindname);
        int pl = cl->lemma >= 0 && c->lemmas[cl->lemma].pl;
        if (cl->to_inf && (cl->kind == VF_GAP || (cl->kind == VF_INC && !pl)))
            vf_reject("claim %zu (%s): to = inf is not allowed for this kind (entropy_increasing: "
                      "only with pl-tail)", i, cl->kindname);
        if (cl->to_inf && cl->kind == VF_ABOVE && cl->lemma >= 0 && !pl &&
            strcmp(c->lemmas[cl->lemma].name, "square-tau-horizon") != 0)
            vf_reject("claim %zu (%s): to = inf needs the lemma square-tau-horizon or a "
                      "pl-tail lemma",
                      i, cl->kindname);
        if (cl->kind == VF_LIMIT && !pl)
            vf_reject("claim %zu (%s): needs a pl-tail lemma (pl-tail, "
                      "pl-tail-quadratic, pl-tail-crossent, pl-tail-weighted)", i,
                      cl->kindname);
        /* the gap a_i - a_j of the margin-tail token i grows and stays positive in the
         * lemma's invariant region (proofs/margin-tail.md, corollary) */
        if (cl->to_inf && (cl->kind == VF_GAPINC || cl->kind == VF_LABOVE) &&
            cl->lemma >= 0 && !(strcmp(c->lemmas[cl->lemma].name, "margin-tail") == 0 &&
                                c->lemmas[cl->lemma].token == cl->i))
            vf_reject("claim %zu (%s): to = inf needs the lemma margin-tail for token i = %d",
                      i, cl->kindname, cl->i);
        if (cl->to_inf && cl->kind == VF_BELOW && !has_decrease_to_inf(c))
            vf_reject("claim %zu (%s): to = inf needs an entropy_decreasing claim to inf "
                      "from at most the horizon", i, cl->kindname);
        /* pair_ordered: u = V^T beta of a margin loss (order invariance, THEOREMS.md) */
        if (cl->kind == VF_PAIR && c->loss != VF_LOGISTIC && c->loss != VF_EXPONENTIAL)
            vf_reject("claim %zu (%s): only for the logistic and exponential losses", i,
                      cl->kindname);
        if (cl->to_inf && cl->kind == VF_LOSSABOVE)
            vf_reject("claim %zu (%s): to = inf is not allowed for this kind", i, cl->kindname);
        /* to = inf without a lemma: entropy_below (from a decrease to inf), loss_below (the
         * loss never increases) and pair_ordered (the order is forward invariant) */
        if (cl->to_inf && cl->kind != VF_BELOW && cl->kind != VF_LOSSBELOW &&
            cl->kind != VF_PAIR && !cl->has_lemma)
            vf_reject("claim %zu (%s): to = inf needs a lemma", i, cl->kindname);
        if ((cl->kind == VF_LOSSBELOW || cl->kind == VF_PAIR) && cl->has_lemma)
            vf_reject("claim %zu (%s): takes no lemma", i, cl->kindname);
        if (cl->open_from && cl->kind == VF_PAIR)
            check_open_pair(c, i);
        /* open_from: logit_above here, entropy_decreasing in check_open_start */
        if (cl->open_from && cl->kind == VF_LABOVE && mpq_sgn(cl->from) != 0)
            vf_reject("claim %zu (%s): open_from only for logit_above from 0", i, cl->kindname);
        if (cl->open_from && cl->kind == VF_LABOVE &&
            (vf_box(c) || !mpq_equal(c->a[cl->i], c->a[cl->j])))
            vf_reject("claim %zu (%s): open_from needs a_%d(0) = a_%d(0) exactly at a point",
                      i, cl->kindname, cl->i, cl->j);
        if (cl->lemma_bad[0])
            vf_reject("claim %zu (%s): %s", i, cl->kindname, cl->lemma_bad);
        if ((cl->kind == VF_GAP || cl->kind == VF_GAPINC || cl->kind == VF_LABOVE ||
             cl->kind == VF_PAIR) && cl->i == cl->j)
            vf_reject("claim %zu (%s): i == j", i, cl->kindname);
        if (cl->open_from && cl->kind != VF_LABOVE && cl->kind != VF_PAIR)
            check_open_start(c, i);
    }
}
