import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { addSpuriousFeature, makeCircles, shuffleLabels, trainTestSplit } from '../src/reproduce/circles-data.js';
import { parseIdx, readMnistTrain } from '../src/reproduce/idx.js';
import { coloredMnist, colourFlipProbability, redrawLabels, shuffledMnist, splitMnist } from '../src/reproduce/mnist-data.js';
import { deriveSeed } from '../src/reproduce/seeds.js';
import { runConfig } from '../src/reproduce/experiments.js';
import { prepareData } from '../src/reproduce/train-job.js';

describe('reproduce: concentric circles', () => {
  it('ports make_circles: n // 2 outer points labelled 0 at radius ~1, the rest inner at ~factor, seeded', () => {
    const d = makeCircles(2001, 0, 0.4, new Rng(1));
    assert.equal(d.n, 2001);
    assert.equal(d.x.length, 4002);
    let zeros = 0;
    for (let i = 0; i < d.n; i++) {
      const r = Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
      if (d.y[i] === 0) {
        zeros++;
        assert.ok(Math.abs(r - 1) < 1e-6);
      } else assert.ok(Math.abs(r - 0.4) < 1e-6);
    }
    assert.equal(zeros, 1000);
    const a = makeCircles(500, 0.2, 0.4, new Rng(7));
    const b = makeCircles(500, 0.2, 0.4, new Rng(7));
    assert.deepEqual(a, b);
    // noise 0.2: the radius spread of the outer circle is about 0.2
    let s = 0;
    let m = 0;
    for (let i = 0; i < a.n; i++)
      if (a.y[i] === 0) {
        const r = Math.hypot(a.x[2 * i], a.x[2 * i + 1]);
        s += (r - 1) ** 2;
        m++;
      }
    assert.ok(Math.sqrt(s / m) > 0.15 && Math.sqrt(s / m) < 0.25);
  });

  it('the spurious feature: 75% Gaussian per class, a fraction `division` of them class-aligned, 25% U[0,1)', () => {
    const base = makeCircles(2000, 0.2, 0.4, new Rng(2));
    for (const division of [0.5, 0.65, 0.75, 0.9, 1]) {
      const d = addSpuriousFeature(base, division, new Rng(3));
      assert.equal(d.features, 3);
      for (const cls of [0, 1]) {
        const mu = cls === 0 ? -3 : 3;
        let n = 0;
        let aligned = 0;
        let opposite = 0;
        let uniform = 0;
        for (let i = 0; i < d.n; i++) {
          if (d.y[i] !== cls) continue;
          n++;
          const v = d.x[i * 3 + 2];
          if (Math.abs(v - mu) < 1) aligned++;
          else if (Math.abs(v + mu) < 1) opposite++;
          else if (v >= 0 && v < 1) uniform++;
        }
        assert.equal(aligned + opposite + uniform, n);
        assert.equal(uniform, n - Math.round(0.75 * n));
        assert.equal(aligned, Math.round(division * Math.round(0.75 * n)));
      }
      // the first two features are untouched
      for (let i = 0; i < d.n; i++) assert.equal(d.x[i * 3], base.x[i * 2]);
    }
  });

  it('label shuffling redraws round(fraction * n) labels uniformly; the split is 90/10', () => {
    const d = addSpuriousFeature(makeCircles(100, 0.2, 0.4, new Rng(4)), 0.5, new Rng(5));
    assert.deepEqual(shuffleLabels(d.y, 0, new Rng(6)).y, d.y);
    const s = shuffleLabels(d.y, 0.5, new Rng(6));
    assert.equal(s.redrawn.length, 50);
    for (let i = 0; i < 100; i++) if (!s.redrawn.includes(i)) assert.equal(s.y[i], d.y[i]);
    const { train, test } = trainTestSplit(d, 0.9, new Rng(8));
    assert.equal(train.n, 90);
    assert.equal(test.n, 10);
  });

  it('prepareData: the measurement set is the same fresh 2,000 points for every model', async () => {
    const config = runConfig('circles', 'full');
    const a = await prepareData({ config, parameter: 'division', value: 1, seed: 0, dir: '', label: '' });
    const b = await prepareData({ config, parameter: 'shuffle', value: 0.5, seed: 0, dir: '', label: '' });
    assert.equal(a.measure.n, 2000);
    assert.deepEqual(a.measure, b.measure);
    assert.equal(a.train.n, 1800);
    assert.equal(b.train.n, 90);
    assert.equal(a.train.features, 3);
    const c = await prepareData({ config, parameter: 'division', value: 1, seed: 1, dir: '', label: '' });
    assert.notDeepEqual(a.train.x, c.train.x);
  });
});

describe('reproduce: IDX and MNIST', () => {
  it('parses IDX headers and refuses malformed files', () => {
    const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const a = parseIdx(bytes, 'x');
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual([...a.data], [1, 2, 3, 4, 5, 6]);
    assert.throws(() => parseIdx(bytes.subarray(0, 17), 'x'), /IDX data has 5 bytes/);
    assert.throws(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'x'), /magic/);
    assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'x'), /not supported/);
  });

  it('reads the official training split: 60,000 images of 28 x 28, labels 0..9', async () => {
    const raw = await readMnistTrain();
    assert.equal(raw.count, 60000);
    assert.equal(raw.rows, 28);
    assert.equal(raw.images.length, 60000 * 784);
    assert.equal(Math.max(...raw.labels), 9);
  });

  it('splits 50,000 / 10,000, disjoint, seeded', async () => {
    const raw = await readMnistTrain();
    const s = splitMnist(raw, 50000, 10000, 0);
    assert.equal(s.train.length, 50000);
    assert.equal(s.val.length, 10000);
    const seen = new Uint8Array(60000);
    for (const i of s.train) seen[i]++;
    for (const i of s.val) seen[i]++;
    assert.ok(seen.every((v) => v === 1));
    assert.deepEqual(splitMnist(raw, 50000, 10000, 0), s);
    assert.notDeepEqual(splitMnist(raw, 50000, 10000, 1).val, s.val);
  });

  it('Colored MNIST: 392 inputs, 0.25 label noise, colour disagrees with the label at rate e = (1 - alpha) / 2 (0.5 in validation)', async () => {
    const raw = await readMnistTrain();
    const split = splitMnist(raw, 50000, 10000, 0);
    assert.equal(colourFlipProbability(0), 0.5);
    assert.equal(colourFlipProbability(1), 0);
    for (const alpha of [0, 0.25, 0.5, 0.75, 1]) {
      const t = coloredMnist(raw, split, alpha, 0);
      assert.equal(t.features, 392);
      assert.equal(t.classes, 2);
      const rates = (x: Float32Array, y: Int32Array, idx: Int32Array): { noise: number; flip: number } => {
        let noise = 0;
        let flip = 0;
        for (let r = 0; r < y.length; r++) {
          const digitLabel = raw.labels[idx[r]] < 5 ? 1 : 0;
          if (digitLabel !== y[r]) noise++;
          let s0 = 0;
          let s1 = 0;
          for (let p = 0; p < 196; p++) {
            s0 += x[r * 392 + p];
            s1 += x[r * 392 + 196 + p];
          }
          assert.ok(s0 === 0 || s1 === 0, 'one channel is zeroed');
          const colour = s1 > 0 ? 1 : 0;
          if (colour !== y[r]) flip++;
        }
        return { noise: noise / y.length, flip: flip / y.length };
      };
      const tr = rates(t.xTrain, t.yTrain, split.train);
      assert.ok(Math.abs(tr.noise - 0.25) < 0.01, `train label noise ${tr.noise}`);
      assert.ok(Math.abs(tr.flip - (1 - alpha) / 2) < 0.01, `alpha ${alpha}: colour flips ${tr.flip}`);
      if (alpha === 0.5) {
        const va = rates(t.xVal, t.yVal, split.val);
        assert.ok(Math.abs(va.noise - 0.25) < 0.02, `val label noise ${va.noise}`);
        assert.ok(Math.abs(va.flip - 0.5) < 0.02, `val colour flips ${va.flip}`);
      }
      // pixels / 255 of the 14 x 14 subsample
      const r0 = split.train[0];
      const ch = t.xTrain.subarray(0, 392);
      const used = ch.subarray(0, 196).some((v) => v > 0) ? 0 : 1;
      assert.equal(ch[used * 196 + 7 * 14 + 7], raw.images[r0 * 784 + 14 * 28 + 14] / 255);
    }
    // common random numbers: validation data are identical for every alpha
    assert.deepEqual(coloredMnist(raw, split, 0, 0).xVal, coloredMnist(raw, split, 1, 0).xVal);
  });

  it('Shuffled MNIST: 196 inputs, beta of the training labels redrawn over 10 classes, every class present, clean validation', async () => {
    const raw = await readMnistTrain();
    const split = splitMnist(raw, 50000, 10000, 0);
    for (const beta of [0, 0.25, 0.5, 0.75, 1]) {
      const t = shuffledMnist(raw, split, beta, 0);
      assert.equal(t.features, 196);
      assert.equal(t.classes, 10);
      assert.equal(t.redrawn, Math.round(beta * 50000));
      let changed = 0;
      const counts = new Int32Array(10);
      for (let r = 0; r < 50000; r++) {
        if (t.yTrain[r] !== raw.labels[split.train[r]]) changed++;
        counts[t.yTrain[r]]++;
      }
      // a redrawn label keeps its value with probability 1/10
      assert.ok(Math.abs(changed / 50000 - 0.9 * beta) < 0.01, `beta ${beta}: changed ${changed / 50000}`);
      assert.ok(counts.every((c) => c > 0));
      for (let r = 0; r < 10000; r++) assert.equal(t.yVal[r], raw.labels[split.val[r]]);
    }
  });

  it('the label redraw keeps every class present, and smaller betas redraw a subset', () => {
    const labels = new Int32Array(12).fill(3);
    labels[0] = 1;
    for (let seed = 0; seed < 20; seed++) {
      const y = redrawLabels(labels, 1, 10, seed);
      const present = new Set(y);
      assert.equal(present.size, 10, `seed ${seed}`);
    }
    const big = Int32Array.from({ length: 1000 }, (_, i) => i % 10);
    const y25 = redrawLabels(big, 0.25, 10, 3);
    const y75 = redrawLabels(big, 0.75, 10, 3);
    for (let i = 0; i < 1000; i++) if (y25[i] !== big[i]) assert.equal(y75[i], y25[i]);
  });

  it('derived seeds are deterministic and distinct per stream', () => {
    assert.equal(deriveSeed(0, 1), deriveSeed(0, 1));
    assert.notEqual(deriveSeed(0, 1), deriveSeed(0, 2));
    assert.notEqual(deriveSeed(0, 1), deriveSeed(1, 1));
    assert.notEqual(deriveSeed(0, 1, 0), deriveSeed(0, 1));
  });
});

