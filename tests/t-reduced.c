/* Tests of the reduced (u, a) system (pc_reduced.h):
 *  - pc_reduced_detect on hand-built problems, decided exactly;
 *  - the reduced field is the projection (du = dVᵀβ, da) of the full field
 *    for margin losses and the aligned square loss, and is NOT for a square
 *    loss with a generic V (so the projection test can fail);
 *  - τ-field × ρ = real-time field; ρ against closed forms written here;
 *  - the maps between full and reduced states, exactly in fmpq;
 *  - the reduced loss equals the full model loss;
 *  - ball inputs contain the value at an inner point at 4x the precision;
 *  - the double versions agree with the balls. */
#include "testutil.h"

#define FILE_NAME "t-reduced"

static void zero_fmpq_vec(fmpq *v, slong len)
{
    for (slong i = 0; i < len; i++)
        fmpq_zero(v + i);
}

static void beta_norm2_fmpq(fmpq_t nb, const pc_problem_t p)
{
    fmpq_zero(nb);
    for (slong i = 0; i < p->d; i++)
        fmpq_addmul(nb, p->beta + i, p->beta + i);
}

/* V = β w0ᵀ exactly, w0 random. */
static void make_aligned(pc_problem_t p, flint_rand_t st)
{
    fmpq_t w;
    fmpq_init(w);
    for (slong j = 0; j < p->n; j++) {
        tu_randq(w, st, 2, 12);
        if (n_randint(st, 8) == 0)
            fmpq_zero(w);
        for (slong i = 0; i < p->d; i++)
            fmpq_mul(p->V + i * p->n + j, p->beta + i, w);
    }
    fmpq_clear(w);
}

/* A random problem on which the reduced system holds: logistic or
 * exponential with any V, or square with V = β w0ᵀ. */
static pc_loss_kind reducible_problem(pc_problem_t p, flint_rand_t st, int which,
                                      slong dmax, slong nmax)
{
    static const pc_loss_kind fams[3] = {
        PC_LOSS_LOGISTIC, PC_LOSS_EXPONENTIAL, PC_LOSS_SQUARE
    };
    pc_loss_kind loss = fams[which];
    tu_problem_random_size(p, st, loss, 1, dmax, 1, nmax);
    if (loss == PC_LOSS_SQUARE)
        make_aligned(p, st);
    return loss;
}

static void state_from_fmpq(arb_ptr x, const pc_problem_t p, slong prec)
{
    tu_arb_vec_set_fmpq(x, p->V, p->d * p->n, prec);
    tu_arb_vec_set_fmpq(x + p->d * p->n, p->a, p->n, prec);
}

/* ---- detection ---------------------------------------------------------------------- */

static void expect_kind(const pc_problem_t p, pc_reduced_kind want, const char *what)
{
    const char *why = NULL;
    pc_reduced_kind got = pc_reduced_detect(p, &why);
    TU_ASSERT(got == want, "%s: detected %s, expected %s (%s)", what,
              pc_reduced_name(got), pc_reduced_name(want), why ? why : "(no reason)");
    TU_ASSERT(why != NULL && why[0] != '\0', "%s: no reason given", what);
    TU_ASSERT(pc_reduced_detect(p, NULL) == want, "%s: result differs with why = NULL", what);
}

START_TEST(test_reduced_detect)
{
    flint_rand_t st;
    tu_rand_init(st, 301);
    pc_problem_t p;

    TU_ASSERT(strcmp(pc_reduced_name(PC_REDUCED_NONE), "none") == 0, "name of none");
    TU_ASSERT(strcmp(pc_reduced_name(PC_REDUCED_MARGIN), "margin") == 0, "name of margin");
    TU_ASSERT(strcmp(pc_reduced_name(PC_REDUCED_SQUARE_ALIGNED), "square-aligned") == 0,
              "name of square-aligned");

    /* margin losses: any V, also a box */
    tu_problem_random(p, st, PC_LOSS_LOGISTIC, 3, 4, 0);
    expect_kind(p, PC_REDUCED_MARGIN, "logistic");
    fmpq_set_si(p->radius, 1, 1000);
    expect_kind(p, PC_REDUCED_MARGIN, "logistic box");
    tu_problem_clear(p);
    tu_problem_random(p, st, PC_LOSS_EXPONENTIAL, 2, 5, 0);
    expect_kind(p, PC_REDUCED_MARGIN, "exponential");
    tu_problem_clear(p);

    /* square, V = β w0ᵀ with a zero entry in β and in w0 */
    tu_problem_alloc(p, PC_LOSS_SQUARE, 3, 4, 0);
    fmpq_set_si(p->beta + 0, 2, 3);
    fmpq_set_si(p->beta + 1, 0, 1);
    fmpq_set_si(p->beta + 2, -5, 7);
    {
        static const slong wn[4] = { 1, -3, 0, 7 }, wd[4] = { 3, 11, 1, 2 };
        fmpq_t w;
        fmpq_init(w);
        for (slong j = 0; j < 4; j++) {
            fmpq_set_si(w, wn[j], wd[j]);
            for (slong i = 0; i < 3; i++)
                fmpq_mul(p->V + i * 4 + j, p->beta + i, w);
        }
        fmpq_clear(w);
    }
    expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square, V = beta w0^T");
    /* an exact test: a perturbation of 10^-40 in one entry breaks alignment */
    {
        fmpq_t e;
        fmpq_init(e);
        fmpz_set_ui(fmpq_denref(e), 10);
        fmpz_pow_ui(fmpq_denref(e), fmpq_denref(e), 40);
        fmpz_one(fmpq_numref(e));
        fmpq_add(p->V + 1 * 4 + 3, p->V + 1 * 4 + 3, e);
        expect_kind(p, PC_REDUCED_NONE, "square, V = beta w0^T + 1e-40");
        fmpq_sub(p->V + 1 * 4 + 3, p->V + 1 * 4 + 3, e);
        expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square, V = beta w0^T restored");
        fmpq_clear(e);
    }
    fmpq_set_si(p->radius, 1, 100);
    expect_kind(p, PC_REDUCED_NONE, "square, aligned, radius > 0");
    fmpq_zero(p->radius);
    /* rank one but along γ, not β */
    for (slong j = 0; j < 4; j++)
        fmpq_set_si(p->V + 1 * 4 + j, j + 1, 1);
    expect_kind(p, PC_REDUCED_NONE, "square, V rank one, not along beta");
    /* V = 0 */
    zero_fmpq_vec(p->V, 12);
    expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square, V = 0");
    /* β = 0 */
    zero_fmpq_vec(p->beta, 3);
    expect_kind(p, PC_REDUCED_NONE, "square, beta = 0");
    tu_problem_clear(p);

    for (int f = 0; f < 2; f++) {
        tu_problem_random(p, st, f ? PC_LOSS_EXPONENTIAL : PC_LOSS_LOGISTIC, 3, 2, 0);
        zero_fmpq_vec(p->beta, 3);
        expect_kind(p, PC_REDUCED_NONE, "margin loss, beta = 0");
        tu_problem_clear(p);
    }
    tu_problem_random(p, st, PC_LOSS_CROSS_ENTROPY, 3, 3, 0);
    expect_kind(p, PC_REDUCED_NONE, "cross_entropy");
    tu_problem_clear(p);
    tu_problem_random(p, st, PC_LOSS_QUADRATIC, 3, 3, 2);
    expect_kind(p, PC_REDUCED_NONE, "quadratic");
    tu_problem_clear(p);

    /* random cases */
    for (int iter = 0; iter < 500; iter++) {
        tu_problem_random_size(p, st, PC_LOSS_SQUARE, 1, 5, 1, 6);
        if (p->d >= 2) {        /* generic V: not aligned (almost surely; checked) */
            fmpq_t nb, c, t;
            int aligned = 1;
            fmpq_init(nb);
            fmpq_init(c);
            fmpq_init(t);
            beta_norm2_fmpq(nb, p);
            for (slong j = 0; j < p->n; j++) {
                fmpq_zero(c);
                for (slong i = 0; i < p->d; i++)
                    fmpq_addmul(c, p->beta + i, p->V + i * p->n + j);
                fmpq_div(c, c, nb);
                for (slong i = 0; i < p->d; i++) {
                    fmpq_mul(t, c, p->beta + i);
                    aligned = aligned && fmpq_equal(t, p->V + i * p->n + j);
                }
            }
            expect_kind(p, aligned ? PC_REDUCED_SQUARE_ALIGNED : PC_REDUCED_NONE,
                        "square, random V");
            fmpq_clear(nb);
            fmpq_clear(c);
            fmpq_clear(t);
        } else {
            expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square, d = 1");
        }
        make_aligned(p, st);
        expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square, random aligned V");
        tu_problem_clear(p);
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_detect");
}
END_TEST

/* ---- pc_reduced_align ------------------------------------------------------------------ */

/* dev = max_ij |V_ij − β_i w_j|, w_j = βᵀV_·j/‖β‖²; W = β wᵀ. */
static void projection_fmpq(fmpq *W, fmpq_t dev, const pc_problem_t p)
{
    fmpq_t nb, w, t;
    fmpq_init(nb);
    fmpq_init(w);
    fmpq_init(t);
    beta_norm2_fmpq(nb, p);
    fmpq_zero(dev);
    for (slong j = 0; j < p->n; j++) {
        fmpq_zero(w);
        for (slong i = 0; i < p->d; i++)
            fmpq_addmul(w, p->beta + i, p->V + i * p->n + j);
        fmpq_div(w, w, nb);
        for (slong i = 0; i < p->d; i++) {
            fmpq_mul(W + i * p->n + j, p->beta + i, w);
            fmpq_sub(t, p->V + i * p->n + j, W + i * p->n + j);
            fmpq_abs(t, t);
            if (fmpq_cmp(t, dev) > 0)
                fmpq_set(dev, t);
        }
    }
    fmpq_clear(nb);
    fmpq_clear(w);
    fmpq_clear(t);
}

static void copy_fmpq_vec(fmpq *r, const fmpq *a, slong len)
{
    for (slong i = 0; i < len; i++)
        fmpq_set(r + i, a + i);
}

static int equal_fmpq_vec(const fmpq *a, const fmpq *b, slong len)
{
    for (slong i = 0; i < len; i++)
        if (!fmpq_equal(a + i, b + i))
            return 0;
    return 1;
}

START_TEST(test_reduced_align)
{
    flint_rand_t st;
    tu_rand_init(st, 307);
    fmpq_t change, dev, e, tol;
    fmpq_init(change);
    fmpq_init(dev);
    fmpq_init(e);
    fmpq_init(tol);
    fmpz_one(fmpq_numref(tol));
    fmpz_set_ui(fmpq_denref(tol), 10);
    fmpz_pow_ui(fmpq_denref(tol), fmpq_denref(tol), PC_REDUCED_ALIGN_TOL_DIGITS);
    long ok_cases = 0, refused_cases = 0;

    for (int iter = 0; iter < 600; iter++) {
        pc_problem_t p;
        tu_problem_random_size(p, st, PC_LOSS_SQUARE, 1, 4, 1, 6);
        const slong dn = p->d * p->n;
        make_aligned(p, st);
        /* perturb some entries by up to 10^-13 (nearly aligned: float
         * rounding) or by ~10^-11 (not aligned) */
        int big = n_randint(st, 2);
        for (slong k = 0; k < dn; k++) {
            if (n_randint(st, 2))
                continue;
            fmpz_set_si(fmpq_numref(e), (slong) n_randint(st, 21) - 10);
            fmpz_set_ui(fmpq_denref(e), 10);
            fmpz_pow_ui(fmpq_denref(e), fmpq_denref(e), big ? 12 : 14);
            fmpq_canonicalise(e);
            fmpq_add(p->V + k, p->V + k, e);
        }
        fmpq *V0 = _fmpq_vec_init(dn), *W = _fmpq_vec_init(dn);
        copy_fmpq_vec(V0, p->V, dn);
        projection_fmpq(W, dev, p);
        int st_align = pc_reduced_align(p, change);
        if (fmpq_cmp(dev, tol) <= 0) {
            ok_cases++;
            TU_ASSERT(st_align == PC_OK, "align refused a deviation <= 10^-12 (iter %d)", iter);
            TU_ASSERT(fmpq_equal(change, dev), "align: change != max |V - beta w0^T| (iter %d)", iter);
            TU_ASSERT(equal_fmpq_vec(p->V, W, dn), "align: V != beta w0^T (iter %d)", iter);
            expect_kind(p, PC_REDUCED_SQUARE_ALIGNED, "square after align");
        } else {
            refused_cases++;
            TU_ASSERT(st_align == PC_ERR_INPUT, "align accepted a deviation > 10^-12 (iter %d)", iter);
            TU_ASSERT(equal_fmpq_vec(p->V, V0, dn), "align changed p on refusal (iter %d)", iter);
            expect_kind(p, PC_REDUCED_NONE, "square, not aligned, after refused align");
        }
        _fmpq_vec_clear(V0, dn);
        _fmpq_vec_clear(W, dn);
        tu_problem_clear(p);
    }
    TU_ASSERT(ok_cases > 100 && refused_cases > 100, "align: %ld accepted, %ld refused",
              ok_cases, refused_cases);

    /* the boundary: β = (1, 0), V = (1, 2; t, 0): deviation exactly |t| */
    {
        pc_problem_t p;
        tu_problem_alloc(p, PC_LOSS_SQUARE, 2, 2, 0);
        fmpq_one(p->beta + 0);
        fmpq_set_si(p->V + 0, 1, 1);
        fmpq_set_si(p->V + 1, 2, 1);
        fmpq_set(p->V + 2, tol);                        /* t = 10^-12: accepted */
        TU_ASSERT(pc_reduced_align(p, change) == PC_OK && fmpq_equal(change, tol),
                  "align at a deviation of exactly 10^-12");
        TU_ASSERT(fmpq_is_zero(p->V + 2) && fmpq_is_one(p->V + 0), "align at the boundary: V");
        fmpz_set_ui(fmpq_denref(e), 10);
        fmpz_pow_ui(fmpq_denref(e), fmpq_denref(e), 40);
        fmpz_one(fmpq_numref(e));
        fmpq_add(p->V + 2, tol, e);                     /* t = 10^-12 + 10^-40: refused */
        fmpq_neg(p->V + 2, p->V + 2);
        TU_ASSERT(pc_reduced_align(p, change) == PC_ERR_INPUT,
                  "align just beyond a deviation of 10^-12");
        /* unsupported: a box, β = 0, another loss */
        fmpq_zero(p->V + 2);
        fmpq_set_si(p->radius, 1, 10);
        TU_ASSERT(pc_reduced_align(p, change) == PC_ERR_UNSUPPORTED, "align of a box");
        fmpq_zero(p->radius);
        fmpq_zero(p->beta + 0);
        TU_ASSERT(pc_reduced_align(p, change) == PC_ERR_UNSUPPORTED, "align with beta = 0");
        tu_problem_clear(p);
        for (int loss = 0; loss < PC_LOSS_COUNT; loss++) {
            if (loss == PC_LOSS_SQUARE)
                continue;
            tu_problem_random(p, st, (pc_loss_kind) loss, 2, 3, 2);
            fmpq *V0 = _fmpq_vec_init(6);
            copy_fmpq_vec(V0, p->V, 6);
            TU_ASSERT(pc_reduced_align(p, change) == PC_ERR_UNSUPPORTED,
                      "align with %s loss", tu_loss_str(loss));
            TU_ASSERT(equal_fmpq_vec(p->V, V0, 6), "align changed a %s problem",
                      tu_loss_str(loss));
            _fmpq_vec_clear(V0, 6);
            tu_problem_clear(p);
        }
    }
    fmpq_clear(change);
    fmpq_clear(dev);
    fmpq_clear(e);
    fmpq_clear(tol);
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_align");
}
END_TEST

/* ---- the reduced field is the projection of the full field ----------------------------- */

START_TEST(test_reduced_projection)
{
    flint_rand_t st;
    tu_rand_init(st, 302);
    long refuted = 0, generic_cases = 0;
    for (int which = 0; which < 4; which++) {
        for (int iter = 0; iter < 500; iter++) {
            slong prec = (which == 3) ? 256 : tu_rand_prec(st);
            pc_problem_t p;
            pc_model_arb_t m;
            pc_loss_kind loss;
            if (which < 3)
                loss = reducible_problem(p, st, which, 4, 6);
            else {      /* square loss, generic V */
                loss = PC_LOSS_SQUARE;
                tu_problem_random_size(p, st, loss, 2, 4, 2, 6);
            }
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            tu_model_arb(m, p, prec);
            arb_ptr x = _arb_vec_init(dim), dx = _arb_vec_init(dim);
            arb_ptr xr = _arb_vec_init(2 * n), dxr = _arb_vec_init(2 * n);
            arb_ptr proj = _arb_vec_init(2 * n);
            const char *ls = tu_loss_str(loss);

            state_from_fmpq(x, p, prec);
            pc_field_full_arb(dx, m, x, prec);
            for (slong j = 0; j < n; j++) {             /* du = dVᵀβ, da = da */
                arb_dot(proj + j, NULL, 0, dx + j, n, m->beta, 1, d, prec);
                arb_set(proj + n + j, dx + d * n + j);
            }
            pc_reduced_from_full_arb(xr, m, x, prec);
            pc_field_reduced_arb(dxr, m, xr, prec);
            if (which < 3) {
                for (slong k = 0; k < 2 * n; k++) {
                    TU_OVERLAPS(dxr + k, proj + k,
                                "%s: reduced field component %ld != projected full field (iter %d)",
                                ls, (long) k, iter);
                    TU_ACCURATE(dxr + k, prec / 2, "%s: reduced field inaccurate", ls);
                }
            } else {
                /* du still matches (ρ‖β‖² = βᵀ(β − V s) for any V), but da
                 * differs by C(s) Vᵀ (I − ββᵀ/‖β‖²) V s */
                int separated = 0;
                for (slong j = 0; j < n; j++) {
                    TU_OVERLAPS(dxr + j, proj + j, "square, generic V: du (iter %d)", iter);
                    separated |= !arb_overlaps(dxr + n + j, proj + n + j);
                }
                generic_cases++;
                refuted += separated;
            }

            _arb_vec_clear(x, dim);
            _arb_vec_clear(dx, dim);
            _arb_vec_clear(xr, 2 * n);
            _arb_vec_clear(dxr, 2 * n);
            _arb_vec_clear(proj, 2 * n);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    printf("%s: reduced_projection: generic-V square refuted in %ld of %ld cases\n",
           FILE_NAME, refuted, generic_cases);
    /* a random rational V is aligned with probability ~0: the reduced field
     * must be refuted (almost) always, or the comparison above proves nothing */
    TU_ASSERT(refuted >= generic_cases - generic_cases / 50,
              "square loss, generic V: reduced field refuted in only %ld of %ld cases",
              refuted, generic_cases);
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_projection");
}
END_TEST

/* ---- τ-field, ρ, and the real-time field ------------------------------------------------- */

START_TEST(test_reduced_tau_and_rho)
{
    flint_rand_t st;
    tu_rand_init(st, 303);
    fmpq_t zq, nb, t;
    fmpq_init(zq);
    fmpq_init(nb);
    fmpq_init(t);
    for (int which = 0; which < 3; which++) {
        for (int iter = 0; iter < 800; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t m;
            pc_loss_kind loss = reducible_problem(p, st, which, 4, 6);
            const slong n = p->n;
            const char *ls = tu_loss_str(loss);
            tu_model_arb(m, p, prec);
            beta_norm2_fmpq(nb, p);
            fmpq *xq = _fmpq_vec_init(2 * n);
            arb_ptr xr = _arb_vec_init(2 * n), xh = _arb_vec_init(2 * n);
            arb_ptr tau = _arb_vec_init(2 * n), real = _arb_vec_init(2 * n);
            arb_ptr s = _arb_vec_init(n), ref = _arb_vec_init(2 * n);
            arb_t z, rho, rref, v;
            arb_init(z);
            arb_init(rho);
            arb_init(rref);
            arb_init(v);

            /* a reduced state (u, a) with u up to 40 (large z) */
            ulong ub = n_randint(st, 2) ? 5 : 40;
            tu_randq_vec(xq, n, st, ub, 12);
            tu_randq_vec(xq + n, n, st, 4, 12);
            tu_arb_vec_set_fmpq(xr, xq, 2 * n, prec);
            tu_arb_vec_set_fmpq(xh, xq, 2 * n, hp);

            /* τ-field: u' = ‖β‖² s, a' = C(s) u */
            pc_field_tau_arb(tau, m, xr, prec);
            indep_softmax(s, xh + n, n, hp);
            arb_set_fmpq(v, nb, hp);
            for (slong j = 0; j < n; j++)
                arb_mul(ref + j, v, s + j, hp);
            indep_cmat_apply(ref + n, s, xh, n, hp);
            for (slong k = 0; k < 2 * n; k++) {
                TU_CONTAINS(tau + k, ref + k, "%s: tau field component %ld (iter %d)",
                            ls, (long) k, iter);
                TU_ACCURATE(tau + k, prec / 2, "%s: tau field inaccurate", ls);
            }

            /* ρ(z) at z = uᵀ s, against the closed forms */
            arb_dot(z, NULL, 0, xh, 1, s, 1, n, hp);
            switch (loss) {
            case PC_LOSS_LOGISTIC:              /* 1 / (1 + e^z) */
                arb_exp(rref, z, hp);
                arb_add_ui(rref, rref, 1, hp);
                arb_inv(rref, rref, hp);
                break;
            case PC_LOSS_EXPONENTIAL:           /* e^{−z} */
                arb_neg(rref, z);
                arb_exp(rref, rref, hp);
                break;
            default:                            /* 1 − z/‖β‖² */
                arb_set_fmpq(v, nb, hp);
                arb_div(rref, z, v, hp);
                arb_sub_ui(rref, rref, 1, hp);
                arb_neg(rref, rref);
                break;
            }
            arb_set_round(z, z, prec);
            pc_reduced_rho_arb(rho, m, z, prec);
            TU_CONTAINS(rho, rref, "%s: rho(z) vs closed form (iter %d)", ls, iter);
            TU_ACCURATE(rho, prec / 2, "%s: rho inaccurate", ls);

            /* real-time field = ρ · τ-field */
            pc_field_reduced_arb(real, m, xr, prec);
            for (slong k = 0; k < 2 * n; k++) {
                arb_mul(ref + k, ref + k, rref, hp);
                TU_CONTAINS(real + k, ref + k, "%s: reduced field component %ld != rho tau-field (iter %d)",
                            ls, (long) k, iter);
                arb_mul(v, tau + k, rho, prec);
                TU_OVERLAPS(real + k, v, "%s: field_reduced != rho * field_tau (iter %d)", ls, iter);
            }

            /* ρ at an exact rational z; the square loss is then exact in fmpq */
            tu_randq(zq, st, n_randint(st, 2) ? 3 : 40, 12);
            arb_set_fmpq(z, zq, prec);
            pc_reduced_rho_arb(rho, m, z, prec);
            if (loss == PC_LOSS_SQUARE) {
                fmpq_div(t, zq, nb);
                fmpq_sub_ui(t, t, 1);
                fmpq_neg(t, t);
                TU_CONTAINS_FMPQ(rho, t, "square: rho(z) = 1 − z/|beta|^2 exactly (iter %d)", iter);
            } else {
                arb_set_fmpq(rref, zq, hp);
                if (loss == PC_LOSS_LOGISTIC) {
                    arb_exp(rref, rref, hp);
                    arb_add_ui(rref, rref, 1, hp);
                    arb_inv(rref, rref, hp);
                } else {
                    arb_neg(rref, rref);
                    arb_exp(rref, rref, hp);
                }
                TU_CONTAINS(rho, rref, "%s: rho at rational z (iter %d)", ls, iter);
            }
            TU_ACCURATE(rho, prec / 2, "%s: rho inaccurate", ls);

            arb_clear(z);
            arb_clear(rho);
            arb_clear(rref);
            arb_clear(v);
            _fmpq_vec_clear(xq, 2 * n);
            _arb_vec_clear(xr, 2 * n);
            _arb_vec_clear(xh, 2 * n);
            _arb_vec_clear(tau, 2 * n);
            _arb_vec_clear(real, 2 * n);
            _arb_vec_clear(s, n);
            _arb_vec_clear(ref, 2 * n);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    fmpq_clear(zq);
    fmpq_clear(nb);
    fmpq_clear(t);
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_tau_and_rho");
}
END_TEST

/* ---- maps between full and reduced states, and the loss ---------------------------------- */

START_TEST(test_reduced_maps_and_loss)
{
    flint_rand_t st;
    tu_rand_init(st, 304);
    fmpq_t nb, c;
    fmpq_init(nb);
    fmpq_init(c);
    for (int which = 0; which < 3; which++) {
        for (int iter = 0; iter < 600; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec + 64;
            pc_problem_t p;
            pc_model_arb_t m;
            pc_loss_kind loss = reducible_problem(p, st, which, 4, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            const char *ls = tu_loss_str(loss);
            tu_model_arb(m, p, prec);
            beta_norm2_fmpq(nb, p);
            fmpq *u0q = _fmpq_vec_init(n), *uq = _fmpq_vec_init(n), *Vq = _fmpq_vec_init(d * n);
            arb_ptr x = _arb_vec_init(dim), x2 = _arb_vec_init(dim);
            arb_ptr xr = _arb_vec_init(2 * n), xr2 = _arb_vec_init(2 * n);
            arb_ptr u0 = _arb_vec_init(n), s = _arb_vec_init(n);
            arb_t L, Lr, z, ref;
            arb_init(L);
            arb_init(Lr);
            arb_init(z);
            arb_init(ref);

            /* u0 = V0ᵀ β exactly */
            for (slong j = 0; j < n; j++) {
                fmpq_zero(u0q + j);
                for (slong i = 0; i < d; i++)
                    fmpq_addmul(u0q + j, p->V + i * n + j, p->beta + i);
            }
            state_from_fmpq(x, p, prec);
            pc_reduced_from_full_arb(xr, m, x, prec);
            for (slong j = 0; j < n; j++) {
                TU_CONTAINS_FMPQ(xr + j, u0q + j, "%s: from_full: u = V^T beta (iter %d)", ls, iter);
                TU_CONTAINS_FMPQ(xr + n + j, p->a + j, "%s: from_full: a (iter %d)", ls, iter);
            }

            /* to_full(from_full(x)) with V0 = V, u0 = from_full's u contains x */
            for (slong j = 0; j < n; j++)
                arb_set(u0 + j, xr + j);
            pc_reduced_to_full_arb(x2, m, x, u0, xr, prec);
            for (slong k = 0; k < d * n; k++)
                TU_CONTAINS_FMPQ(x2 + k, p->V + k, "%s: to_full(from_full(x)): V entry %ld (iter %d)",
                                 ls, (long) k, iter);
            for (slong j = 0; j < n; j++)
                TU_CONTAINS_FMPQ(x2 + d * n + j, p->a + j, "%s: to_full(from_full(x)): a (iter %d)",
                                 ls, iter);

            /* to_full of another reduced state: V = V0 + β (u − u0)ᵀ/‖β‖², exactly */
            tu_randq_vec(uq, n, st, 5, 12);
            tu_arb_vec_set_fmpq(xr2, uq, n, prec);
            tu_arb_vec_set_fmpq(xr2 + n, p->a, n, prec);
            tu_arb_vec_set_fmpq(u0, u0q, n, prec);
            pc_reduced_to_full_arb(x2, m, x, u0, xr2, prec);
            for (slong j = 0; j < n; j++) {
                fmpq_sub(c, uq + j, u0q + j);
                fmpq_div(c, c, nb);
                for (slong i = 0; i < d; i++) {
                    fmpq_set(Vq + i * n + j, p->V + i * n + j);
                    fmpq_addmul(Vq + i * n + j, p->beta + i, c);
                    TU_CONTAINS_FMPQ(x2 + i * n + j, Vq + i * n + j,
                                     "%s: to_full: V_%ld%ld (iter %d)", ls, (long) i, (long) j, iter);
                    TU_ACCURATE(x2 + i * n + j, prec / 2, "%s: to_full inaccurate", ls);
                }
            }
            /* and back: from_full(to_full(xr)) contains u */
            pc_reduced_from_full_arb(xr, m, x2, prec);
            for (slong j = 0; j < n; j++)
                TU_CONTAINS_FMPQ(xr + j, uq + j, "%s: from_full(to_full(u)) (iter %d)", ls, iter);

            /* the reduced loss is the full model loss, and its closed form */
            pc_reduced_from_full_arb(xr, m, x, prec);
            pc_reduced_loss_arb(Lr, m, xr, prec);
            pc_model_loss_arb(L, m, x, prec);
            TU_OVERLAPS(Lr, L, "%s: reduced loss != model loss (iter %d)", ls, iter);
            TU_ACCURATE(Lr, prec / 2, "%s: reduced loss inaccurate", ls);
            tu_arb_vec_set_fmpq(x2, p->a, n, hp);
            indep_softmax(s, x2, n, hp);
            tu_arb_vec_set_fmpq(u0, u0q, n, hp);
            arb_dot(z, NULL, 0, u0, 1, s, 1, n, hp);
            switch (loss) {
            case PC_LOSS_LOGISTIC:              /* log(1 + e^{−z}) */
                arb_neg(ref, z);
                arb_exp(ref, ref, hp);
                arb_log1p(ref, ref, hp);
                break;
            case PC_LOSS_EXPONENTIAL:           /* e^{−z} */
                arb_neg(ref, z);
                arb_exp(ref, ref, hp);
                break;
            default:                            /* ½ ‖β − y‖², y = β z/‖β‖² */
                arb_set_fmpq(ref, nb, hp);
                arb_div(z, z, ref, hp);
                arb_sub_ui(z, z, 1, hp);
                arb_mul(z, z, z, hp);
                arb_mul(ref, ref, z, hp);
                arb_mul_2exp_si(ref, ref, -1);
                break;
            }
            TU_CONTAINS(Lr, ref, "%s: reduced loss vs closed form (iter %d)", ls, iter);

            arb_clear(L);
            arb_clear(Lr);
            arb_clear(z);
            arb_clear(ref);
            _fmpq_vec_clear(u0q, n);
            _fmpq_vec_clear(uq, n);
            _fmpq_vec_clear(Vq, d * n);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(x2, dim);
            _arb_vec_clear(xr, 2 * n);
            _arb_vec_clear(xr2, 2 * n);
            _arb_vec_clear(u0, n);
            _arb_vec_clear(s, n);
            pc_model_arb_clear(m);
            tu_problem_clear(p);
        }
    }
    fmpq_clear(nb);
    fmpq_clear(c);
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_maps_and_loss");
}
END_TEST

/* ---- ball inputs ------------------------------------------------------------------------- */

START_TEST(test_reduced_ball_containment)
{
    flint_rand_t st;
    tu_rand_init(st, 305);
    for (int which = 0; which < 3; which++) {
        for (int iter = 0; iter < 800; iter++) {
            slong prec = tu_rand_prec(st), hp = 4 * prec;
            pc_problem_t p;
            pc_model_arb_t mlo, mhi;
            pc_loss_kind loss = reducible_problem(p, st, which, 4, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            const char *ls = tu_loss_str(loss);
            tu_model_arb(mlo, p, prec);
            tu_model_arb(mhi, p, hp);
            arb_ptr xr = _arb_vec_init(2 * n), xrs = _arb_vec_init(2 * n);
            arb_ptr f = _arb_vec_init(2 * n), fs = _arb_vec_init(2 * n);
            arb_ptr x = _arb_vec_init(dim), xs = _arb_vec_init(dim);
            arb_ptr x2 = _arb_vec_init(dim), x2s = _arb_vec_init(dim);
            arb_ptr u0 = _arb_vec_init(n), u0s = _arb_vec_init(n);
            arb_t z, zs, v, vs;
            arb_init(z);
            arb_init(zs);
            arb_init(v);
            arb_init(vs);

            tu_rand_ball_vec(xr, n, st, n_randint(st, 2) ? 5 : 30, prec);
            tu_rand_ball_vec(xr + n, n, st, 4, prec);
            tu_rand_point_in_vec(xrs, xr, 2 * n, st);
            pc_field_reduced_arb(f, mlo, xr, prec);
            pc_field_reduced_arb(fs, mhi, xrs, hp);
            for (slong k = 0; k < 2 * n; k++)
                TU_CONTAINS(f + k, fs + k, "%s: reduced field %ld at an inner point (iter %d)",
                            ls, (long) k, iter);
            pc_field_tau_arb(f, mlo, xr, prec);
            pc_field_tau_arb(fs, mhi, xrs, hp);
            for (slong k = 0; k < 2 * n; k++)
                TU_CONTAINS(f + k, fs + k, "%s: tau field %ld at an inner point (iter %d)",
                            ls, (long) k, iter);
            pc_reduced_loss_arb(v, mlo, xr, prec);
            pc_reduced_loss_arb(vs, mhi, xrs, hp);
            TU_CONTAINS(v, vs, "%s: reduced loss at an inner point (iter %d)", ls, iter);
            tu_rand_ball(z, st, n_randint(st, 2) ? 3 : 40, prec);
            tu_rand_point_in(zs, z, st);
            pc_reduced_rho_arb(v, mlo, z, prec);
            pc_reduced_rho_arb(vs, mhi, zs, hp);
            TU_CONTAINS(v, vs, "%s: rho at an inner point (iter %d)", ls, iter);

            tu_rand_ball_vec(x, dim, st, 3, prec);
            tu_rand_point_in_vec(xs, x, dim, st);
            pc_reduced_from_full_arb(f, mlo, x, prec);
            pc_reduced_from_full_arb(fs, mhi, xs, hp);
            for (slong k = 0; k < 2 * n; k++)
                TU_CONTAINS(f + k, fs + k, "%s: from_full at an inner point (iter %d)", ls, iter);
            tu_rand_ball_vec(u0, n, st, 5, prec);
            tu_rand_point_in_vec(u0s, u0, n, st);
            pc_reduced_to_full_arb(x2, mlo, x, u0, xr, prec);
            pc_reduced_to_full_arb(x2s, mhi, xs, u0s, xrs, hp);
            for (slong k = 0; k < dim; k++)
                TU_CONTAINS(x2 + k, x2s + k, "%s: to_full at an inner point (iter %d)", ls, iter);

            arb_clear(z);
            arb_clear(zs);
            arb_clear(v);
            arb_clear(vs);
            _arb_vec_clear(xr, 2 * n);
            _arb_vec_clear(xrs, 2 * n);
            _arb_vec_clear(f, 2 * n);
            _arb_vec_clear(fs, 2 * n);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(xs, dim);
            _arb_vec_clear(x2, dim);
            _arb_vec_clear(x2s, dim);
            _arb_vec_clear(u0, n);
            _arb_vec_clear(u0s, n);
            pc_model_arb_clear(mlo);
            pc_model_arb_clear(mhi);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_ball_containment");
}
END_TEST

/* ---- double versions ----------------------------------------------------------------------- */

START_TEST(test_reduced_double_agrees)
{
    flint_rand_t st;
    tu_rand_init(st, 306);
    const slong prec = 200;
    const double tol = 1e-12;
    for (int which = 0; which < 3; which++) {
        for (int iter = 0; iter < 800; iter++) {
            pc_problem_t p;
            pc_model_arb_t ma;
            pc_model_d_t md;
            pc_loss_kind loss = reducible_problem(p, st, which, 4, 6);
            const slong d = p->d, n = p->n, dim = pc_model_full_dim(d, n);
            const char *ls = tu_loss_str(loss);
            tu_model_arb(ma, p, prec);
            tu_model_d(md, p);
            double *xrd = malloc(sizeof(double) * 2 * n), *fd = malloc(sizeof(double) * 2 * n);
            double *xd = malloc(sizeof(double) * dim), *x2d = malloc(sizeof(double) * dim);
            double *u0d = malloc(sizeof(double) * n), vd, zd;
            arb_ptr xr = _arb_vec_init(2 * n), f = _arb_vec_init(2 * n);
            arb_ptr x = _arb_vec_init(dim), x2 = _arb_vec_init(dim), u0 = _arb_vec_init(n);
            arb_t v, z;
            arb_init(v);
            arb_init(z);

            for (slong k = 0; k < 2 * n; k++) {
                xrd[k] = tu_rand_dyadic(st, k < n ? 5 : 4, 20);
                arb_set_d(xr + k, xrd[k]);
            }
            for (slong k = 0; k < dim; k++) {
                xd[k] = tu_rand_dyadic(st, 3, 20);
                arb_set_d(x + k, xd[k]);
            }
            for (slong j = 0; j < n; j++) {
                u0d[j] = tu_rand_dyadic(st, 5, 20);
                arb_set_d(u0 + j, u0d[j]);
            }
            zd = tu_rand_dyadic(st, 30, 20);
            arb_set_d(z, zd);

            pc_field_reduced_d(fd, md, xrd);
            pc_field_reduced_arb(f, ma, xr, prec);
            for (slong k = 0; k < 2 * n; k++)
                TU_CLOSE_D(fd[k], f + k, tol, "%s: double reduced field", ls);
            pc_field_tau_d(fd, md, xrd);
            pc_field_tau_arb(f, ma, xr, prec);
            for (slong k = 0; k < 2 * n; k++)
                TU_CLOSE_D(fd[k], f + k, tol, "%s: double tau field", ls);
            pc_reduced_loss_d(&vd, md, xrd);
            pc_reduced_loss_arb(v, ma, xr, prec);
            TU_CLOSE_D(vd, v, tol, "%s: double reduced loss", ls);
            pc_reduced_rho_d(&vd, md, &zd);
            pc_reduced_rho_arb(v, ma, z, prec);
            TU_CLOSE_D(vd, v, tol, "%s: double rho", ls);
            pc_reduced_from_full_d(fd, md, xd);
            pc_reduced_from_full_arb(f, ma, x, prec);
            for (slong k = 0; k < 2 * n; k++)
                TU_CLOSE_D(fd[k], f + k, tol, "%s: double from_full", ls);
            pc_reduced_to_full_d(x2d, md, xd, u0d, xrd);
            pc_reduced_to_full_arb(x2, ma, x, u0, xr, prec);
            for (slong k = 0; k < dim; k++)
                TU_CLOSE_D(x2d[k], x2 + k, tol, "%s: double to_full", ls);

            free(xrd);
            free(fd);
            free(xd);
            free(x2d);
            free(u0d);
            arb_clear(v);
            arb_clear(z);
            _arb_vec_clear(xr, 2 * n);
            _arb_vec_clear(f, 2 * n);
            _arb_vec_clear(x, dim);
            _arb_vec_clear(x2, dim);
            _arb_vec_clear(u0, n);
            pc_model_arb_clear(ma);
            pc_model_d_clear(md);
            tu_problem_clear(p);
        }
    }
    flint_randclear(st);
    tu_done(FILE_NAME, "reduced_double_agrees");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reduced");
    TCase *tc;
    tc = tu_tcase(s, "detect");
    tcase_add_test(tc, test_reduced_detect);
    tcase_add_test(tc, test_reduced_align);
    tc = tu_tcase(s, "exact");
    tcase_add_test(tc, test_reduced_projection);
    tcase_add_test(tc, test_reduced_tau_and_rho);
    tcase_add_test(tc, test_reduced_maps_and_loss);
    tc = tu_tcase(s, "ball");
    tcase_add_test(tc, test_reduced_ball_containment);
    tc = tu_tcase(s, "double");
    tcase_add_test(tc, test_reduced_double_agrees);
    return tu_run_suite(s);
}
