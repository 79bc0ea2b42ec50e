/* polarcert report: appendix output of certificates. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char report_usage[] =
    "Usage: polarcert report [OPTIONS] CERT.json [CERT2.json ...]\n"
    "\n"
    "Appendix output of certificates (polarcert-cert/1). The default output is a\n"
    "LaTeX table (booktabs): problem, loss, d, n, T, T*, H(T*), H(T), the SHA-256\n"
    "and every claim with its interval, each number rounded from the exact value\n"
    "in the safe direction (claim intervals inwards, bounds down, enclosures\n"
    "outwards), with a footnote saying so and the command that re-checks each\n"
    "file. The certificate's run is repeated with its method (system, precision,\n"
    "order) and must reproduce its step times; the band of H(t) comes from the\n"
    "step enclosures over every piece of every step (never from samples).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  the table or data (default: stdout); written atomically\n"
    "  --format F         latex (default), json or csv: the band (t_lo, t_hi, H_lo,\n"
    "                     H_hi, sign of dH/dt), claims and the float preview\n"
    "  --figure PREFIX    also write the figure of each certificate: PREFIX.tex\n"
    "                     (a tikzpicture for \\input, needs pgfplots),\n"
    "                     PREFIX-standalone.tex, PREFIX.pdf and PREFIX.png (PLplot,\n"
    "                     cairo); with several certificates PREFIX-NAME.*\n"
    "  --json FILE, --csv FILE\n"
    "                     also write the data as JSON / CSV (one run for all)\n"
    "  --checker TEXT     the checker named in the table (default\n"
    "                     \"polarcert-verify " PC_VERSION "\")\n"
    "  --pieces N         pieces per step for the band (default 8)\n"
    "  --preview N        points of the float preview (default 200; NOT rigorous)\n"
    "  --max-memory SIZE  refuse a re-run whose memory would exceed SIZE (2G, 512M;\n"
    "                     default: half the physical memory, or 90% of ulimit -v)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 written; 1 the re-run failed; 2 bad input (a certificate\n"
    "that is damaged or whose steps the re-run does not reproduce), usage, or\n"
    "a re-run beyond the memory limit.\n";

typedef struct {
    const char *out, *figure, *checker, *json_out, *csv_out;
    cli_format format;
    int latex;
    pc_report_opts ro;
} report_opts;

static int report_parse(report_opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
        {"figure", required_argument, NULL, 'F'}, {"checker", required_argument, NULL, 'c'},
        {"pieces", required_argument, NULL, 'p'}, {"preview", required_argument, NULL, 'v'},
        {"json", required_argument, NULL, 'J'}, {"csv", required_argument, NULL, 'C'},
        {"max-memory", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"latex", "json", "csv", NULL};
    int c, choice, st = CLI_EXIT_OK;
    long v;
    o->out = o->figure = o->json_out = o->csv_out = NULL;
    o->checker = "polarcert-verify " PC_VERSION;
    o->latex = 1;
    pc_report_opts_default(&o->ro);
    double mem = 0;
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'F': o->figure = optarg; break;
        case 'c': o->checker = optarg; break;
        case 'J': o->json_out = optarg; break;
        case 'C': o->csv_out = optarg; break;
        case 'f':
            st = cli_parse_choice(&choice, "--format", optarg, formats);
            o->latex = choice == 0;
            o->format = choice == 1 ? CLI_FORMAT_JSON : CLI_FORMAT_CSV;
            break;
        case 'p': st = cli_parse_long(&v, "--pieces", optarg, 1, 1024); o->ro.pieces_per_step = v; break;
        case 'v': st = cli_parse_long(&v, "--preview", optarg, 2, 100000); o->ro.preview_points = v; break;
        case 'M': st = cli_parse_memory(&mem, optarg); break;
        case 'h': fputs(report_usage, stdout); exit(CLI_EXIT_OK);
        default: return CLI_EXIT_USAGE;
        }
    }
    o->ro.max_memory = cli_memory_limit(mem);
    if (st == CLI_EXIT_OK && optind >= argc) {
        cli_error("report: give at least one certificate (see 'polarcert report --help')");
        st = CLI_EXIT_USAGE;
    }
    return st;
}

/* PREFIX + suffix, or PREFIX-NAME + suffix with several certificates. The
 * name comes from a certificate: every character other than a letter, a
 * digit, '-' or '_' becomes '_', so that it can name no other directory
 * ("/", "..") and no hidden file. */
static char *fig_path(const char *prefix, const pc_report_t R, int several, const char *suffix)
{
    const char *name = several ? R->p->name : "";
    size_t plen = strlen(prefix), nlen = strlen(name), len = plen + nlen + strlen(suffix) + 2;
    char *s = malloc(len);
    if (s == NULL) {
        cli_error("report: out of memory");
        exit(CLI_EXIT_FAIL);
    }
    snprintf(s, len, several ? "%s-%s%s" : "%s%s%s", prefix, name, suffix);
    for (size_t i = plen + 1; several && i <= plen + nlen; i++)
        if (!isalnum((unsigned char) s[i]) && s[i] != '-' && s[i] != '_')
            s[i] = '_';
    return s;
}

/* The .tex figures (atomically) and the PDF and PNG. */
static int write_figure(const report_opts *o, const pc_report_t R, int several)
{
    int st = CLI_EXIT_OK;
    for (int standalone = 0; standalone < 2 && st == CLI_EXIT_OK; standalone++) {
        char *path = fig_path(o->figure, R, several, standalone ? "-standalone.tex" : ".tex");
        cli_output w;
        if ((st = cli_output_open(&w, path)) == CLI_EXIT_OK) {
            if (pc_report_pgfplots(w.f, R, standalone) != PC_OK) {
                cli_output_abort(&w);
                cli_error("%s: write error", path);
                st = CLI_EXIT_FAIL;
            } else
                st = cli_output_commit(&w);
        }
        free(path);
    }
    char *pdf = fig_path(o->figure, R, several, ".pdf"), *png = fig_path(o->figure, R, several, ".png");
    pc_error_t err;
    if (st == CLI_EXIT_OK && pc_report_plot(R, pdf, png, err) != PC_OK) {
        cli_error("%s", err->msg);
        st = CLI_EXIT_FAIL;
    }
    free(pdf);
    free(png);
    return st;
}

/* One output (0 latex, 1 json, 2 csv) to path (NULL: stdout), atomically. */
static int write_one(const report_opts *o, int kind, const char *path,
                     const pc_report_struct *const *R, slong nR)
{
    cli_output w;
    int st = cli_output_open(&w, path), wst;
    if (st != CLI_EXIT_OK)
        return st;
    if (kind == 0)
        wst = pc_report_latex_table(w.f, R, nR, o->checker, PC_ROUND_SAFE);
    else if (kind == 1)
        wst = pc_report_json(w.f, R, nR, o->checker);
    else
        wst = pc_report_csv(w.f, R, nR);
    if (wst != PC_OK) {
        cli_output_abort(&w);
        cli_error("%s: write error", path ? path : "stdout");
        return CLI_EXIT_FAIL;
    }
    return cli_output_commit(&w);
}

static int report_write(const report_opts *o, const pc_report_struct *const *R, slong nR)
{
    int st = write_one(o, o->latex ? 0 : o->format == CLI_FORMAT_JSON ? 1 : 2, o->out, R, nR);
    if (st == CLI_EXIT_OK && o->json_out != NULL)
        st = write_one(o, 1, o->json_out, R, nR);
    if (st == CLI_EXIT_OK && o->csv_out != NULL)
        st = write_one(o, 2, o->csv_out, R, nR);
    return st;
}

int cmd_report(int argc, char **argv)
{
    report_opts o;
    int st = report_parse(&o, argc, argv);
    if (st != CLI_EXIT_OK)
        return st;
    slong nR = argc - optind;
    pc_report_struct *R = calloc((size_t) nR, sizeof(pc_report_struct));
    const pc_report_struct **Rp = calloc((size_t) nR, sizeof(pc_report_struct *));
    pc_error_t err;
    for (slong k = 0; k < nR; k++) {
        pc_report_init(R + k);
        Rp[k] = R + k;
        int lst = st == CLI_EXIT_OK ? pc_report_load(R + k, argv[optind + k], &o.ro, err) : PC_OK;
        if (lst != PC_OK) {
            if (lst == PC_ERR_MEMORY)
                st = cli_run_failed(argv[optind + k], lst, err->msg, 1);
            else {
                cli_error("%s", err->msg);
                st = lst == PC_ERR_INPUT || lst == PC_ERR_IO ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
            }
        }
    }
    for (slong k = 0; k < nR && st == CLI_EXIT_OK && o.figure != NULL; k++)
        st = write_figure(&o, R + k, nR > 1);
    if (st == CLI_EXIT_OK)
        st = report_write(&o, Rp, nR);
    for (slong k = 0; k < nR; k++)
        pc_report_clear(R + k);
    free(R);
    free(Rp);
    flint_cleanup();
    return st;
}
