/* A vector field x' = f(x) recorded once as a list of elementary operations
 * (a "tape", like the DAG of CAPD's maps), so that one description serves
 * point evaluation, Taylor coefficients of the solution and their
 * derivatives with respect to the initial state (pc_taylor.h).
 *
 * Nodes 0..nvars-1 are the state variables; every other node applies one
 * operation to earlier nodes. Constants are exact rationals, rounded to a
 * ball only when a tape is evaluated at a given precision, so a tape does
 * not depend on the precision. */
#ifndef PC_TAPE_H
#define PC_TAPE_H

#include "pc_arb.h"
#include "pc_status.h"

typedef enum {
    PC_TAPE_VAR = 0,
    PC_TAPE_CONST,      /* a = index of the constant */
    PC_TAPE_ADD,        /* a + b */
    PC_TAPE_SUB,        /* a − b */
    PC_TAPE_MUL,        /* a · b */
    PC_TAPE_DIV,        /* a / b */
    PC_TAPE_NEG,        /* −a */
    PC_TAPE_EXP,        /* exp(a) */
    PC_TAPE_DOT         /* Σ_{l<b} x[arg[a+2l]] · x[arg[a+2l+1]]: b >= 2 products summed
                           as one node (one dot product per Taylor order instead of
                           b products and b − 1 sums) */
} pc_tape_op;

typedef struct {
    pc_tape_op op;
    slong a, b;
} pc_tape_node;

typedef struct {
    slong nvars;
    slong len, alloc;
    pc_tape_node *node;
    slong nconst, const_alloc;
    fmpq *cval;
    slong *out;             /* out[i] = the node holding f_i; nvars outputs */
    slong *arg;             /* the operand pairs of the DOT nodes */
    slong narg, arg_alloc;
    slong max_dot;          /* the largest b of a DOT node (1 if there is none) */
} pc_tape_struct;
typedef pc_tape_struct pc_tape_t[1];

/* A tape with nvars state variables (nodes 0..nvars-1) and no outputs yet. */
void pc_tape_init(pc_tape_t t, slong nvars);
void pc_tape_clear(pc_tape_t t);

/* An upper bound of the bytes the tape t takes (pc_memory.h). */
double pc_tape_memory(const pc_tape_t t);

/* Builders: each appends a node and returns its index. */
slong pc_tape_const_fmpq(pc_tape_t t, const fmpq_t c);
slong pc_tape_const_si(pc_tape_t t, slong c);
slong pc_tape_add(pc_tape_t t, slong a, slong b);
slong pc_tape_sub(pc_tape_t t, slong a, slong b);
slong pc_tape_mul(pc_tape_t t, slong a, slong b);
slong pc_tape_div(pc_tape_t t, slong a, slong b);
slong pc_tape_neg(pc_tape_t t, slong a);
slong pc_tape_exp(pc_tape_t t, slong a);
/* Σ_i nodes[i] (len >= 1), and Σ_i a[i]·b[i] (len >= 1; one DOT node if
 * len >= 2). */
slong pc_tape_sum(pc_tape_t t, const slong *nodes, slong len);
slong pc_tape_dot(pc_tape_t t, const slong *a, const slong *b, slong len);

/* Declares node `node` as the i-th component of f. */
void pc_tape_set_output(pc_tape_t t, slong i, slong node);

/* Whether every output is set; PC_ERR_INPUT otherwise. */
int pc_tape_check(const pc_tape_t t);

/* f(x) in balls: every output ball contains f at every point of the input
 * balls. */
void pc_tape_eval_arb(arb_ptr f, const pc_tape_t t, arb_srcptr x, slong prec);

#endif
