/* Memory limits of the commands that compute: --max-memory, the refusal of
 * a run whose estimate (lib/pc_memory.h) is above the limit, and an
 * allocator for FLINT and GMP that ends the program with a message and
 * exit status 2 where they would abort (an allocation that fails inside
 * them cannot return a status). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmp.h>
#include "cli.h"

static void cli_out_of_memory(size_t bytes)
{
    char b[32];
    pc_memory_format(b, sizeof b, (double) bytes);
    cli_output_remove_tmp();
    /* write(2), not stdio: stdio may itself need memory */
    static const char head[] = "polarcert: out of memory (an allocation of ";
    static const char tail[] = " failed): lower --max-memory so that the run is refused "
                               "before it starts, or use a smaller --prec or problem\n";
    ssize_t r = write(STDERR_FILENO, head, sizeof head - 1);
    r = write(STDERR_FILENO, b, strlen(b));
    r = write(STDERR_FILENO, tail, sizeof tail - 1);
    (void) r;
    _exit(CLI_EXIT_USAGE);
}

static void *cli_malloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL && n > 0 && !pc_memory_trying())    /* the library refuses itself */
        cli_out_of_memory(n);
    return p;
}

static void *cli_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL && n > 0 && size > 0)
        cli_out_of_memory(n * size);
    return p;
}

static void *cli_realloc(void *q, size_t n)
{
    void *p = realloc(q, n);
    if (p == NULL && n > 0)
        cli_out_of_memory(n);
    return p;
}

static void *cli_gmp_realloc(void *q, size_t old, size_t n)
{
    (void) old;
    return cli_realloc(q, n);
}

static void cli_gmp_free(void *p, size_t n)
{
    (void) n;
    free(p);
}

void cli_memory_install(void)
{
    __flint_set_memory_functions(cli_malloc, cli_calloc, cli_realloc, free);
    mp_set_memory_functions(cli_malloc, cli_gmp_realloc, cli_gmp_free);
}

int cli_parse_memory(double *out, const char *s)
{
    if (pc_memory_parse_size(out, s) != 0) {
        cli_error("--max-memory: '%s' is not a size such as 2G, 512M or 1.5G", s);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

double cli_memory_limit(double opt)
{
    return opt > 0 ? opt : pc_memory_default_limit();
}

int cli_check_memory(const char *path, double need, double limit, int given,
                     const char *what)
{
    char n[32], l[32], sug[32];
    if (need <= limit)
        return CLI_EXIT_OK;
    pc_memory_format(n, sizeof n, need);
    pc_memory_format(l, sizeof l, limit);
    snprintf(sug, sizeof sug, "%.0fG", need / (1 << 30) + 1);
    cli_error("%s: this run needs about %s of memory (%s), above the limit of %s (%s); "
              "nothing was computed. Raise the limit with --max-memory SIZE (e.g. "
              "--max-memory %s) if the machine has that much, or use a smaller --prec, "
              "--order or problem", path, n, what, l,
              given ? "--max-memory" : pc_memory_default_limit() < pc_memory_physical() / 2
              ? "the default: 90% of ulimit -v" : "the default: half the physical memory", sug);
    return CLI_EXIT_USAGE;
}

int cli_memory_refused(const char *path, const pc_problem_t p, pc_system_kind kind,
                       const pc_flow_opts *fo, int given)
{
    double need = 0;
    char what[160];
    pc_enclose_memory(&need, p, kind, fo);
    snprintf(what, sizeof what, "%s system of dimension %ld, Taylor order %ld, %ld bits",
             pc_system_name(kind), (long) pc_system_dim(kind, p),
             (long) (fo->order > 0 ? fo->order : pc_flow_default_order(fo->prec)),
             (long) fo->prec);
    if (cli_check_memory(path, need, fo->max_memory, given, what) == CLI_EXIT_OK) {
        char n[32];
        pc_memory_format(n, sizeof n, need);
        cli_error("%s: out of memory: the run needs about %s (%s), which the machine cannot "
                  "allocate now", path, n, what);
    }
    return CLI_EXIT_USAGE;
}

int cli_run_failed(const char *path, int status, const char *msg, int given)
{
    if (status != PC_ERR_MEMORY) {
        cli_error("%s: %s", path, msg);
        return CLI_EXIT_FAIL;
    }
    cli_error("%s: %s; the run was stopped and nothing was written (%s; a run whose "
              "estimate is above it is refused before it starts)", path, msg,
              given ? "the limit was set by --max-memory"
                    : "--max-memory SIZE sets the limit, by default half the physical memory");
    return CLI_EXIT_USAGE;
}
