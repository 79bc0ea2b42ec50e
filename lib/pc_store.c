/* The campaign store in SQLite (pc_store.h, the schema in certs/STORE.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include <sqlite3.h>
#include "pc_store.h"
#include "polarcert.h"

/* Schema version 1 (certs/STORE.md documents every column). The triggers
 * keep the file consistent whoever writes it: no index outside the
 * campaign, no confirmation of an instance that is not a candidate. */
static const char schema_sql[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);\n"
    "CREATE TABLE campaign (id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  text TEXT NOT NULL, sha256 TEXT NOT NULL CHECK (length(sha256) = 64),\n"
    "  instances INTEGER NOT NULL CHECK (instances >= 0),\n"
    "  confirm_best INTEGER NOT NULL CHECK (confirm_best >= 0));\n"
    "CREATE TABLE instance (idx INTEGER PRIMARY KEY CHECK (idx >= 0),\n"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),\n"
    "  status_name TEXT NOT NULL, score REAL, target TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL, seconds REAL NOT NULL, at REAL NOT NULL);\n"
    "CREATE INDEX instance_by_score ON instance (status, score DESC, idx);\n"
    "CREATE TABLE confirmation (idx INTEGER PRIMARY KEY REFERENCES instance (idx),\n"
    "  confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),\n"
    "  verdict INTEGER NOT NULL, verdict_name TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  claims TEXT NOT NULL, cert BLOB, cert_sha256 TEXT NOT NULL,\n"
    "  checker_verdict TEXT NOT NULL, checker_message TEXT NOT NULL,\n"
    "  seconds REAL NOT NULL, verify_seconds REAL NOT NULL, at REAL NOT NULL,\n"
    "  CHECK ((cert IS NULL) = (cert_sha256 = '')));\n"
    "CREATE TRIGGER instance_in_range BEFORE INSERT ON instance\n"
    "  WHEN NEW.idx >= (SELECT instances FROM campaign WHERE id = 1)\n"
    "  BEGIN SELECT RAISE(ABORT, 'instance index beyond the campaign'); END;\n"
    "CREATE TRIGGER confirm_candidate BEFORE INSERT ON confirmation\n"
    "  WHEN (SELECT status FROM instance WHERE idx = NEW.idx) IS NOT 2\n"
    "  BEGIN SELECT RAISE(ABORT, 'confirmation of an instance that is not a candidate'); END;\n";

static void sha256_hex(char hex[65], const void *data, size_t len)
{
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    for (int k = 0; k < SHA256_DIGEST_SIZE; k++)
        snprintf(hex + 2 * k, 3, "%02x", dig[k]);
}

static double now_unix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int db_error(pc_error_t err, const pc_store_t S, const char *what)
{
    int code = S->db ? sqlite3_errcode(S->db) : SQLITE_ERROR;
    int st = code == SQLITE_CONSTRAINT || code == SQLITE_NOTADB || code == SQLITE_CORRUPT
                 ? PC_ERR_INPUT : code == SQLITE_NOMEM ? PC_ERR_MEMORY : PC_ERR_IO;
    return pc_error_set(err, st, "%s: %s: %s", S->path ? S->path : "store", what,
                        S->db ? sqlite3_errmsg(S->db) : "no database");
}

void pc_store_init(pc_store_t S)
{
    S->db = NULL;
    S->path = NULL;
    S->lock_fd = -1;
}

void pc_store_clear(pc_store_t S)
{
    if (S->db != NULL)
        sqlite3_close(S->db);
    /* only after the close: closing any descriptor of the file would drop
     * SQLite's own POSIX locks */
    if (S->lock_fd >= 0)
        close(S->lock_fd);
    free(S->path);
    pc_store_init(S);
}

static int exec(pc_store_t S, const char *sql, const char *what, pc_error_t err)
{
    return sqlite3_exec(S->db, sql, NULL, NULL, NULL) == SQLITE_OK ? PC_OK
                                                                    : db_error(err, S, what);
}

/* The connection's settings: WAL (readers never block the writer), commits
 * that survive the writer being killed (NORMAL in WAL: every committed
 * transaction is in the WAL file; only a power failure can lose the last
 * ones, never corrupt), foreign keys, and a wait for a lock held briefly. */
static int configure(pc_store_t S, pc_error_t err)
{
    sqlite3_busy_timeout(S->db, 10000);
    int st = exec(S, "PRAGMA foreign_keys = ON", "cannot configure", err);
    if (st == PC_OK && S->lock_fd >= 0)
        st = exec(S, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                  "cannot switch to WAL", err);
    return st;
}

/* One text value of a query with one optional integer parameter, or NULL. */
static char *query_text(const pc_store_t S, const char *sql)
{
    sqlite3_stmt *q;
    char *out = NULL;
    if (sqlite3_prepare_v2(S->db, sql, -1, &q, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        const char *t = (const char *) sqlite3_column_text(q, 0);
        out = t ? strdup(t) : NULL;
    }
    sqlite3_finalize(q);
    return out;
}

static int write_schema(pc_store_t S, const pc_campaign_t c, pc_error_t err)
{
    char head[512];
    snprintf(head, sizeof head,
             "PRAGMA application_id = %d; PRAGMA user_version = %d; BEGIN;",
             PC_STORE_APPLICATION_ID, PC_STORE_SCHEMA);
    int st = exec(S, head, "cannot create", err);
    if (st == PC_OK)
        st = exec(S, schema_sql, "cannot create the schema", err);
    sqlite3_stmt *q = NULL;
    if (st == PC_OK && sqlite3_prepare_v2(S->db,
            "INSERT INTO meta (key, value) VALUES ('format', ?1), ('schema_version', ?2),"
            " ('created_by', ?3), ('created_at', ?4)", -1, &q, NULL) != SQLITE_OK)
        st = db_error(err, S, "cannot create");
    if (st == PC_OK) {
        char ver[16], at[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
        snprintf(ver, sizeof ver, "%d", PC_STORE_SCHEMA);
        sqlite3_bind_text(q, 1, PC_STORE_FORMAT, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, ver, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 3, "polarcert " PC_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, at, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = db_error(err, S, "cannot create");
    }
    sqlite3_finalize(q);
    q = NULL;
    if (st == PC_OK && sqlite3_prepare_v2(S->db,
            "INSERT INTO campaign (id, text, sha256, instances, confirm_best)"
            " VALUES (1, ?1, ?2, ?3, ?4)", -1, &q, NULL) != SQLITE_OK)
        st = db_error(err, S, "cannot create");
    if (st == PC_OK) {
        sqlite3_bind_text(q, 1, c->text, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, c->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, c->instances);
        sqlite3_bind_int64(q, 4, c->confirm_best);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = db_error(err, S, "cannot store the campaign");
    }
    sqlite3_finalize(q);
    if (st == PC_OK)
        st = exec(S, "COMMIT", "cannot create", err);
    return st;
}

/* The writer's lock: an flock on the file itself, released by the kernel
 * when the process ends however it ends (no stale lock after kill -9). */
static int take_lock(pc_store_t S, pc_error_t err)
{
    S->lock_fd = open(S->path, O_RDONLY | O_CLOEXEC);
    if (S->lock_fd < 0)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot open: %s", S->path, strerror(errno));
    if (flock(S->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return pc_error_set(err, PC_ERR_IO, "%s: another polarcert search run is writing this "
                            "store (one writer at a time)", S->path);
    return PC_OK;
}

int pc_store_create(pc_store_t S, const char *path, const pc_campaign_t c, pc_error_t err)
{
    struct stat sb;
    if (lstat(path, &sb) == 0)
        return pc_error_set(err, PC_ERR_IO, "%s: exists already (a new store is created "
                            "only where there is no file)", path);
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (tmp == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", path);
    snprintf(tmp, len, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int st = pc_error_set(err, PC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    /* mkstemp makes 0600: a store gets the usual mode of a new file */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    /* built with a rollback journal under the temporary name, then linked
     * (never replacing a file that appeared meanwhile), then WAL */
    S->path = strdup(path);
    int st = sqlite3_open_v2(tmp, &S->db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
                 ? PC_OK : db_error(err, S, "cannot create");
    if (st == PC_OK)
        st = exec(S, "PRAGMA synchronous = FULL", "cannot create", err);
    if (st == PC_OK)
        st = write_schema(S, c, err);
    if (S->db != NULL && sqlite3_close(S->db) != SQLITE_OK && st == PC_OK)
        st = pc_error_set(err, PC_ERR_IO, "%s: cannot close the new store", path);
    S->db = NULL;
    if (st == PC_OK && link(tmp, path) != 0)
        st = pc_error_set(err, PC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    unlink(tmp);
    size_t jl = strlen(tmp) + 10;
    char *journal = malloc(jl);
    if (journal != NULL) {
        snprintf(journal, jl, "%s-journal", tmp);
        unlink(journal);
        free(journal);
    }
    free(tmp);
    pc_store_clear(S);
    return st == PC_OK ? pc_store_open(S, path, 1, err) : st;
}

static int not_a_store(pc_store_t S, pc_error_t err, const char *why)
{
    int st = pc_error_set(err, PC_ERR_INPUT, "%s: not a polarcert store (%s)", S->path, why);
    pc_store_clear(S);
    return st;
}

/* Is the open file a store of this program and version? Reads only. */
static int validate(pc_store_t S, pc_error_t err)
{
    char *appid = query_text(S, "PRAGMA application_id");
    if (appid == NULL) {
        char why[300];
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(S->db));
        return not_a_store(S, err, why);
    }
    long id = strtol(appid, NULL, 10);
    free(appid);
    if (id != PC_STORE_APPLICATION_ID)
        return not_a_store(S, err, id == 0 ? "an SQLite database of another program"
                                           : "an SQLite database with another application_id");
    char *fmt = query_text(S, "SELECT value FROM meta WHERE key = 'format'");
    char *ver = query_text(S, "SELECT value FROM meta WHERE key = 'schema_version'");
    int ok_fmt = fmt != NULL && strcmp(fmt, PC_STORE_FORMAT) == 0;
    int ver_n = ver ? atoi(ver) : -1;
    free(fmt);
    free(ver);
    if (!ok_fmt)
        return not_a_store(S, err, "meta: format is not " PC_STORE_FORMAT);
    if (ver_n != PC_STORE_SCHEMA) {
        char why[128];
        snprintf(why, sizeof why, "meta: schema_version %d, this polarcert reads %d", ver_n,
                 PC_STORE_SCHEMA);
        return not_a_store(S, err, why);
    }
    char *text, sha[65];
    if (pc_store_campaign_text(&text, sha, S, err) != PC_OK) {
        pc_store_clear(S);
        return PC_ERR_INPUT;
    }
    char again[65];
    sha256_hex(again, text, strlen(text));
    free(text);
    if (strcmp(again, sha) != 0)
        return not_a_store(S, err, "campaign: the text does not match its SHA-256");
    return PC_OK;
}

int pc_store_open(pc_store_t S, const char *path, int writer, pc_error_t err)
{
    struct stat sb;
    pc_store_init(S);
    if (stat(path, &sb) != 0)
        return pc_error_set(err, errno == ENOENT ? PC_ERR_INPUT : PC_ERR_IO,
                            "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return pc_error_set(err, PC_ERR_INPUT, "%s: not a polarcert store (not a regular file)",
                            path);
    S->path = strdup(path);
    if (S->path == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", path);
    int st = writer ? take_lock(S, err) : PC_OK;
    if (st != PC_OK) {
        pc_store_clear(S);
        return st;
    }
    if (sqlite3_open_v2(path, &S->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        st = db_error(err, S, "cannot open");
        pc_store_clear(S);
        return st;
    }
    /* an empty file is an empty database to SQLite: not a store either */
    if (sb.st_size == 0)
        return not_a_store(S, err, "an empty file");
    sqlite3_busy_timeout(S->db, 10000);
    if ((st = validate(S, err)) != PC_OK)
        return st;
    if ((st = configure(S, err)) != PC_OK)
        pc_store_clear(S);
    return st;
}

int pc_store_campaign_text(char **text, char sha256[65], const pc_store_t S, pc_error_t err)
{
    sqlite3_stmt *q;
    *text = NULL;
    if (sqlite3_prepare_v2(S->db, "SELECT text, sha256 FROM campaign WHERE id = 1", -1, &q,
                           NULL) != SQLITE_OK)
        return pc_error_set(err, PC_ERR_INPUT, "%s: not a polarcert store (campaign: %s)",
                            S->path, sqlite3_errmsg(S->db));
    int st = PC_OK;
    if (sqlite3_step(q) != SQLITE_ROW)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: not a polarcert store (campaign: no row)",
                          S->path);
    else {
        const char *t = (const char *) sqlite3_column_text(q, 0);
        const char *h = (const char *) sqlite3_column_text(q, 1);
        if (t == NULL || h == NULL || strlen(h) != 64)
            st = pc_error_set(err, PC_ERR_INPUT, "%s: not a polarcert store (campaign: "
                              "text or sha256 missing)", S->path);
        else if ((*text = strdup(t)) == NULL)
            st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", S->path);
        else
            memcpy(sha256, h, 65);
    }
    sqlite3_finalize(q);
    return st;
}

int pc_store_check_campaign(const pc_store_t S, const pc_campaign_t c, pc_error_t err)
{
    char *text, sha[65];
    int st = pc_store_campaign_text(&text, sha, S, err);
    if (st != PC_OK)
        return st;
    free(text);
    if (strcmp(sha, c->sha256) != 0)
        return pc_error_set(err, PC_ERR_INPUT, "%s: the store was created with another "
                            "campaign (sha256 %.16s..., the campaign given has %.16s...); "
                            "use a new store, or resume this one without --campaign",
                            S->path, sha, c->sha256);
    return PC_OK;
}

static void bind_score(sqlite3_stmt *q, int k, double x)
{
    if (x == x)     /* NaN is stored as NULL (no score) */
        sqlite3_bind_double(q, k, x);
    else
        sqlite3_bind_null(q, k);
}

int pc_store_put_screen(pc_store_t S, slong i, const pc_screen_result *r, pc_error_t err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(S->db, "INSERT INTO instance (idx, status, status_name, score,"
                           " target, reason, seconds, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot store");
    sqlite3_bind_int64(q, 1, i);
    sqlite3_bind_int(q, 2, (int) r->status);
    sqlite3_bind_text(q, 3, pc_screen_status_name(r->status), -1, SQLITE_STATIC);
    bind_score(q, 4, r->score);
    sqlite3_bind_text(q, 5, r->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, r->reason, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 7, r->seconds);
    sqlite3_bind_double(q, 8, now_unix());
    int st = sqlite3_step(q) == SQLITE_DONE ? PC_OK : db_error(err, S, "instance not stored");
    sqlite3_finalize(q);
    return st;
}

int pc_store_put_confirm(pc_store_t S, slong i, const pc_confirm_result *r,
                         const pc_verify_result *v, pc_error_t err)
{
    if (r->cert != NULL) {
        char sha[65];
        sha256_hex(sha, r->cert, r->cert_len);
        if (strcmp(sha, r->cert_sha256) != 0)
            return pc_error_set(err, PC_ERR_INPUT, "%s: instance %ld: the certificate does not "
                                "match its SHA-256; not stored", S->path, (long) i);
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(S->db, "INSERT INTO confirmation (idx, confirmed, verdict,"
                           " verdict_name, reason, claims, cert, cert_sha256, checker_verdict,"
                           " checker_message, seconds, verify_seconds, at) VALUES"
                           " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                           -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot store");
    sqlite3_bind_int64(q, 1, i);
    sqlite3_bind_int(q, 2, r->confirmed ? 1 : 0);
    sqlite3_bind_int(q, 3, r->verdict);
    sqlite3_bind_text(q, 4, pc_check_verdict_name((pc_check_verdict) r->verdict), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(q, 5, r->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, r->claims ? r->claims : "", -1, SQLITE_STATIC);
    if (r->cert != NULL)
        sqlite3_bind_blob64(q, 7, r->cert, r->cert_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 7);
    sqlite3_bind_text(q, 8, r->cert != NULL ? r->cert_sha256 : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, v ? v->verdict : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, v ? v->message : "", -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 11, r->seconds);
    sqlite3_bind_double(q, 12, v ? v->seconds : 0.0);
    sqlite3_bind_double(q, 13, now_unix());
    int st = sqlite3_step(q) == SQLITE_DONE ? PC_OK : db_error(err, S, "confirmation not stored");
    sqlite3_finalize(q);
    return st;
}

int pc_store_screened(unsigned char *done, slong n, const pc_store_t S, pc_error_t err)
{
    sqlite3_stmt *q;
    memset(done, 0, (size_t) n);
    if (sqlite3_prepare_v2(S->db, "SELECT idx FROM instance", -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 i = sqlite3_column_int64(q, 0);
        if (i >= 0 && i < n)
            done[i] = 1;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? PC_OK : db_error(err, S, "cannot read");
}

int pc_store_to_confirm(slong **idx, slong *n, slong best, const pc_store_t S, pc_error_t err)
{
    sqlite3_stmt *q;
    *idx = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(S->db,
            "SELECT idx FROM (SELECT idx, score FROM instance WHERE status = 2"
            "   ORDER BY score DESC, idx LIMIT ?1)"
            " WHERE idx NOT IN (SELECT idx FROM confirmation) ORDER BY score DESC, idx",
            -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    sqlite3_bind_int64(q, 1, best > 0 ? best : -1);
    slong alloc = 0;
    int rc, st = PC_OK;
    while (st == PC_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == alloc) {
            alloc = alloc ? 2 * alloc : 64;
            slong *m = realloc(*idx, (size_t) alloc * sizeof(slong));
            if (m == NULL) {
                st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", S->path);
                break;
            }
            *idx = m;
        }
        (*idx)[(*n)++] = (slong) sqlite3_column_int64(q, 0);
    }
    if (st == PC_OK && rc != SQLITE_DONE)
        st = db_error(err, S, "cannot read");
    sqlite3_finalize(q);
    if (st != PC_OK) {
        free(*idx);
        *idx = NULL;
        *n = 0;
    }
    return st;
}

int pc_store_count(pc_store_counts *k, const pc_store_t S, pc_error_t err)
{
    memset(k, 0, sizeof *k);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(S->db,
            "SELECT (SELECT instances FROM campaign WHERE id = 1), count(*),"
            " total(status = 0), total(status = 1), total(status = 2), total(status = 3),"
            " total(seconds), (SELECT confirm_best FROM campaign WHERE id = 1) FROM instance", -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return db_error(err, S, "cannot read");
    }
    k->instances = sqlite3_column_int64(q, 0);
    k->screened = sqlite3_column_int64(q, 1);
    k->filtered = (slong) sqlite3_column_double(q, 2);
    k->clear = (slong) sqlite3_column_double(q, 3);
    k->candidates = (slong) sqlite3_column_double(q, 4);
    k->failed = (slong) sqlite3_column_double(q, 5);
    k->screen_seconds = sqlite3_column_double(q, 6);
    k->confirm_best = sqlite3_column_int64(q, 7);
    sqlite3_finalize(q);
    slong best = k->confirm_best;
    k->to_confirm = best > 0 && best < k->candidates ? best : k->candidates;
    if (sqlite3_prepare_v2(S->db,
            "SELECT count(*), total(confirmed), total(confirmed AND checker_verdict = 'VERIFIED'),"
            " total(seconds), total(verify_seconds), total(checker_verdict = 'REJECTED'),"
            " total(cert IS NOT NULL AND checker_verdict NOT IN ('VERIFIED', 'REJECTED'))"
            " FROM confirmation", -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return db_error(err, S, "cannot read");
    }
    k->checked = sqlite3_column_int64(q, 0);
    k->confirmed = (slong) sqlite3_column_double(q, 1);
    k->verified = (slong) sqlite3_column_double(q, 2);
    k->confirm_seconds = sqlite3_column_double(q, 3);
    k->verify_seconds = sqlite3_column_double(q, 4);
    k->rejected = (slong) sqlite3_column_double(q, 5);
    k->not_checked = (slong) sqlite3_column_double(q, 6);
    sqlite3_finalize(q);
    return PC_OK;
}

static const char *col_text(sqlite3_stmt *q, int k)
{
    const char *t = (const char *) sqlite3_column_text(q, k);
    return t ? t : "";
}

int pc_store_rows(const pc_store_t S, int only_candidates,
                  int (*f)(void *ctx, const pc_store_row *r), void *ctx, pc_error_t err)
{
    sqlite3_stmt *q;
    const char *sql =
        "SELECT i.idx, i.status_name, i.score, i.target, i.reason, i.seconds, i.at,"
        " c.idx, c.confirmed, c.verdict, c.verdict_name, c.reason, c.claims, c.cert_sha256,"
        " length(c.cert), c.checker_verdict, c.checker_message, c.seconds, c.verify_seconds, c.at"
        " FROM instance i LEFT JOIN confirmation c ON c.idx = i.idx"
        " WHERE ?1 = 0 OR i.status = 2 ORDER BY i.idx";
    if (sqlite3_prepare_v2(S->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    sqlite3_bind_int(q, 1, only_candidates);
    int rc, st = PC_OK;
    while (st == PC_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        pc_store_row r;
        memset(&r, 0, sizeof r);
        r.idx = sqlite3_column_int64(q, 0);
        r.status = col_text(q, 1);
        r.has_score = sqlite3_column_type(q, 2) != SQLITE_NULL;
        r.score = r.has_score ? sqlite3_column_double(q, 2) : 0.0;
        r.target = col_text(q, 3);
        r.reason = col_text(q, 4);
        r.seconds = sqlite3_column_double(q, 5);
        r.at = sqlite3_column_double(q, 6);
        r.has_confirm = sqlite3_column_type(q, 7) != SQLITE_NULL;
        if (r.has_confirm) {
            r.confirmed = sqlite3_column_int(q, 8);
            r.verdict = sqlite3_column_int(q, 9);
            r.verdict_name = col_text(q, 10);
            r.confirm_reason = col_text(q, 11);
            r.claims = col_text(q, 12);
            r.cert_sha256 = col_text(q, 13);
            r.cert_bytes = sqlite3_column_int64(q, 14);
            r.checker_verdict = col_text(q, 15);
            r.checker_message = col_text(q, 16);
            r.confirm_seconds = sqlite3_column_double(q, 17);
            r.verify_seconds = sqlite3_column_double(q, 18);
            r.confirm_at = sqlite3_column_double(q, 19);
        }
        st = f(ctx, &r);
    }
    if (st == PC_OK && rc != SQLITE_DONE)
        st = db_error(err, S, "cannot read");
    sqlite3_finalize(q);
    return st;
}

int pc_store_cert(char **cert, size_t *len, slong i, const pc_store_t S, pc_error_t err)
{
    sqlite3_stmt *q;
    *cert = NULL;
    *len = 0;
    if (sqlite3_prepare_v2(S->db, "SELECT cert, cert_sha256 FROM confirmation WHERE idx = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return db_error(err, S, "cannot read");
    sqlite3_bind_int64(q, 1, i);
    int st = PC_OK;
    if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: instance %ld has no certificate", S->path,
                          (long) i);
    else {
        const void *b = sqlite3_column_blob(q, 0);
        size_t n = (size_t) sqlite3_column_bytes(q, 0);
        char sha[65];
        sha256_hex(sha, b, n);
        if (strcmp(sha, col_text(q, 1)) != 0)
            st = pc_error_set(err, PC_ERR_INPUT, "%s: instance %ld: the stored certificate does "
                              "not match its SHA-256 (damaged store)", S->path, (long) i);
        else if ((*cert = malloc(n + 1)) == NULL)
            st = pc_error_set(err, PC_ERR_MEMORY, "%s: out of memory", S->path);
        else {
            memcpy(*cert, b, n);
            (*cert)[n] = '\0';
            *len = n;
        }
    }
    sqlite3_finalize(q);
    return st;
}

int pc_store_integrity(const pc_store_t S, pc_error_t err)
{
    char *ok = query_text(S, "PRAGMA integrity_check");
    int st = PC_OK;
    if (ok == NULL || strcmp(ok, "ok") != 0)
        st = pc_error_set(err, PC_ERR_INPUT, "%s: integrity_check: %s", S->path,
                          ok ? ok : sqlite3_errmsg(S->db));
    free(ok);
    sqlite3_stmt *q;
    if (st == PC_OK && sqlite3_prepare_v2(S->db, "PRAGMA foreign_key_check", -1, &q, NULL)
                           == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            st = pc_error_set(err, PC_ERR_INPUT, "%s: foreign_key_check: a row of %s refers "
                              "to no %s", S->path, col_text(q, 0), col_text(q, 2));
        sqlite3_finalize(q);
    }
    return st;
}
