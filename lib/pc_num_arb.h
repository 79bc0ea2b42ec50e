/* Number backend "arb": instantiates the generic formulas (pc_model_generic.h)
 * in Arb balls. Every operation is an Arb function, so every result ball
 * contains the exact result of the same formula applied to any points of the
 * input balls (Arb's containment guarantee, composed). Internal header. */
#define NUM arb_struct
#define PC_SFX(name) name##_arb
#define PREC_DECL , slong prec
#define PC_MODEL_T pc_model_arb_struct
#define PREC_ARG , prec

#define N_INIT(x) arb_init(x)
#define N_CLEAR(x) arb_clear(x)
#define N_VEC_INIT(n) _arb_vec_init(n)
#define N_VEC_CLEAR(v, n) _arb_vec_clear(v, n)
#define N_SET(z, x) arb_set(z, x)
#define N_ZERO(z) arb_zero(z)
#define N_ONE(z) arb_one(z)
#define N_SET_SI(z, c) arb_set_si(z, c)
#define N_ADD(z, x, y) arb_add(z, x, y, prec)
#define N_SUB(z, x, y) arb_sub(z, x, y, prec)
#define N_MUL(z, x, y) arb_mul(z, x, y, prec)
#define N_ADDMUL(z, x, y) arb_addmul(z, x, y, prec)
#define N_SUBMUL(z, x, y) arb_submul(z, x, y, prec)
#define N_DIV(z, x, y) arb_div(z, x, y, prec)
#define N_NEG(z, x) arb_neg(z, x)
#define N_MUL_2EXP(z, x, e) arb_mul_2exp_si(z, x, e)
#define N_EXP(z, x) arb_exp(z, x, prec)
#define N_LOG(z, x) arb_log(z, x, prec)
#define N_LOG1P(z, x) arb_log1p(z, x, prec)
/* Exact softmax/log-sum-exp shifts: any constant works mathematically, so a
 * ball's midpoint (an exact number) is as good as its true maximum. */
#define N_MID_POSITIVE(x) (arf_sgn(arb_midref(x)) > 0)
#define N_SHIFT_MAX(m, v, len) _pc_arb_vec_mid_max(m, v, len)

static void _pc_arb_vec_mid_max(arb_t m, const arb_struct *v, slong len)
{
    arf_set(arb_midref(m), arb_midref(v));
    for (slong i = 1; i < len; i++)
        if (arf_cmp(arb_midref(v + i), arb_midref(m)) > 0)
            arf_set(arb_midref(m), arb_midref(v + i));
    mag_zero(arb_radref(m));
}

#define N_ARGMAX(v, len) _pc_arb_vec_mid_argmax(v, len)

static slong _pc_arb_vec_mid_argmax(const arb_struct *v, slong len)
{
    slong m = 0;
    for (slong i = 1; i < len; i++)
        if (arf_cmp(arb_midref(v + i), arb_midref(v + m)) > 0)
            m = i;
    return m;
}
