/**
 * `--layers auto`: the hidden layers the paper measures.
 *
 * - transformer: the output of every block (nodes named `.../layer.N/...`, `layers.N`, `h.N`,
 *   `block(s).N`), the tensor of the block that is used after it; reduced to the [CLS] (first)
 *   token by default. When blocks are found, nothing else is picked.
 * - conv: every Conv followed by its chain of normalisation / activation / pooling ops (single
 *   consumer each); the chain's last tensor, globally average-pooled.
 * - MLP, `auto` (= `auto:post`): the hidden representation fed to every linear op but the first
 *   (Gemm, MatMul by a weight, TF.js Dense): the output of the previous linear op after its
 *   activation, whatever the activation's decomposition (ReLU outputs, with their zeros).
 *   `auto:pre`: the output of every linear op but the last, bias included, before its activation:
 *   what the paper's MNIST analysis and `infomem reproduce` measure (pre-ReLU values).
 */
import type { OnnxGraph } from './onnx-graph.js';

const ONNX_CHAIN = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'Gelu', 'Softplus', 'Softsign',
  'HardSwish', 'Mish', 'ThresholdedRelu', 'Clip', 'BatchNormalization', 'InstanceNormalization', 'GroupNormalization',
  'MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'Dropout', 'Identity',
]);

const BLOCK_RE = /^(.*?(?:^|\/)(?:layer|layers|h|block|blocks)[._](\d+))\//;

/** The transformer block of a node name (`/encoder/layer.3` for `/encoder/layer.3/attention/...`), if any. */
export function blockOf(nodeName: string): string | undefined {
  const m = BLOCK_RE.exec(nodeName);
  return m ? m[1] : undefined;
}

/** What `--layers auto` takes of an MLP's hidden layers: after their activation, or before it. */
export type AutoMode = 'post' | 'pre';

/** `auto`, `auto:post`, `auto:pre` -> the mode; anything else null. */
export function autoModeOf(text: string): AutoMode | null {
  return text === 'auto' || text === 'auto:post' ? 'post' : text === 'auto:pre' ? 'pre' : null;
}

const WHAT: Record<AutoMode, string> = {
  post: 'after their activation (the next linear op\'s input; --layers auto:pre for the values before it)',
  pre: 'before their activation (each linear op\'s output, bias included, as the paper\'s MNIST analysis)',
};

export interface AutoPick {
  layers: string[];
  /** What was recognised, for messages: e.g. `2 transformer blocks`. */
  description: string;
}

/** Picks the hidden layers of an ONNX graph. */
export function autoLayersOnnx(g: OnnxGraph, mode: AutoMode = 'post'): AutoPick {
  const nodes = g.model.graph!.node;
  // Transformer blocks.
  const blocks = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    const b = blockOf(n.name);
    if (b === undefined) return;
    const list = blocks.get(b);
    if (list) list.push(i);
    else blocks.set(b, [i]);
  });
  if (blocks.size > 0) {
    const picked: string[] = [];
    for (const [, members] of blocks) {
      const inBlock = new Set(members);
      let out: string | undefined;
      for (const i of members) {
        for (const t of nodes[i].output) {
          if (t === '') continue;
          const used = g.consumers.get(t) ?? [];
          if (g.outputs.includes(t) || used.some((c) => !inBlock.has(c))) out = t;
        }
      }
      if (out !== undefined && !picked.includes(out)) picked.push(out);
    }
    if (picked.length > 0) return { layers: picked, description: `${picked.length} transformer block output${picked.length === 1 ? '' : 's'}` };
  }
  const picked: string[] = [];
  // Conv blocks.
  let convs = 0;
  nodes.forEach((n) => {
    if (n.opType !== 'Conv' && n.opType !== 'ConvTranspose') return;
    let t = n.output[0];
    for (;;) {
      const used = g.consumers.get(t) ?? [];
      if (used.length !== 1) break;
      const next = nodes[used[0]];
      if (!ONNX_CHAIN.has(next.opType) || next.input[0] !== t) break;
      t = next.output[0];
    }
    if (!picked.includes(t)) {
      picked.push(t);
      convs++;
    }
  });
  // Hidden MLP layers: the activation fed to every linear op but the first (post), or the
  // output of every linear op but the last (pre).
  const linears = nodes.filter((n) => n.opType === 'Gemm' || (n.opType === 'MatMul' && g.initializers.has(n.input[1])));
  let hidden = 0;
  if (mode === 'post') {
    for (const lin of linears.slice(1)) {
      let t = lin.input[0];
      // Step back over ops that do not change values (eval-mode dropout, identity).
      for (let p = g.producer.get(t); p && (p.op === 'Dropout' || p.op === 'Identity'); p = g.producer.get(t)) t = nodes[p.index].input[0];
      if (!g.producer.has(t) || picked.includes(t)) continue;
      picked.push(t);
      hidden++;
    }
  } else {
    for (const lin of linears.slice(0, -1)) {
      let t = lin.output[0];
      // a MatMul's bias is an Add of a weight after it
      const used = g.consumers.get(t) ?? [];
      if (used.length === 1 && nodes[used[0]].opType === 'Add' && nodes[used[0]].input.some((x) => g.initializers.has(x))) t = nodes[used[0]].output[0];
      if (picked.includes(t)) continue;
      picked.push(t);
      hidden++;
    }
  }
  const parts = [convs > 0 ? `${convs} conv block${convs === 1 ? '' : 's'}` : '', hidden > 0 ? `${hidden} hidden linear layer${hidden === 1 ? '' : 's'} ${WHAT[mode]}` : ''].filter(Boolean);
  return { layers: picked, description: parts.join(' and ') || 'nothing' };
}

/** A TF.js layer as auto selection sees it. */
export interface TfLayerNode {
  name: string;
  className: string;
  inbound: string[];
  outbound: string[];
  /** A Dense layer's own activation (`relu`, `linear`, ...), when it has one. */
  activation?: string;
}

const TF_CHAIN = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'BatchNormalization', 'LayerNormalization',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
]);
const TF_CONV = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv3DTranspose']);
const TF_PASS = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** Picks the hidden layers of a TF.js LayersModel (layers in model order). */
export function autoLayersTfjs(layers: readonly TfLayerNode[], mode: AutoMode = 'post'): AutoPick {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const picked: string[] = [];
  let convs = 0;
  for (const l of layers) {
    if (!TF_CONV.has(l.className)) continue;
    let cur = l;
    for (;;) {
      if (cur.outbound.length !== 1) break;
      const next = byName.get(cur.outbound[0]);
      if (!next || !TF_CHAIN.has(next.className) || next.className === 'Softmax') break;
      cur = next;
    }
    if (!picked.includes(cur.name)) {
      picked.push(cur.name);
      convs++;
    }
  }
  const dense = layers.filter((l) => l.className === 'Dense');
  let hidden = 0;
  if (mode === 'pre') {
    for (const d of dense.slice(0, -1)) {
      if (d.activation && d.activation !== 'linear') {
        throw new RangeError(`--layers auto:pre: Dense layer '${d.name}' applies its activation (${d.activation}) inside the layer, so the values before it are no output of the model; use --layers auto (after the activation), or a Dense without activation followed by an Activation layer`);
      }
      picked.push(d.name);
      hidden++;
    }
    const parts = [convs > 0 ? `${convs} conv block${convs === 1 ? '' : 's'}` : '', hidden > 0 ? `${hidden} hidden dense layer${hidden === 1 ? '' : 's'} ${WHAT.pre}` : ''].filter(Boolean);
    return { layers: picked, description: parts.join(' and ') || 'nothing' };
  }
  for (const d of dense.slice(1)) {
    if (d.inbound.length !== 1) continue;
    let src = byName.get(d.inbound[0]);
    while (src && TF_PASS.has(src.className) && src.inbound.length === 1) src = byName.get(src.inbound[0]);
    if (!src || src.className === 'InputLayer' || picked.includes(src.name)) continue;
    picked.push(src.name);
    hidden++;
  }
  const parts = [convs > 0 ? `${convs} conv block${convs === 1 ? '' : 's'}` : '', hidden > 0 ? `${hidden} hidden dense layer${hidden === 1 ? '' : 's'} ${WHAT.post}` : ''].filter(Boolean);
  return { layers: picked, description: parts.join(' and ') || 'nothing' };
}
