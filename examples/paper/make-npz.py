#!/usr/bin/python3
# The initialisations of the worked example, as a paper's numpy experiment
# would write them (fixed seeds; the .npz files are committed). Debian:
# apt-get install python3-numpy. Run from anywhere: writes next to itself.
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))

# Logistic loss, d = n = 8, uniform attention a(0) = 0 (the paper's setting).
rng = np.random.default_rng(2026)
d = n = 8
np.savez(os.path.join(here, "logistic-8.npz"),
         V=rng.normal(0.0, 0.1, (d, n)), a=np.zeros(n), beta=rng.normal(0.0, 1.0, d))

# Square loss, 10 x 10, full-rank V(0) (outside the theorem), a(0) = 0.
rng = np.random.default_rng(10)
d = n = 10
np.savez(os.path.join(here, "square-10.npz"),
         V=rng.normal(0.0, 0.1, (d, n)), a=np.zeros(n), beta=rng.normal(0.0, 1.0, d))

# Cross-entropy to a target distribution q over d = 5 classes, n = 6 tokens,
# random initial logits.
rng = np.random.default_rng(56)
d, n = 5, 6
q = rng.dirichlet(np.ones(d))
q[-1] = 1.0 - q[:-1].sum()          # sums to 1 up to one rounding
np.savez(os.path.join(here, "crossent-5x6.npz"),
         V=rng.normal(0.0, 0.3, (d, n)), a=rng.normal(0.0, 0.5, n), q=q)
