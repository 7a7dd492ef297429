import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under the repository's test/fixtures (tests run from build/test/). */
export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${rel}`, import.meta.url));
}

export function readFixtureJson<T>(rel: string): T {
  return JSON.parse(readFileSync(fixturePath(rel), 'utf8')) as T;
}

/** Repository root (tests run from build/test/helpers). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
