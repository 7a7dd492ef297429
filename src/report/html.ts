/** HTML of the reports, without I/O (it runs in the browser app too): escaping, numbers, tables, figure blocks, the page. */
import { inlineSvg, type VlSpec } from './vega-render.js';
import { FONT } from './theme.js';

/** HTML-escapes text. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number for a table: 4 significant digits, exponent form for very large or small values, '–' for none. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace('e', '×10^').replace(/\^\+?(-?\d+)$/, (_m, e: string) => `<sup>${e}</sup>`);
  return String(Number(v.toPrecision(digits)));
}

/** A fraction as a percentage. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(digits)}%`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

/** A file-name-safe slug of a layer name, unique through its index: "01-fc1". */
export function slug(name: string, index: number): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `${String(index + 1).padStart(2, '0')}${s ? '-' + s : ''}`;
}

/** A table: `head` cells are text (escaped), `rows` cells are HTML. */
export function table(head: string[], rows: string[][], cls = ''): string {
  // a wide table scrolls in its own box: the page never grows past the window
  return `<div class="table-wrap"><table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

export interface FigureDef {
  /** File name stem: figures/<name>.svg and .png. */
  name: string;
  /** Short description for screen readers and the caption. */
  alt: string;
  caption: string;
  spec: VlSpec;
}

export interface RenderedFigure extends FigureDef {
  svg: string;
  number: number;
}

/** A figure block: the inline SVG, its number, caption and links to the files. */
export function figureHtml(f: RenderedFigure): string {
  return `<figure id="fig-${esc(f.name)}">
<div class="svg-wrap">${inlineSvg(f.svg, `fig-${f.name}`, f.alt)}</div>
<figcaption><b>Figure ${f.number}.</b> ${f.caption} <span class="files"><a href="figures/${esc(f.name)}.svg">SVG</a> · <a href="figures/${esc(f.name)}.png">PNG</a></span></figcaption>
</figure>`;
}

/** The page: self-contained, inline CSS, no scripts, nothing loaded from the network. */
export function page(title: string, subtitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomem">
<title>${esc(title)}</title>
<style>
:root { --ink: #1d1d1f; --muted: #5b5b60; --line: #dcdce0; --soft: #f5f6f8; --accent: #0072B2; --warn-bg: #fff4e5; --warn: #b34700; }
* { box-sizing: border-box; }
body { margin: 0; font-family: ${FONT}; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.5; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 14px; margin-bottom: 22px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 38px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
.sub { color: var(--muted); margin: 0; }
p { max-width: 920px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 16px 0 8px; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .k { color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .v { font-size: 22px; font-weight: bold; font-variant-numeric: tabular-nums; }
.card .n { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; margin: 10px 0 6px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th { background: var(--soft); font-weight: bold; border-bottom: 2px solid #b8b8be; white-space: nowrap; }
td:first-child, th:first-child { text-align: left; }
td:first-child { white-space: nowrap; }
table.kv td:first-child { font-weight: bold; white-space: nowrap; }
table.kv td { text-align: left; }
table.files td { text-align: left; }
td code, p code { font-size: 12.5px; background: var(--soft); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
tr.overall td { font-weight: bold; border-top: 2px solid #b8b8be; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 10px 24px; }
figure { margin: 12px 0 18px; }
.svg-wrap { overflow-x: auto; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.figure-svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: var(--muted); max-width: 880px; margin-top: 4px; }
figcaption .files { white-space: nowrap; }
a { color: var(--accent); }
.note { background: var(--soft); border-left: 4px solid var(--accent); padding: 8px 14px; margin: 12px 0; max-width: 900px; font-size: 14px; }
.warning { background: var(--warn-bg); border: 2px solid var(--warn); border-left-width: 8px; color: #4a2000; padding: 12px 16px; margin: 16px 0; border-radius: 4px; max-width: 960px; }
.warning strong { color: var(--warn); font-size: 16px; }
.best { font-weight: bold; color: #006b4f; }
footer { margin-top: 48px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { main { padding: 0; } h2 { break-after: avoid; } figure { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<header><h1>${esc(title)}</h1><p class="sub">${subtitle}</p></header>
${body}
</main>
</body>
</html>
`;
}
