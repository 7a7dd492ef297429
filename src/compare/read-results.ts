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
  return full;
}

/** The MI matrix written beside a results.json (mi.npy), if there is one. */
export async function readSiblingMi(resultsPath: string): Promise<Float64Array | null> {
  const p = join(dirname(resultsPath), 'mi.npy');
  if (!existsSync(p)) return null;
  return parseNpy(new Uint8Array(await readFile(p)), p).data;
}
