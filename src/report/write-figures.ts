/** The reports' figures as files: figures/<name>.svg and figures/<name>.png. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError, type ProgressCallback } from '../engine/progress.js';
import type { FigureDef, RenderedFigure } from './html.js';
import { renderSvg, svgToPng } from './render.js';

export interface RenderFiguresOptions {
  /** The first figure's number in the report (default 1). */
  firstNumber?: number;
  /** Stops between figures (AbortError); a figure takes well under a second. */
  signal?: AbortSignal;
  /** Phase `report`, counting figures, before the first and after each. */
  onProgress?: ProgressCallback;
}

/** Renders each figure to SVG (written as figures/<name>.svg) and PNG (figures/<name>.png). */
export async function renderFigures(dir: string, defs: FigureDef[], opts: RenderFiguresOptions = {}): Promise<RenderedFigure[]> {
  const { signal, onProgress } = opts;
  const firstNumber = opts.firstNumber ?? 1;
  const start = performance.now();
  const tell = (done: number): void => onProgress?.({ phase: 'report', done, total: defs.length, elapsed: (performance.now() - start) / 1000, unit: 'figures' });
  const figDir = join(dir, 'figures');
  await mkdir(figDir, { recursive: true });
  const out: RenderedFigure[] = [];
  tell(0);
  for (const [i, def] of defs.entries()) {
    if (signal?.aborted) throw new AbortError();
    const svg = await renderSvg(def.spec);
    if (signal?.aborted) throw new AbortError();
    await writeFile(join(figDir, `${def.name}.svg`), svg);
    await writeFile(join(figDir, `${def.name}.png`), svgToPng(svg));
    out.push({ ...def, svg, number: firstNumber + i });
    tell(i + 1);
  }
  return out;
}
