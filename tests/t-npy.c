/* Tests of the exact .npy/.npz reader (lib/pc_npy.c) and of pc_import.
 * The reference for every value is GMP's mpq_set_d, which is exact, applied
 * to the double (or float) rebuilt from raw little-endian bytes that numpy
 * wrote next to each fixture (tests/npy/make-fixtures.py): independent of
 * the parser and of its bit manipulation. */
#include <gmp.h>
#include <stdint.h>
#include "testutil.h"
#include "pc_npy.h"
#include "pc_import.h"

static const char *npy_dir(void)
{
    const char *d = getenv("PC_NPY");
    return d ? d : "tests/npy";
}

/* x (fmpq) equals the value of the IEEE number in bytes p (little endian). */
static int equals_raw(const fmpq_t x, const unsigned char *p, int itemsize)
{
    unsigned char le[8];
    double v;
    memcpy(le, p, (size_t) itemsize);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (int k = 0; k < itemsize / 2; k++) {
        unsigned char t = le[k];
        le[k] = le[itemsize - 1 - k];
        le[itemsize - 1 - k] = t;
    }
#endif
    if (itemsize == 8)
        memcpy(&v, le, 8);
    else {
        float f;
        memcpy(&f, le, 4);
        v = (double) f;                     /* exact: float ⊂ double */
    }
    mpq_t ref, got;
    mpq_init(ref);
    mpq_init(got);
    mpq_set_d(ref, v);                      /* exact */
    fmpq_get_mpq(got, x);
    int eq = mpq_equal(ref, got);
    mpq_clear(ref);
    mpq_clear(got);
    return eq;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    unsigned char *b = malloc(1 << 16);
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

/* Every dtype, byte order, memory order and version: shape (3, 4), every
 * entry bit for bit the value numpy stored. */
START_TEST(test_fixtures_exact)
{
    static const char *const kinds[] = {"lef8", "bef8", "lef4", "bef4"};
    char path[1024];
    for (int k = 0; k < 4; k++)
        for (int order = 0; order < 2; order++)
            for (int ver = 1; ver <= 3; ver++) {
                snprintf(path, sizeof path, "%s/good/%s-%c-v%d.bin", npy_dir(), kinds[k],
                         order ? 'F' : 'C', ver);
                size_t blen;
                unsigned char *raw = read_all(path, &blen);
                snprintf(path, sizeof path, "%s/good/%s-%c-v%d.npy", npy_dir(), kinds[k],
                         order ? 'F' : 'C', ver);
                pc_npy_t A;
                pc_error_t err;
                ck_assert_msg(pc_npy_load_file(A, path, err) == PC_OK, "%s", err->msg);
                ck_assert(A->ndim == 2 && A->shape[0] == 3 && A->shape[1] == 4 && A->len == 12);
                ck_assert(A->fortran == order && A->big_endian == (kinds[k][0] == 'b'));
                ck_assert((size_t) (A->len * A->itemsize) == blen);
                for (slong i = 0; i < A->len; i++)
                    TU_ASSERT(equals_raw(A->v + i, raw + i * A->itemsize, A->itemsize),
                              "%s entry %ld differs from the float numpy wrote", path, (long) i);
                pc_npy_clear(A);
                free(raw);
            }
}
END_TEST

/* Random bit patterns (all exponents, subnormals, both signs) in both byte
 * orders against mpq_set_d; NaN and Inf refused. */
START_TEST(test_random_bits)
{
    flint_rand_t st;
    flint_randinit(st);
    fmpq_t x;
    fmpq_init(x);
    for (int it = 0; it < 200000; it++) {
        int itemsize = it % 2 ? 4 : 8;
        uint64_t bits = n_randtest(st);
        if (it % 7 == 0)                    /* subnormals and zeros */
            bits &= itemsize == 8 ? ~(UINT64_C(0x7ff) << 52) : ~(UINT64_C(0xff) << 23);
        unsigned char le[8], be[8];
        for (int k = 0; k < itemsize; k++) {
            le[k] = (unsigned char) (bits >> (8 * k));
            be[itemsize - 1 - k] = le[k];
        }
        int special = itemsize == 8 ? ((bits >> 52) & 0x7ff) == 0x7ff : ((bits >> 23) & 0xff) == 0xff;
        int s1 = pc_npy_float_to_fmpq(x, le, itemsize, 0);
        TU_ASSERT((s1 == PC_OK) == !special, "status of bits %llx", (unsigned long long) bits);
        if (special)
            continue;
        TU_ASSERT(equals_raw(x, le, itemsize), "value of bits %llx", (unsigned long long) bits);
        TU_ASSERT(pc_npy_float_to_fmpq(x, be, itemsize, 1) == PC_OK && equals_raw(x, le, itemsize),
                  "big-endian value of bits %llx", (unsigned long long) bits);
    }
    fmpq_clear(x);
    flint_randclear(st);
}
END_TEST

/* Truncating a good file anywhere is refused, never read past its end. */
START_TEST(test_every_truncation)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/good/bef8-F-v2.npy", npy_dir());
    size_t len;
    unsigned char *b = read_all(path, &len);
    pc_npy_t A;
    pc_error_t err;
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *c = malloc(cut + 1);        /* exact size: ASan sees overreads */
        memcpy(c, b, cut);
        TU_ASSERT(pc_npy_parse(A, c, cut, "cut", err) == PC_ERR_INPUT, "cut at %zu accepted", cut);
        TU_ASSERT(A->v == NULL && A->len == 0, "not left empty");
        free(c);
    }
    ck_assert(pc_npy_parse(A, b, len, "whole", err) == PC_OK);
    pc_npy_clear(A);
    free(b);
}
END_TEST

/* The .npz and the three .npy files hold the same arrays: the same problem;
 * the float32 archive gives the float32 values exactly. */
START_TEST(test_import_npz)
{
    char z[1024], zc[1024], v[1024], a[1024], b[1024];
    snprintf(z, sizeof z, "%s/good/problem.npz", npy_dir());
    snprintf(zc, sizeof zc, "%s/good/problem-compressed.npz", npy_dir());
    snprintf(v, sizeof v, "%s/good/V.npy", npy_dir());
    snprintf(a, sizeof a, "%s/good/a.npy", npy_dir());
    snprintf(b, sizeof b, "%s/good/beta.npy", npy_dir());
    const char *f1[] = {z}, *f2[] = {v, a, b}, *f3[] = {zc};
    pc_import_opts o;
    pc_import_opts_default(&o);
    o.name = "x";
    o.note = "n";
    json_t *p1, *p2, *p3;
    pc_error_t err;
    ck_assert_msg(pc_import(&p1, f1, 1, &o, err) == PC_OK, "%s", err->msg);
    ck_assert_msg(pc_import(&p2, f2, 3, &o, err) == PC_OK, "%s", err->msg);
    ck_assert_msg(pc_import(&p3, f3, 1, &o, err) == PC_OK, "%s", err->msg);
    ck_assert(json_equal(p1, p2));
    ck_assert(!json_equal(p1, p3));       /* V was stored as float32 there */
    /* entry V[1][2] against the float32 npz read directly */
    pc_npy_t A;
    ck_assert(pc_npz_load(A, zc, "V", err) == PC_OK && A->itemsize == 4);
    fmpq_t q;
    fmpq_init(q);
    const char *s = json_string_value(json_array_get(json_array_get(json_object_get(p3, "V"), 1), 2));
    ck_assert(fmpq_set_str(q, s, 10) == 0 && fmpq_equal(q, A->v + 1 * 4 + 2));
    fmpq_clear(q);
    pc_npy_clear(A);
    json_decref(p1);
    json_decref(p2);
    json_decref(p3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("npy");
    TCase *tc = tu_tcase(s, "npy");
    tcase_add_test(tc, test_fixtures_exact);
    tcase_add_test(tc, test_random_bits);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_import_npz);
    return tu_run_suite(s);
}
