/**
 * Model kind detection: an `.onnx` file, a TF.js LayersModel `model.json` (or a folder holding
 * one), or a local Hugging Face-style folder (`config.json` + `onnx/model.onnx`).
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { InputError } from '../io/errors.js';

export type ModelKind = 'onnx' | 'tfjs' | 'hf';

export interface ModelLocation {
  kind: ModelKind;
  /** The path as given. */
  path: string;
  /** The file to load: the .onnx file, the model.json, or the folder's onnx/model.onnx. */
  file: string;
  /** For `hf`: the folder. */
  folder?: string;
}

async function stat(p: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/**
 * Works out what `path` is. Never looks anything up remotely: a path that does not exist is an
 * error (`path: no such file or folder`), as is a folder that is neither kind.
 */
export async function detectModelKind(path: string): Promise<ModelLocation> {
  const st = await stat(path);
  if (st === undefined) throw new InputError(path, 'no such file or folder (models are only read locally; nothing is downloaded)');
  if (st.isDirectory()) {
    const has = async (f: string): Promise<boolean> => (await stat(nodePath.join(path, f)))?.isFile() === true;
    if (await has('config.json')) {
      const file = nodePath.join(path, 'onnx', 'model.onnx');
      if (!(await has(nodePath.join('onnx', 'model.onnx')))) {
        throw new InputError(path, "local transformer folder has config.json but no onnx/model.onnx (export the model to ONNX there; nothing is downloaded)");
      }
      if (!(await has('tokenizer.json'))) throw new InputError(path, 'local transformer folder has no tokenizer.json (nothing is downloaded)');
      return { kind: 'hf', path, file, folder: path };
    }
    if (await has('model.json')) return { kind: 'tfjs', path, file: nodePath.join(path, 'model.json') };
    if (await has('model.onnx')) return { kind: 'onnx', path, file: nodePath.join(path, 'model.onnx') };
    throw new InputError(path, 'folder holds no model: expected config.json + onnx/model.onnx (transformer), model.json (TF.js) or model.onnx');
  }
  const ext = nodePath.extname(path).toLowerCase();
  if (ext === '.onnx') return { kind: 'onnx', path, file: path };
  if (ext === '.json') return { kind: 'tfjs', path, file: path };
  throw new InputError(path, `unknown model type '${ext || nodePath.basename(path)}': expected a .onnx file, a TF.js model.json, or a local transformer folder`);
}
