/* The report's figure as PDF and PNG through PLplot's cairo devices. The
 * band's ends are converted to doubles outwards (a picture, but still never
 * narrower than the enclosure). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plplot.h>
#include "pc_report.h"

enum { COL_BG = 0, COL_FG, COL_BAND, COL_EDGE, COL_PREV, COL_DEC, COL_INC, COL_UND, COL_GRID };

static void set_colors(void)
{
    plscol0(COL_BG, 255, 255, 255);
    plscol0(COL_FG, 0, 0, 0);
    plscol0(COL_BAND, 140, 160, 235);
    plscol0(COL_EDGE, 30, 50, 150);
    plscol0(COL_PREV, 200, 20, 20);
    plscol0(COL_DEC, 40, 140, 60);
    plscol0(COL_INC, 190, 40, 40);
    plscol0(COL_UND, 190, 190, 190);
    plscol0(COL_GRID, 225, 225, 225);
}

/* x on the axis: log10 t on a logarithmic axis. */
static double ax(const pc_report_t R, double t)
{
    if (!R->log_time)
        return t;
    return log10(t > R->t_min ? t : R->t_min);
}

/* The band outline (upper ends forwards, lower ends backwards); returns the
 * number of points and the y range. */
static slong band_polygon(double *x, double *y, const pc_report_t R, double *ymin, double *ymax)
{
    slong m = 0, np;
    pc_report_piece *P = pc_report_band_merged(&np, R, PC_REPORT_FIGURE_PIECES);
    arf_t h;
    arf_init(h);
    for (int pass = 0; pass < 2; pass++)
        for (slong i = 0; i < np; i++) {
            const pc_report_piece *q = P + (pass ? np - 1 - i : i);
            double lo = arf_get_d(q->t_lo, ARF_RND_DOWN), hi = arf_get_d(q->t_hi, ARF_RND_UP);
            if (hi <= R->t_min || !arb_is_finite(q->H))
                continue;
            double v;
            if (pass == 0) {
                arb_get_ubound_arf(h, q->H, 64);
                v = arf_get_d(h, ARF_RND_UP);
            } else {
                arb_get_lbound_arf(h, q->H, 64);
                v = arf_get_d(h, ARF_RND_DOWN);
            }
            *ymin = fmin(*ymin, v);
            *ymax = fmax(*ymax, v);
            x[m] = ax(R, pass ? hi : lo);
            y[m++] = v;
            x[m] = ax(R, pass ? lo : hi);
            y[m++] = v;
        }
    arf_clear(h);
    pc_report_pieces_free(P, np);
    return m;
}

static void draw_main(const pc_report_t R, const double *bx, const double *by, slong bm,
                      double x0, double x1, double y0, double y1)
{
    plvpor(0.11, 0.97, 0.36, 0.95);
    plwind(x0, x1, y0, y1);
    plcol0(COL_GRID);
    plwidth(0.5);
    plbox(R->log_time ? "gl" : "g", 0, 0, "g", 0, 0);
    plcol0(COL_BAND);
    plfill((PLINT) bm, (PLFLT *) bx, (PLFLT *) by);
    plcol0(COL_EDGE);
    plwidth(1.6);
    plline((PLINT) bm, (PLFLT *) bx, (PLFLT *) by);
    if (R->npreview > 0) {
        double *px = malloc(sizeof(double) * (size_t) R->npreview);
        slong m = 0;
        for (slong k = 0; k < R->npreview; k++)
            if (R->preview_t[k] >= R->t_min && (!R->log_time || R->preview_t[k] > 0))
                px[m++] = ax(R, R->preview_t[k]);
        plcol0(COL_PREV);
        plwidth(1.2);
        pllsty(3);
        plline((PLINT) m, px, (PLFLT *) R->preview_H + (R->npreview - m));
        pllsty(1);
        free(px);
    }
    if (R->have_tstar && arf_get_d(R->tstar, ARF_RND_UP) > R->t_min) {
        double xs = ax(R, arf_get_d(R->tstar, ARF_RND_UP)), lx[2] = {xs, xs}, ly[2] = {y0, y1};
        plcol0(COL_FG);
        plwidth(1.0);
        pllsty(2);
        plline(2, lx, ly);
        pllsty(1);
        plptex(xs + 0.01 * (x1 - x0), y0 + 0.6 * (y1 - y0), 1, 0, 0, "T#u*#d");
    }
    plcol0(COL_FG);
    plwidth(1.0);
    plbox(R->log_time ? "bcstl" : "bcst", 0, 0, "bcnstv", 0, 0);
    plmtex("l", 4.2, 0.5, 0.5, "entropy H(t)");
    plmtex("t", 0.8, 0.0, 0.0, R->p->name);
}

static void draw_legend(const pc_report_t R)
{
    PLINT opt[3] = {PL_LEGEND_COLOR_BOX, PL_LEGEND_LINE, PL_LEGEND_LINE};
    PLINT tcol[3] = {COL_FG, COL_FG, COL_FG}, bcol[3] = {COL_BAND, 0, 0}, bpat[3] = {0, 0, 0};
    PLINT lcol[3] = {0, COL_PREV, COL_FG}, lsty[3] = {1, 3, 2};
    PLFLT bsc[3] = {0.8, 0, 0}, bw[3] = {1, 1, 1}, lw[3] = {1, 0.8, 1.0};
    const char *text[3] = {"rigorous enclosure of H(t) (step enclosures)",
                           "float64 preview (NOT rigorous)", "T#u*#d: H decreases from here on (proven)"};
    PLFLT w, h;
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             (pc_report_falls(R) ? PL_POSITION_BOTTOM | PL_POSITION_LEFT : PL_POSITION_TOP | PL_POSITION_LEFT) | PL_POSITION_INSIDE, 0.02, 0.04, 0.08, COL_BG,
             COL_FG, 1, 0, 0, 3, opt, 0.8, 0.75, 2.0, 0.0, tcol, text, bcol, bpat, bsc, bw, lcol,
             lsty, lw, NULL, NULL, NULL, NULL);
}

static void fill_span(const pc_report_t R, int col, double a, double b)
{
    if (b <= R->t_min)
        return;
    double rx[4] = {ax(R, a), ax(R, b), ax(R, b), ax(R, a)}, ry[4] = {0, 0, 1, 1};
    plcol0(col);
    plfill(4, rx, ry);
}

/* Grey (not decided) under the certificate's claims on the sign of dH/dt,
 * each over its interval rounded inwards. */
static void draw_signs(const pc_report_t R, double x0, double x1)
{
    plvpor(0.11, 0.97, 0.2, 0.29);
    plwind(x0, x1, 0, 1);
    fill_span(R, COL_UND, R->log_time ? R->t_min : 0, arf_get_d(R->T, ARF_RND_DOWN));
    for (slong k = 0; k < R->nclaims; k++) {
        const pc_report_claim *c = R->claim + k;
        int dec = strcmp(c->kind, "entropy_decreasing") == 0;
        if (dec || strcmp(c->kind, "entropy_increasing") == 0)
            fill_span(R, dec ? COL_DEC : COL_INC, arf_get_d(c->from, ARF_RND_UP),
                      arf_cmp(c->to, R->T) < 0 ? arf_get_d(c->to, ARF_RND_DOWN)
                                               : arf_get_d(R->T, ARF_RND_DOWN));
    }
    plcol0(COL_FG);
    plwidth(1.0);
    plbox(R->log_time ? "bcnstl" : "bcnst", 0, 0, "bc", 0, 0);
    plmtex("b", 3.3, 0.5, 0.5, "time t");
    plschr(0, 0.75);
    plmtex("lv", 0.6, 0.5, 1.0, "sign dH/dt");
    plschr(0, 0.95);
    plschr(0, 0.75);
    plmtex("b", 6.2, 0.0, 0.0, "sign bar: green dH/dt < 0 proven, red dH/dt > 0 proven, grey not decided");
    plschr(0, 0.95);
}

static int plot_one(const pc_report_t R, const char *dev, const char *file, const char *geometry)
{
    FILE *probe = fopen(file, "wb");            /* PLplot exits on errors: probe first */
    if (probe == NULL)
        return PC_ERR_IO;
    fclose(probe);
    double T = arf_get_d(R->T, ARF_RND_NEAR), ymin = INFINITY, ymax = -INFINITY;
    double *bx = malloc(sizeof(double) * (size_t) (4 * R->npieces + 4));
    double *by = malloc(sizeof(double) * (size_t) (4 * R->npieces + 4));
    slong bm = band_polygon(bx, by, R, &ymin, &ymax);
    for (slong k = 0; k < R->npreview; k++)
        if (R->preview_t[k] >= R->t_min) {
            ymin = fmin(ymin, R->preview_H[k]);
            ymax = fmax(ymax, R->preview_H[k]);
        }
    if (!(ymax > ymin)) {
        ymin -= 0.5;
        ymax += 0.5;
    }
    double pad = 0.06 * (ymax - ymin);
    ymin -= pad;
    ymin -= pc_report_falls(R) ? 3 * pad : 0;  /* room for the legend */
    ymax += pc_report_falls(R) ? pad : 4 * pad;
    plsdev(dev);
    plsfnam(file);
    plsetopt("geometry", geometry);
    set_colors();
    plinit();
    pladv(0);
    plschr(0, 0.95);
    double x0 = R->log_time ? log10(R->t_min) : 0, x1 = R->log_time ? log10(T) : T;
    draw_main(R, bx, by, bm, x0, x1, ymin, ymax);
    draw_legend(R);
    draw_signs(R, x0, x1);
    plend();
    free(bx);
    free(by);
    return PC_OK;
}

int pc_report_plot(const pc_report_t R, const char *pdf, const char *png, pc_error_t err)
{
    if (pdf != NULL && plot_one(R, "pdfcairo", pdf, "720x430") != PC_OK)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot write", pdf);
    if (png != NULL && plot_one(R, "pngcairo", png, "1200x720") != PC_OK)
        return pc_error_set(err, PC_ERR_IO, "%s: cannot write", png);
    return PC_OK;
}
