/* An instance as a problem file, and its rigorous confirmation
 * (pc_search.h). Never prints. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include "pc_search_impl.h"
#include "pc_json.h"

/* ---- the problem file ------------------------------------------------------------ */

int pc_search_instance_json(char **json, const pc_campaign_t c, slong i, pc_error_t err)
{
    pc_problem_t p;
    *json = NULL;
    pc_problem_init(p);
    int st = pc_search_instance(p, c, i, err);
    if (st == PC_OK) {
        pc_json_num_fn *const dec = pc_json_fmpq_decimal;   /* exact, readable */
        json_t *o = json_object();
        json_object_set_new(o, "format", json_string("polarcert-problem/1"));
        json_object_set_new(o, "name", json_string(p->name));
        json_object_set_new(o, "loss", json_string(pc_loss_name(p->loss)));
        json_object_set_new(o, "d", json_integer(p->d));
        json_object_set_new(o, "n", json_integer(p->n));
        json_object_set_new(o, "V", pc_json_mat(p->V, p->d, p->n, dec));
        json_object_set_new(o, "a", pc_json_vec(p->a, p->n, dec));
        if (p->beta != NULL)
            json_object_set_new(o, "beta", pc_json_vec(p->beta, p->d, dec));
        if (p->q != NULL)
            json_object_set_new(o, "q", pc_json_vec(p->q, p->d, dec));
        if (p->X != NULL) {
            json_object_set_new(o, "X", pc_json_mat(p->X, p->m, p->d, dec));
            json_object_set_new(o, "b", pc_json_vec(p->b, p->m, dec));
        }
        json_object_set_new(o, "T", pc_json_fmpq_decimal(p->T));
        json_object_set_new(o, "note", json_string(p->note));
        *json = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (*json == NULL)
            st = pc_error_set(err, PC_ERR_MEMORY, "%s: instance %ld: out of memory", c->name,
                              (long) i);
    }
    pc_problem_clear(p);
    return st;
}

/* ---- the confirmation ------------------------------------------------------------ */

void pc_confirm_result_init(pc_confirm_result *r)
{
    memset(r, 0, sizeof *r);
    r->verdict = PC_CHECK_UNDECIDED;
}

void pc_confirm_result_clear(pc_confirm_result *r)
{
    free(r->claims);
    free(r->cert);
    pc_confirm_result_init(r);
}

/* A growing text buffer. */
typedef struct {
    char *s;
    size_t len, cap;
} tbuf;

static void tb_printf(tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void tb_printf(tbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if (b->len + (size_t) need + 1 > b->cap) {
        size_t cap = 2 * (b->len + (size_t) need + 1);
        char *s = realloc(b->s, cap);
        if (s == NULL)
            return;
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t) need;
}

/* One line per row: "hypothesis NAME TRUE|FALSE [why]" and
 * "conclusion NAME VERDICT what [why]". */
static char *claims_text(const pc_check_t K, const pc_theorem_t th)
{
    tbuf b = {NULL, 0, 0};
    if (!K->loss_covered)
        tb_printf(&b, "loss FALSE the theorem is not about this loss\n");
    for (slong k = 0; k < K->nhyp; k++)
        tb_printf(&b, "hypothesis %s %s%s%s\n", pc_hyp_name(K->hyp[k].kind),
                  K->hyp[k].holds ? "TRUE" : "FALSE", K->hyp[k].why[0] ? " " : "",
                  K->hyp[k].why);
    for (slong k = 0; k < K->nconcl; k++) {
        const pc_concl_result_struct *r = K->res + k;
        tb_printf(&b, "conclusion %s %s %s", pc_concl_name(th->concl[k].kind),
                  pc_verdict_name(r->verdict), r->what);
        if (r->verdict == PC_VERDICT_UNDECIDED && r->why[0])
            tb_printf(&b, " (why: %s)", r->why);
        tb_printf(&b, "\n");
    }
    if (b.s == NULL)
        b.s = calloc(1, 1);
    return b.s;
}

static void sha256_hex(char hex[65], const char *text, size_t len)
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, len, (const uint8_t *) text);
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", dig[i]);
}

/* The first refuted conclusion's witness, for the reason line. */
static void refuted_reason(pc_confirm_result *r, const pc_check_t K, const pc_theorem_t th)
{
    for (slong k = 0; k < K->nconcl; k++)
        if (K->res[k].verdict == PC_VERDICT_REFUTED) {
            snprintf(r->reason, sizeof r->reason, "%s REFUTED: %.200s",
                     pc_concl_name(th->concl[k].kind), K->res[k].what);
            return;
        }
}

int pc_search_confirm(pc_confirm_result *r, const pc_campaign_t c, slong i, pc_error_t err)
{
    double t0 = pc_search_cpu_seconds();
    pc_problem_t p;
    pc_confirm_result_clear(r);
    pc_problem_init(p);
    int st = pc_search_instance(p, c, i, err);
    if (st != PC_OK) {
        pc_problem_clear(p);
        return st;
    }
    const pc_campaign_impl *m = c->impl;
    pc_check_t K;
    pc_check_init(K);
    int rst = pc_check_run(K, m->th, p, &m->co);
    if (rst != PC_OK) {
        r->confirmed = 0;
        r->verdict = PC_CHECK_UNDECIDED;
        snprintf(r->reason, sizeof r->reason, "the rigorous run failed (%s): %.200s",
                 pc_status_str(rst), K->R->err->msg);
        r->claims = calloc(1, 1);
    } else {
        r->verdict = K->verdict;
        r->confirmed = K->verdict == PC_CHECK_REFUTED;
        r->claims = claims_text(K, m->th);
        if (r->confirmed)
            refuted_reason(r, K, m->th);
        else
            snprintf(r->reason, sizeof r->reason, "verdict %s: %s",
                     pc_check_verdict_name(K->verdict),
                     K->verdict == PC_CHECK_NOT_APPLICABLE ? "a hypothesis is FALSE"
                     : K->verdict == PC_CHECK_CONFIRMED ? "every conclusion PROVEN"
                     : "no conclusion refuted rigorously (see the claims)");
        if (K->cert != NULL) {
            char *text = json_dumps(K->cert, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
            r->cert = text != NULL ? malloc(strlen(text) + 2) : NULL;
            if (r->cert != NULL) {          /* as `polarcert check -o` writes it */
                r->cert_len = strlen(text) + 1;
                memcpy(r->cert, text, r->cert_len - 1);
                memcpy(r->cert + r->cert_len - 1, "\n", 2);
                sha256_hex(r->cert_sha256, r->cert, r->cert_len);
            }
            free(text);
        }
    }
    pc_check_clear(K);
    pc_problem_clear(p);
    r->seconds = pc_search_cpu_seconds() - t0;
    if (r->claims == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "%s: instance %ld: out of memory", c->name,
                            (long) i);
    return PC_OK;
}
