/* main.c — polarcert-verify: the independent checker of polarcert-cert/1 certificates.
 *
 * Exit 0: VERIFIED (every claim).  Exit 1: REJECTED (the first failing item).
 * Exit 2: the file cannot be read, is not a polarcert-cert/1 certificate, or is beyond a
 * resource limit (vf_limits.c): not checked. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "vf.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polarcert-verify [--quiet] [--depth N] [--problem P.json] [LIMITS] [--help]\n"
            "       CERT.json\n"
            "  Re-checks a polarcert-cert/1 certificate independently (MPFI arithmetic).\n"
            "  --quiet     print only the verdict line\n"
            "  --depth N   bisect a step up to depth N to decide a sign\n"
            "              (default: the certificate's sign_depth + 3); below that,\n"
            "              down to its end_depth + 3 within a budget of pieces per\n"
            "              claim (certs/FORMAT.md)\n"
            "  --problem P.json  REJECT unless the certificate is about exactly the data\n"
            "              of this problem file (loss, d, n, V, a, beta/q/X/b, radius)\n"
            "resource limits, checked before the work is done (exit 2 if exceeded):\n"
            "  --max-memory SIZE  memory of the check, estimated from the sizes\n"
            "              (e.g. 2G, 512M; default: half the physical memory, or 90%%\n"
            "              of ulimit -v)\n"
            "  --max-work N       work units of the check (2.5 to 8 ns each measured;\n"
            "              default %.0e, at most about 80 s)\n"
            "  --max-prec BITS    method.prec and jac_prec (default %ld)\n"
            "  --max-order K      method.order (default %ld)\n"
            "  --max-depth D      method.sign_depth (default %ld)\n"
            "exit status: 0 VERIFIED, 1 REJECTED, 2 unreadable, not a certificate, or\n"
            "beyond a resource limit (not checked)\n", vf_lim.max_work, vf_lim.max_prec,
            vf_lim.max_order, vf_lim.max_depth);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int quiet = 0, depth = -1;
    const char *path = NULL, *problem = NULL;
    vf_alloc_install();
    vf_limits_default(&vf_lim);
    for (int i = 1; i < argc; i++) {
        int lim = vf_limit_option(argc, argv, &i);
        if (lim < 0)
            return 2;
        if (lim > 0)
            continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--depth") == 0 && i + 1 < argc) {
            char *end;
            long d = strtol(argv[++i], &end, 10);
            if (*end || d < 0 || d > 60) {
                fprintf(stderr, "polarcert-verify: --depth wants an integer in [0, 60]\n");
                return 2;
            }
            depth = (int)d;
        } else if (strcmp(argv[i], "--problem") == 0 && i + 1 < argc) {
            problem = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "polarcert-verify: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!path) {
            path = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    double t_start = now();
    vf_cert c;
    vf_cert_load(&c, path);
    char *name = vf_escape(c.name);
    if (!quiet)
        printf("problem   %s (%s loss, d = %d, n = %d)\n"
               "data      sha256 %s (the exact problem data, certs/FORMAT.md)\n"
               "method    %s system (dimension %d), %zu steps, order %ld, %ld bits "
               "(Jacobian %ld)\n",
               name ? name : "?", vf_loss_name(c.loss), c.d, c.n, c.data_sha,
               vf_sys_name(c.sys), c.dim, c.nsteps, c.order, c.prec, c.jac_prec);
    free(name);
    fflush(stdout);
    vf_cert_check_times(&c);
    if (problem != NULL) {
        vf_cert p;
        char msg[256];
        vf_problem_load_file(&p, problem);
        if (vf_problem_compare(&c, &p, msg, sizeof msg))
            vf_reject("--problem %s: not the certificate's problem: %s", problem, msg);
        if (!quiet)
            printf("against   %s: the same exact data%s\n", problem,
                   strcmp(c.name, p.name) == 0 ? "" : " (under another name)");
        vf_cert_free(&p);
    }
    vf_system_check(&c);

    vf_flow f;
    vf_limits_check_run(&c, depth >= 0 ? depth : (int)c.sign_depth + 3);
    if (!quiet)
        printf("limits    memory %.0f bytes estimated, work %.3g units estimated before "
               "bisection\n", vf_memory_estimate(), vf_work_done());
    fflush(stdout);
    vf_flow_init(&f, &c);
    vf_claims *cl = vf_claims_new(&c, depth >= 0 ? depth : (int)c.sign_depth + 3);
    int tty = isatty(2) && !quiet;
    size_t tick = c.nsteps / 10 ? c.nsteps / 10 : 1;
    for (size_t i = 0; i < c.nsteps; i++) {
        vf_flow_step(&f, &c, i);
        vf_claims_step(cl, &f, i);
        if (tty && (i + 1) % tick == 0)
            fprintf(stderr, "\r  step %zu/%zu (%.0f%%)", i + 1, c.nsteps,
                    100.0 * (double)(i + 1) / (double)c.nsteps);
    }
    if (tty)
        fprintf(stderr, "\r%40s\r", "");
    vf_claims_finish(cl, &f);
    vf_theorem_check(&c, 1);
    printf("VERIFIED\n");
    if (!quiet) {
        vf_claims_print(cl);
        vf_theorem_check(&c, 0);
        printf("steps     %zu; remainder over E in fixed point on %zu, multi-limb "
               "midpoint-radius on %ld, MPFI on %ld; coefficients over X in MPFI on %ld\n",
               c.nsteps, c.nsteps - (size_t)(f.fallback_e + f.mr_e), f.mr_e, f.fallback_e,
               f.mpfi_x);
        printf("sha256    %s\nwork      %.3g units (limit %.3g: --max-work)\nwall      %.3f s\n",
               c.sha_computed, vf_work_done(), vf_lim.max_work, now() - t_start);
    }
    vf_claims_free(cl);
    vf_flow_clear(&f);
    vf_cert_free(&c);
    if (fflush(stdout) != 0 || ferror(stdout)) {    /* the verdict must reach its reader */
        perror("polarcert-verify: standard output");
        return 2;
    }
    return 0;
}
