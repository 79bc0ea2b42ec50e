/* Number backend "d": instantiates the generic formulas (pc_model_generic.h)
 * in IEEE double. NOT RIGOROUS: for previews and screening only. A double is
 * handled through a pointer, as an arb_t is, so that one text serves both.
 * Internal header. */
#include <math.h>

#define NUM double
#define PC_SFX(name) name##_d
#define PREC_DECL
#define PC_MODEL_T pc_model_d_struct
#define PREC_ARG

#define N_INIT(x) ((void) (x))
#define N_CLEAR(x) ((void) (x))
#define N_VEC_INIT(n) ((double *) calloc((size_t) (n) > 0 ? (size_t) (n) : 1, sizeof(double)))
#define N_VEC_CLEAR(v, n) ((void) (n), free(v))
#define N_SET(z, x) (*(z) = *(x))
#define N_ZERO(z) (*(z) = 0.0)
#define N_ONE(z) (*(z) = 1.0)
#define N_SET_SI(z, c) (*(z) = (double) (c))
#define N_ADD(z, x, y) (*(z) = *(x) + *(y))
#define N_SUB(z, x, y) (*(z) = *(x) - *(y))
#define N_MUL(z, x, y) (*(z) = *(x) * *(y))
#define N_ADDMUL(z, x, y) (*(z) += *(x) * *(y))
#define N_SUBMUL(z, x, y) (*(z) -= *(x) * *(y))
#define N_DIV(z, x, y) (*(z) = *(x) / *(y))
#define N_NEG(z, x) (*(z) = -*(x))
#define N_MUL_2EXP(z, x, e) (*(z) = ldexp(*(x), (e)))
#define N_EXP(z, x) (*(z) = exp(*(x)))
#define N_LOG(z, x) (*(z) = log(*(x)))
#define N_LOG1P(z, x) (*(z) = log1p(*(x)))
#define N_MID_POSITIVE(x) (*(x) > 0)
#define N_SHIFT_MAX(m, v, len) (*(m) = _pc_d_vec_max(v, len))

static double _pc_d_vec_max(const double *v, long len)
{
    double m = v[0];
    for (long i = 1; i < len; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

#define N_ARGMAX(v, len) _pc_d_vec_argmax(v, len)

static long _pc_d_vec_argmax(const double *v, long len)
{
    long m = 0;
    for (long i = 1; i < len; i++)
        if (v[i] > v[m])
            m = i;
    return m;
}
