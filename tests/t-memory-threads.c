/* pc_memory_trying is per thread. A program's allocator ends the program on
 * a failed allocation unless pc_memory_trying() says the library is trying
 * one it can refuse (src/cli_memory.c). With one flag for the process, a
 * thread inside pc_memory_try_alloc would make a failed allocation of any
 * other thread return NULL into FLINT, which cannot take it.
 *
 * The allocator installed here holds thread A inside pc_memory_try_alloc
 * (at the allocation of GATED bytes) until the main thread has read the
 * flag: A must see it set, the main thread clear, during the same moment. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include "polarcert.h"

#define GATED 12345

static pthread_barrier_t gate;
static _Thread_local int is_a;          /* set in thread A only */
static int a_saw = -1, a_got;           /* written by A before the join */

static void *gate_malloc(size_t n)
{
    if (n == GATED && is_a) {
        a_saw = pc_memory_trying();
        pthread_barrier_wait(&gate);    /* A is inside pc_memory_try_alloc */
        pthread_barrier_wait(&gate);    /* the main thread has looked */
    }
    return malloc(n);
}

static void *gate_calloc(size_t n, size_t size)
{
    return calloc(n, size);
}

static void *gate_realloc(void *p, size_t n)
{
    return realloc(p, n);
}

static void *thread_a_run(void *arg)
{
    is_a = 1;
    void *p = pc_memory_try_alloc(GATED);
    a_got = p != NULL;
    flint_free(p);
    return arg;
}

START_TEST(test_trying_per_thread)
{
    __flint_set_memory_functions(gate_malloc, gate_calloc, gate_realloc, free);
    pthread_t a;
    ck_assert_int_eq(pthread_barrier_init(&gate, NULL, 2), 0);
    ck_assert_int_eq(pthread_create(&a, NULL, thread_a_run, NULL), 0);
    pthread_barrier_wait(&gate);
    int main_saw = pc_memory_trying();
    pthread_barrier_wait(&gate);
    ck_assert_int_eq(pthread_join(a, NULL), 0);
    ck_assert_int_eq(a_got, 1);
    ck_assert_int_eq(a_saw, 1);         /* A, inside the try, sees it */
    ck_assert_int_eq(main_saw, 0);      /* the other thread does not */
    ck_assert_int_eq(pc_memory_trying(), 0);
    pthread_barrier_destroy(&gate);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("memory-threads");
    TCase *tc = tcase_create("trying");
    tcase_add_test(tc, test_trying_per_thread);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
