/**
 * infomem: entropy of every neuron and mutual information of every neuron pair, to tell
 * heuristic from example-level memorization without labels.
 *
 * Layers: `core/` pure numerics (no I/O), `engine/` threads, `analysis/` the analysis API,
 * `io/` + `inputs/` files, `models/` activations from ONNX / TF.js models, `compare/` rankings
 * and the memorization map, `track/` measures through training, `reproduce/` the paper's
 * experiments, `cli/` the command line.
 *
 * The TF.js training callback is the subpath `infomem/tfjs` (its types name @tensorflow/tfjs, an
 * optional peer: this entry point names no optional package, so a project without them
 * type-checks).
 */
export { activationSetFromLayers, allocValues, layerToRowMajor, neuronCount, neuronValues, type ActivationSet, type ActivationValues, type LayerInfo, type LayerMatrix } from './core/activations/activation-set.js';
export { dropConstantNeurons, sampleNeurons, selectLayers, selectNeuronsPerLayer, selectSamples } from './core/activations/select.js';
export { binningStrategies, binningNames, globalBinning, layerBinning, neuronBinning, quantileBinning, type BinEdges, type BinningName, type BinningStrategy } from './core/binning/strategy/index.js';
export { equalWidthEdges } from './core/binning/equal-width-edges.js';
export { binCodes, allocateCodes } from './core/binning/bin-codes.js';
export { binnedEntropies } from './core/entropy/plugin.js';
export { klEntropy } from './core/entropy/kozachenko-leonenko.js';
export { BinnedMiKernel } from './core/mi/binned/binned-mi-kernel.js';
export { createBinnedStore, type BinnedStore } from './core/mi/binned/binned-store.js';
export { ksgMI, ksgBrute, KsgPairKernel, createKsgStore, prepareKsgNeuron } from './core/mi/ksg/index.js';
export { copulaNormalScores, copulaQuantiles, gcmiBiasCorrection, gcmiPair, miFromCorrelation } from './core/mi/gcmi/index.js';
export type { EstimatorOptions, MiStore, NeuronInput, PairKernel, PairwiseMiEstimator } from './core/mi/estimator.js';
export { hasMiEstimator, miEstimator, miEstimatorNames, registerMiEstimator, unregisterMiEstimator } from './core/mi/registry.js';
export type { EntropyContext, EntropyEstimator } from './core/entropy/estimator.js';
export { entropyEstimator, entropyEstimatorNames, registerEntropyEstimator, unregisterEntropyEstimator } from './core/entropy/registry.js';
export { digammaTable } from './core/special/digamma.js';
export { Rng } from './core/random/rng.js';
export { zscoreInPlace } from './core/transform/zscore.js';
export { jitterInPlace } from './core/transform/jitter.js';
export { boxStats, type BoxStats } from './core/summary/box.js';
export { quantileSorted } from './core/summary/quantile.js';
export { computeMeasures, type ComputeOptions, type Measures, type ChanceBaseline } from './analysis/compute.js';
export { presets, resolveSettings, type Settings, type PresetName, type MiEstimator, type MiEstimatorName, type EntropyEstimatorName } from './analysis/settings.js';
export { settingOptions, type SettingOption } from './analysis/setting-options.js';
export { buildResults, resultsToJson, type ExcludedNeurons, type Results, RESULTS_SCHEMA, RESULTS_VERSION } from './analysis/results.js';
export type { AnalysisWarning } from './analysis/warnings.js';
export { ANALYSIS_OUTPUT, analyzeFiles, analyzeModel, analyzeSet, applySelection, checkRequest, openAnalysisOutput, writeAnalysis, type Analysis, type AnalyzeOptions, type Selection, type WriteAnalysisOptions } from './analyze/analyze.js';
export { COMPARISON_OUTPUT, compareFiles, openComparisonOutput, writeComparison } from './compare/compare-files.js';
export { MANIFEST, OutputDir, writeOutputDir, type OutputDirOptions, type OutputKind } from './io/output-dir.js';
export { checkOutputFiles } from './io/output-files.js';
export { availableMemory, checkMemory } from './io/memory.js';
export { MissingPackageError } from './optional-package.js';
export { buildComparison } from './compare/build-comparison.js';
export type { Comparison, ComparedModel, MemorizationSetting } from './compare/comparison.js';
export { kendallTauB } from './core/stats/kendall.js';
export { auroc, averagePrecision, fprAtTpr } from './core/stats/roc.js';
export { buildReference, tailBin, type ReferenceOptions, type ReferenceStats } from './core/ood/reference.js';
export { scoreExamples, type ExampleScores } from './core/ood/surprisal.js';
export { fitGmm, gmmDensity } from './core/density/gmm.js';
export { averageLinkage, clusterOrder } from './core/cluster/hierarchical.js';
export { writeAnalysisReport, writeComparisonReport } from './report/index.js';
export { extractActivations, listLayers, writeActivations, type ExtractOptions, type Extraction } from './models/index.js';
export { loadActivationFiles, type LoadOptions, type LoadedActivations, type NanPolicy } from './inputs/load-activations.js';
export { reproduce, type ReproduceOptions, type ReproduceResult } from './reproduce/sweep.js';
export { checkpointRules, DEFAULT_EPOCHS, experimentNames, regimeOf, runConfig, sweeps, trainingRegimeNames, trainingRegimes, type CheckpointRule, type ExperimentName, type RunConfig, type RunSize, type TrainingOverrides, type TrainingRegime } from './reproduce/experiments.js';
export type { ReproductionSummary } from './reproduce/summary.js';
export { AbortError, type Progress, type ProgressCallback } from './engine/progress.js';
export { InputError } from './io/errors.js';
export { VERSION } from './version.js';
export { measureCheckpoint, checkpointSettings, type CheckpointMeasures, type CheckpointMeasureOptions, type LayerMeasures } from './track/checkpoint-measures.js';
export { buildTrack, isResultsFile, openTrackOutput, TRACK_OUTPUT, trackFiles, writeTrack, type Track, type TrackOptions, type TrackPoint } from './track/track.js';
export { memorizationMap, quadrantOf, quadrantName, type MapInput, type MapQuadrant, type MemorizationMap } from './compare/memorization-map.js';
export { serveWebApp, webAppDir, type WebApp } from './serve/web-server.js';
export { planAnalysis, type PlanOptions } from './cluster/make-plan.js';
export { readPlan, type ClusterPlan } from './cluster/plan.js';
export { runShard, type ShardOptions } from './cluster/shard.js';
export { mergeShards, shardStatus, ShardsIncomplete, type MergeOptions, type ShardStatus } from './cluster/merge.js';
export { writeSlurmScripts, submitSlurm, kubernetesManifest, type SlurmOptions } from './cluster/slurm.js';
