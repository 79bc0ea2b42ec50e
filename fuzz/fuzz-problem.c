/* libFuzzer target: the problem loader (lib/pc_problem.c) on arbitrary text,
 * and the data hash of whatever it accepts. Built and run by fuzz/run.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pc_problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    pc_problem_t p;
    pc_error_t err;
    pc_problem_init(p);
    if (pc_problem_load_string(p, text, "fuzz", err) == PC_OK) {
        char hex[65];
        pc_problem_data_sha256(hex, p);
        if (p->name == NULL || strlen(hex) != 64)
            abort();                    /* the loader's promises */
    } else if (err->msg[0] == '\0')
        abort();                        /* a refusal always says why */
    pc_problem_clear(p);
    free(text);
    return 0;
}
