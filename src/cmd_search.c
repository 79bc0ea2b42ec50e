/* polarcert search: counterexample searches over a campaign's instances,
 * kept in a store (run, status, report, export). The checker callback that
 * runs polarcert-verify lives here: the library runs no program. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "config.h"
#include "cli.h"

extern char **environ;

static const char search_usage[] =
    "Usage: polarcert search run    --store S [--campaign C.json] [-j N]\n"
    "       polarcert search status --store S\n"
    "       polarcert search report --store S [--format table|csv|json|latex] [-o FILE]\n"
    "       polarcert search export --store S --instance I [-o P.json] [--certificate C.json]\n"
    "\n"
    "Counterexample searches: every instance of a campaign (polarcert-campaign/1)\n"
    "is generated from (seed, index) alone, screened in float (NOT rigorous),\n"
    "and the candidates are checked rigorously (polarcert check); every\n"
    "certificate is re-checked at once by the independent checker\n"
    "polarcert-verify (--problem on the instance, so its data hash is checked).\n"
    "Results are kept in the store S, an SQLite file (certs/STORE.md), one\n"
    "transaction per result.\n"
    "\n"
    "  run     creates S from --campaign on the first run; later runs continue\n"
    "          where the last stopped (the campaign is taken from S; a different\n"
    "          --campaign is refused). A run killed at any moment loses only the\n"
    "          instances in flight. -j N: N local worker processes (default 1).\n"
    "          Under 'mpirun -n N polarcert search run ...' rank 0 writes the\n"
    "          store and ranks 1..N-1 work (-j is not used then). The same\n"
    "          instances and verdicts for any number of workers.\n"
    "          The checker: $POLARCERT_VERIFY, else polarcert-verify next to\n"
    "          polarcert, else on PATH.\n"
    "  status  how far the search is, and what it found so far\n"
    "  report  a table of the candidates (default), every instance as CSV or\n"
    "          JSON, or the counterexamples as a LaTeX table (booktabs);\n"
    "          '--latex' is '--format latex'; -o writes FILE atomically\n"
    "  export  instance I as a problem file (-o), and its certificate if it has\n"
    "          one (--certificate), each written atomically\n"
    "\n"
    "A search that finds nothing reports 'No counterexample among N instances':\n"
    "a finite search, never a proof.\n"
    "Exit status: 0 done; 1 the run failed (the results stored so far stay), or\n"
    "the checker REJECTED a certificate (certifier and checker disagree: a bug);\n"
    "2 bad input or usage (a file that is not a polarcert store, a store of\n"
    "another campaign, a bad campaign file, a store another run is writing).\n";

typedef struct {
    const char *store, *campaign, *out, *cert_out;
    long jobs, instance;
    int format;             /* pc_search_report kind */
} search_opts;

static int search_parse(search_opts *o, int argc, char **argv, const char *sub)
{
    static const struct option longopts[] = {
        {"store", required_argument, NULL, 's'}, {"campaign", required_argument, NULL, 'c'},
        {"jobs", required_argument, NULL, 'j'}, {"format", required_argument, NULL, 'f'},
        {"latex", no_argument, NULL, 'L'}, {"output", required_argument, NULL, 'o'},
        {"instance", required_argument, NULL, 'i'},
        {"certificate", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", "latex", NULL};
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    o->instance = -1;
    int c, st = CLI_EXIT_OK, choice;
    int is_run = strcmp(sub, "run") == 0, is_report = strcmp(sub, "report") == 0;
    int is_export = strcmp(sub, "export") == 0;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "j:o:h", longopts, NULL)) != -1) {
        int ok = 1;
        switch (c) {
        case 's': o->store = optarg; break;
        case 'c': o->campaign = optarg; ok = is_run; break;
        case 'j': st = cli_parse_long(&o->jobs, "-j", optarg, 1, 4096); ok = is_run; break;
        case 'f': st = cli_parse_choice(&choice, "--format", optarg, formats);
                  o->format = choice; ok = is_report; break;
        case 'L': o->format = 3; ok = is_report; break;
        case 'o': o->out = optarg; ok = is_report || is_export; break;
        case 'i': st = cli_parse_long(&o->instance, "--instance", optarg, 0, 1L << 62);
                  ok = is_export; break;
        case 'C': o->cert_out = optarg; ok = is_export; break;
        case 'h': fputs(search_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
        if (st == CLI_EXIT_OK && !ok) {
            cli_error("search %s: %s does not apply (see 'polarcert search --help')", sub,
                      argv[optind - 1]);
            st = CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && optind < argc) {
        cli_error("search %s: unexpected argument '%s'", sub, argv[optind]);
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && o->store == NULL) {
        cli_error("search %s: give the store with --store S", sub);
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && is_export && o->instance < 0) {
        cli_error("search export: give the instance with --instance I");
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && is_export && o->out == NULL && o->cert_out == NULL) {
        cli_error("search export: give -o P.json and/or --certificate C.json");
        st = CLI_EXIT_USAGE;
    }
    return st;
}

static int exit_of(int status)
{
    return status == PC_ERR_INPUT ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
}

#ifndef PC_HAVE_MPI
/* built without MPI: one process, never a rank of mpirun */
int cli_mpi_size(void) { return 1; }
int cli_mpi_rank(void) { return 0; }
void cli_mpi_share_campaign(const char *text) { (void) text; }
void cli_mpi_transport(pc_search_transport *tr) { memset(tr, 0, sizeof *tr); }
void cli_mpi_stop_workers(void) {}
void cli_mpi_abort(int code) { exit(code); }
int cli_mpi_worker(const pc_search_run_opts *o) { (void) o; return CLI_EXIT_FAIL; }
#endif

/* ---- the independent checker ---------------------------------------------- */

typedef struct {
    char *verify;           /* path of polarcert-verify */
} checker_ctx;

/* $POLARCERT_VERIFY, else next to this program, else "polarcert-verify"
 * looked up on PATH; NULL if none is executable. */
static char *find_checker(void)
{
    const char *env = getenv("POLARCERT_VERIFY");
    if (env != NULL && *env)
        return access(env, X_OK) == 0 ? realpath(env, NULL) : NULL;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
    if (n > 0) {
        exe[n] = '\0';
        char *dir = dirname(exe);
        size_t l = strlen(dir);
        memmove(exe, dir, l + 1);
        strcat(exe, "/polarcert-verify");
        if (access(exe, X_OK) == 0)
            return strdup(exe);
    }
    const char *path = getenv("PATH");
    while (path != NULL && *path) {
        const char *e = strchr(path, ':');
        size_t l = e ? (size_t) (e - path) : strlen(path);
        if (l > 0 && l < sizeof exe - 32) {
            memcpy(exe, path, l);
            strcpy(exe + l, "/polarcert-verify");
            if (access(exe, X_OK) == 0)
                return realpath(exe, NULL);
        }
        path = e ? e + 1 : NULL;
    }
    return NULL;
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t k = write(fd, data + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t) k;
    }
    return close(fd);
}

/* The checker's output as one line (newlines become "; "). */
static void read_message(char *msg, size_t cap, const char *path)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(msg, 1, cap - 1, f) : 0;
    if (f)
        fclose(f);
    msg[n] = '\0';
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (size_t k = 0; k < n; k++)
        if (msg[k] == '\n' || msg[k] == '\r' || msg[k] == '\t')
            msg[k] = ' ';
}

/* Writes the instance's problem and the certificate to a private temporary
 * directory and runs polarcert-verify --quiet --problem P C on them. */
static int run_checker(void *vctx, const pc_campaign_t c, slong i, const char *cert, size_t len,
                       pc_verify_result *v)
{
    checker_ctx *ctx = vctx;
    const char *tmpdir = getenv("TMPDIR");
    char dir[4096], prob[4200], cpath[4200], out[4200];
    snprintf(dir, sizeof dir, "%s/polarcert-search.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    double t0 = cli_now();
    if (mkdtemp(dir) == NULL) {
        snprintf(v->message, sizeof v->message, "%.400s: cannot create: %s", dir, strerror(errno));
        return PC_ERR_IO;
    }
    /* named by the instance and run inside the directory, so that the
     * checker's message is the same in every run */
    char pname[64], cname[64];
    snprintf(pname, sizeof pname, "instance-%ld.json", (long) i);
    snprintf(cname, sizeof cname, "instance-%ld.cert.json", (long) i);
    snprintf(prob, sizeof prob, "%s/%s", dir, pname);
    snprintf(cpath, sizeof cpath, "%s/%s", dir, cname);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    char *pjson = NULL;
    pc_error_t err;
    int st = pc_search_instance_json(&pjson, c, i, err);
    if (st != PC_OK)
        snprintf(v->message, sizeof v->message, "%.500s", err->msg);
    else if (write_file(prob, pjson, strlen(pjson)) != 0 || write_file(cpath, cert, len) != 0) {
        snprintf(v->message, sizeof v->message, "%.400s: cannot write: %s", dir, strerror(errno));
        st = PC_ERR_IO;
    }
    free(pjson);
    pid_t pid = -1;
    if (st == PC_OK) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        posix_spawn_file_actions_addchdir_np(&fa, dir);
        char *argv[] = {ctx->verify, "--quiet", "--problem", pname, cname, NULL};
        int e = posix_spawn(&pid, ctx->verify, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (e != 0) {
            snprintf(v->message, sizeof v->message, "%s: cannot run: %s", ctx->verify,
                     strerror(e));
            st = PC_ERR_IO;
        }
    }
    if (st == PC_OK) {
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        read_message(v->message, sizeof v->message, out);
        int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
        snprintf(v->verdict, sizeof v->verdict, "%s", code == 0 ? "VERIFIED"
                 : code == 1 ? "REJECTED" : code == 2 ? "NOT CHECKED" : "ERROR");
        if (code < 0) {
            size_t l = strlen(v->message);
            snprintf(v->message + l, sizeof v->message - l, " (killed by signal %d)",
                     WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
        }
    }
    unlink(prob);
    unlink(cpath);
    unlink(out);
    rmdir(dir);
    v->seconds = cli_now() - t0;
    return st;
}

/* ---- the progress line ------------------------------------------------------ */

typedef struct {
    double last;
    int tty, phase;
} progress_ctx;

static void print_progress(const pc_search_progress *p, int tty)
{
    char eta[32] = "?";
    if (p->eta >= 0)
        snprintf(eta, sizeof eta, "%.0f s", p->eta);
    fprintf(stderr, "%spolarcert: %s %ld/%ld (%.1f%%), %ld candidates, %ld confirmed, "
            "%.3g/s, ETA %s%s", tty ? "\r" : "", p->phase == 1 ? "screen " : "confirm",
            (long) p->done, (long) p->total,
            p->total ? 100.0 * (double) p->done / (double) p->total : 100.0,
            (long) p->candidates, (long) p->confirmed, p->rate, eta, tty ? "\033[K" : "\n");
}

static int progress_cb(void *vctx, const pc_search_progress *p)
{
    progress_ctx *ctx = vctx;
    double now = cli_now();
    /* a live line on a terminal, a line every 10 s in a log */
    if (now - ctx->last > (ctx->tty ? 0.25 : 10.0) || p->done == p->total) {
        print_progress(p, ctx->tty);
        ctx->last = now;
        if (ctx->tty && p->done == p->total)
            fputc('\n', stderr);
    }
    return PC_OK;
}

/* ---- run --------------------------------------------------------------------- */

/* The store to write, created from the campaign on the first run; c gets
 * the store's campaign. */
static int open_for_run(pc_store_t S, pc_campaign_t c, const search_opts *o)
{
    pc_error_t err;
    int st;
    struct stat sb;
    if (o->campaign != NULL && (st = pc_campaign_load_file(c, o->campaign, err)) != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return exit_of(st == PC_ERR_IO ? PC_ERR_INPUT : st);
    }
    if (stat(o->store, &sb) != 0 && errno == ENOENT) {
        if (o->campaign == NULL) {
            cli_error("%s: no such store; give --campaign C.json to create it", o->store);
            return CLI_EXIT_USAGE;
        }
        st = pc_store_create(S, o->store, c, err);
    } else {
        st = pc_store_open(S, o->store, 1, err);
        if (st == PC_OK && o->campaign != NULL)
            st = pc_store_check_campaign(S, c, err);
        char *text = NULL, sha[65];
        if (st == PC_OK && o->campaign == NULL &&
            (st = pc_store_campaign_text(&text, sha, S, err)) == PC_OK) {
            char src[4200];
            snprintf(src, sizeof src, "%s: campaign", o->store);
            st = pc_campaign_load_string(c, text, src, err);
        }
        free(text);
    }
    if (st != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return st == PC_ERR_IO || st == PC_ERR_INPUT ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int search_run(const search_opts *o)
{
    pc_store_t S;
    pc_campaign_t c;
    pc_error_t err;
    checker_ctx chk = {find_checker()};
    progress_ctx pctx = {0.0, isatty(2), 0};
    pc_search_run_opts ro;
    pc_search_run_opts_default(&ro);
    ro.jobs = o->jobs;
    ro.verify = run_checker;
    ro.verify_ctx = &chk;
    ro.progress = progress_cb;
    ro.progress_ctx = &pctx;
    int mpi = cli_mpi_size() > 1;
    if (mpi && cli_mpi_rank() > 0)
        return cli_mpi_worker(&ro);
    pc_store_init(S);
    pc_campaign_init(c);
    int st = CLI_EXIT_OK;
    if (chk.verify == NULL) {
        cli_error("polarcert-verify not found (set POLARCERT_VERIFY, or install it next to "
                  "polarcert): every certificate must be re-checked in the run");
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && mpi && o->jobs > 1) {
        cli_error("search run: -j with mpirun: every MPI rank but 0 is one worker; drop -j");
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK)
        st = open_for_run(S, c, o);
    if (mpi)
        cli_mpi_share_campaign(st == CLI_EXIT_OK ? c->text : NULL);
    if (st == CLI_EXIT_OK) {
        int rst;
        if (mpi) {
            pc_search_transport tr;
            cli_mpi_transport(&tr);
            rst = pc_search_run_transport(S, c, &ro, &tr, err);
            if (rst == PC_OK)
                cli_mpi_stop_workers();
        } else
            rst = pc_search_run(S, c, &ro, err);
        if (rst != PC_OK) {
            if (pctx.tty)
                fputc('\n', stderr);
            fprintf(stderr, "%s\n", err->msg);
            st = exit_of(rst == PC_ERR_INPUT ? PC_ERR_IO : rst);
        }
        pc_store_counts k;
        if (pc_search_status(stdout, S, err) != PC_OK || pc_store_count(&k, S, err) != PC_OK) {
            fprintf(stderr, "%s\n", err->msg);
            st = CLI_EXIT_FAIL;
        } else if (k.rejected > 0 && st == CLI_EXIT_OK) {
            cli_error("%s: %ld certificate%s REJECTED by the independent checker",
                      o->store, (long) k.rejected, k.rejected == 1 ? "" : "s");
            st = CLI_EXIT_FAIL;
        }
        if (mpi && rst != PC_OK) {
            pc_store_clear(S);      /* every result is committed already */
            cli_mpi_abort(st);
        }
    }
    pc_store_clear(S);
    pc_campaign_clear(c);
    free(chk.verify);
    return st;
}

/* ---- status, report, export -------------------------------------------------- */

static int open_reader(pc_store_t S, const char *path)
{
    pc_error_t err;
    int st = pc_store_open(S, path, 0, err);
    if (st != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return st == PC_ERR_INPUT || st == PC_ERR_IO ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int search_report(const search_opts *o, int status)
{
    pc_store_t S;
    pc_error_t err;
    int st = open_reader(S, o->store);
    if (st != CLI_EXIT_OK)
        return st;
    cli_output w;
    if ((st = cli_output_open(&w, status ? NULL : o->out)) == CLI_EXIT_OK) {
        int rst = status ? pc_search_status(w.f, S, err) : pc_search_report(w.f, S, o->format, err);
        if (rst != PC_OK) {
            cli_output_abort(&w);
            fprintf(stderr, "%s\n", err->msg);
            st = exit_of(rst);
        } else
            st = cli_output_commit(&w);
    }
    pc_store_clear(S);
    return st;
}

static int write_out(const char *path, const char *data, size_t len)
{
    cli_output w;
    int st = cli_output_open(&w, path);
    if (st != CLI_EXIT_OK)
        return st;
    if (fwrite(data, 1, len, w.f) != len) {
        cli_output_abort(&w);
        cli_error("%s: cannot write: %s; nothing written", path, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    return cli_output_commit(&w);
}

static int search_export(const search_opts *o)
{
    pc_store_t S;
    pc_campaign_t c;
    pc_error_t err;
    char *text = NULL, sha[65], *json = NULL, *cert = NULL;
    size_t clen = 0;
    int st = open_reader(S, o->store), rst = PC_OK;
    if (st != CLI_EXIT_OK)
        return st;
    pc_campaign_init(c);
    if (o->out != NULL && (st = cli_output_check(o->out)) == CLI_EXIT_OK)
        st = o->cert_out ? cli_output_check(o->cert_out) : CLI_EXIT_OK;
    if (st == CLI_EXIT_OK && (rst = pc_store_campaign_text(&text, sha, S, err)) == PC_OK)
        rst = pc_campaign_load_string(c, text, o->store, err);
    if (st == CLI_EXIT_OK && rst == PC_OK && o->instance >= c->instances)
        rst = pc_error_set(err, PC_ERR_INPUT, "%s: --instance %ld: the campaign has %ld "
                           "instances (0 to %ld)", o->store, o->instance, (long) c->instances,
                           (long) c->instances - 1);
    if (st == CLI_EXIT_OK && rst == PC_OK && o->cert_out != NULL)
        rst = pc_store_cert(&cert, &clen, o->instance, S, err);
    if (st == CLI_EXIT_OK && rst == PC_OK && o->out != NULL)
        rst = pc_search_instance_json(&json, c, o->instance, err);
    if (st == CLI_EXIT_OK && rst != PC_OK) {
        fprintf(stderr, "%s\n", err->msg);
        st = exit_of(rst);
    }
    if (st == CLI_EXIT_OK && o->out != NULL)
        st = write_out(o->out, json, strlen(json));
    if (st == CLI_EXIT_OK && o->cert_out != NULL)
        st = write_out(o->cert_out, cert, clen);
    free(text);
    free(json);
    free(cert);
    pc_campaign_clear(c);
    pc_store_clear(S);
    return st;
}

int cmd_search(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(search_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *sub = argv[1];
    static const char *const subs[] = {"run", "status", "report", "export", NULL};
    int k;
    for (k = 0; subs[k] && strcmp(subs[k], sub) != 0; k++)
        ;
    if (subs[k] == NULL) {
        cli_error("search: '%s' is not a search command (run, status, report, export)", sub);
        return CLI_EXIT_USAGE;
    }
    search_opts o;
    int st = search_parse(&o, argc - 1, argv + 1, sub);
    if (st != CLI_EXIT_OK)
        return st;
    st = k == 0 ? search_run(&o) : k == 3 ? search_export(&o) : search_report(&o, k == 1);
    flint_cleanup();
    return st;
}
