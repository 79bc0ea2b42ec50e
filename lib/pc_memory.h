/* Memory of a run: the size model of a ball, allocations that fail with a
 * status instead of aborting, and the machine's memory, so that a run
 * that cannot fit is refused before it starts (pc_enclose_check_memory)
 * rather than killed by an abort in the middle.
 *
 * The estimates of the modules (pc_taylor_memory, pc_lohner_memory,
 * pc_flow_memory, pc_enclose_memory) are upper bounds of what their
 * allocations take, written next to those allocations; each must follow
 * them when they change (tests/t-memory.c compares the estimate with what
 * a small run really allocates). They are doubles: the sizes of
 * problems that must be refused overflow 64 bits only in double's range. */
#ifndef PC_MEMORY_H
#define PC_MEMORY_H

#include <stddef.h>
#include "pc_arb.h"

/* An upper bound of the bytes one arb_t takes when it holds a result at
 * prec bits: the struct, and the limbs of a midpoint longer than the two
 * stored inline, with the allocator's overhead. */
double pc_memory_ball_bytes(slong prec);

/* What FLINT's allocator would do, but NULL on failure instead of an
 * abort (flint_malloc aborts). Free with flint_free. */
void *pc_memory_try_alloc(double bytes);

/* Nonzero while pc_memory_try_alloc, in the calling thread, calls FLINT's
 * allocation function: a program that installs its own
 * (__flint_set_memory_functions) and ends on a failed allocation should
 * return NULL instead while this is set, so that the library can refuse
 * with PC_ERR_MEMORY. The flag is per thread (tests/t-memory-threads.c). */
int pc_memory_trying(void);

/* _arb_vec_init(n) or NULL if the memory is not there; clear the vector
 * with _arb_vec_clear as usual. */
arb_ptr pc_memory_vec_try_init(slong n);

/* Whether a block of this many bytes can be allocated right now (it is
 * allocated and freed): for the dense matrices that FLINT allocates
 * itself. */
int pc_memory_available(double bytes);

/* Physical memory of the machine (sysconf), or 0 if unknown. */
double pc_memory_physical(void);

/* The default limit of a run: half of the physical memory, and at most
 * 90 % of the address-space limit (ulimit -v) if one is set; 8 GiB if
 * neither is known. */
double pc_memory_default_limit(void);

/* Parses a size "2G", "512M", "64k", "1.5G" or a plain number of bytes
 * (binary units: k = 1024; an optional trailing "B"/"iB" is accepted).
 * Returns 0 and sets *bytes, or -1 if s is not such a size or is <= 0. */
int pc_memory_parse_size(double *bytes, const char *s);

/* bytes as "12.8 GiB" (binary units, 3 significant digits) into buf. */
void pc_memory_format(char *buf, size_t len, double bytes);

#endif
