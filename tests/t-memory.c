/* The memory estimates (pc_memory.h) against what runs really allocate,
 * and the refusals and checked allocations built on them.
 *
 * Every FLINT allocation of this program goes through a counting allocator
 * (installed before the first one), which records the peak of the bytes in
 * use. For small runs of each system (τ, reduced, full) at a precision with
 * inline and one with heap-allocated midpoints, the growth of that peak over
 * a run must be at most the estimate (pc_enclose_memory, plus the steps by
 * pc_flow_memory) and the estimate at most ESTIMATE_FACTOR times the
 * growth: an estimate that misses a workspace (e.g. the Jacobian's, the
 * largest) fails the first check, a wildly pessimistic one the second. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "polarcert.h"

#define ESTIMATE_FACTOR 4.0

/* ---- the counting allocator (a 16-byte header holds the size) ---------- */

static double mem_now, mem_peak, mem_fail_above;   /* fail_above 0: never fail */

static void mem_add(double b)
{
    mem_now += b;
    if (mem_now > mem_peak)
        mem_peak = mem_now;
}

static void *count_malloc(size_t n)
{
    if (mem_fail_above > 0 && (double) n > mem_fail_above)
        return NULL;
    size_t *h = malloc(n + 16);
    if (h == NULL)
        return NULL;
    h[0] = n;
    mem_add((double) n);
    return (char *) h + 16;
}

static void count_free(void *p)
{
    if (p == NULL)
        return;
    size_t *h = (size_t *) ((char *) p - 16);
    mem_now -= (double) h[0];
    free(h);
}

static void *count_calloc(size_t n, size_t size)
{
    void *p = count_malloc(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

static void *count_realloc(void *p, size_t n)
{
    if (p == NULL)
        return count_malloc(n);
    if (mem_fail_above > 0 && (double) n > mem_fail_above)
        return NULL;
    size_t *h = (size_t *) ((char *) p - 16), old = h[0];
    size_t *g = realloc(h, n + 16);
    if (g == NULL)
        return NULL;
    g[0] = n;
    mem_now -= (double) old;
    mem_add((double) n);
    return (char *) g + 16;
}

/* ---- problems ------------------------------------------------------------ */

static void load_case(pc_problem_t p, const char *name)
{
    const char *dir = getenv("PC_CASES");
    char path[4096];
    pc_error_t err;
    snprintf(path, sizeof path, "%s/%s.json", dir ? dir : "tests/cases", name);
    pc_problem_init(p);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
}

static const struct {
    const char *name;
    pc_system_kind kind;
    const char *T;
} runs[] = {
    {"logistic-uniform-8", PC_SYSTEM_TAU, "1"},
    {"logistic-box-8", PC_SYSTEM_REDUCED, "1/8"},
    {"crossent-5x6", PC_SYSTEM_FULL, "1"},
    {"square-full-6", PC_SYSTEM_FULL, "1/32"},
};
static const slong precs[] = {128, 192}, orders[] = {16, 24};

/* Runs case i at precision precs[j] and compares. */
START_TEST(test_estimate_bounds_run)
{
    const int i = _i / 2, j = _i % 2;
    pc_problem_t p;
    pc_flow_opts o;
    pc_enclose_t E;
    pc_error_t err;
    pc_tape_t tape;
    fmpq_t Tq;
    arb_t T;
    double est;
    load_case(p, runs[i].name);
    pc_flow_opts_default(&o, precs[j]);
    o.order = orders[j];                /* short runs; the sizes still matter */
    ck_assert_int_eq(pc_enclose_memory(&est, p, runs[i].kind, &o), PC_OK);
    fmpq_init(Tq);
    arb_init(T);
    ck_assert_int_eq(pc_parse_exact(Tq, runs[i].T, NULL), PC_OK);
    arb_set_fmpq(T, Tq, precs[j]);
    const double base = mem_now;
    mem_peak = mem_now;
    ck_assert_int_eq(pc_enclose_init(E, p, runs[i].kind, &o), PC_OK);
    ck_assert_msg(pc_enclose_run(E, T, NULL, 0, err) == PC_OK, "%s", err->msg);
    const slong nsteps = E->flow->nsteps, dim = E->sys->dim;
    const double used = mem_peak - base;
    pc_enclose_clear(E);
    /* the estimate of the run with its steps: one step is in est already */
    pc_system_tape(tape, runs[i].kind, p, 0);
    est += pc_flow_memory(dim, tape, &o, nsteps) - pc_flow_memory(dim, tape, &o, 1);
    pc_tape_clear(tape);
    fprintf(stderr, "# %-20s %-7s prec %4ld: %3ld steps, peak %9.0f bytes, estimate %9.0f (x%.2f)\n",
            runs[i].name, pc_system_name(runs[i].kind), (long) precs[j], (long) nsteps,
            used, est, est / used);
    ck_assert_msg(nsteps >= 2, "%s: only %ld steps", runs[i].name, (long) nsteps);
    ck_assert_msg(used <= est, "%s at %ld bits: %.0f bytes allocated, estimate only %.0f",
                  runs[i].name, (long) precs[j], used, est);
    ck_assert_msg(est <= ESTIMATE_FACTOR * used, "%s at %ld bits: estimate %.0f is more than "
                  "%.1f times the %.0f bytes allocated", runs[i].name, (long) precs[j], est,
                  ESTIMATE_FACTOR, used);
    fmpq_clear(Tq);
    arb_clear(T);
    pc_problem_clear(p);
}
END_TEST

/* A run whose estimate is above max_memory is refused before it allocates
 * its workspaces; one that passes but whose steps outgrow the limit stops
 * with PC_ERR_MEMORY before storing the step beyond it. */
START_TEST(test_limit_refuses)
{
    pc_problem_t p;
    pc_flow_opts o;
    pc_enclose_t E;
    pc_error_t err;
    arb_t T;
    double est;
    load_case(p, "crossent-5x6");
    pc_flow_opts_default(&o, 128);
    o.order = 12;
    ck_assert_int_eq(pc_enclose_memory(&est, p, PC_SYSTEM_FULL, &o), PC_OK);
    o.max_memory = est * 0.99;
    const double before = mem_now;
    mem_peak = mem_now;
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_FULL, &o), PC_ERR_MEMORY);
    ck_assert_msg(mem_peak - before < est / 4, "refused, but after allocating %.0f bytes",
                  mem_peak - before);
    ck_assert(mem_now == before);               /* nothing left allocated */
    /* room for the workspaces and about 3 steps */
    pc_system_kind kind = PC_SYSTEM_FULL;
    pc_tape_t tape;
    pc_system_tape(tape, kind, p, 0);
    const slong dim = pc_system_dim(kind, p);
    o.max_memory = est + pc_flow_memory(dim, tape, &o, 3) - pc_flow_memory(dim, tape, &o, 1);
    ck_assert_int_eq(pc_enclose_init(E, p, kind, &o), PC_OK);
    arb_init(T);
    arb_set_si(T, 10);
    ck_assert_int_eq(pc_enclose_run(E, T, NULL, 0, err), PC_ERR_MEMORY);
    ck_assert_msg(strstr(err->msg, "memory limit") != NULL, "message: %s", err->msg);
    /* the flow's own estimate decides: the steps stored fit, one more not */
    const slong k = E->flow->nsteps;
    ck_assert(k >= 3);
    ck_assert(pc_flow_memory(dim, tape, &o, k) <= o.max_memory);
    ck_assert(pc_flow_memory(dim, tape, &o, k + 1) > o.max_memory);
    pc_tape_clear(tape);
    pc_enclose_clear(E);
    arb_clear(T);
    pc_problem_clear(p);
}
END_TEST

/* An allocation that fails returns PC_ERR_MEMORY (never an abort): the
 * Taylor workspace with its Jacobian, the set's matrix, the run. */
START_TEST(test_checked_allocations)
{
    pc_problem_t p;
    pc_flow_opts o;
    pc_enclose_t E;
    pc_error_t err;
    pc_tape_t tape;
    pc_taylor_t w;
    arb_t T;
    load_case(p, "crossent-5x6");
    pc_system_tape(tape, PC_SYSTEM_FULL, p, 0);
    const double small = pc_taylor_memory(tape, 20, 0, 128);
    mem_fail_above = small;                     /* the Jacobian's vector fails */
    ck_assert_int_eq(pc_taylor_init(w, tape, 20, 1, 128), PC_ERR_MEMORY);
    ck_assert_int_eq(pc_taylor_init(w, tape, 20, 0, 128), PC_OK);
    pc_taylor_clear(w);
    mem_fail_above = 50000;                     /* the 36 x 36 matrix fails */
    pc_flow_opts_default(&o, 128);
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_FULL, &o), PC_ERR_MEMORY);
    mem_fail_above = 36 * 36 * sizeof(arb_struct) + 64;     /* set fits, workspaces not */
    o.order = 20;
    ck_assert_int_eq(pc_enclose_init(E, p, PC_SYSTEM_FULL, &o), PC_OK);
    arb_init(T);
    arb_set_si(T, 1);
    ck_assert_int_eq(pc_enclose_run(E, T, NULL, 0, err), PC_ERR_MEMORY);
    mem_fail_above = 0;
    pc_enclose_clear(E);
    arb_clear(T);
    pc_tape_clear(tape);
    pc_problem_clear(p);
}
END_TEST

START_TEST(test_parse_size)
{
    double b;
    ck_assert_int_eq(pc_memory_parse_size(&b, "2G"), 0);
    ck_assert(b == 2.0 * (1 << 30));
    ck_assert_int_eq(pc_memory_parse_size(&b, "512M"), 0);
    ck_assert(b == 512.0 * (1 << 20));
    ck_assert_int_eq(pc_memory_parse_size(&b, "1.5GiB"), 0);
    ck_assert(b == 1.5 * (1 << 30));
    ck_assert_int_eq(pc_memory_parse_size(&b, "64k"), 0);
    ck_assert(b == 65536);
    ck_assert_int_eq(pc_memory_parse_size(&b, "1000"), 0);
    ck_assert(b == 1000);
    static const char *const bad[] = {"", "G", "-1G", "0", "2X", "2GG", "inf", "nan", "1e999"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(pc_memory_parse_size(&b, bad[k]) == -1, "'%s' accepted", bad[k]);
    ck_assert(pc_memory_default_limit() > 0);
}
END_TEST

int main(void)
{
    __flint_set_memory_functions(count_malloc, count_calloc, count_realloc, count_free);
    Suite *s = suite_create("memory");
    TCase *tc = tu_tcase(s, "estimates");
    tcase_add_loop_test(tc, test_estimate_bounds_run, 0, 2 * (int) (sizeof runs / sizeof *runs));
    tcase_add_test(tc, test_limit_refuses);
    tcase_add_test(tc, test_checked_allocations);
    tcase_add_test(tc, test_parse_size);
    return tu_run_suite(s);
}
