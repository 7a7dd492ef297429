/** The reports' figures as files: figures/<name>.svg and figures/<name>.png. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError } from '../engine/progress.js';
import type { FigureDef, RenderedFigure } from './html.js';
import { renderSvg, svgToPng } from './render.js';

/** Renders each figure to SVG (written as figures/<name>.svg) and PNG (figures/<name>.png). */
export async function renderFigures(dir: string, defs: FigureDef[], firstNumber = 1, signal?: AbortSignal): Promise<RenderedFigure[]> {
  const figDir = join(dir, 'figures');
  await mkdir(figDir, { recursive: true });
  const out: RenderedFigure[] = [];
  for (const [i, def] of defs.entries()) {
    if (signal?.aborted) throw new AbortError();
    const svg = await renderSvg(def.spec);
    await writeFile(join(figDir, `${def.name}.svg`), svg);
    await writeFile(join(figDir, `${def.name}.png`), svgToPng(svg));
    out.push({ ...def, svg, number: firstNumber + i });
  }
  return out;
}

