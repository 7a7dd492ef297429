/**
 * `npm run bench`: all-pairs timings on this machine, as a table.
 *   npm run bench                 the settings (768 x 10,000 and 3,072 x 2,500; KSG, binned,
 *                                 entropies; 1 and 2 threads). Takes tens of minutes.
 *   npm run bench -- --quick      a reduced run (N = 256) for a quick check.
 * The reference estimator costs ~56 ms per pair here (a neighbour-search library call per pair).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const REFERENCE_MS_PER_PAIR = 56;
const script = fileURLToPath(new URL('./all-pairs.js', import.meta.url));

interface Row {
  mi: string;
  neurons: number;
  samples: number;
  threads: number;
  relu: boolean;
  seconds: number;
  prepareSeconds: number;
  pairs: number;
  pairsPerSecond: number | null;
  nsPerVisit: number;
  peakRssMiB: number;
}

const configs: { mi: string; neurons: number; samples: number; threads: number; relu?: boolean }[] = [];
const big = quick ? [{ neurons: 256, samples: 10000 }, { neurons: 512, samples: 2500 }] : [{ neurons: 768, samples: 10000 }, { neurons: 3072, samples: 2500 }];
for (const { neurons, samples } of big) {
  for (const threads of [1, 2]) configs.push({ mi: 'entropy', neurons, samples, threads });
  for (const threads of [1, 2]) configs.push({ mi: 'binned', neurons, samples, threads });
  for (const threads of [1, 2]) configs.push({ mi: 'ksg', neurons, samples, threads });
}
configs.push({ mi: 'ksg', neurons: quick ? 256 : 768, samples: 10000, threads: 2, relu: true });

const rows: Row[] = [];
for (const c of configs) {
  const args = [script, '--mi', c.mi, '--neurons', String(c.neurons), '--samples', String(c.samples), '--threads', String(c.threads)];
  if (c.relu) args.push('--relu');
  process.stderr.write(`running ${c.mi} N=${c.neurons} S=${c.samples} threads=${c.threads}${c.relu ? ' relu' : ''} ...\n`);
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  rows.push(JSON.parse(out.trim().split('\n').pop()!) as Row);
}

const header = ['what', 'N', 'S', 'threads', 'wall s', 'pairs/s', 'ns/visit x thr', 'vs reference', 'peak MiB'];
const table = rows.map((r) => [
  r.mi + (r.relu ? ' (ReLU ties)' : ''),
  String(r.neurons),
  String(r.samples),
  String(r.threads),
  r.seconds.toFixed(2),
  r.pairsPerSecond === null ? '-' : Math.round(r.pairsPerSecond).toLocaleString('en-US'),
  r.nsPerVisit.toFixed(1),
  r.mi === 'ksg' ? `${((r.pairs * REFERENCE_MS_PER_PAIR) / 1000 / r.seconds).toFixed(0)}x` : '-',
  r.peakRssMiB.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (row: string[]): string => '| ' + row.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(fmt(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(fmt(row));
console.log(`\nwall s: KSG and binned = per-neuron preparation + all N(N+1)/2 pairs; entropy = all N binned entropies (B = 100, global bins).`);
console.log(`ns/visit x thr: wall x threads / (pairs x S), the cost per joint-sample visit (entropy: per value).`);
console.log(`vs reference: ${REFERENCE_MS_PER_PAIR} ms/pair x pairs / wall (the reference estimator, single thread).`);
