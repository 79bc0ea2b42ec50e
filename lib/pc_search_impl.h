/* The parsed campaign (private to the search modules: pc_campaign.c,
 * pc_gen.c, pc_screen.c, pc_search_inst.c). certs/CAMPAIGN.md documents
 * every member and the generation algorithm. */
#ifndef PC_SEARCH_IMPL_H
#define PC_SEARCH_IMPL_H

#include <stdint.h>
#include "pc_search.h"
#include "pc_theorem.h"
#include "pc_certify.h"

typedef enum {
    PC_DIST_ZERO = 0,       /* every entry 0 */
    PC_DIST_GAUSSIAN,       /* scale · N(0, 1), kept to `digits` decimals */
    PC_DIST_ALIGNED,        /* V(0) only: β w0ᵀ, w0 Gaussian with the scale */
    PC_DIST_UNIFORM,        /* q only: q_k = 1/d */
    PC_DIST_RANDOM          /* q only: q_k = c_k / Σ c_j, c_k = 1 + (w mod 1000) */
} pc_dist_kind;

typedef struct {
    pc_dist_kind kind;
    fmpq_t scale;           /* > 0 for Gaussian and aligned */
    int given;              /* the member was present */
} pc_dist_struct;

struct pc_campaign_impl {
    pc_loss_kind loss;
    slong dmin, dmax, nmin, nmax, mmin, mmax;
    slong digits;           /* decimals each generated number keeps */
    pc_dist_struct V0, a0, beta, q, X, b;
    fmpq_t T;               /* the instances' horizon (problem files' T) */
    uint64_t seed;
    pc_theorem_t th;        /* the theorem (a single conclusion to refute: a
                               theorem over every loss with the given hypotheses) */
    /* the float screen */
    fmpq_t screen_T;
    double rtol;            /* the coarse run; the error estimate reruns at rtol/64 */
    slong points;           /* sample times */
    /* the rigorous confirmation */
    pc_certify_opts co;     /* co.T points at cert_T */
    fmpq_t cert_T;
};

/* Campaign → the rigorous run options (co.T set to the campaign's T). */
const pc_certify_opts *pc_campaign_certify_opts(const pc_campaign_t c);

/* CPU time of the calling thread, in seconds. */
double pc_search_cpu_seconds(void);

/* The generator's stream for (seed, i): SHA-256 in counter mode (CAMPAIGN.md). */
typedef struct {
    uint8_t key[32];
    uint64_t block;
    uint64_t words[4];
    int used;               /* words of the current block already taken */
} pc_gen_stream;

void pc_gen_stream_init(pc_gen_stream *s, uint64_t seed, uint64_t i);
uint64_t pc_gen_word(pc_gen_stream *s);

#endif
