/* vf_tape.c — a small expression DAG for the vector fields and the claim quantities.
 *
 * Nodes are appended in topological order (an operand always precedes its user), so a
 * single forward sweep evaluates the tape.  Constants are exact rationals; each
 * evaluator encloses them at its own precision. */
#include <stdlib.h>
#include "vf.h"

vf_tape *vf_tape_new(int nvars)
{
    vf_tape *tp = vf_calloc(1, sizeof *tp);
    tp->cap = nvars + 64;
    tp->nodes = vf_malloc(sizeof(vf_node) * (size_t)tp->cap);
    tp->ccap = 16;
    tp->consts = vf_malloc(sizeof(mpq_t) * (size_t)tp->ccap);
    tp->acap = 64;
    tp->args = vf_malloc(sizeof(int) * (size_t)tp->acap);
    tp->nvars = nvars;
    for (int i = 0; i < nvars; i++)
        tp->nodes[i] = (vf_node){ OP_VAR, i, -1, 0, 0 };
    tp->nnodes = nvars;
    return tp;
}

void vf_tape_free(vf_tape *tp)
{
    if (!tp)
        return;
    for (int i = 0; i < tp->nconsts; i++)
        mpq_clear(tp->consts[i]);
    free(tp->consts);
    free(tp->nodes);
    free(tp->args);
    free(tp->out);
    free(tp);
}

static int push(vf_tape *tp, vf_node nd)
{
    if (tp->nnodes == tp->cap) {
        tp->cap *= 2;
        tp->nodes = vf_realloc(tp->nodes, sizeof(vf_node) * (size_t)tp->cap);
    }
    tp->nodes[tp->nnodes] = nd;
    return tp->nnodes++;
}

int vf_tape_const_q(vf_tape *tp, const mpq_t q)
{
    if (tp->nconsts == tp->ccap) {
        tp->ccap *= 2;
        tp->consts = vf_realloc(tp->consts, sizeof(mpq_t) * (size_t)tp->ccap);
    }
    mpq_init(tp->consts[tp->nconsts]);
    mpq_set(tp->consts[tp->nconsts], q);
    return push(tp, (vf_node){ OP_CONST, tp->nconsts++, -1, 0, 0 });
}

int vf_tape_const_si(vf_tape *tp, long v)
{
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, v, 1);
    int r = vf_tape_const_q(tp, q);
    mpq_clear(q);
    return r;
}

int vf_tape_op(vf_tape *tp, int op, int a, int b)
{
    return push(tp, (vf_node){ op, a, b, 0, 0 });
}

int vf_tape_sum(vf_tape *tp, const int *args, int n)
{
    if (n == 0)
        return vf_tape_const_si(tp, 0);
    if (n == 1)
        return args[0];
    while (tp->nargs + n > tp->acap) {
        tp->acap *= 2;
        tp->args = vf_realloc(tp->args, sizeof(int) * (size_t)tp->acap);
    }
    for (int i = 0; i < n; i++)
        tp->args[tp->nargs + i] = args[i];
    int r = push(tp, (vf_node){ OP_SUM, -1, -1, tp->nargs, n });
    tp->nargs += n;
    return r;
}

void vf_tape_set_outputs(vf_tape *tp, const int *out, int nout)
{
    tp->out = vf_malloc(sizeof(int) * (size_t)(nout > 0 ? nout : 1));
    for (int i = 0; i < nout; i++)
        tp->out[i] = out[i];
    tp->nout = nout;
}

/* ---------- order-0 interval evaluation ---------- */

void vf_eval_init(vf_eval *ev, const vf_tape *tp, mpfr_prec_t prec)
{
    ev->tp = tp;
    ev->vals = vf_malloc(sizeof(mpfi_t) * (size_t)tp->nnodes);
    for (int i = 0; i < tp->nnodes; i++)
        mpfi_init2(ev->vals[i], prec);
    ev->cq = vf_malloc(sizeof(mpfi_t) * (size_t)(tp->nconsts + 1));
    for (int i = 0; i < tp->nconsts; i++) {
        mpfi_init2(ev->cq[i], prec);
        mpfi_set_q(ev->cq[i], tp->consts[i]);
    }
}

void vf_eval_clear(vf_eval *ev)
{
    for (int i = 0; i < ev->tp->nnodes; i++)
        mpfi_clear(ev->vals[i]);
    for (int i = 0; i < ev->tp->nconsts; i++)
        mpfi_clear(ev->cq[i]);
    free(ev->vals);
    free(ev->cq);
}

void vf_eval_run(vf_eval *ev, mpfi_t *x)
{
    const vf_tape *tp = ev->tp;
    mpfi_t *v = ev->vals;
    for (int i = 0; i < tp->nnodes; i++) {
        const vf_node *nd = &tp->nodes[i];
        switch (nd->op) {
        case OP_VAR: mpfi_set(v[i], x[nd->a]); break;
        case OP_CONST: mpfi_set(v[i], ev->cq[nd->a]); break;
        case OP_ADD: mpfi_add(v[i], v[nd->a], v[nd->b]); break;
        case OP_SUB: mpfi_sub(v[i], v[nd->a], v[nd->b]); break;
        case OP_MUL: mpfi_mul(v[i], v[nd->a], v[nd->b]); break;
        case OP_SQR: mpfi_sqr(v[i], v[nd->a]); break;
        case OP_DIV: mpfi_div(v[i], v[nd->a], v[nd->b]); break;
        case OP_NEG: mpfi_neg(v[i], v[nd->a]); break;
        case OP_EXP: mpfi_exp(v[i], v[nd->a]); break;
        case OP_LOG: mpfi_log(v[i], v[nd->a]); break;
        case OP_SUM:
            mpfi_set(v[i], v[tp->args[nd->arg0]]);
            for (int k = 1; k < nd->nargs; k++)
                mpfi_add(v[i], v[i], v[tp->args[nd->arg0 + k]]);
            break;
        }
    }
}
