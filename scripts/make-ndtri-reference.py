"""Reference values of the standard normal quantile (scipy.special.ndtri), CDF (ndtr) and the
digamma function (scipy.special.psi) for test/fixtures/reference/special.json.
Development time only: python3 scripts/make-ndtri-reference.py > test/fixtures/reference/special.json"""
import json
import numpy as np
from scipy import special

ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 1 / 3001, 1e-3, 0.01, 0.02425, 0.05, 0.1, 0.1353352832366127, 0.25, 0.3, 0.5 - 1e-12, 0.5, 0.5 + 1e-9, 0.7, 0.86, 0.9, 0.975, 0.99, 0.999, 1 - 1e-6, 3000 / 3001, 1 - 1e-12]
ps += list((np.arange(1, 51) / 51).tolist())
xs = [-37.5, -20.0, -8.0, -5.0, -3.0, -1.0, -1e-8, 0.0, 0.5, 1.0, 2.0, 3.5, 6.0, 9.0]
ds = [1e-3, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 6.0, 24.5, 49.0, 199.5, 1499.0, 1499.5, 1e6 + 0.5]
print(json.dumps({
    "about": "scipy.special.ndtri, ndtr and psi at the listed points (scipy %s)" % __import__("scipy").__version__,
    "ndtri": [[p, float(special.ndtri(p))] for p in ps],
    "ndtr": [[x, float(special.ndtr(x))] for x in xs],
    "psi": [[x, float(special.psi(x))] for x in ds],
}, indent=1))
