/** One-line messages that say what is wrong and what to do (issue 25's list). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeNpy } from '../src/io/npy.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-messages-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('score with a 2-example reference names the file and --knn', () => {
    const ref = join(dir, 'ref.npy');
    writeFileSync(ref, encodeNpy(gaussianMatrix(2, 4, 1), [2, 4]));
    const x = join(dir, 'x.npy');
    writeFileSync(x, encodeNpy(gaussianMatrix(20, 4, 2), [20, 4]));
    const r = run(['score', '--reference', ref, '--inputs', x, '--out', join(dir, 'never')]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /ref\.npy: holds 2 reference examples, fewer than the k-NN baseline's k = 10 \(--knn\)/);
  });

  it('score: --labels-ood all of one kind, and a constant reference, are refused in one line saying why', () => {
    const ref = join(dir, 'ref-ok.npy');
    writeFileSync(ref, encodeNpy(gaussianMatrix(60, 4, 3), [60, 4]));
    const x = join(dir, 'x-ok.npy');
    writeFileSync(x, encodeNpy(gaussianMatrix(20, 4, 4), [20, 4]));
    const zeros = join(dir, 'zeros.npy');
    writeFileSync(zeros, encodeNpy(new Float64Array(20), [20]));
    const a = run(['score', '--reference', ref, '--inputs', x, '--labels-ood', zeros, '--out', join(dir, 'never-a'), '--quiet']);
    assert.equal(a.status, 2, a.stderr);
    assert.equal(a.stderr.trim().split('\n').length, 1, a.stderr);
    assert.match(a.stderr, /zeros\.npy: OOD labels: all 20 are 0 \(in distribution\): the detection metrics \(AUROC, AUPR, FPR at 95% TPR\) need examples of both kinds/);
    const flat = join(dir, 'flat.npy');
    writeFileSync(flat, encodeNpy(new Float64Array(60 * 4).fill(0.5), [60, 4]));
    const b = run(['score', '--reference', flat, '--inputs', x, '--out', join(dir, 'never-b'), '--quiet']);
    assert.equal(b.status, 2, b.stderr);
    assert.match(b.stderr, /flat\.npy: every neuron of the reference is constant over its 60 examples: nothing to score against/);
    assert.ok(!existsSync(join(dir, 'never-a')) && !existsSync(join(dir, 'never-b')));
  });

  it('a texts file: every line an example (blank ones kept and named), so that example i is line i + 1', async () => {
    const { readModelInputs } = await import('../src/models/inputs.js');
    const f = join(dir, 'texts.txt');
    writeFileSync(f, 'a good film\n\nbad\r\n   \nfine\n');
    const t = await readModelInputs(f);
    assert.equal(t.kind, 'texts');
    if (t.kind !== 'texts') return;
    assert.deepEqual(t.texts, ['a good film', '', 'bad', '   ', 'fine']);
    assert.deepEqual(t.blank, [2, 4]);
    writeFileSync(f, 'no final newline');
    assert.deepEqual((await readModelInputs(f)).kind === 'texts' && (await readModelInputs(f) as { texts: string[] }).texts, ['no final newline']);
    writeFileSync(f, '\n \n');
    await assert.rejects(readModelInputs(f), /no examples \(every line is empty\)/);
  });

  it('a dangling-symlink --out says so; --bins over its limit names the range', () => {
    const link = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere', 'x'), link);
    const demo = join(repoRoot, 'data/demo/mlp-circles.npz');
    const r = run(['analyze', demo, '--out', link]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dangling: cannot write: it is a symbolic link to a path that does not exist/);
    const b = run(['analyze', demo, '--bins', '70000', '--out', join(dir, 'never')]);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /--bins takes an integer in 1\.\.65,536, got '70000'/);
    assert.match(run(['analyze', '--help']).stdout, /at most 65,536/);
  });

  it('extract --out without an extension writes NAME.npz, which analyze reads', () => {
    const model = join(repoRoot, 'test/fixtures/models/torch-mlp/model.onnx');
    const x = join(dir, 'in.npy');
    writeFileSync(x, encodeNpy(gaussianMatrix(30, 4, 3), [30, 4]));
    const r = run(['extract', '--model', model, '--inputs', x, '--out', join(dir, 'e8'), '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /note: writing .*e8\.npz/);
    assert.ok(existsSync(join(dir, 'e8.npz')));
    assert.equal(run(['analyze', join(dir, 'e8.npz'), '--mi', 'gcmi', '--out', join(dir, 'e8-analysis'), '--quiet', '--no-report']).status, 0);
  });
});
