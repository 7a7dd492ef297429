import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorizationMap, quadrantName, quadrantOf, type MapInput } from '../src/compare/memorization-map.js';
import { buildComparison } from '../src/compare/build-comparison.js';
import { defaultLabels, referenceIndex } from '../src/compare/compare-files.js';
import type { Results } from '../src/analysis/results.js';

const model = (label: string, meanEntropy: number, meanMI: number | null, layers: [string, number, number | null][] = []): MapInput => ({
  label,
  meanEntropy,
  meanMI,
  layers: layers.map(([name, h, mi]) => ({ name, meanEntropy: h, meanMI: mi })),
});

describe('memorization map: quadrants named by the paper', () => {
  it('entropy down + MI up = heuristic; entropy up + MI down = example-level; together = neither', () => {
    assert.equal(quadrantOf(-0.5, 0.2, 3, 0.1, 0.01), 'heuristic');
    assert.equal(quadrantOf(0.5, -0.05, 3, 0.1, 0.01), 'example-level');
    assert.equal(quadrantOf(0.5, 0.05, 3, 0.1, 0.01), 'both-up');
    assert.equal(quadrantOf(-0.5, -0.05, 3, 0.1, 0.01), 'both-down');
  });
  it('a change within the tolerance on one axis names no pattern, but the other axis is still a result', () => {
    // 1% of 3 nats = 0.03: a 0.02 drop in entropy is no change; MI doubling is
    assert.equal(quadrantOf(-0.02, 0.2, 3, 0.1, 0.01), 'mi-up');
    assert.equal(quadrantOf(-0.04, 0.2, 3, 0.1, 0.01), 'heuristic');
    assert.equal(quadrantOf(-0.5, 0.0005, 3, 0.1, 0.01), 'entropy-down');
    assert.equal(quadrantOf(-0.5, 0.2, 3, 0.1, 0), 'heuristic');
    assert.equal(quadrantOf(-0.5, null, 3, null, 0.01), 'entropy-down', 'no MI: entropy alone');
    assert.equal(quadrantOf(0.01, 0.0005, 3, 0.1, 0.01), 'unchanged', 'both axes within the dead zone');
    // the case: mean MI fell 45% while entropy rose 0.0015 (inside the dead zone): not 'unchanged'
    assert.equal(quadrantOf(0.0015, -0.076, 2.5, 0.169, 0.01), 'mi-down');
    assert.equal(quadrantName('mi-down'), 'MI down only');
  });
  it('places constructed models against the reference, per model and per layer, and finds the dominant pattern', () => {
    const m = memorizationMap([
      model('base', 3, 0.1, [['l1', 3, 0.1], ['l2', 3, 0.1]]),
      model('shortcut', 2, 0.4, [['l1', 2.5, 0.2], ['l2', 1.5, 0.6]]),
      model('stronger', 1.5, 0.6, [['l1', 3, 0.3], ['l2', 0, 0.9]]),
      model('shuffled', 3.5, 0.05, [['l1', 3.5, 0.05], ['l2', 3.2, 0.2]]),
    ]);
    assert.deepEqual(m.reference, { label: 'base', index: 0 });
    assert.deepEqual(
      m.models.map((x) => x.quadrant),
      ['reference', 'heuristic', 'heuristic', 'example-level'],
    );
    assert.equal(m.models[1].dEntropy, -1);
    assert.ok(Math.abs((m.models[1].dMI as number) - 0.3) < 1e-15);
    assert.deepEqual(
      m.models[2].layers.map((l) => l.quadrant),
      ['mi-up', 'heuristic'],
    );
    assert.deepEqual(
      m.models[3].layers.map((l) => l.quadrant),
      ['example-level', 'both-up'],
    );
    assert.deepEqual(m.votes, { heuristic: 2, 'example-level': 1, 'both-up': 0, 'both-down': 0, 'entropy-up': 0, 'entropy-down': 0, 'mi-up': 0, 'mi-down': 0, unchanged: 0 });
    assert.equal(m.pattern, 'heuristic');
    assert.match(m.message, /2 of 3 models lose entropy and gain MI: the heuristic/);
  });
  it('another reference, ties and missing MI', () => {
    const ms = [model('a', 3, 0.1), model('b', 2, 0.3), model('c', 4, 0.05)];
    const fromB = memorizationMap(ms, 1);
    assert.deepEqual(
      fromB.models.map((x) => x.quadrant),
      ['example-level', 'reference', 'example-level'],
    );
    assert.equal(fromB.pattern, 'example-level');
    const tie = memorizationMap(ms, 0);
    assert.equal(tie.pattern, null);
    assert.match(tie.message, /no single pattern/);
    assert.equal(memorizationMap([model('a', 3, null), model('b', 2, null)]).pattern, null);
    assert.throws(() => memorizationMap([ms[0]]), /at least two/);
    assert.throws(() => memorizationMap(ms, 3), /not one of the 3 models/);
  });
});

describe('compare --setting auto and --baseline-model', () => {
  const fake = (h: number, mi: number): Results => ({ units: 'nats', settings: { binning: 'global' }, overall: { meanEntropy: h, meanMI: mi, meanEntropyByBinning: { global: h, layer: h, neuron: h } }, layers: [] }) as unknown as Results;
  // a label-noise sweep: entropy rises and MI falls as accuracy falls (example-level)
  const models = [
    { label: 'b0', path: 'b0', results: fake(2.7, 0.09), accuracy: 0.97 },
    { label: 'b50', path: 'b50', results: fake(2.9, 0.03), accuracy: 0.6 },
    { label: 'b100', path: 'b100', results: fake(3.0, 0.02), accuracy: 0.1 },
  ];
  it('auto orients the ranking by the pattern the models follow', () => {
    const c = buildComparison(models, 'auto');
    assert.equal(c.setting, 'example-level');
    assert.equal(c.settingSource, 'auto');
    assert.equal(c.kendall.meanEntropy, 1);
    assert.equal(c.kendall.meanMI, 1);
    const given = buildComparison(models, 'heuristic');
    assert.equal(given.settingSource, 'given');
    assert.equal(given.kendall.meanEntropy, -1);
    assert.equal(buildComparison(models, undefined).settingSource, 'default');
  });
  it('auto falls back to heuristic, and says so, when no pattern dominates', () => {
    const c = buildComparison([models[0], { ...models[1], results: fake(2.5, 0.2) }, models[2]], 'auto');
    assert.equal(c.map.pattern, null);
    assert.equal(c.setting, 'heuristic');
    assert.equal(c.settingSource, 'auto-fallback');
  });
  it('the reference model by label or 1-based position', () => {
    assert.equal(referenceIndex(undefined, ['x', 'y']), 0);
    assert.equal(referenceIndex('y', ['x', 'y']), 1);
    assert.equal(referenceIndex('2', ['x', 'y']), 1);
    assert.throws(() => referenceIndex('3', ['x', 'y']), /neither a model's label \(x, y\) nor a position 1\.\.2/);
    assert.equal(buildComparison(models, 'auto', { reference: 2 }).map.reference.label, 'b100');
  });
  it('default labels: folder names, lengthened until they differ', () => {
    assert.deepEqual(defaultLabels(['/r/a/results.json', '/r/b/results.json']), ['a', 'b']);
    assert.deepEqual(defaultLabels(['/r/beta-0/analysis/results.json', '/r/beta-1/analysis/results.json']), ['beta-0/analysis', 'beta-1/analysis']);
    assert.deepEqual(defaultLabels(['/r/x.json', '/s/y.json']), ['x', 'y']);
  });
});
