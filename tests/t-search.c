/* Counterexample searches (pc_search.h): campaign files accepted and refused
 * per class; instances that depend on (seed, i) only, whose problem files
 * load back to the same exact rationals; the screen's filter, its clear and
 * candidate cases; a confirmation that refutes entropy_decreasing with a
 * certificate (polarcert-verify accepts it: tests/search.sh), and one that
 * cannot. The generator itself is re-derived independently by
 * tests/search-gen.py (tests/search.sh). */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "testutil.h"
#include "polarcert.h"

static const char *srcdir(void)
{
    const char *s = getenv("PC_SRCDIR");
    return s != NULL ? s : ".";
}

static void path_of(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", srcdir(), rel);
}

static void load_ok(pc_campaign_t c, const char *rel)
{
    char path[4096];
    pc_error_t err;
    path_of(path, sizeof path, rel);
    int st = pc_campaign_load_file(c, path, err);
    ck_assert_msg(st == PC_OK, "%s: %s", rel, err->msg);
}

static void sha_hex(char hex[65], const char *s, size_t len)
{
    struct sha256_ctx h;
    uint8_t d[32];
    sha256_init(&h);
    sha256_update(&h, len, (const uint8_t *) s);
    sha256_digest(&h, 32, d);
    for (int k = 0; k < 32; k++)
        sprintf(hex + 2 * k, "%02x", d[k]);
}

/* ---- parsing ------------------------------------------------------------------ */

static const char *const good[] = {
    "examples/campaigns/logistic-gaussian.json", "examples/campaigns/margin-polarization.json",
    "tests/campaigns/logistic-ranges.json", "tests/campaigns/square-aligned.json",
    "tests/campaigns/crossent-random.json", "tests/campaigns/quadratic.json",
    "tests/campaigns/theorem-file.json", NULL};

START_TEST(test_accepts)
{
    for (int k = 0; good[k] != NULL; k++) {
        pc_campaign_t c;
        char hex[65];
        pc_campaign_init(c);
        load_ok(c, good[k]);
        ck_assert(c->instances > 0 && c->name != NULL && c->text != NULL);
        sha_hex(hex, c->text, strlen(c->text));
        ck_assert_str_eq(hex, c->sha256);
        pc_campaign_clear(c);
    }
    pc_campaign_t c;
    pc_campaign_init(c);
    load_ok(c, "examples/campaigns/logistic-gaussian.json");
    ck_assert_int_eq(c->instances, 1000);
    ck_assert_int_eq(c->confirm_best, 20);
    ck_assert_str_eq(c->name, "logistic-gaussian");
    load_ok(c, "examples/campaigns/margin-polarization.json");
    ck_assert_int_eq(c->confirm_best, 0);
    pc_campaign_clear(c);
}
END_TEST

/* Every file of tests/bad-campaigns is refused (PC_ERR_INPUT, nothing kept)
 * with a message "path: field: ..." naming the field of EXPECTED. */
START_TEST(test_refuses)
{
    char path[4096], line[512];
    path_of(path, sizeof path, "tests/bad-campaigns/EXPECTED");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    int count = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char name[200], field[200], file[4096], want[4400];
        if (line[0] == '#' || sscanf(line, "%199s %199[^\n]", name, field) != 2)
            continue;
        snprintf(file, sizeof file, "%s/tests/bad-campaigns/%s.json", srcdir(), name);
        pc_campaign_t c;
        pc_error_t err;
        pc_campaign_init(c);
        int st = pc_campaign_load_file(c, file, err);
        ck_assert_msg(st == PC_ERR_INPUT, "%s: accepted (status %d)", name, st);
        ck_assert_msg(c->impl == NULL && c->text == NULL && c->name == NULL, "%s: kept", name);
        snprintf(want, sizeof want, "%s: %s", file, field);
        ck_assert_msg(strncmp(err->msg, want, strlen(want)) == 0, "%s: message '%s', want '%s...'",
                      name, err->msg, want);
        pc_campaign_clear(c);
        count++;
    }
    fclose(f);
    ck_assert_int_ge(count, 50);
    /* a file that cannot be read */
    pc_campaign_t c;
    pc_error_t err;
    pc_campaign_init(c);
    ck_assert_int_eq(pc_campaign_load_file(c, "/nonexistent/x.json", err), PC_ERR_IO);
    pc_campaign_clear(c);
}
END_TEST

/* A theorem file is inlined: the text alone rebuilds the campaign. */
START_TEST(test_theorem_file_inlined)
{
    pc_campaign_t a, b;
    pc_error_t err;
    pc_campaign_init(a);
    pc_campaign_init(b);
    load_ok(a, "tests/campaigns/theorem-file.json");
    ck_assert_ptr_nonnull(strstr(a->text, "ordered_gaps_increasing"));
    ck_assert_ptr_null(strstr(a->text, "\"file\""));
    ck_assert_int_eq(pc_campaign_load_string(b, a->text, "stored", err), PC_OK);
    ck_assert_str_eq(a->sha256, b->sha256);
    for (slong i = 0; i < a->instances; i++) {
        char *ja, *jb;
        ck_assert_int_eq(pc_search_instance_json(&ja, a, i, err), PC_OK);
        ck_assert_int_eq(pc_search_instance_json(&jb, b, i, err), PC_OK);
        ck_assert_str_eq(ja, jb);
        free(ja);
        free(jb);
    }
    pc_campaign_clear(a);
    pc_campaign_clear(b);
}
END_TEST

/* ---- instances ------------------------------------------------------------------ */

static int vec_equal(const fmpq *x, const fmpq *y, slong len)
{
    for (slong k = 0; k < len; k++)
        if (!fmpq_equal(x + k, y + k))
            return 0;
    return 1;
}

static int problems_equal(const pc_problem_t p, const pc_problem_t q)
{
    if (p->loss != q->loss || p->d != q->d || p->n != q->n || p->m != q->m)
        return 0;
    if (!vec_equal(p->V, q->V, p->d * p->n) || !vec_equal(p->a, q->a, p->n))
        return 0;
    if ((p->beta == NULL) != (q->beta == NULL) || (p->q == NULL) != (q->q == NULL) ||
        (p->X == NULL) != (q->X == NULL))
        return 0;
    if (p->beta != NULL && !vec_equal(p->beta, q->beta, p->d))
        return 0;
    if (p->q != NULL && !vec_equal(p->q, q->q, p->d))
        return 0;
    if (p->X != NULL && (!vec_equal(p->X, q->X, p->m * p->d) ||
                         !vec_equal(p->b, q->b, p->m)))
        return 0;
    return fmpq_equal(p->T, q->T) && fmpq_equal(p->radius, q->radius);
}

/* Instance 7 alone (a fresh campaign) equals instance 7 after 0..6; the
 * instances differ from each other; each problem file loads back to the
 * same exact rationals. */
START_TEST(test_determinism)
{
    for (int k = 2; good[k] != NULL; k++) {
        pc_campaign_t a, b;
        pc_problem_t p[10], q, r;
        pc_error_t err;
        pc_campaign_init(a);
        pc_campaign_init(b);
        load_ok(a, good[k]);
        load_ok(b, good[k]);
        slong N = FLINT_MIN(10, a->instances);
        for (slong i = 0; i < N; i++) {
            pc_problem_init(p[i]);
            ck_assert_int_eq(pc_search_instance(p[i], a, i, err), PC_OK);
        }
        pc_problem_init(q);
        pc_problem_init(r);
        ck_assert_int_eq(pc_search_instance(q, b, N - 3, err), PC_OK);
        ck_assert_msg(problems_equal(q, p[N - 3]), "%s: instance %ld differs alone", good[k],
                      (long) N - 3);
        for (slong i = 0; i < N; i++)
            for (slong j = i + 1; j < N; j++)
                ck_assert_msg(!problems_equal(p[i], p[j]), "%s: %ld == %ld", good[k], (long) i,
                              (long) j);
        for (slong i = 0; i < N; i++) {
            char *json;
            ck_assert_int_eq(pc_search_instance_json(&json, b, i, err), PC_OK);
            ck_assert_msg(pc_problem_load_string(r, json, "instance", err) == PC_OK, "%s",
                          err->msg);
            ck_assert_msg(problems_equal(r, p[i]), "%s: instance %ld: file differs", good[k],
                          (long) i);
            free(json);
        }
        ck_assert_int_eq(pc_search_instance(q, b, a->instances, err), PC_ERR_INPUT);
        ck_assert_int_eq(pc_search_instance(q, b, -1, err), PC_ERR_INPUT);
        for (slong i = 0; i < N; i++)
            pc_problem_clear(p[i]);
        pc_problem_clear(q);
        pc_problem_clear(r);
        pc_campaign_clear(a);
        pc_campaign_clear(b);
    }
}
END_TEST

/* The data follow the campaign: aligned V(0) is β w0ᵀ, digits kept, q sums
 * to 1 exactly, dimensions inside the ranges, a(0) zero where asked. */
START_TEST(test_generator_shapes)
{
    pc_campaign_t c;
    pc_problem_t p;
    pc_hyp_t h;
    pc_error_t err;
    fmpz_t ten;
    pc_campaign_init(c);
    pc_problem_init(p);
    fmpz_init(ten);
    load_ok(c, "tests/campaigns/square-aligned.json");
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_instance(p, c, i, err), PC_OK);
        pc_hyp_init(h);
        pc_hyp_decide(h, PC_HYP_V0_ALIGNED, p);
        ck_assert(h->holds);
        pc_hyp_clear(h);
        fmpz_set_ui(ten, 1000);             /* digits 3: β_k = integer / 1000 */
        for (slong k = 0; k < p->d; k++)
            ck_assert(fmpz_divisible(ten, fmpq_denref(p->beta + k)));
        for (slong j = 0; j < p->n; j++)
            ck_assert(fmpq_is_zero(p->a + j));
    }
    load_ok(c, "tests/campaigns/crossent-random.json");
    for (slong i = 0; i < c->instances; i++) {
        fmpq_t s;
        fmpq_init(s);
        ck_assert_int_eq(pc_search_instance(p, c, i, err), PC_OK);
        ck_assert(p->n >= 2 && p->n <= 4 && p->d == 3);
        for (slong k = 0; k < p->d; k++) {
            ck_assert(fmpq_sgn(p->q + k) > 0);
            fmpq_add(s, s, p->q + k);
        }
        ck_assert(fmpq_is_one(s));
        fmpq_clear(s);
    }
    load_ok(c, "tests/campaigns/logistic-ranges.json");
    int seen_d1 = 0, seen_d6 = 0;
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_instance(p, c, i, err), PC_OK);
        ck_assert(p->d >= 1 && p->d <= 6 && p->n >= 2 && p->n <= 7);
        seen_d1 |= p->d == 1;
        seen_d6 |= p->d == 6;
        fmpz_set_ui(ten, 10000000);
        for (slong k = 0; k < p->d * p->n; k++)
            ck_assert(fmpz_divisible(ten, fmpq_denref(p->V + k)));
    }
    ck_assert(seen_d1 && seen_d6);          /* both ends of the range are drawn */
    fmpz_clear(ten);
    pc_problem_clear(p);
    pc_campaign_clear(c);
}
END_TEST

/* ---- screen and confirm ----------------------------------------------------------- */

static const char camp_gauss_theorem[] =
    "{\"format\": \"polarcert-campaign/1\", \"name\": \"filtered\","
    " \"generator\": {\"loss\": \"logistic\", \"d\": 4, \"n\": 4, \"digits\": 5,"
    "  \"V0\": {\"dist\": \"gaussian\", \"scale\": \"0.1\"},"
    "  \"a0\": {\"dist\": \"gaussian\", \"scale\": \"1\"},"
    "  \"beta\": {\"dist\": \"gaussian\", \"scale\": \"0.3\"}, \"T\": \"100\"},"
    " \"theorem\": \"margin-polarization\", \"instances\": 5, \"seed\": \"9\"}";

/* a(0) = 0: the entropy decreases from the start (margin-polarization), so
 * the screen must not flag entropy_decreasing; it must flag
 * entropy_increasing on (0, 10]. */
static const char camp_zero_a[] =
    "{\"format\": \"polarcert-campaign/1\", \"name\": \"zero-a\","
    " \"generator\": {\"loss\": \"logistic\", \"d\": 5, \"n\": 5, \"digits\": 6,"
    "  \"V0\": {\"dist\": \"gaussian\", \"scale\": \"0.1\"}, \"a0\": {\"dist\": \"zero\"},"
    "  \"beta\": {\"dist\": \"gaussian\", \"scale\": \"0.3\"}, \"T\": \"1000\"},"
    " \"refute\": {\"kind\": \"%s\", \"from\": \"0\", \"open_from\": true, \"to\": \"%s\"},"
    " \"hypotheses\": [\"a0_uniform\"], \"instances\": 6, \"seed\": \"11\"}";

static void load_str(pc_campaign_t c, const char *text)
{
    pc_error_t err;
    int st = pc_campaign_load_string(c, text, "test", err);
    ck_assert_msg(st == PC_OK, "%s", err->msg);
}

START_TEST(test_screen_filter_clear_candidate)
{
    pc_campaign_t c;
    pc_screen_result r;
    pc_error_t err;
    char text[2048];
    pc_campaign_init(c);
    load_str(c, camp_gauss_theorem);
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_screen(&r, c, i, err), PC_OK);
        ck_assert_int_eq(r.status, PC_SCREEN_FILTERED);
        ck_assert_ptr_nonnull(strstr(r.reason, "a0_uniform FALSE"));
    }
    snprintf(text, sizeof text, camp_zero_a, "entropy_decreasing", "inf");
    load_str(c, text);
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_screen(&r, c, i, err), PC_OK);
        ck_assert_msg(r.status == PC_SCREEN_CLEAR, "instance %ld: %s %s", (long) i,
                      pc_screen_status_name(r.status), r.reason);
        ck_assert(r.seconds >= 0);
    }
    snprintf(text, sizeof text, camp_zero_a, "entropy_increasing", "10");
    load_str(c, text);
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_screen(&r, c, i, err), PC_OK);
        ck_assert_msg(r.status == PC_SCREEN_CANDIDATE, "instance %ld: %s", (long) i, r.reason);
        ck_assert_str_eq(r.target, "entropy_increasing");
        ck_assert(r.score > 0);
    }
    ck_assert_int_eq(pc_search_screen(&r, c, c->instances, err), PC_ERR_INPUT);
    pc_campaign_clear(c);
}
END_TEST

/* logistic-gaussian must find counterexamples: a candidate among the first
 * ten, confirmed with a certificate whose SHA-256 is the one reported. */
START_TEST(test_must_find)
{
    pc_campaign_t c;
    pc_screen_result r;
    pc_confirm_result k;
    pc_error_t err;
    char hex[65];
    pc_campaign_init(c);
    pc_confirm_result_init(&k);
    load_ok(c, "examples/campaigns/logistic-gaussian.json");
    slong i, found = -1;
    for (i = 0; i < 10 && found < 0; i++) {
        ck_assert_int_eq(pc_search_screen(&r, c, i, err), PC_OK);
        if (r.status == PC_SCREEN_CANDIDATE)
            found = i;
    }
    ck_assert_int_ge(found, 0);
    ck_assert_str_eq(r.target, "entropy_decreasing");
    ck_assert_int_eq(pc_search_confirm(&k, c, found, err), PC_OK);
    ck_assert_msg(k.confirmed == 1, "instance %ld: %s", (long) found, k.reason);
    ck_assert_int_eq(k.verdict, PC_CHECK_REFUTED);
    ck_assert_ptr_nonnull(k.cert);
    ck_assert_uint_eq(k.cert_len, strlen(k.cert));
    sha_hex(hex, k.cert, k.cert_len);
    ck_assert_str_eq(hex, k.cert_sha256);
    ck_assert_ptr_nonnull(strstr(k.claims, "conclusion entropy_decreasing REFUTED witness: "
                                 "entropy_increasing on"));
    ck_assert_ptr_nonnull(strstr(k.reason, "REFUTED"));
    /* the certificate is about instance `found` exactly: its problem member,
     * read as a problem file, has the instance's exact data */
    pc_problem_t p, q;
    pc_problem_init(p);
    pc_problem_init(q);
    ck_assert_int_eq(pc_search_instance(p, c, found, err), PC_OK);
    json_t *cert = json_loads(k.cert, 0, NULL);
    ck_assert_ptr_nonnull(cert);
    json_t *prob = json_deep_copy(json_object_get(cert, "problem"));
    json_object_set_new(prob, "format", json_string("polarcert-problem/1"));
    json_object_set_new(prob, "T", json_string("10000"));
    char *text = json_dumps(prob, 0);
    ck_assert_msg(pc_problem_load_string(q, text, "cert", err) == PC_OK, "%s", err->msg);
    ck_assert(problems_equal(p, q));
    ck_assert_str_eq(q->name, p->name);
    free(text);
    json_decref(prob);
    json_decref(cert);
    pc_problem_clear(q);
    pc_problem_clear(p);
    pc_confirm_result_clear(&k);
    pc_campaign_clear(c);
}
END_TEST

/* An instance the screen clears: the rigorous check proves the conclusion,
 * so it is unconfirmed with the reason. */
START_TEST(test_unconfirmed)
{
    pc_campaign_t c;
    pc_confirm_result k;
    pc_error_t err;
    char text[2048];
    pc_campaign_init(c);
    pc_confirm_result_init(&k);
    snprintf(text, sizeof text, camp_zero_a, "entropy_decreasing", "inf");
    load_str(c, text);
    ck_assert_int_eq(pc_search_confirm(&k, c, 0, err), PC_OK);
    ck_assert_int_eq(k.confirmed, 0);
    ck_assert_int_eq(k.verdict, PC_CHECK_CONFIRMED);
    ck_assert_ptr_nonnull(strstr(k.reason, "CONFIRMED"));
    ck_assert_ptr_nonnull(strstr(k.claims, "hypothesis a0_uniform TRUE"));
    ck_assert_ptr_nonnull(strstr(k.claims, "conclusion entropy_decreasing PROVEN"));
    pc_confirm_result_clear(&k);
    pc_campaign_clear(c);
}
END_TEST

/* A conclusion about token 5 on instances with n from 2 to 7: where token 5
 * does not exist the screen FAILS and the confirmation is unconfirmed, both
 * with the reason; where it exists the instance is screened. */
static const char camp_tokens[] =
    "{\"format\": \"polarcert-campaign/1\", \"name\": \"tokens\","
    " \"generator\": {\"loss\": \"exponential\", \"d\": 3, \"n\": {\"min\": 2, \"max\": 7},"
    "  \"digits\": 4, \"V0\": {\"dist\": \"gaussian\", \"scale\": \"0.1\"},"
    "  \"a0\": {\"dist\": \"zero\"}, \"beta\": {\"dist\": \"gaussian\", \"scale\": \"0.5\"},"
    "  \"T\": \"10\"},"
    " \"refute\": {\"kind\": \"gap_increasing\", \"i\": 5, \"j\": 0, \"from\": \"0\", \"to\": \"10\"},"
    " \"instances\": 12, \"seed\": \"4\"}";

START_TEST(test_failed)
{
    pc_campaign_t c;
    pc_problem_t p;
    pc_screen_result r;
    pc_confirm_result k;
    pc_error_t err;
    int small = 0, big = 0;
    pc_campaign_init(c);
    pc_problem_init(p);
    pc_confirm_result_init(&k);
    load_str(c, camp_tokens);
    for (slong i = 0; i < c->instances; i++) {
        ck_assert_int_eq(pc_search_instance(p, c, i, err), PC_OK);
        ck_assert_int_eq(pc_search_screen(&r, c, i, err), PC_OK);
        if (p->n <= 5) {
            ck_assert_int_eq(r.status, PC_SCREEN_FAILED);
            ck_assert_ptr_nonnull(strstr(r.reason, "names token 5"));
            if (small++ == 0) {
                ck_assert_int_eq(pc_search_confirm(&k, c, i, err), PC_OK);
                ck_assert_int_eq(k.confirmed, 0);
                ck_assert_ptr_null(k.cert);
                ck_assert_ptr_nonnull(strstr(k.reason, "token 5 does not exist"));
            }
        } else {
            ck_assert(r.status == PC_SCREEN_CLEAR || r.status == PC_SCREEN_CANDIDATE);
            big++;
        }
    }
    ck_assert(small > 0 && big > 0);
    pc_confirm_result_clear(&k);
    pc_problem_clear(p);
    pc_campaign_clear(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tu_tcase(s, "campaign");
    tcase_add_test(tc, test_accepts);
    tcase_add_test(tc, test_refuses);
    tcase_add_test(tc, test_theorem_file_inlined);
    tc = tu_tcase(s, "instances");
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_generator_shapes);
    tc = tu_tcase(s, "screen");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_screen_filter_clear_candidate);
    tcase_add_test(tc, test_must_find);
    tcase_add_test(tc, test_unconfirmed);
    tcase_add_test(tc, test_failed);
    return tu_run_suite(s);
}
