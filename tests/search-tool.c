/* A test driver for the search library (not installed; the user commands
 * are `polarcert search ...`): lets the shell tests and bench/search.sh
 * call pc_search.h directly.
 *
 *   search-tool instance CAMPAIGN I            problem file of instance I
 *   search-tool screen CAMPAIGN FROM TO        one line per instance:
 *                                              i status score target reason
 *   search-tool confirm CAMPAIGN I [CERT]      confirmed verdict seconds sha256,
 *                                              then the claims; writes CERT
 *   search-tool bench CAMPAIGN N [K [any]]     screen N instances, confirm the
 *                                              first K candidates (any: the first
 *                                              K unfiltered instances): a table
 * Exit 0, or 2 with the library's message for a bad campaign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "polarcert.h"

static int load(pc_campaign_t c, const char *path)
{
    pc_error_t err;
    if (pc_campaign_load_file(c, path, err) != PC_OK) {
        fprintf(stderr, "search-tool: %s\n", err->msg);
        return 0;
    }
    return 1;
}

static int cmd_instance(const pc_campaign_t c, long i)
{
    pc_error_t err;
    char *json;
    if (pc_search_instance_json(&json, c, i, err) != PC_OK) {
        fprintf(stderr, "search-tool: %s\n", err->msg);
        return 2;
    }
    puts(json);
    free(json);
    return 0;
}

static int cmd_screen(const pc_campaign_t c, long from, long to)
{
    pc_error_t err;
    for (long i = from; i < to; i++) {
        pc_screen_result r;
        if (pc_search_screen(&r, c, i, err) != PC_OK) {
            fprintf(stderr, "search-tool: %s\n", err->msg);
            return 2;
        }
        printf("%ld %s %.6e %s | %s\n", i, pc_screen_status_name(r.status), r.score,
               r.target[0] ? r.target : "-", r.reason);
    }
    return 0;
}

static int cmd_confirm(const pc_campaign_t c, long i, const char *out)
{
    pc_error_t err;
    pc_confirm_result r;
    pc_confirm_result_init(&r);
    if (pc_search_confirm(&r, c, i, err) != PC_OK) {
        fprintf(stderr, "search-tool: %s\n", err->msg);
        return 2;
    }
    printf("%d %s %.3f %s | %s\n%s", r.confirmed, pc_check_verdict_name(r.verdict), r.seconds,
           r.cert_sha256[0] ? r.cert_sha256 : "-", r.reason, r.claims);
    if (out != NULL && r.cert != NULL) {
        FILE *f = fopen(out, "wb");
        if (f == NULL || fwrite(r.cert, 1, r.cert_len, f) != r.cert_len || fclose(f) != 0) {
            fprintf(stderr, "search-tool: %s: cannot write\n", out);
            pc_confirm_result_clear(&r);
            return 2;
        }
    }
    pc_confirm_result_clear(&r);
    return 0;
}

static int cmd_bench(const pc_campaign_t c, long n, long k, int any)
{
    pc_error_t err;
    double ts = 0, tc = 0;
    long cand = 0, filt = 0, fail = 0, conf = 0, done = 0;
    if (n > c->instances)
        n = c->instances;
    for (long i = 0; i < n; i++) {
        pc_screen_result r;
        if (pc_search_screen(&r, c, i, err) != PC_OK) {
            fprintf(stderr, "search-tool: %s\n", err->msg);
            return 2;
        }
        ts += r.seconds;
        cand += r.status == PC_SCREEN_CANDIDATE;
        filt += r.status == PC_SCREEN_FILTERED;
        fail += r.status == PC_SCREEN_FAILED;
        if ((r.status == PC_SCREEN_CANDIDATE || (any && r.status == PC_SCREEN_CLEAR)) &&
            done < k) {
            pc_confirm_result q;
            pc_confirm_result_init(&q);
            if (pc_search_confirm(&q, c, i, err) != PC_OK) {
                fprintf(stderr, "search-tool: %s\n", err->msg);
                return 2;
            }
            tc += q.seconds;
            conf += q.confirmed;
            done++;
            pc_confirm_result_clear(&q);
        }
    }
    printf("%-22s %8ld %9ld %9ld %7ld %12.1f %9ld %9ld %12.3f\n", c->name, n, filt, cand, fail,
           n / ts, done, conf, done ? tc / done : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    pc_campaign_t c;
    int st = 2;
    pc_campaign_init(c);
    if (argc < 4 || !load(c, argv[2])) {
        if (argc < 4)
            fprintf(stderr, "usage: search-tool instance|screen|confirm|bench CAMPAIGN ...\n");
    } else if (strcmp(argv[1], "instance") == 0)
        st = cmd_instance(c, atol(argv[3]));
    else if (strcmp(argv[1], "screen") == 0 && argc == 5)
        st = cmd_screen(c, atol(argv[3]), atol(argv[4]));
    else if (strcmp(argv[1], "confirm") == 0)
        st = cmd_confirm(c, atol(argv[3]), argc > 4 ? argv[4] : NULL);
    else if (strcmp(argv[1], "bench") == 0)
        st = cmd_bench(c, atol(argv[3]), argc > 4 ? atol(argv[4]) : 0,
                       argc > 5 && strcmp(argv[5], "any") == 0);
    else
        fprintf(stderr, "search-tool: unknown command or arguments\n");
    pc_campaign_clear(c);
    flint_cleanup();
    return st;
}
