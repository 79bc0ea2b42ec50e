/* polarcert check: a theorem's hypotheses and conclusions on a problem. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const char check_usage[] =
    "Usage: polarcert check [OPTIONS] --theorem NAME|FILE PROBLEM.json\n"
    "\n"
    "Checks a theorem on a problem: every hypothesis decided exactly on the\n"
    "problem's rationals (for a box: for every point of it) as TRUE or FALSE,\n"
    "every conclusion PROVEN on its interval, REFUTED with a certified witness,\n"
    "or UNDECIDED with the reason. The theorem is a preset (margin-polarization,\n"
    "ordered-gaps-grow, every-gap-grows, square-aligned; proofs/THEOREMS.md) or\n"
    "a file of format polarcert-theorem/1. With -o, writes a certificate\n"
    "(polarcert-cert/1 with hypotheses and theorem, certs/FORMAT.md) holding\n"
    "every proven item and every witness; polarcert-verify re-checks it.\n"
    "\n"
    "Options:\n"
    "  --theorem T        a preset name or a theorem file (required)\n"
    "  -o, --output FILE  certificate file, written atomically (default: none)\n"
    "  --T TIME           horizon (default: the problem's T)\n"
    "  --prec BITS        working precision (default 128; 32 to 4096)\n"
    "  --order K          Taylor order (default: about 0.3 * prec)\n"
    "  --system S         auto (default), full, reduced or tau\n"
    "  --depth D          bisect a step up to D times to decide a sign (default 6)\n"
    "  --align            square loss: replace V(0) by its projection onto beta w0^T\n"
    "  --max-memory SIZE  refuse a run whose memory would exceed SIZE (2G, 512M;\n"
    "                     default: half the physical memory, or 90% of ulimit -v)\n"
    "  --print-theorem    print the theorem (a preset's text) and exit\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 confirmed (every hypothesis TRUE, every conclusion PROVEN);\n"
    "1 refuted (every hypothesis TRUE and a conclusion REFUTED: a counterexample);\n"
    "2 bad input or usage; 3 undecided (some conclusion UNDECIDED, none refuted,\n"
    "or the integration failed); 4 not applicable (a hypothesis FALSE or the\n"
    "loss not covered; the conclusions are still reported).\n";

enum { CHECK_EXIT_UNDECIDED = 3, CHECK_EXIT_NOT_APPLICABLE = 4 };

typedef struct {
    cli_certify_opts run;       /* -o, --T, --prec, --order, --system, --depth, --align,
                                   --max-memory */
    int print;
    const char *theorem;
} check_opts;

static int check_parse(check_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_CERTIFY_LONGOPTS, {"max-memory", required_argument, NULL, 'M'},
        {"theorem", required_argument, NULL, 't'},
        {"print-theorem", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c, st = CLI_EXIT_OK;
    o->print = 0;
    o->theorem = NULL;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        /* (--depth from 3: the conclusions cut every step into 2^3 pieces) */
        if (cli_certify_opts_parse(&o->run, c, optarg, 3, &st))
            continue;
        switch (c) {
        case 't': o->theorem = optarg; break;
        case 'P': o->print = 1; break;
        case 'h': fputs(check_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && o->theorem == NULL) {
        cli_error("check: --theorem is required (see 'polarcert check --help')");
        st = CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && !o->print && optind != argc - 1) {
        cli_error("check: give exactly one problem file (see 'polarcert check --help')");
        st = CLI_EXIT_USAGE;
    }
    o->run.path = optind < argc ? argv[optind] : NULL;
    return st;
}

/* A preset by name, else a theorem file. */
static int load_theorem(pc_theorem_t th, const char *arg)
{
    pc_error_t err;
    int st = pc_theorem_preset_text(arg) != NULL ? pc_theorem_preset(th, arg, err)
                                                 : pc_theorem_load_file(th, arg, err);
    if (st == PC_ERR_IO)
        cli_error("--theorem: %s: neither a preset (margin-polarization, ordered-gaps-grow, "
                  "every-gap-grows, square-aligned) nor a readable file", arg);
    else if (st != PC_OK)
        cli_error("%s", err->msg);
    return st == PC_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static void print_hyp(const pc_hyp_struct *h)
{
    printf("  %-38s %-9s", pc_hyp_name(h->kind), h->holds ? "TRUE" : "FALSE");
    if (h->order != NULL) {
        printf(" order");
        for (slong j = 0; j < h->n; j++)
            printf(" %ld", (long) h->order[j]);
        printf(" (by decreasing u_j(0)), least gap %.6g", fmpq_get_d(h->gap));
    }
    if (h->why[0])
        printf(" %s", h->why);
    printf("\n");
}

/* The conclusion as stated, e.g. "winner(3) on (0, inf)". */
static void concl_label(char *buf, size_t len, const pc_concl_struct *c, const slong *ord)
{
    char tok[40] = "", iv[80], a[32], b[32], is[24];
    slong i = c->i == PC_TOKEN_TOP && ord != NULL ? ord[0] : c->i;
    if (i == PC_TOKEN_TOP)              /* u(0) not strictly ordered */
        snprintf(is, sizeof is, "top");
    else
        snprintf(is, sizeof is, "%ld", (long) i);
    if (c->kind == PC_CONCL_GAP_INCREASING || c->kind == PC_CONCL_GAP_DECREASING) {
        if (c->j == PC_TOKEN_ALL)
            snprintf(tok, sizeof tok, "(%s,*)", is);
        else
            snprintf(tok, sizeof tok, "(%s,%ld)", is, (long) c->j);
    } else if (c->kind == PC_CONCL_WINNER)
        snprintf(tok, sizeof tok, "(%s)", is);
    else if (c->kind == PC_CONCL_ENTROPY_ABOVE || c->kind == PC_CONCL_ENTROPY_BELOW ||
             c->kind == PC_CONCL_LOSS_BELOW) {
        if (c->bound_auto)
            snprintf(tok, sizeof tok, "(some b > 0)");
        else
            snprintf(tok, sizeof tok, "(%.6g)", fmpq_get_d(c->bound));
    }
    if (c->from_auto)
        snprintf(a, sizeof a, "t_b");
    else
        snprintf(a, sizeof a, "%.6g", fmpq_get_d(c->from));
    if (c->to_inf)
        snprintf(b, sizeof b, "inf)");
    else
        snprintf(b, sizeof b, "%.6g]", fmpq_get_d(c->to));
    snprintf(iv, sizeof iv, "%s%s, %s", c->open_from ? "(" : "[", a, b);
    snprintf(buf, len, "%s%s on %s", pc_concl_name(c->kind), tok, iv);
}

static void print_table(const pc_check_t K, const pc_theorem_t th, const pc_problem_t p)
{
    const slong *ord = NULL;
    for (slong k = 0; k < K->nhyp; k++)
        if (K->hyp[k].order != NULL)
            ord = K->hyp[k].order;
    printf("hypotheses (exact, on the rationals of the problem%s)\n",
           pc_problem_is_box(p) ? "; for every point of the box" : "");
    if (!K->loss_covered)
        printf("  %-38s %-9s the theorem is not about the %s loss\n", "loss", "FALSE",
               pc_loss_name(p->loss));
    for (slong k = 0; k < K->nhyp; k++)
        print_hyp(K->hyp + k);
    printf("conclusions (for every t of the interval and every initial point)\n");
    for (slong k = 0; k < K->nconcl; k++) {
        const pc_concl_result_struct *r = K->res + k;
        char label[160];
        concl_label(label, sizeof label, th->concl + k, ord);
        printf("  %-38s %-9s %s\n", label, pc_verdict_name(r->verdict), r->what);
        if (r->verdict == PC_VERDICT_UNDECIDED && r->why[0])
            printf("  %-38s %-9s why: %s\n", "", "", r->why);
    }
}

static int check_run(const check_opts *o, const pc_problem_t p, const pc_theorem_t th)
{
    pc_certify_opts co;
    pc_check_t K;
    cli_output out;
    cli_progress prog = {0};
    cli_certify_opts_lib(&co, &o->run, &prog);
    if (o->run.out != NULL && cli_output_open(&out, o->run.out) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    pc_check_init(K);
    double t0 = cli_now();
    int rst = pc_check_run(K, th, p, &co);
    if (co.progress)
        fprintf(stderr, "\r%60s\r", "");
    int st;
    printf("problem   %s (%s loss, d = %ld, n = %ld%s)\n", p->name, pc_loss_name(p->loss),
           (long) p->d, (long) p->n, pc_problem_is_box(p) ? ", box of initial data" : "");
    printf("theorem   %s\n", th->name);
    if (rst == PC_ERR_MEMORY && !K->R->have_run) {    /* refused before the run */
        pc_flow_opts fo;
        pc_certify_flow_opts(&fo, p, &co);
        st = cli_memory_refused(o->run.path, p, K->R->kind, &fo, o->run.max_memory > 0);
        if (o->run.out != NULL)
            cli_output_abort(&out);
        pc_check_clear(K);
        return st;
    }
    if (rst != PC_OK) {
        cli_error("%s: %s", o->run.path, K->R->err->msg);
        st = rst == PC_ERR_UNSUPPORTED || rst == PC_ERR_INPUT || rst == PC_ERR_MEMORY
             ? CLI_EXIT_USAGE : CHECK_EXIT_UNDECIDED;
        if (o->run.out != NULL)
            cli_output_abort(&out);
        pc_check_clear(K);
        return st;
    }
    char *Ts = cli_exact_str(arb_midref(K->R->T), 0, 8);
    printf("method    %s system, Taylor order %ld, %ld bits, %ld steps, horizon T = %s%s\n",
           pc_system_name(K->R->E->kind), (long) K->R->E->flow->opts.order, (long) o->run.prec,
           (long) K->R->E->flow->nsteps, Ts,
           K->R->tau_stopped ? " (the end of the square loss's tau-range)" : "");
    mpfr_free_str(Ts);
    print_table(K, th, p);
    printf("verdict   %s\n", pc_check_verdict_name(K->verdict));
    st = K->verdict == PC_CHECK_CONFIRMED ? CLI_EXIT_OK
         : K->verdict == PC_CHECK_REFUTED ? CLI_EXIT_FAIL
         : K->verdict == PC_CHECK_UNDECIDED ? CHECK_EXIT_UNDECIDED : CHECK_EXIT_NOT_APPLICABLE;
    if (o->run.out != NULL) {
        if (K->cert == NULL) {
            cli_output_abort(&out);
            printf("cert      none written: nothing was proven\n");
        } else if (cli_write_json(out.f, K->cert) != CLI_EXIT_OK || cli_output_commit(&out) != CLI_EXIT_OK) {
            st = CLI_EXIT_USAGE;
        } else
            printf("cert      %s (%ld claims, sha256 %.16s...)\n", o->run.out, (long) K->R->C->len,
                   json_string_value(json_object_get(K->cert, "sha256")));
    }
    printf("wall      %.3f s\n", cli_now() - t0);
    pc_check_clear(K);
    return st;
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    pc_problem_t p;
    pc_theorem_t th;
    cli_certify_opts_init(&o.run);
    pc_problem_init(p);
    pc_theorem_init(th);
    int st = check_parse(&o, argc, argv);
    if (st == CLI_EXIT_OK)
        st = load_theorem(th, o.theorem);
    if (st == CLI_EXIT_OK && o.print) {
        const char *text = pc_theorem_preset_text(o.theorem);
        if (text != NULL)
            printf("%s\n", text);
        else
            printf("%s (file %s)\n", th->name, o.theorem);
    } else if (st == CLI_EXIT_OK) {
        st = cli_load_problem(p, o.run.path);
        if (st == CLI_EXIT_OK && o.run.align)
            st = cli_align(p, o.run.path);
        if (st == CLI_EXIT_OK)
            st = check_run(&o, p, th);
    }
    pc_theorem_clear(th);
    pc_problem_clear(p);
    cli_certify_opts_clear(&o.run);
    flint_cleanup();
    return st;
}
