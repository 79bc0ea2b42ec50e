/* vf_problem.c — the exact problem data of a certificate: its canonical text and
 * SHA-256 (certs/FORMAT.md, "Problem data hash"), and the comparison with a problem
 * file (polarcert-verify --problem), field by field.
 *
 * The canonical text is built here from GMP rationals, independently of lib/, which
 * builds the same text from FLINT rationals: equal hashes mean equal exact data. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "vf.h"

static void put(struct sha256_ctx *h, const char *s)
{
    sha256_update(h, strlen(s), (const uint8_t *)s);
}

static void put_line(struct sha256_ctx *h, const char *key, const char *val)
{
    put(h, key);
    put(h, " ");
    put(h, val);
    put(h, "\n");
}

/* "key q_0 q_1 ...\n", each q_i as "p" or "p/q" in lowest terms. */
static void put_vec(struct sha256_ctx *h, const char *key, mpq_t *q, long len)
{
    put(h, key);
    for (long i = 0; i < len; i++) {
        char *s = mpq_get_str(NULL, 10, q[i]);
        put(h, " ");
        put(h, s);
        free(s);
    }
    put(h, "\n");
}

static int any_positive(mpq_t *r, long len)
{
    for (long k = 0; k < len; k++)
        if (mpq_sgn(r[k]) > 0)
            return 1;
    return 0;
}

int vf_box_V(const vf_cert *c)
{
    return any_positive(c->rad, (long)c->d * c->n);
}

int vf_box_a(const vf_cert *c)
{
    return any_positive(c->rad + (long)c->d * c->n, c->n);
}

int vf_box(const vf_cert *c)
{
    return vf_box_V(c) || vf_box_a(c);
}

/* Whether every entry of V(0) and a(0) has the radius rad[0]. */
static int common_radius(const vf_cert *c)
{
    long len = (long)c->d * c->n + c->n;
    for (long k = 1; k < len; k++)
        if (!mpq_equal(c->rad[k], c->rad[0]))
            return 0;
    return 1;
}

void vf_problem_data_sha256(const vf_cert *c, char hex[65])
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    char num[32];
    sha256_init(&h);
    put(&h, "polarcert-problem-data/1\n");
    put_line(&h, "loss", vf_loss_name(c->loss));
    snprintf(num, sizeof num, "%d", c->d);
    put_line(&h, "d", num);
    snprintf(num, sizeof num, "%d", c->n);
    put_line(&h, "n", num);
    if (c->loss == VF_QUADRATIC) {
        snprintf(num, sizeof num, "%d", c->m);
        put_line(&h, "m", num);
    }
    int common = common_radius(c);
    if (common) {
        char *r = mpq_get_str(NULL, 10, c->rad[0]);
        put_line(&h, "radius", r);
        free(r);
    } else {
        put_line(&h, "radius", "per-entry");
    }
    put_vec(&h, "V", c->V, (long)c->d * c->n);
    put_vec(&h, "a", c->a, c->n);
    if (!common) {
        put_vec(&h, "V_radius", c->rad, (long)c->d * c->n);
        put_vec(&h, "a_radius", c->rad + (long)c->d * c->n, c->n);
    }
    if (c->beta)
        put_vec(&h, "beta", c->beta, c->d);
    if (c->q)
        put_vec(&h, "q", c->q, c->d);
    if (c->X) {
        put_vec(&h, "X", c->X, (long)c->m * c->d);
        put_vec(&h, "b", c->b, c->m);
    }
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", dig[i]);
}

/* The first entry where a and b differ: writes "field: certificate x, file y". */
static int vec_differs(char *msg, size_t len, const char *key, mpq_t *a, mpq_t *b,
                       long rows, long cols)
{
    for (long k = 0; k < rows * cols; k++) {
        if (mpq_equal(a[k], b[k]))
            continue;
        char x[48], y[48], where[48];
        vf_fmt_q(x, sizeof x, a[k], 17, MPFR_RNDN);
        vf_fmt_q(y, sizeof y, b[k], 17, MPFR_RNDN);
        if (cols > 1)
            snprintf(where, sizeof where, "%s[%ld][%ld]", key, k / cols, k % cols);
        else
            snprintf(where, sizeof where, "%s[%ld]", key, k);
        snprintf(msg, len, "%s differs (certificate %s, problem file %s%s)", where, x, y,
                 strcmp(x, y) == 0 ? ", equal to 17 digits" : "");
        return 1;
    }
    return 0;
}

int vf_problem_compare(const vf_cert *c, const vf_cert *p, char *msg, size_t len)
{
    if (c->loss != p->loss) {
        snprintf(msg, len, "loss differs (certificate %s, problem file %s)",
                 vf_loss_name(c->loss), vf_loss_name(p->loss));
        return 1;
    }
    const char *key = c->d != p->d ? "d" : c->n != p->n ? "n" : c->m != p->m ? "m" : NULL;
    if (key != NULL) {
        int a = key[0] == 'd' ? c->d : key[0] == 'n' ? c->n : c->m;
        int b = key[0] == 'd' ? p->d : key[0] == 'n' ? p->n : p->m;
        snprintf(msg, len, "%s differs (certificate %d, problem file %d)", key, a, b);
        return 1;
    }
    long dn = (long)c->d * c->n;
    if (common_radius(c) && common_radius(p) && !mpq_equal(c->rad[0], p->rad[0])) {
        char x[48], y[48];
        vf_fmt_q(x, sizeof x, c->rad[0], 17, MPFR_RNDN);
        vf_fmt_q(y, sizeof y, p->rad[0], 17, MPFR_RNDN);
        snprintf(msg, len, "radius differs (certificate %s, problem file %s)", x, y);
        return 1;
    }
    if (vec_differs(msg, len, "V", c->V, p->V, c->d, c->n) ||
        vec_differs(msg, len, "a", c->a, p->a, c->n, 1) ||
        vec_differs(msg, len, "radius of V", c->rad, p->rad, c->d, c->n) ||
        vec_differs(msg, len, "radius of a", c->rad + dn, p->rad + dn, c->n, 1) ||
        (c->beta && vec_differs(msg, len, "beta", c->beta, p->beta, c->d, 1)) ||
        (c->q && vec_differs(msg, len, "q", c->q, p->q, c->d, 1)) ||
        (c->X && vec_differs(msg, len, "X", c->X, p->X, c->m, c->d)) ||
        (c->b && vec_differs(msg, len, "b", c->b, p->b, c->m, 1)))
        return 1;
    return 0;
}
