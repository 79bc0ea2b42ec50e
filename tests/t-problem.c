/* Tests of problem files and exact number parsing (pc_problem.h).
 *
 * Directories: $PC_CASES (bundled cases, default tests/cases), $PC_BAD (one
 * invalid file per class of error, default tests/bad) and $PC_BAD/../valid
 * (small hand-written valid files). Expected values are built independently
 * of pc_parse_exact, from FLINT's own fmpq_set_str and fmpz arithmetic. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "pc_problem.h"

#define PATH_LEN 4096

static char cases_dir[PATH_LEN], bad_dir[PATH_LEN], valid_dir[PATH_LEN];

/* ---- helpers ------------------------------------------------------------- */

static void path_join(char *out, const char *dir, const char *file)
{
    int len = snprintf(out, PATH_LEN, "%s/%s", dir, file);
    ck_assert_msg(len > 0 && len < PATH_LEN, "path too long: %s/%s", dir, file);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *) x, *(char *const *) y);
}

/* The *.json files in dir, sorted; NULL-terminated, count in *count. */
static char **list_json(const char *dir, int *count)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = calloc(1, sizeof *names);
    int k = 0;

    *count = 0;
    if (dp == NULL || names == NULL) {
        if (dp != NULL)
            closedir(dp);
        return names;
    }
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        names = realloc(names, (size_t) (k + 2) * sizeof *names);
        names[k] = malloc(len + 1);
        memcpy(names[k], e->d_name, len + 1);
        names[++k] = NULL;
    }
    closedir(dp);
    qsort(names, (size_t) k, sizeof *names, by_name);
    *count = k;
    return names;
}

static void free_list(char **names)
{
    char **s;
    for (s = names; s != NULL && *s != NULL; s++)
        free(*s);
    free(names);
}

/* x == num/den exactly, with den given as a string (may be "1"). */
static int fmpq_equal_str(const fmpq_t x, const char *num, const char *den)
{
    fmpz_t p, q;
    fmpq_t y;
    int eq;
    fmpz_init(p);
    fmpz_init(q);
    fmpq_init(y);
    ck_assert_int_eq(fmpz_set_str(p, num, 10), 0);
    ck_assert_int_eq(fmpz_set_str(q, den, 10), 0);
    fmpq_set_fmpz_frac(y, p, q);
    eq = fmpq_equal(x, y);
    fmpz_clear(p);
    fmpz_clear(q);
    fmpq_clear(y);
    return eq;
}

/* x == num / 10^k exactly. */
static int fmpq_equal_dec(const fmpq_t x, const char *num, ulong k)
{
    fmpz_t p, q;
    fmpq_t y;
    int eq;
    fmpz_init(p);
    fmpz_init(q);
    fmpq_init(y);
    fmpz_set_str(p, num, 10);
    fmpz_set_ui(q, 10);
    fmpz_pow_ui(q, q, k);
    fmpq_set_fmpz_frac(y, p, q);
    eq = fmpq_equal(x, y);
    fmpz_clear(p);
    fmpz_clear(q);
    fmpq_clear(y);
    return eq;
}

static void assert_empty(const pc_problem_t p)
{
    ck_assert_ptr_null(p->name);
    ck_assert_ptr_null(p->note);
    ck_assert_int_eq(p->d, 0);
    ck_assert_int_eq(p->n, 0);
    ck_assert_int_eq(p->m, 0);
    ck_assert_ptr_null(p->V);
    ck_assert_ptr_null(p->a);
    ck_assert_ptr_null(p->beta);
    ck_assert_ptr_null(p->q);
    ck_assert_ptr_null(p->X);
    ck_assert_ptr_null(p->b);
    ck_assert(fmpq_is_zero(p->T));
    ck_assert(fmpq_is_zero(p->radius));
}

/* Exactly the loss-specific arrays of p's loss are present. */
static void assert_consistent(const pc_problem_t p)
{
    int margin = p->loss == PC_LOSS_LOGISTIC || p->loss == PC_LOSS_EXPONENTIAL
                 || p->loss == PC_LOSS_SQUARE;
    ck_assert_ptr_nonnull(p->name);
    ck_assert(p->d >= 1 && p->n >= 1);
    ck_assert_ptr_nonnull(p->V);
    ck_assert_ptr_nonnull(p->a);
    ck_assert_int_eq(p->beta != NULL, margin);
    ck_assert_int_eq(p->q != NULL, p->loss == PC_LOSS_CROSS_ENTROPY);
    ck_assert_int_eq(p->X != NULL, p->loss == PC_LOSS_QUADRATIC);
    ck_assert_int_eq(p->b != NULL, p->loss == PC_LOSS_QUADRATIC);
    ck_assert_int_eq(p->m >= 1, p->loss == PC_LOSS_QUADRATIC);
    ck_assert(fmpq_sgn(p->T) > 0);
    ck_assert(fmpq_sgn(p->radius) >= 0);
}

static void load_ok(pc_problem_t p, const char *dir, const char *file)
{
    char path[PATH_LEN];
    pc_error_t err;
    path_join(path, dir, file);
    err->msg[0] = '\0';
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK,
                  "%s did not load: %s", path, err->msg);
    assert_consistent(p);
}

/* ---- (a) the bundled cases ------------------------------------------------ */

static char **case_files;
static int n_case_files;

START_TEST(test_cases_present)
{
    ck_assert_msg(n_case_files >= 1, "%d *.json files in %s",
                  n_case_files, cases_dir);
}
END_TEST

/* Every bundled case loads, and its name is its file name. */
START_TEST(test_case_loads)
{
    pc_problem_t p;
    const char *file = case_files[_i];
    pc_problem_init(p);
    load_ok(p, cases_dir, file);
    ck_assert_int_eq(strncmp(p->name, file, strlen(p->name)), 0);
    ck_assert_str_eq(file + strlen(p->name), ".json");
    pc_problem_clear(p);
}
END_TEST

START_TEST(test_case_box)
{
    pc_problem_t p;
    pc_problem_init(p);
    load_ok(p, cases_dir, "logistic-box-8.json");
    ck_assert(pc_problem_is_box(p));
    ck_assert(fmpq_equal_str(p->radius, "1", "1000000"));
    ck_assert_int_eq(p->loss, PC_LOSS_LOGISTIC);
    ck_assert_int_eq(p->d, 8);
    ck_assert_int_eq(p->n, 8);
    ck_assert_ptr_nonnull(p->note);
    pc_problem_clear(p);
}
END_TEST

START_TEST(test_case_skewed)
{
    pc_problem_t p;
    slong j;
    pc_problem_init(p);
    load_ok(p, cases_dir, "logistic-skewed-a-8.json");
    ck_assert(!pc_problem_is_box(p));
    ck_assert(fmpq_is_zero(p->radius));
    for (j = 0; j < p->n; j++)
        ck_assert(fmpq_equal_str(p->a + j, j == 2 ? "2" : "0", "1"));
    ck_assert(fmpq_equal_str(p->T, "10000", "1"));
    /* "0.00012301533574825743" = 12301533574825743 / 10^20, not a double */
    ck_assert(fmpq_equal_dec(p->V + 0, "12301533574825743", 20));
    /* V[7][7] = "-0.118719452785014", row-major */
    ck_assert(fmpq_equal_dec(p->V + 7 * 8 + 7, "-118719452785014", 15));
    ck_assert(fmpq_equal_dec(p->beta + 2, "295275677101137", 15));
    ck_assert_str_eq(p->name, "logistic-skewed-a-8");
    pc_problem_clear(p);
}
END_TEST

START_TEST(test_case_sizes)
{
    pc_problem_t p;
    pc_problem_init(p);
    load_ok(p, cases_dir, "logistic-uniform-64.json");
    ck_assert_int_eq(p->d, 16);
    ck_assert_int_eq(p->n, 64);
    ck_assert_ptr_null(p->q);
    load_ok(p, cases_dir, "square-rank1-6.json");   /* reuses p */
    ck_assert_int_eq(p->loss, PC_LOSS_SQUARE);
    ck_assert_int_eq(p->d, 4);
    ck_assert_int_eq(p->n, 6);
    load_ok(p, cases_dir, "exponential-uniform-8.json");
    ck_assert_int_eq(p->loss, PC_LOSS_EXPONENTIAL);
    pc_problem_clear(p);
}
END_TEST

/* ---- (b) pc_parse_exact --------------------------------------------------- */

static const struct {
    const char *s, *num, *den;
} good_numbers[] = {
    {"0", "0", "1"}, {"-0", "0", "1"}, {"-0.0", "0", "1"}, {"+0", "0", "1"},
    {"1", "1", "1"}, {"+2", "2", "1"}, {"007", "7", "1"},
    {"-0.125", "-1", "8"}, {"1e-6", "1", "1000000"}, {"1E-6", "1", "1000000"},
    {"3/7", "3", "7"}, {"-4/6", "-2", "3"}, {"+4/6", "2", "3"},
    {"10/4", "5", "2"}, {"0/5", "0", "1"}, {"-0/5", "0", "1"},
    {"1.5E+2", "150", "1"}, {"1.5e2", "150", "1"}, {"3.", "3", "1"},
    {".5", "1", "2"}, {".5e+2", "50", "1"}, {"-.5e-1", "-1", "20"},
    {"2.50", "5", "2"}, {"1e0", "1", "1"}, {"1e-0", "1", "1"},
    {"1e0005", "100000", "1"}, {"12.5e-3", "1", "80"},
    {"0.1", "1", "10"}, {"0.3", "3", "10"},
    {"123456789012345678901234567890", "123456789012345678901234567890", "1"},
    {"0.00012301533574825743", "12301533574825743",
     "100000000000000000000"},
    {"-12345678901234567890/98765432109876543210",
     "-13717421", "109739369"},
    {"1e00000000000000000000000001", "10", "1"}
};

START_TEST(test_parse_good)
{
    fmpq_t x;
    const char *why = NULL;
    fmpq_init(x);
    ck_assert_msg(pc_parse_exact(x, good_numbers[_i].s, &why) == PC_OK,
                  "\"%s\" refused: %s", good_numbers[_i].s, why);
    ck_assert_msg(fmpq_equal_str(x, good_numbers[_i].num, good_numbers[_i].den),
                  "\"%s\" parsed wrongly", good_numbers[_i].s);
    fmpq_clear(x);
}
END_TEST

static const char *const bad_numbers[] = {
    "", " 1", "1 ", " ", "0x10", "0X10", "1/0", "-3/0", "0/0", "1/00",
    "NaN", "nan", "-nan", "Inf", "inf", "-Inf", "+Inf", "Infinity",
    "1e99999", "1e4097", "1e-4097", "1e18446744073709551617",
    "1e-9223372036854775809", ".", "-", "+", "-.", ".e1", "e5", "E5", "1e",
    "1e+", "1e-", "1.2.3", "1..2", "1/2/3", "1/-2", "-1/-2", "1/+2", "1.5/2",
    "1/2.5", "1/ 2", "1 /2", "/2", "2/", "/", "--1", "+-1", "-+1", "++1",
    "1,5", "1_000", "1e5.5", "1e1e1", "0b101", "1f", "1d0", "1.0f",
    "\xef\xbc\x91", "\xd9\xa1", "1\n", "\t1", "1/2 ", "one", "true", "null",
    "1e 5", "1 e5"
};

START_TEST(test_parse_bad)
{
    fmpq_t x;
    const char *why = NULL;
    fmpq_init(x);
    ck_assert_msg(pc_parse_exact(x, bad_numbers[_i], &why) == PC_ERR_INPUT,
                  "\"%s\" accepted", bad_numbers[_i]);
    ck_assert_ptr_nonnull(why);
    ck_assert(strlen(why) > 0);
    ck_assert_int_eq(pc_parse_exact(x, bad_numbers[_i], NULL), PC_ERR_INPUT);
    fmpq_clear(x);
}
END_TEST

/* The documented limits: 4096 characters and |exponent| <= 4096. */
START_TEST(test_parse_limits)
{
    char s[PC_PROBLEM_MAX_NUMBER_LEN + 2];
    fmpq_t x;
    fmpz_t big;
    const char *why = NULL;

    fmpq_init(x);
    fmpz_init(big);
    memset(s, '9', PC_PROBLEM_MAX_NUMBER_LEN);
    s[PC_PROBLEM_MAX_NUMBER_LEN] = '\0';
    ck_assert_int_eq(pc_parse_exact(x, s, &why), PC_OK);
    fmpz_set_ui(big, 10);
    fmpz_pow_ui(big, big, PC_PROBLEM_MAX_NUMBER_LEN);
    fmpz_sub_ui(big, big, 1);
    ck_assert(fmpz_equal(fmpq_numref(x), big) && fmpz_is_one(fmpq_denref(x)));
    s[PC_PROBLEM_MAX_NUMBER_LEN] = '9';
    s[PC_PROBLEM_MAX_NUMBER_LEN + 1] = '\0';
    ck_assert_int_eq(pc_parse_exact(x, s, &why), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "long"));

    ck_assert_int_eq(pc_parse_exact(x, "1e4096", NULL), PC_OK);
    fmpz_set_ui(big, 10);
    fmpz_pow_ui(big, big, 4096);
    ck_assert(fmpz_equal(fmpq_numref(x), big) && fmpz_is_one(fmpq_denref(x)));
    ck_assert_int_eq(pc_parse_exact(x, "-1e-4096", NULL), PC_OK);
    ck_assert(fmpz_equal(fmpq_denref(x), big) && fmpz_equal_si(fmpq_numref(x), -1));
    ck_assert_int_eq(pc_parse_exact(x, "1e4097", &why), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "exponent"));
    ck_assert_int_eq(pc_parse_exact(x, "1/0", &why), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "denominator"));
    ck_assert_int_eq(pc_parse_exact(x, "", &why), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(why, "empty"));
    ck_assert_int_eq(pc_parse_exact(x, NULL, &why), PC_ERR_INPUT);
    fmpz_clear(big);
    fmpq_clear(x);
}
END_TEST

/* fmpq_get_str writes "p/q" (or "p"); reading it back gives the same value,
 * also when numerator and denominator carry a common factor. */
START_TEST(test_parse_random_rationals)
{
    flint_rand_t state;
    fmpq_t x, y;
    fmpz_t k, num, den;
    int iter;

    flint_randinit(state);
    fmpq_init(x);
    fmpq_init(y);
    fmpz_init(k);
    fmpz_init(num);
    fmpz_init(den);
    for (iter = 0; iter < 2000; iter++) {
        char *s, *t;
        fmpq_randtest(x, state, 1 + n_randint(state, 400));
        s = fmpq_get_str(NULL, 10, x);
        ck_assert_msg(pc_parse_exact(y, s, NULL) == PC_OK, "refused %s", s);
        ck_assert_msg(fmpq_equal(x, y), "round trip of %s", s);
        flint_free(s);

        fmpz_randtest_not_zero(k, state, 64);
        fmpz_abs(k, k);
        fmpz_mul(num, fmpq_numref(x), k);
        fmpz_mul(den, fmpq_denref(x), k);
        s = fmpz_get_str(NULL, 10, num);
        t = fmpz_get_str(NULL, 10, den);
        {
            size_t len = strlen(s) + strlen(t) + 2;
            char *r = malloc(len);
            snprintf(r, len, "%s/%s", s, t);
            ck_assert_msg(pc_parse_exact(y, r, NULL) == PC_OK, "refused %s", r);
            ck_assert_msg(fmpq_equal(x, y), "%s not reduced", r);
            free(r);
        }
        flint_free(s);
        flint_free(t);
    }
    fmpz_clear(k);
    fmpz_clear(num);
    fmpz_clear(den);
    fmpq_clear(x);
    fmpq_clear(y);
    flint_randclear(state);
}
END_TEST

/* Writes mantissa m with k digits after the point and exponent e in one of
 * the spellings the grammar allows; returns the malloc'ed string. */
static char *decimal_string(const fmpz_t m, slong k, slong e, flint_rand_t st)
{
    char *digits = fmpz_get_str(NULL, 10, m), *s, *d = digits;
    size_t len, i = 0, nd;
    int neg = (*d == '-');

    if (neg)
        d++;
    nd = strlen(d);
    len = nd + (size_t) k + 32;
    s = malloc(len);
    if (neg)
        s[i++] = '-';
    else if (n_randint(st, 4) == 0)
        s[i++] = '+';
    if ((size_t) k >= nd) {                /* 0.000ddd or .000ddd */
        if (n_randint(st, 2))
            s[i++] = '0';
        s[i++] = '.';
        memset(s + i, '0', (size_t) k - nd);
        i += (size_t) k - nd;
        memcpy(s + i, d, nd);
        i += nd;
    } else {                               /* ddd.ddd or ddd. or ddd */
        memcpy(s + i, d, nd - (size_t) k);
        i += nd - (size_t) k;
        if (k > 0 || n_randint(st, 3) == 0)
            s[i++] = '.';
        memcpy(s + i, d + nd - k, (size_t) k);
        i += (size_t) k;
    }
    s[i] = '\0';
    if (e != 0 || n_randint(st, 3) == 0) {
        const char *mark = n_randint(st, 2) ? "e" : "E";
        const char *sign = e < 0 ? "-" : (n_randint(st, 2) ? "+" : "");
        snprintf(s + i, len - i, "%s%s%ld", mark, sign, (long) (e < 0 ? -e : e));
    }
    flint_free(digits);
    return s;
}

/* Random mantissa m, k fraction digits, exponent e: the value must be
 * m * 10^(e - k), computed here with fmpz arithmetic only. */
START_TEST(test_parse_random_decimals)
{
    flint_rand_t state;
    fmpz_t m, p10;
    fmpq_t x, want;
    int iter;

    flint_randinit(state);
    fmpz_init(m);
    fmpz_init(p10);
    fmpq_init(x);
    fmpq_init(want);
    for (iter = 0; iter < 3000; iter++) {
        slong k = (slong) n_randint(state, 60);
        slong e = (slong) n_randint(state, 2 * 400 + 1) - 400, shift;
        char *s;

        if (n_randint(state, 10) == 0)
            e = n_randint(state, 2) ? PC_PROBLEM_MAX_EXPONENT
                                    : -PC_PROBLEM_MAX_EXPONENT;
        shift = e - k;
        fmpz_randtest(m, state, 1 + n_randint(state, 300));
        s = decimal_string(m, k, e, state);
        fmpz_set_ui(p10, 10);
        fmpz_pow_ui(p10, p10, (ulong) (shift < 0 ? -shift : shift));
        if (shift >= 0) {
            fmpz_mul(fmpq_numref(want), m, p10);
            fmpz_one(fmpq_denref(want));
        } else {
            fmpz_set(fmpq_numref(want), m);
            fmpz_set(fmpq_denref(want), p10);
            fmpq_canonicalise(want);
        }
        ck_assert_msg(pc_parse_exact(x, s, NULL) == PC_OK, "refused %s", s);
        ck_assert_msg(fmpq_equal(x, want), "%s parsed wrongly", s);
        free(s);
    }
    fmpz_clear(m);
    fmpz_clear(p10);
    fmpq_clear(x);
    fmpq_clear(want);
    flint_randclear(state);
}
END_TEST

START_TEST(test_loss_names)
{
    int k;
    pc_loss_kind loss;
    for (k = 0; k < PC_LOSS_COUNT; k++) {
        const char *name = pc_loss_name((pc_loss_kind) k);
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(pc_loss_from_name(&loss, name), PC_OK);
        ck_assert_int_eq(loss, k);
    }
    ck_assert_str_eq(pc_loss_name(PC_LOSS_CROSS_ENTROPY), "cross_entropy");
    ck_assert_ptr_null(pc_loss_name((pc_loss_kind) PC_LOSS_COUNT));
    ck_assert_int_eq(pc_loss_from_name(&loss, "Logistic"), PC_ERR_INPUT);
    ck_assert_int_eq(pc_loss_from_name(&loss, "logistic "), PC_ERR_INPUT);
    ck_assert_int_eq(pc_loss_from_name(&loss, ""), PC_ERR_INPUT);
    ck_assert_int_eq(pc_loss_from_name(&loss, NULL), PC_ERR_INPUT);
}
END_TEST

/* ---- (c) invalid files ---------------------------------------------------- */

/* where: what the message names right after "path: "; also: another
 * substring the message must hold, or NULL. */
static const struct {
    const char *file, *where, *also;
} bad_files[] = {
    {"malformed.json", "line 7", "invalid JSON"},
    {"empty-file.json", "line", "invalid JSON"},
    {"duplicate-key.json", "line", "duplicate"},
    {"top-level-array.json", "top level", "object"},
    {"unknown-field.json", "bogus", "unknown field"},
    {"typo-radius.json", "raduis", "unknown field"},
    {"missing-a.json", "a", "missing"},
    {"missing-beta.json", "beta", "missing"},
    {"missing-T.json", "T", "missing"},
    {"missing-format.json", "format", "missing"},
    {"V-row-short.json", "V[1]", "expected n = 3"},
    {"V-too-many-rows.json", "V", "expected d = 2"},
    {"V-not-array.json", "V", "array"},
    {"a-too-long.json", "a", "expected n = 3"},
    {"beta-wrong-length.json", "beta", "expected d = 2"},
    {"not-a-number.json", "V[1][2]", "\"abc\" is not an exact decimal or rational"},
    {"json-number.json", "a[0]", "must be strings"},
    {"json-integer.json", "T", "must be strings"},
    {"nan.json", "beta[1]", "\"NaN\""},
    {"inf.json", "T", "\"Inf\""},
    {"hex.json", "V[0][0]", "\"0x10\""},
    {"exponent-huge.json", "radius", "exponent"},
    {"zero-denominator.json", "a[2]", "zero denominator"},
    {"empty-number.json", "a[0]", "empty"},
    {"space-number.json", "beta[0]", "\" 1\""},
    {"number-null.json", "a[1]", "null"},
    {"radius-negative.json", "radius", ">= 0"},
    {"d-zero.json", "d", "out of range"},
    {"d-string.json", "d", "integer"},
    {"d-real.json", "d", "integer"},
    {"n-too-large.json", "n", "out of range"},
    {"state-too-large.json", "n", "limit"},
    {"T-zero.json", "T", "> 0"},
    {"T-negative.json", "T", "> 0"},
    {"format-wrong.json", "format", "polarcert-problem/2"},
    {"loss-unknown.json", "loss", "logit"},
    {"name-empty.json", "name", "non-empty"},
    {"note-not-string.json", "note", "string"},
    {"q-in-logistic.json", "q", "logistic"},
    {"beta-in-crossent.json", "beta", "cross_entropy"},
    {"q-sum.json", "q", "sum to 9/10, not 1"},
    {"q-sum-near.json", "q", "sum to 99999999999/100000000000, not 1 (within 10^-12)"},
    {"q-negative.json", "q[1]", "negative"},
    {"quadratic-ragged.json", "X[1]", "expected d = 2"},
    {"quadratic-X-empty.json", "X", "0 rows"},
    {"quadratic-b-length.json", "b", "expected m = 3"},
    {"quadratic-missing-b.json", "b", "missing"},
    {"interval-reversed.json", "a[1]", "lower end is above the upper end"},
    {"interval-no-comma.json", "V[0][1]", "not an interval"},
    {"interval-bad-end.json", "a[0] (upper end)", "upper end is not an exact"},
    {"interval-unclosed.json", "a[2]", "not an interval"},
    {"interval-two-commas.json", "V[1][2]", "not an interval"},
    {"interval-in-beta.json", "beta[0]", "only for entries of V and a"},
    {"interval-in-T.json", "T", "only for entries of V and a"},
    {"radius-object-unknown.json", "radius.b", "unknown member"},
    {"radius-object-negative.json", "radius.a[1]", ">= 0"},
    {"radius-object-shape.json", "radius.V[0]", "array of 3"},
    {"radius-object-interval.json", "radius.a", "only for entries of V and a"},
    {"radius-object-short.json", "radius.a", "expected n = 3"}
};

#define N_BAD_FILES ((int) (sizeof bad_files / sizeof bad_files[0]))

/* Refused as PC_ERR_INPUT with "path: where..." and p left empty, even
 * when p held a problem before. */
START_TEST(test_bad_file)
{
    char path[PATH_LEN], want[PATH_LEN + 64];
    pc_problem_t p;
    pc_error_t err;
    size_t wlen;
    int st;

    pc_problem_init(p);
    load_ok(p, valid_dir, "logistic-2x3.json");
    path_join(path, bad_dir, bad_files[_i].file);
    err->msg[0] = '\0';
    st = pc_problem_load_file(p, path, err);
    ck_assert_msg(st == PC_ERR_INPUT, "%s: status %d (%s), message: %s", path,
                  st, pc_status_str(st), err->msg);
    assert_empty(p);
    snprintf(want, sizeof want, "%s: %s", path, bad_files[_i].where);
    wlen = strlen(want);
    ck_assert_msg(strncmp(err->msg, want, wlen) == 0
                  && strchr(":, ", err->msg[wlen]) != NULL,
                  "message does not begin with \"%s\": %s", want, err->msg);
    ck_assert_ptr_nonnull(strstr(err->msg, bad_files[_i].file));
    if (bad_files[_i].also != NULL)
        ck_assert_msg(strstr(err->msg, bad_files[_i].also) != NULL,
                      "message lacks \"%s\": %s", bad_files[_i].also, err->msg);
    pc_problem_clear(p);
}
END_TEST

/* Every file in the bad directory is in the table, so none goes untested. */
START_TEST(test_bad_files_listed)
{
    int count, k, j;
    char **names = list_json(bad_dir, &count);
    ck_assert_int_eq(count, N_BAD_FILES);
    for (k = 0; k < count; k++) {
        for (j = 0; j < N_BAD_FILES; j++)
            if (strcmp(names[k], bad_files[j].file) == 0)
                break;
        ck_assert_msg(j < N_BAD_FILES, "%s/%s has no test", bad_dir, names[k]);
    }
    free_list(names);
}
END_TEST

START_TEST(test_missing_file)
{
    char path[PATH_LEN];
    pc_problem_t p;
    pc_error_t err;
    pc_problem_init(p);
    load_ok(p, valid_dir, "logistic-2x3.json");
    path_join(path, bad_dir, "no-such-file.json");
    ck_assert_int_eq(pc_problem_load_file(p, path, err), PC_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err->msg, path));
    assert_empty(p);
    /* a directory opens but cannot be read */
    ck_assert_int_eq(pc_problem_load_file(p, bad_dir, err), PC_ERR_IO);
    assert_empty(p);
    ck_assert_int_eq(pc_problem_load_file(p, NULL, NULL), PC_ERR_IO);
    assert_empty(p);
    pc_problem_clear(p);
}
END_TEST

/* ---- strings and hand-written valid files --------------------------------- */

static const char small_json[] =
    "{\"format\": \"polarcert-problem/1\", \"name\": \"s\", \"loss\": \"square\","
    " \"d\": 1, \"n\": 2, \"V\": [[\"1\", \"-1/2\"]], \"a\": [\"0\", \"0\"],"
    " \"beta\": [\"%s\"], \"T\": \"1\"}";

START_TEST(test_load_string)
{
    char json[sizeof small_json + 5000];
    char huge[4200];
    pc_problem_t p;
    pc_error_t err;

    pc_problem_init(p);
    snprintf(json, sizeof json, small_json, "3/4");
    ck_assert_int_eq(pc_problem_load_string(p, json, "mem", err), PC_OK);
    assert_consistent(p);
    ck_assert(fmpq_equal_str(p->beta, "3", "4"));
    ck_assert(fmpq_equal_str(p->V + 1, "-1", "2"));
    ck_assert_ptr_null(p->note);

    /* a 4200-digit number: refused, and the message stays short */
    memset(huge, '7', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    snprintf(json, sizeof json, small_json, huge);
    ck_assert_int_eq(pc_problem_load_string(p, json, "mem", err), PC_ERR_INPUT);
    assert_empty(p);
    ck_assert_msg(strncmp(err->msg, "mem: beta[0]: ", 14) == 0, "%s", err->msg);
    ck_assert_ptr_nonnull(strstr(err->msg, "longer than 4096"));
    ck_assert(strlen(err->msg) < 200);

    ck_assert_int_eq(pc_problem_load_string(p, "{\"d\": 1, \"d\": 2}", NULL, err),
                     PC_ERR_INPUT);
    ck_assert_msg(strncmp(err->msg, "<string>: ", 10) == 0, "%s", err->msg);
    ck_assert_ptr_nonnull(strstr(err->msg, "duplicate"));
    ck_assert_int_eq(pc_problem_load_string(p, "{} x", "mem", err), PC_ERR_INPUT);
    ck_assert_int_eq(pc_problem_load_string(p, NULL, "mem", err), PC_ERR_INPUT);
    ck_assert_int_eq(pc_problem_load_string(p, "[]", "mem", NULL), PC_ERR_INPUT);
    assert_empty(p);
    pc_problem_clear(p);
}
END_TEST

static char **valid_files;
static int n_valid_files;

START_TEST(test_valid_loads)
{
    pc_problem_t p;
    pc_problem_init(p);
    load_ok(p, valid_dir, valid_files[_i]);
    pc_problem_clear(p);
}
END_TEST

START_TEST(test_valid_values)
{
    pc_problem_t p;
    pc_problem_init(p);

    load_ok(p, valid_dir, "logistic-2x3.json");
    ck_assert_int_eq(p->loss, PC_LOSS_LOGISTIC);
    ck_assert(fmpq_equal_str(p->V + 0, "1", "2"));
    ck_assert(fmpq_equal_str(p->V + 1, "-1", "3"));
    ck_assert(fmpq_equal_str(p->V + 2, "1", "100"));
    ck_assert(fmpq_equal_str(p->V + 3, "0", "1"));
    ck_assert(fmpq_equal_str(p->V + 5, "-1", "8"));
    ck_assert(fmpq_equal_str(p->beta + 1, "-1", "1"));
    ck_assert(fmpq_equal_str(p->T, "10", "1"));
    ck_assert(!pc_problem_is_box(p));
    ck_assert_str_eq(p->note, "hand-written base of the files in tests/bad");

    load_ok(p, valid_dir, "crossent-2x3.json");
    ck_assert_int_eq(p->loss, PC_LOSS_CROSS_ENTROPY);
    ck_assert(fmpq_equal_str(p->q + 0, "1", "3"));
    ck_assert(fmpq_equal_str(p->q + 1, "2", "3"));
    ck_assert(fmpq_equal_str(p->a + 1, "1", "2"));
    ck_assert(fmpq_equal_str(p->V + 5, "3", "10"));
    ck_assert(fmpq_equal_str(p->T, "5", "2"));
    ck_assert(!pc_problem_is_box(p));       /* radius "0" is a point */
    ck_assert_ptr_null(p->note);

    /* 1 − 10^-13: within the documented tolerance, kept exactly */
    load_ok(p, valid_dir, "crossent-near-1.json");
    ck_assert(fmpq_equal_str(p->q + 0, "3333333333333", "10000000000000"));

    load_ok(p, valid_dir, "quadratic-3x2x3.json");
    ck_assert_int_eq(p->loss, PC_LOSS_QUADRATIC);
    ck_assert_int_eq(p->m, 3);
    ck_assert(fmpq_equal_str(p->X + 0, "1", "1"));   /* X[0][0] */
    ck_assert(fmpq_equal_str(p->X + 3, "1", "1"));   /* X[1][1] */
    ck_assert(fmpq_equal_str(p->X + 5, "-1", "2"));  /* X[2][1] */
    ck_assert(fmpq_equal_str(p->b + 2, "150", "1"));
    ck_assert(fmpq_equal_str(p->radius, "1", "1000"));
    ck_assert(pc_problem_is_box(p));
    pc_problem_clear(p);
}
END_TEST

/* ---- boxes per entry: "[lo, hi]" entries and radius objects ---------------- */

/* The 1 x 2 square problem of small_json with V, a and radius given. */
static int load_box(pc_problem_t p, const char *V, const char *a, const char *radius,
                    pc_error_t err)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"format\": \"polarcert-problem/1\", \"name\": \"b\", \"loss\": \"square\","
             " \"d\": 1, \"n\": 2, \"V\": [%s], \"a\": %s, \"beta\": [\"1\"], \"T\": \"1\"%s%s}",
             V, a, radius != NULL ? ", \"radius\": " : "", radius != NULL ? radius : "");
    return pc_problem_load_string(p, json, "mem", err);
}

static int radius_is(const pc_problem_t p, slong k, const char *num, const char *den)
{
    fmpq_t r;
    fmpq_init(r);
    pc_problem_entry_radius(r, p, k);
    int ok = fmpq_equal_str(r, num, den);
    fmpq_clear(r);
    return ok;
}

START_TEST(test_box_forms)
{
    pc_problem_t p, q;
    pc_error_t err;
    char h1[65], h2[65];
    pc_problem_init(p);
    pc_problem_init(q);

    /* an interval: its exact centre and half width */
    ck_assert_int_eq(load_box(p, "[\"[1/3, 1/2]\", \"-1\"]", "[\"0\", \"[-1e-6,3e-6]\"]",
                              NULL, err), PC_OK);
    ck_assert(fmpq_equal_str(p->V + 0, "5", "12"));
    ck_assert(radius_is(p, 0, "1", "12"));
    ck_assert(radius_is(p, 1, "0", "1"));
    ck_assert(fmpq_equal_str(p->a + 1, "1", "1000000"));
    ck_assert(radius_is(p, 3, "1", "500000"));
    ck_assert(pc_problem_V_is_box(p) && pc_problem_a_is_box(p));
    ck_assert(fmpq_is_zero(p->radius));     /* the loader's form: per entry */

    /* a radius on a(0) alone; then V(0) is a point */
    ck_assert_int_eq(load_box(p, "[\"1\", \"-1\"]", "[\"0\", \"0\"]", "{\"a\": \"1e-6\"}",
                              err), PC_OK);
    ck_assert(!pc_problem_V_is_box(p) && pc_problem_a_is_box(p) && pc_problem_is_box(p));
    ck_assert(radius_is(p, 1, "0", "1") && radius_is(p, 2, "1", "1000000"));

    /* radii add up: field radius + entry radius + interval */
    ck_assert_int_eq(load_box(p, "[\"1\", \"[0, 1]\"]", "[\"0\", \"0\"]",
                              "{\"V\": [[\"0\", \"1/4\"]], \"a\": \"1/8\"}", err), PC_OK);
    ck_assert(radius_is(p, 0, "0", "1") && radius_is(p, 1, "3", "4")
              && radius_is(p, 2, "1", "8"));

    /* one radius on every entry, written three ways: one form and one hash */
    ck_assert_int_eq(load_box(p, "[\"1\", \"-1\"]", "[\"0\", \"0\"]", "\"1/8\"", err), PC_OK);
    ck_assert(fmpq_equal_str(p->radius, "1", "8") && p->Vrad == NULL && p->arad == NULL);
    pc_problem_data_sha256(h1, p);
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"0\"]",
                              "{\"V\": \"1/8\", \"a\": [\"1/8\", \"0.125\"]}", err), PC_OK);
    ck_assert(fmpq_equal_str(q->radius, "1", "8") && q->Vrad == NULL && q->arad == NULL);
    pc_problem_data_sha256(h2, q);
    ck_assert_str_eq(h1, h2);
    ck_assert_int_eq(load_box(q, "[\"[7/8, 9/8]\", \"[-9/8, -7/8]\"]",
                              "[\"[-1/8, 1/8]\", \"[ -0.125 , 0.125 ]\"]", NULL, err), PC_OK);
    pc_problem_data_sha256(h2, q);
    ck_assert_str_eq(h1, h2);

    /* a different radius on one entry: another hash */
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"0\"]",
                              "{\"V\": \"1/8\", \"a\": [\"1/8\", \"1/7\"]}", err), PC_OK);
    ck_assert_ptr_nonnull(q->arad);
    pc_problem_data_sha256(h2, q);
    ck_assert_str_ne(h1, h2);

    /* an interval of width 0 is the point */
    ck_assert_int_eq(load_box(q, "[\"[1, 1]\", \"-1\"]", "[\"0\", \"0\"]", NULL, err), PC_OK);
    ck_assert(!pc_problem_is_box(q));

    /* refused: messages name the entry */
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"[2, 1]\"]", NULL, err),
                     PC_ERR_INPUT);
    ck_assert_msg(strncmp(err->msg, "mem: a[1]: ", 11) == 0, "%s", err->msg);
    assert_empty(q);
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"[,1]\"]", NULL, err),
                     PC_ERR_INPUT);
    ck_assert_msg(strstr(err->msg, "a[1] (lower end): ") != NULL, "%s", err->msg);
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"0\"]", "{\"a\": {}}", err),
                     PC_ERR_INPUT);
    ck_assert_msg(strncmp(err->msg, "mem: radius.a: ", 15) == 0, "%s", err->msg);
    ck_assert_int_eq(load_box(q, "[\"1\", \"-1\"]", "[\"0\", \"0\"]", "[\"1\"]", err),
                     PC_ERR_INPUT);
    ck_assert_msg(strncmp(err->msg, "mem: radius: ", 13) == 0, "%s", err->msg);
    pc_problem_clear(p);
    pc_problem_clear(q);
}
END_TEST

/* The canonical text of a per-entry box (FORMAT.md), hashed by nettle here
 * from a hand-written text, against pc_problem_data_sha256. */
START_TEST(test_box_hash_text)
{
    static const char text[] =
        "polarcert-problem-data/1\nloss square\nd 1\nn 2\nradius per-entry\n"
        "V 1 -1\na 0 1/2\nV_radius 0 1/4\na_radius 1/1000000 1/1000000\nbeta 1\n";
    pc_problem_t p;
    pc_error_t err;
    char got[65], want[65];
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, strlen(text), (const uint8_t *) text);
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(want + 2 * i, "%02x", dig[i]);
    pc_problem_init(p);
    ck_assert_int_eq(load_box(p, "[\"1\", \"[-5/4, -3/4]\"]", "[\"0\", \"0.5\"]",
                              "{\"a\": \"1e-6\"}", err), PC_OK);
    pc_problem_data_sha256(got, p);
    ck_assert_str_eq(got, want);
    pc_problem_clear(p);
}
END_TEST

/* ---- suite ------------------------------------------------------------ */

static Suite *problem_suite(void)
{
    Suite *s = suite_create("problem");
    TCase *tc;

    tc = tcase_create("cases");
    tcase_add_test(tc, test_cases_present);
    tcase_add_loop_test(tc, test_case_loads, 0, n_case_files);
    tcase_add_test(tc, test_case_box);
    tcase_add_test(tc, test_case_skewed);
    tcase_add_test(tc, test_case_sizes);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_parse_good, 0,
                        (int) (sizeof good_numbers / sizeof good_numbers[0]));
    tcase_add_loop_test(tc, test_parse_bad, 0,
                        (int) (sizeof bad_numbers / sizeof bad_numbers[0]));
    tcase_add_test(tc, test_parse_limits);
    tcase_add_test(tc, test_parse_random_rationals);
    tcase_add_test(tc, test_parse_random_decimals);
    tcase_add_test(tc, test_loss_names);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad");
    tcase_add_loop_test(tc, test_bad_file, 0, N_BAD_FILES);
    tcase_add_test(tc, test_bad_files_listed);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("valid");
    tcase_add_test(tc, test_load_string);
    tcase_add_loop_test(tc, test_valid_loads, 0, n_valid_files);
    tcase_add_test(tc, test_valid_values);
    tcase_add_test(tc, test_box_forms);
    tcase_add_test(tc, test_box_hash_text);
    suite_add_tcase(s, tc);
    return s;
}

static void set_dir(char *out, const char *env, const char *fallback,
                    const char *suffix)
{
    const char *v = getenv(env);
    snprintf(out, PATH_LEN, "%s%s", v != NULL && *v != '\0' ? v : fallback,
             suffix);
}

int main(void)
{
    SRunner *sr;
    int failed;

    set_dir(cases_dir, "PC_CASES", "tests/cases", "");
    set_dir(bad_dir, "PC_BAD", "tests/bad", "");
    set_dir(valid_dir, "PC_BAD", "tests/bad", "/../valid");
    case_files = list_json(cases_dir, &n_case_files);
    valid_files = list_json(valid_dir, &n_valid_files);

    sr = srunner_create(problem_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    free_list(case_files);
    free_list(valid_files);
    flint_cleanup();        /* FLINT's cache of mpz blocks, for valgrind */
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
