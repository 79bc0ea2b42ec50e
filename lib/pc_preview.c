/* Float64 preview integrator: the explicit Runge-Kutta pair DOP853 of
 * Dormand and Prince with Hairer's error estimator, step-size controller,
 * initial step selection and 7th-order dense output, following
 * E. Hairer, S. P. Norsett, G. Wanner, "Solving Ordinary Differential
 * Equations I", 2nd ed., Springer 1993, Sec. II.5 and II.6, and the
 * description of Hairer's dop853.f. NOT RIGOROUS: see pc_preview.h.
 *
 * Cost model, exact and tested (tests/t-preview.c):
 *   fevals = 1                      f(t0, x0)
 *          + (h0 == 0 ? 1 : 0)      the trial Euler step of the initial-step rule
 *          + 11 * (accepted + rejected)   stages 2..12 of every attempt
 *          + accepted               the FSAL stage f(t+h, x(t+h))
 *          + 3 * (dense steps)      stages 14..16, only in accepted steps
 *                                   that have some t_out strictly inside.
 * Outputs that fall on a step end are copied, never interpolated, so with a
 * single output time (the end point) no dense stages are spent at all.
 *
 * "rejected" also counts attempts abandoned because a trial value was not
 * finite.
 *
 * Deviations from dop853.f, all deliberate: no stiffness detection (the
 * caller gets PC_ERR_LIMIT instead); non-finite trial values are treated as
 * a rejected step with a sharp cut of h, and only a persistent failure is
 * reported; atol must be positive so the weights never divide by zero;
 * hmax = 0 means the whole interval, as dop853.f's default. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pc_preview.h"

/* ---- the method's coefficients ------------------------------------------
 * Dormand-Prince 8(5,3) as published by Hairer-Norsett-Wanner (dop853.f).
 * Stage k_{i+1} (0-based index i) is f(t + C[i] h, x + h sum_j A[i][j] k_j).
 * Row 12 of A is the 8th-order solution weight b, so "stage" 12 is the FSAL
 * evaluation at the new point; rows 13..15 are the three extra stages used
 * only by the dense output. Zero entries are skipped when combining. */
#define NSTAGE 12               /* stages of one step attempt */
#define NEXT 16                 /* with FSAL and the dense-output stages */
#define FSAL 12                 /* index of f(t + h, x_new) */

static const double C[NEXT] = {
    0.0,
    0.526001519587677318785587544488e-01,
    0.789002279381515978178381316732e-01,
    0.118350341907227396726757197510e+00,
    0.281649658092772603273242802490e+00,
    0.333333333333333333333333333333e+00,
    0.25e+00,
    0.307692307692307692307692307692e+00,
    0.651282051282051282051282051282e+00,
    0.6e+00,
    0.857142857142857142857142857142e+00,
    1.0, 1.0,
    0.1e+00, 0.2e+00,
    0.777777777777777777777777777778e+00
};

static const double A[NEXT][NEXT - 1] = {
    [1] = { 5.26001519587677318785587544488e-2 },
    [2] = { 1.97250569845378994544595329183e-2,
            5.91751709536136983633785987549e-2 },
    [3] = { 2.95875854768068491816892993775e-2, 0.0,
            8.87627564304205475450678981324e-2 },
    [4] = { 2.41365134159266685502369798665e-1, 0.0,
           -8.84549479328286085344864962717e-1,
            9.24834003261792003115737966543e-1 },
    [5] = { 3.7037037037037037037037037037e-2, 0.0, 0.0,
            1.70828608729473871279604482173e-1,
            1.25467687566822425016691814123e-1 },
    [6] = { 3.7109375e-2, 0.0, 0.0,
            1.70252211019544039314978060272e-1,
            6.02165389804559606850219397283e-2,
           -1.7578125e-2 },
    [7] = { 3.70920001185047927108779319836e-2, 0.0, 0.0,
            1.70383925712239993810214054705e-1,
            1.07262030446373284651809199168e-1,
           -1.53194377486244017527936158236e-2,
            8.27378916381402288758473766002e-3 },
    [8] = { 6.24110958716075717114429577812e-1, 0.0, 0.0,
           -3.36089262944694129406857109825e0,
           -8.68219346841726006818189891453e-1,
            2.75920996994467083049415600797e1,
            2.01540675504778934086186788979e1,
           -4.34898841810699588477366255144e1 },
    [9] = { 4.77662536438264365890433908527e-1, 0.0, 0.0,
           -2.48811461997166764192642586468e0,
           -5.90290826836842996371446475743e-1,
            2.12300514481811942347288949897e1,
            1.52792336328824235832596922938e1,
           -3.32882109689848629194453265587e1,
           -2.03312017085086261358222928593e-2 },
    [10] = { -9.3714243008598732571704021658e-1, 0.0, 0.0,
              5.18637242884406370830023853209e0,
              1.09143734899672957818500254654e0,
             -8.14978701074692612513997267357e0,
             -1.85200656599969598641566180701e1,
              2.27394870993505042818970056734e1,
              2.49360555267965238987089396762e0,
             -3.0467644718982195003823669022e0 },
    [11] = { 2.27331014751653820792359768449e0, 0.0, 0.0,
            -1.05344954667372501984066689879e1,
            -2.00087205822486249909675718444e0,
            -1.79589318631187989172765950534e1,
             2.79488845294199600508499808837e1,
            -2.85899827713502369474065508674e0,
            -8.87285693353062954433549289258e0,
             1.23605671757943030647266201528e1,
             6.43392746015763530355970484046e-1 },
    /* b: the 8th-order weights */
    [12] = { 5.42937341165687622380535766363e-2, 0.0, 0.0, 0.0, 0.0,
             4.45031289275240888144113950566e0,
             1.89151789931450038304281599044e0,
            -5.8012039600105847814672114227e0,
             3.1116436695781989440891606237e-1,
            -1.52160949662516078556178806805e-1,
             2.01365400804030348374776537501e-1,
             4.47106157277725905176885569043e-2 },
    [13] = { 5.61675022830479523392909219681e-2, 0.0, 0.0, 0.0, 0.0, 0.0,
             2.53500210216624811088794765333e-1,
            -2.46239037470802489917441475441e-1,
            -1.24191423263816360469010140626e-1,
             1.5329179827876569731206322685e-1,
             8.20105229563468988491666602057e-3,
             7.56789766054569976138603589584e-3,
            -8.298e-3 },
    [14] = { 3.18346481635021405060768473261e-2, 0.0, 0.0, 0.0, 0.0,
             2.83009096723667755288322961402e-2,
             5.35419883074385676223797384372e-2,
            -5.49237485713909884646569340306e-2, 0.0, 0.0,
            -1.08347328697249322858509316994e-4,
             3.82571090835658412954920192323e-4,
            -3.40465008687404560802977114492e-4,
             1.41312443674632500278074618366e-1 },
    [15] = { -4.28896301583791923408573538692e-1, 0.0, 0.0, 0.0, 0.0,
             -4.69762141536116384314449447206e0,
              7.68342119606259904184240953878e0,
              4.06898981839711007970213554331e0,
              3.56727187455281109270669543021e-1, 0.0, 0.0, 0.0,
             -1.39902416515901462129418009734e-3,
              2.9475147891527723389556272149e0,
             -9.15095847217987001081870187138e0 }
};

/* b minus the 3rd-order weights bhh (on k1, k9, k12): the 3rd-order
 * estimator. Only the bhh are published; the b part is added at use. */
static const double BHH[3] = {
    0.244094488188976377952755905512e+00,
    0.733846688281611857341361741547e+00,
    0.220588235294117647058823529412e-01
};

/* The 5th-order estimator: b minus 5th-order weights. */
static const double ER[NSTAGE] = {
    0.1312004499419488073250102996e-01, 0.0, 0.0, 0.0, 0.0,
   -0.1225156446376204440720569753e+01,
   -0.4957589496572501915214079952e+00,
    0.1664377182454986536961530415e+01,
   -0.3503288487499736816886487290e+00,
    0.3341791187130174790297318841e+00,
    0.8192320648511571246570742613e-01,
   -0.2235530786388629525884427845e-01
};

/* Dense output (contd8): coefficients of the last four interpolant terms. */
static const double D[4][NEXT] = {
    { -0.84289382761090128651353491142e+01, 0.0, 0.0, 0.0, 0.0,
       0.56671495351937776962531783590e+00,
      -0.30689499459498916912797304727e+01,
       0.23846676565120698287728149680e+01,
       0.21170345824450282767155149946e+01,
      -0.87139158377797299206789907490e+00,
       0.22404374302607882758541771650e+01,
       0.63157877876946881815570249290e+00,
      -0.88990336451333310820698117400e-01,
       0.18148505520854727256656404962e+02,
      -0.91946323924783554000451984436e+01,
      -0.44360363875948939664310572000e+01 },
    {  0.10427508642579134603413151009e+02, 0.0, 0.0, 0.0, 0.0,
       0.24228349177525818288430175319e+03,
       0.16520045171727028198505394887e+03,
      -0.37454675472269020279518312152e+03,
      -0.22113666853125306036270938578e+02,
       0.77334326684722638389603898808e+01,
      -0.30674084731089398182061213626e+02,
      -0.93321305264302278729567221706e+01,
       0.15697238121770843886131091075e+02,
      -0.31139403219565177677282850411e+02,
      -0.93529243588444783865713862664e+01,
       0.35816841486394083752465898540e+02 },
    {  0.19985053242002433820987653617e+02, 0.0, 0.0, 0.0, 0.0,
      -0.38703730874935176555105901742e+03,
      -0.18917813819516756882830838328e+03,
       0.52780815920542364900561016686e+03,
      -0.11573902539959630126141871134e+02,
       0.68812326946963000169666922661e+01,
      -0.10006050966910838403183860980e+01,
       0.77771377980534432092869265740e+00,
      -0.27782057523535084065932004339e+01,
      -0.60196695231264120758267380846e+02,
       0.84320405506677161018159903784e+02,
       0.11992291136182789328035130030e+02 },
    { -0.25693933462703749003312586129e+02, 0.0, 0.0, 0.0, 0.0,
      -0.15418974869023643374053993627e+03,
      -0.23152937917604549567536039109e+03,
       0.35763911791061412378285349910e+03,
       0.93405324183624310003907691704e+02,
      -0.37458323136451633156875139351e+02,
       0.10409964950896230045147246184e+03,
       0.29840293426660503123344363579e+02,
      -0.43533456590011143754432175058e+02,
       0.96324553959188282948394950600e+02,
      -0.39177261675615439165231486172e+02,
      -0.14972683625798562581422125276e+03 }
};

/* ---- controller constants (dop853.f defaults) --------------------------- */
#define SAFE 0.9                /* keeps the next step clear of rejection */
#define FAC1 0.333              /* smallest step ratio */
#define FAC2 6.0                /* largest step ratio */
#define EXPO (1.0 / 8.0)        /* error ~ h^8 for the combined estimator */
#define STRETCH 1.01            /* avoid a sliver step just before the end */
#define UNDERFLOW 1e-14         /* h below this times |t| makes no progress */
#define CUT_NONFINITE 0.1       /* an overflow usually needs more than FAC1 */
#define MAX_NONFINITE 10        /* ... and 10 cuts (h / 1e10) settle it */

/* The work arrays, allocated once per call: no allocation while stepping. */
typedef struct {
    pc_preview_rhs f;
    void *ctx;
    long n;
    double *k[NEXT];            /* stage derivatives k1..k16 */
    double *x, *xnew, *tmp;     /* state at t, at t + h, stage argument */
    double *bk;                 /* sum_j b_j k_j, the step's increment / h */
    double *rc[8];              /* dense-output polynomial of the step */
    double rtol, atol, hmax;
    double *block;
    pc_preview_stats *st;
    int after_reject;           /* the previous attempt was rejected */
    int nonfinite;              /* consecutive attempts with non-finite values */
} work_t;

static int work_alloc(work_t *w, long n)
{
    size_t per = NEXT + 4 + 8, i;
    if ((size_t)n > SIZE_MAX / sizeof(double) / per)
        return 0;
    w->block = calloc(per * (size_t)n, sizeof(double));
    if (w->block == NULL)
        return 0;
    for (i = 0; i < NEXT; i++)
        w->k[i] = w->block + i * (size_t)n;
    w->x = w->block + NEXT * (size_t)n;
    w->xnew = w->x + n;
    w->tmp = w->xnew + n;
    w->bk = w->tmp + n;
    for (i = 0; i < 8; i++)
        w->rc[i] = w->bk + (i + 1) * (size_t)n;
    return 1;
}

static int all_finite(const double *v, long n)
{
    long i;
    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void eval(work_t *w, double *dx, double t, const double *x)
{
    w->f(dx, t, x, w->ctx);
    w->st->fevals++;
}

/* out = sum_j a[j] k_j over the first m stages. Forming the increment
 * before scaling by h follows dop853.f; for the solution weights it is also
 * what the 3rd-order estimate needs, which would lose digits if it were
 * recovered from x(t + h) - x(t) instead. */
static void lincomb(work_t *w, double *out, const double *a, int m)
{
    long i;
    int j;
    for (i = 0; i < w->n; i++)
        out[i] = 0.0;
    for (j = 0; j < m; j++) {
        if (a[j] == 0.0)
            continue;
        for (i = 0; i < w->n; i++)
            out[i] += a[j] * w->k[j][i];
    }
}

static void advance(const work_t *w, double *out, const double *incr, double h)
{
    long i;
    for (i = 0; i < w->n; i++)
        out[i] = w->x[i] + h * incr[i];
}

static void stage(work_t *w, int s, double t, double h)
{
    lincomb(w, w->tmp, A[s], s);
    advance(w, w->tmp, w->tmp, h);
    eval(w, w->k[s], t + C[s] * h, w->tmp);
}

/* Hairer's combined measure |h| err5^2 / sqrt(err5^2 + 0.01 err3^2) in the
 * RMS norm weighted by atol + rtol max(|x|, |xnew|). err5 ~ h^6 and
 * err3 ~ h^4, so for small h it behaves like h^8, the local error order of
 * the 8th-order solution that is actually propagated (hence EXPO = 1/8);
 * for steps far too large, where err5 dominates, it is err5 itself. */
static double step_error(const work_t *w, double h)
{
    double e5 = 0.0, e3 = 0.0, deno;
    long i;
    int j;
    for (i = 0; i < w->n; i++) {
        double sk = w->atol + w->rtol * fmax(fabs(w->x[i]), fabs(w->xnew[i]));
        double r5 = 0.0, r3;
        for (j = 0; j < NSTAGE; j++)
            r5 += ER[j] * w->k[j][i];
        r3 = w->bk[i] - BHH[0] * w->k[0][i]
             - BHH[1] * w->k[8][i] - BHH[2] * w->k[11][i];
        e5 += (r5 / sk) * (r5 / sk);
        e3 += (r3 / sk) * (r3 / sk);
    }
    deno = e5 + 0.01 * e3;
    if (deno <= 0.0)
        deno = 1.0;
    return fabs(h) * e5 * sqrt(1.0 / ((double)w->n * deno));
}

/* One trial step from (t, x) with k[0] = f(t, x): fills xnew and returns
 * the scaled error, which is not finite if any value overflowed. */
static double attempt(work_t *w, double t, double h)
{
    int s;
    for (s = 1; s < NSTAGE; s++)
        stage(w, s, t, h);
    lincomb(w, w->bk, A[FSAL], NSTAGE);
    advance(w, w->xnew, w->bk, h);
    if (!all_finite(w->xnew, w->n))
        return NAN;
    return step_error(w, h);
}

/* Builds the 7th-order interpolant of the accepted step [t, t + h]; needs
 * k[FSAL] = f(t + h, xnew). Returns 0 if it is not finite. */
static int prepare_dense(work_t *w, double t, double h)
{
    long i;
    int s, m, j;
    for (s = FSAL + 1; s < NEXT; s++)
        stage(w, s, t, h);
    for (i = 0; i < w->n; i++) {
        double dx = w->xnew[i] - w->x[i];
        double bspl = h * w->k[0][i] - dx;
        w->rc[0][i] = w->x[i];
        w->rc[1][i] = dx;
        w->rc[2][i] = bspl;
        w->rc[3][i] = dx - h * w->k[FSAL][i] - bspl;
        for (m = 0; m < 4; m++) {
            double acc = 0.0;
            for (j = 0; j < NEXT; j++)
                acc += D[m][j] * w->k[j][i];
            w->rc[4 + m][i] = h * acc;
        }
    }
    for (m = 0; m < 8; m++)
        if (!all_finite(w->rc[m], w->n))
            return 0;
    return 1;
}

/* Evaluates the interpolant at theta = (t_out - t) / h in (0, 1). */
static void dense_at(const work_t *w, double theta, double *out)
{
    double s = theta, s1 = 1.0 - theta;
    long i;
    for (i = 0; i < w->n; i++) {
        double p = w->rc[4][i]
                   + s * (w->rc[5][i] + s1 * (w->rc[6][i] + s * w->rc[7][i]));
        out[i] = w->rc[0][i]
                 + s * (w->rc[1][i]
                        + s1 * (w->rc[2][i] + s * (w->rc[3][i] + s1 * p)));
    }
}

/* Hairer's hinit: a step with h^8 * max(|f|, |f'|) ~ 0.01, estimated from
 * f(t0, x0) = k[0] and one explicit Euler step; 1 evaluation. */
static double initial_step(work_t *w, double t)
{
    double dnf = 0.0, dny = 0.0, der2 = 0.0, der12, h, h1;
    long i;
    for (i = 0; i < w->n; i++) {
        double sk = w->atol + w->rtol * fabs(w->x[i]);
        dnf += (w->k[0][i] / sk) * (w->k[0][i] / sk);
        dny += (w->x[i] / sk) * (w->x[i] / sk);
    }
    h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : 0.01 * sqrt(dny / dnf);
    h = fmin(h, w->hmax);
    for (i = 0; i < w->n; i++)
        w->tmp[i] = w->x[i] + h * w->k[0][i];
    eval(w, w->k[1], t + h, w->tmp);
    for (i = 0; i < w->n; i++) {
        double sk = w->atol + w->rtol * fabs(w->x[i]);
        double d = (w->k[1][i] - w->k[0][i]) / sk;
        der2 += d * d;
    }
    der2 = sqrt(der2) / h;
    /* fmax drops a NaN der2: a bad trial point must not poison h */
    der12 = fmax(der2, sqrt(dnf));
    h1 = der12 <= 1e-15 ? fmax(1e-6, 1e-3 * h) : pow(0.01 / der12, EXPO);
    return fmin(fmin(100.0 * h, h1), w->hmax);
}

/* Next step after an accepted one, from the error of the step just done. */
static double grow(const work_t *w, double h, double err, int after_reject)
{
    double scale = err == 0.0 ? FAC2 : SAFE * pow(err, -EXPO);
    scale = fmin(FAC2, fmax(FAC1, scale));
    /* right after a rejection, growing again would likely repeat it */
    if (after_reject)
        scale = fmin(scale, 1.0);
    return fmin(h * scale, w->hmax);
}

static double shrink(double h, double err)
{
    return h * fmax(FAC1, SAFE * pow(err, -EXPO));
}

static void swap(double **a, double **b)
{
    double *t = *a;
    *a = *b;
    *b = t;
}

/* Writes every output time in (t, t + h] and advances *next past them. */
static int emit(work_t *w, double t, double h, double tnew,
                const double *t_out, long n_out, long *next, double *x_out)
{
    int ready = 0;
    for (; *next < n_out && t_out[*next] <= tnew; (*next)++) {
        double *dst = x_out + *next * w->n;
        if (t_out[*next] == tnew) {
            memcpy(dst, w->xnew, (size_t)w->n * sizeof(double));
            continue;
        }
        if (!ready && !prepare_dense(w, t, h))
            return 0;
        ready = 1;
        dense_at(w, (t_out[*next] - t) / h, dst);
    }
    return 1;
}

static int check_args(pc_preview_rhs f, long dim, double t0, const double *x0,
                      const double *t_out, long n_out, const double *x_out,
                      const pc_preview_opts *o, pc_error_t err)
{
    long i;
    if (f == NULL || x0 == NULL || dim < 1)
        return pc_error_set(err, PC_ERR_INPUT,
                            "preview: arguments: need f, x0 and dim >= 1");
    if (n_out < 0 || (n_out > 0 && (t_out == NULL || x_out == NULL)))
        return pc_error_set(err, PC_ERR_INPUT,
                            "preview: t_out: need n_out >= 0 and the arrays");
    if (!(o->rtol >= 0.0 && isfinite(o->rtol) && o->atol > 0.0
          && isfinite(o->atol)))
        return pc_error_set(err, PC_ERR_INPUT,
                            "preview: opts: need rtol >= 0 and atol > 0, finite");
    if (!(o->h0 >= 0.0 && o->hmax >= 0.0 && isfinite(o->h0)
          && isfinite(o->hmax) && o->max_steps > 0))
        return pc_error_set(err, PC_ERR_INPUT,
                            "preview: opts: need h0, hmax >= 0, max_steps > 0");
    if (!isfinite(t0) || !all_finite(x0, dim))
        return pc_error_set(err, PC_ERR_INPUT,
                            "preview: initial value: not finite");
    for (i = 0; i < n_out; i++)
        if (!isfinite(t_out[i]) || t_out[i] < (i ? t_out[i - 1] : t0))
            return pc_error_set(err, PC_ERR_INPUT,
                                "preview: t_out[%ld]: not finite, or below t0 "
                                "or the previous time", i);
    return PC_OK;
}

/* Judges the attempt of size hs from t. Returns 1 if it is accepted, 0 if
 * it is rejected (with *h set for the retry), -1 if trial values stayed
 * non-finite through MAX_NONFINITE consecutive cuts. */
static int try_step(work_t *w, double t, double hs, double *h, double *e)
{
    *e = attempt(w, t, hs);
    if (!isfinite(*e)) {
        w->st->rejected++;
        w->after_reject = 1;
        *h = hs * CUT_NONFINITE;
        return ++w->nonfinite >= MAX_NONFINITE ? -1 : 0;
    }
    w->nonfinite = 0;
    if (*e > 1.0) {
        w->st->rejected++;
        w->after_reject = 1;
        *h = shrink(hs, *e);
        return 0;
    }
    w->st->accepted++;
    return 1;
}

/* The step loop proper: k[0] = f(t0, x0) is known and x holds x0. */
static int run(work_t *w, double t, double h, const double *t_out,
               long n_out, long next, double *x_out, long max_steps,
               pc_error_t err)
{
    double t_end = t_out[n_out - 1], hs, tnew, e;
    int ok, last;
    while (next < n_out) {
        if (w->st->accepted + w->st->rejected >= max_steps)
            return pc_error_set(err, PC_ERR_LIMIT, "preview: max_steps: %ld "
                                "steps reached at t = %.17g", max_steps, t);
        if (!(h > UNDERFLOW * fabs(t)))
            return pc_error_set(err, PC_ERR_NUMERIC, "preview: step size "
                                "underflow (h = %.3g) at t = %.17g", h, t);
        last = t + STRETCH * h >= t_end;
        hs = last ? t_end - t : h;
        ok = try_step(w, t, hs, &h, &e);
        if (ok < 0)
            return pc_error_set(err, PC_ERR_NUMERIC, "preview: state not "
                                "finite near t = %.17g", t);
        if (ok == 0)
            continue;
        /* the last step lands on t_end exactly, not on t + (t_end - t) */
        tnew = last ? t_end : t + hs;
        eval(w, w->k[FSAL], tnew, w->xnew);
        if (!all_finite(w->k[FSAL], w->n)
            || !emit(w, t, hs, tnew, t_out, n_out, &next, x_out))
            return pc_error_set(err, PC_ERR_NUMERIC, "preview: derivative or "
                                "dense output not finite near t = %.17g", tnew);
        h = grow(w, hs, e, w->after_reject);
        w->after_reject = 0;
        swap(&w->x, &w->xnew);
        swap(&w->k[0], &w->k[FSAL]);
        t = tnew;
    }
    return PC_OK;
}

void pc_preview_opts_default(pc_preview_opts *opts)
{
    opts->rtol = 1e-10;
    opts->atol = 1e-12;
    opts->h0 = 0.0;
    opts->hmax = 0.0;
    opts->max_steps = 10000000L;
}

int pc_preview_integrate(pc_preview_rhs f, void *ctx, long dim,
                         double t0, const double *x0,
                         const double *t_out, long n_out, double *x_out,
                         const pc_preview_opts *opts, pc_preview_stats *stats,
                         pc_error_t err)
{
    pc_preview_stats local;
    pc_preview_opts defaults;
    work_t w;
    long next = 0;
    double h;
    int status;

    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (opts == NULL) {
        pc_preview_opts_default(&defaults);
        opts = &defaults;
    }
    status = check_args(f, dim, t0, x0, t_out, n_out, x_out, opts, err);
    if (status != PC_OK)
        return status;
    /* outputs at t0 are the initial value itself, not a computed one */
    for (; next < n_out && t_out[next] == t0; next++)
        memcpy(x_out + next * dim, x0, (size_t)dim * sizeof(double));
    if (next == n_out)
        return PC_OK;

    memset(&w, 0, sizeof w);
    if (!work_alloc(&w, dim))
        return pc_error_set(err, PC_ERR_MEMORY,
                            "preview: work arrays for dim %ld", dim);
    w.f = f;
    w.ctx = ctx;
    w.n = dim;
    w.st = stats;
    w.rtol = opts->rtol;
    w.atol = opts->atol;
    /* as in dop853.f, "unbounded" means at most the whole interval */
    w.hmax = opts->hmax > 0.0 ? opts->hmax : t_out[n_out - 1] - t0;
    memcpy(w.x, x0, (size_t)dim * sizeof(double));
    eval(&w, w.k[0], t0, w.x);
    if (!all_finite(w.k[0], dim)) {
        free(w.block);
        return pc_error_set(err, PC_ERR_NUMERIC,
                            "preview: f(t0, x0) is not finite");
    }
    h = opts->h0 > 0.0 ? fmin(opts->h0, w.hmax) : initial_step(&w, t0);
    status = run(&w, t0, h, t_out, n_out, next, x_out, opts->max_steps, err);
    free(w.block);
    return status;
}
