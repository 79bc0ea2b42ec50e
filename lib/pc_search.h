/* Counterexample searches (issue 9), the contract between the two halves:
 *
 *  - campaigns and instances (pc_campaign.c, pc_gen.c, pc_screen.c,
 *    pc_search_inst.c): a polarcert-campaign/1 file; instance i generated
 *    from (seed, i) alone; its float screen; its rigorous confirmation;
 *  - the store and the workers (pc_store.c, pc_search_run.c): SQLite, the
 *    resumable run loop, local workers and MPI, status and report.
 *
 * Everything here is a function of (campaign, i) alone. The instances are the
 * same exact rationals on every machine (certs/CAMPAIGN.md, "Generation");
 * the confirmation's verdict and certificate are those of the rigorous run
 * on them. The screen is float: the same for any number of workers of one
 * build, but another libm may move a borderline score (never a verdict).
 * The functions only read the campaign (a forked worker can use the one
 * loaded before the fork). The library keeps no state between calls but
 * pc_memory's flag, which is per thread: threads may use it, each on
 * objects of its own. Never prints. */
#ifndef PC_SEARCH_H
#define PC_SEARCH_H

#include "pc_status.h"
#include "pc_arb.h"
#include "pc_problem.h"

#define PC_CAMPAIGN_FORMAT "polarcert-campaign/1"

typedef struct pc_campaign_impl pc_campaign_impl;   /* private to pc_campaign.c */
typedef struct {
    pc_campaign_impl *impl;
    char *text;             /* the file's text as read (stored in the store); a
                               theorem given as {"file": ...} is inlined, so that
                               pc_campaign_load_string(text) alone rebuilds the
                               same campaign anywhere */
    char sha256[65];        /* SHA-256 of text, lowercase hex */
    char *name;             /* the campaign's name */
    slong instances;        /* how many instances */
    slong confirm_best;     /* confirm policy: 0 = every candidate, k > 0 =
                               the k candidates with the largest score */
} pc_campaign_struct;
typedef pc_campaign_struct pc_campaign_t[1];

void pc_campaign_init(pc_campaign_t c);
void pc_campaign_clear(pc_campaign_t c);
/* PC_OK, or PC_ERR_INPUT with "source: field: what is wrong" in err. */
int pc_campaign_load_string(pc_campaign_t c, const char *json, const char *source,
                            pc_error_t err);
int pc_campaign_load_file(pc_campaign_t c, const char *path, pc_error_t err);

/* Instance i (0 <= i < instances) as a problem (exact rationals), into an
 * initialised p (cleared first): PC_OK, or PC_ERR_INPUT for i out of range. */
int pc_search_instance(pc_problem_t p, const pc_campaign_t c, slong i, pc_error_t err);

/* Instance i (0 <= i < instances) as a polarcert problem file (JSON text,
 * exact rationals as strings), malloc'd into *json. */
int pc_search_instance_json(char **json, const pc_campaign_t c, slong i, pc_error_t err);

typedef enum {
    PC_SCREEN_FILTERED = 0, /* a hypothesis of the theorem is FALSE (exact check) */
    PC_SCREEN_CLEAR,        /* the float evidence contradicts no conclusion */
    PC_SCREEN_CANDIDATE,    /* it contradicts one beyond its error estimate */
    PC_SCREEN_FAILED        /* the float run could not be done (reason) */
} pc_screen_status;

const char *pc_screen_status_name(pc_screen_status s);

typedef struct {
    pc_screen_status status;
    double score;           /* FLOAT evidence (screening only): how strongly a
                               conclusion is contradicted; larger is better */
    char target[64];        /* the conclusion contradicted ("" if none) */
    char reason[256];       /* one line */
    double seconds;         /* CPU time of the screen */
} pc_screen_result;

/* Generates instance i, decides the theorem's hypotheses exactly and, if
 * they hold, screens the conclusions in float. PC_OK with the result in r
 * (an instance the screen cannot handle is PC_SCREEN_FAILED, not an error);
 * another status only for a campaign that cannot be run at all. */
int pc_search_screen(pc_screen_result *r, const pc_campaign_t c, slong i, pc_error_t err);

typedef struct {
    int confirmed;          /* 1: a conclusion REFUTED rigorously (a certified
                               counterexample); 0: unconfirmed (reason says why) */
    int verdict;            /* pc_check_verdict of the rigorous check */
    char reason[256];       /* one line */
    char *claims;           /* malloc'd: one line per hypothesis/conclusion row */
    char *cert;             /* malloc'd certificate text (JSON) or NULL */
    size_t cert_len;
    char cert_sha256[65];   /* of cert, "" if none */
    double seconds;         /* CPU time of the confirmation */
} pc_confirm_result;

void pc_confirm_result_init(pc_confirm_result *r);
void pc_confirm_result_clear(pc_confirm_result *r);

/* Regenerates instance i and checks the campaign's theorem on it
 * rigorously with the campaign's certification settings (pc_check_run).
 * PC_OK with the result in r (a run that fails is "unconfirmed" with its
 * reason, not an error). The independent checker is run by the caller. */
int pc_search_confirm(pc_confirm_result *r, const pc_campaign_t c, slong i, pc_error_t err);

#endif
