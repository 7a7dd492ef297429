/**
 * Trained models and training checkpoints on disk, every write atomic.
 * - `saveModel(dir)`: TF.js layers format through a custom `tf.io` save handler: `model.json`
 *   (topology + weights manifest) and `weights.bin`, written together as one directory.
 * - `loadModel(dir)`: the inverse (through `tf.io.fromMemory`).
 * - `saveTrainState` / `loadTrainState`: `state.json` + `state.bin` (every Float32Array of the
 *   {@link TrainState}, concatenated), written together as one directory.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TfNs from '@tensorflow/tfjs';
import { InputError } from '../io/errors.js';
import { concatBytes } from '../io/bytes.js';
import { readFileBytes, writeDirAtomic } from '../io/files.js';
import type { Tf } from './tf-backend.js';
import type { TrainState } from './trainer.js';

function concatBuffers(parts: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  return concatBytes((Array.isArray(parts) ? parts : [parts]).map((p) => new Uint8Array(p)));
}

/** Writes `model` to `dir` (model.json + weights.bin) atomically. */
export async function saveModel(tf: Tf, model: TfNs.LayersModel, dir: string, metadata: Record<string, unknown> = {}): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new Uint8Array(0) : concatBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: metadata,
      };
      await writeDirAtomic(dir, async (tmp) => {
        await writeFile(join(tmp, 'model.json'), JSON.stringify(json));
        await writeFile(join(tmp, 'weights.bin'), weights);
      }, { replace: true });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
}

/** Reads a model written by {@link saveModel}. */
export async function loadModel(tf: Tf, dir: string): Promise<TfNs.LayersModel> {
  const file = join(dir, 'model.json');
  let json: { modelTopology: object; weightsManifest: { paths: string[]; weights: TfNs.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(new TextDecoder().decode(await readFileBytes(file)));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const bytes = await readFileBytes(join(dir, 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}

interface StateJson {
  meta: Omit<TrainState, 'weights' | 'bestWeights' | 'optimizer'>;
  weights: number[];
  bestWeights: number[] | null;
  optimizer: { name: string; shape: number[]; length: number }[];
  /** Identifies the training run the state belongs to. */
  key: string;
}

/** Writes a training checkpoint to `dir` atomically; `key` identifies the run. */
export async function saveTrainState(dir: string, st: TrainState, key: string): Promise<void> {
  const { weights, bestWeights, optimizer, ...meta } = st;
  const parts: Float32Array[] = [...weights, ...(bestWeights ?? []), ...optimizer.map((o) => o.data)];
  const json: StateJson = {
    meta: { ...meta, bestValAccuracy: Number.isFinite(meta.bestValAccuracy) ? meta.bestValAccuracy : -1, stopBestLoss: Number.isFinite(meta.stopBestLoss) ? meta.stopBestLoss : -1 },
    weights: weights.map((w) => w.length),
    bestWeights: bestWeights ? bestWeights.map((w) => w.length) : null,
    optimizer: optimizer.map((o) => ({ name: o.name, shape: o.shape, length: o.data.length })),
    key,
  };
  if (!Number.isFinite(meta.stopBestLoss)) (json.meta as { stopBestLossInfinite?: boolean }).stopBestLossInfinite = true;
  if (!Number.isFinite(meta.bestValAccuracy)) (json.meta as { bestValAccuracyNone?: boolean }).bestValAccuracyNone = true;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bin = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    bin.set(p, o);
    o += p.length;
  }
  await writeDirAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'state.bin'), new Uint8Array(bin.buffer));
    await writeFile(join(tmp, 'state.json'), JSON.stringify(json));
  }, { replace: true });
}

/** Reads a checkpoint; null when there is none, it is unreadable, or it belongs to another run. */
export async function loadTrainState(dir: string, key: string): Promise<TrainState | null> {
  try {
    const json = JSON.parse(new TextDecoder().decode(await readFileBytes(join(dir, 'state.json')))) as StateJson;
    if (json.key !== key) return null;
    const raw = await readFileBytes(join(dir, 'state.bin'));
    const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let o = 0;
    const take = (n: number): Float32Array => {
      const v = all.slice(o, o + n);
      if (v.length !== n) throw new Error('short checkpoint');
      o += n;
      return v;
    };
    const weights = json.weights.map(take);
    const bestWeights = json.bestWeights ? json.bestWeights.map(take) : null;
    const optimizer = json.optimizer.map((d) => ({ name: d.name, shape: d.shape, data: take(d.length) }));
    const m = json.meta as StateJson['meta'] & { stopBestLossInfinite?: boolean; bestValAccuracyNone?: boolean };
    const { stopBestLossInfinite, bestValAccuracyNone, ...meta } = m;
    return {
      ...meta,
      stopBestLoss: stopBestLossInfinite ? Infinity : meta.stopBestLoss,
      bestValAccuracy: bestValAccuracyNone ? -Infinity : meta.bestValAccuracy,
      weights,
      bestWeights,
      optimizer,
    };
  } catch {
    return null;
  }
}
