import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './parse-take.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseArgs` returns for a command's options (strict, positionals allowed). */
export type ParsedCommand<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/**
 * Parses a command's arguments strictly (unknown options are a UsageError of one line). Returns
 * null after printing `usage` when --help was given, so the command returns exit code 0.
 */
export function parseCommand<O extends Options>(argv: string[], options: O, usage: string, allowPositionals = true): ParsedCommand<O> | null {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), allowPositionals: allowPositionals as true, strict: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    process.stdout.write(usage);
    return null;
  }
  return parsed;
}

/**
 * `--k -2` would make parseArgs complain that the argument is "ambiguous"; a value that reads as
 * a negative number is joined to its option (`--k=-2`) so the option's own check can say what
 * it takes.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|inf|Infinity)/i.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
