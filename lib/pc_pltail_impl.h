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

#endif
