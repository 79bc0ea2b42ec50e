/* numpy arrays -> polarcert-problem/1 (see pc_import.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "pc_import.h"
#include "pc_npy.h"
#include "pc_json.h"

static const char *const role_default[PC_IMPORT_ROLES] = {"V", "a", "beta", "q", "X", "b"};

void pc_import_opts_default(pc_import_opts *o)
{
    memset(o, 0, sizeof *o);
    o->loss = PC_LOSS_LOGISTIC;
    o->T = "100";
    for (int r = 0; r < PC_IMPORT_ROLES; r++)
        o->array[r] = role_default[r];
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The base name without directory and extension (malloc'd). */
static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return strndup(b, dot && dot != b ? (size_t) (dot - b) : strlen(b));
}

/* Finds the array `name` in the files; *where is set to the file it came
 * from. PC_ERR_INPUT if no file has it. */
static int find_array(pc_npy_t A, const char **where, const char *const *files, slong nfiles,
                      const char *name, pc_error_t err)
{
    for (slong f = 0; f < nfiles; f++) {
        *where = files[f];
        if (ends_with(files[f], ".npz")) {
            char **names;
            int st = pc_npz_names(&names, files[f], err), has = 0;
            if (st != PC_OK)
                return st;
            for (char **p = names; *p; p++)
                has |= strcmp(*p, name) == 0;
            pc_npz_names_free(names);
            if (has)
                return pc_npz_load(A, files[f], name, err);
        } else {
            char *b = base_name(files[f]);
            int match = strcmp(b, name) == 0;
            free(b);
            if (match)
                return pc_npy_load_file(A, files[f], err);
        }
    }
    return pc_error_set(err, PC_ERR_INPUT, "%s: %s: no such array in the input%s", files[0],
                        name, nfiles > 1 ? " files" : "");
}

static const char *shape_str(char *buf, size_t cap, const pc_npy_t A)
{
    size_t k = (size_t) snprintf(buf, cap, "(");
    for (slong a = 0; a < A->ndim && k < cap; a++)
        k += (size_t) snprintf(buf + k, cap - k, a + 1 < A->ndim || A->ndim == 1 ? "%ld," : "%ld",
                               (long) A->shape[a]);
    if (k < cap)
        snprintf(buf + k, cap - k, ")");
    return buf;
}

/* One array of the given rank, with sizes checked against *rows / *cols
 * (0 = not yet known: set from the array). */
static int take(json_t *prob, const char *key, const char *const *files, slong nfiles,
                const char *name, int rank, slong *rows, slong *cols, pc_error_t err)
{
    pc_npy_t A;
    const char *where = files[0];
    char sh[128];
    int st = find_array(A, &where, files, nfiles, name, err);
    if (st != PC_OK)
        return st;
    slong r = A->ndim >= 1 ? A->shape[0] : 0, c = A->ndim == 2 ? A->shape[1] : 1;
    if (A->ndim != rank)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: %s: must be %d-D (%s); has shape %s", where,
                          name, rank, rank == 1 ? "a vector" : "a matrix", shape_str(sh, sizeof sh, A));
    else if (r < 1 || c < 1)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: %s: empty (shape %s)", where, name,
                          shape_str(sh, sizeof sh, A));
    else if ((*rows && r != *rows) || (rank == 2 && *cols && c != *cols))
        st = pc_error_set(err, PC_ERR_INPUT, "%s: %s: shape %s does not fit the other arrays "
                          "(expected %ld%s)", where, name, shape_str(sh, sizeof sh, A), (long) *rows,
                          rank == 2 ? " rows and matching columns" : " entries");
    if (st == PC_OK) {
        *rows = r;
        if (rank == 2)
            *cols = c;
        json_object_set_new(prob, key, rank == 1 ? pc_json_vec(A->v, r, pc_json_fmpq)
                                                   : pc_json_mat(A->v, r, c, pc_json_fmpq));
    }
    pc_npy_clear(A);
    return st;
}

int pc_import(json_t **problem, const char *const *files, slong nfiles,
              const pc_import_opts *o, pc_error_t err)
{
    *problem = NULL;
    if (nfiles < 1)
        return pc_error_set(err, PC_ERR_INPUT, "import: no input files");
    char *name = o->name ? strdup(o->name) : base_name(files[0]);
    json_t *p = json_pack("{ssssss}", "format", "polarcert-problem/1", "name", name,
                          "loss", pc_loss_name(o->loss));
    free(name);
    slong d = 0, n = 0, m = 0, one = 0;
    int st = take(p, "V", files, nfiles, o->array[PC_IMPORT_V], 2, &d, &n, err);
    if (st == PC_OK)
        st = take(p, "a", files, nfiles, o->array[PC_IMPORT_A], 1, &n, &one, err);
    if (st == PC_OK && o->loss == PC_LOSS_CROSS_ENTROPY)
        st = take(p, "q", files, nfiles, o->array[PC_IMPORT_Q], 1, &d, &one, err);
    else if (st == PC_OK && o->loss == PC_LOSS_QUADRATIC) {
        st = take(p, "X", files, nfiles, o->array[PC_IMPORT_X], 2, &m, &d, err);
        if (st == PC_OK)
            st = take(p, "b", files, nfiles, o->array[PC_IMPORT_B], 1, &m, &one, err);
    } else if (st == PC_OK)
        st = take(p, "beta", files, nfiles, o->array[PC_IMPORT_BETA], 1, &d, &one, err);
    if (st == PC_OK) {
        json_object_set_new(p, "d", json_integer(d));
        json_object_set_new(p, "n", json_integer(n));
        json_object_set_new(p, "T", json_string(o->T));
        if (o->note != NULL)
            json_object_set_new(p, "note", json_string(o->note));
        else {
            char note[1024];
            snprintf(note, sizeof note, "imported exactly from %s%s by polarcert import",
                     files[0], nfiles > 1 ? " and further files" : "");
            json_object_set_new(p, "note", json_string(note));
        }
        /* the loader is the judge of validity (T, q summing to 1, limits) */
        char *text = json_dumps(p, JSON_COMPACT);
        pc_problem_t chk;
        pc_problem_init(chk);
        st = text ? pc_problem_load_string(chk, text, files[0], err)
                  : pc_error_set(err, PC_ERR_MEMORY, "import: out of memory");
        pc_problem_clear(chk);
        free(text);
    }
    if (st != PC_OK)
        json_decref(p);
    else
        *problem = p;
    return st;
}
