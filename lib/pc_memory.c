#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "pc_memory.h"

double pc_memory_ball_bytes(slong prec)
{
    double b = sizeof(arb_struct);
    /* an arf keeps up to 2 limbs inline; a longer midpoint (at most
     * ceil(prec/64) limbs after rounding; one more for safety) is a heap
     * block, rounded up to 16 bytes with a 16-byte header */
    if (prec > 2 * FLINT_BITS) {
        double limbs = ceil((double) prec / FLINT_BITS) + 1;
        b += 16 + 16 * ceil(limbs * sizeof(mp_limb_t) / 16);
    }
    return b;
}

/* Per thread: another thread's allocation failing while this one tries
 * must still end the program (the allocator asks pc_memory_trying). */
static _Thread_local int trying;

int pc_memory_trying(void)
{
    return trying;
}

void *pc_memory_try_alloc(double bytes)
{
    void *(*alloc)(size_t), *(*calloc_)(size_t, size_t), *(*realloc_)(void *, size_t);
    void (*free_)(void *);
    if (!(bytes >= 0) || bytes > (double) (SIZE_MAX / 2))
        return NULL;
    __flint_get_memory_functions(&alloc, &calloc_, &realloc_, &free_);
    trying = 1;
    void *p = alloc(bytes > 0 ? (size_t) bytes : 1);
    trying = 0;
    return p;
}

arb_ptr pc_memory_vec_try_init(slong n)
{
    arb_ptr v = pc_memory_try_alloc((double) n * sizeof(arb_struct));
    for (slong i = 0; v != NULL && i < n; i++)
        arb_init(v + i);
    return v;
}

int pc_memory_available(double bytes)
{
    void *p = pc_memory_try_alloc(bytes);
    if (p == NULL)
        return 0;
    flint_free(p);
    return 1;
}

double pc_memory_physical(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double) pages * size : 0;
}

double pc_memory_default_limit(void)
{
    double phys = pc_memory_physical(), lim = phys > 0 ? phys / 2 : 8.0 * (1 << 30);
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY
        && 0.9 * (double) r.rlim_cur < lim)
        lim = 0.9 * (double) r.rlim_cur;
    return lim;
}

int pc_memory_parse_size(double *bytes, const char *s)
{
    static const char units[] = "kmgt";
    char *end;
    if (s == NULL || !(*s >= '0' && *s <= '9'))
        return -1;
    double v = strtod(s, &end);
    const char *u = end[0] != '\0' ? strchr(units, end[0] | 0x20) : NULL;
    if (u != NULL) {
        v *= pow(1024, (double) (u - units + 1));
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
    }
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end != '\0' || !(v >= 1) || !isfinite(v))
        return -1;
    *bytes = v;
    return 0;
}

void pc_memory_format(char *buf, size_t len, double bytes)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f bytes", bytes);
    else
        snprintf(buf, len, "%.3g %s", bytes, unit[u]);
}
