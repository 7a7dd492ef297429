import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadActivationFiles } from '../src/inputs/load-activations.js';
import { randomCsv, tempDir } from './fixtures/inputs/helpers.js';

const tmp = tempDir('inputs-perf');
after(() => tmp.cleanup());

describe('CSV read speed', () => {
  it('reads a 2,000 x 768 CSV well under 2 s', async () => {
    const p = tmp.write('acts-2000.csv', randomCsv(2000, 768));
    const t0 = performance.now();
    const { set } = await loadActivationFiles([p]);
    const ms = performance.now() - t0;
    assert.equal(set.samples, 2000);
    assert.equal(set.layers[0].size, 768);
    console.log(`2,000 x 768 CSV (${(readFileSync(p).length / 1e6).toFixed(1)} MB): loadActivationFiles ${ms.toFixed(0)} ms`);
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
  });
});
