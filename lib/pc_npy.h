/* numpy arrays (.npy, and .npz archives of them) read as exact rationals.
 *
 * Guarantee: every float64 or float32 entry becomes exactly the dyadic
 * rational its bits denote (sign · mantissa · 2^exponent, subnormals
 * included, −0 as 0); nothing is rounded. NaN and ±Inf are refused.
 *
 * Accepted: format versions 1.0, 2.0 and 3.0; dtypes '<f8', '>f8', '<f4',
 * '>f4'; C and Fortran order; any shape of at most PC_NPY_MAX_NDIM axes.
 * Everything else is refused with PC_ERR_INPUT and a message
 * "source: what is wrong": bad magic, unknown version, a header that is not
 * numpy's dict literal, other dtypes (integers, complex, float16,
 * structured, object arrays '|O'), truncated or over-long data, sizes
 * beyond PC_NPY_MAX_BYTES. Archives (.npz, zip) are read with libzip; the
 * uncompressed size an entry declares is checked against PC_NPY_MAX_BYTES
 * BEFORE it is inflated, and inflation never writes past it (zip bombs). */
#ifndef PC_NPY_H
#define PC_NPY_H

#include <stddef.h>
#include "pc_arb.h"
#include "pc_status.h"

#define PC_NPY_MAX_NDIM 8
/* 4 Mi float64 entries plus a header: beyond PC_PROBLEM_MAX_STATE anyway. */
#define PC_NPY_MAX_BYTES (((size_t) 1 << 25) + ((size_t) 1 << 16))

typedef struct {
    slong ndim;
    slong shape[PC_NPY_MAX_NDIM];
    slong len;          /* the product of shape (1 for a 0-d array) */
    int itemsize;       /* 8 (float64) or 4 (float32) */
    int big_endian;
    int fortran;        /* the file's order; v is always in C order */
    fmpq *v;            /* len entries in C (row-major) order, exact */
} pc_npy_struct;
typedef pc_npy_struct pc_npy_t[1];

void pc_npy_init(pc_npy_t A);
void pc_npy_clear(pc_npy_t A);

/* Parses the bytes of a .npy file; source names it in messages. On
 * failure A is left empty (as after init). */
int pc_npy_parse(pc_npy_t A, const unsigned char *buf, size_t len, const char *source,
                 pc_error_t err);

/* Reads a .npy file. PC_ERR_IO if it cannot be read. */
int pc_npy_load_file(pc_npy_t A, const char *path, pc_error_t err);

/* The exact rational denoted by the IEEE binary64 (itemsize 8) or binary32
 * (itemsize 4) number stored in bytes p in the given byte order: PC_OK, or
 * PC_ERR_INPUT for NaN and Inf. */
int pc_npy_float_to_fmpq(fmpq_t x, const unsigned char *p, int itemsize, int big_endian);

/* The names of the arrays in a .npz archive (without ".npy"), as a
 * NULL-terminated list that the caller frees with pc_npz_names_free. */
int pc_npz_names(char ***names, const char *path, pc_error_t err);
void pc_npz_names_free(char **names);

/* Reads the array `name` (the entry name.npy) of a .npz archive. Returns
 * PC_ERR_INPUT ("path: name: no such array") if it is absent. */
int pc_npz_load(pc_npy_t A, const char *path, const char *name, pc_error_t err);

#endif
