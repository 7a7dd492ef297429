// A TypeScript project that installs only infomem: its types must check with skipLibCheck false
// (no optional package, not even @types/node, in the consumer). .ci/run type-checks this file.
import { activationSetFromLayers, analyzeFiles, buildResults, computeMeasures, type Results } from 'infomem';

const S = 100;
const data = new Float64Array(S * 2).map((_, i) => Math.sin(i));
const set = activationSetFromLayers([{ name: 'fc1', data, samples: S, neurons: 2 }]);
const m = await computeMeasures(set, { preset: 'default', mi: 'gcmi' });
const r: Results = buildResults(m, { version: '0' });
const files = await analyzeFiles(['acts.npz'], { mi: 'binned' });
const n: number = r.overall.meanEntropy + files.results.overall.meanEntropy + m.entropy[0];
export default n;
