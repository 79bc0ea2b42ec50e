/* Importing numpy initialisations: arrays from .npy / .npz files
 * (pc_npy.h) become a problem (format polarcert-problem/1,
 * tests/cases/README.md) with every number the exact rational the float
 * denotes, written as "p/q" (or an integer) and never re-rounded. */
#ifndef PC_IMPORT_H
#define PC_IMPORT_H

#include <jansson.h>
#include "pc_problem.h"

/* The arrays of a problem, by role. */
enum { PC_IMPORT_V = 0, PC_IMPORT_A, PC_IMPORT_BETA, PC_IMPORT_Q, PC_IMPORT_X, PC_IMPORT_B,
       PC_IMPORT_ROLES };

typedef struct {
    pc_loss_kind loss;              /* default logistic */
    const char *name;               /* default: the first file's base name */
    const char *T;                  /* the horizon, an exact number string; default "100" */
    const char *note;               /* NULL: a note naming the source files */
    const char *array[PC_IMPORT_ROLES];  /* array names; default V, a, beta, q, X, b */
} pc_import_opts;

void pc_import_opts_default(pc_import_opts *o);

/* Builds the problem from the arrays the loss needs (V (d, n), a (n,), and
 * beta (d,) / q (d,) / X (m, d) and b (m,)), looked up in the files in
 * order: an .npz contributes its arrays by name, a .npy file the array
 * named by its base name (V.npy is "V"). The result is validated by the
 * problem loader (pc_problem_load_string) before it is returned.
 * Returns PC_OK with *problem a new JSON object, or PC_ERR_INPUT / PC_ERR_IO
 * with err "file: array: what is wrong". */
int pc_import(json_t **problem, const char *const *files, slong nfiles,
              const pc_import_opts *o, pc_error_t err);

#endif
