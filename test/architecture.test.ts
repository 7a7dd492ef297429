/**
 * The architecture rule (docs/architecture.md), enforced on the import graph of src/: every
 * import, type-only and dynamic ones included, goes to a module of the same layer or a lower
 * one; no module imports itself through others (no circles); the numeric core imports nothing
 * outside itself and nothing of Node.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers/fixtures.js';

/** The layers, lowest first: a module's layer is the first whose pattern matches its path (src/...). */
export const LAYERS: { name: string; paths: RegExp }[] = [
  { name: 'core: pure numerics', paths: /^core\// },
  { name: 'io, engine, package facts', paths: /^(io|engine)\/|^(version|package-data|optional-package)\.ts$/ },
  { name: 'inputs', paths: /^inputs\// },
  { name: 'analysis, models', paths: /^(analysis|models)\// },
  { name: 'results of the features (types and pure models)', paths: /^compare\/(?!compare-files\.ts)|^track\/track-types\.ts$|^score\/score-types\.ts$/ },
  { name: 'report', paths: /^report\// },
  { name: 'features', paths: /^(analyze|cluster|compare|track|score|reproduce|encoder|serve)\// },
  { name: 'entries: cli, web app, library', paths: /^(cli|web)\/|^(index|tfjs)\.ts$/ },
];

function layerOf(file: string): number {
  const k = LAYERS.findIndex((l) => l.paths.test(file));
  assert.ok(k >= 0, `src/${file} is in no layer of the architecture rule (test/architecture.test.ts, docs/architecture.md)`);
  return k;
}

/** src/ files and their relative imports (static, type-only, re-exports, dynamic). */
function importGraph(): Map<string, { to: string; spec: string }[]> {
  const src = join(repoRoot, 'src');
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(src);
  const graph = new Map<string, { to: string; spec: string }[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps: { to: string; spec: string }[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) {
        deps.push({ to: spec, spec });
        continue;
      }
      deps.push({ to: relative(src, resolve(dirname(f), spec.replace(/\.js$/, '.ts'))), spec });
    }
    graph.set(relative(src, f), deps);
  }
  return graph;
}

describe('architecture', () => {
  const graph = importGraph();

  it('every import goes to the same layer or a lower one', () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      const from = layerOf(file);
      for (const d of deps) {
        if (!graph.has(d.to)) continue; // a package or node: module
        const to = layerOf(d.to);
        if (to > from) bad.push(`src/${file} (${LAYERS[from].name}) imports src/${d.to} (${LAYERS[to].name})`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('no import circles, type-only ones included', () => {
    const state = new Map<string, number>(); // 1 on the path, 2 done
    const circles: string[] = [];
    const path: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      path.push(f);
      for (const d of graph.get(f) ?? []) {
        if (!graph.has(d.to)) continue;
        if (state.get(d.to) === 1) circles.push([...path.slice(path.indexOf(d.to)), d.to].join(' -> '));
        else if (!state.has(d.to)) visit(d.to);
      }
      path.pop();
      state.set(f, 2);
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    assert.deepEqual(circles, []);
  });

  it('the numeric core imports only itself: no Node module, no I/O', () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith('core/')) continue;
      for (const d of deps) if (!d.to.startsWith('core/')) bad.push(`src/${file} imports ${d.spec}`);
    }
    assert.deepEqual(bad, []);
  });

  it('no feature module loose at the root of src/', () => {
    const loose = [...graph.keys()].filter((f) => !f.includes('/'));
    assert.deepEqual(loose.sort(), ['index.ts', 'optional-package.ts', 'package-data.ts', 'tfjs.ts', 'version.ts']);
  });
});
