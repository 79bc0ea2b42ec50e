/* The single writer's capacity (bench/search-run.sh): how many screen
 * results and confirmations (with a certificate of a given size) one
 * process can commit into a store per second, each in its own transaction
 * as `polarcert search run` does. Usage: bench_store CAMPAIGN.json DIR
 * [SCREENS] [CONFIRMS] [CERT-BYTES]; the campaign must have at least
 * SCREENS instances. Prints one Markdown table row per kind. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <nettle/sha2.h>
#include "pc_store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_store CAMPAIGN.json DIR [SCREENS] [CONFIRMS] [CERT-BYTES]\n");
        return 2;
    }
    long ns = argc > 3 ? atol(argv[3]) : 20000, nc = argc > 4 ? atol(argv[4]) : 200;
    long cb = argc > 5 ? atol(argv[5]) : 100000;
    pc_campaign_t c;
    pc_store_t S;
    pc_error_t err;
    char path[4096];
    snprintf(path, sizeof path, "%s/bench-store.db", argv[2]);
    remove(path);
    pc_campaign_init(c);
    pc_store_init(S);
    if (pc_campaign_load_file(c, argv[1], err) != PC_OK || c->instances < ns ||
        pc_store_create(S, path, c, err) != PC_OK) {
        fprintf(stderr, "%s\n", c->instances < ns ? "campaign too small" : err->msg);
        return 1;
    }
    pc_screen_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.target, sizeof r.target, "entropy_decreasing");
    snprintf(r.reason, sizeof r.reason, "dH/dt = +1.234e-03 > 0 at t = 0.5 (float)");
    double t0 = now(), c0 = cpu();
    for (long i = 0; i < ns; i++) {
        r.status = i < nc ? PC_SCREEN_CANDIDATE : PC_SCREEN_CLEAR;
        r.score = (double) i;
        if (pc_store_put_screen(S, i, &r, err) != PC_OK) {
            fprintf(stderr, "%s\n", err->msg);
            return 1;
        }
    }
    double ts = now() - t0, cs = cpu() - c0;
    struct stat sb;
    stat(path, &sb);
    double size_s = (double) sb.st_size;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    pc_confirm_result k;
    pc_confirm_result_init(&k);
    k.confirmed = 1;
    k.verdict = 1;
    k.claims = strdup("conclusion entropy_decreasing REFUTED\n");
    k.cert = malloc((size_t) cb + 1);
    memset(k.cert, 'x', (size_t) cb);
    k.cert[cb] = '\0';
    k.cert_len = (size_t) cb;
    pc_verify_result v = {"VERIFIED", "VERIFIED", 1.0};
    t0 = now();
    c0 = cpu();
    for (long i = 0; i < nc; i++) {
        k.cert[0] = (char) ('a' + i % 26);
        struct sha256_ctx h;
        uint8_t g[32];
        sha256_init(&h);
        sha256_update(&h, k.cert_len, (const uint8_t *) k.cert);
        sha256_digest(&h, 32, g);
        for (int j = 0; j < 32; j++)
            snprintf(k.cert_sha256 + 2 * j, 3, "%02x", g[j]);
        if (pc_store_put_confirm(S, i, &k, &v, err) != PC_OK) {
            fprintf(stderr, "%s\n", err->msg);
            return 1;
        }
    }
    double tc = now() - t0, cc = cpu() - c0;
    pc_store_clear(S);
    stat(path, &sb);
    printf("| screen results | %ld | %.0f | %.1f | %.1f | %.0f |\n", ns, (double) ns / ts,
           1e6 * ts / (double) ns, 1e6 * cs / (double) ns, size_s / (double) ns);
    printf("| confirmations, %ld-byte certificates | %ld | %.0f | %.1f | %.1f | %.0f |\n", cb, nc,
           (double) nc / tc, 1e6 * tc / (double) nc, 1e6 * cc / (double) nc,
           ((double) sb.st_size - size_s) / (double) nc);
    pc_confirm_result_clear(&k);
    pc_campaign_clear(c);
    remove(path);
    return 0;
}
