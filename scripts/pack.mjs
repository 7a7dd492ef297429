#!/usr/bin/env node
/**
 * `npm run pack [-- --out DIR]`: the package as users get it, as a tarball in DIR (default the
 * repository root). It is packed from a staging folder whose package.json is the repository's
 * without what only a clone needs: no `scripts` (the repository's `prepare` builds dist/ on
 * `npm ci`; in a published manifest npm would list it among the install scripts a consumer must
 * approve), no devDependencies, allowScripts or overrides (they mean something only to the root
 * project). Prints the tarball's path.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const argv = process.argv.slice(2);
const out = resolve(argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : repo);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/web/index.html']) {
  if (!existsSync(join(repo, f))) {
    console.error(`pack: ${f} is missing: run npm run build first`);
    process.exit(2);
  }
}
const stage = mkdtempSync(join(tmpdir(), 'infomem-pack-'));
try {
  const published = { ...pkg };
  for (const k of ['scripts', 'devDependencies', 'allowScripts', 'overrides']) delete published[k];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(published, null, 2) + '\n');
  for (const f of [...pkg.files, 'README.md', 'LICENSE']) {
    if (existsSync(join(repo, f))) cpSync(join(repo, f), join(stage, f), { recursive: true });
  }
  const name = execFileSync(npm, ['pack', '--silent', '--ignore-scripts', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  console.log(join(out, name));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
