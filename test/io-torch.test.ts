/**
 * PyTorch .pt files (io/torch.ts, io/pickle.ts): files written by Debian's python3-torch
 * (scripts/make-torch-fixtures.py) read to the values PyTorch saved (expected.npz), views and
 * every dtype included; a malicious pickle, a plain pickle asking for exec and the legacy format
 * are refused in one line, without effect.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../src/io/errors.js';
import { parseNpz } from '../src/io/npz.js';
import { tuple, unpickle } from '../src/io/pickle.js';
import { parseTorch } from '../src/io/torch.js';
import { loadActivationFiles } from '../src/inputs/load-activations.js';
import { repoRoot } from './helpers/fixtures.js';

const dir = join(repoRoot, 'test/fixtures/torch');
const read = (name: string) => parseTorch(new Uint8Array(readFileSync(join(dir, name))), name, name.replace(/\.pt$/, ''));
const expected = parseNpz(new Uint8Array(readFileSync(join(dir, 'expected.npz'))), 'expected.npz');
const pwned = '/tmp/infomem-pwned';

describe('PyTorch .pt files', () => {
  const cases: [string, string[]][] = [
    ['acts.pt', ['']],
    ['layers.pt', ['fc1', 'fc2', 'logits']],
    ['nested.pt', ['blocks/0', 'blocks/1', 'views/slice', 'views/bf16', 'ids/0', 'ids/1']],
    ['state_dict.pt', ['weight', 'bias']],
    ['parameter.pt', ['']],
    ['tokens.pt', ['hidden']],
  ];
  for (const [file, keys] of cases) {
    it(`${file}: ${keys.filter(Boolean).join(', ') || 'one tensor'} equal to what PyTorch saved`, () => {
      const got = read(file);
      const stem = file.replace(/\.pt$/, '');
      assert.deepEqual([...got.keys()], keys.map((k) => k || stem));
      for (const k of keys) {
        const want = expected.get(`${file}:${k}`)!;
        const a = got.get(k || stem)!;
        assert.deepEqual(a.shape, want.shape, `${k} shape`);
        assert.deepEqual(Array.from(a.data), Array.from(want.data), `${k} values`);
      }
    });
  }

  it('dtypes are recorded (float16, bfloat16, int64, bool) and non-tensor entries passed over', () => {
    assert.equal(read('layers.pt').get('logits')!.dtype, '<f2');
    const n = read('nested.pt');
    assert.equal(n.get('views/bf16')!.dtype, 'bfloat16');
    assert.equal(n.get('ids/0')!.dtype, '<i8');
    assert.equal(n.get('ids/1')!.dtype, '|b1');
    assert.ok(!read('layers.pt').has('step'));
  });

  it('a malicious pickle (os.system), a plain pickle (builtins.exec) and the legacy format are refused in one line, with no effect', () => {
    rmSync(pwned, { force: true });
    assert.throws(() => read('malicious.pt'), (e: unknown) => e instanceof InputError && /pickled call to (posix|os|nt)\.system, which is refused/.test(e.message) && /nothing in the file was run/.test(e.message));
    assert.throws(() => read('plain-pickle.pt'), (e: unknown) => e instanceof InputError && /pickled call to (builtins|__builtin__)\.exec, which is refused/.test(e.message));
    assert.throws(() => read('legacy.pt'), (e: unknown) => e instanceof InputError && /legacy format/.test(e.message));
    assert.ok(!existsSync(pwned), 'nothing ran');
  });

  it('the pickle reader: containers, memo, numbers, protocols 0, 3 and 4 (CPython\'s bytes); damaged pickles refused', () => {
    // pickle.dumps({'a': [1, -2, 3.5, True, None, 2**40, -300], 'b': ('x', b'yz'), 'c': {1, 2}}, protocol=P)
    const dumps: Record<number, string> = {
      3: '80037d71002858010000006171015d7102284b014afeffffff47400c000000000000884e8a060000000000014ad4feffff65580100000062710358010000007871044302797a71058671065801000000637107636275696c74696e730a7365740a71085d7109284b014b026585710a52710b752e',
      4: '80049547000000000000007d94288c0161945d94284b014afeffffff47400c000000000000884e8a060000000000014ad4feffff658c0162948c0178944302797a9486948c0163948f94284b014b0290752e',
      0: '286470300a56610a70310a286c70320a49310a61492d320a6146332e350a614930310a614e614c313039393531313632373737364c0a61492d3330300a617356620a70330a2856780a70340a635f636f646563730a656e636f64650a70350a2856797a0a70360a566c6174696e310a70370a7470380a5270390a747031300a7356630a7031310a635f5f6275696c74696e5f5f0a7365740a7031320a28286c7031330a49310a6149320a61747031340a527031350a732e',
    };
    // what a caller allows: sets, and (protocol 0) bytes spelled as _codecs.encode(str, 'latin1')
    const findClass = (m: string, n: string) =>
      (m === 'builtins' || m === '__builtin__') && n === 'set' ? (items: unknown) => new Set(items as unknown[]) : m === '_codecs' && n === 'encode' ? (str: unknown) => Uint8Array.from(String(str), (c) => c.charCodeAt(0)) : null;
    for (const [p, hex] of Object.entries(dumps)) {
      const v = unpickle(Uint8Array.from(Buffer.from(hex, 'hex')), 't.pkl', { findClass }) as Map<string, unknown>;
      assert.deepEqual(v.get('a'), [1, -2, 3.5, true, null, 2 ** 40, -300], `protocol ${p}`);
      const b = v.get('b') as unknown[];
      assert.equal(b[0], 'x');
      assert.deepEqual(Array.from(b[1] as Uint8Array), [0x79, 0x7a]);
      assert.deepEqual([...(v.get('c') as Set<number>)], [1, 2]);
    }
    const p3 = Uint8Array.from(Buffer.from(dumps[3], 'hex'));
    assert.throws(() => unpickle(p3, 't.pkl', { findClass: () => null }), /pickled call to builtins\.set, which is refused/);
    assert.throws(() => unpickle(p3.subarray(0, 20), 't.pkl', { findClass }), /truncated pickle/);
    assert.throws(() => unpickle(Uint8Array.from([0x80, 2, 0xff]), 't.pkl', { findClass }), /unknown opcode 0xff/);
    assert.equal(tuple([1]).tuple, true);
  });

  describe('as activation files', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'infomem-torch-'));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    it('loadActivationFiles and the CLI read .pt/.pth; a refused file exits 2 with one line, nothing written', async () => {
      const { set } = await loadActivationFiles([join(dir, 'layers.pt')]);
      assert.deepEqual(set.layers.map((l) => [l.name, l.size]), [['fc1', 6], ['fc2', 3], ['logits', 4]]);
      const tokens = await loadActivationFiles([join(dir, 'tokens.pt')], { token: 'last' });
      assert.deepEqual(tokens.set.layers.map((l) => [l.name, l.size, tokens.set.samples]), [['hidden', 3, 5]]);
      const pth = join(tmp, 'acts.pth');
      writeFileSync(pth, readFileSync(join(dir, 'acts.pt')));
      const cli = join(repoRoot, 'build/src/cli/main.js');
      const ok = spawnSync(process.execPath, [cli, 'analyze', pth, '--mi', 'gcmi', '--bins', '4', '--out', join(tmp, 'o'), '--no-report', '--quiet'], { encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      const bad = spawnSync(process.execPath, [cli, 'analyze', join(dir, 'malicious.pt'), '--out', join(tmp, 'o2'), '--quiet'], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.match(bad.stderr, /malicious\.pt: holds a pickled call to/);
      assert.ok(!existsSync(join(tmp, 'o2')));
      assert.ok(!existsSync(pwned));
    });
  });
});
