/* vf_number.c — exact parsing of the certificate's number strings and readable output.
 *
 * Rationals and dyadics are parsed by hand before GMP sees them because mpz_set_str
 * silently skips white space: a checker must not accept what the format forbids. */
#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <limits.h>
#include "vf.h"

#define VF_MAX_DIGITS 20000     /* hostile input: bound the size of any one number */
#define VF_MAX_EXP 100000L      /* |E| of a dyadic M*2^E */

/* Length of a run of decimal digits at s (0 if none). */
static size_t digits(const char *s)
{
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

/* Parses -?[0-9]+ at s into z; returns the characters consumed or 0. */
static size_t parse_int(const char *s, mpz_t z)
{
    size_t neg = (s[0] == '-'), k = digits(s + neg);
    if (k == 0 || k > VF_MAX_DIGITS)
        return 0;
    char *tmp = vf_malloc(neg + k + 1);
    memcpy(tmp, s, neg + k);
    tmp[neg + k] = 0;
    mpz_set_str(z, tmp, 10);
    free(tmp);
    return neg + k;
}

int vf_parse_rational(const char *s, mpq_t q)
{
    mpz_t num, den;
    mpz_inits(num, den, NULL);
    int ok = -1;
    size_t k = parse_int(s, num);
    if (k == 0)
        goto out;
    if (s[k] == 0) {
        mpz_set_ui(den, 1);
    } else {
        if (s[k] != '/' || s[k + 1] == '-')
            goto out;
        size_t l = parse_int(s + k + 1, den);
        if (l == 0 || s[k + 1 + l] != 0 || mpz_sgn(den) == 0)
            goto out;
    }
    mpz_t g;
    mpz_init(g);
    mpz_gcd(g, num, den);
    int lowest = mpz_cmp_ui(g, 1) == 0;
    mpz_clear(g);
    if (!lowest)
        goto out;               /* FORMAT.md: p/q in lowest terms */
    mpq_set_num(q, num);
    mpq_set_den(q, den);
    ok = 0;
out:
    mpz_clears(num, den, NULL);
    return ok;
}

int vf_parse_dyadic(const char *s, mpq_t q)
{
    mpz_t m, e;
    mpz_inits(m, e, NULL);
    int ok = -1;
    size_t k = parse_int(s, m);
    long ex = 0;
    if (k == 0)
        goto out;
    if (s[k] != 0) {
        if (strncmp(s + k, "*2^", 3) != 0)
            goto out;
        size_t l = parse_int(s + k + 3, e);
        if (l == 0 || s[k + 3 + l] != 0)
            goto out;
        if (mpz_cmpabs_ui(e, VF_MAX_EXP) > 0)
            goto out;
        ex = mpz_get_si(e);
    }
    mpq_set_z(q, m);
    if (ex >= 0)
        mpq_mul_2exp(q, q, (mp_bitcnt_t)ex);
    else
        mpq_div_2exp(q, q, (mp_bitcnt_t)(-ex));
    ok = 0;
out:
    mpz_clears(m, e, NULL);
    return ok;
}

void vf_q_to_fr(mpfr_t r, const mpq_t q, mpfr_rnd_t rnd)
{
    mpfr_set_q(r, q, rnd);
}

void vf_fmt_fr(char *buf, size_t len, const mpfr_t x, int digits_, mpfr_rnd_t rnd)
{
    mpfr_snprintf(buf, len, "%.*R*g", digits_, rnd, x);
}

void vf_fmt_q(char *buf, size_t len, const mpq_t q, int digits_, mpfr_rnd_t rnd)
{
    mpfr_t x;
    mpfr_init2(x, 128);
    mpfr_set_q(x, q, rnd);
    vf_fmt_fr(buf, len, x, digits_, rnd);
    mpfr_clear(x);
}

int vf_fi_is_finite(const mpfi_t x)
{
    return mpfr_number_p(&x->left) && mpfr_number_p(&x->right);
}
