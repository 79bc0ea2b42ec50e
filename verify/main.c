/* main.c — polarcert-verify: the independent checker of polarcert-cert/1 certificates.
 *
 * Exit 0: VERIFIED (every claim).  Exit 1: REJECTED (the first failing item).
 * Exit 2: the file cannot be read or is not a polarcert-cert/1 certificate. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "vf.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polarcert-verify [--quiet] [--depth N] [--help] CERT.json\n"
            "  Re-checks a polarcert-cert/1 certificate independently (MPFI arithmetic).\n"
            "  --quiet     print only the verdict line\n"
            "  --depth N   bisect a step up to depth N to decide a sign\n"
            "              (default: the certificate's sign_depth + 3); below that,\n"
            "              down to its end_depth + 3 within a budget of pieces per\n"
            "              claim (certs/FORMAT.md)\n"
            "exit status: 0 VERIFIED, 1 REJECTED, 2 unreadable or not a certificate\n");
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
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
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
    if (!quiet)
        printf("problem   %s (%s loss, d = %d, n = %d)\n"
               "method    %s system (dimension %d), %zu steps, order %ld, %ld bits "
               "(Jacobian %ld)\n",
               c.name, vf_loss_name(c.loss), c.d, c.n, vf_sys_name(c.sys), c.dim,
               c.nsteps, c.order, c.prec, c.jac_prec);
    fflush(stdout);
    vf_cert_check_times(&c);
    vf_system_check(&c);

    vf_flow f;
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
    printf("VERIFIED\n");
    if (!quiet) {
        vf_claims_print(cl);
        printf("sha256    %s\nwall      %.3f s\n", c.sha_computed, now() - t_start);
    }
    vf_claims_free(cl);
    vf_flow_clear(&f);
    vf_cert_free(&c);
    return 0;
}
