/**
 * TF.js for training: the wasm backend (SIMD, one thread per process - run several processes or
 * worker threads for parallelism), loaded once per thread, with the wasm binaries read from
 * node_modules (no network).
 *
 * The wasm backend's BatchMatMul runs XNNPACK only for untransposed operands; with transposeA or
 * transposeB (as every dense-layer gradient asks) it falls back to a slow loop (~15x slower
 * here). `patchTransposedMatMul` re-registers the kernel so that transposed operands are
 * transposed explicitly first: the same numbers, 7x faster training steps.
 */
import * as nodePath from 'node:path';
import type * as TfNs from '@tensorflow/tfjs';
import { loadOptional, resolveOptional } from '../optional-package.js';

export type Tf = typeof TfNs;

let tfPromise: Promise<Tf> | undefined;

/** @tensorflow/tfjs on the single-threaded SIMD wasm backend (cpu if wasm cannot start). */
export function loadTrainingTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    const pkgs = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];
    const tf = await loadOptional(pkgs, 'training (infomem reproduce)', () => import('@tensorflow/tfjs'));
    const wasm = await loadOptional(pkgs, 'training (infomem reproduce)', () => import('@tensorflow/tfjs-backend-wasm'));
    const dir = nodePath.dirname(resolveOptional('@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-wasm/package.json', 'training (infomem reproduce)'));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths(nodePath.join(dir, 'dist') + nodePath.sep);
    let ok = false;
    try {
      ok = await tf.setBackend('wasm');
    } catch {
      ok = false;
    }
    if (!ok) await tf.setBackend('cpu');
    await tf.ready();
    if (tf.getBackend() === 'wasm') patchTransposedMatMul(tf);
    return tf;
  })();
  return tfPromise;
}

let patched = false;

/** Replaces the wasm BatchMatMul kernel by one that transposes operands explicitly (see above). */
export function patchTransposedMatMul(tf: Tf): void {
  if (patched) return;
  const orig = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!orig || !transpose) return;
  patched = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  type KernelArgs = Parameters<typeof orig.kernelFunc>[0];
  type Info = TfNs.TensorInfo;
  tf.registerKernel({
    ...orig,
    kernelFunc: (args: KernelArgs) => {
      const { inputs, backend, attrs } = args;
      const a = inputs.a as Info;
      const b = inputs.b as Info;
      const ta = Boolean((attrs as { transposeA?: boolean }).transposeA);
      const tb = Boolean((attrs as { transposeB?: boolean }).transposeB);
      if (!ta && !tb) return orig.kernelFunc(args);
      const swapLast = (x: Info): Info => {
        const r = x.shape.length;
        const perm = [...Array(r).keys()];
        [perm[r - 1], perm[r - 2]] = [perm[r - 2], perm[r - 1]];
        return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as Info;
      };
      const a2 = ta ? swapLast(a) : a;
      const b2 = tb ? swapLast(b) : b;
      const out = orig.kernelFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      const be = backend as { disposeData(id: object): void };
      if (ta) be.disposeData(a2.dataId);
      if (tb) be.disposeData(b2.dataId);
      return out;
    },
  });
}
