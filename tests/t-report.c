/* Tests of polarcert report's library side (lib/pc_report*.c):
 * * the LaTeX table's printed numbers, parsed back exactly, lie on the safe
 *   side of the certificate's exact values (claim intervals inside, bounds
 *   below, enclosures around), and a printer that rounds to nearest (the
 *   test hook) is caught;
 * * the band contains the float preview at its sample times (within the
 *   preview's tolerance), its ends are ordered, and it comes from step
 *   enclosures: on logistic-skewed-a-8 the entropy has a bump near T* that
 *   a band built from coarse samples (the test hook) misses, and the real
 *   band does not;
 * * a certificate whose hash or step times do not match is refused. */
#define _GNU_SOURCE
#include "testutil.h"
#include "pc_cert.h"
#include "pc_report.h"

static const char *cert_path(char *buf, size_t cap, const char *name)
{
    const char *d = getenv("PC_CERTS");
    snprintf(buf, cap, "%s/%s.cert.json", d ? d : "certs", name);
    return buf;
}

static void load(pc_report_t R, const char *name, const pc_report_opts *o)
{
    char p[1024];
    pc_error_t err;
    pc_report_init(R);
    ck_assert_msg(pc_report_load(R, cert_path(p, sizeof p, name), o, err) == PC_OK, "%s", err->msg);
}

/* ---- the table, parsed back ---------------------------------------------------- */

/* A printed number ("1.25", "1.25\times10^{-7}", "\infty") into x (exact). */
static int parse_tex_num(fmpq_t x, const char *s, size_t len, int *inf)
{
    char buf[128];
    *inf = len == 6 && strncmp(s, "\\infty", 6) == 0;
    if (*inf)
        return 1;
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *t = strstr(buf, "\\times10^{");
    if (t != NULL) {                        /* m\times10^{e} -> me e */
        char *e = t + strlen("\\times10^{"), *close = strchr(e, '}');
        if (close == NULL)
            return 0;
        *close = '\0';
        memmove(t + 1, e, strlen(e) + 1);
        *t = 'e';
    }
    return pc_parse_exact(x, buf, NULL) == PC_OK;
}

typedef struct {
    int interval, inf;      /* \pcN (0) or \pcI / \pcIinf (1) */
    int open;               /* \pcIo / \pcIoinf: open at the left end */
    fmpq_t a, b;
} tex_item;

/* The brace-balanced argument at *p (which points at '{'); advances *p. */
static size_t read_arg(const char **p, const char **arg)
{
    ck_assert(**p == '{');
    int depth = 0;
    const char *s = *p;
    do {
        depth += *s == '{';
        depth -= *s == '}';
        s++;
    } while (depth > 0 && *s);
    *arg = *p + 1;
    size_t len = (size_t) (s - 1 - *arg);
    *p = s;
    return len;
}

/* The \pcN{..}, \pcI{..}{..}, \pcIinf{..} of text, in order, and the
 * open-start forms \pcIo{..}{..}, \pcIoinf{..} like \pcI, \pcIinf (the macro
 * definitions, with "[1]" or "[2]" after the name, are skipped). */
static slong parse_items(tex_item *it, slong cap, const char *text)
{
    slong m = 0;
    const char *p = text, *arg;
    while ((p = strstr(p, "\\pc")) != NULL && m < cap) {
        int inf = strncmp(p, "\\pcIinf{", 8) == 0, n = strncmp(p, "\\pcN{", 5) == 0;
        int i = strncmp(p, "\\pcI{", 5) == 0;
        int oinf = strncmp(p, "\\pcIoinf{", 9) == 0, o = strncmp(p, "\\pcIo{", 6) == 0;
        if (!n && !inf && !i && !oinf && !o) {
            p += 3;
            continue;
        }
        p += oinf ? 8 : inf ? 7 : o ? 5 : 4;
        it[m].open = o || oinf;
        inf |= oinf;
        i |= o;
        fmpq_init(it[m].a);
        fmpq_init(it[m].b);
        int dummy;
        size_t len = read_arg(&p, &arg);
        ck_assert_msg(parse_tex_num(it[m].a, arg, len, &dummy), "bad number %.20s", arg);
        it[m].interval = !n;
        it[m].inf = inf;
        if (i) {
            len = read_arg(&p, &arg);
            ck_assert_msg(parse_tex_num(it[m].b, arg, len, &it[m].inf), "bad number %.20s", arg);
        }
        m++;
    }
    return m;
}

static void arf_fmpq(fmpq_t q, const arf_t x)
{
    arf_get_fmpq(q, x);
}

/* Counts the printed numbers on the wrong side of the exact values. */
static slong count_unsafe(const pc_report_t R, pc_report_rounding rnd, slong *checked)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const pc_report_struct *Rp[1] = {R};
    ck_assert(pc_report_latex_table(f, Rp, 1, "polarcert-verify test", rnd) == PC_OK);
    fclose(f);
    tex_item it[256];
    slong m = parse_items(it, 256, text), k = 0, bad = 0;
    fmpq_t x, lo, hi;
    fmpq_init(x);
    fmpq_init(lo);
    fmpq_init(hi);
    arf_t t;
    arf_init(t);
#define NEXT(want_interval) (ck_assert_msg(k < m && it[k].interval == (want_interval), "item %ld", (long) k), it + k++)
    tex_item *q = NEXT(0);                          /* T: printed <= T */
    arf_fmpq(x, R->T);
    bad += fmpq_cmp(q->a, x) > 0;
    q = NEXT(0);                                    /* T*: printed >= T* */
    arf_fmpq(x, R->tstar);
    bad += fmpq_cmp(q->a, x) < 0;
    for (int h = 0; h < 2; h++) {                   /* H(T*), H(T): around the ball */
        const arb_struct *b = h ? R->H_T : R->H_tstar;
        q = NEXT(1);
        arb_get_lbound_arf(t, b, ARF_PREC_EXACT);
        arf_fmpq(lo, t);
        arb_get_ubound_arf(t, b, ARF_PREC_EXACT);
        arf_fmpq(hi, t);
        bad += fmpq_cmp(q->a, lo) > 0 || fmpq_cmp(q->b, hi) < 0;
    }
    for (slong c = 0; c < R->nclaims; c++) {
        const pc_report_claim *cl = R->claim + c;
        if (strcmp(cl->kind, "entropy_above") == 0) {   /* bound: printed <= bound */
            q = NEXT(0);
            arf_fmpq(x, cl->bound);
            bad += fmpq_cmp(q->a, x) > 0;
        }
        q = NEXT(1);                                /* [from, to]: printed inside */
        arf_fmpq(x, cl->from);
        bad += fmpq_cmp(q->a, x) < 0;
        bad += q->open != cl->open_from;            /* (0, to]: printed open */
        if (arf_is_pos_inf(cl->to))
            bad += !q->inf;
        else {
            arf_fmpq(x, cl->to);
            bad += q->inf || fmpq_cmp(q->b, x) > 0;
        }
    }
    ck_assert_msg(k == m, "%ld printed numbers not accounted for", (long) (m - k));
    *checked = k;
    for (slong i = 0; i < m; i++) {
        fmpq_clear(it[i].a);
        fmpq_clear(it[i].b);
    }
    fmpq_clear(x);
    fmpq_clear(lo);
    fmpq_clear(hi);
    arf_clear(t);
    free(text);
    return bad;
}

START_TEST(test_table_safe)
{
    static const char *const names[] = {"logistic-skewed-a-8", "square-rank1-6"};
    pc_report_opts o;
    pc_report_opts_default(&o);
    o.pieces_per_step = 1;
    for (int c = 0; c < 2; c++) {
        pc_report_t R;
        load(R, names[c], &o);
        slong n1, n2;
        slong bad = count_unsafe(R, PC_ROUND_SAFE, &n1);
        ck_assert_msg(bad == 0, "%s: %ld printed numbers on the unsafe side", names[c], (long) bad);
        /* the mis-rounding printer must be caught */
        bad = count_unsafe(R, PC_ROUND_NEAREST_TEST, &n2);
        ck_assert_msg(bad > 0, "%s: rounding to nearest was not caught (%ld numbers)", names[c], (long) n2);
        ck_assert(n1 == n2 && n1 >= 6);
        pc_report_clear(R);
    }
}
END_TEST

/* ---- the band ----------------------------------------------------------------------- */

/* Whether every piece whose span contains t has H within tol of h. */
static int band_has(const pc_report_t R, const arf_t t, const arb_t h, int *found)
{
    int ok = 1;
    *found = 0;
    for (slong i = 0; i < R->npieces; i++) {
        const pc_report_piece *q = R->piece + i;
        if (arf_cmp(q->t_lo, t) <= 0 && arf_cmp(t, q->t_hi) <= 0) {
            *found = 1;
            ok &= arb_overlaps(q->H, h);
        }
    }
    return ok;
}

START_TEST(test_band_contains_preview)
{
    pc_report_opts o;
    pc_report_opts_default(&o);
    pc_report_t R;
    load(R, "logistic-skewed-a-8", &o);
    ck_assert(R->npreview == o.preview_points && R->npieces == 8 * R->nsteps);
    arf_t t;
    arb_t h;
    arf_init(t);
    arb_init(h);
    slong hits = 0;
    for (slong k = 0; k < R->npreview; k++) {
        int found;
        arf_set_d(t, R->preview_t[k]);
        arb_set_d(h, R->preview_H[k]);
        arb_add_error_2exp_si(h, -26);      /* the preview's tolerance (rtol 1e-10) */
        TU_ASSERT(band_has(R, t, h, &found), "band misses the preview at t = %g", R->preview_t[k]);
        hits += found;
    }
    ck_assert(hits == R->npreview);
    for (slong i = 0; i < R->npieces; i++) {
        TU_ASSERT(arf_cmp(R->piece[i].t_lo, R->piece[i].t_hi) <= 0, "piece %ld reversed", (long) i);
        TU_ASSERT(arb_is_finite(R->piece[i].H), "piece %ld infinite", (long) i);
    }
    arf_clear(t);
    arb_clear(h);
    pc_report_clear(R);
}
END_TEST

/* The bump: H rises to a maximum near T* (where dH/dt changes sign) and
 * falls. H(T*) (enclosed by pc_enclose_observe, another path) must lie in
 * the band at T*; a band from 12 log-spaced samples misses it. */
START_TEST(test_band_from_enclosures)
{
    pc_report_opts o;
    pc_report_opts_default(&o);
    o.preview_points = 12;
    for (int hook = 0; hook < 2; hook++) {
        o.band_from_samples = hook;
        pc_report_t R;
        load(R, "logistic-skewed-a-8", &o);
        int found;
        int ok = band_has(R, R->tstar, R->H_tstar, &found);
        ck_assert(found);
        if (hook)
            ck_assert_msg(!ok, "the sampled band (test hook) was not caught");
        else
            ck_assert_msg(ok, "the band misses H(T*)");
        pc_report_clear(R);
    }
}
END_TEST

/* pc_report_entropy_box contains H at random points of random boxes
 * (computed at 4x precision), and is much tighter than the direct
 * evaluation near uniform a. */
START_TEST(test_entropy_box)
{
    flint_rand_t st;
    flint_randinit(st);
    const slong prec = 128;
    double tight = 0, direct = 0;
    for (int it = 0; it < 3000; it++) {
        slong n = 2 + n_randint(st, 10);
        arb_ptr a = _arb_vec_init(n), p = _arb_vec_init(n);
        arb_t H, Hd, Hp;
        arb_init(H);
        arb_init(Hd);
        arb_init(Hp);
        int spread = it % 3;
        for (slong j = 0; j < n; j++) {
            arb_set_si(a + j, (slong) n_randint(st, 2001) - 1000);
            arb_mul_2exp_si(a + j, a + j, spread == 0 ? -20 : spread == 1 ? -10 : -7);
            mag_set_ui_2exp_si(arb_radref(a + j), 1 + n_randint(st, 100), -(slong) n_randint(st, 30) - (spread ? 6 : 16));
        }
        pc_report_entropy_box(H, a, n, prec);
        pc_entropy_arb(Hd, a, n, prec);
        for (int k = 0; k < 20; k++) {
            for (slong j = 0; j < n; j++) {     /* a random point of the box */
                arb_t u;
                arb_init(u);
                arb_set_ui(u, n_randint(st, 1025));
                arb_mul_2exp_si(u, u, -9);
                arb_sub_ui(u, u, 1, prec);
                arf_set_mag(arb_midref(p + j), arb_radref(a + j));
                arf_mul(arb_midref(p + j), arb_midref(p + j), arb_midref(u), ARF_PREC_EXACT, ARF_RND_DOWN);
                arf_add(arb_midref(p + j), arb_midref(p + j), arb_midref(a + j), ARF_PREC_EXACT, ARF_RND_DOWN);
                mag_zero(arb_radref(p + j));
                arb_clear(u);
            }
            pc_entropy_arb(Hp, p, n, 4 * prec);
            TU_CONTAINS(H, Hp, "H over the box misses a point (n = %ld)", (long) n);
        }
        if (spread == 0) {
            tight += mag_get_d(arb_radref(H));
            direct += mag_get_d(arb_radref(Hd));
        }
        _arb_vec_clear(a, n);
        _arb_vec_clear(p, n);
        arb_clear(H);
        arb_clear(Hd);
        arb_clear(Hp);
    }
    ck_assert_msg(tight < 0.1 * direct, "mean-value form not tighter: %g vs %g", tight, direct);
    flint_randclear(st);
}
END_TEST

/* ---- refusals --------------------------------------------------------------------- */

static int load_modified(const char *name, const char *key, json_t *value, int reseal, char *msg)
{
    char p[1024], tmp[] = "/tmp/t-report-XXXXXX";
    json_error_t je;
    json_t *c = json_load_file(cert_path(p, sizeof p, name), 0, &je);
    ck_assert(c != NULL);
    json_object_set_new(json_object_get(c, "method"), key, value);
    if (reseal)
        ck_assert(pc_cert_seal(c) == PC_OK);
    int fd = mkstemp(tmp);
    ck_assert(fd >= 0 && json_dumpfd(c, fd, 0) == 0);
    close(fd);
    json_decref(c);
    pc_report_opts o;
    pc_report_opts_default(&o);
    pc_report_t R;
    pc_error_t err;
    pc_report_init(R);
    int st = pc_report_load(R, tmp, &o, err);
    strcpy(msg, err->msg);
    pc_report_clear(R);
    unlink(tmp);
    return st;
}

START_TEST(test_refusals)
{
    char msg[PC_ERROR_LEN];
    /* edited without a new hash */
    ck_assert(load_modified("logistic-skewed-a-8", "order", json_integer(30), 0, msg) == PC_ERR_INPUT);
    ck_assert_msg(strstr(msg, "sha256") != NULL, "%s", msg);
    /* re-sealed, but the steps are not those of this method */
    ck_assert(load_modified("logistic-skewed-a-8", "order", json_integer(30), 1, msg) == PC_ERR_INPUT);
    ck_assert_msg(strstr(msg, "steps: the re-run") != NULL, "%s", msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tu_tcase(s, "report");
    tcase_add_test(tc, test_table_safe);
    tcase_add_test(tc, test_band_contains_preview);
    tcase_add_test(tc, test_band_from_enclosures);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_entropy_box);
    return tu_run_suite(s);
}
