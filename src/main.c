/* polarcert: the command-line program. */
#include <string.h>
#include "cli.h"

static const char usage[] =
    "Usage: polarcert COMMAND [OPTIONS] PROBLEM.json\n"
    "\n"
    "Rigorous verification of softmax gradient-flow dynamics (value-softmax\n"
    "model L(V sigma(a))) in arbitrary-precision ball arithmetic.\n"
    "\n"
    "Commands:\n"
    "  eval      loss, vector field, entropy H and dH/dt at t = 0, as balls\n"
    "            that provably contain the true values (rigorous)\n"
    "  enclose   rigorous enclosure of the flow on [0, T]: the state, loss, H\n"
    "            and dH/dt at T as balls, valid for all t of each step\n"
    "  certify   prove that the entropy decreases from a threshold T* on, and\n"
    "            write a certificate that polarcert-verify re-checks\n"
    "  check     a theorem's hypotheses (TRUE/FALSE) and conclusions (PROVEN,\n"
    "            REFUTED with a certified witness, UNDECIDED) on a problem\n"
    "  simulate  float64 preview of the flow: t, loss, H, dH/dt, max s_j at\n"
    "            log-spaced times (NOT rigorous)\n"
    "  import    a problem file from numpy .npz/.npy arrays, every float taken\n"
    "            as the exact rational it denotes\n"
    "  search    counterexample searches over a campaign of generated\n"
    "            instances: float screen, then rigorous confirmation of the\n"
    "            candidates, each certificate re-checked by polarcert-verify;\n"
    "            results in a resumable SQLite store (run, status, report,\n"
    "            export; -j N workers or mpirun)\n"
    "  report    appendix output of certificates: a LaTeX table (numbers rounded\n"
    "            in the safe direction) and the figure of the rigorous band of\n"
    "            H(t) (pgfplots, PDF, PNG), or its data as JSON/CSV\n"
    "\n"
    "Run 'polarcert COMMAND --help' for a command's options.\n"
    "Problem files: format polarcert-problem/1 (see tests/cases/README.md).\n"
    "Exit status: 0 success, 1 computation failed, 2 bad input or usage, or a\n"
    "run beyond the memory limit (--max-memory; see the commands' --help).\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    }
    cli_memory_install();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
#ifdef __ARB_VERSION
        printf("polarcert %s (FLINT %s, Arb %d.%d.%d)\n", PC_VERSION, FLINT_VERSION,
               __ARB_VERSION, __ARB_VERSION_MINOR, __ARB_VERSION_PATCHLEVEL);
#else
        printf("polarcert %s (FLINT %s with Arb)\n", PC_VERSION, FLINT_VERSION);
#endif
        return CLI_EXIT_OK;
    }
    int st;
    if (strcmp(cmd, "eval") == 0)
        st = cmd_eval(argc - 1, argv + 1);
    else if (strcmp(cmd, "enclose") == 0)
        st = cmd_enclose(argc - 1, argv + 1);
    else if (strcmp(cmd, "certify") == 0)
        st = cmd_certify(argc - 1, argv + 1);
    else if (strcmp(cmd, "check") == 0)
        st = cmd_check(argc - 1, argv + 1);
    else if (strcmp(cmd, "simulate") == 0)
        st = cmd_simulate(argc - 1, argv + 1);
    else if (strcmp(cmd, "import") == 0)
        st = cmd_import(argc - 1, argv + 1);
    else if (strcmp(cmd, "search") == 0)
        st = cmd_search(argc - 1, argv + 1);
    else if (strcmp(cmd, "report") == 0)
        st = cmd_report(argc - 1, argv + 1);
    else {
        cli_error("'%s' is not a command; see 'polarcert --help'", cmd);
        return CLI_EXIT_USAGE;
    }
    /* a report that did not reach its reader (a full disk under > file) is a failure */
    if (cli_stdout_check() != CLI_EXIT_OK && st == CLI_EXIT_OK)
        st = CLI_EXIT_FAIL;
    return st;
}
