#!/usr/bin/env node
import { isInputError } from '../io/errors.js';
import { AbortError } from '../engine/progress.js';
import { VERSION } from '../version.js';
import { UsageError } from './parse-take.js';
import { MissingPackageError } from '../optional-package.js';
import { MAIN_USAGE } from './usage.js';

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: stopping (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const [command, ...rest] = argv;
    // `infomem help analyze` is `infomem analyze --help`
    if (command === 'help' && rest.length > 0 && COMMANDS.includes(rest[0])) return await main([rest[0], '--help']);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(MAIN_USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    // Each command's modules load only when it runs (the CLI starts in a fraction of a second).
    if (command === 'analyze') return await (await import('./analyze-command.js')).analyzeCommand(rest, controller.signal);
    if (command === 'compare') return await (await import('./compare-command.js')).compareCommand(rest);
    if (command === 'web') return await (await import('./web-command.js')).webCommand(rest, controller.signal);
    if (command === 'track') return await (await import('./track-command.js')).trackCommand(rest, controller.signal);
    if (command === 'score') return await (await import('./score-command.js')).scoreCommand(rest, controller.signal);
    if (command === 'layers') return await (await import('./layers-command.js')).layersCommand(rest);
    if (command === 'extract') return await (await import('./extract-command.js')).extractCommand(rest, controller.signal);
    if (command === 'reproduce') return await (await import('./reproduce-command.js')).reproduceCommand(rest, controller.signal);
    if (command === 'plan') return await (await import('./cluster-commands.js')).planCommand(rest);
    if (command === 'shard') return await (await import('./cluster-commands.js')).shardCommand(rest, controller.signal);
    if (command === 'merge') return await (await import('./cluster-commands.js')).mergeCommand(rest, controller.signal);
    if (command === 'status') return await (await import('./cluster-commands.js')).statusCommand(rest);
    if (command === 'slurm') return await (await import('./cluster-commands.js')).slurmCommand(rest);
    throw new UsageError(`unknown command '${command}' (see infomem --help)`);
  } catch (e) {
    if (e instanceof AbortError) {
      process.stderr.write('infomem: interrupted; nothing was written\n');
      return 130;
    }
    const exitCode = (e as { exitCode?: unknown } | null)?.exitCode;
    if (typeof exitCode === 'number') {
      process.stderr.write(`infomem: ${(e as Error).message}\n`);
      return exitCode;
    }
    if (e instanceof UsageError || e instanceof RangeError || e instanceof MissingPackageError || isInputError(e)) {
      process.stderr.write(`infomem: ${(e as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`infomem: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.INFOMEM_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const COMMANDS = ['analyze', 'compare', 'web', 'track', 'score', 'layers', 'extract', 'reproduce', 'plan', 'shard', 'merge', 'status', 'slurm'];

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
