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

static const int cli_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Blocks (block = 1) or restores the signals that remove the temporary file,
 * so that the file and cli_tmp_path change together: between mkstemp and
 * the handler's installation, and during the whole commit (flush, fsync,
 * close, rename), a signal waits. After the commit it kills the program as
 * usual, with the output complete. */
static void cli_signals_block(int block, sigset_t *old)
{
    if (block) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t k = 0; k < sizeof cli_signals / sizeof cli_signals[0]; k++)
            sigaddset(&set, cli_signals[k]);
        sigprocmask(SIG_BLOCK, &set, old);
    } else
        sigprocmask(SIG_SETMASK, old, NULL);
}

static void cli_output_track(const char *tmp)
{
    cli_tmp_path = tmp;
    if (tmp != NULL) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = cli_output_on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < sizeof cli_signals / sizeof cli_signals[0]; k++)
            sigaction(cli_signals[k], &sa, NULL);
    }
}

static const char *cli_file_kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISLNK(m) ? "a symbolic link"
        : S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISFIFO(m) ? "a named pipe"
        : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int cli_output_check(const char *path)
{
    struct stat sb;
    if (path == NULL || strcmp(path, "-") == 0)
        return CLI_EXIT_OK;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return CLI_EXIT_OK;
        cli_error("%s: cannot write there: %s", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (S_ISREG(sb.st_mode))
        return CLI_EXIT_OK;
    cli_error("%s: is %s, not a regular file: an output is written to a temporary file "
              "and renamed onto its name, which must be a regular file or new (use '-' for "
              "standard output)", path, cli_file_kind(sb.st_mode));
    return CLI_EXIT_USAGE;
}

int cli_output_open(cli_output *o, const char *path)
{
    o->f = stdout;
    o->path = o->tmp = NULL;
    if (path == NULL || strcmp(path, "-") == 0)
        return CLI_EXIT_OK;
    if (cli_output_check(path) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    size_t len = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(len + 16);
    if (o->path == NULL || o->tmp == NULL) {
        cli_error("out of memory");
        cli_output_abort(o);
        return CLI_EXIT_FAIL;
    }
    snprintf(o->tmp, len + 16, "%s.tmp.XXXXXX", path);
    sigset_t old;
    cli_signals_block(1, &old);
    int fd = mkstemp(o->tmp);
    if (fd >= 0)
        cli_output_track(o->tmp);
    cli_signals_block(0, &old);
    mode_t mask = umask(0);                 /* mkstemp makes 0600: give the usual mode */
    umask(mask);
    if (fd >= 0)
        fchmod(fd, 0666 & ~mask);
    if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
        cli_error("%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        o->f = NULL;
        cli_output_abort(o);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* "standard output: cannot write: ..." (once) if anything written to stdout
 * failed. */
int cli_stdout_check(void)
{
    static int reported;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return CLI_EXIT_OK;
    int e = errno;
    if (reported++ == 0)
        fprintf(stderr, "polarcert: standard output: cannot write: %s\n",
            e != 0 ? strerror(e) : "write error");
    return CLI_EXIT_FAIL;
}

int cli_output_commit(cli_output *o)
{
    if (o->tmp == NULL)
        return cli_stdout_check();
    const char *what = NULL;
    int e = 0;
    sigset_t old;
    cli_signals_block(1, &old);         /* the commit is all or nothing */
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        what = "write";
    else if (fsync(fileno(o->f)) != 0)
        what = "sync to disk";
    e = errno;
    if (fclose(o->f) != 0 && what == NULL) {
        what = "close";
        e = errno;
    }
    o->f = NULL;
    if (what == NULL && cli_output_check(o->path) != CLI_EXIT_OK) {
        cli_output_abort(o);            /* replaced by a non-regular file meanwhile */
        cli_signals_block(0, &old);
        return CLI_EXIT_FAIL;
    }
    if (what == NULL && rename(o->tmp, o->path) != 0) {
        what = "rename the temporary file to it";
        e = errno;
    }
    if (what == NULL) {
        cli_tmp_path = NULL;
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
        cli_signals_block(0, &old);
        return CLI_EXIT_OK;
    }
    cli_error("%s: cannot %s: %s; nothing written", o->path, what,
              e != 0 ? strerror(e) : "write error");
    cli_output_abort(o);
    cli_signals_block(0, &old);
    return CLI_EXIT_FAIL;
}

void cli_output_abort(cli_output *o)
{
    sigset_t old;
    cli_signals_block(1, &old);
    if (o->f != NULL && o->f != stdout)
        fclose(o->f);
    if (o->tmp != NULL)
        unlink(o->tmp);
    cli_tmp_path = NULL;
    cli_signals_block(0, &old);
    free(o->tmp);
    free(o->path);
    o->f = NULL;
    o->tmp = o->path = NULL;
}

int cli_write_json(FILE *f, json_t *v)
{
    int st = json_dumpf(v, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    return st == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int cli_output_json(cli_output *o, json_t *v, long *bytes)
{
    if (cli_write_json(o->f, v) != CLI_EXIT_OK && !ferror(o->f)) {
        cli_error("%s: cannot write: the JSON text could not be produced (out of memory?)",
                  o->path != NULL ? o->path : "standard output");
        cli_output_abort(o);
        return CLI_EXIT_FAIL;
    }
    if (bytes != NULL)
        *bytes = ftell(o->f);
    return cli_output_commit(o);        /* reports any failed write */
}

char *cli_ball_str(const arb_t x, slong digits)
{
    if (!arb_is_finite(x)) {            /* never "nan" as if it were a value */
        static const char nf[] = "not finite";
        char *s = flint_malloc(sizeof nf);
        memcpy(s, nf, sizeof nf);
        return s;
    }
    return arb_get_str(x, digits, 0);
}

char *cli_escape(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(4 * len + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const unsigned char *c = (const unsigned char *) s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || *c == '\\') {
            o += sprintf(o, *c == '\\' ? "\\\\" : "\\x%02x", *c);
        } else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) {    /* C1 control in UTF-8 */
            o += sprintf(o, "\\u%04x", c[1]);
            c++;
        } else
            *o++ = (char) *c;
    }
    *o = '\0';
    return out;
}

int cli_enclose_init(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind, int automatic,
                     const pc_flow_opts *fo, const char *path)
{
    const int given = fo->max_memory != pc_memory_default_limit();
    int st = pc_enclose_init(E, p, kind, fo);
    if (st == PC_OK)
        return CLI_EXIT_OK;
    if (st == PC_ERR_MEMORY)            /* above the memory limit: refused */
        return cli_memory_refused(path, p, kind, fo, given);
    /* the automatic choice falls back to the real-time systems: the τ-system
     * needs ρ(0) > 0 proven, and huge initial values can leave its
     * enclosure too wide or not finite */
    static const pc_system_kind fallback[] = {PC_SYSTEM_REDUCED, PC_SYSTEM_FULL};
    for (size_t k = 0; automatic && k < sizeof fallback / sizeof fallback[0]; k++) {
        if (fallback[k] == kind)
            continue;
        if ((st = pc_enclose_init(E, p, fallback[k], fo)) == PC_OK)
            return CLI_EXIT_OK;
        if (st == PC_ERR_MEMORY)
            return cli_memory_refused(path, p, fallback[k], fo, given);
    }
    if (automatic)
        cli_error("%s: no system can be set up at %ld bits: the initial state's enclosure "
                  "is not finite or too wide (try a higher --prec)", path, (long) fo->prec);
    else
        cli_error("%s: --system %s: does not apply to this problem (reduced: margin losses "
                  "and the aligned square loss; tau: also rho(0) > 0 proven at --prec)",
                  path, pc_system_name(kind));
    return CLI_EXIT_USAGE;
}

json_t *cli_json_ball(const arb_t x, slong digits)
{
    char *s = cli_ball_str(x, digits);
    json_t *v = json_string(s);
    flint_free(s);
    return v;
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
        fprintf(stderr, "\rpolarcert: %s = %-12.6g %8ld steps", p->label ? p->label : "t",
                arf_get_d(arb_midref(t), ARF_RND_NEAR), (long) steps);
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
