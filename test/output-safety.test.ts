/**
 * A user's files survive every write: refused and forced writes, `--out .` and `--out ""`,
 * compare into a model's analysis, inputs inside the output, unwritable destinations (refused
 * before any computation), Ctrl-C (no staging directory left), reproduce and extract.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeSet, writeAnalysis } from '../src/analyze/analyze.js';
import { InputError } from '../src/io/errors.js';
import { encodeNpy } from '../src/io/npy.js';
import { MANIFEST, OutputDir } from '../src/io/output-dir.js';
import { ANALYSIS_OUTPUT } from '../src/analyze/analyze.js';
import { writeActivations } from '../src/models/acts-file.js';
import type { Extraction } from '../src/models/extract.js';
import { fixturePath, repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix, structuredSet } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const root = mkdtempSync(join(tmpdir(), 'infomem-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[], cwd?: string) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

/** Every file under `dir` with its bytes (as base64), to compare a tree before and after. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(join(dir, e.name), rel + '/'));
    else out[rel] = readFileSync(join(dir, e.name)).toString('base64');
  }
  return out;
}

function userDir(name: string): { dir: string; input: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
  const input = join(dir, 'acts.npy');
  writeFileSync(input, encodeNpy(new Float32Array(gaussianMatrix(300, 5, 7)), [300, 5]));
  return { dir, input };
}

function oneLine(stderr: string): void {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
}

describe('output directories (CLI)', () => {
  it('refuses a non-empty --out with one line, exit 2, and leaves every file as it was', () => {
    const { dir, input } = userDir('refuse');
    const before = snapshot(dir);
    const r = run(['analyze', input, '--out', dir, '--mi', 'binned']);
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.match(r.stderr, /refuse: is not empty \(holds acts\.npy, notes\.txt\).*--force/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('--force replaces only infomem\'s own files; the input and the user\'s files stay', () => {
    const { dir, input } = userDir('force');
    const before = snapshot(dir);
    const r = run(['analyze', input, '--out', dir, '--mi', 'binned', '--force', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const after1 = snapshot(dir);
    assert.equal(after1['notes.txt'], before['notes.txt']);
    assert.equal(after1['acts.npy'], before['acts.npy']);
    for (const f of ['entropy.npy', 'mi.npy', 'results.json', 'report.html', MANIFEST]) assert.ok(f in after1, f);
    assert.ok(Object.keys(after1).some((f) => f.startsWith('figures/mi-density')));
    assert.ok(!readdirSync(dir).some((f) => f.includes('infomem-tmp')));
    // A user's own file in figures/ that infomem never wrote survives a forced rerun.
    writeFileSync(join(dir, 'figures', 'mine.png'), 'not a figure of infomem');
    // Again without MI: the earlier run's mi.npy and MI figures (listed in the manifest) go; nothing else does.
    const r2 = run(['analyze', input, '--out', dir, '--mi', 'none', '--force', '--quiet']);
    assert.equal(r2.code, 0, r2.stderr);
    const after2 = snapshot(dir);
    assert.ok(!('mi.npy' in after2));
    assert.ok(!Object.keys(after2).some((f) => f.startsWith('figures/mi-density')));
    assert.equal(after2['figures/mine.png'], Buffer.from('not a figure of infomem').toString('base64'));
    assert.equal(after2['notes.txt'], before['notes.txt']);
    assert.equal(after2['acts.npy'], before['acts.npy']);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    assert.equal(manifest.tool, 'infomem');
    assert.ok(!manifest.files.includes('mi.npy'));
    assert.ok(!manifest.files.includes('figures/mine.png'));
  });

  it('--out "" is a usage error; --out . in a working directory with files (and .git) is refused', () => {
    const { dir, input } = userDir('cwd');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const before = snapshot(dir);
    const empty = run(['analyze', input, '--out', ''], dir);
    assert.equal(empty.code, 2);
    oneLine(empty.stderr);
    assert.match(empty.stderr, /--out is empty/);
    const blank = run(['analyze', input, '--out', '  '], dir);
    assert.equal(blank.code, 2);
    const dot = run(['analyze', 'acts.npy', '--out', '.'], dir);
    assert.equal(dot.code, 2);
    oneLine(dot.stderr);
    assert.match(dot.stderr, /\.: is not empty/);
    for (const cmd of [['compare', 'a.json', 'b.json'], ['reproduce', 'circles', '--tiny']]) {
      const r = run([...cmd, '--out', ''], dir);
      assert.equal(r.code, 2, cmd[0]);
      assert.match(r.stderr, /--out is empty/);
    }
    assert.deepEqual(snapshot(dir), before);
  });

  it('compare into a model\'s analysis directory is refused; with --force that model\'s analysis survives', () => {
    const a = join(root, 'cmp-a');
    const b = join(root, 'cmp-b');
    for (const [d, seed] of [[a, 1], [b, 2]] as const) {
      const f = join(root, `cmp-${seed}.npy`);
      writeFileSync(f, encodeNpy(gaussianMatrix(200, 4, seed), [200, 4]));
      assert.equal(run(['analyze', f, '--mi', 'binned', '--bins', '10', '--out', d, '--quiet']).code, 0);
    }
    const before = snapshot(a);
    const r = run(['compare', join(a, 'results.json'), join(b, 'results.json'), '--out', a]);
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.deepEqual(snapshot(a), before);
    const f = run(['compare', join(a, 'results.json'), join(b, 'results.json'), '--out', a, '--force', '--quiet']);
    assert.equal(f.code, 0, f.stderr);
    const after = snapshot(a);
    for (const k of ['results.json', 'entropy.npy', 'mi.npy']) assert.equal(after[k], before[k], k);
    assert.ok('comparison.json' in after);
  });

  it('an unwritable destination fails in under 5 s, before the computation, and writes nothing', () => {
    const S = 20000;
    const big = join(root, 'big.npy');
    writeFileSync(big, encodeNpy(new Float32Array(gaussianMatrix(S, 64, 3)), [S, 64]));
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const r = run(['analyze', big, '--out', join(file, 'out'), '--threads', '1']);
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.match(r.stderr, /plain-file\/out: cannot write: a parent in the path is not a directory/);
    assert.ok(r.seconds < 5, `${r.seconds} s`);
    const notDir = run(['analyze', big, '--out', file]);
    assert.equal(notDir.code, 2);
    assert.match(notDir.stderr, /plain-file: exists and is not a directory/);
    assert.ok(notDir.seconds < 5);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });

  it('Ctrl-C during the computation leaves no output and no staging directory', async () => {
    const S = 20000;
    const big = join(root, 'ctrl-c.npy');
    writeFileSync(big, encodeNpy(new Float32Array(gaussianMatrix(S, 48, 4)), [S, 48]));
    const parent = join(root, 'ctrl-c');
    mkdirSync(parent);
    const out = join(parent, 'out');
    const child = spawn(process.execPath, [cli, 'analyze', big, '--out', out, '--threads', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Wait until the MI phase has started (a progress line), then interrupt.
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (/mi|MI|entropy/.test(stderr)) {
          clearInterval(t);
          resolve();
        }
      }, 50);
    });
    const t0 = performance.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(code, 130, stderr);
    assert.ok(seconds < 2, `stopped after ${seconds} s`);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('reproduce refuses a non-empty directory that is not one of its runs', () => {
    const { dir } = userDir('repro');
    const before = snapshot(dir);
    const r = run(['reproduce', 'circles', '--tiny', '--out', dir]);
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.match(r.stderr, /is not empty and holds no infomem reproduction/);
    writeFileSync(join(dir, 'run.json'), '{"something": "else"}');
    const r2 = run(['reproduce', 'circles', '--tiny', '--out', dir]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /run\.json: is not the record of an infomem reproduction/);
    rmSync(join(dir, 'run.json'));
    assert.deepEqual(snapshot(dir), before);
  });

  it('extract refuses an existing output (checked before extracting), never overwrites an input, and --force replaces', () => {
    const model = fixturePath('models/torch-mlp/model.onnx');
    const dir = join(root, 'extract');
    mkdirSync(dir);
    const x = join(dir, 'x.npy');
    writeFileSync(x, encodeNpy(gaussianMatrix(20, 4, 5), [20, 4]));
    const out = join(dir, 'acts.npz');
    writeFileSync(out, 'precious');
    const r = run(['extract', '--model', model, '--inputs', x, '--out', out]);
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.match(r.stderr, /acts\.npz: exists; choose another output file, or use --force/);
    assert.equal(readFileSync(out, 'utf8'), 'precious');
    const self = run(['extract', '--model', model, '--inputs', x, '--out', x, '--force']);
    assert.equal(self.code, 2);
    assert.match(self.stderr, /x\.npy: is an input and would be overwritten/);
    const f = run(['extract', '--model', model, '--inputs', x, '--out', out, '--force', '--quiet']);
    assert.equal(f.code, 0, f.stderr);
    assert.notEqual(readFileSync(out, 'utf8'), 'precious');
    assert.ok(existsSync(`${out}.json`));
  });
});

describe('OutputDir and writeAnalysis (library)', () => {
  const set = structuredSet(120, [3], 1);

  it('writeAnalysis refuses a non-empty directory unless overwrite, then replaces only its own files', async () => {
    const { dir } = userDir('lib');
    const before = snapshot(dir);
    const a = await analyzeSet(set, { mi: 'binned', bins: 8, threads: 1 });
    await assert.rejects(writeAnalysis(dir, a), (e: unknown) => e instanceof InputError && /is not empty/.test(e.message));
    assert.deepEqual(snapshot(dir), before);
    await writeAnalysis(dir, a, { overwrite: true, report: false });
    const after = snapshot(dir);
    assert.equal(after['notes.txt'], before['notes.txt']);
    assert.equal(after['acts.npy'], before['acts.npy']);
    assert.ok('results.json' in after && 'mi.npy' in after);
    await assert.rejects(OutputDir.open('', ANALYSIS_OUTPUT), InputError);
  });

  it('an input that bears an output name is never overwritten, even with overwrite', async () => {
    const dir = join(root, 'lib-input');
    mkdirSync(dir);
    const input = join(dir, 'results.json');
    writeFileSync(input, '{"layers": {}}');
    await assert.rejects(OutputDir.open(dir, ANALYSIS_OUTPUT, { overwrite: true, inputs: [input] }), (e: unknown) => e instanceof InputError && e.file === input && /is an input/.test(e.message));
    assert.equal(readFileSync(input, 'utf8'), '{"layers": {}}');
    assert.deepEqual(readdirSync(dir), ['results.json']);
  });

  it('writeActivations refuses an existing file unless overwrite, and never an input', async () => {
    const dir = join(root, 'lib-acts');
    mkdirSync(dir);
    const out = join(dir, 'acts.npz');
    writeFileSync(out, 'precious');
    const x: Extraction = {
      layers: [{ name: 'fc', data: Float64Array.from([1, 2, 3, 4]), samples: 2, neurons: 2, op: 'Relu', shape: ['B', 2], reduction: 'none', exact: 'float32' }],
      kind: 'onnx',
      model: 'm.onnx',
      inputs: 'x.npy',
      samples: 2,
      seconds: 0,
    };
    await assert.rejects(writeActivations(out, x, { token: 'first', pool: 'avg' }), (e: unknown) => e instanceof InputError && /acts\.npz: exists/.test(e.message));
    assert.equal(readFileSync(out, 'utf8'), 'precious');
    await assert.rejects(writeActivations(out, x, { token: 'first', pool: 'avg', overwrite: true, inputs: [out] }), /is an input/);
    await writeActivations(out, x, { token: 'first', pool: 'avg', overwrite: true });
    assert.notEqual(readFileSync(out, 'utf8'), 'precious');
  });

  it('a staging directory left by a killed run is cleared by the next run; a live one is not', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const dir = join(root, 'lib-stale');
    mkdirSync(join(dir, `.infomem-tmp-${dead}-abc123`), { recursive: true });
    writeFileSync(join(dir, `.infomem-tmp-${dead}-abc123`, 'results.json'), '{}');
    const o = await OutputDir.open(dir, ANALYSIS_OUTPUT);
    writeFileSync(join(o.staging, 'results.json'), '{}');
    await o.commit();
    assert.deepEqual(readdirSync(dir).sort(), [MANIFEST, 'results.json']);
    const busy = join(root, 'lib-busy');
    mkdirSync(join(busy, `.infomem-tmp-${process.pid}-abc123`), { recursive: true });
    await assert.rejects(OutputDir.open(busy, ANALYSIS_OUTPUT), /is not empty/);
  });

  it('discard leaves a new directory uncreated and an existing one as it was', async () => {
    const fresh = join(root, 'lib-fresh', 'deep');
    const o = await OutputDir.open(fresh, ANALYSIS_OUTPUT);
    writeFileSync(join(o.staging, 'results.json'), '{}');
    await o.discard();
    assert.ok(!existsSync(fresh));
    assert.deepEqual(readdirSync(join(root, 'lib-fresh')), []);
    const { dir } = userDir('lib-discard');
    const before = snapshot(dir);
    const o2 = await OutputDir.open(dir, ANALYSIS_OUTPUT, { overwrite: true });
    writeFileSync(join(o2.staging, 'results.json'), '{}');
    await o2.discard();
    assert.deepEqual(snapshot(dir), before);
  });
});
