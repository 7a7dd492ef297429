/**
 * `infomem web`: serves the browser app (dist/web, built by `npm run build:web`) on localhost.
 * Only the app's own files, read-only; cross-origin isolated (COOP/COEP), so that the page's
 * Web Workers share memory and use every core. Nothing the page analyses reaches this server:
 * files are read by the browser itself.
 */
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { packagePath } from '../package-data.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The built app's folder. @throws Error saying how to build it when it is missing */
export function webAppDir(dir = packagePath('dist', 'web')): string {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the browser app is not built (${dir} has no index.html): run npm run build:web`);
  return dir;
}

/** A running app server. */
export interface WebApp {
  /** Where the page is: `http://localhost:PORT/`. */
  url: string;
  /** Stops listening and closes every connection; resolves once closed. */
  close(): Promise<void>;
}

/**
 * The host names a request may name in its `Host` header: the loopback names and the host the
 * server listens on. Anything else is refused, so that a page on another site whose name was
 * re-pointed at 127.0.0.1 (DNS rebinding) cannot read the app, as local notebook servers refuse it.
 */
export function allowedHost(hostHeader: string | undefined, listenHost: string): boolean {
  if (!hostHeader) return false;
  let name: string;
  try {
    name = new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]' || name === listenHost.toLowerCase();
}

/** Starts the server on 127.0.0.1:`port` (0: any free port); resolves once it listens. */
export async function serveWebApp(opts: { port?: number; dir?: string; host?: string; /** false: without the isolation headers, as a plain static host would serve it (tests) */ isolate?: boolean } = {}): Promise<WebApp> {
  const host = opts.host ?? '127.0.0.1';
  const dir = webAppDir(opts.dir);
  const root = normalize(dir + sep);
  const server = createServer(async (req, res) => {
    const headers: Record<string, string> = {
      ...(opts.isolate === false ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' }),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'max-age=600',
    };
    if (!allowedHost(req.headers.host, host)) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('forbidden: this server answers only to localhost');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    const ext = file.slice(file.lastIndexOf('.'));
    if (!file.startsWith(root) || !TYPES[ext]) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[ext], 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8765, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const close = (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // idle keep-alive connections would hold close() open
    return closed;
  };
  return { url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}/`, close };
}
