/* polarcert simulate: a float64 preview of the flow. NOT RIGOROUS. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char simulate_usage[] =
    "Usage: polarcert simulate [OPTIONS] PROBLEM.json\n"
    "\n"
    "Integrates the gradient flow in float64 (DOP853 with dense output) and\n"
    "prints t, loss, H, dH/dt and max_j s_j at t = 0 and at log-spaced times.\n"
    "This is a PREVIEW: NOT RIGOROUS, nothing it prints is a proof. For a box\n"
    "of initial data only the centre is simulated.\n"
    "\n"
    "Options:\n"
    "  --T TIME         horizon (default: the problem's T)\n"
    "  --tmin TIME      first positive output time (default: min(1e-2, T/100))\n"
    "  --points N       number of log-spaced times in [tmin, T] (default 40)\n"
    "  --system S       auto (default: the reduced system where it applies),\n"
    "                   full or reduced\n"
    "  --rtol R --atol A  error tolerances (default 1e-10, 1e-12)\n"
    "  --format FMT     text (default), csv or json\n"
    "  --align          square loss: replace V(0) by its exact projection onto\n"
    "                   beta w0^T (for data meant to be aligned, written with\n"
    "                   float rounding) so that the reduced system applies\n"
    "  -o, --output F   write to file F (atomically; a regular file or a new\n"
    "                   name) instead of stdout\n"
    "  -h, --help       this help\n";

typedef enum { SYS_AUTO, SYS_FULL, SYS_REDUCED } sim_system;

typedef struct {
    fmpq_t T, tmin;
    int have_T, have_tmin;
    long points;
    sim_system system;
    double rtol, atol;
    cli_format format;
    const char *output, *path;
    int align;
} sim_opts;

/* What the integrator sees: the model and which system it integrates. */
typedef struct {
    pc_model_d_t model;
    pc_field_d_ctx field;
} sim_ctx;

typedef struct {
    double t, loss, H, dH, smax;
} sim_row;

static int sim_parse_double(double *out, const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v > 0) || !isfinite(v)) {
        cli_error("%s: '%s' is not a positive number", opt, s);
        return CLI_EXIT_USAGE;
    }
    *out = v;
    return CLI_EXIT_OK;
}

static int sim_parse_system(sim_system *out, const char *s)
{
    if (strcmp(s, "auto") == 0) *out = SYS_AUTO;
    else if (strcmp(s, "full") == 0) *out = SYS_FULL;
    else if (strcmp(s, "reduced") == 0) *out = SYS_REDUCED;
    else {
        cli_error("--system: '%s' is not one of auto, full, reduced", s);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int sim_parse(sim_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"T", required_argument, NULL, 'T'}, {"tmin", required_argument, NULL, 'm'},
        {"points", required_argument, NULL, 'n'}, {"system", required_argument, NULL, 's'},
        {"rtol", required_argument, NULL, 'r'}, {"atol", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"align", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c, st = CLI_EXIT_OK;
    o->have_T = o->have_tmin = 0;
    o->points = 40;
    o->system = SYS_AUTO;
    o->rtol = 1e-10;
    o->atol = 1e-12;
    o->format = CLI_FORMAT_TEXT;
    o->output = NULL;
    o->align = 0;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'T': st = cli_parse_positive(o->T, "--T", optarg); o->have_T = 1; break;
        case 'm': st = cli_parse_positive(o->tmin, "--tmin", optarg); o->have_tmin = 1; break;
        case 'n': st = cli_parse_long(&o->points, "--points", optarg, 1, 1000000); break;
        case 's': st = sim_parse_system(&o->system, optarg); break;
        case 'r': st = sim_parse_double(&o->rtol, "--rtol", optarg); break;
        case 'a': st = sim_parse_double(&o->atol, "--atol", optarg); break;
        case 'f': st = cli_parse_format(&o->format, optarg, 1); break;
        case 'o': o->output = optarg; break;
        case 'A': o->align = 1; break;
        case 'h': fputs(simulate_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && optind != argc - 1) {
        cli_error("simulate: give exactly one problem file (see 'polarcert simulate --help')");
        st = CLI_EXIT_USAGE;
    }
    o->path = optind < argc ? argv[optind] : NULL;
    return st;
}

/* t = 0, then `points` log-spaced times from tmin to T. */
static double *sim_times(double tmin, double T, long points)
{
    double *t = malloc(sizeof(double) * (size_t) (points + 1));
    if (t == NULL)
        return NULL;
    t[0] = 0.0;
    for (long k = 0; k < points; k++)
        t[k + 1] = points == 1 ? T : tmin * pow(T / tmin, (double) k / (double) (points - 1));
    t[points] = T;
    return t;
}

static void sim_observe(sim_row *row, const sim_ctx *c, double t, const double *x, double *work)
{
    const slong n = c->model->n;
    const double *a = c->field.reduced ? x + n : x + c->model->d * n;
    pc_field_preview_rhs(work, t, x, (void *) &c->field);
    const double *da = c->field.reduced ? work + n : work + c->model->d * n;
    row->t = t;
    if (c->field.reduced)
        pc_reduced_loss_d(&row->loss, c->model, x);
    else
        pc_model_loss_d(&row->loss, c->model, x);
    pc_entropy_d(&row->H, a, n);
    pc_entropy_rate_d(&row->dH, a, da, n);
    pc_softmax_d(work, a, n);
    row->smax = work[0];
    for (slong j = 1; j < n; j++)
        row->smax = fmax(row->smax, work[j]);
}

static void sim_print(FILE *f, const sim_opts *o, const pc_problem_t p, int reduced,
                      const sim_row *rows, long nrows, const pc_preview_stats *stats)
{
    const char *label = "float64 preview (NOT RIGOROUS): DOP853";
    const char *sys = reduced ? "reduced (u, a)" : "full (V, a)";
    if (o->format == CLI_FORMAT_JSON) {
        json_t *arr = json_array();
        for (long k = 0; k < nrows; k++)
            json_array_append_new(arr, json_pack("{s:f, s:f, s:f, s:f, s:f}", "t", rows[k].t,
                                                 "loss", rows[k].loss, "H", rows[k].H,
                                                 "dH_dt", rows[k].dH, "max_s", rows[k].smax));
        json_t *j = json_pack("{s:s, s:b, s:s, s:s, s:s, s:f, s:f, s:I, s:o}",
                              "format", "polarcert-simulate/1", "rigorous", 0, "method", label,
                              "problem", p->name, "system", sys, "rtol", o->rtol,
                              "atol", o->atol, "steps", (json_int_t) stats->accepted,
                              "rows", arr);
        cli_write_json(f, j);
        json_decref(j);
        return;
    }
    int csv = o->format == CLI_FORMAT_CSV;
    char *name = cli_escape(p->name);
    fprintf(f, "# %s, %s system, rtol %g, atol %g, %ld steps\n# problem %s%s\n", label, sys,
            o->rtol, o->atol, stats->accepted, name,
            pc_problem_is_box(p) ? " (centre of the box only)" : "");
    free(name);
    fprintf(f, csv ? "t,loss,H,dH_dt,max_s\n" : "%12s %23s %23s %23s %10s\n", "t", "loss",
            "H", "dH/dt", "max_s");
    for (long k = 0; k < nrows; k++)
        fprintf(f, csv ? "%.17g,%.17g,%.17g,%.17g,%.17g\n" : "%12.6g %23.16e %23.16e %23.15e %10.6f\n",
                rows[k].t, rows[k].loss, rows[k].H, rows[k].dH, rows[k].smax);
}

/* Chooses the system, sets up x(0) in it; returns its dimension. */
static slong sim_setup(sim_ctx *c, double **x0, const pc_problem_t p, sim_system want, int *st)
{
    const char *why;
    pc_reduced_kind kind = pc_reduced_detect(p, &why);
    const slong full = pc_model_full_dim(p->d, p->n);
    double *x = malloc(sizeof(double) * (size_t) full);
    *st = CLI_EXIT_OK;
    if (want == SYS_REDUCED && kind == PC_REDUCED_NONE) {
        cli_error("--system reduced: does not apply (%s)", why);
        *st = CLI_EXIT_USAGE;
    }
    pc_model_d_init(c->model, p);
    c->field.model = c->model;
    pc_state_d_from_problem(x, p);
    c->field.reduced = kind != PC_REDUCED_NONE && want != SYS_FULL;
    *x0 = x;
    if (!c->field.reduced)
        return full;
    double *xr = malloc(sizeof(double) * (size_t) (2 * p->n));
    pc_reduced_from_full_d(xr, c->model, x);
    free(x);
    *x0 = xr;
    return 2 * p->n;
}

static int sim_run(const sim_opts *o, const pc_problem_t p)
{
    sim_ctx c;
    double *x0, T = fmpq_get_d(o->have_T ? o->T : p->T);
    double tmin = o->have_tmin ? fmpq_get_d(o->tmin) : fmin(1e-2, T / 100);
    int st;
    if (tmin >= T && o->points > 1) {
        cli_error("--tmin: must be below the horizon T = %g", T);
        return CLI_EXIT_USAGE;
    }
    slong dim = sim_setup(&c, &x0, p, o->system, &st);
    long nt = o->points + 1;
    double *t = sim_times(tmin, T, o->points);
    double *xs = malloc(sizeof(double) * (size_t) (nt * dim)), *work = malloc(sizeof(double) * (size_t) dim);
    sim_row *rows = malloc(sizeof(sim_row) * (size_t) nt);
    pc_preview_opts popts;
    pc_preview_stats stats;
    pc_error_t err;
    cli_output out;
    pc_preview_opts_default(&popts);
    popts.rtol = o->rtol;
    popts.atol = o->atol;
    if (st == CLI_EXIT_OK && (t == NULL || xs == NULL || work == NULL || rows == NULL)) {
        cli_error("out of memory");
        st = CLI_EXIT_FAIL;
    }
    if (st == CLI_EXIT_OK && pc_preview_integrate(pc_field_preview_rhs, &c.field, dim, 0.0, x0, t, nt, xs, &popts,
                                                  &stats, err) != PC_OK) {
        cli_error("%s: float preview failed: %s", o->path, err->msg);
        st = CLI_EXIT_FAIL;
    }
    if (st == CLI_EXIT_OK && (st = cli_output_open(&out, o->output)) == CLI_EXIT_OK) {
        for (long k = 0; k < nt; k++)
            sim_observe(rows + k, &c, t[k], xs + k * dim, work);
        sim_print(out.f, o, p, c.field.reduced, rows, nt, &stats);
        st = cli_output_commit(&out);
    }
    free(t);
    free(xs);
    free(work);
    free(rows);
    free(x0);
    pc_model_d_clear(c.model);
    return st;
}

int cmd_simulate(int argc, char **argv)
{
    sim_opts o;
    pc_problem_t p;
    fmpq_init(o.T);
    fmpq_init(o.tmin);
    pc_problem_init(p);
    int st = sim_parse(&o, argc, argv);
    if (st == CLI_EXIT_OK)
        st = cli_output_check(o.output);
    if (st == CLI_EXIT_OK)
        st = cli_load_problem(p, o.path);
    if (st == CLI_EXIT_OK && o.align)
        st = cli_align(p, o.path);
    if (st == CLI_EXIT_OK)
        st = sim_run(&o, p);
    pc_problem_clear(p);
    fmpq_clear(o.T);
    fmpq_clear(o.tmin);
    flint_cleanup();
    return st;
}
