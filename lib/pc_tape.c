#include <stdlib.h>
#include "pc_tape.h"

void pc_tape_init(pc_tape_t t, slong nvars)
{
    t->nvars = nvars;
    t->alloc = 2 * nvars + 16;
    t->node = flint_malloc(sizeof(pc_tape_node) * t->alloc);
    for (slong i = 0; i < nvars; i++) {
        t->node[i].op = PC_TAPE_VAR;
        t->node[i].a = i;
        t->node[i].b = -1;
    }
    t->len = nvars;
    t->nconst = 0;
    t->const_alloc = 0;
    t->cval = NULL;
    t->arg = NULL;
    t->narg = t->arg_alloc = 0;
    t->max_dot = 1;
    t->out = flint_malloc(sizeof(slong) * (nvars > 0 ? nvars : 1));
    for (slong i = 0; i < nvars; i++)
        t->out[i] = -1;
}

/* MUST FOLLOW pc_tape_init and the builders: nodes, outputs and the
 * constants with their limbs, each heap block with a 16-byte header. */
double pc_tape_memory(const pc_tape_t t)
{
    double b = (double) t->alloc * sizeof(pc_tape_node) + (double) t->nvars * sizeof(slong)
               + (double) t->const_alloc * sizeof(fmpq) + (double) t->arg_alloc * sizeof(slong)
               + 64;
    for (slong i = 0; i < t->nconst; i++)
        b += 2 * 32 + 8.0 * (fmpz_size(fmpq_numref(t->cval + i))
                             + fmpz_size(fmpq_denref(t->cval + i)));
    return b;
}

void pc_tape_clear(pc_tape_t t)
{
    flint_free(t->node);
    if (t->cval != NULL)
        _fmpq_vec_clear(t->cval, t->const_alloc);
    flint_free(t->out);
    flint_free(t->arg);
}

static slong tape_push(pc_tape_t t, pc_tape_op op, slong a, slong b)
{
    if (t->len == t->alloc) {
        t->alloc *= 2;
        t->node = flint_realloc(t->node, sizeof(pc_tape_node) * t->alloc);
    }
    t->node[t->len].op = op;
    t->node[t->len].a = a;
    t->node[t->len].b = b;
    return t->len++;
}

slong pc_tape_const_fmpq(pc_tape_t t, const fmpq_t c)
{
    if (t->nconst == t->const_alloc) {
        slong na = 2 * t->const_alloc + 8;
        fmpq *v = _fmpq_vec_init(na);
        for (slong i = 0; i < t->nconst; i++)
            fmpq_swap(v + i, t->cval + i);
        if (t->cval != NULL)
            _fmpq_vec_clear(t->cval, t->const_alloc);
        t->cval = v;
        t->const_alloc = na;
    }
    fmpq_set(t->cval + t->nconst, c);
    return tape_push(t, PC_TAPE_CONST, t->nconst++, -1);
}

slong pc_tape_const_si(pc_tape_t t, slong c)
{
    fmpq_t q;
    fmpq_init(q);
    fmpq_set_si(q, c, 1);
    slong r = pc_tape_const_fmpq(t, q);
    fmpq_clear(q);
    return r;
}

slong pc_tape_add(pc_tape_t t, slong a, slong b) { return tape_push(t, PC_TAPE_ADD, a, b); }
slong pc_tape_sub(pc_tape_t t, slong a, slong b) { return tape_push(t, PC_TAPE_SUB, a, b); }
slong pc_tape_mul(pc_tape_t t, slong a, slong b) { return tape_push(t, PC_TAPE_MUL, a, b); }
slong pc_tape_div(pc_tape_t t, slong a, slong b) { return tape_push(t, PC_TAPE_DIV, a, b); }
slong pc_tape_neg(pc_tape_t t, slong a) { return tape_push(t, PC_TAPE_NEG, a, -1); }
slong pc_tape_exp(pc_tape_t t, slong a) { return tape_push(t, PC_TAPE_EXP, a, -1); }

slong pc_tape_sum(pc_tape_t t, const slong *nodes, slong len)
{
    slong s = nodes[0];
    for (slong i = 1; i < len; i++)
        s = pc_tape_add(t, s, nodes[i]);
    return s;
}

slong pc_tape_dot(pc_tape_t t, const slong *a, const slong *b, slong len)
{
    if (len == 1)
        return pc_tape_mul(t, a[0], b[0]);
    if (t->narg + 2 * len > t->arg_alloc) {
        t->arg_alloc = 2 * (t->narg + 2 * len);
        t->arg = flint_realloc(t->arg, sizeof(slong) * t->arg_alloc);
    }
    slong off = t->narg;
    for (slong l = 0; l < len; l++) {
        t->arg[t->narg++] = a[l];
        t->arg[t->narg++] = b[l];
    }
    t->max_dot = FLINT_MAX(t->max_dot, len);
    return tape_push(t, PC_TAPE_DOT, off, len);
}

void pc_tape_set_output(pc_tape_t t, slong i, slong node)
{
    t->out[i] = node;
}

int pc_tape_check(const pc_tape_t t)
{
    for (slong i = 0; i < t->nvars; i++)
        if (t->out[i] < 0 || t->out[i] >= t->len)
            return PC_ERR_INPUT;
    return PC_OK;
}

void pc_tape_eval_arb(arb_ptr f, const pc_tape_t t, arb_srcptr x, slong prec)
{
    arb_ptr v = _arb_vec_init(t->len);
    for (slong k = 0; k < t->len; k++) {
        const pc_tape_node *nd = t->node + k;
        switch (nd->op) {
        case PC_TAPE_VAR: arb_set(v + k, x + nd->a); break;
        case PC_TAPE_CONST: arb_set_fmpq(v + k, t->cval + nd->a, prec); break;
        case PC_TAPE_ADD: arb_add(v + k, v + nd->a, v + nd->b, prec); break;
        case PC_TAPE_SUB: arb_sub(v + k, v + nd->a, v + nd->b, prec); break;
        case PC_TAPE_MUL: arb_mul(v + k, v + nd->a, v + nd->b, prec); break;
        case PC_TAPE_DIV: arb_div(v + k, v + nd->a, v + nd->b, prec); break;
        case PC_TAPE_NEG: arb_neg(v + k, v + nd->a); break;
        case PC_TAPE_EXP: arb_exp(v + k, v + nd->a, prec); break;
        case PC_TAPE_DOT:
            arb_zero(v + k);
            for (slong l = 0; l < nd->b; l++)
                arb_addmul(v + k, v + t->arg[nd->a + 2 * l], v + t->arg[nd->a + 2 * l + 1], prec);
            break;
        }
    }
    for (slong i = 0; i < t->nvars; i++)
        arb_set(f + i, v + t->out[i]);
    _arb_vec_clear(v, t->len);
}
