/**
 * The README's commands, as written: the Quick-start block runs in sequence in an empty folder
 * (on files made to its names), each command succeeding and writing where the README says.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeNpy } from '../src/io/npy.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');

/** The lines of the first ```sh block after the heading `## title`. */
export function readmeBlock(title: string): string[] {
  const text = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const at = text.indexOf(`\n## ${title}\n`);
  assert.ok(at >= 0, `README has a ${title} section`);
  const open = text.indexOf('```sh\n', at);
  const close = text.indexOf('\n```', open + 6);
  return text.slice(open + 6, close).split('\n');
}

describe('the README', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-readme-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("Quick start's commands run one after another as written", () => {
    const S = 300;
    for (const [i, name] of ['fc1', 'fc2', 'fc3'].entries()) writeFileSync(join(dir, `${name}.npy`), encodeNpy(new Float32Array(gaussianMatrix(S, 5, i + 1)), [S, 5]));
    copyFileSync(join(repoRoot, 'data/demo/mlp-circles.npz'), join(dir, 'acts.npz'));
    const commands = readmeBlock('Quick start').filter((l) => l.startsWith('npx infomem '));
    assert.equal(commands.length, 4);
    for (const c of commands) {
      // the sample of 768 neurons is the paper's; the demo file has 192
      const line = c.replace(/^npx infomem /, `'${process.execPath}' '${cli}' `).replace('--sample-neurons 768', '--sample-neurons 100');
      const r = spawnSync('bash', ['-c', `${line} --no-report`], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `${c}\n${r.stderr}`);
    }
    assert.ok(existsSync(join(dir, 'run1', 'results.json')));
    assert.equal(JSON.parse(readFileSync(join(dir, 'acts-infomem', 'results.json'), 'utf8')).settings.preset, 'paper');
    assert.equal(JSON.parse(readFileSync(join(dir, 'acts-infomem-2', 'results.json'), 'utf8')).settings.mi, 'binned');
    assert.equal(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).neurons, 100);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('infomem')).sort(), ['acts-infomem', 'acts-infomem-2'], '--json without --out writes no directory');
  });

  it('Set-up is two commands, the first of which runs the demo', () => {
    const lines = readmeBlock('Set-up').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^npm ci && npx infomem analyze data\/demo\/mlp-circles\.npz/);
    assert.match(lines[1], /^npm test\b/);
  });
});
