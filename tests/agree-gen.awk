# agree-gen.awk — small random problems for the certify/verify agreement test
# (tests/agree.sh). Deterministic: instance `i` of seed `seed` is always the same
# problem (its own Park–Miller generator in integer arithmetic, not awk's rand(),
# whose sequence differs between awks).
#
#   awk -v seed=S -v i=I -v out=FILE -f agree-gen.awk
#
# writes the problem (polarcert-problem/1) to FILE and prints one line: the
# certify options for it (--T, and sometimes --system or --align).
#
# Coverage, by i: the loss cycles through the five families; d, n in 1..4 (d >= 2
# for cross-entropy; n = 1 once in 7); V(0) random,
# zero, or rank one along beta; a(0) random, zero or uniform nonzero; points and
# boxes; horizons from 1e-4 to 10.

function rnd(   ) {                     # uniform in [0, 1)
    state = (16807 * state) % 2147483647
    return (state - 1) / 2147483646
}
function ri(lo, hi) {                   # integer in [lo, hi]
    return lo + int(rnd() * (hi - lo + 1))
}
function rat(k) {                       # a rational k/8 in [-k/8 .. k/8] with k = 8 default
    return ri(-k, k) "/8"
}
function row(len, kind,   s, j) {       # kind: 0 random, 1 zero
    s = "["
    for (j = 0; j < len; j++)
        s = s (j ? ", " : "") "\"" (kind == 1 ? "0" : rat(8)) "\""
    return s "]"
}

BEGIN {
    state = (seed * 7919 + i * 104729 + 12345) % 2147483647
    if (state <= 0)
        state += 2147483646
    for (k = 0; k < 5; k++)             # warm up
        rnd()
    split("logistic exponential square cross_entropy quadratic", fam, " ")
    loss = fam[i % 5 + 1]
    d = ri(1, 4)
    n = ri(0, 6)                        # n = 1 (H = 0, nothing to prove) once in 7
    n = n == 0 ? 1 : 2 + n % 3
    if (loss == "cross_entropy" && d < 2)
        d = 2
    vkind = ri(0, 3)                    # 0, 1 random; 2 zero; 3 rank one along beta
    akind = ri(0, 3)                    # 0, 1 random; 2 zero; 3 uniform nonzero
    split("0.0001 0.0003 0.001 0.003 0.01 0.03 0.1 0.3 1 3 10", Ts, " ")
    T = Ts[ri(1, 11)]
    radius = ri(0, 2)                   # 0 point, else a box
    radius = radius == 0 ? "0" : (radius == 1 ? "1e-6" : "1/1024")
    if (radius == "1/1024" && T + 0 > 0.3)  # wide boxes blow up over long horizons,
        radius = "1/65536"                  # slowly: keep the test cheap

    # the target
    for (r = 0; r < d; r++) {
        beta[r] = rat(8)
        if (beta[r] == "0/8" && r == 0)
            beta[r] = "1/2"
    }
    printf "{\n \"format\": \"polarcert-problem/1\",\n \"name\": \"agree-%d-%d\",\n", seed, i > out
    printf " \"loss\": \"%s\",\n \"d\": %d,\n \"n\": %d,\n", loss, d, n > out
    # V
    printf " \"V\": [" > out
    for (j = 0; j < n; j++)
        w0[j] = rat(4)
    for (r = 0; r < d; r++) {
        if (vkind == 3 && loss != "cross_entropy" && loss != "quadratic") {
            s = "["                     # V = beta w0^T: a product of rationals
            for (j = 0; j < n; j++)
                s = s (j ? ", " : "") "\"" prod(beta[r], w0[j]) "\""
            s = s "]"
        } else
            s = row(n, vkind == 2 ? 1 : 0)
        printf "%s%s", (r ? ", " : ""), s > out
    }
    printf "],\n" > out
    # a
    if (akind == 2)
        s = row(n, 1)
    else if (akind == 3) {
        c = rat(8)
        s = "["
        for (j = 0; j < n; j++)
            s = s (j ? ", " : "") "\"" c "\""
        s = s "]"
    } else
        s = row(n, 0)
    printf " \"a\": %s,\n", s > out
    # the loss's data
    if (loss == "cross_entropy") {
        tot = 0
        for (r = 0; r < d; r++) {
            qk[r] = ri(0, 4)
            tot += qk[r]
        }
        if (tot == 0) {
            qk[0] = 1
            tot = 1
        }
        printf " \"q\": [" > out
        for (r = 0; r < d; r++)
            printf "%s\"%d/%d\"", (r ? ", " : ""), qk[r], tot > out
        printf "],\n" > out
    } else if (loss == "quadratic") {
        m = ri(1, 3)
        printf " \"X\": [" > out
        for (l = 0; l < m; l++)
            printf "%s%s", (l ? ", " : ""), row(d, 0) > out
        printf "],\n \"b\": %s,\n", row(m, 0) > out
    } else {
        printf " \"beta\": [" > out
        for (r = 0; r < d; r++)
            printf "%s\"%s\"", (r ? ", " : ""), beta[r] > out
        printf "],\n" > out
    }
    printf " \"T\": \"%s\",\n \"radius\": \"%s\"\n}\n", T, radius > out
    close(out)

    opts = "--T " T
    x = rnd()
    if ((loss == "logistic" || loss == "exponential") && x < 0.3)
        opts = opts " --system full"
    else if ((loss == "logistic" || loss == "exponential") && x < 0.5)
        opts = opts " --system reduced"
    else if (loss == "square" && vkind == 3 && radius == "0" && x < 0.5)
        opts = opts " --system tau"
    print opts
}

# the product of two rationals "p/q" as "p/q" (not reduced: the loader reduces)
function prod(x, y,   a, b) {
    split(x, a, "/")
    split(y, b, "/")
    return (a[1] * b[1]) "/" (a[2] * b[2])
}
