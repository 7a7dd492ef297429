"""Reference values for the significance tests (test/fixtures/reference/significance.json):
SciPy's Benjamini-Hochberg adjustment (scipy.stats.false_discovery_control, method 'bh', added
in SciPy 1.11: Debian bookworm's python3-scipy 1.10 lacks it, so this uses the SciPy installed
beside it), the two-sided p-value of a Pearson correlation r on n examples (scipy.stats.pearsonr's
t test: t = r sqrt((n - 2) / (1 - r^2)), p = 2 t.sf(|t|, n - 2)), and the Kolmogorov-Smirnov test
of uniformity (scipy.stats.kstest against 'uniform', exact mode off: asymptotic).
Development time only: python3 scripts/make-significance-reference.py > test/fixtures/reference/significance.json"""
import json
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261207)
bh = []
for name, p in [
    ("uniform", rng.random(40)),
    ("signal", np.concatenate([rng.random(30), rng.random(10) * 1e-4])),
    ("ties", np.array([0.01, 0.01, 0.02, 0.5, 0.5, 0.9, 1.0, 0.001, 0.04, 0.04])),
]:
    bh.append({"name": name, "p": [float(v) for v in p], "adjusted": [float(v) for v in stats.false_discovery_control(p, method="bh")]})
pearson = []
for n in [5, 30, 500, 10000]:
    for r in [0.0, 0.01, 0.1, 0.3, -0.5, 0.9, 0.999]:
        t = r * np.sqrt((n - 2) / (1 - r * r))
        pearson.append({"n": n, "r": r, "p": float(2 * stats.t.sf(abs(t), n - 2))})
ks = []
for name, x in [("uniform", rng.random(200)), ("skewed", rng.random(200) ** 2), ("small", rng.random(12))]:
    res = stats.kstest(x, "uniform", method="asymp")
    ks.append({"name": name, "x": [float(v) for v in x], "statistic": float(res.statistic), "p": float(res.pvalue)})
print(json.dumps({"about": "SciPy %s: false_discovery_control (bh), the t test of a Pearson correlation, kstest (asymptotic)" % scipy.__version__, "bh": bh, "pearson": pearson, "ks": ks}))
