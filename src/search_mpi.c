/* MPI for 'mpirun -n N polarcert search run' (built only with MPI; cli.h):
 * rank 0 is the only writer of the store and sends tasks; ranks 1..N-1
 * are workers, each computing one task at a time with pc_search_work and
 * sending the encoded result back. The campaign text goes from rank 0 to
 * the workers once; every instance is a function of (campaign, index), so
 * the results are those of one process. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <mpi.h>
#include "config.h"
#include "cli.h"

enum { TAG_TASK = 1, TAG_RESULT = 2 };

static int mpi_size = -1, mpi_rank = 0;

static void finalize(void)
{
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin)
        MPI_Finalize();
}

/* MPI is started only under mpirun (its environment variables), so that a
 * plain 'polarcert search run' neither needs nor waits for a launcher. */
int cli_mpi_size(void)
{
    if (mpi_size > 0)
        return mpi_size;
    mpi_size = 1;
    if (getenv("OMPI_COMM_WORLD_SIZE") == NULL && getenv("PMIX_RANK") == NULL &&
        getenv("PMI_SIZE") == NULL)
        return mpi_size;
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return mpi_size;
    atexit(finalize);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    return mpi_size;
}

int cli_mpi_rank(void)
{
    return mpi_rank;
}

/* Its length (-1: none), then its bytes. */
void cli_mpi_share_campaign(const char *text)
{
    long long len = text ? (long long) strlen(text) : -1;
    MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (len > 0)
        MPI_Bcast((void *) text, (int) len, MPI_CHAR, 0, MPI_COMM_WORLD);
}

static char *receive_campaign(void)
{
    long long len;
    MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (len < 0 || len > (1LL << 30))
        return NULL;
    char *text = malloc((size_t) len + 1);
    if (text == NULL)
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAIL);
    MPI_Bcast(text, (int) len, MPI_CHAR, 0, MPI_COMM_WORLD);
    text[len] = '\0';
    return text;
}

/* Waits for a message (source, tag) without spinning: OpenMPI's blocking
 * calls poll at full speed, which takes a core from the workers when rank
 * 0 shares a node with them (and on an oversubscribed node from everyone).
 * The sleep grows from 20 us to 200 us while nothing comes (a worker
 * computes a screen in about 1 ms: a longer sleep would leave it idle). */
static void wait_message(int source, int tag, MPI_Status *s)
{
    long ns = 20000;
    for (;;) {
        int flag = 0;
        MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, s);
        if (flag)
            return;
        struct timespec ts = {0, ns};
        nanosleep(&ts, NULL);
        if (ns < 200000)
            ns *= 2;
    }
}

static int mpi_send(void *ctx, int w, const pc_search_task *t, pc_error_t err)
{
    (void) ctx;
    long long m[2] = {(long long) t->kind, (long long) t->idx};
    if (MPI_Send(m, 2, MPI_LONG_LONG, w + 1, TAG_TASK, MPI_COMM_WORLD) != MPI_SUCCESS)
        return pc_error_set(err, PC_ERR_IO, "search: MPI: cannot send to rank %d", w + 1);
    return PC_OK;
}

static int mpi_recv(void *ctx, int *w, pc_search_buf *msg, pc_error_t err)
{
    (void) ctx;
    MPI_Status s;
    int count;
    wait_message(MPI_ANY_SOURCE, TAG_RESULT, &s);
    if (MPI_Get_count(&s, MPI_BYTE, &count) != MPI_SUCCESS || count < 0)
        return pc_error_set(err, PC_ERR_IO, "search: MPI: cannot receive a result");
    if (msg->alloc < (size_t) count + 1) {
        unsigned char *d = realloc(msg->data, (size_t) count + 1);
        if (d == NULL)
            return pc_error_set(err, PC_ERR_MEMORY, "search: out of memory");
        msg->data = d;
        msg->alloc = (size_t) count + 1;
    }
    if (MPI_Recv(msg->data, count, MPI_BYTE, s.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return pc_error_set(err, PC_ERR_IO, "search: MPI: cannot receive from rank %d",
                            s.MPI_SOURCE);
    msg->len = (size_t) count;
    *w = s.MPI_SOURCE - 1;
    return PC_OK;
}

void cli_mpi_transport(pc_search_transport *tr)
{
    tr->workers = mpi_size - 1;
    tr->ctx = NULL;
    tr->send = mpi_send;
    tr->recv = mpi_recv;
    /* four tasks queued per rank: rank 0 sleeps between probes and may sit
     * on another node, so a worker must not run dry while it waits */
    tr->depth = 4;
}

void cli_mpi_stop_workers(void)
{
    long long m[2] = {PC_TASK_STOP, 0};
    for (int r = 1; r < mpi_size; r++)
        MPI_Send(m, 2, MPI_LONG_LONG, r, TAG_TASK, MPI_COMM_WORLD);
}

void cli_mpi_abort(int code)
{
    fflush(stdout);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
}

int cli_mpi_worker(const pc_search_run_opts *o)
{
    char *text = receive_campaign();
    if (text == NULL)
        return CLI_EXIT_OK;     /* rank 0 said why */
    pc_campaign_t c;
    pc_error_t err;
    pc_campaign_init(c);
    if (pc_campaign_load_string(c, text, "campaign (from rank 0)", err) != PC_OK) {
        /* rank 0 loaded the same text: this cannot happen but must not hang */
        fprintf(stderr, "%s\n", err->msg);
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAIL);
    }
    free(text);
    pc_search_buf out;
    pc_search_buf_init(&out);
    for (;;) {
        long long m[2];
        MPI_Status s;
        wait_message(0, TAG_TASK, &s);
        MPI_Recv(m, 2, MPI_LONG_LONG, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (m[0] == PC_TASK_STOP)
            break;
        pc_search_task t = {m[0], m[1]};
        out.len = 0;
        if (pc_search_work(&out, c, &t, o) != PC_OK || out.len > (size_t) 2147483647)
            MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAIL);
        MPI_Send(out.data, (int) out.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    pc_search_buf_clear(&out);
    pc_campaign_clear(c);
    return CLI_EXIT_OK;
}
