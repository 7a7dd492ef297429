/**
 * Output files (as opposed to directories): checked before the work that produces them.
 *
 * An existing file is refused unless `overwrite` is set; an input is never a destination; the
 * parent directory is created and probed for writing (a temporary file created and removed), so
 * an unwritable destination fails in milliseconds, not after the computation. The files
 * themselves are then written with `writeFileAtomic` (temporary name, then rename).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { InputError } from './errors.js';
import { errCode, writeError } from './fs-errors.js';
import { checkOutputPath, type OutputDirOptions } from './output-dir.js';

/**
 * Checks that each of `paths` may be written.
 * @throws InputError `path: exists ...`, `path: is an input ...`, `path: cannot write: ...`
 */
export async function checkOutputFiles(paths: readonly string[], opts: OutputDirOptions = {}): Promise<void> {
  const inputs: { dev: number; ino: number }[] = [];
  for (const p of opts.inputs ?? []) {
    const st = await fs.stat(p).catch(() => null);
    if (st !== null) inputs.push({ dev: st.dev, ino: st.ino });
  }
  for (const path of paths) {
    checkOutputPath(path, 'output file');
    let st;
    try {
      st = await fs.stat(path);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw writeError(path, e);
      st = null;
    }
    if (st !== null) {
      if (st.isDirectory()) throw new InputError(path, 'is a directory; name an output file');
      if (inputs.some((i) => i.dev === st.dev && i.ino === st.ino)) throw new InputError(path, 'is an input and would be overwritten; choose another output file');
      if (opts.overwrite !== true) throw new InputError(path, 'exists; choose another output file, or use --force to replace it');
    }
    const dir = nodePath.dirname(nodePath.resolve(path));
    const probe = nodePath.join(dir, `.infomem-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await fs.mkdir(dir, { recursive: true });
      await (await fs.open(probe, 'wx')).close();
    } catch (e) {
      throw writeError(path, e);
    } finally {
      await fs.rm(probe, { force: true }).catch(() => undefined);
    }
  }
}
