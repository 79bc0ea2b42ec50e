/* polarcert import: numpy arrays -> a problem file, exactly. */
#include <getopt.h>
#include <stdlib.h>
#include "cli.h"

static const char import_usage[] =
    "Usage: polarcert import [OPTIONS] FILE.npz|FILE.npy ...\n"
    "\n"
    "Writes a problem file (polarcert-problem/1) from numpy arrays: V (d, n),\n"
    "a (n,), and by loss beta (d,), q (d,) or X (m, d) and b (m,). An .npz\n"
    "contributes its arrays by name, a .npy file the array named by its base\n"
    "name (V.npy is V). Every float64 or float32 becomes EXACTLY the rational it\n"
    "denotes (written as p/q), never re-rounded; NaN and Inf are refused.\n"
    "Accepted: .npy versions 1-3, dtypes <f8 >f8 <f4 >f4, C or Fortran order.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  the problem file (default: stdout); written atomically\n"
    "  --loss L           logistic (default), exponential, square, cross_entropy,\n"
    "                     quadratic\n"
    "  --T TIME           the horizon, an exact number (default 100)\n"
    "  --name NAME        the problem's name (default: the first file's base name)\n"
    "  --note TEXT        free text (default: names the source)\n"
    "  --V NAME, --a NAME, --beta NAME, --q NAME, --X NAME, --b NAME\n"
    "                     the array names (defaults: V, a, beta, q, X, b)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 written; 2 bad input (message 'file: array: what is wrong')\n"
    "or usage.\n";

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"loss", required_argument, NULL, 'l'},
        {"T", required_argument, NULL, 'T'}, {"name", required_argument, NULL, 'N'},
        {"note", required_argument, NULL, 'n'}, {"V", required_argument, NULL, '0'},
        {"a", required_argument, NULL, '1'}, {"beta", required_argument, NULL, '2'},
        {"q", required_argument, NULL, '3'}, {"X", required_argument, NULL, '4'},
        {"b", required_argument, NULL, '5'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    pc_import_opts o;
    const char *out = NULL;
    int c, st = CLI_EXIT_OK;
    pc_import_opts_default(&o);
    while (st == CLI_EXIT_OK && (c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'l':
            if (pc_loss_from_name(&o.loss, optarg) != PC_OK) {
                cli_error("--loss: '%s' is not a loss (logistic, exponential, square, "
                          "cross_entropy, quadratic)", optarg);
                st = CLI_EXIT_USAGE;
            }
            break;
        case 'T': o.T = optarg; break;
        case 'N': o.name = optarg; break;
        case 'n': o.note = optarg; break;
        case '0': case '1': case '2': case '3': case '4': case '5':
            o.array[c - '0'] = optarg;
            break;
        case 'h': fputs(import_usage, stdout); return CLI_EXIT_OK;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (st == CLI_EXIT_OK && optind >= argc) {
        cli_error("import: give at least one .npz or .npy file (see 'polarcert import --help')");
        st = CLI_EXIT_USAGE;
    }
    json_t *prob = NULL;
    pc_error_t err;
    if (st == CLI_EXIT_OK) {
        int ist = pc_import(&prob, (const char *const *) argv + optind, argc - optind, &o, err);
        if (ist != PC_OK) {
            cli_error("%s", err->msg);
            st = CLI_EXIT_USAGE;
        }
    }
    cli_output w;
    if (st == CLI_EXIT_OK && (st = cli_output_open(&w, out)) == CLI_EXIT_OK) {
        if (json_dumpf(prob, w.f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', w.f) == EOF) {
            cli_output_abort(&w);
            cli_error("%s: write error", out ? out : "stdout");
            st = CLI_EXIT_FAIL;
        } else
            st = cli_output_commit(&w);
    }
    json_decref(prob);
    flint_cleanup();
    return st;
}
