/* Problem files (polarcert-problem/1) read with jansson into exact rationals.
 *
 * Every number travels from its decimal text straight to FLINT integers and
 * never through a double, so the problem that gets certified is exactly the
 * one written in the file. Anything doubtful is refused rather than guessed:
 * a typo must not silently turn into a different problem. */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "pc_problem.h"

#define PC_FORMAT "polarcert-problem/1"
#define PC_STR_(x) #x
#define PC_STR(x) PC_STR_(x)   /* a limit macro as text */

static const char *const loss_names[PC_LOSS_COUNT] = {
    "logistic", "exponential", "square", "cross_entropy", "quadratic"
};

/* ---- life cycle ---------------------------------------------------------- */

void pc_problem_init(pc_problem_t p)
{
    p->name = NULL;
    p->note = NULL;
    p->loss = PC_LOSS_LOGISTIC;
    p->d = p->n = p->m = 0;
    p->V = p->a = p->beta = p->q = p->X = p->b = NULL;
    p->Vrad = p->arad = NULL;
    fmpq_init(p->T);
    fmpq_init(p->radius);
}

/* Lengths come from d, n, m, which the loader sets before allocating, so a
 * half-loaded problem is cleared correctly too. */
void pc_problem_clear(pc_problem_t p)
{
    free(p->name);
    free(p->note);
    if (p->V != NULL) _fmpq_vec_clear(p->V, p->d * p->n);
    if (p->a != NULL) _fmpq_vec_clear(p->a, p->n);
    if (p->beta != NULL) _fmpq_vec_clear(p->beta, p->d);
    if (p->q != NULL) _fmpq_vec_clear(p->q, p->d);
    if (p->X != NULL) _fmpq_vec_clear(p->X, p->m * p->d);
    if (p->b != NULL) _fmpq_vec_clear(p->b, p->m);
    if (p->Vrad != NULL) _fmpq_vec_clear(p->Vrad, p->d * p->n);
    if (p->arad != NULL) _fmpq_vec_clear(p->arad, p->n);
    fmpq_clear(p->T);
    fmpq_clear(p->radius);
}

static void problem_reset(pc_problem_t p)
{
    pc_problem_clear(p);
    pc_problem_init(p);
}

static int any_positive(const fmpq *v, slong len)
{
    for (slong k = 0; v != NULL && k < len; k++)
        if (fmpq_sgn(v + k) > 0)
            return 1;
    return 0;
}

int pc_problem_V_is_box(const pc_problem_t p)
{
    return fmpq_sgn(p->radius) > 0 || any_positive(p->Vrad, p->d * p->n);
}

int pc_problem_a_is_box(const pc_problem_t p)
{
    return fmpq_sgn(p->radius) > 0 || any_positive(p->arad, p->n);
}

int pc_problem_is_box(const pc_problem_t p)
{
    return pc_problem_V_is_box(p) || pc_problem_a_is_box(p);
}

void pc_problem_entry_radius(fmpq_t r, const pc_problem_t p, slong k)
{
    const slong dn = p->d * p->n;
    fmpq_set(r, p->radius);
    if (k < dn && p->Vrad != NULL)
        fmpq_add(r, r, p->Vrad + k);
    else if (k >= dn && p->arad != NULL)
        fmpq_add(r, r, p->arad + (k - dn));
}

int pc_problem_common_radius(fmpq_t r, const pc_problem_t p)
{
    const slong len = p->d * p->n + p->n;
    fmpq_t e;
    int same = 1;
    fmpq_init(e);
    pc_problem_entry_radius(r, p, 0);
    for (slong k = 1; k < len && same; k++) {
        pc_problem_entry_radius(e, p, k);
        same = fmpq_equal(e, r);
    }
    fmpq_clear(e);
    return same;
}

/* Returns NULL for a value outside the enum. */
const char *pc_loss_name(pc_loss_kind loss)
{
    if ((int) loss < 0 || (int) loss >= PC_LOSS_COUNT)
        return NULL;
    return loss_names[loss];
}

int pc_loss_from_name(pc_loss_kind *loss, const char *name)
{
    int k;
    if (name == NULL)
        return PC_ERR_INPUT;
    for (k = 0; k < PC_LOSS_COUNT; k++) {
        if (strcmp(name, loss_names[k]) == 0) {
            *loss = (pc_loss_kind) k;
            return PC_OK;
        }
    }
    return PC_ERR_INPUT;
}

/* ---- exact numbers --------------------------------------------------------
 * Grammar:  number   = [sign] (rational | decimal)
 *           rational = digits "/" digits
 *           decimal  = (digits ["." [digits]] | "." digits) [exp]
 *           exp      = ("e" | "E") [sign] digits
 * A leading "+" is accepted since its meaning is unambiguous. No spaces,
 * no hex, no NaN/Inf: text a human would have to interpret is refused. */

static int fail(const char **why, const char *reason)
{
    if (why != NULL)
        *why = reason;
    return PC_ERR_INPUT;
}

/* isdigit() depends on the locale; the file format must not. */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t count_digits(const char *s)
{
    size_t k = 0;
    while (is_digit(s[k]))
        k++;
    return k;
}

/* strlen that stops early, so a huge string costs nothing to refuse. */
static size_t bounded_len(const char *s, size_t max)
{
    size_t k = 0;
    while (k <= max && s[k] != '\0')
        k++;
    return k;
}

/* Digits s[0..len) as an integer. len >= 1 and the caller checked that they
 * are all digits, so fmpz_set_str cannot meet anything it would skip. */
static void set_digits(fmpz_t z, const char *s, size_t len)
{
    char buf[PC_PROBLEM_MAX_NUMBER_LEN + 1];
    memcpy(buf, s, len);
    buf[len] = '\0';
    fmpz_set_str(z, buf, 10);
}

static int parse_rational(fmpq_t x, const char *s, int neg, const char **why)
{
    size_t nk = count_digits(s), dk;
    const char *den = s + nk + 1;
    fmpz_t num, dd;

    if (nk == 0 || s[nk] != '/')
        return fail(why, "is not an exact decimal or rational");
    dk = count_digits(den);
    if (dk == 0 || den[dk] != '\0')
        return fail(why, "is not an exact decimal or rational");
    fmpz_init(num);
    fmpz_init(dd);
    set_digits(num, s, nk);
    set_digits(dd, den, dk);
    if (fmpz_is_zero(dd)) {
        fmpz_clear(num);
        fmpz_clear(dd);
        return fail(why, "has a zero denominator");
    }
    if (neg)
        fmpz_neg(num, num);
    fmpq_set_fmpz_frac(x, num, dd);   /* reduces "-4/6" to -2/3 */
    fmpz_clear(num);
    fmpz_clear(dd);
    return PC_OK;
}

/* Reads the exponent after "e". The value is capped while reading, so a
 * long run of digits cannot wrap around into a small, valid-looking one. */
static int parse_exponent(slong *e, const char **s, const char **why)
{
    const char *t = *s;
    int neg = 0;
    slong v = 0;
    size_t k;

    if (*t == '+' || *t == '-')
        neg = (*t++ == '-');
    k = count_digits(t);
    if (k == 0)
        return fail(why, "is not an exact decimal or rational");
    for (; is_digit(*t); t++)
        if (v <= PC_PROBLEM_MAX_EXPONENT)
            v = 10 * v + (*t - '0');
    if (v > PC_PROBLEM_MAX_EXPONENT)
        return fail(why, "has a decimal exponent beyond the limit of "
                    PC_STR(PC_PROBLEM_MAX_EXPONENT));
    *e = neg ? -v : v;
    *s = t;
    return PC_OK;
}

/* Mantissa digits (point removed) times 10^(exponent - fraction digits). */
static int parse_decimal(fmpq_t x, const char *s, int neg, const char **why)
{
    char mant[PC_PROBLEM_MAX_NUMBER_LEN + 1];
    size_t ik = count_digits(s), fk = 0;
    const char *t = s + ik, *frac = t;
    slong e = 0, shift;
    fmpz_t m, p10;

    if (*t == '.') {
        frac = t + 1;
        fk = count_digits(frac);
        t = frac + fk;
    }
    if (ik + fk == 0)
        return fail(why, "is not an exact decimal or rational");
    if (*t == 'e' || *t == 'E') {
        t++;
        if (parse_exponent(&e, &t, why) != PC_OK)
            return PC_ERR_INPUT;
    }
    if (*t != '\0')
        return fail(why, "is not an exact decimal or rational");

    memcpy(mant, s, ik);
    memcpy(mant + ik, frac, fk);
    fmpz_init(m);
    fmpz_init(p10);
    set_digits(m, mant, ik + fk);
    if (neg)
        fmpz_neg(m, m);
    shift = e - (slong) fk;
    fmpz_set_ui(p10, 10);
    fmpz_pow_ui(p10, p10, (ulong) (shift >= 0 ? shift : -shift));
    if (shift >= 0) {
        fmpz_mul(fmpq_numref(x), m, p10);
        fmpz_one(fmpq_denref(x));
    } else {
        fmpq_set_fmpz_frac(x, m, p10);
    }
    fmpz_clear(m);
    fmpz_clear(p10);
    return PC_OK;
}

int pc_parse_exact(fmpq_t x, const char *s, const char **why)
{
    size_t len;
    int neg = 0;

    if (s == NULL)
        return fail(why, "is missing");
    len = bounded_len(s, PC_PROBLEM_MAX_NUMBER_LEN);
    if (len == 0)
        return fail(why, "is empty");
    if (len > PC_PROBLEM_MAX_NUMBER_LEN)
        return fail(why, "is longer than "
                    PC_STR(PC_PROBLEM_MAX_NUMBER_LEN) " characters");
    if (*s == '+' || *s == '-')
        neg = (*s++ == '-');
    if (strchr(s, '/') != NULL)
        return parse_rational(x, s, neg, why);
    return parse_decimal(x, s, neg, why);
}

/* ---- messages ------------------------------------------------------------ */

typedef struct {
    const char *src;          /* names the input in every message */
    pc_error_struct *err;
} load_ctx;

/* "src: field: what", the one shape of every loader message. */
static int bad(const load_ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(const load_ctx *c, const char *field, const char *fmt, ...)
{
    char what[PC_ERROR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pc_error_set(c->err, PC_ERR_INPUT, "%s: %s: %s", c->src, field, what);
}

/* Quotes at most 40 bytes of untrusted text, control and non-ASCII bytes
 * replaced, so that a hostile string cannot flood or garble a message. */
static const char *excerpt(char *out, size_t size, const char *s)
{
    size_t k = 0, max = size - 4 < 40 ? size - 4 : 40;
    for (; s[k] != '\0' && k < max; k++) {
        unsigned char ch = (unsigned char) s[k];
        out[k] = (ch < 0x20 || ch >= 0x7f) ? '?' : (char) ch;
    }
    strcpy(out + k, s[k] != '\0' ? "..." : "");
    return out;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "a JSON integer";
    case JSON_REAL: return "a JSON real";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return "null";
    }
}

/* ---- fields -------------------------------------------------------------- */

static const char *const known_fields[] = {
    "format", "name", "loss", "d", "n", "V", "a", "beta", "q", "X", "b",
    "T", "radius", "note"
};

#define LOSS_BIT(k) (1u << (k))

/* The loss-specific fields and the losses that take them. */
static const struct {
    const char *field;
    unsigned losses;
} loss_fields[] = {
    {"beta", LOSS_BIT(PC_LOSS_LOGISTIC) | LOSS_BIT(PC_LOSS_EXPONENTIAL)
             | LOSS_BIT(PC_LOSS_SQUARE)},
    {"q", LOSS_BIT(PC_LOSS_CROSS_ENTROPY)},
    {"X", LOSS_BIT(PC_LOSS_QUADRATIC)},
    {"b", LOSS_BIT(PC_LOSS_QUADRATIC)}
};

#define COUNT(arr) (sizeof (arr) / sizeof (arr)[0])

static int check_known_fields(json_t *root, const load_ctx *c)
{
    const char *key;
    json_t *v;
    char ex[48];
    json_object_foreach(root, key, v) {
        size_t k = 0;
        while (k < COUNT(known_fields) && strcmp(key, known_fields[k]) != 0)
            k++;
        if (k == COUNT(known_fields))
            return bad(c, excerpt(ex, sizeof ex, key), "unknown field");
    }
    return PC_OK;
}

static int get_required(json_t **v, json_t *root, const char *key,
                        const load_ctx *c)
{
    *v = json_object_get(root, key);
    if (*v == NULL)
        return bad(c, key, "required field is missing");
    return PC_OK;
}

/* A malloc'ed copy, since the JSON tree is freed after loading. */
static int copy_string(char **out, const char *s, const load_ctx *c,
                       const char *field)
{
    size_t len = strlen(s);
    *out = malloc(len + 1);
    if (*out == NULL)
        return pc_error_set(c->err, PC_ERR_MEMORY, "%s: %s: out of memory",
                            c->src, field);
    memcpy(*out, s, len + 1);
    return PC_OK;
}

static int get_format(json_t *root, const load_ctx *c)
{
    json_t *v;
    char ex[48];
    if (get_required(&v, root, "format", c) != PC_OK)
        return PC_ERR_INPUT;
    if (!json_is_string(v))
        return bad(c, "format", "must be the string \"" PC_FORMAT "\", not %s",
                   type_name(v));
    if (strcmp(json_string_value(v), PC_FORMAT) != 0)
        return bad(c, "format", "\"%s\" is not \"" PC_FORMAT "\"",
                   excerpt(ex, sizeof ex, json_string_value(v)));
    return PC_OK;
}

static int get_strings(pc_problem_t p, json_t *root, const load_ctx *c)
{
    json_t *v;
    if (get_required(&v, root, "name", c) != PC_OK)
        return PC_ERR_INPUT;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return bad(c, "name", "must be a non-empty string");
    if (copy_string(&p->name, json_string_value(v), c, "name") != PC_OK)
        return PC_ERR_MEMORY;
    v = json_object_get(root, "note");
    if (v == NULL)
        return PC_OK;
    if (!json_is_string(v))
        return bad(c, "note", "must be a string, not %s", type_name(v));
    return copy_string(&p->note, json_string_value(v), c, "note");
}

/* The loss, and that exactly its own loss-specific fields are present. */
static int get_loss(pc_problem_t p, json_t *root, const load_ctx *c)
{
    json_t *v;
    size_t k;
    char ex[48];
    if (get_required(&v, root, "loss", c) != PC_OK)
        return PC_ERR_INPUT;
    if (!json_is_string(v))
        return bad(c, "loss", "must be a string, not %s", type_name(v));
    if (pc_loss_from_name(&p->loss, json_string_value(v)) != PC_OK)
        return bad(c, "loss", "\"%s\" is not one of logistic, exponential, "
                   "square, cross_entropy, quadratic",
                   excerpt(ex, sizeof ex, json_string_value(v)));
    for (k = 0; k < COUNT(loss_fields); k++) {
        int wanted = (loss_fields[k].losses & LOSS_BIT(p->loss)) != 0;
        int present = json_object_get(root, loss_fields[k].field) != NULL;
        if (present && !wanted)
            return bad(c, loss_fields[k].field, "not a field of a %s problem",
                       loss_names[p->loss]);
        if (!present && wanted)
            return bad(c, loss_fields[k].field, "required field is missing "
                       "(the %s loss needs it)", loss_names[p->loss]);
    }
    return PC_OK;
}

static int get_dim(slong *out, json_t *root, const char *key, const load_ctx *c)
{
    json_t *v;
    json_int_t k;
    if (get_required(&v, root, key, c) != PC_OK)
        return PC_ERR_INPUT;
    if (!json_is_integer(v))
        return bad(c, key, "must be a JSON integer, not %s", type_name(v));
    k = json_integer_value(v);
    if (k < 1 || k > PC_PROBLEM_MAX_DIM)
        return bad(c, key, "%" JSON_INTEGER_FORMAT " is out of range [1, %d]",
                   k, PC_PROBLEM_MAX_DIM);
    *out = (slong) k;
    return PC_OK;
}

static int get_dims(pc_problem_t p, json_t *root, const load_ctx *c)
{
    slong d, n;
    if (get_dim(&d, root, "d", c) != PC_OK || get_dim(&n, root, "n", c) != PC_OK)
        return PC_ERR_INPUT;
    if (d * n + n > PC_PROBLEM_MAX_STATE)
        return bad(c, "n", "state dimension d*n + n = %ld exceeds the limit %d",
                   (long) (d * n + n), PC_PROBLEM_MAX_STATE);
    p->d = d;
    p->n = n;
    return PC_OK;
}

/* One number: a JSON string holding an exact decimal or rational. JSON
 * numbers are refused because the parser has already rounded them. */
static int get_number(fmpq_t x, json_t *v, const load_ctx *c, const char *field)
{
    const char *why;
    char ex[48];
    if (json_is_number(v))
        return bad(c, field, "is a JSON number; numbers must be strings so "
                   "they are exact (e.g. \"0.1\", \"1/3\")");
    if (!json_is_string(v))
        return bad(c, field, "must be a string holding an exact number, not %s",
                   type_name(v));
    if (json_string_value(v)[0] == '[')
        return bad(c, field, "\"%s\": an interval [lo, hi] is allowed only for "
                   "entries of V and a", excerpt(ex, sizeof ex, json_string_value(v)));
    if (pc_parse_exact(x, json_string_value(v), &why) != PC_OK)
        return bad(c, field, "\"%s\" %s",
                   excerpt(ex, sizeof ex, json_string_value(v)), why);
    return PC_OK;
}

/* One end of "[lo, hi]": s[0..len) with blanks around it ignored. */
static int parse_end(fmpq_t x, const char *s, size_t len, const char **why)
{
    char buf[PC_PROBLEM_MAX_NUMBER_LEN + 1];
    while (len > 0 && *s == ' ')
        s++, len--;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (len == 0)
        return fail(why, "is empty");
    if (len > PC_PROBLEM_MAX_NUMBER_LEN)
        return fail(why, "is longer than " PC_STR(PC_PROBLEM_MAX_NUMBER_LEN) " characters");
    memcpy(buf, s, len);
    buf[len] = '\0';
    return pc_parse_exact(x, buf, why);
}

/* An interval "[lo, hi]" (exact numbers, lo <= hi) as its centre x and
 * radius r, both exact. */
static int get_interval(fmpq_t x, fmpq_t r, const char *s, const load_ctx *c,
                        const char *field)
{
    const size_t max = 2 * PC_PROBLEM_MAX_NUMBER_LEN + 8;
    size_t len = bounded_len(s, max);
    const char *comma = memchr(s, ',', len), *why;
    char ex[48], f[80];
    fmpq_t lo, hi;
    int st = PC_OK;
    if (len > max)
        return bad(c, field, "\"%s\" is longer than an interval of two numbers",
                   excerpt(ex, sizeof ex, s));
    if (s[len - 1] != ']' || comma == NULL || memchr(comma + 1, ',', len - (size_t) (comma - s) - 1))
        return bad(c, field, "\"%s\" is not an interval \"[lo, hi]\"",
                   excerpt(ex, sizeof ex, s));
    fmpq_init(lo);
    fmpq_init(hi);
    if (parse_end(lo, s + 1, (size_t) (comma - s) - 1, &why) != PC_OK) {
        snprintf(f, sizeof f, "%s (lower end)", field);
        st = bad(c, f, "\"%s\": the lower end %s", excerpt(ex, sizeof ex, s), why);
    } else if (parse_end(hi, comma + 1, len - (size_t) (comma - s) - 2, &why) != PC_OK) {
        snprintf(f, sizeof f, "%s (upper end)", field);
        st = bad(c, f, "\"%s\": the upper end %s", excerpt(ex, sizeof ex, s), why);
    } else if (fmpq_cmp(lo, hi) > 0) {
        st = bad(c, field, "\"%s\": the lower end is above the upper end",
                 excerpt(ex, sizeof ex, s));
    } else {
        fmpq_add(x, lo, hi);
        fmpq_div_2exp(x, x, 1);
        fmpq_sub(r, hi, lo);
        fmpq_div_2exp(r, r, 1);
    }
    fmpq_clear(lo);
    fmpq_clear(hi);
    return st;
}

/* An entry of V(0) or a(0): a number, or an interval "[lo, hi]" whose
 * radius goes to *r (rad != NULL). */
static int get_entry(fmpq_t x, fmpq *r, json_t *v, const load_ctx *c, const char *field)
{
    if (r != NULL && json_is_string(v) && json_string_value(v)[0] == '[')
        return get_interval(x, r, json_string_value(v), c, field);
    return get_number(x, v, c, field);
}

/* An array of exactly len numbers; dim names len in messages ("n", "d").
 * rad != NULL: entries may be intervals, their radii go to rad[0..len). */
static int get_vector(fmpq *out, fmpq *rad, json_t *arr, slong len, const char *dim,
                      const load_ctx *c, const char *field)
{
    char f[64];
    slong j;
    if (!json_is_array(arr))
        return bad(c, field, "must be an array of %ld number strings, not %s",
                   (long) len, type_name(arr));
    if ((slong) json_array_size(arr) != len)
        return bad(c, field, "has %zu entries, expected %s = %ld",
                   json_array_size(arr), dim, (long) len);
    for (j = 0; j < len; j++) {
        snprintf(f, sizeof f, "%s[%ld]", field, (long) j);
        if (get_entry(out + j, rad != NULL ? rad + j : NULL,
                      json_array_get(arr, (size_t) j), c, f) != PC_OK)
            return PC_ERR_INPUT;
    }
    return PC_OK;
}

/* rows x cols, row-major; every row must have exactly cols entries. */
static int get_matrix(fmpq *out, fmpq *rad, json_t *arr, slong rows, slong cols,
                      const char *rdim, const char *cdim,
                      const load_ctx *c, const char *field)
{
    char f[64];
    slong i;
    if (!json_is_array(arr))
        return bad(c, field, "must be an array of %ld rows, not %s",
                   (long) rows, type_name(arr));
    if ((slong) json_array_size(arr) != rows)
        return bad(c, field, "has %zu rows, expected %s = %ld",
                   json_array_size(arr), rdim, (long) rows);
    for (i = 0; i < rows; i++) {
        snprintf(f, sizeof f, "%s[%ld]", field, (long) i);
        if (get_vector(out + i * cols, rad != NULL ? rad + i * cols : NULL,
                       json_array_get(arr, (size_t) i), cols, cdim, c, f) != PC_OK)
            return PC_ERR_INPUT;
    }
    return PC_OK;
}

static int get_initial(pc_problem_t p, json_t *root, const load_ctx *c)
{
    json_t *V, *a;
    if (get_required(&V, root, "V", c) != PC_OK
        || get_required(&a, root, "a", c) != PC_OK)
        return PC_ERR_INPUT;
    p->V = _fmpq_vec_init(p->d * p->n);
    p->a = _fmpq_vec_init(p->n);
    p->Vrad = _fmpq_vec_init(p->d * p->n);    /* zero; normalize_box drops them */
    p->arad = _fmpq_vec_init(p->n);
    if (get_matrix(p->V, p->Vrad, V, p->d, p->n, "d", "n", c, "V") != PC_OK)
        return PC_ERR_INPUT;
    return get_vector(p->a, p->arad, a, p->n, "n", c, "a");
}

/* q must be a distribution: entries >= 0 summing to 1 within
 * PC_PROBLEM_Q_SUM_TOL. Decimal targets written from floats rarely sum to 1
 * exactly; the model uses the exact sum (ℓ = Σq·logsumexp(y) − qᵀy), so the
 * tolerance changes which files are accepted, never what is proven. */
static int q_sum_close_to_one(const fmpq_t s)
{
    fmpq_t e, tol;
    fmpq_init(e);
    fmpq_init(tol);
    fmpz_set_ui(fmpq_numref(tol), 1);
    fmpz_ui_pow_ui(fmpq_denref(tol), 10, PC_PROBLEM_Q_SUM_TOL_DIGITS);
    fmpq_sub_si(e, s, 1);
    fmpq_abs(e, e);
    int ok = fmpq_cmp(e, tol) <= 0;
    fmpq_clear(e);
    fmpq_clear(tol);
    return ok;
}

static int check_distribution(const pc_problem_t p, json_t *q,
                              const load_ctx *c)
{
    fmpq_t s;
    char f[64], ex[48];
    slong i;
    for (i = 0; i < p->d; i++) {
        if (fmpq_sgn(p->q + i) < 0) {
            snprintf(f, sizeof f, "q[%ld]", (long) i);
            return bad(c, f, "\"%s\" is negative; a distribution's entries "
                       "are >= 0", excerpt(ex, sizeof ex,
                       json_string_value(json_array_get(q, (size_t) i))));
        }
    }
    fmpq_init(s);
    for (i = 0; i < p->d; i++)
        fmpq_add(s, s, p->q + i);
    if (!q_sum_close_to_one(s)) {
        char *str = fmpq_get_str(NULL, 10, s);
        bad(c, "q", "entries sum to %s, not 1 (within 10^-%d)", excerpt(ex, sizeof ex, str),
            PC_PROBLEM_Q_SUM_TOL_DIGITS);
        flint_free(str);
        fmpq_clear(s);
        return PC_ERR_INPUT;
    }
    fmpq_clear(s);
    return PC_OK;
}

/* X is m x d: its row count m comes from the file, within the limits. */
static int get_quadratic(pc_problem_t p, json_t *root, const load_ctx *c)
{
    json_t *X = json_object_get(root, "X"), *b = json_object_get(root, "b");
    slong m;
    if (!json_is_array(X))
        return bad(c, "X", "must be an array of rows, not %s", type_name(X));
    m = (slong) json_array_size(X);
    if (m < 1 || m > PC_PROBLEM_MAX_DIM)
        return bad(c, "X", "has %ld rows, expected between 1 and %d",
                   (long) m, PC_PROBLEM_MAX_DIM);
    p->m = m;
    p->X = _fmpq_vec_init(m * p->d);
    p->b = _fmpq_vec_init(m);
    if (get_matrix(p->X, NULL, X, m, p->d, "m", "d", c, "X") != PC_OK)
        return PC_ERR_INPUT;
    return get_vector(p->b, NULL, b, m, "m", c, "b");
}

static int get_loss_data(pc_problem_t p, json_t *root, const load_ctx *c)
{
    switch (p->loss) {
    case PC_LOSS_CROSS_ENTROPY:
        p->q = _fmpq_vec_init(p->d);
        if (get_vector(p->q, NULL, json_object_get(root, "q"), p->d, "d", c, "q")
            != PC_OK)
            return PC_ERR_INPUT;
        return check_distribution(p, json_object_get(root, "q"), c);
    case PC_LOSS_QUADRATIC:
        return get_quadratic(p, root, c);
    default:
        p->beta = _fmpq_vec_init(p->d);
        return get_vector(p->beta, NULL, json_object_get(root, "beta"), p->d, "d",
                          c, "beta");
    }
}

static int get_field_radii(pc_problem_t p, json_t *obj, const load_ctx *c);

static int get_scalars(pc_problem_t p, json_t *root, const load_ctx *c)
{
    json_t *v;
    char ex[48];
    if (get_required(&v, root, "T", c) != PC_OK
        || get_number(p->T, v, c, "T") != PC_OK)
        return PC_ERR_INPUT;
    if (fmpq_sgn(p->T) <= 0)
        return bad(c, "T", "\"%s\": the time horizon must be > 0",
                   excerpt(ex, sizeof ex, json_string_value(v)));
    v = json_object_get(root, "radius");
    if (v == NULL)
        return PC_OK;               /* absent: a point, radius 0 */
    if (json_is_object(v))
        return get_field_radii(p, v, c);
    if (get_number(p->radius, v, c, "radius") != PC_OK)
        return PC_ERR_INPUT;
    if (fmpq_sgn(p->radius) < 0)
        return bad(c, "radius", "\"%s\": the radius must be >= 0",
                   excerpt(ex, sizeof ex, json_string_value(v)));
    return PC_OK;
}

/* Every entry of rad[0..len) >= 0; field names them in messages. */
static int check_nonnegative(const fmpq *rad, slong len, slong cols, const load_ctx *c,
                             const char *field)
{
    char f[64];
    for (slong k = 0; k < len; k++) {
        if (fmpq_sgn(rad + k) >= 0)
            continue;
        if (cols > 0)
            snprintf(f, sizeof f, "%s[%ld][%ld]", field, (long) (k / cols), (long) (k % cols));
        else
            snprintf(f, sizeof f, "%s[%ld]", field, (long) k);
        return bad(c, f, "a radius must be >= 0");
    }
    return PC_OK;
}

/* One member of the radius object: a number for every entry of the field,
 * or an array of the field's shape (one radius per entry); added to rad. */
static int get_field_radius(fmpq *rad, json_t *v, slong rows, slong cols,
                            const load_ctx *c, const char *field)
{
    const slong len = rows > 0 ? rows * cols : cols;
    fmpq *r = _fmpq_vec_init(len);
    int st;
    if (json_is_array(v))
        st = rows > 0 ? get_matrix(r, NULL, v, rows, cols, "d", "n", c, field)
                      : get_vector(r, NULL, v, cols, "n", c, field);
    else if ((st = get_number(r, v, c, field)) == PC_OK)
        for (slong k = 1; k < len; k++)
            fmpq_set(r + k, r);
    if (st == PC_OK)
        st = check_nonnegative(r, len, rows > 0 ? cols : 0, c, field);
    if (st == PC_OK)
        for (slong k = 0; k < len; k++)
            fmpq_add(rad + k, rad + k, r + k);
    _fmpq_vec_clear(r, len);
    return st;
}

/* "radius": {"V": ..., "a": ...}: a box on some fields only (a missing
 * member is radius 0). */
static int get_field_radii(pc_problem_t p, json_t *obj, const load_ctx *c)
{
    const char *key;
    json_t *v;
    char ex[48], f[64];
    json_object_foreach(obj, key, v) {
        int st;
        if (strcmp(key, "V") == 0)
            st = get_field_radius(p->Vrad, v, p->d, p->n, c, "radius.V");
        else if (strcmp(key, "a") == 0)
            st = get_field_radius(p->arad, v, 0, p->n, c, "radius.a");
        else {
            snprintf(f, sizeof f, "radius.%s", excerpt(ex, sizeof ex, key));
            return bad(c, f, "unknown member (a radius object has members V and a)");
        }
        if (st != PC_OK)
            return st;
    }
    return PC_OK;
}

/* The loader's one form of a box: one common radius alone if every entry
 * has it, else radius 0 and each entry's whole radius in Vrad, arad. */
static void normalize_box(pc_problem_t p)
{
    const slong dn = p->d * p->n;
    fmpq_t r;
    fmpq_init(r);
    if (pc_problem_common_radius(r, p)) {
        fmpq_set(p->radius, r);
        _fmpq_vec_clear(p->Vrad, dn);
        _fmpq_vec_clear(p->arad, p->n);
        p->Vrad = p->arad = NULL;
    } else {
        for (slong k = 0; k < dn; k++)
            fmpq_add(p->Vrad + k, p->Vrad + k, p->radius);
        for (slong j = 0; j < p->n; j++)
            fmpq_add(p->arad + j, p->arad + j, p->radius);
        fmpq_zero(p->radius);
    }
    fmpq_clear(r);
}

/* Format first, so that another format gets one clear message rather than
 * a list of unknown fields; then the cheap checks before any allocation. */
static int from_json(pc_problem_t p, json_t *root, const load_ctx *c)
{
    int st;
    if (!json_is_object(root))
        return bad(c, "top level", "must be a JSON object, not %s",
                   type_name(root));
    if ((st = get_format(root, c)) != PC_OK
        || (st = check_known_fields(root, c)) != PC_OK
        || (st = get_strings(p, root, c)) != PC_OK
        || (st = get_loss(p, root, c)) != PC_OK
        || (st = get_dims(p, root, c)) != PC_OK
        || (st = get_initial(p, root, c)) != PC_OK
        || (st = get_loss_data(p, root, c)) != PC_OK
        || (st = get_scalars(p, root, c)) != PC_OK)
        return st;
    normalize_box(p);
    return PC_OK;
}

/* Takes ownership of root (NULL if jansson refused the text). */
static int finish_load(pc_problem_t p, json_t *root, const json_error_t *jerr,
                       const load_ctx *c)
{
    int st;
    if (root == NULL)
        return pc_error_set(c->err, PC_ERR_INPUT,
                            "%s: line %d, column %d: invalid JSON: %s",
                            c->src, jerr->line, jerr->column, jerr->text);
    st = from_json(p, root, c);
    json_decref(root);
    if (st != PC_OK)
        problem_reset(p);
    return st;
}

/* ---- entry points ---------------------------------------------------------
 * p must have been initialised; whatever it held before is released. */

int pc_problem_load_string(pc_problem_t p, const char *json,
                           const char *source, pc_error_t err)
{
    load_ctx c;
    json_error_t jerr;
    c.src = source != NULL ? source : "<string>";
    c.err = err;
    problem_reset(p);
    if (json == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "%s: no input", c.src);
    return finish_load(p, json_loads(json, JSON_REJECT_DUPLICATES, &jerr),
                       &jerr, &c);
}

/* Reads at most max bytes through jansson's callback: a file is refused
 * at its size, before parsing, which costs about 20 times the text. */
typedef struct {
    FILE *f;
    size_t total, max;
    int too_big;
} bounded_reader;

static size_t bounded_read(void *buf, size_t len, void *data)
{
    bounded_reader *r = data;
    size_t k = fread(buf, 1, len, r->f);
    r->total += k;
    if (r->total > r->max) {
        r->too_big = 1;
        return (size_t) -1;             /* jansson: an error */
    }
    return k;
}

/* Opened here rather than by json_load_file, so that an unreadable file
 * (PC_ERR_IO) is told apart from an invalid one (PC_ERR_INPUT) with any
 * jansson version, and a directory or an oversized file is refused before
 * anything is parsed (a pipe is read up to the limit). */
int pc_problem_load_file(pc_problem_t p, const char *path, pc_error_t err)
{
    load_ctx c;
    json_error_t jerr;
    json_t *root;
    FILE *f;
    struct stat sb;
    int read_failed, read_errno;

    c.src = path != NULL ? path : "<null path>";
    c.err = err;
    problem_reset(p);
    if (path == NULL || (f = fopen(path, "rb")) == NULL)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot open: %s", c.src,
                            path == NULL ? "no path given" : strerror(errno));
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return pc_error_set(err, PC_ERR_IO, "%s: is a directory, not a problem file", c.src);
    }
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)
        && (uintmax_t) sb.st_size > PC_PROBLEM_MAX_FILE_BYTES) {
        fclose(f);
        return pc_error_set(err, PC_ERR_INPUT, "%s: (file): %jd bytes is larger than the "
                            "limit of " PC_STR(PC_PROBLEM_MAX_FILE_MIB) " MiB for a problem "
                            "file", c.src, (intmax_t) sb.st_size);
    }
    bounded_reader r = {f, 0, PC_PROBLEM_MAX_FILE_BYTES, 0};
    root = json_load_callback(bounded_read, &r, JSON_REJECT_DUPLICATES, &jerr);
    read_failed = ferror(f);
    read_errno = errno;             /* before fclose can change it */
    fclose(f);
    if (r.too_big) {
        json_decref(root);
        return pc_error_set(err, PC_ERR_INPUT, "%s: (file): larger than the limit of "
                            PC_STR(PC_PROBLEM_MAX_FILE_MIB) " MiB for a problem file", c.src);
    }
    if (root == NULL && read_failed)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot read: %s", c.src,
                            strerror(read_errno));
    return finish_load(p, root, &jerr, &c);
}
