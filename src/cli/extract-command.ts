import { extname } from 'node:path';
import type { Progress } from '../engine/progress.js';
import { checkOutputFiles } from '../io/output-files.js';
import { outOption } from './output-option.js';
import { parseCommand } from './parse-command.js';
import { writeActivations } from '../models/acts-file.js';
import { extractActivations, type AutoLayers, type ExtractOptions } from '../models/extract.js';
import { cliNote, parseChoice, parseInteger, parseThreads, UsageError } from './parse-take.js';
import { defaultThreads } from '../engine/pool.js';
import { EXTRACT_USAGE } from './usage.js';

const options = {
  model: { type: 'string' },
  inputs: { type: 'string' },
  layers: { type: 'string' },
  batch: { type: 'string' },
  token: { type: 'string' },
  pool: { type: 'string' },
  threads: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  compress: { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The model options shared by `extract` and `analyze --model`. */
export function modelOptions(v: Record<string, string | boolean | undefined>): Pick<ExtractOptions, 'layers' | 'batch' | 'token' | 'pool' | 'threads'> {
  const str = (k: string): string | undefined => v[k] as string | undefined;
  const o: Pick<ExtractOptions, 'layers' | 'batch' | 'token' | 'pool' | 'threads'> = {};
  const layers = str('layers');
  if (layers !== undefined) {
    const list = layers.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length === 0) throw new UsageError("--layers takes a comma-separated list of layer names, 'auto' or 'auto:pre'");
    o.layers = list.length === 1 && ['auto', 'auto:post', 'auto:pre'].includes(list[0]) ? (list[0] as AutoLayers) : list;
  }
  if (str('batch') !== undefined) o.batch = parseInteger(str('batch')!, '--batch');
  if (str('token') !== undefined) o.token = parseChoice(str('token')!, '--token', ['first', 'last', 'mean'] as const);
  if (str('pool') !== undefined) o.pool = parseChoice(str('pool')!, '--pool', ['none', 'avg'] as const);
  if (str('threads') !== undefined) o.threads = parseThreads(str('threads')!, '--threads', defaultThreads(), cliNote(v));
  return o;
}

/** Extraction progress on stderr: plain lines at most every 2 s and at the end (examples/s). */
export function extractProgress(stream: NodeJS.WriteStream, quiet: boolean): (p: Progress) => void {
  if (quiet) return () => {};
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 2000) return;
    last = now;
    const rate = p.elapsed > 0 ? p.done / p.elapsed : 0;
    stream.write(`extract  ${((100 * p.done) / Math.max(p.total, 1)).toFixed(1).padStart(5)}%  ${p.done}/${p.total} examples  ${rate.toFixed(0)}/s  ${p.elapsed.toFixed(1)}s elapsed\n`);
  };
}

/** `infomem extract`: returns the exit code. */
export async function extractCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, options, EXTRACT_USAGE, false);
  if (!parsed) return 0;
  const v = parsed.values;
  if (v.model === undefined) throw new UsageError('extract needs --model <model.onnx|model.json|folder> (see infomem extract --help)');
  if (v.inputs === undefined) throw new UsageError('extract needs --inputs <inputs.npy|.npz|texts.txt> (see infomem extract --help)');
  const opts = modelOptions(v);
  // analyze reads activation files by their extension: an --out without .npz gets it
  const given = outOption(v.out, 'acts.npz');
  const out = extname(given) === '' ? `${given}.npz` : given;
  if (out !== given) process.stderr.write(`note: writing ${out} (--out ${given} has no extension; analyze reads .npz archives by theirs)\n`);
  await checkOutputFiles([out, `${out}.json`], { overwrite: Boolean(v.force), inputs: [v.model, v.inputs] });
  const quiet = Boolean(v.quiet);
  const info = (msg: string): void => {
    if (!quiet) process.stderr.write(`${msg}\n`);
  };
  const x = await extractActivations(v.model, v.inputs, { ...opts, signal, info, onProgress: extractProgress(process.stderr, quiet || Boolean(v.json)) });
  const sidecar = await writeActivations(out, x, { token: opts.token ?? 'first', pool: opts.pool ?? 'avg', compress: Boolean(v.compress), overwrite: Boolean(v.force), inputs: [v.model, v.inputs] });
  if (v.json) process.stdout.write(`${JSON.stringify(sidecar, null, 2)}\n`);
  else if (!quiet) {
    const rows = sidecar.layers.map((l) => [l.key, l.name, `${x.samples} x ${l.neurons}`, l.reduction]);
    rows.unshift(['key', 'layer', 'S x N', 'reduction']);
    const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()}\n`);
    process.stdout.write(`${x.samples} examples in ${x.seconds.toFixed(2)} s (${(x.samples / x.seconds).toFixed(0)}/s); wrote ${out} and ${out}.json\n`);
  }
  return 0;
}
