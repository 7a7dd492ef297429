/**
 * Numbers that would mislead: constant (dead) neurons (MI over live pairs, --exclude-constant,
 * live-pair densities) and shared bins collapsed by an extreme value (a warning naming it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeSet, writeAnalysis } from '../src/analyze/analyze.js';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { dropConstantNeurons } from '../src/core/activations/select.js';
import { detectBinCollapse, occupiedBins } from '../src/core/binning/collapse.js';
import { encodeNpy } from '../src/io/npy.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'infomem-dead-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const S = 400;

/** Two layers (6 and 4 neurons); neurons 1, 2 of 'a' and 0 of 'b' are constant. */
function deadSet() {
  const a = gaussianMatrix(S, 6, 1);
  const b = gaussianMatrix(S, 4, 2);
  for (let s = 0; s < S; s++) {
    a[s * 6 + 1] = 0;
    a[s * 6 + 2] = 3.5;
    b[s * 4 + 0] = 0;
  }
  return activationSetFromLayers([
    { name: 'a', data: a, samples: S, neurons: 6 },
    { name: 'b', data: b, samples: S, neurons: 4 },
  ]);
}
const DEAD = new Set([1, 2, 6]);

describe('dead neurons', () => {
  it('results give the MI means over all pairs and over live pairs (brute force)', async () => {
    const { results: r, measures: m } = await analyzeSet(deadSet(), { mi: 'binned', bins: 10, threads: 1, baselinePairs: 0 });
    const N = 10;
    let all = 0;
    let nAll = 0;
    let live = 0;
    let nLive = 0;
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        const v = m.mi![i * N + j];
        all += v;
        nAll++;
        if (!DEAD.has(i) && !DEAD.has(j)) {
          live += v;
          nLive++;
        }
      }
    assert.equal(r.constantNeurons, 3);
    assert.ok(Math.abs(r.overall.meanMI! - all / nAll) < 1e-12);
    assert.ok(Math.abs(r.overall.meanMILive! - live / nLive) < 1e-12);
    assert.equal(r.overall.miLive!.pairs, 21);
    assert.equal(r.layers[0].miLive!.pairs, 6); // 4 live neurons of 'a'
    assert.equal(r.layers[1].miLive!.pairs, 3);
    assert.ok(r.overall.meanMILive! > r.overall.meanMI!);
    assert.equal(r.excludedConstant, null);
  });

  it('--exclude-constant sets them aside, names them, and leaves the live neurons\' values unchanged', async () => {
    const full = await analyzeSet(deadSet(), { mi: 'binned', bins: 10, binning: 'neuron', threads: 1, baselinePairs: 0 });
    const ex = await analyzeSet(deadSet(), { mi: 'binned', bins: 10, binning: 'neuron', threads: 1, baselinePairs: 0, selection: { excludeConstant: true } });
    const r = ex.results;
    assert.equal(r.neurons, 7);
    assert.equal(r.constantNeurons, 0);
    assert.deepEqual(r.excludedConstant, { count: 3, neurons: [{ layer: 'a', index: 1 }, { layer: 'a', index: 2 }, { layer: 'b', index: 0 }] });
    assert.deepEqual(r.perNeuron.index, [0, 3, 4, 5, 1, 2, 3]);
    const liveIdx = [0, 3, 4, 5, 7, 8, 9];
    liveIdx.forEach((n, k) => assert.equal(ex.measures.entropy[k], full.measures.entropy[n]));
    for (let x = 0; x < 7; x++) for (let y = 0; y < 7; y++) assert.equal(ex.measures.mi![x * 7 + y], full.measures.mi![liveIdx[x] * 10 + liveIdx[y]]);
    assert.ok(Math.abs(r.overall.meanMI! - full.results.overall.meanMILive!) < 1e-12);
  });

  it('dropConstantNeurons removes a layer left empty and refuses a set of dead neurons', () => {
    const only = activationSetFromLayers([
      { name: 'dead', data: new Float64Array(2 * S), samples: S, neurons: 2 },
      { name: 'live', data: gaussianMatrix(S, 2, 3), samples: S, neurons: 2 },
    ]);
    const r = dropConstantNeurons(only);
    assert.deepEqual(r.dropped, [0, 1]);
    assert.deepEqual(r.set.layers, [{ name: 'live', offset: 0, size: 2 }]);
    assert.throws(() => dropConstantNeurons(activationSetFromLayers([{ name: 'd', data: new Float64Array(S), samples: S, neurons: 1 }])), /every one of the 1 neurons is constant/);
  });

  it('the report\'s MI densities show live pairs and say how many were left out and why', async () => {
    const a = await analyzeSet(deadSet(), { mi: 'binned', bins: 10, threads: 1, baselinePairs: 0 });
    const out = join(dir, 'report');
    await writeAnalysis(out, a);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /MI of the 21 distinct pairs \(i ≠ j\) of live neurons of all layers: 24 pairs with a constant \(dead\) neuron are left out: their MI is exactly 0/);
    assert.match(html, /3 of 10 neurons are constant \(dead\)/);
    assert.match(html, /MI of the 6 distinct pairs \(i ≠ j\) of live neurons of layer a: 9 pairs with a constant/);
  });
});

describe('shared bins collapsed by an extreme value', () => {
  function spiked(value: number) {
    const x = gaussianMatrix(S, 8, 4);
    x[17 * 8 + 5] = value;
    return activationSetFromLayers([{ name: 'fc1', data: x, samples: S, neurons: 8 }]);
  }

  it('one 1e38 collapses global bins: a warning naming the neuron, example and value', async () => {
    const { results: r } = await analyzeSet(spiked(1e38), { mi: 'none', threads: 1 });
    assert.equal(r.warnings.length, 1);
    const w = r.warnings[0];
    assert.equal(w.code, 'bins-collapsed');
    assert.deepEqual(w.at, { layer: 'fc1', neuron: 5, example: 17, value: 1e38 });
    assert.match(w.message, /^global bins: 8 of 8 live neurons fall into at most 2 of the 100 bins, .*1\.000e\+38, layer 'fc1', neuron 5, example 17.*--binning neuron/);
    assert.ok(r.overall.meanEntropy < 0.05);
    const layer = await analyzeSet(spiked(1e38), { mi: 'none', threads: 1, binning: 'layer' });
    assert.match(layer.results.warnings[0].message, /^layer bins of 'fc1':/);
  });

  it('no warning on ordinary data, nor under per-neuron bins', async () => {
    assert.deepEqual((await analyzeSet(spiked(4), { mi: 'none', threads: 1 })).results.warnings, []);
    assert.deepEqual((await analyzeSet(spiked(1e38), { mi: 'none', threads: 1, binning: 'neuron' })).results.warnings, []);
  });

  it('occupiedBins and detectBinCollapse on hand-made codes', () => {
    const codes = Uint8Array.from([0, 0, 1, 0, /* */ 3, 3, 3, 3, /* */ 0, 5, 9, 2]);
    assert.equal(occupiedBins(codes, 0, 4, 10), 2);
    assert.equal(occupiedBins(codes, 8, 4, 10), 4);
    assert.equal(occupiedBins(codes, 8, 4, 10, 3), 3);
    const values = Float64Array.from([0, 0, 1, 0, 3, 3, 3, 3, 0, 5, 9, 2]);
    const occupied = [0, 1, 2].map((n) => occupiedBins(codes, 4 * n, 4, 10, 3));
    const c = detectBinCollapse(values, occupied, 4, 10, Uint8Array.from([0, 1, 0]), 0, 3, 0, 10);
    // Live neurons 0 and 2: neuron 0 in 2 bins (collapsed), neuron 2 in 4: half collapsed.
    assert.ok(c !== null);
    assert.equal(c.live, 2);
    assert.equal(c.collapsed, 1);
    assert.equal(c.value, 9);
    assert.equal(c.neuron, 2);
    assert.equal(c.example, 2);
    assert.equal(detectBinCollapse(values, occupied, 4, 4, Uint8Array.from([0, 1, 0]), 0, 3, 0, 10), null);
  });

  it('CLI: the warning and the dead-neuron note go to stderr', () => {
    const x = gaussianMatrix(S, 6, 5);
    for (let s = 0; s < S; s++) x[s * 6] = 0;
    x[3 * 6 + 2] = -1e30;
    const f = join(dir, 'spike.npy');
    writeFileSync(f, encodeNpy(x, [S, 6]));
    const r = spawnSync(process.execPath, [join(repoRoot, 'build/src/cli/main.js'), 'analyze', f, '--mi', 'binned', '--no-report', '--out', join(dir, 'cli')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: global bins: 5 of 5 live neurons fall into at most 2 of the 100 bins.*-1\.000e\+30, layer 'spike', neuron 2, example 3/);
    assert.match(r.stderr, /note: 1 of 6 neurons are constant \(dead: spike 1\).*--exclude-constant/);
    const res = JSON.parse(readFileSync(join(dir, 'cli', 'results.json'), 'utf8'));
    assert.equal(res.warnings[0].at.neuron, 2);
    assert.equal(typeof res.overall.meanMILive, 'number');
  });
});
