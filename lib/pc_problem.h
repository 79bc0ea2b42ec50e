/* Problem files (format polarcert-problem/1): one initial-value problem for
 * the value-softmax gradient flow, held as exact rationals. */
#ifndef PC_PROBLEM_H
#define PC_PROBLEM_H

#include "pc_arb.h"
#include "pc_status.h"

typedef enum {
    PC_LOSS_LOGISTIC = 0,
    PC_LOSS_EXPONENTIAL,
    PC_LOSS_SQUARE,
    PC_LOSS_CROSS_ENTROPY,
    PC_LOSS_QUADRATIC
} pc_loss_kind;

#define PC_LOSS_COUNT 5

/* Documented size limits: a file beyond them is refused, not trusted. */
#define PC_PROBLEM_MAX_DIM 4096         /* d, n and m each */
#define PC_PROBLEM_MAX_STATE 4194304    /* d*n + n, the full state dimension */
#define PC_PROBLEM_MAX_NUMBER_LEN 4096  /* characters in one number string */
#define PC_PROBLEM_MAX_EXPONENT 4096    /* |e| in a decimal exponent */
/* The file itself, refused before parsing (the JSON tree takes about 20
 * times the text): 64 MiB holds the largest state, 4194304 numbers, at
 * about 16 characters each. */
#define PC_PROBLEM_MAX_FILE_MIB 64
#define PC_PROBLEM_MAX_FILE_BYTES ((size_t) PC_PROBLEM_MAX_FILE_MIB << 20)
/* The entries of q must sum to 1 within 10^-12; the exact sum is used. */
#define PC_PROBLEM_Q_SUM_TOL_DIGITS 12

typedef struct {
    char *name;          /* never NULL after a successful load */
    char *note;          /* NULL if absent */
    pc_loss_kind loss;
    slong d, n;
    slong m;             /* rows of X for the quadratic loss, else 0 */
    fmpq *V;             /* d*n entries, row-major: V_ij = V[i*n + j] */
    fmpq *a;             /* n entries */
    fmpq *beta;          /* d entries (logistic, exponential, square), else NULL */
    fmpq *q;             /* d entries (cross_entropy), else NULL */
    fmpq *X;             /* m*d entries, row-major (quadratic), else NULL */
    fmpq *b;             /* m entries (quadratic), else NULL */
    fmpq_t T;            /* default horizon, > 0 */
    fmpq_t radius;       /* >= 0; every component of V(0), a(0) carries it */
    fmpq *Vrad;          /* NULL, or d*n radii >= 0 added to V's entries' radius */
    fmpq *arad;          /* NULL, or n radii >= 0 added to a's entries' radius */
} pc_problem_struct;
/* A box of initial data: entry k of the full state (V row-major, then a)
 * is the interval centre ± (radius + Vrad/arad entry). The loader stores
 * a box whose entries all have one radius as radius alone (Vrad = arad =
 * NULL), any other box as radius = 0 and both arrays (the entries' whole
 * radii); code that builds a problem may use either form. */
typedef pc_problem_struct pc_problem_t[1];

void pc_problem_init(pc_problem_t p);
void pc_problem_clear(pc_problem_t p);

/* Reads and validates a problem file. On failure p is left empty (as after
 * init), err holds "path: field: what is wrong" and the status is
 * PC_ERR_IO (unreadable, a directory) or PC_ERR_INPUT (anything invalid,
 * a file larger than PC_PROBLEM_MAX_FILE_BYTES, refused before parsing). */
int pc_problem_load_file(pc_problem_t p, const char *path, pc_error_t err);

/* The same from a string; source names the input in messages. */
int pc_problem_load_string(pc_problem_t p, const char *json,
                           const char *source, pc_error_t err);

/* Parses an exact number: a decimal ("-0.125", "1e-6", "3.", ".5e+2") or a
 * rational ("3/7", "-4/6" is reduced). Returns PC_OK, or PC_ERR_INPUT with
 * a reason in why (which may be NULL) for anything else (NaN, Inf, empty,
 * hex, spaces, zero denominator, over-long strings or exponents). */
int pc_parse_exact(fmpq_t x, const char *s, const char **why);

/* hex (65 bytes with the NUL) = the lowercase SHA-256 of the canonical text
 * of the problem's exact data (certs/FORMAT.md, "Problem data hash"): loss,
 * dimensions, radius and every number in lowest terms; not the name, note
 * or T. polarcert-verify computes the same value independently. */
void pc_problem_data_sha256(char hex[65], const pc_problem_t p);

/* Whether the problem is a box of initial data (some entry of V(0) or
 * a(0) has a radius > 0); of V(0) alone; of a(0) alone. */
int pc_problem_is_box(const pc_problem_t p);
int pc_problem_V_is_box(const pc_problem_t p);
int pc_problem_a_is_box(const pc_problem_t p);

/* r = the radius of entry k of the full state (0 <= k < d*n + n: V
 * row-major, then a), exactly. */
void pc_problem_entry_radius(fmpq_t r, const pc_problem_t p, slong k);

/* Whether every entry of V(0) and a(0) has the same radius; if so r is it
 * (the canonical form of FORMAT.md's "radius R"). */
int pc_problem_common_radius(fmpq_t r, const pc_problem_t p);

/* The loss's name as in problem files ("logistic", ...), and its inverse
 * (returns PC_ERR_INPUT for an unknown name). */
const char *pc_loss_name(pc_loss_kind loss);
int pc_loss_from_name(pc_loss_kind *loss, const char *name);

#endif
