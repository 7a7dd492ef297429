"""Reference values of scikit-learn's detection metrics for test/fixtures/reference/roc.json:
roc_auc_score, average_precision_score, and the FPR at the first roc_curve threshold (drop_intermediate=False) whose TPR is
>= 0.95 (and 0.5), on fixed examples with many ties and on continuous scores.
Development time only (Debian's python3-sklearn): /usr/bin/python3 scripts/make-roc-reference.py > test/fixtures/reference/roc.json"""
import json
import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

rng = np.random.default_rng(20261201)
cases = []
for name, n, ties in [("ties", 60, True), ("continuous", 500, False), ("imbalanced", 300, False)]:
    y = (rng.random(n) < (0.1 if name == "imbalanced" else 0.4)).astype(int)
    s = rng.normal(size=n) + 0.8 * y
    if ties:
        s = np.round(s * 2) / 2
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)  # every threshold: the default drops some
    at = lambda t: float(fpr[np.argmax(tpr >= t)])
    cases.append({
        "name": name,
        "scores": [float(v) for v in s],
        "labels": [int(v) for v in y],
        "auroc": float(roc_auc_score(y, s)),
        "averagePrecision": float(average_precision_score(y, s)),
        "fprAtTpr95": at(0.95),
        "fprAtTpr50": at(0.5),
    })
print(json.dumps({"about": "scikit-learn %s metrics (roc_auc_score, average_precision_score, roc_curve)" % sklearn.__version__, "cases": cases}))
