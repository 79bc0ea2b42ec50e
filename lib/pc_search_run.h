/* The run loop of a search (issue 9): phase 1 screens every instance of the
 * campaign the store does not hold yet; phase 2 confirms the candidates
 * (all, or the best k by score) that have no confirmation yet, and the
 * independent checker re-checks each certificate at once. The calling
 * process is the only writer of the store; the work is done in it (one
 * job), in forked local workers (jobs > 1), or by any transport the caller
 * provides (MPI ranks, src/search_mpi.c). Results go through one encoding
 * (pc_search_encode) whatever the transport, and every instance is a pure
 * function of (campaign, index), so the store's results are the same for
 * any number of workers. Never prints; the library runs no program (the
 * checker is the caller's callback). */
#ifndef PC_SEARCH_RUN_H
#define PC_SEARCH_RUN_H

#include <stdint.h>
#include "pc_store.h"

typedef enum { PC_TASK_STOP = 0, PC_TASK_SCREEN = 1, PC_TASK_CONFIRM = 2 } pc_task_kind;

typedef struct {
    int64_t kind;           /* pc_task_kind */
    int64_t idx;            /* the instance */
} pc_search_task;

/* A growable byte buffer (a message between a worker and the writer). */
typedef struct {
    unsigned char *data;
    size_t len, alloc;
} pc_search_buf;

void pc_search_buf_init(pc_search_buf *b);
void pc_search_buf_clear(pc_search_buf *b);

/* The independent checker on one certificate of instance i (the caller
 * runs polarcert-verify, src/cmd_search.c): fills v; PC_OK unless the
 * check could not be run at all. */
typedef int (*pc_search_verify_fn)(void *ctx, const pc_campaign_t c, slong i,
                                   const char *cert, size_t len, pc_verify_result *v);

typedef struct {
    int phase;              /* 1 screen, 2 confirm */
    slong done, total;      /* of this phase, counting earlier runs */
    slong candidates;       /* screened as candidates so far */
    slong confirmed;        /* certified counterexamples so far */
    double rate;            /* results per second in this run */
    double eta;             /* seconds left in this phase (< 0: unknown) */
} pc_search_progress;

typedef struct {
    slong jobs;             /* local workers (1: in this process) */
    pc_search_verify_fn verify; /* NULL: certificates are stored NOT CHECKED */
    void *verify_ctx;
    /* after every stored result; a status other than PC_OK stops the run */
    int (*progress)(void *ctx, const pc_search_progress *p);
    void *progress_ctx;
} pc_search_run_opts;

void pc_search_run_opts_default(pc_search_run_opts *o);

/* A way to reach workers: send a task to worker w (0 <= w < workers);
 * wait for the next message of any worker (its number in *w). A worker
 * answers its tasks in the order sent. depth: tasks in flight per worker
 * (0: PC_SEARCH_DEPTH). */
typedef struct {
    int workers;
    void *ctx;
    int (*send)(void *ctx, int w, const pc_search_task *t, pc_error_t err);
    int (*recv)(void *ctx, int *w, pc_search_buf *msg, pc_error_t err);
    int depth;
} pc_search_transport;

/* Two tasks in flight per worker: one computed, one waiting. */
#define PC_SEARCH_DEPTH 2

/* Runs both phases on S (opened as writer, holding c) with o->jobs local
 * workers. PC_OK when every instance is screened and every selected
 * candidate confirmed; on an error the results stored so far stay. */
int pc_search_run(pc_store_t S, const pc_campaign_t c, const pc_search_run_opts *o,
                  pc_error_t err);

/* The same with the caller's transport (its workers run pc_search_work). */
int pc_search_run_transport(pc_store_t S, const pc_campaign_t c, const pc_search_run_opts *o,
                            const pc_search_transport *tr, pc_error_t err);

/* A worker's part: computes task t (screen, or confirm and check) and
 * encodes the result into out, or the error if the campaign cannot be run
 * (the writer stops then). PC_OK unless out cannot be written. */
int pc_search_work(pc_search_buf *out, const pc_campaign_t c, const pc_search_task *t,
                   const pc_search_run_opts *o);

/* A decoded message. */
typedef struct {
    int kind;               /* PC_TASK_SCREEN, PC_TASK_CONFIRM, or 3: an error */
    slong idx;
    pc_screen_result screen;
    pc_confirm_result confirm;
    pc_verify_result verify;
    int status;             /* of an error */
    char msg[PC_ERROR_LEN];
} pc_search_result;

void pc_search_result_init(pc_search_result *r);
void pc_search_result_clear(pc_search_result *r);
/* Encoding (portable: little-endian integers, IEEE doubles by their bits,
 * strings with their length) and decoding, which trusts no length:
 * PC_ERR_INPUT for a damaged message. */
int pc_search_encode(pc_search_buf *out, const pc_search_result *r);
int pc_search_decode(pc_search_result *r, const unsigned char *data, size_t len,
                     pc_error_t err);

/* Local workers: forked processes, each connected to this one by a socket
 * pair; a worker ends when its socket closes (also when this process is
 * killed). */
typedef struct {
    int workers;
    int *fd;                /* this process's end, per worker */
    int *pid;
} pc_search_pool;

int pc_search_pool_start(pc_search_pool *P, int workers, const pc_campaign_t c,
                         const pc_search_run_opts *o, pc_error_t err);
/* The pool as a transport (valid while P is). */
void pc_search_pool_transport(pc_search_transport *tr, pc_search_pool *P);
/* Closes the sockets and waits for the workers. */
void pc_search_pool_stop(pc_search_pool *P);

/* The store's results as a report: kind 0 a table, 1 CSV (one row per
 * instance), 2 JSON, 3 LaTeX (booktabs). Writes to f; PC_ERR_IO on a
 * write error. */
int pc_search_report(FILE *f, const pc_store_t S, int kind, pc_error_t err);

/* The summary of `search status`. */
int pc_search_status(FILE *f, const pc_store_t S, pc_error_t err);

#endif
