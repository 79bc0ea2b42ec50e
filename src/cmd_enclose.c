/* polarcert enclose: rigorous enclosure of the flow on [0, T]. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mpfr.h>
#include "cli.h"

static const char enclose_usage[] =
    "Usage: polarcert enclose [OPTIONS] PROBLEM.json\n"
    "\n"
    "Integrates the gradient flow rigorously (Taylor method in ball arithmetic\n"
    "with proven a priori enclosures, Lagrange remainders and a QR-Lohner set)\n"
    "and prints the steps taken, the enclosure of the state at T, and the\n"
    "enclosures of the loss, H and dH/dt there. Every printed ball contains the\n"
    "true value (for a problem with a radius: for every initial point).\n"
    "\n"
    "Options:\n"
    "  --T TIME         horizon (default: the problem's T)\n"
    "  --prec BITS      working precision (default 128; 32 to 100000)\n"
    "  --order K        Taylor order (default: about 0.3 * prec)\n"
    "  --system S       auto (default: reduced where it applies), full, reduced,\n"
    "                   or tau (reduced system in tau = integral of rho dt, with\n"
    "                   t(tau) enclosed and results mapped back to real time)\n"
    "  --set S          auto (default: meanvalue for the tau-system, else lohner),\n"
    "                   lohner (QR-Lohner), interval (plain boxes; for comparison) or\n"
    "                   meanvalue (mean-value form on plain boxes: no QR, O(dim^2) a step)\n"
    "                   or c2 (QR-Lohner with a second-order step for a box of initial\n"
    "                   data: slower, much tighter for wide boxes; enclose only)\n"
    "  --at T1,T2,...   also enclose the state at these times (0 < Ti <= T)\n"
    "  --summary        print the largest radius of the state, not every component\n"
    "  --digits N       significant digits printed (default 20)\n"
    "  --json FILE      write all results to FILE (atomically; a regular file\n"
    "                   or a new name)\n"
    "  --align          square loss: replace V(0) by its projection onto beta w0^T\n"
    "  --max-memory SIZE  refuse a run whose memory would exceed SIZE (2G, 512M;\n"
    "                   default: half the physical memory, or 90% of ulimit -v):\n"
    "                   estimated from the system's dimension, the orders and\n"
    "                   the precision before the run, checked again as steps\n"
    "                   are stored; exit status 2, nothing written\n"
    "  -h, --help       this help\n";

typedef struct {
    fmpq_t T;
    int have_T, summary, align;
    slong prec, order, digits;
    pc_system_kind system;
    int auto_system;
    int set;                    /* a pc_flow_set, or -1: pc_enclose_default_set */
    const char *at, *json, *path;
    double max_memory;          /* 0: the default limit */
} enc_opts;

static int enc_parse(enc_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"T", required_argument, NULL, 'T'}, {"prec", required_argument, NULL, 'p'},
        {"order", required_argument, NULL, 'k'}, {"system", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'}, {"at", required_argument, NULL, 'a'},
        {"summary", no_argument, NULL, 'm'}, {"digits", required_argument, NULL, 'D'},
        {"json", required_argument, NULL, 'j'}, {"align", no_argument, NULL, 'A'},
        {"max-memory", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static const char *const systems[] = {"auto", "full", "reduced", "tau", NULL};
    /* in the order of pc_flow_set; "auto" last */
    static const char *const sets[] = {"lohner", "interval", "meanvalue", "auto", "c2", NULL};
    long v;
    int c, choice = 0, st = CLI_EXIT_OK;
    o->have_T = o->summary = o->align = 0;
    o->order = 0;
    o->system = PC_SYSTEM_FULL;
    o->at = o->json = NULL;
    o->max_memory = 0;
    o->prec = 128;
    o->digits = 20;
    o->auto_system = 1;
    o->set = -1;                        /* auto */
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'T': st = cli_parse_positive(o->T, "--T", optarg); o->have_T = 1; break;
        case 'p': st = cli_parse_long(&v, "--prec", optarg, 32, 100000); o->prec = v; break;
        case 'k': st = cli_parse_long(&v, "--order", optarg, 2, 400); o->order = v; break;
        case 'D': st = cli_parse_long(&v, "--digits", optarg, 1, 100000); o->digits = v; break;
        case 's':
            st = cli_parse_choice(&choice, "--system", optarg, systems);
            o->auto_system = choice == 0;
            o->system = choice == 2 ? PC_SYSTEM_REDUCED : choice == 3 ? PC_SYSTEM_TAU : PC_SYSTEM_FULL;
            break;
        case 'S': st = cli_parse_choice(&choice, "--set", optarg, sets); o->set = choice == 3 ? -1 : choice == 4 ? PC_FLOW_SET_C2 : choice; break;
        case 'a': o->at = optarg; break;
        case 'm': o->summary = 1; break;
        case 'j': o->json = optarg; break;
        case 'A': o->align = 1; break;
        case 'M': st = cli_parse_memory(&o->max_memory, optarg); break;
        case 'h': fputs(enclose_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && optind != argc - 1) {
        cli_error("enclose: give exactly one problem file (see 'polarcert enclose --help')");
        st = CLI_EXIT_USAGE;
    }
    o->path = optind < argc ? argv[optind] : NULL;
    return st;
}

/* --at: comma-separated exact times in (0, T]; returns their count or -1. */
static slong enc_parse_times(arb_ptr *out, const char *list, const fmpq_t T, slong prec)
{
    slong n = 1, k = 0;
    for (const char *c = list; *c; c++)
        n += *c == ',';
    char *copy = strdup(list), *save = NULL;
    arb_ptr t = _arb_vec_init(n);
    fmpq_t q;
    fmpq_init(q);
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (cli_parse_positive(q, "--at", tok) != CLI_EXIT_OK || fmpq_cmp(q, T) > 0) {
            if (fmpq_cmp(q, T) > 0)
                cli_error("--at: %s is beyond the horizon T", tok);
            k = -1;
            break;
        }
        arb_set_fmpq(t + k++, q, prec);
    }
    fmpq_clear(q);
    free(copy);
    if (k != n && k >= 0) {
        cli_error("--at: empty time in '%s'", list);
        k = -1;
    }
    if (k < 0)
        _arb_vec_clear(t, n);
    else
        *out = t;
    return k;
}

static void enc_print_block(FILE *f, pc_enclose_t E, const arb_t t, const enc_opts *o)
{
    const pc_problem_struct *p = E->p;
    const slong dn = p->d * p->n, full = dn + p->n;
    pc_enclose_obs_t ob;
    arb_ptr x = _arb_vec_init(full);
    char *s;
    pc_enclose_obs_init(ob);
    pc_enclose_observe(ob, E, t);
    pc_enclose_state(x, E, t);
    s = cli_ball_str(t, o->digits);
    fprintf(f, "t = %s\n", s);
    flint_free(s);
#define BALL(label, v) (s = cli_ball_str(v, o->digits), fprintf(f, "  %-8s %s\n", label, s), flint_free(s))
    BALL("loss", ob->loss);
    BALL("H", ob->H);
    BALL("dH/dt", ob->dH);
#undef BALL
    fprintf(f, "  max radius of the state (V, a): %.3e\n", mag_get_d(ob->max_radius));
    for (slong k = 0; !o->summary && k < full; k++) {
        s = cli_ball_str(x + k, o->digits);
        if (k < dn)
            fprintf(f, "  V[%ld][%ld] %s\n", (long) (k / p->n), (long) (k % p->n), s);
        else
            fprintf(f, "  a[%ld] %s\n", (long) (k - dn), s);
        flint_free(s);
    }
    pc_enclose_obs_clear(ob);
    _arb_vec_clear(x, full);
}

static json_t *enc_json_block(pc_enclose_t E, const arb_t t, slong digits)
{
    const pc_problem_struct *p = E->p;
    const slong dn = p->d * p->n, full = dn + p->n;
    pc_enclose_obs_t ob;
    arb_ptr x = _arb_vec_init(full);
    json_t *V = json_array(), *a = json_array();
    char rad[32];
    pc_enclose_obs_init(ob);
    pc_enclose_observe(ob, E, t);
    pc_enclose_state(x, E, t);
    for (slong i = 0; i < p->d; i++) {
        json_t *row = json_array();
        for (slong j = 0; j < p->n; j++)
            json_array_append_new(row, cli_json_ball(x + i * p->n + j, digits));
        json_array_append_new(V, row);
    }
    for (slong j = 0; j < p->n; j++)
        json_array_append_new(a, cli_json_ball(x + dn + j, digits));
    snprintf(rad, sizeof rad, "%.6e", mag_get_d(ob->max_radius));
    json_t *b = json_pack("{s:o, s:o, s:o, s:o, s:s, s:{s:o, s:o}}", "t", cli_json_ball(t, digits),
                          "loss", cli_json_ball(ob->loss, digits), "H", cli_json_ball(ob->H, digits),
                          "dH_dt", cli_json_ball(ob->dH, digits), "max_radius", rad,
                          "state", "V", V, "a", a);
    pc_enclose_obs_clear(ob);
    _arb_vec_clear(x, full);
    return b;
}

static int enc_write_json(pc_enclose_t E, const enc_opts *o, const arb_t T, arb_srcptr at,
                          slong nat, double wall)
{
    cli_output out;
    int st = cli_output_open(&out, o->json);
    if (st != CLI_EXIT_OK)
        return st;
    json_t *ats = json_array();
    for (slong k = 0; k < nat; k++)
        json_array_append_new(ats, enc_json_block(E, at + k, o->digits));
    json_t *j = json_pack("{s:s, s:b, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:f, s:b, s:o, s:o}",
                          "format", "polarcert-enclose/1", "rigorous", 1,
                          "note", "each value is a ball [mid +/- rad] containing the true value",
                          "problem", E->p->name, "system", pc_system_name(E->kind),
                          "prec", (json_int_t) o->prec, "order", (json_int_t) E->flow->opts.order,
                          "set", pc_flow_set_name(E->flow->opts.set),
                          "steps", (json_int_t) E->flow->nsteps,
                          "rejected", (json_int_t) E->flow->rejected, "wall_seconds", wall,
                          "sum_a_conserved", pc_enclose_sum_a_conserved(E),
                          "final", enc_json_block(E, T, o->digits), "at", ats);
    st = cli_output_json(&out, j, NULL);
    json_decref(j);
    return st;
}

/* The proven intervals of the sign of dH/dt at the start and at the end
 * (pc_claims.h), and whether the tail lemma extends the last one. */
static void enc_print_entropy_runs(pc_enclose_t E, const enc_opts *o, const arb_t T)
{
    pc_claims_t C;
    pc_claims_init(C);
    pc_claims_compute(C, E, arb_midref(T), 6, 0);
    int fall = 0;
    for (slong k = 0; k < C->len; k++) {
        const pc_claim_struct *c = C->claim + k;
        if (c->kind != PC_CLAIM_ENTROPY_INCREASING && c->kind != PC_CLAIM_ENTROPY_DECREASING)
            continue;
        int inc = c->kind == PC_CLAIM_ENTROPY_INCREASING;
        char *a = cli_exact_str(c->from, 1, o->digits);
        char *b = cli_exact_str(arf_is_finite(c->to) ? c->to : arb_midref(T), 0, o->digits);
        printf("entropy   dH/dt %c 0 proven for all t in %s%s, %s]%s\n", inc ? '>' : '<',
               c->open_from ? "(" : "[", a, b,
               c->open_from ? " (open at 0: a(0) uniform, proofs/open-start.md)" : "");
        fall |= !inc;
        mpfr_free_str(a);
        mpfr_free_str(b);
    }
    if (!fall)
        printf("entropy   no final interval with dH/dt < 0 proven\n");
    if (C->tail != PC_TAIL_NONE)
        printf("tail      lemma %s/1 holds at the end: dH/dt < 0 for all later t\n",
               pc_tail_lemma_name(C->tail));
    pc_claims_clear(C);
}

static void enc_print(pc_enclose_t E, const enc_opts *o, const arb_t T, arb_srcptr at, slong nat,
                      double wall)
{
    const char *why;
    const pc_problem_struct *p = E->p;
    pc_reduced_detect(p, &why);
    char *name = cli_escape(p->name);
    printf("problem   %s (%s loss, d = %ld, n = %ld%s)\n", name, pc_loss_name(p->loss),
           (long) p->d, (long) p->n, pc_problem_is_box(p) ? ", box of initial data" : "");
    free(name);
    printf("system    %s, dimension %ld (%s)\n", pc_system_name(E->kind), (long) E->sys->dim,
           E->kind == PC_SYSTEM_FULL ? "full (V, a) system" : why);
    printf("method    Taylor order %ld, %s set, %ld bits\n", (long) E->flow->opts.order,
           E->flow->opts.set == PC_FLOW_SET_LOHNER ? "QR-Lohner" : pc_flow_set_name(E->flow->opts.set),
           (long) o->prec);
    printf("steps     %ld accepted, %ld rejected\n", (long) E->flow->nsteps, (long) E->flow->rejected);
    if (E->kind == PC_SYSTEM_TAU && E->flow->nsteps > 0) {
        const pc_flow_step_struct *s = E->flow->step + E->flow->nsteps - 1;
        arb_t tau;
        arb_init(tau);
        arb_add(tau, s->t0, s->h, ARF_PREC_EXACT);
        char *a = cli_ball_str(tau, 12), *b = cli_ball_str(s->end + 2 * p->n, o->digits);
        printf("tau       ends at %s, where t(tau) = %s\n", a, b);
        flint_free(a);
        flint_free(b);
        arb_clear(tau);
    }
    printf("sum(a)    conserved in every step's enclosure: %s\n",
           pc_enclose_sum_a_conserved(E) ? "yes" : "NO (report this as a bug)");
    enc_print_entropy_runs(E, o, T);
    printf("wall      %.3f s\n", wall);
    enc_print_block(stdout, E, T, o);
    for (slong k = 0; k < nat; k++)
        enc_print_block(stdout, E, at + k, o);
}

static int enc_run(const enc_opts *o, const pc_problem_t p)
{
    pc_flow_opts fo;
    pc_enclose_t E;
    pc_error_t err;
    cli_progress prog = {0};
    arb_ptr at = NULL;
    slong nat = 0;
    arb_t T;
    int st = CLI_EXIT_OK;
    const fmpq *Tq = o->have_T ? o->T : p->T;
    pc_system_kind kind = o->auto_system ? pc_enclose_default_system(p) : o->system;
    if (o->at != NULL && (nat = enc_parse_times(&at, o->at, Tq, o->prec)) < 0)
        return CLI_EXIT_USAGE;
    pc_flow_opts_default(&fo, o->prec);
    fo.order = o->order > 0 ? o->order : pc_flow_default_order(o->prec);
    fo.set = o->set < 0 ? pc_enclose_default_set(kind) : (pc_flow_set) o->set;
    fo.max_memory = cli_memory_limit(o->max_memory);
    if (isatty(STDERR_FILENO)) {
        fo.progress = cli_progress_cb;
        fo.progress_ctx = &prog;
    }
    if (cli_enclose_init(E, p, kind, o->auto_system, &fo, o->path) != CLI_EXIT_OK) {
        if (at) _arb_vec_clear(at, nat);
        return CLI_EXIT_USAGE;
    }
    prog.label = E->kind == PC_SYSTEM_TAU ? "tau" : "t";
    arb_init(T);
    arb_set_fmpq(T, Tq, o->prec);
    double t0 = cli_now();
    int rst = pc_enclose_run(E, T, at, nat, err);
    if (rst != PC_OK) {
        if (fo.progress) fputc('\n', stderr);
        st = cli_run_failed(o->path, rst, err->msg, o->max_memory > 0);
    }
    double wall = cli_now() - t0;
    if (fo.progress && st == CLI_EXIT_OK)
        fprintf(stderr, "\r%60s\r", "");
    if (st == CLI_EXIT_OK) {
        enc_print(E, o, T, at, nat, wall);
        if (o->json != NULL)
            st = enc_write_json(E, o, T, at, nat, wall);
    }
    arb_clear(T);
    if (at) _arb_vec_clear(at, nat);
    pc_enclose_clear(E);
    return st;
}

int cmd_enclose(int argc, char **argv)
{
    enc_opts o;
    pc_problem_t p;
    fmpq_init(o.T);
    pc_problem_init(p);
    int st = enc_parse(&o, argc, argv);
    if (st == CLI_EXIT_OK)
        st = cli_output_check(o.json);          /* before the long run */
    if (st == CLI_EXIT_OK)
        st = cli_load_problem(p, o.path);
    if (st == CLI_EXIT_OK && o.align)
        st = cli_align(p, o.path);
    if (st == CLI_EXIT_OK)
        st = enc_run(&o, p);
    pc_problem_clear(p);
    fmpq_clear(o.T);
    flint_cleanup();
    return st;
}
