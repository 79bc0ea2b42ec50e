/* pl-tail-weighted/1 (proofs/pl-tail-weighted.md; §5 lists what is checked
 * here, with the hypotheses named W0–W6 as there): pl-tail/1 for the square
 * loss with the round cone around the slow direction ê replaced by the cone
 * ‖w‖_M ≤ κ|α| in a metric M = Σ m_k v_k v_kᵀ + m_0 11ᵀ/n built from the
 * approximate eigenvectors v_k of A. The weights m_k ≈ |q_k|/|w_k| make the
 * sign condition Σ|q_k w_k| < |q_e α| (Cauchy–Schwarz with equality) instead
 * of ‖q_⊥‖‖w‖ < |q_e α|: a component of w along a fast eigendirection that q
 * hardly sees no longer holds the lemma back. */
#include <arb_mat.h>
#include <math.h>
#include "pc_pltail_impl.h"

/* Eigen-decomposition of the symmetric n × n double matrix a (destroyed) by
 * cyclic Jacobi rotations: lam the eigenvalues, v the eigenvectors as
 * columns (row-major). Float, for the hints only. */
static void jacobi_eig(double *a, double *lam, double *v, slong n)
{
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++)
            v[i * n + j] = i == j;
    for (int sweep = 0; sweep < 60; sweep++) {
        double off = 0;
        for (slong i = 0; i < n; i++)
            for (slong j = i + 1; j < n; j++)
                off += a[i * n + j] * a[i * n + j];
        if (off < 1e-300)
            break;
        for (slong p = 0; p < n; p++)
            for (slong q = p + 1; q < n; q++) {
                if (fabs(a[p * n + q]) < 1e-300)
                    continue;
                double th = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
                double t = (th >= 0 ? 1 : -1) / (fabs(th) + sqrt(th * th + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (slong k = 0; k < n; k++) {         /* columns p, q */
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (slong k = 0; k < n; k++) {         /* rows p, q */
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (slong k = 0; k < n; k++) {
                    double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
    for (slong i = 0; i < n; i++)
        lam[i] = a[i * n + i];
}

static double mid_d(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* The hints e, M, m₂ from A, p, q at the midpoint of X0 (float; the checks
 * decide): the eigenvectors of A on 1^⊥ (A1 = ‖s‖²1 exactly, so the
 * projection P A P + c 11ᵀ/n with c above every eigenvalue has them and 1),
 * e the slowest with Σ e = 0 exactly, M = v1 v1ᵀ + Σ_{k≥2} m_k v_k v_kᵀ +
 * 11ᵀ/n with m_k as below.
 * Returns 0 if there is no gap (λ2 ≤ λ1). */
static int w_hints(pc_pltail_t L, double *lam1, double *lam2, const arb_mat_t A, arb_srcptr p,
                   arb_srcptr q, slong n)
{
    double *B = flint_malloc(sizeof(double) * n * n), *V = flint_malloc(sizeof(double) * n * n),
           *lam = flint_malloc(sizeof(double) * n), *m = flint_malloc(sizeof(double) * n),
           tr = 0;
    slong *ord = flint_malloc(sizeof(slong) * n);
    for (slong i = 0; i < n; i++)
        tr += fabs(mid_d(arb_mat_entry(A, i, i)));
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            double a = 0;       /* (P A P)_ij with P = I − 11ᵀ/n, plus (2 tr + 1)/n */
            for (slong k = 0; k < n; k++)
                for (slong l = 0; l < n; l++)
                    a += ((i == k) - 1.0 / n) * mid_d(arb_mat_entry(A, k, l)) *
                         ((l == j) - 1.0 / n);
            B[i * n + j] = a + (2 * tr + 1) / n;
        }
    jacobi_eig(B, lam, V, n);
    for (slong k = 0; k < n; k++)
        ord[k] = k;
    for (slong k = 1; k < n; k++)           /* ascending; the top one is 1/√n */
        for (slong j = k; j > 0 && lam[ord[j]] < lam[ord[j - 1]]; j--) {
            slong t = ord[j];
            ord[j] = ord[j - 1], ord[j - 1] = t;
        }
    *lam1 = lam[ord[0]];
    *lam2 = n > 2 ? lam[ord[1]] : *lam1 + 1;
    int ok = *lam2 > *lam1;
    /* e = v1 with Σ e = 0 exactly */
    arf_zero(L->e + n - 1);
    for (slong i = 0; i < n - 1; i++) {
        hint_from_d(L->e + i, V[i * n + ord[0]]);
        arf_sub(L->e + n - 1, L->e + n - 1, L->e + i, ARF_PREC_EXACT, ARF_RND_DOWN);
    }
    /* m_k = (|q_k| / |w_k|) / (|q_1| / |α_1|), the Cauchy–Schwarz optimum for
     * Σ q_k w_k against q_1 α_1 (components in the eigenbasis), kept in
     * [2^-20, 2^20] (k = 1..n−2 in ord: the directions of 1^⊥ but v1) */
    double a1 = 0, q1 = 0;
    for (slong i = 0; i < n; i++) {
        a1 += V[i * n + ord[0]] * mid_d(p + i);
        q1 += V[i * n + ord[0]] * mid_d(q + i);
    }
    for (slong k = 1; k < n - 1; k++) {
        double wk = 0, qk = 0;
        for (slong i = 0; i < n; i++) {
            wk += V[i * n + ord[k]] * mid_d(p + i);
            qk += V[i * n + ord[k]] * mid_d(q + i);
        }
        m[k] = fabs(qk) * fabs(a1) / (fabs(wk) * fabs(q1));
        m[k] = isnan(m[k]) || m[k] > ldexp(1, 20) ? ldexp(1, 20)
               : m[k] < ldexp(1, -20) ? ldexp(1, -20) : m[k];
    }
    m[0] = 1;
    double mlo = 1;
    for (slong k = 0; k < n - 1; k++)
        mlo = m[k] < mlo ? m[k] : mlo;
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j <= i; j++) {
            double a = 1.0 / n;
            for (slong k = 0; k < n - 1; k++)
                a += m[k] * V[i * n + ord[k]] * V[j * n + ord[k]];
            hint_from_d(L->M + i * n + j, a);
            arf_set(L->M + j * n + i, L->M + i * n + j);
        }
    hint_from_d(L->mmin, mlo / 2);
    hint_from_d(L->m2, *lam2 - (*lam2 - *lam1) / 8);
    hint_from_d(L->sigma, 2 + 4 * fabs(*lam2) + 4 * tr);
    flint_free(B), flint_free(V), flint_free(lam), flint_free(m), flint_free(ord);
    return ok;
}

/* res = uᵀ M v with the exact M. */
static void w_inner(arb_t res, const arf_struct *M, arb_srcptr u, arb_srcptr v, slong n,
                    slong prec)
{
    arb_t t, c;
    arb_init(t), arb_init(c);
    arb_zero(res);
    for (slong i = 0; i < n; i++) {
        arb_zero(t);
        for (slong j = 0; j < n; j++) {
            arb_set_arf(c, M + i * n + j);
            arb_addmul(t, c, v + j, prec);
        }
        arb_addmul(res, u + i, t, prec);
    }
    arb_clear(t), arb_clear(c);
}

/* out = M v with the exact M. */
static void w_mul(arb_ptr out, const arf_struct *M, arb_srcptr v, slong n, slong prec)
{
    arb_t c;
    arb_init(c);
    for (slong i = 0; i < n; i++) {
        arb_zero(out + i);
        for (slong j = 0; j < n; j++) {
            arb_set_arf(c, M + i * n + j);
            arb_addmul(out + i, c, v + j, prec);
        }
    }
    arb_clear(c);
}

/* α = (Mê)ᵀ v and ‖w‖_M of w = v − αê; Mê is formed first, since M may have
 * entries far above 1 (weights up to 2^20) that would multiply v's radius. */
static void w_split(arb_t alpha, arb_t nw, const arf_struct *M, arb_srcptr v, arb_srcptr eh,
                    arb_srcptr Me, slong n, slong prec)
{
    arb_ptr w = _arb_vec_init(n);
    arb_dot(alpha, NULL, 0, Me, 1, v, 1, n, prec);
    for (slong j = 0; j < n; j++)
        arb_submul(w + j, eh + j, alpha, prec), arb_add(w + j, w + j, v + j, prec);
    w_inner(nw, M, w, w, n, prec);
    arb_sqrtpos(nw, nw, prec);
    _arb_vec_clear(w, n);
}

/* Positive definiteness of every symmetric matrix of the box S (arb_mat_cho
 * proves every pivot positive). */
static int w_pd(const arb_mat_t S, slong prec)
{
    arb_mat_t Lc;
    arb_mat_init(Lc, arb_mat_nrows(S), arb_mat_nrows(S));
    int ok = arb_mat_cho(Lc, S, prec);
    arb_mat_clear(Lc);
    return ok;
}

/* W0: M − mmin I positive definite, mmin > 0 (exact dyadics). */
static int w_mmin_ok(const pc_pltail_t L, slong n, slong prec)
{
    arb_mat_t S;
    arb_mat_init(S, n, n);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            arb_set_arf(arb_mat_entry(S, i, j), L->M + i * n + j);
            if (i == j)
                arb_sub_arf(arb_mat_entry(S, i, j), arb_mat_entry(S, i, j), L->mmin, prec);
        }
    int ok = arf_sgn(L->mmin) > 0 && w_pd(S, prec);
    arb_mat_clear(S);
    return ok;
}

/* W3: ½(MA + AM) − m₂M + σ((Mê)(Mê)ᵀ + 11ᵀ/n) positive definite over Y. */
static int w_gap_ok(const pc_pltail_t L, const arb_mat_t A, arb_srcptr Me, slong n, slong prec)
{
    arb_mat_t Mm, S, T;
    arb_t t, u;
    arb_mat_init(Mm, n, n), arb_mat_init(S, n, n), arb_mat_init(T, n, n);
    arb_init(t), arb_init(u);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++)
            arb_set_arf(arb_mat_entry(Mm, i, j), L->M + i * n + j);
    arb_mat_mul(S, Mm, A, prec);
    arb_mat_transpose(T, S);                    /* (MA)ᵀ = AM */
    arb_mat_add(S, S, T, prec);
    arb_mat_scalar_mul_2exp_si(S, S, -1);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            arb_mul(t, Me + i, Me + j, prec);
            arb_set_si(u, 1);
            arb_div_si(u, u, n, prec);
            arb_add(t, t, u, prec);
            arb_mul_arf(t, t, L->sigma, prec);
            arb_add(arb_mat_entry(S, i, j), arb_mat_entry(S, i, j), t, prec);
            arb_mul_arf(t, arb_mat_entry(Mm, i, j), L->m2, prec);
            arb_sub(arb_mat_entry(S, i, j), arb_mat_entry(S, i, j), t, prec);
        }
    int ok = w_pd(S, prec);
    arb_mat_clear(Mm), arb_mat_clear(S), arb_mat_clear(T);
    arb_clear(t), arb_clear(u);
    return ok;
}

/* W6's matrix [[M, g], [gᵀ, ζ]] positive definite over Y (then ζ > gᵀM⁻¹g,
 * the Schur complement). */
static int w_dual_ok(const pc_pltail_t L, arb_srcptr g, slong n, slong prec)
{
    arb_mat_t S;
    arb_mat_init(S, n + 1, n + 1);
    for (slong i = 0; i < n; i++) {
        for (slong j = 0; j < n; j++)
            arb_set_arf(arb_mat_entry(S, i, j), L->M + i * n + j);
        arb_set(arb_mat_entry(S, i, n), g + i);
        arb_set(arb_mat_entry(S, n, i), g + i);
    }
    arb_set_arf(arb_mat_entry(S, n, n), L->zeta);
    int ok = w_pd(S, prec);
    arb_mat_clear(S);
    return ok;
}

/* The hint ζ: gᵀM⁻¹g at the midpoint of g, raised by 2^-10 of itself (the
 * box of g has to fit). */
static void w_zeta_hint(pc_pltail_t L, arb_srcptr g, slong n, slong prec)
{
    arb_mat_t Mm, b, y;
    arb_mat_init(Mm, n, n), arb_mat_init(b, n, 1), arb_mat_init(y, n, 1);
    for (slong i = 0; i < n; i++) {
        for (slong j = 0; j < n; j++)
            arb_set_arf(arb_mat_entry(Mm, i, j), L->M + i * n + j);
        arb_set_arf(arb_mat_entry(b, i, 0), arb_midref(g + i));
    }
    double z = 0;
    if (arb_mat_approx_solve(y, Mm, b, prec))
        for (slong i = 0; i < n; i++)
            z += mid_d(arb_mat_entry(y, i, 0)) * arf_get_d(arb_midref(g + i), ARF_RND_NEAR);
    hint_from_d(L->zeta, fabs(z) * (1 + ldexp(1, -10)) + ldexp(1, -200));
    arb_mat_clear(Mm), arb_mat_clear(b), arb_mat_clear(y);
}

int pc_pltail_weighted_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x)
{
    const pc_problem_struct *p = E->p;
    const slong d = p->d, n = p->n, prec = E->prec;
    if (!pl_applies(L, E, PC_LOSS_SQUARE, 1))
        return 0;
    arb_ptr s = _arb_vec_init(n), r = _arb_vec_init(d), pv = _arb_vec_init(n),
            q = _arb_vec_init(n), qY = _arb_vec_init(n), eh = _arb_vec_init(n),
            Me = _arb_vec_init(n), v = _arb_vec_init(n), g = _arb_vec_init(n);
    arb_mat_t VC, A;
    arb_t t, a, nw, s2, Lam, G1, G2, c1, R0sq, h, k, root, mmax, nu, qe;
    arf_t rad;
    double lam1 = 0, lam2 = 0;
    arb_mat_init(VC, d, n);
    arb_mat_init(A, n, n);
    arb_init(t), arb_init(a), arb_init(nw), arb_init(s2), arb_init(Lam), arb_init(G1);
    arb_init(G2), arb_init(c1), arb_init(R0sq), arb_init(h), arb_init(k), arb_init(root);
    arb_init(mmax), arb_init(nu), arb_init(qe);
    arf_init(rad);
    pc_pltail_status st = PC_PLTAIL_OK;

    /* X0: r, p = (VC)ᵀ r, R0 = ‖r‖, q = C(s) a (for the hints) */
    pl_parts(s, r, VC, E, x, prec);
    arb_dot(R0sq, NULL, 0, r, 1, r, 1, d, prec);
    arb_sqrtpos(L->R0, R0sq, prec);
    for (slong j = 0; j < n; j++)
        for (slong i = 0; i < d; i++)
            arb_addmul(pv + j, arb_mat_entry(VC, i, j), r + i, prec);
    pc_softmax_jac_apply_arb(q, s, x + d * n, n, prec);
    if (!arb_is_positive(R0sq))
        st = PC_PLTAIL_RESIDUAL;

    /* W1: Y = X0 + [−√n R0, √n R0] componentwise */
    arb_sqrt_ui(t, n, prec);
    arb_mul(t, t, L->R0, prec);
    arb_get_ubound_arf(rad, t, prec);
    pl_box(L, x, rad, prec);

    /* the hints from A at X0; W2: μ ≤ ‖s‖² over Y */
    pl_matrix(A, s2, E, x, prec);
    if (!w_hints(L, &lam1, &lam2, A, pv, q, n) && st == PC_PLTAIL_OK)
        st = PC_PLTAIL_GAP;
    pl_matrix(A, s2, E, L->Y, prec);
    arb_get_lbound_arf(L->mu, s2, prec);
    arf_set_round(L->mu, L->mu, 30, ARF_RND_DOWN);
    if (st == PC_PLTAIL_OK && !w_mmin_ok(L, n, prec))
        st = PC_PLTAIL_GAP;

    /* ê = e / ‖e‖_M, Mê */
    for (slong j = 0; j < n; j++)
        arb_set_arf(eh + j, L->e + j);
    w_inner(t, L->M, eh, eh, n, prec);
    if (!arb_is_positive(t) && st == PC_PLTAIL_OK)
        st = PC_PLTAIL_GAP;
    arb_rsqrt(t, t, prec);
    _arb_vec_scalar_mul(eh, eh, n, t, prec);
    w_mul(Me, L->M, eh, n, prec);

    /* W3; Λ ≥ êᵀMAê, Γ1 ≥ ‖Aê − Λ0ê‖_M, Γ2 ≥ ‖AMê − Λ0Mê‖/√mmin over Y */
    if (st == PC_PLTAIL_OK && !w_gap_ok(L, A, Me, n, prec))
        st = PC_PLTAIL_GAP;
    for (slong i = 0; i < n; i++)
        arb_dot(v + i, NULL, 0, arb_mat_entry(A, i, 0), 1, eh, 1, n, prec);
    arb_dot(Lam, NULL, 0, Me, 1, v, 1, n, prec);           /* êᵀMAê = (Mê)ᵀ(Aê) */
    for (slong i = 0; i < n; i++)
        arb_submul(v + i, Lam, eh + i, prec);
    w_inner(G1, L->M, v, v, n, prec);
    arb_sqrtpos(G1, G1, prec);
    for (slong i = 0; i < n; i++)
        arb_dot(v + i, NULL, 0, arb_mat_entry(A, i, 0), 1, Me, 1, n, prec);
    for (slong i = 0; i < n; i++)
        arb_submul(v + i, Lam, Me + i, prec);
    arb_dot(G2, NULL, 0, v, 1, v, 1, n, prec);
    arb_set_arf(t, L->mmin);
    arb_div(G2, G2, t, prec);
    arb_sqrtpos(G2, G2, prec);
    /* c1 = 3‖V‖_F over Y; mmax = ‖M‖_F ≥ ‖M‖₂; ν = √(mmax/mmin) */
    arb_dot(c1, NULL, 0, L->Y, 1, L->Y, 1, d * n, prec);
    arb_sqrtpos(c1, c1, prec);
    arb_mul_si(c1, c1, 3, prec);
    arb_zero(mmax);
    for (slong i = 0; i < n * n; i++) {
        arb_set_arf(t, L->M + i);
        arb_addmul(mmax, t, t, prec);
    }
    arb_sqrtpos(mmax, mmax, prec);
    arb_set_arf(t, L->mmin);
    arb_div(nu, mmax, t, prec);
    arb_sqrtpos(nu, nu, prec);

    /* W5 (what it needs): α = êᵀMp, ‖w‖_M at X0; W6: q, q_e, g over Y */
    w_split(a, nw, L->M, pv, eh, Me, n, prec);
    if (st == PC_PLTAIL_OK && pl_too_wide(a))
        st = PC_PLTAIL_WIDE;
    pc_softmax_arb(s, L->Y + d * n, n, prec);
    pc_softmax_jac_apply_arb(qY, s, L->Y + d * n, n, prec);
    arb_dot(qe, NULL, 0, qY, 1, eh, 1, n, prec);
    for (slong i = 0; i < n; i++) {
        arb_mul(g + i, qe, Me + i, prec);
        arb_sub(g + i, qY + i, g + i, prec);
    }
    if (st == PC_PLTAIL_OK && arb_contains_zero(qe)) {
        arb_dot(t, NULL, 0, g, 1, g, 1, n, prec);
        arb_sqrtpos(t, t, prec);
        st = pl_zero_status(qe, t);
    }
    if (st == PC_PLTAIL_OK) {
        w_zeta_hint(L, g, n, prec);
        if (!w_dual_ok(L, g, n, prec))
            st = PC_PLTAIL_CONE;
        arb_abs(t, a);
        arb_div(t, nw, t, prec);
        L->kappa_need = arf_get_d(arb_midref(t), ARF_RND_UP) + mag_get_d(arb_radref(t));
        arb_set_arf(t, L->zeta);
        arb_rsqrt(t, t, prec);
        arb_mul(t, t, qe, prec);
        arb_abs(t, t);
        L->kappa_max = arf_get_d(arb_midref(t), ARF_RND_DOWN) - mag_get_d(arb_radref(t));
        if (!(L->kappa_need < L->kappa_max))
            st = PC_PLTAIL_CONE;
        double kmax = L->kappa_need > 0.5 ? 2 * L->kappa_need : 1;
        kmax = L->kappa_max < kmax ? L->kappa_max : kmax;
        hint_from_d(L->kappa, (3 * L->kappa_need + kmax) / 4);
        arb_abs(t, a);
        arb_div(t, t, R0sq, prec);
        arb_get_lbound_arf(L->theta, t, prec);
        arf_mul_2exp_si(L->theta, L->theta, -1);
        arf_set_round(L->theta, L->theta, 30, ARF_RND_DOWN);
    }
    if (st == PC_PLTAIL_OK) {
        arb_t k2, sm;
        arb_init(k2), arb_init(sm);
        arb_set_arf(k, L->kappa);
        arb_mul(k2, k, k, prec);
        arb_add_si(root, k2, 1, prec);
        arb_sqrtpos(root, root, prec);
        arb_mul(root, root, c1, prec);
        arb_mul(root, root, L->R0, prec);
        arb_mul(root, root, nu, prec);              /* ν c1 √(1+κ²) R0 */
        arb_sqrtpos(sm, mmax, prec);                /* √mmax */
        /* W4a: θ (2μ − Λ − κΓ2 − ν c1√(1+κ²) R0) > √mmax */
        arb_set_arf(h, L->mu);
        arb_mul_2exp_si(h, h, 1);
        arb_sub(h, h, Lam, prec);
        arb_submul(h, G2, k, prec);
        arb_sub(h, h, root, prec);
        arb_mul_arf(h, h, L->theta, prec);
        arb_sub(h, h, sm, prec);
        if (!arb_is_positive(h))
            st = PC_PLTAIL_RATE;
        /* W4b: κ(m₂ − Λ) − Γ1 − κ²Γ2 − (1+κ)(ν c1√(1+κ²) R0 + √mmax/θ) > 0 */
        arb_set_arf(h, L->m2);
        arb_sub(h, h, Lam, prec);
        arb_mul(h, h, k, prec);
        arb_sub(h, h, G1, prec);
        arb_submul(h, G2, k2, prec);
        arb_set_arf(t, L->theta);
        arb_div(t, sm, t, prec);
        arb_add(t, t, root, prec);
        arb_add_si(k2, k, 1, prec);
        arb_submul(h, t, k2, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(h))
            st = PC_PLTAIL_GAP;
        /* W5: ‖w‖_M ≤ κ|α| and |α| ≥ θ R0² at X0 */
        arb_abs(t, a);
        arb_mul(h, t, k, prec);
        arb_sub(h, h, nw, prec);
        arb_mul_arf(sm, R0sq, L->theta, prec);
        arb_sub(t, t, sm, prec);
        if (st == PC_PLTAIL_OK && !(arb_is_nonnegative(h) && arb_is_nonnegative(t)))
            st = PC_PLTAIL_CONE;
        /* W6: q_e² > κ² ζ over Y */
        arb_mul(t, qe, qe, prec);
        arb_mul(k2, k, k, prec);
        arb_mul_arf(k2, k2, L->zeta, prec);
        arb_sub(t, t, k2, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(t))
            st = PC_PLTAIL_CONE;
        arb_clear(k2), arb_clear(sm);
    }
    if (st == PC_PLTAIL_OK) {
        L->sign = -arb_sgn_nonzero(a) * arb_sgn_nonzero(qe);
        pc_entropy_arb(L->Hlim, L->Y + d * n, n, prec);
        pl_hlim_widen(L, prec);
    }
    L->status = st;
    _arb_vec_clear(s, n), _arb_vec_clear(r, d), _arb_vec_clear(pv, n), _arb_vec_clear(q, n);
    _arb_vec_clear(qY, n), _arb_vec_clear(eh, n), _arb_vec_clear(Me, n), _arb_vec_clear(v, n);
    _arb_vec_clear(g, n);
    arb_mat_clear(VC), arb_mat_clear(A);
    arb_clear(t), arb_clear(a), arb_clear(nw), arb_clear(s2), arb_clear(Lam), arb_clear(G1);
    arb_clear(G2), arb_clear(c1), arb_clear(R0sq), arb_clear(h), arb_clear(k), arb_clear(root);
    arb_clear(mmax), arb_clear(nu), arb_clear(qe);
    arf_clear(rad);
    return st == PC_PLTAIL_OK;
}
