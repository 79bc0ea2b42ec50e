/* Lemmas pl-tail/1 (square loss with any V(0)) and pl-tail-quadratic/1 (quadratic
 * loss), proofs/pl-tail.md, lib/pc_pltail.h; pl-tail-crossent/1 and pl-tail-weighted/1
 * (proofs/pl-tail-crossent.md, proofs/pl-tail-weighted.md).
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
                                     "quadratic-pl-3x2x3", "crossent-pl-dec-3x3",
                                     "crossent-pl-3x3" };
static const int signs[] = { -1, 1, -1, -1, 1 };
static const slong horizon[] = { 20, 20, 100, 80, 120 };
static const pc_tail_lemma lemma[] = { PC_TAIL_PL, PC_TAIL_PL, PC_TAIL_PLQ, PC_TAIL_PLC,
                                       PC_TAIL_PLC };
#define NPROBLEMS 5

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

/* The checker's exit status on cert (sealed again), its output (stdout and stderr) in out. */
static int verify_output(json_t *cert, char *out, size_t size)
{
    const char *v = getenv("POLARCERT_VERIFY");
    char path[] = "/tmp/pc-pltail-XXXXXX", log[] = "/tmp/pc-pltail-log-XXXXXX", cmd[8192];
    int fd = mkstemp(path), fl = mkstemp(log);
    ck_assert(fd >= 0 && fl >= 0);
    close(fd);
    ck_assert_int_eq(pc_cert_seal(cert), PC_OK);
    ck_assert_int_eq(json_dump_file(cert, path, JSON_INDENT(1)), 0);
    snprintf(cmd, sizeof cmd, "\"%s\" --quiet %s >%s 2>&1",
             v != NULL ? v : "verify/polarcert-verify", path, log);
    int st = system(cmd);
    ssize_t got = read(fl, out, size - 1);
    out[got > 0 ? got : 0] = '\0';
    close(fl);
    unlink(path);
    unlink(log);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static int verify_exit(json_t *cert)
{
    char out[256];
    return verify_output(cert, out, sizeof out);
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

/* pl-tail-crossent/1 (certificate of crossent-pl-dec-3x3): a broken mu, a too-small
 * Y, cones that are not invariant (m2 = 0: no gap left; m2 x 8: above the second
 * eigenvalue), kappa too large (the sign of g.r not settled) or too small (r not in
 * the cone), another direction f, sum f != 0, an asymmetric or not positive definite
 * metric W, the wrong sign, an emptied limit. */
enum { CMUT_MU, CMUT_Y, CMUT_M2_ZERO, CMUT_M2_BIG, CMUT_KAPPA_BIG, CMUT_KAPPA_SMALL,
       CMUT_F_DIR, CMUT_F_SUM, CMUT_W_ASYM, CMUT_WMIN, CMUT_SIGN, CMUT_LIMIT, CMUT_COUNT };

static void mutate_crossent(json_t *c, int which)
{
    json_t *u = lemma_use(c), *f = json_object_get(u, "f"), *Y = json_object_get(u, "enclosure");
    json_t *W = json_object_get(u, "W");
    json_t *lim = claim_of_kind(c, "entropy_limit");
    switch (which) {
    case CMUT_MU: scale_dyadic(u, "mu", 2); break;             /* above Q min sigma |s|^2 */
    case CMUT_Y:
        for (size_t i = 0; i < json_array_size(Y); i++) {
            json_t *ball = json_array_get(Y, i);
            json_array_set_new(ball, 1, dyadic_scaled(json_string_value(json_array_get(ball, 1)), -2));
        }
        break;
    case CMUT_M2_ZERO: set_str(u, "m2", "0"); break;
    case CMUT_M2_BIG: scale_dyadic(u, "m2", 3); break;
    case CMUT_KAPPA_BIG: scale_dyadic(u, "kappa", 6); break;
    case CMUT_KAPPA_SMALL: scale_dyadic(u, "kappa", -40); break;
    case CMUT_F_DIR:
        {
            json_t *f0 = json_copy(json_array_get(f, 0));
            json_array_set(f, 0, json_array_get(f, 1));
            json_array_set_new(f, 1, f0);
        }
        break;
    case CMUT_F_SUM: json_array_set_new(f, 0, json_string("1")); break;
    case CMUT_W_ASYM: json_array_set_new(json_array_get(W, 0), 1, json_string("1")); break;
    case CMUT_WMIN: scale_dyadic(u, "wmin", 6); break;         /* W - wmin I not PD */
    case CMUT_SIGN: set_str(claim_of_kind(c, "entropy_decreasing"), "kind", "entropy_increasing");
        break;
    case CMUT_LIMIT: set_str(lim, "hi", json_string_value(json_object_get(lim, "lo"))); break;
    }
}

START_TEST(test_crossent_mutations)
{
    json_t *c = make_cert(3);
    mutate_crossent(c, _i);
    ck_assert_msg(verify_exit(c) == 1, "pl-tail-crossent mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

/* Where pl-tail-crossent/1 cannot apply, the library says why, at the initial state:
 * q with a zero (no finite minimiser), a symmetric problem whose g = V C(s)^2 a is
 * orthogonal to the slow direction (classes 2 and 3 swapped: g and r symmetric, the
 * slow eigenvector antisymmetric), a repeated slowest eigenvalue (V = 1 v^T and
 * softmax(y) uniform: B = Q |s|^2 C(sigma) is a multiple of the identity on 1-perp),
 * and the square loss (not this lemma). */
START_TEST(test_crossent_not_proven)
{
    static const char *const iso =
        "{\"format\": \"polarcert-problem/1\", \"name\": \"iso\", \"loss\": "
        "\"cross_entropy\", \"d\": 3, \"n\": 3, \"V\": [[\"1/2\", \"-1/4\", \"1/8\"], "
        "[\"1/2\", \"-1/4\", \"1/8\"], [\"1/2\", \"-1/4\", \"1/8\"]], \"a\": [\"0\", "
        "\"1/5\", \"-1/5\"], \"q\": [\"0.333334\", \"0.333333\", \"0.333333\"], "
        "\"T\": \"1\"}";
    static const pc_pltail_status want[] = { PC_PLTAIL_QZERO, PC_PLTAIL_ORTHO, PC_PLTAIL_GAP,
                                             PC_PLTAIL_NA };
    pc_problem_t p;
    pc_error_t err;
    pc_enclose_t E;
    pc_flow_opts o;
    pc_pltail_t L;
    if (_i == 0)
        load_valid(p, "crossent-qzero-3x3");
    else if (_i == 1)
        load_valid(p, "crossent-sym-3x3");
    else if (_i == 3)
        load_valid(p, "square-pl-3x3");
    else {
        pc_problem_init(p);
        ck_assert_msg(pc_problem_load_string(p, iso, "iso", err) == PC_OK, "%s", err->msg);
    }
    pc_flow_opts_default(&o, 128);
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_FULL, &o), PC_OK);
    const slong d = p->d, n = p->n;
    arb_ptr x = _arb_vec_init(d * n + n);
    for (slong i = 0; i < d * n; i++)
        arb_set_fmpq(x + i, p->V + i, 128);
    for (slong j = 0; j < n; j++)
        arb_set_fmpq(x + d * n + j, p->a + j, 128);
    pc_pltail_init(L, d, n);
    ck_assert_int_eq(pc_pltail_crossent_check(L, E, x), 0);
    ck_assert_msg(L->status == want[_i], "case %d: status %d (%s), expected %d", _i,
                  (int) L->status, pc_pltail_reason(L->status), (int) want[_i]);
    ck_assert_ptr_nonnull(pc_pltail_reason(L->status));
    pc_pltail_clear(L);
    _arb_vec_clear(x, d * n + n);
    pc_enclose_clear(E);
    pc_problem_clear(p);
}
END_TEST

/* pc_conclude must not take a pl-tail lemma that proves a rise for ever as the
 * decreasing tail of entropy_decreasing on [t1, inf). With consistent data the
 * steps' sign at T already rules that out, so the test makes the data inconsistent
 * on purpose (white box): after a run whose lemma proves dH/dt < 0 for ever (the
 * conclusion is PROVEN), the lemma's sign is flipped to +1; the conclusion must no
 * longer be PROVEN (it is if the guard pl_rising in lib/pc_conclude.c is removed). */
START_TEST(test_conclude_rising_guard)
{
    pc_problem_t p;
    pc_certify_opts o;
    pc_certify_t R;
    pc_concl_t c;
    pc_concl_result_t r;
    load_valid(p, "crossent-pl-dec-3x3");
    pc_certify_opts_default(&o);
    pc_certify_init(R);
    ck_assert_int_eq(pc_certify_run(R, p, &o), PC_OK);
    ck_assert_int_eq(R->C->tail, PC_TAIL_PLC);
    ck_assert_int_eq(R->C->pl->sign, -1);
    pc_concl_init(c);
    c->kind = PC_CONCL_ENTROPY_DECREASING;
    fmpq_set_si(c->from, 1, 1);
    c->to_inf = 1;
    pc_concl_result_init(r);
    pc_concl_decide(r, c, R, NULL);
    ck_assert_msg(r->verdict == PC_VERDICT_PROVEN, "true tail: %s (%s)",
                  pc_verdict_name(r->verdict), r->why);
    pc_concl_result_clear(r);
    R->C->pl->sign = 1;
    pc_concl_result_init(r);
    pc_concl_decide(r, c, R, NULL);
    ck_assert_msg(r->verdict != PC_VERDICT_PROVEN, "a rising pl-tail taken as a decrease: %s",
                  r->what);
    pc_concl_result_clear(r);
    pc_concl_clear(c);
    pc_certify_clear(R);
    pc_problem_clear(p);
}
END_TEST

/* pl-tail-weighted/1 on square-full-6 at T = 200 (pl-tail/1's round cone is not reached
 * there): an independent run to 250 lies in Y at 225 and 250, with H in the limit
 * enclosure and dH/dt < 0, the lemma's sign. (Not later: by t = 300, dH/dt ~ 1e-33 is
 * below what 128 bits resolve, and its enclosure contains 0.) */
START_TEST(test_weighted_future)
{
    pc_problem_t p;
    pc_enclose_t E, F;
    pc_claims_t C;
    pc_enclose_obs_t ob;
    pc_error_t err;
    arf_t T;
    arb_t t;
    char path[4096];
    const char *dir = getenv("PC_CASES");
    snprintf(path, sizeof path, "%s/square-full-6.json", dir ? dir : "tests/cases");
    pc_problem_init(p);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
    run(E, p, 200);
    run(F, p, 250);
    pc_claims_init(C);
    arf_init(T);
    arf_set_si(T, 200);
    pc_claims_compute(C, E, T, 6, 0);
    ck_assert_int_eq(C->tail, PC_TAIL_PLW);
    ck_assert_int_eq(C->pl->sign, -1);
    slong dim = C->pl->dim;
    arb_ptr x = _arb_vec_init(dim);
    pc_enclose_obs_init(ob);
    arb_init(t);
    for (slong m = 225; m <= 250; m += 25) {
        arb_set_si(t, m);
        ck_assert_int_eq(pc_enclose_state(x, F, t), PC_OK);
        for (slong i = 0; i < dim; i++)
            TU_ASSERT(arb_contains(C->pl->Y + i, x + i), "x_%ld(%ld) outside Y", (long) i,
                      (long) m);
        ck_assert_int_eq(pc_enclose_observe(ob, F, t), PC_OK);
        TU_ASSERT(arb_contains(C->pl->Hlim, ob->H), "H(%ld) outside the limit enclosure",
                  (long) m);
        TU_ASSERT(arb_is_negative(ob->dH), "dH/dt(%ld) not negative", (long) m);
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

/* pl-tail-weighted/1 (proofs/pl-tail-weighted.md): the certificate of square-full-6
 * (certs/, 128 bits, T = 200, where pl-tail/1's round cone is far from reached), tampered
 * and sealed again: each copy must be REJECTED. A broken mu (W2), a too-small Y (W1), a
 * cone that is not invariant (m2 = 0: W4b) or a gap that is not there (m2 x 8: W3), kappa
 * too large (the sign is not settled, W6) or too small (p not in the cone, W5), zeta
 * below the dual norm of g (W6), mmin above lambda_min(M) (W0), theta too large (W5), an
 * asymmetric M (W0), sum e != 0, the wrong sign, an emptied limit. */
enum { WMUT_MU, WMUT_Y, WMUT_M2_ZERO, WMUT_M2_BIG, WMUT_KAPPA_BIG, WMUT_KAPPA_SMALL,
       WMUT_ZETA, WMUT_MMIN, WMUT_THETA, WMUT_M_ASYM, WMUT_E_SUM, WMUT_SIGN, WMUT_LIMIT,
       WMUT_COUNT };

static json_t *load_square_full_6(void)
{
    char path[4096];
    json_error_t jerr;
    const char *dir = getenv("PC_CERTS");
    snprintf(path, sizeof path, "%s/square-full-6.cert.json", dir ? dir : "certs");
    json_t *c = json_load_file(path, 0, &jerr);
    ck_assert_msg(c != NULL, "%s: %s", path, jerr.text);
    ck_assert_str_eq(json_string_value(json_object_get(lemma_use(c), "name")),
                     "pl-tail-weighted");
    return c;
}

static void mutate_weighted(json_t *c, int which)
{
    json_t *u = lemma_use(c), *e = json_object_get(u, "e"), *Y = json_object_get(u, "enclosure");
    json_t *M = json_object_get(u, "M"), *lim = claim_of_kind(c, "entropy_limit");
    switch (which) {
    case WMUT_MU: scale_dyadic(u, "mu", 1); break;             /* above |s|^2 on Y */
    case WMUT_Y:
        for (size_t i = 0; i < json_array_size(Y); i++) {
            json_t *ball = json_array_get(Y, i);
            json_array_set_new(ball, 1, dyadic_scaled(json_string_value(json_array_get(ball, 1)), -2));
        }
        break;
    case WMUT_M2_ZERO: set_str(u, "m2", "0"); break;
    case WMUT_M2_BIG: scale_dyadic(u, "m2", 3); break;
    case WMUT_KAPPA_BIG: scale_dyadic(u, "kappa", 6); break;
    case WMUT_KAPPA_SMALL: scale_dyadic(u, "kappa", -6); break;
    case WMUT_ZETA: scale_dyadic(u, "zeta", -2); break;
    case WMUT_MMIN: scale_dyadic(u, "mmin", 30); break;
    case WMUT_THETA: scale_dyadic(u, "theta", 40); break;
    case WMUT_M_ASYM: json_array_set_new(json_array_get(M, 0), 1, json_string("1")); break;
    case WMUT_E_SUM: json_array_set_new(e, 0, json_string("1")); break;
    case WMUT_SIGN: set_str(claim_of_kind(c, "entropy_decreasing"), "kind", "entropy_increasing");
        break;
    case WMUT_LIMIT: set_str(lim, "hi", json_string_value(json_object_get(lim, "lo"))); break;
    }
}

/* Tiny, targeted tamperings that only W0 (M symmetric) or the exact sum e = 0 can see:
 * the checker must reject them for that reason, not by the luck of another hypothesis.
 * The dyadic "m*2^e" becomes (m 2^30 + 1) 2^(e - 30): a change of 2^(e - 30). */
static json_t *dyadic_nudged(const char *s)
{
    long m = 0, e = 0;
    ck_assert_msg(sscanf(s, "%ld*2^%ld", &m, &e) == 2, "not m*2^e: %s", s);
    char buf[64];
    snprintf(buf, sizeof buf, "%ld*2^%ld", m * (1L << 30) + 1, e - 30);
    return json_string(buf);
}

START_TEST(test_weighted_targeted)
{
    static const char *const expect[] = { "W0: M symmetric", "sum e = 0 exactly" };
    json_t *c = load_square_full_6(), *u = lemma_use(c);
    json_t *row = _i == 0 ? json_array_get(json_object_get(u, "M"), 0) : json_object_get(u, "e");
    size_t at = _i == 0 ? 1 : 0;   /* M[0][1] alone (M[1][0] kept), or e[0] */
    json_array_set_new(row, at, dyadic_nudged(json_string_value(json_array_get(row, at))));
    char out[8192];
    ck_assert_int_eq(verify_output(c, out, sizeof out), 1);
    ck_assert_msg(strstr(out, expect[_i]) != NULL, "targeted mutation %d: %s", _i, out);
    json_decref(c);
}
END_TEST

START_TEST(test_weighted_mutations)
{
    json_t *c = load_square_full_6();
    mutate_weighted(c, _i);
    ck_assert_msg(verify_exit(c) == 1, "pl-tail-weighted mutation %d not rejected", _i);
    json_decref(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pltail");
    TCase *tc = tu_tcase(s, "pltail");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_future_in_box, 0, NPROBLEMS);
    tcase_add_loop_test(tc, test_cert_verifies, 0, NPROBLEMS);
    tcase_add_loop_test(tc, test_crossent_mutations, 0, CMUT_COUNT);
    tcase_add_loop_test(tc, test_crossent_not_proven, 0, 4);
    tcase_add_test(tc, test_conclude_rising_guard);
    tcase_add_loop_test(tc, test_mutations, 0, MUT_COUNT);
    tcase_add_loop_test(tc, test_quadratic_mutations, 0, QMUT_COUNT);
    tcase_add_test(tc, test_weighted_future);
    /* each of these verifies square-full-6 (~5 s, several times that under the
     * sanitizers): the repeats of the suite (PC_QUICK) keep the first three */
    tcase_add_loop_test(tc, test_weighted_mutations, 0,
                        getenv("PC_QUICK") != NULL ? WMUT_M2_ZERO + 1 : WMUT_COUNT);
    tcase_add_loop_test(tc, test_weighted_targeted, 0, 2);
    return tu_run_suite(s);
}
