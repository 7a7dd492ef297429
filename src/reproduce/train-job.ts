/**
 * One model of a sweep, end to end, as a worker runs it: build its data (seeded), train it (or
 * resume from its checkpoint), save it, extract its activations. Each step is skipped when its
 * output is already in the model's directory:
 *   model/ (model.json + weights.bin), training.json (written last: training is complete),
 *   activations.npz, checkpoint/ (while training; removed at the end).
 */
import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as TfNs from '@tensorflow/tfjs';
import { writeFileAtomic, readFileBytes } from '../io/files.js';
import { addSpuriousFeature, makeCircles, shuffleLabels, trainTestSplit, type TabularData } from './circles-data.js';
import { extractActivations, writeActivations } from './activations.js';
import { analysedLayers, type ModelJob, type RunConfig } from './experiments.js';
import { readMnistTrain } from './idx.js';
import { coloredMnist, colourFlipProbability, shuffledMnist, splitMnist, type MnistRaw } from './mnist-data.js';
import { accuracy, buildMlp, predictLogits } from './mlp.js';
import { loadModel, loadTrainState, saveModel, saveTrainState } from './model-io.js';
import { deriveSeed, streamRng, Stream } from './seeds.js';
import { loadTrainingTf, type Tf } from './tf-backend.js';
import { trainMlp, type Dataset, type TrainHooks } from './trainer.js';
import type { EpochInfo, EpochRecord, JobMessage, TrainingRecord } from './training-record.js';
import { activationSetFromLayers } from '../core/activations/activation-set.js';
import { DynamicsRecorder, resumePoints } from './dynamics.js';
import { jobKey, postDynamics } from './job-key.js';

export { jobKey, postDynamics } from './job-key.js';

interface Prepared {
  train: Dataset;
  /** Validation during training (MNIST: the 10,000; circles: the 10% test split). */
  val: Dataset;
  /** Inputs of the activations and of valAccuracy for circles. */
  measure: Dataset;
  outputs: number;
  data: Record<string, number>;
}

let mnistCache: Promise<MnistRaw> | undefined;

function toDataset(d: TabularData): Dataset {
  return { x: d.x, y: d.y, n: d.n, features: d.features };
}

/** The circles' measurement set: 2,000 fresh points, division 0.5 (the feature uninformative), clean labels. */
export function circlesMeasureSet(config: RunConfig, seed: number): TabularData {
  const c = config.circles as NonNullable<RunConfig['circles']>;
  const base = makeCircles(c.measurePoints, c.noise, c.factor, streamRng(seed, Stream.measureSet, 0));
  return addSpuriousFeature(base, 0.5, streamRng(seed, Stream.measureSet, 1));
}

/** Builds the data of one job (seeded; identical in every process). */
export async function prepareData(job: ModelJob): Promise<Prepared> {
  const { config, seed, value } = job;
  if (config.circles) {
    const c = config.circles;
    const sweep = job.parameter === 'division' ? 0 : 1;
    const n = job.parameter === 'division' ? c.points.division : c.points.shuffle;
    const base = makeCircles(n, c.noise, c.factor, streamRng(seed, Stream.circles, sweep));
    let d = addSpuriousFeature(base, job.parameter === 'division' ? value : 0.5, streamRng(seed, Stream.spurious, sweep));
    let changed = 0;
    if (job.parameter === 'shuffle') {
      const s = shuffleLabels(d.y, value, streamRng(seed, Stream.shuffleLabels));
      for (let i = 0; i < d.n; i++) if (s.y[i] !== d.y[i]) changed++;
      d = { ...d, y: s.y };
    }
    const { train, test } = trainTestSplit(d, c.trainFraction, streamRng(seed, Stream.circlesSplit, sweep));
    const measure = circlesMeasureSet(config, seed);
    return { train: toDataset(train), val: toDataset(test), measure: toDataset(measure), outputs: 1, data: { points: n, train: train.n, test: test.n, measurePoints: measure.n, labelsChanged: changed } };
  }
  const m = config.mnist as NonNullable<RunConfig['mnist']>;
  mnistCache ??= readMnistTrain();
  const raw = await mnistCache;
  const split = splitMnist(raw, m.trainImages, m.valImages, seed);
  if (config.experiment === 'colored-mnist') {
    const t = coloredMnist(raw, split, value, seed, { labelNoise: m.labelNoise });
    const val = { x: t.xVal, y: t.yVal, n: t.nVal, features: t.features };
    return { train: { x: t.xTrain, y: t.yTrain, n: t.nTrain, features: t.features }, val, measure: val, outputs: 1, data: { e: colourFlipProbability(value), valE: 0.5, labelNoise: m.labelNoise, trainImages: t.nTrain, valImages: t.nVal } };
  }
  const t = shuffledMnist(raw, split, value, seed);
  const val = { x: t.xVal, y: t.yVal, n: t.nVal, features: t.features };
  return { train: { x: t.xTrain, y: t.yTrain, n: t.nTrain, features: t.features }, val, measure: val, outputs: 10, data: { redrawn: t.redrawn, trainImages: t.nTrain, valImages: t.nVal } };
}

/**
 * The training-dynamics hook of a job (null when not tracked): at each tracked epoch, the
 * analysed layers' activations on the measurement inputs, their cheap measures, the training and
 * measurement-set accuracy, appended to `dynamics.json` (written after every point).
 */
async function trackingHook(
  tf: Tf,
  job: ModelJob,
  model: TfNs.LayersModel,
  data: Prepared,
  key: string,
  resumedAt: number,
  post: (m: JobMessage) => void,
): Promise<{ hook: NonNullable<TrainHooks['track']>; finish: () => Promise<void> } | null> {
  const every = job.trackEvery ?? 0;
  if (every <= 0) return null;
  const path = join(job.dir, 'dynamics.json');
  const bins = job.config.bins ?? 100;
  const resumed = resumedAt > 0 ? await resumePoints(path, key, resumedAt) : [];
  const recorder = new DynamicsRecorder(path, { key, every, bins, measuredOn: job.config.circles ? `the ${data.measure.n}-point measurement set` : `the ${data.measure.n} validation images` }, resumed, job.seed);
  const acc = (d: Dataset): number => accuracy(predictLogits(tf, model, d.x, d.n, d.features), data.outputs, d.y);
  return {
    hook: {
      every,
      measure: async (epoch, loss, valAccuracy) => {
        const t = performance.now();
        const layers = extractActivations(tf, model, analysedLayers(job.config), data.measure.x, data.measure.n, data.measure.features);
        const set = activationSetFromLayers(layers.map((l) => ({ name: l.name, data: l.data, samples: l.samples, neurons: l.neurons })));
        // MNIST measures on the validation images: the trainer's accuracy is on the same set
        const info = { loss, trainAccuracy: acc(data.train), valAccuracy: valAccuracy !== null && data.measure === data.val ? valAccuracy : acc(data.measure) };
        postDynamics(post, job.label, await recorder.measure(epoch, set, info, t));
      },
    },
    finish: () => recorder.finish(),
  };
}

/** Runs one job; resolves to its training record. */
export async function runJob(job: ModelJob, post: (m: JobMessage) => void): Promise<TrainingRecord> {
  if (job.config.text) return (await import('./text-job.js')).runTextJob(job, post);
  const tf: Tf = await loadTrainingTf();
  const modelDir = join(job.dir, 'model');
  const trainingPath = join(job.dir, 'training.json');
  const actsPath = join(job.dir, 'activations.npz');
  const ckptDir = join(job.dir, 'checkpoint');
  await mkdir(job.dir, { recursive: true });
  const data = await prepareData(job);
  let model: TfNs.LayersModel | null = null;
  let record: TrainingRecord;
  if (existsSync(trainingPath) && existsSync(join(modelDir, 'model.json'))) {
    record = JSON.parse(new TextDecoder().decode(await readFileBytes(trainingPath))) as TrainingRecord;
  } else {
    const { config } = job;
    const hidden = config.circles ? config.circles.hidden : (config.mnist as NonNullable<RunConfig['mnist']>).hidden;
    const mlp = buildMlp(tf, { inputs: data.train.features, hidden, outputs: data.outputs, init: config.circles ? 'sklearn' : 'xavier' }, streamRng(job.seed, Stream.init));
    model = mlp;
    const key = jobKey(job);
    const resume = await loadTrainState(ckptDir, key);
    if (resume) post({ type: 'status', label: job.label, text: `resuming from the checkpoint at epoch ${resume.epoch}` });
    const c = config.circles;
    const m = config.mnist;
    const track = await trackingHook(tf, job, mlp, data, key, resume?.epoch ?? 0, post);
    const outcome = await trainMlp(
      tf,
      mlp,
      data.train,
      data.val,
      c
        ? {
            epochs: c.maxEpochs,
            batchSize: Math.min(200, data.train.n),
            learningRate: c.learningRate,
            l2: 0,
            keepBest: false,
            stop: { tol: c.tol, patience: job.parameter === 'shuffle' ? c.patience.shuffle : c.patience.division },
            evalEvery: 50,
            seed: deriveSeed(job.seed, Stream.batches),
          }
        : {
            epochs: m!.epochs,
            batchSize: m!.batchSize,
            learningRate: m!.learningRate,
            l2: m!.l2,
            keepBest: m!.keep === 'best',
            evalEvery: 1,
            seed: deriveSeed(job.seed, Stream.batches),
          },
      {
        onEpoch: (info) => post({ type: 'epoch', label: job.label, info }),
        checkpoint: (st) => saveTrainState(ckptDir, st, key),
        checkpointSeconds: 60,
        resume,
        track: track?.hook,
      },
    );
    await track?.finish();
    const outputs = data.outputs;
    // MNIST: the validation accuracy of the kept weights (best epoch, or the last one)
    const lastVal = outcome.history[outcome.history.length - 1]?.valAccuracy ?? null;
    const valAccuracy = c
      ? accuracy(predictLogits(tf, mlp, data.measure.x, data.measure.n, data.measure.features), outputs, data.measure.y)
      : config.mnist!.keep === 'last' && lastVal !== null
        ? lastVal
        : outcome.bestValAccuracy;
    const testAccuracy = c ? accuracy(predictLogits(tf, mlp, data.val.x, data.val.n, data.val.features), outputs, data.val.y) : null;
    const trainAccuracy = c ? accuracy(predictLogits(tf, mlp, data.train.x, data.train.n, data.train.features), outputs, data.train.y) : null;
    record = {
      experiment: config.experiment,
      parameter: job.parameter,
      value: job.value,
      seed: job.seed,
      valAccuracy,
      testAccuracy,
      trainAccuracy,
      epochs: outcome.epochs,
      bestEpoch: outcome.bestEpoch,
      stoppedEarly: outcome.stoppedEarly,
      finalLoss: outcome.finalLoss,
      trainSeconds: outcome.seconds,
      backend: tf.getBackend(),
      data: data.data,
      history: outcome.history,
    };
    await saveModel(tf, mlp, modelDir, { experiment: config.experiment, parameter: job.parameter, value: job.value, seed: job.seed });
    await writeFileAtomic(trainingPath, JSON.stringify(record, null, 1) + '\n');
    await rm(ckptDir, { recursive: true, force: true });
  }
  if (!existsSync(actsPath)) {
    model ??= await loadModel(tf, modelDir);
    post({ type: 'status', label: job.label, text: `activations on ${data.measure.n} inputs` });
    const layers = extractActivations(tf, model, analysedLayers(job.config), data.measure.x, data.measure.n, data.measure.features);
    await writeActivations(actsPath, layers);
  }
  model?.dispose();
  return record;
}
