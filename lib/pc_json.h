/* JSON members of polarcert's files, read and written (internal to lib/).
 * One place for what every reader repeats: the refusal "source: field: what
 * is wrong", the check that an object has only known members, the head of a
 * document (format and name), and exact numbers written as strings. */
#ifndef PC_JSON_H
#define PC_JSON_H

#include <jansson.h>
#include <flint/fmpq.h>
#include "pc_status.h"

typedef struct {
    const char *src;            /* the source named first in every message */
    pc_error_struct *err;       /* may be NULL */
} pc_json_ctx;

/* Sets "src: field: what" with PC_ERR_INPUT; returns PC_ERR_INPUT. */
int pc_json_bad(const pc_json_ctx *x, const char *field, const char *what);

/* PC_OK if every member of the object o is one of keys (NULL-terminated),
 * else refuses "field.member: unknown member" ("member" alone where field is
 * ""; the member's name is cut to 60 characters). */
int pc_json_only_keys(const pc_json_ctx *x, json_t *o, const char *field,
                      const char *const *keys);

/* The head of a document: root an object with only the members keys (an
 * unknown one named under keys_field, "" or "(top)"), "format" the string
 * format and "name" a string of 1 to 200 characters, of which *name gets a
 * malloc'd copy (left alone on a refusal). */
int pc_json_head(char **name, const pc_json_ctx *x, json_t *root, const char *format,
                 const char *keys_field, const char *const *keys);

/* Exact numbers as JSON strings (NULL only when out of memory). */
typedef json_t *pc_json_num_fn(const fmpq_t x);

/* x exactly as "p/q" ("p" for an integer). */
json_t *pc_json_fmpq(const fmpq_t x);

/* x exactly as a decimal ("-0.125") where its denominator divides a power
 * of ten up to 10^80, else as "p/q": equal to x either way. */
json_t *pc_json_fmpq_decimal(const fmpq_t x);

/* The len numbers v[0..len) as an array, each written by num. */
json_t *pc_json_vec(const fmpq *v, slong len, pc_json_num_fn *num);

/* The rows x cols numbers v (row-major) as an array of rows arrays. */
json_t *pc_json_mat(const fmpq *v, slong rows, slong cols, pc_json_num_fn *num);

#endif
