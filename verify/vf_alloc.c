/* vf_alloc.c — allocations that never return NULL: an allocation that fails ends the
 * checker with a message and exit status 2 (the certificate is then neither verified
 * nor rejected), instead of a crash on a NULL pointer.  Installed for GMP, MPFR, MPFI
 * (which would otherwise abort) and jansson too (vf_alloc_install).  The resource limits
 * (vf_limits.c) refuse oversized certificates before they allocate; this is the net
 * under them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vf.h"

static void vf_out_of_memory(size_t n)
{
    char buf[200];
    int len = snprintf(buf, sizeof buf, "polarcert-verify: out of memory (an allocation of "
                       "%zu bytes failed); lower --max-memory so that such a certificate is "
                       "refused before checking starts\n", n);
    if (len > 0 && write(STDERR_FILENO, buf, (size_t)len) < 0)
        len = 0;
    _exit(2);
}

void *vf_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        vf_out_of_memory(n);
    return p;
}

void *vf_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        vf_out_of_memory(SIZE_MAX);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        vf_out_of_memory(n * size);
    return p;
}

void *vf_realloc(void *q, size_t n)
{
    void *p = realloc(q, n ? n : 1);
    if (!p)
        vf_out_of_memory(n);
    return p;
}

static void *gmp_realloc(void *q, size_t old, size_t n)
{
    (void)old;
    return vf_realloc(q, n);
}

static void gmp_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

void vf_alloc_install(void)
{
    mp_set_memory_functions(vf_malloc, gmp_realloc, gmp_free);
    json_set_alloc_funcs(vf_malloc, free);
}

char *vf_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(vf_malloc(n), s, n);
}
