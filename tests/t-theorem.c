/* Theorem checks: hypotheses decided exactly (against independent exact
 * computations on random rational data, points and boxes), conclusions on a
 * shared case (point and box), and certificates of a check whose tampered
 * versions polarcert-verify must REJECT (claim reversed, interval extended,
 * hypothesis flipped, witness moved, verdict upgraded ...), each sealed again
 * with a correct hash so that the recomputation must catch the change. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "polarcert.h"

/* ---- hypotheses on random rational data ------------------------------------ */

static void rand_q(fmpq_t q, flint_rand_t st, int zero_often)
{
    if (zero_often && n_randint(st, 4) == 0) {
        fmpq_zero(q);
        return;
    }
    fmpz_set_si(fmpq_numref(q), (slong) n_randint(st, 19) - 9);
    fmpz_set_ui(fmpq_denref(q), 1 + n_randint(st, 7));
    fmpq_canonicalise(q);
}

static void json_add_q(char **s, size_t *len, const fmpq_t q, int last)
{
    char *t = fmpq_get_str(NULL, 10, q);
    size_t need = strlen(t) + 8;
    *s = realloc(*s, *len + need);
    *len += (size_t) sprintf(*s + *len, "\"%s\"%s", t, last ? "" : ", ");
    flint_free(t);
}

static void json_add(char **s, size_t *len, const char *text)
{
    *s = realloc(*s, *len + strlen(text) + 1);
    strcpy(*s + *len, text);
    *len += strlen(text);
}

/* A random problem (loss by kind: 0 logistic, 1 square, 2 quadratic, 3
 * cross-entropy) with structure planted now and then: a(0) uniform, V(0) =
 * beta w^T, V(0) = 0, beta = 0, a repeated column of X, a zero q_k. */
static void rand_problem(pc_problem_t p, flint_rand_t st, int loss, int box)
{
    const slong d = 1 + n_randint(st, 3), n = 2 + n_randint(st, 3), m = 1 + n_randint(st, 4);
    fmpq_t x;
    fmpq_init(x);
    fmpq *beta = _fmpq_vec_init(d), *w = _fmpq_vec_init(n);
    int aligned = n_randint(st, 3) == 0, vzero = n_randint(st, 6) == 0;
    int auni = n_randint(st, 2) == 0, bzero = n_randint(st, 8) == 0;
    for (slong i = 0; i < d; i++)
        bzero ? fmpq_zero(beta + i) : rand_q(beta + i, st, 0);
    for (slong j = 0; j < n; j++)
        rand_q(w + j, st, 0);
    char *s = NULL, hdr[200];
    size_t len = 0;
    static const char *const names[] = {"logistic", "square", "quadratic", "cross_entropy"};
    snprintf(hdr, sizeof hdr, "{\"format\": \"polarcert-problem/1\", \"name\": \"r\", "
             "\"loss\": \"%s\", \"d\": %ld, \"n\": %ld, \"T\": \"1\", \"radius\": \"%s\", \"V\": [",
             names[loss], (long) d, (long) n, box ? "1/1000" : "0");
    json_add(&s, &len, hdr);
    for (slong i = 0; i < d; i++) {
        json_add(&s, &len, "[");
        for (slong j = 0; j < n; j++) {
            if (vzero)
                fmpq_zero(x);
            else if (aligned)
                fmpq_mul(x, beta + i, w + j);
            else
                rand_q(x, st, 1);
            json_add_q(&s, &len, x, j == n - 1);
        }
        json_add(&s, &len, i == d - 1 ? "]], \"a\": [" : "], ");
    }
    rand_q(x, st, 0);
    for (slong j = 0; j < n; j++) {
        if (!auni)
            rand_q(x, st, 1);
        json_add_q(&s, &len, x, j == n - 1);
    }
    json_add(&s, &len, "]");
    if (loss <= 1) {
        json_add(&s, &len, ", \"beta\": [");
        for (slong i = 0; i < d; i++)
            json_add_q(&s, &len, beta + i, i == d - 1);
        json_add(&s, &len, "]");
    } else if (loss == 2) {
        int dup = d >= 2 && n_randint(st, 3) == 0;
        snprintf(hdr, sizeof hdr, ", \"X\": [");
        json_add(&s, &len, hdr);
        for (slong r = 0; r < m; r++) {
            fmpq_t first;
            fmpq_init(first);
            json_add(&s, &len, "[");
            for (slong i = 0; i < d; i++) {
                rand_q(x, st, 1);
                if (i == 0)
                    fmpq_set(first, x);
                if (dup && i == 1)
                    fmpq_set(x, first);
                json_add_q(&s, &len, x, i == d - 1);
            }
            json_add(&s, &len, r == m - 1 ? "]]" : "], ");
            fmpq_clear(first);
        }
        json_add(&s, &len, ", \"b\": [");
        for (slong r = 0; r < m; r++)
            json_add_q(&s, &len, x, r == m - 1);
        json_add(&s, &len, "]");
    } else {                    /* q: 1/d each, or one zero and the rest shared */
        int z = d >= 2 && n_randint(st, 2) == 0;
        json_add(&s, &len, ", \"q\": [");
        for (slong k = 0; k < d; k++) {
            fmpq_set_si(x, z ? (k == 0 ? 0 : 1) : 1, z ? d - 1 : d);
            json_add_q(&s, &len, x, k == d - 1);
        }
        json_add(&s, &len, "]");
    }
    json_add(&s, &len, "}");
    pc_error_t err;
    int rst = pc_problem_load_string(p, s, "random", err);
    ck_assert_msg(rst == PC_OK, "%s\n%s", err->msg, s);
    free(s);
    fmpq_clear(x);
    _fmpq_vec_clear(beta, d);
    _fmpq_vec_clear(w, n);
}

/* Independent exact references. */
static int q_vec_is_zero(const fmpq *v, slong len)
{
    for (slong k = 0; k < len; k++)
        if (!fmpq_is_zero(v + k))
            return 0;
    return 1;
}

static void ref_u(fmpq *u, const pc_problem_t p)
{
    fmpq_mat_t Vt, b, U;
    fmpq_mat_init(Vt, p->n, p->d);
    fmpq_mat_init(b, p->d, 1);
    fmpq_mat_init(U, p->n, 1);
    for (slong i = 0; i < p->d; i++) {
        fmpq_set(fmpq_mat_entry(b, i, 0), p->beta + i);
        for (slong j = 0; j < p->n; j++)
            fmpq_set(fmpq_mat_entry(Vt, j, i), p->V + i * p->n + j);
    }
    fmpq_mat_mul(U, Vt, b);
    for (slong j = 0; j < p->n; j++)
        fmpq_set(u + j, fmpq_mat_entry(U, j, 0));
    fmpq_mat_clear(Vt);
    fmpq_mat_clear(b);
    fmpq_mat_clear(U);
}

/* rank [beta V] <= 1 (or V = 0 when beta = 0): V = beta w^T for some w. */
static int ref_aligned(const pc_problem_t p)
{
    fmpq_mat_t M, R;
    fmpq_mat_init(M, p->d, p->n + 1);
    fmpq_mat_init(R, p->d, p->n + 1);
    for (slong i = 0; i < p->d; i++) {
        fmpq_set(fmpq_mat_entry(M, i, 0), p->beta + i);
        for (slong j = 0; j < p->n; j++)
            fmpq_set(fmpq_mat_entry(M, i, j + 1), p->V + i * p->n + j);
    }
    slong r = fmpq_mat_rref(R, M);
    int bz = 1;
    for (slong i = 0; i < p->d; i++)
        bz = bz && fmpq_is_zero(p->beta + i);
    fmpq_mat_clear(M);
    fmpq_mat_clear(R);
    return bz ? r == 0 : r <= 1;
}

/* full column rank <=> det(X^T X) != 0 */
static int ref_full_rank(const pc_problem_t p)
{
    fmpq_mat_t X, Xt, G;
    fmpq_t det;
    fmpq_mat_init(X, p->m, p->d);
    fmpq_mat_init(Xt, p->d, p->m);
    fmpq_mat_init(G, p->d, p->d);
    fmpq_init(det);
    for (slong r = 0; r < p->m; r++)
        for (slong i = 0; i < p->d; i++)
            fmpq_set(fmpq_mat_entry(X, r, i), p->X + r * p->d + i);
    fmpq_mat_transpose(Xt, X);
    fmpq_mat_mul(G, Xt, X);
    fmpq_mat_det(det, G);
    int ok = !fmpq_is_zero(det);
    fmpq_mat_clear(X);
    fmpq_mat_clear(Xt);
    fmpq_mat_clear(G);
    fmpq_clear(det);
    return ok;
}

static void check_u0(const pc_problem_t p, const pc_hyp_t h)
{
    const slong n = p->n;
    fmpq *u = _fmpq_vec_init(n);
    fmpq_t w, t, least;
    fmpq_init(w);
    fmpq_init(t);
    fmpq_init(least);
    ref_u(u, p);
    for (slong i = 0; i < p->d; i++) {      /* w = 2 r |beta|_1 */
        fmpq_abs(t, p->beta + i);
        fmpq_add(w, w, t);
    }
    fmpq_mul(w, w, p->radius);
    fmpq_add(w, w, w);
    int holds = 1;          /* every pair separated by more than w */
    for (slong i = 0; i < n; i++)
        for (slong j = i + 1; j < n; j++) {
            fmpq_sub(t, u + i, u + j);
            fmpq_abs(t, t);
            fmpq_sub(t, t, w);
            if (fmpq_sgn(t) <= 0)
                holds = 0;
            if ((i == 0 && j == 1) || fmpq_cmp(t, least) < 0)
                fmpq_set(least, t);
        }
    TU_ASSERT(h->holds == holds, "u0_strictly_ordered: %d, reference %d", h->holds, holds);
    if (holds) {
        TU_ASSERT(h->order != NULL && h->n == n, "order missing");
        for (slong k = 0; k + 1 < n; k++)
            TU_ASSERT(fmpq_cmp(u + h->order[k], u + h->order[k + 1]) > 0, "order not decreasing");
        TU_ASSERT(fmpq_equal(h->gap, least), "least gap differs from the least pairwise gap");
    }
    _fmpq_vec_clear(u, n);
    fmpq_clear(w);
    fmpq_clear(t);
    fmpq_clear(least);
}

START_TEST(test_hypotheses_random)
{
    flint_rand_t st;
    flint_randinit(st);
    pc_hyp_t h;
    pc_hyp_init(h);
    int seen[PC_HYP_COUNT][2] = {{0}};
    for (int iter = 0; iter < 2000; iter++) {
        pc_problem_t p;
        pc_problem_init(p);
        int loss = (int) n_randint(st, 4), box = n_randint(st, 4) == 0;
        rand_problem(p, st, loss, box);
        for (int k = 0; k < PC_HYP_COUNT; k++) {
            pc_hyp_decide(h, (pc_hyp_kind) k, p);
            seen[k][h->holds]++;
            int ref = -1;
            switch (k) {
            case PC_HYP_A0_UNIFORM:
                ref = 1;
                for (slong j = 1; j < p->n; j++)
                    ref = ref && fmpq_equal(p->a + j, p->a);
                ref = ref && !box;
                break;
            case PC_HYP_U0_STRICTLY_ORDERED:
                if (p->beta != NULL)
                    check_u0(p, h);
                else
                    ref = 0;
                break;
            case PC_HYP_V0_ALIGNED:
                ref = p->beta != NULL && (box ? p->d == 1 && ref_aligned(p) &&
                                          !fmpq_is_zero(p->beta) : ref_aligned(p));
                break;
            case PC_HYP_V0_ZERO:
                ref = !box && q_vec_is_zero(p->V, p->d * p->n);
                break;
            case PC_HYP_TARGET_POSITIVE:
                ref = p->q != NULL;
                for (slong i = 0; ref && i < p->d; i++)
                    ref = fmpq_sgn(p->q + i) > 0;
                break;
            case PC_HYP_X_FULL_COLUMN_RANK:
                ref = p->X != NULL && ref_full_rank(p);
                break;
            default:
                ref = p->beta != NULL && !q_vec_is_zero(p->beta, p->d);
            }
            if (ref >= 0)
                TU_ASSERT(h->holds == ref, "%s: %d, reference %d (iteration %d)",
                          pc_hyp_name((pc_hyp_kind) k), h->holds, ref, iter);
        }
        pc_problem_clear(p);
    }
    for (int k = 0; k < PC_HYP_COUNT; k++)  /* both outcomes drawn: the test can fail */
        ck_assert_msg(seen[k][0] > 0 && seen[k][1] > 0, "%s: only one outcome drawn",
                      pc_hyp_name((pc_hyp_kind) k));
    pc_hyp_clear(h);
    flint_randclear(st);
}
END_TEST

/* Names round-trip; an unknown one is refused. */
START_TEST(test_names)
{
    pc_hyp_kind h;
    pc_concl_kind c;
    for (int k = 0; k < PC_HYP_COUNT; k++)
        ck_assert(pc_hyp_from_name(&h, pc_hyp_name((pc_hyp_kind) k)) == PC_OK && (int) h == k);
    for (int k = 0; k < PC_CONCL_COUNT; k++)
        ck_assert(pc_concl_from_name(&c, pc_concl_name((pc_concl_kind) k)) == PC_OK &&
                  (int) c == k);
    ck_assert_int_eq(pc_hyp_from_name(&h, "a0_uniformm"), PC_ERR_INPUT);
    ck_assert_int_eq(pc_concl_from_name(&c, "entropy"), PC_ERR_INPUT);
    pc_theorem_t th;
    pc_theorem_init(th);
    pc_error_t err;
    for (int k = 0; pc_theorem_presets[k] != NULL; k++)
        ck_assert_int_eq(pc_theorem_preset(th, pc_theorem_presets[k], err), PC_OK);
    ck_assert_int_eq(pc_theorem_preset(th, "nope", err), PC_ERR_INPUT);
    pc_theorem_clear(th);
}
END_TEST

/* proofs/theorems/NAME.json states exactly the preset NAME. */
START_TEST(test_preset_files)
{
    const char *dir = getenv("PC_PROOFS");
    pc_theorem_t a, b;
    pc_error_t err;
    char path[4096];
    pc_theorem_init(a);
    pc_theorem_init(b);
    for (int k = 0; pc_theorem_presets[k] != NULL; k++) {
        snprintf(path, sizeof path, "%s/theorems/%s.json", dir ? dir : "proofs",
                 pc_theorem_presets[k]);
        ck_assert_msg(pc_theorem_load_file(a, path, err) == PC_OK, "%s", err->msg);
        ck_assert_int_eq(pc_theorem_preset(b, pc_theorem_presets[k], err), PC_OK);
        ck_assert_str_eq(a->name, b->name);
        ck_assert(a->losses == b->losses && a->nhyp == b->nhyp && a->nconcl == b->nconcl);
        for (slong h = 0; h < a->nhyp; h++)
            ck_assert(a->hyp[h] == b->hyp[h]);
        for (slong c = 0; c < a->nconcl; c++) {
            const pc_concl_struct *x = a->concl + c, *y = b->concl + c;
            ck_assert(x->kind == y->kind && x->i == y->i && x->j == y->j &&
                      fmpq_equal(x->bound, y->bound) && x->bound_auto == y->bound_auto &&
                      fmpq_equal(x->from, y->from) && x->open_from == y->open_from &&
                      x->from_auto == y->from_auto && x->to_inf == y->to_inf &&
                      fmpq_equal(x->to, y->to));
        }
    }
    pc_theorem_clear(a);
    pc_theorem_clear(b);
}
END_TEST

/* ---- a check on a shared case, and its certificate ------------------------- */

static const char theorem_text[] =
    "{\"format\": \"polarcert-theorem/1\", \"name\": \"t\", \"losses\": [\"logistic\"],"
    " \"hypotheses\": [\"a0_uniform\", \"u0_strictly_ordered\", \"beta_nonzero\", \"v0_zero\"],"
    " \"conclusions\": ["
    "  {\"kind\": \"winner\", \"token\": \"top\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"gap_increasing\", \"i\": \"top\", \"j\": \"all\", \"from\": \"0\", \"to\": \"inf\"},"
    "  {\"kind\": \"entropy_below\", \"bound\": \"1/2\", \"from\": \"auto\", \"to\": \"inf\"},"
    "  {\"kind\": \"gap_increasing\", \"i\": 1, \"j\": 0, \"from\": \"0\", \"to\": \"inf\"},"
    "  {\"kind\": \"entropy_increasing\", \"from\": \"0\", \"to\": \"1\"},"
    "  {\"kind\": \"entropy_above\", \"bound\": \"1/10\", \"from\": \"0\", \"to\": \"10000\"},"
    "  {\"kind\": \"entropy_decreasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"all_gaps_increasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"order_preserved\", \"from\": \"0\", \"open_from\": true, \"to\": \"inf\"},"
    "  {\"kind\": \"order_preserved\", \"from\": \"10\", \"to\": \"inf\"},"
    "  {\"kind\": \"loss_below\", \"bound\": \"1/2\", \"from\": \"100\", \"to\": \"inf\"},"
    "  {\"kind\": \"loss_below\", \"bound\": \"7/10\", \"from\": \"0\", \"to\": \"20000\"}]}";

#define NCONCL 12

static char cert_path[] = "/tmp/pc-theorem-XXXXXX";
static pc_verdict verdicts[NCONCL];
static int hyp_holds[4];

static const char *cases_dir(void)
{
    const char *d = getenv("PC_CASES");
    return d != NULL ? d : "tests/cases";
}

static void load_case(pc_problem_t p, const char *name)
{
    char path[4096];
    pc_error_t err;
    snprintf(path, sizeof path, "%s/%s.json", cases_dir(), name);
    ck_assert_msg(pc_problem_load_file(p, path, err) == PC_OK, "%s", err->msg);
}

/* Once, in the parent: the check of theorem_text on logistic-uniform-8. */
static void make_cert(void)
{
    pc_problem_t p;
    pc_theorem_t th;
    pc_check_t K;
    pc_certify_opts o;
    pc_error_t err;
    pc_problem_init(p);
    pc_theorem_init(th);
    load_case(p, "logistic-uniform-8");
    if (pc_theorem_load_string(th, theorem_text, "t", err) != PC_OK)
        abort();
    pc_certify_opts_default(&o);
    pc_check_init(K);
    if (pc_check_run(K, th, p, &o) != PC_OK || K->cert == NULL)
        abort();
    for (slong k = 0; k < K->nconcl; k++)
        verdicts[k] = K->res[k].verdict;
    for (slong k = 0; k < K->nhyp; k++)
        hyp_holds[k] = K->hyp[k].holds;
    int fd = mkstemp(cert_path);
    close(fd);
    json_dump_file(K->cert, cert_path, JSON_INDENT(1));
    pc_check_clear(K);
    pc_theorem_clear(th);
    pc_problem_clear(p);
}

static void drop_cert(void)
{
    unlink(cert_path);
}

START_TEST(test_verdicts)
{
    static const pc_verdict want[NCONCL] = {
        PC_VERDICT_PROVEN, PC_VERDICT_PROVEN, PC_VERDICT_PROVEN, PC_VERDICT_REFUTED,
        PC_VERDICT_REFUTED, PC_VERDICT_PROVEN, PC_VERDICT_PROVEN, PC_VERDICT_REFUTED,
        PC_VERDICT_PROVEN, PC_VERDICT_PROVEN, PC_VERDICT_PROVEN, PC_VERDICT_REFUTED};
    for (int k = 0; k < NCONCL; k++) {  /* (k = 6: (0, inf) by the open start) */
        ck_assert_msg(verdicts[k] == want[k], "conclusion %d: %s, expected %s", k,
                      pc_verdict_name(verdicts[k]), pc_verdict_name(want[k]));
    }
    ck_assert(hyp_holds[0] && hyp_holds[1] && hyp_holds[2] && !hyp_holds[3]);
}
END_TEST

/* A box around logistic-uniform-8's data cannot have a conclusion proven for
 * all its points that the centre refutes, and its gap conclusion (which holds
 * from t = 0 on at the centre) is proven too. */
START_TEST(test_box_vs_point)
{
    pc_problem_t p, b;
    pc_theorem_t th;
    pc_certify_opts o;
    pc_error_t err;
    pc_problem_init(p);
    pc_problem_init(b);
    pc_theorem_init(th);
    load_case(b, "logistic-box-8");
    load_case(p, "logistic-box-8");
    fmpq_zero(p->radius);
    ck_assert_int_eq(pc_theorem_preset(th, "margin-polarization", err), PC_OK);
    pc_certify_opts_default(&o);
    pc_check_t Kp, Kb;
    pc_check_init(Kp);
    pc_check_init(Kb);
    ck_assert_int_eq(pc_check_run(Kp, th, p, &o), PC_OK);
    ck_assert_int_eq(pc_check_run(Kb, th, b, &o), PC_OK);
    ck_assert(Kp->hyp[0].holds && !Kb->hyp[0].holds);  /* a0_uniform: point, not box */
    for (slong k = 0; k < th->nconcl; k++)
        ck_assert_msg(!(Kb->res[k].verdict == PC_VERDICT_PROVEN &&
                        Kp->res[k].verdict == PC_VERDICT_REFUTED),
                      "conclusion %ld proven on the box, refuted at its centre", (long) k);
    ck_assert_int_eq(Kb->res[2].verdict, PC_VERDICT_PROVEN);   /* gap_increasing(top, *) */
    ck_assert_int_eq(Kp->res[2].verdict, PC_VERDICT_PROVEN);
    pc_check_clear(Kp);
    pc_check_clear(Kb);
    pc_theorem_clear(th);
    pc_problem_clear(p);
    pc_problem_clear(b);
}
END_TEST

static const char *verify_prog(void)
{
    const char *v = getenv("POLARCERT_VERIFY");
    return v != NULL ? v : "verify/polarcert-verify";
}

static int verify_exit(json_t *cert)
{
    char path[] = "/tmp/pc-tmutant-XXXXXX", cmd[8192];
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    close(fd);
    ck_assert_int_eq(pc_cert_seal(cert), PC_OK);
    ck_assert_int_eq(json_dump_file(cert, path, JSON_INDENT(1)), 0);
    snprintf(cmd, sizeof cmd, "\"%s\" --quiet %s >/dev/null 2>&1", verify_prog(), path);
    int st = system(cmd);
    unlink(path);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static json_t *load(void)
{
    json_error_t e;
    json_t *c = json_load_file(cert_path, 0, &e);
    ck_assert_msg(c != NULL, "%s", e.text);
    return c;
}

/* The first claim of the kind (and, if i >= 0, the pair). */
static json_t *claim(json_t *cert, const char *kind, json_int_t i, json_int_t j)
{
    json_t *c;
    size_t k;
    json_array_foreach(json_object_get(cert, "claims"), k, c)
        if (strcmp(json_string_value(json_object_get(c, "kind")), kind) == 0 &&
            (i < 0 || (json_integer_value(json_object_get(c, "i")) == i &&
                       json_integer_value(json_object_get(c, "j")) == j)))
            return c;
    ck_abort_msg("no %s claim", kind);
    return NULL;
}

static json_t *concl(json_t *cert, size_t k)
{
    return json_array_get(json_object_get(json_object_get(cert, "theorem"), "conclusions"), k);
}

static void set_str(json_t *o, const char *key, const char *v)
{
    ck_assert_int_eq(json_object_set_new(o, key, json_string(v)), 0);
}

START_TEST(test_cert_verifies)
{
    json_t *c = load();
    ck_assert_int_eq(verify_exit(c), 0);
    json_decref(c);
}
END_TEST

/* The n-th claim (0, 1, ...) of the kind. */
static json_t *claim_nth(json_t *cert, const char *kind, int nth)
{
    json_t *c;
    size_t k;
    json_array_foreach(json_object_get(cert, "claims"), k, c)
        if (strcmp(json_string_value(json_object_get(c, "kind")), kind) == 0 && nth-- == 0)
            return c;
    ck_abort_msg("no %s claim", kind);
    return NULL;
}

/* A dyadic "M" or "M*2^E" of the certificate as an exact fmpq. */
static void dyadic_q(fmpq_t q, const char *s)
{
    fmpz_t m;
    fmpz_init(m);
    const char *star = strchr(s, '*');
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s", star ? (int) (star - s) : (int) strlen(s), s);
    ck_assert_int_eq(fmpz_set_str(m, buf, 10), 0);
    fmpz_set(fmpq_numref(q), m);
    fmpz_one(fmpq_denref(q));
    if (star) {
        long e = strtol(star + 3, NULL, 10);      /* "*2^E" */
        if (e >= 0)
            fmpq_mul_2exp(q, q, (ulong) e);
        else
            fmpq_div_2exp(q, q, (ulong) -e);
    }
    fmpz_clear(m);
}

/* The witness of loss_below(7/10) on [0, ...] says L >= bound on an interval
 * from 0: L never increases, so bound <= L(0). L(0) is computed here on its
 * own from the exact data (a(0) uniform: s = 1/n, z = βᵀV(0)1/n, L(0) =
 * log(1 + e^{-z})) with MPFR rounded upward; a loss computed too large by
 * the library (or a witness moved) fails this. And the loss_below(1/2)
 * claim must not hold at t = 0 (L(0) > 1/2 here), so its from is > 0. */
START_TEST(test_loss_witness)
{
    pc_problem_t p;
    fmpq_t z, t, b;
    mpfr_t L0, x;
    pc_problem_init(p);
    fmpq_init(z);
    fmpq_init(t);
    fmpq_init(b);
    mpfr_inits2(256, L0, x, (mpfr_ptr) 0);
    load_case(p, "logistic-uniform-8");
    for (slong i = 0; i < p->d; i++)
        for (slong j = 0; j < p->n; j++) {
            fmpq_mul(t, p->V + i * p->n + j, p->beta + i);
            fmpq_add(z, z, t);
        }
    fmpz_t nn;
    fmpz_init_set_si(nn, p->n);
    fmpq_div_fmpz(z, z, nn);
    fmpz_clear(nn);
    fmpq_neg(z, z);
    fmpq_get_mpfr(x, z, MPFR_RNDU);                 /* -z rounded up */
    mpfr_exp(x, x, MPFR_RNDU);
    mpfr_log1p(L0, x, MPFR_RNDU);                   /* L(0) <= L0 */
    json_t *c = load();
    json_t *w = claim_nth(c, "loss_above", 0);
    ck_assert_str_eq(json_string_value(json_object_get(w, "from")), "0");
    dyadic_q(b, json_string_value(json_object_get(w, "bound")));
    fmpq_get_mpfr(x, b, MPFR_RNDD);
    ck_assert_msg(mpfr_cmp(x, L0) <= 0, "witness L >= bound above L(0)");
    fmpq_set_si(t, 7, 10);
    ck_assert(fmpq_cmp(b, t) >= 0);                 /* it refutes L < 7/10 */
    mpfr_set_d(x, 0.5, MPFR_RNDN);
    ck_assert(mpfr_cmp(L0, x) > 0);
    json_t *lb = claim_nth(c, "loss_below", 0);
    ck_assert_str_ne(json_string_value(json_object_get(lb, "from")), "0");
    json_decref(c);
    mpfr_clears(L0, x, (mpfr_ptr) 0);
    fmpq_clear(z);
    fmpq_clear(t);
    fmpq_clear(b);
    pc_problem_clear(p);
}
END_TEST

static void mutate(json_t *c, int which)
{
    json_t *hyps = json_object_get(c, "hypotheses");
    switch (which) {
    case 0:     /* claim reversed: the winner's gap said to shrink */
        set_str(claim(c, "logit_gap_increasing", 5, 0), "kind", "logit_gap_decreasing");
        break;
    case 1:     /* interval extended: the witness of a_1 - a_0 shrinking from 0 */
        set_str(claim(c, "logit_gap_decreasing", 1, 0), "from", "0");
        break;
    case 2:     /* hypothesis flipped */
        json_object_set_new(json_array_get(hyps, 0), "holds", json_false());
        break;
    case 3:     /* hypothesis flipped the other way: V(0) = 0 */
        json_object_set_new(json_array_get(hyps, 3), "holds", json_true());
        break;
    case 4:     /* the order of u(0) changed */
        {
            json_t *ord = json_object_get(json_array_get(hyps, 1), "order");
            json_t *a = json_copy(json_array_get(ord, 0));
            json_array_set(ord, 0, json_array_get(ord, 1));
            json_array_set_new(ord, 1, a);
        }
        break;
    case 5:     /* the least gap changed */
        set_str(json_array_get(hyps, 1), "least_gap", "1/1000");
        break;
    case 6:     /* the open start dropped: entropy_decreasing claimed on [0, inf),
                   where dH/dt(0) = 0 */
        json_object_del(claim(c, "entropy_decreasing", -1, -1), "open_from");
        break;
    case 7:     /* verdict upgraded: the refuted entropy_increasing on [0, 1] "proven" */
        set_str(concl(c, 4), "verdict", "proven");
        break;
    case 8:     /* the refuted gap conclusion said proven */
        set_str(concl(c, 3), "verdict", "proven");
        break;
    case 9:     /* winner: another token */
        json_object_set_new(concl(c, 0), "token", json_integer(0));
        break;
    case 10:    /* entropy_below: a bound H does not reach */
        set_str(claim(c, "entropy_below", -1, -1), "bound", "1/100");
        break;
    case 11:    /* open start claimed where a(0) differs: a moved */
        json_array_set_new(json_object_get(json_object_get(c, "problem"), "a"), 5,
                           json_string("1/100"));
        break;
    case 12:    /* the winner's gap to inf without its lemma token */
        {
            json_t *l = json_array_get(json_object_get(c, "lemmas"), 0);
            json_object_set_new(l, "token", json_integer(7));
        }
        break;
    case 13:    /* a witness claim dropped from a refuted conclusion's list */
        json_array_clear(json_object_get(concl(c, 7), "claims"));
        break;
    case 14:    /* a claim on the conclusion's interval said to be one that does not cover */
        set_str(concl(c, 5), "to", "20000");
        break;
    case 15:    /* order: a reversed pair_ordered claim on [10, inf) added (numerics) */
    case 16:    /* order: a reversed open pair_ordered claim added (the data alone) */
        {
            json_t *q = json_deep_copy(claim_nth(c, "pair_ordered", which == 15 ? 7 : 0));
            json_t *i = json_copy(json_object_get(q, "i"));
            json_object_set(q, "i", json_object_get(q, "j"));
            json_object_set_new(q, "j", i);
            json_array_append_new(json_object_get(c, "claims"), q);
        }
        break;
    case 17:    /* order: the interval extended, [10, inf) claimed from 0 (a_i = a_j at 0) */
        set_str(claim_nth(c, "pair_ordered", 7), "from", "0");
        break;
    case 18:    /* order: a pair dropped from the proof of order_preserved */
        json_array_remove(json_object_get(concl(c, 9), "claims"), 3);
        break;
    case 19:    /* loss: the bound of loss_below lowered where L is not below it */
        set_str(claim_nth(c, "loss_below", 0), "bound", "1/100");
        break;
    case 20:    /* loss: loss_below's interval extended to 0, where L(0) > 1/2 */
        set_str(claim_nth(c, "loss_below", 0), "from", "0");
        break;
    case 21:    /* loss: the witness moved, L >= 7/10 claimed on [100, 200] */
        set_str(claim_nth(c, "loss_above", 0), "from", "100");
        set_str(claim_nth(c, "loss_above", 0), "to", "200");
        break;
    case 22:    /* loss: the witness bound raised above L(0) */
        set_str(claim_nth(c, "loss_above", 0), "bound", "1");
        break;
    case 23:    /* loss: claim reversed, the refuted loss_below(7/10) said proven */
        set_str(concl(c, 11), "verdict", "proven");
        break;
    case 24:    /* loss: the proven conclusion's bound lowered below its claim's */
        set_str(concl(c, 10), "bound", "1/4");
        break;
    case 25:    /* loss: loss_above to inf (L >= b for ever is no consequence of a run) */
        set_str(claim_nth(c, "loss_above", 0), "to", "inf");
        break;
    }
}

START_TEST(test_mutations)
{
    json_t *c = load();
    mutate(c, _i);
    ck_assert_msg(verify_exit(c) == 1, "mutation %d not REJECTED", _i);
    json_decref(c);
}
END_TEST

/* all_gaps_increasing PROVEN on (0, 20] of logistic-uniform-8 (--depth 10): the
 * order of u(0) holds (pair_ordered) and every ordered gap grows
 * (logit_gap_increasing); the certificate is VERIFIED, and REJECTED without one
 * of the claims of either part, or with the interval extended past them. */
START_TEST(test_all_gaps_proven)
{
    static const char text[] =
        "{\"format\": \"polarcert-theorem/1\", \"name\": \"ag\", \"losses\": [\"logistic\"],"
        " \"hypotheses\": [\"a0_uniform\", \"u0_strictly_ordered\"], \"conclusions\": ["
        "  {\"kind\": \"all_gaps_increasing\", \"from\": \"0\", \"open_from\": true, \"to\": \"20\"}]}";
    pc_problem_t p;
    pc_theorem_t th;
    pc_check_t K;
    pc_certify_opts o;
    pc_error_t err;
    fmpq_t T;
    pc_problem_init(p);
    pc_theorem_init(th);
    fmpq_init(T);
    fmpq_set_si(T, 40, 1);
    load_case(p, "logistic-uniform-8");
    ck_assert_int_eq(pc_theorem_load_string(th, text, "ag", err), PC_OK);
    pc_certify_opts_default(&o);
    o.depth = 10;
    o.T = T;
    pc_check_init(K);
    ck_assert_int_eq(pc_check_run(K, th, p, &o), PC_OK);
    ck_assert_msg(K->res[0].verdict == PC_VERDICT_PROVEN, "%s", K->res[0].why);
    ck_assert_int_eq(verify_exit(K->cert), 0);
    for (int m = 0; m < 3; m++) {
        json_t *c = json_deep_copy(K->cert), *cl = json_object_get(concl(c, 0), "claims");
        json_t *x;
        size_t k;
        const char *drop = m == 0 ? "pair_ordered" : "logit_gap_increasing";
        if (m < 2) {                    /* the first listed claim of that kind dropped */
            json_array_foreach(cl, k, x) {
                json_t *q = json_array_get(json_object_get(c, "claims"),
                                           (size_t) json_integer_value(x));
                if (strcmp(json_string_value(json_object_get(q, "kind")), drop) == 0) {
                    json_array_remove(cl, k);
                    break;
                }
            }
        } else                          /* beyond the gap claims' interval */
            set_str(concl(c, 0), "to", "30");
        ck_assert_msg(verify_exit(c) == 1, "all_gaps mutation %d not REJECTED", m);
        json_decref(c);
    }
    pc_check_clear(K);
    fmpq_clear(T);
    pc_theorem_clear(th);
    pc_problem_clear(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("theorem");
    TCase *tc = tu_tcase(s, "hypotheses");
    tcase_add_test(tc, test_hypotheses_random);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_preset_files);
    tc = tu_tcase(s, "check");
    tcase_set_timeout(tc, 900);
    tcase_add_unchecked_fixture(tc, make_cert, drop_cert);
    tcase_add_test(tc, test_verdicts);
    tcase_add_test(tc, test_box_vs_point);
    tcase_add_test(tc, test_cert_verifies);
    tcase_add_test(tc, test_loss_witness);
    tcase_add_test(tc, test_all_gaps_proven);
    tcase_add_loop_test(tc, test_mutations, 0, 26);
    return tu_run_suite(s);
}
