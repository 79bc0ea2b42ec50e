/* pl-tail/1: see pc_pltail.h and proofs/pl-tail.md (§8 lists what is
 * checked here; the hypotheses are named H1–H6 as there), and
 * pl-tail-quadratic/1 (§11); pl-tail-crossent/1 is in pc_pltail_crossent.c. */
#include <arb_mat.h>
#include <acb_mat.h>
#include <flint/fmpq_mat.h>
#include <math.h>
#include "pc_pltail_impl.h"

void pc_pltail_init(pc_pltail_t L, slong d, slong n)
{
    L->status = PC_PLTAIL_NA;
    L->sign = 0;
    L->n = n;
    L->dim = d * n + n;
    L->Y = _arb_vec_init(L->dim);
    L->elen = d > n ? d : n;
    L->e = flint_malloc(sizeof(arf_struct) * L->elen);
    for (slong j = 0; j < L->elen; j++)
        arf_init(L->e + j);
    arf_init(L->gmin);
    L->d = d;
    L->W = flint_malloc(sizeof(arf_struct) * d * d);
    for (slong j = 0; j < d * d; j++)
        arf_init(L->W + j);
    arf_init(L->wmin);
    arf_init(L->mu);
    arf_init(L->kappa);
    arf_init(L->theta);
    arf_init(L->m2);
    arf_init(L->sigma);
    arb_init(L->R0);
    arb_init(L->Hlim);
    L->kappa_need = L->kappa_max = 0;
}

void pc_pltail_clear(pc_pltail_t L)
{
    _arb_vec_clear(L->Y, L->dim);
    for (slong j = 0; j < L->elen; j++)
        arf_clear(L->e + j);
    flint_free(L->e);
    arf_clear(L->gmin);
    for (slong j = 0; j < L->d * L->d; j++)
        arf_clear(L->W + j);
    flint_free(L->W);
    arf_clear(L->wmin);
    arf_clear(L->mu);
    arf_clear(L->kappa);
    arf_clear(L->theta);
    arf_clear(L->m2);
    arf_clear(L->sigma);
    arb_clear(L->R0);
    arb_clear(L->Hlim);
}

const char *pc_pltail_reason(pc_pltail_status status)
{
    switch (status) {
    case PC_PLTAIL_OK: return "the lemma applies";
    case PC_PLTAIL_NA: return "pl-tail/1 is for the square loss on the full system with n >= 2";
    case PC_PLTAIL_RESIDUAL: return "the residual r = beta - V s is not proven nonzero at T";
    case PC_PLTAIL_GAP: return "no proven spectral gap above the slowest eigenvalue (of A = "
                               "|s|^2 I + C V^T V C on 1-perp, of K X^T X, or of Q C(sigma(y)) K "
                               "on 1-perp): repeated or too close";
    case PC_PLTAIL_RATE: return "2 mu does not exceed the slow rate of p = C V^T r (H4a)";
    case PC_PLTAIL_ORTHO: return "the entropy gradient (C(s) a, or g = V C(s)^2 a) is not "
                                 "proven off the slow direction (g orthogonal to the slow "
                                 "eigenvector)";
    case PC_PLTAIL_CONE: return "the residual (p = C V^T r for the square loss, r or y* - y "
                                "otherwise) is not yet close enough to the slow direction "
                                "(cone not reached; integrate further)";
    case PC_PLTAIL_RANK: return "X^T X is not proven positive definite (X not of full column rank)";
    case PC_PLTAIL_QZERO: return "the target q has a zero entry: the flow has no finite "
                                 "minimiser (sigma(y)_k -> 0), pl-tail-crossent/1 needs q > 0";
    case PC_PLTAIL_BOX: return "the box Y is still too wide (the PL constant Q min sigma(y) "
                               "|s|^2 or the spectral gap of Q C(sigma(y)) K not proven over "
                               "it: integrate further)";
    default: return "the enclosure of the residual's slow component at T is too wide "
                    "(raise --prec)";
    }
}

/* s = σ(a), y = V s, r = β − y, and VC with (VC)_ij = s_j (V_ij − y_i). */
static void pl_parts(arb_ptr s, arb_ptr r, arb_mat_t VC, const pc_enclose_t E, arb_srcptr x,
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
static void pl_matrix(arb_mat_t A, arb_t s2, const pc_enclose_t E, arb_srcptr x, slong prec)
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
static void pl_split(arb_t alpha, arb_t nw, arb_srcptr v, arb_srcptr eh, slong n, slong prec)
{
    arb_ptr w = _arb_vec_init(n);
    arb_dot(alpha, NULL, 0, eh, 1, v, 1, n, prec);
    for (slong j = 0; j < n; j++)
        arb_submul(w + j, eh + j, alpha, prec), arb_add(w + j, w + j, v + j, prec);
    arb_dot(nw, NULL, 0, w, 1, w, 1, n, prec);
    arb_sqrtpos(nw, nw, prec);
    _arb_vec_clear(w, n);
}

/* The hint e: the eigenvector of the midpoint of A + 11ᵀ for its smallest
 * eigenvalue off the direction 1 (A1 = ‖s‖²1 exactly), rounded to dyadics
 * with Σ e = 0 exactly; lam2 gets the next eigenvalue (floating point). 0 if
 * the eigen-decomposition fails. */
static int pl_slow_direction(arf_struct *e, double *lam1, double *lam2, const arb_mat_t A,
                             slong prec)
{
    const slong n = arb_mat_nrows(A);
    acb_mat_t B, R;
    acb_ptr ev = _acb_vec_init(n);
    acb_mat_init(B, n, n);
    acb_mat_init(R, n, n);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            arb_set_arf(acb_realref(acb_mat_entry(B, i, j)), arb_midref(arb_mat_entry(A, i, j)));
            arb_add_si(acb_realref(acb_mat_entry(B, i, j)), acb_realref(acb_mat_entry(B, i, j)),
                       1, prec);
        }
    int ok = acb_mat_approx_eig_qr(ev, NULL, R, B, NULL, 0, prec);
    slong k1 = -1, k2 = -1;
    for (slong k = 0; ok && k < n; k++) {
        double l = arf_get_d(arb_midref(acb_realref(ev + k)), ARF_RND_NEAR), sum = 0, nrm = 0;
        for (slong i = 0; i < n; i++) {
            double v = arf_get_d(arb_midref(acb_realref(acb_mat_entry(R, i, k))), ARF_RND_NEAR);
            sum += v;
            nrm += v * v;
        }
        if (sum * sum > 0.25 * n * nrm)         /* the direction 1 */
            continue;
        if (k1 < 0 || l < *lam1) {
            k2 = k1, *lam2 = *lam1;
            k1 = k, *lam1 = l;
        } else if (k2 < 0 || l < *lam2)
            k2 = k, *lam2 = l;
    }
    if (n == 2)                                 /* no second direction in 1^⊥ */
        ok = ok && k1 >= 0, *lam2 = *lam1;
    else
        ok = ok && k1 >= 0 && k2 >= 0;
    if (ok) {                                   /* real part after fixing the phase */
        slong big = 0;
        for (slong i = 1; i < n; i++)
            if (arf_cmpabs(arb_midref(acb_realref(acb_mat_entry(R, i, k1))),
                           arb_midref(acb_realref(acb_mat_entry(R, big, k1)))) > 0)
                big = i;
        acb_t c, v;
        acb_init(c);
        acb_init(v);
        acb_inv(c, acb_mat_entry(R, big, k1), prec);
        arf_zero(e + n - 1);
        for (slong i = 0; i < n - 1; i++) {
            acb_mul(v, acb_mat_entry(R, i, k1), c, prec);
            arf_set_round(e + i, arb_midref(acb_realref(v)), prec, ARF_RND_NEAR);
            arf_sub(e + n - 1, e + n - 1, e + i, ARF_PREC_EXACT, ARF_RND_DOWN);
        }
        ok = 0;
        for (slong i = 0; i < n; i++)
            ok = ok || !arf_is_zero(e + i);
        acb_clear(c);
        acb_clear(v);
    }
    acb_mat_clear(B);
    acb_mat_clear(R);
    _acb_vec_clear(ev, n);
    return ok;
}

/* H3: A(Y) + σ(êêᵀ + (1/n)11ᵀ) − m₂ I positive definite for every symmetric
 * matrix of the box (arb_mat_cho: pivots proven positive). */
static int pl_gap_check(const arb_mat_t A, arb_srcptr eh, const arf_t m2, const arf_t sigma,
                        slong prec)
{
    const slong n = arb_mat_nrows(A);
    arb_mat_t M, Lc;
    arb_t t, u;
    arb_mat_init(M, n, n);
    arb_mat_init(Lc, n, n);
    arb_init(t);
    arb_init(u);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            arb_mul(t, eh + i, eh + j, prec);
            arb_set_si(u, 1);
            arb_div_si(u, u, n, prec);
            arb_add(t, t, u, prec);
            arb_mul_arf(t, t, sigma, prec);
            arb_add(arb_mat_entry(M, i, j), arb_mat_entry(A, i, j), t, prec);
            if (i == j)
                arb_sub_arf(arb_mat_entry(M, i, j), arb_mat_entry(M, i, j), m2, prec);
        }
    int ok = arb_mat_cho(Lc, M, prec);
    arb_mat_clear(M);
    arb_mat_clear(Lc);
    arb_clear(t);
    arb_clear(u);
    return ok;
}

int pc_pltail_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x)
{
    const pc_problem_struct *p = E->p;
    const slong d = p->d, n = p->n, prec = E->prec;
    if (!pl_applies(L, E, PC_LOSS_SQUARE, 1))
        return 0;
    arb_ptr s = _arb_vec_init(n), r = _arb_vec_init(d), pv = _arb_vec_init(n),
            u = _arb_vec_init(n), q = _arb_vec_init(n), eh = _arb_vec_init(n), Ae = _arb_vec_init(n);
    arb_mat_t VC, A;
    arb_t t, a, nw, s2, Lam, Gam, c1, R0sq, sk;
    arf_t rad;
    double lam1 = 0, lam2 = 0;
    arb_mat_init(VC, d, n);
    arb_mat_init(A, n, n);
    arb_init(t), arb_init(a), arb_init(nw), arb_init(s2), arb_init(Lam), arb_init(Gam);
    arb_init(c1), arb_init(R0sq), arb_init(sk);
    arf_init(rad);
    pc_pltail_status st = PC_PLTAIL_OK;

    /* X0: r, p = C(s) Vᵀ r = (VC)ᵀ r, R0 = ‖r‖ */
    pl_parts(s, r, VC, E, x, prec);
    arb_dot(R0sq, NULL, 0, r, 1, r, 1, d, prec);
    arb_sqrtpos(L->R0, R0sq, prec);
    for (slong j = 0; j < n; j++)
        for (slong i = 0; i < d; i++)
            arb_addmul(pv + j, arb_mat_entry(VC, i, j), r + i, prec);
    if (!arb_is_positive(R0sq))
        st = PC_PLTAIL_RESIDUAL;

    /* H1: Y = X0 + [−√n R0, √n R0] componentwise (a Euclidean ball in a box) */
    arb_sqrt_ui(t, n, prec);
    arb_mul(t, t, L->R0, prec);
    arb_get_ubound_arf(rad, t, prec);
    arf_mul_2exp_si(rad, rad, 0);
    pl_box(L, x, rad, prec);

    /* H2: μ ≤ ‖s‖² on Y; the hint e and m₂ from A at X0 */
    pl_matrix(A, s2, E, x, prec);
    if (st == PC_PLTAIL_OK && !pl_slow_direction(L->e, &lam1, &lam2, A, prec))
        st = PC_PLTAIL_GAP;
    pl_matrix(A, s2, E, L->Y, prec);
    arb_get_lbound_arf(L->mu, s2, prec);
    arf_set_round(L->mu, L->mu, 30, ARF_RND_DOWN);
    if (n == 2) {
        /* 1^⊥ is the line of e: w = 0 always, and H3 is about no vector; the shift σ
         * makes the matrix definite with m₂ one above the slow rate */
        lam2 = lam1 + 1;
        hint_from_d(L->sigma, 4 + 2 * lam1 + 2 * arf_get_d(arb_midref(s2), ARF_RND_NEAR));
    } else
        arf_set_si(L->sigma, 1);
    if (st == PC_PLTAIL_OK && !(lam2 - lam1 > 0))
        st = PC_PLTAIL_GAP;
    hint_from_d(L->m2, lam2 - (lam2 - lam1) / 8);

    /* ê = e / ‖e‖ (a ball vector containing the exact unit vector) */
    arb_zero(t);
    for (slong j = 0; j < n; j++)
        arb_set_arf(eh + j, L->e + j), arb_addmul(t, eh + j, eh + j, prec);
    arb_rsqrt(t, t, prec);
    _arb_vec_scalar_mul(eh, eh, n, t, prec);

    /* H3, and Λ ≥ êᵀAê, Γ ≥ ‖(I − êêᵀ)Aê‖ over Y, c1 = 3 ‖V‖_F over Y */
    if (st == PC_PLTAIL_OK && !pl_gap_check(A, eh, L->m2, L->sigma, prec))
        st = PC_PLTAIL_GAP;
    for (slong i = 0; i < n; i++)
        arb_dot(Ae + i, NULL, 0, arb_mat_entry(A, i, 0), 1, eh, 1, n, prec);
    pl_split(Lam, Gam, Ae, eh, n, prec);
    arb_dot(c1, NULL, 0, L->Y, 1, L->Y, 1, d * n, prec);
    arb_sqrtpos(c1, c1, prec);
    arb_mul_si(c1, c1, 3, prec);

    /* H5 (what it needs): α = êᵀp, ‖w‖ at X0; H6: q = C(s)a over Y */
    pl_split(a, nw, pv, eh, n, prec);
    if (st == PC_PLTAIL_OK && pl_too_wide(a))
        st = PC_PLTAIL_WIDE;
    pc_softmax_arb(s, L->Y + d * n, n, prec);
    pc_softmax_jac_apply_arb(q, s, L->Y + d * n, n, prec);
    arb_t qe, nq;
    arb_init(qe);
    arb_init(nq);
    pl_split(qe, nq, q, eh, n, prec);
    if (st == PC_PLTAIL_OK && arb_contains_zero(qe))   /* Y still wide, or really ⊥ */
        st = pl_zero_status(qe, nq);
    if (st == PC_PLTAIL_OK) {
        arb_abs(t, a);
        arb_div(t, nw, t, prec);
        L->kappa_need = arf_get_d(arb_midref(t), ARF_RND_UP) + mag_get_d(arb_radref(t));
        arb_abs(t, qe);
        arb_div(t, t, nq, prec);                /* infinite where q ∥ ê (n = 2) */
        L->kappa_max = arb_is_finite(t)
            ? arf_get_d(arb_midref(t), ARF_RND_DOWN) - mag_get_d(arb_radref(t)) : 1e300;
        if (!(L->kappa_need < L->kappa_max))
            st = PC_PLTAIL_CONE;
        /* κ between the two, at most 1 (n = 2: w = 0 and κ_max is huge) */
        double kmax = L->kappa_need > 0.5 ? 2 * L->kappa_need : 1;
        kmax = L->kappa_max < kmax ? L->kappa_max : kmax;
        hint_from_d(L->kappa, (3 * L->kappa_need + kmax) / 4);
        /* θ just below |α| / R0² */
        arb_abs(t, a);
        arb_div(t, t, R0sq, prec);
        arb_get_lbound_arf(L->theta, t, prec);
        arf_mul_2exp_si(L->theta, L->theta, -1);
        arf_set_round(L->theta, L->theta, 30, ARF_RND_DOWN);
    }
    if (st == PC_PLTAIL_OK) {
        arb_t k, k2, root, h;
        arb_init(k), arb_init(k2), arb_init(root), arb_init(h);
        arb_set_arf(k, L->kappa);
        arb_mul(k2, k, k, prec);
        arb_add_si(root, k2, 1, prec);
        arb_sqrtpos(root, root, prec);
        arb_mul(root, root, c1, prec);
        arb_mul(root, root, L->R0, prec);           /* c1 √(1+κ²) R0 */
        /* H4a: θ (2μ − Λ − Γκ − c1√(1+κ²)R0) > 1 */
        arb_set_arf(h, L->mu);
        arb_mul_2exp_si(h, h, 1);
        arb_sub(h, h, Lam, prec);
        arb_submul(h, Gam, k, prec);
        arb_sub(h, h, root, prec);
        arb_mul_arf(h, h, L->theta, prec);
        arb_sub_si(h, h, 1, prec);
        if (!arb_is_positive(h))
            st = PC_PLTAIL_RATE;
        /* H4b: κ(m₂ − Λ) − Γ(1+κ²) − (1+κ)(c1√(1+κ²)R0 + 1/θ) > 0 */
        arb_set_arf(h, L->m2);
        arb_sub(h, h, Lam, prec);
        arb_mul(h, h, k, prec);
        arb_add_si(t, k2, 1, prec);
        arb_submul(h, Gam, t, prec);
        arb_set_arf(t, L->theta);
        arb_inv(t, t, prec);
        arb_add(t, t, root, prec);
        arb_add_si(sk, k, 1, prec);
        arb_submul(h, t, sk, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(h))
            st = PC_PLTAIL_GAP;
        /* H5: ‖w‖ ≤ κ|α| and |α| ≥ θ R0² at X0 */
        arb_abs(t, a);
        arb_mul(h, t, k, prec);
        arb_sub(h, h, nw, prec);
        arb_mul_arf(sk, R0sq, L->theta, prec);
        arb_sub(t, t, sk, prec);
        if (st == PC_PLTAIL_OK && !(arb_is_nonnegative(h) && arb_is_nonnegative(t)))
            st = PC_PLTAIL_CONE;
        /* H6: |q_e| > κ ‖q − q_e ê‖ over Y */
        arb_abs(t, qe);
        arb_submul(t, k, nq, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(t))
            st = PC_PLTAIL_CONE;
        arb_clear(k), arb_clear(k2), arb_clear(root), arb_clear(h);
    }
    if (st == PC_PLTAIL_OK) {
        L->sign = -arb_sgn_nonzero(a) * arb_sgn_nonzero(qe);
        pc_entropy_arb(L->Hlim, L->Y + d * n, n, prec);
        pl_hlim_widen(L, prec);
    }
    L->status = st;
    arb_clear(qe);
    arb_clear(nq);
    _arb_vec_clear(s, n), _arb_vec_clear(r, d), _arb_vec_clear(pv, n), _arb_vec_clear(u, n);
    _arb_vec_clear(q, n), _arb_vec_clear(eh, n), _arb_vec_clear(Ae, n);
    arb_mat_clear(VC);
    arb_mat_clear(A);
    arb_clear(t), arb_clear(a), arb_clear(nw), arb_clear(s2), arb_clear(Lam), arb_clear(Gam);
    arb_clear(c1), arb_clear(R0sq), arb_clear(sk);
    arf_clear(rad);
    return st == PC_PLTAIL_OK;
}

/* ---- pl-tail-quadratic/1: ℓ = ½‖b − Xy‖², G = XᵀX, e = y* − y with G y* = Xᵀb;
 * ė = −K G e (K = ‖s‖²I + V C² Vᵀ), a cone in the G-inner product ⟨u, v⟩ = uᵀGv. */

typedef struct {
    slong d, n, prec;
    arb_mat_t G;            /* XᵀX (exact rationals as balls) */
    arb_ptr ystar;          /* G⁻¹Xᵀb, enclosed */
} q_data;

/* ⟨u, v⟩_G. */
static void q_inner(arb_t res, const q_data *Q, arb_srcptr u, arb_srcptr v)
{
    arb_t t;
    arb_init(t);
    arb_zero(res);
    for (slong i = 0; i < Q->d; i++) {
        arb_dot(t, NULL, 0, arb_mat_entry(Q->G, i, 0), 1, v, 1, Q->d, Q->prec);
        arb_addmul(res, u + i, t, Q->prec);
    }
    arb_clear(t);
}

/* alpha = ⟨f̂, v⟩_G and ‖v − alpha f̂‖_G. */
static void q_split(arb_t alpha, arb_t nw, const q_data *Q, arb_srcptr fh, arb_srcptr v)
{
    arb_ptr w = _arb_vec_init(Q->d);
    q_inner(alpha, Q, fh, v);
    for (slong i = 0; i < Q->d; i++) {
        arb_mul(w + i, fh + i, alpha, Q->prec);
        arb_sub(w + i, v + i, w + i, Q->prec);
    }
    q_inner(nw, Q, w, w);
    arb_sqrtpos(nw, nw, Q->prec);
    _arb_vec_clear(w, Q->d);
}

/* At the state box x: s, e = y* − V s, K (d × d) and g = V C(s)² a. */
static void q_parts(arb_ptr s, arb_ptr e, arb_mat_t K, arb_ptr g, const q_data *Q,
                    arb_srcptr x)
{
    const slong d = Q->d, n = Q->n, prec = Q->prec;
    arb_ptr y = _arb_vec_init(d), c1 = _arb_vec_init(n), c2 = _arb_vec_init(n);
    arb_mat_t VC;
    arb_t s2;
    arb_init(s2);
    arb_mat_init(VC, d, n);
    pc_softmax_arb(s, x + d * n, n, prec);
    for (slong i = 0; i < d; i++) {
        arb_dot(y + i, NULL, 0, x + i * n, 1, s, 1, n, prec);
        arb_sub(e + i, Q->ystar + i, y + i, prec);
        for (slong j = 0; j < n; j++) {
            arb_sub(arb_mat_entry(VC, i, j), x + i * n + j, y + i, prec);
            arb_mul(arb_mat_entry(VC, i, j), arb_mat_entry(VC, i, j), s + j, prec);
        }
    }
    arb_dot(s2, NULL, 0, s, 1, s, 1, n, prec);
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k < d; k++) {
            arb_dot(arb_mat_entry(K, i, k), i == k ? s2 : NULL, 0, arb_mat_entry(VC, i, 0), 1,
                    arb_mat_entry(VC, k, 0), 1, n, prec);
        }
    pc_softmax_jac_apply_arb(c1, s, x + d * n, n, prec);         /* C a */
    pc_softmax_jac_apply_arb(c2, s, c1, n, prec);                /* C² a */
    for (slong i = 0; i < d; i++)
        arb_dot(g + i, NULL, 0, x + i * n, 1, c2, 1, n, prec);
    arb_mat_clear(VC);
    arb_clear(s2);
    _arb_vec_clear(y, d);
    _arb_vec_clear(c1, n);
    _arb_vec_clear(c2, n);
}

/* G, y*, and the hint gmin (a bit below λ_min(G), proven by G − gmin I ≻ 0). */
static int q_setup(q_data *Q, arf_t gmin, const pc_problem_struct *p, slong prec)
{
    const slong d = p->d, m = p->m;
    fmpq_mat_t X, Xt, Gq, rhs, ys;
    fmpq_mat_init(X, m, d);
    fmpq_mat_init(Xt, d, m);
    fmpq_mat_init(Gq, d, d);
    fmpq_mat_init(rhs, d, 1);
    fmpq_mat_init(ys, d, 1);
    for (slong i = 0; i < m; i++)
        for (slong k = 0; k < d; k++)
            fmpq_set(fmpq_mat_entry(X, i, k), p->X + i * d + k);
    fmpq_mat_transpose(Xt, X);
    fmpq_mat_mul(Gq, Xt, X);
    for (slong k = 0; k < d; k++)
        for (slong i = 0; i < m; i++)
            fmpq_addmul(fmpq_mat_entry(rhs, k, 0), fmpq_mat_entry(Xt, k, i), p->b + i);
    int ok = fmpq_mat_solve(ys, Gq, rhs);       /* exact; 0 if G is singular */
    for (slong i = 0; i < d; i++) {
        arb_set_fmpq(Q->ystar + i, fmpq_mat_entry(ys, i, 0), prec);
        for (slong k = 0; k < d; k++)
            arb_set_fmpq(arb_mat_entry(Q->G, i, k), fmpq_mat_entry(Gq, i, k), prec);
    }
    if (ok) {                                   /* gmin = 0.9 λ_min, then proven */
        arb_ptr ev = _arb_vec_init(d);
        acb_mat_t Gc;
        acb_ptr E = _acb_vec_init(d);
        acb_mat_init(Gc, d, d);
        acb_mat_set_arb_mat(Gc, Q->G);
        double lmin = 0;
        ok = acb_mat_approx_eig_qr(E, NULL, NULL, Gc, NULL, 0, prec);
        for (slong k = 0; ok && k < d; k++) {
            double l = arf_get_d(arb_midref(acb_realref(E + k)), ARF_RND_NEAR);
            lmin = k == 0 || l < lmin ? l : lmin;
        }
        hint_from_d(gmin, 0.9 * lmin);
        arb_mat_t M, L;
        arb_mat_init(M, d, d);
        arb_mat_init(L, d, d);
        arb_mat_set(M, Q->G);
        for (slong k = 0; k < d; k++)
            arb_sub_arf(arb_mat_entry(M, k, k), arb_mat_entry(M, k, k), gmin, prec);
        ok = ok && arf_sgn(gmin) > 0 && arb_mat_cho(L, M, prec);
        arb_mat_clear(M);
        arb_mat_clear(L);
        acb_mat_clear(Gc);
        _acb_vec_clear(E, d);
        _arb_vec_clear(ev, d);
    }
    fmpq_mat_clear(X);
    fmpq_mat_clear(Xt);
    fmpq_mat_clear(Gq);
    fmpq_mat_clear(rhs);
    fmpq_mat_clear(ys);
    return ok;
}

/* The hint f: the eigenvector of K G (midpoints) for its smallest eigenvalue;
 * lam2 the next one (floating point). */
static int q_slow_direction(arf_struct *f, double *lam1, double *lam2, const arb_mat_t KG,
                            slong prec)
{
    const slong d = arb_mat_nrows(KG);
    acb_mat_t B, R;
    acb_ptr ev = _acb_vec_init(d);
    acb_mat_init(B, d, d);
    acb_mat_init(R, d, d);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < d; j++)
            arb_set_arf(acb_realref(acb_mat_entry(B, i, j)), arb_midref(arb_mat_entry(KG, i, j)));
    int ok = acb_mat_approx_eig_qr(ev, NULL, R, B, NULL, 0, prec);
    slong k1 = -1;
    *lam1 = *lam2 = 0;
    for (slong k = 0; ok && k < d; k++) {
        double l = arf_get_d(arb_midref(acb_realref(ev + k)), ARF_RND_NEAR);
        if (k1 < 0 || l < *lam1) {
            *lam2 = k1 < 0 ? 1e300 : *lam1;
            k1 = k, *lam1 = l;
        } else if (l < *lam2)
            *lam2 = l;
    }
    if (d == 1)
        *lam2 = *lam1 + 1;                      /* no second direction: w = 0 */
    ok = ok && k1 >= 0;
    if (ok) {
        slong big = 0;
        for (slong i = 1; i < d; i++)
            if (acb_rel_accuracy_bits(acb_mat_entry(R, i, k1)) > -1000 &&
                arf_cmpabs(arb_midref(acb_realref(acb_mat_entry(R, i, k1))),
                           arb_midref(acb_realref(acb_mat_entry(R, big, k1)))) > 0)
                big = i;
        acb_t c, v;
        acb_init(c);
        acb_init(v);
        acb_inv(c, acb_mat_entry(R, big, k1), prec);
        ok = 0;
        for (slong i = 0; i < d; i++) {
            acb_mul(v, acb_mat_entry(R, i, k1), c, prec);
            arf_set_round(f + i, arb_midref(acb_realref(v)), prec, ARF_RND_NEAR);
            ok = ok || !arf_is_zero(f + i);
        }
        acb_clear(c);
        acb_clear(v);
    }
    acb_mat_clear(B);
    acb_mat_clear(R);
    _acb_vec_clear(ev, d);
    return ok;
}

int pc_pltail_quadratic_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x)
{
    const pc_problem_struct *p = E->p;
    const slong d = p->d, n = p->n, prec = E->prec;
    if (!pl_applies(L, E, PC_LOSS_QUADRATIC, 1))
        return 0;
    q_data Q;
    Q.d = d, Q.n = n, Q.prec = prec;
    arb_mat_init(Q.G, d, d);
    Q.ystar = _arb_vec_init(d);
    arb_ptr s = _arb_vec_init(n), e = _arb_vec_init(d), g = _arb_vec_init(d),
            r = _arb_vec_init(d), fh = _arb_vec_init(d), v = _arb_vec_init(d);
    arb_mat_t K, KG, GKG, M, Lc;
    arb_mat_init(K, d, d);
    arb_mat_init(KG, d, d);
    arb_mat_init(GKG, d, d);
    arb_mat_init(M, d, d);
    arb_mat_init(Lc, d, d);
    arb_t t, R0, Lam, Gam, al, nw, gf, ng, k;
    arb_init(t), arb_init(R0), arb_init(Lam), arb_init(Gam), arb_init(al), arb_init(nw);
    arb_init(gf), arb_init(ng), arb_init(k);
    arf_t rad;
    arf_init(rad);
    double lam1 = 0, lam2 = 0;
    pc_pltail_status st = PC_PLTAIL_OK;
    if (!q_setup(&Q, L->gmin, p, prec))
        st = PC_PLTAIL_RANK;
    /* X0: e, r = G e, R0 = ‖r‖; Y = X0 ± √n R0 / gmin */
    q_parts(s, e, K, g, &Q, x);
    arb_mat_mul(KG, K, Q.G, prec);
    for (slong i = 0; i < d; i++)
        arb_dot(r + i, NULL, 0, arb_mat_entry(Q.G, i, 0), 1, e, 1, d, prec);
    arb_dot(t, NULL, 0, r, 1, r, 1, d, prec);
    arb_sqrtpos(R0, t, prec);
    arb_set(L->R0, R0);
    if (st == PC_PLTAIL_OK && !arb_is_positive(t))
        st = PC_PLTAIL_RESIDUAL;
    if (st == PC_PLTAIL_OK && !q_slow_direction(L->e, &lam1, &lam2, KG, prec))
        st = PC_PLTAIL_GAP;
    arb_sqrt_ui(t, n, prec);
    arb_mul(t, t, R0, prec);
    if (arf_sgn(L->gmin) > 0)
        arb_div_arf(t, t, L->gmin, prec);
    arb_get_ubound_arf(rad, t, prec);
    pl_box(L, x, rad, prec);
    /* f̂ = f / ‖f‖_G */
    for (slong i = 0; i < d; i++)
        arb_set_arf(fh + i, L->e + i);
    q_inner(t, &Q, fh, fh);
    arb_rsqrt(t, t, prec);
    _arb_vec_scalar_mul(fh, fh, d, t, prec);
    /* at X0: α = ⟨f̂, e⟩_G, ‖w‖_G */
    q_split(al, nw, &Q, fh, e);
    if (st == PC_PLTAIL_OK && pl_too_wide(al))
        st = PC_PLTAIL_WIDE;
    /* over Y: K, G K G; Λ ≥ ⟨f̂, KG f̂⟩_G, Γ ≥ ‖KG f̂ − Λ₀ f̂‖_G; g = V C² a */
    q_parts(s, e, K, g, &Q, L->Y);
    arb_mat_mul(KG, K, Q.G, prec);
    arb_mat_mul(GKG, Q.G, KG, prec);
    for (slong i = 0; i < d; i++)
        arb_dot(v + i, NULL, 0, arb_mat_entry(KG, i, 0), 1, fh, 1, d, prec);
    q_split(Lam, Gam, &Q, fh, v);
    q_split(gf, ng, &Q, fh, g);
    if (st == PC_PLTAIL_OK && arb_contains_zero(gf))   /* Y still wide, or really ⊥ */
        st = pl_zero_status(gf, ng);
    if (st == PC_PLTAIL_OK && !(lam2 - lam1 > 0))
        st = PC_PLTAIL_GAP;
    hint_from_d(L->m2, lam2 - (lam2 - lam1) / 8);
    hint_from_d(L->sigma, 2 * (fabs(lam2) + 1));
    /* Q4: G K G − m₂ G + σ (G f̂)(G f̂)ᵀ ≻ 0 on Y */
    if (st == PC_PLTAIL_OK) {
        arb_ptr Gf = _arb_vec_init(d);
        for (slong i = 0; i < d; i++)
            arb_dot(Gf + i, NULL, 0, arb_mat_entry(Q.G, i, 0), 1, fh, 1, d, prec);
        for (slong i = 0; i < d; i++)
            for (slong j = 0; j < d; j++) {
                arb_mul_arf(t, arb_mat_entry(Q.G, i, j), L->m2, prec);
                arb_sub(arb_mat_entry(M, i, j), arb_mat_entry(GKG, i, j), t, prec);
                arb_mul(t, Gf + i, Gf + j, prec);
                arb_mul_arf(t, t, L->sigma, prec);
                arb_add(arb_mat_entry(M, i, j), arb_mat_entry(M, i, j), t, prec);
            }
        if (!arb_mat_cho(Lc, M, prec))
            st = PC_PLTAIL_GAP;
        _arb_vec_clear(Gf, d);
    }
    if (st == PC_PLTAIL_OK) {
        arb_abs(t, al);
        arb_div(t, nw, t, prec);
        L->kappa_need = arf_get_d(arb_midref(t), ARF_RND_UP) + mag_get_d(arb_radref(t));
        arb_abs(t, gf);
        arb_div(t, t, ng, prec);
        L->kappa_max = arb_is_finite(t)
            ? arf_get_d(arb_midref(t), ARF_RND_DOWN) - mag_get_d(arb_radref(t)) : 1e300;
        if (!(L->kappa_need < L->kappa_max))
            st = PC_PLTAIL_CONE;
        double kmax = L->kappa_need > 0.5 ? 2 * L->kappa_need : 1;
        kmax = L->kappa_max < kmax ? L->kappa_max : kmax;
        hint_from_d(L->kappa, (3 * L->kappa_need + kmax) / 4);
        arb_set_arf(k, L->kappa);
    }
    if (st == PC_PLTAIL_OK) {                   /* Q5: κ(m₂ − Λ) − Γ(1 + κ²) > 0 */
        arb_t h;
        arb_init(h);
        arb_sub_arf(h, Lam, L->m2, prec);
        arb_neg(h, h);
        arb_mul(h, h, k, prec);
        arb_mul(t, k, k, prec);
        arb_add_si(t, t, 1, prec);
        arb_submul(h, Gam, t, prec);
        if (!arb_is_positive(h))
            st = PC_PLTAIL_GAP;
        arb_abs(t, al);                         /* Q6: ‖w‖_G ≤ κ|α| at X0 */
        arb_mul(t, t, k, prec);
        arb_sub(t, t, nw, prec);
        if (st == PC_PLTAIL_OK && !arb_is_nonnegative(t))
            st = PC_PLTAIL_CONE;
        arb_abs(t, gf);                         /* Q7: |⟨g, f̂⟩_G| > κ‖g⊥‖_G on Y */
        arb_submul(t, k, ng, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(t))
            st = PC_PLTAIL_CONE;
        arb_clear(h);
    }
    if (st == PC_PLTAIL_OK) {
        L->sign = -arb_sgn_nonzero(al) * arb_sgn_nonzero(gf);
        pc_entropy_arb(L->Hlim, L->Y + d * n, n, prec);
        pl_hlim_widen(L, prec);
    }
    L->status = st;
    arb_mat_clear(Q.G);
    _arb_vec_clear(Q.ystar, d);
    _arb_vec_clear(s, n), _arb_vec_clear(e, d), _arb_vec_clear(g, d), _arb_vec_clear(r, d);
    _arb_vec_clear(fh, d), _arb_vec_clear(v, d);
    arb_mat_clear(K), arb_mat_clear(KG), arb_mat_clear(GKG), arb_mat_clear(M), arb_mat_clear(Lc);
    arb_clear(t), arb_clear(R0), arb_clear(Lam), arb_clear(Gam), arb_clear(al), arb_clear(nw);
    arb_clear(gf), arb_clear(ng), arb_clear(k);
    arf_clear(rad);
    return st == PC_PLTAIL_OK;
}

const char *pc_pltail_lemma_name(int loss)
{
    return loss == PC_LOSS_SQUARE ? "pl-tail" : loss == PC_LOSS_QUADRATIC ? "pl-tail-quadratic"
           : loss == PC_LOSS_CROSS_ENTROPY ? "pl-tail-crossent" : NULL;
}

int pc_pltail_check_any(pc_pltail_t L, pc_enclose_t E, arb_srcptr x)
{
    switch (E->p->loss) {
    case PC_LOSS_SQUARE: return pc_pltail_check(L, E, x);
    case PC_LOSS_QUADRATIC: return pc_pltail_quadratic_check(L, E, x);
    case PC_LOSS_CROSS_ENTROPY: return pc_pltail_crossent_check(L, E, x);
    default:
        L->status = PC_PLTAIL_NA;
        L->sign = 0;
        return 0;
    }
}
