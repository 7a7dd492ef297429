/**
 * Per-example information scores (core/ood) and the detection metrics (core/stats/roc.ts):
 * hand-computed surprisals, tail bins, co-activation, and AUROC / AP / FPR95 against closed
 * forms, scikit-learn's documented examples and a brute-force oracle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { fitKnn, knnScores } from '../src/core/ood/baselines.js';
import { copulaScores, fitCopula } from '../src/core/ood/copula.js';
import { logitScores } from '../src/core/ood/logits.js';
import { buildReference, tailBin } from '../src/core/ood/reference.js';
import { normalQuantile } from '../src/core/special/normal.js';
import { scoreExamples } from '../src/core/ood/surprisal.js';
import { Rng } from '../src/core/random/rng.js';
import { auroc, averagePrecision, fprAtTpr } from '../src/core/stats/roc.js';
import { readFixtureJson } from './helpers/fixtures.js';

/** One layer from columns (neuron-major arrays of S values). */
function setOf(columns: number[][], name = 'l') {
  const S = columns[0].length;
  const N = columns.length;
  const data = new Float64Array(S * N);
  for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) data[s * N + n] = columns[n][s];
  return activationSetFromLayers([{ name, data, samples: S, neurons: N }]);
}

describe('reference histograms and surprisal', () => {
  it('tail bins: below, the B bins (last closed), above; a constant neuron', () => {
    assert.equal(tailBin(-0.1, 0, 1, 4), 0);
    assert.equal(tailBin(0, 0, 1, 4), 1);
    assert.equal(tailBin(0.25, 0, 1, 4), 2);
    assert.equal(tailBin(0.999, 0, 1, 4), 4);
    assert.equal(tailBin(1, 0, 1, 4), 4);
    assert.equal(tailBin(1.0000001, 0, 1, 4), 5);
    assert.equal(tailBin(3, 3, 3, 4), 2);
    assert.equal(tailBin(2.9, 3, 3, 4), 0);
  });

  it('hand-computed surprisal: S = 4, B = 2, alpha = 1/2', () => {
    const ref = buildReference(setOf([[0, 0, 1, 1]]), { bins: 2, alpha: 0.5, pairs: 0 });
    // counts [tail 0, 2, 2, tail 0] + 1/2 each, over 4 + 2 = 6
    const inBin = -Math.log(2.5 / 6);
    const tail = -Math.log(0.5 / 6);
    assert.ok(Math.abs(ref.logp[1] + inBin) < 1e-15 && Math.abs(ref.logp[0] + tail) < 1e-15);
    const sc = scoreExamples(ref, setOf([[0, 0.7, -1, 2]]));
    assert.deepEqual(Array.from(sc.surprisal).map((x) => +x.toFixed(12)), [inBin, inBin, tail, tail].map((x) => +x.toFixed(12)));
    assert.ok(sc.coactivation.every((x) => Number.isNaN(x)));
  });

  it('per-layer and overall means; the reference mean surprisal is close to the binned entropy', () => {
    const r = new Rng(5);
    const S = 4000;
    const a = Array.from({ length: 3 }, () => Array.from({ length: S }, () => r.normal()));
    const data1 = new Float64Array(S * 2);
    const data2 = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      data1[s * 2] = a[0][s];
      data1[s * 2 + 1] = a[1][s];
      data2[s] = a[2][s];
    }
    const set = activationSetFromLayers([
      { name: 'one', data: data1, samples: S, neurons: 2 },
      { name: 'two', data: data2, samples: S, neurons: 1 },
    ]);
    const ref = buildReference(set, { bins: 20, pairs: 1 });
    const sc = scoreExamples(ref, set);
    for (let s = 0; s < 5; s++) {
      const l1 = sc.layerSurprisal[s * 2];
      const l2 = sc.layerSurprisal[s * 2 + 1];
      assert.ok(Math.abs(sc.surprisal[s] - (2 * l1 + l2) / 3) < 1e-12);
    }
    // mean over the reference of -ln p = sum_b (c_b / S) (-ln p_b), close to the plug-in entropy
    const mean = sc.surprisal.reduce((p, x) => p + x, 0) / S;
    let h = 0;
    for (let n = 0; n < 3; n++) {
      const c = new Float64Array(22);
      for (let s = 0; s < S; s++) c[tailBin(a[n][s], ref.range[2 * n], ref.range[2 * n + 1], 20)]++;
      for (const x of c) if (x > 0) h -= (x / S) * Math.log(x / S);
    }
    assert.ok(Math.abs(mean - h / 3) < 0.01, `${mean} vs ${h / 3}`);
    assert.throws(() => scoreExamples(ref, setOf([a[0], a[1], a[2]])), /layers .* differ from the reference's/);
  });

  it('co-activation: consistent values of a high-MI pair score low, contradicting values high', () => {
    const r = new Rng(11);
    const S = 5000;
    const x = Array.from({ length: S }, () => r.normal());
    const y = x.map((v) => v + 0.05 * r.normal());
    const z = Array.from({ length: S }, () => r.normal());
    const ref = buildReference(setOf([x, y, z]), { bins: 10, jointBins: 8, pairs: 1 });
    assert.deepEqual(Array.from(ref.pairs), [0, 1]);
    assert.ok(ref.pairMI[0] > 1);
    const sc = scoreExamples(ref, setOf([[1.5, 1.5], [1.5, -1.5], [0, 0]]));
    assert.ok(sc.coactivation[0] < 0, `consistent: ${sc.coactivation[0]}`);
    assert.ok(sc.coactivation[1] > 3, `contradicting: ${sc.coactivation[1]}`);
    // the marginal surprisals of the two examples are about the same: co-activation tells them apart
    assert.ok(Math.abs(sc.surprisal[0] - sc.surprisal[1]) < 0.2, `${sc.surprisal[0]} vs ${sc.surprisal[1]}`);
  });

  it('bad options and inputs are refused', () => {
    assert.throws(() => buildReference(setOf([[1, 2]]), { bins: 0 }), /bins/);
    assert.throws(() => buildReference(setOf([[1, 2]]), { alpha: 0 }), /alpha/);
    assert.throws(() => buildReference(setOf([[1, NaN]])), /non-finite/);
  });
});

describe('Gaussian-copula surprisal', () => {
  it('two neurons: the closed form 1/2 (z^T R^-1 z - z^T z) + 1/2 ln(1 - r^2), per neuron; contradicting ranks score high', () => {
    const r = new Rng(3);
    const S = 3000;
    const x = Array.from({ length: S }, () => r.normal());
    const y = x.map((v) => Math.exp(0.8 * v + 0.6 * r.normal())); // a monotone transform of a Gaussian partner
    const model = fitCopula(setOf([x, y]), 0.01);
    const rho = model.chol[2]; // L = [[1, 0], [rho, sqrt(1 - rho^2)]]
    assert.ok(rho > 0.7 && rho < 0.85, `rho ${rho}`);
    const sx = [...x].sort((a, b) => a - b);
    const sy = [...y].sort((a, b) => a - b);
    const midrank = (sorted: number[], v: number): number => {
      const less = sorted.filter((t) => t < v).length;
      const equal = sorted.filter((t) => t === v).length;
      return normalQuantile((less + equal / 2 + 0.5) / (S + 1));
    };
    const probe = [[0.5, Math.exp(0.4)], [1.5, 0.05], [-2, 3], [10, 1e-9]];
    const got = copulaScores(model, setOf([probe.map((p) => p[0]), probe.map((p) => p[1])]));
    probe.forEach(([a, b], k) => {
      const z1 = midrank(sx, a);
      const z2 = midrank(sy, b);
      const q = (z1 * z1 - 2 * rho * z1 * z2 + z2 * z2) / (1 - rho * rho);
      const want = (0.5 * (q - z1 * z1 - z2 * z2) + 0.5 * Math.log(1 - rho * rho)) / 2;
      assert.ok(Math.abs(got[k] - want) < 1e-10, `probe ${k}: ${got[k]} vs ${want}`);
    });
    assert.ok(got[0] < 0, 'consistent ranks: more likely than under independence');
    assert.ok(got[1] > 1 && got[2] > 1, 'contradicting ranks: surprising');
  });

  it('independent neurons: the mean copula surprisal of the reference is about 0', () => {
    const r = new Rng(4);
    const cols = Array.from({ length: 5 }, () => Array.from({ length: 2000 }, () => r.normal()));
    const set = setOf(cols);
    const s = copulaScores(fitCopula(set), set);
    const mean = s.reduce((p, v) => p + v, 0) / s.length;
    assert.ok(Math.abs(mean) < 0.01, `${mean}`);
    assert.throws(() => fitCopula(set, 0), /shrink/);
  });
});

describe('k-NN baseline', () => {
  it('equals the brute-force k-th nearest distance of the normalised rows', () => {
    const r = new Rng(12);
    const cols = (S: number, shift: number) => Array.from({ length: 7 }, () => Array.from({ length: S }, () => r.normal() + shift));
    const ref = setOf(cols(150, 0));
    const inp = setOf(cols(70, 0.5));
    const model = fitKnn(ref, 4, 100, 3);
    const got = knnScores(model, inp);
    const unit = (set: ReturnType<typeof setOf>, s: number): number[] => {
      const v = Array.from({ length: 7 }, (_, n) => set.values[n * set.samples + s]);
      const q = Math.sqrt(v.reduce((p, x) => p + x * x, 0));
      return v.map((x) => x / q);
    };
    for (let s = 0; s < 70; s++) {
      const x = unit(inp, s);
      const d = Array.from({ length: model.count }, (_, j) => Math.sqrt(x.reduce((p, xv, n) => p + (xv - model.rows[j * 7 + n]) ** 2, 0))).sort((a, b) => a - b);
      assert.ok(Math.abs(got[s] - d[3]) < 1e-7, `${s}: ${got[s]} vs ${d[3]}`);
    }
  });
});

describe('logit baselines', () => {
  it('closed forms: softmax (1/4, 3/4), a single sigmoid logit', () => {
    const { msp, energy } = logitScores([0, Math.log(3), 5, 5], 2);
    assert.ok(Math.abs(msp[0] + 0.75) < 1e-15 && Math.abs(energy[0] + Math.log(4)) < 1e-15);
    assert.ok(Math.abs(msp[1] + 0.5) < 1e-15 && Math.abs(energy[1] + 5 + Math.log(2)) < 1e-14);
    const one = logitScores([0, 2], 2);
    assert.ok(Math.abs(one.msp[0] + 0.5) < 1e-15 && Math.abs(one.energy[0] + Math.log(2)) < 1e-15);
    assert.ok(Math.abs(one.msp[1] + 1 / (1 + Math.exp(-2))) < 1e-15);
    assert.throws(() => logitScores([1, 2, 3], 2), /3 values for 2 examples/);
  });
});

describe('detection metrics', () => {
  it("scikit-learn's documented examples", () => {
    // roc_auc_score / average_precision_score / roc_curve docs: y = [0, 0, 1, 1], s = [0.1, 0.4, 0.35, 0.8]
    const s = [0.1, 0.4, 0.35, 0.8];
    const y = [0, 0, 1, 1];
    assert.equal(auroc(s, y), 0.75);
    assert.ok(Math.abs(averagePrecision(s, y) - 0.8333333333333333) < 1e-15);
    // roc_curve: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
    assert.equal(fprAtTpr(s, y, 0.95), 0.5);
    assert.equal(fprAtTpr(s, y, 0.5), 0);
  });

  it('equal scikit-learn 1.2 on fixed examples with ties, continuous scores and imbalance (test/fixtures/reference/roc.json)', () => {
    const ref = readFixtureJson<{ cases: { name: string; scores: number[]; labels: number[]; auroc: number; averagePrecision: number; fprAtTpr95: number; fprAtTpr50: number }[] }>('reference/roc.json');
    assert.equal(ref.cases.length, 3);
    for (const c of ref.cases) {
      assert.ok(Math.abs(auroc(c.scores, c.labels) - c.auroc) < 1e-12, `${c.name} auroc`);
      assert.ok(Math.abs(averagePrecision(c.scores, c.labels) - c.averagePrecision) < 1e-12, `${c.name} AP`);
      assert.ok(Math.abs(fprAtTpr(c.scores, c.labels, 0.95) - c.fprAtTpr95) < 1e-12, `${c.name} FPR95`);
      assert.ok(Math.abs(fprAtTpr(c.scores, c.labels, 0.5) - c.fprAtTpr50) < 1e-12, `${c.name} FPR50`);
    }
  });

  it('closed forms: separation, reversal, all ties, one class', () => {
    assert.equal(auroc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(auroc([4, 3, 2, 1], [0, 0, 1, 1]), 0);
    assert.equal(auroc([1, 1, 1, 1], [0, 1, 0, 1]), 0.5);
    assert.equal(averagePrecision([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(averagePrecision([1, 1, 1, 1], [0, 1, 0, 1]), 0.5);
    assert.equal(fprAtTpr([1, 2, 3, 4], [0, 0, 1, 1]), 0);
    assert.equal(fprAtTpr([4, 3, 2, 1], [0, 0, 1, 1]), 1);
    assert.ok(Number.isNaN(auroc([1, 2], [1, 1])));
    assert.throws(() => auroc([1, 2], [0, 2]), /label 1 is 2/);
    assert.throws(() => auroc([1, NaN], [0, 1]), /score 1/);
  });

  it('AUROC equals the brute-force pair count (ties halved) on random tied scores', () => {
    const r = new Rng(2);
    for (let rep = 0; rep < 20; rep++) {
      const n = 5 + r.int(60);
      const s = Array.from({ length: n }, () => r.int(7));
      const y = Array.from({ length: n }, () => r.int(2));
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          if (y[i] === 1 && y[j] === 0) {
            den++;
            num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
      const got = auroc(s, y);
      if (den === 0) assert.ok(Number.isNaN(got));
      else assert.ok(Math.abs(got - num / den) < 1e-12, `${got} vs ${num / den}`);
    }
  });
});
