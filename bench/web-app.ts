/**
 * The demo file analysed in the browser app against the CLI on the same machine: headless
 * Chromium (Debian's) on `infomem web`'s server, the default settings (KSG, z-scored), and
 * `infomem analyze` with and without its report (the page renders the same figures as SVG, no
 * PNGs). Interleaved rounds; medians. Needs the built app (npm run build:web).
 *   node build/bench/web-app.js [--rounds 3] [--file data/demo/mlp-circles.npz]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveWebApp } from '../src/serve/web-server.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', '3'));
const file = resolve(repo, opt('--file', 'data/demo/mlp-circles.npz'));
const cli = join(repo, 'build', 'src', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'infomem-web-bench-'));

const app = await serveWebApp({ port: 0, dir: join(repo, 'dist', 'web') });
const url = app.url;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const page: number[] = [];
const worker: number[] = [];
const cliReport: number[] = [];
const cliNoReport: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const p = await browser.newPage();
    await p.goto(url, { waitUntil: 'load' });
    await p.setInputFiles('#files', file);
    const t0 = performance.now();
    await p.click('#analyse');
    await p.waitForSelector('#result[data-ready]', { timeout: 600_000 });
    page.push((performance.now() - t0) / 1000);
    worker.push(Number((await p.textContent('#seconds'))?.replace(' s', '')));
    await p.close();
    for (const [list, extra] of [[cliReport, []], [cliNoReport, ['--no-report']]] as const) {
      const t1 = performance.now();
      const out = spawnSync(process.execPath, [cli, 'analyze', file, '--quiet', '--force', '--out', join(tmp, 'out'), ...extra], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      list.push((performance.now() - t1) / 1000);
    }
  }
} finally {
  await browser.close();
  await app.close();
  rmSync(tmp, { recursive: true, force: true });
}
const f = (v: number[]): string => `${median(v).toFixed(2)} s (${v.map((x) => x.toFixed(2)).join(', ')})`;
process.stdout.write(
  [
    `file: ${file}; ${rounds} interleaved rounds, medians (all runs)`,
    `browser app, click to result (analysis + figures): ${f(page)}`,
    `  of which in the analysis worker:                ${f(worker)}`,
    `CLI infomem analyze (process start to exit, report): ${f(cliReport)}`,
    `CLI infomem analyze --no-report:                     ${f(cliNoReport)}`,
    `ratio browser / CLI with report: ${(median(page) / median(cliReport)).toFixed(2)}`,
  ].join('\n') + '\n',
);
