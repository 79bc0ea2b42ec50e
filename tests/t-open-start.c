/* The open start (proofs/open-start.md, pc_claims.h): with a(0) exactly
 * uniform, dH/dt = σ G along the first step, and G < 0 on [0, δ] proves
 * dH/dt < 0 on (0, δ]. Tests: the claim on (0, T] for a uniform a(0) in
 * every system; G against dH/dt(σ)/σ from an independent run at 256 bits
 * (containment at many σ; a sign flipped in the divided series fails it and
 * the claim test, checked by hand); no open start where G(0) = 0 (u(0) constant) or a(0) is not uniform. */
#include "testutil.h"
#include "polarcert.h"

static void load_case(pc_problem_t p, const char *name)
{
    char path[4096];
    pc_error_t err;
    const char *dir = getenv("PC_CASES");
    snprintf(path, sizeof path, "%s/%s.json", dir ? dir : "tests/cases", name);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
}

/* Runs E to T at prec bits (order 0: automatic; drop: the test hook that
 * omits the Lagrange remainder). */
static void run(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind, slong prec,
                slong order, int drop, const char *T)
{
    pc_flow_opts o;
    pc_error_t err;
    arb_t t;
    pc_flow_opts_default(&o, prec);
    o.order = order;
    o.drop_remainder = drop;
    ck_assert_int_eq(pc_enclose_init(E, p, kind, &o), PC_OK);
    arb_init(t);
    ck_assert_int_eq(arb_set_str(t, T, prec), 0);
    ck_assert_msg(pc_enclose_run(E, t, NULL, 0, err) == PC_OK, "%s", err->msg);
    arb_clear(t);
}

static const pc_claim_struct *find(const pc_claims_t C, pc_claim_kind kind)
{
    for (slong k = 0; k < C->len; k++)
        if (C->claim[k].kind == kind)
            return C->claim + k;
    return NULL;
}

/* logistic-uniform-8 (a(0) = 0) to T = 1: entropy_decreasing on (0, 1],
 * open, in each system; and G < 0 over the first 64th of the first step. */
START_TEST(test_open_claim)
{
    const pc_system_kind kinds[] = {PC_SYSTEM_TAU, PC_SYSTEM_REDUCED, PC_SYSTEM_FULL};
    pc_problem_t p;
    pc_enclose_t E;
    pc_claims_t C;
    arf_t T, lo, hi;
    arb_t G;
    pc_problem_init(p);
    load_case(p, "logistic-uniform-8");
    run(E, p, kinds[_i], 128, 0, 0, "1");
    ck_assert(pc_claims_open_start_applies(E));
    arf_init(T);
    arf_init(lo);
    arf_init(hi);
    arb_init(G);
    arf_set(T, arb_midref(E->T));
    pc_claims_init(C);
    pc_claims_compute(C, E, T, 6, 0);
    const pc_claim_struct *dec = find(C, PC_CLAIM_ENTROPY_DECREASING);
    TU_ASSERT(dec != NULL, "system %d: no entropy_decreasing claim", _i);
    TU_ASSERT(dec->open_from && arf_is_zero(dec->from) && C->open_start,
              "system %d: the claim is not on (0, T]", _i);
    TU_ASSERT(find(C, PC_CLAIM_ENTROPY_INCREASING) == NULL, "system %d: an increase", _i);
    arf_mul_2exp_si(hi, arb_midref(E->flow->step[0].h), -6);
    pc_claims_open_rate(G, E, lo, hi);
    TU_ASSERT(arb_is_negative(G), "system %d: G < 0 not proven on [0, h/64]", _i);
    arb_clear(G);
    arf_clear(T);
    arf_clear(lo);
    arf_clear(hi);
    pc_claims_clear(C);
    pc_enclose_clear(E);
    pc_problem_clear(p);
}
END_TEST

/* G over the point pieces [σ, σ] and over [0, σ] of the first step of a
 * low-order run (reduced system, real time σ = t) must contain
 * dH/dt(σ)/σ of a 256-bit run, for σ = m h / 16. Returns the number of σ
 * where containment fails. (A run without the Lagrange remainder, the test
 * hook drop_remainder, is not caught here: the step control keeps the
 * remainder below the other error terms of G, about 10^-1 of its radius.) */
static int open_rate_misses(int drop)
{
    pc_problem_t p;
    pc_enclose_t E, R;
    pc_enclose_obs_t ob;
    arf_t zero, s;
    arb_t G, G0, t, ref;
    int misses = 0;
    pc_problem_init(p);
    load_case(p, "logistic-uniform-8");
    run(E, p, PC_SYSTEM_REDUCED, 128, 6, drop, "0.125");
    run(R, p, PC_SYSTEM_REDUCED, 256, 0, 0, "0.25");
    pc_enclose_obs_init(ob);
    arf_init(zero);
    arf_init(s);
    arb_init(G);
    arb_init(G0);
    arb_init(t);
    arb_init(ref);
    const pc_flow_step_struct *st = E->flow->step;
    for (int m = 1; m <= 16; m++) {
        arf_mul_si(s, arb_midref(st->h), m, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(s, s, -4);
        arb_set_arf(t, s);
        ck_assert_int_eq(pc_enclose_observe(ob, R, t), PC_OK);
        arb_div(ref, ob->dH, t, 256);
        pc_claims_open_rate(G, E, s, s);
        pc_claims_open_rate(G0, E, zero, s);
        misses += !arb_contains(G, ref) || !arb_contains(G0, ref);
    }
    arf_clear(zero);
    arf_clear(s);
    arb_clear(G);
    arb_clear(G0);
    arb_clear(t);
    arb_clear(ref);
    pc_enclose_obs_clear(ob);
    pc_enclose_clear(E);
    pc_enclose_clear(R);
    pc_problem_clear(p);
    return misses;
}

/* The divided series α_j(σ) = (a_j(σ) − a_j(0))/σ over point pieces [σ, σ]
 * and over [0, σ] of the first step (reduced system, order 6) must contain
 * a_j(σ)/σ (a(0) = 0) of a 256-bit run at order 0 (automatic), for σ =
 * m h / 16 (containment on a real run; a dropped remainder is NOT caught
 * here: the step control makes it about 2^-prec, 20 times below the
 * rounding radius of the coefficients — test_divided_exact catches it).
 * Returns the number of misses. */
static int divided_misses(void)
{
    pc_problem_t p;
    pc_enclose_t E, R;
    arf_t zero, s;
    arb_t t;
    int misses = 0;
    pc_problem_init(p);
    load_case(p, "logistic-uniform-8");
    run(E, p, PC_SYSTEM_REDUCED, 128, 6, 0, "0.125");
    run(R, p, PC_SYSTEM_REDUCED, 256, 0, 0, "0.25");
    const slong n = p->n, full = p->d * n + n;
    arb_ptr al = _arb_vec_init(n), al0 = _arb_vec_init(n), x = _arb_vec_init(full);
    arf_init(zero);
    arf_init(s);
    arb_init(t);
    const pc_flow_step_struct *st = E->flow->step;
    for (int m = 1; m <= 16; m++) {
        arf_mul_si(s, arb_midref(st->h), m, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(s, s, -4);
        arb_set_arf(t, s);
        ck_assert_int_eq(pc_enclose_state(x, R, t), PC_OK);
        pc_claims_open_divided(al, E, s, s);
        pc_claims_open_divided(al0, E, zero, s);
        for (slong j = 0; j < n; j++) {
            arb_div(x + p->d * n + j, x + p->d * n + j, t, 256);    /* a_j(σ)/σ */
            misses += !arb_contains(al + j, x + p->d * n + j) ||
                      !arb_contains(al0 + j, x + p->d * n + j);
        }
    }
    _arb_vec_clear(al, n);
    _arb_vec_clear(al0, n);
    _arb_vec_clear(x, full);
    arf_clear(zero);
    arf_clear(s);
    arb_clear(t);
    pc_enclose_clear(E);
    pc_enclose_clear(R);
    pc_problem_clear(p);
    return misses;
}

/* The divided series on a step whose exact solution is known and whose
 * remainder is large: x_j(τ) = e^{c_j τ} − 1 on [0, h], h = 1/2, order
 * K = 4, so coef_k = c_j^k / k! and the remainder (the coefficient of order
 * K + 1 at any ξ in [0, h]) lies in c_j^5/5! · [1, e^{c_j h}] (c_j > 0).
 * (x_j(τ) − x_j(0))/τ = (e^{c_j τ} − 1)/τ, computed at 256 bits, must lie in
 * the series at points τ and over [0, τ]. The dropped remainder is about
 * 10^-4 here, far above rounding: a series without it misses at once
 * (checked by hand: with rem not added in _pc_claims_divided_eval, 3 x 16
 * x 2 misses). */
START_TEST(test_divided_exact)
{
    const slong K = 4, n = 3, dim = 3, prec = 128;
    const slong cj[3] = {1, 2, 3};      /* c_j = cj / 2 */
    arb_ptr coef = _arb_vec_init((K + 1) * dim), rem = _arb_vec_init(dim);
    arb_ptr al = _arb_vec_init(n), al0 = _arb_vec_init(n);
    arb_t c, h, t, t0, x, ref, lo, hi;
    arb_init(c); arb_init(h); arb_init(t); arb_init(t0); arb_init(x); arb_init(ref);
    arb_init(lo); arb_init(hi);
    arb_set_d(h, 0.5);
    for (slong j = 0; j < n; j++) {
        arb_set_si(c, cj[j]);
        arb_mul_2exp_si(c, c, -1);
        arb_one(coef + j);
        for (slong k = 1; k <= K; k++) {            /* c^k / k! */
            arb_mul(coef + k * dim + j, coef + (k - 1) * dim + j, c, prec);
            arb_div_si(coef + k * dim + j, coef + k * dim + j, k, prec);
        }
        arb_mul(lo, coef + K * dim + j, c, prec);    /* c^5 / 5! */
        arb_div_si(lo, lo, K + 1, prec);
        arb_mul(x, c, h, prec);
        arb_exp(x, x, prec);
        arb_mul(hi, lo, x, prec);
        arb_union(rem + j, lo, hi, prec);
        arb_zero(coef + j);                          /* x(0) = 0 */
    }
    int misses = 0;
    for (int m = 1; m <= 16; m++) {
        arb_mul_si(t, h, m, prec);
        arb_mul_2exp_si(t, t, -4);
        arb_zero(x);                                 /* [0, τ] */
        arb_union(t0, t, x, prec);
        _pc_claims_divided_eval(al, coef, rem, K, dim, 0, n, t, prec);
        _pc_claims_divided_eval(al0, coef, rem, K, dim, 0, n, t0, prec);
        for (slong j = 0; j < n; j++) {
            arb_set_si(c, cj[j]);
            arb_mul_2exp_si(c, c, -1);
            arb_mul(ref, c, t, 256);
            arb_expm1(ref, ref, 256);
            arb_div(ref, ref, t, 256);
            misses += !arb_contains(al + j, ref) + !arb_contains(al0 + j, ref);
        }
    }
    TU_ASSERT(misses == 0, "the divided series misses (e^{c t} - 1)/t %d times", misses);
    _arb_vec_clear(coef, (K + 1) * dim);
    _arb_vec_clear(rem, dim);
    _arb_vec_clear(al, n);
    _arb_vec_clear(al0, n);
    arb_clear(c); arb_clear(h); arb_clear(t); arb_clear(t0); arb_clear(x); arb_clear(ref);
    arb_clear(lo); arb_clear(hi);
}
END_TEST

START_TEST(test_open_divided_contains)
{
    int misses = divided_misses();
    TU_ASSERT(misses == 0, "the divided series misses a_j(s)/s %d times (16 points, 8 tokens)",
              misses);
}
END_TEST

START_TEST(test_open_rate_contains)
{
    int misses = open_rate_misses(0);
    TU_ASSERT(misses == 0, "G misses dH/dt(s)/s at %d of 16 points", misses);
}
END_TEST

/* V(0) = 0: u = Vᵀβ stays proportional to the uniform s, a stays uniform,
 * dH/dt = 0 and G(0) = 0: no open start, no decrease claim. A skewed a(0):
 * the open start does not apply. */
START_TEST(test_no_open_start)
{
    pc_problem_t p;
    pc_enclose_t E;
    pc_claims_t C;
    arf_t T, lo, hi;
    arb_t G;
    pc_problem_init(p);
    load_case(p, "logistic-uniform-8");
    for (slong k = 0; k < p->d * p->n; k++)
        fmpq_zero(p->V + k);
    run(E, p, PC_SYSTEM_REDUCED, 128, 0, 0, "1");
    arf_init(T);
    arf_init(lo);
    arf_init(hi);
    arb_init(G);
    arf_set(T, arb_midref(E->T));
    pc_claims_init(C);
    pc_claims_compute(C, E, T, 6, 0);
    TU_ASSERT(find(C, PC_CLAIM_ENTROPY_DECREASING) == NULL && !C->open_start,
              "V(0) = 0: a decrease claimed although H is constant");
    arf_mul_2exp_si(hi, arb_midref(E->flow->step[0].h), -6);
    pc_claims_open_rate(G, E, lo, hi);
    TU_ASSERT(!arb_is_negative(G), "V(0) = 0: G < 0 although G(0) = 0");
    pc_claims_clear(C);
    pc_enclose_clear(E);
    pc_problem_clear(p);
    pc_problem_init(p);
    load_case(p, "logistic-skewed-a-8");
    run(E, p, PC_SYSTEM_REDUCED, 128, 0, 0, "0.0625");
    TU_ASSERT(!pc_claims_open_start_applies(E), "skewed a(0): open start applies");
    arb_clear(G);
    arf_clear(T);
    arf_clear(lo);
    arf_clear(hi);
    pc_enclose_clear(E);
    pc_problem_clear(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("open-start");
    TCase *tc = tu_tcase(s, "open-start");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_open_claim, 0, 3);
    tcase_add_test(tc, test_open_rate_contains);
    tcase_add_test(tc, test_open_divided_contains);
    tcase_add_test(tc, test_divided_exact);
    tcase_add_test(tc, test_no_open_start);
    return tu_run_suite(s);
}
