/* vf_limits.c — resource limits of the checker.  A proof checker must never be the
 * weak point: a small hostile file must not make it use unbounded memory or time.
 * Before anything large is allocated, the certificate's sizes (prec, order, the
 * Jacobian orders, dimension, steps, claims, bisection depth) give an upper bound of
 * the memory and an estimate of the work of the whole check; each is compared with a
 * limit, and so are the parameters themselves.  Bisection, whose work depends on the
 * numbers, is counted as it goes against what is left of the work budget.  Every
 * refusal exits 2 ("not checked"), naming the limit and the option that raises it.
 *
 * The estimates MUST FOLLOW the allocations of vf_cert.c (steps), vf_step.c
 * (vf_flow_init), vf_taylor.c (vf_taylor_size), vf_jac.c (vf_jac_bytes), vf_fxtay.c
 * (vf_fxtay_bytes), vf_mrtay.c (vf_mrtay_bytes) and vf_claims.c (vf_claims_new). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "vf.h"

/* The defaults (vf_limits_default), also for programs that never call it (fuzz/). */
vf_limits vf_lim = { 0, 1e10, 4096, 400, 24 };
static double work_done, memory_estimate, memory_base, memory_taylor;

/* Work units: one unit was one interval product at 64 bits in MPFI; the fixed-point
 * and midpoint-radius kernels make the checker cheaper per unit, and the estimate counts
 * them at their measured cost.  Measured (bench/certs.sh and bench/square10.sh, user
 * CPU on the shared 2-core machine): 2.5 to 8 ns per unit, so the default budget of
 * 1e10 units is at most about 80 s (before vf_mrtay.c and the per-step Jacobian order:
 * 2.5 to 7.6 ns, at most about 75 s).  It is 4 times the largest certificate of
 * certs/ (square-full-6: 2.6e9 units), takes the 10 x 10 square-loss certificate of
 * bench/square10.sh (9.5e9 units, about 55 s), and refuses a 1 kB certificate of 3
 * steps at order 400 and 4096 bits (t-verify-limits).  A larger problem's certificate
 * may need more: --max-work raises it. */
void vf_limits_default(vf_limits *l)
{
    l->max_memory = 0;
    l->max_work = 1e10;
    l->max_prec = 4096;         /* polarcert certify --prec: 32 to 4096 */
    l->max_order = 400;         /* polarcert --order: 2 to 400 */
    l->max_depth = 24;          /* certify --depth <= 20, checked at sign_depth + 3 */
}

static double physical(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * size : 0;
}

static double default_memory(void)
{
    double lim = physical() > 0 ? physical() / 2 : 8.0 * (1 << 30);
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY
        && 0.9 * (double)r.rlim_cur < lim)
        lim = 0.9 * (double)r.rlim_cur;
    return lim;
}

int vf_parse_size(double *bytes, const char *s)
{
    static const char units[] = "kmgt";
    char *end;
    if (!s || !(*s >= '0' && *s <= '9'))
        return -1;
    double v = strtod(s, &end);
    const char *u = *end ? strchr(units, *end | 0x20) : NULL;
    if (u) {
        v *= pow(1024, (double)(u - units + 1));
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
    }
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end || !(v >= 1) || !isfinite(v))
        return -1;
    *bytes = v;
    return 0;
}

double vf_mpfi_bytes(long prec)
{
    /* two mpfr_t; each mantissa is a heap block of its limbs plus MPFR's size word,
     * with the allocator's 16-byte header, rounded to 16 bytes */
    double limbs = ceil((double)prec / GMP_NUMB_BITS) + 1;
    return sizeof(mpfi_t) + 2 * (16 + 16 * ceil(limbs * sizeof(mp_limb_t) / 16));
}

double vf_mul_work(long prec)
{
    double l = (double)prec / 64;
    return l <= 1 ? 1 : pow(l, 1.6);
}

static void fmt_bytes(char *buf, size_t len, double b)
{
    static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int u = 0;
    while (b >= 1024 && u < 6) {
        b /= 1024;
        u++;
    }
    snprintf(buf, len, u ? "%.3g %s" : "%.0f %s", b, unit[u]);
}

void vf_limit_fail(const char *option, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: resource limit: ", vf_file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; not checked (raise the limit with %s if this certificate is "
            "trusted to be worth it)\n", option);
    vf_exit(2);     /* (a hook: the fuzz target longjmps instead of exiting) */
    exit(2);
}

static void cap(const char *field, long v, long lim, const char *option, const char *unit)
{
    if (v > lim)
        vf_limit_fail(option, "%s = %ld is above the limit of %ld%s", field, v, lim, unit);
}

void vf_limits_check_method(const vf_cert *c)
{
    cap("method.prec", c->prec, vf_lim.max_prec, "--max-prec BITS", " bits");
    cap("method.jac_prec", c->jac_prec, vf_lim.max_prec, "--max-prec BITS", " bits");
    cap("method.order", c->order, vf_lim.max_order, "--max-order K", "");
    cap("method.sign_depth", c->sign_depth, vf_lim.max_depth, "--max-depth D", "");
}

static double memory_limit(void)
{
    return vf_lim.max_memory > 0 ? vf_lim.max_memory : default_memory();
}

static void check_memory(double need, const char *what)
{
    double lim = memory_limit();
    if (need > lim) {
        char n[32], l[32];
        fmt_bytes(n, sizeof n, need);
        fmt_bytes(l, sizeof l, lim);
        vf_limit_fail("--max-memory SIZE", "checking needs about %s of memory (%s), above "
                      "the limit of %s%s", n, what, l,
                      vf_lim.max_memory > 0 ? "" : default_memory() < physical() / 2
                      ? " (the default: 90% of ulimit -v)"
                      : " (the default: half the physical memory)");
    }
}

/* MUST FOLLOW load_step: the a priori enclosures of every step. */
static double steps_bytes(const vf_cert *c)
{
    return (double)c->nsteps * ((double)c->dim * vf_mpfi_bytes(c->prec) + sizeof(vf_step)
                                + 2 * sizeof(mpq_t) + 64);
}

void vf_limits_check_steps(const vf_cert *c)
{
    char what[160];
    snprintf(what, sizeof what, "%zu steps of %d a priori balls at %ld bits", c->nsteps,
             c->dim, c->prec);
    check_memory(steps_bytes(c), what);
}

/* MUST FOLLOW vf_flow_init and new_set (vf_step.c): vectors at prec, the (K+2) dim
 * coefficients, A, AB, C at jprec, the double and integer matrices, and the QR's
 * two temporary n x n doubles. */
static double flow_bytes(const vf_cert *c)
{
    double n = c->dim, nn = n * n;
    return (8 + c->order + 2) * n * vf_mpfi_bytes(c->prec) + 3 * nn * vf_mpfi_bytes(c->jac_prec)
           + nn * (3 * sizeof(double) + 4 * sizeof(int64_t) + 2 * sizeof(double))
           + n * (2 * sizeof(__int128) + 4 * sizeof(double) + sizeof(int)) + 4096;
}

/* Bytes of a tape (vf_tape.c): nodes, constants, arguments, outputs, at most twice
 * their count (capacities grow by doubling). */
static double tape_bytes(const vf_tape *tp)
{
    double b = 2.0 * tp->nnodes * sizeof(vf_node) + 2.0 * tp->nargs * sizeof(int)
               + tp->nout * sizeof(int) + 2.0 * tp->nconsts * sizeof(mpq_t);
    for (int i = 0; i < tp->nconsts; i++)
        b += 64 + (double)(mpz_size(mpq_numref(tp->consts[i]))
                           + mpz_size(mpq_denref(tp->consts[i]))) * sizeof(mp_limb_t);
    return b;
}

void vf_limits_check_run(const vf_cert *c, int depth)
{
    const double mulp = vf_mul_work(c->prec), n = c->dim;
    char *used = vf_calloc((size_t)c->n, 1);
    int nref = 0, J = 1, w0 = -1;
    double jsum = 0;                    /* sum over the steps of (J_i + 1)(J_i + 2) */
    for (size_t i = 0; i < c->nsteps; i++) {
        nref += !used[c->steps[i].ref];
        used[c->steps[i].ref] = 1;
        if (w0 < 0)
            w0 = c->steps[i].ref;
        if (c->steps[i].jac > J)
            J = c->steps[i].jac;
        jsum += ((double)c->steps[i].jac + 1) * ((double)c->steps[i].jac + 2);
    }
    free(used);
    if (w0 < 0)
        w0 = 0;
    /* the forms of the field for every token used have the same size: one is built
     * here (every form would cost time quadratic in n) */
    vf_tape *field = vf_build_field(c, w0), *quant = vf_build_quant(c, w0);
    double tay_bytes, tay_work, coef_bytes, coef_work;
    vf_taylor_size(field, (int)c->order, J, c->prec, c->jac_prec, &tay_bytes, &tay_work);
    vf_taylor_size(field, (int)c->order, -1, c->prec, c->jac_prec, &coef_bytes, &coef_work);
    /* a form of the field: MPFI coefficients, fixed-point tangents and fixed-point
     * coefficients over E (the MPFI derivatives are counted when a fallback needs
     * them: vf_limits_check_taylor) */
    tay_bytes = coef_bytes + vf_jac_bytes(field, vf_taylor_dirs(field), J, c->prec)
                + vf_fxtay_bytes(field, (int)c->order) + vf_mrtay_bytes(field, (int)c->order);
    double bytes = steps_bytes(c) + flow_bytes(c)
                   + nref * (tay_bytes + tape_bytes(field) + tape_bytes(quant)
                             + (quant->nnodes + quant->nconsts + 1.0) * vf_mpfi_bytes(c->prec))
                   + (2 * n + 6) * vf_mpfi_bytes(c->prec + 64 + depth)
                   + ((double)depth + 3) * ((double)c->nclaims + 1) * sizeof(int)
                   + (c->nlemmas + 4.0) * (2 * c->n + 1) * vf_mpfi_bytes(c->prec);
    char what[200];
    snprintf(what, sizeof what, "%s system of dimension %d, order %ld, Jacobian order %d, "
             "%ld bits, %zu steps, %d forms of the field", vf_sys_name(c->sys), c->dim,
             c->order, J, c->prec, c->nsteps, nref);
    check_memory(bytes, what);
    memory_estimate = bytes;
    memory_base = bytes - nref * tay_bytes;
    /* per step: the Taylor runs over X, E and c (their coefficients in vf_mrtay.c where
     * it takes the precision, at its measured cost), the Jacobian to the step's own order
     * J_i (its work grows like (J_i + 1)(J_i + 2): tay_work - coef_work is that of the
     * largest J), the dense products of the Lohner step, and the claims on one piece at
     * least */
    double step = 3 * coef_work * vf_mrtay_work_factor(c->prec)
                  + 4 * n * n * n * vf_mul_work(c->jac_prec)
                  + (n * (c->order + 2) + quant->nnodes) * mulp;
    double work = (double)c->nsteps * step
                  + (tay_work - coef_work) * jsum / (((double)J + 1) * ((double)J + 2));
    vf_tape_free(field);
    vf_tape_free(quant);
    if (work > vf_lim.max_work)
        vf_limit_fail("--max-work N", "checking needs about %.3g work units (%s), above the "
                      "limit of %.3g", work, what, vf_lim.max_work);
    work_done = work;
}

void vf_work_add(double units)
{
    work_done += units;
    if (work_done > vf_lim.max_work)
        vf_limit_fail("--max-work N", "the claims' bisection has used more than %.3g work "
                      "units (step pieces times claims times precision; limit %.3g)",
                      work_done, vf_lim.max_work);
}

double vf_work_done(void)
{
    return work_done;
}

int vf_limit_option(int argc, char **argv, int *i)
{
    static const char *const names[] = { "--max-memory", "--max-work", "--max-prec",
                                         "--max-order", "--max-depth" };
    int k = 0;
    while (k < 5 && strcmp(argv[*i], names[k]) != 0)
        k++;
    if (k == 5)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "polarcert-verify: %s wants a value\n", names[k]);
        return -1;
    }
    const char *s = argv[++*i];
    char *end;
    double v = 0;
    int bad;
    if (k == 0)
        bad = vf_parse_size(&v, s) != 0;
    else {
        v = strtod(s, &end);
        bad = end == s || *end || !(v >= 1) || !(v <= (k == 1 ? 1e30 : k == 2 ? 1L << 16 : 400));
    }
    if (bad) {
        fprintf(stderr, "polarcert-verify: %s: '%s' is not %s\n", names[k], s,
                k == 0 ? "a size such as 2G or 512M" : k == 1 ? "a number >= 1 (e.g. 1e11)"
                : k == 2 ? "a whole number from 1 to 65536" : "a whole number from 1 to 400");
        return -1;
    }
    switch (k) {
    case 0: vf_lim.max_memory = v; break;
    case 1: vf_lim.max_work = v; break;
    case 2: vf_lim.max_prec = (long)v; break;
    case 3: vf_lim.max_order = (long)v; break;
    default: vf_lim.max_depth = (long)v; break;
    }
    return 1;
}

double vf_memory_estimate(void)
{
    return memory_estimate;
}

void vf_limits_check_taylor(const vf_tape *tp, int K, int J, long prec, long jprec, int w,
                            int mpfi_derivs)
{
    double bytes, work;
    char what[120];
    if (mpfi_derivs) {
        vf_taylor_size(tp, K, J, prec, jprec, &bytes, &work);
    } else {
        vf_taylor_size(tp, K, -1, prec, jprec, &bytes, &work);
        bytes += vf_jac_bytes(tp, vf_taylor_dirs(tp), J, prec) + vf_fxtay_bytes(tp, K)
                 + vf_mrtay_bytes(tp, K);
    }
    memory_taylor += bytes;
    snprintf(what, sizeof what, "with the Taylor workspace of reference token %d, %d nodes "
             "and Jacobian order %d", w, tp->nnodes, J);
    check_memory(memory_base + memory_taylor, what);
}
