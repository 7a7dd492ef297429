/**
 * File-system helpers with one-line errors and atomic writes.
 *
 * Reads report missing/unreadable paths as {@link InputError}s (`path: no such file`). Writes
 * never leave a half-written file or directory at the destination: data go to a temporary
 * sibling first and are renamed into place only once complete. A failure whose cause is the
 * path itself (missing directory, permissions, disk full...) is reported as a one-line
 * {@link InputError} naming the path; other errors propagate unchanged.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import { InputError } from './errors.js';
import { errCode, writeError } from './fs-errors.js';

const READ_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'no such file (a parent in the path is not a directory)',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ERR_FS_FILE_TOO_LARGE: 'file too large to read into memory (over 2 GiB)',
};

/**
 * Creates the parent directories of an output path (like `mkdir -p`), so that a run can write
 * `--out runs/a/b` on a fresh checkout; call it before long work to fail fast on a bad path.
 * @throws InputError `path: cannot write: ...` when a parent cannot be created
 */
export async function ensureParentDir(path: string): Promise<void> {
  try {
    await fs.mkdir(nodePath.dirname(nodePath.resolve(path)), { recursive: true });
  } catch (e) {
    throw writeError(path, e);
  }
}

/**
 * Reads a whole file.
 * @throws InputError `path: no such file`, `path: permission denied`, `path: is a directory, not a file`, ...
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = errCode(e);
    const problem = code === undefined ? undefined : READ_PROBLEMS[code];
    if (problem !== undefined) throw new InputError(path, problem, { cause: e });
    throw new InputError(path, `cannot read: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function tempSuffix(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Writes `data` to `path` atomically: to `path + '.tmp-<pid>-<random>'` in the same directory,
 * fsync, then rename over `path`. On failure the temporary file is removed and `path` is left as
 * it was. Strings are written as UTF-8.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${tempSuffix()}`;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, path);
  } catch (e) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(path, e);
  }
  await syncDir(nodePath.dirname(path));
}

/** Best-effort fsync of a directory so a rename survives a crash (unsupported on some platforms). */
async function syncDir(dir: string): Promise<void> {
  let h: fs.FileHandle | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    // Not possible everywhere (e.g. Windows); the rename itself is still atomic.
  } finally {
    await h?.close().catch(() => undefined);
  }
}

/**
 * Builds a directory atomically. Creates an empty temporary sibling of `finalDir`
 * (`.<name>.tmp-<pid>-<random>`), calls `fill(tmpDir)` to populate it, then renames it to
 * `finalDir`. An existing empty `finalDir` is replaced. An existing `finalDir` that holds
 * anything is refused, unless `replace` is set: then it is replaced whole, only after `fill`
 * succeeds (old moved aside, new renamed in, old removed). `replace` is for directories that
 * infomem alone owns (a model checkpoint inside a reproduction run); a user's output directory
 * goes through `OutputDir` (output-dir.ts), which never deletes what it did not write. On any
 * error the temporary directory is removed and `finalDir` is left untouched.
 *
 * @returns whatever `fill` returns
 * @throws InputError if `finalDir` exists but is not a directory, holds files (without
 *   `replace`), or its parent is unusable
 */
export async function writeDirAtomic<T>(finalDir: string, fill: (tmpDir: string) => Promise<T>, opts: { replace?: boolean } = {}): Promise<T> {
  const abs = nodePath.resolve(finalDir);
  const parent = nodePath.dirname(abs);
  const base = nodePath.basename(abs);
  const tmp = nodePath.join(parent, `.${base}.tmp-${tempSuffix()}`);
  const refuseNonEmpty = async (): Promise<void> => {
    if (opts.replace === true) return;
    const entries = await fs.readdir(abs).catch(() => [] as string[]);
    if (entries.length > 0) throw new InputError(finalDir, `is not empty (holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); refusing to replace it`);
  };
  await refuseNonEmpty();
  try {
    await fs.mkdir(tmp);
  } catch (e) {
    throw writeError(finalDir, e);
  }
  let result: T;
  try {
    result = await fill(tmp);
  } catch (e) {
    // The caller's own error: clean up but pass it on unchanged.
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  try {
    let existing: Stats | undefined;
    try {
      existing = await fs.lstat(abs);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw e;
    }
    if (existing === undefined) {
      await fs.rename(tmp, abs);
    } else if (existing.isDirectory()) {
      await refuseNonEmpty();
      const old = nodePath.join(parent, `.${base}.old-${tempSuffix()}`);
      await fs.rename(abs, old);
      try {
        await fs.rename(tmp, abs);
      } catch (e) {
        await fs.rename(old, abs).catch(() => undefined);
        throw e;
      }
      await fs.rm(old, { recursive: true, force: true }).catch(() => undefined);
    } else {
      throw new InputError(finalDir, 'exists and is not a directory');
    }
    await syncDir(parent);
    return result;
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(finalDir, e);
  }
}
