/**
 * `infomem plan <inputs...> --shards K [analysis flags] --out DIR`: checks the inputs and the
 * settings once, as `analyze` does (sizes, selections, non-finite values, the same data twice),
 * before anything is written, then writes DIR/plan.json (plan.ts) atomically.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { neuronCount } from '../core/activations/activation-set.js';
import { checkRequest, refuseRepeatedData, selectForAnalysis, type AnalyzeOptions } from '../analyze/analyze.js';
import { neuronExtents } from '../analysis/compute.js';
import { resolveSettings, type Settings } from '../analysis/settings.js';
import { settingOptions } from '../analysis/setting-options.js';
import { loadActivationFiles } from '../inputs/load-activations.js';
import { InputError } from '../io/errors.js';
import { writeError } from '../io/fs-errors.js';
import { VERSION } from '../version.js';
import { PLAN_SCHEMA, PLAN_VERSION, planId, shardCount, splitWork, type ClusterPlan } from './plan.js';
import { makeFrame, writeFrame } from './frame.js';
import { sampleRows } from '../core/activations/select.js';

export interface PlanOptions {
  shards: number;
  /** Write into a non-empty DIR, replacing its plan (its shards then belong to no plan). */
  overwrite?: boolean;
  command?: string[];
}

/** Makes the plan of analysing `paths` with `opts` in `shards` shards, written to `dir`. */
export async function planAnalysis(paths: readonly string[], opts: AnalyzeOptions, dir: string, p: PlanOptions): Promise<ClusterPlan> {
  // the destination first, in milliseconds
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(writeError(dir, e))));
  if (entries && entries.length > 0 && !p.overwrite) throw new InputError(dir, 'is not empty: a plan goes into a new or empty directory (--force replaces the plan there)');
  // writable? a probe file, before any work
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.infomem-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    throw writeError(dir, e);
  }
  // the settings alone (opts also holds the selection, units, callbacks...)
  const given = Object.fromEntries(settingOptions.map((o) => [o.key, (opts as Record<string, unknown>)[o.key]]).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const settings = resolveSettings(given, 1);
  if (settings.mi === 'none') throw new RangeError('a cluster plan splits the pairs of an MI estimator: --mi none has none');
  const { set, inputs, rows: kept } = await loadActivationFiles(paths, { ...opts, checkShape: (shape) => checkRequest(shape, opts, paths.join(', ')) });
  refuseRepeatedData(inputs);
  const sel = opts.selection ?? {};
  const { selected } = selectForAnalysis(set, sel, settings.seed);
  const extents = await neuronExtents(selected, settings, opts.signal); // non-finite values are refused here, not in a shard
  // the files' rows the analysis measures: those kept under --nan drop-examples, then --samples
  let rows = kept ?? null;
  if (sel.samples && sel.samples.count < set.samples) {
    const picked = sampleRows(set.samples, sel.samples.count, sel.samples.random ? settings.seed : undefined);
    rows = rows ? picked.map((r) => rows![r]) : picked;
  }
  const frame = makeFrame(selected, extents, settings.binning, rows);
  const N = neuronCount(selected);
  const distinct = (N * (N - 1)) / 2;
  const sampled = settings.pairs !== 'all' && settings.pairs < distinct ? settings.pairs : null;
  const work = splitWork(N, sampled, p.shards);
  const { threads: _t, ...planned } = settings;
  const base: Omit<ClusterPlan, 'id' | 'createdAt' | 'command'> = {
    schema: PLAN_SCHEMA,
    version: PLAN_VERSION,
    tool: VERSION,
    inputs: inputs.map((i) => ({ path: i.path, absolute: resolve(i.path), bytes: i.bytes, sha256: i.sha256 })),
    analysis: { settings: planned, selection: opts.selection ?? {}, units: opts.units ?? 'nats', token: opts.token ?? null, nan: opts.nan ?? null, header: opts.header ?? null },
    samples: selected.samples,
    neurons: N,
    layers: selected.layers.map((l) => ({ name: l.name, neurons: l.size })),
    work,
    shards: shardCount(work),
    frame: { sha256: '' },
  };
  try {
    await mkdir(dir, { recursive: true });
    base.frame.sha256 = await writeFrame(dir, frame);
  } catch (e) {
    throw writeError(dir, e);
  }
  const plan: ClusterPlan = { ...base, id: planId(base), createdAt: new Date().toISOString(), command: p.command ?? null };
  try {
    const tmp = join(dir, `.plan.json.tmp-${process.pid}`);
    await writeFile(tmp, JSON.stringify(plan, null, 2) + '\n');
    await rename(tmp, join(dir, 'plan.json'));
    if (p.overwrite) await rm(join(dir, 'shards'), { recursive: true, force: true });
  } catch (e) {
    throw writeError(dir, e);
  }
  return plan;
}
