/**
 * Peak memory of `infomem analyze` on a large float32 .npy, as a user runs it (the CLI in a child
 * process; its peak resident set size read at exit).
 *   node build/bench/memory.js [--samples 50000] [--neurons 3072] [--file path.npy] [--keep]
 * Writes (once, streaming, seeded) a post-ReLU float32 S x N .npy under .bench/, then for each
 * of --mi none, binned, ksg runs the CLI, stops it with SIGINT a few seconds into the pair phase
 * (the peak is reached by then: everything is loaded and prepared; all 4.7 million pairs would
 * take hours), and reports peak RSS against the file's size, and the time to the end of loading.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random/rng.js';
import { encodeNpyHeader } from '../src/io/npy.js';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const S = Number(arg('samples', '50000'));
const N = Number(arg('neurons', '3072'));
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = arg('file', join(dir, `relu-${S}x${N}.npy`));
const cli = join(root, 'build/src/cli/main.js');

if (!existsSync(file)) {
  process.stderr.write(`writing ${file} ...\n`);
  const head = encodeNpyHeader('<f4', [S, N]);
  const fd = openSync(file, 'w');
  writeSync(fd, head);
  const rng = new Rng(7);
  const row = new Float32Array(N * 256);
  for (let s = 0; s < S; s += 256) {
    const rows = Math.min(256, S - s);
    for (let i = 0; i < rows * N; i++) row[i] = Math.max(0, rng.normal());
    writeSync(fd, new Uint8Array(row.buffer, 0, rows * N * 4));
  }
  closeSync(fd);
}

const hook = join(dir, 'maxrss-hook.mjs');
writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
const size = statSync(file).size;

interface Row {
  mi: string;
  peakMiB: number;
  ratio: number;
  loadSeconds: number;
  code: number | null;
}

async function measure(mi: string): Promise<Row> {
  const out = join(dir, `out-${mi}`);
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', hook, cli, 'analyze', file, '--mi', mi, '--no-report', '--out', out, '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let loaded = NaN;
  let stopping = false;
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (Number.isNaN(loaded) && /^entropy /m.test(err)) loaded = (performance.now() - t0) / 1000;
    if (!stopping && /^(mi|baseline) /m.test(err)) {
      stopping = true;
      setTimeout(() => child.kill('SIGINT'), 3000);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const m = /maxrss (\d+)/.exec(err);
  const peakMiB = m ? Number(m[1]) / 1024 : NaN;
  rmSync(out, { recursive: true, force: true });
  if (code !== 0 && code !== 130) process.stderr.write(err);
  return { mi, peakMiB, ratio: (peakMiB * 1024 * 1024) / size, loadSeconds: loaded, code };
}

const rows: Row[] = [];
for (const mi of ['none', 'binned', 'ksg']) {
  process.stderr.write(`analyze --mi ${mi} ...\n`);
  rows.push(await measure(mi));
}
console.log(`input: ${file}, ${S} x ${N} float32, ${(size / 2 ** 20).toFixed(0)} MiB\n`);
console.log('| --mi | peak RSS MiB | x input | loaded after s | exit |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.mi} | ${r.peakMiB.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.loadSeconds.toFixed(1)} | ${r.code}${r.code === 130 ? ' (stopped in the pair phase)' : ''} |`);
if (!process.argv.includes('--keep') && !process.argv.includes('--file')) rmSync(file, { force: true });
