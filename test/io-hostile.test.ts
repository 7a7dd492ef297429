/**
 * Hostile or lying files are refused in seconds with bounded memory: a deflate bomb, an archive
 * whose size claim disagrees with the member's own .npy header, a header that declares more
 * than the machine can hold.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { parseNpz } from '../src/io/npz.js';
import { InputError } from '../src/io/errors.js';
import { availableMemory, checkMemory, parseByteSize } from '../src/io/memory.js';
import { repoRoot } from './helpers/fixtures.js';
import { concat } from './fixtures/io/builders.js';
import { encodeNpy, encodeNpyHeader } from '../src/io/npy.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'infomem-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A zip64 archive of one deflated member whose directory claims `size` bytes and `crc`. */
function zip64(name: string, packed: Uint8Array, size: number, crc: number): Uint8Array {
  const enc = new TextEncoder().encode(name);
  const parts: Uint8Array[] = [];
  const le = (n: number, bytes: number): number[] => Array.from({ length: bytes }, (_, i) => Math.floor(n / 2 ** (8 * i)) % 256);
  const extra = [...le(1, 2), ...le(16, 2), ...le(size, 8), ...le(packed.length, 8)];
  const local = [...le(0x04034b50, 4), ...le(45, 2), 0, 0, ...le(8, 2), 0, 0, 0, 0, ...le(crc, 4), ...le(0xffffffff, 4), ...le(0xffffffff, 4), ...le(enc.length, 2), ...le(extra.length, 2)];
  parts.push(Uint8Array.from(local), enc, Uint8Array.from(extra), packed);
  const cdOffset = local.length + enc.length + extra.length + packed.length;
  const central = [...le(0x02014b50, 4), ...le(45, 2), ...le(45, 2), 0, 0, ...le(8, 2), 0, 0, 0, 0, ...le(crc, 4), ...le(0xffffffff, 4), ...le(0xffffffff, 4), ...le(enc.length, 2), ...le(extra.length, 2), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4)];
  parts.push(Uint8Array.from(central), enc, Uint8Array.from(extra));
  const cdSize = central.length + enc.length + extra.length;
  const eocd64Offset = cdOffset + cdSize;
  parts.push(Uint8Array.from([...le(0x06064b50, 4), ...le(44, 8), ...le(45, 2), ...le(45, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(1, 8), ...le(1, 8), ...le(cdSize, 8), ...le(cdOffset, 8)]));
  parts.push(Uint8Array.from([...le(0x07064b50, 4), 0, 0, 0, 0, ...le(eocd64Offset, 8), ...le(1, 4)]));
  parts.push(Uint8Array.from([...le(0x06054b50, 4), 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, ...le(0xffffffff, 4), ...le(0xffffffff, 4), 0, 0]));
  return concat(...parts);
}

/** Deflates `head` followed by `zeros` zero bytes, streaming (never holding the zeros). */
async function deflateZeros(head: Uint8Array, zeros: number): Promise<Uint8Array> {
  const d = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => d.on('end', () => resolve()));
  d.write(head);
  const block = Buffer.alloc(1 << 24);
  for (let left = zeros; left > 0; left -= block.length) {
    const ok = d.write(left >= block.length ? block : block.subarray(0, left));
    if (!ok) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Runs the CLI and reports its peak resident memory (from a preloaded exit hook). */
function runMeasured(args: string[], env: Record<string, string> = {}) {
  const hook = join(dir, 'maxrss.mjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', hook, cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = (performance.now() - t0) / 1000;
  const m = /maxrss (\d+)/.exec(r.stderr);
  const message = r.stderr.replace(/\s*maxrss \d+\s*$/, '').trim();
  return { code: r.status, message, seconds, maxRssMiB: m ? Number(m[1]) / 1024 : NaN };
}

describe('hostile archives', () => {
  it('a deflate bomb (zeros beyond the memory allowed) is refused from its header, in seconds, memory bounded', async () => {
    const n = 100_000_000; // 400 MB of float32 zeros in about 400 kB
    const head = encodeNpyHeader('<f4', [n / 100, 100]);
    const packed = await deflateZeros(head, 4 * n);
    const file = join(dir, 'bomb.npz');
    // A real archive: the directory's size is the true one; only the memory cap refuses it.
    const size = head.length + 4 * n;
    writeFileSync(file, zip64('bomb.npy', packed, size, 0));
    assert.ok(readFileSync(file).length < 1_000_000);
    // its inflation ratio (about 1,000:1) is refused first, in one line naming the way past it
    const q = runMeasured(['analyze', file, '--out', join(dir, 'never0')]);
    assert.equal(q.code, 2, q.message);
    assert.equal(q.message.split('\n').length, 1, q.message);
    assert.match(q.message, /bomb\.npz: member 'bomb\.npy' \(1000000x100 <f4\) inflates 1029 times \(379\.8 KiB to 381\.5 MiB\), beyond the 100:1 of any real activation file \(a decompression bomb\?\); --max-inflation 1030 reads it anyway/);
    assert.ok(q.seconds < 5, `${q.seconds} s`);
    const r = runMeasured(['analyze', file, '--out', join(dir, 'never1'), '--max-inflation', '0'], { INFOMEM_MAX_MEMORY: '256MiB' });
    assert.equal(r.code, 2, r.message);
    assert.equal(r.message.split('\n').length, 1, r.message);
    assert.match(r.message, /bomb\.npz: the activation set \(1000000 examples x 100 neurons, float32, 381\.5 MiB\) needs about 397\.5 MiB of memory to load, but only 256\.0 MiB is available/);
    assert.ok(r.seconds < 5, `${r.seconds} s`);
    assert.ok(r.maxRssMiB < 300, `${r.maxRssMiB} MiB`);
  });

  it('an archive whose size claim disagrees with the member\'s header is refused before inflating', () => {
    // Declares 10 float32 in its header; the directory claims 40 GB (a bomb's size).
    const head = encodeNpyHeader('<f4', [10]);
    const packed = new Uint8Array(deflateRawSync(head));
    const file = join(dir, 'lie.npz');
    writeFileSync(file, zip64('x.npy', packed, 40e9, 0));
    assert.throws(() => parseNpz(readFileSync(file), file), (e: unknown) => e instanceof InputError && /member 'x\.npy' \(10 <f4\): the archive says it holds 40000000000 bytes but its \.npy header declares 168; refusing/.test(e.message));
    // Declares 10^9 float32; the directory claims 4 kB: read as the short member it is.
    const big = join(dir, 'short.npz');
    writeFileSync(big, zip64('y.npy', new Uint8Array(deflateRawSync(encodeNpyHeader('<f4', [1_000_000_000]))), 4096, 0));
    assert.throws(() => parseNpz(readFileSync(big), big), (e: unknown) => e instanceof InputError && /member 'y\.npy'/.test(e.message));
  });

  it('a header that declares 40 GB (and an archive that agrees) is refused in seconds', () => {
    const n = 10_000_000_000;
    const head = encodeNpyHeader('<f4', [n]);
    const file = join(dir, 'huge.npz');
    writeFileSync(file, zip64('huge.npy', new Uint8Array(deflateRawSync(head)), head.length + 4 * n, 0));
    const r = runMeasured(['analyze', file, '--out', join(dir, 'never2'), '--max-inflation', '0']); // (its ratio is refused first without it)
    assert.equal(r.code, 2, r.message);
    assert.match(r.message, /huge\.npz: the activation set \(10000000000 examples x 1 neurons, float32, 37\.3 GiB\) needs about 37\.3 GiB of memory to load/);
    assert.ok(r.seconds < 5);
    assert.ok(r.maxRssMiB < 300, `${r.maxRssMiB} MiB`);
  });

  it('KSG that cannot fit even its smallest block is refused before reading the data', () => {
    const S = 400000; // 6.4 MB of float32: loads within 24 MiB; KSG needs about 45 MB
    const file = join(dir, 'ksg.npy');
    writeFileSync(file, encodeNpy(new Float32Array(S * 4), [S, 4]));
    const r = runMeasured(['analyze', file, '--out', join(dir, 'never3')], { INFOMEM_MAX_MEMORY: '24MiB' });
    assert.equal(r.code, 2, r.message);
    assert.match(r.message, /ksg\.npy: KSG on 400000 examples \(its smallest block of prepared neurons\) needs about [\d.]+ MiB of memory to run, but only 24\.0 MiB is available; refusing it \(use --samples, or --mi binned\)/);
    assert.doesNotMatch(r.message, /read /);
  });

  it('memory helpers: sizes, the cap, the check', () => {
    assert.equal(parseByteSize('8GiB', 'x'), 8 * 1024 ** 3);
    assert.equal(parseByteSize('500MB', 'x'), 5e8);
    assert.equal(parseByteSize('1234', 'x'), 1234);
    assert.throws(() => parseByteSize('lots', 'INFOMEM_MAX_MEMORY'), /INFOMEM_MAX_MEMORY takes a size/);
    assert.equal(availableMemory('1MiB'), 1024 ** 2);
    assert.ok(availableMemory(undefined) > 1024 ** 2);
    assert.throws(() => checkMemory('f.npy', 2048, 'the array', 1024), (e: unknown) => e instanceof InputError && e.message === 'f.npy: the array needs about 2.0 KiB of memory to load, but only 1.0 KiB is available; refusing it (a damaged or hostile file, or too large for this machine: use a subset)');
    checkMemory('f.npy', 1024, 'the array', 1024);
  });
});
