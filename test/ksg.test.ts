/**
 * KSG estimator: the fast kernel and the brute-force oracle against the reference values
 * (test/fixtures/reference/ksg.json), against each other on hard randomized inputs (ties,
 * duplicates, constants, scales), and the store / worker plumbing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WasmPairEngine } from '../src/core/mi/ksg/wasm.js';
import { digammaTable } from '../src/core/special/digamma.js';
import { Worker } from 'node:worker_threads';
import {
  createKsgStore,
  ksgBrute,
  ksgMI,
  KsgPairKernel,
  ksgStoreFromBuffers,
  ksgWasmAvailable,
  prepareKsgNeuron,
  type KsgStore,
} from '../src/core/mi/ksg/index.js';

// ---------- tiny seeded PRNG (mulberry32 + Box-Muller) ----------
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

type Gen = (S: number, rand: () => number) => [Float64Array, Float64Array];
const gens: Record<string, Gen> = {
  gauss(S, rand) {
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      x[s] = g();
      y[s] = 0.6 * x[s] + 0.8 * g();
    }
    return [x, y];
  },
  relu(S, rand) {
    // ~50% exact zeros in each, dependent
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const a = g();
      x[s] = a > 0 ? a : 0;
      const b = 0.5 * a + g();
      y[s] = b > 0 ? b : 0;
    }
    return [x, y];
  },
  reluIndependent(S, rand) {
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      x[s] = Math.max(0, g());
      y[s] = Math.max(0, g());
    }
    return [x, y];
  },
  integers(S, rand) {
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      x[s] = Math.floor(rand() * 5);
      y[s] = Math.floor(rand() * 3) + x[s];
    }
    return [x, y];
  },
  constant(S, rand) {
    const g = normal(rand);
    const x = new Float64Array(S).fill(2.5);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) y[s] = g();
    return [rand() < 0.5 ? x : y, rand() < 0.5 ? y : x];
  },
  duplicatedPoints(S, rand) {
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    const distinct = Math.max(1, Math.floor(S / 4));
    for (let s = 0; s < S; s++) {
      const j = Math.floor(rand() * distinct);
      x[s] = Math.sin(j);
      y[s] = Math.cos(3 * j);
    }
    return [x, y];
  },
  scales(S, rand) {
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      x[s] = 1e4 * g();
      y[s] = 1e-4 * (x[s] * 1e-4 + g());
    }
    return [x, y];
  },
  tinyAndHuge(S, rand) {
    // heavy tails, subnormal-ish and huge magnitudes, signed zeros
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const u = g();
      x[s] = u / Math.max(1e-3, Math.abs(g())) ** 3;
      y[s] = s % 7 === 0 ? (s % 2 ? -0 : 0) : 1e-300 * (u + 0.1 * g());
    }
    return [x, y];
  },
  skewedDependent(S, rand) {
    // like trained pre-ReLU units: a dense core with long one-sided tails, strongly dependent,
    // ties in x; the two neurons' densities differ point by point, so the kernel sweeps along x
    // for some points, along y for others, and searches the rest in a grid (search-rule.ts)
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const u = g();
      x[s] = u < -0.5 ? -0.25 : Math.exp(2 * u);
      y[s] = 0.3 * Math.exp(-u) + 0.05 * g();
    }
    return [x, y];
  },
  threeTimesWider(S, rand) {
    // y's columns ~3x wider in value than x's: most points are searched in the transposed grid
    const g = normal(rand);
    const x = new Float64Array(S);
    const y = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      x[s] = g();
      y[s] = 3 * (0.5 * x[s] + g());
    }
    return [x, y];
  },
  sameNeuron(S, rand) {
    const g = normal(rand);
    const x = new Float64Array(S);
    for (let s = 0; s < S; s++) x[s] = g();
    return [x, x];
  },
};

const close = (a: number, b: number, tol: number, msg: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} vs ${b} (|d| = ${Math.abs(a - b)})`);

// ---------- reference ----------
interface RefCase {
  name: string;
  k: number;
  x: number[];
  y: number[];
  mi_nats: number;
}
const refPath = new URL('../../test/fixtures/reference/ksg.json', import.meta.url);
const reference = JSON.parse(readFileSync(refPath, 'utf8')) as { cases: RefCase[] };

test('every reference case: fast and brute within 1e-9 nats', () => {
  assert.ok(reference.cases.length >= 100);
  for (const c of reference.cases) {
    const x = Float64Array.from(c.x);
    const y = Float64Array.from(c.y);
    close(ksgMI(x, y, c.k), c.mi_nats, 1e-9, `fast ${c.name}`);
    close(ksgBrute(x, y, c.k), c.mi_nats, 1e-9, `brute ${c.name}`);
  }
});

test('fast == brute on randomized hard cases (ties, duplicates, constants, scales)', () => {
  const rand = mulberry32(20240601);
  for (const S of [4, 5, 17, 1000, 5000]) {
    for (const k of [1, 3, 6]) {
      if (S < k + 1) continue;
      for (const [name, gen] of Object.entries(gens)) {
        // keep the O(S^2) oracle affordable at S = 5000
        if (S === 5000 && !['gauss', 'relu', 'integers', 'duplicatedPoints'].includes(name) && k !== 3) continue;
        const [x, y] = gen(S, rand);
        for (const countRule of ['reference', 'strict'] as const) {
          if (S === 5000 && countRule === 'strict' && name !== 'relu') continue;
          const f = ksgMI(x, y, k, { countRule });
          const b = ksgBrute(x, y, k, { countRule });
          close(f, b, 1e-9, `${name} S=${S} k=${k} ${countRule}`);
        }
      }
    }
  }
});

test('count rules differ only when eps = 0 (exact duplicate points)', () => {
  const rand = mulberry32(7);
  const [x, y] = gens.gauss(500, rand);
  assert.equal(ksgMI(x, y, 3, { countRule: 'strict' }), ksgMI(x, y, 3));
  const [rx, ry] = gens.reluIndependent(2000, rand);
  // the reference rule makes independent ReLU-like neurons strongly negative (PAPER.md section 2)
  assert.ok(ksgMI(rx, ry, 3) < -0.8);
  assert.ok(ksgMI(rx, ry, 3, { countRule: 'strict' }) > 1);
});

test('symmetry: mi(x, y) == mi(y, x)', () => {
  const rand = mulberry32(99);
  for (const name of ['gauss', 'relu', 'integers', 'scales', 'duplicatedPoints']) {
    for (const k of [1, 3, 6]) {
      const [x, y] = gens[name](3000, rand);
      close(ksgMI(x, y, k), ksgMI(y, x, k), 1e-12, `${name} k=${k}`);
    }
  }
});

test('bivariate Gaussian, S = 20000, rho = 0.6: within 0.02 nats of -0.5 ln(1 - rho^2)', () => {
  const rand = mulberry32(12345);
  const g = normal(rand);
  const S = 20000;
  const rho = 0.6;
  const x = new Float64Array(S);
  const y = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    x[s] = g();
    y[s] = rho * x[s] + Math.sqrt(1 - rho * rho) * g();
  }
  close(ksgMI(x, y, 3), -0.5 * Math.log(1 - rho * rho), 0.02, 'KSG vs analytic');
});

function fillStore(store: KsgStore, data: Float64Array[]): void {
  for (let n = 0; n < data.length; n++) prepareKsgNeuron(store, n, data[n]);
}

test('store: all pairs incl. diagonal equal brute; pure function of the two neurons', () => {
  const rand = mulberry32(5);
  const S = 600;
  const k = 3;
  const data: Float64Array[] = [];
  for (const name of ['gauss', 'relu', 'integers', 'constant', 'duplicatedPoints']) data.push(...gens[name](S, rand));
  const store = createKsgStore(data.length, S, k);
  fillStore(store, data);
  const kernel = new KsgPairKernel(S, k);
  const first = new Float64Array(data.length * data.length);
  for (let i = 0; i < data.length; i++) {
    for (let j = 0; j < data.length; j++) {
      const v = kernel.mi(store, i, store, j);
      first[i * data.length + j] = v;
      if (j >= i) close(v, ksgBrute(data[i], data[j], k), 1e-9, `pair ${i},${j}`);
    }
  }
  // other pairs computed in between must not change a result, bit for bit
  for (let i = data.length - 1; i >= 0; i--) {
    for (let j = 0; j < data.length; j += 3) assert.equal(kernel.mi(store, i, store, j), first[i * data.length + j]);
  }
  // the same neurons in another store, at other indices
  const other = createKsgStore(3, S, k);
  prepareKsgNeuron(other, 2, data[0]);
  prepareKsgNeuron(other, 0, data[3]);
  assert.equal(kernel.mi(other, 2, store, 3), first[3]);
  assert.equal(kernel.mi(store, 0, other, 0), first[3]);
  assert.equal(kernel.mi(other, 2, other, 0), first[3]);
});

test('shared store, rebuilt from buffers here and in a worker thread, gives the same numbers', async () => {
  const rand = mulberry32(11);
  const S = 1500;
  const k = 3;
  const data = [...gens.gauss(S, rand), ...gens.relu(S, rand)];
  const store = createKsgStore(data.length, S, k, { shared: true });
  for (const b of store.buffers) assert.ok(b instanceof SharedArrayBuffer);
  fillStore(store, data);
  const kernel = new KsgPairKernel(S, k);
  const expected: number[] = [];
  for (let i = 0; i < data.length; i++) for (let j = 0; j < data.length; j++) expected.push(kernel.mi(store, i, store, j));
  close(expected[1], ksgBrute(data[0], data[1], k), 1e-9, 'shared vs brute');

  const meta = structuredClone(store.meta);
  const view = ksgStoreFromBuffers(meta, store.buffers);
  const fromViews: number[] = [];
  for (let i = 0; i < data.length; i++) for (let j = 0; j < data.length; j++) fromViews.push(kernel.mi(view, i, view, j));
  assert.deepEqual(fromViews, expected);

  const moduleUrl = new URL('../src/core/mi/ksg/index.js', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then((m) => {
      const store = m.ksgStoreFromBuffers(workerData.meta, workerData.buffers);
      const kernel = new m.KsgPairKernel(workerData.meta.samples, workerData.meta.k);
      const out = [];
      for (let i = 0; i < workerData.meta.neurons; i++)
        for (let j = 0; j < workerData.meta.neurons; j++) out.push(kernel.mi(store, i, store, j));
      parentPort.postMessage(out);
    });`;
  const worker = new Worker(code, { eval: true, workerData: { moduleUrl, meta, buffers: store.buffers } });
  const fromWorker = await new Promise<number[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(fromWorker, expected);

  // a worker may also prepare neurons into the shared store
  const store2 = createKsgStore(2, S, k, { shared: true });
  const prepCode = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then((m) => {
      const store = m.ksgStoreFromBuffers(workerData.meta, workerData.buffers);
      m.prepareKsgNeuron(store, 1, workerData.values);
      parentPort.postMessage('done');
    });`;
  prepareKsgNeuron(store2, 0, data[0]);
  const w2 = new Worker(prepCode, {
    eval: true,
    workerData: { moduleUrl, meta: store2.meta, buffers: store2.buffers, values: data[1] },
  });
  await new Promise((resolve, reject) => {
    w2.once('message', resolve);
    w2.once('error', reject);
  });
  await w2.terminate();
  assert.equal(kernel.mi(store2, 0, store2, 1), expected[1]);
});

test('RangeError for S < k + 1, bad k, bad lengths, non-finite values', () => {
  const x3 = new Float64Array([1, 2, 3]);
  assert.throws(() => ksgMI(x3, x3, 3), RangeError);
  assert.throws(() => ksgBrute(x3, x3, 3), RangeError);
  assert.doesNotThrow(() => ksgMI(x3, x3, 2));
  assert.throws(() => ksgMI(x3, x3, 0), RangeError);
  assert.throws(() => ksgMI(x3, x3, 1.5), RangeError);
  assert.throws(() => ksgMI(x3, new Float64Array(4), 1), RangeError);
  assert.throws(() => createKsgStore(2, 3, 3), RangeError);
  assert.throws(() => new KsgPairKernel(3, 3), RangeError);
  assert.throws(() => ksgMI(new Float64Array([1, NaN, 3, 4]), new Float64Array(4), 1), RangeError);
  const store = createKsgStore(2, 10, 3);
  assert.throws(() => new KsgPairKernel(10, 3).mi(store, 0, store, 1), RangeError); // not prepared
});

test('S = k + 1 and all-equal data', () => {
  for (const k of [1, 3, 6]) {
    const S = k + 1;
    const rand = mulberry32(k);
    const x = Float64Array.from({ length: S }, () => rand());
    const y = Float64Array.from({ length: S }, () => rand());
    close(ksgMI(x, y, k), ksgBrute(x, y, k), 1e-12, `S=${S}`);
    const c = new Float64Array(S + 10).fill(1);
    close(ksgMI(c, c, k), ksgBrute(c, c, k), 1e-12, `constant S=${S + 10}`);
  }
});

// ---------- the two engines (wasm.ts / asm/ksg.ts and js.ts) ----------
test('engine option: wasm is the default where available, js on request, bad values throw', () => {
  assert.equal(ksgWasmAvailable(), true, 'WebAssembly engine should load under Node');
  assert.equal(new KsgPairKernel(100, 3).engine, 'wasm');
  assert.equal(new KsgPairKernel(100, 3, { engine: 'auto' }).engine, 'wasm');
  assert.equal(new KsgPairKernel(100, 3, { engine: 'wasm' }).engine, 'wasm');
  assert.equal(new KsgPairKernel(100, 3, { engine: 'js' }).engine, 'js');
  assert.throws(() => new KsgPairKernel(100, 3, { engine: 'gpu' as 'js' }), RangeError);
});

test('wasm and js engines give bit-identical results (all generators, k, count rules, sizes)', () => {
  const rand = mulberry32(424242);
  let n = 0;
  for (const S of [4, 7, 33, 257, 2000, 6000]) {
    for (const k of [1, 2, 3, 4, 6]) {
      if (S < k + 1) continue;
      for (const [name, gen] of Object.entries(gens)) {
        const [x, y] = gen(S, rand);
        for (const countRule of ['reference', 'strict'] as const) {
          const w = ksgMI(x, y, k, { countRule, engine: 'wasm' });
          const j = ksgMI(x, y, k, { countRule, engine: 'js' });
          assert.ok(Object.is(w, j), `${name} S=${S} k=${k} ${countRule}: wasm ${w} vs js ${j}`);
          n++;
        }
      }
    }
  }
  assert.ok(n > 500);
});

test('k = 3 window search (asm mi3) is bit-identical to the grid search and the js engine, and every path runs', () => {
  // WasmPairEngine.windowStats: points certified by the grid window, by a sweep window, left to
  // the exact fallback, and (of the grid ones) certified only at the second tier (columns c +- 2)
  const rand = mulberry32(9090);
  const seen = [0, 0, 0, 0];
  // count ends whose strided window slid, that fell back to a binary search, that the bucket
  // table's 8 values gave, that they missed
  const counts = [0, 0, 0, 0];
  let pairs = 0;
  for (const S of [4, 5, 9, 40, 301, 3000]) {
    const data: Float64Array[] = [];
    for (const name of Object.keys(gens)) data.push(...gens[name](S, rand));
    // heavy-tailed, float32-rounded ReLU with a bias: like trained activations
    const g = normal(rand);
    for (let m = 0; m < 4; m++) {
      const bias = g();
      data.push(Float64Array.from({ length: S }, () => Math.fround(Math.max(0, Math.exp(0.7 * g()) * g() + bias))));
    }
    const store = createKsgStore(data.length, S, 3);
    fillStore(store, data);
    const win = new WasmPairEngine(S, 3, 0, digammaTable(S));
    for (const countRule of ['reference', 'strict'] as const) {
      const w = new KsgPairKernel(S, 3, { engine: 'wasm', countRule });
      const grid = new KsgPairKernel(S, 3, { engine: 'wasm', search: 'grid', countRule });
      const js = new KsgPairKernel(S, 3, { engine: 'js', countRule });
      for (let i = 0; i < data.length; i++) {
        for (let j = 0; j < data.length; j++) {
          if (S > 1000 && (i * 7 + j) % 5 !== 0) continue;
          const a = w.mi(store, i, store, j);
          const b = grid.mi(store, i, store, j);
          const c = js.mi(store, i, store, j);
          assert.ok(Object.is(a, b) && Object.is(a, c), `S=${S} ${countRule} pair ${i},${j}: window ${a}, grid ${b}, js ${c}`);
          pairs++;
          if (countRule === 'reference') {
            win.run(store, i, store, j);
            win.windowStats().forEach((v, q) => (seen[q] += v));
            win.countStats().forEach((v, q) => (counts[q] += v));
          }
        }
      }
    }
  }
  assert.ok(pairs > 1500);
  for (const [q, what] of ['grid window', 'sweep window', 'exact fallback', 'second tier'].entries()) {
    assert.ok(seen[q] > 100, `${what} certified only ${seen[q]} points`);
  }
  assert.ok(counts[0] > 100 && counts[1] > 10 && counts[2] > 10 * counts[3] && counts[3] > 1000, `count ends: ${counts.join(' / ')} (slid / searched / bucket hit / bucket missed)`);
  assert.throws(() => new KsgPairKernel(100, 3, { search: 'fast' as 'grid' }), RangeError);
});

test('wasm engine: many pairs on one kernel, cross-store pairs, stores of another k (column growth)', () => {
  const rand = mulberry32(77);
  const S = 1200;
  const data: Float64Array[] = [];
  for (const name of ['gauss', 'relu', 'integers', 'constant', 'duplicatedPoints', 'tinyAndHuge']) data.push(...gens[name](S, rand));
  // big runs of ties alternating with single values: ~2 columns per 12 ranks, more than a
  // k = 3 or 5 kernel's initial capacity when the store was laid out for k = 1 (forces a regrow)
  data.push(Float64Array.from({ length: S }, (_, s) => Math.floor(s / 12) * 2 + (s % 12 === 11 ? 1 : 0)));
  for (const storeK of [1, 3, 8]) {
    const store = createKsgStore(data.length, S, storeK);
    fillStore(store, data);
    const other = createKsgStore(data.length, S, storeK);
    for (let m = 0; m < data.length; m++) prepareKsgNeuron(other, data.length - 1 - m, data[m]);
    for (const k of [1, 3, 5]) {
      const w = new KsgPairKernel(S, k, { engine: 'wasm' });
      const js = new KsgPairKernel(S, k, { engine: 'js' });
      for (let i = 0; i < data.length; i++) {
        for (let j = 0; j < data.length; j++) {
          const a = w.mi(store, i, other, data.length - 1 - j);
          const b = js.mi(store, i, store, j);
          assert.ok(Object.is(a, b), `storeK=${storeK} k=${k} pair ${i},${j}: ${a} vs ${b}`);
        }
      }
      close(w.mi(store, 0, store, 1), ksgBrute(data[0], data[1], k), 1e-9, `storeK=${storeK} k=${k} vs brute`);
    }
  }
});

test('wasm bucket tables: outliers and heavy tails trim the range, crowded tables are left out, counts exact', () => {
  const rand = mulberry32(5151);
  const g = normal(rand);
  const S = 3000;
  const shared = Float64Array.from({ length: S }, () => g());
  const kinds: Record<string, () => Float64Array> = {
    // 0.1% of the values 1000 times larger (a transformer's outlier units): crowded untrimmed
    outliers: () => Float64Array.from({ length: S }, (_, s) => (0.6 * shared[s] + 0.8 * g()) * (rand() < 0.001 ? 1000 : 1)),
    // Cauchy tails
    cauchy: () => Float64Array.from({ length: S }, (_, s) => 0.3 * Math.tan(Math.PI * (rand() - 0.5)) + 0.6 * shared[s] + 0.8 * g()),
    // 80% in a cluster 1e-6 wide, 20% spread over +-1000: crowded at every trim, no table
    crowded: () => Float64Array.from({ length: S }, () => (rand() < 0.8 ? 1e-6 * g() : 2000 * (rand() - 0.5))),
  };
  const names = Object.keys(kinds);
  const data = names.flatMap((name) => [kinds[name](), kinds[name]()]);
  const store = createKsgStore(data.length, S, 3);
  fillStore(store, data);
  const js = new KsgPairKernel(S, 3, { engine: 'js' });
  const w = new KsgPairKernel(S, 3, { engine: 'wasm' });
  const eng = new WasmPairEngine(S, 3, 0, digammaTable(S));
  for (let i = 0; i < data.length; i++) {
    for (let j = 0; j < data.length; j++) {
      const a = w.mi(store, i, store, j);
      const b = js.mi(store, i, store, j);
      assert.ok(Object.is(a, b), `pair ${names[i >> 1]} ${i}, ${names[j >> 1]} ${j}: wasm ${a}, js ${b}`);
      if (i === j) continue;
      eng.run(store, i, store, j);
      const [, , hit, miss] = eng.countStats();
      const kx = names[i >> 1];
      const ky = names[j >> 1];
      if (kx === 'crowded' && ky === 'crowded') assert.equal(hit + miss, 0, `crowded pair ${i}, ${j}: ${hit} table hits, ${miss} misses`);
      // (ends counted in a certified sweep's window or not at all, eps = 0, use no table)
      else if (kx !== 'crowded' && ky !== 'crowded') assert.ok(hit > 0.9 * (hit + miss) && hit + miss > 3.5 * S, `pair ${i}, ${j}: ${hit} table hits, ${miss} misses`);
    }
  }
});

test('wasm engine keeps the x neuron between pairs only while it is the same prepared slice', () => {
  const rand = mulberry32(4242);
  const S = 2000;
  const data = [...gens.gauss(S, rand), ...gens.relu(S, rand), ...gens.integers(S, rand)];
  const storeA = createKsgStore(data.length, S, 3);
  const storeB = createKsgStore(data.length, S, 3);
  fillStore(storeA, data);
  for (let m = 0; m < data.length; m++) prepareKsgNeuron(storeB, m, data[data.length - 1 - m]);
  const js = new KsgPairKernel(S, 3, { engine: 'js' });
  for (const k of [1, 3]) {
    const w = new KsgPairKernel(S, k, { engine: 'wasm' });
    const jsK = k === 3 ? js : new KsgPairKernel(S, k, { engine: 'js' });
    const check = (a: typeof storeA, i: number, b: typeof storeA, j: number, what: string): void => {
      const got = w.mi(a, i, b, j);
      const want = jsK.mi(a, i, b, j);
      assert.ok(Object.is(got, want), `k=${k} ${what}: wasm ${got}, js ${want}`);
    };
    check(storeA, 0, storeA, 1, 'first pair');
    check(storeA, 0, storeA, 2, 'same x');
    check(storeB, 0, storeA, 2, 'same index, other store');
    check(storeA, 0, storeA, 3, 'back to the first store');
    // neuron 0 of storeA prepared again from other values: the kept copy must not be used
    prepareKsgNeuron(storeA, 0, data[4]);
    check(storeA, 0, storeA, 3, 'x prepared again');
    check(storeA, 0, storeA, 0, 'diagonal');
    prepareKsgNeuron(storeA, 0, data[0]);
  }
});

test('wasm engine in a worker thread on a shared store equals the js engine here', async () => {
  const rand = mulberry32(31);
  const S = 3000;
  const k = 3;
  const data = [...gens.gauss(S, rand), ...gens.relu(S, rand), ...gens.integers(S, rand)];
  const store = createKsgStore(data.length, S, k, { shared: true });
  fillStore(store, data);
  const js = new KsgPairKernel(S, k, { engine: 'js' });
  const expected: number[] = [];
  for (let i = 0; i < data.length; i++) for (let j = 0; j < data.length; j++) expected.push(js.mi(store, i, store, j));
  const moduleUrl = new URL('../src/core/mi/ksg/index.js', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then((m) => {
      const store = m.ksgStoreFromBuffers(workerData.meta, workerData.buffers);
      const kernel = new m.KsgPairKernel(workerData.meta.samples, workerData.meta.k, { engine: 'wasm' });
      const out = [];
      for (let i = 0; i < workerData.meta.neurons; i++)
        for (let j = 0; j < workerData.meta.neurons; j++) out.push(kernel.mi(store, i, store, j));
      parentPort.postMessage({ engine: kernel.engine, out });
    });`;
  const worker = new Worker(code, { eval: true, workerData: { moduleUrl, meta: store.meta, buffers: store.buffers } });
  const got = await new Promise<{ engine: string; out: number[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(got.engine, 'wasm');
  assert.deepEqual(got.out, expected);
});
