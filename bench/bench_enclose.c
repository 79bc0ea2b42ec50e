/* Benchmark of the rigorous integrator against the float64 preview on the
 * same case and horizon: wall time, user CPU time, the peak resident set
 * size of the process (getrusage: a maximum over the whole process, so
 * bench/run.sh runs one case per process), steps, the largest radius of the
 * final state, and the cost ratio rigorous / float. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "polarcert.h"
#include "bench_float.h"

static double user_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + 1e-6 * u.ru_utime.tv_usec;
}

static double peak_rss_mb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0;           /* kB on Linux */
}

/* The max radius of the state of the flow at each time of the list (those
 * reached: the end set of the step ending there, else the polynomial of
 * the step holding it), and the time reached. */
static void print_at(const pc_enclose_t E, const char *at, slong prec)
{
    const pc_flow_struct *F = E->flow;
    arb_ptr x = _arb_vec_init(F->dim);
    arb_t t;
    arb_init(t);
    pc_flow_t_end(t, F);
    /* the τ-system's flow runs in τ, not in t */
    printf("  reached %s = %.6g\n", E->kind == PC_SYSTEM_TAU ? "tau" : "t",
           arf_get_d(arb_midref(t), ARF_RND_NEAR));
    for (const char *c = at; c != NULL && *c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL) {
        arb_set_d(t, atof(c));
        /* at a step's end its end set (tighter than the step's polynomial,
         * which pc_flow_eval gives for a time inside a step) */
        slong k = 0;
        arb_t e;
        arb_init(e);
        for (; k < F->nsteps; k++) {
            arb_add(e, F->step[k].t0, F->step[k].h, ARF_PREC_EXACT);
            if (arb_equal(e, t))
                break;
        }
        arb_clear(e);
        if (k < F->nsteps)
            _arb_vec_set(x, F->step[k].end, F->dim);
        else if (pc_flow_eval(x, F, t, prec) != PC_OK)
            continue;
        double m = 0;
        for (slong i = 0; i < F->dim; i++)
            m = fmax(m, mag_get_d(arb_radref(x + i)));
        printf("  t = %-8g max_radius %.3e\n", atof(c), m);
    }
    _arb_vec_clear(x, F->dim);
    arb_clear(t);
}

int main(int argc, char **argv)
{
    slong prec = 128;
    double Tover = 0;
    int first = 1, repeat = 1, header = 1;
    int set = -1;                           /* -1: pc_enclose_default_set */
    const char *at = NULL;                  /* --at T1,T2,...: max radius there too */
    for (; first + 1 < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (strcmp(argv[first], "--no-header") == 0) {
            header = 0;
            first--;
            continue;
        }
        if (strcmp(argv[first], "--T") == 0) Tover = atof(argv[first + 1]);
        else if (strcmp(argv[first], "--prec") == 0) prec = atol(argv[first + 1]);
        else if (strcmp(argv[first], "--repeat") == 0) repeat = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--at") == 0) at = argv[first + 1];
        else if (strcmp(argv[first], "--set") == 0)
            set = strcmp(argv[first + 1], "interval") == 0 ? PC_FLOW_SET_INTERVAL
                  : strcmp(argv[first + 1], "meanvalue") == 0 ? PC_FLOW_SET_MEANVALUE
                  : strcmp(argv[first + 1], "c2") == 0 ? PC_FLOW_SET_C2 : PC_FLOW_SET_LOHNER;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_enclose [--T T] [--prec B] [--set lohner|interval|meanvalue|c2] (default: the library's choice) [--at T1,T2,...] [--no-header] PROBLEM.json...\n");
        return 2;
    }
    if (header) {
        printf("rigorous enclosure (%s set, %ld bits) vs float64 preview (DOP853, not rigorous);\n"
               "wall and user CPU seconds of the rigorous run, peak RSS of the process\n",
               set < 0 ? "default" : pc_flow_set_name((pc_flow_set) set), (long) prec);
        printf("%-22s %-8s %5s %8s %6s %9s %9s %8s %11s %10s %8s\n", "case", "system", "dim", "T",
               "steps", "wall_s", "user_s", "rss_MB", "max_radius", "float_s", "ratio");
    }
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
        fo.set = set < 0 ? pc_enclose_default_set(kind) : (pc_flow_set) set;
        pc_enclose_init(E, p, kind, &fo);
        arb_init(T);
        arb_set_d(T, Td);
        pc_enclose_obs_init(ob);
        double t0 = bench_now(), u0 = user_seconds();
        /* the --at times as stops, so that steps end there */
        slong nstops = 0;
        arb_ptr stops = _arb_vec_init(64);
        for (const char *c = at; c != NULL && *c && nstops < 64; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
            if (atof(c) < Td)
                arb_set_d(stops + nstops++, atof(c));
        int st = pc_enclose_run(E, T, stops, nstops, err);
        _arb_vec_clear(stops, 64);
        double wall = bench_now() - t0, user = user_seconds() - u0, rss = peak_rss_mb();
        if (st == PC_OK)
            pc_enclose_observe(ob, E, T);
        pc_preview_stats fst;
        int fok;
        double fl = bench_float_run(p, kind != PC_SYSTEM_FULL, Td, repeat > 3 ? repeat : 3, &fst, &fok);
        printf("%-22s %-8s %5ld %8g %6ld %9.3f %9.3f %8.1f %11.3e %10.4f %8.0f%s\n", p->name,
               pc_system_name(kind), (long) E->sys->dim, Td, (long) E->flow->nsteps, wall, user,
               rss, mag_get_d(ob->max_radius), fl, wall / fl, st == PC_OK ? "" : "  FAILED");
        print_at(E, at, prec);
        fflush(stdout);
        pc_enclose_obs_clear(ob);
        arb_clear(T);
        pc_enclose_clear(E);
        pc_problem_clear(p);
    }
    flint_cleanup();
    return 0;
}
