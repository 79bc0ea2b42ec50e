/* Also pc_fixvec_lincomb (the kernel of pc_jac.c), the same way.
 *
 * pc_fixmat_mul: the product of ball matrices in fixed-point integers must
 * contain A'B' for points A', B' of the balls (computed exactly), for
 * entries spread over many binades, midpoints with more bits than the grid
 * holds (so the grid rounding must be accounted for), exact zeros, zero
 * rows, wide radii and non-finite entries (the fallback). */
#include "testutil.h"
#include "pc_fixmat.h"
#include "pc_fixvec.h"

#define FILE_NAME "t-fixmat"

/* A random ball whose midpoint has up to ~100 bits, scaled by 2^e with e
 * in [emin, emin + espread]; sometimes an exact zero. */
static void rand_entry(arb_t x, flint_rand_t st, slong emin, slong espread)
{
    fmpq_t q;
    fmpq_init(q);
    if (n_randint(st, 10) == 0) {
        arb_zero(x);
    } else {
        tu_randq(q, st, 1000, (UWORD(1) << 40) + n_randint(st, 1000));
        tu_rand_ball(x, st, 1, 100);
        arb_set_fmpq(x, q, 100);            /* up to 100 bits, radius 0 ... */
        if (n_randint(st, 2))               /* ... or a random radius */
            tu_rand_ball(x, st, 3, 80);
        arb_mul_2exp_si(x, x, emin + (slong) n_randint(st, espread + 1));
    }
    fmpq_clear(q);
}

static void rand_mat(arb_mat_t A, flint_rand_t st)
{
    slong emin = -(slong) n_randint(st, 80), spread = n_randint(st, 4) == 0 ? 0 : n_randint(st, 70);
    for (slong i = 0; i < arb_mat_nrows(A); i++) {
        int zero_row = n_randint(st, 15) == 0;
        for (slong j = 0; j < arb_mat_ncols(A); j++)
            if (zero_row)
                arb_zero(arb_mat_entry(A, i, j));
            else
                rand_entry(arb_mat_entry(A, i, j), st, emin, spread);
    }
}

static void point_in(arb_mat_t P, const arb_mat_t A, flint_rand_t st)
{
    for (slong i = 0; i < arb_mat_nrows(A); i++)
        for (slong j = 0; j < arb_mat_ncols(A); j++)
            tu_rand_point_in(arb_mat_entry(P, i, j), arb_mat_entry(A, i, j), st);
}

/* The exact product of point matrices (every product and sum exact at this
 * precision: the points have at most a few hundred bits). */
static void exact_mul(arb_mat_t C, const arb_mat_t A, const arb_mat_t B)
{
    arb_mat_mul_classical(C, A, B, 8192);
    for (slong i = 0; i < arb_mat_nrows(C); i++)
        for (slong j = 0; j < arb_mat_ncols(C); j++)
            ck_assert(arb_is_exact(arb_mat_entry(C, i, j)));
}

static void check_case(flint_rand_t st, slong m, slong k, slong n, slong prec, int points)
{
    arb_mat_t A, B, C, Ap, Bp, P;
    arb_mat_init(A, m, k);
    arb_mat_init(B, k, n);
    arb_mat_init(C, m, n);
    arb_mat_init(Ap, m, k);
    arb_mat_init(Bp, k, n);
    arb_mat_init(P, m, n);
    rand_mat(A, st);
    rand_mat(B, st);
    pc_fixmat_mul(C, A, B, prec);
    for (int t = 0; t < points; t++) {
        point_in(Ap, A, st);
        point_in(Bp, B, st);
        exact_mul(P, Ap, Bp);
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < n; j++)
                TU_CONTAINS(arb_mat_entry(C, i, j), arb_mat_entry(P, i, j),
                            "%ldx%ldx%ld prec %ld: entry (%ld, %ld) of A'B' not contained",
                            (long) m, (long) k, (long) n, (long) prec, (long) i, (long) j);
    }
    arb_mat_clear(A);
    arb_mat_clear(B);
    arb_mat_clear(C);
    arb_mat_clear(Ap);
    arb_mat_clear(Bp);
    arb_mat_clear(P);
}

START_TEST(test_fixmat_contains)
{
    flint_rand_t st;
    tu_rand_init(st, 1701);
    for (int it = 0; it < 400; it++) {
        slong m = 1 + n_randint(st, 9), k = 1 + n_randint(st, 9), n = 1 + n_randint(st, 9);
        if (it % 20 == 0) {
            m = 20 + n_randint(st, 30);
            k = 20 + n_randint(st, 30);
            n = 20 + n_randint(st, 30);
        }
        check_case(st, m, k, n, n_randint(st, 2) ? 64 : 128, 4);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "fixmat_contains");
}
END_TEST

/* Exact inputs with more bits than the 52-bit grid: the rounding of the
 * midpoints alone must be covered (this case fails if it is dropped). */
START_TEST(test_fixmat_rounding)
{
    flint_rand_t st;
    tu_rand_init(st, 1702);
    for (int it = 0; it < 200; it++) {
        slong m = 1 + n_randint(st, 6), k = 1 + n_randint(st, 12), n = 1 + n_randint(st, 6);
        arb_mat_t A, B, C, P;
        arb_mat_init(A, m, k);
        arb_mat_init(B, k, n);
        arb_mat_init(C, m, n);
        arb_mat_init(P, m, n);
        fmpz_t z;
        fmpz_init(z);
        for (slong i = 0; i < m * k + k * n; i++) {
            arb_ptr x = i < m * k ? arb_mat_entry(A, i / k, i % k)
                                  : arb_mat_entry(B, (i - m * k) / n, (i - m * k) % n);
            fmpz_randbits(z, st, 90);
            arb_set_fmpz(x, z);
            arb_mul_2exp_si(x, x, -90 + (slong) n_randint(st, 3));
        }
        pc_fixmat_mul(C, A, B, 256);
        exact_mul(P, A, B);
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < n; j++)
                TU_CONTAINS(arb_mat_entry(C, i, j), arb_mat_entry(P, i, j),
                            "exact inputs: entry (%ld, %ld) not contained", (long) i, (long) j);
        fmpz_clear(z);
        arb_mat_clear(A);
        arb_mat_clear(B);
        arb_mat_clear(C);
        arb_mat_clear(P);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "fixmat_rounding");
}
END_TEST

/* pc_fixmat_gram: QᵀQ for points Q' of the balls, and the same enclosure
 * as pc_fixmat_mul(Qᵀ, Q) up to symmetry. */
START_TEST(test_fixmat_gram)
{
    flint_rand_t st;
    tu_rand_init(st, 1706);
    for (int it = 0; it < 200; it++) {
        slong k = 1 + n_randint(st, 10), n = 1 + n_randint(st, 10);
        arb_mat_t Q, Qp, Qpt, C, P;
        arb_mat_init(Q, k, n);
        arb_mat_init(Qp, k, n);
        arb_mat_init(Qpt, n, k);
        arb_mat_init(C, n, n);
        arb_mat_init(P, n, n);
        rand_mat(Q, st);
        pc_fixmat_gram(C, Q, 64 + 64 * (it % 2));
        for (int t = 0; t < 4; t++) {
            point_in(Qp, Q, st);
            arb_mat_transpose(Qpt, Qp);
            exact_mul(P, Qpt, Qp);
            for (slong i = 0; i < n; i++)
                for (slong j = 0; j < n; j++)
                    TU_CONTAINS(arb_mat_entry(C, i, j), arb_mat_entry(P, i, j),
                                "gram %ldx%ld: entry (%ld, %ld) not contained", (long) k, (long) n,
                                (long) i, (long) j);
        }
        arb_mat_clear(Q);
        arb_mat_clear(Qp);
        arb_mat_clear(Qpt);
        arb_mat_clear(C);
        arb_mat_clear(P);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "fixmat_gram");
}
END_TEST

/* Midpoints exactly on the grid and radii far below a grid step: the
 * radius must still be rounded up to a whole step (fails if it is
 * truncated). */
START_TEST(test_fixmat_small_radii)
{
    flint_rand_t st;
    tu_rand_init(st, 1704);
    for (int it = 0; it < 300; it++) {
        slong m = 1 + n_randint(st, 4), k = 1 + n_randint(st, 6), n = 1 + n_randint(st, 4);
        arb_mat_t A, B, C, Ap, Bp, P;
        arb_mat_init(A, m, k);
        arb_mat_init(B, k, n);
        arb_mat_init(C, m, n);
        arb_mat_init(Ap, m, k);
        arb_mat_init(Bp, k, n);
        arb_mat_init(P, m, n);
        for (slong i = 0; i < m * k + k * n; i++) {
            arb_ptr x = i < m * k ? arb_mat_entry(A, i / k, i % k)
                                  : arb_mat_entry(B, (i - m * k) / n, (i - m * k) % n);
            arb_set_si(x, (slong) n_randint(st, 2001) - 1000);
            mag_set_ui_2exp_si(arb_radref(x), 1 + 2 * n_randint(st, 100),
                               -(slong) (50 + n_randint(st, 60)));
        }
        pc_fixmat_mul(C, A, B, 128);
        for (int t = 0; t < 4; t++) {
            point_in(Ap, A, st);
            point_in(Bp, B, st);
            exact_mul(P, Ap, Bp);
            for (slong i = 0; i < m; i++)
                for (slong j = 0; j < n; j++)
                    TU_CONTAINS(arb_mat_entry(C, i, j), arb_mat_entry(P, i, j),
                                "small radii: entry (%ld, %ld) not contained", (long) i, (long) j);
        }
        arb_mat_clear(A);
        arb_mat_clear(B);
        arb_mat_clear(C);
        arb_mat_clear(Ap);
        arb_mat_clear(Bp);
        arb_mat_clear(P);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "fixmat_small_radii");
}
END_TEST

/* Useful, not only safe: for exact matrices with entries in [-1, 1] the
 * radius is at most k 2^-50 (the grid's), and a non-finite entry falls
 * back to arb_mat_mul (an infinite radius stays infinite). */
START_TEST(test_fixmat_tight_and_fallback)
{
    flint_rand_t st;
    tu_rand_init(st, 1703);
    const slong k = 129;
    arb_mat_t A, B, C, P;
    arb_mat_init(A, 7, k);
    arb_mat_init(B, k, 5);
    arb_mat_init(C, 7, 5);
    arb_mat_init(P, 7, 5);
    for (slong i = 0; i < 7; i++)
        for (slong l = 0; l < k; l++)
            arb_set_d(arb_mat_entry(A, i, l), tu_rand_dyadic(st, 1, 50));
    for (slong l = 0; l < k; l++)
        for (slong j = 0; j < 5; j++)
            arb_set_d(arb_mat_entry(B, l, j), tu_rand_dyadic(st, 1, 50));
    pc_fixmat_mul(C, A, B, 64);
    exact_mul(P, A, B);
    for (slong i = 0; i < 7; i++)
        for (slong j = 0; j < 5; j++) {
            TU_CONTAINS(arb_mat_entry(C, i, j), arb_mat_entry(P, i, j), "129-term product");
            TU_ASSERT(mag_cmp_2exp_si(arb_radref(arb_mat_entry(C, i, j)), -42) < 0,
                      "radius above k 2^-50");
        }
    mag_inf(arb_radref(arb_mat_entry(A, 3, 7)));
    pc_fixmat_mul(C, A, B, 64);
    TU_ASSERT(!arb_is_finite(arb_mat_entry(C, 3, 0)), "an infinite entry must stay infinite");
    TU_CONTAINS(arb_mat_entry(C, 0, 0), arb_mat_entry(P, 0, 0), "fallback product");
    arb_mat_clear(A);
    arb_mat_clear(B);
    arb_mat_clear(C);
    arb_mat_clear(P);
    flint_randclear(st);
    tu_done(FILE_NAME, "fixmat_tight_and_fallback");
}
END_TEST

/* pc_fixvec_lincomb: Σ c_t V_t must contain Σ γ_t v_t for points γ_t of the
 * coefficient balls and v_t of the vectors' balls (exactly computed), for
 * coefficients with more bits than 52 (1/3, random rationals), exact and
 * wide radii, vectors on different grids (so terms are floored onto the
 * coarsest), unit vectors and zero vectors. */
START_TEST(test_fixvec_lincomb)
{
    flint_rand_t st;
    tu_rand_init(st, 1705);
    const slong len = 9, maxt = 6;
    int64_t store[7 * 9];
    pc_fixvec_struct V[7];
    const pc_fixvec_struct *vp[6];
    const arb_struct *cp[6];
    arb_ptr c = _arb_vec_init(maxt);
    arb_t cs, vs, sum, term;
    arb_init(cs);
    arb_init(vs);
    arb_init(sum);
    arb_init(term);
    pc_fixvec_work_struct w;
    pc_fixvec_work_init(&w, len, maxt);
    for (slong t = 0; t < 7; t++)
        pc_fixvec_init(V + t, store + t * len, len);
    for (int it = 0; it < 3000; it++) {
        slong nt = 1 + (slong) n_randint(st, maxt);
        for (slong t = 0; t < nt; t++) {
            switch (n_randint(st, 6)) {
            case 0:
                pc_fixvec_unit(V + t, (slong) n_randint(st, len + 2), len);
                break;
            case 1:
                pc_fixvec_zero(V + t, len);
                break;
            default:
                V[t].e = (slong) n_randint(st, 120) - 100;
                V[t].amax = 0;
                for (slong j = 0; j < len; j++) {
                    V[t].m[j] = (int64_t) n_randtest(st) >> (n_randint(st, 2) ? 11 : 40);
                    uint64_t a = (uint64_t) (V[t].m[j] < 0 ? -V[t].m[j] : V[t].m[j]);
                    V[t].amax = a > V[t].amax ? a : V[t].amax;
                }
                if (n_randint(st, 2))
                    mag_zero(V[t].rad);
                else
                    mag_set_ui_2exp_si(V[t].rad, 1 + n_randint(st, 100), V[t].e + (slong) n_randint(st, 60) - 30);
                break;
            }
            fmpq_t q;
            fmpq_init(q);
            if (n_randint(st, 3) == 0)
                fmpq_set_si(q, 1, 3);
            else
                tu_randq(q, st, 1000, 1 + n_randint(st, 1000000));
            arb_set_fmpq(c + t, q, 64 + (slong) n_randint(st, 128));
            arb_mul_2exp_si(c + t, c + t, (slong) n_randint(st, 80) - 40);
            if (n_randint(st, 3) == 0)
                mag_set_ui_2exp_si(arb_radref(c + t), 1, -(slong) n_randint(st, 120));
            fmpq_clear(q);
            cp[t] = c + t;
            vp[t] = V + t;
        }
        pc_fixvec_lincomb(V + 6, cp, vp, nt, len, &w);
        for (int pt = 0; pt < 3; pt++)
            for (slong j = 0; j < len; j++) {
                arb_zero(sum);
                for (slong t = 0; t < nt; t++) {
                    tu_rand_point_in(cs, c + t, st);
                    pc_fixvec_get_arb(term, V + t, j);
                    tu_rand_point_in(vs, term, st);
                    arb_mul(term, cs, vs, ARF_PREC_EXACT);
                    arb_add(sum, sum, term, ARF_PREC_EXACT);
                }
                pc_fixvec_get_arb(term, V + 6, j);
                TU_CONTAINS(term, sum, "lincomb of %ld terms: entry %ld not contained (iter %d)",
                            (long) nt, (long) j, it);
            }
    }
    for (slong t = 0; t < 7; t++)
        pc_fixvec_clear(V + t);
    pc_fixvec_work_clear(&w);
    _arb_vec_clear(c, maxt);
    arb_clear(cs);
    arb_clear(vs);
    arb_clear(sum);
    arb_clear(term);
    flint_randclear(st);
    tu_done(FILE_NAME, "fixvec_lincomb");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fixmat");
    TCase *tc = tu_tcase(s, "fixmat");
    tcase_add_test(tc, test_fixmat_contains);
    tcase_add_test(tc, test_fixmat_rounding);
    tcase_add_test(tc, test_fixmat_small_radii);
    tcase_add_test(tc, test_fixmat_gram);
    tcase_add_test(tc, test_fixmat_tight_and_fallback);
    tc = tu_tcase(s, "fixvec");
    tcase_add_test(tc, test_fixvec_lincomb);
    return tu_run_suite(s);
}
