import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paperNumbers } from '../src/reproduce/paper-numbers.js';
import { claims, fmtDuration, regulariserClaims, verdictText, type SummaryPoint, type SummarySweep } from '../src/reproduce/summary.js';
import { Rng } from '../src/core/random/rng.js';

/** R replicate draws around `v` with standard deviation `sd` (seeded). */
function drawsAround(v: number, sd: number, seed: number, R = 40): number[] {
  const r = new Rng(seed);
  return Array.from({ length: R }, () => v + sd * r.normal());
}

/**
 * An alpha sweep whose points have the given mean entropies and median MIs (other fields fixed),
 * and replicate draws of standard deviation `noise` around them.
 */
function alphaSweep(meanEntropy: number[], medianMI: number[], valAccuracy = [0.63, 0.62, 0.6, 0.55, 0.5], noise = 0.001): SummarySweep {
  const points: SummaryPoint[] = [0, 0.25, 0.5, 0.75, 1].map((value, i) => ({
    draws: { meanEntropy: drawsAround(meanEntropy[i], noise, 10 + i), meanMI: drawsAround(medianMI[i] * 2, noise, 20 + i), medianMI: drawsAround(medianMI[i], noise / 10, 30 + i) },
    value,
    valAccuracy: valAccuracy[i],
    conflictAccuracy: null,
    meanEntropy: meanEntropy[i],
    meanMI: medianMI[i] * 2,
    medianMI: medianMI[i],
    medianEntropyByLayer: { fc1: meanEntropy[i], fc2: meanEntropy[i], fc3: meanEntropy[i] },
    spread: null,
    bySeed: [],
  }));
  return {
    parameter: 'alpha',
    setting: 'heuristic',
    preset: 'paper',
    bins: 100,
    units: 'nats',
    points,
    kendall: { meanEntropy: 1, meanMI: 0.8 },
    kendallSpread: null,
    kendallBySeed: [],
    paper: paperNumbers['colored-mnist'].alpha ?? null,
    claims: [],
  };
}

const find = (cs: ReturnType<typeof claims>, re: RegExp) => {
  const c = cs.find((x) => re.test(x.claim));
  assert.ok(c, `a claim matching ${re}`);
  return c;
};

describe('reproduction summary: the paper claims checked', () => {
  it('colored MNIST: entropy falls (sharpest at alpha = 1), MI mass up, accuracy falls, selection tau > 0', () => {
    const cs = claims(alphaSweep([3.0, 2.9, 2.8, 2.5, 1.0], [0.01, 0.02, 0.03, 0.05, 0.2]));
    assert.equal(find(cs, /^mean entropy falls/).holds, true);
    assert.equal(find(cs, /^mean MI rises/).holds, true);
    const mass = find(cs, /^MI mass \(median pair MI\) moves up/);
    assert.equal(mass.holds, true);
    assert.match(mass.measured, /^0\.0100, 0\.0200, 0\.0300, 0\.0500, 0\.2000 \(tau 1\.00 \[95% 1\.00, 1\.00\]\)$/);
    const sharp = find(cs, /falls most at the last step \(alpha 0\.75 -> 1\.00\)/);
    assert.equal(sharp.holds, true);
    assert.equal(sharp.measured, 'steps -0.100, -0.100, -0.300, -1.500');
    // no draws for accuracy, a layer's median entropy, or (without the comparisons' replicates) the selection tau: shown, not decided
    assert.equal(find(cs, /^validation accuracy falls/).verdict, 'n/a');
    for (const l of ['fc1', 'fc2', 'fc3']) assert.equal(find(cs, new RegExp(`^median entropy of ${l} falls`)).verdict, 'n/a');
    assert.equal(find(cs, /model selection by mean entropy/).verdict, 'n/a');
    assert.equal(verdictText(find(cs, /^mean entropy falls/)), 'holds (100% of draws)');
  });

  it('Sentiment Adjectives: model selection against the accuracy on the conflicting sentences, with an interval from binomial draws', () => {
    const withConflict = (acc: number[], sd: number): SummarySweep => {
      const sw = alphaSweep([3.0, 2.9, 2.8, 2.5, 1.0], [0.01, 0.02, 0.03, 0.05, 0.2]);
      sw.points.forEach((q, i) => {
        q.conflictAccuracy = acc[i];
        q.draws!.conflictAccuracy = drawsAround(acc[i], sd, 40 + i);
      });
      return sw;
    };
    // the conflict accuracy falls with alpha as the entropy does: selection by +entropy agrees
    const clear = find(claims(withConflict([0.9, 0.75, 0.6, 0.4, 0.2], 0.01)), /model selection by mean entropy agrees with the accuracy on the conflicting sentences/);
    assert.equal(clear.verdict, 'holds');
    assert.match(clear.measured, /^1\.00 \[95% 1\.00, 1\.00\] \(accuracy 0\.900, 0\.750, 0\.600, 0\.400, 0\.200;/);
    // 19 conflicting sentences: a binomial sd of about 0.1 drowns steps of 0.02
    const noisy = find(claims(withConflict([0.84, 0.86, 0.82, 0.84, 0.8], 0.1)), /model selection by mean entropy agrees with the accuracy on the conflicting/);
    assert.equal(noisy.verdict, 'inconclusive');
  });

  it('the right sign within the noise is inconclusive, not a claim that holds (tau -0.20 over noisy points)', () => {
    const noisy = alphaSweep([3.0, 3.02, 2.99, 2.97, 3.01], [0.01, 0.02, 0.03, 0.05, 0.2], undefined, 0.05);
    const c = find(claims(noisy), /^mean entropy falls/);
    assert.match(c.measured, /^Kendall tau\(alpha, mean entropy\) = -0\.20 \[95% -?\d\.\d\d, \d\.\d\d\]$/);
    assert.equal(c.verdict, 'inconclusive');
    assert.equal(c.holds, null);
    // with the comparisons' replicates, the selection tau is decided too
    const s = alphaSweep([3.0, 2.9, 2.8, 2.5, 1.0], [0.01, 0.02, 0.03, 0.05, 0.2]);
    s.stability = [{ seed: 0, meanEntropy: { low: 0.6, high: 1, positive: 1 }, meanMI: { low: -0.4, high: 0.8, positive: 0.7 } }];
    assert.equal(find(claims(s), /model selection by mean entropy/).verdict, 'holds');
    assert.equal(find(claims(s), /model selection by mean MI/).verdict, 'inconclusive');
  });

  it('a largest drop before the end, or rising MI mass where it should fall, is reported as not holding', () => {
    const cs = claims(alphaSweep([3.0, 2.0, 1.9, 1.8, 1.7], [0.2, 0.1, 0.05, 0.03, 0.01]));
    assert.equal(find(cs, /^mean entropy falls/).holds, true);
    assert.equal(find(cs, /falls most at the last step/).holds, false);
    assert.equal(find(cs, /^MI mass/).holds, false);
  });

  it('missing draws make the MI-mass claim undecided (n/a), not false', () => {
    const s = alphaSweep([3, 2.9, 2.8, 2.5, 1], [0.01, 0.02, 0.03, 0.05, 0.2]);
    s.points[2].draws!.medianMI = null;
    assert.equal(find(claims(s), /^MI mass/).holds, null);
    assert.equal(find(claims(s), /^MI mass/).verdict, 'n/a');
  });

  it('durations read as h/m/s', () => {
    assert.equal(fmtDuration(3725), '1h02m05s');
    assert.equal(fmtDuration(65), '1m05s');
    assert.equal(fmtDuration(Number.NaN), 'n/a');
  });
});

describe('reproduction summary: pretrained against scratch (Shuffled Reviews)', () => {
  const sweep = (from: 'pretrained' | 'scratch', meanEntropy: number[]): SummarySweep => {
    const s = alphaSweep(meanEntropy, [0.02, 0.02, 0.02, 0.02, 0.02], undefined, 0.0001);
    return { ...s, parameter: 'beta', setting: 'example-level', from, points: s.points.map((p, i) => ({ ...p, value: [0, 0.2, 0.4, 0.6, 0.8][i] })) };
  };
  it('flat-then-rising entropy and the regulariser claim, from relative changes over the two halves of the grid', () => {
    const [c] = regulariserClaims([sweep('pretrained', [2.0, 2.01, 2.02, 2.3, 2.6]), sweep('scratch', [2.0, 2.3, 2.5, 2.6, 2.7])]);
    assert.equal(c.preset, 'paper');
    assert.equal(c.claims[0].holds, true);
    assert.equal(c.claims[0].measured, '0.00 -> 0.40: +1.0%; 0.40 -> 0.80: +29.0% (of the entropy at 0.00)');
    assert.equal(c.claims[1].holds, true);
    assert.equal(c.claims[1].measured, '0.00 -> 0.40: pretrained +1.0%, scratch +25.0%');
    const [d] = regulariserClaims([sweep('pretrained', [2.0, 2.3, 2.5, 2.5, 2.5]), sweep('scratch', [2.0, 2.1, 2.1, 2.2, 2.3])]);
    assert.equal(d.claims[0].holds, false);
    assert.equal(d.claims[1].holds, false);
    // A larger fall is no flatter than a smaller one.
    const [e] = regulariserClaims([sweep('pretrained', [3.0, 2.5, 2.5, 2.4, 2.4]), sweep('scratch', [3.0, 3.1, 2.7, 2.6, 3.2])]);
    assert.equal(e.claims[1].measured, '0.00 -> 0.40: pretrained -16.7%, scratch -10.0%');
    assert.equal(e.claims[1].holds, false);
    assert.equal(regulariserClaims([sweep('scratch', [2, 2, 2, 2, 2])]).length, 0);
  });
});
