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
  return {
    encode(texts) {
      const enc = tok([...texts], { padding: true, truncation: true, ...(limit !== undefined ? { max_length: limit } : {}), return_tensor: false });
      const ids = enc.input_ids!;
      const B = ids.length;
      const T = ids[0]?.length ?? 0;
      const flat = (rows: number[][] | undefined, fill: bigint): BigInt64Array => {
        const out = new BigInt64Array(B * T).fill(fill);
        rows?.forEach((r, b) => r.forEach((v, t) => (out[b * T + t] = BigInt(v))));
        return out;
      };
      return { input_ids: flat(ids, 0n), attention_mask: flat(enc.attention_mask, 1n), token_type_ids: flat(enc.token_type_ids, 0n), dims: [B, T] };
    },
  };
}
