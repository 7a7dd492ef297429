/**
 * The cluster flow on a real Slurm cluster (scripts/slurm-cluster.sh brings one up from Debian's
 * packages; .ci/run does before the tests): plans of KSG, binned MI and GCMI, `infomem slurm
 * --submit`, one KSG shard killed by Slurm for exceeding --mem (a test-only ballast), `merge`
 * exiting 3 and naming it, the shard resubmitted alone as the message says, and every merge equal
 * to a single `analyze` byte for byte. Skipped where no Slurm cluster answers (`sinfo`).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from './helpers/fixtures.js';

const cli = join(repoRoot, 'build/src/cli/main.js');

function clusterUp(): boolean {
  try {
    return /^(idle|mixed|allocated)/m.test(execFileSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 5000 }));
  } catch {
    return false;
  }
}

/** Waits until none of the jobs is queued or running (squeue; sacct is off here). */
async function waitFor(ids: string[], limitMs = 180_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const q = execFileSync('squeue', ['-h', '-o', '%i %T', '-j', ids.join(',')], { encoding: 'utf8' }).trim();
    if (q === '') return;
    if (Date.now() - t0 > limitMs) throw new Error(`jobs still queued: ${q}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const up = clusterUp();

describe('the cluster flow on Slurm', { skip: up ? false : 'no Slurm cluster answers sinfo (bash scripts/slurm-cluster.sh up starts one)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-slurm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const acts = join(dir, 'acts.npz');
  copyFileSync(join(repoRoot, 'data/demo/mlp-circles.npz'), acts);
  const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const flags = ['--sample-neurons', '64', '--seed', '2', '--resamples', '10'];

  it('KSG, binned and GCMI: submitted, one shard killed for memory, rerun alone, merged equal to analyze', async () => {
    const plans: Record<string, string> = {};
    const jobs: string[] = [];
    for (const mi of ['ksg', 'binned', 'gcmi']) {
      const p = join(dir, `plan-${mi}`);
      plans[mi] = p;
      const r = run(['plan', acts, '--mi', mi, '--bins', '30', ...flags, '--shards', '8', '--out', p, '--quiet']);
      assert.equal(r.status, 0, r.stderr);
      // the KSG array: shard 3 carries 2.5 GB of ballast, over its 1.5 GB
      const env: Record<string, string> = mi === 'ksg' ? { INFOMEM_TEST_BALLAST_MB: '2500', INFOMEM_TEST_BALLAST_INDEX: '3' } : {};
      const s = run(['slurm', p, '--cpus-per-task', '1', '--mem', '1500M', '--time', '0:10:00', '--submit'], env);
      assert.equal(s.status, 0, s.stderr);
      const m = /submitted: array job (\d+) \((\d+) tasks\), merge job (\d+)/.exec(s.stdout);
      assert.ok(m, s.stdout);
      assert.equal(Number(m[2]), 10);
      jobs.push(m[1], m[3]);
    }
    await waitFor(jobs);
    // the KSG merge job never ran (afterok on a failed array); binned and GCMI merged themselves
    const merged = (mi: string): string => join(plans[mi], 'merged');
    for (const mi of ['binned', 'gcmi']) assert.ok(readFileSync(join(merged(mi), 'mi.npy')).length > 0, `${mi} merged by its job`);
    const bad = run(['merge', plans.ksg, '--out', join(dir, 'ksg-merged')]);
    assert.equal(bad.status, 3, bad.stderr);
    assert.match(bad.stderr, /1 of 10 shards are not done \(3: missing\): rerun only them with sbatch --array=3 \S+shards\.sbatch/);
    // resubmit only that shard, as the message says
    const cmd = /rerun only them with (sbatch --array=3 \S+)/.exec(bad.stderr)![1].split(' ');
    const id = execFileSync(cmd[0], ['--parsable', ...cmd.slice(1)], { encoding: 'utf8' }).trim();
    await waitFor([id]);
    const ok = run(['merge', plans.ksg, '--out', join(dir, 'ksg-merged'), '--no-report', '--quiet']);
    assert.equal(ok.status, 0, ok.stderr);
    for (const [mi, out] of [['ksg', join(dir, 'ksg-merged')], ['binned', merged('binned')], ['gcmi', merged('gcmi')]] as const) {
      const single = join(dir, `single-${mi}`);
      assert.equal(run(['analyze', acts, '--mi', mi, '--bins', '30', ...flags, '--out', single, '--no-report', '--quiet']).status, 0);
      assert.deepEqual(readFileSync(join(out, 'mi.npy')), readFileSync(join(single, 'mi.npy')), `${mi}: mi.npy byte for byte`);
    }
    // the killed task's log says why
    const logs = execFileSync('bash', ['-c', `cat ${join(plans.ksg, 'slurm', 'logs')}/shard_*_3.log`], { encoding: 'utf8' });
    assert.match(logs, /memory|oom|Killed|exceeded/i);
  });
});
