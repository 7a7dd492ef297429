import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { encodeNpz } from '../src/io/npz.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('infomem analyze (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-cli-'));
  const S = 400;
  const a = gaussianMatrix(S, 6, 1);
  const b = gaussianMatrix(S, 4, 2);
  const npy = join(dir, 'acts.npy');
  writeFileSync(npy, encodeNpy(new Float32Array(a), [S, 6]));
  const npz = join(dir, 'layers.npz');
  writeFileSync(npz, encodeNpz(new Map([['fc1', { data: a, shape: [S, 6] }], ['fc2', { data: b, shape: [S, 4] }]])));

  it('writes entropy.npy, mi.npy and results.json for a .npy file', () => {
    const out = join(dir, 'out1');
    const r = run(['analyze', npy, '--preset', 'paper', '--mi', 'ksg', '--k', '3', '--bins', '20', '--threads', '2', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const h = parseNpy(readFileSync(join(out, 'entropy.npy')), 'entropy.npy');
    assert.deepEqual(h.shape, [6]);
    assert.equal(h.dtype, '<f8');
    const mi = parseNpy(readFileSync(join(out, 'mi.npy')), 'mi.npy');
    assert.deepEqual(mi.shape, [6, 6]);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(res.schema, 'infomem/results');
    assert.equal(res.settings.preset, 'paper');
    assert.equal(res.settings.bins, 20);
    assert.equal(res.layers[0].name, 'acts');
    assert.equal(res.samples, S);
    assert.equal(res.inputs[0].sha256.length, 64);
    const meanH = Array.from(h.data).reduce((x, y) => x + y, 0) / 6;
    assert.ok(Math.abs(res.overall.meanEntropy - meanH) < 1e-12);
    let off = 0;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (i !== j) off += mi.data[i * 6 + j];
    assert.ok(Math.abs(res.overall.meanMI - off / 30) < 1e-12);
  });

  it('treats each .npz array as a layer and prints a per-layer table', () => {
    const out = join(dir, 'out2');
    const r = run(['analyze', npz, '--mi', 'binned', '--out', out, '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fc1\s+6/);
    assert.match(r.stdout, /fc2\s+4/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(res.layers.map((l: { name: string }) => l.name), ['fc1', 'fc2']);
    assert.deepEqual(res.layers.map((l: { offset: number }) => l.offset), [0, 6]);
    assert.ok(res.overall.meanEntropyByBinning.neuron > 0);
  });

  it('creates missing parents of --out (as the README set-up does on a fresh clone)', () => {
    const out = join(dir, 'runs', 'nested', 'demo');
    const r = run(['analyze', npy, '--mi', 'none', '--no-report', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(out, 'results.json')));
  });

  it('--mi none writes no mi.npy; --units bits scales entropies by 1/ln 2', () => {
    const nats = join(dir, 'out3');
    const bits = join(dir, 'out4');
    assert.equal(run(['analyze', npy, '--mi', 'none', '--out', nats, '--quiet']).code, 0);
    assert.equal(run(['analyze', npy, '--mi', 'none', '--units', 'bits', '--out', bits, '--quiet']).code, 0);
    assert.ok(!existsSync(join(nats, 'mi.npy')));
    const hn = parseNpy(readFileSync(join(nats, 'entropy.npy')), 'n').data;
    const hb = parseNpy(readFileSync(join(bits, 'entropy.npy')), 'b').data;
    hn.forEach((v, i) => assert.ok(Math.abs(hb[i] - v / Math.LN2) < 1e-12));
  });

  it('bad input: one line naming the file, exit code 2, nothing written', () => {
    const bad = join(dir, 'bad.npy');
    writeFileSync(bad, 'not an npy file at all');
    const tiny = join(dir, 'tiny.npy');
    writeFileSync(tiny, encodeNpy(new Float64Array(6).map((_, i) => i), [3, 2]));
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.npy')], /missing\.npy: no such file/],
      [[bad], /bad\.npy: .*magic/i],
      [[npy, '--bins', 'x'], /--bins takes an integer/],
      [[npy, '--frobnicate'], /frobnicate/],
      [[npy, '--layers', 'nope'], /unknown layer 'nope'/],
      [[tiny], /tiny\.npy: 3 examples: .*at least k \+ 1 = 4/],
    ];
    for (const [args, pattern] of cases) {
      const out = join(dir, 'never');
      const r = run(['analyze', ...args, '--out', out, '--quiet']);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(!existsSync(out), 'no output directory');
    }
    assert.ok(!readdirSync(dir).some((f) => f.includes('.tmp')), 'no temporary files left');
  });

  it('NaN: refused by default (exit 2), dropped with --nan drop-examples', () => {
    const withNan = Float64Array.from(a);
    withNan[7] = NaN;
    const f = join(dir, 'nan.npy');
    writeFileSync(f, encodeNpy(withNan, [S, 6]));
    const refused = run(['analyze', f, '--out', join(dir, 'nan-out'), '--quiet']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /nan\.npy: .*NaN.*example 1.*--nan drop-examples/);
    const out = join(dir, 'nan-dropped');
    const r = run(['analyze', f, '--nan', 'drop-examples', '--mi', 'binned', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /dropped 1 of 400 examples/);
    assert.equal(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).samples, S - 1);
  });

  it('--help and --version', () => {
    assert.match(run(['--help']).stdout, /infomem analyze/);
    assert.match(run(['analyze', '--help']).stdout, /--preset paper\|default/);
    assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+/);
  });
});
