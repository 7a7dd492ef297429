/**
 * Pretrains the encoder that the transformer reproductions start from, resumably:
 *
 *   node build/scripts/prepare-pretraining-corpus.js            # .pretrain/corpus/
 *   node build/scripts/pretrain-encoder.js [--max-minutes M] [--epochs E] [--out DIR] [--install]
 *
 * or both with `npm run pretrain`. Defaults: the small encoder (d = 64, 2 blocks, 4 heads), a
 * vocabulary of 8,000 pieces, sequences of 64, batch 32, 3 epochs, AdamW 1e-3 with 5% warm-up
 * and linear decay, seed 0: 49 minutes on one core here (measured, with other work on the second core).
 *
 * Run it again after a stop (Ctrl-C, --max-minutes) to continue from the last checkpoint. When it
 * finishes, `--install` copies the result to data/encoders/<size>/ (what the sweeps read).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageDataPath } from '../src/package-data.js';
import { pretrainEncoder } from '../src/encoder/pretrain.js';
import type { EncoderSize } from '../src/encoder/config.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '.pretrain/corpus' },
    out: { type: 'string', default: '.pretrain/small' },
    size: { type: 'string', default: 'small' },
    epochs: { type: 'string', default: '3' },
    'max-minutes': { type: 'string' },
    seed: { type: 'string', default: '0' },
    'learning-rate': { type: 'string', default: '1e-3' },
    install: { type: 'boolean' },
  },
});
const ac = new AbortController();
process.on('SIGINT', () => ac.abort());
let r: Awaited<ReturnType<typeof pretrainEncoder>>;
try {
  r = await pretrainEncoder({
    corpus: values.corpus!,
    out: values.out!,
    size: values.size as EncoderSize,
    epochs: Number(values.epochs),
    seed: Number(values.seed),
    learningRate: Number(values['learning-rate']),
    maxMinutes: values['max-minutes'] === undefined ? undefined : Number(values['max-minutes']),
    signal: ac.signal,
    log: (l) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`),
  });
} catch (e) {
  if ((e as Error).name !== 'AbortError') throw e;
  process.stderr.write('interrupted; the last step is checkpointed: run the same command to resume\n');
  process.exit(130);
}
process.stdout.write(`${r.done ? 'done' : 'stopped'} at step ${r.step} of ${r.totalSteps}\n`);
if (r.done && values.install) {
  const dest = packageDataPath('encoders', values.size!);
  mkdirSync(dest, { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'pretraining.json']) copyFileSync(join(values.out!, f), join(dest, f));
  process.stdout.write(`installed in ${dest}\n`);
}
