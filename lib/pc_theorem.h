/* Theorems (format polarcert-theorem/1, proofs/THEOREMS.md): a name, the
 * loss families they are about, hypotheses on the initial data (pc_hypo.h)
 * and conclusions on intervals of time (pc_conclude.h); built-in presets;
 * and the check of a theorem on a problem: every hypothesis decided
 * exactly, every conclusion proven / refuted / undecided on one
 * certification run, and one certificate holding every proven item and
 * every witness. Never prints. */
#ifndef PC_THEOREM_H
#define PC_THEOREM_H

#include "pc_hypo.h"
#include "pc_conclude.h"

#define PC_THEOREM_FORMAT "polarcert-theorem/1"

typedef struct {
    char *name;
    unsigned losses;            /* bit (1 << pc_loss_kind) per loss it is about */
    pc_hyp_kind *hyp;
    slong nhyp;
    pc_concl_struct *concl;
    slong nconcl;
} pc_theorem_struct;
typedef pc_theorem_struct pc_theorem_t[1];

void pc_theorem_init(pc_theorem_t th);
void pc_theorem_clear(pc_theorem_t th);

/* Parses a polarcert-theorem/1 text (source names it in messages): PC_OK or
 * PC_ERR_INPUT with "source: field: what is wrong" in err. */
int pc_theorem_load_string(pc_theorem_t th, const char *json, const char *source,
                           pc_error_t err);
int pc_theorem_load_file(pc_theorem_t th, const char *path, pc_error_t err);

/* A built-in preset by name (NULL-terminated list in pc_theorem_presets):
 * PC_OK, or PC_ERR_INPUT if there is none of that name. */
int pc_theorem_preset(pc_theorem_t th, const char *name, pc_error_t err);
extern const char *const pc_theorem_presets[];
/* The preset's text (polarcert-theorem/1), or NULL. */
const char *pc_theorem_preset_text(const char *name);

typedef enum {
    PC_CHECK_CONFIRMED = 0,     /* every hypothesis TRUE, every conclusion PROVEN */
    PC_CHECK_REFUTED,           /* every hypothesis TRUE, some conclusion REFUTED */
    PC_CHECK_UNDECIDED,         /* hypotheses TRUE, some conclusion UNDECIDED */
    PC_CHECK_NOT_APPLICABLE     /* a hypothesis FALSE or the loss not covered */
} pc_check_verdict;

const char *pc_check_verdict_name(pc_check_verdict v);

typedef struct {
    pc_hyp_struct *hyp;         /* th->nhyp decisions */
    pc_concl_result_struct *res;    /* th->nconcl results */
    slong nhyp, nconcl;
    int loss_covered;
    pc_check_verdict verdict;
    pc_certify_t R;             /* the run (claims, the theorem's among them) */
    json_t *cert;               /* certificate with hypotheses and theorem; NULL if
                                   nothing at all was proven */
} pc_check_struct;
typedef pc_check_struct pc_check_t[1];

void pc_check_init(pc_check_t K);
void pc_check_clear(pc_check_t K);

/* Checks th on p (alive as long as K) with the run options o. Returns PC_OK
 * (verdict and certificate in K), PC_ERR_INPUT (a conclusion names a token
 * p does not have) or the status of pc_certify_run (K->R->err says why). */
int pc_check_run(pc_check_t K, const pc_theorem_t th, const pc_problem_t p,
                 const pc_certify_opts *o);

#endif
