/**
 * The one error type for bad input files (and unusable output paths) in infomem's I/O layer.
 *
 * Every problem with a file's contents or its path is reported as an {@link InputError} whose
 * message is a single line of the form `<file>: <problem>`, e.g.
 * `data/x.npy: truncated: header says 1000x20 float32 (80000 bytes) but only 4096 data bytes follow`.
 * Parsers never let a raw `RangeError`/`TypeError` (from a `DataView`, `JSON.parse`, the zip
 * decoder...) escape for malformed input.
 */
export class InputError extends Error {
  /** The file (or path) the problem is about, exactly as the caller named it. */
  readonly file: string;
  /** The problem alone, without the `file: ` prefix (one line). */
  readonly problem: string;

  /**
   * @param file the path or display name of the offending file
   * @param problem what is wrong with it; line breaks are folded to spaces so the message stays one line
   * @param options optional `cause` (the low-level error this one replaces)
   */
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    const oneLine = problem.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    super(`${file}: ${oneLine}`, options);
    this.name = 'InputError';
    this.file = file;
    this.problem = oneLine;
  }
}

/** True when `e` is an {@link InputError} (works across duplicated module instances too). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError || (e instanceof Error && e.name === 'InputError' && typeof (e as { file?: unknown }).file === 'string');
}
