import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../src/io/errors.js';
import { readFileBytes, writeDirAtomic, writeFileAtomic } from '../src/io/files.js';

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'infomem-io-files-'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

async function rejectsInput(p: Promise<unknown>, file: string, word: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  assert.ok(caught.message.startsWith(`${file}: `), caught.message);
  assert.match(caught.message, word);
  assert.ok(!caught.message.includes('\n'));
  return caught;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('readFileBytes', () => {
  it('reads a file', async () => {
    const p = join(root, 'r.bin');
    writeFileSync(p, Uint8Array.from([1, 2, 3]));
    const b = await readFileBytes(p);
    assert.ok(b instanceof Uint8Array);
    assert.deepEqual(Array.from(b), [1, 2, 3]);
  });

  it('missing file', async () => {
    const p = join(root, 'nope.npy');
    const e = await rejectsInput(readFileBytes(p), p, /no such file/);
    assert.equal(e.message, `${p}: no such file`);
  });

  it('a directory', async () => {
    await rejectsInput(readFileBytes(root), root, /is a directory/);
  });

  it('a path through a file', async () => {
    const f = join(root, 'plain');
    writeFileSync(f, 'x');
    await rejectsInput(readFileBytes(join(f, 'child')), join(f, 'child'), /no such file/);
  });

  it('permission denied', async () => {
    const p = join(root, 'secret');
    writeFileSync(p, 'x');
    chmodSync(p, 0o000);
    try {
      if (!isRoot) {
        await rejectsInput(readFileBytes(p), p, /permission denied/);
        return;
      }
      // root reads anything: read as the unprivileged user 'nobody' in a child process, with
      // the two compiled modules copied next to the file (the checkout may not be readable to it)
      chmodSync(root, 0o755);
      const mod = join(root, 'mod');
      mkdirSync(mod, { mode: 0o755 });
      for (const f of ['files.js', 'errors.js', 'fs-errors.js']) copyFileSync(fileURLToPath(new URL(`../src/io/${f}`, import.meta.url)), join(mod, f));
      writeFileSync(join(mod, 'package.json'), '{"type": "module"}');
      const script = `import(${JSON.stringify(pathToFileURL(join(mod, 'files.js')).href)}).then((m) => m.readFileBytes(${JSON.stringify(p)})).then(() => console.log('read'), (e) => console.log(e.name + ': ' + e.message))`;
      const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: mod });
      assert.equal(r.stdout.trim(), `InputError: ${p}: permission denied`, r.stderr);
    } finally {
      chmodSync(p, 0o600);
    }
  });
});

describe('writeFileAtomic', () => {
  it('writes bytes and strings, replacing existing content, leaving no temp files', async () => {
    const dir = join(root, 'w1');
    mkdirSync(dir);
    const p = join(dir, 'out.npy');
    await writeFileAtomic(p, Uint8Array.from([9, 8, 7]));
    assert.deepEqual(Array.from(readFileSync(p)), [9, 8, 7]);
    await writeFileAtomic(p, 'héllo\n');
    assert.equal(readFileSync(p, 'utf8'), 'héllo\n');
    assert.deepEqual(readdirSync(dir), ['out.npy']);
  });

  it('missing directory: InputError, nothing left behind', async () => {
    const p = join(root, 'no-such-dir', 'out.json');
    await rejectsInput(writeFileAtomic(p, 'x'), p, /cannot write: the directory does not exist/);
    assert.ok(!existsSync(join(root, 'no-such-dir')));
  });

  it('target is a directory: old directory untouched, temp removed', async () => {
    const dir = join(root, 'w2');
    mkdirSync(join(dir, 'target'), { recursive: true });
    await assert.rejects(writeFileAtomic(join(dir, 'target'), 'x'), InputError);
    assert.deepEqual(readdirSync(dir), ['target']);
    assert.ok(statSync(join(dir, 'target')).isDirectory());
  });
});

describe('writeDirAtomic', () => {
  it('creates a new directory from fill', async () => {
    const final = join(root, 'd1', 'report');
    mkdirSync(join(root, 'd1'));
    const r = await writeDirAtomic(final, async (tmp) => {
      assert.notEqual(tmp, final);
      writeFileSync(join(tmp, 'a.txt'), 'A');
      mkdirSync(join(tmp, 'sub'));
      writeFileSync(join(tmp, 'sub', 'b.txt'), 'B');
      return 42;
    });
    assert.equal(r, 42);
    assert.equal(readFileSync(join(final, 'sub', 'b.txt'), 'utf8'), 'B');
    assert.deepEqual(readdirSync(join(root, 'd1')), ['report']);
  });

  it('refuses a non-empty directory without replace, and touches nothing', async () => {
    const parent = join(root, 'd2r');
    const final = join(parent, 'out');
    mkdirSync(final, { recursive: true });
    writeFileSync(join(final, 'mine.txt'), 'mine');
    let filled = false;
    await rejectsInput(
      writeDirAtomic(final, async () => {
        filled = true;
      }),
      final,
      /is not empty \(holds mine\.txt\)/,
    );
    assert.equal(filled, false);
    assert.deepEqual(readdirSync(final), ['mine.txt']);
    assert.deepEqual(readdirSync(parent), ['out']);
  });

  it('with replace, replaces an existing directory only after fill succeeds', async () => {
    const parent = join(root, 'd2');
    const final = join(parent, 'out');
    mkdirSync(final, { recursive: true });
    writeFileSync(join(final, 'old.txt'), 'old');
    await writeDirAtomic(
      final,
      async (tmp) => {
        assert.equal(readFileSync(join(final, 'old.txt'), 'utf8'), 'old'); // still there during fill
        writeFileSync(join(tmp, 'new.txt'), 'new');
      },
      { replace: true },
    );
    assert.deepEqual(readdirSync(final), ['new.txt']);
    assert.deepEqual(readdirSync(parent), ['out']);
  });

  it('a failing fill leaves finalDir untouched and removes the temp dir', async () => {
    const parent = join(root, 'd3');
    const final = join(parent, 'out');
    mkdirSync(final, { recursive: true });
    writeFileSync(join(final, 'keep.txt'), 'keep');
    await assert.rejects(
      writeDirAtomic(
        final,
        async (tmp) => {
          writeFileSync(join(tmp, 'partial.txt'), 'p');
          throw new Error('boom');
        },
        { replace: true },
      ),
      /boom/,
    );
    assert.deepEqual(readdirSync(final), ['keep.txt']);
    assert.deepEqual(readdirSync(parent), ['out']);

    const fresh = join(parent, 'fresh');
    await assert.rejects(writeDirAtomic(fresh, async () => Promise.reject(new Error('nope'))), /nope/);
    assert.ok(!existsSync(fresh));
    assert.deepEqual(readdirSync(parent), ['out']);
  });

  it('finalDir that is a file: InputError, file untouched', async () => {
    const parent = join(root, 'd4');
    mkdirSync(parent);
    const final = join(parent, 'f');
    writeFileSync(final, 'file');
    await rejectsInput(writeDirAtomic(final, async () => undefined), final, /exists and is not a directory/);
    assert.equal(readFileSync(final, 'utf8'), 'file');
    assert.deepEqual(readdirSync(parent), ['f']);
  });

  it('missing parent: InputError', async () => {
    const final = join(root, 'nope', 'deeper', 'out');
    await rejectsInput(writeDirAtomic(final, async () => undefined), final, /does not exist/);
  });
});

describe('writeDirAtomic error passthrough', () => {
  it("fill's own errors propagate unchanged (not re-labelled as write errors)", async () => {
    const parent = join(root, 'd5');
    mkdirSync(parent);
    const own = Object.assign(new Error('ENOENT: input missing'), { code: 'ENOENT' });
    await assert.rejects(
      writeDirAtomic(join(parent, 'out'), async () => {
        throw own;
      }),
      (e) => e === own,
    );
    assert.deepEqual(readdirSync(parent), []);
  });
});
