/**
 * `infomem layers <model>`: every candidate layer (ONNX: every node output with its op type,
 * element type and shape as onnxruntime infers them; TF.js: every layer), marking the `auto` ones.
 */
import { openModel, type LayerCandidate, type ModelSource } from './model.js';
import type { ModelKind } from './kind.js';

export interface LayerListing {
  model: string;
  kind: ModelKind;
  layers: (LayerCandidate & { auto: boolean })[];
  /** What `auto` recognised. */
  auto: string;
}

export async function listLayers(source: ModelSource): Promise<LayerListing> {
  const m = await openModel(source);
  try {
    const pick = m.auto();
    const autoSet = new Set(pick.layers);
    const layers = (await m.list()).map((l) => ({ ...l, auto: autoSet.has(l.name) }));
    return { model: m.display, kind: m.kind, layers, auto: pick.description };
  } finally {
    m.close();
  }
}

/** The listing as an aligned text table. */
export function formatLayerTable(l: LayerListing): string {
  const rows = [['layer', 'op', 'dtype', 'shape', 'auto']];
  for (const x of l.layers) rows.push([x.name, x.op, x.dtype, x.shape.join(' x '), x.auto ? '*' : '']);
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(w[c])).join('  ').trimEnd();
  return [`${l.model} (${l.kind}): ${l.layers.length} candidate layers; auto (*): ${l.auto}`, '', line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line), ''].join('\n');
}
