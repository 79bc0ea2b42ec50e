/* The messages from a worker to the writer (pc_search_run.h): one encoding
 * for forked workers and MPI ranks alike. */
#include <stdlib.h>
#include <string.h>
#include "pc_search_run.h"

enum { MSG_ERROR = 3 };

void pc_search_buf_init(pc_search_buf *b)
{
    b->data = NULL;
    b->len = b->alloc = 0;
}

void pc_search_buf_clear(pc_search_buf *b)
{
    free(b->data);
    pc_search_buf_init(b);
}

static int put(pc_search_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->alloc) {
        size_t a = b->alloc ? b->alloc : 256;
        while (a < b->len + n)
            a *= 2;
        unsigned char *d = realloc(b->data, a);
        if (d == NULL)
            return PC_ERR_MEMORY;
        b->data = d;
        b->alloc = a;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return PC_OK;
}

static int put_u64(pc_search_buf *b, uint64_t x)
{
    unsigned char c[8];
    for (int k = 0; k < 8; k++)
        c[k] = (unsigned char) (x >> (8 * k));
    return put(b, c, 8);
}

static int put_f64(pc_search_buf *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    return put_u64(b, u);
}

/* A string or a blob: its length + 1 (0 for NULL), then its bytes. */
static int put_bytes(pc_search_buf *b, const char *s, size_t n)
{
    int st = put_u64(b, s ? (uint64_t) n + 1 : 0);
    return st == PC_OK && s ? put(b, s, n) : st;
}

static int put_str(pc_search_buf *b, const char *s)
{
    return put_bytes(b, s, s ? strlen(s) : 0);
}

void pc_search_result_init(pc_search_result *r)
{
    memset(r, 0, sizeof *r);
    pc_confirm_result_init(&r->confirm);
}

void pc_search_result_clear(pc_search_result *r)
{
    pc_confirm_result_clear(&r->confirm);
    pc_search_result_init(r);
}

int pc_search_encode(pc_search_buf *out, const pc_search_result *r)
{
    int st = put_u64(out, (uint64_t) r->kind);
    st |= put_u64(out, (uint64_t) r->idx);
    if (r->kind == PC_TASK_SCREEN) {
        const pc_screen_result *s = &r->screen;
        st |= put_u64(out, (uint64_t) s->status);
        st |= put_f64(out, s->score);
        st |= put_str(out, s->target);
        st |= put_str(out, s->reason);
        st |= put_f64(out, s->seconds);
    } else if (r->kind == PC_TASK_CONFIRM) {
        const pc_confirm_result *c = &r->confirm;
        st |= put_u64(out, (uint64_t) c->confirmed);
        st |= put_u64(out, (uint64_t) c->verdict);
        st |= put_str(out, c->reason);
        st |= put_str(out, c->claims);
        st |= put_bytes(out, c->cert, c->cert_len);
        st |= put_str(out, c->cert_sha256);
        st |= put_f64(out, c->seconds);
        st |= put_str(out, r->verify.verdict);
        st |= put_str(out, r->verify.message);
        st |= put_f64(out, r->verify.seconds);
    } else {
        st |= put_u64(out, (uint64_t) r->status);
        st |= put_str(out, r->msg);
    }
    return st == PC_OK ? PC_OK : PC_ERR_MEMORY;
}

typedef struct {
    const unsigned char *p;
    size_t left;
    int bad;
} reader;

static uint64_t get_u64(reader *rd)
{
    uint64_t x = 0;
    if (rd->left < 8) {
        rd->bad = 1;
        return 0;
    }
    for (int k = 0; k < 8; k++)
        x |= (uint64_t) rd->p[k] << (8 * k);
    rd->p += 8;
    rd->left -= 8;
    return x;
}

static double get_f64(reader *rd)
{
    uint64_t u = get_u64(rd);
    double x;
    memcpy(&x, &u, 8);
    return x;
}

/* A length-prefixed field: a pointer into the message and its length, or
 * NULL for an absent one. */
static const char *get_field(reader *rd, size_t *n)
{
    uint64_t l = get_u64(rd);
    *n = 0;
    if (rd->bad || l == 0)
        return NULL;
    if (l - 1 > rd->left) {
        rd->bad = 1;
        return NULL;
    }
    const char *s = (const char *) rd->p;
    *n = (size_t) (l - 1);
    rd->p += *n;
    rd->left -= *n;
    return s;
}

/* Into a fixed array, truncated (the fields are one-line texts). */
static void get_fixed(reader *rd, char *dst, size_t cap)
{
    size_t n;
    const char *s = get_field(rd, &n);
    if (n >= cap)
        n = cap - 1;
    if (s)
        memcpy(dst, s, n);
    dst[s ? n : 0] = '\0';
    if (s && memchr(dst, '\0', n))
        rd->bad = 1;
}

/* A malloc'd copy with a terminating zero, or NULL for an absent field. */
static char *get_alloc(reader *rd, size_t *len, int *nomem)
{
    size_t n;
    const char *s = get_field(rd, &n);
    if (s == NULL)
        return NULL;
    char *d = malloc(n + 1);
    if (d == NULL) {
        *nomem = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    if (len)
        *len = n;
    return d;
}

int pc_search_decode(pc_search_result *r, const unsigned char *data, size_t len,
                     pc_error_t err)
{
    reader rd = {data, len, 0};
    int nomem = 0;
    pc_search_result_clear(r);
    r->kind = (int) get_u64(&rd);
    r->idx = (slong) get_u64(&rd);
    if (r->kind == PC_TASK_SCREEN) {
        pc_screen_result *s = &r->screen;
        uint64_t status = get_u64(&rd);
        if (status > PC_SCREEN_FAILED)
            rd.bad = 1;
        s->status = (pc_screen_status) status;
        s->score = get_f64(&rd);
        get_fixed(&rd, s->target, sizeof s->target);
        get_fixed(&rd, s->reason, sizeof s->reason);
        s->seconds = get_f64(&rd);
    } else if (r->kind == PC_TASK_CONFIRM) {
        pc_confirm_result *c = &r->confirm;
        c->confirmed = (int) get_u64(&rd);
        c->verdict = (int) get_u64(&rd);
        get_fixed(&rd, c->reason, sizeof c->reason);
        c->claims = get_alloc(&rd, NULL, &nomem);
        c->cert = get_alloc(&rd, &c->cert_len, &nomem);
        get_fixed(&rd, c->cert_sha256, sizeof c->cert_sha256);
        c->seconds = get_f64(&rd);
        get_fixed(&rd, r->verify.verdict, sizeof r->verify.verdict);
        get_fixed(&rd, r->verify.message, sizeof r->verify.message);
        r->verify.seconds = get_f64(&rd);
    } else if (r->kind == MSG_ERROR) {
        r->status = (int) get_u64(&rd);
        get_fixed(&rd, r->msg, sizeof r->msg);
    } else
        rd.bad = 1;
    if (nomem)
        return pc_error_set(err, PC_ERR_MEMORY, "worker message: out of memory");
    if (rd.bad || rd.left != 0 || r->idx < 0)
        return pc_error_set(err, PC_ERR_INPUT, "worker message: damaged (%zu bytes)", len);
    return PC_OK;
}
