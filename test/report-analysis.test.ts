import assert from 'node:assert/strict';
import { esc } from '../src/report/html.js';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { renderSvg, svgToPng, writeAnalysisReport, writeComparisonReport } from '../src/report/index.js';
import { encodeBase64, indexedPng } from '../src/report/png.js';
import { analyse, sweep, type Analysed } from './report-fixtures.test.js';

/** Resource references (src=, href=, url(), @import) that would be fetched from the network. */
function networkRefs(html: string): string[] {
  const bad: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]*)/gi)) bad.push(m[0]);
  for (const m of html.matchAll(/url\(\s*["']?\s*((?:https?:)?\/\/[^)"']*)/gi)) bad.push(m[0]);
  for (const m of html.matchAll(/@import/gi)) bad.push(m[0]);
  return bad;
}

async function checkReportDir(dir: string): Promise<{ html: string; figures: string[] }> {
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.deepEqual(networkRefs(html), [], 'no network resources');
  assert.doesNotMatch(html, /<script/i, 'no scripts');
  assert.doesNotMatch(html, /<link\b/i, 'no linked resources');
  const files = await readdir(join(dir, 'figures'));
  const stems = [...new Set(files.map((f) => f.replace(/\.(svg|png)$/, '')))].sort();
  assert.ok(stems.length > 0);
  for (const s of stems) {
    assert.ok(files.includes(`${s}.svg`) && files.includes(`${s}.png`), `${s}: both SVG and PNG`);
    const svg = await readFile(join(dir, 'figures', `${s}.svg`), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*width="\d+(\.\d+)?" height="\d+(\.\d+)?"/, `${s}.svg root`);
    assert.match(svg, /<\/svg>\s*$/, `${s}.svg closed`);
    assert.equal((svg.match(/<g\b[^>]*[^/]>|<g>/g) ?? []).length, (svg.match(/<\/g>/g) ?? []).length, `${s}.svg balanced groups`);
    assert.deepEqual(networkRefs(svg), [], `${s}.svg no network refs`);
    const png = await readFile(join(dir, 'figures', `${s}.png`));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${s}.png signature`);
    assert.ok((await stat(join(dir, 'figures', `${s}.png`))).size > 2000);
    // every figure is inlined and linked from the page
    assert.ok(html.includes(`data-figure="fig-${s}"`), `${s} inlined`);
    assert.ok(html.includes(`href="figures/${s}.svg"`) && html.includes(`href="figures/${s}.png"`), `${s} linked`);
  }
  // ids stay unique across the inlined SVGs
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, 'unique ids');
  return { html, figures: stems };
}

describe('analysis report', () => {
  let dir: string;
  let a: Analysed;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infomem-report-'));
    a = await analyse(400, [20, 20, 12], 0.5, 3);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes report.html and every figure as SVG and PNG, self-contained', async () => {
    const out = join(dir, 'analysis');
    await writeAnalysisReport(out, { results: a.results, entropy: a.measures.entropy, mi: a.measures.mi, baseline: a.measures.baseline!.values });
    const { html, figures } = await checkReportDir(out);
    assert.deepEqual(figures, ['entropy-boxplot', 'mi-density-01-fc1', 'mi-density-02-fc2', 'mi-density-03-fc3', 'mi-density-overall', 'mi-heatmap-01-fc1', 'mi-heatmap-02-fc2', 'mi-heatmap-03-fc3', 'mi-heatmap-all'].sort());
    // summary table and methods
    for (const s of ['fc1', 'fc2', 'fc3', 'all layers', 'Median notch', 'SHA-256', a.results.inputs[0].sha256, 'Timings', 'KSG algorithm 1, k = 3', 'infomem 0.1.0', 'Examples S']) assert.ok(html.includes(s), `html mentions ${s}`);
    // the box plot SVG has one notched polygon per layer and axis titles with units
    const box = await readFile(join(out, 'figures', 'entropy-boxplot.svg'), 'utf8');
    assert.ok(box.includes('Entropy (nats)') && box.includes('Layer'));
    const density = await readFile(join(out, 'figures', 'mi-density-overall.svg'), 'utf8');
    assert.ok(density.includes('MI (nats)') && density.includes('Density of neuron pairs') && density.includes('chance p95'));
  });

  it('works without MI (mi: none), in bits', async () => {
    const out = join(dir, 'no-mi');
    const r = { ...a.results, units: 'bits' as const, overall: { ...a.results.overall, mi: null, meanMI: null, meanMIWithDiagonal: null }, layers: a.results.layers.map((l) => ({ ...l, mi: null })), baseline: null };
    await writeAnalysisReport(out, { results: r, entropy: new Float64Array(r.neurons), mi: null, baseline: null });
    const { html, figures } = await checkReportDir(out);
    assert.deepEqual(figures, ['entropy-boxplot']);
    assert.match(html, /MI was not computed/);
    assert.ok((await readFile(join(out, 'figures', 'entropy-boxplot.svg'), 'utf8')).includes('Entropy (bits)'));
  });

  it('refuses arrays that do not match the results', async () => {
    await assert.rejects(writeAnalysisReport(join(dir, 'bad'), { results: a.results, entropy: new Float64Array(3), mi: null, baseline: null }), RangeError);
  });
});

describe('comparison report', () => {
  it('draws box plots per layer with accuracy, overlaid MI densities, the ranking, taus and the warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'infomem-cmp-'));
    try {
      const { comparison, models } = await sweep(300, [12, 10]);
      await writeComparisonReport(dir, comparison, models);
      const { html, figures } = await checkReportDir(dir);
      assert.deepEqual(figures, ['comparison-entropy-01-fc1', 'comparison-entropy-02-fc2', 'comparison-memorization-map', 'comparison-mi-density-01-fc1', 'comparison-mi-density-02-fc2', 'comparison-mi-density-overall']);
      // the memorization map: every model labelled, the quadrants named, the table of changes
      const map = await readFile(join(dir, 'figures', 'comparison-memorization-map.svg'), 'utf8');
      for (const m of models) assert.ok(map.includes(m.label), `map label ${m.label}`);
      assert.ok(map.includes('heuristic: entropy ↓, MI ↑') && map.includes('example-level: entropy ↑, MI ↓'));
      assert.ok(html.includes('Δ mean entropy'));
      assert.ok(html.includes(esc(comparison.map.message)));
      assert.match(html, /class="warning"/);
      assert.ok(html.includes('the entropy ranking depends on the binning scope'));
      assert.ok(html.includes('Kendall τ-b with accuracy'));
      for (const m of models) assert.ok(html.includes(m.label));
      const box = await readFile(join(dir, 'figures', 'comparison-entropy-01-fc1.svg'), 'utf8');
      assert.ok(box.includes('Validation accuracy'), 'second axis');
      for (const m of models) assert.ok(box.includes(m.label), `x label ${m.label}`);
      const dens = await readFile(join(dir, 'figures', 'comparison-mi-density-overall.svg'), 'utf8');
      for (const m of models) assert.ok(dens.includes(m.label), `legend ${m.label}`);
      // no warning when the scopes agree
      const calm = join(dir, 'calm');
      await writeComparisonReport(calm, { ...comparison, binningDisagreement: { disagree: false, message: null } }, models.map((m) => ({ ...m, accuracy: null, mi: null })));
      const h2 = await readFile(join(calm, 'report.html'), 'utf8');
      assert.doesNotMatch(h2, /class="warning"/);
      assert.ok(!(await readFile(join(calm, 'figures', 'comparison-entropy-01-fc1.svg'), 'utf8')).includes('Validation accuracy'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('rendering', () => {
  it('text renders in the PNG (fonts are found)', async () => {
    const svg = await renderSvg({ width: 200, height: 60, title: 'Text renders', data: { values: [{ t: 'Hello' }] }, mark: { type: 'text', fontSize: 30 }, encoding: { text: { field: 't' } } });
    const png = svgToPng(svg, 1);
    const img = new Resvg(svg).render();
    assert.ok(img.width > 0);
    const pixels = new Resvg(svg, { font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans' } }).render().pixels;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128 && pixels[i + 3] > 128) dark++;
    assert.ok(dark > 200, `dark text pixels: ${dark}`);
    assert.ok(png.length > 500);
  });
  it('indexed PNG encoder writes a decodable image', () => {
    const png = indexedPng(2, 2, Uint8Array.of(0, 1, 1, 0), [
      [255, 0, 0],
      [0, 0, 255],
    ]);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><image width="2" height="2" href="data:image/png;base64,${encodeBase64(png)}"/></svg>`;
    assert.equal(encodeBase64(png), Buffer.from(png).toString('base64'), 'our base64 is the standard one');
    for (const n of [0, 1, 2, 3, 4, 5]) assert.equal(encodeBase64(Uint8Array.from({ length: n }, (_, i) => 250 - i)), Buffer.from(Uint8Array.from({ length: n }, (_, i) => 250 - i)).toString('base64'));
    const px = new Resvg(svg, { imageRendering: 1 }).render().pixels;
    assert.deepEqual([...px.subarray(0, 4)], [255, 0, 0, 255]);
    assert.deepEqual([...px.subarray(4, 8)], [0, 0, 255, 255]);
  });
});
