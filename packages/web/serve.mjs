// Serves the built page (dist/) on localhost: `pnpm web`. A static server and nothing else; the
// page itself sends nothing anywhere. PORT picks the port (default 8080; 0: any free one).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
const root = new URL('dist/', import.meta.url).pathname;

/** Starts the server on 127.0.0.1; resolves to its URL and a close function. */
export function serve(port = 0) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)).replace(/^([/\\])+/, '');
    const file = join(root, path === '' ? 'index.html' : path);
    if (!file.startsWith(root) || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(() => done())) })));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { url } = await serve(Number(process.env.PORT ?? 8080));
  console.log(`graph-mtls page: ${url} (Ctrl+C stops it)`);
}
