#include <stdlib.h>
#include "pc_memory.h"
#include "pc_tape_tan.h"

/* Node indices in T2: val[v] holds the value of T's node v, tan[v] its
 * tangent, or ZERO when the tangent is identically 0 (constants and what
 * only depends on them), which keeps the new tape short. */
#define ZERO (-1)

static slong tan_add(pc_tape_t T2, slong da, slong db)
{
    return da == ZERO ? db : db == ZERO ? da : pc_tape_add(T2, da, db);
}

static slong tan_sub(pc_tape_t T2, slong da, slong db)
{
    return db == ZERO ? da : da == ZERO ? pc_tape_neg(T2, db) : pc_tape_sub(T2, da, db);
}

/* d(a·b) = a db + da b */
static slong tan_mul(pc_tape_t T2, slong a, slong da, slong b, slong db)
{
    slong l = db == ZERO ? ZERO : pc_tape_mul(T2, a, db);
    slong r = da == ZERO ? ZERO : pc_tape_mul(T2, da, b);
    return tan_add(T2, l, r);
}

/* d(a/b) = (da − q db)/b with q = a/b */
static slong tan_div(pc_tape_t T2, slong q, slong da, slong b, slong db)
{
    slong num = tan_sub(T2, da, db == ZERO ? ZERO : pc_tape_mul(T2, q, db));
    return num == ZERO ? ZERO : pc_tape_div(T2, num, b);
}

/* v = Σ_l x_p x_q (a DOT node): its value, and the tangent
 * Σ_l (x_p dx_q + dx_p x_q) as one dot product over the nonzero terms. */
static void tan_dot(pc_tape_t T2, const pc_tape_t T, slong *val, slong *tan, slong v)
{
    const pc_tape_node *nd = T->node + v;
    const slong m = nd->b;
    slong *a = flint_malloc(sizeof(slong) * 2 * m), *b = flint_malloc(sizeof(slong) * 2 * m), len = 0;
    for (slong l = 0; l < m; l++) {
        a[l] = val[T->arg[nd->a + 2 * l]];
        b[l] = val[T->arg[nd->a + 2 * l + 1]];
    }
    val[v] = pc_tape_dot(T2, a, b, m);
    for (slong l = 0; l < m; l++) {
        const slong p = T->arg[nd->a + 2 * l], q = T->arg[nd->a + 2 * l + 1];
        if (tan[q] != ZERO) {
            a[len] = val[p];
            b[len++] = tan[q];
        }
        if (tan[p] != ZERO) {
            a[len] = tan[p];
            b[len++] = val[q];
        }
    }
    tan[v] = len == 0 ? ZERO : pc_tape_dot(T2, a, b, len);
    flint_free(a);
    flint_free(b);
}

int pc_tape_tangent(pc_tape_t T2, const pc_tape_t T)
{
    const slong n = T->nvars;
    if (!pc_memory_available(2.0 * T->len * sizeof(slong)))
        return PC_ERR_MEMORY;
    slong *val = flint_malloc(sizeof(slong) * T->len), *tan = flint_malloc(sizeof(slong) * T->len);
    pc_tape_init(T2, 2 * n);
    for (slong v = 0; v < T->len; v++) {
        const pc_tape_node *nd = T->node + v;
        const slong a = nd->a, b = nd->b;
        switch (nd->op) {
        case PC_TAPE_VAR:
            val[v] = v;
            tan[v] = n + v;
            break;
        case PC_TAPE_CONST:
            val[v] = pc_tape_const_fmpq(T2, T->cval + a);
            tan[v] = ZERO;
            break;
        case PC_TAPE_ADD:
            val[v] = pc_tape_add(T2, val[a], val[b]);
            tan[v] = tan_add(T2, tan[a], tan[b]);
            break;
        case PC_TAPE_SUB:
            val[v] = pc_tape_sub(T2, val[a], val[b]);
            tan[v] = tan_sub(T2, tan[a], tan[b]);
            break;
        case PC_TAPE_NEG:
            val[v] = pc_tape_neg(T2, val[a]);
            tan[v] = tan[a] == ZERO ? ZERO : pc_tape_neg(T2, tan[a]);
            break;
        case PC_TAPE_MUL:
            val[v] = pc_tape_mul(T2, val[a], val[b]);
            tan[v] = tan_mul(T2, val[a], tan[a], val[b], tan[b]);
            break;
        case PC_TAPE_DIV:
            val[v] = pc_tape_div(T2, val[a], val[b]);
            tan[v] = tan_div(T2, val[v], tan[a], val[b], tan[b]);
            break;
        case PC_TAPE_DOT:
            tan_dot(T2, T, val, tan, v);
            break;
        case PC_TAPE_EXP:
            val[v] = pc_tape_exp(T2, val[a]);
            tan[v] = tan[a] == ZERO ? ZERO : pc_tape_mul(T2, val[v], tan[a]);
            break;
        }
    }
    slong zero = ZERO;
    for (slong i = 0; i < n; i++) {
        const slong o = T->out[i];
        pc_tape_set_output(T2, i, val[o]);
        if (tan[o] == ZERO && zero == ZERO)
            zero = pc_tape_const_si(T2, 0);
        pc_tape_set_output(T2, n + i, tan[o] == ZERO ? zero : tan[o]);
    }
    flint_free(val);
    flint_free(tan);
    return PC_OK;
}
