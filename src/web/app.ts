/**
 * The web app's page: drop or pick activation files, choose the settings (the fields are derived
 * from the analysis settings' declarations, analysis/setting-options.ts, as the CLI's flags
 * are), analyse them in the analysis worker with progress and cancel, show the summary, the
 * report's figures and downloads; compare two or more analyses. Nothing is sent anywhere.
 */
import { settingOption, type SettingOption } from '../analysis/setting-options.js';
import type { Results } from '../analysis/results.js';
import type { Comparison } from '../compare/comparison.js';
import { quadrantName } from '../compare/memorization-map.js';
import { encodeNpy } from '../io/npy.js';
import type { RenderedSvg, WorkerReply, WorkerRequest } from './protocol.js';

/** The settings the page offers, in order; each field comes from its declaration. */
const FIELDS = ['preset', 'mi', 'bins', 'binning', 'k'] as const;

interface Run {
  id: number;
  label: string;
  results: Results;
  entropy: Float64Array;
  mi: Float64Array | null;
  figures: RenderedSvg[];
  seconds: number;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const worker = new Worker(new URL('./analysis-worker.js', import.meta.url), { type: 'module' });
let nextId = 1;
let current: number | null = null;
let picked: File[] = [];
const runs: Run[] = [];
/** Each analysis' label: the names of the files it read. */
const labels = new Map<number, string>();

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

// ---- settings form, derived from the declarations ----
function buildSettingsForm(): void {
  const form = $('settings');
  for (const key of FIELDS) {
    const o: SettingOption = settingOption(key);
    const label = document.createElement('label');
    label.title = o.help;
    label.innerHTML = `<span>${esc(key)}</span>`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (o.choices) {
      const sel = document.createElement('select');
      sel.append(new Option('(preset)', ''));
      for (const c of o.choices()) {
        const opt = new Option(c.name, c.name);
        if (c.help) opt.title = c.help;
        sel.append(opt);
      }
      input = sel;
    } else {
      const inp = document.createElement('input');
      inp.type = 'number';
      inp.placeholder = '(preset)';
      input = inp;
    }
    input.id = `setting-${key}`;
    input.name = key;
    label.append(input);
    const help = document.createElement('small');
    help.textContent = o.help;
    label.append(help);
    form.append(label);
  }
  const layers = document.createElement('label');
  layers.innerHTML = '<span>layers</span><input id="setting-layers" placeholder="all (or a,b,...)"><small>analyse only these layers, in this order</small>';
  form.append(layers);
  const threads = document.createElement('label');
  threads.innerHTML = `<span>threads</span><input id="setting-threads" type="number" min="1" max="${navigator.hardwareConcurrency || 1}" placeholder="${crossOriginIsolated ? navigator.hardwareConcurrency || 1 : 1}"><small>${crossOriginIsolated ? `Web Workers (this browser offers ${navigator.hardwareConcurrency || 1} cores)` : 'one thread: this page is not cross-origin isolated (serve it with infomem web for all cores)'}</small>`;
  form.append(threads);
}

/** The settings given, parsed and checked by their declarations (as the CLI's flags are). */
function readSettings(): { settings: Record<string, unknown>; layers: string[] } {
  const settings: Record<string, unknown> = {};
  for (const key of FIELDS) {
    const el = $<HTMLInputElement>(`setting-${key}`);
    const text = el.value.trim();
    if (text === '') continue;
    const o = settingOption(key);
    const value = o.parse(text);
    const why = o.check(value);
    if (why) throw new RangeError(why);
    settings[key] = value;
  }
  const t = $<HTMLInputElement>('setting-threads').value.trim();
  if (t !== '') {
    const o = settingOption('threads');
    const v = Number(t);
    const why = o.check(v);
    if (why) throw new RangeError(why);
    settings.threads = v;
  }
  const layers = $<HTMLInputElement>('setting-layers').value.split(',').map((s) => s.trim()).filter(Boolean);
  return { settings, layers };
}

// ---- files ----
function setFiles(files: File[]): void {
  picked = files;
  $('file-list').textContent = files.length ? files.map((f) => `${f.name} (${(f.size / 1024).toFixed(1)} KiB)`).join(', ') : 'no files chosen';
  $<HTMLButtonElement>('analyse').disabled = files.length === 0;
}

function showError(message: string): void {
  const el = $('error');
  el.textContent = message.replace(/--([a-z][\w-]*)/g, '$1'); // the declarations speak of flags; here they are fields
  el.hidden = message === '';
}

function setBusy(busy: boolean): void {
  $<HTMLButtonElement>('analyse').disabled = busy || picked.length === 0;
  $<HTMLButtonElement>('cancel').hidden = !busy;
  $('progress-box').hidden = !busy;
}

async function analyse(): Promise<void> {
  showError('');
  let s;
  try {
    s = readSettings();
  } catch (e) {
    showError((e as Error).message);
    return;
  }
  const id = nextId++;
  current = id;
  setBusy(true);
  $('progress-text').textContent = 'reading files';
  const files = await Promise.all(picked.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
  const req: WorkerRequest = { type: 'analyze', id, files, settings: s.settings, layers: s.layers };
  worker.postMessage(req, files.map((f) => f.bytes));
  labels.set(id, picked.map((f) => f.name).join(' + '));
}

worker.onmessage = (e: MessageEvent<WorkerReply>) => {
  const m = e.data;
  if (m.type === 'progress') {
    if (m.id !== current) return;
    const frac = m.total > 0 ? m.done / m.total : 0;
    $<HTMLProgressElement>('progress').value = frac;
    $('progress-text').textContent = `${m.phase} ${(100 * frac).toFixed(0)}% · ${m.elapsed.toFixed(1)} s`;
    return;
  }
  if (m.type === 'error') {
    if (m.id === current) {
      setBusy(false);
      current = null;
    }
    showError(m.cancelled ? 'Cancelled.' : m.message);
    return;
  }
  if (m.type === 'result') {
    setBusy(false);
    current = null;
    const run: Run = { id: m.id, label: uniqueLabel(labels.get(m.id) ?? `run ${m.id}`), results: m.results, entropy: m.entropy, mi: m.mi, figures: m.figures, seconds: m.seconds };
    runs.push(run);
    showRun(run);
    updateRunList();
    return;
  }
  if (m.type === 'comparison') showComparison(m.comparison, m.figures);
};

// ---- downloads ----
/** The object URLs of the downloads on show, by section, revoked when the section is redrawn. */
const urls: Record<'result' | 'comparison', string[]> = { result: [], comparison: [] };
let section: 'result' | 'comparison' = 'result';
function redraw(which: 'result' | 'comparison'): void {
  for (const u of urls[which]) URL.revokeObjectURL(u);
  urls[which] = [];
  section = which;
}
function download(name: string, data: BlobPart, type: string): string {
  const url = URL.createObjectURL(new Blob([data], { type }));
  urls[section].push(url);
  return `<a download="${esc(name)}" href="${url}" data-download="${esc(name)}">${esc(name)}</a>`;
}

function figureBlock(f: RenderedSvg, n: number): string {
  return `<figure data-figure="${esc(f.name)}"><div class="svg-wrap">${f.svg}</div><figcaption><b>Figure ${n}.</b> ${f.caption} ${download(`${f.name}.svg`, f.svg, 'image/svg+xml')}</figcaption></figure>`;
}

function showRun(run: Run): void {
  redraw('result');
  const r = run.results;
  const o = r.overall;
  const iv = r.intervals;
  const ci = (x: { low: number; high: number } | null | undefined): string => (x ? `${fmt(x.low)} – ${fmt(x.high)}` : '–');
  const rows = r.layers
    .map((l, i) => `<tr><td>${esc(l.name)}</td><td>${l.neurons}</td><td>${l.constantNeurons}</td><td data-layer-entropy="${esc(l.name)}">${fmt(l.entropy.mean)}</td><td class="sub">${ci(iv?.layers[i]?.meanEntropy)}</td><td>${fmt(l.entropy.median)}</td><td data-layer-mi="${esc(l.name)}">${fmt(l.mi?.mean)}</td><td class="sub">${ci(iv?.layers[i]?.meanMI)}</td><td>${fmt(l.mi?.median)}</td></tr>`)
    .join('');
  const N = r.neurons;
  const resultsJson = JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  const downloads = [download('results.json', resultsJson, 'application/json'), download('entropy.npy', encodeNpy(run.entropy, [N]) as Uint8Array<ArrayBuffer>, 'application/octet-stream'), ...(run.mi ? [download('mi.npy', encodeNpy(run.mi, [N, N]) as Uint8Array<ArrayBuffer>, 'application/octet-stream')] : [])].join(' · ');
  $('result').innerHTML = `
<h2>${esc(run.label)}</h2>
<div class="cards">
  <div class="card"><div class="k">Examples (S)</div><div class="v" id="samples">${r.samples}</div></div>
  <div class="card"><div class="k">Neurons (N)</div><div class="v" id="neurons">${N}</div><div class="n">${r.layers.length} layers; ${r.constantNeurons} constant</div></div>
  <div class="card"><div class="k">Mean entropy</div><div class="v" id="mean-entropy" data-value="${o.meanEntropy}">${fmt(o.meanEntropy)}</div><div class="n">${r.units}</div></div>
  <div class="card"><div class="k">Mean MI</div><div class="v" id="mean-mi" data-value="${o.meanMI ?? ''}">${fmt(o.meanMI)}</div><div class="n">${esc(r.settings.mi)}</div></div>
  <div class="card"><div class="k">Time</div><div class="v" id="seconds">${run.seconds.toFixed(2)} s</div><div class="n">in this browser</div></div>
</div>
<table><thead><tr><th>Layer</th><th>Neurons</th><th>Constant</th><th>Mean H</th><th>95% interval</th><th>Median H</th><th>Mean MI</th><th>95% interval</th><th>Median MI</th></tr></thead><tbody>${rows}
<tr class="overall"><td>all layers</td><td>${N}</td><td>${r.constantNeurons}</td><td>${fmt(o.meanEntropy)}</td><td class="sub" id="mean-entropy-interval">${ci(iv?.overall.meanEntropy)}</td><td>${fmt(o.medianEntropy)}</td><td>${fmt(o.meanMI)}</td><td class="sub" id="mean-mi-interval">${ci(iv?.overall.meanMI)}</td><td>${fmt(o.mi?.median)}</td></tr></tbody></table>
<p class="downloads">Download: ${downloads}</p>
<p class="sub">Settings: preset ${esc(r.settings.preset)}, ${r.settings.bins} ${esc(r.settings.binning)} bins, MI ${esc(r.settings.mi)}${r.settings.mi === 'ksg' ? `, k = ${r.settings.k}` : ''}. ${r.warnings.map((w) => esc(w.message)).join(' ')}</p>
${run.figures.map((f, i) => figureBlock(f, i + 1)).join('\n')}`;
  $('result').dataset.ready = String(run.id);
}

/** A label no other analysis has: two files named acts.npz (one per model folder) get acts.npz and acts.npz (2). */
function uniqueLabel(base: string): string {
  const taken = new Set(runs.map((r) => r.label));
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base} (${k})`)) return `${base} (${k})`;
}

function updateRunList(): void {
  const list = $('runs');
  list.innerHTML = runs
    .map((r, i) => `<li><input type="checkbox" data-run="${i}" checked aria-label="compare this analysis"> <input class="label" data-label="${i}" value="${esc(r.label)}" size="24" aria-label="label"> <input class="acc" data-acc="${i}" placeholder="accuracy (optional)" size="14"> <button data-show="${i}">show</button></li>`)
    .join('');
  for (const b of list.querySelectorAll<HTMLButtonElement>('button[data-show]')) b.onclick = () => showRun(runs[Number(b.dataset.show)]);
  for (const input of list.querySelectorAll<HTMLInputElement>('input[data-label]'))
    input.onchange = () => {
      const i = Number(input.dataset.label);
      const text = input.value.trim();
      runs[i].label = text === '' || runs.some((r, j) => j !== i && r.label === text) ? runs[i].label : text;
      input.value = runs[i].label;
    };
  $('compare-box').hidden = runs.length < 2;
}

function compare(): void {
  showError('');
  const chosen = [...document.querySelectorAll<HTMLInputElement>('input[data-run]')].filter((c) => c.checked).map((c) => Number(c.dataset.run));
  if (chosen.length < 2) {
    showError('Choose at least two analyses to compare.');
    return;
  }
  const accText = chosen.map((i) => document.querySelector<HTMLInputElement>(`input[data-acc="${i}"]`)!.value.trim());
  const anyAcc = accText.some((t) => t !== '');
  if (anyAcc && accText.some((t) => !(t !== '' && Number.isFinite(Number(t))))) {
    showError('Give an accuracy for every chosen analysis, or for none.');
    return;
  }
  const req: WorkerRequest = {
    type: 'compare',
    id: nextId++,
    setting: $<HTMLSelectElement>('compare-setting').value as 'auto',
    allowMixed: $<HTMLInputElement>('allow-mixed').checked,
    models: chosen.map((i, k) => ({ label: runs[i].label, results: runs[i].results, accuracy: anyAcc ? Number(accText[k]) : null, mi: runs[i].mi })),
  };
  worker.postMessage(req);
}

function showComparison(c: Comparison, figures: RenderedSvg[]): void {
  redraw('comparison');
  const ci = (x: { low: number; high: number } | null): string => (x ? ` <span class="sub">[${fmt(x.low)}, ${fmt(x.high)}]</span>` : '');
  // by position: the map's models are in the comparison's order
  const rows = c.models
    .map((m, i) => `<tr><td>${esc(m.label)}</td><td>${fmt(m.accuracy)}</td><td>${fmt(m.meanEntropy)}${ci(m.intervals.meanEntropy)}</td><td>${fmt(m.meanMI)}${ci(m.intervals.meanMI)}</td><td>${m.rankByEntropy}</td><td>${m.rankByMI ?? '–'}</td><td>${m.rankByAccuracy ?? '–'}</td><td data-quadrant="${i}">${esc(quadrantName(c.map.models[i].quadrant))}</td></tr>`)
    .join('');
  const mixed = c.mismatches.length ? `<div class="warning" role="alert" id="mismatches"><b>Compared anyway: these analyses differ where a comparison needs them equal.</b> ${c.mismatches.map((m) => esc(m.message)).join('; ')}.</div>` : '';
  const word = (d: { direction: string } | null): string => (d === null ? '–' : d.direction === 'same' ? 'indistinguishable' : d.direction);
  const diffs = c.differences.some((d) => d.meanEntropy || d.meanMI) ? `<p class="sub">At 95% (${c.paired ? 'paired' : 'unpaired'}): ${c.differences.map((d) => `${esc(d.a)} → ${esc(d.b)}: mean H ${word(d.meanEntropy)}, mean MI ${word(d.meanMI)}`).join('; ')}.</p>` : '';
  const json = JSON.stringify(c, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  $('comparison').innerHTML = `
<h2>Comparison</h2>
${mixed}
<div class="note">Setting: <b>${esc(c.setting)}</b> (${esc(c.settingSource)}). ${esc(c.map.message)}</div>
<table><thead><tr><th>Analysis</th><th>Accuracy</th><th>Mean H</th><th>Mean MI</th><th>Rank H</th><th>Rank MI</th><th>Rank accuracy</th><th>Map</th></tr></thead><tbody>${rows}</tbody></table>
<p>Kendall τ-b with accuracy: mean entropy ${fmt(c.kendall.meanEntropy, 2)}, mean MI ${fmt(c.kendall.meanMI, 2)}.${c.binningDisagreement.disagree ? ` <b>${esc(c.binningDisagreement.message ?? '')}</b>` : ''}</p>
${diffs}
<p class="downloads">Download: ${download('comparison.json', json, 'application/json')}</p>
${figures.map((f, i) => figureBlock(f, i + 1)).join('\n')}`;
}

// ---- wiring ----
buildSettingsForm();
$('settings').addEventListener('submit', (e) => e.preventDefault());
setFiles([]);
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  setFiles([...(e.dataTransfer?.files ?? [])]);
});
$<HTMLInputElement>('files').addEventListener('change', (e) => setFiles([...((e.target as HTMLInputElement).files ?? [])]));
$('analyse').addEventListener('click', () => void analyse());
$('cancel').addEventListener('click', () => {
  if (current !== null) worker.postMessage({ type: 'cancel', id: current } satisfies WorkerRequest);
});
$('compare').addEventListener('click', compare);
$('isolation').textContent = crossOriginIsolated ? `all ${navigator.hardwareConcurrency || 1} cores` : 'one core (not cross-origin isolated)';
