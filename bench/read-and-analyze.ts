/**
 * Time to read activation files of 10,000 x 768 (float32 .npy, CSV) and to analyse the .npy end
 * to end with the CLI (binned MI and KSG), as a user would run it.
 *   node build/bench/read-and-analyze.js [--skip-ksg]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerToRowMajor } from '../src/core/activations/activation-set.js';
import { encodeNpy } from '../src/io/npy.js';
import { loadActivationFiles } from '../src/inputs/load-activations.js';
import { benchActivations } from './synthetic-activations.js';

const S = 10000;
const N = 768;
const dir = mkdtempSync(join(tmpdir(), 'infomem-bench-'));
try {
  const set = benchActivations(S, 1, N, 3);
  const rows = layerToRowMajor(set, 0);
  const npy = join(dir, 'acts.npy');
  writeFileSync(npy, encodeNpy(new Float32Array(rows), [S, N]));
  const csv = join(dir, 'acts.csv');
  const header = Array.from({ length: N }, (_, n) => `fc/${n}`).join(',');
  const lines = [header];
  for (let s = 0; s < S; s++) lines.push(Array.from(rows.subarray(s * N, (s + 1) * N), (v) => Math.fround(v).toPrecision(7)).join(','));
  writeFileSync(csv, lines.join('\n') + '\n');
  const out: string[] = [];
  for (const f of [npy, csv]) {
    const t = performance.now();
    await loadActivationFiles([f]);
    out.push(`read ${f.endsWith('.npy') ? 'float32 .npy' : 'CSV (7 digits)'} ${S} x ${N} (${(statSync(f).size / 1e6).toFixed(0)} MB): ${((performance.now() - t) / 1000).toFixed(2)} s`);
  }
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const modes = process.argv.includes('--skip-ksg') ? ['binned'] : ['binned', 'ksg'];
  for (const mi of modes) {
    const t = performance.now();
    execFileSync(process.execPath, [cli, 'analyze', npy, '--mi', mi, '--out', join(dir, `out-${mi}`), '--quiet'], { stdio: 'inherit' });
    out.push(`infomem analyze acts.npy --mi ${mi} (read + entropies + all pairs + baseline + outputs): ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  console.log(out.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
