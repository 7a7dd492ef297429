/**
 * Time per epoch of the paper's MNIST MLP (3 x 256, batch 512, Adam, L2) on the full 50,000
 * training images with the TF.js wasm backend, with `--workers` models training in parallel
 * (one worker thread each), and the time of the 10,000-image activation extraction.
 *   node build/bench/reproduce-epoch.js [--experiment colored-mnist|shuffled-mnist] [--epochs 3] [--workers 2]
 * Prints one JSON line; the first epoch (warm-up) is reported apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runConfig, sweeps, type ExperimentName } from '../src/reproduce/experiments.js';
import { runTrainingPool } from '../src/reproduce/train-pool.js';

const { values } = parseArgs({
  options: {
    experiment: { type: 'string', default: 'colored-mnist' },
    epochs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
  },
});
const experiment = values.experiment as ExperimentName;
const epochs = Number(values.epochs);
const workers = Number(values.workers);
const config = runConfig(experiment, 'full', epochs);
const dir = await mkdtemp(join(tmpdir(), 'infomem-bench-'));
try {
  const sweep = sweeps[experiment][0];
  const jobs = sweep.values.slice(0, workers).map((value, i) => ({ config, parameter: sweep.parameter, value, seed: 0, dir: join(dir, `m${i}`), label: `m${i}` }));
  const t0 = performance.now();
  const records = await runTrainingPool(jobs, workers, {
    onMessage: (m) => {
      if (m.type === 'epoch') process.stderr.write(`${m.label} epoch ${m.info.epoch}: ${(m.info.secondsPerEpoch).toFixed(2)} s/epoch (mean so far)\n`);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const later = records.flatMap((r) => r.history.slice(1).map((h) => h.seconds));
  const first = records.map((r) => r.history[0].seconds);
  const mean = later.reduce((a, b) => a + b, 0) / later.length;
  process.stdout.write(
    JSON.stringify({ experiment, workers, epochs, trainImages: config.mnist?.trainImages, secondsPerEpoch: mean, firstEpochSeconds: first, wallSeconds: wall, extractionAndSetupSeconds: wall - Math.max(...records.map((r) => r.trainSeconds)) }) + '\n',
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
