#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <mpfr.h>
#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("polarcert: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_load_problem(pc_problem_t p, const char *path)
{
    pc_error_t err;
    int st = pc_problem_load_file(p, path, err);
    if (st != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_align(pc_problem_t p, const char *path)
{
    fmpq_t change;
    fmpq_init(change);
    int st = pc_reduced_align(p, change);
    if (st == PC_OK)
        fprintf(stderr, "polarcert: %s: --align: V(0) replaced by its projection beta w0^T "
                "(largest change %.3g); results are for the aligned problem\n",
                path, fmpq_get_d(change));
    else if (st == PC_ERR_INPUT)
        cli_error("%s: V: --align would move an entry by %.3g > 1e-%d: V(0) is not "
                  "nearly of the form beta w0^T", path, fmpq_get_d(change),
                  PC_REDUCED_ALIGN_TOL_DIGITS);
    else
        cli_error("%s: --align: applies only to a square-loss point problem with beta != 0", path);
    fmpq_clear(change);
    return st == PC_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int cli_parse_long(long *out, const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        cli_error("%s: '%s' is not a whole number from %ld to %ld", opt, s, lo, hi);
        return CLI_EXIT_USAGE;
    }
    *out = v;
    return CLI_EXIT_OK;
}

int cli_parse_positive(fmpq_t out, const char *opt, const char *s)
{
    const char *why = NULL;
    if (pc_parse_exact(out, s, &why) != PC_OK) {
        cli_error("%s: '%s' is not an exact decimal or rational (%s)", opt, s,
                  why ? why : "invalid");
        return CLI_EXIT_USAGE;
    }
    if (fmpq_sgn(out) <= 0) {
        cli_error("%s: '%s' must be positive", opt, s);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_parse_format(cli_format *out, const char *s, int allow_csv)
{
    if (strcmp(s, "text") == 0)
        *out = CLI_FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = CLI_FORMAT_JSON;
    else if (allow_csv && strcmp(s, "csv") == 0)
        *out = CLI_FORMAT_CSV;
    else {
        cli_error("--format: '%s' is not one of text, %sjson", s, allow_csv ? "csv, " : "");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The temporary file being written, removed if the program is interrupted
 * (Ctrl-C during a long certify run leaves nothing behind). */
static const char *volatile cli_tmp_path;

static void cli_output_on_signal(int sig)
{
    const char *t = cli_tmp_path;
    if (t != NULL)
        unlink(t);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_output_remove_tmp(void)
{
    const char *t = cli_tmp_path;
    if (t != NULL)
        unlink(t);
}

static void cli_output_track(const char *tmp)
{
    cli_tmp_path = tmp;
    if (tmp != NULL) {
        signal(SIGINT, cli_output_on_signal);
        signal(SIGTERM, cli_output_on_signal);
        signal(SIGHUP, cli_output_on_signal);
    }
}

int cli_output_open(cli_output *o, const char *path)
{
    o->f = stdout;
    o->path = o->tmp = NULL;
    if (path == NULL || strcmp(path, "-") == 0)
        return CLI_EXIT_OK;
    size_t len = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(len + 16);
    if (o->path == NULL || o->tmp == NULL) {
        cli_error("out of memory");
        cli_output_abort(o);
        return CLI_EXIT_FAIL;
    }
    snprintf(o->tmp, len + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    mode_t mask = umask(0);                 /* mkstemp makes 0600: give the usual mode */
    umask(mask);
    if (fd >= 0)
        fchmod(fd, 0666 & ~mask);
    if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
        cli_error("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        o->f = NULL;
        free(o->tmp);
        o->tmp = NULL;
        cli_output_abort(o);
        return CLI_EXIT_USAGE;
    }
    cli_output_track(o->tmp);
    return CLI_EXIT_OK;
}

int cli_output_commit(cli_output *o)
{
    if (o->tmp == NULL)
        return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    cli_output_track(NULL);
    int ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
    ok = (fclose(o->f) == 0) && ok;
    o->f = NULL;
    if (ok && rename(o->tmp, o->path) == 0) {
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
        return CLI_EXIT_OK;
    }
    cli_error("%s: cannot write: %s", o->path, strerror(errno));
    cli_output_abort(o);
    return CLI_EXIT_FAIL;
}

void cli_output_abort(cli_output *o)
{
    cli_output_track(NULL);
    if (o->f != NULL && o->f != stdout)
        fclose(o->f);
    if (o->tmp != NULL)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
}

char *cli_ball_str(const arb_t x, slong digits)
{
    return arb_get_str(x, digits, 0);
}

json_t *cli_json_ball(const arb_t x, slong digits)
{
    char *s = cli_ball_str(x, digits);
    json_t *v = json_string(s);
    flint_free(s);
    return v;
}

int cli_write_json(FILE *f, json_t *v)
{
    int st = json_dumpf(v, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    return st == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int cli_parse_choice(int *out, const char *opt, const char *s, const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return CLI_EXIT_OK;
        }
    cli_error("%s: '%s' is not a valid choice", opt, s);
    return CLI_EXIT_USAGE;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int cli_progress_cb(void *ctx, const arb_t t, slong steps)
{
    cli_progress *p = ctx;
    double now = cli_now();
    if (now - p->last > 0.25) {
        fprintf(stderr, "\rpolarcert: t = %-12.6g %8ld steps", arf_get_d(arb_midref(t), ARF_RND_NEAR),
                (long) steps);
        p->last = now;
    }
    return 0;
}

char *cli_exact_str(const arf_t x, int up, slong digits)
{
    mpfr_t m;
    char *s;
    mpfr_init2(m, arf_bits(x) + 2);
    arf_get_mpfr(m, x, MPFR_RNDN);                      /* exact: enough bits */
    mpfr_asprintf(&s, up ? "%.*RUg" : "%.*RDg", (int) digits, m);
    mpfr_clear(m);
    return s;
}
