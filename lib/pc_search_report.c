/* Status and report of a search store (pc_search_run.h): what was
 * screened, what was confirmed, and what the checker said. A search that
 * found nothing says "No counterexample among N instances", which is a
 * finite search, never a proof. */
#include <jansson.h>
#include <math.h>
#include <string.h>
#include "pc_search_run.h"

typedef struct {
    FILE *f;
    json_t *rows;           /* JSON: the array of rows */
    int kind;
    slong n;
} rows_ctx;

static int complete(const pc_store_counts *k)
{
    return k->screened == k->instances && k->checked >= k->to_confirm;
}

/* The one-line result: the only place where "no counterexample" is said. */
static void result_line(char *s, size_t cap, const pc_store_counts *k, const char *path)
{
    if (k->confirmed > 0)
        snprintf(s, cap, "%ld certified counterexample%s among %ld instances (%ld of them "
                 "VERIFIED by the independent checker)", (long) k->confirmed,
                 k->confirmed == 1 ? "" : "s", (long) k->instances, (long) k->verified);
    else if (complete(k))
        snprintf(s, cap, "No counterexample among %ld instances", (long) k->instances);
    else
        snprintf(s, cap, "incomplete: %ld of %ld instances screened, %ld of %ld selected "
                 "candidates confirmed; 'polarcert search run --store %s' continues",
                 (long) k->screened, (long) k->instances, (long) k->checked,
                 (long) k->to_confirm, path);
}

static void summary(FILE *f, const pc_store_counts *k, const char *sha, const char *path)
{
    char line[1024];
    fprintf(f, "campaign   sha256 %s, %ld instances, confirm %s", sha, (long) k->instances,
            k->confirm_best > 0 ? "the best " : "every candidate");
    if (k->confirm_best > 0)
        fprintf(f, "%ld by score", (long) k->confirm_best);
    fprintf(f, "\nscreened   %ld of %ld (float screen, NOT rigorous): %ld filtered by the "
            "hypotheses, %ld clear, %ld candidates, %ld failed\n", (long) k->screened,
            (long) k->instances, (long) k->filtered, (long) k->clear, (long) k->candidates,
            (long) k->failed);
    fprintf(f, "confirmed  %ld of %ld selected candidates checked rigorously: %ld certified "
            "counterexamples (%ld VERIFIED by polarcert-verify), %ld unconfirmed\n",
            (long) k->checked, (long) k->to_confirm, (long) k->confirmed, (long) k->verified,
            (long) (k->checked - k->confirmed));
    fprintf(f, "cpu        screen %.2f s, confirm %.2f s, checker %.2f s (wall)\n",
            k->screen_seconds, k->confirm_seconds, k->verify_seconds);
    result_line(line, sizeof line, k, path);
    fprintf(f, "result     %s\n", line);
    if (k->rejected > 0)
        fprintf(f, "WARNING    %ld certificate%s REJECTED by polarcert-verify: the certifier and "
                "the checker disagree, which is a bug; see 'search report' and export them\n",
                (long) k->rejected, k->rejected == 1 ? "" : "s");
    if (k->not_checked > 0)
        fprintf(f, "note       %ld certificate%s not checked by polarcert-verify (a resource "
                "limit or an error; see 'search report')\n", (long) k->not_checked,
                k->not_checked == 1 ? "" : "s");
    if (k->confirmed == 0 && complete(k))
        fprintf(f, "           (a finite search: not a proof that none exists; %ld instances "
                "were filtered out, %ld could not be screened, %ld candidates were not "
                "checked rigorously)\n", (long) k->filtered, (long) k->failed,
                (long) (k->candidates - k->to_confirm));
}

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('"', f);
}

static void tex_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("_%&#$", *s))
            fprintf(f, "\\%c", *s);
        else if (*s == '\\' || *s == '^' || *s == '~' || *s == '{' || *s == '}')
            fprintf(f, "\\char%d{}", (unsigned char) *s);
        else if ((unsigned char) *s >= 0x20)
            fputc(*s, f);
    }
}

/* The score is float evidence: printed with 17 digits so that two runs can
 * be compared exactly. */
static int row_out(void *ctx, const pc_store_row *r)
{
    rows_ctx *c = ctx;
    FILE *f = c->f;
    char score[32] = "";
    if (r->has_score)
        snprintf(score, sizeof score, "%.17g", r->score);
    c->n++;
    if (c->kind == 0) {         /* the table: candidates only */
        fprintf(f, "%8ld  %-9s  %-12.6g  %-22s  %-11s  %-12s  %-11s  %.16s\n", (long) r->idx,
                r->status, r->has_score ? r->score : NAN, r->target,
                !r->has_confirm ? "not checked" : r->confirmed ? "CONFIRMED" : "unconfirmed",
                r->has_confirm ? r->verdict_name : "", r->has_confirm ? r->checker_verdict : "",
                r->has_confirm ? r->cert_sha256 : "");
        if (r->has_confirm && !r->confirmed)
            fprintf(f, "          reason: %s\n", r->confirm_reason);
    } else if (c->kind == 1) {  /* CSV: every instance, times last */
        fprintf(f, "%ld,", (long) r->idx);
        csv_field(f, r->status);
        fprintf(f, ",%s,", score);
        csv_field(f, r->target);
        fputc(',', f);
        csv_field(f, r->reason);
        if (r->has_confirm) {
            fprintf(f, ",%d,", r->confirmed);
            csv_field(f, r->verdict_name);
            fputc(',', f);
            csv_field(f, r->confirm_reason);
            fprintf(f, ",%s,%lld,", r->cert_sha256, r->cert_bytes);
            csv_field(f, r->checker_verdict);
            fputc(',', f);
            csv_field(f, r->checker_message);
        } else
            fputs(",,,,,,,", f);
        fprintf(f, ",%.6f,%.6f,%.6f\n", r->seconds, r->has_confirm ? r->confirm_seconds : 0.0,
                r->has_confirm ? r->verify_seconds : 0.0);
    } else if (c->kind == 2) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:f}", "instance", (json_int_t) r->idx,
                              "status", r->status, "score", score, "target", r->target,
                              "reason", r->reason, "screen_seconds", r->seconds);
        if (o != NULL && r->has_confirm)
            json_object_set_new(o, "confirmation", json_pack(
                "{s:b, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:f, s:f}", "confirmed", r->confirmed,
                "verdict", r->verdict_name, "reason", r->confirm_reason, "claims", r->claims,
                "cert_sha256", r->cert_sha256, "cert_bytes", (json_int_t) r->cert_bytes,
                "checker_verdict", r->checker_verdict, "checker_message", r->checker_message,
                "seconds", r->confirm_seconds, "checker_seconds", r->verify_seconds));
        if (o == NULL || json_array_append_new(c->rows, o) != 0)
            return PC_ERR_MEMORY;
    } else if (r->has_confirm && r->confirmed) {   /* LaTeX: the counterexamples */
        fprintf(f, "%ld & ", (long) r->idx);
        tex_text(f, r->confirm_reason);
        fputs(" & ", f);
        tex_text(f, r->checker_verdict);
        fprintf(f, " & \\texttt{%.12s}\\\\\n", r->cert_sha256);
    }
    return ferror(f) ? PC_ERR_IO : PC_OK;
}

static int report_latex(FILE *f, const pc_store_t S, const pc_store_counts *k, const char *sha,
                        pc_error_t err)
{
    char line[1024];
    rows_ctx c = {f, NULL, 3, 0};
    fputs("% polarcert search report (needs \\usepackage{booktabs}).\n"
          "\\begin{table}[ht]\n\\centering\\footnotesize\n"
          "\\begin{tabular}{@{}rp{0.5\\linewidth}lr@{}}\n\\toprule\n"
          "Instance & Rigorous check & Checker & "
          "SHA-256\\\\\n"
          "\\midrule\n", f);
    int st = pc_store_rows(S, 1, row_out, &c, err);
    if (k->confirmed == 0)
        fputs("\\multicolumn{4}{@{}l@{}}{none}\\\\\n", f);
    result_line(line, sizeof line, k, "STORE");
    fputs("\\bottomrule\n\\end{tabular}\n\n\\smallskip\\parbox{0.93\\linewidth}{\\footnotesize ", f);
    fprintf(f, "Campaign \\texttt{%.12s}: %ld instances screened in floating point (not "
            "rigorous), %ld filtered out by the hypotheses, %ld candidates, %ld checked "
            "rigorously. ", sha, (long) k->screened, (long) k->filtered, (long) k->candidates,
            (long) k->checked);
    tex_text(f, line);
    fputs(k->confirmed == 0 && complete(k) ? " (a finite search, not a proof)." : ".", f);
    fputs(" Each counterexample is a certificate re-checked by polarcert-verify "
          "(\\texttt{polarcert search export --certificate}).}\n\\end{table}\n", f);
    if (st == PC_OK && ferror(f))
        st = pc_error_set(err, PC_ERR_IO, "write error");
    return st;
}

int pc_search_report(FILE *f, const pc_store_t S, int kind, pc_error_t err)
{
    pc_store_counts k;
    char *text, sha[65], line[1024];
    int st = pc_store_count(&k, S, err);
    if (st == PC_OK)
        st = pc_store_campaign_text(&text, sha, S, err);
    if (st != PC_OK)
        return st;
    free(text);
    if (kind == 3)
        return report_latex(f, S, &k, sha, err);
    rows_ctx c = {f, NULL, kind, 0};
    if (kind == 0) {
        summary(f, &k, sha, S->path);
        fputs("\ncandidates (screen score: float evidence; confirmation: rigorous)\n"
              "instance  screen     score         target                  confirmation "
              "check         checker      certificate\n", f);
    } else if (kind == 1)
        fputs("instance,status,score,target,reason,confirmed,verdict,confirm_reason,"
              "cert_sha256,cert_bytes,checker_verdict,checker_message,screen_seconds,"
              "confirm_seconds,checker_seconds\n", f);
    else if ((c.rows = json_array()) == NULL)
        return pc_error_set(err, PC_ERR_MEMORY, "out of memory");
    st = pc_store_rows(S, kind == 0, row_out, &c, err);
    if (st == PC_OK && kind == 0 && c.n == 0)
        fputs("(none)\n", f);
    if (st == PC_OK && kind == 2) {
        result_line(line, sizeof line, &k, S->path);
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
                              " s:s, s:o}",
            "format", "polarcert-search-report/1", "campaign_sha256", sha,
            "instances", (json_int_t) k.instances, "confirm_best", (json_int_t) k.confirm_best,
            "screened", (json_int_t) k.screened, "filtered", (json_int_t) k.filtered,
            "clear", (json_int_t) k.clear, "candidates", (json_int_t) k.candidates,
            "failed", (json_int_t) k.failed, "checked", (json_int_t) k.checked,
            "confirmed", (json_int_t) k.confirmed, "verified", (json_int_t) k.verified,
            "rejected", (json_int_t) k.rejected,
            "result", line, "rows", c.rows);
        c.rows = NULL;
        if (o == NULL || json_dumpf(o, f, JSON_INDENT(1)) != 0 || fputc('\n', f) == EOF)
            st = pc_error_set(err, PC_ERR_IO, "write error");
        json_decref(o);
    }
    json_decref(c.rows);
    if (st == PC_OK && ferror(f))
        st = pc_error_set(err, PC_ERR_IO, "write error");
    return st;
}

int pc_search_status(FILE *f, const pc_store_t S, pc_error_t err)
{
    pc_store_counts k;
    char *text, sha[65];
    int st = pc_store_count(&k, S, err);
    if (st == PC_OK)
        st = pc_store_campaign_text(&text, sha, S, err);
    if (st != PC_OK)
        return st;
    free(text);
    summary(f, &k, sha, S->path);
    if ((st = pc_store_integrity(S, err)) == PC_OK)
        fputs("integrity  ok (SQLite integrity_check and foreign_key_check)\n", f);
    else {
        fputs("integrity  DAMAGED (see the message)\n", f);
        return st;
    }
    return ferror(f) ? pc_error_set(err, PC_ERR_IO, "write error") : PC_OK;
}
