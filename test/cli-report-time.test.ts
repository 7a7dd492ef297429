/**
 * `analyze`'s report phase: progress on stderr, Ctrl-C within a second with nothing written, and
 * the printed time is the command's (report included), not the analysis's alone.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from './helpers/fixtures.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const demo = join(repoRoot, 'data/demo/mlp-circles.npz');

describe('analyze: the report phase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-report-time-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the whole command time, report included', () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'analyze', demo, '--mi', 'gcmi', '--out', join(dir, 'timed')], { encoding: 'utf8' });
    const wall = (performance.now() - t0) / 1000;
    assert.equal(r.status, 0, r.stderr);
    const m = /time ([\d.]+) s \(analysis ([\d.]+) s, output and report ([\d.]+) s\)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [total, analysis, report] = m.slice(1).map(Number);
    assert.ok(total <= wall + 0.05 && total >= 0.8 * wall, `printed ${total} s, the command took ${wall.toFixed(2)} s`);
    assert.ok(total >= analysis + report - 0.01, 'the total covers the analysis and the report');
    assert.match(r.stderr, /^report\s+100\.0%\s+9\/9 figures/m, 'the report phase shows its progress');
  });

  it('stops on Ctrl-C during the report within a second, writing nothing', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [cli, 'analyze', demo, '--mi', 'gcmi', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sentAt && /^report\s/m.test(stderr)) {
        sentAt = performance.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const latency = performance.now() - sentAt;
    assert.ok(sentAt > 0, `the report phase was reached:\n${stderr}`);
    assert.equal(code, 130, stderr);
    assert.ok(latency < 1000, `stopped ${latency.toFixed(0)} ms after Ctrl-C`);
    assert.equal(existsSync(out), false, 'nothing written');
  });
});
