/* Certificates and claims (pc_cert.h, pc_claims.h): exact dyadic strings,
 * the content hash, the claims of a run against a run at twice the
 * precision, and the hypotheses of the tail lemma on chosen states. */
#include "testutil.h"
#include "polarcert.h"

/* "M*2^E" or "M" -> the exact number. */
static void parse_dyadic(arf_t x, const char *s)
{
    fmpz_t m, e;
    fmpz_init(m);
    fmpz_init(e);
    const char *star = strchr(s, '*');
    char *ms = strndup(s, star ? (size_t) (star - s) : strlen(s));
    ck_assert_int_eq(fmpz_set_str(m, ms, 10), 0);
    if (star) {
        ck_assert(strncmp(star, "*2^", 3) == 0);
        ck_assert_int_eq(fmpz_set_str(e, star + 3, 10), 0);
    }
    arf_set_fmpz_2exp(x, m, e);
    free(ms);
    fmpz_clear(m);
    fmpz_clear(e);
}

START_TEST(test_dyadic_exact)
{
    flint_rand_t st;
    arf_t x, y;
    flint_randinit(st);
    arf_init(x);
    arf_init(y);
    for (int it = 0; it < 2000; it++) {
        arf_randtest(x, st, 1 + n_randint(st, 400), 1 + n_randint(st, 40));
        char *s = pc_cert_dyadic_str(x);
        parse_dyadic(y, s);
        TU_ASSERT(arf_equal(x, y), "dyadic string %s does not give back its number", s);
        flint_free(s);
    }
    arf_clear(x);
    arf_clear(y);
    flint_randclear(st);
}
END_TEST

START_TEST(test_hash)
{
    char h1[65], h2[65];
    json_t *e = json_object();
    ck_assert_int_eq(pc_cert_hash(h1, e), PC_OK);   /* SHA-256 of "{}" */
    ck_assert_str_eq(h1, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    json_t *a = json_pack("{sssi}", "x", "1*2^-3", "y", 5);
    json_t *b = json_pack("{sissss}", "y", 5, "x", "1*2^-3", "sha256", "junk");
    ck_assert_int_eq(pc_cert_hash(h1, a), PC_OK);
    ck_assert_int_eq(pc_cert_hash(h2, b), PC_OK);
    ck_assert_str_eq(h1, h2);           /* key order and the old hash do not matter */
    ck_assert_int_eq(pc_cert_seal(b), PC_OK);
    ck_assert_str_eq(json_string_value(json_object_get(b, "sha256")), h1);
    json_object_set_new(b, "x", json_string("1*2^-4"));
    ck_assert_int_eq(pc_cert_hash(h2, b), PC_OK);
    ck_assert_str_ne(h1, h2);           /* content changes the hash */
    json_decref(a);
    json_decref(b);
    json_decref(e);
}
END_TEST

static void load_case(pc_problem_t p, const char *name)
{
    char path[4096];
    pc_error_t err;
    const char *dir = getenv("PC_CASES");
    snprintf(path, sizeof path, "%s/%s.json", dir ? dir : "tests/cases", name);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
}

static void run(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind, slong prec, slong T)
{
    pc_flow_opts o;
    pc_error_t err;
    arb_t t;
    pc_flow_opts_default(&o, prec);
    ck_assert_int_eq(pc_enclose_init(E, p, kind, &o), PC_OK);
    arb_init(t);
    arb_set_si(t, T);
    ck_assert_msg(pc_enclose_run(E, t, NULL, 0, err) == PC_OK, "%s", err->msg);
    arb_clear(t);
}

/* The entropy claims of the skewed case (128 bits), checked at many times
 * against dH/dt from an independent run at 256 bits: inside a rising claim
 * the 256-bit dH/dt must not be proven <= 0, inside a falling one not >= 0;
 * and the two thresholds bracket the 256-bit sign change. */
START_TEST(test_claims_against_256_bits)
{
    const pc_system_kind kinds[] = {PC_SYSTEM_TAU, PC_SYSTEM_REDUCED, PC_SYSTEM_FULL};
    pc_problem_t p;
    pc_enclose_t E, R;
    pc_claims_t C;
    pc_enclose_obs_t ob;
    arb_t t;
    arf_t T;
    pc_problem_init(p);
    load_case(p, "logistic-skewed-a-8");
    run(R, p, PC_SYSTEM_REDUCED, 256, 5);
    run(E, p, kinds[_i], 128, 5);
    pc_claims_init(C);
    arf_init(T);
    arf_set_si(T, 5);
    pc_claims_compute(C, E, T, 6, 0);
    pc_enclose_obs_init(ob);
    arb_init(t);
    int inc = 0, dec = 0;
    for (slong k = 0; k < C->len; k++) {
        const pc_claim_struct *c = C->claim + k;
        if (c->kind != PC_CLAIM_ENTROPY_INCREASING && c->kind != PC_CLAIM_ENTROPY_DECREASING)
            continue;
        int sign = c->kind == PC_CLAIM_ENTROPY_INCREASING ? 1 : -1;
        inc += sign > 0;
        dec += sign < 0;
        TU_ASSERT(arf_is_finite(c->to) && arf_cmp(c->to, T) <= 0, "claim beyond T without a lemma");
        for (int m = 0; m <= 64; m++) {         /* from + m (to − from)/64 */
            arb_set_arf(t, c->to);
            arb_sub_arf(t, t, c->from, 256);
            arb_mul_si(t, t, m, 256);
            arb_div_si(t, t, 64, 256);
            arb_add_arf(t, t, c->from, 256);
            ck_assert_int_eq(pc_enclose_observe(ob, R, t), PC_OK);
            TU_ASSERT(sign > 0 ? !arb_is_nonpositive(ob->dH) : !arb_is_nonnegative(ob->dH),
                      "system %d: claimed sign %d refuted at 256 bits", _i, sign);
        }
    }
    TU_ASSERT(inc == 1 && dec == 1, "skewed case: one rising and one falling claim (%d, %d)", inc, dec);
    arb_clear(t);
    arf_clear(T);
    pc_enclose_obs_clear(ob);
    pc_claims_clear(C);
    pc_enclose_clear(E);
    pc_enclose_clear(R);
    pc_problem_clear(p);
}
END_TEST

/* margin-tail/1 on chosen reduced states (u, a) of an 8-token problem. */
START_TEST(test_margin_tail_hypotheses)
{
    pc_problem_t p;
    pc_enclose_t E;
    pc_flow_opts o;
    arb_ptr x = _arb_vec_init(16);
    pc_problem_init(p);
    load_case(p, "logistic-uniform-8");
    pc_flow_opts_default(&o, 128);
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_REDUCED, &o), PC_OK);
    /* token 3 dominant in a and in u: holds */
    arb_set_si(x + 8 + 3, 5);
    arb_set_si(x + 3, 3);
    ck_assert_int_eq(pc_claims_margin_tail_token(E, x), 3);
    /* u_5 above the mean: fails */
    arb_set_si(x + 5, 4);
    ck_assert_int_eq(pc_claims_margin_tail_token(E, x), -1);
    arb_zero(x + 5);
    /* s_3 = e^a/(e^a + 7) just below 5/8: a = log(35/3) − 1e-9; fails. Just above: holds */
    arb_set_si(x + 8 + 3, 35);
    arb_div_si(x + 8 + 3, x + 8 + 3, 3, 128);
    arb_log(x + 8 + 3, x + 8 + 3, 128);
    arb_t eps;
    arb_init(eps);
    arb_set_si(eps, 1);
    arb_mul_2exp_si(eps, eps, -30);
    arb_sub(x + 8 + 3, x + 8 + 3, eps, 128);
    ck_assert_int_eq(pc_claims_margin_tail_token(E, x), -1);
    arb_mul_2exp_si(eps, eps, 1);
    arb_add(x + 8 + 3, x + 8 + 3, eps, 128);
    ck_assert_int_eq(pc_claims_margin_tail_token(E, x), 3);
    /* a wide enclosure that straddles the boundary: not proven */
    arb_add_error_2exp_si(x + 8 + 3, -20);
    ck_assert_int_eq(pc_claims_margin_tail_token(E, x), -1);
    arb_clear(eps);
    _arb_vec_clear(x, 16);
    pc_enclose_clear(E);
    pc_problem_clear(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cert");
    TCase *tc = tu_tcase(s, "cert");
    tcase_add_test(tc, test_dyadic_exact);
    tcase_add_test(tc, test_hash);
    tcase_add_loop_test(tc, test_claims_against_256_bits, 0, 3);
    tcase_add_test(tc, test_margin_tail_hypotheses);
    return tu_run_suite(s);
}
