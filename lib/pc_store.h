/* The campaign store (issue 9, certs/STORE.md): one SQLite file holding a
 * campaign's text and every result of its search, written by one process
 * (the writer) in one transaction per result, so that a run killed at any
 * moment (kill -9) loses at most the results it had not yet written, and a
 * later run continues from the file. Never prints.
 *
 * Nothing here is certified: the store keeps what the screen and the
 * rigorous confirmation said, and the certificates as the exact bytes
 * produced, each with its SHA-256 (checked again when it is read back). */
#ifndef PC_STORE_H
#define PC_STORE_H

#include <stdio.h>
#include "pc_search.h"

#define PC_STORE_FORMAT "polarcert-store/1"
#define PC_STORE_SCHEMA 1
/* PRAGMA application_id of every store ("pcst"): a SQLite file of another
 * program is refused before its tables are read. */
#define PC_STORE_APPLICATION_ID 0x70637374

struct sqlite3;
typedef struct {
    struct sqlite3 *db;
    char *path;
    int lock_fd;            /* the writer's flock on the file, -1 for a reader */
} pc_store_struct;
typedef pc_store_struct pc_store_t[1];

/* What the independent checker said about a certificate (the caller runs it;
 * pc_search_run.h). */
typedef struct {
    char verdict[16];       /* "VERIFIED", "REJECTED", "NOT CHECKED" (the checker
                               refused to check: a limit, unreadable), "ERROR" */
    char message[512];      /* its output, one line */
    double seconds;         /* wall time of the check */
} pc_verify_result;

void pc_store_init(pc_store_t S);
/* Closes the database and releases the writer's lock. */
void pc_store_clear(pc_store_t S);

/* A new store at path holding campaign c, opened as the writer. The file is
 * built under a temporary name in the same directory and renamed, so that a
 * store either holds its campaign or does not exist. PC_ERR_IO if path
 * exists or cannot be written. */
int pc_store_create(pc_store_t S, const char *path, const pc_campaign_t c, pc_error_t err);

/* An existing store. PC_ERR_INPUT "path: not a polarcert store (...)" for
 * a file that is not one (not SQLite, another application_id, another
 * format or schema version, its campaign row missing or not matching its
 * SHA-256); PC_ERR_IO if it cannot be opened. writer = 1 takes the writer's
 * lock (PC_ERR_IO "another run is writing" if it is held). */
int pc_store_open(pc_store_t S, const char *path, int writer, pc_error_t err);

/* The campaign text the store was created with (malloc'd) and its SHA-256. */
int pc_store_campaign_text(char **text, char sha256[65], const pc_store_t S, pc_error_t err);

/* PC_OK if c is the store's campaign (the same SHA-256 of its text), else
 * PC_ERR_INPUT naming both hashes. */
int pc_store_check_campaign(const pc_store_t S, const pc_campaign_t c, pc_error_t err);

/* One screen result (instance i), in its own transaction. PC_ERR_INPUT if i
 * is stored already (UNIQUE) or out of range. */
int pc_store_put_screen(pc_store_t S, slong i, const pc_screen_result *r, pc_error_t err);

/* One confirmation of instance i (a stored candidate) with the checker's
 * verdict v on its certificate (v may be NULL when there is no
 * certificate), in its own transaction. */
int pc_store_put_confirm(pc_store_t S, slong i, const pc_confirm_result *r,
                         const pc_verify_result *v, pc_error_t err);

/* done[i] = 1 for every screened instance i < n (the rest 0). */
int pc_store_screened(unsigned char *done, slong n, const pc_store_t S, pc_error_t err);

/* The candidates still to be confirmed, in order of decreasing score (then
 * increasing index): of the best `best` candidates (all if best <= 0), those
 * without a confirmation. *idx is malloc'd (NULL if *n = 0). */
int pc_store_to_confirm(slong **idx, slong *n, slong best, const pc_store_t S, pc_error_t err);

/* Numbers of a store: what is done and what was found. */
typedef struct {
    slong instances;        /* of the campaign */
    slong confirm_best;     /* its confirm policy (0: every candidate) */
    slong screened, filtered, clear, candidates, failed;
    slong to_confirm;       /* candidates selected for confirmation (best k or all) */
    slong checked;          /* confirmations stored */
    slong confirmed;        /* of them: certified counterexamples */
    slong verified;         /* of them: the independent checker said VERIFIED */
    slong rejected;         /* certificates (of any confirmation) it REJECTED */
    slong not_checked;      /* certificates it did not check (NOT CHECKED, ERROR) */
    double screen_seconds, confirm_seconds, verify_seconds;  /* sums */
} pc_store_counts;

/* The counts, with the campaign's confirm policy (stored with it). */
int pc_store_count(pc_store_counts *k, const pc_store_t S, pc_error_t err);

/* One instance and its confirmation (if any) as stored; strings are valid
 * during the callback only. */
typedef struct {
    slong idx;
    const char *status;     /* pc_screen_status_name */
    double score;
    int has_score;
    const char *target, *reason;
    double seconds, at;     /* CPU seconds, Unix time stored */
    int has_confirm;        /* the fields below are set if 1 */
    int confirmed, verdict;
    const char *verdict_name, *confirm_reason, *claims, *cert_sha256;
    long long cert_bytes;
    const char *checker_verdict, *checker_message;
    double confirm_seconds, verify_seconds, confirm_at;
} pc_store_row;

/* Calls f on every instance in index order (only_candidates: those screened
 * as candidates); stops with f's status if it is not PC_OK. */
int pc_store_rows(const pc_store_t S, int only_candidates,
                  int (*f)(void *ctx, const pc_store_row *r), void *ctx, pc_error_t err);

/* SQLite's PRAGMA integrity_check and foreign_key_check on the whole file:
 * PC_OK, or PC_ERR_INPUT with the first problem in err. */
int pc_store_integrity(const pc_store_t S, pc_error_t err);

/* The certificate of instance i (malloc'd), its SHA-256 checked against
 * the stored one (PC_ERR_INPUT if it differs or there is none). */
int pc_store_cert(char **cert, size_t *len, slong i, const pc_store_t S, pc_error_t err);

#endif
