/* Ball matrix products in exact fixed-point arithmetic (see pc_fixmat.h for
 * the guarantee). Why it is an enclosure: with u_i = 2^(E_i − 52) the grid of
 * row i of A and v_j = 2^(F_j − 52) that of column j of B, every A'_il in
 * its ball satisfies |A'_il − a_il u_i| <= ra_il u_i (ra_il is the radius
 * rounded up, plus one grid step if the midpoint was truncated), and
 * likewise |B'_lj − b_lj v_j| <= rb_lj v_j. Then
 *   |(A'B')_ij − u_i v_j Σ_l a_il b_lj|
 *       <= u_i v_j Σ_l (|a_il| rb_lj + ra_il |b_lj| + ra_il rb_lj).
 * The midpoint sum is exact in 128-bit integers (|a|, |b| <= 2^52, at most
 * 2^18 terms). For the radius, each vector's |a| and ra are rounded UP to
 * 20-bit integers on scales of their own (|a_il| <= aq_il 2^sa_i, ra_il <=
 * rq_il 2^sr_i, both <= 2^20): the three sums are then exact in 64 bits
 * and bound the radius entry by entry, loose only by 2^-20 of the largest
 * magnitude or radius of the row (column). (A bound from row maxima alone
 * is cheaper but far too loose for wide sets, whose radii vary a lot.) */
#include <stdint.h>
#include "pc_fixmat.h"

typedef __int128 pc_i128;
typedef unsigned __int128 pc_u128;

#define FIX_BITS 52
#define FIX_MAX_INNER (WORD(1) << 18)
#define FIX_MAX_EXP (WORD(1) << 40)

typedef struct {
    int64_t *m;         /* midpoints on the grid */
    slong *e;           /* grid exponent of each vector: the grid is 2^(e − 52) */
    uint64_t *aq, *rq;  /* |m| and the radius on the grid, rounded up to 20 bits: */
    slong *sa, *sr;     /* |m_l| <= aq_l 2^sa, r_l <= rq_l 2^sr (per vector) */
} fix_vecs;

/* e with |mid| + rad < 2^e (an exact zero gives -FIX_MAX_EXP). Returns 0 if
 * x is not finite or its exponent is out of range (the caller falls back). */
static int ball_exp(slong *e, const arb_t x)
{
    if (!arf_is_finite(arb_midref(x)) || !mag_is_finite(arb_radref(x)))
        return 0;
    slong em = -FIX_MAX_EXP, er = -FIX_MAX_EXP;
    if (!arf_is_zero(arb_midref(x)))
        em = arf_abs_bound_lt_2exp_si(arb_midref(x));
    if (!mag_is_zero(arb_radref(x))) {
        if (COEFF_IS_MPZ(MAG_EXP(arb_radref(x))))
            return 0;
        er = MAG_EXP(arb_radref(x));                /* rad < 2^er */
    }
    *e = FLINT_MAX(em, er);
    if (*e == -FIX_MAX_EXP)
        return 1;
    *e += 1;                                        /* |mid| + rad < 2^(max + 1) */
    return *e > -FIX_MAX_EXP && *e < FIX_MAX_EXP;
}

/* ceil(rad / 2^(E − 52)) for rad < 2^E. */
static uint64_t rad_units(const mag_t rad, slong E)
{
    if (mag_is_zero(rad))
        return 0;
    /* rad = man 2^(exp − MAG_BITS), man < 2^MAG_BITS */
    slong sh = MAG_EXP(rad) - MAG_BITS - (E - FIX_BITS);
    uint64_t man = MAG_MAN(rad);
    if (sh >= 0)
        return man << sh;                           /* < 2^52: no overflow */
    if (sh <= -64)
        return 1;
    return (man >> -sh) + 1;
}

/* Puts `count` vectors of length len on their grids: the rows of the
 * matrix with row pointers `rows`, or its columns if by_col. Returns 0 if
 * some entry is not finite or out of range. */
static int fix_load(fix_vecs *f, const arb_struct *const *rows, slong count, slong len, int by_col)
{
    fmpz_t z;
    int ok = 1;
    fmpz_init(z);
    for (slong v = 0; v < count && ok; v++) {
        slong E = -FIX_MAX_EXP, e = 0;
        for (slong l = 0; l < len && ok; l++) {
            ok = ball_exp(&e, by_col ? rows[l] + v : rows[v] + l);
            E = FLINT_MAX(E, e);
        }
        if (E == -FIX_MAX_EXP)
            E = 0;                  /* an exact zero vector */
        f->e[v] = E;
        uint64_t amax = 0, rmax = 0;
        for (slong l = 0; l < len && ok; l++) {
            const arb_struct *x = by_col ? rows[l] + v : rows[v] + l;
            /* |x − mv 2^(E−52)| < 2^(E−52) after truncation */
            int inexact = arf_get_fmpz_fixed_si(z, arb_midref(x), E - FIX_BITS);
            int64_t mv = fmpz_get_si(z);                    /* |mv| <= 2^52 */
            uint64_t am = (uint64_t) (mv < 0 ? -mv : mv);
            uint64_t r = rad_units(arb_radref(x), E) + (inexact != 0);
            f->m[v * len + l] = mv;
            f->aq[v * len + l] = am;
            f->rq[v * len + l] = r;
            amax = FLINT_MAX(amax, am);
            rmax = FLINT_MAX(rmax, r);
        }
        slong sa = FLINT_MAX(0, (slong) FLINT_BIT_COUNT(amax) - 20);
        slong sr = FLINT_MAX(0, (slong) FLINT_BIT_COUNT(rmax) - 20);
        f->sa[v] = sa;
        f->sr[v] = sr;
        for (slong l = 0; l < len && ok; l++) {          /* ceil(x / 2^s) <= 2^20 */
            uint64_t *a = f->aq + v * len + l, *r = f->rq + v * len + l;
            *a = sa == 0 ? *a : (*a >> sa) + ((*a & ((UWORD(1) << sa) - 1)) != 0);
            *r = sr == 0 ? *r : (*r >> sr) + ((*r & ((UWORD(1) << sr) - 1)) != 0);
        }
    }
    fmpz_clear(z);
    return ok;
}

static void fix_init(fix_vecs *f, slong count, slong len)
{
    slong n = count * len > 0 ? count * len : 1;
    slong c = count > 0 ? count : 1;
    f->m = flint_malloc(sizeof(int64_t) * n);
    f->e = flint_malloc(sizeof(slong) * c);
    f->aq = flint_malloc(sizeof(uint64_t) * n);
    f->rq = flint_malloc(sizeof(uint64_t) * n);
    f->sa = flint_malloc(sizeof(slong) * c);
    f->sr = flint_malloc(sizeof(slong) * c);
}

static void fix_clear(fix_vecs *f)
{
    flint_free(f->m);
    flint_free(f->e);
    flint_free(f->aq);
    flint_free(f->rq);
    flint_free(f->sa);
    flint_free(f->sr);
}

static void fmpz_set_u128(fmpz_t z, pc_u128 u)
{
    fmpz_set_uiui(z, (ulong) (u >> 64), (ulong) u);
}

/* c = (s ± (R_0 2^e_0 + R_1 2^e_1 + R_2 2^e_2)) 2^shift, rounded to prec. */
static void fix_store(arb_t c, pc_i128 s, const uint64_t *R, const slong *eR, slong shift,
                      fmpz_t z, mag_t m, slong prec)
{
    mag_t t;
    fmpz_set_u128(z, s < 0 ? -(pc_u128) s : (pc_u128) s);
    if (s < 0)
        fmpz_neg(z, z);
    arb_set_round_fmpz(c, z, prec);                 /* (rounding goes into the radius) */
    arb_mul_2exp_si(c, c, shift);
    mag_init(t);
    mag_zero(m);
    for (int q = 0; q < 3; q++) {
        mag_set_ui_2exp_si(t, R[q], eR[q] + shift); /* upper bounds */
        mag_add(m, m, t);
    }
    mag_clear(t);
    arb_add_error_mag(c, m);
}

/* C_ij from row i of fa and column j of fb (both of length k). */
static void fix_entry(arb_t c, const fix_vecs *fa, slong i, const fix_vecs *fb, slong j, slong k,
                      fmpz_t z, mag_t mg, slong prec)
{
    const int64_t *am = fa->m + i * k, *bm = fb->m + j * k;
    const uint64_t *aq = fa->aq + i * k, *ar = fa->rq + i * k;
    const uint64_t *bq = fb->aq + j * k, *br = fb->rq + j * k;
    pc_i128 s = 0;
    uint64_t R[3] = { 0, 0, 0 };                    /* each < 2^18 2^40 */
    for (slong l = 0; l < k; l++) {
        s += (pc_i128) am[l] * bm[l];
        R[0] += aq[l] * br[l];
        R[1] += ar[l] * bq[l];
        R[2] += ar[l] * br[l];
    }
    slong eR[3] = { fa->sa[i] + fb->sr[j], fa->sr[i] + fb->sa[j], fa->sr[i] + fb->sr[j] };
    fix_store(c, s, R, eR, fa->e[i] + fb->e[j] - 2 * FIX_BITS, z, mg, prec);
}

void pc_fixmat_mul(arb_mat_t C, const arb_mat_t A, const arb_mat_t B, slong prec)
{
    const slong m = arb_mat_nrows(A), k = arb_mat_ncols(A), n = arb_mat_ncols(B);
    if (m == 0 || n == 0)
        return;
    if (k == 0) {
        arb_mat_zero(C);
        return;
    }
    fix_vecs fa, fb;
    int ok = k <= FIX_MAX_INNER;
    fix_init(&fa, m, k);
    fix_init(&fb, n, k);
    ok = ok && fix_load(&fa, (const arb_struct *const *) A->rows, m, k, 0);
    ok = ok && fix_load(&fb, (const arb_struct *const *) B->rows, n, k, 1);
    if (!ok) {
        fix_clear(&fa);
        fix_clear(&fb);
        arb_mat_mul(C, A, B, prec);
        return;
    }
    fmpz_t z;
    mag_t mg;
    fmpz_init(z);
    mag_init(mg);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < n; j++)
            fix_entry(arb_mat_entry(C, i, j), &fa, i, &fb, j, k, z, mg, prec);
    fmpz_clear(z);
    mag_clear(mg);
    fix_clear(&fa);
    fix_clear(&fb);
}

void pc_fixmat_gram(arb_mat_t C, const arb_mat_t Q, slong prec)
{
    const slong k = arb_mat_nrows(Q), n = arb_mat_ncols(Q);
    if (n == 0)
        return;
    if (k == 0) {
        arb_mat_zero(C);
        return;
    }
    fix_vecs f;
    fix_init(&f, n, k);
    if (k > FIX_MAX_INNER || !fix_load(&f, (const arb_struct *const *) Q->rows, n, k, 1)) {
        fix_clear(&f);
        arb_mat_t Qt;
        arb_mat_init(Qt, n, k);
        arb_mat_transpose(Qt, Q);
        arb_mat_mul(C, Qt, Q, prec);
        arb_mat_clear(Qt);
        return;
    }
    fmpz_t z;
    mag_t mg;
    fmpz_init(z);
    mag_init(mg);
    for (slong i = 0; i < n; i++)       /* the columns of Q are the rows of Qᵀ */
        for (slong j = i; j < n; j++) {
            fix_entry(arb_mat_entry(C, i, j), &f, i, &f, j, k, z, mg, prec);
            if (j > i)                  /* Q'ᵀQ' is symmetric for every Q' in Q */
                arb_set(arb_mat_entry(C, j, i), arb_mat_entry(C, i, j));
        }
    fmpz_clear(z);
    mag_clear(mg);
    fix_clear(&f);
}
