/* JSON members read and written (pc_json.h). Never prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pc_json.h"

int pc_json_bad(const pc_json_ctx *x, const char *field, const char *what)
{
    return pc_error_set(x->err, PC_ERR_INPUT, "%s: %s: %s", x->src, field, what);
}

int pc_json_only_keys(const pc_json_ctx *x, json_t *o, const char *field,
                      const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (int m = 0; keys[m] != NULL && !ok; m++)
            ok = strcmp(k, keys[m]) == 0;
        if (!ok) {
            char f[160];
            snprintf(f, sizeof f, "%s%s%.60s", field, field[0] ? "." : "", k);
            return pc_json_bad(x, f, "unknown member");
        }
    }
    (void) v;
    return PC_OK;
}

int pc_json_head(char **name, const pc_json_ctx *x, json_t *root, const char *format,
                 const char *keys_field, const char *const *keys)
{
    int st;
    if (!json_is_object(root))
        return pc_json_bad(x, "(top)", "wants a JSON object");
    if ((st = pc_json_only_keys(x, root, keys_field, keys)) != PC_OK)
        return st;
    json_t *v = json_object_get(root, "format");
    if (!json_is_string(v) || strcmp(json_string_value(v), format) != 0) {
        char what[120];
        snprintf(what, sizeof what, "must be \"%s\"", format);
        return pc_json_bad(x, "format", what);
    }
    v = json_object_get(root, "name");
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200)
        return pc_json_bad(x, "name", "wants a string of 1 to 200 characters");
    if ((*name = strdup(json_string_value(v))) == NULL)
        return pc_error_set(x->err, PC_ERR_MEMORY, "%s: name: out of memory", x->src);
    return PC_OK;
}

json_t *pc_json_fmpq(const fmpq_t x)
{
    char *s = fmpq_get_str(NULL, 10, x);
    json_t *j = json_string(s);
    flint_free(s);
    return j;
}

/* num / 10^k as a decimal string, num an integer (malloc'd). */
static char *decimal_str(const fmpz_t num, ulong k)
{
    char *s = fmpz_get_str(NULL, 10, num);
    int neg = s[0] == '-';
    char *dig = s + neg;
    size_t nd = strlen(dig);
    char *out = malloc(nd + k + 4);
    char *o = out;
    if (neg)
        *o++ = '-';
    if (k == 0) {
        strcpy(o, dig);
    } else if (nd > k) {
        memcpy(o, dig, nd - k);
        o += nd - k;
        *o++ = '.';
        strcpy(o, dig + nd - k);
    } else {
        *o++ = '0';
        *o++ = '.';
        for (size_t z = nd; z < k; z++)
            *o++ = '0';
        strcpy(o, dig);
    }
    flint_free(s);
    return out;
}

json_t *pc_json_fmpq_decimal(const fmpq_t x)
{
    fmpz_t den, num;
    ulong twos, fives = 0;
    fmpz_init_set(den, fmpq_denref(x));
    twos = fmpz_val2(den);
    fmpz_tdiv_q_2exp(den, den, twos);
    while (fmpz_divisible_si(den, 5) && fives <= 80) {
        fmpz_divexact_si(den, den, 5);
        fives++;
    }
    json_t *j;
    if (!fmpz_is_one(den) || twos > 80 || fives > 80) {
        j = pc_json_fmpq(x);
    } else {
        ulong k = FLINT_MAX(twos, fives);
        fmpz_init(num);
        /* num = x · 10^k, an integer */
        fmpz_set_ui(den, 10);
        fmpz_pow_ui(den, den, k);
        fmpz_mul(num, fmpq_numref(x), den);
        fmpz_divexact(num, num, fmpq_denref(x));
        char *out = decimal_str(num, k);
        j = json_string(out);
        free(out);
        fmpz_clear(num);
    }
    fmpz_clear(den);
    return j;
}

json_t *pc_json_vec(const fmpq *v, slong len, pc_json_num_fn *num)
{
    json_t *a = json_array();
    for (slong k = 0; k < len; k++)
        json_array_append_new(a, num(v + k));
    return a;
}

json_t *pc_json_mat(const fmpq *v, slong rows, slong cols, pc_json_num_fn *num)
{
    json_t *a = json_array();
    for (slong r = 0; r < rows; r++)
        json_array_append_new(a, pc_json_vec(v + r * cols, cols, num));
    return a;
}
