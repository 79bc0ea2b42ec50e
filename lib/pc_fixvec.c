/* Fixed-point interval vectors (see pc_fixvec.h). Why the linear
 * combination encloses: write each coefficient as c_t = γ_t 2^f_t + δ_t
 * with |γ_t| < 2^52 (truncation) and |δ_t| <= rad(c_t) + 2^f_t (only if
 * truncated), and each vector entry as V_tj = m_tj 2^e_t + ε_tj with
 * |ε_tj| <= rad_t. Then
 *   c_t V_tj = γ_t m_tj 2^(f_t+e_t) + c_t ε_tj + δ_t m_tj 2^e_t,
 * the last two at most |c_t| rad_t + |δ_t| amax_t 2^e_t. The products
 * γ_t m_tj (< 2^105) are summed exactly in 128-bit integers on the grid 2^S
 * of the largest scale S; a term on a finer grid is floored onto it (an
 * error below one step 2^S each), and the sum is floored to 52 bits (one
 * more step of the output grid). Every one of these bounds is added to the
 * radius with mag arithmetic, which rounds up. */
#include "pc_fixvec.h"

typedef __int128 fv_i128;
typedef unsigned __int128 fv_u128;

#define FV_BITS 52

void pc_fixvec_init(pc_fixvec_struct *v, int64_t *m, slong len)
{
    v->m = m;
    mag_init(v->rad);
    pc_fixvec_zero(v, len);
}

void pc_fixvec_clear(pc_fixvec_struct *v)
{
    mag_clear(v->rad);
}

void pc_fixvec_zero(pc_fixvec_struct *v, slong len)
{
    for (slong j = 0; j < len; j++)
        v->m[j] = 0;
    v->e = 0;
    v->amax = 0;
    mag_zero(v->rad);
}

void pc_fixvec_unit(pc_fixvec_struct *v, slong i, slong len)
{
    pc_fixvec_zero(v, len);
    if (i >= 0 && i < len) {
        v->m[i] = 1;
        v->amax = 1;
    }
}

void pc_fixvec_set_arb(pc_fixvec_struct *v, arb_srcptr x, slong len)
{
    slong E = WORD_MIN;
    mag_t r;
    fmpz_t z;
    mag_init(r);
    fmpz_init(z);
    for (slong j = 0; j < len; j++) {
        if (!arf_is_zero(arb_midref(x + j)))
            E = FLINT_MAX(E, arf_abs_bound_lt_2exp_si(arb_midref(x + j)));
        mag_max(r, r, arb_radref(x + j));
    }
    v->e = E == WORD_MIN ? 0 : E - FV_BITS;
    v->amax = 0;
    int inexact = 0;
    for (slong j = 0; j < len; j++) {
        inexact |= arf_get_fmpz_fixed_si(z, arb_midref(x + j), v->e);
        v->m[j] = fmpz_get_si(z);                           /* |m| < 2^52 */
        uint64_t a = (uint64_t) (v->m[j] < 0 ? -v->m[j] : v->m[j]);
        if (a > v->amax)
            v->amax = a;
    }
    if (inexact) {                                          /* truncation: < 1 step */
        mag_t t;
        mag_init(t);
        mag_set_ui_2exp_si(t, 1, v->e);
        mag_add(r, r, t);
        mag_clear(t);
    }
    mag_swap(v->rad, r);
    mag_clear(r);
    fmpz_clear(z);
}

void pc_fixvec_work_init(pc_fixvec_work_struct *w, slong len, slong nt)
{
    w->acc = flint_malloc(sizeof(fv_i128) * (len > 0 ? len : 1));
    w->gamma = flint_malloc(sizeof(int64_t) * (nt > 0 ? nt : 1));
    w->scale = flint_malloc(sizeof(slong) * (nt > 0 ? nt : 1));
    w->len = len;
    w->nt = nt;
}

void pc_fixvec_work_clear(pc_fixvec_work_struct *w)
{
    flint_free(w->acc);
    flint_free(w->gamma);
    flint_free(w->scale);
}

static int vec_is_zero(const pc_fixvec_struct *v)
{
    return v->amax == 0 && mag_is_zero(v->rad);
}

/* c = γ 2^f + δ: sets *gamma, *f and the bound d >= |δ|; returns 0 if the
 * midpoint is zero (γ = 0) or not usable (then d bounds |c| itself). */
static int coef_split(int64_t *gamma, slong *f, mag_t d, const arb_t c, fmpz_t z)
{
    mag_set(d, arb_radref(c));
    if (arf_is_zero(arb_midref(c)) || !arf_is_finite(arb_midref(c))) {
        if (!arf_is_finite(arb_midref(c)))
            mag_inf(d);
        return 0;
    }
    slong ec = arf_abs_bound_lt_2exp_si(arb_midref(c));      /* |mid| < 2^ec */
    if (ec <= -(WORD(1) << 40) || ec >= (WORD(1) << 40)) {
        mag_t t;
        mag_init(t);
        arf_get_mag(t, arb_midref(c));
        mag_add(d, d, t);
        mag_clear(t);
        return 0;
    }
    *f = ec - FV_BITS;
    if (arf_get_fmpz_fixed_si(z, arb_midref(c), *f)) {      /* truncated: < 1 step */
        mag_t t;
        mag_init(t);
        mag_set_ui_2exp_si(t, 1, *f);
        mag_add(d, d, t);
        mag_clear(t);
    }
    *gamma = fmpz_get_si(z);
    return *gamma != 0;
}

static int bitlen_u128(fv_u128 x)
{
    ulong hi = (ulong) (x >> 64), lo = (ulong) x;
    return hi ? 64 + FLINT_BIT_COUNT(hi) : FLINT_BIT_COUNT(lo);
}

void pc_fixvec_lincomb(pc_fixvec_struct *out, const arb_struct *const *c,
                       const pc_fixvec_struct *const *V, slong nt, slong len,
                       pc_fixvec_work_struct *w)
{
    fv_i128 *acc = w->acc;
    mag_t R, d, t;
    fmpz_t z;
    slong S = WORD_MIN, nact = 0, nshift = 0;
    mag_init(R);
    mag_init(d);
    mag_init(t);
    fmpz_init(z);
    for (slong k = 0; k < nt; k++) {
        w->gamma[k] = 0;
        if (vec_is_zero(V[k]) || arb_is_zero(c[k]))
            continue;                                       /* contributes exactly 0 */
        slong f = 0;
        int active = coef_split(w->gamma + k, &f, d, c[k], z);
        arb_get_mag(t, c[k]);                               /* |c| rad */
        mag_addmul(R, t, V[k]->rad);
        mag_set_ui(t, V[k]->amax);                          /* |δ| amax 2^e */
        mag_mul_2exp_si(t, t, V[k]->e);
        mag_addmul(R, d, t);
        if (active) {
            w->scale[k] = f + V[k]->e;
            S = FLINT_MAX(S, w->scale[k]);
            nact++;
        }
    }
    for (slong j = 0; j < len; j++)
        acc[j] = 0;
    for (slong k = 0; k < nt && nact > 0; k++) {
        if (w->gamma[k] == 0)
            continue;
        const fv_i128 g = w->gamma[k];
        const int64_t *m = V[k]->m;
        slong sh = S - w->scale[k];
        if (sh == 0) {
            for (slong j = 0; j < len; j++)
                acc[j] += g * m[j];
        } else {
            nshift++;                       /* floored: below one step 2^S */
            if (sh < 120)                   /* else |term| < 2^(105 − sh) < 1 step */
                for (slong j = 0; j < len; j++)
                    acc[j] += (g * m[j]) >> sh;
        }
    }
    if (nshift > 0) {
        mag_set_ui_2exp_si(t, (ulong) nshift, S);
        mag_add(R, R, t);
    }
    fv_u128 amax = 0;
    for (slong j = 0; j < len; j++) {
        fv_u128 a = acc[j] < 0 ? -(fv_u128) acc[j] : (fv_u128) acc[j];
        if (a > amax)
            amax = a;
    }
    slong sh = 0;
    if (nact > 0) {
        int bits = bitlen_u128(amax);
        sh = bits > FV_BITS ? bits - FV_BITS : 0;
    }
    out->e = nact > 0 ? S + sh : 0;
    out->amax = 0;
    for (slong j = 0; j < len; j++) {
        int64_t m = (int64_t) (acc[j] >> sh);               /* floor: |m| < 2^52 */
        uint64_t a = (uint64_t) (m < 0 ? -m : m);
        out->m[j] = m;
        if (a > out->amax)
            out->amax = a;
    }
    if (sh > 0) {                                           /* the final flooring */
        mag_set_ui_2exp_si(t, 1, out->e);
        mag_add(R, R, t);
    }
    mag_swap(out->rad, R);
    mag_clear(R);
    mag_clear(d);
    mag_clear(t);
    fmpz_clear(z);
}

void pc_fixvec_get_arb(arb_t res, const pc_fixvec_struct *v, slong j)
{
    arb_set_si(res, v->m[j]);
    arb_mul_2exp_si(res, res, v->e);
    arb_add_error_mag(res, v->rad);
}
