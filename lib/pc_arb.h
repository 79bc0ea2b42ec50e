/* Arb ball arithmetic, wherever this system keeps it: inside FLINT 3
 * (flint/arb.h) or as the separate Arb 2 library (arb.h). Decided by the
 * preprocessor so that the installed headers need no config.h. */
#ifndef PC_ARB_H
#define PC_ARB_H

#if defined(__has_include)
# if __has_include(<flint/arb.h>)
#  include <flint/arb.h>
#  include <flint/arb_mat.h>
# else
#  include <arb.h>
#  include <arb_mat.h>
# endif
#else
# include <arb.h>
# include <arb_mat.h>
#endif
#include <flint/fmpq.h>
#include <flint/fmpz.h>

#endif
