/* Local workers of a search: forked processes, one socket pair each
 * (pc_search_run.h). A task is 16 bytes; a result is its length (8 bytes,
 * little-endian) and its encoding. The sockets are sent on with
 * MSG_NOSIGNAL, so a worker that died is an error message, not a SIGPIPE. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pc_search_run.h"

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t) k;
    }
    return 0;
}

/* 0 on success, 1 at end of file before the first byte, -1 otherwise. */
static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, c + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return got == 0 && k == 0 ? 1 : -1;
        got += (size_t) k;
    }
    return 0;
}

static void put_le(unsigned char *b, uint64_t x)
{
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char) (x >> (8 * k));
}

static uint64_t get_le(const unsigned char *b)
{
    uint64_t x = 0;
    for (int k = 0; k < 8; k++)
        x |= (uint64_t) b[k] << (8 * k);
    return x;
}

/* A worker: tasks in, results out, until its socket closes. It never
 * returns (_exit: no atexit handlers or stdio buffers of the parent). */
__attribute__((noreturn)) static void worker_loop(int fd, const pc_campaign_t c, const pc_search_run_opts *o)
{
    pc_search_buf out;
    pc_search_buf_init(&out);
    for (;;) {
        unsigned char tb[16];
        if (read_all(fd, tb, 16) != 0)
            _exit(0);
        pc_search_task t = {(int64_t) get_le(tb), (int64_t) get_le(tb + 8)};
        if (t.kind == PC_TASK_STOP)
            _exit(0);
        out.len = 0;
        if (pc_search_work(&out, c, &t, o) != PC_OK)
            _exit(1);
        unsigned char lb[8];
        put_le(lb, out.len);
        if (write_all(fd, lb, 8) != 0)
            _exit(1);
        if (write_all(fd, out.data, out.len) != 0)
            _exit(1);
    }
}

int pc_search_pool_start(pc_search_pool *P, int workers, const pc_campaign_t c,
                         const pc_search_run_opts *o, pc_error_t err)
{
    P->workers = 0;
    P->fd = malloc((size_t) workers * sizeof(int));
    P->pid = malloc((size_t) workers * sizeof(int));
    if (P->fd == NULL || P->pid == NULL) {
        pc_search_pool_stop(P);
        return pc_error_set(err, PC_ERR_MEMORY, "search: out of memory");
    }
    for (int w = 0; w < workers; w++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
            int e = errno;
            pc_search_pool_stop(P);
            return pc_error_set(err, PC_ERR_IO, "search: cannot start workers: %s", strerror(e));
        }
        pid_t pid = fork();
        if (pid < 0) {
            int e = errno;
            close(sv[0]);
            close(sv[1]);
            pc_search_pool_stop(P);
            return pc_error_set(err, PC_ERR_IO, "search: cannot start workers: %s", strerror(e));
        }
        if (pid == 0) {
            /* only its own socket: the others' ends would keep them open */
            for (int k = 0; k < w; k++)
                close(P->fd[k]);
            close(sv[0]);
            worker_loop(sv[1], c, o);
        }
        close(sv[1]);
        P->fd[w] = sv[0];
        P->pid[w] = (int) pid;
        P->workers = w + 1;
    }
    return PC_OK;
}

static int pool_send(void *ctx, int w, const pc_search_task *t, pc_error_t err)
{
    pc_search_pool *P = ctx;
    unsigned char tb[16];
    put_le(tb, (uint64_t) t->kind);
    put_le(tb + 8, (uint64_t) t->idx);
    if (write_all(P->fd[w], tb, 16) != 0)
        return pc_error_set(err, PC_ERR_IO, "search: worker %d (pid %d) has ended", w, P->pid[w]);
    return PC_OK;
}

static int pool_recv(void *ctx, int *w, pc_search_buf *msg, pc_error_t err)
{
    pc_search_pool *P = ctx;
    struct pollfd *pf = calloc((size_t) P->workers, sizeof *pf);
    if (pf == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "search: out of memory");
    for (int k = 0; k < P->workers; k++) {
        pf[k].fd = P->fd[k];
        pf[k].events = POLLIN;
    }
    int r;
    while ((r = poll(pf, (nfds_t) P->workers, -1)) < 0 && errno == EINTR)
        ;
    int got = -1;
    for (int k = 0; k < P->workers && r > 0 && got < 0; k++)
        if (pf[k].revents)
            got = k;
    free(pf);
    if (got < 0)
        return pc_error_set(err, PC_ERR_IO, "search: waiting for the workers: %s", strerror(errno));
    *w = got;
    unsigned char lb[8];
    int rr = read_all(P->fd[got], lb, 8);
    uint64_t len = rr == 0 ? get_le(lb) : 0;
    if (rr == 0 && len > ((uint64_t) 1 << 34))
        rr = -1;
    if (rr == 0) {
        msg->len = 0;
        if (msg->alloc < len) {
            unsigned char *d = realloc(msg->data, (size_t) len);
            if (d == NULL)
                return pc_error_set(err, PC_ERR_MEMORY, "search: out of memory");
            msg->data = d;
            msg->alloc = (size_t) len;
        }
        rr = read_all(P->fd[got], msg->data, (size_t) len);
        msg->len = (size_t) len;
    }
    if (rr != 0)
        return pc_error_set(err, PC_ERR_IO, "search: worker %d (pid %d) ended without its "
                            "result", got, P->pid[got]);
    return PC_OK;
}

void pc_search_pool_transport(pc_search_transport *tr, pc_search_pool *P)
{
    tr->workers = P->workers;
    tr->ctx = P;
    tr->send = pool_send;
    tr->recv = pool_recv;
    tr->depth = 0;
}

void pc_search_pool_stop(pc_search_pool *P)
{
    for (int w = 0; w < P->workers; w++)
        close(P->fd[w]);
    for (int w = 0; w < P->workers; w++) {
        int status;
        /* a worker in the middle of a task ends at its next write */
        kill(P->pid[w], SIGTERM);
        while (waitpid(P->pid[w], &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(P->fd);
    free(P->pid);
    P->fd = NULL;
    P->pid = NULL;
    P->workers = 0;
}
