/* The run loop of a search: tasks out to the workers, results into the
 * store, one transaction each (pc_search_run.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pc_search_run.h"

enum { MSG_ERROR = 3 };

void pc_search_run_opts_default(pc_search_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

int pc_search_work(pc_search_buf *out, const pc_campaign_t c, const pc_search_task *t,
                   const pc_search_run_opts *o)
{
    pc_search_result r;
    pc_error_t err;
    pc_search_result_init(&r);
    r.kind = (int) t->kind;
    r.idx = (slong) t->idx;
    int st;
    if (t->kind == PC_TASK_SCREEN)
        st = pc_search_screen(&r.screen, c, r.idx, err);
    else {
        st = pc_search_confirm(&r.confirm, c, r.idx, err);
        if (st == PC_OK && r.confirm.cert == NULL)
            snprintf(r.verify.message, sizeof r.verify.message, "no certificate");
        else if (st == PC_OK && o->verify == NULL) {
            snprintf(r.verify.verdict, sizeof r.verify.verdict, "NOT CHECKED");
            snprintf(r.verify.message, sizeof r.verify.message, "no checker was given");
        } else if (st == PC_OK)
            st = o->verify(o->verify_ctx, c, r.idx, r.confirm.cert, r.confirm.cert_len,
                           &r.verify);
        if (st != PC_OK)
            snprintf(err->msg, sizeof err->msg, "%s", r.verify.message);
    }
    if (st != PC_OK) {
        int status = st;
        char msg[PC_ERROR_LEN];
        snprintf(msg, sizeof msg, "%s", err->msg);
        pc_search_result_clear(&r);
        r.kind = MSG_ERROR;
        r.idx = (slong) t->idx;
        r.status = status;
        memcpy(r.msg, msg, sizeof msg);
    }
    st = pc_search_encode(out, &r);
    pc_search_result_clear(&r);
    return st;
}

/* ---- one phase: tasks to workers, results to the store ------------------- */

typedef struct {
    pc_store_struct *S;
    const pc_search_run_opts *o;
    pc_search_progress pr;
    slong run_done;         /* results of this phase stored by this run */
    double t0;
} phase_state;

static int store_result(phase_state *ps, const pc_search_result *r, pc_error_t err)
{
    int st;
    if (r->kind == MSG_ERROR)
        return pc_error_set(err, r->status ? r->status : PC_ERR_INPUT, "%s", r->msg);
    if (r->kind == PC_TASK_SCREEN) {
        st = pc_store_put_screen(ps->S, r->idx, &r->screen, err);
        ps->pr.candidates += st == PC_OK && r->screen.status == PC_SCREEN_CANDIDATE;
    } else {
        st = pc_store_put_confirm(ps->S, r->idx, &r->confirm,
                                  r->confirm.cert ? &r->verify : NULL, err);
        ps->pr.confirmed += st == PC_OK && r->confirm.confirmed;
    }
    if (st != PC_OK)
        return st;
    ps->pr.done++;
    ps->run_done++;
    double dt = wall() - ps->t0;
    ps->pr.rate = dt > 0 ? (double) ps->run_done / dt : 0.0;
    ps->pr.eta = ps->pr.rate > 0 ? (double) (ps->pr.total - ps->pr.done) / ps->pr.rate : -1.0;
    if (ps->o->progress != NULL && (st = ps->o->progress(ps->o->progress_ctx, &ps->pr)) != PC_OK)
        return pc_error_set(err, st, "%s: the run was stopped", ps->S->path);
    return PC_OK;
}

/* The tasks in flight of each worker, in the order sent (a worker answers
 * in that order): a result must be of the task at the front, so that a
 * confused worker or transport is an error, never a wrong row. */
typedef struct {
    slong *q;               /* depth entries per worker */
    int *head, *len;
    int depth;
} flight;

static int flight_init(flight *F, int workers, int depth)
{
    F->depth = depth;
    F->q = malloc((size_t) workers * (size_t) depth * sizeof(slong));
    F->head = calloc((size_t) workers, sizeof(int));
    F->len = calloc((size_t) workers, sizeof(int));
    return F->q && F->head && F->len ? PC_OK : PC_ERR_MEMORY;
}

static void flight_clear(flight *F)
{
    free(F->q);
    free(F->head);
    free(F->len);
}

static int send_task(const pc_search_transport *tr, flight *F, int w, int kind, slong i,
                     pc_error_t err)
{
    pc_search_task t = {kind, i};
    int st = tr->send(tr->ctx, w, &t, err);
    if (st == PC_OK)
        F->q[(size_t) w * F->depth + (F->head[w] + F->len[w]++) % F->depth] = i;
    return st;
}

/* The tasks idx[0..n) of one kind, at most depth (PC_SEARCH_DEPTH) in
 * flight per worker: a worker finds its next task waiting when it sends a
 * result, and never waits for the writer. A result that has arrived is
 * stored before anything else, so the tasks in flight are all a kill can
 * lose. */
static int run_tasks(phase_state *ps, const pc_search_transport *tr, int kind,
                     const slong *idx, slong n, pc_error_t err)
{
    slong next = 0, inflight = 0;
    pc_search_buf msg;
    pc_search_result r;
    flight F;
    int depth = tr->depth > 0 ? tr->depth : PC_SEARCH_DEPTH;
    int st = flight_init(&F, tr->workers, depth) == PC_OK ? PC_OK
             : pc_error_set(err, PC_ERR_MEMORY, "search: out of memory");
    pc_search_buf_init(&msg);
    pc_search_result_init(&r);
    for (int round = 0; round < depth; round++)
        for (int w = 0; w < tr->workers && next < n && st == PC_OK; w++) {
            st = send_task(tr, &F, w, kind, idx[next++], err);
            inflight += st == PC_OK;
        }
    while (inflight > 0 && st == PC_OK) {
        int w = -1;
        msg.len = 0;
        st = tr->recv(tr->ctx, &w, &msg, err);
        inflight--;
        if (st != PC_OK && w >= 0 && w < tr->workers && F.len[w] > 0) {
            size_t l = strlen(err->msg);
            snprintf(err->msg + l, sizeof err->msg - l, " (it was computing instance %ld)",
                     (long) F.q[(size_t) w * depth + F.head[w]]);
        }
        if (st == PC_OK && (w < 0 || w >= tr->workers || F.len[w] == 0))
            st = pc_error_set(err, PC_ERR_IO, "search: a result from worker %d, which has "
                              "no task", w);
        if (st == PC_OK)
            st = pc_search_decode(&r, msg.data, msg.len, err);
        if (st == PC_OK) {
            slong want = F.q[(size_t) w * depth + F.head[w]];
            F.head[w] = (F.head[w] + 1) % depth;
            F.len[w]--;
            if (r.idx != want || r.kind != (r.kind == 3 ? 3 : kind))
                st = pc_error_set(err, PC_ERR_IO, "search: worker %d answered instance %ld "
                                  "(kind %d) for instance %ld (kind %d)", w, (long) r.idx,
                                  r.kind, (long) want, kind);
        }
        if (st == PC_OK)
            st = store_result(ps, &r, err);
        if (st == PC_OK && next < n) {
            st = send_task(tr, &F, w, kind, idx[next++], err);
            inflight += st == PC_OK;
        }
    }
    pc_search_result_clear(&r);
    pc_search_buf_clear(&msg);
    flight_clear(&F);
    return st;
}

static int phase_screen(phase_state *ps, const pc_campaign_t c, const pc_search_transport *tr,
                        pc_error_t err)
{
    slong N = c->instances, n = 0;
    unsigned char *done = malloc(N > 0 ? (size_t) N : 1);
    slong *idx = malloc((N > 0 ? (size_t) N : 1) * sizeof(slong));
    if (done == NULL || idx == NULL) {
        free(done);
        free(idx);
        return pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", ps->S->path);
    }
    int st = pc_store_screened(done, N, ps->S, err);
    for (slong i = 0; i < N && st == PC_OK; i++)
        if (!done[i])
            idx[n++] = i;
    free(done);
    pc_store_counts k;
    if (st == PC_OK)
        st = pc_store_count(&k, ps->S, err);
    if (st == PC_OK) {
        ps->pr.phase = 1;
        ps->pr.total = N;
        ps->pr.done = N - n;
        ps->pr.candidates = k.candidates;
        ps->pr.confirmed = k.confirmed;
        ps->t0 = wall();
        ps->run_done = 0;
        st = run_tasks(ps, tr, PC_TASK_SCREEN, idx, n, err);
    }
    free(idx);
    return st;
}

static int phase_confirm(phase_state *ps, const pc_campaign_t c, const pc_search_transport *tr,
                         pc_error_t err)
{
    slong *idx, n;
    pc_store_counts k;
    int st = pc_store_to_confirm(&idx, &n, c->confirm_best, ps->S, err);
    if (st == PC_OK)
        st = pc_store_count(&k, ps->S, err);
    if (st == PC_OK) {
        ps->pr.phase = 2;
        ps->pr.total = k.to_confirm;
        ps->pr.done = k.to_confirm - n;
        ps->pr.candidates = k.candidates;
        ps->pr.confirmed = k.confirmed;
        ps->t0 = wall();
        ps->run_done = 0;
        st = run_tasks(ps, tr, PC_TASK_CONFIRM, idx, n, err);
    }
    free(idx);
    return st;
}

int pc_search_run_transport(pc_store_t S, const pc_campaign_t c, const pc_search_run_opts *o,
                            const pc_search_transport *tr, pc_error_t err)
{
    phase_state ps;
    memset(&ps, 0, sizeof ps);
    ps.S = S;
    ps.o = o;
    int st = pc_store_check_campaign(S, c, err);
    if (st == PC_OK)
        st = phase_screen(&ps, c, tr, err);
    if (st == PC_OK)
        st = phase_confirm(&ps, c, tr, err);
    return st;
}

/* ---- one job: the work done in this process, through the same encoding -- */

typedef struct {
    const pc_campaign_struct *c;
    const pc_search_run_opts *o;
    pc_search_task task;
} local_ctx;

static int local_send(void *ctx, int w, const pc_search_task *t, pc_error_t err)
{
    (void) w;
    (void) err;
    ((local_ctx *) ctx)->task = *t;
    return PC_OK;
}

static int local_recv(void *ctx, int *w, pc_search_buf *msg, pc_error_t err)
{
    local_ctx *l = ctx;
    *w = 0;
    int st = pc_search_work(msg, l->c, &l->task, l->o);
    return st == PC_OK ? PC_OK : pc_error_set(err, st, "search: out of memory");
}

int pc_search_run(pc_store_t S, const pc_campaign_t c, const pc_search_run_opts *o,
                  pc_error_t err)
{
    if (o->jobs <= 1) {
        local_ctx l = {c, o, {0, 0}};
        pc_search_transport tr = {1, &l, local_send, local_recv, 1};
        return pc_search_run_transport(S, c, o, &tr, err);
    }
    pc_search_pool P;
    pc_search_transport tr;
    int st = pc_search_pool_start(&P, (int) o->jobs, c, o, err);
    if (st != PC_OK)
        return st;
    pc_search_pool_transport(&tr, &P);
    st = pc_search_run_transport(S, c, o, &tr, err);
    pc_search_pool_stop(&P);
    return st;
}
