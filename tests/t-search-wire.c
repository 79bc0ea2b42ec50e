/* The messages from search workers to the writer (lib/pc_search_wire.c):
 * every field comes back bit for bit (doubles by their bits: NaN, -0,
 * subnormals; blobs with zero bytes), and a damaged message (every
 * truncation, trailing bytes, a length beyond the end, random bytes) is
 * refused with PC_ERR_INPUT, never read out of bounds (ASan build). */
#include <stdint.h>
#include "testutil.h"
#include "pc_search_run.h"

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void make_confirm(pc_search_result *r, slong idx, size_t certlen)
{
    pc_search_result_init(r);
    r->kind = PC_TASK_CONFIRM;
    r->idx = idx;
    r->confirm.confirmed = 1;
    r->confirm.verdict = 1;
    snprintf(r->confirm.reason, sizeof r->confirm.reason, "refuted on [0.5, 1]");
    r->confirm.claims = strdup("hypothesis a0_uniform TRUE\nconclusion REFUTED\n");
    r->confirm.cert = malloc(certlen + 1);
    for (size_t k = 0; k < certlen; k++)
        r->confirm.cert[k] = (char) (k * 7 % 256);     /* zero bytes included */
    r->confirm.cert[certlen] = '\0';
    r->confirm.cert_len = certlen;
    snprintf(r->confirm.cert_sha256, sizeof r->confirm.cert_sha256, "%064d", 7);
    r->confirm.seconds = 0.125;
    snprintf(r->verify.verdict, sizeof r->verify.verdict, "VERIFIED");
    snprintf(r->verify.message, sizeof r->verify.message, "VERIFIED");
    r->verify.seconds = 1.5;
}

START_TEST(test_round_trip)
{
    const double scores[] = {0.0, -0.0, 1.0 / 3.0, 5e-324, -1e308, NAN, INFINITY};
    pc_error_t err;
    for (size_t k = 0; k < sizeof scores / sizeof scores[0]; k++) {
        pc_search_result a, b;
        pc_search_buf buf;
        pc_search_buf_init(&buf);
        pc_search_result_init(&a);
        pc_search_result_init(&b);
        a.kind = PC_TASK_SCREEN;
        a.idx = (slong) (k * 1000003);
        a.screen.status = (pc_screen_status) (k % 4);
        a.screen.score = scores[k];
        snprintf(a.screen.target, sizeof a.screen.target, "entropy_decreasing");
        snprintf(a.screen.reason, sizeof a.screen.reason, "dH/dt = %g at t = 0.1", scores[k]);
        a.screen.seconds = 1e-6 * (double) k;
        ck_assert_int_eq(pc_search_encode(&buf, &a), PC_OK);
        ck_assert_int_eq(pc_search_decode(&b, buf.data, buf.len, err), PC_OK);
        ck_assert_int_eq(b.kind, PC_TASK_SCREEN);
        ck_assert_int_eq(b.idx, a.idx);
        ck_assert_int_eq(b.screen.status, a.screen.status);
        ck_assert(same_double(b.screen.score, a.screen.score));
        ck_assert(same_double(b.screen.seconds, a.screen.seconds));
        ck_assert_str_eq(b.screen.target, a.screen.target);
        ck_assert_str_eq(b.screen.reason, a.screen.reason);
        pc_search_result_clear(&a);
        pc_search_result_clear(&b);
        pc_search_buf_clear(&buf);
    }
    for (size_t len = 0; len < 3000; len = 2 * len + 1) {
        pc_search_result a, b;
        pc_search_buf buf;
        pc_search_buf_init(&buf);
        make_confirm(&a, 42, len);
        pc_search_result_init(&b);
        ck_assert_int_eq(pc_search_encode(&buf, &a), PC_OK);
        ck_assert_int_eq(pc_search_decode(&b, buf.data, buf.len, err), PC_OK);
        ck_assert_int_eq(b.kind, PC_TASK_CONFIRM);
        ck_assert_int_eq(b.idx, 42);
        ck_assert_int_eq(b.confirm.confirmed, 1);
        ck_assert_int_eq(b.confirm.verdict, 1);
        ck_assert_str_eq(b.confirm.reason, a.confirm.reason);
        ck_assert_str_eq(b.confirm.claims, a.confirm.claims);
        ck_assert_uint_eq(b.confirm.cert_len, len);
        ck_assert(memcmp(b.confirm.cert, a.confirm.cert, len) == 0);
        ck_assert_str_eq(b.confirm.cert_sha256, a.confirm.cert_sha256);
        ck_assert_str_eq(b.verify.verdict, "VERIFIED");
        ck_assert(same_double(b.verify.seconds, 1.5));
        ck_assert(same_double(b.confirm.seconds, 0.125));
        pc_search_result_clear(&a);
        pc_search_result_clear(&b);
        pc_search_buf_clear(&buf);
    }
    /* no certificate: NULL comes back as NULL, not as "" */
    pc_search_result a, b;
    pc_search_buf buf;
    pc_search_buf_init(&buf);
    make_confirm(&a, 3, 4);
    free(a.confirm.cert);
    a.confirm.cert = NULL;
    a.confirm.cert_len = 0;
    pc_search_result_init(&b);
    ck_assert_int_eq(pc_search_encode(&buf, &a), PC_OK);
    ck_assert_int_eq(pc_search_decode(&b, buf.data, buf.len, err), PC_OK);
    ck_assert_ptr_null(b.confirm.cert);
    pc_search_result_clear(&a);
    pc_search_result_clear(&b);
    pc_search_buf_clear(&buf);
}
END_TEST

START_TEST(test_damaged)
{
    pc_search_result a, b;
    pc_search_buf buf;
    pc_error_t err;
    pc_search_buf_init(&buf);
    make_confirm(&a, 9, 200);
    pc_search_result_init(&b);
    ck_assert_int_eq(pc_search_encode(&buf, &a), PC_OK);
    /* every truncation, in a copy of exactly that size (ASan sees overreads) */
    for (size_t n = 0; n < buf.len; n++) {
        unsigned char *cut = malloc(n ? n : 1);
        memcpy(cut, buf.data, n);
        ck_assert_int_eq(pc_search_decode(&b, cut, n, err), PC_ERR_INPUT);
        free(cut);
    }
    /* trailing bytes */
    unsigned char *longer = malloc(buf.len + 1);
    memcpy(longer, buf.data, buf.len);
    longer[buf.len] = 0;
    ck_assert_int_eq(pc_search_decode(&b, longer, buf.len + 1, err), PC_ERR_INPUT);
    free(longer);
    /* a length field (the reason's, after kind, idx, confirmed, verdict)
     * beyond the end, including one that wraps around */
    const uint64_t lens[] = {1000000, UINT64_MAX, UINT64_MAX - 7};
    for (size_t k = 0; k < 3; k++) {
        unsigned char *m = malloc(buf.len);
        memcpy(m, buf.data, buf.len);
        for (int j = 0; j < 8; j++)
            m[32 + j] = (unsigned char) (lens[k] >> (8 * j));
        ck_assert_int_eq(pc_search_decode(&b, m, buf.len, err), PC_ERR_INPUT);
        free(m);
    }
    /* an unknown kind, a negative index, a screen status out of range */
    unsigned char m[64] = {0};
    m[0] = 9;
    ck_assert_int_eq(pc_search_decode(&b, m, 64, err), PC_ERR_INPUT);
    /* random bytes: refused or decoded, never a crash */
    flint_rand_t st;
    flint_randinit(st);
    for (int t = 0; t < 20000; t++) {
        size_t n = n_randint(st, 120);
        unsigned char *r = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++)
            r[k] = (unsigned char) n_randint(st, 4) == 0 ? (unsigned char) n_randint(st, 256) : 0;
        if (n >= 8)
            r[0] = (unsigned char) (1 + n_randint(st, 3));
        int s = pc_search_decode(&b, r, n, err);
        ck_assert(s == PC_OK || s == PC_ERR_INPUT);
        free(r);
    }
    flint_randclear(st);
    pc_search_result_clear(&a);
    pc_search_result_clear(&b);
    pc_search_buf_clear(&buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("search-wire");
    TCase *tc = tu_tcase(s, "wire");
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_damaged);
    return tu_run_suite(s);
}
