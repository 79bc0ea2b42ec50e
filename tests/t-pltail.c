/* Lemmas pl-tail/1 (square loss with any V(0)) and pl-tail-quadratic/1 (quadratic
 * loss), proofs/pl-tail.md, lib/pc_pltail.h.
 *
 * (a) What the lemma says, checked against an independent longer run: the enclosure
 *     of the state at 1.5T and 2T (a run that did not stop at T) lies inside the box Y
 *     computed at T, H there inside the claimed limit enclosure, and dH/dt there has
 *     the lemma's sign (square loss falling and rising for ever, quadratic falling).
 * (b) The certificate with the lemma is VERIFIED by polarcert-verify, and tampered
 *     copies (sealed again with a correct hash) are REJECTED: a broken mu, a too-small
 *     Y, hints of a cone that is not invariant or not reached, a wrong direction e, a
 *     wrong sign, a wrong limit. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "polarcert.h"

static void load_valid(pc_problem_t p, const char *name)
{
    char path[4096];
    pc_error_t err;
    const char *dir = getenv("PC_CASES");
    snprintf(path, sizeof path, "%s/../valid/%s.json", dir ? dir : "tests/cases", name);
    pc_problem_init(p);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
}

static void run(pc_enclose_t E, const pc_problem_t p, slong T)
{
    pc_flow_opts o;
    pc_error_t err;
    arb_t t;
    pc_flow_opts_default(&o, 128);
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_FULL, &o), PC_OK);
    arb_init(t);
    arb_set_si(t, T);
    ck_assert_msg(pc_enclose_run(E, t, NULL, 0, err) == PC_OK, "%s", err->msg);
    arb_clear(t);
}

static const char *const names[] = { "square-pl-3x3", "square-pl-rising-2x3",
                                     "quadratic-pl-3x2x3" };
static const int signs[] = { -1, 1, -1 };
static const slong horizon[] = { 20, 20, 100 };
static const pc_tail_lemma lemma[] = { PC_TAIL_PL, PC_TAIL_PL, PC_TAIL_PLQ };

/* (a) the box and the sign hold at later times of an independent run */
START_TEST(test_future_in_box)
{
    pc_problem_t p;
    pc_enclose_t E, F;
    pc_claims_t C;
    pc_enclose_obs_t ob;
    arf_t T;
    arb_t t;
    const slong T0 = horizon[_i];
    load_valid(p, names[_i]);
    run(E, p, T0);
    run(F, p, 2 * T0);
    pc_claims_init(C);
    arf_init(T);
    arf_set_si(T, T0);
    pc_claims_compute(C, E, T, 6, 0);
    ck_assert_int_eq(C->tail, lemma[_i]);
    ck_assert_int_eq(C->pl->sign, signs[_i]);
    slong dim = C->pl->dim;
    arb_ptr x = _arb_vec_init(dim);
    pc_enclose_obs_init(ob);
    arb_init(t);
    for (slong m = 3; m <= 4; m++) {            /* t = 1.5 T, 2 T */
        arb_set_si(t, T0 * m / 2);
        ck_assert_int_eq(pc_enclose_state(x, F, t), PC_OK);
        for (slong i = 0; i < dim; i++)
            TU_ASSERT(arb_contains(C->pl->Y + i, x + i), "x_%ld(%ld) outside Y", (long) i,
                      (long) (T0 * m / 2));
        ck_assert_int_eq(pc_enclose_observe(ob, F, t), PC_OK);
        TU_ASSERT(arb_contains(C->pl->Hlim, ob->H), "H(%ld) outside the limit enclosure",
                  (long) (T0 * m / 2));
        TU_ASSERT(signs[_i] < 0 ? arb_is_negative(ob->dH) : arb_is_positive(ob->dH),
                  "dH/dt(%ld) without the lemma's sign", (long) (T0 * m / 2));
    }
    _arb_vec_clear(x, dim);
    pc_enclose_obs_clear(ob);
    arb_clear(t);
    arf_clear(T);
    pc_claims_clear(C);
    pc_enclose_clear(E);
    pc_enclose_clear(F);
    pc_problem_clear(p);
}
END_TEST

/* The certificate of names[k] at T = 20 (built by the library, sealed). */
static json_t *make_cert(int k)
{
    pc_problem_t p;
    pc_enclose_t E;
    pc_claims_t C;
    arf_t T;
    load_valid(p, names[k]);
    run(E, p, horizon[k]);
    pc_claims_init(C);
    arf_init(T);
    arf_set_si(T, horizon[k]);
    pc_claims_compute(C, E, T, 6, 0);
    ck_assert_int_eq(C->tail, lemma[k]);
    json_t *cert = pc_cert_build(E, C, T);
    ck_assert(cert != NULL);
    arf_clear(T);
    pc_claims_clear(C);
    pc_enclose_clear(E);
    pc_problem_clear(p);
    return cert;
}

static int verify_exit(json_t *cert)
{
    const char *v = getenv("POLARCERT_VERIFY");
    char path[] = "/tmp/pc-pltail-XXXXXX", cmd[8192];
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    ck_assert_int_eq(pc_cert_seal(cert), PC_OK);
    ck_assert_int_eq(json_dump_file(cert, path, JSON_INDENT(1)), 0);
    snprintf(cmd, sizeof cmd, "\"%s\" --quiet %s >/dev/null 2>&1",
             v != NULL ? v : "verify/polarcert-verify", path);
    int st = system(cmd);
    unlink(path);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static json_t *lemma_use(json_t *cert)
{
    return json_array_get(json_object_get(cert, "lemmas"), 0);
}

static json_t *claim_of_kind(json_t *cert, const char *kind)
{
    json_t *claims = json_object_get(cert, "claims"), *c;
    size_t i;
    json_array_foreach(claims, i, c)
        if (strcmp(json_string_value(json_object_get(c, "kind")), kind) == 0)
            return c;
    ck_abort_msg("no %s claim", kind);
    return NULL;
}

static void set_str(json_t *obj, const char *key, const char *v)
{
    ck_assert_int_eq(json_object_set_new(obj, key, json_string(v)), 0);
}

/* The dyadic string s ("M*2^E" or "M") times 2^k, as a new JSON string. */
static json_t *dyadic_scaled(const char *s, int k)
{
    long m = 0, e = 0;
    ck_assert_msg(sscanf(s, "%ld*2^%ld", &m, &e) >= 1, "not a dyadic: %s", s);
    char buf[64];
    snprintf(buf, sizeof buf, "%ld*2^%ld", m, e + k);
    return json_string(buf);
}

static void scale_dyadic(json_t *obj, const char *key, int k)
{
    json_t *v = dyadic_scaled(json_string_value(json_object_get(obj, key)), k);
    ck_assert_int_eq(json_object_set_new(obj, key, v), 0);
}

START_TEST(test_cert_verifies)
{
    json_t *c = make_cert(_i);
    ck_assert_int_eq(verify_exit(c), 0);
    json_decref(c);
}
END_TEST

enum { MUT_MU, MUT_Y, MUT_M2, MUT_KAPPA_BIG, MUT_KAPPA_SMALL, MUT_THETA, MUT_E_SUM,
       MUT_E_DIR, MUT_SIGN, MUT_LIMIT, MUT_ABOVE, MUT_NO_LEMMA, MUT_COUNT };

static void mutate(json_t *c, int which)
{
    json_t *u = lemma_use(c), *e = json_object_get(u, "e"), *Y = json_object_get(u, "enclosure");
    json_t *dec = claim_of_kind(c, "entropy_decreasing");
    json_t *lim = claim_of_kind(c, "entropy_limit");
    switch (which) {
    case MUT_MU: scale_dyadic(u, "mu", 1); break;               /* 2 mu > |s|^2 on Y */
    case MUT_Y:                                                 /* Y = X0 +- rad/4 */
        for (size_t i = 0; i < json_array_size(Y); i++) {
            json_t *ball = json_array_get(Y, i);
            json_array_set_new(ball, 1, dyadic_scaled(json_string_value(json_array_get(ball, 1)), -2));
        }
        break;
    case MUT_M2: set_str(u, "m2", "0"); break;                  /* no gap: not invariant */
    case MUT_KAPPA_BIG: scale_dyadic(u, "kappa", 6); break;     /* sign not settled */
    case MUT_KAPPA_SMALL: scale_dyadic(u, "kappa", -6); break;  /* p not in the cone */
    case MUT_THETA: scale_dyadic(u, "theta", 40); break;        /* |alpha| < theta R0^2 */
    case MUT_E_SUM:                                             /* sum e != 0 */
        json_array_set_new(e, 0, json_string("1"));
        break;
    case MUT_E_DIR:                                             /* e -> another direction */
        {
            json_t *e0 = json_copy(json_array_get(e, 0));
            json_array_set(e, 0, json_array_get(e, 1));
            json_array_set_new(e, 1, e0);
        }
        break;
    case MUT_SIGN: set_str(dec, "kind", "entropy_increasing"); break;
    case MUT_LIMIT: set_str(lim, "hi", json_string_value(json_object_get(lim, "lo"))); break;
    case MUT_ABOVE: set_str(claim_of_kind(c, "entropy_above"), "bound",
                            json_string_value(json_object_get(lim, "hi"))); break;
    case MUT_NO_LEMMA: json_array_clear(json_object_get(c, "lemmas")); break;
    }
}

START_TEST(test_mutations)
{
    json_t *c = make_cert(0);
    mutate(c, _i);
    ck_assert_msg(verify_exit(c) == 1, "pl-tail mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

enum { QMUT_GMIN, QMUT_Y, QMUT_M2, QMUT_KAPPA_BIG, QMUT_F_DIR, QMUT_SIGN, QMUT_COUNT };

static void mutate_quadratic(json_t *c, int which)
{
    json_t *u = lemma_use(c), *f = json_object_get(u, "f"), *Y = json_object_get(u, "enclosure");
    switch (which) {
    case QMUT_GMIN: scale_dyadic(u, "gmin", 4); break;         /* above lambda_min(X^T X) */
    case QMUT_Y:
        for (size_t i = 0; i < json_array_size(Y); i++) {
            json_t *ball = json_array_get(Y, i);
            json_array_set_new(ball, 1, dyadic_scaled(json_string_value(json_array_get(ball, 1)), -2));
        }
        break;
    case QMUT_M2: set_str(u, "m2", "0"); break;
    case QMUT_KAPPA_BIG: scale_dyadic(u, "kappa", 4); break;   /* the sign is not settled */
    case QMUT_F_DIR:
        {
            json_t *f0 = json_copy(json_array_get(f, 0));
            json_array_set(f, 0, json_array_get(f, 1));
            json_array_set_new(f, 1, f0);
        }
        break;
    case QMUT_SIGN: set_str(claim_of_kind(c, "entropy_decreasing"), "kind", "entropy_increasing");
        break;
    }
}

START_TEST(test_quadratic_mutations)
{
    json_t *c = make_cert(2);
    mutate_quadratic(c, _i);
    ck_assert_msg(verify_exit(c) == 1, "pl-tail-quadratic mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pltail");
    TCase *tc = tu_tcase(s, "pltail");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_future_in_box, 0, 3);
    tcase_add_loop_test(tc, test_cert_verifies, 0, 3);
    tcase_add_loop_test(tc, test_mutations, 0, MUT_COUNT);
    tcase_add_loop_test(tc, test_quadratic_mutations, 0, QMUT_COUNT);
    return tu_run_suite(s);
}
