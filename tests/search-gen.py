#!/usr/bin/env python3
"""An independent reimplementation of the instance generator of
certs/CAMPAIGN.md ("Generation"), from the document alone: hashlib for the
SHA-256 stream, Python floats for Box-Muller (the library uses MPFR at 128
bits; the two agree on the rounded integer unless the scaled sample lies
within ~1e-9 of a half-integer, which the fixed test instances do not).

usage: search-gen.py CAMPAIGN.json I PROBLEM.json
Compares instance I of the campaign, generated here, with the problem file
(written by the library) EXACTLY (fractions.Fraction); exit 0 if equal,
1 with the differences printed otherwise."""
import hashlib
import json
import math
import os
import sys
from fractions import Fraction


class Stream:
    def __init__(self, seed, i):
        self.key = hashlib.sha256(b"polarcert-campaign/1" + seed.to_bytes(8, "big")
                                  + i.to_bytes(8, "big")).digest()
        self.block = 0
        self.words = []
        self.spare = None

    def word(self):
        if not self.words:
            dig = hashlib.sha256(self.key + self.block.to_bytes(8, "big")).digest()
            self.block += 1
            self.words = [int.from_bytes(dig[8 * k:8 * k + 8], "big") for k in range(4)]
        return self.words.pop(0)


def exact(s):
    return Fraction(s)      # decimals and "p/q" alike


def rng(st, spec):
    lo, hi = (spec, spec) if isinstance(spec, int) else (spec["min"], spec["max"])
    return lo + st.word() % (hi - lo + 1)


def normal(st):
    """Box-Muller in pairs: R cos(theta), then R sin(theta) of the same words."""
    if st.spare is not None:
        g, st.spare = st.spare, None
        return g
    u1 = (st.word() + 0.5) / 2.0 ** 64
    u2 = (st.word() + 0.5) / 2.0 ** 64
    r, theta = math.sqrt(-2.0 * math.log(u1)), 2.0 * math.pi * u2
    st.spare = r * math.sin(theta)
    return r * math.cos(theta)


def gaussian(st, scale, digits):
    v = normal(st) * float(scale) * 10.0 ** digits
    return Fraction(round(v), 10 ** digits)     # round(): ties to even, as MPFR_RNDN


def vec(st, dist, length, digits):
    if dist["dist"] in ("gaussian", "aligned"):
        return [gaussian(st, exact(dist["scale"]), digits) for _ in range(length)]
    return [Fraction(0)] * length


def generate(camp, i):
    g = camp["generator"]
    st = Stream(int(camp["seed"]), i)
    digits = g["digits"]
    d, n = rng(st, g["d"]), rng(st, g["n"])
    m = rng(st, g.get("m", 1))
    p = {"d": d, "n": n}
    if "beta" in g:
        p["beta"] = vec(st, g["beta"], d, digits)
    if "q" in g:
        c = [1 + st.word() % 1000 if g["q"]["dist"] == "random" else 1 for _ in range(d)]
        p["q"] = [Fraction(ck, sum(c)) for ck in c]
    if "X" in g:
        p["X"] = vec(st, g["X"], m * d, digits)
        p["b"] = vec(st, g["b"], m, digits)
    if g["V0"]["dist"] == "aligned":
        w0 = vec(st, g["V0"], n, digits)
        p["V"] = [p["beta"][r] * w0[j] for r in range(d) for j in range(n)]
    else:
        p["V"] = vec(st, g["V0"], d * n, digits)
    p["a"] = vec(st, g["a0"], n, digits)
    p["T"] = exact(g["T"])
    return p


def flat(x):
    if isinstance(x, list):
        return [y for e in x for y in flat(e)]
    return [exact(x)]


def main():
    camp_path, i, prob_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(camp_path) as f:
        camp = json.load(f)
    with open(prob_path) as f:
        prob = json.load(f)
    want = generate(camp, i)
    bad = []
    for key in ("d", "n"):
        if prob[key] != want[key]:
            bad.append("%s: %s, expected %s" % (key, prob[key], want[key]))
    for key in ("V", "a", "beta", "q", "X", "b"):
        if (key in want) != (key in prob):
            bad.append("%s: present in one only" % key)
        elif key in want and flat(prob[key]) != want[key]:
            bad.append("%s: %s, expected %s" % (key, [str(v) for v in flat(prob[key])],
                                                [str(v) for v in want[key]]))
    if exact(prob["T"]) != want["T"]:
        bad.append("T differs")
    if prob["loss"] != camp["generator"]["loss"]:
        bad.append("loss differs")
    for b in bad:
        print("%s instance %d: %s" % (os.path.basename(camp_path), i, b))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
