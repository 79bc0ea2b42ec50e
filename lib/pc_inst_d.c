/* The model's formulas in double: NOT RIGOROUS (see pc_model_generic.h). */
#include <stdlib.h>
#include "pc_model.h"
#include "pc_reduced.h"
#include "pc_num_d.h"
/* The generic text declares arb_t/pc_model_*_t parameters as pointers (the
 * type they decay to); GCC would warn that the spelling differs. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
# pragma GCC diagnostic ignored "-Warray-parameter"
#endif
#include "pc_model_generic.h"
