/**
 * The runtime-free shapes of the tensors that pass between infomem and a model runtime, so that
 * the public types name no optional package (a consumer without onnxruntime-node type-checks).
 */

/** Type and shape of a model input or exposed tensor, as onnxruntime reports them. */
export interface TensorMeta {
  name: string;
  /** `float32`, `int64`, ... (`?` when unknown). */
  type: string;
  /** Dimensions: numbers, symbolic names, or `?`. */
  shape: (number | string)[];
}

/** One returned tensor: its data (numbers for float outputs) and dimensions. */
export interface RawOutput {
  data: ArrayLike<number>;
  dims: number[];
  type: string;
}

/** Feeds of one batch: name -> typed data and dims. */
export type Feeds = Map<string, { data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array; dims: number[]; type: string }>;

/**
 * A TF.js LayersModel held in memory: what `tf.io.ModelArtifacts` holds of it, declared here so
 * that the public types name no optional package (a `tf.io.ModelArtifacts` is one).
 */
export interface TfArtifacts {
  modelTopology?: object | ArrayBuffer;
  format?: string;
  weightSpecs?: { name: string; shape: number[]; dtype: string }[];
  weightData?: ArrayBuffer | ArrayBuffer[];
}
