/**
 * The registry of pairwise MI estimators: every layer above (the engine's jobs, the settings'
 * validation, the CLI's `--mi` choices and help, results and reports) looks estimators up here.
 * Adding one: a folder beside ksg/ with an `estimator.ts` exporting a PairwiseMiEstimator
 * (estimator.ts), and one line in `builtins` below (docs/architecture.md, "Adding an estimator").
 *
 * `registerMiEstimator` adds one at run time (a plug-in, or a test's toy estimator). Worker
 * threads import this module afresh: an estimator registered at run time is seen by jobs that
 * run on the main thread, or by workers when its `module` URL is given (the worker imports it,
 * and the module registers itself).
 */
import type { PairwiseMiEstimator } from './estimator.js';
import { binnedEstimator } from './binned/estimator.js';
import { gcmiEstimator } from './gcmi/estimator.js';
import { ksgEstimator } from './ksg/estimator.js';

const builtins = [ksgEstimator, binnedEstimator, gcmiEstimator] as const;

/** The names of the built-in estimators (the type of `settings.mi`, with 'none'). */
export type BuiltinMiEstimatorName = (typeof builtins)[number]['name'];

type AnyEstimator = PairwiseMiEstimator<any, any>;
const registry = new Map<string, { estimator: AnyEstimator; module?: string }>(builtins.map((e) => [e.name, { estimator: e as AnyEstimator }]));

/**
 * Registers an estimator under its name (which must be new, lowercase letters, digits or '-').
 * `module`: the URL of a module that registers it when imported, so that worker threads can.
 */
export function registerMiEstimator(estimator: AnyEstimator, module?: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(estimator.name) || estimator.name === 'none') throw new RangeError(`MI estimator name '${estimator.name}': lowercase letters, digits and '-', not 'none'`);
  const had = registry.get(estimator.name);
  if (had && had.estimator !== estimator) throw new RangeError(`an MI estimator named '${estimator.name}' is already registered`);
  registry.set(estimator.name, { estimator, module });
}

/** Removes an estimator registered at run time (built-ins stay). */
export function unregisterMiEstimator(name: string): void {
  if (builtins.some((e) => e.name === name)) throw new RangeError(`'${name}' is built in`);
  registry.delete(name);
}

/** The estimator registered as `name`; throws RangeError naming the choices otherwise. */
export function miEstimator(name: string): AnyEstimator {
  const e = registry.get(name);
  if (!e) throw new RangeError(`unknown MI estimator '${name}' (${miEstimatorNames().join(', ')})`);
  return e.estimator;
}

/** Whether `name` is registered. */
export function hasMiEstimator(name: string): boolean {
  return registry.has(name);
}

/** The module URL an estimator registered at run time came with (for worker threads). */
export function miEstimatorModule(name: string): string | undefined {
  return registry.get(name)?.module;
}

/** Every registered name, built-ins first. */
export function miEstimatorNames(): string[] {
  return [...registry.keys()];
}
