#include <stdarg.h>
#include <stdio.h>
#include "pc_status.h"

const char *pc_status_str(int status)
{
    switch (status) {
    case PC_OK: return "ok";
    case PC_ERR_INPUT: return "input error";
    case PC_ERR_IO: return "i/o error";
    case PC_ERR_MEMORY: return "out of memory";
    case PC_ERR_DOMAIN: return "domain error";
    case PC_ERR_PRECISION: return "enclosures too wide";
    case PC_ERR_NUMERIC: return "floating-point failure";
    case PC_ERR_LIMIT: return "limit reached";
    case PC_ERR_UNSUPPORTED: return "not supported for this problem";
    default: return "unknown status";
    }
}

int pc_error_set(pc_error_struct *err, int status, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}
