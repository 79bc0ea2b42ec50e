/* polarcert certify: the entropy certificate of a problem. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mpfr.h>
#include "cli.h"

static const char certify_usage[] =
    "Usage: polarcert certify [OPTIONS] PROBLEM.json\n"
    "\n"
    "Integrates the flow rigorously to T and proves, for every t of an interval,\n"
    "the sign of dH/dt (H the entropy of softmax(a)): the threshold T* after\n"
    "which H decreases on [T*, T], extended to [T*, inf) where a tail lemma of\n"
    "proofs/ holds at T (margin-tail/1: logistic and exponential loss;\n"
    "square-tau-horizon/1: square loss with V(0) = beta w0^T; pl-tail/1: square\n"
    "loss with any V(0); pl-tail-quadratic/1: quadratic loss with X of full\n"
    "column rank; pl-tail-crossent/1: cross-entropy with q > 0); an initial interval on which H increases, if any (for ever,\n"
    "if a pl-tail lemma says so); a lower bound of H on [0, T] (or [0, inf)),\n"
    "and for the pl-tail lemmas an enclosure of lim H; and logit gaps a_i - a_j\n"
    "that shrink although a_i > a_j at T. The pl-tail lemmas need the\n"
    "direction of the residual inside a cone: certify integrates past T (up to\n"
    "2T) until it is, and says how far. Writes the certificate\n"
    "(format polarcert-cert/1, certs/FORMAT.md), which polarcert-verify\n"
    "re-checks independently.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  certificate file (default: NAME.cert.json, NAME the\n"
    "                     problem's name); written atomically: a regular\n"
    "                     file or a new name (devices, links refused)\n"
    "  --T TIME           horizon (default: the problem's T)\n"
    "  --prec BITS        working precision (default 128; 32 to 4096)\n"
    "  --order K          Taylor order (default: about 0.3 * prec)\n"
    "  --system S         auto (default), full, reduced or tau (see enclose --help)\n"
    "  --depth D          bisect a step up to D times to decide a sign (default 6)\n"
    "  --gaps N           at most N logit-gap claims (default 16; 0: none)\n"
    "  --align            square loss: replace V(0) by its projection onto beta w0^T\n"
    "  --max-memory SIZE  refuse a run whose memory would exceed SIZE (2G, 512M;\n"
    "                     default: half the physical memory, or 90% of ulimit\n"
    "                     -v), before it starts and as steps are stored\n"
    "  -h, --help         this help\n"
    "\n"
    "The 'data' line is the SHA-256 of the problem's exact data (certs/FORMAT.md);\n"
    "polarcert-verify prints the same value, and 'polarcert-verify --problem P.json'\n"
    "checks that a certificate is about exactly the data of P.json.\n"
    "\n"
    "Exit status: 0 entropy decrease proven and certificate written; 1 not\n"
    "proven (the reason is printed; a certificate with the claims that were\n"
    "proven is still written), the integration failed or the certificate could\n"
    "not be written (disk full: the reason is printed); 2 bad input or usage,\n"
    "or the run would exceed the memory limit (nothing is written).\n";

typedef cli_certify_opts cert_opts;

static int cert_parse(cert_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_CERTIFY_LONGOPTS, {"gaps", required_argument, NULL, 'g'},
        {"max-memory", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c, st = CLI_EXIT_OK;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (cli_certify_opts_parse(o, c, optarg, 0, &st))
            continue;
        if (c == 'h') {
            fputs(certify_usage, stdout);
            exit(CLI_EXIT_OK);
        }
        return CLI_EXIT_USAGE;
    }
    if (st == CLI_EXIT_OK && optind != argc - 1) {
        cli_error("certify: give exactly one problem file (see 'polarcert certify --help')");
        st = CLI_EXIT_USAGE;
    }
    o->path = optind < argc ? argv[optind] : NULL;
    return st;
}

/* "[a, b]" with a rounded up and b down (inside the proven interval). */
static void print_interval(const arf_t from, const arf_t to, int open_from)
{
    char *a = cli_exact_str(from, 1, 8), *b = NULL;
    if (arf_is_finite(to))
        b = cli_exact_str(to, 0, 8);
    printf("%s%s, %s%s", open_from ? "(" : "[", a, b ? b : "inf", b ? "]" : ")");
    mpfr_free_str(a);
    if (b)
        mpfr_free_str(b);
}

static void print_claims(const pc_claims_t C, slong max_gaps)
{
    printf("claims    (each for every t of the interval and every initial point)\n");
    for (slong k = 0; k < C->len; k++) {
        const pc_claim_struct *c = C->claim + k;
        printf("  %-21s ", pc_claim_kind_name(c->kind));
        if (c->kind == PC_CLAIM_ENTROPY_DECREASING)
            printf("dH/dt < 0 on ");
        else if (c->kind == PC_CLAIM_ENTROPY_INCREASING)
            printf("dH/dt > 0 on ");
        else if (c->kind == PC_CLAIM_LOGIT_GAP_DECREASING)
            printf("a_%ld - a_%ld shrinks on ", (long) c->i, (long) c->j);
        else if (c->kind == PC_CLAIM_ENTROPY_LIMIT) {
            char *lo = cli_exact_str(c->from, 0, 12), *hi = cli_exact_str(c->to, 1, 12);
            printf("lim H in [%s, %s] as t -> inf  (tail: lemma %s/1)\n", lo, hi,
                   pc_tail_lemma_name(C->tail));
            mpfr_free_str(lo);
            mpfr_free_str(hi);
            continue;
        } else {
            char *b = cli_exact_str(c->bound, 0, 8);
            printf("H >= %s on ", b);
            mpfr_free_str(b);
        }
        print_interval(c->from, c->to, c->open_from);
        if (c->lemma && C->tail == PC_TAIL_MARGIN)
            printf("  (tail: lemma margin-tail/1, token %ld)", (long) C->tail_token);
        else if (c->lemma)
            printf("  (tail: lemma %s/1)", pc_tail_lemma_name(C->tail));
        printf("\n");
    }
    if (C->gaps_found > max_gaps)
        printf("  (%ld pairs with a shrinking gap found, %ld listed: see --gaps)\n",
               (long) C->gaps_found, (long) max_gaps);
}

static int all_equal(const fmpq *a, slong n)
{
    for (slong j = 1; j < n; j++)
        if (!fmpq_equal(a + j, a))
            return 0;
    return 1;
}

/* "[lo, hi]" with lo rounded down and hi up (the ball's sign stays visible,
 * unlike a decimal "[mid +/- rad]" of few digits). Free with free(). */
static char *ball_bounds_str(const arb_t x)
{
    if (!arb_is_finite(x))
        return strdup("not finite");
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, x, ARF_PREC_EXACT);
    arb_get_ubound_arf(hi, x, ARF_PREC_EXACT);
    char *a = cli_exact_str(lo, 0, 6), *b = cli_exact_str(hi, 1, 6);
    char *s = malloc(strlen(a) + strlen(b) + 8);
    sprintf(s, "[%s, %s]", a, b);
    mpfr_free_str(a);
    mpfr_free_str(b);
    arf_clear(lo);
    arf_clear(hi);
    return s;
}

/* What pl-tail/1 (square loss), pl-tail-quadratic/1 or pl-tail-crossent/1 gave,
 * or why it does not apply (full system). */
static void print_pltail(const pc_pltail_struct *L, const char *name)
{
    if (L->status != PC_PLTAIL_OK) {
        printf("tail      %s/1 not proven: %s\n", name, pc_pltail_reason(L->status));
        if (L->status == PC_PLTAIL_CONE)
            printf("          (float estimate: the cone needs kappa >= %.4g, the sign of "
                   "dH/dt allows kappa < %.4g)\n", L->kappa_need, L->kappa_max);
        return;
    }
    char *r = arb_get_str(L->R0, 6, 0), *h = arb_get_str(L->Hlim, 24, 0);
    printf("tail      %s/1: for all t >= T the state stays in the box Y = end state "
           "+/- %s, |r(T)| in %s; dH/dt %s 0 for ever (cone kappa = %.4g)\n", name,
           strcmp(name, "pl-tail") == 0 ? "sqrt(n)|r(T)|"
           : strcmp(name, "pl-tail-crossent") == 0 ? "2 sqrt(E(T)/mu)" : "sqrt(n)|r(T)|/gmin", r,
           L->sign < 0 ? "<" : ">", arf_get_d(L->kappa, ARF_RND_NEAR));
    printf("H(inf)    %s (the flow converges; its limit lies in Y)\n", h);
    flint_free(r);
    flint_free(h);
}

/* How sharp T* is: with a proven increase ending at lo, the last zero of
 * dH/dt lies in (lo, T*); without, lo is the lower end of the last piece on
 * which dH/dt < 0 is not proven. */
static void print_bracket(const arf_t lo, const arf_t tstar, int rise)
{
    arf_t w;
    arf_init(w);
    arf_sub(w, tstar, lo, 30, ARF_RND_UP);
    char *a = cli_exact_str(lo, 0, 12), *b = cli_exact_str(tstar, 1, 12);
    if (arf_sgn(lo) > 0) {
        arf_div(w, w, tstar, 30, ARF_RND_UP);
        printf(rise ? "bracket   the last zero of dH/dt lies in (%s, %s): relative width %.2e\n"
                    : "bracket   the last piece not proven negative is [%s, %s]: relative "
                      "width %.2e\n", a, b, arf_get_d(w, ARF_RND_UP));
    } else
        printf("bracket   the last piece not proven negative is [0, %s]\n", b);
    mpfr_free_str(a);
    mpfr_free_str(b);
    arf_clear(w);
}

/* T*, H there and at T, or why no decrease was proven. Returns the exit code. */
static int print_verdict(pc_certify_t R, const cert_opts *o)
{
    pc_enclose_struct *E = R->E;
    const pc_claims_struct *C = R->C;
    arb_srcptr T = R->T;
    const pc_claim_struct *dec = pc_certify_decreasing(R);
    pc_enclose_obs_t ob;
    arb_t t;
    char *s;
    pc_enclose_obs_init(ob);
    arb_init(t);
    if (dec != NULL) {
        arb_set_arf(t, dec->from);
        if (dec->open_from)
            printf("T*        0, open: the entropy decreases for every t > 0%s\n"
                   "          (a(0) is uniform, so dH/dt(0) = 0 exactly; dH/dt = t G(t) with "
                   "G < 0 proven\n          on the first piece: open start, "
                   "proofs/open-start.md)\n",
                   arf_is_finite(dec->to) ? " up to the horizon" : ", for ever");
        else {
            s = cli_exact_str(dec->from, 1, 12);
            printf("T*        %s: the entropy decreases from T* on%s\n"
                   "          (T* lies just after the last piece on which dH/dt < 0 is not "
                   "proven;\n          every step bisected up to %ld times, the pieces next to "
                   "the sign change up to %ld)\n", s,
                   arf_is_finite(dec->to) ? " up to the horizon" : ", for ever",
                   (long) C->depth, (long) C->end_depth);
            mpfr_free_str(s);
            const pc_claim_struct *inc = NULL;
            for (slong k = 0; k < C->len && inc == NULL; k++)
                if (C->claim[k].kind == PC_CLAIM_ENTROPY_INCREASING)
                    inc = C->claim + k;
            print_bracket(C->change_lo, dec->from, inc != NULL && arf_is_zero(inc->from));
        }
        if (arf_is_zero(dec->from) == 0 && pc_enclose_observe(ob, E, t) == PC_OK) {
            s = cli_ball_str(ob->H, 12);
            printf("H(T*)     %s\n", s);
            flint_free(s);
        }
        if (!dec->open_from && all_equal(E->p->a, E->p->n) && !pc_problem_is_box(E->p))
            printf("note      a(0) is uniform, so dH/dt(0) = 0 exactly: the claim starts at a "
                   "small T* > 0\n");
    } else {
        printf("NOT PROVEN: entropy decrease up to T\n");
        s = ball_bounds_str(C->dH_end);
        const char *rate = E->kind == PC_SYSTEM_TAU ? "dH/dtau" : "dH/dt";
        if (C->end_sign > 0)
            printf("why       dH/dt > 0 is PROVEN at the end of the horizon (%s in %s): "
                   "the entropy increases there (claim entropy_increasing)\n", rate, s);
        else
            printf("why       enclosures too wide: %s over the last piece is %s, which "
                   "contains 0\nadvice    try a higher --prec (now %ld), a deeper --depth (now "
                   "%ld) or a longer --T\n", rate, s, (long) o->prec, (long) o->depth);
        free(s);
    }
    if (C->pl != NULL)
        print_pltail(C->pl, pc_pltail_lemma_name(E->p->loss));
    else if (dec != NULL && C->tail == PC_TAIL_NONE)
        printf("tail      no tail lemma holds at T (margin-tail/1: margin losses; "
               "square-tau-horizon/1: aligned square loss, --system tau): the claim ends at T\n");
    if (pc_enclose_observe(ob, E, T) == PC_OK) {
        s = cli_ball_str(ob->H, 12);
        printf("H(T)      %s\n", s);
        flint_free(s);
    }
    pc_enclose_obs_clear(ob);
    arb_clear(t);
    return dec != NULL ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

/* The summary of the completed run R and its certificate written to out
 * (committed, or dropped if nothing was proven). Returns the exit code. */
static int cert_report(pc_certify_t R, const cert_opts *o, cli_output *out, double t0)
{
    pc_enclose_struct *E = R->E;
    const pc_problem_struct *p = E->p;
    char *name = cli_escape(p->name);
    printf("problem   %s (%s loss, d = %ld, n = %ld%s)\n", name, pc_loss_name(p->loss),
           (long) p->d, (long) p->n, pc_problem_is_box(p) ? ", box of initial data" : "");
    free(name);
    char sha[65];
    pc_problem_data_sha256(sha, p);
    printf("data      sha256 %s (the exact problem data%s; polarcert-verify prints it too)\n",
           sha, o->align ? ", aligned" : "");
    printf("method    %s system (dimension %ld), Taylor order %ld, %ld bits, QR-Lohner; "
           "%ld steps\n", pc_system_name(E->kind), (long) E->sys->dim,
           (long) E->flow->opts.order, (long) o->prec, (long) E->flow->nsteps);
    print_claims(R->C, o->gaps);
    int st = print_verdict(R, o);
    long bytes = 0;
    if (R->cert != NULL) {
        int wst = cli_output_json(out, R->cert, &bytes);
        if (wst != CLI_EXIT_OK) {
            st = wst;
            printf("cert      NOT WRITTEN (%s: see the error message): the claims above are "
                   "not saved\n", o->out);
        } else
            printf("cert      %s (%ld bytes, sha256 %.16s...)\n", o->out, (long) bytes,
                   json_string_value(json_object_get(R->cert, "sha256")));
    } else {
        cli_output_abort(out);
        printf("cert      none written: nothing was proven\n");
    }
    printf("wall      %.3f s\n", cli_now() - t0);
    return st;
}

/* What certify did to reach the cone of a pl-tail lemma (pc_certify.h). */
static void print_pl_extension(const pc_certify_t R)
{
    const char *name = pc_pltail_lemma_name(R->E->p->loss);
    if (R->pl_extended == -2)
        printf("note      %s/1: the run was not extended to reach its cone: at the rate the "
               "residual's direction approaches it, it would not by 2 T (float estimate, "
               "a decision only)\n", name);
    else if (R->pl_extended < 0) {
        char *b = cli_exact_str(arb_midref(R->pl_reached), 0, 8);
        printf("note      %s/1 not reached by t = %s either (%s): the claims are for the run "
               "to T\n", name, b, pc_pltail_reason(R->pl_status));
        mpfr_free_str(b);
    } else if (R->pl_extended > 0) {
        char *a = cli_exact_str(arb_midref(R->pl_T0), 0, 8);
        char *b = cli_exact_str(arb_midref(R->T), 0, 8);
        printf("note      %s/1: the horizon was extended from %s to %s (the residual's "
               "direction had not yet entered the lemma's cone)\n", name, a, b);
        mpfr_free_str(a);
        mpfr_free_str(b);
    }
}

static int cert_run(const cert_opts *o, const pc_problem_t p, cli_output *out)
{
    pc_certify_opts co;
    pc_certify_t R;
    cli_progress prog = {0};
    int st = CLI_EXIT_OK;
    cli_certify_opts_lib(&co, o, &prog);
    /* the time variable of the progress line: the system certify will choose
     * (a fallback, rare, keeps this label) */
    prog.label = (o->auto_system ? pc_certify_default_system(p) : o->system) == PC_SYSTEM_TAU
                 ? "tau" : "t";
    if (cli_output_open(out, o->out) != CLI_EXIT_OK)    /* before the long run */
        return CLI_EXIT_USAGE;
    pc_certify_init(R);
    double t0 = cli_now();
    int rst = pc_certify_run(R, p, &co);
    if (co.progress && R->have_run)
        fprintf(stderr, "\r%60s\r", "");
    if (rst == PC_ERR_UNSUPPORTED) {
        cli_error("%s: %s", o->path, R->err->msg);
        st = CLI_EXIT_USAGE;
    } else if (rst == PC_OK && R->tau_stopped) {
        char *s = cli_exact_str(arb_midref(R->T), 0, 8);
        printf("note      the tau-integration stopped near the end of the square loss's finite "
               "tau-range, at t >= %s: the horizon is that time\n", s);
        mpfr_free_str(s);
    } else if (rst == PC_ERR_MEMORY && !R->have_run) {  /* refused before the run */
        pc_flow_opts fo;
        pc_certify_flow_opts(&fo, p, &co);
        st = cli_memory_refused(o->path, p, R->kind, &fo, o->max_memory > 0);
    } else if (rst != PC_OK) {
        st = cli_run_failed(o->path, rst, R->err->msg, o->max_memory > 0);
    }
    if (st == CLI_EXIT_OK && rst == PC_OK)
        print_pl_extension(R);
    if (st == CLI_EXIT_OK)
        st = cert_report(R, o, out, t0);
    else
        cli_output_abort(out);
    pc_certify_clear(R);
    return st;
}

int cmd_certify(int argc, char **argv)
{
    cert_opts o;
    pc_problem_t p;
    char *def = NULL;
    cli_certify_opts_init(&o);
    pc_problem_init(p);
    int st = cert_parse(&o, argc, argv);
    if (st == CLI_EXIT_OK)
        st = cli_load_problem(p, o.path);
    if (st == CLI_EXIT_OK && o.align)
        st = cli_align(p, o.path);
    if (st == CLI_EXIT_OK) {
        cli_output out;
        if (o.out == NULL) {
            def = malloc(strlen(p->name) + 16);
            sprintf(def, "%s.cert.json", p->name);
            for (char *c = def; *c; c++)      /* a file name, never a path */
                if (!(isalnum((unsigned char) *c) || *c == '.' || *c == '-' || *c == '_'))
                    *c = '_';
        }
        if (def != NULL)
            o.out = def;
        st = cli_output_check(o.out);           /* before the long run */
        if (st == CLI_EXIT_OK)
            st = cert_run(&o, p, &out);
    }
    free(def);
    pc_problem_clear(p);
    cli_certify_opts_clear(&o);
    flint_cleanup();
    return st;
}
