#include <math.h>
#include <stdlib.h>
#include "pc_fixmat.h"
#include "pc_lohner.h"
#include "pc_memory.h"

/* FLINT's arb_mat_mul of two n x n matrices above its cutoff (n > 40 to
 * 120) multiplies blocks as integer matrices: an allowance of six n x n
 * temporaries of up to 48 bytes per entry. */
#define MATMUL_TEMP_BYTES (6 * 48.0)

/* MUST FOLLOW pc_lohner_init and pc_lohner_map: the set (c, r; B at jprec)
 * and the peak of a map: d, rn, the four matrices AB, Q, Qinv, M, the two
 * of pc_lohner_orth_inverse, a product's temporaries, and the doubles of
 * householder_q and pivoted_mid. */
double pc_lohner_memory(slong dim, slong prec, slong jprec)
{
    const double n = (double) dim, nn = n * n;
    return 4 * n * pc_memory_ball_bytes(prec)
           + 7 * nn * pc_memory_ball_bytes(jprec)
           + nn * (MATMUL_TEMP_BYTES > 48 ? MATMUL_TEMP_BYTES : 48)    /* pc_fixmat's copies */
           + (3 * nn + 3 * n) * sizeof(double);                           /* Householder */
}

int pc_lohner_init(pc_lohner_t L, slong dim)
{
    /* B is dim^2 balls: allocated by FLINT, which aborts on failure, so
     * the memory is tried first */
    if (!pc_memory_available((double) dim * dim * sizeof(arb_struct)))
        return PC_ERR_MEMORY;
    L->dim = dim;
    L->c = _arb_vec_init(dim);
    L->r = _arb_vec_init(dim);
    arb_mat_init(L->B, dim, dim);
    arb_mat_one(L->B);
    return PC_OK;
}

void pc_lohner_clear(pc_lohner_t L)
{
    _arb_vec_clear(L->c, L->dim);
    _arb_vec_clear(L->r, L->dim);
    arb_mat_clear(L->B);
}

void pc_lohner_set_box(pc_lohner_t L, arb_srcptr x)
{
    for (slong i = 0; i < L->dim; i++) {
        arb_get_mid_arb(L->c + i, x + i);
        arb_zero(L->r + i);
        mag_set(arb_radref(L->r + i), arb_radref(x + i));
    }
    arb_mat_one(L->B);
}

void pc_lohner_hull(arb_ptr x, const pc_lohner_t L, slong prec)
{
    for (slong i = 0; i < L->dim; i++)
        arb_dot(x + i, L->c + i, 0, arb_mat_entry(L->B, i, 0), 1, L->r, 1, L->dim, prec);
}

/* Householder QR of the midpoint matrix M (columns already permuted); Q is
 * returned as an exact point matrix. Q is only a choice of coordinates: any
 * invertible Q gives a valid enclosure, because Q^{-1} is enclosed
 * rigorously from the exact Q afterwards (pc_lohner_orth_inverse). So this
 * heuristic, like the step-size proposal, may run in floating point: it
 * decides widths, never validity. */
static void householder_q(arb_mat_t Qm, const arb_mat_t M)
{
    const slong n = arb_mat_nrows(M);
    double *R = malloc(sizeof(double) * n * n), *Q = malloc(sizeof(double) * n * n);
    double *v = malloc(sizeof(double) * n * (n > 1 ? n - 1 : 1)), *beta = calloc(n, sizeof(double));
    double *s = malloc(sizeof(double) * n);
    if (R == NULL || Q == NULL || v == NULL || beta == NULL || s == NULL) {  /* Q = I is valid too (wider) */
        free(R);
        free(Q);
        free(v);
        free(beta);
        free(s);
        arb_mat_one(Qm);
        return;
    }
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            R[i * n + j] = arf_get_d(arb_midref(arb_mat_entry(M, i, j)), ARF_RND_NEAR);
            Q[i * n + j] = i == j;
        }
    /* R ← H_k R on the trailing block only (columns < k are already zero
     * below the diagonal); the reflectors v_k (rows k.., stored in v) are
     * kept and applied to I backwards, Q = H_0 (H_1 (... H_{n−2})), each
     * touching only the trailing block: a third of the work of forming
     * Q H_k in full. The loops run along rows (contiguous). */
    for (slong k = 0; k < n - 1; k++) {
        double norm = 0, vv = 0, *vk = v + k * n;
        for (slong i = k; i < n; i++)
            norm += R[i * n + k] * R[i * n + k];
        norm = sqrt(norm);
        if (!(norm > 0) || !isfinite(norm))
            continue;
        for (slong i = k; i < n; i++)
            vk[i] = R[i * n + k];
        vk[k] += R[k * n + k] < 0 ? -norm : norm;      /* v = x + sign(x_k)‖x‖ e_k */
        for (slong i = k; i < n; i++)
            vv += vk[i] * vk[i];
        if (!(vv > 0) || !isfinite(vv))
            continue;
        beta[k] = 2 / vv;
        for (slong j = k; j < n; j++)
            s[j] = 0;
        for (slong i = k; i < n; i++)                   /* s = vᵀ R */
            for (slong j = k; j < n; j++)
                s[j] += vk[i] * R[i * n + j];
        for (slong i = k; i < n; i++)                   /* R −= β v sᵀ */
            for (slong j = k; j < n; j++)
                R[i * n + j] -= beta[k] * vk[i] * s[j];
    }
    for (slong k = n - 2; k >= 0; k--) {                /* Q ← H_k Q, trailing block */
        double *vk = v + k * n;
        if (beta[k] == 0)
            continue;
        for (slong j = k; j < n; j++)
            s[j] = 0;
        for (slong i = k; i < n; i++)
            for (slong j = k; j < n; j++)
                s[j] += vk[i] * Q[i * n + j];
        for (slong i = k; i < n; i++)
            for (slong j = k; j < n; j++)
                Q[i * n + j] -= beta[k] * vk[i] * s[j];
    }
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++)
            arb_set_d(arb_mat_entry(Qm, i, j), isfinite(Q[i * n + j]) ? Q[i * n + j] : (i == j));
    free(R);
    free(Q);
    free(v);
    free(beta);
    free(s);
}

int pc_lohner_orth_inverse(arb_mat_t Qinv, const arb_mat_t Q, slong prec)
{
    const slong n = arb_mat_nrows(Q);
    arb_mat_t Qt, E;
    mag_t norm, m;
    arb_mat_init(Qt, n, n);
    arb_mat_init(E, n, n);
    mag_init(norm);
    mag_init(m);
    arb_mat_transpose(Qt, Q);
    pc_fixmat_gram(E, Q, prec);
    arb_mat_one(Qinv);
    arb_mat_sub(E, Qinv, E, prec);                  /* E = I − QᵀQ */
    arb_mat_bound_inf_norm(norm, E);
    int ok = mag_cmp_2exp_si(norm, -1) < 0;
    if (ok) {
        /* ‖E‖ < 1/2, so ‖E‖/(1 − ‖E‖) <= 2‖E‖; every entry of
         * ((I − E)^{-1} − I) Qᵀ is at most 2‖E‖ ‖Qᵀ‖ in absolute value. */
        arb_mat_bound_inf_norm(m, Qt);
        mag_mul(m, m, norm);
        mag_mul_2exp_si(m, m, 1);
        arb_mat_set(Qinv, Qt);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++)
                arb_add_error_mag(arb_mat_entry(Qinv, i, j), m);
    }
    arb_mat_clear(Qt);
    arb_mat_clear(E);
    mag_clear(norm);
    mag_clear(m);
    return ok;
}

typedef struct {
    double key;
    slong col;
} col_key;

static int col_key_cmp(const void *x, const void *y)
{
    double a = ((const col_key *) x)->key, b = ((const col_key *) y)->key;
    return (a < b) - (a > b);
}

/* Lohner's pivoting: the columns of mid(AB) in order of decreasing
 * ‖column‖ · width(r_col), so that Q's first axes follow the set's longest
 * directions. The order is a heuristic (a double is fine here: any order
 * gives a valid enclosure). */
static void pivoted_mid(arb_mat_t P, const arb_mat_t AB, arb_srcptr r, slong prec)
{
    const slong n = arb_mat_nrows(AB);
    col_key *key = malloc(sizeof(col_key) * n);
    arb_t s;
    if (key == NULL) {                              /* no pivoting: also valid */
        for (slong j = 0; j < n; j++)
            for (slong i = 0; i < n; i++)
                arb_get_mid_arb(arb_mat_entry(P, i, j), arb_mat_entry(AB, i, j));
        return;
    }
    arb_init(s);
    for (slong j = 0; j < n; j++) {
        arb_zero(s);
        for (slong i = 0; i < n; i++)
            arb_addmul(s, arb_mat_entry(AB, i, j), arb_mat_entry(AB, i, j), prec);
        key[j].key = arf_get_d(arb_midref(s), ARF_RND_NEAR) * mag_get_d(arb_radref(r + j));
        key[j].col = j;
    }
    qsort(key, n, sizeof(col_key), col_key_cmp);
    for (slong j = 0; j < n; j++)
        for (slong i = 0; i < n; i++)
            arb_get_mid_arb(arb_mat_entry(P, i, j), arb_mat_entry(AB, i, key[j].col));
    arb_clear(s);
    free(key);
}

void pc_lohner_map(pc_lohner_t L, arb_srcptr y, const arb_mat_t A, int qr, slong prec)
{
    arb_mat_t AB;
    arb_mat_init(AB, L->dim, L->dim);
    pc_fixmat_mul(AB, A, L->B, prec);
    pc_lohner_map_ab(L, y, AB, qr, prec);
    arb_mat_clear(AB);
}

void pc_lohner_map_ab(pc_lohner_t L, arb_srcptr y, const arb_mat_t AB, int qr, slong prec)
{
    const slong n = L->dim;
    arb_mat_t Q, Qinv, M;
    arb_ptr d = _arb_vec_init(n), rn = _arb_vec_init(n);
    arb_mat_init(Q, n, n);
    arb_mat_init(Qinv, n, n);
    arb_mat_init(M, n, n);
    if (qr) {
        pivoted_mid(M, AB, L->r, prec);
        householder_q(Q, M);
    }
    const int ident = !qr || !pc_lohner_orth_inverse(Qinv, Q, prec);
    if (ident) {
        arb_mat_one(Q);
        arb_mat_one(Qinv);
    }
    for (slong i = 0; i < n; i++) {                 /* c' = mid(y), d = y − c' */
        arb_get_mid_arb(L->c + i, y + i);
        arb_sub(d + i, y + i, L->c + i, prec);
    }
    if (ident)                                      /* B' = I: no cubic product */
        arb_mat_set(M, AB);
    else
        pc_fixmat_mul(M, Qinv, AB, prec);           /* R' = (Q^{-1} A B) R + Q^{-1} d */
    for (slong i = 0; i < n; i++) {
        arb_dot(rn + i, NULL, 0, arb_mat_entry(M, i, 0), 1, L->r, 1, n, prec);
        if (ident)
            arb_add(rn + i, rn + i, d + i, prec);
        else
            arb_dot(rn + i, rn + i, 0, arb_mat_entry(Qinv, i, 0), 1, d, 1, n, prec);
    }
    _arb_vec_swap(L->r, rn, n);
    arb_mat_swap(L->B, Q);
    _arb_vec_clear(d, n);
    _arb_vec_clear(rn, n);
    arb_mat_clear(Q);
    arb_mat_clear(Qinv);
    arb_mat_clear(M);
}
