/**
 * Local Hugging Face-style folders (config.json, tokenizer.json, onnx/model.onnx): tokenization
 * with `@huggingface/transformers` with remote loading switched off. The model itself runs
 * through the ONNX backend with its block outputs exposed (transformers.js only returns the
 * model's final outputs).
 */
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { resolveOptional } from '../optional-package.js';

/** The parts of config.json used here. */
export interface HfConfig {
  model_type?: string;
  max_position_embeddings?: number;
  num_hidden_layers?: number;
  hidden_size?: number;
}

export async function readHfConfig(folder: string): Promise<HfConfig> {
  const file = nodePath.join(folder, 'config.json');
  try {
    return JSON.parse(new TextDecoder().decode(await readFileBytes(file))) as HfConfig;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

/** A batch of tokenized texts, B x T each, right-padded. */
export interface TokenBatch {
  input_ids: BigInt64Array;
  attention_mask: BigInt64Array;
  token_type_ids: BigInt64Array;
  dims: [number, number];
}

export interface HfTokenizer {
  encode(texts: readonly string[]): TokenBatch;
}

type TjsEncoded = Record<string, number[][] | undefined>;
type TjsTokenizer = (texts: string[], opts: { padding: boolean; truncation: boolean; max_length?: number; return_tensor: false }) => TjsEncoded;
type TjsTokenizerClass = new (tokenizerJson: unknown, tokenizerConfig: unknown) => TjsTokenizer;
interface TjsModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean };
  PreTrainedTokenizer: TjsTokenizerClass;
  [name: string]: unknown;
}

let tjsPromise: Promise<TjsModule> | undefined;

/**
 * transformers.js, as its platform-neutral bundle. Its Node bundle imports its own pinned
 * onnxruntime-node (1.21), whose native library cannot share a process with the onnxruntime-node
 * (1.30) that runs the models here (same soname, different symbol versions); the neutral bundle
 * has no native code. Remote loading is switched off; files are read here and handed to it.
 */
function loadTransformers(): Promise<TjsModule> {
  tjsPromise ??= (async () => {
    const dist = nodePath.dirname(resolveOptional('@huggingface/transformers', '@huggingface/transformers', "reading a Hugging Face folder's tokenizer"));
    const tjs = (await import(pathToFileURL(nodePath.join(dist, 'transformers.web.js')).href)) as TjsModule;
    tjs.env.allowRemoteModels = false;
    tjs.env.allowLocalModels = true;
    return tjs;
  })();
  return tjsPromise;
}

async function readJson(file: string): Promise<unknown> {
  const bytes = await readFileBytes(file);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

/**
 * Loads the folder's tokenizer (tokenizer.json, and tokenizer_config.json when present) with
 * transformers.js from the local files only; the class is tokenizer_config's `tokenizer_class`.
 * Texts longer than `maxLength` (default: tokenizer_config's `model_max_length`) are truncated as
 * Python's tokenizers do: the trailing special tokens ([SEP], </s>) are kept.
 * @throws InputError naming the file when a tokenizer file is missing or unusable
 */
export async function loadHfTokenizer(folder: string, maxLength?: number): Promise<HfTokenizer> {
  const tokFile = nodePath.join(folder, 'tokenizer.json');
  const cfgFile = nodePath.join(folder, 'tokenizer_config.json');
  const tokenizerJson = await readJson(tokFile);
  let tokenizerConfig: Record<string, unknown> = {};
  try {
    tokenizerConfig = (await readJson(cfgFile)) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof InputError && e.problem === 'no such file')) throw e;
  }
  const tjs = await loadTransformers();
  const className = typeof tokenizerConfig.tokenizer_class === 'string' ? tokenizerConfig.tokenizer_class.replace(/Fast$/, '') : 'PreTrainedTokenizer';
  const cls = (typeof tjs[className] === 'function' ? tjs[className] : tjs.PreTrainedTokenizer) as TjsTokenizerClass;
  let tok: TjsTokenizer;
  try {
    tok = new cls(tokenizerJson, tokenizerConfig);
  } catch (e) {
    throw new InputError(tokFile, `transformers.js cannot build the tokenizer (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, { cause: e });
  }
  const limit = maxLength ?? (typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length < 1e9 ? tokenizerConfig.model_max_length : undefined);
  const info = tok as unknown as { pad_token_id?: number; padding_side?: string };
  const padId = BigInt(info.pad_token_id ?? 0);
  const left = info.padding_side === 'left';
  // Trailing special tokens (BERT's [SEP], RoBERTa's </s>): the tail shared by the encoding of
  // an empty text and of a text. Python's tokenizers keep them when truncating; transformers.js
  // cuts them off, so truncation is done here.
  const encodeRaw = (texts: string[]): TjsEncoded => tok(texts, { padding: false, truncation: false, return_tensor: false });
  const empty = encodeRaw([''])?.input_ids?.[0] ?? [];
  const probe = encodeRaw(['a'])?.input_ids?.[0] ?? [];
  let tail = 0;
  while (tail < empty.length && tail < probe.length && empty[empty.length - 1 - tail] === probe[probe.length - 1 - tail]) tail++;
  const cut = (row: number[] | undefined): number[] | undefined => {
    if (!row || limit === undefined || row.length <= limit) return row;
    const keepTail = Math.min(tail, limit);
    return [...row.slice(0, limit - keepTail), ...row.slice(row.length - keepTail)];
  };
  return {
    encode(texts) {
      const enc = encodeRaw([...texts]);
      const ids = enc.input_ids!.map((r) => cut(r)!);
      const B = ids.length;
      const T = ids.reduce((m, r) => Math.max(m, r.length), 0);
      const flat = (rows: (number[] | undefined)[] | undefined, fill: bigint, pad: bigint): BigInt64Array => {
        const out = new BigInt64Array(B * T).fill(fill);
        ids.forEach((r, b) => {
          const row = rows?.[b];
          const off = left ? T - r.length : 0;
          for (let t = 0; t < T; t++) if (t < off || t >= off + r.length) out[b * T + t] = pad;
          row?.forEach((v, t) => (out[b * T + off + t] = BigInt(v)));
        });
        return out;
      };
      return {
        input_ids: flat(ids, padId, padId),
        attention_mask: flat(enc.attention_mask?.map((r) => cut(r)), 1n, 0n),
        token_type_ids: flat(enc.token_type_ids?.map((r) => cut(r)), 0n, 0n),
        dims: [B, T],
      };
    },
  };
}
