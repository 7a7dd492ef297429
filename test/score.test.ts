/**
 * `infomem score` and its library API: the information scores and the baselines separate
 * shifted from in-distribution examples, metrics come out when labels are known, the outputs are
 * written safely, and bad requests are refused in one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { Rng } from '../src/core/random/rng.js';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { scoreSets, scoreSetsInWorker } from '../src/score/score.js';
import { fixturePath } from './helpers/fixtures.js';

const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** S examples x 12 neurons mixing 3 latent factors; `shift` moves the latents (out of distribution). */
function rows(S: number, seed: number, shift = 0): Float64Array {
  const r = new Rng(seed);
  const w = new Rng(99); // the same "network" for every set
  const W = Float64Array.from({ length: 36 }, () => w.normal());
  const out = new Float64Array(S * 12);
  for (let s = 0; s < S; s++) {
    const z = [r.normal() + shift, r.normal(), r.normal() - shift];
    for (let n = 0; n < 12; n++) out[s * 12 + n] = Math.max(0, z[0] * W[n * 3] + z[1] * W[n * 3 + 1] + z[2] * W[n * 3 + 2] + 0.3 * r.normal());
  }
  return out;
}
const setOf = (data: Float64Array, S: number) => activationSetFromLayers([{ name: 'h1', data: data.subarray(0, S * 6).map((_, i) => data[Math.floor(i / 6) * 12 + (i % 6)]), samples: S, neurons: 6 }, { name: 'h2', data: data.subarray(0, S * 6).map((_, i) => data[Math.floor(i / 6) * 12 + 6 + (i % 6)]), samples: S, neurons: 6 }]);

describe('score', () => {
  it('the report lists the most unusual inputs with their index and, for texts, their text', async () => {
    const { writeScoresReport } = await import('../src/report/scores-report.js');
    const ref = setOf(rows(400, 1), 400);
    const inputs = setOf(rows(12, 2, 3), 12);
    const a = scoreSets(ref, inputs, null, { bins: 10, pairs: 2 });
    const texts = Array.from({ length: 12 }, (_, i) => `review number ${i} <b>`);
    const out = mkdtempSync(join(tmpdir(), 'infomem-score-texts-'));
    await writeScoresReport(out, { ...a, texts });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const joint = a.columns.find((c) => c.name === 'joint')!.inputs;
    const top = Array.from(joint.keys()).sort((x, y) => joint[y] - joint[x] || x - y)[0];
    assert.match(html, new RegExp(`<tr><td>${top}</td>(<td>[^<]*</td>){4}<td>review number ${top} &lt;b&gt;</td></tr>`));
    assert.match(html, /row i of <code>scores\.npy<\/code> and line i \+ 1 of the texts file/);
  });

  it('every score separates shifted examples (AUROC > 0.8); same numbers in a worker', async () => {
    const ref = setOf(rows(2000, 1), 2000);
    const inData = rows(300, 2);
    const outData = rows(300, 3, 2.5);
    const both = new Float64Array(600 * 12);
    both.set(inData);
    both.set(outData, 300 * 12);
    const inputs = setOf(both, 600);
    const labels = new Uint8Array(600).fill(1, 300);
    const a = scoreSets(ref, inputs, labels, { bins: 20, pairs: 8 });
    assert.deepEqual(a.columns.map((c) => c.name), ['surprisal', 'copula', 'joint', 'coactivation', 'mahalanobis', 'knn', 'surprisal:h1', 'surprisal:h2']);
    for (const m of a.metrics!) {
      if (m.score === 'coactivation' || m.score === 'knn' || m.score === 'copula') continue; // knn: normalised directions hardly move here; copula: the shift keeps the dependence
      assert.ok(m.auroc > 0.8, `${m.score}: AUROC ${m.auroc}`);
    }
    const b = await scoreSetsInWorker(ref, inputs, labels, { bins: 20, pairs: 8 });
    assert.deepEqual(Array.from(b.columns[0].inputs), Array.from(a.columns[0].inputs));
    assert.deepEqual(b.metrics, a.metrics);
  });

  it('a logits layer is left out of the activation scores and gives msp and energy', () => {
    const withLogits = (S: number, seed: number, shift: number) => {
      const r = rows(S, seed, shift);
      const set = setOf(r, S);
      const logits = new Float64Array(S * 3);
      for (let s = 0; s < S; s++) for (let c = 0; c < 3; c++) logits[s * 3 + c] = r[s * 12 + c] * (c + 1);
      return activationSetFromLayers([
        ...set.layers.map((l) => ({ name: l.name, data: Float64Array.from({ length: S * l.size }, (_, i) => set.values[(l.offset + (i % l.size)) * S + Math.floor(i / l.size)]), samples: S, neurons: l.size })),
        { name: 'out', data: logits, samples: S, neurons: 3 },
      ]);
    };
    const a = scoreSets(withLogits(800, 1, 0), withLogits(100, 2, 0), null, { bins: 10, pairs: 2, logits: 'out' });
    assert.deepEqual(a.columns.map((c) => c.name), ['surprisal', 'copula', 'joint', 'coactivation', 'mahalanobis', 'knn', 'msp', 'energy', 'surprisal:h1', 'surprisal:h2']);
    assert.equal(a.reference.neurons, 12);
    assert.ok(a.columns.find((c) => c.name === 'msp')!.inputs.every((x) => x < 0 && x >= -1));
    assert.throws(() => scoreSets(withLogits(50, 1, 0), withLogits(50, 2, 0), null, { logits: 'nope' }), /unknown layer 'nope'/);
  });

  it('CLI: --ood gives the metrics table; outputs written; an existing directory refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-score-'));
    const save = (name: string, data: Float64Array, S: number): string => {
      const p = join(dir, name);
      writeFileSync(p, encodeNpy(data, [S, 12]));
      return p;
    };
    const ref = save('ref.npy', rows(1500, 4), 1500);
    const ins = save('in.npy', rows(200, 5), 200);
    const ood = save('ood.npy', rows(200, 6, 3), 200);
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [cli, 'score', '--reference', ref, '--inputs', ins, '--ood', ood, '--bins', '20', '--pairs', '4', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /score\s+AUROC\s+AUPR\s+FPR@95TPR/);
    assert.match(r.stdout, /^surprisal\s+0\.9\d\d/m);
    const m = parseNpy(readFileSync(join(out, 'scores.npy')), 'scores.npy');
    assert.deepEqual(m.shape, [400, 7]);
    const doc = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
    assert.equal(doc.schema, 'infomem-scores');
    assert.deepEqual(doc.columns, ['surprisal', 'copula', 'joint', 'coactivation', 'mahalanobis', 'knn', 'surprisal:ref']);
    assert.match(r.stderr, /the inputs' layers in are taken as the reference's ref/);
    assert.equal(doc.outOfDistribution, 200);
    assert.ok(existsSync(join(out, 'reference.json')));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<h2>Detection<\/h2>/);
    assert.match(html, /inputs out of distribution \(200\)/);
    // the most unusual inputs, by index (row of scores.npy), the highest joint score first
    assert.match(html, /<h2>The most unusual inputs<\/h2><p>The 10 highest by <b>joint<\/b>/);
    const joint = Array.from({ length: 400 }, (_, i) => m.data[i * 7 + 2]);
    const top = joint.map((v, i) => [v, i]).sort((x, y) => y[0] - x[0] || x[1] - y[1])[0][1];
    assert.match(html, new RegExp(`<tr><td>${top}</td><td>(yes|no)</td>`));
    assert.ok(existsSync(join(out, 'figures', 'scores-surprisal.svg')) && existsSync(join(out, 'figures', 'scores-copula.png')));
    const again = spawnSync(process.execPath, [cli, 'score', '--reference', ref, '--inputs', ins, '--out', out], { encoding: 'utf8' });
    assert.equal(again.status, 2);
    assert.match(again.stderr, /refus|not empty|holds/);
  });

  it('CLI: bad requests in one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-score-bad-'));
    const ref = join(dir, 'ref.npy');
    writeFileSync(ref, encodeNpy(rows(100, 1), [100, 12]));
    const other = join(dir, 'other.npy');
    writeFileSync(other, encodeNpy(new Float64Array(50 * 5), [50, 5]));
    const mask = join(dir, 'mask.npy');
    writeFileSync(mask, encodeNpy(Float64Array.of(0, 1, 2), [3]));
    const cases: [string[], RegExp][] = [
      [['--inputs', ref], /needs --reference and --inputs/],
      [['--reference', ref, '--inputs', other], /the inputs have layers other:5, the reference ref:12/],
      [['--reference', ref, '--inputs', ref, '--labels-ood', mask], /mask\.npy: OOD labels: expected 100 values/],
      [['--reference', ref, '--inputs', ref, '--ood', ref, '--labels-ood', mask], /either --ood or --labels-ood/],
    ];
    for (const [args, msg] of cases) {
      const r = spawnSync(process.execPath, [cli, 'score', ...args, '--out', join(dir, `o${Math.random()}`), '--quiet'], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });
});

describe('a saved scoring model (reference.json + reference.npz)', () => {
  it('scores new inputs without the reference activations, to the same bits; CLI --reference-from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-score-saved-'));
    const S = 600;
    const ref = join(dir, 'ref.npy');
    writeFileSync(ref, encodeNpy(rows(S, 1), [S, 12]));
    const ins = join(dir, 'in.npy');
    writeFileSync(ins, encodeNpy(rows(120, 2, 1), [120, 12]));
    const first = join(dir, 'first');
    const r1 = spawnSync(process.execPath, [cli, 'score', '--reference', ref, '--inputs', ins, '--bins', '12', '--pairs', '3', '--no-report', '--out', first, '--quiet'], { encoding: 'utf8' });
    assert.equal(r1.status, 0, r1.stderr);
    assert.ok(existsSync(join(first, 'reference.npz')));
    const second = join(dir, 'second');
    const r2 = spawnSync(process.execPath, [cli, 'score', '--reference-from', first, '--inputs', ins, '--no-report', '--out', second, '--quiet'], { encoding: 'utf8' });
    assert.equal(r2.status, 0, r2.stderr);
    const a = parseNpy(readFileSync(join(first, 'scores.npy')), 'a');
    const b = parseNpy(readFileSync(join(second, 'scores.npy')), 'b');
    assert.deepEqual(b.shape, a.shape);
    for (let i = 0; i < a.data.length; i++) assert.ok(Object.is(a.data[i], b.data[i]), `value ${i}: ${a.data[i]} vs ${b.data[i]}`);
    const ja = JSON.parse(readFileSync(join(first, 'scores.json'), 'utf8'));
    const jb = JSON.parse(readFileSync(join(second, 'scores.json'), 'utf8'));
    assert.deepEqual(jb.summary, ja.summary);
    const bad = spawnSync(process.execPath, [cli, 'score', '--reference-from', dir, '--inputs', ins, '--out', join(dir, 'x'), '--quiet'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /reference\.json: (no such file|cannot read)/);
  });
});

describe('score --model (ONNX, through the extraction path)', () => {
  it('extracts the layers of reference, inputs and OOD inputs and scores them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-score-model-'));
    const model = fixturePath('models/torch-mlp/model.onnx');
    const r = new Rng(5);
    const save = (name: string, n: number, shift: number): string => {
      const p = join(dir, name);
      writeFileSync(p, encodeNpy(Float64Array.from({ length: n * 4 }, () => r.normal() + shift), [n, 4]));
      return p;
    };
    const out = join(dir, 'o');
    const res = spawnSync(process.execPath, [cli, 'score', '--model', model, '--reference-inputs', save('ref.npy', 400, 0), '--inputs', save('in.npy', 80, 0), '--ood', save('ood.npy', 80, 4), '--bins', '10', '--pairs', '2', '--no-report', '--out', out], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const doc = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
    assert.equal(doc.samples, 160);
    assert.equal(doc.outOfDistribution, 80);
    assert.ok(doc.metrics.find((m: { score: string }) => m.score === 'mahalanobis').auroc > 0.9);
    const bad = spawnSync(process.execPath, [cli, 'score', '--model', model, '--reference', join(dir, 'ref.npy'), '--inputs', join(dir, 'in.npy'), '--out', join(dir, 'x')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /from a model, score takes --model, --reference-inputs and --inputs/);
  });
});

describe('reproduce ood (tiny run)', () => {
  it('trains on digits 0-4, scores near and far OOD sets, writes ood.md / ood.json; refuses a used directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-ood-'));
    const out = join(dir, 'o');
    const r = spawnSync(process.execPath, [cli, 'reproduce', 'ood', '--tiny', '--out', out, '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(out, 'ood.json'), 'utf8'));
    assert.equal(doc.schema, 'infomem-ood');
    assert.deepEqual(doc.sets, ['near: digits 5-9', 'far: rotated', 'far: inverted', 'far: permuted', 'far: noise']);
    for (const score of ['surprisal', 'copula', 'joint', 'mahalanobis', 'knn', 'msp (logits)', 'energy (logits)']) {
      for (const set of doc.sets) {
        const m = doc.metrics[score][set];
        assert.ok(m.auroc >= 0 && m.auroc <= 1 && m.fprAt95Tpr >= 0 && m.fprAt95Tpr <= 1, `${score} ${set}`);
      }
    }
    assert.match(readFileSync(join(out, 'ood.md'), 'utf8'), /\| surprisal \| [01]\.\d{3} \/ [01]\.\d{3} \|/);
    const again = spawnSync(process.execPath, [cli, 'reproduce', 'ood', '--tiny', '--out', join(dir), '--quiet'], { encoding: 'utf8' });
    assert.equal(again.status, 2);
    const bad = spawnSync(process.execPath, [cli, 'reproduce', 'ood', '--tiny', '--l2', '0.1', '--out', join(dir, 'x')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--l2 does not apply to reproduce ood/);
  });
});
