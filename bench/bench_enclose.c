/* Benchmark of the rigorous integrator against the float64 preview on the
 * same case and horizon: wall time (best of --repeat), steps, the largest
 * radius of the final state, and the cost ratio rigorous / float. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "polarcert.h"
#include "bench_float.h"

int main(int argc, char **argv)
{
    slong prec = 128;
    double Tover = 0;
    int first = 1, repeat = 1;
    pc_flow_set set = PC_FLOW_SET_LOHNER;
    for (; first + 1 < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (strcmp(argv[first], "--T") == 0) Tover = atof(argv[first + 1]);
        else if (strcmp(argv[first], "--prec") == 0) prec = atol(argv[first + 1]);
        else if (strcmp(argv[first], "--repeat") == 0) repeat = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--set") == 0) set = strcmp(argv[first + 1], "interval") == 0;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_enclose [--T T] [--prec B] [--set lohner|interval] PROBLEM.json...\n");
        return 2;
    }
    printf("rigorous enclosure (%s set, %ld bits) vs float64 preview (DOP853, not rigorous)\n",
           set == PC_FLOW_SET_LOHNER ? "QR-Lohner" : "interval", (long) prec);
    printf("%-22s %-8s %5s %8s %6s %10s %11s %10s %8s\n", "case", "system", "dim", "T", "steps",
           "rig_s", "max_radius", "float_s", "ratio");
    for (int k = first; k < argc; k++) {
        pc_problem_t p;
        pc_error_t err;
        pc_flow_opts fo;
        pc_enclose_t E;
        pc_enclose_obs_t ob;
        arb_t T;
        pc_problem_init(p);
        if (pc_problem_load_file(p, argv[k], err) != PC_OK) {
            fprintf(stderr, "%s\n", err->msg);
            return 2;
        }
        double Td = Tover > 0 ? Tover : fmpq_get_d(p->T);
        pc_system_kind kind = pc_enclose_default_system(p);
        pc_flow_opts_default(&fo, prec);
        fo.set = set;
        pc_enclose_init(E, p, kind, &fo);
        arb_init(T);
        arb_set_d(T, Td);
        pc_enclose_obs_init(ob);
        double t0 = bench_now();
        int st = pc_enclose_run(E, T, NULL, 0, err);
        double wall = bench_now() - t0;
        if (st == PC_OK)
            pc_enclose_observe(ob, E, T);
        pc_preview_stats fst;
        int fok;
        double fl = bench_float_run(p, kind != PC_SYSTEM_FULL, Td, repeat > 3 ? repeat : 3, &fst, &fok);
        printf("%-22s %-8s %5ld %8g %6ld %10.3f %11.3e %10.4f %8.0f%s\n", p->name,
               pc_system_name(kind), (long) E->sys->dim, Td, (long) E->flow->nsteps, wall,
               mag_get_d(ob->max_radius), fl, wall / fl, st == PC_OK ? "" : "  FAILED");
        fflush(stdout);
        pc_enclose_obs_clear(ob);
        arb_clear(T);
        pc_enclose_clear(E);
        pc_problem_clear(p);
    }
    flint_cleanup();
    return 0;
}
