#include <math.h>
#include <stdlib.h>
#include "pc_flow_c2.h"
#include "pc_jac.h"
#include "pc_memory.h"

void pc_flow_c2_init(pc_flow_c2_struct *c, slong K, slong prec)
{
    c->src = NULL;
    c->K = K;
    c->prec = prec;
}

void pc_flow_c2_clear(pc_flow_c2_struct *c)
{
    if (c->src != NULL) {
        pc_taylor_clear(c->w);
        pc_tape_clear(c->tan);
    }
    c->src = NULL;
}

/* The tangent tape has at most 4 nodes per node of the tape (a value and
 * up to three for its tangent), n more variables and one constant. */
static slong tan_len(const pc_tape_struct *tape)
{
    return 4 * tape->len + tape->nvars + 1;
}

/* MUST FOLLOW pc_flow_c2_set_tape and pc_flow_c2_apply: the tangent tape
 * (nodes, constants), its Taylor workspace, pc_jac_poly's bytes, and the
 * matrices Bw, Ac (n × m), S, H (2n × m) and vectors of apply. */
double pc_flow_c2_memory(const pc_tape_struct *tape, slong K, slong prec, slong jprec)
{
    const slong len = tan_len(tape), n = tape->nvars, m = PC_FLOW_C2_MAXDIR;
    const double ball = pc_memory_ball_bytes(prec);
    double b = 4 * pc_tape_memory(tape) + (double) len * 4 * sizeof(slong);
    b += ((double) len * (K + 1) + tape->nconst + 2 + 1) * ball;
    b += 5.0 * pc_jac_bytes(tape, 2 * n, K, 0);       /* (its bytes scale with the length) */
    b += (2.0 * n * m + 4.0 * n * m) * pc_memory_ball_bytes(jprec) + (4.0 * n + m * m) * ball;
    return b;
}

static int set_tape(pc_flow_c2_struct *c, const pc_tape_struct *tape)
{
    if (c->src == tape)
        return PC_OK;
    pc_flow_c2_clear(c);
    if (pc_tape_tangent(c->tan, tape) != PC_OK)
        return PC_ERR_MEMORY;
    if (pc_taylor_init(c->w, c->tan, c->K, 0, c->prec) != PC_OK) {
        pc_tape_clear(c->tan);
        return PC_ERR_MEMORY;
    }
    c->src = tape;
    return PC_OK;
}

typedef struct {
    double r;
    slong j;
} dir_key;

static int dir_key_cmp(const void *x, const void *y)
{
    double a = ((const dir_key *) x)->r, b = ((const dir_key *) y)->r;
    return (a < b) - (a > b);
}

/* W: the directions with the widest R, down to 1/64 of the widest, at most
 * PC_FLOW_C2_MAXDIR. A heuristic (doubles): any W gives an enclosure. */
static slong choose_dirs(slong *W, arb_srcptr r, slong n)
{
    dir_key *key = malloc(sizeof(dir_key) * n);
    if (key == NULL)
        return 0;
    for (slong j = 0; j < n; j++) {
        key[j].r = mag_get_d(arb_radref(r + j)) + fabs(arf_get_d(arb_midref(r + j), ARF_RND_NEAR));
        key[j].j = j;
    }
    qsort(key, n, sizeof(dir_key), dir_key_cmp);
    slong m = 0;
    while (m < n && m < PC_FLOW_C2_MAXDIR && key[m].r > 0 && key[m].r >= key[0].r / 64)
        m++;
    for (slong p = 0; p < m; p++)
        W[p] = key[p].j;
    free(key);
    return m;
}

int pc_flow_c2_apply(pc_flow_c2_struct *c, arb_ptr y, arb_mat_t AB, const pc_lohner_t L,
                     arb_srcptr X, const pc_taylor_t wc, const pc_tape_struct *tape, slong J,
                     const arb_t h, slong prec, slong jprec)
{
    const slong n = L->dim;
    slong W[PC_FLOW_C2_MAXDIR];
    const slong m = choose_dirs(W, L->r, n);
    if (m == 0)
        return PC_OK;
    if (set_tape(c, tape) != PC_OK)
        return PC_ERR_MEMORY;
    arb_mat_t Bw, Ac, S, H;
    arb_mat_init(Bw, n, m);
    arb_mat_init(Ac, n, m);
    arb_mat_init(S, 2 * n, m);
    arb_mat_init(H, 2 * n, m);
    arb_ptr x2 = _arb_vec_init(2 * n), q = _arb_vec_init(m), sec = _arb_vec_init(n);
    for (slong i = 0; i < n; i++)
        for (slong p = 0; p < m; p++) {
            arb_set(arb_mat_entry(Bw, i, p), arb_mat_entry(L->B, i, W[p]));
            arb_set(arb_mat_entry(S, i, p), arb_mat_entry(L->B, i, W[p]));
        }
    /* DT(c) B_W: the point Jacobian (wc: coefficients at c) */
    pc_jac_poly(Ac, wc, J, h, Bw, 0, jprec);
    /* sec = Σ_{j,l∈W} ρ_j ρ_l D²T(X)[b_j, b_l], one l = W[p] (column of B)
     * at a time, by symmetry over j = W[p..m-1] only: the pair (j, l),
     * j ≠ l, counts twice (D²T[b_j, b_l] = D²T[b_l, b_j] for every ξ, and
     * both are enclosed by the one computed) */
    _arb_vec_set(x2, X, n);
    for (slong p = 0; p < m; p++) {
        const slong mp = m - p;
        arb_mat_t Sp, Hp;
        arb_mat_window_init(Sp, S, 0, p, 2 * n, m);
        arb_mat_window_init(Hp, H, 0, p, 2 * n, m);
        for (slong i = 0; i < n; i++)
            arb_set(x2 + n + i, arb_mat_entry(L->B, i, W[p]));
        pc_taylor_compute(c->w, x2, J);
        pc_jac_poly(Hp, c->w, J, h, Sp, 0, jprec);
        for (slong p2 = p; p2 < m; p2++) {
            arb_mul(q + p2, L->r + W[p2], L->r + W[p], prec);     /* ρ_j ρ_l */
            if (p2 > p)
                arb_mul_2exp_si(q + p2, q + p2, 1);
        }
        for (slong i = 0; i < n; i++)
            arb_dot(sec + i, sec + i, 0, arb_mat_entry(H, n + i, p), 1, q + p, 1, mp, prec);
        arb_mat_window_clear(Sp);
        arb_mat_window_clear(Hp);
    }
    for (slong i = 0; i < n; i++) {
        arb_mul_2exp_si(sec + i, sec + i, -1);
        arb_add(y + i, y + i, sec + i, prec);
        for (slong p = 0; p < m; p++)
            arb_swap(arb_mat_entry(AB, i, W[p]), arb_mat_entry(Ac, i, p));
    }
    _arb_vec_clear(x2, 2 * n);
    _arb_vec_clear(q, m);
    _arb_vec_clear(sec, n);
    arb_mat_clear(Bw);
    arb_mat_clear(Ac);
    arb_mat_clear(S);
    arb_mat_clear(H);
    return PC_OK;
}
