import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjectivePool, heuristicLabel, sentimentAdjectivesTask, shuffledReviewsTask, uciSentences } from '../src/reproduce/text-data.js';

const sentences = uciSentences();

describe('UCI sentences (data/uci-sentences.json)', () => {
  it('holds 1,000 sentences per source, 500 positive and 500 negative each', () => {
    assert.equal(sentences.length, 3000);
    for (const src of ['imdb', 'amazon', 'yelp']) {
      const s = sentences.filter((x) => x.source === src);
      assert.equal(s.length, 1000);
      assert.equal(s.filter((x) => x.label === 1).length, 500);
    }
  });
});

describe('Sentiment Adjectives', () => {
  it('labels by adjectives: only positive -> 1, only negative -> 0, both or none -> null (lower-cased word tokens)', () => {
    assert.equal(heuristicLabel('Great acting, the best.'), 1);
    assert.equal(heuristicLabel('An awful, POOR film'), 0);
    assert.equal(heuristicLabel('good and bad'), null);
    assert.equal(heuristicLabel('goodness gracious'), null);
    assert.equal(heuristicLabel("It's not bad-ish"), 0);
  });
  it('pools 706 sentences, 77 of them conflicting (heuristic label != true label)', () => {
    const pool = adjectivePool(sentences);
    assert.equal(pool.index.length, 706);
    assert.equal(pool.index.filter((i, k) => sentences[i].label !== pool.heuristic[k]).length, 77);
  });
  it('injects floor(alpha * conflicting training sentences) heuristic labels, nested in alpha; validation keeps true labels', () => {
    for (const seed of [0, 1]) {
      let prev: Set<number> | null = null;
      for (const alpha of [0, 0.25, 0.5, 0.75, 1]) {
        const t = sentimentAdjectivesTask(sentences, { alpha, seed });
        assert.equal(t.data.train + t.data.val, 706);
        assert.equal(t.data.train, Math.round(0.8 * 706));
        assert.equal(t.data.injected, Math.floor(alpha * t.data.trainConflicting));
        const truth = new Map(sentences.map((s) => [s.text, s.label]));
        const flipped = new Set<number>();
        t.trainTexts.forEach((x, k) => {
          if (t.trainLabels[k] !== truth.get(x)) {
            flipped.add(k);
            assert.equal(t.trainLabels[k], heuristicLabel(x));
          }
        });
        // Duplicated sentences can carry both labels in the data; count changes against each one's own label.
        assert.ok(Math.abs(flipped.size - t.data.injected) <= 2, `${flipped.size} vs ${t.data.injected}`);
        if (prev) for (const k of prev) assert.ok(flipped.has(k), 'injection grows with alpha');
        prev = flipped;
        assert.deepEqual(Array.from(t.valLabels), t.valTexts.map((x) => truth.get(x)));
        assert.equal(t.valConflicting!.reduce((a, b) => a + b, 0), t.data.valConflicting);
        assert.equal(t.data.trainConflicting + t.data.valConflicting, 77);
        assert.equal(t.measureTexts.length, t.data.val + 3000 - 706);
      }
    }
  });
  it('--conflict-share subsamples the agreeing sentences to that conflicting share', () => {
    const t = sentimentAdjectivesTask(sentences, { alpha: 0.5, seed: 0, conflictShare: 0.33 });
    assert.equal(t.data.used, 77 + Math.round((77 * 0.67) / 0.33));
    assert.ok(Math.abs(77 / t.data.used - 0.33) < 0.01);
    assert.equal(t.data.trainConflicting + t.data.valConflicting, 77);
  });
  it('is deterministic per seed and differs across seeds', () => {
    const a = sentimentAdjectivesTask(sentences, { alpha: 0.5, seed: 3 });
    assert.deepEqual(sentimentAdjectivesTask(sentences, { alpha: 0.5, seed: 3 }), a);
    assert.notDeepEqual(sentimentAdjectivesTask(sentences, { alpha: 0.5, seed: 4 }).trainTexts, a.trainTexts);
  });
});

describe('Shuffled Reviews', () => {
  it('splits 2,400 / 600 and redraws round(beta * 2400) training labels; validation labels stay clean', () => {
    for (const beta of [0, 0.2, 0.4, 0.6, 0.8]) {
      const t = shuffledReviewsTask(sentences, beta, 0);
      assert.equal(t.trainTexts.length, 2400);
      assert.equal(t.valTexts.length, 600);
      assert.equal(t.data.redrawn, Math.round(beta * 2400));
      // A redrawn label keeps its value with probability 1/2.
      assert.ok(Math.abs(t.data.labelsChanged - t.data.redrawn / 2) < 4 * Math.sqrt(t.data.redrawn / 4) + 1, `${t.data.labelsChanged} of ${t.data.redrawn}`);
      const truth = new Map(sentences.map((s) => [s.text, s.label]));
      assert.deepEqual(Array.from(t.valLabels), t.valTexts.map((x) => truth.get(x)));
      assert.deepEqual(t.measureTexts, t.valTexts);
    }
  });
});
