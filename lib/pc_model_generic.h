/* The formulas of the model, written once for both number types.
 *
 * Included by pc_inst_arb.c after pc_num_arb.h and by pc_inst_d.c after
 * pc_num_d.h; NUM is the scalar type, N_* the operations, PC_SFX names the
 * instance (pc_softmax_arb / pc_softmax_d) and PREC_DECL/PREC_ARG carry the
 * precision of the ball version. Every scalar is handled through a pointer,
 * so `NUM t[1]` is a temporary in both. Where a formula branches on a sign
 * (N_MID_POSITIVE), both branches are exact identities: the choice affects
 * the width of a ball, never the truth of its containment. */

/* ---- softmax ------------------------------------------------------------ */

void PC_SFX(pc_softmax)(NUM *s, const NUM *a, slong len PREC_DECL)
{
    NUM m[1], sum[1];
    N_INIT(m);
    N_INIT(sum);
    N_SHIFT_MAX(m, a, len);
    N_ZERO(sum);
    for (slong j = 0; j < len; j++) {
        N_SUB(s + j, a + j, m);
        N_EXP(s + j, s + j);
        N_ADD(sum, sum, s + j);
    }
    for (slong j = 0; j < len; j++)
        N_DIV(s + j, s + j, sum);
    N_CLEAR(m);
    N_CLEAR(sum);
}

void PC_SFX(pc_logsumexp)(NUM *res, const NUM *a, slong len PREC_DECL)
{
    NUM m[1], t[1];
    N_INIT(m);
    N_INIT(t);
    N_SHIFT_MAX(m, a, len);
    N_ZERO(res);
    for (slong j = 0; j < len; j++) {
        N_SUB(t, a + j, m);
        N_EXP(t, t);
        N_ADD(res, res, t);
    }
    N_LOG(res, res);
    N_ADD(res, res, m);
    N_CLEAR(m);
    N_CLEAR(t);
}

void PC_SFX(pc_softmax_jac_apply)(NUM *res, const NUM *s, const NUM *w,
                                  slong len PREC_DECL)
{
    NUM mean[1];
    N_INIT(mean);
    N_ZERO(mean);
    for (slong k = 0; k < len; k++)
        N_ADDMUL(mean, s + k, w + k);
    for (slong j = 0; j < len; j++) {
        N_SUB(res + j, w + j, mean);
        N_MUL(res + j, res + j, s + j);
    }
    N_CLEAR(mean);
}

/* ---- scalar helpers, stable in double ------------------------------------ */

/* log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}). */
static void PC_SFX(_pc_softplus)(NUM *res, const NUM *x PREC_DECL)
{
    NUM t[1];
    N_INIT(t);
    if (N_MID_POSITIVE(x)) {
        N_NEG(t, x);
        N_EXP(t, t);
        N_LOG1P(t, t);
        N_ADD(res, x, t);
    } else {
        N_EXP(t, x);
        N_LOG1P(res, t);
    }
    N_CLEAR(t);
}

/* 1 / (1 + e^{−x}) = e^x / (1 + e^x). */
static void PC_SFX(_pc_sigmoid)(NUM *res, const NUM *x PREC_DECL)
{
    NUM t[1], one[1];
    N_INIT(t);
    N_INIT(one);
    N_ONE(one);
    if (N_MID_POSITIVE(x)) {
        N_NEG(t, x);
        N_EXP(t, t);
        N_ADD(t, t, one);
        N_DIV(res, one, t);
    } else {
        N_EXP(t, x);
        N_ADD(res, t, one);
        N_DIV(res, t, res);
    }
    N_CLEAR(t);
    N_CLEAR(one);
}

static void PC_SFX(_pc_dot)(NUM *res, const NUM *x, const NUM *y, slong len PREC_DECL)
{
    N_ZERO(res);
    for (slong i = 0; i < len; i++)
        N_ADDMUL(res, x + i, y + i);
}

/* ---- losses -------------------------------------------------------------- */

/* For the quadratic loss: e = b − X y (m entries). */
static void PC_SFX(_pc_quadratic_error)(NUM *e, const PC_MODEL_T *m, const NUM *y PREC_DECL)
{
    for (slong k = 0; k < m->m; k++) {
        N_SET(e + k, m->b + k);
        for (slong i = 0; i < m->d; i++)
            N_SUBMUL(e + k, m->X + k * m->d + i, y + i);
    }
}

void PC_SFX(pc_loss_value)(NUM *res, const PC_MODEL_T *m, const NUM *y PREC_DECL)
{
    NUM z[1];
    N_INIT(z);
    switch (m->loss) {
    case PC_LOSS_LOGISTIC:              /* log(1 + e^{−βᵀy}) */
        PC_SFX(_pc_dot)(z, m->beta, y, m->d PREC_ARG);
        N_NEG(z, z);
        PC_SFX(_pc_softplus)(res, z PREC_ARG);
        break;
    case PC_LOSS_EXPONENTIAL:           /* e^{−βᵀy} */
        PC_SFX(_pc_dot)(z, m->beta, y, m->d PREC_ARG);
        N_NEG(z, z);
        N_EXP(res, z);
        break;
    case PC_LOSS_SQUARE:                /* ½‖y − β‖² */
        N_ZERO(res);
        for (slong i = 0; i < m->d; i++) {
            N_SUB(z, y + i, m->beta + i);
            N_ADDMUL(res, z, z);
        }
        N_MUL_2EXP(res, res, -1);
        break;
    case PC_LOSS_CROSS_ENTROPY:         /* −Σ q_k log σ(y)_k = Σq·logsumexp(y) − qᵀy */
        PC_SFX(pc_logsumexp)(res, y, m->d PREC_ARG);
        N_MUL(res, res, m->q_sum);
        PC_SFX(_pc_dot)(z, m->q, y, m->d PREC_ARG);
        N_SUB(res, res, z);
        break;
    case PC_LOSS_QUADRATIC: {           /* ½‖b − X y‖² */
        NUM *e = N_VEC_INIT(m->m);
        PC_SFX(_pc_quadratic_error)(e, m, y PREC_ARG);
        PC_SFX(_pc_dot)(res, e, e, m->m PREC_ARG);
        N_MUL_2EXP(res, res, -1);
        N_VEC_CLEAR(e, m->m);
        break;
    }
    }
    N_CLEAR(z);
}

void PC_SFX(pc_loss_residual)(NUM *r, const PC_MODEL_T *m, const NUM *y PREC_DECL)
{
    NUM z[1];
    N_INIT(z);
    switch (m->loss) {
    case PC_LOSS_LOGISTIC:              /* β / (1 + e^{βᵀy}) = σ(−βᵀy) β */
    case PC_LOSS_EXPONENTIAL:           /* e^{−βᵀy} β */
        PC_SFX(_pc_dot)(z, m->beta, y, m->d PREC_ARG);
        N_NEG(z, z);
        if (m->loss == PC_LOSS_LOGISTIC)
            PC_SFX(_pc_sigmoid)(z, z PREC_ARG);
        else
            N_EXP(z, z);
        for (slong i = 0; i < m->d; i++)
            N_MUL(r + i, z, m->beta + i);
        break;
    case PC_LOSS_SQUARE:                /* β − y */
        for (slong i = 0; i < m->d; i++)
            N_SUB(r + i, m->beta + i, y + i);
        break;
    case PC_LOSS_CROSS_ENTROPY:         /* q − Σq·σ(y) (q − σ(y) when Σq = 1) */
        PC_SFX(pc_softmax)(r, y, m->d PREC_ARG);
        for (slong i = 0; i < m->d; i++) {
            N_MUL(r + i, r + i, m->q_sum);
            N_SUB(r + i, m->q + i, r + i);
        }
        break;
    case PC_LOSS_QUADRATIC: {           /* Xᵀ (b − X y) */
        NUM *e = N_VEC_INIT(m->m);
        PC_SFX(_pc_quadratic_error)(e, m, y PREC_ARG);
        for (slong i = 0; i < m->d; i++) {
            N_ZERO(r + i);
            for (slong k = 0; k < m->m; k++)
                N_ADDMUL(r + i, m->X + k * m->d + i, e + k);
        }
        N_VEC_CLEAR(e, m->m);
        break;
    }
    }
    N_CLEAR(z);
}

/* ---- the model and its flow ---------------------------------------------- */

void PC_SFX(pc_model_output)(NUM *y, const PC_MODEL_T *m, const NUM *V, const NUM *s PREC_DECL)
{
    for (slong i = 0; i < m->d; i++)
        PC_SFX(_pc_dot)(y + i, V + i * m->n, s, m->n PREC_ARG);
}

void PC_SFX(pc_model_loss)(NUM *L, const PC_MODEL_T *m, const NUM *x PREC_DECL)
{
    NUM *s = N_VEC_INIT(m->n), *y = N_VEC_INIT(m->d);
    PC_SFX(pc_softmax)(s, x + m->d * m->n, m->n PREC_ARG);
    PC_SFX(pc_model_output)(y, m, x, s PREC_ARG);
    PC_SFX(pc_loss_value)(L, m, y PREC_ARG);
    N_VEC_CLEAR(s, m->n);
    N_VEC_CLEAR(y, m->d);
}

void PC_SFX(pc_field_full)(NUM *dx, const PC_MODEL_T *m, const NUM *x PREC_DECL)
{
    const slong d = m->d, n = m->n;
    const NUM *V = x, *a = x + d * n;
    NUM *s = N_VEC_INIT(n), *y = N_VEC_INIT(d), *r = N_VEC_INIT(d), *u = N_VEC_INIT(n);

    PC_SFX(pc_softmax)(s, a, n PREC_ARG);
    PC_SFX(pc_model_output)(y, m, V, s PREC_ARG);
    PC_SFX(pc_loss_residual)(r, m, y PREC_ARG);
    for (slong i = 0; i < d; i++)               /* dV = r sᵀ */
        for (slong j = 0; j < n; j++)
            N_MUL(dx + i * n + j, r + i, s + j);
    for (slong j = 0; j < n; j++) {             /* u = Vᵀ r */
        N_ZERO(u + j);
        for (slong i = 0; i < d; i++)
            N_ADDMUL(u + j, V + i * n + j, r + i);
    }
    PC_SFX(pc_softmax_jac_apply)(dx + d * n, s, u, n PREC_ARG);   /* da = C(s) u */

    N_VEC_CLEAR(s, n);
    N_VEC_CLEAR(y, d);
    N_VEC_CLEAR(r, d);
    N_VEC_CLEAR(u, n);
}

/* H = log(1 + S) − Σ_{k≠m} s_k c_k with m the largest logit, c_k = a_k − a_m
 * and S = Σ_{k≠m} e^{c_k} (from log s_k = c_k − log(1 + S)). Written so
 * that near a one-hot softmax, where H is tiny, its error is relative to H:
 * the leading 1 of the sum never enters a rounding. c_m = 0 exactly. */
void PC_SFX(pc_entropy)(NUM *H, const NUM *a, slong n PREC_DECL)
{
    NUM *e = N_VEC_INIT(n);
    NUM S[1], t[1], one[1];
    slong m = N_ARGMAX(a, n);
    N_INIT(S);
    N_INIT(t);
    N_INIT(one);
    N_ONE(one);
    N_ZERO(S);
    N_ZERO(H);
    for (slong k = 0; k < n; k++) {
        if (k == m)
            continue;
        N_SUB(e + k, a + k, a + m);             /* c_k */
        N_EXP(t, e + k);
        N_ADD(S, S, t);
        N_SUBMUL(H, t, e + k);                  /* −Σ e^{c_k} c_k */
    }
    N_ADD(t, S, one);
    N_DIV(H, H, t);                             /* −Σ s_k c_k */
    N_LOG1P(t, S);
    N_ADD(H, H, t);
    N_CLEAR(S);
    N_CLEAR(t);
    N_CLEAR(one);
    N_VEC_CLEAR(e, n);
}

void PC_SFX(pc_entropy_rate)(NUM *dH, const NUM *a, const NUM *da, slong n PREC_DECL)
{
    NUM *s = N_VEC_INIT(n);
    NUM abar[1], dbar[1], p[1], q[1];
    N_INIT(abar);
    N_INIT(dbar);
    N_INIT(p);
    N_INIT(q);
    PC_SFX(pc_softmax)(s, a, n PREC_ARG);
    PC_SFX(_pc_dot)(abar, s, a, n PREC_ARG);
    PC_SFX(_pc_dot)(dbar, s, da, n PREC_ARG);
    N_ZERO(dH);
    for (slong j = 0; j < n; j++) {
        N_SUB(p, a + j, abar);
        N_SUB(q, da + j, dbar);
        N_MUL(p, p, q);
        N_SUBMUL(dH, s + j, p);
    }
    N_CLEAR(abar);
    N_CLEAR(dbar);
    N_CLEAR(p);
    N_CLEAR(q);
    N_VEC_CLEAR(s, n);
}

void PC_SFX(pc_conserved_sum_a)(NUM *res, const NUM *x, slong d, slong n PREC_DECL)
{
    N_ZERO(res);
    for (slong j = 0; j < n; j++)
        N_ADD(res, res, x + d * n + j);
}

void PC_SFX(pc_conserved_vperp)(NUM *W, const PC_MODEL_T *m, const NUM *V PREC_DECL)
{
    NUM c[1];
    N_INIT(c);
    for (slong j = 0; j < m->n; j++) {
        N_ZERO(c);                              /* c = (βᵀ V_·j) / ‖β‖² */
        for (slong i = 0; i < m->d; i++)
            N_ADDMUL(c, m->beta + i, V + i * m->n + j);
        N_DIV(c, c, m->beta_norm2);
        for (slong i = 0; i < m->d; i++) {
            N_SET(W + i * m->n + j, V + i * m->n + j);
            N_SUBMUL(W + i * m->n + j, m->beta + i, c);
        }
    }
    N_CLEAR(c);
}

/* ---- the reduced (u, a) system -------------------------------------------- */

void PC_SFX(pc_reduced_rho)(NUM *rho, const PC_MODEL_T *m, const NUM *z PREC_DECL)
{
    NUM t[1];
    N_INIT(t);
    switch (m->loss) {
    case PC_LOSS_LOGISTIC:              /* −φ'(z) = 1 / (1 + e^z) */
        N_NEG(t, z);
        PC_SFX(_pc_sigmoid)(rho, t PREC_ARG);
        break;
    case PC_LOSS_EXPONENTIAL:           /* e^{−z} */
        N_NEG(t, z);
        N_EXP(rho, t);
        break;
    default:                            /* square, V = β wᵀ: 1 − z/‖β‖² */
        N_DIV(t, z, m->beta_norm2);
        N_ONE(rho);
        N_SUB(rho, rho, t);
        break;
    }
    N_CLEAR(t);
}

/* z = uᵀ s and s = σ(a) for the reduced state (u, a). */
static void PC_SFX(_pc_reduced_sz)(NUM *s, NUM *z, const PC_MODEL_T *m, const NUM *xr PREC_DECL)
{
    PC_SFX(pc_softmax)(s, xr + m->n, m->n PREC_ARG);
    PC_SFX(_pc_dot)(z, xr, s, m->n PREC_ARG);
}

void PC_SFX(pc_field_tau)(NUM *dxr, const PC_MODEL_T *m, const NUM *xr PREC_DECL)
{
    NUM *s = N_VEC_INIT(m->n);
    NUM z[1];
    N_INIT(z);
    PC_SFX(_pc_reduced_sz)(s, z, m, xr PREC_ARG);
    for (slong j = 0; j < m->n; j++)
        N_MUL(dxr + j, m->beta_norm2, s + j);
    PC_SFX(pc_softmax_jac_apply)(dxr + m->n, s, xr, m->n PREC_ARG);
    N_CLEAR(z);
    N_VEC_CLEAR(s, m->n);
}

void PC_SFX(pc_field_reduced)(NUM *dxr, const PC_MODEL_T *m, const NUM *xr PREC_DECL)
{
    NUM *s = N_VEC_INIT(m->n);
    NUM z[1], rho[1];
    N_INIT(z);
    N_INIT(rho);
    PC_SFX(pc_field_tau)(dxr, m, xr PREC_ARG);
    PC_SFX(_pc_reduced_sz)(s, z, m, xr PREC_ARG);
    PC_SFX(pc_reduced_rho)(rho, m, z PREC_ARG);
    for (slong j = 0; j < 2 * m->n; j++)
        N_MUL(dxr + j, dxr + j, rho);
    N_CLEAR(z);
    N_CLEAR(rho);
    N_VEC_CLEAR(s, m->n);
}

void PC_SFX(pc_reduced_loss)(NUM *L, const PC_MODEL_T *m, const NUM *xr PREC_DECL)
{
    NUM *s = N_VEC_INIT(m->n);
    NUM z[1];
    N_INIT(z);
    PC_SFX(_pc_reduced_sz)(s, z, m, xr PREC_ARG);
    switch (m->loss) {
    case PC_LOSS_LOGISTIC:              /* log(1 + e^{−z}) */
        N_NEG(z, z);
        PC_SFX(_pc_softplus)(L, z PREC_ARG);
        break;
    case PC_LOSS_EXPONENTIAL:
        N_NEG(z, z);
        N_EXP(L, z);
        break;
    default:                            /* ½‖β‖² ρ² */
        PC_SFX(pc_reduced_rho)(z, m, z PREC_ARG);
        N_MUL(L, z, z);
        N_MUL(L, L, m->beta_norm2);
        N_MUL_2EXP(L, L, -1);
        break;
    }
    N_CLEAR(z);
    N_VEC_CLEAR(s, m->n);
}

/* u = Vᵀ β, a = a. */
void PC_SFX(pc_reduced_from_full)(NUM *xr, const PC_MODEL_T *m, const NUM *x PREC_DECL)
{
    const slong d = m->d, n = m->n;
    for (slong j = 0; j < n; j++) {
        N_ZERO(xr + j);
        for (slong i = 0; i < d; i++)
            N_ADDMUL(xr + j, x + i * n + j, m->beta + i);
        N_SET(xr + n + j, x + d * n + j);
    }
}

/* V = V0 + β (u − u0)ᵀ / ‖β‖², a = a: exact, because V − V0 = β cᵀ with
 * c' = ρ s and u' = ‖β‖² ρ s. */
void PC_SFX(pc_reduced_to_full)(NUM *x, const PC_MODEL_T *m, const NUM *V0,
                                const NUM *u0, const NUM *xr PREC_DECL)
{
    const slong d = m->d, n = m->n;
    NUM c[1];
    N_INIT(c);
    for (slong j = 0; j < n; j++) {
        N_SUB(c, xr + j, u0 + j);
        N_DIV(c, c, m->beta_norm2);
        for (slong i = 0; i < d; i++) {
            N_SET(x + i * n + j, V0 + i * n + j);
            N_ADDMUL(x + i * n + j, m->beta + i, c);
        }
        N_SET(x + d * n + j, xr + n + j);
    }
    N_CLEAR(c);
}

