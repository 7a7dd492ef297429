/**
 * The browser app in Debian's Chromium (headless, playwright-core): served by `infomem web`'s
 * server, given a NumPy-written .npz through the file input, analysed in the page's Web
 * Workers; the numbers on the page and in the downloaded results.json must equal the CLI's on
 * the same file, no request may leave localhost, no console error. The app must be built
 * (`npm test` runs scripts/build-web.mjs first). Chromium must be at /usr/bin/chromium.
 *
 * INFOMEM_SCREENSHOTS=1 also saves docs/screenshots/web-app.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request as httpRequest } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { allowedHost, serveWebApp, type WebApp } from '../src/serve/web-server.js';
import type { Results } from '../src/analysis/results.js';
import { repoRoot } from './helpers/fixtures.js';
import { parseNpz } from '../src/io/npz.js';
import { encodeNpy } from '../src/io/npy.js';
import { encodeSafetensors } from '../src/io/safetensors.js';

const CHROMIUM = '/usr/bin/chromium';
const FIXTURE = join(repoRoot, 'test', 'fixtures', 'web', 'numpy-activations.npz');
const cli = join(repoRoot, 'build', 'src', 'cli', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'infomem-web-'));

let browser: Browser;
let server: WebApp | undefined;
let url: string;

before(async () => {
  server = await serveWebApp({ port: 0, dir: join(repoRoot, 'dist', 'web') });
  url = server.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function cliResults(args: string[], file = FIXTURE): Results {
  const out = join(root, `cli-${[file, ...args].join('_').replace(/\W/g, '')}`);
  const r = spawnSync(process.execPath, [cli, 'analyze', file, ...args, '--no-report', '--quiet', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
}

/**
 * Equal to the last bits: the same library code runs in both, but the browser's Math.exp and
 * Math.log may round differently in the last bit (Chromium 156's V8 against Node 20's differs
 * on 7-9% of arguments, measured), which moves GCMI's normal scores, say, by an ulp.
 */
function same(a: number | null | undefined, b: number | null | undefined, what: string): void {
  assert.ok(typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(1e-300, Math.abs(b)), `${what}: page ${a}, CLI ${b}`);
}

async function openPage(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

async function analyseIn(page: Page, settings: Record<string, string>, file = FIXTURE): Promise<void> {
  await page.setInputFiles('#files', file);
  for (const [k, v] of Object.entries(settings)) {
    const el = page.locator(`#setting-${k}`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(v);
    else await el.fill(v);
  }
  const before = await page.locator('#result').getAttribute('data-ready');
  await page.click('#analyse');
  await page.waitForFunction(
    (b) => {
      const doc = (globalThis as unknown as { document: { getElementById(id: string): { dataset: Record<string, string>; hidden: boolean } | null } }).document;
      const r = doc.getElementById('result');
      const err = doc.getElementById('error');
      return Boolean((r?.dataset.ready && r.dataset.ready !== b) || (err && !err.hidden));
    },
    before,
    { timeout: 120_000 },
  );
  const err = page.locator('#error');
  if (await err.isVisible()) assert.fail(`the page reported: ${await err.textContent()}`);
}

describe('infomem web: the browser app', () => {
  it('analyses a NumPy-written .npz with the CLI\'s numbers, in a cross-origin-isolated page, offline', async () => {
    const { page, errors, requests } = await openPage();
    assert.equal(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated), true, 'served with COOP/COEP: Web Workers share memory');
    assert.match((await page.textContent("#privacy")) ?? "", /no network request to anywhere but the address it came from/);
    const t0 = performance.now();
    await analyseIn(page, { preset: 'default', mi: 'ksg' });
    const pageSeconds = (performance.now() - t0) / 1000;
    const cli = cliResults(['--preset', 'default', '--mi', 'ksg']);
    // the numbers on the page
    same(Number(await page.getAttribute('#mean-entropy', 'data-value')), cli.overall.meanEntropy, 'mean entropy on the page');
    same(Number(await page.getAttribute('#mean-mi', 'data-value')), cli.overall.meanMI, 'mean MI on the page');
    for (const l of cli.layers) assert.equal(await page.textContent(`td[data-layer-entropy="${l.name}"]`), l.entropy.mean.toFixed(4));
    // the intervals, computed by the page's workers, are the CLI's
    const ivText = (x: { low: number; high: number }): string => `${x.low.toFixed(4)} – ${x.high.toFixed(4)}`;
    assert.equal(await page.textContent('#mean-entropy-interval'), ivText(cli.intervals!.overall.meanEntropy!));
    assert.equal(await page.textContent('#mean-mi-interval'), ivText(cli.intervals!.overall.meanMI!));
    if (process.env.INFOMEM_SCREENSHOTS === '1') {
      await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await page.screenshot({ path: join(repoRoot, 'docs', 'screenshots', 'web-app.png'), fullPage: false });
    }
    assert.equal(await page.locator('#progress-box').isVisible(), false, 'the progress bar goes away');
    // the downloaded results.json
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-download="results.json"]')]);
    const fromPage = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Results;
    same(fromPage.overall.meanEntropy, cli.overall.meanEntropy, 'results.json mean entropy');
    same(fromPage.overall.meanMI, cli.overall.meanMI, 'results.json mean MI');
    fromPage.perNeuron.entropy.forEach((h, i) => same(h, cli.perNeuron.entropy[i], `entropy of neuron ${i}`));
    fromPage.layers.forEach((l, i) => same(l.mi?.mean, cli.layers[i].mi?.mean, `MI of layer ${l.name}`));
    const identical = fromPage.overall.meanMI === cli.overall.meanMI && fromPage.perNeuron.entropy.every((h, i) => h === cli.perNeuron.entropy[i]);
    assert.deepEqual(fromPage.settings, { ...cli.settings, threads: fromPage.settings.threads });
    assert.equal(fromPage.inputs[0].sha256, cli.inputs[0].sha256, 'the same file, hashed in the browser');
    // the report's figures in the page
    const figures = await page.$$eval('#result figure', (fs) => fs.map((f) => ({ name: f.getAttribute('data-figure'), w: f.querySelector('svg')?.getBoundingClientRect().width ?? 0 })));
    assert.ok(figures.some((f) => f.name === 'entropy-boxplot') && figures.some((f) => f.name === 'mi-density-overall') && figures.some((f) => f.name?.startsWith('mi-heatmap-')), JSON.stringify(figures));
    assert.ok(figures.every((f) => f.w > 100));
    // nothing left localhost; nothing failed
    const origin = new URL(url).origin;
    assert.deepEqual(requests.filter((r) => !r.startsWith(origin) && !r.startsWith('blob:') && !r.startsWith('data:')), []);
    assert.deepEqual(errors, []);
    process.stderr.write(`web app: analysed in ${pageSeconds.toFixed(2)} s in the page (KSG, 600 x 40); ${identical ? 'bit-identical to' : 'within 1e-12 of'} the CLI\n`);
    await page.close();
  });

  it('compares two analyses in the page (the compare table and the memorization map), and cancels', async () => {
    const { page, errors } = await openPage();
    // the demo file (2,000 x 192, written by infomem): long enough for the analysis to yield to its event loop
    const demo = join(repoRoot, 'data', 'demo', 'mlp-circles.npz');
    await analyseIn(page, { mi: 'gcmi', bins: '20' }, demo);
    same(Number(await page.getAttribute('#mean-mi', 'data-value')), cliResults(['--mi', 'gcmi', '--bins', '20'], demo).overall.meanMI, 'GCMI mean MI of the demo file');
    await analyseIn(page, { mi: 'gcmi', bins: '40' }, demo);
    // two analyses of files with one name get distinct labels, and a label can be edited
    const labels = await page.$$eval('input[data-label]', (xs) => xs.map((x) => (x as unknown as { value: string }).value));
    assert.deepEqual(labels, ['mlp-circles.npz', 'mlp-circles.npz (2)']);
    await page.fill('input[data-label="1"]', 'forty bins');
    await page.dispatchEvent('input[data-label="1"]', 'change');
    // analyses that differ (20 against 40 bins) are refused with the difference named...
    await page.click('#compare');
    await page.waitForFunction(() => /cannot compare/.test((globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('error')?.textContent ?? ''), null, { timeout: 60_000 });
    assert.match((await page.textContent('#error')) ?? '', /'forty bins' was analysed with bins = 40, 'mlp-circles.npz' with 20/);
    // ...and compared when asked, with the difference shown at the top
    await page.check('#allow-mixed');
    await page.click('#compare');
    await page.waitForSelector('#comparison figure[data-figure="comparison-memorization-map"]', { timeout: 60_000 });
    assert.match((await page.textContent('#comparison')) ?? '', /Comparison/);
    assert.match((await page.textContent('#mismatches')) ?? '', /bins = 40/);
    const rows = await page.$$eval('#comparison tbody tr', (rs) => rs.length);
    assert.equal(rows, 2);
    // by position: only the first is the reference
    assert.equal(await page.textContent('td[data-quadrant="0"]'), 'reference');
    assert.notEqual(await page.textContent('td[data-quadrant="1"]'), 'reference');
    // a bad setting is refused with the declaration's message, before any work
    await page.fill('#setting-bins', '0');
    await page.click('#analyse');
    assert.match((await page.textContent('#error')) ?? '', /bins takes an integer in 1..65,536, got '0'/);
    // cancel: a long analysis (KSG on the demo file) stops and says so
    await page.fill('#setting-bins', '');
    await page.setInputFiles('#files', demo);
    await page.selectOption('#setting-mi', 'ksg');
    await page.click('#analyse');
    await page.waitForSelector('#cancel:not([hidden])');
    await page.click('#cancel');
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('error')?.textContent === 'Cancelled.', null, { timeout: 30_000 });
    assert.equal(await page.locator('#cancel').isVisible(), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('reads the other formats in the page (.npy, .safetensors, .csv) with the CLI\'s numbers', async () => {
    const arrays = parseNpz(new Uint8Array(readFileSync(FIXTURE)), 'fixture');
    const fc1 = arrays.get('fc1')!;
    const S = fc1.shape[0];
    const N = fc1.shape[1];
    const npy = join(root, 'fc1.npy');
    writeFileSync(npy, encodeNpy(Float32Array.from(fc1.data), [S, N]));
    const st = join(root, 'acts.safetensors');
    writeFileSync(st, encodeSafetensors(new Map([...arrays].map(([k, a]) => [k, { data: Float32Array.from(a.data), shape: a.shape }]))));
    const csv = join(root, 'fc1.csv');
    const lines = [Array.from({ length: N }, (_, j) => `fc1/${j}`).join(',')];
    for (let i = 0; i < S; i++) lines.push(Array.from({ length: N }, (_, j) => String(fc1.data[i * N + j])).join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
    const { page, errors } = await openPage();
    for (const file of [npy, st, csv]) {
      await analyseIn(page, { mi: 'gcmi', bins: '30' }, file);
      const cli = cliResults(['--mi', 'gcmi', '--bins', '30'], file);
      same(Number(await page.getAttribute('#mean-entropy', 'data-value')), cli.overall.meanEntropy, `${file}: mean entropy`);
      same(Number(await page.getAttribute('#mean-mi', 'data-value')), cli.overall.meanMI, `${file}: mean MI`);
      assert.equal(Number(await page.textContent('#neurons')), cli.neurons);
    }
    // a damaged file is refused with the reader's one-line message
    const bad = join(root, 'bad.npz');
    writeFileSync(bad, readFileSync(FIXTURE).subarray(0, 1000));
    await page.setInputFiles('#files', bad);
    await page.click('#analyse');
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error')) ?? '', /bad\.npz/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('hosted without the isolation headers it runs on one thread, with the same numbers', async () => {
    const plain = await serveWebApp({ port: 0, dir: join(repoRoot, 'dist', 'web'), isolate: false });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(plain.url, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated), false);
      assert.match((await page.textContent('#isolation')) ?? '', /one core/);
      await analyseIn(page, { mi: 'ksg' });
      const cli = cliResults(['--mi', 'ksg']);
      same(Number(await page.getAttribute('#mean-mi', 'data-value')), cli.overall.meanMI, 'mean MI on one thread');
      same(Number(await page.getAttribute('#mean-entropy', 'data-value')), cli.overall.meanEntropy, 'mean entropy on one thread');
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await plain.close();
    }
  });

  it('infomem web serves the app on localhost with the isolation headers, only its own files, and stops on Ctrl-C', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`infomem web exited with ${code}`)));
    });
    const m = /open (http:\/\/localhost:\d+\/)/.exec(line);
    assert.ok(m, line);
    const index = await fetch(m![1]);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(index.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await index.text(), /Your files stay on this machine/);
    assert.equal((await fetch(new URL('app.js', m![1]))).status, 200);
    for (const bad of ['%2e%2e/%2e%2e/package.json', '..%2f..%2fpackage.json', 'nothing.js']) assert.equal((await fetch(m![1] + bad)).status, 404, bad);
    assert.equal((await fetch(m![1], { method: 'POST' })).status, 405);
    assert.equal((await fetch(m![1] + '%E0%A4%A')).status, 400, 'a malformed escape is refused, not a crash');
    assert.equal((await fetch(m![1])).status, 200, 'and the server still serves');
    // DNS rebinding: a request naming another host is refused, loopback names are served
    const port = Number(new URL(m![1]).port);
    for (const [hostHeader, status] of [[`evil.example:${port}`, 403], [`localhost.evil.example:${port}`, 403], [`127.0.0.1:${port}`, 200], [`localhost:${port}`, 200]] as const) {
      const got = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { Host: hostHeader } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(got, status, hostHeader);
    }
    assert.equal(allowedHost(undefined, '127.0.0.1'), false, 'no Host header');
    assert.equal(allowedHost('[::1]:80', '127.0.0.1'), true);
    assert.equal(allowedHost('LOCALHOST', '127.0.0.1'), true);
    assert.equal(allowedHost('10.0.0.5:8765', '127.0.0.1'), false);
    assert.equal(allowedHost('myhost:8765', 'myhost'), true, 'the host it listens on');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    assert.equal(code, 0);
    const bad = spawnSync(process.execPath, [cli, 'web', '--port', 'x'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--port takes an integer >= 0/);
  });
});
