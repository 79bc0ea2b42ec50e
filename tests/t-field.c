/* Tests of the full gradient-flow field and the quantities around it:
 * pc_field_full, pc_model_loss, pc_softmax, pc_logsumexp, pc_entropy,
 * pc_entropy_rate, the conserved quantities and the initial state.
 *  - ball inputs: results contain the value at a random inner point, at 4x
 *    the precision, for every loss family;
 *  - the field is −∇L: exact directional derivatives of L(V, a) = ℓ(V σ(a))
 *    written from its definition in dual numbers (testutil.h);
 *  - identities of MISSION.md §2: Σ da = 0, dH/dt = −Σ (log s + 1) ds/dt,
 *    dy/dt = (‖s‖² I + V C(s)² Vᵀ) r and NOT the printed C(s) form,
 *    conservation of the part of V orthogonal to β;
 *  - the double versions agree with the balls. */
#include "testutil.h"

#define FILE_NAME "t-field"

/* An exact rational full state (V from p, a from p) as balls. */
static void state_from_fmpq(arb_ptr x, const pc_problem_t p, slong prec)
{
    tu_arb_vec_set_fmpq(x, p->V, p->d * p->n, prec);
    tu_arb_vec_set_fmpq(x + p->d * p->n, p->a, p->n, prec);
}

/* ---- ball inputs ------------------------------------------------------------------- */

START_TEST(test_field_ball_containment)
{
    flint_rand_t st;
    tu_rand_init(st, 201);
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 400; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec;
            pc_problem_t p;
            pc_model_arb_t mlo, mhi;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 4, 1, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            tu_model_arb(mlo, p, prec);
            tu_model_arb(mhi, p, hp);
            arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim);
            arb_ptr dx = _arb_vec_init(dim), dxs = _arb_vec_init(dim);
            arb_ptr da = _arb_vec_init(n), das = _arb_vec_init(n);
            arb_ptr s = _arb_vec_init(n), ss = _arb_vec_init(n);
            arb_ptr W = _arb_vec_init(d * n), Ws = _arb_vec_init(d * n);
            arb_t v, vs;
            arb_init(v);
            arb_init(vs);
            const char *ls = tu_loss_str(loss);

            tu_rand_ball_vec(x, d * n, st, 3, prec);
            tu_rand_ball_vec(x + d * n, n, st, 4, prec);
            tu_rand_ball_vec(da, n, st, 3, prec);
            tu_rand_point_in_vec(xs, x, dim, st);
            tu_rand_point_in_vec(das, da, n, st);
            arb_srcptr a = x + d * n, as = xs + d * n;

            pc_field_full_arb(dx, mlo, x, prec);
            pc_field_full_arb(dxs, mhi, xs, hp);
            for (slong k = 0; k < dim; k++)
                TU_CONTAINS(dx + k, dxs + k, "%s: field component %ld at an inner point (iter %d)",
                            ls, (long) k, iter);
            pc_model_loss_arb(v, mlo, x, prec);
            pc_model_loss_arb(vs, mhi, xs, hp);
            TU_CONTAINS(v, vs, "%s: model loss at an inner point (iter %d)", ls, iter);
            pc_entropy_arb(v, a, n, prec);
            pc_entropy_arb(vs, as, n, hp);
            TU_CONTAINS(v, vs, "entropy at an inner point (iter %d)", iter);
            pc_entropy_rate_arb(v, a, da, n, prec);
            pc_entropy_rate_arb(vs, as, das, n, hp);
            TU_CONTAINS(v, vs, "entropy rate at an inner point (iter %d)", iter);
            pc_entropy_rate_arb(v, a, dx + d * n, n, prec);   /* along the field */
            pc_entropy_rate_arb(vs, as, dxs + d * n, n, hp);
            TU_CONTAINS(v, vs, "%s: entropy rate along the field (iter %d)", ls, iter);
            pc_softmax_arb(s, a, n, prec);
            pc_softmax_arb(ss, as, n, hp);
            for (slong j = 0; j < n; j++)
                TU_CONTAINS(s + j, ss + j, "softmax s_%ld at an inner point (iter %d)",
                            (long) j, iter);
            pc_logsumexp_arb(v, a, n, prec);
            pc_logsumexp_arb(vs, as, n, hp);
            TU_CONTAINS(v, vs, "logsumexp at an inner point (iter %d)", iter);
            pc_conserved_sum_a_arb(v, x, d, n, prec);
            pc_conserved_sum_a_arb(vs, xs, d, n, hp);
            TU_CONTAINS(v, vs, "sum of a at an inner point (iter %d)", iter);
            if (tu_has_beta(p->loss)) {
                pc_conserved_vperp_arb(W, mlo, x, prec);
                pc_conserved_vperp_arb(Ws, mhi, xs, hp);
                for (slong k = 0; k < d * n; k++)
                    TU_CONTAINS(W + k, Ws + k, "%s: V-perp entry %ld at an inner point (iter %d)",
                                ls, (long) k, iter);
            }

            arb_clear(v);
            arb_clear(vs);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(xs, dim);
            _arb_vec_clear(dx, dim);
            _arb_vec_clear(dxs, dim);
            _arb_vec_clear(da, n);
            _arb_vec_clear(das, n);
            _arb_vec_clear(s, n);
            _arb_vec_clear(ss, n);
            _arb_vec_clear(W, d * n);
            _arb_vec_clear(Ws, d * n);
            pc_model_arb_clear(mlo);
            pc_model_arb_clear(mhi);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "field_ball_containment");
}
END_TEST

/* ---- the field is −∇L; softmax, logsumexp, entropy from their definitions -------- */

START_TEST(test_field_is_minus_gradient)
{
    flint_rand_t st;
    tu_rand_init(st, 202);
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 150; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t m;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 4, 1, 6);
            if (p->q != NULL && n_randint(st, 3) == 0)
                tu_perturb_q_sum(p, st);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            tu_model_arb(m, p, prec);
            arb_ptr x = _arb_vec_init(dim), xh = _arb_vec_init(dim), dx = _arb_vec_init(dim);
            arb_ptr xd = _arb_vec_init(2 * dim), ad = _arb_vec_init(2 * n);
            arb_ptr s = _arb_vec_init(n), sref = _arb_vec_init(n), da = _arb_vec_init(n);
            fmpq *daq = _fmpq_vec_init(n);
            arb_struct L[2];
            arb_t v, t;
            arb_init(L);
            arb_init(L + 1);
            arb_init(v);
            arb_init(t);
            const char *ls = tu_loss_str(loss);

            state_from_fmpq(x, p, prec);
            state_from_fmpq(xh, p, hp);
            pc_field_full_arb(dx, m, x, prec);
            pc_model_loss_arb(v, m, x, prec);
            for (slong k = 0; k < dim; k++) {
                tu_dual_vec_set(xd, xh, NULL, k, dim);
                tu_dual_model_loss(L, p, xd, hp);
                if (k == 0) {
                    TU_CONTAINS(v, L, "%s: model loss vs its definition (iter %d)", ls, iter);
                    TU_ACCURATE(v, prec / 2, "%s: model loss inaccurate", ls);
                }
                arb_neg(L + 1, L + 1);
                TU_CONTAINS(dx + k, L + 1, "%s: field component %ld vs −∂L/∂x_%ld (iter %d)",
                            ls, (long) k, (long) k, iter);
                TU_ACCURATE(dx + k, prec / 2, "%s: field component inaccurate", ls);
            }

            /* softmax, logsumexp, entropy, and dH/dt = d/dt H(a + t·da) */
            arb_srcptr a = x + d * n, ah = xh + d * n;
            pc_softmax_arb(s, a, n, prec);
            indep_softmax(sref, ah, n, hp);
            for (slong j = 0; j < n; j++) {
                TU_CONTAINS(s + j, sref + j, "softmax vs exp(a_j)/Σexp(a_k) (iter %d)", iter);
                TU_ACCURATE(s + j, prec / 2, "softmax inaccurate");
            }
            pc_logsumexp_arb(v, a, n, prec);
            arb_zero(t);
            for (slong j = 0; j < n; j++) {
                arb_exp(L, ah + j, hp);
                arb_add(t, t, L, hp);
            }
            arb_log(t, t, hp);
            TU_CONTAINS(v, t, "logsumexp vs log Σ exp(a_k) (iter %d)", iter);
            TU_ACCURATE(v, prec / 2, "logsumexp inaccurate");

            tu_randq_vec(daq, n, st, 3, 12);
            tu_arb_vec_set_fmpq(da, daq, n, prec);
            tu_arb_vec_set_fmpq(s, daq, n, hp);      /* s: da at high precision */
            tu_dual_vec_set(ad, ah, s, 0, n);
            tu_dual_entropy(L, ad, n, hp);
            pc_entropy_arb(v, a, n, prec);
            TU_CONTAINS(v, L, "entropy vs −Σ s log s (iter %d)", iter);
            TU_ACCURATE(v, prec / 2, "entropy inaccurate");
            pc_entropy_rate_arb(v, a, da, n, prec);
            TU_CONTAINS(v, L + 1, "entropy rate vs d/dt H(a + t da) (iter %d)", iter);
            TU_ACCURATE(v, prec / 2, "entropy rate inaccurate");
            /* and along the field itself: dH/dt of the flow */
            for (slong j = 0; j < n; j++)
                arb_set(s + j, dx + d * n + j);      /* the field's da (a ball) */
            tu_dual_vec_set(ad, ah, s, 0, n);
            tu_dual_entropy(L, ad, n, hp);
            pc_entropy_rate_arb(v, a, dx + d * n, n, prec);
            TU_OVERLAPS(v, L + 1, "%s: entropy rate along the field (iter %d)", ls, iter);

            arb_clear(L);
            arb_clear(L + 1);
            arb_clear(v);
            arb_clear(t);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(xh, dim);
            _arb_vec_clear(dx, dim);
            _arb_vec_clear(xd, 2 * dim);
            _arb_vec_clear(ad, 2 * n);
            _arb_vec_clear(s, n);
            _arb_vec_clear(sref, n);
            _arb_vec_clear(da, n);
            _fmpq_vec_clear(daq, n);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "field_is_minus_gradient");
}
END_TEST

/* ---- identities of the flow ------------------------------------------------------- */

START_TEST(test_field_identities)
{
    flint_rand_t st;
    tu_rand_init(st, 203);
    long wrong_form_checked = 0, wrong_form_cases = 0, vperp_nonzero_checked = 0;
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 400; iter++) {
            /* high precision, so that "does not overlap" is meaningful */
            slong prec = 64 + n_randint(st, 400);
            pc_problem_t p;
            pc_model_arb_t m;
            slong nmin = (iter % 4 == 0) ? 1 : 2;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 4, nmin, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            int aligned = (p->loss == PC_LOSS_SQUARE) && n_randint(st, 2);
            if (aligned) {              /* V = β w0ᵀ, exactly */
                fmpq_t w;
                fmpq_init(w);
                for (slong j = 0; j < n; j++) {
                    tu_randq(w, st, 2, 12);
                    for (slong i = 0; i < d; i++)
                        fmpq_mul(p->V + i * n + j, p->beta + i, w);
                }
                fmpq_clear(w);
            }
            tu_model_arb(m, p, prec);
            arb_ptr x = _arb_vec_init(dim), dx = _arb_vec_init(dim);
            arb_ptr s = _arb_vec_init(n), ds = _arb_vec_init(n), da = _arb_vec_init(n);
            arb_ptr y = _arb_vec_init(d), r = _arb_vec_init(d), u = _arb_vec_init(n);
            arb_ptr c1 = _arb_vec_init(n), c2 = _arb_vec_init(n);
            arb_ptr lhs = _arb_vec_init(d), good = _arb_vec_init(d), bad = _arb_vec_init(d);
            arb_ptr W = _arb_vec_init(d * n);
            arb_t v, t, s2, gap;
            arb_init(v);
            arb_init(t);
            arb_init(s2);
            arb_init(gap);
            const char *ls = tu_loss_str(loss);
            arb_srcptr V = x, a = x + d * n;
            arb_srcptr dV = dx, dA = dx + d * n;

            state_from_fmpq(x, p, prec);
            pc_field_full_arb(dx, m, x, prec);
            indep_softmax(s, a, n, prec);

            /* Σ_j da_j = 0 (shift symmetry of σ) */
            pc_conserved_sum_a_arb(v, dx, d, n, prec);
            TU_ASSERT(arb_contains_zero(v) && tu_accurate(v, prec / 2),
                      "%s: Σ da_j does not contain 0 (iter %d)", ls, iter);

            /* dH/dt = −Σ_j (log s_j + 1) (C(s) da)_j for an arbitrary da */
            tu_rand_ball_vec(da, n, st, 3, prec);
            for (slong j = 0; j < n; j++)
                mag_zero(arb_radref(da + j));
            indep_cmat_apply(ds, s, da, n, prec);
            arb_zero(t);
            for (slong j = 0; j < n; j++) {
                arb_log(v, s + j, prec);
                arb_add_ui(v, v, 1, prec);
                arb_submul(t, v, ds + j, prec);
            }
            pc_entropy_rate_arb(v, a, da, n, prec);
            arb_sub(t, t, v, prec);
            TU_ASSERT(arb_contains_zero(t) && tu_accurate(t, prec / 2),
                      "entropy rate != −Σ (log s + 1) C(s) da (iter %d)", iter);

            /* dy/dt by the chain rule, dV s + V C(s) da ... */
            indep_cmat_apply(ds, s, dA, n, prec);
            for (slong i = 0; i < d; i++) {
                arb_dot(lhs + i, NULL, 0, dV + i * n, 1, s, 1, n, prec);
                arb_dot(lhs + i, lhs + i, 0, V + i * n, 1, ds, 1, n, prec);
            }
            /* ... equals (‖s‖² I + V C(s)² Vᵀ) r, and not (‖s‖² I + V C(s) Vᵀ) r */
            pc_model_output_arb(y, m, V, s, prec);
            pc_loss_residual_arb(r, m, y, prec);
            for (slong j = 0; j < n; j++)
                arb_dot(u + j, NULL, 0, r, 1, V + j, n, d, prec);      /* u = Vᵀ r */
            indep_cmat_apply(c1, s, u, n, prec);
            indep_cmat_apply(c2, s, c1, n, prec);
            arb_dot(s2, NULL, 0, s, 1, s, 1, n, prec);
            for (slong i = 0; i < d; i++) {
                arb_mul(good + i, s2, r + i, prec);
                arb_dot(good + i, good + i, 0, V + i * n, 1, c2, 1, n, prec);
                arb_mul(bad + i, s2, r + i, prec);
                arb_dot(bad + i, bad + i, 0, V + i * n, 1, c1, 1, n, prec);
                TU_OVERLAPS(lhs + i, good + i, "%s: dy/dt != (|s|^2 I + V C^2 V^T) r, i = %ld (iter %d)",
                            ls, (long) i, iter);
                TU_ACCURATE(lhs + i, prec / 2, "%s: dy/dt inaccurate", ls);
            }
            /* the two forms differ by V (C − C²) Vᵀ r, and rᵀ of that is
             * uᵀ (C − C²) u >= 0, zero only if C u = 0: where it is provably
             * positive the printed form must be refuted */
            arb_dot(gap, NULL, 0, u, 1, c1, 1, n, prec);
            arb_dot(gap, gap, 1, u, 1, c2, 1, n, prec);
            wrong_form_cases++;
            if (arb_is_positive(gap)) {
                int separated = 0;
                for (slong i = 0; i < d; i++)
                    separated |= !arb_overlaps(lhs + i, bad + i);
                wrong_form_checked++;
                TU_ASSERT(separated, "%s: dy/dt also overlaps the printed Lemma D.2 form (iter %d)",
                          ls, iter);
            }

            /* the part of V orthogonal to β does not move (margin losses,
             * aligned square loss), and does for a generic square loss */
            if (tu_has_beta(p->loss)) {
                pc_conserved_vperp_arb(W, m, dV, prec);
                int all_zero = 1, some_nonzero = 0;
                for (slong k = 0; k < d * n; k++) {
                    all_zero &= arb_contains_zero(W + k) && tu_accurate(W + k, prec / 2);
                    some_nonzero |= !arb_contains_zero(W + k);
                }
                if (p->loss != PC_LOSS_SQUARE || aligned)
                    TU_ASSERT(all_zero, "%s: V-perp moves (iter %d, aligned %d)", ls, iter, aligned);
                else if (d >= 2) {
                    vperp_nonzero_checked++;
                    TU_ASSERT(some_nonzero, "square loss, generic V: V-perp does not move (iter %d)",
                              iter);
                }
            }

            arb_clear(v);
            arb_clear(t);
            arb_clear(s2);
            arb_clear(gap);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(dx, dim);
            _arb_vec_clear(s, n);
            _arb_vec_clear(ds, n);
            _arb_vec_clear(da, n);
            _arb_vec_clear(y, d);
            _arb_vec_clear(r, d);
            _arb_vec_clear(u, n);
            _arb_vec_clear(c1, n);
            _arb_vec_clear(c2, n);
            _arb_vec_clear(lhs, d);
            _arb_vec_clear(good, d);
            _arb_vec_clear(bad, d);
            _arb_vec_clear(W, d * n);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    printf("%s: field_identities: printed form refuted in %ld of %ld cases, "
           "generic square V-perp moved in %ld\n", FILE_NAME, wrong_form_checked,
           wrong_form_cases, vperp_nonzero_checked);
    /* the refutation of the printed form must not be vacuous */
    TU_ASSERT(wrong_form_checked >= wrong_form_cases / 2,
              "printed-form refutation ran in only %ld of %ld cases",
              wrong_form_checked, wrong_form_cases);
    TU_ASSERT(vperp_nonzero_checked >= 50, "generic square V-perp checked only %ld times",
              vperp_nonzero_checked);
    flint_randclear(st);
    tu_done(FILE_NAME, "field_identities");
}
END_TEST

START_TEST(test_entropy_special)
{
    flint_rand_t st;
    tu_rand_init(st, 204);
    for (int iter = 0; iter < 2000; iter++) {
        slong prec = tu_rand_prec(st);
        slong n = 1 + n_randint(st, 40);
        arb_ptr a = _arb_vec_init(n), da = _arb_vec_init(n);
        arb_t H, ln, c;
        arb_init(H);
        arb_init(ln);
        arb_init(c);

        /* uniform attention: a = 0 or a = c·1, H = log n, dH/dt = 0 */
        if (iter % 2)
            tu_rand_ball(c, st, 50, prec);
        mag_zero(arb_radref(c));
        for (slong j = 0; j < n; j++)
            arb_set(a + j, c);
        arb_set_ui(ln, n);
        arb_log(ln, ln, 4 * prec);
        pc_entropy_arb(H, a, n, prec);
        TU_CONTAINS(H, ln, "entropy of uniform logits != log %ld (iter %d)", (long) n, iter);
        TU_ACCURATE(H, prec / 2, "entropy of uniform logits inaccurate");
        tu_rand_ball_vec(da, n, st, 5, prec);
        pc_entropy_rate_arb(H, a, da, n, prec);
        TU_ASSERT(arb_contains_zero(H), "entropy rate at uniform logits excludes 0 (iter %d)", iter);
        if (iter % 2 == 0) {   /* a = 0 exactly and da exact: exactly 0 */
            for (slong j = 0; j < n; j++)
                mag_zero(arb_radref(da + j));
            pc_entropy_rate_arb(H, a, da, n, prec);
            TU_ASSERT(arb_contains_zero(H) && tu_accurate(H, prec / 2),
                      "entropy rate at a = 0 is not 0 (iter %d)", iter);
        }

        /* a one-hot limit a = (L, 0, ..., 0), L >= 100: the true value is
         * 0 < H < n (L+1) e^{−L}, far below 2^-prec. pc_entropy_arb keeps
         * the leading 1 out of every rounding, so its error is relative to
         * H: the ball must lie strictly inside (0, n (L+1) e^{−L}). */
        if (n >= 2) {
            slong L = 100 + n_randint(st, 1000);
            for (slong j = 0; j < n; j++)
                arb_zero(a + j);
            arb_set_si(a + n_randint(st, n), L);
            pc_entropy_arb(H, a, n, prec);
            arb_set_si(c, -L);
            arb_exp(c, c, prec);
            arb_mul_si(c, c, n * (L + 1), prec);
            TU_ASSERT(arb_is_finite(H) && arb_lt(H, c) && arb_is_positive(H),
                      "entropy of a one-hot limit (L = %ld, n = %ld) not small", (long) L, (long) n);
        }

        arb_clear(H);
        arb_clear(ln);
        arb_clear(c);
        _arb_vec_clear(a, n);
        _arb_vec_clear(da, n);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "entropy_special");
}
END_TEST

/* ---- the initial state of a problem --------------------------------------------------- */

START_TEST(test_state_from_problem)
{
    flint_rand_t st;
    tu_rand_init(st, 205);
    fmpq_t t;
    fmpq_init(t);
    for (int iter = 0; iter < 1000; iter++) {
        slong prec = tu_rand_prec(st);
        pc_problem_t p;
        tu_problem_random_size(p, st, (pc_loss_kind) n_randint(st, PC_LOSS_COUNT), 1, 4, 1, 6);
        const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
        ck_assert_int_eq(dim, d * n + n);
        if (iter % 2)
            fmpq_set_si(p->radius, 1 + n_randint(st, 5), 1 + n_randint(st, 1000));
        arb_ptr x = _arb_vec_init(dim);
        double *xd = malloc(sizeof(double) * dim);
        pc_state_arb_from_problem(x, p, prec);
        pc_state_d_from_problem(xd, p);
        for (slong k = 0; k < dim; k++) {
            const fmpq *e = k < d * n ? p->V + k : p->a + (k - d * n);
            /* the exact value and both ends of [e − radius, e + radius] */
            TU_CONTAINS_FMPQ(x + k, e, "state entry %ld (iter %d)", (long) k, iter);
            fmpq_add(t, e, p->radius);
            TU_CONTAINS_FMPQ(x + k, t, "state entry %ld + radius (iter %d)", (long) k, iter);
            fmpq_sub(t, e, p->radius);
            TU_CONTAINS_FMPQ(x + k, t, "state entry %ld − radius (iter %d)", (long) k, iter);
            double ed = fmpq_get_d(e);
            TU_ASSERT(fabs(xd[k] - ed) <= 1e-15 * fabs(ed), "double state entry %ld", (long) k);
        }
        free(xd);
        _arb_vec_clear(x, dim);
        tu_problem_clear(p);
    }
    fmpq_clear(t);
    flint_randclear(st);
    tu_done(FILE_NAME, "state_from_problem");
}
END_TEST

/* ---- double versions ---------------------------------------------------------------- */

START_TEST(test_field_double_agrees)
{
    flint_rand_t st;
    tu_rand_init(st, 206);
    const slong prec = 200;
    const double tol = 1e-12;
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 600; iter++) {
            pc_problem_t p;
            pc_model_arb_t ma;
            pc_model_d_t md;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 4, 1, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            tu_model_arb(ma, p, prec);
            tu_model_d(md, p);
            double *xd = malloc(sizeof(double) * dim), *dxd = malloc(sizeof(double) * dim);
            double *dad = malloc(sizeof(double) * n), *sd = malloc(sizeof(double) * n);
            double *Wd = malloc(sizeof(double) * d * n), vd;
            arb_ptr x = _arb_vec_init(dim), dx = _arb_vec_init(dim);
            arb_ptr da = _arb_vec_init(n), s = _arb_vec_init(n), W = _arb_vec_init(d * n);
            arb_t v;
            arb_init(v);
            const char *ls = tu_loss_str(loss);

            for (slong k = 0; k < dim; k++) {
                xd[k] = tu_rand_dyadic(st, k < d * n ? 3 : 4, 20);
                arb_set_d(x + k, xd[k]);
            }
            for (slong j = 0; j < n; j++) {
                dad[j] = tu_rand_dyadic(st, 3, 20);
                arb_set_d(da + j, dad[j]);
            }
            const double *ad = xd + d * n;
            arb_srcptr a = x + d * n;

            pc_field_full_d(dxd, md, xd);
            pc_field_full_arb(dx, ma, x, prec);
            for (slong k = 0; k < dim; k++)
                TU_CLOSE_D(dxd[k], dx + k, tol, "%s: double field component %ld", ls, (long) k);
            pc_model_loss_d(&vd, md, xd);
            pc_model_loss_arb(v, ma, x, prec);
            TU_CLOSE_D(vd, v, tol, "%s: double model loss", ls);
            pc_entropy_d(&vd, ad, n);
            pc_entropy_arb(v, a, n, prec);
            TU_CLOSE_D(vd, v, tol, "double entropy");
            pc_entropy_rate_d(&vd, ad, dad, n);
            pc_entropy_rate_arb(v, a, da, n, prec);
            TU_CLOSE_D(vd, v, tol, "double entropy rate");
            pc_softmax_d(sd, ad, n);
            pc_softmax_arb(s, a, n, prec);
            for (slong j = 0; j < n; j++)
                TU_CLOSE_D(sd[j], s + j, tol, "double softmax");
            pc_logsumexp_d(&vd, ad, n);
            pc_logsumexp_arb(v, a, n, prec);
            TU_CLOSE_D(vd, v, tol, "double logsumexp");
            pc_conserved_sum_a_d(&vd, xd, d, n);
            pc_conserved_sum_a_arb(v, x, d, n, prec);
            TU_CLOSE_D(vd, v, tol, "double sum of a");
            if (tu_has_beta(p->loss)) {
                pc_conserved_vperp_d(Wd, md, xd);
                pc_conserved_vperp_arb(W, ma, x, prec);
                for (slong k = 0; k < d * n; k++)
                    TU_CLOSE_D(Wd[k], W + k, tol, "%s: double V-perp", ls);
            }

            free(xd);
            free(dxd);
            free(dad);
            free(sd);
            free(Wd);
            arb_clear(v);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(dx, dim);
            _arb_vec_clear(da, n);
            _arb_vec_clear(s, n);
            _arb_vec_clear(W, d * n);
            pc_model_arb_clear(ma);
            pc_model_d_clear(md);
            tu_problem_clear(p);
        }
    }

    /* huge logits: the double entropy must stay finite (shifted logits) */
    static const double as[3] = { 1000, 999, 0 };
    double Hd;
    arb_struct a[3];
    arb_t H;
    arb_init(H);
    for (int j = 0; j < 3; j++) {
        arb_init(a + j);
        arb_set_d(a + j, as[j]);
    }
    pc_entropy_d(&Hd, as, 3);
    pc_entropy_arb(H, a, 3, prec);
    TU_CLOSE_D(Hd, H, tol, "double entropy of a = (1000, 999, 0)");
    for (int j = 0; j < 3; j++)
        arb_clear(a + j);
    arb_clear(H);

    flint_randclear(st);
    tu_done(FILE_NAME, "field_double_agrees");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("field");
    TCase *tc;
    tc = tu_tcase(s, "ball");
    tcase_add_test(tc, test_field_ball_containment);
    tc = tu_tcase(s, "exact");
    tcase_add_test(tc, test_field_is_minus_gradient);
    tcase_add_test(tc, test_field_identities);
    tcase_add_test(tc, test_entropy_special);
    tcase_add_test(tc, test_state_from_problem);
    tc = tu_tcase(s, "double");
    tcase_add_test(tc, test_field_double_agrees);
    return tu_run_suite(s);
}
