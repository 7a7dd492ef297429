/** The messages between the web app's page (app.ts) and its analysis worker (analysis-worker.ts). */
import type { Results } from '../analysis/results.js';
import type { Settings } from '../analysis/settings.js';
import type { Comparison } from '../compare/comparison.js';

export interface RenderedSvg {
  name: string;
  alt: string;
  caption: string;
  svg: string;
}

export type WorkerRequest =
  | { type: 'analyze'; id: number; files: { name: string; bytes: ArrayBuffer }[]; settings: Partial<Settings>; layers?: string[] }
  | { type: 'compare'; id: number; setting: 'heuristic' | 'example-level' | 'auto'; allowMixed: boolean; models: { label: string; results: Results; accuracy: number | null; mi: Float64Array | null }[] }
  | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'progress'; id: number; phase: string; done: number; total: number; elapsed: number }
  | { type: 'result'; id: number; results: Results; entropy: Float64Array; mi: Float64Array | null; figures: RenderedSvg[]; warnings: string[]; seconds: number }
  | { type: 'comparison'; id: number; comparison: Comparison; figures: RenderedSvg[] }
  | { type: 'error'; id: number; message: string; cancelled: boolean };
