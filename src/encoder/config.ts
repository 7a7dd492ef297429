/**
 * The shape of a BERT-style encoder (word-piece embeddings, learned positions, L post-LayerNorm
 * blocks of multi-head self-attention and an exact-GELU feed-forward layer), as Hugging Face's
 * `BertConfig` names it.
 */
import type { BertShape } from '../models/bert-onnx.js';

export interface EncoderConfig extends BertShape {
  /** Dropout on embeddings, attention output and feed-forward output during training. */
  dropout: number;
}

/** The default encoder (d = 64, 2 layers) and the larger option (d = 128, 4 layers). */
export const ENCODER_SIZES = {
  small: { hidden: 64, layers: 2, heads: 4, intermediate: 256 },
  base: { hidden: 128, layers: 4, heads: 4, intermediate: 512 },
} as const;
export type EncoderSize = keyof typeof ENCODER_SIZES;

export function encoderConfig(size: EncoderSize, vocabSize: number, maxPositions = 64): EncoderConfig {
  return { vocabSize, ...ENCODER_SIZES[size], maxPositions, dropout: 0.1, layerNormEps: 1e-12 };
}

export function checkEncoderConfig(c: EncoderConfig): void {
  const ints = ['vocabSize', 'hidden', 'layers', 'heads', 'intermediate', 'maxPositions'] as const;
  for (const k of ints) if (!(Number.isInteger(c[k]) && c[k] >= 1)) throw new RangeError(`encoder ${k} must be a positive integer, got ${c[k]}`);
  if (c.hidden % c.heads !== 0) throw new RangeError(`encoder hidden size ${c.hidden} must be a multiple of the ${c.heads} heads`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new RangeError(`encoder dropout must be in [0, 1), got ${c.dropout}`);
}

/** The Hugging Face `config.json` of an encoder (a `BertModel`). */
export function hfConfigJson(c: EncoderConfig): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: c.vocabSize,
    hidden_size: c.hidden,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    intermediate_size: c.intermediate,
    hidden_act: 'gelu',
    hidden_dropout_prob: c.dropout,
    attention_probs_dropout_prob: 0,
    max_position_embeddings: c.maxPositions,
    type_vocab_size: 2,
    layer_norm_eps: c.layerNormEps,
    pad_token_id: 0,
  };
}
