/* The options of a certification run, shared by certify and check: one
 * parser, one set of defaults, one translation into pc_certify_opts. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>
#include "cli.h"

static const char *const systems[] = {"auto", "full", "reduced", "tau", NULL};

void cli_certify_opts_init(cli_certify_opts *o)
{
    fmpq_init(o->T);
    o->have_T = o->align = 0;
    o->auto_system = 1;
    o->system = PC_SYSTEM_FULL;
    o->prec = 128;
    o->order = 0;
    o->depth = 6;
    o->gaps = 16;
    o->max_memory = 0;
    o->out = o->path = NULL;
}

void cli_certify_opts_clear(cli_certify_opts *o)
{
    fmpq_clear(o->T);
}

int cli_certify_opts_parse(cli_certify_opts *o, int c, const char *arg, long min_depth,
                           int *st)
{
    long v;
    int choice = 0;
    switch (c) {
    case 'o': o->out = arg; break;
    case 'T': *st = cli_parse_positive(o->T, "--T", arg); o->have_T = 1; break;
    case 'p': *st = cli_parse_long(&v, "--prec", arg, 32, 4096); o->prec = v; break;
    case 'k': *st = cli_parse_long(&v, "--order", arg, 2, 400); o->order = v; break;
    case 'd': *st = cli_parse_long(&v, "--depth", arg, min_depth, 20); o->depth = v; break;
    case 'g': *st = cli_parse_long(&v, "--gaps", arg, 0, 100000); o->gaps = v; break;
    case 's':
        *st = cli_parse_choice(&choice, "--system", arg, systems);
        o->auto_system = choice == 0;
        o->system = choice == 2 ? PC_SYSTEM_REDUCED : choice == 3 ? PC_SYSTEM_TAU
                                                                  : PC_SYSTEM_FULL;
        break;
    case 'A': o->align = 1; break;
    case 'M': *st = cli_parse_memory(&o->max_memory, arg); break;
    default: return 0;
    }
    return 1;
}

void cli_certify_opts_lib(pc_certify_opts *co, const cli_certify_opts *o, cli_progress *prog)
{
    pc_certify_opts_default(co);
    co->prec = o->prec;
    co->order = o->order;
    co->depth = o->depth;
    co->gaps = o->gaps;
    co->auto_system = o->auto_system;
    co->system = o->system;
    co->T = o->have_T ? o->T : NULL;
    co->max_memory = cli_memory_limit(o->max_memory);
    if (prog != NULL && isatty(STDERR_FILENO)) {
        co->progress = cli_progress_cb;
        co->progress_ctx = prog;
    }
}
