/* The model's formulas in Arb balls (see pc_model_generic.h). */
#include "pc_model.h"
#include "pc_reduced.h"
#include "pc_num_arb.h"
/* The generic text declares arb_t/pc_model_*_t parameters as pointers (the
 * type they decay to); GCC would warn that the spelling differs. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
# pragma GCC diagnostic ignored "-Warray-parameter"
#endif
#include "pc_model_generic.h"
