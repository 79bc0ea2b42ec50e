/* pl-tail-crossent/1: see pc_pltail.h and proofs/pl-tail-crossent.md (the
 * hypotheses are named E1–E8 as there). */
#include <arb_mat.h>
#include <acb_mat.h>
#include <math.h>
#include "pc_pltail_impl.h"

/* ---- pl-tail-crossent/1 (proofs/pl-tail-crossent.md): ℓ = Q·lse(y) − qᵀy with
 * q > 0, Q = Σ q; r = q − Q σ(y) (Σ r = 0), ṙ = −B r with B = Q C(σ(y)) K; a cone
 * around the slow right eigenvector f of B in a fixed metric W ≈ C(σ(y_T))⁺. */

typedef struct {
    slong d, n, prec;
    arb_t Q;                /* Σ q (exact rational, as a ball) */
    arb_ptr q;
} ce_data;

/* At the state box x: s = σ(a), sy = σ(y), r = q − Q sy, K (d × d), g = V C(s)² a,
 * s2 = ‖s‖², and B = Q C(sy) K (d × d). */
static void ce_parts(arb_ptr s, arb_ptr sy, arb_ptr r, arb_mat_t K, arb_ptr g, arb_t s2,
                     arb_mat_t B, const ce_data *D, arb_srcptr x)
{
    const slong d = D->d, n = D->n, prec = D->prec;
    arb_ptr y = _arb_vec_init(d), c1 = _arb_vec_init(n), c2 = _arb_vec_init(n);
    arb_mat_t VC, P;
    arb_t t;
    arb_init(t);
    arb_mat_init(VC, d, n);
    arb_mat_init(P, d, d);
    pc_softmax_arb(s, x + d * n, n, prec);
    for (slong i = 0; i < d; i++)
        arb_dot(y + i, NULL, 0, x + i * n, 1, s, 1, n, prec);
    pc_softmax_arb(sy, y, d, prec);
    for (slong i = 0; i < d; i++) {
        arb_mul(r + i, D->Q, sy + i, prec);
        arb_sub(r + i, D->q + i, r + i, prec);
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
            arb_mul(arb_mat_entry(P, i, k), sy + i, sy + k, prec);     /* Q C(sy) */
            arb_neg(arb_mat_entry(P, i, k), arb_mat_entry(P, i, k));
            if (i == k)
                arb_add(arb_mat_entry(P, i, k), arb_mat_entry(P, i, k), sy + i, prec);
            arb_mul(arb_mat_entry(P, i, k), arb_mat_entry(P, i, k), D->Q, prec);
        }
    arb_mat_mul(B, P, K, prec);
    pc_softmax_jac_apply_arb(c1, s, x + d * n, n, prec);         /* C a */
    pc_softmax_jac_apply_arb(c2, s, c1, n, prec);                /* C² a */
    for (slong i = 0; i < d; i++)
        arb_dot(g + i, NULL, 0, x + i * n, 1, c2, 1, n, prec);
    arb_mat_clear(VC);
    arb_mat_clear(P);
    arb_clear(t);
    _arb_vec_clear(y, d);
    _arb_vec_clear(c1, n);
    _arb_vec_clear(c2, n);
}

/* out = M u (out and u distinct, length d). */
static void ce_matvec(arb_ptr out, const arb_mat_t M, arb_srcptr u, slong d, slong prec)
{
    for (slong i = 0; i < d; i++)
        arb_dot(out + i, NULL, 0, arb_mat_entry(M, i, 0), 1, u, 1, d, prec);
}

/* res = uᵀ W v (W given as dyadics). */
static void ce_inner(arb_t res, const arf_struct *W, arb_srcptr u, arb_srcptr v, slong d,
                     slong prec)
{
    arb_t t, w;
    arb_init(t);
    arb_init(w);
    arb_zero(res);
    for (slong i = 0; i < d; i++) {
        arb_zero(t);
        for (slong k = 0; k < d; k++) {
            arb_set_arf(w, W + i * d + k);
            arb_addmul(t, w, v + k, prec);
        }
        arb_addmul(res, u + i, t, prec);
    }
    arb_clear(t);
    arb_clear(w);
}

/* The hints at the midpoint of X0: f, the right eigenvector of B for its
 * smallest nonzero eigenvalue (real), with Σ f = 0 exactly; lam1, lam2 the two
 * smallest nonzero eigenvalues; W = (C(sy) + 11ᵀ/d)⁻¹ rounded to symmetric
 * dyadics (on 1^⊥ the inverse of C(sy), so that W B is nearly symmetric there);
 * wmin = 0.9 λ_min(W). Floating point in spirit: every hint is checked later. */
static int ce_hints(pc_pltail_t L, double *lam1, double *lam2, const arb_mat_t B,
                    arb_srcptr sy, slong d, slong prec)
{
    acb_mat_t Bc, R;
    acb_ptr ev = _acb_vec_init(d);
    acb_mat_init(Bc, d, d);
    acb_mat_init(R, d, d);
    double bnorm = 0;
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k < d; k++) {
            arb_set_arf(acb_realref(acb_mat_entry(Bc, i, k)), arb_midref(arb_mat_entry(B, i, k)));
            bnorm += fabs(arf_get_d(arb_midref(arb_mat_entry(B, i, k)), ARF_RND_NEAR));
        }
    int ok = acb_mat_approx_eig_qr(ev, NULL, R, Bc, NULL, 0, prec);
    slong k1 = -1;
    *lam1 = *lam2 = 1e300;
    for (slong k = 0; ok && k < d; k++) {
        double l = arf_get_d(arb_midref(acb_realref(ev + k)), ARF_RND_NEAR);
        if (fabs(l) <= 1e-12 * bnorm)           /* the eigenvalue 0 (1ᵀB = 0) */
            continue;
        if (l < *lam1)
            *lam2 = *lam1, *lam1 = l, k1 = k;
        else if (l < *lam2)
            *lam2 = l;
    }
    if (d == 2)
        *lam2 = *lam1 + 1;                      /* 1^⊥ is the line of f: w = 0 */
    ok = ok && k1 >= 0 && *lam1 > 0;
    if (ok) {                                   /* real part after fixing the phase */
        slong big = 0;
        for (slong i = 1; i < d; i++)
            if (arf_cmpabs(arb_midref(acb_realref(acb_mat_entry(R, i, k1))),
                           arb_midref(acb_realref(acb_mat_entry(R, big, k1)))) > 0)
                big = i;
        acb_t c, v;
        acb_init(c);
        acb_init(v);
        acb_inv(c, acb_mat_entry(R, big, k1), prec);
        arf_zero(L->e + d - 1);
        for (slong i = 0; i < d - 1; i++) {
            acb_mul(v, acb_mat_entry(R, i, k1), c, prec);
            arf_set_round(L->e + i, arb_midref(acb_realref(v)), prec, ARF_RND_NEAR);
            arf_sub(L->e + d - 1, L->e + d - 1, L->e + i, ARF_PREC_EXACT, ARF_RND_DOWN);
        }
        acb_clear(c);
        acb_clear(v);
    }
    if (ok) {
        arb_mat_t P, Wm;
        arb_mat_init(P, d, d);
        arb_mat_init(Wm, d, d);
        for (slong i = 0; i < d; i++)
            for (slong k = 0; k < d; k++) {
                arb_ptr m = arb_mat_entry(P, i, k);
                arb_set_arf(m, arb_midref(sy + i));
                arb_mul_arf(m, m, arb_midref(sy + k), prec);
                arb_neg(m, m);
                if (i == k)
                    arb_add_arf(m, m, arb_midref(sy + i), prec);
                arb_set_si(acb_realref(ev), 1);
                arb_div_si(acb_realref(ev), acb_realref(ev), d, prec);
                arb_add(m, m, acb_realref(ev), prec);
            }
        ok = arb_mat_inv(Wm, P, prec);
        for (slong i = 0; ok && i < d; i++)
            for (slong k = 0; k < d; k++)
                arf_set_round(L->W + i * d + k, arb_midref(arb_mat_entry(Wm, i < k ? i : k,
                                                                         i < k ? k : i)),
                              64, ARF_RND_NEAR);
        acb_mat_set_arb_mat(Bc, Wm);
        ok = ok && acb_mat_approx_eig_qr(ev, NULL, NULL, Bc, NULL, 0, prec);
        double wl = 1e300;
        for (slong k = 0; ok && k < d; k++) {
            double l = arf_get_d(arb_midref(acb_realref(ev + k)), ARF_RND_NEAR);
            wl = l < wl ? l : wl;
        }
        hint_from_d(L->wmin, 0.9 * wl);
        ok = ok && wl > 0;
        arb_mat_clear(P);
        arb_mat_clear(Wm);
    }
    acb_mat_clear(Bc);
    acb_mat_clear(R);
    _acb_vec_clear(ev, d);
    return ok;
}

/* Is W − wmin I positive definite? (W and wmin exact dyadics: arb_mat_cho
 * proves every pivot positive.) */
static int ce_wmin_ok(const pc_pltail_t L, slong d, slong prec)
{
    arb_mat_t M, C;
    arb_mat_init(M, d, d);
    arb_mat_init(C, d, d);
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k < d; k++) {
            arb_set_arf(arb_mat_entry(M, i, k), L->W + i * d + k);
            if (i == k)
                arb_sub_arf(arb_mat_entry(M, i, k), arb_mat_entry(M, i, k), L->wmin, prec);
        }
    int ok = arf_sgn(L->wmin) > 0 && arb_mat_cho(C, M, prec);
    arb_mat_clear(M);
    arb_mat_clear(C);
    return ok;
}

/* Lower bound of |x| (abs) or of x, and upper bound of x, as doubles rounded
 * outward (float estimates for the choice of hints only). */
static double pl_lo(const arb_t x, int abs)
{
    arf_t b;
    arf_init(b);
    arb_t a;
    arb_init(a);
    if (abs)
        arb_abs(a, x);
    else
        arb_set(a, x);
    arb_get_lbound_arf(b, a, 53);
    double v = arf_get_d(b, ARF_RND_DOWN);
    arf_clear(b);
    arb_clear(a);
    return v;
}

static double pl_hi(const arb_t x)
{
    arf_t b;
    arf_init(b);
    arb_get_ubound_arf(b, x, 53);
    double v = arf_get_d(b, ARF_RND_UP);
    arf_clear(b);
    return v;
}

/* v − c W f̂ − (its mean) 1, and its Euclidean norm divided by √wmin: a bound of
 * |vᵀw| / ‖w‖_W for every w ⊥ 1 with ⟨w, f̂⟩_W = 0 (proofs/pl-tail-crossent.md §5). */
static void ce_dual(arb_t res, arb_srcptr v, const arb_t c, arb_srcptr Wf, const arf_t wmin,
                    slong d, slong prec)
{
    arb_ptr u = _arb_vec_init(d);
    arb_t m;
    arb_init(m);
    for (slong i = 0; i < d; i++) {
        arb_mul(u + i, c, Wf + i, prec);
        arb_sub(u + i, v + i, u + i, prec);
        arb_add(m, m, u + i, prec);
    }
    arb_div_si(m, m, d, prec);
    for (slong i = 0; i < d; i++)
        arb_sub(u + i, u + i, m, prec);
    arb_dot(res, NULL, 0, u, 1, u, 1, d, prec);
    arb_div_arf(res, res, wmin, prec);
    arb_sqrtpos(res, res, prec);
    arb_clear(m);
    _arb_vec_clear(u, d);
}

/* E5: ½(S + Sᵀ) − m₂ W + σ((W f̂)(W f̂)ᵀ + 11ᵀ) positive definite on the box. */
static int ce_gap_check(const arb_mat_t S, const pc_pltail_t L, arb_srcptr Wf, slong d,
                        slong prec)
{
    arb_mat_t M, C;
    arb_t t;
    arb_mat_init(M, d, d);
    arb_mat_init(C, d, d);
    arb_init(t);
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k < d; k++) {
            arb_ptr m = arb_mat_entry(M, i, k);
            arb_add(m, arb_mat_entry(S, i, k), arb_mat_entry(S, k, i), prec);
            arb_mul_2exp_si(m, m, -1);
            arb_set_arf(t, L->W + i * d + k);
            arb_mul_arf(t, t, L->m2, prec);
            arb_sub(m, m, t, prec);
            arb_mul(t, Wf + i, Wf + k, prec);
            arb_add_si(t, t, 1, prec);
            arb_mul_arf(t, t, L->sigma, prec);
            arb_add(m, m, t, prec);
        }
    /* centred (Rump): the exact matrix A at a point of Y is symmetric with its lower
     * triangle in that of M, so with c the symmetric matrix of the lower midpoints,
     * ‖A − c‖₂ ≤ e (the Frobenius norm of the lower radii, off-diagonal ones
     * twice) and A ⪰ c − eI; the Cholesky factorisation of that point matrix wraps
     * far less than the one of M itself. The checker does the same. */
    mag_t e, r;
    mag_init(e);
    mag_init(r);
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k <= i; k++) {
            mag_mul(r, arb_radref(arb_mat_entry(M, i, k)), arb_radref(arb_mat_entry(M, i, k)));
            mag_add(e, e, r);
            if (k < i)
                mag_add(e, e, r);
        }
    mag_sqrt(e, e);
    arf_set_mag(arb_midref(t), e);
    mag_zero(arb_radref(t));
    for (slong i = 0; i < d; i++)
        for (slong k = 0; k <= i; k++) {
            mag_zero(arb_radref(arb_mat_entry(M, i, k)));
            arb_set(arb_mat_entry(M, k, i), arb_mat_entry(M, i, k));
            if (i == k)
                arb_sub(arb_mat_entry(M, i, k), arb_mat_entry(M, i, k), t, prec);
        }
    int ok = arb_mat_cho(C, M, prec);
    mag_clear(e);
    mag_clear(r);
    arb_mat_clear(M);
    arb_mat_clear(C);
    arb_clear(t);
    return ok;
}

/* H over the box a: the natural interval evaluation intersected with the
 * mean-value form H(c) − Σ_j (C(s)a)_j (a_j − c_j) (∇H = −C(s)a, s = σ(a), over
 * the box; c its midpoint), which is much tighter on a small box. */
static void ce_entropy_box(arb_t H, arb_srcptr a, slong n, slong prec)
{
    arb_ptr c = _arb_vec_init(n), s = _arb_vec_init(n), ca = _arb_vec_init(n);
    arb_t h, t;
    arb_init(h);
    arb_init(t);
    for (slong j = 0; j < n; j++)
        arb_set_arf(c + j, arb_midref(a + j));
    pc_entropy_arb(h, c, n, prec);
    pc_softmax_arb(s, a, n, prec);
    pc_softmax_jac_apply_arb(ca, s, a, n, prec);
    for (slong j = 0; j < n; j++) {
        arb_sub(t, a + j, c + j, prec);
        arb_submul(h, ca + j, t, prec);
    }
    pc_entropy_arb(H, a, n, prec);
    if (!arb_intersection(H, H, h, prec))
        arb_set(H, h);                      /* cannot happen: both contain H(a) */
    _arb_vec_clear(c, n);
    _arb_vec_clear(s, n);
    _arb_vec_clear(ca, n);
    arb_clear(h);
    arb_clear(t);
}

int pc_pltail_crossent_check(pc_pltail_t L, pc_enclose_t E, arb_srcptr x)
{
    const pc_problem_struct *p = E->p;
    const slong d = p->d, n = p->n, prec = E->prec;
    if (!pl_applies(L, E, PC_LOSS_CROSS_ENTROPY, 2))
        return 0;
    ce_data D;
    D.d = d, D.n = n, D.prec = prec;
    arb_init(D.Q);
    D.q = _arb_vec_init(d);
    pc_pltail_status st = PC_PLTAIL_OK;
    for (slong i = 0; i < d; i++) {
        arb_set_fmpq(D.q + i, p->q + i, prec);
        arb_add(D.Q, D.Q, D.q + i, prec);
        if (fmpq_sgn(p->q + i) <= 0)
            st = PC_PLTAIL_QZERO;
    }
    arb_ptr s = _arb_vec_init(n), sy = _arb_vec_init(d), r = _arb_vec_init(d),
            g = _arb_vec_init(d), fh = _arb_vec_init(d), Wf = _arb_vec_init(d),
            v = _arb_vec_init(d), w = _arb_vec_init(d);
    arb_mat_t K, B, S, Wm;
    arb_mat_init(K, d, d);
    arb_mat_init(B, d, d);
    arb_mat_init(S, d, d);
    arb_mat_init(Wm, d, d);
    arb_t t, s2, E0, smin, al, nw, Lam, G1, G2, gam, Gg, k, h;
    arb_init(t), arb_init(s2), arb_init(E0), arb_init(smin), arb_init(al), arb_init(nw);
    arb_init(Lam), arb_init(G1), arb_init(G2), arb_init(gam), arb_init(Gg), arb_init(k);
    arb_init(h);
    arf_t rad;
    arf_init(rad);
    double lam1 = 0, lam2 = 0;

    /* X0: r, E0 ≥ Σ r_k² / (Q σ_k) ≥ L − L*; the hints f, W, wmin; μ from X0 */
    ce_parts(s, sy, r, K, g, s2, B, &D, x);
    arb_dot(t, NULL, 0, r, 1, r, 1, d, prec);
    arb_sqrtpos(L->R0, t, prec);
    arb_zero(E0);
    for (slong i = 0; i < d; i++) {
        arb_sqr(t, r + i, prec);
        arb_div(t, t, sy + i, prec);
        arb_add(E0, E0, t, prec);
    }
    arb_div(E0, E0, D.Q, prec);
    if (st == PC_PLTAIL_OK && !arb_is_positive(E0))
        st = PC_PLTAIL_RESIDUAL;
    if (st == PC_PLTAIL_OK && !ce_hints(L, &lam1, &lam2, B, sy, d, prec))
        st = PC_PLTAIL_GAP;
    if (st == PC_PLTAIL_OK && !ce_wmin_ok(L, d, prec))
        st = PC_PLTAIL_GAP;
    arb_set(smin, sy);
    for (slong i = 1; i < d; i++)
        arb_min(smin, smin, sy + i, prec);
    arb_mul(t, smin, s2, prec);
    arb_mul(t, t, D.Q, prec);
    hint_from_d(L->mu, 0.9 * arf_get_d(arb_midref(t), ARF_RND_DOWN));

    /* E3: Y = X0 + [−ρ, ρ], ρ = 2 √(E0 / μ) (the path length bound) */
    arb_div_arf(t, E0, L->mu, prec);
    arb_sqrtpos(t, t, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_get_ubound_arf(rad, t, prec);
    pl_box(L, x, rad, prec);
    /* at X0: α = ⟨f̂, r⟩_W, ‖w‖_W; f̂ = f / ‖f‖_W */
    for (slong i = 0; i < d; i++)
        arb_set_arf(fh + i, L->e + i);
    ce_inner(t, L->W, fh, fh, d, prec);
    arb_rsqrt(t, t, prec);
    _arb_vec_scalar_mul(fh, fh, d, t, prec);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < d; j++)
            arb_set_arf(arb_mat_entry(Wm, i, j), L->W + i * d + j);
    ce_matvec(Wf, Wm, fh, d, prec);
    arb_dot(al, NULL, 0, Wf, 1, r, 1, d, prec);
    for (slong i = 0; i < d; i++)
        arb_set(w + i, r + i), arb_submul(w + i, al, fh + i, prec);
    ce_inner(nw, L->W, w, w, d, prec);
    arb_sqrtpos(nw, nw, prec);
    /* g(X0) ⊥ f̂ up to rounding (a symmetry): E8 fails for every κ */
    arb_dot(gam, NULL, 0, g, 1, fh, 1, d, prec);
    ce_dual(Gg, g, gam, Wf, L->wmin, d, prec);
    arb_abs(t, gam);
    arb_mul_2exp_si(t, t, prec / 2);
    arb_sub(t, Gg, t, prec);
    if (st == PC_PLTAIL_OK && arb_is_positive(t))
        st = PC_PLTAIL_ORTHO;
    if (st == PC_PLTAIL_OK && pl_too_wide(al))
        st = PC_PLTAIL_WIDE;

    /* over Y: E3's μ ≤ Q min σ(y) ‖s‖²; S = W B; Λ, Γ1, Γ2; γ = gᵀf̂ and ‖g⊥‖ */
    ce_parts(s, sy, r, K, g, s2, B, &D, L->Y);
    arb_set(smin, sy);
    for (slong i = 1; i < d; i++)
        arb_min(smin, smin, sy + i, prec);
    arb_mul(t, smin, s2, prec);
    arb_mul(t, t, D.Q, prec);
    arb_sub_arf(t, t, L->mu, prec);
    if (st == PC_PLTAIL_OK && !(arf_sgn(L->mu) > 0 && arb_is_nonnegative(t)))
        st = PC_PLTAIL_BOX;
    arb_mat_mul(S, Wm, B, prec);
    ce_matvec(v, B, fh, d, prec);
    arb_dot(Lam, NULL, 0, Wf, 1, v, 1, d, prec);                /* f̂ᵀ S f̂ */
    for (slong i = 0; i < d; i++)
        arb_submul(v + i, Lam, fh + i, prec);                   /* B f̂ − Λ f̂ */
    ce_inner(G1, L->W, v, v, d, prec);
    arb_sqrtpos(G1, G1, prec);
    for (slong i = 0; i < d; i++)                               /* z = Sᵀ f̂ */
        arb_dot(v + i, NULL, 0, arb_mat_entry(S, 0, i), d, fh, 1, d, prec);
    ce_dual(G2, v, Lam, Wf, L->wmin, d, prec);
    arb_dot(gam, NULL, 0, g, 1, fh, 1, d, prec);
    ce_dual(Gg, g, gam, Wf, L->wmin, d, prec);
    const int gap_clear = lam2 - lam1 > 1e-6 * fabs(lam2);
    if (st == PC_PLTAIL_OK && !gap_clear)       /* repeated (or nearly) slowest eigenvalue */
        st = PC_PLTAIL_GAP;
    if (st == PC_PLTAIL_OK && arb_contains_zero(gam))
        st = pl_zero_status(gam, Gg);
    hint_from_d(L->m2, lam2 - (lam2 - lam1) / 8);
    if (st == PC_PLTAIL_OK) {                   /* E5, with a shift σ large enough */
        int ok = 0;
        for (int e2 = -4; !ok && e2 <= 16; e2 += 4) {
            arf_set_si_2exp_si(L->sigma, 1, e2);
            ok = ce_gap_check(S, L, Wf, d, prec);
        }
        if (!ok)                                /* a clear gap: Y is too wide for it */
            st = gap_clear ? PC_PLTAIL_BOX : PC_PLTAIL_GAP;
    }
    if (st == PC_PLTAIL_OK) {
        /* κ: at least the need at X0 (E7) and Γ1/(m₂ − Λ) (E6), below E8's bound */
        arb_abs(t, al);
        arb_div(t, nw, t, prec);
        L->kappa_need = arf_get_d(arb_midref(t), ARF_RND_UP) + mag_get_d(arb_radref(t));
        double glo = pl_lo(gam, 1), gghi = pl_hi(Gg), g1 = pl_hi(G1),
               gap = arf_get_d(L->m2, ARF_RND_DOWN) - pl_hi(Lam);
        L->kappa_max = gghi > 0 ? glo / gghi : 1e300;
        double klo = L->kappa_need, kmax = L->kappa_max < 1 ? L->kappa_max : 1;
        if (gap > 0 && g1 / gap > klo)
            klo = g1 / gap;
        if (!(L->kappa_need < kmax))
            st = PC_PLTAIL_CONE;
        else if (!(gap > 0 && klo < kmax))
            st = gap_clear ? PC_PLTAIL_BOX : PC_PLTAIL_GAP;
        hint_from_d(L->kappa, (klo + kmax) / 2);
        arb_set_arf(k, L->kappa);
    }
    if (st == PC_PLTAIL_OK) {
        /* E6: κ(m₂ − Λ) − Γ1 − κ²Γ2 > 0 */
        arb_sub_arf(h, Lam, L->m2, prec);
        arb_neg(h, h);
        arb_mul(h, h, k, prec);
        arb_sub(h, h, G1, prec);
        arb_mul(t, k, k, prec);
        arb_submul(h, t, G2, prec);
        if (!arb_is_positive(h))
            st = gap_clear ? PC_PLTAIL_BOX : PC_PLTAIL_GAP;
        /* E7: ‖w‖_W ≤ κ|α| at X0 */
        arb_abs(t, al);
        arb_mul(t, t, k, prec);
        arb_sub(t, t, nw, prec);
        if (st == PC_PLTAIL_OK && !arb_is_nonnegative(t))
            st = PC_PLTAIL_CONE;
        /* E8: |γ| > κ ‖g⊥‖/√wmin on Y */
        arb_abs(t, gam);
        arb_submul(t, k, Gg, prec);
        if (st == PC_PLTAIL_OK && !arb_is_positive(t))
            st = PC_PLTAIL_CONE;
    }
    if (st == PC_PLTAIL_OK) {
        L->sign = -arb_sgn_nonzero(al) * arb_sgn_nonzero(gam);
        ce_entropy_box(L->Hlim, L->Y + d * n, n, prec);
        pl_hlim_widen(L, prec);
    }
    L->status = st;
    arb_clear(D.Q);
    _arb_vec_clear(D.q, d);
    _arb_vec_clear(s, n), _arb_vec_clear(sy, d), _arb_vec_clear(r, d), _arb_vec_clear(g, d);
    _arb_vec_clear(fh, d), _arb_vec_clear(Wf, d), _arb_vec_clear(v, d), _arb_vec_clear(w, d);
    arb_mat_clear(K), arb_mat_clear(B), arb_mat_clear(S), arb_mat_clear(Wm);
    arb_clear(t), arb_clear(s2), arb_clear(E0), arb_clear(smin), arb_clear(al), arb_clear(nw);
    arb_clear(Lam), arb_clear(G1), arb_clear(G2), arb_clear(gam), arb_clear(Gg), arb_clear(k);
    arb_clear(h);
    arf_clear(rad);
    return st == PC_PLTAIL_OK;
}
