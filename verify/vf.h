/* vf.h — internal header of polarcert-verify, the independent certificate checker.
 *
 * The checker shares no numerical code with lib/: all rigorous arithmetic is MPFI
 * (intervals over MPFR), exact parsing is GMP, JSON is jansson, the hash is nettle.
 * Doubles appear only where FORMAT.md lets the checker choose freely (the coordinate
 * matrix B' of the set representation, midpoints).  Specification: certs/FORMAT.md. */
#ifndef VF_H
#define VF_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <gmp.h>
#include <mpfr.h>
#include <mpfi.h>
#include <jansson.h>

/* ---------- verdicts (vf_cert.c) ---------- */

extern const char *vf_file;     /* certificate path, for exit-2 messages */
/* How vf_fail2 and vf_reject end the program: exit, or (fuzz/) a longjmp. */
extern void (*vf_exit)(int status);

/* Structurally unusable input: prints "file: field: problem", exits 2. */
void vf_fail2(const char *field, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* Well-formed but false or unsupported: prints "REJECTED: ...", exits 1. */
void vf_reject(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---------- allocation (vf_alloc.c) and resource limits (vf_limits.c) ---------- */

/* malloc, calloc, realloc, strdup that end the checker with exit 2 and a message
 * instead of returning NULL; vf_alloc_install makes GMP/MPFR/MPFI use them. */
void *vf_malloc(size_t n);
void *vf_calloc(size_t n, size_t size);
void *vf_realloc(void *p, size_t n);
char *vf_strdup(const char *s);
void vf_alloc_install(void);

/* The limits a certificate must fit in before the checker spends memory or time on
 * it (defaults in vf_limits.c; options of polarcert-verify change them).  Exceeding
 * one exits 2 with the limit, the certificate's value and the option that raises it. */
typedef struct {
    double max_memory;      /* bytes; 0 = the default (half the physical memory) */
    double max_work;        /* work units (about one limb product each) */
    long max_prec;          /* method.prec and method.jac_prec */
    long max_order;         /* method.order */
    long max_depth;         /* method.sign_depth and --depth */
} vf_limits;

extern vf_limits vf_lim;
void vf_limits_default(vf_limits *l);
/* Parses a size "2G", "512M", "1.5G" or bytes; 0 ok, -1 bad. */
int vf_parse_size(double *bytes, const char *s);
/* Bytes of an mpfi_t at prec (struct, limbs, allocator overhead): an upper bound. */
double vf_mpfi_bytes(long prec);
/* Work of one interval product at prec, in work units. */
double vf_mul_work(long prec);

/* Exit 2: "resource limit: what ... (raise it with option)". */
void vf_limit_fail(const char *option, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* ---------- numbers (vf_number.c) ---------- */

/* Parsers return 0 or one of these; vf_num_why says what is wrong. */
enum { VF_NUM_SYNTAX = -1, VF_NUM_TOO_LONG = -2, VF_NUM_NOT_LOWEST = -3, VF_NUM_RANGE = -4 };
int vf_parse_rational(const char *s, mpq_t q);      /* "p" or "p/q" in lowest terms */
int vf_parse_dyadic(const char *s, mpq_t q);        /* "M" or "M*2^E" */
/* A problem file's exact decimal or rational ("0.1", "1e-6", "-4/6"). */
int vf_parse_decimal(const char *s, mpq_t q);
const char *vf_num_why(int code);
/* Untrusted text for a terminal: control characters (C0, DEL, C1) become
 * \xNN or \u00NN and a backslash \\. Free with free(). */
char *vf_escape(const char *s);
void vf_q_to_fr(mpfr_t r, const mpq_t q, mpfr_rnd_t rnd);
/* "%.*g"-like decimal of q with directed rounding, into a static-free buffer. */
void vf_fmt_q(char *buf, size_t len, const mpq_t q, int digits, mpfr_rnd_t rnd);
void vf_fmt_fr(char *buf, size_t len, const mpfr_t x, int digits, mpfr_rnd_t rnd);
int vf_fi_is_finite(const mpfi_t x);    /* both ends finite, not NaN */
/* floor (up = 0) or ceiling (up = 1) of x 2^G, exactly, for finite x with
 * |x| 2^G < 2^62 (read from the significand, no rounding step). */
int64_t vf_fr_scaled(mpfr_srcptr x, long G, int up);

/* ---------- the certificate (vf_cert.c) ---------- */

enum vf_loss { VF_LOGISTIC, VF_EXPONENTIAL, VF_SQUARE, VF_CROSSENT, VF_QUADRATIC };
enum vf_sys { VF_FULL, VF_REDUCED, VF_TAU };
enum vf_kind { VF_DEC, VF_INC, VF_GAP, VF_ABOVE, VF_GAPINC, VF_LABOVE, VF_BELOW, VF_LIMIT,
              VF_PAIR, VF_LOSSBELOW, VF_LOSSABOVE, VF_UNKNOWN };

typedef struct {
    mpq_t t0, h;
    int ref, jac;
    mpfi_t *E;              /* dim a priori balls, rounded outward at prec */
} vf_step;

typedef struct {
    enum vf_kind kind;
    char kindname[40];
    mpq_t from, to, bound;
    mpq_t lo, hi;           /* entropy_limit: lim H in [lo, hi] */
    int to_inf;
    int i, j;               /* logit_gap_*, logit_above, pair_ordered */
    int open_from;          /* (0, to]: entropy_decreasing by the open start, or logit_above */
    int lemma;              /* index into lemmas or -1 */
    int has_lemma;          /* a "lemma" member was present */
    char lemma_bad[80];     /* non-empty: the lemma reference is not usable */
} vf_claim;

typedef struct {
    char name[40];
    long version;
    int token;              /* margin-tail: the winning token; else -1 */
    char at[16];
    mpfi_t *Y;              /* square-tau-horizon: the box of 2n balls; pl-tail: dn + n */
    long Ylen;
    int elen;               /* entries of e */
    int pl;                 /* 1 pl-tail, 2 pl-tail-quadratic, 3 pl-tail-crossent: the
                               hints below were given */
    mpq_t *e;               /* pl-tail: n dyadics e; pl-tail-quadratic, -crossent: d dyadics f */
    mpq_t *W;               /* pl-tail-crossent: the metric, d x d dyadics (row-major) */
    mpq_t mu, kappa, theta, m2, sigma, gmin, wmin;
} vf_lemma;

typedef struct {
    json_t *root;
    char *name;
    enum vf_loss loss;
    enum vf_sys sys;
    int d, n, m;            /* m: rows of X (quadratic) */
    mpq_t *V, *a, *beta, *q, *X, *b;
    mpq_t *rad;             /* d*n + n radii >= 0 of the initial box: V row-major, then a */
    long prec, order, jac_prec, sign_depth;
    long end_depth;         /* method.end_depth, or sign_depth if absent */
    mpq_t horizon;
    int dim;
    size_t nsteps, nlemmas, nclaims;
    vf_step *steps;
    vf_lemma *lemmas;
    vf_claim *claims;
    char sha_given[65], sha_computed[65];
    json_t *hypotheses;     /* optional members (borrowed from root) or NULL */
    json_t *theorem;
    char data_sha[65];      /* SHA-256 of the problem's canonical data (vf_problem.c) */
} vf_cert;

/* Files larger than these are refused before parsing (the JSON tree takes
 * about 20 times the text): 64 times the largest bundled certificate, and
 * the problem loader's limit (lib/pc_problem.h). */
#define VF_MAX_CERT_BYTES ((size_t)128 << 20)
#define VF_MAX_PROBLEM_BYTES ((size_t)64 << 20)

void vf_cert_load(vf_cert *c, const char *path);    /* exits 2 on structural problems */
/* The same from a parsed JSON text, which c then owns (fuzz/fuzz-cert.c). */
void vf_cert_read(vf_cert *c, json_t *root);
void vf_cert_free(vf_cert *c);
void vf_cert_check_times(const vf_cert *c);          /* exits 1 on chaining/coverage/claims */
const char *vf_loss_name(enum vf_loss l);
const char *vf_sys_name(enum vf_sys s);

/* ---------- lemma pl-tail/1 (vf_pltail.c, proofs/pl-tail.md) ---------- */

/* Checks H1-H6 of pl-tail/1 for the lemma use lm at the end state x (full system,
 * square loss). Returns 1 with *sign the sign of dH/dt for all later times and Hlim
 * enclosing H over Y; else 0 with a message in why. */
int vf_pltail_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                    mpfi_t Hlim, char *why, size_t whylen);

/* The same for pl-tail-quadratic/1 (quadratic loss; lm->e holds the direction f, d
 * entries, lm->gmin the bound of lambda_min(X^T X)). */
int vf_pltail_quadratic_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                              mpfi_t Hlim, char *why, size_t whylen);

/* The same for pl-tail-crossent/1 (cross-entropy; lm->e holds the direction f, d
 * entries, lm->W the metric, lm->mu the PL constant, lm->wmin a lower bound of W's
 * eigenvalues). */
int vf_pltail_crossent_check(const vf_cert *c, const vf_lemma *lm, mpfi_t *x, int *sign,
                             mpfi_t Hlim, char *why, size_t whylen);

/* Does the claim read the gap derivative d(a_i - a_j)/dt (quantity output)? */
static inline int vf_claim_uses_gap(const vf_claim *q)
{
    return q->kind == VF_GAP || q->kind == VF_GAPINC || (q->kind == VF_LABOVE && q->open_from);
}

/* ---------- hypotheses and theorem conclusions (vf_theorem.c) ---------- */

/* Re-decides every hypothesis of the certificate exactly (GMP mpq) and checks
 * every proven or refuted conclusion against the claims it lists (which are
 * verified as claims); REJECTS (exit 1) on a mismatch. Prints a line per item
 * unless quiet. */
void vf_theorem_check(const vf_cert *c, int quiet);
/* ---------- the problem's exact data (vf_problem.c, vf_cert.c) ---------- */

/* Reads a problem file (polarcert-problem/1) into the problem fields of p, with the
 * loader's number syntax and rules; exits 2 if it is not a valid one. */
void vf_problem_load_file(vf_cert *p, const char *path);
/* hex = SHA-256 of the canonical text of the problem data (certs/FORMAT.md). */
void vf_problem_data_sha256(const vf_cert *c, char hex[65]);
/* 0 if the exact data of c and p agree; else 1 and "field differs (...)" in msg. */
int vf_problem_compare(const vf_cert *c, const vf_cert *p, char *msg, size_t len);
/* Whether the initial data are a box: anywhere; in V(0); in a(0). */
int vf_box(const vf_cert *c);
int vf_box_V(const vf_cert *c);
int vf_box_a(const vf_cert *c);

/* ---------- expression DAG (vf_tape.c) ---------- */

enum vf_op { OP_VAR, OP_CONST, OP_ADD, OP_SUB, OP_MUL, OP_SQR, OP_DIV, OP_NEG,
             OP_EXP, OP_LOG, OP_SUM };

typedef struct { int op, a, b, arg0, nargs; } vf_node;

typedef struct {
    int nvars;              /* nodes 0..nvars-1 are the variables */
    int nnodes, cap;
    vf_node *nodes;
    int nconsts, ccap;
    mpq_t *consts;
    int nargs, acap;
    int *args;
    int nout;
    int *out;
} vf_tape;

vf_tape *vf_tape_new(int nvars);
void vf_tape_free(vf_tape *tp);
int vf_tape_const_q(vf_tape *tp, const mpq_t q);
int vf_tape_const_si(vf_tape *tp, long v);
int vf_tape_op(vf_tape *tp, int op, int a, int b);  /* unary ops ignore b */
int vf_tape_sum(vf_tape *tp, const int *args, int n);
void vf_tape_set_outputs(vf_tape *tp, const int *out, int nout);

/* Order-0 interval evaluation (claims, lemma): vals has nnodes entries. */
typedef struct { const vf_tape *tp; mpfi_t *vals, *cq; } vf_eval;
void vf_eval_init(vf_eval *ev, const vf_tape *tp, mpfr_prec_t prec);
void vf_eval_clear(vf_eval *ev);
void vf_eval_run(vf_eval *ev, mpfi_t *x);
static inline mpfi_ptr vf_eval_out(vf_eval *ev, int k) { return ev->vals[ev->tp->out[k]]; }

/* ---------- interval dot products (vf_idot.c) ---------- */

/* Workspace of vf_idot: 4 exact-product slots per term (MPFR custom interface, on
 * limb buffers of lcap limbs each), grown on demand only. */
typedef struct {
    size_t cap;             /* terms */
    size_t lcap;            /* limbs per slot */
    mpfr_t *slot;           /* 4 * cap */
    mp_limb_t *limbs;       /* 4 * cap * lcap */
    mpfr_ptr *lo, *hi;      /* cap + 1 candidates for each mpfr_sum */
    mpfi_t acc, t;          /* fallback */
    mpfr_t cl, ch;          /* the addend's endpoints when it is also the result */
} vf_idot_ws;

void vf_idot_init(vf_idot_ws *w, size_t cap);
void vf_idot_clear(vf_idot_ws *w);
/* Room for n terms whose exact products need l limbs (called by vf_idot as needed). */
void vf_idot_reserve(vf_idot_ws *w, size_t n, size_t l);
/* res = an interval containing c + (neg ? -1 : 1) * sum_{i<n} wt_i a_i b_i for all
 * points of the intervals; c and wt may be NULL (0 and all weights 1).  Each endpoint
 * is the exact sum rounded once outward, so the result is contained in the op-by-op
 * MPFI result at res's precision.  NaN or infinite endpoints, or a product leaving the
 * exponent range, fall back to the op-by-op MPFI computation.  res may be c, and may
 * be one of the a_i or b_i. */
void vf_idot(mpfi_ptr res, mpfi_srcptr c, int neg, mpfi_srcptr const *a,
             mpfi_srcptr const *b, const unsigned long *wt, size_t n, vf_idot_ws *w);

/* ---------- Taylor-mode AD (vf_taylor.c) ---------- */

typedef struct {
    const vf_tape *tp;
    int K, J, dim;
    mpfr_prec_t prec, jprec;
    mpfi_t *c;              /* nnodes * (K+2) coefficients */
    mpfi_t *D;              /* derivatives: node v, order k, dir: D[doff[v] + k*w(v) + dir-lo[v]] */
    long *doff;             /* -1 for constant nodes */
    int *lo, *hi;           /* direction range of nonzero derivatives */
    char *isc;              /* node is constant */
    mpfi_t *cq;
    /* dot products (vf_idot): workspace, operand pointers and weights for up to
     * 2 (K + 3) terms */
    vf_idot_ws dw;
    mpfi_srcptr *pa, *pb;
    unsigned long *wt;
} vf_taylor;

void vf_taylor_init(vf_taylor *ws, const vf_tape *tp, int K, int J,
                    mpfr_prec_t prec, mpfr_prec_t jprec);
void vf_taylor_clear(vf_taylor *ws);
/* Upper bounds of the bytes of vf_taylor_init and the work (vf_mul_work units) of one
 * vf_taylor_run with derivatives, for these arguments. */
void vf_taylor_size(const vf_tape *tp, int K, int J, long prec, long jprec,
                    double *bytes, double *work);
/* The number of (node, direction) pairs that carry a derivative: the size of one order
 * of the tangents of vf_taylor_init or vf_jac_new. */
long vf_taylor_dirs(const vf_tape *tp);
/* Coefficients x_0..x_order of x' = f(x), x(0) in x0; derivatives up to order jac
 * (jac < 0: none). */
void vf_taylor_run(vf_taylor *ws, mpfi_t *x0, int order, int jac);
static inline mpfi_ptr vf_taylor_coef(vf_taylor *ws, int comp, int k)
{ return ws->c[(size_t)comp * (ws->K + 2) + k]; }
/* d x_k[comp] / d x0[dir], or NULL if structurally zero. */
mpfi_ptr vf_taylor_jac(vf_taylor *ws, int comp, int k, int dir);

/* ---------- the Jacobian of the Taylor polynomial in fixed point (vf_jac.c) ---------- */

typedef struct vf_jac vf_jac;
/* A workspace for the tangents of ws's tape up to order J (ws need not carry MPFI
 * derivatives: it is only read for its coefficients and dependency ranges). */
vf_jac *vf_jac_new(const vf_taylor *ws, int J);
void vf_jac_free(vf_jac *jw);
/* Upper bound of the bytes of vf_jac_new(ws of tp, J) (dirs = vf_taylor_dirs(tp)). */
double vf_jac_bytes(const vf_tape *tp, long dirs, int J, long prec);
/* A (dim x dim, row-major) = intervals containing sum_{k<=J} h^k d x_k / d x0 at every
 * point of the box over which vf_taylor_run last computed ws's coefficients (to order
 * >= J), for every h in the interval h.  Returns 0, or -1 (A unchanged in meaning) if
 * the fixed-point representation cannot hold it: the caller then uses the MPFI
 * derivatives of vf_taylor_run. */
int vf_jac_matrix(vf_jac *jw, int J, mpfi_srcptr h, mpfi_t *A);

/* ---------- coefficients over the a priori box in fixed point (vf_fxtay.c) ---------- */

typedef struct vf_fxtay vf_fxtay;
vf_fxtay *vf_fxtay_new(const vf_tape *tp, int K);
/* Upper bound of the bytes of vf_fxtay_new(tp, K). */
double vf_fxtay_bytes(const vf_tape *tp, int K);
void vf_fxtay_free(vf_fxtay *w);
/* out[i] (nvars intervals) = an enclosure of the Taylor coefficient of order `order`
 * (<= K + 1) of component i of x' = f(x), x(0) in the box x0, at every point of x0:
 * the same recurrences as vf_taylor_run in 58-bit midpoint-radius fixed point.
 * Returns 0, or -1 (out meaningless) where the representation cannot hold a value or
 * the tape has an operation without a rule here. */
int vf_fxtay_run(vf_fxtay *w, mpfi_t *x0, int order, mpfi_t *out);

/* ---------- coefficients over a box in multi-limb midpoint-radius (vf_mrtay.c) ---------- */

typedef struct vf_mrtay vf_mrtay;
/* The midpoint limbs for an MPFI precision (the pass is at least as precise). */
int vf_mrtay_limbs(long prec);
/* The cost of a coefficient pass at prec relative to vf_taylor_run's (for the work
 * estimate): below 1 where vf_mrtay_new takes the precision. */
double vf_mrtay_work_factor(long prec);
/* NULL if prec needs more limbs than the representation has (then: MPFI only). */
vf_mrtay *vf_mrtay_new(const vf_tape *tp, int K, long prec);
/* Upper bound of the bytes of vf_mrtay_new(tp, K, any prec). */
double vf_mrtay_bytes(const vf_tape *tp, int K);
void vf_mrtay_free(vf_mrtay *w);
/* The Taylor coefficients of x' = f(x), x(0) in the box x0, by the recurrences of
 * vf_taylor_run in midpoint-radius arithmetic with L-limb midpoints: on return
 * vf_taylor_coef(ws, i, k) encloses, at every point of x0, the coefficient of order k
 * of variable i for k <= order (<= K + 1) and that of every other non-constant node for
 * k <= kn (< order), rounded outward to ws's precision; nothing else of ws is written.
 * Returns 0, or -1 (ws's coefficients meaningless) where the representation cannot
 * hold a value or the tape has an operation without a rule here. */
int vf_mrtay_run(vf_mrtay *w, mpfi_t *x0, int order, vf_taylor *ws, int kn);

/* ---------- the systems (vf_system.c) ---------- */

vf_tape *vf_build_field(const vf_cert *c, int w);
/* outputs: 0 = sign quantity of dH/dt, 1 = H, 2+g = gap of the g-th logit_gap claim,
 * then n outputs s_j (a_j - mean_s(a)): dH/dt = -sum_j of them times da_j/dt, then n
 * outputs s_j (a_j - sum_k s_k a_k), the same with the direct mean */
vf_tape *vf_build_quant(const vf_cert *c, int w);
/* outputs: 0 = s_k, then for each j != k: a_j - abar, u_j - ubar */
vf_tape *vf_build_lemma(const vf_cert *c, int k);
/* square-tau-horizon: 0 = rho, 1..2n = tau field (u', a'), 2n+1 = dH/dtau, 2n+2 = H */
vf_tape *vf_build_horizon(const vf_cert *c, int w);
void vf_initial_state(const vf_cert *c, mpfi_t *x0, mpfr_prec_t prec);
void vf_system_check(const vf_cert *c);              /* exits 1 if unsupported */
int vf_time_index(const vf_cert *c);                 /* index of t (tau) or -1 */

/* ---------- steps (vf_step.c) ---------- */

typedef struct {
    int dim, K;
    mpfr_prec_t prec, jprec;
    mpfr_t *c;              /* set centre (exact points) */
    double *B;              /* coordinate matrix, row-major, exact doubles */
    mpfi_t *R;              /* box */
    /* data of the current step, for the claims */
    mpfi_t *xk;             /* (K+2)*dim: x_k(X), k <= K; x_{K+1}(E) at k = K+1 */
    mpfi_t *E;
    mpfi_t h;
    /* scratch */
    mpfi_t *X, *y, *P, *yc, *Rn, *tmpv;
    mpfi_t *A, *AB, *C;     /* dim*dim at jprec */
    double *M, *Q, *work;
    int64_t *Bq, *Qq;       /* B and Q as integers * 2^-52 (exact) */
    int64_t *flo, *fhi;     /* fixed-point enclosure of an interval matrix */
    __int128 *acc;          /* 2 * dim accumulators */
    vf_taylor *tay;         /* one per reference token, created on demand (coefficients) */
    vf_jac **jac;           /* fixed-point Jacobian workspaces, per reference token */
    vf_taylor *tayd;        /* MPFI derivatives (fallback only), per reference token */
    vf_fxtay **fxe;         /* fixed-point coefficients over E, per reference token */
    vf_mrtay **mre;         /* multi-limb midpoint-radius coefficients, per token */
    long fallback_e;        /* steps whose remainder over E came from MPFI */
    long mr_e;              /* ... from vf_mrtay (one-word fixed point unusable or too wide) */
    long mpfi_x;            /* steps whose coefficients over X came from MPFI */
    int ntay;
    int meanvalue;          /* the set is the mean-value form on a plain box (B = I) */
    int Bid;                /* B is the identity */
    mpfi_t s1, s2, s3;
} vf_flow;

void vf_flow_init(vf_flow *f, const vf_cert *c);
void vf_flow_clear(vf_flow *f);
/* Validates step i and advances the set; exits 1 on failure. */
void vf_flow_step(vf_flow *f, const vf_cert *c, size_t i);
/* State enclosure over sigma (subset of [0,h]) of the current step, intersected with E. */
void vf_flow_state(vf_flow *f, mpfi_t *out, const mpfi_t sigma);
/* The field x' over sigma from the derivative of the step polynomial (Lagrange form):
 * sum_{k<K} (k+1) x_{k+1}(X) sigma^k + (K+1) x_{K+1}(E) sigma^K (FORMAT.md). */
void vf_flow_deriv(vf_flow *f, mpfi_t *out, const mpfi_t sigma);
/* (x(sigma) - x(0)) / sigma over sigma (subset of (0,h]) for the components
 * [off, off + n): sum_{1<=k<=K} x_k(X) sigma^(k-1) + x_{K+1}(E) sigma^K. */
void vf_flow_divided(vf_flow *f, mpfi_t *out, int off, int n, const mpfi_t sigma);
/* Hull of the current set c + B R. */
void vf_flow_hull(vf_flow *f, mpfi_t *out);

/* ---------- exact fixed-point matrix products (vf_fixmat.c) ---------- */

/* Encloses cnt intervals as [lo, hi] 2^-F (|.| < 2^61); returns F, LONG_MIN if unusable. */
long vf_fix_enclose(mpfi_t *X, size_t cnt, int n, int64_t *lo, int64_t *hi);
/* Rounds Q to the grid 2^-52 Z: Pq integers, Qexact = Pq 2^-52 as doubles. */
void vf_fix_round(int n, const double *Q, int64_t *Pq, double *Qexact);
void vf_fix_mul_ip(int n, const int64_t *lo, const int64_t *hi, long F, const int64_t *P,
                   mpfi_t *out, __int128 *acc);
void vf_fix_mul_tp(int n, const int64_t *P, const int64_t *lo, const int64_t *hi, long F,
                   mpfr_srcptr eps, mpfi_t *out, __int128 *acc);
void vf_fix_orth_defect(int n, const int64_t *P, mpfr_t delta, mpfr_t qn, __int128 *acc);

/* ---------- limits of a whole check (vf_limits.c) ---------- */

void vf_limits_check_method(const vf_cert *c);      /* prec, order, sign_depth caps */
void vf_limits_check_steps(const vf_cert *c);       /* memory of the loaded steps */
/* Memory and work of the whole check at bisection depth `depth`, before it starts. */
void vf_limits_check_run(const vf_cert *c, int depth);
/* Work done in claim checking (bisection): exits 2 once the budget is spent. */
void vf_work_add(double units);
/* Before a Taylor workspace is allocated: the memory so far with it, against the
 * limit (the estimate before the check assumed every form of the field of one size). */
void vf_limits_check_taylor(const vf_tape *tp, int K, int J, long prec, long jprec, int w,
                            int mpfi_derivs);
double vf_work_done(void);
/* The memory estimate of vf_limits_check_run (bytes; without the JSON tree). */
double vf_memory_estimate(void);
/* If argv[*i] is a limit option (--max-memory, --max-work, --max-prec, --max-order,
 * --max-depth): sets it from argv[*i + 1], advances *i, returns 1 (-1 after a message
 * if the value is bad); else 0. */
int vf_limit_option(int argc, char **argv, int *i);

/* ---------- claims (vf_claims.c) ---------- */

typedef struct vf_claims vf_claims;
vf_claims *vf_claims_new(const vf_cert *c, int maxdepth);
void vf_claims_step(vf_claims *cl, vf_flow *f, size_t i);   /* exits 1 on failure */
void vf_claims_finish(vf_claims *cl, vf_flow *f);           /* coverage, lemmas */
void vf_claims_print(const vf_claims *cl);
void vf_claims_free(vf_claims *cl);

#endif
