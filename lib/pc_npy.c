/* numpy .npy / .npz reading, exact (see pc_npy.h). The header is numpy's
 * Python dict literal, e.g. {'descr': '<f8', 'fortran_order': False,
 * 'shape': (3, 4), }; we parse exactly that grammar and nothing more. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "pc_npy.h"

void pc_npy_init(pc_npy_t A)
{
    memset(A, 0, sizeof(pc_npy_struct));
}

void pc_npy_clear(pc_npy_t A)
{
    if (A->v != NULL)
        _fmpq_vec_clear(A->v, A->len);
    pc_npy_init(A);
}

/* ---- exact conversion ---------------------------------------------------- */

int pc_npy_float_to_fmpq(fmpq_t x, const unsigned char *p, int itemsize, int big_endian)
{
    uint64_t bits = 0;
    for (int k = 0; k < itemsize; k++)      /* most significant byte first */
        bits = (bits << 8) | p[big_endian ? k : itemsize - 1 - k];
    const int ebits = itemsize == 8 ? 11 : 8, mbits = itemsize == 8 ? 52 : 23;
    const int bias = (1 << (ebits - 1)) - 1;
    const int neg = (int) (bits >> (ebits + mbits)) & 1;
    const uint64_t e = (bits >> mbits) & ((UINT64_C(1) << ebits) - 1);
    uint64_t m = bits & ((UINT64_C(1) << mbits) - 1);
    if (e == (UINT64_C(1) << ebits) - 1)
        return PC_ERR_INPUT;                /* Inf or NaN */
    slong ex = e == 0 ? 1 - bias - mbits : (slong) e - bias - mbits;
    if (e != 0)
        m |= UINT64_C(1) << mbits;          /* the implicit leading bit */
    fmpq_set_ui(x, (ulong) m, 1);
    if (ex >= 0)
        fmpq_mul_2exp(x, x, (ulong) ex);
    else
        fmpq_div_2exp(x, x, (ulong) -ex);
    if (neg)
        fmpq_neg(x, x);
    return PC_OK;
}

/* ---- the header ------------------------------------------------------------ */

typedef struct {
    const char *s, *end;
} hdr_cursor;

static void skip_ws(hdr_cursor *c)
{
    while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n'))
        c->s++;
}

static int accept(hdr_cursor *c, char ch)
{
    skip_ws(c);
    if (c->s < c->end && *c->s == ch) {
        c->s++;
        return 1;
    }
    return 0;
}

/* A quoted Python string ('...' or "...") without escapes, into out. */
static int read_str(hdr_cursor *c, char *out, size_t cap)
{
    skip_ws(c);
    if (c->s >= c->end || (*c->s != '\'' && *c->s != '"'))
        return 0;
    char q = *c->s++;
    size_t k = 0;
    while (c->s < c->end && *c->s != q) {
        if (*c->s == '\\' || k + 1 >= cap)
            return 0;
        out[k++] = *c->s++;
    }
    if (c->s >= c->end)
        return 0;
    c->s++;
    out[k] = '\0';
    return 1;
}

static int read_shape(hdr_cursor *c, pc_npy_struct *A)
{
    if (!accept(c, '('))
        return 0;
    A->ndim = 0;
    for (;;) {
        skip_ws(c);
        if (accept(c, ')'))
            return 1;
        if (A->ndim == PC_NPY_MAX_NDIM || c->s >= c->end || !isdigit((unsigned char) *c->s))
            return 0;
        slong v = 0;
        while (c->s < c->end && isdigit((unsigned char) *c->s)) {
            if (v > (slong) PC_NPY_MAX_BYTES)   /* never trust a count */
                return 0;
            v = 10 * v + (*c->s++ - '0');
        }
        A->shape[A->ndim++] = v;
        if (!accept(c, ',')) {
            return accept(c, ')');
        }
    }
}

/* Parses the dict; returns NULL or what is wrong. */
static const char *parse_header(pc_npy_struct *A, const char *h, size_t hlen)
{
    hdr_cursor c = {h, h + hlen};
    char key[32], descr[64];
    int have_descr = 0, have_order = 0, have_shape = 0;
    if (!accept(&c, '{'))
        return "header: not a Python dict";
    while (!accept(&c, '}')) {
        if (!read_str(&c, key, sizeof key) || !accept(&c, ':'))
            return "header: not numpy's dict literal";
        if (strcmp(key, "descr") == 0 && !have_descr) {
            skip_ws(&c);
            if (c.s < c.end && *c.s == '[')
                return "dtype: structured arrays are refused (float64 or float32 only)";
            if (!read_str(&c, descr, sizeof descr))
                return "header: descr is not a string";
            have_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0 && !have_order) {
            skip_ws(&c);
            if ((size_t) (c.end - c.s) >= 4 && memcmp(c.s, "True", 4) == 0) {
                A->fortran = 1;
                c.s += 4;
            } else if ((size_t) (c.end - c.s) >= 5 && memcmp(c.s, "False", 5) == 0) {
                A->fortran = 0;
                c.s += 5;
            } else
                return "header: fortran_order is not True or False";
            have_order = 1;
        } else if (strcmp(key, "shape") == 0 && !have_shape) {
            if (!read_shape(&c, A))
                return "header: shape is not a tuple of at most 8 sizes";
            have_shape = 1;
        } else
            return "header: unknown or repeated key";
        if (!accept(&c, ',')) {
            if (!accept(&c, '}'))
                return "header: not numpy's dict literal";
            break;
        }
    }
    if (!have_descr || !have_order || !have_shape)
        return "header: descr, fortran_order or shape missing";
    if (strcmp(descr, "|O") == 0 || strcmp(descr, "<O") == 0 || strcmp(descr, ">O") == 0)
        return "dtype: object arrays are refused (float64 or float32 only)";
    if ((descr[0] != '<' && descr[0] != '>') || descr[1] != 'f'
        || (strcmp(descr + 2, "8") != 0 && strcmp(descr + 2, "4") != 0))
        return "dtype: only float64 and float32 ('<f8', '>f8', '<f4', '>f4') are accepted";
    A->big_endian = descr[0] == '>';
    A->itemsize = descr[2] - '0';
    return NULL;
}

/* ---- the data ---------------------------------------------------------------- */

/* The offset in a Fortran-ordered buffer of the entry with C-order index k. */
static slong fortran_offset(const pc_npy_struct *A, slong k)
{
    slong off = 0, stride = 1, idx[PC_NPY_MAX_NDIM];
    for (slong a = A->ndim - 1; a >= 0; a--) {
        idx[a] = A->shape[a] ? k % A->shape[a] : 0;
        k = A->shape[a] ? k / A->shape[a] : 0;
    }
    for (slong a = 0; a < A->ndim; a++) {
        off += idx[a] * stride;
        stride *= A->shape[a];
    }
    return off;
}

int pc_npy_parse(pc_npy_t A, const unsigned char *buf, size_t len, const char *source,
                 pc_error_t err)
{
    static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    pc_npy_init(A);
    if (len < 10 || memcmp(buf, magic, 6) != 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: not a .npy array (bad magic)", source);
    int major = buf[6];
    size_t hlen, hstart;
    if (major == 1) {
        hlen = buf[8] | (size_t) buf[9] << 8;
        hstart = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return pc_error_set(err, PC_ERR_INPUT, "%s: truncated header", source);
        hlen = buf[8] | (size_t) buf[9] << 8 | (size_t) buf[10] << 16 | (size_t) buf[11] << 24;
        hstart = 12;
    } else
        return pc_error_set(err, PC_ERR_INPUT, "%s: format version %d.%d is not 1, 2 or 3",
                            source, major, buf[7]);
    if (hlen > len - hstart)
        return pc_error_set(err, PC_ERR_INPUT, "%s: truncated header (%zu bytes declared, "
                            "%zu present)", source, hlen, len - hstart);
    const char *why = parse_header(A, (const char *) buf + hstart, hlen);
    if (why != NULL) {
        pc_npy_init(A);
        return pc_error_set(err, PC_ERR_INPUT, "%s: %s", source, why);
    }
    size_t count = 1;
    for (slong a = 0; a < A->ndim; a++) {
        if (A->shape[a] != 0 && count > PC_NPY_MAX_BYTES / (size_t) A->shape[a]) {
            pc_npy_init(A);
            return pc_error_set(err, PC_ERR_INPUT, "%s: shape: too large", source);
        }
        count *= (size_t) A->shape[a];
    }
    size_t data = len - hstart - hlen, want = count * (size_t) A->itemsize;
    if (data != want) {
        pc_npy_init(A);
        return pc_error_set(err, PC_ERR_INPUT, "%s: data: %s (%zu bytes, the shape needs %zu)",
                            source, data < want ? "truncated" : "extra bytes after the array",
                            data, want);
    }
    A->len = (slong) count;
    A->v = _fmpq_vec_init(A->len);
    const unsigned char *d = buf + hstart + hlen;
    for (slong k = 0; k < A->len; k++) {
        slong off = A->fortran ? fortran_offset(A, k) : k;
        if (pc_npy_float_to_fmpq(A->v + k, d + off * A->itemsize, A->itemsize, A->big_endian) != PC_OK) {
            pc_npy_clear(A);
            return pc_error_set(err, PC_ERR_INPUT, "%s: entry %ld: NaN or Inf is refused",
                                source, (long) k);
        }
    }
    return PC_OK;
}

int pc_npy_load_file(pc_npy_t A, const char *path, pc_error_t err)
{
    pc_npy_init(A);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot open", path);
    unsigned char *buf = malloc(PC_NPY_MAX_BYTES + 1);
    size_t len = buf ? fread(buf, 1, PC_NPY_MAX_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    int st;
    if (buf == NULL)
        st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", path);
    else if (bad)
        st = pc_error_set(err, PC_ERR_IO, "%s: read error", path);
    else if (len > PC_NPY_MAX_BYTES)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: larger than %zu bytes", path,
                          (size_t) PC_NPY_MAX_BYTES);
    else
        st = pc_npy_parse(A, buf, len, path, err);
    free(buf);
    return st;
}

/* ---- .npz archives -------------------------------------------------------------- */

static zip_t *npz_open(const char *path, pc_error_t err, int *st)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (z == NULL) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        *st = pc_error_set(err, zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT ? PC_ERR_IO : PC_ERR_INPUT,
                           "%s: not a readable .npz (zip) archive: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
    }
    return z;
}

int pc_npz_names(char ***names, const char *path, pc_error_t err)
{
    int st = PC_OK;
    *names = NULL;
    zip_t *z = npz_open(path, err, &st);
    if (z == NULL)
        return st;
    zip_int64_t n = zip_get_num_entries(z, 0);
    char **out = calloc((size_t) (n > 0 ? n : 0) + 1, sizeof(char *));
    slong k = 0;
    for (zip_int64_t i = 0; out != NULL && i < n; i++) {
        const char *nm = zip_get_name(z, (zip_uint64_t) i, 0);
        size_t l = nm ? strlen(nm) : 0;
        if (l > 4 && strcmp(nm + l - 4, ".npy") == 0) {
            out[k] = strndup(nm, l - 4);
            k++;
        }
    }
    zip_discard(z);
    if (out == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", path);
    *names = out;
    return PC_OK;
}

void pc_npz_names_free(char **names)
{
    for (char **p = names; p && *p; p++)
        free(*p);
    free(names);
}

int pc_npz_load(pc_npy_t A, const char *path, const char *name, pc_error_t err)
{
    int st = PC_OK;
    pc_npy_init(A);
    zip_t *z = npz_open(path, err, &st);
    if (z == NULL)
        return st;
    char entry[512], source[1024];
    snprintf(entry, sizeof entry, "%s.npy", name);
    snprintf(source, sizeof source, "%s: %s", path, name);
    zip_stat_t zs;
    zip_int64_t idx = zip_name_locate(z, entry, 0);
    zip_file_t *zf = NULL;
    unsigned char *buf = NULL;
    if (idx < 0)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: no such array (entry %s)", source, entry);
    else if (zip_stat_index(z, (zip_uint64_t) idx, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE))
        st = pc_error_set(err, PC_ERR_INPUT, "%s: the archive does not give its size", source);
    else if (zs.size > PC_NPY_MAX_BYTES)      /* before inflating anything */
        st = pc_error_set(err, PC_ERR_INPUT, "%s: declares %llu uncompressed bytes, more than "
                          "the limit %zu (refused before inflating)", source,
                          (unsigned long long) zs.size, (size_t) PC_NPY_MAX_BYTES);
    else if ((buf = malloc((size_t) zs.size + 1)) == NULL)
        st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", source);
    else if ((zf = zip_fopen_index(z, (zip_uint64_t) idx, 0)) == NULL)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: cannot open the entry: %s", source,
                          zip_strerror(z));
    if (st == PC_OK) {
        /* At most the declared size plus one byte: an entry that inflates to
         * more than it declares is caught without inflating the rest. */
        zip_int64_t got = 0, r = 0;
        while (got <= (zip_int64_t) zs.size
               && (r = zip_fread(zf, buf + got, zs.size + 1 - (zip_uint64_t) got)) > 0)
            got += r;
        if (r < 0)
            st = pc_error_set(err, PC_ERR_INPUT, "%s: damaged entry: %s", source,
                              zip_file_strerror(zf));
        else if ((zip_uint64_t) got != zs.size)
            st = pc_error_set(err, PC_ERR_INPUT, "%s: the entry inflates to %s than the %llu "
                              "bytes it declares", source, (zip_uint64_t) got > zs.size ? "more" : "fewer",
                              (unsigned long long) zs.size);
        else
            st = pc_npy_parse(A, buf, (size_t) got, source, err);
    }
    if (zf != NULL)
        zip_fclose(zf);
    free(buf);
    zip_discard(z);
    return st;
}
