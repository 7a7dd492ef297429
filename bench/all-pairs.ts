/**
 * One all-pairs measurement, printed as a JSON line (run by bench/run.ts in a fresh process so
 * that peak memory is this measurement's own).
 *   node build/bench/all-pairs.js --mi ksg|binned|gcmi|entropy --neurons N --samples S --threads T [--relu] [--pairs P]
 * With --pairs P: MI of P pairs drawn at random (`--pairs random:P`), not all pairs.
 */
import { parseArgs } from 'node:util';
import { computeMeasures } from '../src/analysis/compute.js';
import { benchActivations } from './synthetic-activations.js';

const { values } = parseArgs({
  options: {
    mi: { type: 'string', default: 'ksg' },
    neurons: { type: 'string', default: '768' },
    samples: { type: 'string', default: '10000' },
    threads: { type: 'string', default: '2' },
    relu: { type: 'boolean', default: false },
    pairs: { type: 'string' },
  },
});
const N = Number(values.neurons);
const S = Number(values.samples);
const threads = Number(values.threads);
const layers = N % 256 === 0 ? N / 256 : 1;
const set = benchActivations(S, layers, N / layers, 1, values.relu);
const mi = values.mi === 'entropy' ? 'none' : (values.mi as 'ksg' | 'binned' | 'gcmi');
const sampled = values.pairs === undefined ? null : Number(values.pairs);
const m = await computeMeasures(set, { preset: 'paper', mi, threads, baselinePairs: 0, forceWorkers: mi !== 'none', pairs: sampled ?? 'all' });
const pairs = sampled ?? (N * (N + 1)) / 2;
const seconds = mi === 'none' ? m.timings.entropy : m.timings.prepare + m.timings.mi;
process.stdout.write(
  JSON.stringify({
    mi: values.mi,
    neurons: N,
    samples: S,
    threads,
    relu: values.relu,
    seconds,
    prepareSeconds: m.timings.prepare,
    entropySeconds: m.timings.entropy,
    pairs,
    pairsPerSecond: mi === 'none' ? null : pairs / m.timings.mi,
    // wall time x threads per joint-sample visit; the floor visits each of the N^2 S / 2 once
    nsPerVisit: mi === 'none' ? (seconds * 1e9) / (N * S) : (m.timings.mi * threads * 1e9) / (pairs * S),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    meanMI: m.mi ? m.mi.reduce((a, b) => a + b, 0) / (N * N) : m.sample ? m.sample.values.reduce((a, b) => a + b, 0) / m.sample.values.length : null,
  }) + '\n',
);
