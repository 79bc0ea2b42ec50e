/* Building the model and the initial state from a problem. */
#include <stdlib.h>
#include "pc_memory.h"
#include "pc_model.h"

slong pc_model_full_dim(slong d, slong n)
{
    return d * n + n;
}

static arb_ptr arb_vec_from_fmpq(const fmpq *v, slong len, slong prec)
{
    if (v == NULL)
        return NULL;
    arb_ptr r = _arb_vec_init(len);
    for (slong i = 0; i < len; i++)
        arb_set_fmpq(r + i, v + i, prec);
    return r;
}

static double *d_vec_from_fmpq(const fmpq *v, slong len)
{
    if (v == NULL)
        return NULL;
    double *r = malloc(sizeof(double) * (size_t) len);
    if (r != NULL)
        for (slong i = 0; i < len; i++)
            r[i] = fmpq_get_d(v + i);
    return r;
}

/* MUST FOLLOW pc_model_arb_init and the evaluations of pc_model_generic.h
 * (their temporaries are vectors of length n, d or m): the model, a state
 * and a field of the full dimension, four temporaries of each length. */
double pc_model_memory(const pc_problem_t p, slong prec)
{
    const double full = pc_model_full_dim(p->d, p->n);
    return (2 * full + (double) p->d * (p->m + 2) + p->m + 4.0 * (p->n + p->d + p->m) + 16)
           * pc_memory_ball_bytes(prec);
}

int pc_model_arb_init(pc_model_arb_t m, const pc_problem_t p, slong prec)
{
    m->loss = p->loss;
    m->d = p->d;
    m->n = p->n;
    m->m = p->m;
    m->beta = arb_vec_from_fmpq(p->beta, p->d, prec);
    m->q = arb_vec_from_fmpq(p->q, p->d, prec);
    m->X = arb_vec_from_fmpq(p->X, p->m * p->d, prec);
    m->b = arb_vec_from_fmpq(p->b, p->m, prec);
    arb_init(m->beta_norm2);
    if (m->beta != NULL)
        arb_dot(m->beta_norm2, NULL, 0, m->beta, 1, m->beta, 1, m->d, prec);
    arb_init(m->q_sum);
    if (p->q != NULL) {
        fmpq_t s;
        fmpq_init(s);
        for (slong i = 0; i < p->d; i++)
            fmpq_add(s, s, p->q + i);
        arb_set_fmpq(m->q_sum, s, prec);
        fmpq_clear(s);
    }
    return PC_OK;
}

void pc_model_arb_clear(pc_model_arb_t m)
{
    if (m->beta) _arb_vec_clear(m->beta, m->d);
    if (m->q) _arb_vec_clear(m->q, m->d);
    if (m->X) _arb_vec_clear(m->X, m->m * m->d);
    if (m->b) _arb_vec_clear(m->b, m->m);
    arb_clear(m->beta_norm2);
    arb_clear(m->q_sum);
}

int pc_model_d_init(pc_model_d_t m, const pc_problem_t p)
{
    m->loss = p->loss;
    m->d = p->d;
    m->n = p->n;
    m->m = p->m;
    m->beta = d_vec_from_fmpq(p->beta, p->d);
    m->q = d_vec_from_fmpq(p->q, p->d);
    m->X = d_vec_from_fmpq(p->X, p->m * p->d);
    m->b = d_vec_from_fmpq(p->b, p->m);
    m->beta_norm2[0] = 0.0;
    m->q_sum[0] = 0.0;
    if ((p->beta && !m->beta) || (p->q && !m->q) || (p->X && !m->X) || (p->b && !m->b)) {
        pc_model_d_clear(m);
        return PC_ERR_MEMORY;
    }
    for (slong i = 0; m->beta && i < m->d; i++)
        m->beta_norm2[0] += m->beta[i] * m->beta[i];
    for (slong i = 0; m->q && i < m->d; i++)
        m->q_sum[0] += m->q[i];
    return PC_OK;
}

void pc_model_d_clear(pc_model_d_t m)
{
    free(m->beta);
    free(m->q);
    free(m->X);
    free(m->b);
    m->beta = m->q = m->X = m->b = NULL;
}

void pc_state_arb_from_problem(arb_ptr x, const pc_problem_t p, slong prec)
{
    const slong dn = p->d * p->n;
    arb_t rb;
    mag_t r;
    fmpq_t q;
    arb_init(rb);
    mag_init(r);
    fmpq_init(q);
    for (slong k = 0; k < dn; k++)
        arb_set_fmpq(x + k, p->V + k, prec);
    for (slong j = 0; j < p->n; j++)
        arb_set_fmpq(x + dn + j, p->a + j, prec);
    for (slong k = 0; k < dn + p->n; k++) {
        pc_problem_entry_radius(q, p, k);
        if (fmpq_is_zero(q))
            continue;
        /* arb_get_mag bounds |radius| from above, so the box is never too small */
        arb_set_fmpq(rb, q, prec);
        arb_get_mag(r, rb);
        arb_add_error_mag(x + k, r);
    }
    arb_clear(rb);
    mag_clear(r);
    fmpq_clear(q);
}

void pc_state_d_from_problem(double *x, const pc_problem_t p)
{
    const slong dn = p->d * p->n;
    for (slong k = 0; k < dn; k++)
        x[k] = fmpq_get_d(p->V + k);
    for (slong j = 0; j < p->n; j++)
        x[dn + j] = fmpq_get_d(p->a + j);
}
