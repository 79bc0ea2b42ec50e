/* Appendix output of certificates (format polarcert-cert/1): a LaTeX table,
 * a figure of the rigorous band of the entropy H(t), and the same data as
 * JSON or CSV.
 *
 * Guarantees.
 * * The band: pc_report_load re-runs the library's enclosure of the
 *   certificate's exact problem with the certificate's method (system,
 *   precision, order, Jacobian precision) and refuses the certificate
 *   (PC_ERR_INPUT) unless the re-run's steps have exactly the
 *   certificate's times. Each step is cut into pieces; for every piece
 *   [t_lo, t_hi] (real time) the ball H of pc_enclose_observe over the
 *   whole piece contains H(σ(a(t))) for EVERY t in it (never samples).
 * * Every printed number is rounded from the exact value with MPFR's
 *   directed rounding (never through a double): lower bounds down, upper
 *   bounds up, claim intervals inwards, enclosures outwards. So every
 *   printed claim is implied by the certificate's claim, and every printed
 *   enclosure contains the exact one.
 * * The float preview (pc_preview, DOP853) is NOT rigorous and is labelled
 *   so wherever it appears. */
#ifndef PC_REPORT_H
#define PC_REPORT_H

#include <stdio.h>
#include <jansson.h>
#include "pc_enclose.h"

typedef struct {
    char kind[32];          /* "entropy_decreasing", ... as in the certificate */
    arf_t from, to;         /* exact; to = +inf for "inf" */
    arf_t bound;            /* entropy_above */
    slong i, j;             /* logit_gap_decreasing */
    char lemma[48];         /* "" if none */
    int open_from;          /* the claim is on (from, to] (open start, from = 0) */
} pc_report_claim;

/* Figures draw the band merged into at most this many pieces. */
#define PC_REPORT_FIGURE_PIECES 400

typedef struct {
    arf_t t_lo, t_hi;       /* exact real-time span of the piece */
    arb_t H;                /* contains H(t) for every t in [t_lo, t_hi] */
    int sign;               /* sign of dH/dt proven on the piece: -1, 1, or 0 */
} pc_report_piece;

typedef struct {
    char *path;
    char sha256[65];
    char tool_version[64];
    pc_problem_t p;
    pc_system_kind system;
    slong prec, order, jac_prec, nsteps;
    arf_t T;                /* the horizon (exact) */
    int have_tstar;
    arf_t tstar;            /* from of the entropy_decreasing claim */
    int tstar_inf;          /* that claim reaches +inf */
    arb_t H_tstar, H_T;     /* enclosures of H at T* and T */
    slong nclaims;
    pc_report_claim *claim;
    slong npieces;
    pc_report_piece *piece;
    slong npreview;         /* float preview (NOT rigorous); 0 if it failed */
    double *preview_t, *preview_H;
    int log_time;           /* the figure's time axis is logarithmic */
    double t_min;           /* the left end of the time axis */
} pc_report_struct;
typedef pc_report_struct pc_report_t[1];

typedef struct {
    slong pieces_per_step;  /* default 8 */
    slong preview_points;   /* default 200 */
    /* TEST HOOK ONLY: no re-run; the band is taken from the float preview
     * at its sample times (NOT an enclosure: tests show that they catch it). */
    int band_from_samples;
    double max_memory;      /* of the re-run (pc_flow_opts.max_memory); 0 = none */
} pc_report_opts;

void pc_report_opts_default(pc_report_opts *o);

/* Encloses H(σ(a)) for every a in the box a (n balls): the intersection of
 * the direct interval evaluation and the mean-value form
 * H(c) + Σ_j ∂_jH(box) (a_j − c_j), c the box's centre, with
 * ∂H/∂a_j = −s_j (a_j − ā) (ā = Σ s_k a_k), which is tight where a is near
 * uniform and the box wide (the direct form overestimates by the box's
 * width there). The result contains H at every point of the box. */
void pc_report_entropy_box(arb_t H, arb_srcptr a, slong n, slong prec);

void pc_report_init(pc_report_t R);
void pc_report_clear(pc_report_t R);

/* Reads the certificate at path, checks its hash, re-runs the enclosure
 * (see above), computes the band, H(T*), H(T) and the float preview.
 * Returns PC_OK, PC_ERR_IO, PC_ERR_INPUT ("path: field: what is wrong"),
 * or the status of a failed re-run. */
int pc_report_load(pc_report_t R, const char *path, const pc_report_opts *o, pc_error_t err);

/* The band joined into at most max pieces: consecutive pieces merged, their
 * spans joined and their H balls' unions taken (so each still contains H
 * at every time of its span). For figures, whose size it bounds. Free with
 * pc_report_pieces_free. */
pc_report_piece *pc_report_band_merged(slong *len, const pc_report_t R, slong max);
void pc_report_pieces_free(pc_report_piece *p, slong len);

/* ---- output (pc_report_out.c); write to f, return PC_OK or PC_ERR_IO ---- */

typedef enum {
    PC_ROUND_SAFE = 0,      /* the directed rounding described above */
    PC_ROUND_NEAREST_TEST   /* TEST HOOK ONLY: to nearest, which is NOT safe */
} pc_report_rounding;

/* The exact x as a decimal of `digits` significant digits rounded down
 * (up = 0) or up (up = 1), as plain text ("1.25e-07" style); malloc'd. */
char *pc_report_decimal(const arf_t x, int up, int digits, pc_report_rounding r);

/* A booktabs table (a table environment, \input-able) of the reports,
 * with a footnote on the rounding and the command that re-checks each
 * file. Numbers appear as \pcN{x} (a bound) and \pcI{lo}{hi} (an
 * interval), macros the table defines with \providecommand. checker names
 * the checker that verified the files (e.g. "polarcert-verify 0.2.0"). */
int pc_report_latex_table(FILE *f, const pc_report_struct *const *R, slong nR,
                          const char *checker, pc_report_rounding r);

/* The figure of one report as a tikzpicture with pgfplots (\input-able
 * into a document that loads pgfplots); standalone = 1 wraps it in a
 * complete standalone document. */
int pc_report_pgfplots(FILE *f, const pc_report_t R, int standalone);

/* The band, the sign bar, T* and the preview as JSON (one object) or CSV
 * (one row per piece, then the preview rows, marked by the first column). */
int pc_report_json(FILE *f, const pc_report_struct *const *R, slong nR, const char *checker);
int pc_report_csv(FILE *f, const pc_report_struct *const *R, slong nR);

/* Whether H falls over the horizon (the legend then goes bottom left). */
int pc_report_falls(const pc_report_t R);

/* The same figure as PDF and PNG (either may be NULL) through PLplot's
 * cairo devices (pdfcairo, pngcairo). PC_ERR_IO on failure. */
int pc_report_plot(const pc_report_t R, const char *pdf, const char *png, pc_error_t err);

#endif
