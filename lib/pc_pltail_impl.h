/* Private to the pl-tail modules (pc_pltail.c: pl-tail/1 and
 * pl-tail-quadratic/1; pc_pltail_crossent.c: pl-tail-crossent/1;
 * pc_pltail_weighted.c: pl-tail-weighted/1): the small helpers
 * every lemma's check uses to choose its status and its hints. Float appears
 * only in the hints (checked afterwards) and in the choice of a status. */
#ifndef PC_PLTAIL_IMPL_H
#define PC_PLTAIL_IMPL_H

#include "pc_pltail.h"

/* Why the component x of a vector (whose other part has the norm nrm) is not
 * proven nonzero: ORTHO where it is tiny against nrm with a tight enclosure
 * (the vector is orthogonal to the slow direction), else CONE (the box Y is
 * still too wide: integrate further). */
static inline pc_pltail_status pl_zero_status(const arb_t x, const arb_t nrm)
{
    double r = mag_get_d(arb_radref(x)), m = arf_get_d(arb_midref(nrm), ARF_RND_NEAR);
    return r < 1e-6 * m ? PC_PLTAIL_ORTHO : PC_PLTAIL_CONE;
}

/* The enclosure of the slow component at T is too wide to place it in a cone
 * (relative radius above 2^-10): more integration will not help, more
 * precision will. */
static inline int pl_too_wide(const arb_t alpha)
{
    return arb_contains_zero(alpha) || arb_rel_accuracy_bits(alpha) < 10;
}

/* arb of a 30-bit dyadic from a double (hints only). */
static inline void hint_from_d(arf_t x, double v)
{
    arf_set_d(x, v);
    arf_set_round(x, x, 30, ARF_RND_NEAR);
}

/* s = σ(a), y = V s, r = β − y, and VC with (VC)_ij = s_j (V_ij − y_i). */
static inline void pl_parts(arb_ptr s, arb_ptr r, arb_mat_t VC, const pc_enclose_t E, arb_srcptr x,
                     slong prec)
{
    const slong d = E->p->d, n = E->p->n;
    arb_ptr y = _arb_vec_init(d);
    pc_softmax_arb(s, x + d * n, n, prec);
    for (slong i = 0; i < d; i++) {
        arb_dot(y + i, NULL, 0, x + i * n, 1, s, 1, n, prec);
        arb_sub(r + i, E->model->beta + i, y + i, prec);
        for (slong j = 0; j < n; j++) {
            arb_sub(arb_mat_entry(VC, i, j), x + i * n + j, y + i, prec);
            arb_mul(arb_mat_entry(VC, i, j), arb_mat_entry(VC, i, j), s + j, prec);
        }
    }
    _arb_vec_clear(y, d);
}

/* A = ‖s‖² I + (VC)ᵀ(VC) (n × n), enclosing A at every point of the box x. */
static inline void pl_matrix(arb_mat_t A, arb_t s2, const pc_enclose_t E, arb_srcptr x, slong prec)
{
    const slong d = E->p->d, n = E->p->n;
    arb_ptr s = _arb_vec_init(n), r = _arb_vec_init(d);
    arb_mat_t VC, VCt;
    arb_mat_init(VC, d, n);
    arb_mat_init(VCt, n, d);
    pl_parts(s, r, VC, E, x, prec);
    arb_mat_transpose(VCt, VC);
    arb_mat_mul(A, VCt, VC, prec);
    arb_dot(s2, NULL, 0, s, 1, s, 1, n, prec);
    for (slong j = 0; j < n; j++)
        arb_add(arb_mat_entry(A, j, j), arb_mat_entry(A, j, j), s2, prec);
    arb_mat_clear(VC);
    arb_mat_clear(VCt);
    _arb_vec_clear(s, n);
    _arb_vec_clear(r, d);
}

/* alpha = êᵀv and the norm of w = v − alpha ê. */
static inline void pl_split(arb_t alpha, arb_t nw, arb_srcptr v, arb_srcptr eh, slong n, slong prec)
{
    arb_ptr w = _arb_vec_init(n);
    arb_dot(alpha, NULL, 0, eh, 1, v, 1, n, prec);
    for (slong j = 0; j < n; j++)
        arb_submul(w + j, eh + j, alpha, prec), arb_add(w + j, w + j, v + j, prec);
    arb_dot(nw, NULL, 0, w, 1, w, 1, n, prec);
    arb_sqrtpos(nw, nw, prec);
    _arb_vec_clear(w, n);
}

/* The prologue of every pl-tail check: L says "not applicable" (status NA,
 * sign 0) until the check decides, and the lemma is for the run only with its
 * loss on the full system, n >= 2 and d >= dmin. */
static inline int pl_applies(pc_pltail_t L, const pc_enclose_t E, pc_loss_kind loss,
                              slong dmin)
{
    L->status = PC_PLTAIL_NA;
    L->sign = 0;
    return E->p->loss == loss && E->kind == PC_SYSTEM_FULL && E->p->n >= 2 && E->p->d >= dmin;
}

/* Y = x + [−rad, rad] + [−2^-prec, 2^-prec] in every component (dim of them):
 * contains every point within rad (max norm) of every point of the box x. */
static inline void pl_box(pc_pltail_t L, arb_srcptr x, const arf_t rad, slong prec)
{
    for (slong i = 0; i < L->dim; i++) {
        arb_set(L->Y + i, x + i);
        arb_add_error_arf(L->Y + i, rad);
        arb_add_error_2exp_si(L->Y + i, -prec);
    }
}

/* Hlim, the enclosure of H over Y, widened (radius × 3 + 2^-prec/2): a checker's
 * own evaluation over Y (another formula, other dependencies) must fit inside
 * the claims made from it. */
static inline void pl_hlim_widen(pc_pltail_t L, slong prec)
{
    mag_mul_ui(arb_radref(L->Hlim), arb_radref(L->Hlim), 3);
    arb_add_error_2exp_si(L->Hlim, -prec / 2);
}

#endif
