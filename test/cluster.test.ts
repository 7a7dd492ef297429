/**
 * From one machine to a cluster (cluster/): a plan's shards merged equal a single analyze byte
 * for byte, for every estimator, with and without sampled pairs; missing, truncated, corrupted and
 * foreign shards are named with the command that reruns only them (exit 3); a shard skips when
 * done and refuses changed inputs; the plan and merge directories follow the output rules; the
 * Slurm scripts and their submission (a stand-in sbatch that records its arguments).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPlan } from '../src/cluster/plan.js';
import { shardPath } from '../src/cluster/shard-file.js';
import { submitSlurm, writeSlurmScripts } from '../src/cluster/slurm.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';
import { encodeNpy } from '../src/io/npy.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('cluster: plan, shard, merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-cluster-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const acts = join(dir, 'acts.npz');
  copyFileSync(join(repoRoot, 'data/demo/mlp-circles.npz'), acts);
  // 120 neurons of the demo keep the KSG runs short
  const common = ['--sample-neurons', '120', '--seed', '4', '--resamples', '10', '--threads', '2'];

  const plan = (name: string, ...flags: string[]): string => {
    const p = join(dir, name);
    const r = run(['plan', acts, '--shards', '4', '--out', p, '--quiet', ...common.filter((x, i, a) => x !== '--threads' && a[i - 1] !== '--threads'), ...flags]);
    assert.equal(r.status, 0, r.stderr);
    return p;
  };
  const shards = (p: string, n: number, skip: number[] = []): void => {
    for (let i = 0; i < n; i++) {
      if (skip.includes(i)) continue;
      const r = run(['shard', p, '--index', String(i), '--threads', '2', '--quiet']);
      assert.equal(r.status, 0, r.stderr);
    }
  };
  const same = (merged: string, single: string, file: string): void => {
    assert.deepEqual(readFileSync(join(merged, file)), readFileSync(join(single, file)), `${file} byte for byte`);
    const a = JSON.parse(readFileSync(join(merged, 'results.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(single, 'results.json'), 'utf8'));
    for (const r of [a, b]) {
      delete r.timings;
      delete r.createdAt;
      delete r.command;
    }
    assert.deepEqual(a, b, 'results.json equal but for timings, time and command line');
  };

  for (const mi of ['ksg', 'binned', 'gcmi']) {
    it(`${mi}: the merged shards are analyze's output (mi.npy byte for byte)`, () => {
      const p = plan(`plan-${mi}`, '--mi', mi, '--bins', '30');
      const pl = JSON.parse(readFileSync(join(p, 'plan.json'), 'utf8'));
      assert.equal(pl.shards, 6, '3 blocks: 6 block pairs');
      shards(p, pl.shards);
      const merged = join(dir, `merged-${mi}`);
      const m = run(['merge', p, '--out', merged, '--no-report', '--quiet', '--threads', '2']);
      assert.equal(m.status, 0, m.stderr);
      const single = join(dir, `single-${mi}`);
      const a = run(['analyze', acts, '--mi', mi, '--bins', '30', ...common, '--out', single, '--no-report', '--quiet']);
      assert.equal(a.status, 0, a.stderr);
      same(merged, single, 'mi.npy');
    });
  }

  it('sampled pairs (--pairs random:N): pairs.npy byte for byte; SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX pick the shard', () => {
    const p = plan('plan-pairs', '--mi', 'ksg', '--pairs', 'random:200');
    assert.equal(JSON.parse(readFileSync(join(p, 'plan.json'), 'utf8')).shards, 4);
    for (const [i, env] of [[0, { SLURM_ARRAY_TASK_ID: '0' }], [1, { JOB_COMPLETION_INDEX: '1' }]] as const) {
      const r = run(['shard', p, '--quiet'], env);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(existsSync(shardPath(p, i)));
    }
    shards(p, 4, [0, 1]);
    const merged = join(dir, 'merged-pairs');
    assert.equal(run(['merge', p, '--out', merged, '--no-report', '--quiet']).status, 0);
    const single = join(dir, 'single-pairs');
    assert.equal(run(['analyze', acts, '--mi', 'ksg', '--pairs', 'random:200', ...common, '--out', single, '--no-report', '--quiet']).status, 0);
    same(merged, single, 'pairs.npy');
    const again = run(['shard', p, '--index', '2']);
    assert.match(again.stdout, /shard 2: already done, skipped/);
  });

  it('significance sharded: each shard tests its pairs against the same surrogates; pvalues.npy and pairs.npy byte for byte', () => {
    for (const [name, flags, file] of [
      ['sig-all', ['--mi', 'gcmi', '--significance', '19'], 'pvalues.npy'],
      ['sig-pairs', ['--mi', 'binned', '--bins', '20', '--pairs', 'random:300', '--significance', '19'], 'pairs.npy'],
    ] as const) {
      const p = plan(name, ...flags);
      const n = JSON.parse(readFileSync(join(p, 'plan.json'), 'utf8')).shards;
      shards(p, n);
      const merged = join(dir, `merged-${name}`);
      const m = run(['merge', p, '--out', merged, '--no-report', '--quiet']);
      assert.equal(m.status, 0, m.stderr);
      const single = join(dir, `single-${name}`);
      assert.equal(run(['analyze', acts, ...flags, ...common, '--out', single, '--no-report', '--quiet']).status, 0);
      same(merged, single, file);
      assert.ok(JSON.parse(readFileSync(join(merged, 'results.json'), 'utf8')).significance.tested > 0);
    }
  });

  it('a shard reads only its neurons: two files, --nan drop-examples, --samples random, --layers, layer bins; merged byte for byte', () => {
    // two layers in two files, a NaN in one example of the second, a third file left out by --layers
    const S = 260;
    const a = gaussianMatrix(S, 14, 21);
    const b = gaussianMatrix(S, 9, 22);
    for (let s = 0; s < S; s++) for (let n = 1; n < 9; n++) b[s * 9 + n] += 0.7 * b[s * 9 + n - 1] + 3;
    b[17 * 9 + 4] = NaN;
    const files = [['fa.npy', a, 14], ['fb.npy', b, 9], ['fc.npy', gaussianMatrix(S, 5, 23), 5]] as const;
    for (const [f, v, n] of files) writeFileSync(join(dir, f), encodeNpy(v, [S, n]));
    const inputs = files.map(([f]) => join(dir, f));
    const flags = ['--nan', 'drop-examples', '--samples', 'random:200', '--layers', 'fa,fb', '--mi', 'binned', '--binning', 'layer', '--bins', '12', '--seed', '9', '--resamples', '0'];
    const p = join(dir, 'plan-frame');
    const r = run(['plan', ...inputs, '--shards', '3', '--out', p, '--quiet', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    const pl = JSON.parse(readFileSync(join(p, 'plan.json'), 'utf8'));
    assert.equal(pl.neurons, 23);
    assert.equal(pl.samples, 200);
    const frame = JSON.parse(readFileSync(join(p, 'frame.json'), 'utf8'));
    assert.equal(frame.rows.length, 200);
    assert.ok(!frame.rows.includes(17), 'the example with a NaN is not among the rows');
    // shard 1 is blocks (0, 1): 24 neurons of 23 would be all; block size 12: the first block and the second
    const reads = [0, 1, 2].map((i) => run(['shard', p, '--index', String(i), '--threads', '1']));
    for (const x of reads) assert.equal(x.status, 0, x.stderr);
    assert.match(reads[0].stderr, /shard 0: 12 of 23 neurons read/);
    assert.match(reads[2].stderr, /shard 2: 11 of 23 neurons read/);
    const merged = join(dir, 'merged-frame');
    assert.equal(run(['merge', p, '--out', merged, '--no-report', '--quiet']).status, 0);
    const single = join(dir, 'single-frame');
    const s1 = run(['analyze', ...inputs, ...flags, '--out', single, '--no-report', '--quiet']);
    assert.equal(s1.status, 0, s1.stderr);
    same(merged, single, 'mi.npy');
    // a frame edited by hand is refused in one line
    writeFileSync(join(p, 'frame.json'), readFileSync(join(p, 'frame.json'), 'utf8').replace('"rows":[', '"rows":[0,'));
    rmSync(shardPath(p, 0));
    const bad = run(['shard', p, '--index', '0']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /frame\.json: does not match the plan/);
  });

  it('missing, truncated, corrupted and foreign shards: merge exits 3 naming them and the command that reruns only them', async () => {
    const p = plan('plan-bad', '--mi', 'gcmi');
    const pl = await readPlan(p);
    shards(p, pl.shards, [1]);
    const file = shardPath(p, 2);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 8)); // truncated
    const corrupt = Buffer.from(readFileSync(shardPath(p, 3)));
    corrupt[corrupt.length - 1] ^= 0xff;
    writeFileSync(shardPath(p, 3), corrupt);
    const other = plan('plan-other', '--mi', 'gcmi', '--bins', '20');
    shards(other, 1);
    copyFileSync(shardPath(other, 0), shardPath(p, 0)); // another plan's
    const st = run(['status', p]);
    assert.equal(st.status, 3);
    assert.match(st.stdout, /2 of 6 shards done/);
    assert.match(st.stdout, /missing \(1\): 1/);
    assert.match(st.stdout, /failed: shard 0: from another plan/);
    const m = run(['merge', p, '--out', join(dir, 'never')]);
    assert.equal(m.status, 3);
    assert.equal(m.stderr.trim().split('\n').length, 1);
    assert.match(m.stderr, /4 of 6 shards are not done \(0: from another plan; 1: missing; 2: truncated \(\d+ of \d+ bytes\); 3: corrupted \(checksum differs\)\): rerun only them with for i in 0 1 2 3; do infomem shard .* --index \$i; done/);
    assert.equal(existsSync(join(dir, 'never')), false, 'nothing written');
    // rerun only those: the merge goes through
    for (const i of [0, 2, 3]) rmSync(shardPath(p, i));
    shards(p, 4, [4, 5]);
    assert.equal(run(['merge', p, '--out', join(dir, 'merged-bad'), '--no-report', '--quiet']).status, 0);
  });

  it('a plan whose inputs changed is refused by its shards; plan and merge directories follow the output rules', () => {
    const copy = join(dir, 'copy.npz');
    copyFileSync(acts, copy);
    const p = join(dir, 'plan-changed');
    assert.equal(run(['plan', copy, '--shards', '2', '--mi', 'gcmi', '--out', p, '--quiet']).status, 0);
    writeFileSync(copy, Buffer.concat([readFileSync(copy), Buffer.from([0])]));
    const t0 = performance.now();
    const r = run(['shard', p, '--index', '0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /copy\.npz: changed since the plan was made/);
    assert.ok(performance.now() - t0 < 10_000);
    const busy = run(['plan', acts, '--shards', '2', '--out', p]);
    assert.equal(busy.status, 2);
    assert.match(busy.stderr, /is not empty: a plan goes into a new or empty directory/);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const t1 = performance.now();
    const ro = run(['plan', acts, '--shards', '2', '--out', join(file, 'plan')]);
    assert.equal(ro.status, 2);
    assert.match(ro.stderr, /plain-file\/plan: cannot write: a parent in the path is not a directory/);
    assert.equal(ro.stderr.trim().split('\n').length, 1);
    assert.ok(performance.now() - t1 < 5000, 'refused before any work');
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'mine.txt'), 'keep');
    const m = run(['merge', join(dir, 'plan-gcmi'), '--out', full]);
    assert.equal(m.status, 2);
    assert.match(m.stderr, /is not empty/);
    assert.equal(readFileSync(join(full, 'mine.txt'), 'utf8'), 'keep');
  });

  it('the Slurm scripts: an array of one task per shard, logs %A_%a, a merge after it (a stand-in sbatch records the submission)', async () => {
    const p = join(dir, 'plan-ksg');
    const pl = await readPlan(p);
    const paths = await writeSlurmScripts(p, pl, { partition: 'cpu', maxRunning: 3, cpusPerTask: 2, sbatchArgs: ['--account=lab'] });
    const s = readFileSync(paths.shards, 'utf8');
    assert.match(s, /#SBATCH --array=0-5%3/);
    assert.match(s, /#SBATCH --output=.*shard_%A_%a\.log/);
    assert.match(s, /#SBATCH --partition=cpu/);
    assert.match(s, /#SBATCH --account=lab/);
    assert.match(s, /shard .*plan-ksg/);
    assert.match(readFileSync(paths.merge, 'utf8'), /merge .*plan-ksg --out .*merged/);
    const fake = join(dir, 'sbatch');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${join(dir, 'sbatch.log')}\ncase "$*" in *dependency*) echo 102;; *) echo 101;; esac\n`);
    chmodSync(fake, 0o755);
    assert.deepEqual(submitSlurm(paths, fake), { array: '101', merge: '102' });
    const log = readFileSync(join(dir, 'sbatch.log'), 'utf8').trim().split('\n');
    assert.match(log[0], /^--parsable .*shards\.sbatch$/);
    assert.match(log[1], /^--parsable --dependency=afterok:101 --kill-on-invalid-dep=yes .*merge\.sbatch$/);
    const k = run(['slurm', p, '--kubernetes']);
    assert.equal(k.status, 0, k.stderr);
    assert.match(readFileSync(join(p, 'kubernetes-job.yaml'), 'utf8'), /completionMode: Indexed[\s\S]*completions: 6/);
  });
});
