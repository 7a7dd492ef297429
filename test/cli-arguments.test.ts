/**
 * Numeric options are checked against the data and the machine: thread counts above the cores
 * are clamped with a note, counts above what the input holds are refused, negative numbers get
 * the option's own message (not Node's "argument is ambiguous"), each in one line with exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeNpy } from '../src/io/npy.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'infomem-args-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const S = 500;
const N = 20;
const npy = join(dir, 'acts.npy');
writeFileSync(npy, encodeNpy(gaussianMatrix(S, N, 1), [S, N]));
let outs = 0;

function analyze(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'analyze', npy, '--mi', 'binned', '--bins', '10', '--no-report', '--out', join(dir, `o${outs++}`), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('numeric options (CLI)', () => {
  it('--threads above the core count is clamped, with a note', () => {
    const cores = availableParallelism();
    const r = analyze(['--threads', String(cores + 198)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`note: --threads ${cores + 198}: this machine has ${cores} cores; using ${cores}`));
  });

  const refused: [string[], RegExp][] = [
    [['--samples', '100000'], /asked for 100000 examples, but the input has 500 \(--samples\)/],
    [['--samples', 'random:501'], /asked for 501 examples, but the input has 500/],
    [['--sample-neurons', '1000'], /asked for 1000 neurons at random, but the input has 20 \(--sample-neurons\)/],
    [['--neurons-per-layer', '21'], /asked for 21 neurons per layer, but the largest layer has 20/],
    [['--k', '-2'], /--k takes an integer >= 1, got '-2'/],
    [['--bins', '-5'], /--bins takes an integer in 1..65,536, got '-5'/],
    [['--bins', '70000'], /--bins takes an integer in 1..65,536, got '70000'/],
    [['--threads', '-1'], /--threads takes an integer >= 1, got '-1'/],
    [['--jitter', '-1e-3'], /jitter must be a finite number >= 0/],
    [['--seed', '-3'], /--seed takes an integer >= 0, got '-3'/],
    [['--threads', '0'], /--threads takes an integer >= 1, got '0'/],
    [['--k', '2.5'], /--k takes an integer >= 1, got '2.5'/],
  ];
  for (const [args, message] of refused) {
    it(`refuses ${args.join(' ')} in one line, exit 2`, () => {
      const r = analyze(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /ambiguous/);
    });
  }

  it('counts equal to what exists are fine', () => {
    const r = analyze(['--samples', String(S), '--sample-neurons', String(N), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('a header-less CSV (np.savetxt) keeps all of its rows', () => {
    const csv = join(dir, 'savetxt.csv');
    const rows: string[] = [];
    for (let s = 0; s < 300; s++) rows.push(Array.from({ length: 3 }, (_, j) => ((s * 7 + j * 3) % 11).toExponential(18)).join(','));
    writeFileSync(csv, rows.join('\n') + '\n');
    const out = join(dir, 'csv-out');
    const r = spawnSync(process.execPath, [cli, 'analyze', csv, '--mi', 'none', '--no-report', '--out', out, '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(res.samples, 300);
    assert.equal(res.neurons, 3);
  });
});
