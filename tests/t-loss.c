/* Tests of the losses ℓ(y), their residuals r = −∇ℓ(y), and the two small
 * linear maps under them (C(s) w and y = V s), for all five loss families:
 *  - ball inputs: the result contains the value at a random point of the
 *    balls, computed at 4x the precision;
 *  - rational formulas: the result contains the exact fmpq value;
 *  - closed forms written here independently of lib/ (logistic, exponential,
 *    cross-entropy) and r = −∇ℓ by dual numbers, i.e. exact derivatives of ℓ
 *    as defined in MISSION.md, not of the library's rewriting of it;
 *  - the double versions agree with the balls, also at extreme arguments. */
#include "testutil.h"

#define FILE_NAME "t-loss"

/* ---- ball inputs: containment at an inner point ------------------------------ */

START_TEST(test_loss_ball_containment)
{
    flint_rand_t st;
    tu_rand_init(st, 101);
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 1000; iter++) {
            pc_problem_t p;
            pc_model_arb_t mlo, mhi;
            slong prec = tu_rand_prec(st), hp = 4 * prec;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 6, 1, 1);
            if (p->q != NULL && n_randint(st, 3) == 0)
                tu_perturb_q_sum(p, st);
            const slong d = p->d;
            tu_model_arb(mlo, p, prec);
            tu_model_arb(mhi, p, hp);
            ulong bound = (loss == PC_LOSS_LOGISTIC || loss == PC_LOSS_CROSS_ENTROPY)
                ? (n_randint(st, 2) ? 4 : 40) : 4;
            arb_ptr y = _arb_vec_init(d), ys = _arb_vec_init(d);
            arb_ptr r = _arb_vec_init(d), rs = _arb_vec_init(d);
            arb_t v, vs;
            arb_init(v);
            arb_init(vs);

            tu_rand_ball_vec(y, d, st, bound, prec);
            tu_rand_point_in_vec(ys, y, d, st);
            pc_loss_value_arb(v, mlo, y, prec);
            pc_loss_value_arb(vs, mhi, ys, hp);
            TU_CONTAINS(v, vs, "%s: loss value at an inner point (iter %d)",
                        tu_loss_str(loss), iter);
            pc_loss_residual_arb(r, mlo, y, prec);
            pc_loss_residual_arb(rs, mhi, ys, hp);
            for (slong i = 0; i < d; i++)
                TU_CONTAINS(r + i, rs + i, "%s: residual r_%ld at an inner point (iter %d)",
                            tu_loss_str(loss), (long) i, iter);

            /* the point itself as input: same guarantee, tighter balls */
            pc_loss_value_arb(v, mlo, ys, prec);
            TU_CONTAINS(v, vs, "%s: loss value at a point", tu_loss_str(loss));
            TU_ACCURATE(v, prec / 2, "%s: loss value at a point is inaccurate", tu_loss_str(loss));

            arb_clear(v);
            arb_clear(vs);
            _arb_vec_clear(y, d);
            _arb_vec_clear(ys, d);
            _arb_vec_clear(r, d);
            _arb_vec_clear(rs, d);
            pc_model_arb_clear(mlo);
            pc_model_arb_clear(mhi);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "loss_ball_containment");
}
END_TEST

START_TEST(test_linear_ball_containment)
{
    flint_rand_t st;
    tu_rand_init(st, 102);
    for (int iter = 0; iter < 3000; iter++) {
        slong prec = tu_rand_prec(st), hp = 4 * prec;
        slong n = 1 + n_randint(st, 7), d = 1 + n_randint(st, 5);
        pc_problem_t p;
        pc_model_arb_t mlo, mhi;
        tu_problem_random(p, st, PC_LOSS_SQUARE, d, n, 1);
        tu_model_arb(mlo, p, prec);
        tu_model_arb(mhi, p, hp);
        arb_ptr s = _arb_vec_init(n), ss = _arb_vec_init(n);
        arb_ptr w = _arb_vec_init(n), ws = _arb_vec_init(n);
        arb_ptr V = _arb_vec_init(d * n), Vs = _arb_vec_init(d * n);
        arb_ptr res = _arb_vec_init(n), ress = _arb_vec_init(n);
        arb_ptr y = _arb_vec_init(d), ysp = _arb_vec_init(d);

        tu_rand_ball_vec(s, n, st, 1, prec);
        tu_rand_ball_vec(w, n, st, 5, prec);
        tu_rand_ball_vec(V, d * n, st, 3, prec);
        tu_rand_point_in_vec(ss, s, n, st);
        tu_rand_point_in_vec(ws, w, n, st);
        tu_rand_point_in_vec(Vs, V, d * n, st);

        pc_softmax_jac_apply_arb(res, s, w, n, prec);
        pc_softmax_jac_apply_arb(ress, ss, ws, n, hp);
        for (slong j = 0; j < n; j++)
            TU_CONTAINS(res + j, ress + j, "C(s) w at an inner point, j = %ld", (long) j);

        pc_model_output_arb(y, mlo, V, s, prec);
        pc_model_output_arb(ysp, mhi, Vs, ss, hp);
        for (slong i = 0; i < d; i++)
            TU_CONTAINS(y + i, ysp + i, "V s at an inner point, i = %ld", (long) i);

        _arb_vec_clear(s, n);
        _arb_vec_clear(ss, n);
        _arb_vec_clear(w, n);
        _arb_vec_clear(ws, n);
        _arb_vec_clear(V, d * n);
        _arb_vec_clear(Vs, d * n);
        _arb_vec_clear(res, n);
        _arb_vec_clear(ress, n);
        _arb_vec_clear(y, d);
        _arb_vec_clear(ysp, d);
        pc_model_arb_clear(mlo);
        pc_model_arb_clear(mhi);
        tu_problem_clear(p);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "linear_ball_containment");
}
END_TEST

/* ---- rational formulas: containment of the exact fmpq value ------------------- */

START_TEST(test_rational_exact)
{
    flint_rand_t st;
    tu_rand_init(st, 103);
    fmpq_t t, u, val;
    fmpq_init(t);
    fmpq_init(u);
    fmpq_init(val);
    for (int iter = 0; iter < 2000; iter++) {
        pc_loss_kind loss = n_randint(st, 2) ? PC_LOSS_SQUARE : PC_LOSS_QUADRATIC;
        slong prec = tu_rand_prec(st);
        pc_problem_t p;
        pc_model_arb_t m;
        tu_problem_random_size(p, st, loss, 1, 6, 1, 1);
        const slong d = p->d;
        tu_model_arb(m, p, prec);
        fmpq *yq = _fmpq_vec_init(d), *rq = _fmpq_vec_init(d);
        fmpq *e = _fmpq_vec_init(p->m > 0 ? p->m : 1);
        arb_ptr y = _arb_vec_init(d), r = _arb_vec_init(d);
        arb_t v;
        arb_init(v);

        tu_randq_vec(yq, d, st, 4, 12);
        tu_arb_vec_set_fmpq(y, yq, d, prec);
        fmpq_zero(val);
        if (loss == PC_LOSS_SQUARE) {
            for (slong i = 0; i < d; i++) {       /* ℓ = ½‖y − β‖², r = β − y */
                fmpq_sub(t, yq + i, p->beta + i);
                fmpq_addmul(val, t, t);
                fmpq_sub(rq + i, p->beta + i, yq + i);
            }
        } else {
            for (slong k = 0; k < p->m; k++) {    /* e = b − X y */
                fmpq_set(e + k, p->b + k);
                for (slong i = 0; i < d; i++)
                    fmpq_submul(e + k, p->X + k * d + i, yq + i);
                fmpq_addmul(val, e + k, e + k);
            }
            for (slong i = 0; i < d; i++) {       /* r = Xᵀ e */
                fmpq_zero(rq + i);
                for (slong k = 0; k < p->m; k++)
                    fmpq_addmul(rq + i, p->X + k * d + i, e + k);
            }
        }
        fmpq_div_2exp(val, val, 1);

        pc_loss_value_arb(v, m, y, prec);
        TU_CONTAINS_FMPQ(v, val, "%s: exact loss value (iter %d)", tu_loss_str(loss), iter);
        TU_ACCURATE(v, prec - 20, "%s: loss value inaccurate", tu_loss_str(loss));
        pc_loss_residual_arb(r, m, y, prec);
        for (slong i = 0; i < d; i++) {
            TU_CONTAINS_FMPQ(r + i, rq + i, "%s: exact residual r_%ld (iter %d)",
                             tu_loss_str(loss), (long) i, iter);
            TU_ACCURATE(r + i, prec - 20, "%s: residual inaccurate", tu_loss_str(loss));
        }

        arb_clear(v);
        _arb_vec_clear(y, d);
        _arb_vec_clear(r, d);
        _fmpq_vec_clear(yq, d);
        _fmpq_vec_clear(rq, d);
        _fmpq_vec_clear(e, p->m > 0 ? p->m : 1);
        pc_model_arb_clear(m);
        tu_problem_clear(p);
    }

    /* C(s) w as the matrix (diag(s) − s sᵀ) applied to w, and y = V s */
    for (int iter = 0; iter < 2000; iter++) {
        slong prec = tu_rand_prec(st);
        slong n = 1 + n_randint(st, 7), d = 1 + n_randint(st, 5);
        pc_problem_t p;
        pc_model_arb_t m;
        tu_problem_random(p, st, PC_LOSS_LOGISTIC, d, n, 1);
        tu_model_arb(m, p, prec);
        fmpq *sq = _fmpq_vec_init(n), *wq = _fmpq_vec_init(n);
        arb_ptr s = _arb_vec_init(n), w = _arb_vec_init(n), res = _arb_vec_init(n);
        arb_ptr V = _arb_vec_init(d * n), y = _arb_vec_init(d);

        if (n_randint(st, 2))
            tu_rand_distribution(sq, n, st);    /* a probability vector */
        else
            tu_randq_vec(sq, n, st, 2, 12);     /* the formula holds for any s */
        tu_randq_vec(wq, n, st, 5, 12);
        tu_arb_vec_set_fmpq(s, sq, n, prec);
        tu_arb_vec_set_fmpq(w, wq, n, prec);
        tu_arb_vec_set_fmpq(V, p->V, d * n, prec);

        pc_softmax_jac_apply_arb(res, s, w, n, prec);
        for (slong j = 0; j < n; j++) {
            fmpq_zero(val);
            for (slong k = 0; k < n; k++) {     /* C_jk = δ_jk s_j − s_j s_k */
                fmpq_mul(t, sq + j, sq + k);
                fmpq_neg(t, t);
                if (j == k)
                    fmpq_add(t, t, sq + j);
                fmpq_addmul(val, t, wq + k);
            }
            TU_CONTAINS_FMPQ(res + j, val, "C(s) w, exact, j = %ld (iter %d)", (long) j, iter);
            TU_ACCURATE(res + j, prec - 20, "C(s) w inaccurate");
        }

        pc_model_output_arb(y, m, V, s, prec);
        for (slong i = 0; i < d; i++) {
            fmpq_zero(val);
            for (slong j = 0; j < n; j++)
                fmpq_addmul(val, p->V + i * n + j, sq + j);
            TU_CONTAINS_FMPQ(y + i, val, "V s, exact, i = %ld (iter %d)", (long) i, iter);
            TU_ACCURATE(y + i, prec - 20, "V s inaccurate");
        }

        _fmpq_vec_clear(sq, n);
        _fmpq_vec_clear(wq, n);
        _arb_vec_clear(s, n);
        _arb_vec_clear(w, n);
        _arb_vec_clear(res, n);
        _arb_vec_clear(V, d * n);
        _arb_vec_clear(y, d);
        pc_model_arb_clear(m);
        tu_problem_clear(p);
    }
    fmpq_clear(t);
    fmpq_clear(u);
    fmpq_clear(val);
    flint_randclear(st);
    tu_done(FILE_NAME, "rational_exact");
}
END_TEST

/* ---- closed forms written independently ------------------------------------------ */

START_TEST(test_closed_forms)
{
    static const pc_loss_kind fams[3] = {
        PC_LOSS_LOGISTIC, PC_LOSS_EXPONENTIAL, PC_LOSS_CROSS_ENTROPY
    };
    flint_rand_t st;
    tu_rand_init(st, 104);
    fmpq_t zq;
    fmpq_init(zq);
    for (int f = 0; f < 3; f++) {
        pc_loss_kind loss = fams[f];
        for (int iter = 0; iter < 1500; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t m;
            tu_problem_random_size(p, st, loss, 1, 6, 1, 1);
            if (p->q != NULL && n_randint(st, 3) == 0)
                tu_perturb_q_sum(p, st);
            const slong d = p->d;
            tu_model_arb(m, p, prec);
            static const ulong bounds[3] = { 1, 4, 40 };
            ulong bound = bounds[n_randint(st, 3)];
            fmpq *yq = _fmpq_vec_init(d);
            arb_ptr y = _arb_vec_init(d), r = _arb_vec_init(d);
            arb_ptr ref = _arb_vec_init(d);
            arb_t v, vref, z, t, sum;
            arb_init(v);
            arb_init(vref);
            arb_init(z);
            arb_init(t);
            arb_init(sum);

            tu_randq_vec(yq, d, st, bound, 12);
            tu_arb_vec_set_fmpq(y, yq, d, prec);
            pc_loss_value_arb(v, m, y, prec);
            pc_loss_residual_arb(r, m, y, prec);

            if (loss != PC_LOSS_CROSS_ENTROPY) {
                fmpq_zero(zq);                  /* z = βᵀy, exactly */
                for (slong i = 0; i < d; i++)
                    fmpq_addmul(zq, p->beta + i, yq + i);
                arb_set_fmpq(z, zq, hp);
            }
            switch (loss) {
            case PC_LOSS_LOGISTIC:
                arb_neg(t, z);                  /* ℓ = log(1 + exp(−z)) */
                arb_exp(t, t, hp);
                arb_log1p(vref, t, hp);
                arb_exp(t, z, hp);              /* r = β / (1 + exp(z)) */
                arb_add_ui(t, t, 1, hp);
                for (slong i = 0; i < d; i++) {
                    arb_set_fmpq(ref + i, p->beta + i, hp);
                    arb_div(ref + i, ref + i, t, hp);
                }
                break;
            case PC_LOSS_EXPONENTIAL:
                arb_neg(t, z);                  /* ℓ = exp(−z), r = exp(−z) β */
                arb_exp(vref, t, hp);
                for (slong i = 0; i < d; i++) {
                    arb_set_fmpq(ref + i, p->beta + i, hp);
                    arb_mul(ref + i, ref + i, vref, hp);
                }
                break;
            default:                            /* ℓ = −Σ q_k log σ_k, r = q − (Σq) σ */
                arb_zero(sum);
                for (slong k = 0; k < d; k++) {
                    arb_set_fmpq(t, yq + k, hp);
                    arb_exp(ref + k, t, hp);
                    arb_add(sum, sum, ref + k, hp);
                }
                fmpq_zero(zq);                  /* Σq: 1, or 1 + O(10^-13) */
                for (slong k = 0; k < d; k++)
                    fmpq_add(zq, zq, p->q + k);
                arb_zero(vref);
                for (slong k = 0; k < d; k++) {
                    arb_div(ref + k, ref + k, sum, hp);     /* σ_k */
                    arb_log(t, ref + k, hp);
                    arb_set_fmpq(z, p->q + k, hp);
                    arb_submul(vref, z, t, hp);
                    arb_set_fmpq(t, zq, hp);
                    arb_mul(ref + k, ref + k, t, hp);
                    arb_sub(ref + k, z, ref + k, hp);
                }
                break;
            }
            TU_CONTAINS(v, vref, "%s: loss value vs closed form (iter %d)",
                        tu_loss_str(loss), iter);
            TU_ACCURATE(v, prec / 2, "%s: loss value inaccurate", tu_loss_str(loss));
            for (slong i = 0; i < d; i++) {
                TU_CONTAINS(r + i, ref + i, "%s: residual r_%ld vs closed form (iter %d)",
                            tu_loss_str(loss), (long) i, iter);
                TU_ACCURATE(r + i, prec / 2, "%s: residual inaccurate", tu_loss_str(loss));
            }

            arb_clear(v);
            arb_clear(vref);
            arb_clear(z);
            arb_clear(t);
            arb_clear(sum);
            _arb_vec_clear(y, d);
            _arb_vec_clear(r, d);
            _arb_vec_clear(ref, d);
            _fmpq_vec_clear(yq, d);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    fmpq_clear(zq);
    flint_randclear(st);
    tu_done(FILE_NAME, "closed_forms");
}
END_TEST

/* ---- r = −∇ℓ, by exact derivatives in dual numbers ---------------------------------- */

START_TEST(test_residual_is_minus_gradient)
{
    flint_rand_t st;
    tu_rand_init(st, 105);
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 500; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t m;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 5, 1, 1);
            if (p->q != NULL && n_randint(st, 3) == 0)
                tu_perturb_q_sum(p, st);
            const slong d = p->d;
            tu_model_arb(m, p, prec);
            fmpq *yq = _fmpq_vec_init(d);
            arb_ptr y = _arb_vec_init(d), yh = _arb_vec_init(d), r = _arb_vec_init(d);
            arb_ptr yd = _arb_vec_init(2 * d);
            arb_struct L[2];
            arb_t v;
            arb_init(L);
            arb_init(L + 1);
            arb_init(v);

            tu_randq_vec(yq, d, st, 4, 12);
            tu_arb_vec_set_fmpq(y, yq, d, prec);
            tu_arb_vec_set_fmpq(yh, yq, d, hp);
            pc_loss_value_arb(v, m, y, prec);
            pc_loss_residual_arb(r, m, y, prec);
            for (slong i = 0; i < d; i++) {
                tu_dual_vec_set(yd, yh, NULL, i, d);
                tu_dual_loss(L, p, yd, hp);
                if (i == 0)
                    TU_CONTAINS(v, L, "%s: loss value vs its definition (iter %d)",
                                tu_loss_str(loss), iter);
                arb_neg(L + 1, L + 1);
                TU_CONTAINS(r + i, L + 1, "%s: r_%ld vs −∂ℓ/∂y_%ld (iter %d)",
                            tu_loss_str(loss), (long) i, (long) i, iter);
                TU_ACCURATE(r + i, prec / 2, "%s: residual inaccurate", tu_loss_str(loss));
            }

            arb_clear(L);
            arb_clear(L + 1);
            arb_clear(v);
            _arb_vec_clear(y, d);
            _arb_vec_clear(yh, d);
            _arb_vec_clear(r, d);
            _arb_vec_clear(yd, 2 * d);
            _fmpq_vec_clear(yq, d);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "residual_is_minus_gradient");
}
END_TEST

/* ---- double versions --------------------------------------------------------------- */

START_TEST(test_double_agrees)
{
    flint_rand_t st;
    tu_rand_init(st, 106);
    const slong prec = 200;
    const double tol = 1e-12;
    for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
        for (int iter = 0; iter < 1000; iter++) {
            pc_problem_t p;
            pc_model_arb_t ma;
            pc_model_d_t md;
            tu_problem_random_size(p, st, (pc_loss_kind) loss, 1, 6, 1, 7);
            if (p->q != NULL && n_randint(st, 3) == 0)
                tu_perturb_q_sum(p, st);
            const slong d = p->d, n = p->n;
            tu_model_arb(ma, p, prec);
            tu_model_d(md, p);
            double *yd = malloc(sizeof(double) * d), *rd = malloc(sizeof(double) * d);
            double *sd = malloc(sizeof(double) * n), *wd = malloc(sizeof(double) * n);
            double *cd = malloc(sizeof(double) * n), *Vd = malloc(sizeof(double) * d * n);
            double vd;
            arb_ptr y = _arb_vec_init(d), r = _arb_vec_init(d);
            arb_ptr s = _arb_vec_init(n), w = _arb_vec_init(n), c = _arb_vec_init(n);
            arb_ptr V = _arb_vec_init(d * n);
            arb_t v;
            arb_init(v);

            for (slong i = 0; i < d; i++) {
                yd[i] = tu_rand_dyadic(st, 4, 20);
                arb_set_d(y + i, yd[i]);
            }
            pc_loss_value_arb(v, ma, y, prec);
            pc_loss_value_d(&vd, md, yd);
            TU_CLOSE_D(vd, v, tol, "%s: double loss value", tu_loss_str(loss));
            pc_loss_residual_arb(r, ma, y, prec);
            pc_loss_residual_d(rd, md, yd);
            for (slong i = 0; i < d; i++)
                TU_CLOSE_D(rd[i], r + i, tol, "%s: double residual r_%ld",
                           tu_loss_str(loss), (long) i);

            /* softmax, log-sum-exp, C(s) w and V s */
            for (slong j = 0; j < n; j++) {
                wd[j] = tu_rand_dyadic(st, 5, 20);
                arb_set_d(w + j, wd[j]);
            }
            pc_softmax_d(sd, wd, n);
            pc_softmax_arb(s, w, n, prec);
            for (slong j = 0; j < n; j++)
                TU_CLOSE_D(sd[j], s + j, tol, "double softmax");
            pc_logsumexp_d(&vd, wd, n);
            pc_logsumexp_arb(v, w, n, prec);
            TU_CLOSE_D(vd, v, tol, "double logsumexp");
            for (slong j = 0; j < n; j++)           /* s exact as double */
                arb_set_d(s + j, sd[j]);
            pc_softmax_jac_apply_d(cd, sd, wd, n);
            pc_softmax_jac_apply_arb(c, s, w, n, prec);
            for (slong j = 0; j < n; j++)
                TU_CLOSE_D(cd[j], c + j, tol, "double C(s) w");
            for (slong k = 0; k < d * n; k++) {
                Vd[k] = tu_rand_dyadic(st, 3, 20);
                arb_set_d(V + k, Vd[k]);
            }
            pc_model_output_d(yd, md, Vd, sd);
            pc_model_output_arb(y, ma, V, s, prec);
            for (slong i = 0; i < d; i++)
                TU_CLOSE_D(yd[i], y + i, tol, "double V s");

            free(yd);
            free(rd);
            free(sd);
            free(wd);
            free(cd);
            free(Vd);
            arb_clear(v);
            _arb_vec_clear(y, d);
            _arb_vec_clear(r, d);
            _arb_vec_clear(s, n);
            _arb_vec_clear(w, n);
            _arb_vec_clear(c, n);
            _arb_vec_clear(V, d * n);
            pc_model_arb_clear(ma);
            pc_model_d_clear(md);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "double_agrees");
}
END_TEST

/* The double versions at arguments where naive formulas overflow: exp(800)
 * is +inf in double, so log(1 + exp(800)) or exp(a)/Σ exp(a) would give
 * inf or NaN. Reference: the ball versions at the same exact inputs. */
START_TEST(test_double_extreme)
{
    const slong prec = 128;
    static const double zs[] = { 800, -800, 700, -700, 100, -100, 40, -40, 1e-3, -1e-3, 0 };
    const double tol = 1e-12;
    for (int f = 0; f < 2; f++) {
        pc_loss_kind loss = f == 0 ? PC_LOSS_LOGISTIC : PC_LOSS_EXPONENTIAL;
        pc_problem_t p;
        pc_model_arb_t ma;
        pc_model_d_t md;
        tu_problem_alloc(p, loss, 2, 1, 0);
        fmpq_set_si(p->beta + 0, 2, 1);         /* β = (2, −1/2): z = 2 y0 − y1/2 */
        fmpq_set_si(p->beta + 1, -1, 2);
        tu_model_arb(ma, p, prec);
        tu_model_d(md, p);
        for (size_t k = 0; k < sizeof(zs) / sizeof(zs[0]); k++) {
            if (loss == PC_LOSS_EXPONENTIAL && fabs(zs[k]) > 700)
                continue;                       /* e^{800} is beyond double */
            double yd[2] = { zs[k] / 4, -zs[k] }, rd[2], vd;   /* z = zs[k] */
            arb_struct y[2], r[2];
            arb_t v;
            arb_init(v);
            for (int i = 0; i < 2; i++) {
                arb_init(y + i);
                arb_init(r + i);
                arb_set_d(y + i, yd[i]);
            }
            pc_loss_value_d(&vd, md, yd);
            pc_loss_value_arb(v, ma, y, prec);
            TU_ASSERT(isfinite(vd), "%s: double loss not finite at z = %g",
                      tu_loss_str(loss), zs[k]);
            /* relative; e^{-800} underflows to 0 in both */
            double ref = arf_get_d(arb_midref(v), ARF_RND_NEAR);
            TU_ASSERT(fabs(vd - ref) <= tol * fabs(ref) + 1e-320,
                      "%s: double loss at z = %g: %.17g, arb %.17g",
                      tu_loss_str(loss), zs[k], vd, ref);
            pc_loss_residual_d(rd, md, yd);
            pc_loss_residual_arb(r, ma, y, prec);
            for (int i = 0; i < 2; i++) {
                ref = arf_get_d(arb_midref(r + i), ARF_RND_NEAR);
                TU_ASSERT(isfinite(rd[i]) && fabs(rd[i] - ref) <= tol * fabs(ref) + 1e-320,
                          "%s: double residual at z = %g: %.17g, arb %.17g",
                          tu_loss_str(loss), zs[k], rd[i], ref);
            }
            arb_clear(v);
            for (int i = 0; i < 2; i++) {
                arb_clear(y + i);
                arb_clear(r + i);
            }
        }
        pc_model_arb_clear(ma);
        pc_model_d_clear(md);
        tu_problem_clear(p);
    }

    /* softmax and log-sum-exp of huge logits, and the cross-entropy loss of
     * huge outputs */
    static const double as[3][3] = {
        { 1000, 999, 0 }, { -1000, -1001, -2000 }, { 710, 710, -710 }
    };
    for (int k = 0; k < 3; k++) {
        double sd[3], vd;
        arb_struct a[3], s[3];
        arb_t v;
        arb_init(v);
        for (int j = 0; j < 3; j++) {
            arb_init(a + j);
            arb_init(s + j);
            arb_set_d(a + j, as[k][j]);
        }
        pc_softmax_d(sd, as[k], 3);
        pc_softmax_arb(s, a, 3, prec);
        for (int j = 0; j < 3; j++) {
            double ref = arf_get_d(arb_midref(s + j), ARF_RND_NEAR);
            TU_ASSERT(isfinite(sd[j]) && fabs(sd[j] - ref) <= tol * ref + 1e-320,
                      "double softmax of huge logits: s_%d = %.17g, arb %.17g", j, sd[j], ref);
        }
        pc_logsumexp_d(&vd, as[k], 3);
        pc_logsumexp_arb(v, a, 3, prec);
        TU_CLOSE_D(vd, v, tol, "double logsumexp of huge logits");

        pc_problem_t p;
        pc_model_arb_t ma;
        pc_model_d_t md;
        double rd[3];
        tu_problem_alloc(p, PC_LOSS_CROSS_ENTROPY, 3, 1, 0);
        fmpq_set_si(p->q + 0, 1, 4);
        fmpq_set_si(p->q + 1, 0, 1);
        fmpq_set_si(p->q + 2, 3, 4);
        tu_model_arb(ma, p, prec);
        tu_model_d(md, p);
        pc_loss_value_d(&vd, md, as[k]);
        pc_loss_value_arb(v, ma, a, prec);
        TU_CLOSE_D(vd, v, tol, "double cross-entropy of huge outputs");
        pc_loss_residual_d(rd, md, as[k]);
        pc_loss_residual_arb(s, ma, a, prec);
        for (int j = 0; j < 3; j++)
            TU_CLOSE_D(rd[j], s + j, tol, "double cross-entropy residual of huge outputs");
        pc_model_arb_clear(ma);
        pc_model_d_clear(md);
        tu_problem_clear(p);

        arb_clear(v);
        for (int j = 0; j < 3; j++) {
            arb_clear(a + j);
            arb_clear(s + j);
        }
    }
    tu_done(FILE_NAME, "double_extreme");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loss");
    TCase *tc;
    tc = tu_tcase(s, "ball");
    tcase_add_test(tc, test_loss_ball_containment);
    tcase_add_test(tc, test_linear_ball_containment);
    tc = tu_tcase(s, "exact");
    tcase_add_test(tc, test_rational_exact);
    tcase_add_test(tc, test_closed_forms);
    tcase_add_test(tc, test_residual_is_minus_gradient);
    tc = tu_tcase(s, "double");
    tcase_add_test(tc, test_double_agrees);
    tcase_add_test(tc, test_double_extreme);
    return tu_run_suite(s);
}
