import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseNpz } from '../src/io/npz.js';
import { pretrainedEncoder } from '../src/reproduce/text-job.js';
import { reproduce } from '../src/reproduce/sweep.js';
import type { ReproductionSummary } from '../src/reproduce/summary.js';
import type { TrainingRecord } from '../src/reproduce/training-record.js';
import { repoRoot } from './helpers/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'infomem-reproduce-text-'));
after(() => rmSync(root, { recursive: true, force: true }));
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

describe('infomem reproduce sentiment-adjectives (tiny run of the transformer pipeline)', () => {
  const out = join(root, 'sa');
  it('fine-tunes the pretrained encoder, exports ONNX, extracts [CLS] vectors, analyses, compares and summarises; resumes', async () => {
    const enc = await pretrainedEncoder();
    const lines: string[] = [];
    const res = await reproduce({ experiment: 'sentiment-adjectives', size: 'tiny', out, from: ['pretrained'], workers: 2, threads: 2, presets: ['paper'], report: false, log: (l) => lines.push(l) });
    const run = readJson<{ config: { text: { encoderSha256: string; from: string[]; layers: number } } }>(join(out, 'run.json'));
    assert.equal(run.config.text.encoderSha256, enc.sha256);
    assert.deepEqual(run.config.text.from, ['pretrained']);
    for (const a of ['0.00', '0.25', '0.50', '0.75', '1.00']) {
      const dir = join(out, 'alpha-pretrained', 'seed-0', `alpha-${a}`);
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'onnx/model.onnx']) assert.ok(existsSync(join(dir, 'model', f)), f);
      const tr = readJson<TrainingRecord>(join(dir, 'training.json'));
      assert.equal(tr.from, 'pretrained');
      assert.equal(tr.data.injected, Math.floor(Number(a) * tr.data.trainConflicting));
      const ca = tr.conflictAccuracy ?? null;
      assert.ok(ca === null || (ca >= 0 && ca <= 1));
      assert.equal(tr.epochs, 2);
      const acts = parseNpz(new Uint8Array(readFileSync(join(dir, 'activations.npz'))), 'acts');
      assert.deepEqual([...acts.keys()], ['layer.0', 'layer.1']);
      for (const x of acts.values()) assert.deepEqual(x.shape, [tr.data.measure, 64]);
      const r = readJson<{ samples: number; neurons: number }>(join(dir, 'analysis-paper', 'results.json'));
      assert.equal(r.neurons, 128);
      // training dynamics: the [CLS] vectors of both blocks at epochs 0 and 2 (every 2 by default)
      const dyn = readJson<{ complete: boolean; points: { epoch: number; loss: number | null; valAccuracy: number; trainAccuracy: number; layers: { name: string; neurons: number }[] }[] }>(join(dir, 'dynamics.json'));
      assert.equal(dyn.complete, true);
      assert.deepEqual(dyn.points.map((p) => p.epoch), [0, 2]);
      assert.deepEqual(dyn.points[1].layers.map((l) => [l.name, l.neurons]), [['layer.0', 64], ['layer.1', 64]]);
      assert.equal(dyn.points[1].loss, tr.history[1].loss);
      assert.equal(dyn.points[1].valAccuracy, tr.history[1].valAccuracy);
      assert.ok(Math.abs(dyn.points[1].trainAccuracy - (tr.trainAccuracy ?? NaN)) < 1e-12, 'the last point is the trained model');
    }
    assert.equal(res.summary.dynamics?.[0].from, 'pretrained');
    assert.equal(res.summary.sweeps.length, 1);
    assert.equal(res.summary.sweeps[0].from, 'pretrained');
    assert.ok(res.summaryMd.includes('alpha sweep from the pretrained encoder'));
    assert.ok(res.summaryMd.includes('acc on conflicting'));
    assert.ok(res.summary.sweeps[0].claims.some((c) => c.claim.startsWith('mean entropy falls')));
    const again: string[] = [];
    const res2 = await reproduce({ experiment: 'sentiment-adjectives', size: 'tiny', out, from: ['pretrained'], workers: 2, threads: 2, presets: ['paper'], report: false, log: (l) => again.push(l) });
    assert.ok(again.some((l) => l.includes('5 of 5 models already trained')), again.join('\n'));
    assert.equal(readJson<ReproductionSummary>(join(out, 'summary.json')).sweeps[0].points[4].meanEntropy, res2.summary.sweeps[0].points[4].meanEntropy);
    assert.equal(res2.summary.sweeps[0].points[4].meanEntropy, res.summary.sweeps[0].points[4].meanEntropy);
  });

  it('--quick runs from the CLI (shuffled-reviews, pretrained encoder): 600 sentences, 3 epochs, summary on stdout', () => {
    const q = join(root, 'sr-quick');
    const r = spawnSync(process.execPath, [join(repoRoot, 'build/src/cli/main.js'), 'reproduce', 'shuffled-reviews', '--quick', '--from', 'pretrained', '--presets', 'default', '--no-report', '--out', q], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /## beta sweep from the pretrained encoder \(example-level\), preset `default`/);
    assert.match(r.stderr, /\[beta=0\.80 pretrained seed 0\] epoch 3\/40|\[beta=0\.80 pretrained seed 0\] trained: 3 epochs/);
    for (const b of ['0.00', '0.20', '0.40', '0.60', '0.80']) {
      const tr = readJson<TrainingRecord>(join(q, 'beta-pretrained', 'seed-0', `beta-${b}`, 'training.json'));
      assert.equal(tr.data.train, 480);
      assert.equal(tr.data.redrawn, Math.round(Number(b) * 480));
      assert.ok(tr.epochs <= 3);
    }
  });

  it('refuses --from and --conflict-share where they do not apply, and a resume with other settings', async () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'build/src/cli/main.js'), 'reproduce', ...args], { encoding: 'utf8' });
    let r = cli(['colored-mnist', '--from', 'scratch', '--tiny', '--out', join(root, 'x')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--from, --encoder and --conflict-share apply to sentiment-adjectives and shuffled-reviews only/);
    r = cli(['shuffled-reviews', '--conflict-share', '0.33', '--tiny', '--out', join(root, 'x')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--conflict-share applies to sentiment-adjectives only/);
    r = cli(['sentiment-adjectives', '--from', 'nowhere', '--tiny', '--out', join(root, 'x')]);
    assert.equal(r.status, 2);
    r = cli(['sentiment-adjectives', '--encoder', join(root, 'no-such-encoder'), '--tiny', '--out', join(root, 'x')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no-such-encoder: is not an encoder folder/);
    r = cli(['sentiment-adjectives', '--tiny', '--from', 'scratch', '--out', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /holds a run with different settings/);
  });
});
