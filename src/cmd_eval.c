/* polarcert eval: the model at t = 0 in ball arithmetic (rigorous). */
#include <getopt.h>
#include <stdlib.h>
#include "cli.h"

static const char eval_usage[] =
    "Usage: polarcert eval [OPTIONS] PROBLEM.json\n"
    "\n"
    "Evaluates, at t = 0 and in ball arithmetic, the loss, the vector field\n"
    "(dV/dt, da/dt), the entropy H of sigma(a), dH/dt and the conserved sum of\n"
    "a. Every printed ball [m +/- r] provably contains the true value (for a\n"
    "problem with a radius: for every initial point of the box).\n"
    "\n"
    "Options:\n"
    "  --prec BITS      working precision in bits (default 128; 16 to 1000000)\n"
    "  --digits N       significant digits printed (default: enough for --prec)\n"
    "  --format FMT     text (default) or json\n"
    "  --align          square loss: replace V(0) by its exact projection onto\n"
    "                   beta w0^T (for data meant to be aligned, written with\n"
    "                   float rounding) so that the reduced system applies\n"
    "  -o, --output F   write to file F (atomically; a regular file or a new\n"
    "                   name) instead of stdout\n"
    "  --max-memory SIZE  refuse to start if the estimated memory (the state,\n"
    "                   the field and their printed digits at --prec) exceeds\n"
    "                   SIZE (2G, 512M; default: half the physical memory, or\n"
    "                   90% of ulimit -v); exit status 2\n"
    "  -h, --help       this help\n";

typedef struct {
    slong prec, digits;
    cli_format format;
    const char *output;
    const char *path;
    int align;
    double max_memory;          /* 0: the default limit */
} eval_opts;

typedef struct {
    arb_t loss, H, dH, sum_a;
    arb_ptr field;       /* full-state vector field: dV then da */
} eval_result;

static int eval_parse(eval_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"prec", required_argument, NULL, 'p'}, {"digits", required_argument, NULL, 'D'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"align", no_argument, NULL, 'A'}, {"max-memory", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    long v;
    int c, st = CLI_EXIT_OK;
    o->prec = 128;
    o->digits = 0;
    o->format = CLI_FORMAT_TEXT;
    o->output = NULL;
    o->align = 0;
    o->max_memory = 0;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': st = cli_parse_long(&v, "--prec", optarg, 16, 1000000); o->prec = v; break;
        case 'D': st = cli_parse_long(&v, "--digits", optarg, 1, 1000000); o->digits = v; break;
        case 'f': st = cli_parse_format(&o->format, optarg, 0); break;
        case 'o': o->output = optarg; break;
        case 'A': o->align = 1; break;
        case 'M': st = cli_parse_memory(&o->max_memory, optarg); break;
        case 'h': fputs(eval_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && optind != argc - 1) {
        cli_error("eval: give exactly one problem file (see 'polarcert eval --help')");
        st = CLI_EXIT_USAGE;
    }
    o->path = optind < argc ? argv[optind] : NULL;
    if (o->digits == 0)
        o->digits = (slong) (o->prec * 0.30103) + 1;
    return st;
}

static void eval_compute(eval_result *r, const pc_problem_t p, slong prec)
{
    const slong dim = pc_model_full_dim(p->d, p->n), dn = p->d * p->n;
    pc_model_arb_t m;
    arb_ptr x = _arb_vec_init(dim);
    pc_model_arb_init(m, p, prec);
    pc_state_arb_from_problem(x, p, prec);
    pc_field_full_arb(r->field, m, x, prec);
    pc_model_loss_arb(r->loss, m, x, prec);
    pc_entropy_arb(r->H, x + dn, p->n, prec);
    pc_entropy_rate_arb(r->dH, x + dn, r->field + dn, p->n, prec);
    pc_conserved_sum_a_arb(r->sum_a, x, p->d, p->n, prec);
    pc_model_arb_clear(m);
    _arb_vec_clear(x, dim);
}

static void eval_print_text(FILE *f, const eval_result *r, const pc_problem_t p,
                            const eval_opts *o)
{
    const char *why;
    const slong dn = p->d * p->n;
    pc_reduced_kind kind = pc_reduced_detect(p, &why);
    char *s;
    char *name = cli_escape(p->name);
    fprintf(f, "problem   %s (%s loss, d = %ld, n = %ld%s)\n", name,
            pc_loss_name(p->loss), (long) p->d, (long) p->n,
            pc_problem_is_box(p) ? ", box of initial data" : "");
    free(name);
    fprintf(f, "reduced   %s: %s\n", pc_reduced_name(kind), why);
    fprintf(f, "rigorous  ball arithmetic at %ld bits; t = 0\n", (long) o->prec);
#define PRINT_BALL(label, x) \
    (s = cli_ball_str(x, o->digits), fprintf(f, "%-9s %s\n", label, s), flint_free(s))
    PRINT_BALL("loss", r->loss);
    PRINT_BALL("H", r->H);
    PRINT_BALL("dH/dt", r->dH);
    PRINT_BALL("sum(a)", r->sum_a);
    for (slong j = 0; j < p->n; j++) {
        s = cli_ball_str(r->field + dn + j, o->digits);
        fprintf(f, "da/dt[%ld] %s\n", (long) j, s);
        flint_free(s);
    }
    for (slong k = 0; k < dn; k++) {
        s = cli_ball_str(r->field + k, o->digits);
        fprintf(f, "dV/dt[%ld][%ld] %s\n", (long) (k / p->n), (long) (k % p->n), s);
        flint_free(s);
    }
#undef PRINT_BALL
}

static json_t *eval_json(const eval_result *r, const pc_problem_t p, const eval_opts *o)
{
    const slong dn = p->d * p->n;
    json_t *dV = json_array(), *da = json_array();
    for (slong i = 0; i < p->d; i++) {
        json_t *row = json_array();
        for (slong j = 0; j < p->n; j++)
            json_array_append_new(row, cli_json_ball(r->field + i * p->n + j, o->digits));
        json_array_append_new(dV, row);
    }
    for (slong j = 0; j < p->n; j++)
        json_array_append_new(da, cli_json_ball(r->field + dn + j, o->digits));
    return json_pack("{s:s, s:b, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:{s:o, s:o}}",
                     "format", "polarcert-eval/1", "rigorous", 1,
                     "note", "each value is a ball [mid +/- rad] containing the true value",
                     "problem", p->name, "loss_family", pc_loss_name(p->loss),
                     "prec", (json_int_t) o->prec,
                     "reduced", pc_reduced_name(pc_reduced_detect(p, NULL)),
                     "loss", cli_json_ball(r->loss, o->digits), "H", cli_json_ball(r->H, o->digits),
                     "dH_dt", cli_json_ball(r->dH, o->digits),
                     "sum_a", cli_json_ball(r->sum_a, o->digits),
                     "field", "dV_dt", dV, "da_dt", da);
}

int cmd_eval(int argc, char **argv)
{
    eval_opts o;
    eval_result r;
    pc_problem_t p;
    cli_output out;
    int st = eval_parse(&o, argc, argv);
    if (st != CLI_EXIT_OK)
        return st;
    pc_problem_init(p);
    if ((st = cli_load_problem(p, o.path)) != CLI_EXIT_OK
        || (o.align && (st = cli_align(p, o.path)) != CLI_EXIT_OK)) {
        pc_problem_clear(p);
        return st;
    }
    const slong dim = pc_model_full_dim(p->d, p->n);
    /* the balls, and the JSON tree of their decimal strings (digits each) */
    double need = pc_model_memory(p, o.prec) + (dim + 8.0) * (2.0 * o.digits + 160);
    char what[96];
    snprintf(what, sizeof what, "%ld balls of %ld bits, printed with %ld digits",
             (long) dim, (long) o.prec, (long) o.digits);
    if ((st = cli_check_memory(o.path, need, cli_memory_limit(o.max_memory), o.max_memory > 0,
                               what)) != CLI_EXIT_OK) {
        pc_problem_clear(p);
        return st;
    }
    arb_init(r.loss);
    arb_init(r.H);
    arb_init(r.dH);
    arb_init(r.sum_a);
    r.field = _arb_vec_init(dim);
    eval_compute(&r, p, o.prec);
    if ((st = cli_output_open(&out, o.output)) == CLI_EXIT_OK) {
        if (o.format == CLI_FORMAT_JSON) {
            json_t *j = eval_json(&r, p, &o);
            st = cli_output_json(&out, j, NULL);
            json_decref(j);
        } else {
            eval_print_text(out.f, &r, p, &o);
            st = cli_output_commit(&out);
        }
    }
    arb_clear(r.loss);
    arb_clear(r.H);
    arb_clear(r.dH);
    arb_clear(r.sum_a);
    _arb_vec_clear(r.field, dim);
    pc_problem_clear(p);
    flint_cleanup();
    return st;
}
