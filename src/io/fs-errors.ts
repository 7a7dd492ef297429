/** One-line messages for file-system errors on the write side (shared by the writers). */
import { lstatSync, statSync } from 'node:fs';
import { InputError } from './errors.js';

/** Whether `path` is a symbolic link whose target does not exist. */
function isDanglingLink(path: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false;
  } catch {
    return false;
  }
  try {
    statSync(path);
    return false;
  } catch {
    return true;
  }
}

/** The `code` of a Node.js system error (`'ENOENT'`...), if any. */
export function errCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOENT: 'cannot write: the directory does not exist',
  ENOTDIR: 'cannot write: a parent in the path is not a directory',
  EEXIST: 'cannot write: a parent in the path is not a directory',
  EACCES: 'cannot write: permission denied',
  EPERM: 'cannot write: permission denied',
  EISDIR: 'cannot write: is a directory',
  EROFS: 'cannot write: read-only file system',
  ENOSPC: 'cannot write: no space left on device',
  EDQUOT: 'cannot write: disk quota exceeded',
  ENAMETOOLONG: 'cannot write: file name too long',
  ENOTEMPTY: 'cannot write: a directory is in the way',
  EXDEV: 'cannot write: temporary and final paths are on different devices',
};

/** Converts a write-side error into an InputError for `path` when the cause is understood. */
export function writeError(path: string, e: unknown): unknown {
  if (e instanceof InputError) return e;
  const code = errCode(e);
  if ((code === 'EEXIST' || code === 'ENOENT' || code === 'ENOTDIR') && isDanglingLink(path)) return new InputError(path, 'cannot write: it is a symbolic link to a path that does not exist', { cause: e });
  const problem = code === undefined ? undefined : WRITE_PROBLEMS[code];
  return problem === undefined ? e : new InputError(path, problem, { cause: e });
}
