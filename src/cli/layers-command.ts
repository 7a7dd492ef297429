import { parseCommand } from './parse-command.js';
import { formatLayerTable, listLayers } from '../models/layers.js';
import { UsageError } from './parse-take.js';
import { LAYERS_USAGE } from './usage.js';

/** `infomem layers <model>`: returns the exit code. */
export async function layersCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const, LAYERS_USAGE);
  if (!parsed) return 0;
  if (parsed.positionals.length !== 1) throw new UsageError('layers takes exactly one model (see infomem layers --help)');
  const listing = await listLayers(parsed.positionals[0]);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(listing, null, 2)}\n` : formatLayerTable(listing));
  return 0;
}
