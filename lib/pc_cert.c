#include <string.h>
#include <nettle/sha2.h>
#include "polarcert.h"
#include "pc_json.h"

char *pc_cert_dyadic_str(const arf_t x)
{
    fmpz_t m, e;
    fmpz_init(m);
    fmpz_init(e);
    arf_get_fmpz_2exp(m, e, x);
    char *ms = fmpz_get_str(NULL, 10, m), *es = fmpz_get_str(NULL, 10, e);
    char *s = flint_malloc(strlen(ms) + strlen(es) + 4);
    if (fmpz_is_zero(e))
        strcpy(s, ms);
    else
        sprintf(s, "%s*2^%s", ms, es);
    flint_free(ms);
    flint_free(es);
    fmpz_clear(m);
    fmpz_clear(e);
    return s;
}

static json_t *json_dyadic(const arf_t x)
{
    if (arf_is_pos_inf(x))
        return json_string("inf");
    char *s = pc_cert_dyadic_str(x);
    json_t *j = json_string(s);
    flint_free(s);
    return j;
}

static json_t *json_ball(const arb_t x)
{
    arf_t r;
    arf_init(r);
    arf_set_mag(r, arb_radref(x));
    json_t *j = json_pack("[oo]", json_dyadic(arb_midref(x)), json_dyadic(r));
    arf_clear(r);
    return j;
}

/* "radius": one rational if every entry of V(0) and a(0) has it, else
 * {"V": d rows of n, "a": n} with each entry's radius (FORMAT.md). */
static json_t *cert_radius(const pc_problem_t p)
{
    const slong dn = p->d * p->n;
    fmpq_t r;
    fmpq_init(r);
    json_t *o;
    if (pc_problem_common_radius(r, p)) {
        o = pc_json_fmpq(r);
    } else {
        fmpq *all = _fmpq_vec_init(dn + p->n);
        for (slong k = 0; k < dn + p->n; k++)
            pc_problem_entry_radius(all + k, p, k);
        o = json_pack("{soso}", "V", pc_json_mat(all, p->d, p->n, pc_json_fmpq),
                      "a", pc_json_vec(all + dn, p->n, pc_json_fmpq));
        _fmpq_vec_clear(all, dn + p->n);
    }
    fmpq_clear(r);
    return o;
}

static json_t *cert_problem(const pc_problem_t p)
{
    json_t *o = json_pack("{sssssIsIsososo}", "name", p->name, "loss", pc_loss_name(p->loss),
                          "d", (json_int_t) p->d, "n", (json_int_t) p->n,
                          "V", pc_json_mat(p->V, p->d, p->n, pc_json_fmpq),
                          "a", pc_json_vec(p->a, p->n, pc_json_fmpq),
                          "radius", cert_radius(p));
    if (p->beta != NULL)
        json_object_set_new(o, "beta", pc_json_vec(p->beta, p->d, pc_json_fmpq));
    if (p->q != NULL)
        json_object_set_new(o, "q", pc_json_vec(p->q, p->d, pc_json_fmpq));
    if (p->X != NULL) {
        json_object_set_new(o, "X", pc_json_mat(p->X, p->m, p->d, pc_json_fmpq));
        json_object_set_new(o, "b", pc_json_vec(p->b, p->m, pc_json_fmpq));
    }
    return o;
}

static json_t *cert_steps(const pc_enclose_t E)
{
    json_t *steps = json_array();
    for (slong k = 0; k < E->flow->nsteps; k++) {
        const pc_flow_step_struct *s = E->flow->step + k;
        json_t *E0 = json_array();
        for (slong i = 0; i < E->sys->dim; i++)
            json_array_append_new(E0, json_ball(s->apriori + i));
        json_array_append_new(steps, json_pack("{sosososIsI}",
            "t0", json_dyadic(arb_midref(s->t0)), "h", json_dyadic(arb_midref(s->h)),
            "apriori", E0, "ref", (json_int_t) (s->tape - E->sys->tape),
            "jac_order", (json_int_t) s->jac_order));
    }
    return steps;
}

static json_t *cert_claims(const pc_claims_t C)
{
    json_t *a = json_array();
    for (slong k = 0; k < C->len; k++) {
        const pc_claim_struct *c = C->claim + k;
        json_t *o = c->kind == PC_CLAIM_ENTROPY_LIMIT       /* lim H ∈ [lo, hi] */
            ? json_pack("{sssoso}", "kind", pc_claim_kind_name(c->kind),
                        "lo", json_dyadic(c->from), "hi", json_dyadic(c->to))
            : json_pack("{sssoso}", "kind", pc_claim_kind_name(c->kind),
                        "from", json_dyadic(c->from), "to", json_dyadic(c->to));
        if (c->kind == PC_CLAIM_LOGIT_GAP_DECREASING || c->kind == PC_CLAIM_LOGIT_GAP_INCREASING
            || c->kind == PC_CLAIM_LOGIT_ABOVE || c->kind == PC_CLAIM_PAIR_ORDERED) {
            json_object_set_new(o, "i", json_integer(c->i));
            json_object_set_new(o, "j", json_integer(c->j));
        }
        if (c->kind == PC_CLAIM_ENTROPY_ABOVE || c->kind == PC_CLAIM_ENTROPY_BELOW ||
            c->kind == PC_CLAIM_LOSS_BELOW || c->kind == PC_CLAIM_LOSS_ABOVE)
            json_object_set_new(o, "bound", json_dyadic(c->bound));
        if (c->open_from)
            json_object_set_new(o, "open_from", json_true());
        if (c->lemma)
            json_object_set_new(o, "lemma", json_string(pc_tail_lemma_name(C->tail)));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *cert_lemmas(const pc_enclose_t E, const pc_claims_t C)
{
    json_t *a = json_array();
    int used = 0;
    for (slong k = 0; k < C->len; k++)
        used |= C->claim[k].lemma;
    if (!used)
        return a;
    json_t *u = json_pack("{sssIss}", "name", pc_tail_lemma_name(C->tail), "version",
                          (json_int_t) 1, "at", "end");
    if (C->tail == PC_TAIL_MARGIN)
        json_object_set_new(u, "token", json_integer(C->tail_token));
    else if (C->tail == PC_TAIL_PLC) {       /* box Y, metric W, exact hints */
        const slong d = E->p->d;
        json_t *Y = json_array(), *f = json_array(), *W = json_array();
        for (slong i = 0; i < C->pl->dim; i++)
            json_array_append_new(Y, json_ball(C->pl->Y + i));
        for (slong i = 0; i < d; i++) {
            json_t *row = json_array();
            json_array_append_new(f, json_dyadic(C->pl->e + i));
            for (slong k = 0; k < d; k++)
                json_array_append_new(row, json_dyadic(C->pl->W + i * d + k));
            json_array_append_new(W, row);
        }
        json_object_set_new(u, "enclosure", Y);
        json_object_set_new(u, "f", f);
        json_object_set_new(u, "W", W);
        json_object_set_new(u, "wmin", json_dyadic(C->pl->wmin));
        json_object_set_new(u, "mu", json_dyadic(C->pl->mu));
        json_object_set_new(u, "kappa", json_dyadic(C->pl->kappa));
        json_object_set_new(u, "m2", json_dyadic(C->pl->m2));
        json_object_set_new(u, "sigma", json_dyadic(C->pl->sigma));
    } else if (C->tail == PC_TAIL_PL || C->tail == PC_TAIL_PLQ) {   /* box Y, exact hints */
        const int q = C->tail == PC_TAIL_PLQ;
        json_t *Y = json_array(), *e = json_array();
        for (slong i = 0; i < C->pl->dim; i++)
            json_array_append_new(Y, json_ball(C->pl->Y + i));
        for (slong j = 0; j < (q ? E->p->d : C->pl->n); j++)
            json_array_append_new(e, json_dyadic(C->pl->e + j));
        json_object_set_new(u, "enclosure", Y);
        json_object_set_new(u, q ? "f" : "e", e);
        if (q)
            json_object_set_new(u, "gmin", json_dyadic(C->pl->gmin));
        else {
            json_object_set_new(u, "mu", json_dyadic(C->pl->mu));
            json_object_set_new(u, "theta", json_dyadic(C->pl->theta));
        }
        json_object_set_new(u, "kappa", json_dyadic(C->pl->kappa));
        json_object_set_new(u, "m2", json_dyadic(C->pl->m2));
        json_object_set_new(u, "sigma", json_dyadic(C->pl->sigma));
    } else {
        json_t *Y = json_array();
        for (slong i = 0; i < C->tail_len; i++)
            json_array_append_new(Y, json_ball(C->tail_box + i));
        json_object_set_new(u, "enclosure", Y);
    }
    json_array_append_new(a, u);
    return a;
}

json_t *pc_cert_build(pc_enclose_t E, const pc_claims_t C, const arf_t T)
{
    json_t *cert = json_pack("{sss{ssss}sos{sssIsIsIsI}sosososo}",
        "format", PC_CERT_FORMAT,
        "tool", "name", "polarcert", "version", PC_VERSION,
        "problem", cert_problem(E->p),
        "method", "system", pc_system_name(E->kind), "prec", (json_int_t) E->prec,
        "order", (json_int_t) (E->flow->opts.order > 0 ? E->flow->opts.order
                                                        : pc_flow_default_order(E->prec)),
        "jac_prec", (json_int_t) pc_flow_jac_prec(&E->flow->opts),
        "sign_depth", (json_int_t) C->depth,
        "horizon", json_dyadic(T),
        "steps", cert_steps(E),
        "lemmas", cert_lemmas(E, C),
        "claims", cert_claims(C));
    if (cert != NULL && C->end_depth > C->depth)       /* the local refinement's hint */
        json_object_set_new(json_object_get(cert, "method"), "end_depth",
                            json_integer(C->end_depth));
    if (cert != NULL && pc_cert_seal(cert) != PC_OK) {
        json_decref(cert);
        cert = NULL;
    }
    return cert;
}

int pc_cert_hash(char hex[65], const json_t *cert)
{
    json_t *c = json_copy((json_t *) cert);
    if (c == NULL)
        return PC_ERR_INPUT;
    json_object_del(c, "sha256");
    char *text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(c);
    if (text == NULL)
        return PC_ERR_INPUT;
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(text), (const uint8_t *) text);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    free(text);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", dig[i]);
    return PC_OK;
}

int pc_cert_seal(json_t *cert)
{
    char hex[65];
    int st = pc_cert_hash(hex, cert);
    if (st == PC_OK && json_object_set_new(cert, "sha256", json_string(hex)) != 0)
        st = PC_ERR_INPUT;
    return st;
}
