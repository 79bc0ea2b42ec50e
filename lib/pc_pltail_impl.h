/* Private to the pl-tail modules (pc_pltail.c: pl-tail/1 and
 * pl-tail-quadratic/1; pc_pltail_crossent.c: pl-tail-crossent/1): the small helpers
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
