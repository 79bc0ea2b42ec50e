/* libFuzzer target: the checker's certificate reader (verify/vf_cert.c: the
 * structure, every number, the hashes) and its exact checks that need no
 * numerics (times, claims, lemmas, the system's applicability). The checker
 * ends on bad input with exit(2) or exit(1); here vf_exit jumps back
 * instead, and the JSON tree is freed (the rest of a half-read certificate
 * leaks, so run.sh runs this target with detect_leaks=0). */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include "vf.h"

static jmp_buf back;

static void fuzz_exit(int status)
{
    longjmp(back, status + 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    vf_exit = fuzz_exit;
    vf_file = "fuzz";
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vf_cert c;
    json_error_t err;
    json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL)
        return 0;
    if (setjmp(back) == 0) {
        vf_cert_read(&c, root);
        vf_cert_check_times(&c);
        vf_system_check(&c);
        vf_cert_free(&c);
    } else
        json_decref(c.root);
    return 0;
}
