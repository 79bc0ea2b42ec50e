/* The polarcert command-line program: shared helpers of the subcommands.
 * Exit codes: 0 success, 1 the computation failed, 2 bad input or usage. */
#ifndef PC_CLI_H
#define PC_CLI_H

#include <stdio.h>
#include <jansson.h>
#include "polarcert.h"
#include "pc_search_run.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

typedef enum { CLI_FORMAT_TEXT, CLI_FORMAT_CSV, CLI_FORMAT_JSON } cli_format;

int cmd_eval(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_enclose(int argc, char **argv);
int cmd_certify(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_search(int argc, char **argv);

/* MPI for 'polarcert search run' (src/search_mpi.c, built with MPI only;
 * without it cli_mpi_size is 1 and the rest is never called).
 * cli_mpi_size: the number of ranks if this process was started by mpirun
 * (MPI is initialised then, and finalised at exit), else 1. Rank 0 calls
 * cli_mpi_share_campaign with the campaign's text (NULL: nothing to do, the
 * workers end), then runs with cli_mpi_transport and ends the workers with
 * cli_mpi_stop_workers; ranks > 0 call cli_mpi_worker, which returns an
 * exit code when rank 0 is done. */
int cli_mpi_size(void);
int cli_mpi_rank(void);
void cli_mpi_share_campaign(const char *text);
void cli_mpi_transport(pc_search_transport *tr);
void cli_mpi_stop_workers(void);
/* Rank 0 after a failed run: ends every rank (workers may be inside a task). */
void cli_mpi_abort(int code);
int cli_mpi_worker(const pc_search_run_opts *o);

/* Prints "polarcert: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Loads a problem, printing the loader's message on failure; returns an
 * exit code. */
int cli_load_problem(pc_problem_t p, const char *path);

/* --align: replaces V(0) of a square-loss problem by its projection onto
 * β w0ᵀ and says so on stderr; returns an exit code. */
int cli_align(pc_problem_t p, const char *path);

/* Option values; each prints "option: what is wrong" and returns
 * CLI_EXIT_USAGE on bad input, CLI_EXIT_OK otherwise. */
int cli_parse_long(long *out, const char *opt, const char *s, long lo, long hi);
int cli_parse_positive(fmpq_t out, const char *opt, const char *s);
int cli_parse_format(cli_format *out, const char *s, int allow_csv);
/* One of names (a NULL-terminated list): *out = its index. */
int cli_parse_choice(int *out, const char *opt, const char *s, const char *const *names);

/* Memory (cli_memory.c). cli_memory_install: FLINT and GMP allocations
 * that fail end the program with a message and exit 2 (never an abort),
 * removing the output's temporary file. cli_parse_memory: --max-memory.
 * cli_memory_limit: the option's value, or the default limit.
 * cli_check_memory: CLI_EXIT_OK if need <= limit, else prints which
 * estimate (what: the sizes it comes from) exceeds which limit and how to
 * raise it, and returns CLI_EXIT_USAGE. */
void cli_memory_install(void);
int cli_parse_memory(double *out, const char *s);
double cli_memory_limit(double opt);
int cli_check_memory(const char *path, double need, double limit, int given, const char *what);
/* After pc_enclose_init returned PC_ERR_MEMORY for these options (whose
 * max_memory is the limit; given: set by --max-memory): says why; returns
 * CLI_EXIT_USAGE. */
int cli_memory_refused(const char *path, const pc_problem_t p, pc_system_kind kind,
                       const pc_flow_opts *fo, int given);
/* A failed pc_enclose_run: prints msg; CLI_EXIT_USAGE with how to raise the
 * limit for PC_ERR_MEMORY (exceeding a limit is refused like bad input),
 * else CLI_EXIT_FAIL. */
int cli_run_failed(const char *path, int status, const char *msg, int given);

/* Removes the temporary file of the output being written, if any (for a
 * program that must end at once). */
void cli_output_remove_tmp(void);

/* Untrusted text (a problem's name) for a terminal: control characters
 * (C0, DEL, C1) become \xNN or \u00NN and a backslash \\, so that escape
 * sequences in a file never reach the terminal. Free with free(). */
char *cli_escape(const char *s);

/* pc_enclose_init with the system `kind`; if automatic, falls back to the
 * reduced and the full system when it does not apply. Prints why nothing
 * applies and returns CLI_EXIT_USAGE then. */
int cli_enclose_init(pc_enclose_t E, const pc_problem_t p, pc_system_kind kind, int automatic,
                     const pc_flow_opts *fo, const char *path);

/* Wall-clock seconds (monotonic). */
double cli_now(void);

/* A progress line on stderr at most 4 times a second (a pc_flow_opts
 * progress callback; ctx is a cli_progress *). */
typedef struct {
    double last;
    const char *label;      /* the time variable: "t", or "tau" for the τ-system */
} cli_progress;
int cli_progress_cb(void *ctx, const arb_t t, slong steps);

/* The exact number x as a decimal with `digits` digits rounded down (up =
 * 0) or up (up = 1), so that a printed interval lies inside the proven one.
 * Free with mpfr_free_str. */
char *cli_exact_str(const arf_t x, int up, slong digits);

/* Output to stdout ("-" or NULL) or to a file written under a temporary
 * name, flushed to disk and renamed on commit, so that a failed run never
 * leaves a half-written file behind. */
typedef struct {
    FILE *f;
    char *path;
    char *tmp;
} cli_output;

/* Refuses (message, CLI_EXIT_USAGE) an output path that exists and is not a
 * regular file: the rename would replace a device node, a symbolic link or
 * a named pipe by a regular file, and a directory would be found only at
 * the end of a long run. Commands call it before their long computation;
 * cli_output_open calls it again. */
int cli_output_check(const char *path);
int cli_output_open(cli_output *o, const char *path);
/* Flushes, syncs, closes and renames with SIGINT, SIGTERM and SIGHUP held
 * back, so that an interruption leaves either the complete file or none
 * (only SIGKILL or a crash can leave the temporary file, never a partial
 * target). Every failure is reported ("path: cannot write: No space left
 * on device; nothing written") and returns CLI_EXIT_FAIL. */
int cli_output_commit(cli_output *o);
void cli_output_abort(cli_output *o);
/* Writes a JSON value and a newline and commits; *bytes (if not NULL) is
 * the file's size. Every failure is reported. */
int cli_output_json(cli_output *o, json_t *v, long *bytes);
/* Reports a failed write to standard output; returns an exit code. */
int cli_stdout_check(void);

/* A ball as a decimal string "[mid +/- rad]" that contains it, or "not
 * finite (...)" for a ball with an infinite or NaN end, which is never
 * printed as a value (caller frees with flint_free). */
char *cli_ball_str(const arb_t x, slong digits);

/* The same as a JSON string. */
json_t *cli_json_ball(const arb_t x, slong digits);

/* Writes a JSON value followed by a newline. */
int cli_write_json(FILE *f, json_t *v);

#endif
