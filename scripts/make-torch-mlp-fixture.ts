/**
 * Writes test/fixtures/models/torch-mlp/model.onnx: a STAND-IN for a PyTorch export.
 *
 * There is no PyTorch in this environment, so the file is built with onnx-buf in the exact layout
 * that `torch.onnx.export` (TorchScript exporter, torch 2.x, opset 17, constant folding on)
 * writes for
 *
 *     model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
 *     torch.onnx.export(model, torch.randn(1, 4), 'model.onnx', opset_version=17,
 *                       input_names=['input'], output_names=['output'],
 *                       dynamic_axes={'input': {0: 'batch_size'}, 'output': {0: 'batch_size'}})
 *
 * graph `main_graph`, producer `pytorch`, ir_version 8; nodes `/0/Gemm` (transB=1) -> `/1/Relu`
 * -> `/2/Gemm`, inner tensors `/0/Gemm_output_0` and `/1/Relu_output_0`, output `output`;
 * initializers `0.weight` (8 x 4), `0.bias`, `2.weight` (3 x 8), `2.bias` as raw float32 data
 * (not listed as graph inputs). Weights: PyTorch's default nn.Linear init U(-1/sqrt(in), 1/sqrt(in)),
 * drawn from infomem's seeded Rng (seed 17), not from torch's generator.
 *
 * Run: npx tsc -p tsconfig.json && node build/scripts/make-torch-mlp-fixture.js
 * To replace the stand-in with a real export, run the Python above and overwrite the file; the
 * tests only rely on the names and on reading the weights back from the initializers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random/rng.js';
import { torchStyleMlp, type DenseWeights } from '../src/models/onnx-builder.js';

const rng = new Rng(17);
function linear(inp: number, out: number): DenseWeights {
  const b = 1 / Math.sqrt(inp);
  const u = (): number => (2 * rng.float() - 1) * b;
  return { in: inp, out, weight: Float32Array.from({ length: inp * out }, u), bias: Float32Array.from({ length: out }, u) };
}

const dir = fileURLToPath(new URL('../../test/fixtures/models/torch-mlp/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}model.onnx`, torchStyleMlp([linear(4, 8), linear(8, 3)], { producerVersion: '2.1.0' }));
process.stdout.write(`wrote ${dir}model.onnx\n`);
