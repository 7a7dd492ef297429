/**
 * The analysis settings' command-line flags, their parsing and their help, all derived from the
 * declarations in analysis/setting-options.ts (and through them from the estimator registries).
 */
import { estimatorOnlySettings, settingApplies, settingOptions, type SettingOption } from '../analysis/setting-options.js';
import type { Settings } from '../analysis/settings.js';
import { UsageError } from './parse-take.js';

const flagged = (): SettingOption[] => settingOptions.filter((o) => o.flag !== undefined);

/** parseArgs options for every settings flag. */
export function settingFlagOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(flagged().map((o) => [o.flag!, { type: o.value === undefined && !o.choices ? 'boolean' : 'string' }]));
}

/**
 * The settings given on the command line. A flag that only some estimators read, given when
 * none of the chosen estimators reads it, is a usage error naming those that do.
 */
export function parseSettingFlags(values: Record<string, string | boolean | undefined>): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const o of flagged()) {
    const v = values[o.flag!];
    if (v === undefined || v === false) continue;
    try {
      out[o.key] = o.parse(v === true ? 'true' : v);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const why = o.check(out[o.key]);
    if (why !== null) throw new UsageError(why);
  }
  const mi = (out.mi as string | undefined) ?? 'ksg';
  const entropy = (out.entropy as string | undefined) ?? 'binned';
  for (const [key, readers] of estimatorOnlySettings()) {
    if (out[key] === undefined || settingApplies(key, { mi, entropy })) continue;
    throw new UsageError(`--${settingOptions.find((o) => o.key === key)!.flag} applies to ${readers.join(', ')}`);
  }
  return out as Partial<Settings>;
}

/** Help lines for the settings flags (the "Estimators" part of `infomem analyze --help`). */
export function settingFlagsHelp(): string {
  const col = 27;
  const width = 100;
  const lines: string[] = [];
  const wrap = (text: string, first: string): void => {
    let line = first;
    for (const word of text.split(' ')) {
      if (line.length + 1 + word.length > width && line.trim() !== '') {
        lines.push(line);
        line = ' '.repeat(col) + word;
      } else line = line.endsWith(' ') ? line + word : `${line} ${word}`;
    }
    lines.push(line);
  };
  for (const o of flagged()) {
    const choices = o.choices?.();
    const arg = choices ? ` ${choices.map((c) => c.name).join('|')}` : o.value ? ` ${o.value}` : '';
    const head = `  --${o.flag}${arg}`;
    if (head.length + 2 > col) {
      lines.push(head);
      wrap(o.help, ' '.repeat(col));
    } else wrap(o.help, head.padEnd(col));
    for (const c of choices ?? []) if (c.help) wrap(c.help, `${' '.repeat(col + 2)}${c.name.padEnd(9)}`);
  }
  return lines.join('\n');
}
