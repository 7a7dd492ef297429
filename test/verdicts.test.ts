/**
 * Verdicts a researcher can trust (issue 23): the intervals cover what they estimate, twins are
 * not called different while a shortcut is, comparisons refuse the incomparable, analyses refuse
 * the same data twice and warn where an estimator means nothing, and results.json records what
 * it needs to be rerun.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { resampledPairs } from '../src/analysis/intervals.js';
import { analyzeSet } from '../src/analyze/analyze.js';
import { buildComparison } from '../src/compare/build-comparison.js';
import { difference } from '../src/compare/decide.js';
import { Rng } from '../src/core/random/rng.js';
import { encodeNpy } from '../src/io/npy.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const run = (args: string[], cwd?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });

/** Hidden ReLU units h = max(0, W x + b) of S examples x (row-major S x H). */
function relu(x: Float64Array, S: number, D: number, W: Float64Array, H: number): Float64Array {
  const out = new Float64Array(S * H);
  for (let s = 0; s < S; s++)
    for (let h = 0; h < H; h++) {
      let v = 0.2;
      for (let d = 0; d < D; d++) v += W[h * D + d] * x[s * D + d];
      out[s * H + h] = Math.max(0, v);
    }
  return out;
}

describe('intervals', () => {
  it('cover the estimator\'s expectation at S about 95% of the time (binned entropy and GCMI, 120 data sets)', async () => {
    const S = 300;
    const N = 6;
    const rows: { h: [number, number, number]; m: [number, number, number] }[] = [];
    for (let k = 0; k < 120; k++) {
      const z = gaussianMatrix(S, N, 1000 + k);
      // correlated neurons: each mixes its neighbour
      for (let s = 0; s < S; s++) for (let n = 1; n < N; n++) z[s * N + n] += 0.6 * z[s * N + n - 1];
      const set = activationSetFromLayers([{ name: 'l', data: z, samples: S, neurons: N }]);
      const m = await computeMeasures(set, { mi: 'gcmi', bins: 20, baselinePairs: 0, resamples: 40, threads: 1 });
      const h = m.intervals!.overall.meanEntropy!;
      const mi = m.intervals!.overall.meanMI!;
      rows.push({ h: [h.value, h.low, h.high], m: [mi.value, mi.low, mi.high] });
    }
    for (const key of ['h', 'm'] as const) {
      const truth = rows.reduce((a, r) => a + r[key][0], 0) / rows.length;
      const covered = rows.filter((r) => r[key][1] <= truth && truth <= r[key][2]).length / rows.length;
      assert.ok(covered >= 0.88 && covered <= 1, `${key}: covered ${covered}`);
    }
  });

  it('are deterministic and the same on 1 and 2 threads', async () => {
    const set = activationSetFromLayers([{ name: 'a', data: gaussianMatrix(400, 6, 3), samples: 400, neurons: 6 }]);
    const one = await computeMeasures(set, { resamples: 20, baselinePairs: 0, threads: 1 });
    const two = await computeMeasures(set, { resamples: 20, baselinePairs: 0, threads: 2, forceWorkers: true });
    assert.deepEqual(two.intervals, one.intervals);
    assert.equal(one.intervals!.mi!.scheme, 'subsampling');
    assert.equal(one.intervals!.mi!.size, 100);
    assert.equal(one.intervals!.entropy!.scheme, 'bootstrap');
    const none = await computeMeasures(set, { resamples: 0, baselinePairs: 0, threads: 1 });
    assert.equal(none.intervals, null);
  });

  it('cost stays proportionate to the analysis: the resampled pairs shrink (not below 64) only where they would cost more than it', () => {
    // all pairs of 768 neurons at S = 10,000 (m = 2,500): 500 resampled pairs, as asked
    assert.equal(resampledPairs(500, 50, (768 * 767) / 2, 10_000, 2_500, 150), 500);
    // 500 sampled pairs of 50,000 examples (m = 12,500), KSG: 50 x 500 x 12,500 would be 12.5 times the analysis
    assert.equal(resampledPairs(500, 50, 500, 50_000, 12_500, 150), 64);
    assert.equal(resampledPairs(500, 50, 5_000, 50_000, 12_500, 150), 400);
    // small work: 2 s of pair work is always allowed (a 20-neuron layer keeps its 190 pairs)
    assert.equal(resampledPairs(500, 50, 190, 400, 100, 150), 500);
  });

  it('sampled pairs: every mean MI, per layer too, carries the pair sample\'s standard error', async () => {
    const z = gaussianMatrix(300, 30, 5);
    for (let s = 0; s < 300; s++) for (let n = 1; n < 30; n++) z[s * 30 + n] += 0.5 * z[s * 30 + n - 1];
    const set = activationSetFromLayers([{ name: 'a', data: z, samples: 300, neurons: 30 }]);
    const m = await computeMeasures(set, { mi: 'gcmi', pairs: 120, resamples: 20, baselinePairs: 0, threads: 1 });
    const overall = m.intervals!.overall.meanMI!;
    const layer = m.intervals!.layers[0].meanMI!;
    assert.ok(overall.parts.pairs! > 0);
    // one layer: its mean is the overall mean, with the same pair-sampling part
    assert.equal(layer.value, overall.value);
    assert.equal(layer.parts.pairs, overall.parts.pairs);
    assert.equal(layer.se, overall.se);
  });
});

describe('paired comparisons', () => {
  const S = 400;
  const D = 6;
  const H = 8;
  const W = Float64Array.from({ length: H * D }, (_, k) => new Rng(9).normal() * 0 + Math.sin(1 + k * 1.7));

  it('twins (the same weights on permuted i.i.d. inputs, on the same examples) are rarely called different', async () => {
    let calls = 0;
    let axes = 0;
    for (let t = 0; t < 30; t++) {
      const x = gaussianMatrix(S, D, 500 + t);
      const perm = new Rng(t).permutation(D);
      const xp = new Float64Array(S * D);
      for (let s = 0; s < S; s++) for (let d = 0; d < D; d++) xp[s * D + d] = x[s * D + perm[d]];
      const a = await analyzeSet(activationSetFromLayers([{ name: 'h', data: relu(x, S, D, W, H), samples: S, neurons: H }]), { mi: 'gcmi', bins: 20, baselinePairs: 0, threads: 1 });
      const b = await analyzeSet(activationSetFromLayers([{ name: 'h', data: relu(xp, S, D, W, H), samples: S, neurons: H }]), { mi: 'gcmi', bins: 20, baselinePairs: 0, threads: 1 });
      const c = buildComparison(
        [
          { label: 'a', path: 'a', results: a.results, accuracy: null },
          { label: 'b', path: 'b', results: b.results, accuracy: null },
        ],
        'heuristic',
      );
      assert.equal(c.paired, true);
      for (const d of [c.differences[0].meanEntropy!, c.differences[0].meanMI!]) {
        axes++;
        if (d.direction !== 'same') calls++;
      }
    }
    assert.ok(calls / axes <= 0.1, `called different on ${calls} of ${axes} axes`);
  });

  it('a shortcut (one input feature dominating every unit) is called different: its MI up', async () => {
    const x = gaussianMatrix(S, D, 77);
    const base = await analyzeSet(activationSetFromLayers([{ name: 'h', data: relu(x, S, D, W, H), samples: S, neurons: H }]), { mi: 'gcmi', bins: 20, baselinePairs: 0, threads: 1 });
    const Ws = W.map((w, k) => (k % D === 0 ? 4 : 0.1 * w));
    const short = await analyzeSet(activationSetFromLayers([{ name: 'h', data: relu(x, S, D, Ws, H), samples: S, neurons: H }]), { mi: 'gcmi', bins: 20, baselinePairs: 0, threads: 1 });
    const c = buildComparison(
      [
        { label: 'base', path: 'a', results: base.results, accuracy: null },
        { label: 'shortcut', path: 'b', results: short.results, accuracy: null },
      ],
      'heuristic',
    );
    assert.equal(c.differences[0].meanMI!.direction, 'up');
    assert.equal(c.map.models[1].mi!.direction, 'up');
    assert.equal(c.map.models[1].mi!.by, 'interval');
    assert.equal(c.map.models[1].mi!.paired, true);
  });

  it('pairing: replicate deviations that move together make a small difference decidable', () => {
    const devs = Array.from({ length: 50 }, (_, r) => Math.sin(r));
    const a = { value: 1, se: 0.5, low: 0, high: 2, parts: { resampling: 0.5 }, deviations: devs };
    const b = { value: 1.1, se: 0.5, low: 0.1, high: 2.1, parts: { resampling: 0.5 }, deviations: devs.map((d) => d + 0.001 * Math.cos(d)) };
    assert.equal(difference(a, b, false).direction, 'same');
    const p = difference(a, b, true);
    assert.equal(p.direction, 'up');
    assert.ok(p.se < 0.01);
  });
});

describe('comparisons that refuse the incomparable (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-verdicts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const S = 300;
  const write = (name: string, seed: number, samples = S, neurons = 5): string => {
    const f = join(dir, name);
    writeFileSync(f, encodeNpy(new Float32Array(gaussianMatrix(samples, neurons, seed)), [samples, neurons]));
    return f;
  };
  const analyse = (file: string, out: string, ...flags: string[]): string => {
    const r = run(['analyze', file, '--out', join(dir, out), '--quiet', '--no-report', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    return join(dir, out, 'results.json');
  };

  it('another S, another estimator or other bins: refused in one line naming the difference (exit 2); --allow-mixed records it', () => {
    const a = analyse(write('m1.npy', 1), 'r1', '--mi', 'gcmi');
    const b = analyse(write('m2.npy', 2, 200), 'r2', '--mi', 'gcmi');
    const c = analyse(write('m3.npy', 3), 'r3', '--mi', 'binned', '--bins', '20');
    let r = run(['compare', a, b, '--out', join(dir, 'c1')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^infomem: cannot compare: 'r2' has S = 200 examples, 'r1' S = 300 .*--allow-mixed/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    r = run(['compare', a, c, '--out', join(dir, 'c2')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'r3' was analysed with mi = binned, 'r1' with gcmi \(and 1 more difference\)/);
    r = run(['compare', a, c, '--allow-mixed', '--out', join(dir, 'c3')]);
    assert.equal(r.status, 0, r.stderr);
    const cmp = JSON.parse(readFileSync(join(dir, 'c3', 'comparison.json'), 'utf8'));
    assert.deepEqual(cmp.mismatches.map((m: { what: string }) => m.what).sort(), ['bins', 'mi']);
    assert.match(readFileSync(join(dir, 'c3', 'report.html'), 'utf8'), /Compared anyway \(--allow-mixed\)/);
    assert.match(r.stdout, /^MIXED \(--allow-mixed\): 'r3' was analysed with/m);
  });

  it('the same data twice is refused; a renamed or missing layer too', () => {
    const f = write('same.npy', 4);
    const a = analyse(f, 'same1');
    mkdirSync(join(dir, 'copy'));
    copyFileSync(f, join(dir, 'copy', 'same.npy'));
    const b = analyse(join(dir, 'copy', 'same.npy'), 'same2');
    const r = run(['compare', a, b, '--out', join(dir, 'c4')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'same1' and 'same2' are analyses of the same data/);
    // layers: another size
    const c = analyse(write('wide.npy', 5, S, 7), 'wide');
    const w = run(['compare', a, c, '--out', join(dir, 'c5')]);
    assert.equal(w.status, 2);
    assert.match(w.stderr, /'wide' has 1 layer of 7 neurons, 'same1' 1 of 5/);
  });

  it('track refuses an unrelated array (other S, other neurons)', () => {
    const a = write('ck1.npy', 6);
    const b = write('ck2.npy', 7, 120, 8);
    const r = run(['track', a, b, '--mi', 'gcmi', '--out', join(dir, 't1')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot compare: .* has S = 120 examples/);
  });
});

describe('analyze: the same data twice, and estimators where they mean nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-verdicts-analyze-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('c.npy c.npy and c.npy d2/c.npy are refused; --layers fc1,fc1 too', () => {
    const c = join(dir, 'c.npy');
    writeFileSync(c, encodeNpy(new Float32Array(gaussianMatrix(50, 3, 1)), [50, 3]));
    mkdirSync(join(dir, 'd2'));
    copyFileSync(c, join(dir, 'd2', 'c.npy'));
    for (const second of [c, join(dir, 'd2', 'c.npy')]) {
      const r = run(['analyze', c, second, '--out', join(dir, 'never'), '--quiet']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /holds the same data as .*c\.npy \(equal SHA-256\)/);
    }
    const npz = join(repoRoot, 'data/demo/mlp-circles.npz');
    const l = run(['analyze', npz, '--layers', 'hidden1,hidden1', '--out', join(dir, 'never2')]);
    assert.equal(l.status, 2);
    assert.match(l.stderr, /--layers names 'hidden1' twice/);
  });

  it('GCMI on S = 2, bins >= S, KL on ReLU ties, global bins over chosen layers: warned in stderr, results.json and the report', () => {
    const tiny = join(dir, 'tiny.npy');
    writeFileSync(tiny, encodeNpy(Float64Array.of(0, 1, 1, 0), [2, 2]));
    let r = run(['analyze', tiny, '--mi', 'gcmi', '--bins', '4', '--resamples', '0', '--out', join(dir, 'tiny')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: only 2 examples: Gaussian-copula MI on fewer than 20 examples is dominated by its bias/);
    assert.match(r.stderr, /warning: 4 bins for 2 examples/);
    const w = JSON.parse(readFileSync(join(dir, 'tiny', 'results.json'), 'utf8')).warnings.map((x: { code: string }) => x.code);
    assert.deepEqual(w, ['few-examples', 'bins-vs-examples']);
    assert.match(readFileSync(join(dir, 'tiny', 'report.html'), 'utf8'), /only 2 examples/);
    const reluFile = join(dir, 'relu.npy');
    writeFileSync(reluFile, encodeNpy(gaussianMatrix(200, 4, 2).map((v) => Math.max(0, v)), [200, 4]));
    r = run(['analyze', reluFile, '--entropy', 'kl', '--mi', 'none', '--resamples', '0', '--no-report', '--out', join(dir, 'kl')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /4 neurons have repeated values on over 5% of the examples .* set by the jitter's scale/);
    r = run(['analyze', reluFile, '--entropy', 'kl', '--jitter', '0', '--mi', 'none', '--resamples', '0', '--no-report', '--out', join(dir, 'kl0')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /4 neurons have Kozachenko-Leonenko entropy -Infinity .* left out of the mean/);
    const npz = join(repoRoot, 'data/demo/mlp-circles.npz');
    r = run(['analyze', npz, '--layers', 'hidden2', '--mi', 'none', '--resamples', '0', '--no-report', '--out', join(dir, 'one-layer')]);
    assert.match(r.stderr, /global bins span the 1 chosen layer .* depend on which layers were chosen/);
  });

  it('results.json records what reruns it: the selection, the command line, the example ids', () => {
    const npz = join(repoRoot, 'data/demo/mlp-circles.npz');
    const ids = join(dir, 'ids.txt');
    writeFileSync(ids, Array.from({ length: 2000 }, (_, i) => `ex-${i}`).join('\n') + '\n');
    const r = run(['analyze', npz, '--layers', 'hidden1,hidden2', '--samples', 'random:500', '--sample-neurons', '40', '--seed', '3', '--mi', 'gcmi', '--example-ids', ids, '--no-report', '--out', join(dir, 'rec'), '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(readFileSync(join(dir, 'rec', 'results.json'), 'utf8'));
    assert.deepEqual(res.selection, { layers: ['hidden1', 'hidden2'], samples: { count: 500, random: true }, neuronsPerLayer: null, sampleNeurons: 40, excludeConstant: false, token: null, nan: null, header: null });
    assert.equal(res.settings.seed, 3);
    assert.equal(res.settings.resamples, 50);
    assert.deepEqual(res.command.slice(0, 3), ['infomem', 'analyze', npz]);
    assert.equal(res.examples.count, 2000);
    assert.match(res.examples.sha256, /^[0-9a-f]{64}$/);
    assert.equal(res.inputs[0].role, 'activations');
    // the command line reruns it to the same numbers
    const again = run([...res.command.slice(1).map((a: string) => (a === join(dir, 'rec') ? join(dir, 'rec2') : a))]);
    assert.equal(again.status, 0, again.stderr);
    const res2 = JSON.parse(readFileSync(join(dir, 'rec2', 'results.json'), 'utf8'));
    assert.equal(res2.overall.meanMI, res.overall.meanMI);
    assert.deepEqual(res2.intervals.overall, res.intervals.overall);
    const bad = run(['analyze', npz, '--example-ids', join(dir, 'tiny.npy'), '--out', join(dir, 'never3')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /example ids .* but the activations have 2000 examples/);
  });
});

describe('results files are validated on read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-results-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a hand-edited results.json without overall.meanMI, or with a mean entropy of -5 or 1e308: one line naming the field, exit 2, in compare and track', () => {
    const npz = join(repoRoot, 'data/demo/mlp-circles.npz');
    const a = join(dir, 'a');
    assert.equal(run(['analyze', npz, '--mi', 'gcmi', '--resamples', '0', '--no-report', '--quiet', '--out', a]).status, 0);
    const good = JSON.parse(readFileSync(join(a, 'results.json'), 'utf8'));
    const cases: [string, (r: { overall: Record<string, unknown> }) => void, RegExp][] = [
      ['no-mi', (r) => delete r.overall.meanMI, /overall\.meanMI is undefined: not null or a finite MI/],
      ['negative', (r) => (r.overall.meanEntropy = -5), /overall\.meanEntropy is -5: not a binned entropy of 2000 examples/],
      ['huge', (r) => (r.overall.meanEntropy = 1e308), /overall\.meanEntropy is 1e\+308/],
    ];
    for (const [name, edit, re] of cases) {
      const r = structuredClone(good);
      edit(r);
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'results.json'), JSON.stringify(r));
      for (const cmd of ['compare', 'track']) {
        const out = run([cmd, join(a, 'results.json'), join(dir, name, 'results.json'), '--out', join(dir, `${cmd}-${name}`)]);
        assert.equal(out.status, 2, `${cmd} ${name}: ${out.stderr}`);
        const lines = out.stderr.trim().split('\n');
        assert.match(lines[lines.length - 1], re);
        // track says which checkpoint it reads; the error itself is one line
        assert.equal(lines.filter((l) => l.startsWith('infomem:')).length, 1);
      }
    }
  });

  it('infomem help analyze prints analyze\'s help; a directory given as input says so', () => {
    const h = run(['help', 'analyze']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /^Usage: infomem analyze/);
    const d = run(['analyze', join(repoRoot, 'data'), '--out', join(dir, 'never')]);
    assert.equal(d.status, 2);
    assert.match(d.stderr, /data: is a directory, not an activation file/);
  });
});

describe('compare --group: seeds of one model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-groups-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each group is one model: its means over the seeds, the seeds\' spread in the interval, its accuracy the mean', () => {
    const paths: string[] = [];
    for (const [name, seed, shift] of [['a1', 1, 0], ['a2', 2, 0], ['b1', 3, 0.5], ['b2', 4, 0.5]] as const) {
      const f = join(dir, `${name}.npy`);
      const z = gaussianMatrix(300, 6, seed);
      for (let s = 0; s < 300; s++) for (let n = 1; n < 6; n++) z[s * 6 + n] += shift * z[s * 6];
      writeFileSync(f, encodeNpy(z, [300, 6]));
      const out = join(dir, name);
      const r = run(['analyze', f, '--mi', 'gcmi', '--bins', '20', '--out', out, '--quiet', '--no-report']);
      assert.equal(r.status, 0, r.stderr);
      paths.push(join(out, 'results.json'));
    }
    const r = run(['compare', ...paths, '--group', 'A,A,B,B', '--accuracy', '0.9,0.8,0.7,0.6', '--out', join(dir, 'cmp'), '--no-report']);
    assert.equal(r.status, 0, r.stderr);
    const c = JSON.parse(readFileSync(join(dir, 'cmp', 'comparison.json'), 'utf8'));
    assert.deepEqual(c.models.map((m: { label: string }) => m.label), ['A', 'B']);
    assert.ok(Math.abs(c.models[0].accuracy - 0.85) < 1e-12);
    const res = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')));
    assert.ok(Math.abs(c.models[1].meanMI - (res[2].overall.meanMI + res[3].overall.meanMI) / 2) < 1e-12);
    const seSeeds = c.models[1].intervals.meanMI.se;
    assert.ok(seSeeds > Math.abs(res[2].overall.meanMI - res[3].overall.meanMI) / 2 / Math.SQRT2 - 1e-12, 'the seeds\' spread is in the interval');
    assert.equal(c.differences[0].meanMI.direction, 'up', 'B shares a factor: its MI is higher');
    const mixed = run(['compare', paths[0], paths[1], paths[2], '--group', 'A,A', '--out', join(dir, 'never')]);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /--group has 2 entries for 3 results/);
  });
});

describe('comparability of analyses from models', () => {
  it('two models run on one inputs file are comparable (same examples), not the same data; other inputs are other examples', async () => {
    const { comparabilityIssues } = await import('../src/compare/comparability.js');
    const set = activationSetFromLayers([{ name: 'h', data: gaussianMatrix(100, 3, 1), samples: 100, neurons: 3 }]);
    const base = (await analyzeSet(set, { mi: 'gcmi', resamples: 0, baselinePairs: 0, threads: 1 })).results;
    const withInputs = (model: string, inputs: string) => ({ ...base, inputs: [{ path: 'm.onnx', bytes: 1, sha256: model, role: 'model' as const }, { path: 'x.npy', bytes: 1, sha256: inputs, role: 'inputs' as const }] });
    assert.deepEqual(comparabilityIssues([{ label: 'a', results: withInputs('A', 'X') }, { label: 'b', results: withInputs('B', 'X') }]), []);
    assert.deepEqual(comparabilityIssues([{ label: 'a', results: withInputs('A', 'X') }, { label: 'b', results: withInputs('A', 'X') }]).map((m) => m.what), ['duplicate']);
    assert.deepEqual(comparabilityIssues([{ label: 'a', results: withInputs('A', 'X') }, { label: 'b', results: withInputs('B', 'Y') }]).map((m) => m.what), ['examples']);
  });
});
