import { parseCommand } from './parse-command.js';
import { parseInteger, UsageError } from './parse-take.js';
import { WEB_USAGE } from './usage.js';
import { serveWebApp } from '../serve/web-server.js';

const options = {
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `infomem web`: serves the browser app until Ctrl-C; returns the exit code. */
export async function webCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, options, WEB_USAGE);
  if (!parsed) return 0;
  if (parsed.positionals.length > 0) throw new UsageError(`web takes no arguments (see infomem web --help), got '${parsed.positionals[0]}'`);
  const port = parsed.values.port === undefined ? 8765 : parseInteger(parsed.values.port, '--port', 0);
  if (port > 65535) throw new UsageError(`--port takes an integer in 0..65535, got '${parsed.values.port}'`);
  let started;
  try {
    started = await serveWebApp({ port });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; choose another with --port (0: any free port)`);
    throw e;
  }
  process.stdout.write(`infomem web: open ${started.url} (files you give the page are analysed in the browser; nothing is uploaded). Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await started.close();
  return 0;
}
