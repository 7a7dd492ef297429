/**
 * Output directories that never lose a user's file.
 *
 * The rules (the same for every command and every library writer):
 * - An empty path is refused (an unset shell variable must not mean "the current directory").
 * - A directory that does not exist is created whole: everything is written into a hidden
 *   staging sibling (`.<name>.infomem-tmp-*`) that is renamed into place at the end.
 * - An existing empty directory is written into.
 * - An existing directory that holds anything is refused unless `overwrite` is set. Then only
 *   the writer's own files are touched: the names it writes now (each renamed into place over
 *   the old one, so no file is ever half-written), and the files that an earlier infomem run
 *   recorded in the directory's manifest ({@link MANIFEST}) and that this run no longer writes.
 *   Nothing else in the directory is read, moved or deleted.
 * - An input file is never an output: a destination that is one of the inputs is refused,
 *   `overwrite` or not.
 * - The destination is checked, and the staging directory created (a real write probe), by
 *   {@link OutputDir.open}, before any long computation; the caller fills the staging directory
 *   and calls {@link OutputDir.commit}, or {@link OutputDir.discard} on failure. A staging
 *   directory still present when the process exits (an error, a second Ctrl-C) is removed; one
 *   left by a killed run (its pid no longer alive) is removed by the next run there.
 *
 * Every refusal and file-system failure is an {@link InputError} of one line naming the path.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, type Stats } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { InputError } from './errors.js';
import { errCode, writeError } from './fs-errors.js';

/** The manifest infomem writes into every output directory: which files it wrote. */
export const MANIFEST = '.infomem-files.json';

/** What a writer puts in a directory, so that its own files can be told from a user's. */
export interface OutputKind {
  /** What the directory holds, for messages: `'analysis'`, `'comparison'`. */
  readonly what: string;
  /** Whether `rel` (a `/`-separated path inside the directory) is a name this writer may write. */
  readonly owns: (rel: string) => boolean;
}

export interface OutputDirOptions {
  /**
   * Write into an existing directory that holds files, replacing only this writer's own files
   * there (the CLI's `--force`). Default false: such a directory is refused.
   */
  overwrite?: boolean;
  /** Files read by this run; none of them may be a destination. */
  inputs?: readonly string[];
}

/** Name prefix of a staging directory inside an existing output directory. */
const STAGING_PREFIX = '.infomem-tmp-';

const live = new Set<string>();
let exitHookInstalled = false;

/** Removes staging directories left behind when the process exits (second Ctrl-C, crash). */
function track(dir: string): void {
  live.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of live) {
      try {
        rmSync(d, { recursive: true, force: true });
      } catch {
        // Best effort at exit.
      }
    }
  });
}

function suffix(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

async function statOrNull(p: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await fs.stat(p) : await fs.lstat(p);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw e;
  }
}

/** Whether process `pid` is alive on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * Removes the staging directories that a killed infomem run left in `dir` (named
 * `<prefix><pid>-<hex>`, with no process of that pid alive) and returns the other entries.
 */
async function withoutStaleStaging(dir: string, entries: string[], prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of entries) {
    const m = e.startsWith(prefix) ? /^(\d+)-[0-9a-f]+$/.exec(e.slice(prefix.length)) : null;
    if (m && !alive(Number(m[1]))) {
      await fs.rm(nodePath.join(dir, e), { recursive: true, force: true }).catch(() => undefined);
      continue;
    }
    out.push(e);
  }
  return out;
}

/** Relative `/`-separated paths of every file under `dir`. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(nodePath.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** Checks that `path` names an output directory at all (not empty, not only blanks). */
export function checkOutputPath(path: string, what = 'output directory'): void {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new InputError('""', `the ${what} is an empty string (an unset shell variable?); name a directory`);
  }
}

interface Manifest {
  tool: 'infomem';
  what: string;
  files: string[];
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await fs.readFile(nodePath.join(dir, MANIFEST), 'utf8')) as Partial<Manifest>;
    if (m.tool !== 'infomem' || !Array.isArray(m.files)) return null;
    return { tool: 'infomem', what: String(m.what), files: m.files.filter((f): f is string => typeof f === 'string') };
  } catch {
    return null;
  }
}

/** Whether `rel` is a plain relative path that stays inside its directory. */
function isInside(rel: string): boolean {
  return rel !== '' && !rel.startsWith('..') && !nodePath.isAbsolute(rel) && !rel.split(/[\\/]/).includes('..');
}

/** An output directory being written: see the module comment for the rules. */
export class OutputDir {
  private done = false;

  private constructor(
    /** The directory as the caller named it (for messages). */
    readonly path: string,
    /** Its absolute path. */
    readonly absolute: string,
    /** Where the caller writes the files; committed into place by {@link commit}. */
    readonly staging: string,
    private readonly kind: OutputKind,
    /** True when the directory existed (files are moved in one by one). */
    private readonly existed: boolean,
    private readonly inputs: readonly { path: string; real: string; dev: number; ino: number }[],
  ) {}

  /**
   * Checks the destination and creates the staging directory (so an unwritable destination fails
   * here, before any computation).
   * @throws InputError `dir: is not empty (...)`, `dir: exists and is not a directory`,
   *   `input: is an input and would be overwritten ...`, `dir: cannot write: ...`
   */
  static async open(path: string, kind: OutputKind, opts: OutputDirOptions = {}): Promise<OutputDir> {
    checkOutputPath(path);
    const abs = nodePath.resolve(path);
    const inputs = [];
    for (const p of opts.inputs ?? []) {
      const st = await statOrNull(p, true).catch(() => null);
      if (st === null) continue;
      inputs.push({ path: p, real: await fs.realpath(p), dev: st.dev, ino: st.ino });
    }
    let st: Stats | null;
    try {
      st = await statOrNull(abs, true);
    } catch (e) {
      throw writeError(path, e);
    }
    if (st !== null && !st.isDirectory()) throw new InputError(path, 'exists and is not a directory; choose another output directory');
    if (st === null) {
      const parent = nodePath.dirname(abs);
      const prefix = `.${nodePath.basename(abs)}.infomem-tmp-`;
      const staging = nodePath.join(parent, `${prefix}${suffix()}`);
      try {
        await fs.mkdir(parent, { recursive: true });
        await withoutStaleStaging(parent, await fs.readdir(parent), prefix);
        await fs.mkdir(staging);
      } catch (e) {
        throw writeError(path, e);
      }
      track(staging);
      return new OutputDir(path, abs, staging, kind, false, inputs);
    }
    const real = await fs.realpath(abs);
    let entries: string[];
    try {
      entries = await withoutStaleStaging(abs, await fs.readdir(abs), STAGING_PREFIX);
    } catch (e) {
      throw writeError(path, e);
    }
    if (entries.length > 0) {
      if (opts.overwrite !== true) {
        const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
        throw new InputError(path, `is not empty (holds ${shown}); infomem never writes into a non-empty directory: choose another output directory, or use --force to replace only infomem's own ${kind.what} files there`);
      }
      for (const inp of inputs) {
        const rel = nodePath.relative(real, inp.real).split(nodePath.sep).join('/');
        if (isInside(rel) && (kind.owns(rel) || rel === MANIFEST)) {
          throw new InputError(inp.path, `is an input and would be overwritten by the ${kind.what} written to ${path}; choose another output directory`);
        }
      }
    }
    const staging = nodePath.join(abs, `${STAGING_PREFIX}${suffix()}`);
    try {
      await fs.mkdir(staging);
    } catch (e) {
      throw writeError(path, e);
    }
    track(staging);
    return new OutputDir(path, abs, staging, kind, true, inputs);
  }

  /**
   * Moves the staged files into place and records them in the manifest. In an existing directory
   * each file is renamed over its old version, and files that the previous manifest lists but
   * this run did not write are removed; nothing else is touched.
   * @throws InputError when a staged name is not the writer's own, or a destination is an input
   */
  async commit(): Promise<void> {
    if (this.done) throw new Error('output directory already committed or discarded');
    try {
      const files = (await listFiles(this.staging)).sort();
      for (const f of files) if (!this.kind.owns(f)) throw new Error(`internal: '${f}' is not a ${this.kind.what} output name`);
      const manifest: Manifest = { tool: 'infomem', what: this.kind.what, files };
      await fs.writeFile(nodePath.join(this.staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
      if (!this.existed) {
        try {
          await fs.rename(this.staging, this.absolute);
        } catch (e) {
          const code = errCode(e);
          if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new InputError(this.path, 'was created by another program while infomem ran; nothing was written');
          throw e;
        }
        live.delete(this.staging);
        this.done = true;
        return;
      }
      const previous = await readManifest(this.absolute);
      for (const f of [...files, MANIFEST]) {
        const dst = nodePath.join(this.absolute, f);
        const st = await statOrNull(dst, false);
        if (st !== null && this.inputs.some((i) => i.dev === st.dev && i.ino === st.ino)) {
          throw new InputError(dst, `is an input and would be overwritten by the ${this.kind.what}; nothing was written`);
        }
      }
      for (const f of [...files, MANIFEST]) {
        const dst = nodePath.join(this.absolute, f);
        await fs.mkdir(nodePath.dirname(dst), { recursive: true });
        await fs.rename(nodePath.join(this.staging, f), dst);
      }
      if (previous !== null) {
        const now = new Set(files);
        for (const f of previous.files) {
          if (now.has(f) || !isInside(f) || !this.kind.owns(f)) continue;
          const dst = nodePath.join(this.absolute, f);
          const st = await statOrNull(dst, false);
          if (st === null || !st.isFile() || this.inputs.some((i) => i.dev === st.dev && i.ino === st.ino)) continue;
          await fs.rm(dst, { force: true });
        }
      }
      await this.removeStaging();
      this.done = true;
    } catch (e) {
      await this.discard();
      throw writeError(this.path, e);
    }
  }

  /** Removes the staging directory; the destination is left as it was. */
  async discard(): Promise<void> {
    this.done = true;
    await this.removeStaging();
  }

  private async removeStaging(): Promise<void> {
    await fs.rm(this.staging, { recursive: true, force: true }).catch(() => undefined);
    live.delete(this.staging);
  }
}

/**
 * Opens `path` as an output directory, lets `fill` write into the staging directory, and commits
 * (or discards on any error). See {@link OutputDir} for the rules.
 */
export async function writeOutputDir<T>(
  path: string | OutputDir,
  kind: OutputKind,
  opts: OutputDirOptions,
  fill: (staging: string) => Promise<T>,
): Promise<T> {
  const out = typeof path === 'string' ? await OutputDir.open(path, kind, opts) : path;
  let result: T;
  try {
    result = await fill(out.staging);
  } catch (e) {
    await out.discard();
    throw e;
  }
  await out.commit();
  return result;
}
