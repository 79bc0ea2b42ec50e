/* Tampered certificates must be REJECTED by polarcert-verify.
 *
 * Starting from a certificate in certs/ (which must verify, exit 0), each
 * test changes one thing — digits of an enclosure, a time, a step, a claim,
 * the problem, a lemma use, the hash — and runs the checker on the result.
 * Except for the hash test, the changed certificate is sealed again with a
 * correct hash, so that it is the recomputation that must catch the change,
 * not the hash. Every change here makes some claim unsupported; the checker
 * must exit 1 (REJECTED); a structurally broken file must give exit 2. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "polarcert.h"

static const char *verify_prog(void)
{
    const char *v = getenv("POLARCERT_VERIFY");
    return v != NULL ? v : "verify/polarcert-verify";
}

static json_t *load_named(const char *name)
{
    const char *dir = getenv("PC_CERTS");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cert.json", dir ? dir : "certs", name);
    json_error_t e;
    json_t *c = json_load_file(path, 0, &e);
    ck_assert_msg(c != NULL, "cannot read %s: %s", path, e.text);
    return c;
}

static json_t *load_cert(void)
{
    return load_named("logistic-skewed-a-8");
}

/* Runs the checker on cert (sealed again unless reseal = 0): its exit code. */
static int verify_exit(json_t *cert, int reseal)
{
    char path[] = "/tmp/pc-mutant-XXXXXX", cmd[8192];
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    if (reseal)
        ck_assert_int_eq(pc_cert_seal(cert), PC_OK);
    ck_assert_int_eq(json_dump_file(cert, path, JSON_INDENT(1)), 0);
    snprintf(cmd, sizeof cmd, "\"%s\" --quiet %s >/dev/null 2>&1", verify_prog(), path);
    int st = system(cmd);
    unlink(path);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static json_t *claim_of_kind(json_t *cert, const char *kind)
{
    json_t *claims = json_object_get(cert, "claims"), *c;
    size_t i;
    json_array_foreach(claims, i, c)
        if (strcmp(json_string_value(json_object_get(c, "kind")), kind) == 0)
            return c;
    ck_abort_msg("no %s claim in the certificate", kind);
    return NULL;
}

static json_t *step(json_t *cert, size_t k)
{
    json_t *steps = json_object_get(cert, "steps");
    ck_assert(json_array_size(steps) > k);
    return json_array_get(steps, k);
}

static void set_str(json_t *obj, const char *key, const char *value)
{
    ck_assert_int_eq(json_object_set_new(obj, key, json_string(value)), 0);
}

/* Changes the last digit of the mantissa of the dyadic string str. */
static void change_last_digit(json_t *str)
{
    char *s = strdup(json_string_value(str));
    char *d = NULL;
    for (char *c = s; *c && *c != '*'; c++)
        if (*c >= '0' && *c <= '9')
            d = c;
    ck_assert(d != NULL);
    *d = *d == '9' ? '1' : *d + 1;
    json_string_set(str, s);
    free(s);
}

/* Doubles the dyadic string str = "M*2^E" (or "M"). */
static void double_dyadic(json_t *str)
{
    const char *s = json_string_value(str), *star = strchr(s, '*');
    char buf[512];
    long e = star ? strtol(star + 3, NULL, 10) : 0;
    snprintf(buf, sizeof buf, "%.*s*2^%ld", (int) (star ? star - s : (long) strlen(s)), s, e + 1);
    json_string_set(str, buf);
}

/* Step k's a priori enclosure of component i: ["mid", "rad"]. */
static json_t *apriori(json_t *cert, size_t k, size_t i)
{
    return json_array_get(json_object_get(step(cert, k), "apriori"), i);
}

START_TEST(test_original_verifies)
{
    json_t *c = load_cert();
    ck_assert_int_eq(verify_exit(c, 0), 0);
    json_decref(c);
}
END_TEST

START_TEST(test_hash_digit)
{
    json_t *c = load_cert();
    change_last_digit(json_array_get(apriori(c, 3, 0), 0));
    ck_assert_int_eq(verify_exit(c, 0), 1);         /* not resealed: hash mismatch */
    json_decref(c);
}
END_TEST

/* Adds d to the exponent of the dyadic string str = "M*2^E" (or "M"). */
static void shift_dyadic(json_t *str, long d)
{
    const char *s = json_string_value(str), *star = strchr(s, '*');
    char buf[512];
    long e = star ? strtol(star + 3, NULL, 10) : 0;
    snprintf(buf, sizeof buf, "%.*s*2^%ld", (int) (star ? star - s : (long) strlen(s)), s, e + d);
    json_string_set(str, buf);
}

/* Mutations of the a priori enclosures that keep them wide (so that the checker's
 * fixed-point remainder over E, vf_fxtay.c, is the path taken first): every radius
 * of the middle step divided by 64 or by 4, or only the last component's divided by
 * 64.  P no longer fits (E's radius is P's times 17/16 plus X's): REJECTED. */
static void mutate_wide(json_t *c, int which)
{
    json_t *steps = json_object_get(c, "steps");
    size_t N = json_array_size(steps), mid = N / 2;
    json_t *E = json_object_get(step(c, mid), "apriori");
    size_t n = json_array_size(E);
    for (size_t i = which == 2 ? n - 1 : 0; i < n; i++)
        shift_dyadic(json_array_get(json_array_get(E, i), 1), which == 1 ? -2 : -6);
}

START_TEST(test_wide_tau)
{
    json_t *c = load_cert();            /* tau system: the mean-value set */
    mutate_wide(c, _i);
    ck_assert_msg(verify_exit(c, 1) == 1, "wide E mutation %d not rejected (tau)", _i);
    json_decref(c);
}
END_TEST

START_TEST(test_wide_box)
{
    json_t *c = load_named("logistic-box-8");   /* a box: QR-Lohner set */
    if (_i == 3) {
        ck_assert_int_eq(verify_exit(c, 0), 0);
    } else {
        mutate_wide(c, _i);
        ck_assert_msg(verify_exit(c, 1) == 1, "wide E mutation %d not rejected (box)", _i);
    }
    json_decref(c);
}
END_TEST

/* Mutations of the steps, each sealed again. */
static void mutate_steps(json_t *c, int which)
{
    json_t *steps = json_object_get(c, "steps");
    size_t N = json_array_size(steps), mid = N / 2;
    switch (which) {
    case 0: json_array_set_new(apriori(c, mid, 0), 1, json_string("0")); break;   /* radius 0 */
    case 1: json_array_set_new(apriori(c, mid, 1), 0, json_string("1")); break;   /* moved away */
    case 2: change_last_digit(json_object_get(step(c, mid), "h")); break;         /* chain broken */
    case 3: json_array_remove(steps, mid); break;
    case 4: json_array_remove(steps, N - 1); break;                  /* horizon not reached */
    case 5: change_last_digit(json_object_get(step(c, mid), "t0")); break;
    case 6: double_dyadic(json_object_get(step(c, N - 1), "h")); break;  /* E too short */
    }
}

START_TEST(test_steps)
{
    json_t *c = load_cert();
    mutate_steps(c, _i);
    ck_assert_msg(verify_exit(c, 1) == 1, "step mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

/* Mutations of the claims and lemma uses, each sealed again. */
static void mutate_claims(json_t *c, int which)
{
    json_t *dec = claim_of_kind(c, "entropy_decreasing");
    json_t *inc = claim_of_kind(c, "entropy_increasing");
    json_t *above = claim_of_kind(c, "entropy_above");
    json_t *gap = claim_of_kind(c, "logit_gap_decreasing");
    switch (which) {
    case 0: set_str(dec, "from", "0"); break;           /* H rises at first */
    case 1: set_str(inc, "kind", "entropy_decreasing"); break;
    case 2: set_str(inc, "to", json_string_value(json_object_get(dec, "from"))); break;
    case 3: set_str(above, "bound", "2"); break;         /* H(T) < 0.15 */
    case 4: /* the gap the other way round */
        {
            json_t *i = json_copy(json_object_get(gap, "i"));
            json_object_set(gap, "i", json_object_get(gap, "j"));
            json_object_set_new(gap, "j", i);
        }
        break;
    case 5: json_array_clear(json_object_get(c, "lemmas")); break;
    case 6: json_object_del(dec, "lemma"); break;
    case 7: /* another token */
        {
            json_t *l = json_array_get(json_object_get(c, "lemmas"), 0);
            json_int_t k = json_integer_value(json_object_get(l, "token"));
            json_object_set_new(l, "token", json_integer((k + 1) % 8));
        }
        break;
    case 8: set_str(dec, "to", "inf"), json_object_del(dec, "lemma"),
            json_array_clear(json_object_get(c, "lemmas")); break;
    case 9: set_str(c, "horizon", "20000"), set_str(above, "to", "20000"),
            set_str(dec, "to", "20000"), json_object_del(dec, "lemma"); break;
    }
}

START_TEST(test_claims)
{
    json_t *c = load_cert();
    mutate_claims(c, _i);
    ck_assert_msg(verify_exit(c, 1) == 1, "claim mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

/* Mutations of the problem: the claims were not proven for it. */
START_TEST(test_problem)
{
    json_t *c = load_cert(), *p = json_object_get(c, "problem");
    if (_i == 0)
        json_array_set_new(json_object_get(p, "a"), 2, json_string("3"));
    else if (_i == 1)
        json_array_set_new(json_object_get(p, "beta"), 0, json_string("1/3"));
    else
        set_str(p, "radius", "1/1000");
    ck_assert_msg(verify_exit(c, 1) == 1, "problem mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

/* The open start (proofs/open-start.md): the certificate of logistic-uniform-8
 * (a(0) = 0) claims entropy_decreasing on (0, inf) with open_from. */
START_TEST(test_open_original_verifies)
{
    json_t *c = load_named("logistic-uniform-8");
    ck_assert(json_is_true(json_object_get(claim_of_kind(c, "entropy_decreasing"),
                                           "open_from")));
    ck_assert_int_eq(verify_exit(c, 0), 0);
    json_decref(c);
}
END_TEST

/* Open starts that must be REJECTED: on a problem whose a(0) is not uniform
 * (dH/dt(0) != 0), with the claim closed at 0, on other claim kinds (the
 * wrong sign: an increase from 0), on a box, with a moved a_j. */
static void mutate_open(json_t **cp, int which)
{
    json_t *c = *cp;
    if (which == 0) {                                /* skewed a(0) */
        json_t *dec = claim_of_kind(c, "entropy_decreasing");
        set_str(dec, "from", "0");
        json_object_set_new(dec, "open_from", json_true());
        return;
    }
    json_decref(c);
    c = *cp = load_named("logistic-uniform-8");
    json_t *dec = claim_of_kind(c, "entropy_decreasing");
    json_t *p = json_object_get(c, "problem");
    switch (which) {
    case 1: json_object_del(dec, "open_from"); break;         /* closed: dH/dt(0) = 0 */
    case 2: json_object_set_new(claim_of_kind(c, "entropy_above"), "open_from", json_true());
            break;
    case 3: {                                                 /* an increase on (0, to] */
            json_t *inc = json_deep_copy(dec);
            set_str(inc, "kind", "entropy_increasing");
            set_str(inc, "to", "1*2^-20");
            json_object_del(inc, "lemma");
            json_array_append_new(json_object_get(c, "claims"), inc);
        }
        break;
    case 4: set_str(p, "radius", "1/1000000000000"); break;
    case 5: json_array_set_new(json_object_get(p, "a"), 3, json_string("1/1000000")); break;
    }
}

START_TEST(test_open_start)
{
    json_t *c = load_cert();
    mutate_open(&c, _i);
    ck_assert_msg(verify_exit(c, 1) == 1, "open-start mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

/* Structurally broken certificates: exit 2. */
START_TEST(test_unreadable)
{
    json_t *c = load_cert();
    if (_i == 0)
        set_str(c, "format", "polarcert-cert/0");
    else if (_i == 1)
        json_object_del(c, "steps");
    else if (_i == 2)
        set_str(json_object_get(c, "problem"), "loss", "hinge");
    else
        json_object_set_new(claim_of_kind(c, "entropy_decreasing"), "open_from",
                            json_string("yes"));
    ck_assert_msg(verify_exit(c, 1) == 2, "broken certificate %d not refused with exit 2", _i);
    json_decref(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cert-mutate");
    TCase *tc = tu_tcase(s, "mutations");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_original_verifies);
    tcase_add_test(tc, test_hash_digit);
    tcase_add_loop_test(tc, test_steps, 0, 7);
    tcase_add_loop_test(tc, test_wide_tau, 0, 3);
    tcase_add_loop_test(tc, test_wide_box, 0, 4);
    tcase_add_loop_test(tc, test_claims, 0, 10);
    tcase_add_loop_test(tc, test_problem, 0, 3);
    tcase_add_loop_test(tc, test_unreadable, 0, 4);
    tcase_add_test(tc, test_open_original_verifies);
    tcase_add_loop_test(tc, test_open_start, 0, 6);
    return tu_run_suite(s);
}
