#!/usr/bin/env node
/**
 * `npm run build:web`: the browser app (src/web/) bundled by esbuild into dist/web/, a folder
 * deployable as static files: index.html, app.js, analysis-worker.js, engine-worker.js. The same
 * library modules as the CLI (no second implementation of any estimator); the few Node-only
 * modules on the analysis path are replaced by browser ones: the engine's worker pool (Web
 * Workers instead of worker_threads), node:os and node:zlib (shims over navigator and fflate),
 * the version (read from package.json here, at build time).
 *   node scripts/build-web.mjs [--out DIR] [--no-minify]
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = resolve(outArg >= 0 ? args[outArg + 1] : join(root, 'dist', 'web'));
const minify = !args.includes('--no-minify');
const web = join(root, 'src', 'web');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/** Node-only modules of the analysis path, and what the browser build uses instead. */
const browserModules = {
  name: 'infomem-browser-modules',
  setup(b) {
    b.onResolve({ filter: /(^|\/)engine\/pool\.js$/ }, () => ({ path: join(web, 'web-pool.ts') }));
    b.onResolve({ filter: /^node:os$/ }, () => ({ path: join(web, 'shims', 'os.ts') }));
    b.onResolve({ filter: /^node:zlib$/ }, () => ({ path: join(web, 'shims', 'zlib.ts') }));
    b.onResolve({ filter: /^node:/ }, (a) => ({ errors: [{ text: `${a.path} (imported by ${a.importer}) has no browser replacement: keep Node-only modules off the web app's import graph` }] }));
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(version)};`, loader: 'ts' }));
  },
};

// build into a sibling staging folder, then swap it into place (never a half-written app)
const staging = `${out}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const t0 = Date.now();
const result = await build({
  entryPoints: { app: join(web, 'app.ts'), 'analysis-worker': join(web, 'analysis-worker.ts'), 'engine-worker': join(web, 'engine-worker.ts') },
  outdir: staging,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify,
  sourcemap: false,
  legalComments: 'linked',
  inject: [join(web, 'shims', 'process.ts')],
  define: { 'process.env.INFOMEM_MAX_MEMORY': 'undefined' },
  plugins: [browserModules],
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(web, 'index.html'), join(staging, 'index.html'));
copyFileSync(join(web, 'style.css'), join(staging, 'style.css'));
if (existsSync(out)) rmSync(out, { recursive: true, force: true });
mkdirSync(dirname(out), { recursive: true });
renameSync(staging, out);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stdout.write(`web app: ${out} (${(bytes / 1024).toFixed(0)} KiB of scripts, ${Date.now() - t0} ms)\n`);
