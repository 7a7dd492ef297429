import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { parseNpy } from '../io/npy.js';
import { RESULTS_SCHEMA, RESULTS_VERSION, type Results } from '../analysis/results.js';

/** Reads and checks a results.json written by `infomem analyze`. */
export async function readResults(path: string): Promise<Results> {
  const bytes = await readFileBytes(path);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new InputError(path, `not valid JSON (${(e as Error).message})`);
  }
  const r = doc as Partial<Results> | null;
  if (!r || typeof r !== 'object' || r.schema !== RESULTS_SCHEMA) throw new InputError(path, `not an infomem results.json (schema is not '${RESULTS_SCHEMA}')`);
  if (r.version !== RESULTS_VERSION) throw new InputError(path, `results.json version ${String(r.version)} is not supported (expected ${RESULTS_VERSION})`);
  if (!r.overall || typeof r.overall.meanEntropy !== 'number' || !Array.isArray(r.layers)) throw new InputError(path, 'results.json lacks overall.meanEntropy or layers');
  checkValues(path, r as Results);
  // Fields added after version 1 first shipped: absent in older files.
  const full = r as Results;
  full.warnings ??= [];
  full.excludedConstant ??= null;
  full.overall.meanMILive ??= full.overall.meanMI;
  full.overall.miLive ??= full.overall.mi;
  for (const l of full.layers) l.miLive ??= l.mi;
  full.overall.meanMIStdErr ??= null;
  full.overall.meanMIInterval95 ??= null;
  full.pairs ??= null;
  full.selection ??= null;
  full.examples ??= null;
  full.command ??= null;
  full.intervals ??= null;
  full.significance ??= null;
  return full;
}

/** The MI matrix written beside a results.json (mi.npy), if there is one. */
export async function readSiblingMi(resultsPath: string): Promise<Float64Array | null> {
  const p = join(dirname(resultsPath), 'mi.npy');
  if (!existsSync(p)) return null;
  return parseNpy(new Uint8Array(await readFile(p)), p).data;
}

/**
 * The numbers a comparison reads must be ones an analysis can write: S a positive integer,
 * finite means within what the estimators give (a binned entropy in [0, ln S + 1]; any entropy or
 * MI within 1e6 nats), layers with names and sizes, settings present.
 * @throws InputError naming the field
 */
function checkValues(path: string, r: Results): void {
  const bad = (field: string, v: unknown, why: string): never => {
    throw new InputError(path, `${field} is ${JSON.stringify(v)}: ${why} (a results.json written by infomem analyze has no such value)`);
  };
  const S = r.samples;
  if (!(Number.isInteger(S) && S >= 1)) bad('samples', S, 'not a positive integer');
  if (!r.settings || typeof r.settings !== 'object') bad('settings', r.settings, 'missing');
  const o = r.overall;
  const binned = r.settings.entropy === 'binned';
  const perNat = r.units === 'bits' ? 1 / Math.LN2 : 1;
  const entropyOk = (h: unknown): boolean => typeof h === 'number' && Number.isFinite(h) && (binned ? h >= -1e-9 && h <= (Math.log(S) + 1) * perNat : Math.abs(h) < 1e6);
  if (!entropyOk(o.meanEntropy)) bad('overall.meanEntropy', o.meanEntropy, binned ? `not a binned entropy of ${S} examples (0 to ln S)` : 'not a finite entropy');
  if (!('meanMI' in o) || !(o.meanMI === null || (typeof o.meanMI === 'number' && Number.isFinite(o.meanMI) && Math.abs(o.meanMI) < 1e6))) bad('overall.meanMI', (o as { meanMI?: unknown }).meanMI, 'not null or a finite MI');
  if (r.units !== 'nats' && r.units !== 'bits') bad('units', r.units, "not 'nats' or 'bits'");
  r.layers.forEach((l, i) => {
    if (!l || typeof l.name !== 'string' || !(Number.isInteger(l.neurons) && l.neurons >= 1)) bad(`layers[${i}]`, l && { name: l.name, neurons: l.neurons }, 'lacks a name or a neuron count');
    if (!l.entropy || !entropyOk(l.entropy.mean)) bad(`layers[${i}].entropy.mean`, l.entropy?.mean, 'not a finite entropy');
  });
}
