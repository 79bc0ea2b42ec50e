/* Hostile certificates must not make polarcert-verify use unbounded memory
 * or time: each is refused with exit 2, a message naming the limit and the
 * option that raises it, and quickly (the checker runs under ulimit -v 4 GB
 * -- not under AddressSanitizer, which needs more address space -- and a
 * 60 s timeout, so a missing limit shows as a failure, never as a swamped
 * machine). The certificates are made here, small where possible:
 * from certs/logistic-skewed-a-8 with a changed method or many claims, and
 * synthetic ones for large n (generated, not committed). Each is sealed
 * with a correct hash, so that only the limits can stop it. That the
 * default limits accept every certificate of certs/ is tested by
 * tests/certs-verify.sh. */
#define _DEFAULT_SOURCE
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "polarcert.h"

static const char *verify_prog(void)
{
    const char *v = getenv("POLARCERT_VERIFY");
    return v != NULL ? v : "verify/polarcert-verify";
}

static json_t *load_cert(void)
{
    const char *dir = getenv("PC_CERTS");
    char path[4096];
    snprintf(path, sizeof path, "%s/logistic-skewed-a-8.cert.json", dir ? dir : "certs");
    json_error_t e;
    json_t *c = json_load_file(path, 0, &e);
    ck_assert_msg(c != NULL, "cannot read %s: %s", path, e.text);
    return c;
}

/* Built with AddressSanitizer (which needs far more address space than
 * ulimit -v 4 GB, and changes the memory a run takes)? */
static int sanitizers(void)
{
    const char *s = getenv("PC_SANITIZERS");
    return s != NULL && *s != '\0';
}

static char err_text[8192];

/* Runs the checker with options on the sealed cert: its exit code, with its
 * output (--quiet: the verdict or the message) in err_text. */
static int verify_exit(json_t *cert, const char *opts)
{
    char path[] = "/tmp/pc-limits-XXXXXX", epath[] = "/tmp/pc-limits-err-XXXXXX", cmd[8192];
    int fd = mkstemp(path), efd = mkstemp(epath);
    ck_assert(fd >= 0 && efd >= 0);
    close(fd);
    ck_assert_int_eq(pc_cert_seal(cert), PC_OK);
    ck_assert_int_eq(json_dump_file(cert, path, JSON_COMPACT), 0);
    snprintf(cmd, sizeof cmd, "%s exec timeout 60 \"%s\" --quiet %s %s >%s 2>&1",
             sanitizers() ? "" : "ulimit -v 4000000;", verify_prog(), opts, path, epath);
    int st = system(cmd);
    ssize_t n = read(efd, err_text, sizeof err_text - 1);
    err_text[n > 0 ? n : 0] = '\0';
    close(efd);
    unlink(path);
    unlink(epath);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void expect_refused(json_t *cert, const char *opts, const char *what, const char *option)
{
    int st = verify_exit(cert, opts);
    ck_assert_msg(st == 2, "exit %d, expected 2 (%s); stderr: %s", st, what, err_text);
    ck_assert_msg(strstr(err_text, "resource limit") != NULL && strstr(err_text, what) != NULL
                  && strstr(err_text, option) != NULL,
                  "the message does not name '%s' and '%s': %s", what, option, err_text);
}

static json_t *method(json_t *c)
{
    return json_object_get(c, "method");
}

/* prec 65536 (the format's maximum): beyond the precision cap; allowed by
 * --max-prec, the memory of the Taylor coefficients at that precision is
 * refused under a small memory limit, and under the default one the work
 * (the original: a 949-byte certificate needing ~41 GB for MPFI derivatives
 * of order 38; the checker's Jacobian is now fixed point, a few MB). */
START_TEST(test_prec)
{
    json_t *c = load_cert();
    json_object_set_new(method(c), "prec", json_integer(65536));
    json_object_set_new(method(c), "jac_prec", json_integer(65536));
    json_t *steps = json_object_get(c, "steps"), *s;
    size_t i;
    json_array_foreach(steps, i, s)
        json_object_set_new(s, "jac_order", json_integer(38));
    expect_refused(c, "", "method.prec = 65536", "--max-prec");
    expect_refused(c, "--max-prec 65536 --max-memory 16M", "of memory", "--max-memory");
    expect_refused(c, "--max-prec 65536", "work units", "--max-work");
    json_decref(c);
}
END_TEST

/* sign_depth 60 with 2000 false gap claims (100 s before): beyond the depth
 * cap; at a permitted depth, the bisection's work budget stops it. */
static json_t *many_gap_claims(int count)
{
    json_t *c = load_cert(), *claims = json_object_get(c, "claims");
    const char *horizon = json_string_value(json_object_get(c, "horizon"));
    for (int k = 0; k < count; k++) {
        int i = k % 8, j = (i + 1 + k / 8 % 7) % 8;       /* j != i */
        json_array_append_new(claims, json_pack("{s:s, s:s, s:s, s:i, s:i}", "kind",
                              "logit_gap_decreasing", "from", "0", "to", horizon, "i", i, "j", j));
    }
    return c;
}

START_TEST(test_claims_work)
{
    json_t *c = many_gap_claims(2000);
    json_object_set_new(method(c), "sign_depth", json_integer(60));
    expect_refused(c, "", "method.sign_depth = 60", "--max-depth");
    /* a budget just above the estimate made before the check: the
     * bisection of the 2000 claims must be what exceeds it */
    json_object_set_new(method(c), "sign_depth", json_integer(20));
    expect_refused(c, "--max-work 1", "checking needs about", "--max-work");
    double w = 0;
    ck_assert(sscanf(strstr(err_text, "needs about") + 11, "%lf", &w) == 1 && w > 1);
    char opt[64];
    snprintf(opt, sizeof opt, "--max-work %.6g", 1.001 * w + 1e5);
    expect_refused(c, opt, "bisection", "--max-work");
    json_decref(c);
}
END_TEST

/* The highest order at the highest default precision: a small file whose
 * Taylor coefficients alone take hours (122 s before for a 557-byte one). */
START_TEST(test_order_work)
{
    json_t *c = load_cert();
    json_object_set_new(method(c), "order", json_integer(400));
    json_object_set_new(method(c), "prec", json_integer(4096));
    expect_refused(c, "", "work units", "--max-work");
    json_decref(c);
}
END_TEST

/* The same in 1 kB: 3 steps of a 2-token problem at order and Jacobian
 * order 400 and 4096 bits (a 557-byte one took 122 s before; this one more
 * than 400 s). */
START_TEST(test_small_slow)
{
    json_t *steps = json_array();
    for (int k = 0; k < 3; k++) {
        char t0[32];
        snprintf(t0, sizeof t0, "%d*2^-10", k);
        json_array_append_new(steps, json_pack("{s:s, s:s, s:i, s:i, s:[[s,s],[s,s],[s,s],[s,s]]}",
                              "t0", t0, "h", "1*2^-10", "ref", 0, "jac_order", 400, "apriori",
                              "0", "1", "0", "1", "0", "1", "0", "1"));
    }
    json_t *c = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:i, s:i, s:[[s,s]], s:[s,s], "
                          "s:[s], s:s}, s:{s:s, s:i, s:i, s:i, s:i}, s:s, s:o, s:[], "
                          "s:[{s:s, s:s, s:s}]}",
                          "format", "polarcert-cert/1", "tool", "name", "polarcert", "version",
                          "0.2.0", "problem", "format", "polarcert-problem/1", "name", "h",
                          "loss", "logistic", "d", 1, "n", 2, "V", "1/8", "-1/8", "a", "0", "0",
                          "beta", "1", "T", "1", "method", "system", "reduced", "prec", 4096,
                          "order", 400, "jac_prec", 4096, "sign_depth", 6, "horizon", "3*2^-10",
                          "steps", steps, "lemmas", "claims", "kind", "entropy_decreasing",
                          "from", "0", "to", "3*2^-10");
    ck_assert(c != NULL);
    expect_refused(c, "", "work units", "--max-work");
    json_decref(c);
}
END_TEST

/* A synthetic certificate of n tokens (d = 1, logistic, reduced system of
 * dimension 2n, or the full one of dimension 2n): one step whose a priori
 * enclosure is a wide box, one claim. Small files, huge checks: the dense
 * dim x dim matrices of the set (7.9 GB for n = 1024 before; a segfault on
 * an unchecked allocation for the 517 kB one). */
static json_t *synthetic(int n, const char *system)
{
    json_t *V = json_array(), *a = json_array(), *E = json_array(), *row = json_array();
    for (int j = 0; j < n; j++) {
        json_array_append_new(row, json_string(j % 2 ? "1/8" : "-1/8"));
        json_array_append_new(a, json_string("0"));
    }
    json_array_append_new(V, row);
    for (int k = 0; k < 2 * n; k++)
        json_array_append_new(E, json_pack("[s, s]", "0", "1"));
    json_t *problem = json_pack("{s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:[s], s:s}", "format",
                                "polarcert-problem/1", "name", "hostile", "loss", "logistic",
                                "d", 1, "n", n, "V", V, "a", a, "beta", "1", "T", "1");
    return json_pack("{s:s, s:{s:s, s:s}, s:o, s:{s:s, s:i, s:i, s:i, s:i}, s:s, "
                     "s:[{s:s, s:s, s:i, s:i, s:o}], s:[], s:[{s:s, s:s, s:s}]}",
                     "format", "polarcert-cert/1", "tool", "name", "polarcert", "version",
                     "0.2.0", "problem", problem, "method", "system", system, "prec", 128,
                     "order", 38, "jac_prec", 64, "sign_depth", 6, "horizon", "1*2^-10",
                     "steps", "t0", "0", "h", "1*2^-10", "ref", 0, "jac_order", 3, "apriori", E,
                     "lemmas", "claims", "kind", "entropy_decreasing", "from", "0", "to",
                     "1*2^-10");
}

START_TEST(test_large_n)
{
    json_t *c = synthetic(1024, "reduced");
    expect_refused(c, "--max-memory 1G", "dimension 2048", "--max-memory");
    json_decref(c);
    /* dimension 8192 (the n = 4096 full system: d n + n): 3 x 8192^2
     * intervals; refused by the default limit (at most 90 % of ulimit -v) */
    c = synthetic(4096, "full");
    expect_refused(c, sanitizers() ? "--max-memory 3G" : "", "dimension 8192", "--max-memory");
    json_decref(c);
}
END_TEST

/* Runs the checker (no limits given; arg may be NULL) on file: its peak RSS in bytes, with
 * its output in out (of size len) if out is not NULL. */
static double verify_maxrss(const char *file, const char *arg, char *out, size_t len)
{
    char opath[] = "/tmp/pc-limits-out-XXXXXX";
    int ofd = mkstemp(opath);
    ck_assert(ofd >= 0);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        if (dup2(ofd, 1) < 0 || freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        if (arg != NULL)
            execl(verify_prog(), verify_prog(), arg, file, (char *) NULL);
        else
            execl(verify_prog(), verify_prog(), file, (char *) NULL);
        _exit(127);
    }
    int st;
    struct rusage ru;
    ck_assert(wait4(pid, &st, 0, &ru) == pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) != 127);
    if (out != NULL) {
        ssize_t n = pread(ofd, out, len - 1, 0);
        out[n > 0 ? n : 0] = '\0';
    }
    close(ofd);
    unlink(opath);
    return 1024.0 * ru.ru_maxrss;
}

/* The memory estimate (the "limits" line) bounds what the check really
 * takes: peak RSS <= that of a run that only prints --help + the estimate +
 * 40 x the file size (the JSON tree, its deep copy and text for the hash:
 * not in the estimate); and where the
 * check's own structures dominate (n = 256: the Jacobian of the Taylor
 * coefficients and the 512 x 512 interval matrices) the estimate is within
 * a factor 4 of them. The synthetic certificate is rejected at its first
 * step, after its workspaces are allocated. */
START_TEST(test_memory_estimate)
{
    if (sanitizers())
        return;                 /* the bound is about the plain build's allocator */
    json_t *c = _i == 0 ? load_cert() : synthetic(256, "reduced");
    char path[] = "/tmp/pc-limits-rss-XXXXXX", out[4096];
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    ck_assert_int_eq(pc_cert_seal(c), PC_OK);
    ck_assert_int_eq(json_dump_file(c, path, JSON_COMPACT), 0);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    double size = (double) ftell(f), est = 0;
    fclose(f);
    double base = verify_maxrss(path, "--help", NULL, 0);
    double rss = verify_maxrss(path, NULL, out, sizeof out);
    unlink(path);
    const char *m = strstr(out, "limits    memory ");
    ck_assert_msg(m != NULL && sscanf(m + 17, "%lf", &est) == 1, "no estimate in: %s", out);
    fprintf(stderr, "# %s: peak RSS %.0f, base %.0f, file %.0f, estimate %.0f\n",
            _i == 0 ? "logistic-skewed-a-8" : "synthetic n = 256", rss, base, size, est);
    ck_assert_msg(rss <= base + est + 40 * size, "peak RSS %.0f above the estimate %.0f "
                  "(+ base %.0f + 40 x file %.0f)", rss, est, base, size);
    if (_i == 1)
        ck_assert_msg(est <= 4 * (rss - base), "estimate %.0f more than 4 x the %.0f bytes "
                      "used", est, rss - base);
    json_decref(c);
}
END_TEST

/* Bad values of the options themselves. */
START_TEST(test_bad_options)
{
    json_t *c = load_cert();
    static const char *const bad[] = {"--max-memory 0", "--max-memory 2X", "--max-work -1",
                                      "--max-prec 100000", "--max-order x", "--max-depth"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(verify_exit(c, bad[k]) == 2, "'%s' accepted", bad[k]);
    json_decref(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verify-limits");
    TCase *tc = tu_tcase(s, "hostile");
    tcase_add_test(tc, test_prec);
    tcase_add_test(tc, test_claims_work);
    tcase_add_test(tc, test_order_work);
    tcase_add_test(tc, test_small_slow);
    tcase_add_test(tc, test_large_n);
    tcase_add_test(tc, test_bad_options);
    tcase_add_loop_test(tc, test_memory_estimate, 0, 2);
    return tu_run_suite(s);
}
