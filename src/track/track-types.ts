/**
 * The series `infomem track` builds (track.json): its types, below the feature (track.ts) and its
 * report (report/track-report.ts), which both read them.
 */
import type { ComparedInterval } from '../compare/comparison.js';
import type { Difference } from '../compare/decide.js';
import type { Mismatch } from '../compare/comparability.js';
import type { MemorizationMap } from '../compare/memorization-map.js';

export const TRACK_SCHEMA = 'infomem/track';
export const TRACK_VERSION = 1;

/** One checkpoint of the series. */
export interface TrackPoint {
  label: string;
  x: number;
  /** Its results.json, or the activation file analysed. */
  path: string;
  /** Accuracy at this checkpoint, when given (`--accuracy`). */
  accuracy: number | null;
  meanEntropy: number;
  medianEntropy: number;
  meanMI: number | null;
  medianMI: number | null;
  /** 95% intervals of the overall means (null where the analysis has none). */
  intervals: { meanEntropy: ComparedInterval | null; meanMI: ComparedInterval | null };
  /** Per layer: its mean and median entropy, and the mean MI of its own pairs. */
  layers: { name: string; neurons: number; meanEntropy: number; medianEntropy: number; meanMI: number | null }[];
}

/** `track.json`. */
export interface Track {
  schema: typeof TRACK_SCHEMA;
  version: typeof TRACK_VERSION;
  createdAt: string;
  units: 'nats' | 'bits';
  /** What x is (`--x-title`; default 'epoch' when x values are given, else 'checkpoint'). */
  xTitle: string;
  /** The estimators, as the first checkpoint's results describe them. */
  estimators: { entropy: string; mi: string; bins: number; binning: string; preset: string };
  points: TrackPoint[];
  map: MemorizationMap;
  /** What differs between checkpoints where it should not (refused unless --allow-mixed). */
  mismatches: Mismatch[];
  /** The keys of `mismatches` (settings, samples, layers, ...), for older readers. */
  mixedSettings: string[];
  /** Whether differences were taken on paired replicates. */
  paired: boolean;
  /** Each checkpoint against the one before: the change of each mean, decided at 95%. */
  steps: { from: string; to: string; meanEntropy: Difference | null; meanMI: Difference | null }[];
}
