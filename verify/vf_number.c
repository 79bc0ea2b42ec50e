/* vf_number.c — exact parsing of the certificate's number strings and readable output.
 *
 * Rationals and dyadics are parsed by hand before GMP sees them because mpz_set_str
 * silently skips white space: a checker must not accept what the format forbids. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <limits.h>
#include "vf.h"

#define VF_MAX_DIGITS 20000     /* hostile input: bound the size of any one number */
#define VF_STR_(x) #x
#define VF_STR(x) VF_STR_(x)
#define VF_MAX_PROBLEM_NUMBER 4096  /* a problem file's limits (README "Problem files") */
#define VF_MAX_PROBLEM_EXP 4096L
#define VF_MAX_EXP 100000L      /* |E| of a dyadic M*2^E */

/* Length of a run of decimal digits at s (0 if none). */
static size_t digits(const char *s)
{
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

/* Parses -?[0-9]+ at s into z; returns the characters consumed, or 0 (no
 * digits) or (size_t)-1 (more than VF_MAX_DIGITS digits). */
static size_t parse_int(const char *s, mpz_t z)
{
    size_t neg = (s[0] == '-'), k = digits(s + neg);
    if (k > VF_MAX_DIGITS)
        return (size_t)-1;
    if (k == 0)
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
    int ok = VF_NUM_SYNTAX;
    size_t k = parse_int(s, num);
    if (k == (size_t)-1)
        ok = VF_NUM_TOO_LONG;
    if (k == 0 || k == (size_t)-1)
        goto out;
    if (s[k] == 0) {
        mpz_set_ui(den, 1);
    } else {
        if (s[k] != '/' || s[k + 1] == '-')
            goto out;
        size_t l = parse_int(s + k + 1, den);
        if (l == (size_t)-1)
            ok = VF_NUM_TOO_LONG;
        if (l == 0 || l == (size_t)-1 || s[k + 1 + l] != 0 || mpz_sgn(den) == 0)
            goto out;
    }
    mpz_t g;
    mpz_init(g);
    mpz_gcd(g, num, den);
    int lowest = mpz_cmp_ui(g, 1) == 0;
    mpz_clear(g);
    if (!lowest) {
        ok = VF_NUM_NOT_LOWEST;     /* FORMAT.md: p/q in lowest terms */
        goto out;
    }
    mpq_set_num(q, num);
    mpq_set_den(q, den);
    ok = 0;
out:
    mpz_clears(num, den, NULL);
    return ok;
}

const char *vf_num_why(int code)
{
    return code == VF_NUM_TOO_LONG ? "has more than " VF_STR(VF_MAX_DIGITS) " digits"
         : code == VF_NUM_NOT_LOWEST ? "is not in lowest terms"
         : code == VF_NUM_RANGE ? "has an exponent out of range"
         : "is not a rational p/q";
}

/* A number of a problem file (polarcert-problem/1, as lib/ reads it):
 * [sign] (digits "/" digits | (digits ["." [digits]] | "." digits) [exp]),
 * exp = ("e" | "E") [sign] digits; at most 4096 characters, |exp| <= 4096.
 * Written again here: the checker shares no code with lib/. */
int vf_parse_decimal(const char *s, mpq_t q)
{
    size_t len = strnlen(s, VF_MAX_PROBLEM_NUMBER + 1);
    if (len == 0)
        return VF_NUM_SYNTAX;
    if (len > VF_MAX_PROBLEM_NUMBER)
        return VF_NUM_TOO_LONG;
    int neg = s[0] == '-';
    if (s[0] == '+' || s[0] == '-')
        s++;
    size_t ni = digits(s);
    if (s[ni] == '/') {
        size_t nd = digits(s + ni + 1);
        if (ni == 0 || nd == 0 || s[ni + 1 + nd] != 0)
            return VF_NUM_SYNTAX;
        mpz_t num, den;
        mpz_inits(num, den, NULL);
        char *t = vf_strdup(s);
        if (t == NULL)
            return VF_NUM_SYNTAX;
        t[ni] = 0;
        mpz_set_str(num, t, 10);
        mpz_set_str(den, t + ni + 1, 10);
        free(t);
        int ok = mpz_sgn(den) != 0 ? 0 : VF_NUM_SYNTAX;
        if (ok == 0) {
            mpq_set_num(q, num);
            mpq_set_den(q, den);
            mpq_canonicalize(q);
            if (neg)
                mpq_neg(q, q);
        }
        mpz_clears(num, den, NULL);
        return ok;
    }
    const char *frac = s + ni;
    size_t nf = 0;
    if (*frac == '.') {
        frac++;
        nf = digits(frac);
    } else if (*frac != 0 && *frac != 'e' && *frac != 'E')
        return VF_NUM_SYNTAX;
    if (ni + nf == 0)
        return VF_NUM_SYNTAX;
    const char *e = (s[ni] == '.') ? frac + nf : frac;
    long ex = 0;
    if (*e == 'e' || *e == 'E') {
        const char *x = e + 1;
        int eneg = *x == '-';
        if (*x == '+' || *x == '-')
            x++;
        size_t nx = digits(x);
        while (nx > 1 && *x == '0') {   /* "1e-0006" is 1e-6, as in lib/ */
            x++;
            nx--;
        }
        if (nx == 0 || x[nx] != 0)
            return VF_NUM_SYNTAX;
        if (nx > 6)
            return VF_NUM_RANGE;
        ex = strtol(x, NULL, 10);
        if (ex > VF_MAX_PROBLEM_EXP)
            return VF_NUM_RANGE;
        if (eneg)
            ex = -ex;
    } else if (*e != 0)
        return VF_NUM_SYNTAX;
    /* the digits without the point, times 10^(ex - nf) */
    char *t = vf_malloc(ni + nf + 1);
    if (t == NULL)
        return VF_NUM_SYNTAX;
    memcpy(t, s, ni);
    memcpy(t + ni, frac, nf);
    t[ni + nf] = 0;
    mpz_t m, p10;
    mpz_inits(m, p10, NULL);
    mpz_set_str(m, t, 10);
    free(t);
    ex -= (long)nf;
    mpz_ui_pow_ui(p10, 10, (unsigned long)(ex < 0 ? -ex : ex));
    if (ex >= 0) {
        mpz_mul(m, m, p10);
        mpq_set_z(q, m);
    } else {
        mpq_set_num(q, m);
        mpq_set_den(q, p10);
        mpq_canonicalize(q);
    }
    if (neg)
        mpq_neg(q, q);
    mpz_clears(m, p10, NULL);
    return 0;
}

char *vf_escape(const char *s)
{
    size_t len = strlen(s);
    char *out = vf_malloc(4 * len + 1), *o = out;
    if (out == NULL)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || *c == '\\') {
            if (*c == '\\') {
                *o++ = '\\';
                *o++ = '\\';
            } else
                o += sprintf(o, "\\x%02x", *c);
        } else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) {   /* C1 control, UTF-8 */
            o += sprintf(o, "\\u%04x", c[1]);
            c++;
        } else if (*c >= 0x80 && *c <= 0x9f) {                   /* a stray 8-bit C1 */
            o += sprintf(o, "\\x%02x", *c);
        } else
            *o++ = (char)*c;
    }
    *o = 0;
    return out;
}

int vf_parse_dyadic(const char *s, mpq_t q)
{
    mpz_t m, e;
    mpz_inits(m, e, NULL);
    int ok = -1;
    size_t k = parse_int(s, m);
    long ex = 0;
    if (k == (size_t)-1)
        ok = VF_NUM_TOO_LONG;
    if (k == 0 || k == (size_t)-1)
        goto out;
    if (s[k] != 0) {
        if (strncmp(s + k, "*2^", 3) != 0)
            goto out;
        size_t l = parse_int(s + k + 3, e);
        if (l == 0 || l == (size_t)-1 || s[k + 3 + l] != 0)
            goto out;
        if (mpz_cmpabs_ui(e, VF_MAX_EXP) > 0) {
            ok = VF_NUM_RANGE;
            goto out;
        }
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

/* floor (up = 0) or ceiling (up = 1) of x 2^G, for finite x with |x| 2^G < 2^62, read
 * from the significand: |x| 2^G = 0.sig 2^k, k <= 62, so the integer part is the top
 * k bits of the top limb and everything below it is the fraction */
int64_t vf_fr_scaled(mpfr_srcptr x, long G, int up)
{
    if (mpfr_zero_p(x))
        return 0;
    long k = (long)mpfr_get_exp(x) + G;
    const mp_limb_t *p = mpfr_custom_get_significand(x);
    size_t n = (size_t)((mpfr_get_prec(x) + 63) / 64);
    uint64_t q = 0;
    int frac = 1;                       /* the fraction is nonzero */
    if (k > 0) {
        q = (uint64_t)p[n - 1] >> (64 - k);
        frac = ((uint64_t)p[n - 1] << k) != 0;
        for (size_t i = 0; i + 1 < n && !frac; i++)
            frac = p[i] != 0;
    }
    int neg = mpfr_signbit(x) != 0;
    if (frac && up != neg)              /* round the magnitude up */
        q++;
    return neg ? -(int64_t)q : (int64_t)q;
}
