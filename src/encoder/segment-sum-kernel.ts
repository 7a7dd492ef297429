/**
 * TF.js's wasm backend has no `UnsortedSegmentSum` kernel, which the gradient of `gather` (an
 * embedding lookup) needs ("Kernel 'UnsortedSegmentSum' not registered"). This registers one built
 * from the wasm `ScatterNd` kernel, which sums updates that land on the same index:
 *
 *   out[s, ...] = sum over i with segmentIds[i] = s of x[i, ...]   (s < numSegments)
 *
 * for `x` of shape [n, ...rest] and `segmentIds` of shape [n] (the only form gather's gradient
 * produces with axis 0; other ranks are reshaped to it).
 */
import type * as TfNs from '@tensorflow/tfjs';
import type { Tf } from '../reproduce/tf-backend.js';

let registered = false;

export function registerSegmentSumKernel(tf: Tf): void {
  if (registered || tf.getBackend() !== 'wasm' || tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  const scatter = tf.getKernel('ScatterNd', 'wasm');
  const reshape = tf.getKernel('Reshape', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!scatter || !reshape || !cast) return;
  registered = true;
  type Info = TfNs.TensorInfo;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as Info;
      const ids = inputs.segmentIds as Info;
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const n = ids.shape.reduce((p, d) => p * d, 1);
      const rest = x.shape.slice(ids.shape.length);
      const be = backend as { disposeData(id: object): void };
      const temps: Info[] = [];
      let idx = reshape.kernelFunc({ inputs: { x: ids }, backend, attrs: { shape: [n, 1] } }) as Info;
      temps.push(idx);
      if (idx.dtype !== 'int32') {
        idx = cast.kernelFunc({ inputs: { x: idx }, backend, attrs: { dtype: 'int32' } }) as Info;
        temps.push(idx);
      }
      const upd = reshape.kernelFunc({ inputs: { x }, backend, attrs: { shape: [n, ...rest] } }) as Info;
      temps.push(upd);
      const out = scatter.kernelFunc({ inputs: { indices: idx, updates: upd }, backend, attrs: { shape: [numSegments, ...rest] } }) as Info;
      for (const t of temps) be.disposeData(t.dataId);
      return out;
    },
  });
}
