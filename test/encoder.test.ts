import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { AdamW, learningRate } from '../src/encoder/adamw.js';
import { basicTokenize, bertNormalize } from '../src/encoder/basic-tokenize.js';
import { encoderConfig, type EncoderConfig } from '../src/encoder/config.js';
import { readEncoderFolder, writeEncoderFolder } from '../src/encoder/hf-folder-io.js';
import { encode, encoderParams, initialValues, makeVariables, disposeVariables } from '../src/encoder/model.js';
import { pretrainEncoder } from '../src/encoder/pretrain.js';
import { registerSegmentSumKernel } from '../src/encoder/segment-sum-kernel.js';
import { cutSequences, maskBatch } from '../src/encoder/sequences.js';
import { buildVocabulary, CLS_ID, MASK_ID, PAD_ID, SEP_ID, UNK_ID, WordPiece } from '../src/encoder/wordpiece.js';
import { encodeSafetensors, parseSafetensors } from '../src/io/safetensors.js';
import { bertBlockOutputs } from '../src/models/bert-onnx.js';
import { extractActivations } from '../src/models/extract.js';
import { loadHfTokenizer } from '../src/models/hf-folder.js';
import { loadTrainingTf } from '../src/reproduce/tf-backend.js';
import { uciSentences } from '../src/reproduce/text-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'infomem-encoder-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const texts = uciSentences().map((s) => s.text);

describe('basicTokenize (BERT normaliser + pre-tokenizer)', () => {
  it('lower-cases, strips accents and splits punctuation', () => {
    assert.deepEqual(basicTokenize("Don't  STOP!"), ['don', "'", 't', 'stop', '!']);
    assert.deepEqual(basicTokenize('Café déjà-vu, 10/10'), ['cafe', 'deja', '-', 'vu', ',', '10', '/', '10']);
    assert.deepEqual(basicTokenize('a\u0000b\tc\u00adD'), ['ab', 'cd']);
    assert.equal(bertNormalize('猫cat'), ' 猫 cat');
  });
});

describe('WordPiece', () => {
  const tok = new WordPiece(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', 'want', '##want', '##ed', 'runn', '##ing', ',', 'the']);
  it('splits greedily, longest piece first, and maps an unsplittable word to [UNK]', () => {
    assert.deepEqual(tok.pieces('unwanted running'), [5, 7, 8, 9, 10]);
    assert.deepEqual(tok.pieces('The unwantedx,'), [12, UNK_ID, 11]);
    assert.equal(tok.decode(tok.pieces('unwanted running')), 'unwanted running');
  });
  it('adds [CLS]/[SEP], truncates keeping [SEP], and pads batches', () => {
    assert.deepEqual(tok.encode('unwanted running', 4), [CLS_ID, 5, 7, SEP_ID]);
    const b = tok.encodeBatch(['the', 'unwanted'], 16);
    assert.equal(b.length, 5);
    assert.deepEqual([...b.ids], [CLS_ID, 12, SEP_ID, PAD_ID, PAD_ID, CLS_ID, 5, 7, 8, SEP_ID]);
    assert.deepEqual([...b.mask], [1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  });
  it('refuses a vocabulary without the specials first', () => {
    assert.throws(() => new WordPiece(['a', 'b']), /entry 0 must be \[PAD\]/);
  });
});

describe('buildVocabulary', () => {
  const vocab = buildVocabulary(texts, { size: 1500 });
  it('has the requested size, the specials first, every frequent character, and is deterministic', () => {
    assert.equal(vocab.length, 1500);
    assert.deepEqual(vocab.slice(0, 5), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    for (const c of 'abcxyz.,!') assert.ok(vocab.includes(c) && vocab.includes(`##${c}`), c);
    assert.ok(vocab.includes('the') && vocab.includes('movie'));
    assert.ok(vocab.some((p) => p.length > 3 && p.startsWith('##')), 'suffix pieces');
    assert.deepEqual(buildVocabulary(texts, { size: 1500 }), vocab);
  });
  it('round-trips through tokenizer.json: transformers.js gives the same ids on all 3,000 sentences', async () => {
    const dir = join(tmp, 'tok');
    const c = { ...encoderConfig('small', vocab.length, 64), hidden: 8, heads: 2, intermediate: 16, layers: 1 };
    await writeEncoderFolder(dir, { config: c, vocab, weights: initialValues(encoderParams(c), new Rng(1)), specs: encoderParams(c) }, { onnx: false });
    const hf = await loadHfTokenizer(dir);
    const ours = new WordPiece(vocab);
    for (let s = 0; s < texts.length; s += 500) {
      const chunk = texts.slice(s, s + 500);
      const theirs = hf.encode(chunk);
      const mine = ours.encodeBatch(chunk, 64);
      assert.deepEqual(theirs.dims, [chunk.length, mine.length]);
      assert.deepEqual(Array.from(theirs.input_ids, Number), Array.from(mine.ids));
      assert.deepEqual(Array.from(theirs.attention_mask, Number), Array.from(mine.mask));
    }
    const back = await readEncoderFolder(dir);
    assert.deepEqual(back.vocab, vocab);
  });
});

describe('masked-LM data', () => {
  const tok = new WordPiece(buildVocabulary(texts, { size: 800 }));
  const set = cutSequences(tok, texts.slice(0, 50), 16);
  it('cuts documents into [CLS] chunk [SEP] sequences', () => {
    const pieces = texts.slice(0, 50).reduce((n, t) => n + Math.ceil(tok.pieces(t).length / 14), 0);
    assert.equal(set.count, pieces);
    for (let i = 0; i < set.count; i++) assert.equal(set.ids[i * 16], CLS_ID);
  });
  it('masks about 15% of real tokens, 80% of them as [MASK], never specials', () => {
    const rows = Array.from({ length: set.count }, (_, i) => i);
    const mb = maskBatch(set, rows, tok.size, 0.15, new Rng(3));
    let real = 0;
    for (let i = 0; i < set.ids.length; i++) if (set.ids[i] >= 5) real++;
    assert.ok(Math.abs(mb.positions.length / real - 0.15) < 0.04, `${mb.positions.length} of ${real}`);
    let masked = 0;
    mb.positions.forEach((p, k) => {
      assert.ok(set.ids[p] >= 5);
      assert.equal(mb.labels[k], set.ids[p]);
      if (mb.input[p] === MASK_ID) masked++;
    });
    assert.ok(Math.abs(masked / mb.positions.length - 0.8) < 0.1);
    assert.deepEqual(maskBatch(set, rows, tok.size, 0.15, new Rng(3)), mb);
  });
});

describe('safetensors writer', () => {
  it('round-trips through the reader', () => {
    const a = Float32Array.from([1, -2.5, 3, 4, 5, 6]);
    const b = Float32Array.from([7]);
    const bytes = encodeSafetensors(new Map([['a', { data: a, shape: [2, 3] }], ['b', { data: b, shape: [1] }]]), { k: 'v' });
    assert.equal(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8, 0);
    const back = parseSafetensors(bytes, 'x.safetensors');
    assert.deepEqual(back.get('a')!.shape, [2, 3]);
    assert.deepEqual([...back.get('a')!.data], [...a]);
    assert.deepEqual([...back.get('b')!.data], [7]);
  });
});

describe('TF.js training pieces', () => {
  it('the UnsortedSegmentSum kernel gives gather its gradient on the wasm backend', async () => {
    const tf = await loadTrainingTf();
    registerSegmentSumKernel(tf);
    const g = tf.grad((e: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.mul(tf.gather(e, tf.tensor1d([2, 0, 2, 2], 'int32')), tf.tensor2d([[1, 10], [2, 20], [3, 30], [4, 40]]))))(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    assert.deepEqual(Array.from(g.dataSync()), [2, 20, 0, 0, 8, 80]);
  });
  it('AdamW: one step matches torch.optim.AdamW by hand; the schedule warms up then decays', async () => {
    const tf = await loadTrainingTf();
    const specs = [{ name: 'w', shape: [2], decay: true, init: 'zeros' as const }, { name: 'b', shape: [1], decay: false, init: 'zeros' as const }];
    const params = makeVariables(tf, specs, new Map([['w', Float32Array.from([1, -2])], ['b', Float32Array.from([0.5])]]));
    const cfg = { learningRate: 0.1, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: Infinity, warmup: 0, total: Infinity };
    const opt = new AdamW(tf, cfg, specs, params);
    opt.apply({ w: tf.tensor1d([0.5, -4]), b: tf.tensor1d([2]) });
    // Step 1: m = 0.1 g, v = 0.001 g^2, m_hat / sqrt(v_hat) = sign(g); w <- w (1 - lr wd) - lr sign(g).
    const w = params.get('w')!.dataSync();
    assert.ok(Math.abs(w[0] - (1 * (1 - 0.001) - 0.1)) < 1e-6);
    assert.ok(Math.abs(w[1] - (-2 * (1 - 0.001) + 0.1)) < 1e-6);
    assert.ok(Math.abs(params.get('b')!.dataSync()[0] - 0.4) < 1e-6);
    opt.dispose();
    disposeVariables(params);
    assert.equal(learningRate({ learningRate: 1, warmup: 10, total: 110 }, 5), 0.5);
    assert.equal(learningRate({ learningRate: 1, warmup: 10, total: 110 }, 10), 1);
    assert.equal(learningRate({ learningRate: 1, warmup: 10, total: 110 }, 60), 0.5);
    assert.equal(learningRate({ learningRate: 1, warmup: 10, total: 110 }, 110), 0);
  });
});

describe('ONNX export against the TF.js forward', () => {
  it("every block's [CLS] vector and masked token mean agree to 1e-4 (extract path, padded batches)", async () => {
    const tf = await loadTrainingTf();
    const vocab = buildVocabulary(texts, { size: 1200 });
    const c: EncoderConfig = { vocabSize: vocab.length, hidden: 16, layers: 3, heads: 4, intermediate: 32, maxPositions: 64, dropout: 0.1, layerNormEps: 1e-12 };
    const specs = encoderParams(c);
    const weights = initialValues(specs, new Rng(7));
    // Larger weights than BERT's init, so that the blocks do not pass the embeddings through.
    for (const [k, v] of weights) if (k.endsWith('.weight') && !k.includes('LayerNorm')) for (let i = 0; i < v.length; i++) v[i] *= 10;
    const dir = join(tmp, 'export');
    await writeEncoderFolder(dir, { config: c, vocab, weights, specs });
    const sample = texts.slice(0, 40);
    const tok = new WordPiece(vocab);
    const b = tok.encodeBatch(sample, 64);
    const params = makeVariables(tf, specs, weights);
    const states = encode(tf, c, params, tf.tensor2d(b.ids, [sample.length, b.length], 'int32'), tf.tensor2d(b.mask, [sample.length, b.length], 'int32'), { training: false });
    const T = b.length;
    for (const token of ['first', 'mean'] as const) {
      const ex = await extractActivations(dir, { kind: 'texts', texts: sample, source: 'sample' }, { layers: bertBlockOutputs(c.layers), token, batch: 16 });
      ex.layers.forEach((layer, l) => {
        const st = states[l + 1].dataSync();
        let worst = 0;
        for (let s = 0; s < sample.length; s++) {
          const len = b.mask.subarray(s * T, (s + 1) * T).reduce((a, m) => a + m, 0);
          for (let d = 0; d < c.hidden; d++) {
            let want = 0;
            if (token === 'first') want = st[s * T * c.hidden + d];
            else {
              for (let t = 0; t < len; t++) want += st[(s * T + t) * c.hidden + d];
              want /= len;
            }
            worst = Math.max(worst, Math.abs(layer.data[s * c.hidden + d] - want));
          }
        }
        assert.ok(worst < 1e-4, `layer ${l} (${token}): max |ONNX - TF.js| = ${worst}`);
      });
    }
    disposeVariables(params);
  });
});

describe('pretrainEncoder', () => {
  it('is resumable: stopped after step 3 and run again, it ends with the same weights as a run straight through', async () => {
    const corpus = join(tmp, 'corpus');
    mkdirSync(corpus);
    for (let d = 0; d < 4; d++) writeFileSync(join(corpus, `doc-${d}.txt`), texts.slice(d * 60, d * 60 + 60).join('\n'));
    const opts = { corpus, size: 'small' as const, vocabSize: 600, length: 16, batch: 16, epochs: 1, evalEvery: 1, checkpointEvery: 1, holdOutEvery: 10 };
    const straight = await pretrainEncoder({ ...opts, out: join(tmp, 'straight') });
    assert.ok(straight.done && straight.totalSteps >= 5, `${straight.totalSteps} steps`);
    const ac = new AbortController();
    await assert.rejects(
      pretrainEncoder({ ...opts, out: join(tmp, 'stopped'), signal: ac.signal, log: (l) => l.startsWith('step 3/') && ac.abort() }),
      (e: Error) => e.name === 'AbortError',
    );
    const resumed = await pretrainEncoder({ ...opts, out: join(tmp, 'stopped') });
    assert.ok(resumed.done);
    assert.deepEqual(readFileSync(join(tmp, 'stopped', 'model.safetensors')), readFileSync(join(tmp, 'straight', 'model.safetensors')));
    assert.deepEqual(resumed.curve.map((p) => p.heldOutLoss), straight.curve.map((p) => p.heldOutLoss));
    const pj = JSON.parse(readFileSync(join(tmp, 'straight', 'pretraining.json'), 'utf8')) as { curve: unknown[]; corpus: { documents: number } };
    assert.equal(pj.corpus.documents, 4);
    assert.equal(pj.curve.length, straight.totalSteps);
  });
});
