/* Status codes and error messages. The library never prints or exits: every
 * fallible function returns one of these codes and, where it takes a
 * pc_error_t, fills in a message "source: field: what is wrong". */
#ifndef PC_STATUS_H
#define PC_STATUS_H

#include <stddef.h>

typedef enum {
    PC_OK = 0,
    PC_ERR_INPUT,       /* malformed or invalid input data */
    PC_ERR_IO,          /* a file could not be read or written */
    PC_ERR_MEMORY,      /* an allocation failed */
    PC_ERR_DOMAIN,      /* a value left the domain of a formula (e.g. log of a ball containing 0) */
    PC_ERR_PRECISION,   /* enclosures became too wide to continue */
    PC_ERR_NUMERIC,     /* a float computation produced NaN/Inf or a step size underflow */
    PC_ERR_LIMIT,       /* a configured limit (steps, size) was reached */
    PC_ERR_UNSUPPORTED  /* the operation does not apply to this problem */
} pc_status;

#define PC_ERROR_LEN 1024

typedef struct {
    char msg[PC_ERROR_LEN];
} pc_error_struct;
typedef pc_error_struct pc_error_t[1];

/* A short English name of a status code ("input error", ...). */
const char *pc_status_str(int status);

/* Formats a message into err (which may be NULL) and returns status. */
int pc_error_set(pc_error_struct *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
