/**
 * Files shipped in the package's `data/` folder (the UCI sentences, the pretrained encoder),
 * found from this module's location whether it runs from `dist/` (the package) or `build/src/`
 * (the repository's test build): the nearest folder above it holding infomem's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = nodePath.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = nodePath.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'infomem') return (root = dir);
      } catch {
        // not ours; keep looking
      }
    }
    const up = nodePath.dirname(dir);
    if (up === dir) throw new Error(`cannot find infomem's package folder above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The path of `data/<rel>` in the installed package. */
export function packageDataPath(...rel: string[]): string {
  return nodePath.join(packageRoot(), 'data', ...rel);
}

/** The path of `<rel>` under the installed package's root (e.g. `dist/web`, the browser app). */
export function packagePath(...rel: string[]): string {
  return nodePath.join(packageRoot(), ...rel);
}
