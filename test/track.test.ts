import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isResultsFile, trackFiles, type Track } from '../src/track/track.js';
import { repoRoot } from './helpers/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'infomem-track-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cli = join(repoRoot, 'build', 'src', 'cli', 'main.js');

/**
 * Three checkpoints of a 2 + 2 neuron network on 4 examples, values in {0, 1, 2, 3}: with 4
 * global equal-width bins on [0, 3] each value is its own bin, so the plug-in entropies and MIs
 * are those of the values themselves.
 */
const checkpoints: Record<string, { a: number[][]; b: number[][] }> = {
  // a1 = a2 = [0,0,3,3]; b1 = b2 = [0,3,0,3]
  A: { a: [[0, 0], [0, 0], [3, 3], [3, 3]], b: [[0, 0], [3, 3], [0, 0], [3, 3]] },
  // a1 = [0,1,2,3], a2 = [0,0,3,3]; b1 = [0,3,0,3], b2 = [0,3,3,0]
  B: { a: [[0, 0], [1, 0], [2, 3], [3, 3]], b: [[0, 0], [3, 3], [0, 3], [3, 0]] },
  // every neuron [0,0,0,3]
  C: { a: [[0, 0], [0, 0], [0, 0], [3, 3]], b: [[0, 0], [0, 0], [0, 0], [3, 3]] },
};
const L2 = Math.log(2);
const h = Math.log(4) - 0.75 * Math.log(3); // entropy of [0,0,0,3]
/** Hand-computed: mean entropy, mean MI over the 6 pairs, and per layer (its own pair). */
const expected = {
  A: { H: L2, MI: (2 * L2) / 6, layers: { a: [L2, L2], b: [L2, L2] } },
  // H: ln4, ln2, ln2, ln2. MI: a1 determines everything (ln2 with a2, b1, b2), the other pairs are independent
  B: { H: (2 * L2 + 3 * L2) / 4, MI: (3 * L2) / 6, layers: { a: [(2 * L2 + L2) / 2, L2], b: [L2, 0] } },
  C: { H: h, MI: h, layers: { a: [h, h], b: [h, h] } },
};

function writeCheckpoints(): string[] {
  return Object.entries(checkpoints).map(([name, layers]) => {
    const p = join(root, `${name}.json`);
    writeFileSync(p, JSON.stringify({ layers }));
    return p;
  });
}

const close = (a: number | null, b: number, what: string): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

describe('infomem track', () => {
  const files = writeCheckpoints();

  it('library: one analysis per checkpoint, against hand-computed values, and the map', async () => {
    const { track } = await trackFiles(files, { x: [0, 5, 10], analysis: { mi: 'binned', bins: 4, baselinePairs: 0, threads: 1, resamples: 0 } });
    assert.equal(track.schema, 'infomem/track');
    assert.equal(track.xTitle, 'epoch');
    assert.deepEqual(track.points.map((p) => p.label), ['A', 'B', 'C']);
    assert.deepEqual(track.points.map((p) => p.x), [0, 5, 10]);
    for (const [i, key] of (['A', 'B', 'C'] as const).entries()) {
      const p = track.points[i];
      const e = expected[key];
      close(p.meanEntropy, e.H, `${key} mean H`);
      close(p.meanMI, e.MI, `${key} mean MI`);
      for (const [li, name] of (['a', 'b'] as const).entries()) {
        close(p.layers[li].meanEntropy, e.layers[name][0], `${key} ${name} H`);
        close(p.layers[li].meanMI, e.layers[name][1], `${key} ${name} MI`);
      }
    }
    // against A: B gains entropy and MI (neither pattern); C loses entropy and gains MI (heuristic)
    assert.deepEqual(track.map.models.map((m) => m.quadrant), ['reference', 'both-up', 'heuristic']);
    close(track.map.models[2].dEntropy, h - L2, 'C dH');
    close(track.map.models[2].dMI, h - L2 / 3, 'C dMI');
    // per layer of B: layer a's entropy rises with its MI unchanged; layer b's MI falls with its entropy unchanged:
    // one-axis results, named as such (not 'unchanged')
    assert.deepEqual(track.map.models[1].layers.map((l) => l.quadrant), ['entropy-up', 'mi-down']);
    assert.deepEqual(track.map.models[2].layers.map((l) => l.quadrant), ['both-down', 'both-down']);
    assert.equal(track.map.pattern, 'heuristic');
  });

  it('CLI: activation files and a results.json mixed, --labels, --json, report and figures; the map against another reference', () => {
    const an = join(root, 'analysed-B');
    const r0 = spawnSync(process.execPath, [cli, 'analyze', files[1], '--mi', 'binned', '--bins', '4', '--resamples', '0', '--out', an, '--quiet'], { encoding: 'utf8' });
    assert.equal(r0.status, 0, r0.stderr);
    const out = join(root, 'track-out');
    const r = spawnSync(process.execPath, [cli, 'track', files[0], join(an, 'results.json'), files[2], '--mi', 'binned', '--bins', '4', '--resamples', '0', '--x', '0,5,10', '--labels', 'start,mid,end', '--accuracy', '0.1,0.5,0.9', '--baseline-model', 'mid', '--json', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const t = JSON.parse(r.stdout) as Track;
    assert.deepEqual(t.points.map((p) => p.label), ['start', 'mid', 'end']);
    assert.deepEqual(t.points.map((p) => p.accuracy), [0.1, 0.5, 0.9]);
    close(t.points[1].meanMI, expected.B.MI, 'the results.json read as it is');
    assert.equal(t.map.reference.label, 'mid');
    assert.deepEqual(t.map.models.map((m) => m.quadrant), ['both-down', 'reference', 'heuristic']);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'track.json'), 'utf8')), t);
    for (const f of ['report.html', 'figures/track-measures.svg', 'figures/track-measures.png', 'figures/track-memorization-map.svg']) assert.ok(existsSync(join(out, f)), f);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /Memorization map/);
    assert.ok(!/<script/i.test(html));
    const table = spawnSync(process.execPath, [cli, 'track', ...files, '--mi', 'binned', '--bins', '4', '--no-report', '--out', join(root, 'table')], { encoding: 'utf8' });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /checkpoint\s+#\s+mean H\s+mean MI\s+a H\s+a MI\s+b H\s+b MI/);
    assert.match(table.stdout, /memorization map \(against A\):/);
  });

  it('refuses bad requests with exit code 2 before any analysis, and never writes into a non-empty directory', () => {
    for (const [args, msg] of [
      [[files[0]], /at least two checkpoints/],
      [[...files, '--x', '0,5'], /--x has 2 values for 3 checkpoints/],
      [[...files, '--x', '0,5,5'], /--x must increase strictly/],
      [[...files, '--labels', 'a,b'], /--labels has 2 entries for 3 checkpoints/],
      [[...files, '--baseline-model', 'Z', '--mi', 'binned'], /--baseline-model 'Z' is neither/],
      [[...files, '--mi', 'nope'], /--mi/],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, 'track', ...args, '--out', join(root, 'never')], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    assert.ok(!existsSync(join(root, 'never')));
    const busy = join(root, 'busy');
    spawnSync('mkdir', ['-p', busy]);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const r = spawnSync(process.execPath, [cli, 'track', ...files, '--mi', 'binned', '--out', busy], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(readFileSync(join(busy, 'notes.txt'), 'utf8'), 'mine');
  });

  it('tells results.json from JSON activations by their first bytes', async () => {
    assert.equal(await isResultsFile(files[0]), false);
    assert.equal(await isResultsFile(join(root, 'analysed-B', 'results.json')), true);
    assert.equal(await isResultsFile(join(root, 'x.npz')), false);
  });
});
