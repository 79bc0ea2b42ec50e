/* The search store (lib/pc_store.c, certs/STORE.md): what the schema
 * refuses whoever writes (a second row for an instance, an index beyond the
 * campaign, a confirmation of a non-candidate, a certificate that does not
 * match its SHA-256), the order of the candidates to confirm (score
 * descending, ties by index, no score last, best k), the counts, and the
 * certificate read back byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>
#include <nettle/sha2.h>
#include "testutil.h"
#include "pc_store.h"

static char dir[256];

static void load_campaign(pc_campaign_t c)
{
    const char *src = getenv("PC_SRCDIR");
    char path[1024];
    pc_error_t err;
    snprintf(path, sizeof path, "%s/tests/store/small.json", src ? src : ".");
    pc_campaign_init(c);
    int st = pc_campaign_load_file(c, path, err);
    if (st != PC_OK)
        ck_abort_msg("%s", err->msg);
    ck_assert_int_eq(c->instances, 40);
    ck_assert_int_eq(c->confirm_best, 4);
}

static void new_store(pc_store_t S, const pc_campaign_t c, const char *name)
{
    char path[512];
    pc_error_t err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    pc_store_init(S);
    int st = pc_store_create(S, path, c, err);
    if (st != PC_OK)
        ck_abort_msg("%s", err->msg);
}

static pc_screen_result screen(pc_screen_status s, double score)
{
    pc_screen_result r;
    memset(&r, 0, sizeof r);
    r.status = s;
    r.score = score;
    snprintf(r.target, sizeof r.target, "entropy_decreasing");
    snprintf(r.reason, sizeof r.reason, "test");
    return r;
}

static void sha_hex(char out[65], const char *d, size_t n)
{
    struct sha256_ctx c;
    uint8_t g[32];
    sha256_init(&c);
    sha256_update(&c, n, (const uint8_t *) d);
    sha256_digest(&c, 32, g);
    for (int k = 0; k < 32; k++)
        snprintf(out + 2 * k, 3, "%02x", g[k]);
}

START_TEST(test_constraints)
{
    pc_campaign_t c;
    pc_store_t S;
    pc_error_t err;
    load_campaign(c);
    new_store(S, c, "a.db");
    pc_screen_result r = screen(PC_SCREEN_CANDIDATE, 2.0);
    ck_assert_int_eq(pc_store_put_screen(S, 5, &r, err), PC_OK);
    ck_assert_int_eq(pc_store_put_screen(S, 5, &r, err), PC_ERR_INPUT);      /* twice */
    ck_assert_int_eq(pc_store_put_screen(S, 40, &r, err), PC_ERR_INPUT);     /* beyond */
    ck_assert_ptr_nonnull(strstr(err->msg, "beyond the campaign"));
    ck_assert_int_eq(pc_store_put_screen(S, -1, &r, err), PC_ERR_INPUT);
    r = screen(PC_SCREEN_CLEAR, 1.0);
    ck_assert_int_eq(pc_store_put_screen(S, 6, &r, err), PC_OK);

    pc_confirm_result k;
    pc_confirm_result_init(&k);
    k.confirmed = 1;
    k.verdict = 1;
    k.claims = strdup("conclusion REFUTED\n");
    k.cert = strdup("{\"format\": \"polarcert-cert/1\"}\n");
    k.cert_len = strlen(k.cert);
    sha_hex(k.cert_sha256, k.cert, k.cert_len);
    pc_verify_result v = {"VERIFIED", "VERIFIED", 0.5};
    /* not a candidate; not screened at all */
    ck_assert_int_eq(pc_store_put_confirm(S, 6, &k, &v, err), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err->msg, "not a candidate"));
    ck_assert_int_eq(pc_store_put_confirm(S, 7, &k, &v, err), PC_ERR_INPUT);
    /* a certificate that is not the one its SHA-256 names */
    k.cert[0] = '[';
    ck_assert_int_eq(pc_store_put_confirm(S, 5, &k, &v, err), PC_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err->msg, "SHA-256"));
    k.cert[0] = '{';
    ck_assert_int_eq(pc_store_put_confirm(S, 5, &k, &v, err), PC_OK);
    ck_assert_int_eq(pc_store_put_confirm(S, 5, &k, &v, err), PC_ERR_INPUT);  /* twice */

    char *cert;
    size_t len;
    ck_assert_int_eq(pc_store_cert(&cert, &len, 5, S, err), PC_OK);
    ck_assert_uint_eq(len, k.cert_len);
    ck_assert(memcmp(cert, k.cert, len) == 0);
    free(cert);
    ck_assert_int_eq(pc_store_cert(&cert, &len, 6, S, err), PC_ERR_INPUT);

    pc_store_counts n;
    ck_assert_int_eq(pc_store_count(&n, S, err), PC_OK);
    ck_assert_int_eq(n.instances, 40);
    ck_assert_int_eq(n.screened, 2);
    ck_assert_int_eq(n.candidates, 1);
    ck_assert_int_eq(n.clear, 1);
    ck_assert_int_eq(n.checked, 1);
    ck_assert_int_eq(n.confirmed, 1);
    ck_assert_int_eq(n.verified, 1);
    ck_assert_int_eq(pc_store_integrity(S, err), PC_OK);
    ck_assert_int_eq(pc_store_check_campaign(S, c, err), PC_OK);
    pc_confirm_result_clear(&k);
    pc_store_clear(S);

    /* the store again, as a reader and as the writer (the lock is free) */
    char path[512];
    snprintf(path, sizeof path, "%s/a.db", dir);
    ck_assert_int_eq(pc_store_open(S, path, 1, err), PC_OK);
    pc_store_t S2;
    ck_assert_int_eq(pc_store_open(S2, path, 1, err), PC_ERR_IO);    /* one writer */
    ck_assert_int_eq(pc_store_open(S2, path, 0, err), PC_OK);        /* readers: any */
    pc_store_clear(S2);
    pc_store_clear(S);
    ck_assert_int_eq(pc_store_create(S, path, c, err), PC_ERR_IO);    /* exists */
    pc_campaign_clear(c);
}
END_TEST

START_TEST(test_to_confirm_order)
{
    pc_campaign_t c;
    pc_store_t S;
    pc_error_t err;
    load_campaign(c);
    new_store(S, c, "b.db");
    /* candidates: 3 (score 1), 8 (5), 1 (5), 20 (none), 11 (7); 2 clear (9) */
    const slong idx[] = {3, 8, 1, 20, 11, 2};
    const double sc[] = {1.0, 5.0, 5.0, NAN, 7.0, 9.0};
    for (int k = 0; k < 6; k++) {
        pc_screen_result r = screen(k == 5 ? PC_SCREEN_CLEAR : PC_SCREEN_CANDIDATE, sc[k]);
        ck_assert_int_eq(pc_store_put_screen(S, idx[k], &r, err), PC_OK);
    }
    slong *todo, n;
    ck_assert_int_eq(pc_store_to_confirm(&todo, &n, 0, S, err), PC_OK);
    const slong all[] = {11, 1, 8, 3, 20};
    ck_assert_int_eq(n, 5);
    for (int k = 0; k < 5; k++)
        ck_assert_int_eq(todo[k], all[k]);
    free(todo);
    ck_assert_int_eq(pc_store_to_confirm(&todo, &n, 2, S, err), PC_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(todo[0], 11);
    ck_assert_int_eq(todo[1], 1);
    free(todo);
    /* 11 confirmed: the best 2 still to do are {1} (11 is done), not 8 */
    pc_confirm_result k;
    pc_confirm_result_init(&k);
    snprintf(k.reason, sizeof k.reason, "undecided");
    ck_assert_int_eq(pc_store_put_confirm(S, 11, &k, NULL, err), PC_OK);
    ck_assert_int_eq(pc_store_to_confirm(&todo, &n, 2, S, err), PC_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(todo[0], 1);
    free(todo);
    unsigned char done[40];
    ck_assert_int_eq(pc_store_screened(done, 40, S, err), PC_OK);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(done[i], i == 1 || i == 2 || i == 3 || i == 8 || i == 11 || i == 20);
    pc_store_clear(S);
    pc_campaign_clear(c);
}
END_TEST

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/t-store.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 99;
    Suite *s = suite_create("store");
    TCase *tc = tu_tcase(s, "store");
    tcase_add_test(tc, test_constraints);
    tcase_add_test(tc, test_to_confirm_order);
    int st = tu_run_suite(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        st = 1;
    return st;
}
