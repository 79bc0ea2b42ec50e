/* The SHA-256 of a problem's exact data: the identity of a problem that a
 * certificate is about (certs/FORMAT.md, "Problem data hash"). The checker
 * computes the same text from its own reading of the certificate, so equal
 * hashes mean equal exact data, whatever the formatting or name. */
#include <stdio.h>
#include <string.h>
#include <nettle/sha2.h>
#include "pc_problem.h"

static void put(struct sha256_ctx *h, const char *s)
{
    sha256_update(h, strlen(s), (const uint8_t *) s);
}

static void put_int(struct sha256_ctx *h, const char *key, slong v)
{
    char line[64];
    snprintf(line, sizeof line, "%s %ld\n", key, (long) v);
    put(h, line);
}

/* "key x_0 x_1 ...\n", each x_i as "p" or "p/q" in lowest terms. */
static void put_vec(struct sha256_ctx *h, const char *key, const fmpq *x, slong len)
{
    put(h, key);
    for (slong i = 0; i < len; i++) {
        char *s = fmpq_get_str(NULL, 10, x + i);
        put(h, " ");
        put(h, s);
        flint_free(s);
    }
    put(h, "\n");
}

void pc_problem_data_sha256(char hex[65], const pc_problem_t p)
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    put(&h, "polarcert-problem-data/1\n");
    put(&h, "loss ");
    put(&h, pc_loss_name(p->loss));
    put(&h, "\n");
    put_int(&h, "d", p->d);
    put_int(&h, "n", p->n);
    if (p->loss == PC_LOSS_QUADRATIC)
        put_int(&h, "m", p->m);
    fmpq_t r;
    fmpq_init(r);
    int common = pc_problem_common_radius(r, p);
    if (common)
        put_vec(&h, "radius", r, 1);
    else
        put(&h, "radius per-entry\n");
    put_vec(&h, "V", p->V, p->d * p->n);
    put_vec(&h, "a", p->a, p->n);
    if (!common) {          /* each entry's radius, V row-major then a */
        const slong dn = p->d * p->n;
        fmpq *all = _fmpq_vec_init(dn + p->n);
        for (slong k = 0; k < dn + p->n; k++)
            pc_problem_entry_radius(all + k, p, k);
        put_vec(&h, "V_radius", all, dn);
        put_vec(&h, "a_radius", all + dn, p->n);
        _fmpq_vec_clear(all, dn + p->n);
    }
    fmpq_clear(r);
    if (p->beta != NULL)
        put_vec(&h, "beta", p->beta, p->d);
    if (p->q != NULL)
        put_vec(&h, "q", p->q, p->d);
    if (p->X != NULL) {
        put_vec(&h, "X", p->X, p->m * p->d);
        put_vec(&h, "b", p->b, p->m);
    }
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", dig[i]);
}
