/** Activations straight from a model: ONNX files, TF.js LayersModels, local transformer folders. */
export { extractActivations, resolveLayers, closestNames, type ExtractOptions, type Extraction, type ExtractedLayer, type InputSource } from './extract.js';
export { listLayers, formatLayerTable, type LayerListing } from './layers.js';
export { openModel, type ModelSource, type LayerCandidate, type OpenedModel } from './model.js';
export { detectModelKind, type ModelKind, type ModelLocation } from './kind.js';
export { readModelInputs, type ModelInputs, type ArrayInputs, type TextInputs } from './inputs.js';
export { writeActivations, layerKeys, type ActsSidecar } from './acts-file.js';
export { autoLayersOnnx, autoLayersTfjs, blockOf, type AutoPick } from './auto-layers.js';
export { reduceInto, reducedWidth, type Pooling, type ChannelAxis } from './reduce.js';
export { parseOnnx, exposeTensors, type OnnxGraph, type OnnxTensor } from './onnx-graph.js';
