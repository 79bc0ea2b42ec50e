/* Reports as LaTeX (booktabs table, pgfplots figure), JSON and CSV. Every
 * number goes through pc_report_decimal: MPFR directed rounding from the
 * exact value, never a double (the preview, not rigorous, excepted). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include "pc_report.h"

char *pc_report_decimal(const arf_t x, int up, int digits, pc_report_rounding r)
{
    char *s = NULL, *out;
    if (arf_is_pos_inf(x))
        return strdup("inf");
    if (arf_is_neg_inf(x))
        return strdup("-inf");
    mpfr_t m;
    mpfr_init2(m, arf_bits(x) + 2);
    arf_get_mpfr(m, x, MPFR_RNDN);          /* exact: enough bits */
    const char *fmt = r == PC_ROUND_NEAREST_TEST ? "%.*RNg" : up ? "%.*RUg" : "%.*RDg";
    mpfr_asprintf(&s, fmt, digits, m);
    mpfr_clear(m);
    out = strdup(s);
    mpfr_free_str(s);
    return out;
}

/* "1.25e-07" -> "1.25\times10^{-7}" for LaTeX math. */
static void tex_num(FILE *f, const char *s)
{
    const char *e = strchr(s, 'e');
    if (e == NULL) {
        fputs(s, f);
        return;
    }
    fprintf(f, "%.*s\\times10^{%ld}", (int) (e - s), s, strtol(e + 1, NULL, 10));
}

/* \pcN{x}, x rounded up or down. */
static void tex_bound(FILE *f, const arf_t x, int up, pc_report_rounding r)
{
    char *s = pc_report_decimal(x, up, 8, r);
    fputs("\\pcN{", f);
    tex_num(f, s);
    fputs("}", f);
    free(s);
}

/* A claim interval, ends inwards: \pcI{from up}{to down} or \pcIinf{from up};
 * \pcIo, \pcIoinf with an open left end (open start). */
static void tex_claim_interval(FILE *f, const arf_t from, const arf_t to, int open,
                               pc_report_rounding r)
{
    char *a = pc_report_decimal(from, 1, 8, r);
    fputs(arf_is_pos_inf(to) ? (open ? "\\pcIoinf{" : "\\pcIinf{") : (open ? "\\pcIo{" : "\\pcI{"), f);
    tex_num(f, a);
    free(a);
    if (!arf_is_pos_inf(to)) {
        char *b = pc_report_decimal(to, 0, 8, r);
        fputs("}{", f);
        tex_num(f, b);
        free(b);
    }
    fputs("}", f);
}

/* An enclosure, ends outwards: \pcI{lo down}{hi up}, or "--". */
static void tex_enclosure(FILE *f, const arb_t x, pc_report_rounding r)
{
    if (!arb_is_finite(x)) {
        fputs("--", f);
        return;
    }
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, x, ARF_PREC_EXACT);
    arb_get_ubound_arf(hi, x, ARF_PREC_EXACT);
    char *a = pc_report_decimal(lo, 0, 8, r), *b = pc_report_decimal(hi, 1, 8, r);
    fputs("\\pcI{", f);
    tex_num(f, a);
    fputs("}{", f);
    tex_num(f, b);
    fputs("}", f);
    free(a);
    free(b);
    arf_clear(lo);
    arf_clear(hi);
}

/* Text with LaTeX's special characters escaped. */
static void tex_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("_%&#$", *s))
            fprintf(f, "\\%c", *s);
        else if (*s == '\\' || *s == '^' || *s == '~' || *s == '{' || *s == '}')
            fprintf(f, "\\char%d{}", (unsigned char) *s);
        else
            fputc(*s, f);
    }
}

static void tex_claim(FILE *f, const pc_report_claim *c, pc_report_rounding r)
{
    if (strcmp(c->kind, "entropy_decreasing") == 0)
        fputs("$\\dot H<0$ on ", f);
    else if (strcmp(c->kind, "entropy_increasing") == 0)
        fputs("$\\dot H>0$ on ", f);
    else if (strcmp(c->kind, "logit_gap_decreasing") == 0)
        fprintf(f, "$a_{%ld}-a_{%ld}$ shrinks on ", (long) c->i, (long) c->j);
    else if (strcmp(c->kind, "entropy_limit") == 0) {   /* an enclosure: rounded outward */
        char *a = pc_report_decimal(c->from, 0, 8, r), *b = pc_report_decimal(c->to, 1, 8, r);
        fputs("$\\lim_{t\\to\\infty} H\\in{}$\\pcI{", f);
        tex_num(f, a);
        fputs("}{", f);
        tex_num(f, b);
        fputs("}", f);
        free(a);
        free(b);
        if (c->lemma[0]) {
            fputs(" (lemma ", f);
            tex_text(f, c->lemma);
            fputs("/1)", f);
        }
        return;
    } else if (strcmp(c->kind, "entropy_above") == 0) {
        fputs("$H\\geq{}$", f);
        tex_bound(f, c->bound, 0, r);
        fputs(" on ", f);
    } else {
        tex_text(f, c->kind);
        fputs(" on ", f);
    }
    tex_claim_interval(f, c->from, c->to, c->open_from, r);
    if (c->lemma[0]) {
        fputs(" (lemma ", f);
        tex_text(f, c->lemma);
        fputs("/1)", f);
    }
}

static const char tex_macros[] =
    "\\providecommand{\\pcN}[1]{\\ensuremath{#1}}\n"
    "\\providecommand{\\pcI}[2]{\\ensuremath{[#1,\\,#2]}}\n"
    "\\providecommand{\\pcIinf}[1]{\\ensuremath{[#1,\\,\\infty)}}\n"
    "\\providecommand{\\pcIo}[2]{\\ensuremath{(#1,\\,#2]}}\n"
    "\\providecommand{\\pcIoinf}[1]{\\ensuremath{(#1,\\,\\infty)}}\n";

int pc_report_latex_table(FILE *f, const pc_report_struct *const *R, slong nR,
                          const char *checker, pc_report_rounding r)
{
    fputs("% polarcert report: the certificates' claims (needs \\usepackage{booktabs,graphicx}).\n", f);
    fputs(tex_macros, f);
    fputs("\\begin{table}[ht]\n\\centering\\footnotesize\\setlength{\\tabcolsep}{4pt}\n"
          "\\sbox0{\\begin{tabular}{@{}llrrllllr@{}}\n\\toprule\n"
          "Problem & Loss & $d$ & $n$ & $T$ & $T^*$ & $H(T^*)$ & $H(T)$ & SHA-256\\\\\n\\midrule\n", f);
    for (slong k = 0; k < nR; k++) {
        const pc_report_struct *q = R[k];
        tex_text(f, q->p->name);
        fputs(" & ", f);
        tex_text(f, pc_loss_name(q->p->loss));
        fprintf(f, " & %ld & %ld & ", (long) q->p->d, (long) q->p->n);
        tex_bound(f, q->T, 0, r);
        fputs(" & ", f);
        if (q->have_tstar)
            tex_bound(f, q->tstar, 1, r);
        else
            fputs("--", f);
        fputs(" & ", f);
        tex_enclosure(f, q->H_tstar, r);
        fputs(" & ", f);
        tex_enclosure(f, q->H_T, r);
        fprintf(f, " & \\texttt{%.12s}\\\\\n", q->sha256);
        fputs("\\multicolumn{9}{@{\\quad}p{0.93\\linewidth}@{}}{\\raggedright Claims (every $t$ of "
              "the interval, every initial point): ", f);
        for (slong c = 0; c < q->nclaims; c++) {
            tex_claim(f, q->claim + c, r);
            fputs(c + 1 < q->nclaims ? "; " : ".}\\\\\n", f);
        }
        if (k + 1 < nR)
            fputs("\\addlinespace\n", f);
    }
    fputs("\\bottomrule\n\\end{tabular}}%\n"
          "\\ifdim\\wd0>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox0}\\else\\usebox0\\fi\n\n\\smallskip\\parbox{0.93\\linewidth}{\\footnotesize "
          "Each number is rounded from the certificate's exact value in the safe direction: "
          "interval ends inwards ($T^*$ and lower ends up, upper ends and $T$ down), the lower "
          "bound of $H$ down, and the enclosures of $H(T^*)$, $H(T)$ outwards, so every printed "
          "statement follows from the certificate. Verified by ", f);
    tex_text(f, checker);
    fputs("; re-check with ", f);
    for (slong k = 0; k < nR; k++) {
        fputs("\\texttt{polarcert-verify ", f);
        const char *b = strrchr(R[k]->path, '/');
        tex_text(f, b ? b + 1 : R[k]->path);
        fputs(k + 1 < nR ? "}, " : "}.}\n", f);
    }
    fputs("\\end{table}\n", f);
    return ferror(f) ? PC_ERR_IO : PC_OK;
}

/* ---- the figure --------------------------------------------------------------- */

/* The staircase outline of the band: along the upper ends forwards, the
 * lower ends backwards. x clipped to the axis (log axes start at t_min). */
static void pgf_band(FILE *f, const pc_report_t R)
{
    slong np;
    pc_report_piece *P = pc_report_band_merged(&np, R, PC_REPORT_FIGURE_PIECES);
    arf_t tmin, a, b;
    arf_init(tmin);
    arf_init(a);
    arf_init(b);
    arf_set_d(tmin, R->t_min);
    fputs("\\addplot[band, area legend] coordinates {\n", f);
    for (int pass = 0; pass < 2; pass++) {
        for (slong i = 0; i < np; i++) {
            const pc_report_piece *q = P + (pass ? np - 1 - i : i);
            if (arf_cmp(q->t_hi, tmin) <= 0 || !arb_is_finite(q->H))
                continue;
            arf_max(a, q->t_lo, tmin);
            arf_set(b, q->t_hi);
            arf_t h;
            arf_init(h);
            if (pass == 0)
                arb_get_ubound_arf(h, q->H, 64);
            else
                arb_get_lbound_arf(h, q->H, 64);
            char *sa = pc_report_decimal(pass ? b : a, pass == 0, 10, PC_ROUND_SAFE);
            char *sb = pc_report_decimal(pass ? a : b, pass != 0, 10, PC_ROUND_SAFE);
            char *sh = pc_report_decimal(h, pass == 0, 10, PC_ROUND_SAFE);
            fprintf(f, "(%s,%s) (%s,%s)\n", sa, sh, sb, sh);
            free(sa);
            free(sb);
            free(sh);
            arf_clear(h);
        }
    }
    fputs("} -- cycle;\n", f);
    pc_report_pieces_free(P, np);
    arf_clear(tmin);
    arf_clear(a);
    arf_clear(b);
}

/* The sign bar: grey (not decided) under the certificate's claims on the
 * sign of dH/dt, each drawn over its interval rounded inwards. */
static void pgf_signs(FILE *f, const pc_report_t R)
{
    fprintf(f, "\\fill[pcund] (axis cs:%.10g,0) rectangle (axis cs:%.10g,1);\n",
            R->log_time ? R->t_min : 0.0, arf_get_d(R->T, ARF_RND_DOWN));
    for (slong k = 0; k < R->nclaims; k++) {
        const pc_report_claim *c = R->claim + k;
        int dec = strcmp(c->kind, "entropy_decreasing") == 0;
        if (!dec && strcmp(c->kind, "entropy_increasing") != 0)
            continue;
        double lo = arf_get_d(c->from, ARF_RND_UP);
        double hi = arf_cmp(c->to, R->T) < 0 ? arf_get_d(c->to, ARF_RND_DOWN) : arf_get_d(R->T, ARF_RND_DOWN);
        if (hi > R->t_min)
            fprintf(f, "\\fill[%s] (axis cs:%.10g,0) rectangle (axis cs:%.10g,1);\n",
                    dec ? "pcdec" : "pcinc", lo > R->t_min ? lo : R->t_min, hi);
    }
}

int pc_report_falls(const pc_report_t R)
{
    return R->npieces > 1 && arb_is_finite(R->piece[0].H) && arb_is_finite(R->piece[R->npieces - 1].H)
           && arf_cmp(arb_midref(R->piece[R->npieces - 1].H), arb_midref(R->piece[0].H)) < 0;
}

int pc_report_pgfplots(FILE *f, const pc_report_t R, int standalone)
{
    double T = arf_get_d(R->T, ARF_RND_NEAR);  /* axis limits only: not a bound */
    const char *xmode = R->log_time ? "log" : "normal";
    if (standalone)     /* a page of the figure's size (pdfTeX; no standalone.cls needed) */
        fputs("\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
              "\\pagestyle{empty}\n\\newsavebox{\\pcfigbox}\n\\begin{document}\n"
              "\\savebox{\\pcfigbox}{%\n", f);
    fputs("% polarcert report: the entropy of ", f);
    fputs(R->p->name, f);
    fputs(" (needs \\usepackage{pgfplots}).\n", f);
    fputs("\\begin{tikzpicture}[\n"
          "  band/.style={fill=blue!45, draw=blue!70!black, line width=0.5pt},\n"
          "  preview/.style={red!80!black, line width=0.35pt, densely dashed}]\n"
          "\\colorlet{pcdec}{green!55!black}\\colorlet{pcinc}{red!75!black}\\colorlet{pcund}{gray!45}\n", f);
    fprintf(f, "\\begin{axis}[name=main, width=11cm, height=6cm, xmode=%s, xmin=%.10g, xmax=%.10g,\n"
               "  ylabel={entropy $H(t)$}, xticklabels={}, scaled y ticks=false,\n"
               "  legend style={font=\\footnotesize, draw=none, fill=white, fill opacity=0.8, text opacity=1},\n"
               "  legend pos=%s, legend cell align=left, tick label style={font=\\footnotesize}]\n",
            xmode, R->t_min, T, pc_report_falls(R) ? "south west" : "north west");
    pgf_band(f, R);
    fputs("\\addlegendentry{rigorous enclosure of $H(t)$ (step enclosures)}\n", f);
    if (R->npreview > 0) {
        fputs("\\addplot[preview] coordinates {\n", f);
        for (slong k = 0; k < R->npreview; k++)
            if (R->preview_t[k] >= R->t_min && (!R->log_time || R->preview_t[k] > 0))
                fprintf(f, "(%.10g,%.10g)\n", R->preview_t[k], R->preview_H[k]);
        fputs("};\n\\addlegendentry{float64 preview (not rigorous)}\n", f);
    }
    if (R->have_tstar && arf_get_d(R->tstar, ARF_RND_UP) > R->t_min) {
        char *s = pc_report_decimal(R->tstar, 1, 10, PC_ROUND_SAFE);
        fprintf(f, "\\draw[black, dashed, line width=0.6pt] ({axis cs:%s,0}|-{rel axis cs:0,0}) -- "
                   "({axis cs:%s,0}|-{rel axis cs:0,1}) node[pos=0.6, right, font=\\footnotesize] {$T^*$};\n",
                s, s);
        free(s);
    }
    fputs("\\end{axis}\n", f);
    fprintf(f, "\\begin{axis}[at={(main.south west)}, anchor=north west, yshift=-4pt, width=11cm,\n"
               "  height=2.3cm, xmode=%s, xmin=%.10g, xmax=%.10g, ymin=0, ymax=1, ytick=\\empty,\n"
               "  xlabel={time $t$}, ylabel={sign $\\dot H$}, ylabel style={font=\\footnotesize},\n"
               "  tick label style={font=\\footnotesize}, axis on top]\n", xmode, R->t_min, T);
    pgf_signs(f, R);
    fputs("\\end{axis}\n"
          "\\node[below=1pt, font=\\scriptsize] at (current bounding box.south) {sign of $dH/dt$: "
          "\\textcolor{pcdec}{\\rule{1.2em}{0.6em}} $<0$ proven\\quad "
          "\\textcolor{pcinc}{\\rule{1.2em}{0.6em}} $>0$ proven\\quad "
          "\\textcolor{pcund}{\\rule{1.2em}{0.6em}} not decided};\n"
          "\\end{tikzpicture}\n", f);
    if (standalone)
        fputs("}%\n\\pdfpagewidth=\\dimexpr\\wd\\pcfigbox+4pt\\relax\n"
              "\\pdfpageheight=\\dimexpr\\ht\\pcfigbox+\\dp\\pcfigbox+4pt\\relax\n"
              "\\hoffset=\\dimexpr2pt-1in\\relax \\voffset=\\dimexpr2pt-1in\\relax\n"
              "\\oddsidemargin=0pt \\topmargin=0pt \\headheight=0pt \\headsep=0pt \\topskip=0pt\n"
              "\\noindent\\usebox{\\pcfigbox}\n\\end{document}\n", f);
    return ferror(f) ? PC_ERR_IO : PC_OK;
}

/* ---- JSON and CSV --------------------------------------------------------------- */

static json_t *jdec(const arf_t x, int up)
{
    char *s = pc_report_decimal(x, up, 17, PC_ROUND_SAFE);
    json_t *j = json_string(s);
    free(s);
    return j;
}

static json_t *jenclosure(const arb_t x)
{
    if (!arb_is_finite(x))
        return json_null();
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, x, ARF_PREC_EXACT);
    arb_get_ubound_arf(hi, x, ARF_PREC_EXACT);
    json_t *j = json_pack("[oo]", jdec(lo, 0), jdec(hi, 1));
    arf_clear(lo);
    arf_clear(hi);
    return j;
}

static json_t *json_one(const pc_report_t R)
{
    json_t *claims = json_array(), *band = json_array(), *pt = json_array(), *pH = json_array();
    for (slong k = 0; k < R->nclaims; k++) {
        const pc_report_claim *c = R->claim + k;
        const int lim = strcmp(c->kind, "entropy_limit") == 0;    /* [lo, hi], outward */
        json_t *o = lim ? json_pack("{sssoso}", "kind", c->kind, "lo", jdec(c->from, 0), "hi",
                                    jdec(c->to, 1))
                        : json_pack("{sssoso}", "kind", c->kind, "from", jdec(c->from, 1), "to",
                                    jdec(c->to, 0));
        if (c->open_from)
            json_object_set_new(o, "open_from", json_true());
        if (strcmp(c->kind, "entropy_above") == 0)
            json_object_set_new(o, "bound", jdec(c->bound, 0));
        if (strcmp(c->kind, "logit_gap_decreasing") == 0) {
            json_object_set_new(o, "i", json_integer(c->i));
            json_object_set_new(o, "j", json_integer(c->j));
        }
        if (c->lemma[0])
            json_object_set_new(o, "lemma", json_string(c->lemma));
        json_array_append_new(claims, o);
    }
    for (slong k = 0; k < R->npieces; k++) {
        const pc_report_piece *q = R->piece + k;
        json_t *e = jenclosure(q->H), *o = json_pack("{soso}", "t_lo", jdec(q->t_lo, 1), "t_hi", jdec(q->t_hi, 0));
        json_object_set(o, "H_lo", json_is_array(e) ? json_array_get(e, 0) : json_null());
        json_object_set(o, "H_hi", json_is_array(e) ? json_array_get(e, 1) : json_null());
        json_object_set_new(o, "dH_sign", json_integer(q->sign));
        json_array_append_new(band, o);
        json_decref(e);
    }
    for (slong k = 0; k < R->npreview; k++) {
        json_array_append_new(pt, json_real(R->preview_t[k]));
        json_array_append_new(pH, json_real(R->preview_H[k]));
    }
    return json_pack("{sssssssssIsIsosososososbsfsososo}", "certificate", R->path, "sha256", R->sha256,
                     "problem", R->p->name, "loss", pc_loss_name(R->p->loss), "d", (json_int_t) R->p->d,
                     "n", (json_int_t) R->p->n, "T", jdec(R->T, 0),
                     "T_star", R->have_tstar ? jdec(R->tstar, 1) : json_null(),
                     "H_T_star", jenclosure(R->H_tstar), "H_T", jenclosure(R->H_T), "claims", claims,
                     "log_time", R->log_time, "t_min", R->t_min, "band", band,
                     "preview_not_rigorous", json_pack("{soso}", "t", pt, "H", pH),
                     "system", json_string(pc_system_name(R->system)));
}

int pc_report_json(FILE *f, const pc_report_struct *const *R, slong nR, const char *checker)
{
    json_t *arr = json_array();
    for (slong k = 0; k < nR; k++)
        json_array_append_new(arr, json_one((pc_report_struct *) R[k]));
    json_t *j = json_pack("{ssssssso}", "format", "polarcert-report/1", "checker", checker,
                          "rounding", "decimal strings rounded from exact values: claim intervals and "
                          "band pieces' time spans inwards, bounds and enclosures outwards",
                          "reports", arr);
    int st = json_dumpf(j, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? PC_OK : PC_ERR_IO;
    fputc('\n', f);
    json_decref(j);
    return st == PC_OK && !ferror(f) ? PC_OK : PC_ERR_IO;
}

int pc_report_csv(FILE *f, const pc_report_struct *const *R, slong nR)
{
    fputs("problem,row,t_lo,t_hi,H_lo,H_hi,dH_sign\n", f);
    for (slong k = 0; k < nR; k++) {
        const pc_report_struct *q = R[k];
        arf_t lo, hi;
        arf_init(lo);
        arf_init(hi);
        for (slong i = 0; i < q->npieces; i++) {
            const pc_report_piece *p = q->piece + i;
            arb_get_lbound_arf(lo, p->H, ARF_PREC_EXACT);
            arb_get_ubound_arf(hi, p->H, ARF_PREC_EXACT);
            char *s[4] = {pc_report_decimal(p->t_lo, 1, 17, PC_ROUND_SAFE),
                          pc_report_decimal(p->t_hi, 0, 17, PC_ROUND_SAFE),
                          pc_report_decimal(lo, 0, 17, PC_ROUND_SAFE),
                          pc_report_decimal(hi, 1, 17, PC_ROUND_SAFE)};
            fprintf(f, "%s,band,%s,%s,%s,%s,%d\n", q->p->name, s[0], s[1], s[2], s[3], p->sign);
            for (int j = 0; j < 4; j++)
                free(s[j]);
        }
        for (slong i = 0; i < q->npreview; i++)
            fprintf(f, "%s,preview_not_rigorous,%.17g,%.17g,%.17g,%.17g,\n", q->p->name,
                    q->preview_t[i], q->preview_t[i], q->preview_H[i], q->preview_H[i]);
        arf_clear(lo);
        arf_clear(hi);
    }
    return ferror(f) ? PC_ERR_IO : PC_OK;
}
