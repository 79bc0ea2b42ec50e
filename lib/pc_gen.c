/* Instance i of a campaign, from (seed, i) alone (certs/CAMPAIGN.md,
 * "Generation"). Portable by construction:
 *  - the random words come from SHA-256 in counter mode (nettle), the same
 *    bytes everywhere (GMP's and FLINT's generators may change between
 *    versions; a hash does not);
 *  - Gaussians are Box–Muller (in pairs) evaluated in MPFR at 128 bits, every
 *    operation correctly rounded, so the same bits on every machine, then
 *    rounded to the nearest multiple of 10^-digits: an exact rational.
 * No global state: instance i can be generated alone, in any order. */
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include <nettle/sha2.h>
#include "pc_search_impl.h"

#define GEN_PREC 128

static void be64(uint8_t *out, uint64_t v)
{
    for (int k = 7; k >= 0; k--, v >>= 8)
        out[k] = (uint8_t) (v & 0xff);
}

/* key = SHA-256("polarcert-campaign/1" || seed || i), both 8 bytes big-endian. */
void pc_gen_stream_init(pc_gen_stream *s, uint64_t seed, uint64_t i)
{
    struct sha256_ctx h;
    uint8_t buf[16];
    sha256_init(&h);
    sha256_update(&h, strlen(PC_CAMPAIGN_FORMAT), (const uint8_t *) PC_CAMPAIGN_FORMAT);
    be64(buf, seed);
    be64(buf + 8, i);
    sha256_update(&h, 16, buf);
    sha256_digest(&h, 32, s->key);
    s->block = 0;
    s->used = 4;
}

/* Block b = SHA-256(key || b), 8-byte big-endian b: four big-endian words. */
uint64_t pc_gen_word(pc_gen_stream *s)
{
    if (s->used == 4) {
        struct sha256_ctx h;
        uint8_t buf[8], dig[32];
        sha256_init(&h);
        sha256_update(&h, 32, s->key);
        be64(buf, s->block++);
        sha256_update(&h, 8, buf);
        sha256_digest(&h, 32, dig);
        for (int w = 0; w < 4; w++) {
            uint64_t v = 0;
            for (int k = 0; k < 8; k++)
                v = (v << 8) | dig[8 * w + k];
            s->words[w] = v;
        }
        s->used = 0;
    }
    return s->words[s->used++];
}

static slong gen_range(pc_gen_stream *s, slong lo, slong hi)
{
    uint64_t w = pc_gen_word(s);
    return lo + (slong) (w % (uint64_t) (hi - lo + 1));
}

/* U = (w + 1/2) / 2^64, exactly (65 bits), in (0, 1). */
static void gen_uniform(mpfr_t u, pc_gen_stream *s)
{
    mpfr_set_uj(u, pc_gen_word(s), MPFR_RNDN);
    mpfr_add_d(u, u, 0.5, MPFR_RNDN);
    mpfr_div_2ui(u, u, 64, MPFR_RNDN);
}

typedef struct {
    mpfr_t u1, u2, r, pi, spare;
    int have_spare;         /* spare holds R sin θ of the last pair, unused yet */
    fmpz_t z, ten;          /* ten = 10^digits */
} gen_work;

/* The next standard normal sample g (unscaled): Box–Muller in pairs. Two
 * words give R = sqrt(−2 log U1) and θ = 2π U2; the first request returns
 * R cos θ, the next R sin θ. Every MPFR operation at 128 bits, rounded to
 * nearest. */
static void gen_normal(mpfr_t g, pc_gen_stream *s, gen_work *w)
{
    if (w->have_spare) {
        mpfr_set(g, w->spare, MPFR_RNDN);
        w->have_spare = 0;
        return;
    }
    gen_uniform(w->u1, s);
    gen_uniform(w->u2, s);
    mpfr_log(w->r, w->u1, MPFR_RNDN);
    mpfr_mul_si(w->r, w->r, -2, MPFR_RNDN);
    mpfr_sqrt(w->r, w->r, MPFR_RNDN);
    mpfr_mul(w->u2, w->u2, w->pi, MPFR_RNDN);
    mpfr_mul_2ui(w->u2, w->u2, 1, MPFR_RNDN);
    mpfr_sin_cos(w->spare, w->u1, w->u2, MPFR_RNDN);
    mpfr_mul(w->spare, w->r, w->spare, MPFR_RNDN);
    mpfr_mul(g, w->r, w->u1, MPFR_RNDN);       /* last: g may be w->r */
    w->have_spare = 1;
}

/* x = round(scale · g · 10^D) / 10^D: g from gen_normal, the products and
 * the quotient at 128 bits rounded to nearest, the last rounding to the
 * nearest integer with ties to even. */
static void gen_gaussian(fmpq_t x, pc_gen_stream *s, const fmpq_t scale, gen_work *g)
{
    mpz_t t;
    gen_normal(g->r, s, g);
    mpz_init(t);
    fmpz_get_mpz(t, fmpq_numref(scale));
    mpfr_mul_z(g->r, g->r, t, MPFR_RNDN);
    fmpz_get_mpz(t, g->ten);
    mpfr_mul_z(g->r, g->r, t, MPFR_RNDN);
    fmpz_get_mpz(t, fmpq_denref(scale));
    mpfr_div_z(g->r, g->r, t, MPFR_RNDN);
    mpfr_get_z(t, g->r, MPFR_RNDN);
    fmpz_set_mpz(g->z, t);
    mpz_clear(t);
    fmpq_set_fmpz_frac(x, g->z, g->ten);
}

static void gen_vec(fmpq *x, slong len, const pc_dist_struct *d, pc_gen_stream *s, gen_work *g)
{
    for (slong k = 0; k < len; k++) {
        if (d->kind == PC_DIST_GAUSSIAN || d->kind == PC_DIST_ALIGNED)
            gen_gaussian(x + k, s, d->scale, g);
        else
            fmpq_zero(x + k);
    }
}

/* q: 1/d each (uniform) or c_k / Σ c_j with c_k = 1 + (w_k mod 1000). */
static void gen_q(fmpq *q, slong d, const pc_dist_struct *dist, pc_gen_stream *s)
{
    fmpz_t sum;
    fmpz_init(sum);
    for (slong k = 0; k < d; k++) {
        slong c = dist->kind == PC_DIST_RANDOM ? 1 + (slong) (pc_gen_word(s) % 1000) : 1;
        fmpq_set_si(q + k, c, 1);
        fmpz_add_ui(sum, sum, (ulong) c);
    }
    for (slong k = 0; k < d; k++)
        fmpq_div_fmpz(q + k, q + k, sum);
    fmpz_clear(sum);
}

int pc_search_instance(pc_problem_t p, const pc_campaign_t c, slong i, pc_error_t err)
{
    const pc_campaign_impl *m = c->impl;
    pc_gen_stream s;
    gen_work g;
    if (m == NULL)
        return pc_error_set(err, PC_ERR_INPUT, "campaign: not loaded");
    if (i < 0 || i >= c->instances)
        return pc_error_set(err, PC_ERR_INPUT, "%s: instance %ld: out of range (0 to %ld)",
                            c->name, (long) i, (long) c->instances - 1);
    pc_problem_clear(p);
    pc_problem_init(p);
    pc_gen_stream_init(&s, m->seed, (uint64_t) i);
    mpfr_inits2(GEN_PREC, g.u1, g.u2, g.r, g.pi, g.spare, (mpfr_ptr) 0);
    g.have_spare = 0;
    mpfr_const_pi(g.pi, MPFR_RNDN);
    fmpz_init(g.z);
    fmpz_init(g.ten);
    fmpz_ui_pow_ui(g.ten, 10, (ulong) m->digits);
    /* dimensions: three words, always */
    slong d = gen_range(&s, m->dmin, m->dmax), n = gen_range(&s, m->nmin, m->nmax);
    slong mm = gen_range(&s, m->mmin, m->mmax);
    p->loss = m->loss;
    p->d = d;
    p->n = n;
    /* the loss data */
    if (m->beta.given) {
        p->beta = _fmpq_vec_init(d);
        gen_vec(p->beta, d, &m->beta, &s, &g);
    }
    if (m->q.given) {
        p->q = _fmpq_vec_init(d);
        gen_q(p->q, d, &m->q, &s);
    }
    if (m->X.given) {
        p->m = mm;
        p->X = _fmpq_vec_init(mm * d);
        gen_vec(p->X, mm * d, &m->X, &s, &g);
        p->b = _fmpq_vec_init(mm);
        gen_vec(p->b, mm, &m->b, &s, &g);
    }
    /* V(0), then a(0) */
    p->V = _fmpq_vec_init(d * n);
    if (m->V0.kind == PC_DIST_ALIGNED) {
        fmpq *w0 = _fmpq_vec_init(n);
        gen_vec(w0, n, &m->V0, &s, &g);
        for (slong r = 0; r < d; r++)
            for (slong j = 0; j < n; j++)
                fmpq_mul(p->V + r * n + j, p->beta + r, w0 + j);
        _fmpq_vec_clear(w0, n);
    } else
        gen_vec(p->V, d * n, &m->V0, &s, &g);
    p->a = _fmpq_vec_init(n);
    gen_vec(p->a, n, &m->a0, &s, &g);
    fmpq_set(p->T, m->T);
    fmpq_zero(p->radius);
    /* the name says where the instance comes from */
    char buf[300];
    snprintf(buf, sizeof buf, "%.200s-%ld", c->name, (long) i);
    p->name = strdup(buf);
    snprintf(buf, sizeof buf, "instance %ld of campaign %.120s (sha256 %.16s), seed %llu", (long) i,
             c->name, c->sha256, (unsigned long long) m->seed);
    p->note = strdup(buf);
    fmpz_clear(g.z);
    fmpz_clear(g.ten);
    mpfr_clears(g.u1, g.u2, g.r, g.pi, g.spare, (mpfr_ptr) 0);
    return PC_OK;
}
