/**
 * Seeds of the reproduction: every random choice draws from an {@link Rng} whose seed is derived
 * from the run seed and a fixed tag, so each stream (data split, label noise, colours, weight
 * initialisation, batch order of epoch e, ...) is reproducible on its own and independent of the
 * others, and a resumed run draws exactly what an uninterrupted one would.
 */
import { Rng } from '../core/random/rng.js';

/** Named random streams. */
export const Stream = {
  split: 1,
  labelNoise: 2,
  colour: 3,
  valColour: 4,
  labelRedraw: 5,
  init: 6,
  batches: 7,
  circles: 8,
  spurious: 9,
  measureSet: 10,
  circlesSplit: 11,
  shuffleLabels: 12,
} as const;

/** A 32-bit seed from a run seed and tags (splitmix32-style mixing of each part). */
export function deriveSeed(seed: number, ...tags: number[]): number {
  let h = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296) ^ 0x3c6ef372) >>> 0;
  for (const t of [...tags, tags.length]) {
    h = (h + 0x9e3779b9 + (Math.trunc(t) >>> 0)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** An Rng for the stream `tags` of run `seed`. */
export function streamRng(seed: number, ...tags: number[]): Rng {
  return new Rng(deriveSeed(seed, ...tags));
}
