import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseNpz } from '../src/io/npz.js';
import { reproduce } from '../src/reproduce/sweep.js';
import { runConfig } from '../src/reproduce/experiments.js';
import type { ReproductionSummary } from '../src/reproduce/summary.js';
import { repoRoot } from './helpers/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'infomem-reproduce-'));
after(() => rmSync(root, { recursive: true, force: true }));

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

describe('infomem reproduce (tiny runs, end to end)', () => {
  const out = join(root, 'shuffled');
  const betas = ['0.00', '0.25', '0.50', '0.75', '1.00'];
  const modelDir = (b: string): string => join(out, 'beta', 'seed-0', `beta-${b}`);

  it('shuffled-mnist: trains, saves, extracts, analyses, compares and summarises', async () => {
    const lines: string[] = [];
    const res = await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, seed: 0, workers: 2, threads: 2, log: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /epoch 2\/2 loss [\d.]+ val [\d.]+ \(best [\d.]+\) .* ETA/.test(l)), 'progress lines with epoch, loss, accuracy and ETA');
    const run = readJson<{ config: { mnist: { l2: number; keep: string; regime: string } } }>(join(out, 'run.json'));
    assert.deepEqual([run.config.mnist.regime, run.config.mnist.l2, run.config.mnist.keep], ['paper', 0, 'last'], 'the paper regime is the default');
    for (const b of betas) {
      const dir = modelDir(b);
      const model = readJson<{ format: string; modelTopology: unknown; weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] }>(join(dir, 'model', 'model.json'));
      assert.equal(model.format, 'layers-model');
      assert.deepEqual(model.weightsManifest[0].paths, ['weights.bin']);
      const params = model.weightsManifest[0].weights.reduce((n, w) => n + w.shape.reduce((a, c) => a * c, 1), 0);
      assert.equal(params, 196 * 16 + 16 + 16 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10);
      assert.equal(statSync(join(dir, 'model', 'weights.bin')).size, 4 * params);
      const tr = readJson<{ epochs: number; valAccuracy: number; history: unknown[]; value: number; data: { redrawn: number } }>(join(dir, 'training.json'));
      assert.equal(tr.epochs, 2);
      assert.equal(tr.history.length, 2);
      assert.equal(tr.valAccuracy, (tr.history[1] as { valAccuracy: number }).valAccuracy, 'the last epoch is the model');
      assert.ok(tr.valAccuracy >= 0 && tr.valAccuracy <= 1);
      assert.equal(tr.data.redrawn, Math.round(Number(b) * 600));
      const acts = parseNpz(new Uint8Array(readFileSync(join(dir, 'activations.npz'))), 'acts');
      assert.deepEqual([...acts.keys()], ['fc1', 'fc2', 'fc3']);
      for (const a of acts.values()) {
        assert.deepEqual(a.shape, [200, 16]);
        assert.equal(a.dtype, '<f4');
      }
      assert.ok(!existsSync(join(dir, 'checkpoint')));
      // training dynamics: epoch 0 and the last (every 5 epochs by default; 2 epochs here)
      const dyn = readJson<{ complete: boolean; every: number; points: { epoch: number; loss: number | null; valAccuracy: number; meanEntropy: number; meanMI: { gcmi: number; binned: number }; layers: { name: string }[] }[] }>(join(dir, 'dynamics.json'));
      assert.equal(dyn.complete, true);
      assert.equal(dyn.every, 5);
      assert.deepEqual(dyn.points.map((q) => q.epoch), [0, 2]);
      assert.equal(dyn.points[0].loss, null);
      assert.equal(dyn.points[1].loss, tr.history[1] && (tr.history[1] as { loss: number }).loss);
      assert.equal(dyn.points[1].valAccuracy, tr.valAccuracy);
      assert.deepEqual(dyn.points[1].layers.map((l) => l.name), ['fc1', 'fc2', 'fc3']);
      assert.ok(dyn.points.every((q) => q.meanEntropy > 0 && q.meanMI.gcmi > 0 && q.meanMI.binned > 0));
      for (const preset of ['paper', 'default']) {
        const r = readJson<{ settings: { preset: string; bins: number }; samples: number; neurons: number }>(join(dir, `analysis-${preset}`, 'results.json'));
        assert.equal(r.settings.preset, preset);
        assert.equal(r.settings.bins, 100);
        assert.equal(r.samples, 200);
        assert.equal(r.neurons, 48);
        assert.ok(existsSync(join(dir, `analysis-${preset}`, 'entropy.npy')));
        assert.ok(existsSync(join(dir, `analysis-${preset}`, 'mi.npy')));
        assert.ok(existsSync(join(dir, `analysis-${preset}`, 'report.html')));
      }
    }
    for (const preset of ['paper', 'default']) {
      const c = readJson<{ setting: string; models: { accuracy: number }[] }>(join(out, 'beta', 'seed-0', `compare-${preset}`, 'comparison.json'));
      assert.equal(c.setting, 'example-level');
      assert.deepEqual(
        c.models.map((m) => m.accuracy),
        betas.map((b) => readJson<{ valAccuracy: number }>(join(modelDir(b), 'training.json')).valAccuracy),
      );
      assert.ok(existsSync(join(out, 'beta', 'seed-0', `compare-${preset}`, 'report.html')));
    }
    const s = readJson<ReproductionSummary>(join(out, 'summary.json'));
    assert.equal(s.experiment, 'shuffled-mnist');
    assert.deepEqual(
      s.sweeps.map((w) => [w.parameter, w.setting, w.preset]),
      [
        ['beta', 'example-level', 'paper'],
        ['beta', 'example-level', 'default'],
      ],
    );
    for (const w of s.sweeps) {
      assert.deepEqual(
        w.points.map((p) => p.value),
        [0, 0.25, 0.5, 0.75, 1],
      );
      for (const p of w.points) {
        assert.equal(typeof p.valAccuracy, 'number');
        assert.equal(typeof p.meanEntropy, 'number');
        assert.equal(typeof p.meanMI, 'number');
        assert.deepEqual(Object.keys(p.medianEntropyByLayer), ['fc1', 'fc2', 'fc3']);
      }
      assert.ok('meanEntropy' in w.kendall && 'meanMI' in w.kendall);
      const comp = readJson<{ kendall: { meanEntropy: number | null } }>(join(out, 'beta', 'seed-0', `compare-${w.preset}`, 'comparison.json'));
      assert.equal(w.kendall.meanEntropy, comp.kendall.meanEntropy);
      assert.ok(w.claims.length > 0);
    }
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.ok(md.includes('## beta sweep (example-level), preset `paper`'));
    assert.ok(md.includes('## beta sweep (example-level), preset `default`'));
    assert.ok(md.includes('~0.975'), 'paper accuracies beside ours');
    assert.ok(md.includes('~1.60'), 'paper median entropies beside ours');
    assert.match(md, /2 epochs \(last epoch kept\), batch 512, Adam 0\.001, L2 0\./);
    assert.match(md, /Training regime: \*\*paper\*\* \(`--regime paper`, the default\)/);
    assert.equal(s.config.mnist?.regime, 'paper');
    assert.equal(s.dynamics?.length, 1);
    assert.deepEqual(s.dynamics?.[0].models.map((m) => [m.value, m.rows.map((r) => r.epoch)]), [0, 0.25, 0.5, 0.75, 1].map((v) => [v, [0, 2]]));
    assert.deepEqual(s.dynamics?.[0].figures, [join('beta', 'seed-0', 'figures', 'dynamics.svg')]);
    assert.ok(existsSync(join(out, 'beta', 'seed-0', 'figures', 'dynamics.png')));
    assert.match(md, /## Training dynamics: beta sweep/);
    assert.match(md, /\| beta \| ep 0 \| ep 2 \|/);
    assert.equal(res.summaryMd, md);
  });

  it('resumes: trained models are reused, missing analyses are redone', async () => {
    const before = betas.map((b) => statSync(join(modelDir(b), 'training.json')).mtimeMs);
    rmSync(join(modelDir('0.50'), 'analysis-default'), { recursive: true });
    rmSync(join(out, 'summary.md'));
    const lines: string[] = [];
    const res = await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, seed: 0, workers: 2, threads: 2, report: false, log: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /5 of 5 models already trained/.test(l)));
    assert.ok(!lines.some((l) => /epoch \d+\//.test(l)), 'nothing retrained');
    assert.deepEqual(
      betas.map((b) => statSync(join(modelDir(b), 'training.json')).mtimeMs),
      before,
    );
    assert.ok(existsSync(join(modelDir('0.50'), 'analysis-default', 'results.json')));
    assert.ok(existsSync(join(out, 'summary.md')));
    assert.equal(res.summary.sweeps[1].points[2].meanEntropy, readJson<ReproductionSummary>(join(out, 'summary.json')).sweeps[1].points[2].meanEntropy);
  });

  it('--presets default: the summary and comparisons cover that preset only', async () => {
    const res = await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, seed: 0, workers: 2, threads: 2, report: false, presets: ['default'] });
    assert.deepEqual(
      res.summary.sweeps.map((w) => w.preset),
      ['default'],
    );
    assert.ok(!res.summaryMd.includes('preset `paper`'));
    assert.ok(res.summary.sweeps[0].points.every((p) => typeof p.medianMI === 'number'));
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, presets: [] }), /presets must be a non-empty subset/);
  });

  it('refuses to resume a directory made with other settings, naming the flag that resumes it', async () => {
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, epochs: 3, report: false }), /different settings/);
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, regime: 'released', report: false }), /different settings.*regime paper \(L2 0, keep last\).*regime released \(L2 0\.002, keep best\).*add --regime paper/);
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, keep: 'best', report: false }), /regime custom \(L2 0, keep best\).*add --regime paper/);
  });

  it('resumes run.json files of older versions (no regime recorded; no checkpoint rule: the best epoch)', async () => {
    const runPath = join(out, 'run.json');
    const original = readFileSync(runPath, 'utf8');
    const doc = readJson<{ config: { mnist: Record<string, unknown> } }>(runPath);
    delete doc.config.mnist.regime;
    writeFileSync(runPath, JSON.stringify(doc));
    const lines: string[] = [];
    await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, report: false, presets: ['default'], log: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /5 of 5 models already trained/.test(l)));
    // a run made with the old defaults (L2 0.002, best epoch; keep not yet recorded)
    delete doc.config.mnist.keep;
    doc.config.mnist.l2 = 0.002;
    writeFileSync(runPath, JSON.stringify(doc));
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, report: false, presets: ['default'] }), /regime released \(L2 0\.002, keep best\); asked: .*regime paper.*add --regime released/);
    const again: string[] = [];
    await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out, regime: 'released', report: false, presets: ['default'], log: (l) => again.push(l) });
    assert.ok(again.some((l) => /5 of 5 models already trained/.test(l)));
    writeFileSync(runPath, original);
  });

  it('--regime released: L2 0.002 and the best-validation epoch, recorded; --l2 / --keep apart from a regime: custom', async () => {
    const dir = join(root, 'shuffled-released');
    const res = await reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out: dir, regime: 'released', trackEvery: 0, workers: 2, threads: 2, report: false, presets: ['default'] });
    assert.ok(!existsSync(join(dir, 'beta', 'seed-0', 'beta-0.00', 'dynamics.json')), 'trackEvery 0: not tracked');
    assert.equal(res.summary.dynamics, undefined);
    const run = readJson<{ config: { mnist: { l2: number; keep: string; regime: string } } }>(join(dir, 'run.json'));
    assert.deepEqual([run.config.mnist.regime, run.config.mnist.l2, run.config.mnist.keep], ['released', 0.002, 'best']);
    assert.match(res.summaryMd, /\(best validation checkpoint\), batch 512, Adam 0\.001, L2 0\.002\./);
    assert.match(res.summaryMd, /Training regime: \*\*released\*\*/);
    for (const b of betas) {
      const tr = readJson<{ valAccuracy: number; history: { valAccuracy: number }[] }>(join(dir, 'beta', 'seed-0', `beta-${b}`, 'training.json'));
      assert.equal(tr.valAccuracy, Math.max(...tr.history.map((h) => h.valAccuracy)));
    }
    const custom = runConfig('shuffled-mnist', 'tiny', undefined, { regime: 'released', keep: 'last' });
    assert.deepEqual([custom.mnist?.l2, custom.mnist?.keep, custom.mnist?.regime], [0.002, 'last', 'custom']);
    assert.equal(runConfig('shuffled-mnist', 'tiny', undefined, { l2: 0.002, keep: 'best' }).mnist?.regime, 'released', 'the regime is what the settings amount to');
    assert.equal(runConfig('circles', 'tiny').mnist, null);
    await assert.rejects(reproduce({ experiment: 'circles', size: 'tiny', out: join(root, 'c-l2'), l2: 0.1 }), /MNIST experiments only/);
    await assert.rejects(reproduce({ experiment: 'circles', size: 'tiny', out: join(root, 'c-reg'), regime: 'paper' }), /MNIST experiments only/);
    await assert.rejects(reproduce({ experiment: 'shuffled-mnist', size: 'tiny', out: join(root, 'neg'), l2: -1 }), /l2 must be a finite number >= 0/);
  });

  it('CLI: circles --tiny writes both sweeps (division heuristic, shuffle example-level) with 20 bins', () => {
    const dir = join(root, 'circles');
    const r = spawnSync(process.execPath, [join(repoRoot, 'build', 'src', 'cli', 'main.js'), 'reproduce', 'circles', '--tiny', '--no-report', '--out', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('# infomem reproduction: circles'));
    assert.ok(/\[division=1\.00 seed 0\] trained/.test(r.stderr));
    const s = readJson<ReproductionSummary>(join(dir, 'summary.json'));
    assert.deepEqual(
      s.sweeps.map((w) => [w.parameter, w.setting, w.preset, w.bins]),
      [
        ['division', 'heuristic', 'paper', 20],
        ['division', 'heuristic', 'default', 20],
        ['shuffle', 'example-level', 'paper', 20],
        ['shuffle', 'example-level', 'default', 20],
      ],
    );
    const acts = parseNpz(new Uint8Array(readFileSync(join(dir, 'shuffle', 'seed-0', 'shuffle-1.00', 'activations.npz'))), 'acts');
    assert.deepEqual([...acts.keys()], ['relu1', 'relu2']);
    assert.deepEqual(acts.get('relu1')?.shape, [300, 16]);
    assert.ok([...(acts.get('relu1')?.data ?? [])].every((v) => v >= 0), 'post-ReLU');
  });

  it('CLI: usage errors exit 2', () => {
    const cli = join(repoRoot, 'build', 'src', 'cli', 'main.js');
    const bad = spawnSync(process.execPath, [cli, 'reproduce', 'imagenet'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /circles\|colored-mnist\|shuffled-mnist/);
    const help = spawnSync(process.execPath, [cli, 'reproduce', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--epochs N/);
    assert.match(help.stdout, /--keep best\|last/);
    assert.match(help.stdout, /--regime paper\|released/);
    for (const [args, msg] of [
      [['circles', '--keep', 'last'], /--regime, --l2 and --keep apply to colored-mnist and shuffled-mnist only/],
      [['circles', '--regime', 'paper'], /--regime, --l2 and --keep apply to colored-mnist and shuffled-mnist only/],
      [['shuffled-mnist', '--regime', 'sgd'], /--regime takes one of paper\|released, got 'sgd'/],
      [['shuffled-mnist', '--track-every', '-1'], /--track-every/],
      [['shuffled-mnist', '--keep', 'first'], /--keep takes one of best\|last, got 'first'/],
      [['shuffled-mnist', '--l2=-0.5'], /--l2 takes a number >= 0/],
      [['shuffled-mnist', '--l2', 'lots'], /--l2 takes a number, got 'lots'/],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, 'reproduce', ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, msg);
    }
  });
});
