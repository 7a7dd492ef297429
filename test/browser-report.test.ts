/**
 * Opens the reports in headless Chromium: no console errors, no failed or network requests,
 * every figure visible with a non-zero size. Chromium must be at /usr/bin/chromium (CI installs
 * it); without it this test fails rather than skips.
 *
 * INFOMEM_SCREENSHOTS=1 also saves full-page screenshots to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { writeAnalysisReport, writeComparisonReport } from '../src/report/index.js';
import { analyse, sweep } from './report-fixtures.test.js';
import { buildTrack } from '../src/track/track.js';
import { writeTrackReport } from '../src/report/track-report.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.INFOMEM_SCREENSHOTS === '1';

async function inspect(browser: Browser, html: string, screenshot: string | null): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  try {
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const figures = await page.$$eval('svg.figure-svg', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { visibility: string; display: string } }).getComputedStyle(e);
        return { name: e.getAttribute('data-figure'), w: r.width, h: r.height, visible: style.visibility !== 'hidden' && style.display !== 'none' };
      }),
    );
    assert.ok(figures.length > 0, 'figures on the page');
    for (const f of figures) assert.ok(f.visible && f.w > 50 && f.h > 50, `figure ${f.name} visible: ${f.w} x ${f.h}`);
    const links = await page.$$eval('figcaption a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, 2 * figures.length);
    const images = await page.$$eval('svg.figure-svg image', (els) => els.map((e) => e.getBoundingClientRect().width));
    for (const w of images) assert.ok(w > 50, 'heatmap raster drawn');
    // the page fits a 1,400 px window (wide tables scroll in their own box)
    const wide = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    assert.ok(wide <= 1400, `page ${wide} px wide`);
    // figures numbered 1, 2, ... in the order the page shows them
    const numbers = await page.$$eval('figcaption b', (bs) => bs.map((b) => Number(/Figure (\d+)/.exec(b.textContent ?? '')?.[1])));
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1));
    // the memorization map's labels overlap neither each other nor the quadrants' names
    const texts = await page.$$eval('svg.figure-svg[data-figure$="memorization-map"] text', (els) =>
      els.filter((e) => (e.textContent ?? '').trim() !== '').map((e) => {
        const r = e.getBoundingClientRect();
        return { t: e.textContent ?? '', x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
      }),
    );
    const clash: string[] = [];
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i];
        const b = texts[j];
        if (a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1) clash.push(`'${a.t}' / '${b.t}'`);
      }
    assert.deepEqual(clash, [], 'map labels overlap');
    if (screenshot) {
      await mkdir(resolve('docs/screenshots'), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(requests, [], 'network requests');
  } finally {
    await page.close();
  }
}

describe('reports in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: install it (Debian: apt-get install chromium) to run the browser tests`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    dir = await mkdtemp(join(tmpdir(), 'infomem-browser-'));
  });
  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('analysis report: no console errors, every figure visible', async () => {
    const a = await analyse(SCREENSHOTS ? 1000 : 400, SCREENSHOTS ? [64, 64, 48] : [20, 20, 12], 0.5, 3);
    const out = join(dir, 'analysis');
    await writeAnalysisReport(out, { results: a.results, entropy: a.measures.entropy, mi: a.measures.mi, baseline: a.measures.baseline!.values });
    await inspect(browser, join(out, 'report.html'), SCREENSHOTS ? resolve('docs/screenshots/analysis-report.png') : null);
  });

  it('comparison report: no console errors, every figure visible', async () => {
    const { comparison, models } = SCREENSHOTS ? await sweep(600, [32, 32, 24]) : await sweep(300, [12, 10]);
    const out = join(dir, 'comparison');
    await writeComparisonReport(out, comparison, models);
    await inspect(browser, join(out, 'report.html'), SCREENSHOTS ? resolve('docs/screenshots/comparison-report.png') : null);
  });

  it('track report with 12 transformer-style layers: no console errors, every figure visible, no overflow, labels apart', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `/encoder/layer.${i}/output/LayerNorm/Add_1_output_0`);
    const { models } = await sweep(200, Array.from({ length: 12 }, () => 6), names);
    const track = buildTrack(
      models.map((m) => ({ path: `runs/${m.label}/results.json`, results: m.results })),
      { x: models.map((_, i) => 10 * i), accuracy: models.map((m) => m.accuracy ?? 0) },
    );
    const out = join(dir, 'track');
    await mkdir(out, { recursive: true });
    await writeTrackReport(out, track);
    await inspect(browser, join(out, 'report.html'), SCREENSHOTS ? resolve('docs/screenshots/track-report-12-layers.png') : null);
  });
});
